"""DuckLake: the warehouse as Parquet data files plus a PostgreSQL catalog, for several writers.

A DuckDB file has one writing process; DuckLake keeps the tables' metadata in a PostgreSQL
catalog and their rows in Parquet files under a data path (a local folder, or an object-store
URL in production), so processes on several machines commit concurrently, each commit a
catalog transaction (optimistic: a conflicting commit fails and is retried).

A warehouse address `ducklake:postgres:<libpq DSN>` names the catalog; the data path is given
beside it. Both extensions load offline from their wheels (`warehouse/extensions.py`).
"""

from __future__ import annotations

import duckdb

from warehouse import extensions

PREFIX = "ducklake:"
ALIAS = "lake"


def is_lake(address: str) -> bool:
    return str(address).startswith(PREFIX)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def attach(
    con: duckdb.DuckDBPyConnection,
    address: str,
    data_path: str | None,
    *,
    alias: str = ALIAS,
    read_only: bool = False,
) -> None:
    """Load the bundled extensions and ATTACH the lake as `alias` (it becomes the default catalog).

    `data_path` is needed the first time (it is then recorded in the catalog); later attaches
    may pass None and use the recorded one.
    """
    if not is_lake(address):
        raise ValueError(f"not a DuckLake address: {address!r}")
    # Never reach for the network: only the bundled extensions, loaded by path.
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    extensions.load(con, "postgres", "ducklake")
    options = []
    if data_path:
        options.append(f"DATA_PATH {_quote(data_path)}")
    if read_only:
        options.append("READ_ONLY")
    suffix = f" ({', '.join(options)})" if options else ""
    con.execute(f"ATTACH {_quote(address)} AS {alias}{suffix}")
    con.execute(f"USE {alias}")
