"""`regionews sql` and every other reader: the warehouse and nothing else, on a real DuckDB file.

Each attack is what a query could do on a plain `read_only=True` connection (issue 13): the test
asserts the refusal and that the warehouse file is byte for byte what it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from parsers.records import Article, Page, PageResult
from warehouse.db import WarehouseError, connect, migrations
from warehouse.writer import write_batch


@pytest.fixture
def warehouse(db_path: Path) -> Path:
    con = connect(db_path)
    page = Page(
        url="http://www.example.cn/1.html", body=b"<html/>", fetched_at=datetime(2024, 3, 5, tzinfo=UTC)
    )
    art = Article(
        url=page.url, site="generic", parser_version=1, title="阿瓦提县召开推进会", paragraphs=("一。",)
    )
    write_batch(con, [PageResult(page, "article", "generic", 1, article=art)])
    con.close()
    return db_path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(db: Path, query: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run the query as a user would; it must fail cleanly (exit 2, no traceback) and change nothing."""
    before = digest(db)
    assert main(["--db", str(db), "sql", query]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert digest(db) == before
    assert main(["--db", str(db), "sql", "select count(*) from articles", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["count_star()", "1"]
    return err


def test_copy_over_the_warehouse_is_refused(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(warehouse, f"COPY (SELECT 'garbage') TO '{warehouse}' (FORMAT csv)", capsys)
    assert "disabled by configuration" in err
    # relative to the working directory too
    refused(warehouse, "COPY (SELECT 'garbage') TO 'regionews.duckdb' (FORMAT csv)", capsys)


def test_attach_read_write_elsewhere_is_refused(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.duckdb"
    err = refused(
        warehouse, f"ATTACH '{other}' AS e (READ_WRITE); CREATE TABLE e.t AS SELECT * FROM articles", capsys
    )
    assert "disabled by configuration" in err
    assert not other.exists()


def test_reading_other_files_is_refused(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for query in (
        "SELECT content FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('/*')",
    ):
        assert "disabled by configuration" in refused(warehouse, query, capsys)


def test_installing_or_loading_extensions_is_refused(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for query in (
        "INSTALL httpfs",
        "LOAD httpfs",
        "SELECT * FROM read_parquet('https://example.org/x.parquet')",
    ):
        refused(warehouse, query, capsys)


def test_the_sandbox_cannot_be_switched_off(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for query in (
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "SET allowed_paths = ['/']",
    ):
        assert "locked" in refused(warehouse, query, capsys)


def test_ordinary_queries_and_search_still_work(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(warehouse), "sql", "select title, published_at from articles"]) == 0
    assert "阿瓦提县召开推进会" in capsys.readouterr().out
    con = connect(warehouse, read_only=True, extensions=("fts",))  # the bundled FTS, loaded before the lock
    try:
        assert con.execute("SELECT count(*) FROM duckdb_functions() WHERE function_name = 'stem'").fetchone()[
            0
        ]
        assert con.execute("SELECT current_setting('TimeZone')").fetchone()[0] == "Asia/Shanghai"
    finally:
        con.close()


def test_export_writes_only_into_its_folder(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "snap"
    con = connect(warehouse, read_only=True, allowed_directories=[out])
    try:
        out.mkdir()
        con.execute(f"COPY articles TO '{out / 'a.parquet'}' (FORMAT parquet)")
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"COPY articles TO '{tmp_path / 'b.parquet'}' (FORMAT parquet)")
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"COPY articles TO '{out}/../c.parquet' (FORMAT parquet)")
    finally:
        con.close()
    assert (out / "a.parquet").exists() and not (tmp_path / "b.parquet").exists()


def test_a_sqlite_file_is_not_a_warehouse_and_nothing_is_downloaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.sqlite"
    sq = sqlite3.connect(path)
    sq.execute("CREATE TABLE t (x)")
    sq.commit()
    sq.close()
    before = digest(path)
    for command in (["sql", "select 1"], ["stats"], ["check"], ["migrate"]):
        assert main(["--db", str(path), *command]) == 2
        err = capsys.readouterr().err
        assert "not a regionews warehouse" in err and "SQLite" in err, command
    assert digest(path) == before


def test_another_applications_duckdb_file_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "theirs.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE measurements AS SELECT 1 AS x")
    con.close()
    assert main(["--db", str(path), "migrate"]) == 2
    assert "not a regionews warehouse" in capsys.readouterr().err
    con = duckdb.connect(str(path), read_only=True)
    assert [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()] == [
        "measurements"
    ]
    con.close()


def older_warehouse(db: Path) -> None:
    """A warehouse as the previous regionews left it: every migration but the newest applied."""
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMPTZ)"
    )
    for number, name, sql in migrations()[:-1]:
        con.execute(sql if isinstance(sql, str) else sql(con))
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [number, name])
    con.close()


def test_read_commands_on_an_older_schema_say_migrate_first(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = db_path
    db_path.parent.mkdir(parents=True)
    older_warehouse(warehouse)
    before = digest(warehouse)
    for command in (
        ["query", "campaign_counties"],
        ["report", "--out", str(warehouse.parent / "r.html")],
        ["stats"],
    ):
        assert main(["--db", str(warehouse), *command]) == 2, command
        err = capsys.readouterr().err
        assert "run `regionews migrate` (or any write command) first" in err and "Traceback" not in err
    assert digest(warehouse) == before
    assert main(["--db", str(warehouse), "migrate"]) == 0
    assert "schema up to date" in capsys.readouterr().out
    assert main(["--db", str(warehouse), "query", "campaign_counties"]) == 0


def test_a_newer_schema_is_refused_and_not_written(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = duckdb.connect(str(warehouse))
    con.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_from_the_future.sql')")
    con.close()
    before = digest(warehouse)
    for command in (["sql", "select 1"], ["migrate"], ["stats"]):
        assert main(["--db", str(warehouse), *command]) == 2
        assert "newer regionews" in capsys.readouterr().err
    with pytest.raises(WarehouseError, match="newer regionews"):
        connect(warehouse)
    assert digest(warehouse) == before


def test_empty_query_is_a_clear_error(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for query in ("", "   "):
        assert main(["--db", str(warehouse), "sql", query]) == 2
        assert "the query is empty" in capsys.readouterr().err
