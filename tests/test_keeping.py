"""The bytes are ours: a load copies every page into our own archive, so the user's folder may move.

Real files, real flows, a real DuckDB file; the checks are what a user runs (`regionews check
--deep`), from another working directory, after moving or renaming their input folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.archive import WarcArchive, resolve_location, stored_location
from flows.check import check
from flows.cli import main
from flows.load import load_flow
from tests.test_bad_input import rows
from tests.test_load import TITLE, article_html

pytestmark = pytest.mark.usefixtures("prefect_harness")


def saved_pages(root: Path, n: int = 3) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"{i}.html").write_text(article_html(f"http://www.example-county.cn/news/{i}.html"), "utf-8")
    return root


def archive_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in (db.parent / "warc").glob("*.warc.gz"))


def test_check_passes_after_the_input_folder_moves_and_from_any_directory(
    tmp_path: Path, db_path: Path, monkeypatch
) -> None:
    inbox = saved_pages(tmp_path / "inbox")
    load_flow([str(inbox)], str(db_path), progress=False)
    locations = rows(db_path, "SELECT location, warc_offset, source_path FROM pages ORDER BY url")
    assert len(locations) == 3
    for location, offset, source in locations:
        assert location.startswith("warc/load-") and offset is not None  # ours, relative to the warehouse
        assert source.startswith(str(inbox))
    inbox.rename(tmp_path / "moved")  # the user tidies up
    elsewhere = tmp_path / "cron"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert check(db_path, deep=True) == {}
    assert main(["--db", str(db_path), "check", "--deep"]) == 0


def test_a_rerun_archives_nothing_again_and_says_nothing_changed(
    tmp_path: Path, db_path: Path, capsys
) -> None:
    inbox = saved_pages(tmp_path / "inbox")
    assert main(["--db", str(db_path), "load", "-q", str(inbox)]) == 0
    first = capsys.readouterr().out
    assert "changed: 3 new pages, 3 new articles, 0 articles updated, 0 unchanged" in first
    size = archive_bytes(db_path)
    assert main(["--db", str(db_path), "load", "-q", str(inbox)]) == 0
    assert "nothing changed: all 3 pages were already in the warehouse" in capsys.readouterr().out
    assert archive_bytes(db_path) == size
    (inbox / "1.html").write_text(
        article_html("http://www.example-county.cn/news/1.html", title="改了的标题")
    )
    assert main(["--db", str(db_path), "load", "-q", str(inbox)]) == 0
    assert "changed: 1 new pages, 0 new articles, 1 articles updated, 2 unchanged" in capsys.readouterr().out


def test_file_names_that_are_not_utf8_load_and_keep_their_bytes(tmp_path: Path, db_path: Path) -> None:
    """An archive unpacked from a Chinese Windows machine: GBK names, undecodable as UTF-8."""
    root = tmp_path / "archive"
    root.mkdir()
    folder = os.fsencode(root) + b"/" + "张家川".encode("gbk")
    os.mkdir(folder)
    name = folder + b"/" + "新闻.html".encode("gbk")
    with open(name, "wb") as fh:  # a page with no URL of its own: it is keyed by its file:// URL
        fh.write(
            article_html("", title="阿瓦提县召开推进会")
            .replace('<link rel="canonical" href="">', "")
            .encode()
        )
    os.symlink(b"/nowhere", folder + b"/" + "坏链接.html".encode("gbk"))
    (root / "good.html").write_text(article_html("http://www.example-county.cn/news/8.html"), "utf-8")
    counts = load_flow([str(root)], str(db_path), progress=False)
    assert counts["articles"] == 2
    (url, source, raw, location), *_ = rows(
        db_path,
        "SELECT p.url, p.source_path, p.source_name_bytes, p.location FROM pages p "
        "JOIN articles a ON a.url = p.url WHERE a.title = '阿瓦提县召开推进会'",
    )
    assert raw == name  # the name's own bytes, exactly
    assert source.endswith("\\xd5\\xc5\\xbc\\xd2\\xb4\\xa8/\\xd0\\xc2\\xce\\xc5.html")  # printable
    assert url.endswith("/%D5%C5%BC%D2%B4%A8/%D0%C2%CE%C5.html")  # the file URL keeps the bytes too
    assert location.startswith("warc/load-")
    assert rows(db_path, "SELECT count(*) FROM articles WHERE title = ?", [TITLE]) == [(1,)]
    broken = rows(db_path, "SELECT url, detail FROM failures WHERE stage = 'load'")
    assert len(broken) == 1 and broken[0][0].endswith("%BB%B5%C1%B4%BD%D3.html")
    assert check(db_path, deep=True) == {}


def test_pages_loaded_before_0006_move_into_the_archive_when_loaded_again(
    tmp_path: Path, db_path: Path
) -> None:
    inbox = saved_pages(tmp_path / "inbox", n=2)
    load_flow([str(inbox)], str(db_path), progress=False)
    con = duckdb.connect(str(db_path))  # as an older regionews left them: the user's own files
    for (url,) in con.execute("SELECT url FROM pages").fetchall():
        name = url.rsplit("/", 1)[1]
        con.execute(
            "UPDATE pages SET location = ?, warc_offset = NULL, source_path = NULL WHERE url = ?",
            [str(inbox / name), url],
        )
    con.close()
    load_flow([str(inbox)], str(db_path), progress=False)
    for location, source in rows(db_path, "SELECT location, source_path FROM pages"):
        assert location.startswith("warc/load-") and source.startswith(str(inbox))
    shutil.rmtree(inbox)
    assert check(db_path, deep=True) == {}


def test_replaying_our_own_archive_adds_nothing_to_it(tmp_path: Path, db_path: Path) -> None:
    inbox = saved_pages(tmp_path / "inbox", n=2)
    load_flow([str(inbox)], str(db_path), progress=False)
    size = archive_bytes(db_path)
    before = rows(db_path, "SELECT url, sha256, location, warc_offset FROM pages ORDER BY url")
    counts = load_flow([str(db_path.parent / "warc")], str(db_path), progress=False)
    assert counts["pages"] == 2 and counts["articles_new"] == 0
    assert archive_bytes(db_path) == size
    assert rows(db_path, "SELECT url, sha256, location, warc_offset FROM pages ORDER BY url") == before


def test_locations_are_relative_to_the_warehouse_and_older_ones_still_resolve(tmp_path: Path) -> None:
    base = tmp_path / "data"
    with WarcArchive(base / "warc", base=base) as archive:
        location, _ = archive.write_response("http://x/1", 200, (), b"<p>x</p>", fetched_at=_now())
    assert location.startswith("warc/regionews-")
    assert resolve_location(location, base) == base / location
    assert stored_location(tmp_path / "elsewhere.warc.gz", base) == str(tmp_path / "elsewhere.warc.gz")
    # Before 0006 the demo stored `data/warc/...`, relative to the directory it ran in.
    assert resolve_location("data/" + location, base) == tmp_path / "data" / location


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
