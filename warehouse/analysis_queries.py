"""Named analysis queries: plain SQL files in `warehouse/analysis/`, one question each.

The first comment line of a file says what question it answers; `regionews query NAME` runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import duckdb


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    question: str
    sql: str


def named_queries() -> dict[str, NamedQuery]:
    out = {}
    for entry in sorted(resources.files("warehouse.analysis").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql"):
            continue
        sql = entry.read_text("utf-8")
        first = sql.splitlines()[0] if sql else ""
        name = entry.name.removesuffix(".sql")
        out[name] = NamedQuery(name, first.removeprefix("--").strip(), sql)
    return out


def run_named(con: duckdb.DuckDBPyConnection, name: str) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of a named query; KeyError names the queries that exist."""
    queries = named_queries()
    if name not in queries:
        raise KeyError(f"no query named {name!r}; known: {', '.join(queries)}")
    cur = con.execute(queries[name].sql)
    return [d[0] for d in cur.description], cur.fetchall()
