"""Connecting to the warehouse: open the DuckDB file (or attach the DuckLake) and bring its schema up to date.

A warehouse address is a DuckDB file path, or `ducklake:postgres:<DSN>` for a DuckLake with a
PostgreSQL catalog (`warehouse/lake.py`); both get the same migrations, queries and writes.
Schema changes are numbered SQL files in `warehouse/migrations/`, applied in order and
recorded in `schema_migrations`; a landed migration is never edited. On DuckLake they are
applied without the key constraints and indexes it does not support (`lake.for_lake`).
Writers migrate on connect; readers never write, so they refuse a schema older or newer than
this code knows. Every read connection is a sandbox (`sandbox`, `lake.sandbox` on a lake): it
reads the warehouse and nothing else.
"""

from __future__ import annotations

import contextlib
import importlib
import random
import re
import time
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

from warehouse import extensions as bundled
from warehouse import lake, turns

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.(sql|py)$")
# DuckDB must never fetch an extension on its own: a SQLite file given as --db would
# otherwise make it download sqlite_scanner, and a query could pull in httpfs.
_NO_AUTO_EXTENSIONS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


T = TypeVar("T")
CONFLICT_RETRIES = 30
_OPEN: set[int] = set()  # connections inside `transaction` now (by id): a nested call joins them


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


# Commits this process ran again because a concurrent one won (a lake's optimistic commits):
# what a benchmark of several writers reports beside its rate.
conflicts = [0]


def transaction(con: duckdb.DuckDBPyConnection, body: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `body` in one transaction and commit; on DuckLake, run it again when the commit conflicts.

    A DuckDB file has one writer, so its commits never conflict. DuckLake commits are
    optimistic: a commit that loses to one committed meanwhile fails, and the batch is run
    again from the start on the new snapshot (a write batch is an upsert by key, so running it
    again is safe). Gives up with a WarehouseError after `CONFLICT_RETRIES` attempts.
    """
    if id(con) in _OPEN:
        # Inside the caller's transaction (a spooled batch merges as one): the caller commits,
        # or runs it all again on a conflict.
        return body(con)
    delay = 0.02
    for attempt in range(1, CONFLICT_RETRIES + 1):
        con.execute("BEGIN TRANSACTION")
        _OPEN.add(id(con))
        try:
            result = body(con)
            con.execute("COMMIT")
            return result
        except Exception as exc:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            if not lake.is_conflict(exc):
                raise
            conflicts[0] += 1
            if attempt == CONFLICT_RETRIES:
                raise WarehouseError(
                    f"a write conflicted with other writers {attempt} times in a row; "
                    "its pages are safe, rerun to finish"
                ) from exc
        finally:
            _OPEN.discard(id(con))
        time.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 2.0)
    raise AssertionError("unreachable")


def sandbox(
    con: duckdb.DuckDBPyConnection,
    *,
    extensions: Sequence[str] = (),
    allowed_directories: Sequence[str | Path] = (),
) -> None:
    """Shut a read connection in: from now on it reads the attached warehouse and nothing else.

    A read-only DuckDB connection still writes files with `COPY ... TO`, attaches other
    databases read-write, reads any file (`read_text`) and installs extensions. So external
    access is switched off (no files, no network, no extension loading) and the configuration
    locked, after the project's own setup: the bundled `extensions` are loaded first, and
    `allowed_directories` (e.g. an export's target folder) stay writable. Every reader goes
    through here (any other backend, e.g. DuckLake, must be shut in by this same function).
    """
    if _locked(con):
        # Another connection of this process shares the database instance and shut it in already.
        if extensions or allowed_directories:
            raise WarehouseError(
                "another read connection to this warehouse is open in this process; close it first"
            )
        return
    try:
        bundled.load(con, *extensions)
    except bundled.ExtensionUnavailable as exc:
        raise WarehouseError(str(exc)) from exc
    if allowed_directories:
        dirs = ", ".join(f"'{_sql_string(Path(d).resolve())}/'" for d in allowed_directories)
        con.execute(f"SET allowed_directories = [{dirs}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def _locked(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT current_setting('lock_configuration')").fetchone()[0])


def _sql_string(value: object) -> str:
    return str(value).replace("'", "''")


def _check_file(path: Path) -> None:
    """Refuse a file that is not a DuckDB database before DuckDB tries to read it as something else."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(16)
    if head[8:12] == _DUCKDB_MAGIC:
        return
    kind = "a SQLite database" if head.startswith(b"SQLite format 3") else "not a DuckDB database"
    raise WarehouseError(f"{path} is not a regionews warehouse ({kind}); point --db at a warehouse file")


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        row[0]
        for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    }


def schema_state(
    con: duckdb.DuckDBPyConnection, tables: set[str] | None = None
) -> tuple[list[str], list[int]]:
    """(names of shipped migrations this database lacks, applied versions this code does not know)."""
    known = {number: name for number, name, _ in migrations()}
    applied: set[int] = set()
    if "schema_migrations" in (_tables(con) if tables is None else tables):
        applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    return [known[n] for n in sorted(known) if n not in applied], sorted(applied - set(known))


def check_schema(con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
    """A newer schema than this code knows is never touched; a reader needs the current one;
    another application's DuckDB file is not ours to add tables to."""
    tables = _tables(con)
    if tables and "schema_migrations" not in tables:
        raise WarehouseError(
            f"{path} is not a regionews warehouse (a DuckDB file with other tables); "
            "point --db at a warehouse file or a new path"
        )
    missing, unknown = schema_state(con, tables)
    if unknown:
        raise WarehouseError(
            f"{path} was written by a newer regionews (schema migrations {unknown} are unknown to this "
            "version): upgrade regionews to use it; nothing was changed"
        )
    if read_only and not tables:
        raise WarehouseError(f"{path} holds no warehouse yet: run `regionews load` or `make demo` first")
    if read_only and missing:
        raise WarehouseError(
            f"{path} has an older schema (missing {', '.join(missing)}): "
            "run `regionews migrate` (or any write command) first"
        )


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "being used by another process" in text


def connect(
    path: str | Path,
    *,
    read_only: bool = False,
    wait_seconds: float = 0.0,
    on_wait: Callable[[float], None] | None = None,
    extensions: Sequence[str] = (),
    allowed_directories: Sequence[str | Path] = (),
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection is migrated first, a read-only one is sandboxed.

    DuckDB lets one process write and locks other processes out meanwhile, so a caller
    may wait up to `wait_seconds` for the file, retrying with backoff. A read-only connection
    loads the bundled `extensions` it needs, may write only under `allowed_directories`, and
    can do nothing else outside the warehouse (see `sandbox`). A DuckLake address attaches the
    lake instead: no file, no waiting (its readers never wait for writers).
    """
    if lake.is_lake(path):
        return _connect_lake(str(path), read_only=read_only)
    path = Path(path)
    if str(path) != ":memory:":
        if read_only and not path.exists():
            raise WarehouseError(f"no warehouse at {path}: run `regionews load` or `make demo` first")
        if path.is_dir():
            raise WarehouseError(f"{path} is a folder, not a regionews warehouse; point --db at a file")
        _check_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseError(f"cannot create the folder for {path}: {exc.strerror}") from exc
    start = time.monotonic()
    deadline = start + wait_seconds
    delay = 0.05
    told = 0.0
    turn: turns.ReaderTurn | None = None  # a waiting reader announces itself: see warehouse/turns.py
    try:
        while True:
            busy: Exception | None = None
            if read_only and turns.writer_active(path):
                # A writer is opening the file or in its session: trying now would only keep it out.
                busy = WarehouseBusy("a writer is in its session", 0.0)
            else:
                try:
                    con = duckdb.connect(str(path), read_only=read_only, config=dict(_NO_AUTO_EXTENSIONS))
                    break
                except duckdb.IOException as exc:
                    if not _is_lock_error(exc):
                        raise WarehouseError(f"cannot open {path}: {exc}") from exc
                    busy = exc
                except duckdb.Error as exc:
                    raise WarehouseError(f"{path} is not a regionews warehouse: {exc}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"{path} is busy: another process holds it (waited {wait_seconds:.0f}s); "
                    "try again shortly",
                    time.monotonic() - start,
                ) from busy
            if read_only and turn is None:
                turn = turns.ReaderTurn(path)
            waited = time.monotonic() - start
            if on_wait is not None and waited - told >= 1.0:
                on_wait(waited)
                told = waited
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            # A reader polls often, to be in as soon as its turn comes; a writer waits for readers' queries.
            delay = min(delay * 2, 0.1 if read_only else 0.25)
    finally:
        if turn is not None:
            turn.close()
    try:
        if not (read_only and _locked(con)):
            # Show times as the sites print them; readers set it for every session of the instance.
            con.execute(f"SET {'GLOBAL ' if read_only else ''}TimeZone = 'Asia/Shanghai'")
        check_schema(con, path, read_only=read_only)
        if read_only:
            sandbox(con, extensions=extensions, allowed_directories=allowed_directories)
        else:
            migrate(con)
    except WarehouseError:
        con.close()
        raise
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"cannot {'read' if read_only else 'write to'} {path}: {exc}") from exc
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
