"""The `runs` table: one row per flow run, with what it did and how it ended.

A run that dies (kill -9, a crash, a reboot) cannot write its own end, so every run holds a
lock on a small file `<db>.runs/<run_id>.alive` while it lives; the operating system drops
the lock with the process. The next run to start looks at every run still `running`: one
whose lock can be taken (or whose file is gone) is dead and is marked `abandoned`, with
`abandoned_at` saying when that was noticed. A run alive in another process keeps its lock
and is left alone, so overlapping runs never mark each other.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from warehouse import lake
from warehouse.db import transaction

_ALIVE: dict[str, FileLock] = {}  # run_id -> the lock this process holds while the run lives


def _runs_dir(con: duckdb.DuckDBPyConnection) -> Path | None:
    """`<db>.runs/` beside the warehouse file (None for an in-memory database or a DuckLake,
    whose writers may be on other machines: their runs are never declared dead from here)."""
    if lake.in_lake(con):
        return None
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if not row or not row[0] or row[0] == ":memory:":
        return None
    db = Path(row[0])
    return db.with_name(db.name + ".runs")


def _alive_file(folder: Path, run_id: str) -> Path:
    return folder / f"{run_id}.alive"


def is_alive(folder: Path | None, run_id: str) -> bool:
    """Whether the process of a `running` run still holds its lock (this process's runs included)."""
    if run_id in _ALIVE:
        return True
    if folder is None:
        return True  # nothing to go by: never declare a run dead on no evidence
    path = _alive_file(folder, run_id)
    if not path.exists():
        return False  # a run started before migration 0006, or one that died after removing it
    probe = FileLock(str(path), timeout=0)
    try:
        probe.acquire()
    except Timeout:
        return True
    probe.release()
    return False


def dead_runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Runs recorded as `running` whose process is gone (read-only: `check` reports them)."""
    folder = _runs_dir(con)
    running = [r[0] for r in con.execute("SELECT run_id FROM runs WHERE status = 'running'").fetchall()]
    return [run_id for run_id in running if not is_alive(folder, run_id)]


def _mark_abandoned(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Inside a transaction: mark the dead `running` runs `abandoned`, noting when; returns their ids."""
    dead = dead_runs(con)
    if dead:
        con.execute(
            "UPDATE runs SET status = 'abandoned', abandoned_at = ? WHERE status = 'running' AND run_id IN "
            f"({', '.join('?' for _ in dead)})",
            [datetime.now(UTC), *dead],
        )
    return dead


def _forget(folder: Path | None, run_ids: list[str]) -> None:
    if folder is not None:
        for run_id in run_ids:
            _alive_file(folder, run_id).unlink(missing_ok=True)


def start_run(con: duckdb.DuckDBPyConnection, flow: str, site: str | None = None, inputs: str = "") -> str:
    run_id = str(uuid.uuid4())
    folder = _runs_dir(con)
    if folder is not None:  # the lock is taken before the row exists: a `running` row always has one
        folder.mkdir(exist_ok=True)
        lock = FileLock(str(_alive_file(folder, run_id)), timeout=0)
        lock.acquire()
        _ALIVE[run_id] = lock
    row = [run_id, flow, site, datetime.now(UTC), inputs]

    def body(con: duckdb.DuckDBPyConnection) -> list[str]:
        dead = _mark_abandoned(con)
        con.execute(
            "INSERT INTO runs (run_id, flow, site, started_at, status, inputs) "
            "VALUES (?, ?, ?, ?, 'running', ?)",
            row,
        )
        return dead

    _forget(folder, transaction(con, body))
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict) -> None:
    values = [datetime.now(UTC), status, json.dumps(counts, ensure_ascii=False, sort_keys=True), run_id]
    transaction(
        con,
        lambda con: con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE run_id = ?", values
        ),
    )
    lock = _ALIVE.pop(run_id, None)
    if lock is not None:  # after the row says how it ended: a run seen `running` still holds it
        lock.release()
        Path(lock.lock_file).unlink(missing_ok=True)
