"""Reparse: a parser version bump re-parses exactly that parser's stored pages, with no refetch."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from flows.load import load_flow
from flows.reparse import reparse_flow
from parsers.registry import site_parsers
from tests.fixture_cases import FIXTURES

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_version_bump_reparses_only_that_parser(tmp_path: Path, db_path: Path, monkeypatch) -> None:
    parsers = site_parsers()
    if len(parsers) < 2:
        pytest.skip("needs two site parsers with fixtures")
    bumped, other = parsers[0], parsers[1]
    for name in (bumped.name, other.name):
        shutil.copytree(FIXTURES / name, tmp_path / "pages" / name)
    load_flow([str(tmp_path / "pages")], str(db_path), progress=False)
    con = duckdb.connect(str(db_path), read_only=True)
    before = con.execute("SELECT * FROM articles WHERE site = ? ORDER BY url", [other.name]).fetchall()
    bumped_urls = con.execute(
        "SELECT url FROM articles WHERE site = ? ORDER BY url", [bumped.name]
    ).fetchall()
    con.close()
    assert before and bumped_urls

    monkeypatch.setattr(type(bumped), "version", bumped.version + 1)
    counts = reparse_flow(str(db_path), progress=False)
    assert counts["articles"] == len(bumped_urls)

    con = duckdb.connect(str(db_path), read_only=True)
    versions = con.execute(
        "SELECT DISTINCT parser_version FROM articles WHERE site = ?", [bumped.name]
    ).fetchall()
    assert versions == [(bumped.version,)]
    assert (
        con.execute("SELECT * FROM articles WHERE site = ? ORDER BY url", [other.name]).fetchall() == before
    )
    assert (
        con.execute("SELECT url FROM articles WHERE site = ? ORDER BY url", [bumped.name]).fetchall()
        == bumped_urls
    )
    con.close()
    # Nothing is stale any more: a second reparse does nothing.
    assert reparse_flow(str(db_path), progress=False)["pages"] == 0


def test_reparse_of_a_missing_raw_page_is_a_failure_not_a_crash(
    tmp_path: Path, db_path: Path, monkeypatch
) -> None:
    from parsers.generic import GenericParser

    page = tmp_path / "p.html"
    page.write_text(
        '<html><head><link rel="canonical" href="http://www.example.cn/a/1.html"></head><body>'
        "<div><h1>某县召开推进会</h1><p>"
        + "会议要求各乡镇各部门提高政治站位，持续深入推进。" * 5
        + "</p></div></body></html>",
        "utf-8",
    )
    load_flow([str(page)], str(db_path), progress=False)
    page.unlink()  # the user's file may go: the load kept its bytes in our archive
    for kept in (db_path.parent / "warc").glob("load-*.warc.gz"):
        kept.unlink()  # ... unless the archive itself is lost
    monkeypatch.setattr(GenericParser, "version", GenericParser.version + 1)
    counts = reparse_flow(str(db_path), progress=False)
    assert counts["failed"] == 1
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("SELECT stage, reason FROM failures").fetchone()[0] == "load"
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # the article is kept
