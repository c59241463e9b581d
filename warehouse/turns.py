"""A waiting reader's turn: it gets the warehouse file before the next write session starts.

DuckDB lets a reader open the file only while no writer holds it. With several writers queued
on the writer lock, the lock passes from one to the next and a reader polling for a gap may
never find one. So turns are taken by design, with two kinds of flock-held files beside the
database (the kernel drops a flock when its process dies, so a killed process never blocks
anyone):

- A reader that finds the file held announces itself: `<db>.readers/<pid>-<n>`, locked while
  it waits, removed once it is in (or gives up).
- A writer that has just taken the writer lock first lets the readers announced at that moment
  open the file (`let_readers_in`, at most `READER_TURN` seconds), then holds `<db>.writing`
  from before it opens the file until it has closed it. Readers do not try to open while that
  is held, so a stream of new readers cannot keep a writer out either.

A reader therefore waits for the write session in progress (bounded by `BatchWriter`'s size and
age) and its own poll interval, never for a queue of writers; a writer waits at most
`READER_TURN` plus the queries of the readers already in. Where `fcntl` is missing (Windows)
there are no turns and a reader polls as before.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

# The longest a writer holds back its session for readers announced before it: enough for a
# reader polling every 0.1 s to notice and open the file on a loaded machine.
READER_TURN = 3.0
_POLL = 0.02
_names = itertools.count()


def readers_folder(db: Path) -> Path:
    return db.with_name(db.name + ".readers")


def writing_path(db: Path) -> Path:
    return db.with_name(db.name + ".writing")


class ReaderTurn:
    """A reader's announcement that it waits for the file; `close()` when in or giving up."""

    def __init__(self, db: Path) -> None:
        self.path: Path | None = None
        self._fd: int | None = None
        if fcntl is None:
            return
        folder = readers_folder(db)
        path = folder / f"{os.getpid()}-{next(_names)}"
        try:
            folder.mkdir(exist_ok=True)
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError:  # a folder we may not write to: no turn, the reader just polls
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return
        self.path, self._fd = path, fd

    def close(self) -> None:
        if self._fd is None or self.path is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)  # drops the flock
        self._fd = None


def _held(path: Path) -> bool | None:
    """True while another open file holds `path`'s flock; None when the file is gone."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return None
    finally:
        os.close(fd)  # drops our shared flock, if we got it
    return False


def waiting_readers(db: Path) -> list[Path]:
    """Announcements of readers waiting now (a dead reader's stale file is removed)."""
    if fcntl is None:
        return []
    try:
        entries = list(readers_folder(db).iterdir())
    except OSError:
        return []
    live = []
    for path in entries:
        held = _held(path)
        if held:
            live.append(path)
        elif held is False:
            with contextlib.suppress(OSError):
                path.unlink()
    return live


def let_readers_in(db: Path, limit: float = READER_TURN) -> float:
    """Wait (at most `limit` s) until the readers waiting now have opened the file; returns the wait.

    Called by a writer holding the writer lock, before it opens the file. Readers announced
    later wait for this writer's session: turns alternate, neither side starves.
    """
    started = time.monotonic()
    waiting = waiting_readers(db)
    while waiting and time.monotonic() - started < limit:
        time.sleep(_POLL)
        waiting = [p for p in waiting if _held(p)]
    return time.monotonic() - started


def writer_active(db: Path) -> bool:
    """A writer is opening or holding the file: a reader should not try to open it now."""
    return fcntl is not None and bool(_held(writing_path(db)))


@contextlib.contextmanager
def writing(db: Path) -> Iterator[None]:
    """Held by a writer from before it opens the file until it has closed it."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(writing_path(db), os.O_CREAT | os.O_RDWR, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # readers only ever hold it for a test of a few microseconds
        yield
    finally:
        os.close(fd)
