"""One writer at a time: short write sessions behind a cross-process file lock.

DuckDB lets a single process write and locks every other process out while it holds the
file, readers included. So a writer holds the file only for one session: take the lock
(`<db>.lock` beside the database), open, write, close (DuckDB checkpoints on close),
release. Overlapping runs then interleave their sessions instead of failing, and analysts'
read-only queries get in between: a reader that waits gets the file before the next session
starts, whichever writer holds the lock next (warehouse/turns.py), so it waits for one
session at most.

`Warehouse.write` is the one place a write session opens. `BatchWriter` is how the flows
write bulk results: it keeps staged batches in memory and merges several of them per session,
so one checkpoint serves many batches while no session grows past a bounded size or age.

A process outside regionews (a notebook, the DuckDB CLI, a BI tool) can hold the file for
hours. A Warehouse opened with a short `open_wait` then raises `WarehouseBusy`, remembers it
for `busy_retry` seconds (`busy`), and `write_or_spool` hands the batch to the caller's spool
function instead (warehouse/spool.py); `read` opens read-only beside such a reader. Every
write session merges what waits in the spool before anything else.

On DuckLake (`ducklake:postgres:…`) there is no file and no lock: writers on any machine
commit concurrently, each batch one optimistic transaction (`db.transaction`). Attaching costs
catalog round trips, so one attached connection serves all of a Warehouse's sessions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar

import duckdb
from filelock import FileLock, Timeout

from warehouse import lake, turns
from warehouse.db import WarehouseBusy, WarehouseError, connect, transaction
from warehouse.paths import spool_waiting
from warehouse.settings import Settings

if TYPE_CHECKING:  # pyarrow comes with them: imported when a batch or the spool is written
    from warehouse.spool import Drained
    from warehouse.writer import StagedBatch, WriteCounts

T = TypeVar("T")

# A session merges at most this much staged Arrow data, or what was staged this long ago.
# When a session closes, DuckDB's checkpoint may vacuum: rewrite small row groups into bigger
# ones. In a bulk load every session adds a few thousand rows for the vacuum to merge: with it,
# writing 20,000 synthetic articles peaked at 550 MB of RSS and 2,217 articles per CPU second
# in its second 10,000; without it 318 MB and 2,579 (bench/write_path.py, load average 30).
# A session of at least this many rows writes row groups big enough to leave as they are;
# small sessions (a crawl batch) still vacuum, so tiny row groups do not pile up over years.
VACUUM_SKIP_ROWS = 2048


class Warehouse:
    """The warehouse (a file and its writer lock, or a lake); `write()` opens a session."""

    def __init__(
        self,
        path: str | Path,
        lock_timeout: float = 600.0,
        open_wait: float = 60.0,
        on_wait: Callable[[float], None] | None = None,
        busy_retry: float = 60.0,
    ) -> None:
        self.is_lake = lake.is_lake(path)
        self.path = str(path) if self.is_lake else Path(path)
        self._lake_con: duckdb.DuckDBPyConnection | None = None
        self.lock_timeout = lock_timeout
        self.open_wait = open_wait
        self.on_wait = on_wait
        self.lock_waited = 0.0  # total seconds this writer spent waiting for other writers
        self.sessions = 0  # write sessions opened
        self.longest_session = 0.0  # seconds: the longest this writer held the file (a reader's wait)
        self.readers_let_in = 0.0  # seconds this writer held back its sessions for waiting readers
        # When another process last kept the file from us (`WarehouseBusy`): for `busy_retry`
        # seconds after, `busy` says so and spooling callers spool without waiting again.
        self.busy_retry = busy_retry
        self._busy_at: float | None = None
        self._drained: Drained | None = None  # what this Warehouse merged from the spool

    @property
    def drained(self) -> Drained:
        """What this Warehouse's sessions merged from the spool."""
        if self._drained is None:
            from warehouse.spool import Drained

            self._drained = Drained()
        return self._drained

    @property
    def busy(self) -> bool:
        return self._busy_at is not None and time.monotonic() - self._busy_at < self.busy_retry

    def session_stats(self) -> dict[str, float]:
        """What this writer's sessions cost others, for the run's log line: how many, the longest
        (how long a reader could wait for it), and the time spent waiting for other writers and readers."""
        return {
            "write_sessions": self.sessions,
            "longest_session_s": round(self.longest_session, 2),
            "lock_waited_s": round(self.lock_waited, 2),
            "readers_let_in_s": round(self.readers_let_in, 2),
        }

    def close(self) -> None:
        """Detach the lake connection, if one is open (a file is closed after every session)."""
        if self._lake_con is not None:
            self._lake_con.close()
            self._lake_con = None

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextmanager
    def write(self, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A migrated connection for one write session, exclusive among regionews writers on a file.

        With `wait`, the writer lock and the file (a reader may hold it) must both be had
        within that many seconds in all, else `WarehouseBusy` is raised and nothing was
        written: the caller can retry later or keep its batches elsewhere meanwhile.
        """
        if self.is_lake:
            if self._lake_con is None:
                self._lake_con = connect(self.path)
            self.sessions += 1
            yield self._lake_con
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(f"cannot create the folder for {self.path}: {exc.strerror}") from exc
        started = time.monotonic()
        lock = FileLock(str(self.lock_path), timeout=self.lock_timeout if wait is None else wait)
        try:
            lock.acquire()
        except Timeout as exc:
            waited = time.monotonic() - started
            raise WarehouseBusy(
                f"another regionews process has been writing to {self.path} for over "
                f"{waited:.0f}s; its pages are safe, rerun this command when it is done",
                waited,
            ) from exc
        self.lock_waited += time.monotonic() - started
        try:
            # Readers waiting now open the file first (bounded): see warehouse/turns.py.
            self.readers_let_in += turns.let_readers_in(self.path)
            with turns.writing(self.path):
                open_wait = self.open_wait if wait is None else max(0.0, wait - (time.monotonic() - started))
                try:
                    con = connect(self.path, wait_seconds=open_wait, on_wait=self.on_wait)
                except WarehouseBusy:
                    self._busy_at = time.monotonic()
                    raise
                self._busy_at = None
                self.sessions += 1
                held = time.monotonic()
                try:
                    # Batches spooled while the file was busy go in first, in the order written.
                    if spool_waiting(self.path):
                        from warehouse.spool import drain

                        drained = self.drained
                        drained += drain(con, self.path)  # in place
                    yield con
                finally:
                    con.close()  # the checkpoint: part of what a reader waits for
                    self.longest_session = max(self.longest_session, time.monotonic() - held)
        finally:
            lock.release()

    def write_or_spool(
        self, question: Callable[[duckdb.DuckDBPyConnection], T], spooled: Callable[[], T]
    ) -> T:
        """`question` in one write session; while another process holds the file, `spooled()` instead."""
        if not self.busy:
            with suppress(WarehouseBusy), self.write() as con:
                return question(con)
        return spooled()

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection: works beside other read-only holders (a notebook), not beside a writer."""
        con = connect(self.path, read_only=True, wait_seconds=self.open_wait, on_wait=self.on_wait)
        try:
            yield con
        finally:
            con.close()


@dataclass
class Deferred(Generic[T]):
    """A batch whose write does more than merge its rows (a crawl batch writes its crawl state too).

    `write(con)` runs inside the session's one transaction, in the order batches were added (it
    may call `merge`/`write_batch`: they join the transaction); `spool()` keeps it in the spool
    instead when the warehouse is busy; `done(result)` is told what either returned, once the
    session committed.
    """

    staged: StagedBatch  # its rows: what counts towards the session's size
    write: Callable[[duckdb.DuckDBPyConnection], T]
    spool: Callable[[], T]
    done: Callable[[T], None]


class BatchWriter:
    """Writes staged batches several to a session: one lock, one transaction, one checkpoint.

    `add` keeps a batch in memory. When the kept batches reach `max_bytes` of Arrow data, or
    the oldest was kept `seconds` ago, they are merged in one write session (`flush`), in
    order, in one transaction. The lock is held only while merging, so readers and other
    writers wait at most one session, and a session's size is bounded. A writer killed before
    a session commits loses just the batches kept for that session (the pages stay in their
    files or WARC records); a rerun writes them, once. Leaving the `with` block flushes.
    `add_deferred` keeps a batch that writes more than its rows (`Deferred`) in the same order.
    """

    def __init__(
        self,
        warehouse: Warehouse,
        *,
        seconds: float | None = None,
        max_bytes: int | None = None,
        wait: float | None = None,
        spool_as: str | None = None,
    ) -> None:
        self.warehouse = warehouse
        # With a kind ("load"), batches the warehouse is too busy to take go to the spool.
        self.spool_as = spool_as if not warehouse.is_lake else None
        self.spooled = 0  # articles kept in the spool
        settings = Settings.from_env()  # REGIONEWS_SESSION_SECONDS / _MB unless given
        self.seconds = settings.session_seconds if seconds is None else seconds
        self.max_bytes = int(settings.session_mb * 2**20) if max_bytes is None else max_bytes
        self.wait = wait  # see Warehouse.write: bound on getting the warehouse, else WarehouseBusy
        # Kept, not yet merged (a busy warehouse leaves them here).
        self.pending: list[StagedBatch | Deferred] = []
        from warehouse.writer import WriteCounts

        self.counts = WriteCounts()  # of the plain batches (a Deferred's result goes to its `done`)
        self._bytes = 0
        self._since = 0.0

    def add(self, batch: StagedBatch) -> None:
        """Keep a batch; merge the kept ones when they reach the session's size or age."""
        self._keep(batch, batch.nbytes)

    def add_deferred(self, item: Deferred) -> None:
        """Keep a batch that writes more than its rows; written in order with the others."""
        self._keep(item, item.staged.nbytes)

    def _keep(self, item: StagedBatch | Deferred, nbytes: int) -> None:
        if not self.pending:
            self._since = time.monotonic()
        self.pending.append(item)
        self._bytes += nbytes
        if self._bytes >= self.max_bytes or time.monotonic() - self._since >= self.seconds:
            self.flush()

    def pending_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of `urls` a kept batch will write: as good as stored for a run deciding what to fetch."""
        kept: set[str] = set()
        for item in self.pending:
            kept |= (item.staged if isinstance(item, Deferred) else item).urls()
        return kept.intersection(urls)

    def flush(self) -> WriteCounts:
        """Merge the kept batches now in one session; returns what that session wrote."""
        from warehouse.writer import WriteCounts, merge_body

        if not self.pending:
            return WriteCounts()
        pending = self.pending
        deferred = [item for item in pending if isinstance(item, Deferred)]
        results: list = []

        def body(con: duckdb.DuckDBPyConnection) -> WriteCounts:
            results.clear()  # a lake transaction that conflicted runs again from the start
            counts, run = WriteCounts(), []
            for item in pending:
                if isinstance(item, Deferred):
                    if run:
                        counts += merge_body(con, run)
                        run = []
                    results.append(item.write(con))
                else:
                    run.append(item)
            return counts + merge_body(con, run) if run else counts

        def session(con: duckdb.DuckDBPyConnection) -> WriteCounts:
            rows = sum((b.staged if isinstance(b, Deferred) else b).rows for b in pending)
            if not self.warehouse.is_lake and rows >= VACUUM_SKIP_ROWS:
                con.execute("SET max_vacuum_tasks = 0")  # for the checkpoint on close: see VACUUM_SKIP_ROWS
            return transaction(con, body)

        def spooled() -> WriteCounts:
            self._spool()
            return WriteCounts()

        if self.spool_as is None:
            with self.warehouse.write(self.wait) as con:
                counts = session(con)
        else:
            counts = self.warehouse.write_or_spool(session, spooled)
        self.pending = []
        self._bytes = 0
        self.counts += counts
        for item, result in zip(deferred, results, strict=False):
            item.done(result)
        return counts

    def _spool(self) -> None:
        """Keep every pending batch in the spool, one folder each; the next write session merges them."""
        from warehouse.spool import put

        assert self.spool_as is not None
        for item in self.pending:
            if isinstance(item, Deferred):
                item.done(item.spool())
            else:
                self.spooled += put(self.warehouse.path, self.spool_as, item).articles

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # What was parsed is kept even when the run stops on an error or Ctrl-C, unless the
        # warehouse itself is what failed.
        if not isinstance(exc, WarehouseError):
            self.flush()
