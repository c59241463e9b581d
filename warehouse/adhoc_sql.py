"""Ad-hoc SQL for `regionews sql`: one statement in the read sandbox, the warehouse and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from warehouse import lake
from warehouse.db import WarehouseError, connect

Rows = list[tuple]


def run_read_only(
    db: str | Path,
    query: str,
    params: list | None = None,
    wait_seconds: float = 10.0,
    on_wait: Callable[[float], None] | None = None,
) -> tuple[list[str], Rows]:
    """Run one query in the read sandbox (the warehouse and nothing else); a writer is waited for.

    The bundled FTS extension is loaded only for a query that uses the search index (`fts_main_…`).
    """
    if not query.strip():
        raise WarehouseError(
            'the query is empty: give one SQL statement, e.g. "select count(*) from articles"'
        )
    extensions = ("fts",) if "fts_main" in query.lower() else ()
    con = connect(db, read_only=True, wait_seconds=wait_seconds, on_wait=on_wait, extensions=extensions)
    try:
        if lake.is_lake(db):
            try:
                lake.sandbox(con, query)
            except lake.LakeError as exc:
                raise WarehouseError(str(exc)) from exc
        try:
            cur = con.execute(query, params or [])
        except duckdb.Error as exc:
            raise WarehouseError(f"query failed: {exc}") from exc
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()
