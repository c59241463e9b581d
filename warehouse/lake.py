"""DuckLake: the warehouse as Parquet data files plus a PostgreSQL catalog, for several writers.

A DuckDB file has one writing process; DuckLake keeps the tables' metadata in a PostgreSQL
catalog and their rows in Parquet files under a data path (a local folder here, an object-store
URL such as `s3://bucket/lake/` in production), so processes on several machines commit
concurrently. Each commit is a catalog transaction and is optimistic: a commit that conflicts
with one committed meanwhile fails, and the writer runs its batch again (`db.transaction`).

The address `ducklake:postgres:<libpq DSN>` names the catalog; the data path is given once,
when the lake is created (`--lake-data` / `REGIONEWS_LAKE_DATA`), and recorded in the catalog.
Both extensions load offline from their wheels (`warehouse/extensions.py`).

What DuckLake lacks, and what the warehouse does instead (checked in tests/test_ducklake.py):
- PRIMARY KEY / UNIQUE constraints, indexes: migrations are applied without them
  (`for_lake`); uniqueness comes from the writer's staged merge, as on the file backend since
  migration 0005, and `regionews check` proves it.
- Two concurrent inserts of the same new key both commit (inserts never conflict with each
  other). A write batch therefore also bumps the *fence* of every key bucket it writes (one
  tiny table per bucket of URL hosts, migration 0009): two batches writing the same bucket conflict at commit
  and the later one is run again, now seeing the other's rows. Batches of different hosts
  (different sites on different workers) commit side by side.
- The FTS index cannot be stored in a lake: `search` builds it in memory from `search_docs`.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterable
from urllib.parse import urlsplit

import duckdb

from warehouse import extensions
from warehouse.settings import LAKE_DATA_VARIABLE, Settings

PREFIX = "ducklake:"
ALIAS = "lake"
FENCE_SCHEMA = "regionews_fences"
FENCE_BUCKETS = 16


class LakeError(Exception):
    """The lake cannot be attached as asked; the message says what to do."""


def is_lake(address: object) -> bool:
    return str(address).startswith(PREFIX)


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_only_address(address: str) -> str:
    """The same catalog, but every PostgreSQL transaction of this session is read-only.

    A read-only ATTACH stops DuckDB from writing, but the postgres extension's own functions
    (`postgres_query` on the catalog) would still reach the server: the server refuses writes.
    """
    return f"{address} options='-c default_transaction_read_only=on'"


def attach(
    con: duckdb.DuckDBPyConnection,
    address: str,
    data_path: str | None = None,
    *,
    alias: str = ALIAS,
    read_only: bool = False,
) -> None:
    """Load the bundled extensions and ATTACH the lake as `alias`, the connection's default catalog.

    `data_path` (else $REGIONEWS_LAKE_DATA) is needed when the lake is created; later attaches
    use the path recorded in the catalog.
    """
    if not is_lake(address):
        raise ValueError(f"not a DuckLake address: {address!r}")
    data_path = data_path or Settings.from_env().lake_data
    # Never reach for the network: only the bundled extensions, loaded by path.
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    extensions.load(con, "postgres", "ducklake")
    options = []
    if data_path:
        options.append(f"DATA_PATH {quote(_as_dir(data_path))}")
    if read_only:
        options.append("READ_ONLY")
    suffix = f" ({', '.join(options)})" if options else ""
    target = _read_only_address(address) if read_only else address
    try:
        con.execute(f"ATTACH {quote(target)} AS {alias}{suffix}")
    except duckdb.Error as exc:
        raise LakeError(_explain(address, data_path, exc)) from exc
    con.execute(f"USE {alias}")


def _as_dir(path: str) -> str:
    if "://" in path:
        return path if path.endswith("/") else path + "/"
    return os.path.join(os.path.abspath(os.path.expanduser(path)), "")


def _explain(address: str, data_path: str | None, exc: duckdb.Error) -> str:
    text = str(exc)
    if "does not match existing data path" in text:
        return (
            f"{address} keeps its data under another path than {data_path}: leave out --lake-data "
            "(the catalog knows its path)"
        )
    if "DATA_PATH" in text or "data path" in text.lower():
        return (
            f"{address} is a new lake: say where its data files go with --lake-data DIR "
            f"(or ${LAKE_DATA_VARIABLE}; an s3:// URL in production)"
        )
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"cannot attach {address}: {first}"


def data_path(con: duckdb.DuckDBPyConnection, alias: str = ALIAS) -> str:
    """Where the lake keeps its Parquet files (as recorded in the catalog)."""
    rows = con.execute(f"SELECT option_name, value FROM ducklake_options({quote(alias)})").fetchall()
    return dict(rows)["data_path"]


# Migrations are written for DuckDB files; these clauses are what DuckLake does not accept.
_INLINE_KEY = re.compile(r"\s+(PRIMARY\s+KEY|UNIQUE)(?=\s*(,|\n|\)|--))", re.IGNORECASE)
_TABLE_KEY = re.compile(r",\s*(PRIMARY\s+KEY|UNIQUE)\s*\([^)]*\)", re.IGNORECASE)
_INDEX = re.compile(r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\b[^;]*;", re.IGNORECASE | re.MULTILINE)
_COMMENT_OR_STRING = re.compile(r"('(?:[^']|'')*')|--[^\n]*")
# DuckLake takes only constant defaults. The one non-constant default (0008's written_at =
# current_timestamp) serves the read snapshot of a DuckDB file, which a lake does not need.
_SET_DEFAULT = re.compile(
    r"^\s*ALTER\s+TABLE\s+\w+\s+ALTER\s+COLUMN\s+\w+\s+SET\s+DEFAULT\s+current_timestamp\s*;",
    re.IGNORECASE | re.MULTILINE,
)


def for_lake(sql: str) -> str:
    """A migration as DuckLake takes it: key constraints, indexes and non-constant defaults left out.

    Uniqueness never depended on them (the writer's staged merge keeps one row per key, and
    `check` proves it), so leaving them out changes no result.
    """
    sql = _COMMENT_OR_STRING.sub(lambda m: m.group(1) or "", sql)
    sql = _SET_DEFAULT.sub("", sql)
    sql = _INDEX.sub("", sql)
    sql = _TABLE_KEY.sub("", sql)
    return _INLINE_KEY.sub("", sql)


def bucket(url: str) -> int:
    """The fence bucket of a key: by the URL's host, so one site's keys share a bucket."""
    host = (urlsplit(url).hostname or "") if "://" in url else ""
    return zlib.crc32(host.encode("utf-8")) % FENCE_BUCKETS


def touch_fences(con: duckdb.DuckDBPyConnection, urls: Iterable[str]) -> None:
    """Inside a write transaction: bump the fence of every bucket these keys fall in.

    Any other transaction that bumps one of the same fences and commits first makes this
    one's commit fail with a conflict, so two batches never insert the same key unseen.
    """
    for b in sorted({bucket(u) for u in urls}):
        con.execute(f"UPDATE {FENCE_SCHEMA}.bucket_{b:02d} SET commits = commits + 1")


def in_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the connection's default catalog is a DuckLake."""
    row = con.execute(
        "SELECT type FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(row and row[0] == "ducklake")


def is_conflict(exc: BaseException) -> bool:
    """A commit that lost to a concurrent one (run the transaction again)."""
    text = str(exc)
    return isinstance(exc, duckdb.Error) and ("Transaction conflict" in text or "conflict" in text.lower())


_READ_STATEMENTS = (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN)


def sandbox(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Lock a read-only lake connection down to reading the warehouse, then check `query` is a read.

    The Parquet files must stay readable, so file access is allowed under the lake's data path
    only; as that would also let `COPY … TO` overwrite a data file there, only SELECT and
    EXPLAIN statements run. The catalog session itself is read-only (see `attach`).
    """
    path = data_path(con)
    if "://" not in path:
        con.execute(f"SET allowed_directories = [{quote(path)}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    try:
        statements = con.extract_statements(query)
    except duckdb.Error:
        return  # a syntax error: running it reports it
    refused = sorted({s.type.name for s in statements if s.type not in _READ_STATEMENTS})
    if refused:
        raise LakeError(f"only queries that read run here (SELECT, EXPLAIN); refused: {', '.join(refused)}")
