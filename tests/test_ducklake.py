"""DuckLake on a real PostgreSQL catalog: what it supports of our schema, and how commits behave.

These tests pin down the facts the DuckLake warehouse backend is built on, so an upgrade that
changes one of them shows up here first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse import lake
from warehouse.search import IGNORE, load_fts


def _connect(dsn: str, data: Path | None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    lake.attach(con, f"ducklake:postgres:{dsn}", str(data) if data else None)
    return con


def test_attach_offline_writes_parquet_under_the_data_path(lake_catalog, tmp_path):
    data = tmp_path / "lake-data"
    con = _connect(lake_catalog, data)
    con.execute("SET ducklake_default_data_inlining_row_limit = 0")  # rows go to Parquet at once
    con.execute("CREATE TABLE articles (url VARCHAR NOT NULL, title VARCHAR)")
    con.execute("INSERT INTO articles VALUES ('http://a.cn/1', '民族团结'), ('http://a.cn/2', '四抓四促')")
    con.close()

    assert list(data.rglob("*.parquet")), "the rows are Parquet files under the data path"
    other = _connect(lake_catalog, None)  # a second process-like connection: the path is in the catalog
    assert other.execute("SELECT title FROM articles ORDER BY url").fetchall() == [
        ("民族团结",),
        ("四抓四促",),
    ]
    loaded = {
        n for (n,) in other.execute("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()
    }
    assert {"ducklake", "postgres_scanner"} <= loaded


def _outcome(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    try:
        con.execute(sql)
    except duckdb.NotImplementedException:
        return "not supported"
    except duckdb.Error as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def test_what_ducklake_does_not_support_of_our_schema(lake_catalog, tmp_path):
    con = _connect(lake_catalog, tmp_path / "data")
    found = {
        "primary key": _outcome(con, "CREATE TABLE t1 (url VARCHAR PRIMARY KEY)"),
        "composite key": _outcome(con, "CREATE TABLE t2 (url VARCHAR, sha VARCHAR, PRIMARY KEY (url, sha))"),
        "unique": _outcome(con, "CREATE TABLE t3 (url VARCHAR UNIQUE)"),
        "check": _outcome(con, "CREATE TABLE t4 (url VARCHAR CHECK (url <> ''))"),
        "not null + defaults + nested types": _outcome(
            con,
            "CREATE TABLE t5 (url VARCHAR NOT NULL, n INTEGER DEFAULT 0, seen_at TIMESTAMPTZ DEFAULT now(), "
            "headers JSON, authors VARCHAR[], images STRUCT(src VARCHAR, caption VARCHAR)[], body BLOB)",
        ),
        "index": _outcome(con, "CREATE INDEX i5 ON t5 (url)"),
        "sequence": _outcome(con, "CREATE SEQUENCE s1"),
        "view": _outcome(con, "CREATE VIEW v5 AS SELECT url FROM t5"),
        "enum": _outcome(con, "CREATE TABLE t6 (kind ENUM('a', 'b'))"),
    }
    assert found == {
        "primary key": "not supported",
        "composite key": "not supported",
        "unique": "not supported",
        "check": "not supported",
        "not null + defaults + nested types": "ok",
        "index": "not supported",
        "sequence": "not supported",
        "view": "ok",
        "enum": "error: InvalidInputException",
    }
    # The writer's staged merge works as it is: UPDATE ... FROM, anti-join INSERT, DELETE ... USING.
    con.execute("CREATE TEMP TABLE s AS SELECT 'u1' AS url, 5 AS n UNION ALL SELECT 'u2', 6")
    con.execute("INSERT INTO t5 (url, n) VALUES ('u1', 1)")
    con.execute("UPDATE t5 SET n = s.n FROM s WHERE t5.url = s.url")
    con.execute("INSERT INTO t5 (url, n) SELECT s.url, s.n FROM s ANTI JOIN t5 t ON t.url = s.url")
    assert con.execute("SELECT url, n FROM t5 ORDER BY url").fetchall() == [("u1", 5), ("u2", 6)]
    con.execute("DELETE FROM t5 USING s WHERE t5.url = s.url AND s.n = 6")
    assert con.execute("SELECT count(*) FROM v5").fetchone() == (1,)
    # ON CONFLICT needs a key, which DuckLake cannot have.
    assert (
        _outcome(con, "INSERT INTO t5 (url) VALUES ('u1') ON CONFLICT DO NOTHING") == "error: BinderException"
    )


def test_the_fts_index_cannot_live_in_the_lake(lake_catalog, tmp_path):
    con = _connect(lake_catalog, tmp_path / "data")
    load_fts(con)
    con.execute("CREATE TABLE search_docs (url VARCHAR, title_tokens VARCHAR, body_tokens VARCHAR)")
    con.execute("INSERT INTO search_docs VALUES ('u1', '民族 团结', '创建 示范县')")
    with pytest.raises(duckdb.TransactionException, match="unsupported type"):
        con.execute(
            "PRAGMA create_fts_index('search_docs', 'url', 'title_tokens', 'body_tokens', "
            f"stemmer = 'none', stopwords = 'none', ignore = '{IGNORE}', overwrite = 1)"
        )


def test_concurrent_commits_inserts_merge_but_a_delete_conflicts_with_an_insert(lake_catalog, tmp_path):
    a = _connect(lake_catalog, tmp_path / "data")
    b = _connect(lake_catalog, None)
    a.execute("CREATE TABLE k (url VARCHAR, n INTEGER)")
    a.execute("INSERT INTO k VALUES ('u0', 0)")

    # Two transactions inserting the same new key both commit: no key, so nothing stops a duplicate.
    for con, n in ((a, 1), (b, 2)):
        con.execute("BEGIN")
        con.execute(f"INSERT INTO k SELECT 'new', {n} WHERE NOT EXISTS (SELECT 1 FROM k WHERE url = 'new')")
    a.execute("COMMIT")
    b.execute("COMMIT")
    assert a.execute("SELECT count(*) FROM k WHERE url = 'new'").fetchone() == (2,)

    # An update (a delete plus an insert) conflicts with any insert committed meanwhile.
    a.execute("BEGIN")
    b.execute("BEGIN")
    a.execute("INSERT INTO k VALUES ('u9', 9)")
    b.execute("UPDATE k SET n = 10 WHERE url = 'u0'")
    a.execute("COMMIT")
    with pytest.raises(duckdb.TransactionException, match=r"[Cc]onflict"):
        b.execute("COMMIT")
    assert a.execute("SELECT n FROM k WHERE url = 'u0'").fetchone() == (0,)


_APPENDER = """
import sys, duckdb
from warehouse import lake
con = duckdb.connect()
lake.attach(con, sys.argv[1], None)
for i in range(8):
    con.execute("BEGIN")
    con.execute(f"INSERT INTO m SELECT '{sys.argv[2]}', {i}, range FROM range(200)")
    con.execute("COMMIT")
"""


def test_appends_from_several_processes_all_commit(lake_catalog, tmp_path):
    con = _connect(lake_catalog, tmp_path / "data")
    con.execute("CREATE TABLE m (writer VARCHAR, batch INTEGER, n BIGINT)")
    address = f"ducklake:postgres:{lake_catalog}"
    procs = [
        subprocess.Popen([sys.executable, "-c", _APPENDER, address, w], cwd=Path(__file__).parents[1])
        for w in "abc"
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    rows = con.execute(
        "SELECT writer, count(*), count(DISTINCT batch) FROM m GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [("a", 1600, 8), ("b", 1600, 8), ("c", 1600, 8)]
