"""`regionews migrate --to ducklake:…`: copy a warehouse file into an empty DuckLake, verified.

The lake is migrated to the same schema first (same migrations, without the key constraints
DuckLake lacks). Then one lake connection attaches the file read-only and copies every table
of the `main` schema in one DuckLake transaction, so a copy that fails or is killed leaves the
lake empty, never half-filled. Before the commit every table's row count and an
order-independent content hash (`bit_xor` of each row's hash) are compared on both sides, in
the same engine; any difference aborts the copy. Derived state that lives outside `main` (the
FTS index, which DuckLake cannot store; the write fences, made by migration 0009) is not copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from warehouse import lake
from warehouse.db import WarehouseError, connect, transaction

SOURCE = "regionews_source"


@dataclass
class TransferReport:
    tables: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (rows, content hash)

    @property
    def rows(self) -> int:
        return sum(rows for rows, _ in self.tables.values())


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
            "AND NOT temporary ORDER BY table_name",
            [catalog],
        ).fetchall()
    ]


def _fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, int]:
    rows, digest = con.execute(f"SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM {table} t").fetchone()
    return int(rows), int(digest)


def copy_to_lake(source: str | Path, target: str) -> TransferReport:
    """Copy the warehouse file `source` into the empty lake `target`; returns what was verified."""
    if not lake.is_lake(target):
        raise WarehouseError(f"--to must be a DuckLake address (ducklake:postgres:…), not {target}")
    source = Path(source)
    if not source.exists():
        raise WarehouseError(f"no warehouse at {source}")
    # Hold the file's writer lock: no regionews process writes it while it is copied.
    lock = FileLock(str(source.with_name(source.name + ".lock")), timeout=600)
    try:
        lock.acquire()
    except Timeout as exc:
        raise WarehouseError(f"{source} is being written; try again when that run is done") from exc
    try:
        connect(source).close()  # bring the file to the current schema too
        con = connect(target)
        try:
            report = _copy(con, source)
        finally:
            con.close()
    finally:
        lock.release()
    _verify(target, report)
    return report


def _verify(target: str, report: TransferReport) -> None:
    """Read the committed lake back from a fresh connection: every table as verified before commit."""
    con = connect(target, read_only=True)
    try:
        for name, expected in report.tables.items():
            found = _fingerprint(con, name)
            if found != expected:
                raise WarehouseError(
                    f"{name} reads back as {found[0]} rows (hash {found[1]:x}), not {expected[0]}"
                )
    finally:
        con.close()


def _copy(con: duckdb.DuckDBPyConnection, source: Path) -> TransferReport:
    con.execute(f"ATTACH {lake.quote(str(source.resolve()))} AS {SOURCE} (READ_ONLY)")
    try:
        names = _tables(con, SOURCE)
        missing = sorted(set(names) - set(_tables(con, lake.ALIAS)))
        if missing:
            raise WarehouseError(f"the lake has no table for {', '.join(missing)}: is it the same schema?")
        applied = "SELECT version FROM {}.main.schema_migrations ORDER BY version"
        if (
            con.execute(applied.format(SOURCE)).fetchall()
            != con.execute(applied.format(lake.ALIAS)).fetchall()
        ):
            raise WarehouseError("the file and the lake are at different schema versions")
        filled = [
            name
            for name in names
            if name != "schema_migrations" and _fingerprint(con, f"{lake.ALIAS}.main.{name}")[0]
        ]
        if filled:
            raise WarehouseError(
                f"the lake already holds rows ({', '.join(filled)}): migrate --to copies into an empty lake"
            )

        def copy(con: duckdb.DuckDBPyConnection) -> TransferReport:
            report = TransferReport()
            for name in names:
                if name == "schema_migrations":
                    continue
                con.execute(
                    f"INSERT INTO {lake.ALIAS}.main.{name} BY NAME SELECT * FROM {SOURCE}.main.{name}"
                )
                expected = _fingerprint(con, f"{SOURCE}.main.{name}")
                copied = _fingerprint(con, f"{lake.ALIAS}.main.{name}")
                if copied != expected:
                    raise WarehouseError(
                        f"{name}: the lake holds {copied[0]} rows (hash {copied[1]:x}) where the file has "
                        f"{expected[0]} (hash {expected[1]:x}); nothing was committed"
                    )
                report.tables[name] = expected
            return report

        return transaction(con, copy)
    finally:
        con.execute("USE " + lake.ALIAS)
        con.execute(f"DETACH {SOURCE}")
