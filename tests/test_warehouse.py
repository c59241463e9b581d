"""The warehouse on a real DuckDB file: migrations, idempotent bulk writes, failures kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from parsers.process import process_pages
from parsers.records import Article, Failure, Page, PageResult
from warehouse.db import WarehouseError, connect, migrations
from warehouse.integrity import sql_problems
from warehouse.runs import finish_run, start_run
from warehouse.writer import KEYS, merge, stage, write_batch

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


def snapshot(con: duckdb.DuckDBPyConnection, *, written_at: bool = True) -> dict[str, list]:
    """Every row of every table; `written_at=False` leaves out when each row was written (0008)."""

    def rows(t: str) -> list[str]:
        columns = {
            c
            for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [t]
            ).fetchall()
        }
        select = "* EXCLUDE (written_at)" if not written_at and "written_at" in columns else "*"
        return sorted(map(repr, con.execute(f"SELECT {select} FROM {t}").fetchall()))

    return {t: rows(t) for t in TABLES}


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


def _batches() -> list[list[PageResult]]:
    """Batches as a run writes them, with the cases where order matters: a story fetched again
    with a new title, a page that fails first and parses later, a failure seen twice."""
    page = Page(url="http://x/p", body=b"<html>p</html>", fetched_at=WHEN)
    broken = Failure(url=page.url, stage="parse", reason="parse: no title", page_sha256=page.sha256)
    refetched = Page(url="http://x/1", body=b"<html>x2</html>", fetched_at=datetime(2025, 1, 1, tzinfo=UTC))
    return [
        [result(f"http://x/{i}") for i in range(5)]
        + [PageResult(page, "failed", "generic", 1, failure=broken)],
        [result(f"http://x/{i}") for i in range(5, 9)],
        [PageResult(refetched, "article", "generic", 2, article=article("http://x/1", "更正后的标题"))],
        [PageResult(page, "article", "generic", 1, article=article(page.url))],
        [result("http://x/9")],
    ]


def test_a_session_of_several_batches_writes_what_they_write_one_by_one(tmp_path: Path) -> None:
    one_by_one = connect(tmp_path / "a.duckdb")
    for batch in _batches():
        write_batch(one_by_one, batch)
    together = connect(tmp_path / "b.duckdb")
    counts = merge(together, [stage(batch) for batch in _batches()])
    # the same rows; only when each was written differs
    assert snapshot(together, written_at=False) == snapshot(one_by_one, written_at=False)
    assert (counts.pages_new, counts.articles_new, counts.articles_updated) == (12, 11, 1)
    assert together.execute("SELECT title FROM articles WHERE url = 'http://x/1'").fetchone() == (
        "更正后的标题",
    )
    assert together.execute("SELECT count(*) FROM failures").fetchone() == (0,)  # the page parsed later


def _migrate_to(con: duckdb.DuckDBPyConnection, numbers: set[int]) -> None:
    """Bring a new file to the schema an older regionews left: these migrations applied, 0005 not."""
    con.execute(
        "CREATE TABLE schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ DEFAULT now())"
    )
    for number, name, sql in migrations():
        if number in numbers:
            con.execute(sql if isinstance(sql, str) else sql(con))
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return con.execute(
        "SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns() "
        "WHERE table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()


def test_migration_0005_drops_the_keys_and_keeps_every_row_column_and_default(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    old = duckdb.connect(str(db_path))
    old.execute("SET TimeZone = 'Asia/Shanghai'")  # as connect() shows times
    # As users' warehouses are: 0007 and 0009 ran before 0005 existed; 0008 added a column with
    # a DEFAULT (written_at), and an index was added: the rebuilt table must keep them too.
    _migrate_to(old, {n for n, _, _ in migrations() if n != 5 and n <= 9})
    old.execute("CREATE INDEX pages_by_site ON pages (site)")
    old.execute(
        "INSERT INTO pages (url, sha256, final_url, site, fetched_at, status, headers, origin, location,"
        " warc_offset, size, outcome, parser, parser_version, article_url, role) VALUES"
        " ('http://x/1', 'aa', 'http://x/1?f', 'generic', '2024-03-05 02:21:00+00', 200, '{\"a\": \"b\"}',"
        " 'http', '/w/a.warc.gz', 77, 1234, 'article', 'generic', 3, 'http://x/1', 'article'),"
        " ('http://x/1', 'bb', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'failed', NULL, NULL,"
        " NULL, NULL)"
    )
    old.execute(
        "INSERT INTO articles (url, site, parser_version, page_sha256, title, authors, images, body,"
        " first_seen, withdrawn_reason) VALUES ('http://x/1', 'generic', 3, 'aa', '标题', ['张三'],"
        " [{'src': 'a.jpg', 'caption': '图'}], '第一段。', '2024-03-05 02:21:00+00', 'http 404')"
    )
    old.execute(
        "INSERT INTO failures VALUES ('http://x/2', '', 'fetch', 'generic', 'fetch: timeout', 'after 30s',"
        " '2024-03-05 02:21:00+00', NULL), ('http://x/1', 'bb', 'parse', 'generic', 'parse: no title', NULL,"
        " NULL, '\\x00\\x01'::BLOB)"
    )
    before = {
        t: (_columns(old, t), sorted(map(repr, old.execute(f"SELECT * FROM {t}").fetchall()))) for t in KEYS
    }
    old.close()

    con = connect(db_path)  # applies 0005
    for table, (columns, rows) in before.items():
        assert _columns(con, table) == columns
        assert sorted(map(repr, con.execute(f"SELECT * FROM {table}").fetchall())) == rows
    keys = con.execute(
        "SELECT table_name FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') "
        "AND table_name IN ('pages', 'articles', 'failures')"
    ).fetchall()
    assert keys == []
    assert con.execute("SELECT index_name FROM duckdb_indexes()").fetchall() == [("pages_by_site",)]
    assert sql_problems(con) == {}
    con.execute("SELECT * FROM articles_clean").fetchall()  # the views over articles still answer
    # the writer merges onto the migrated rows instead of adding a second copy
    write_batch(con, [result("http://x/1", art=article("http://x/1", "新标题"))])
    assert con.execute("SELECT count(*), any_value(title) FROM articles").fetchone() == (1, "新标题")
    assert con.execute("SELECT count(*) FROM articles WHERE written_at IS NOT NULL").fetchone() == (1,)


def test_check_finds_a_key_stored_twice(db_path: Path) -> None:
    con = connect(db_path)
    pages = [Page(url=f"http://x/{i}", body=b"<html>x</html>", fetched_at=WHEN) for i in range(3)]
    write_batch(con, [result(p.url, art=replace(article(p.url), page_sha256=p.sha256)) for p in pages])
    assert sql_problems(con) == {}
    con.execute("INSERT INTO articles SELECT * FROM articles WHERE url = 'http://x/1'")
    con.execute("INSERT INTO pages SELECT * FROM pages WHERE url = 'http://x/2'")
    problems = sql_problems(con)
    assert problems["articles: key stored twice (url)"] == ["http://x/1"]
    assert problems["pages: key stored twice (url, sha256)"] == ["http://x/2"]
