"""The `runs` table: one row per flow run, with what it did and how it ended."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import duckdb

from warehouse.db import transaction


def start_run(con: duckdb.DuckDBPyConnection, flow: str, site: str | None = None, inputs: str = "") -> str:
    run_id = str(uuid.uuid4())
    row = [run_id, flow, site, datetime.now(UTC), inputs]
    transaction(
        con,
        lambda con: con.execute(
            "INSERT INTO runs (run_id, flow, site, started_at, status, inputs) "
            "VALUES (?, ?, ?, ?, 'running', ?)",
            row,
        ),
    )
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict) -> None:
    values = [datetime.now(UTC), status, json.dumps(counts, ensure_ascii=False, sort_keys=True), run_id]
    transaction(
        con,
        lambda con: con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE run_id = ?", values
        ),
    )
