"""Publishing the read snapshot (warehouse/snapshot.py) after each run that wrote to the warehouse.

The flows call `publish_after_run` last; a run that changed no data leaves an existing snapshot
alone. A snapshot that cannot be published never fails the run: its data is in the warehouse,
the reason is logged, and the next run (or `regionews publish`) publishes it.
REGIONEWS_READ_SNAPSHOT=off stops the automatic publish.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from flows import logs
from warehouse.db import WarehouseError
from warehouse.lake import is_lake
from warehouse.session import Warehouse
from warehouse.settings import Settings
from warehouse.snapshot import Published, SnapshotError, publish, snapshot_paths


def enabled(env: dict[str, str] | None = None) -> bool:
    """REGIONEWS_READ_SNAPSHOT is not off (`env` replaces the environment)."""
    return Settings.from_env(env=env).read_snapshot


def publish_snapshot(db: str | Path, *, full: bool = False, wait: float = 60.0) -> Published:
    """Publish now, under the writer lock (writers wait for it as for any write session)."""
    with Warehouse(db, open_wait=wait).write() as con:
        return publish(con, db, full=full)


def publish_after_run(db: str | Path, changed: bool = True) -> Published | None:
    """Publish if enabled; log what happened, or why not, and never raise for a snapshot problem.

    A run that `changed` no data (only its own `runs` row) leaves a snapshot that exists as it
    is: publishing a generation for that row alone cost `enrich` with nothing to do about a third
    of its time. The next run that changes data, or `regionews publish`, brings the row along.
    """
    if not enabled() or is_lake(db):  # DuckLake readers never block a writer: no snapshot needed
        return None
    if not changed and snapshot_paths(db)[0].exists():
        logs.log.debug("snapshot left as it is: the run changed no data")
        return None
    try:  # a run that spooled found the file busy: wait no longer than it did
        result = publish_snapshot(db, wait=Settings.from_env().busy_wait)
    except (SnapshotError, WarehouseError, duckdb.Error, OSError) as exc:
        logs.log.warning(
            "snapshot %s", f"not published: {exc}; the warehouse has the data, `regionews publish` retries"
        )
        return None
    if logs.log.isEnabledFor(logging.INFO):
        logs.log.info(
            "snapshot generation=%d rows_written=%d seconds=%.2f path=%s",
            result.generation, sum(result.written.values()), result.seconds, result.path,
        )  # fmt: skip
    return result
