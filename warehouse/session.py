"""One writer at a time: short write sessions behind a cross-process file lock.

DuckDB lets a single process write and locks every other process out while it holds the
file, readers included. So writers hold the file only for one batch: take the lock
(`<db>.lock` beside the database), open, write, close, release. Overlapping runs then
interleave their batches instead of failing, and analysts' read-only queries get in
between batches.

On DuckLake (`ducklake:postgres:…`) there is no file and no lock: writers on any machine
commit concurrently, each batch one optimistic transaction (`db.transaction`). Attaching costs
catalog round trips, so one attached connection serves all of a Warehouse's sessions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from warehouse import lake
from warehouse.db import WarehouseError, connect


class Warehouse:
    def __init__(
        self,
        path: str | Path,
        lock_timeout: float = 600.0,
        open_wait: float = 60.0,
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        self.is_lake = lake.is_lake(path)
        self.path = str(path) if self.is_lake else Path(path)
        self._lake_con: duckdb.DuckDBPyConnection | None = None
        self.lock_timeout = lock_timeout
        self.open_wait = open_wait
        self.on_wait = on_wait
        self.lock_waited = 0.0  # total seconds this writer spent waiting for other writers

    def close(self) -> None:
        """Detach the lake connection, if one is open (a file is closed after every session)."""
        if self._lake_con is not None:
            self._lake_con.close()
            self._lake_con = None

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one short batch of writes, exclusive among regionews writers on a file."""
        if self.is_lake:
            if self._lake_con is None:
                self._lake_con = connect(self.path)
            yield self._lake_con
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(f"cannot create the folder for {self.path}: {exc.strerror}") from exc
        lock = FileLock(str(self.lock_path), timeout=self.lock_timeout)
        started = time.monotonic()
        try:
            lock.acquire()
        except Timeout as exc:
            raise WarehouseError(
                f"another regionews process has been writing to {self.path} for over "
                f"{self.lock_timeout:.0f}s; its pages are safe, rerun this command when it is done"
            ) from exc
        self.lock_waited += time.monotonic() - started
        try:
            con = connect(self.path, wait_seconds=self.open_wait, on_wait=self.on_wait)
            try:
                yield con
            finally:
                con.close()
        finally:
            lock.release()
