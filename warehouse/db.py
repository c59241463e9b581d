"""Connecting to the warehouse: open the DuckDB file (or attach the DuckLake) and bring its schema up to date.

A warehouse address is a DuckDB file path, or `ducklake:postgres:<DSN>` for a DuckLake with a
PostgreSQL catalog (`warehouse/lake.py`); both get the same migrations, queries and writes.
Schema changes are numbered SQL files in `warehouse/migrations/`, applied in order and
recorded in `schema_migrations`; a landed migration is never edited. On DuckLake they are
applied without the key constraints and indexes it does not support (`lake.for_lake`).
"""

from __future__ import annotations

import contextlib
import importlib
import random
import re
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

from warehouse import lake

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.(sql|py)$")


T = TypeVar("T")
CONFLICT_RETRIES = 30


class WarehouseError(Exception):
    """The warehouse file cannot be opened or written; the message says what to do."""


class WarehouseBusy(WarehouseError):
    """The warehouse could not be had within the caller's bound: another process holds it.

    Nothing was written. `waited` is how long the caller waited, in seconds.
    """

    def __init__(self, message: str, waited: float) -> None:
        super().__init__(message)
        self.waited = waited


# A migration is SQL text, or a function of the connection that returns it: a migration whose
# statements depend on the schema the database has (0005 rebuilds tables with whatever columns
# later migrations already added to them) is a Python module with `statements(con) -> str`.
Migration = str | Callable[[duckdb.DuckDBPyConnection], str]


def migrations() -> list[tuple[int, str, Migration]]:
    """(number, file name, SQL or SQL-making function) of every migration shipped, in order."""
    found: list[tuple[int, str, Migration]] = []
    for entry in resources.files("warehouse.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m is None:
            continue
        if m.group(2) == "sql":
            found.append((int(m.group(1)), entry.name, entry.read_text("utf-8")))
        else:
            module = importlib.import_module(f"warehouse.migrations.{entry.name[:-3]}")
            found.append((int(m.group(1)), entry.name, module.statements))
    found.sort(key=lambda m: (m[0], m[1]))
    numbers = [n for n, _, _ in found]
    if len(set(numbers)) != len(numbers):
        raise WarehouseError(f"two migrations share a number: {numbers}")
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations this database has not seen; returns the names applied.

    On DuckLake several processes may start at once: a migration that loses a commit race
    to another process is not an error, the loop reads what is now applied and goes on.
    """
    on_lake = lake.in_lake(con)
    adapt = lake.for_lake if on_lake else (lambda sql: sql)
    for attempt in range(20):
        try:
            return _apply_migrations(con, adapt)
        except duckdb.Error as exc:
            if not (on_lake and lake.is_conflict(exc)) or attempt == 19:
                raise
            time.sleep(0.05 + random.random() * 0.2)
    return []  # unreachable: the last attempt raises


def _apply_migrations(con: duckdb.DuckDBPyConnection, adapt: Callable[[str], str]) -> list[str]:
    con.execute(
        adapt(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ DEFAULT now())"
        )
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for number, name, sql in migrations():
        if number in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            text = sql if isinstance(sql, str) else sql(con)
            if text.strip():
                con.execute(adapt(text))
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
            con.execute("COMMIT")
        except Exception:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def transaction(con: duckdb.DuckDBPyConnection, body: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `body` in one transaction and commit; on DuckLake, run it again when the commit conflicts.

    A DuckDB file has one writer, so its commits never conflict. DuckLake commits are
    optimistic: a commit that loses to one committed meanwhile fails, and the batch is run
    again from the start on the new snapshot (a write batch is an upsert by key, so running it
    again is safe). Gives up with a WarehouseError after `CONFLICT_RETRIES` attempts.
    """
    delay = 0.02
    for attempt in range(1, CONFLICT_RETRIES + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            result = body(con)
            con.execute("COMMIT")
            return result
        except Exception as exc:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            if not lake.is_conflict(exc):
                raise
            if attempt == CONFLICT_RETRIES:
                raise WarehouseError(
                    f"a write conflicted with other writers {attempt} times in a row; "
                    "its pages are safe, rerun to finish"
                ) from exc
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 2.0)
    raise AssertionError("unreachable")


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
    may wait up to `wait_seconds` for the file, retrying with backoff. A DuckLake address
    attaches the lake instead: no file, no waiting (its readers never wait for writers).
    """
    if lake.is_lake(path):
        return _connect_lake(str(path), read_only=read_only)
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
                raise WarehouseBusy(
                    f"{path} is busy: another process holds it (waited {wait_seconds:.0f}s); "
                    "try again shortly",
                    time.monotonic() - start,
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


def _connect_lake(address: str, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    try:
        lake.attach(con, address, read_only=read_only)
        con.execute("SET TimeZone = 'Asia/Shanghai'")
        if read_only:
            try:
                con.execute("SELECT max(version) FROM schema_migrations").fetchone()
            except duckdb.CatalogException:
                raise WarehouseError(
                    f"no warehouse at {address}: run `regionews load` (or migrate) first"
                ) from None
        else:
            migrate(con)
    except lake.LakeError as exc:
        con.close()
        raise WarehouseError(str(exc)) from exc
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"cannot write to {address}: {exc}") from exc
    except WarehouseError:
        con.close()
        raise
    return con
