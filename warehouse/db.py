"""Connecting to the warehouse: open the DuckDB file and bring its schema up to date.

Schema changes are numbered SQL files in `warehouse/migrations/`, applied in order and
recorded in `schema_migrations`; a landed migration is never edited.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import duckdb

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class WarehouseError(Exception):
    """The warehouse file cannot be opened or written; the message says what to do."""


def migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("warehouse.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if len(set(numbers)) != len(numbers):
        raise WarehouseError(f"two migrations share a number: {numbers}")
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations this database has not seen; returns the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ DEFAULT now())"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for number, name, sql in migrations():
        if number in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "being used by another process" in text


def connect(
    path: str | Path,
    *,
    read_only: bool = False,
    wait_seconds: float = 0.0,
    on_wait: Callable[[float], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection is migrated first.

    DuckDB lets one process write and locks other processes out meanwhile, so a caller
    may wait up to `wait_seconds` for the file, retrying with backoff.
    """
    path = Path(path)
    if str(path) != ":memory:":
        if read_only and not path.exists():
            raise WarehouseError(f"no warehouse at {path}: run `regionews load` or `make demo` first")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(f"cannot create the folder for {path}: {exc.strerror}") from exc
    start = time.monotonic()
    deadline = start + wait_seconds
    delay = 0.05
    told = 0.0
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if _is_lock_error(exc) and time.monotonic() < deadline:
                waited = time.monotonic() - start
                if on_wait is not None and waited - told >= 1.0:
                    on_wait(waited)
                    told = waited
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                delay = min(delay * 2, 1.0)
                continue
            if _is_lock_error(exc):
                raise WarehouseError(
                    f"{path} is busy: another process holds it (waited {wait_seconds:.0f}s); "
                    "try again shortly"
                ) from exc
            raise WarehouseError(f"cannot open {path}: {exc}") from exc
    con.execute("SET TimeZone = 'Asia/Shanghai'")  # show times as the sites print them
    if not read_only:
        try:
            migrate(con)
        except duckdb.Error as exc:
            con.close()
            raise WarehouseError(f"cannot write to {path}: {exc}") from exc
    return con
