"""The warehouse on a real DuckDB file: migrations, idempotent bulk writes, failures kept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from parsers.process import process_pages
from parsers.records import Article, Failure, Page, PageResult
from warehouse.db import WarehouseError, connect, migrations
from warehouse.runs import finish_run, start_run
from warehouse.writer import write_batch

WHEN = datetime(2024, 3, 5, 2, 21, tzinfo=UTC)
TABLES = ("pages", "articles", "failures", "sites")


def article(
    url: str, title: str = "某县召开推进会", body: tuple[str, ...] = ("第一段。", "第二段。")
) -> Article:
    return Article(url=url, site="generic", parser_version=1, title=title, paragraphs=body, page_sha256="x")


def result(url: str, body: bytes = b"<html>x</html>", **kw) -> PageResult:
    page = Page(url=url, body=body, fetched_at=WHEN)
    art = kw.pop("art", article(url))
    return PageResult(page, "article", "generic", 1, article=art, **kw)


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}


def test_migrations_apply_once_and_are_recorded(db_path: Path) -> None:
    con = connect(db_path)
    names = [n for _, n, _ in migrations()]
    assert [
        r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY version").fetchall()
    ] == names
    con.close()
    con = connect(db_path)  # a second connect applies nothing new
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(names)


def test_same_batch_twice_changes_nothing(db_path: Path) -> None:
    con = connect(db_path)
    bad = Failure(url="http://x/bad", stage="parse", reason="parse: no title", page_sha256="ab", body=b"<p>")
    results = [result(f"http://x/{i}") for i in range(50)]
    first = write_batch(con, results, [bad])
    assert (first.pages_new, first.articles_new) == (50, 50)
    before = snapshot(con)
    second = write_batch(con, results, [bad])
    assert (second.pages_new, second.articles_new) == (0, 0)
    assert snapshot(con) == before


def test_batch_is_deduplicated_by_key_last_wins(db_path: Path) -> None:
    con = connect(db_path)
    write_batch(
        con,
        [
            result("http://x/1", art=article("http://x/1", "旧标题")),
            result("http://x/1", art=article("http://x/1", "新标题")),
        ],
    )
    assert con.execute("SELECT title FROM articles").fetchall() == [("新标题",)]


def test_update_in_place_keeps_first_seen(db_path: Path) -> None:
    con = connect(db_path)
    write_batch(con, [result("http://x/1")])
    later = Page(url="http://x/1", body=b"<html>y</html>", fetched_at=datetime(2025, 1, 1, tzinfo=UTC))
    changed = article("http://x/1", "更正后的标题")
    write_batch(con, [PageResult(later, "article", "generic", 2, article=changed)])
    row = con.execute("SELECT title, first_seen, last_seen FROM articles").fetchone()
    assert row[0] == "更正后的标题"
    assert row[1] < row[2]
    assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 2  # both fetches kept


def test_failure_keeps_raw_bytes_and_clears_when_the_page_parses(db_path: Path) -> None:
    con = connect(db_path)
    page = Page(url="http://x/p", body=b"<html><body>\x00\x01</body></html>", fetched_at=WHEN)
    failed = process_pages([Page(url="http://x/p", body=b"", fetched_at=WHEN)])
    write_batch(con, failed)
    assert con.execute("SELECT stage, reason, body FROM failures").fetchone() == (
        "decode",
        "decode: empty body",
        b"",
    )
    broken = Failure(
        url=page.url, stage="parse", reason="parse: no title", page_sha256=page.sha256, body=page.body
    )
    write_batch(con, [PageResult(page, "failed", "generic", 1, failure=broken)])
    assert con.execute("SELECT body FROM failures WHERE stage = 'parse'").fetchone()[0] == page.body
    write_batch(con, [PageResult(page, "article", "generic", 1, article=article(page.url))])
    assert con.execute("SELECT count(*) FROM failures WHERE stage = 'parse'").fetchone()[0] == 0


def test_runs_are_recorded(db_path: Path) -> None:
    con = connect(db_path)
    run = start_run(con, "load", inputs="fixtures")
    finish_run(con, run, "completed", {"pages": 3})
    assert con.execute("SELECT flow, status, counts->>'pages' FROM runs").fetchone() == (
        "load",
        "completed",
        "3",
    )


def test_read_only_connect_to_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="regionews load"):
        connect(tmp_path / "none.duckdb", read_only=True)


def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(WarehouseError, match="cannot create the folder"):
        connect(blocker / "sub" / "regionews.duckdb")
