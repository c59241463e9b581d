"""The read snapshot: a DuckDB file for notebooks and BI tools that never locks the warehouse.

DuckDB lets one process write a file and locks every other process out meanwhile, readers
included: a notebook holding `regionews.duckdb` open would stop the scheduled runs. So after
each run that changed the warehouse, `publish` writes what changed as Parquet parts beside
it, and a small DuckDB file of views over them that is renamed into place:

    data/regionews.read.duckdb               the file analysts open (read_only=True)
    data/regionews.read/gen-000042.duckdb    the same file under its generation's name
    data/regionews.read/gen-000042.json      the parts it reads and where each table stands
    data/regionews.read/<table>/*.parquet    the parts: written once, never changed

A reader keeps the generation it opened for as long as it keeps its connection (the rename
leaves the open file alone, and the parts it reads stay); the next connection sees the
newest. A generation whose file no process holds open (DuckDB locks a file it opens) is
deleted at the next publish, with the parts no other generation reads.

Cost follows what changed: `articles` and `pages` carry `written_at` (migration 0008), so a
publish copies only the rows written since the last one into a new part (a segment) and the
view reads each key's newest version. Once segments hold a fifth as many rows as the base
(or there are 24 of them), the table is written anew as one base. Every other table is small
or narrow: a fingerprint (row count and a hash over every row) says whether it changed, and a
changed one is written whole. Raw bytes (BLOB columns) stay in the live warehouse.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from filelock import FileLock

# Tables that get segments (they have `written_at`): the key that says which version of a row
# is the newest, or () for tables only ever appended to.
INCREMENTAL: dict[str, tuple[str, ...]] = {
    "articles": ("url",),
    "pages": ("url", "sha256"),
    "article_versions": ("url", "version"),
    "list_pages": (),
}
# The jieba tokens behind the full-text index: `regionews search` reads the live warehouse.
SKIP_TABLES = frozenset({"search_docs", "spool_applied"})
SKIP_COLUMNS = frozenset({"merge_key"})  # the writer's own key, no use to a reader
COMPACT_SHARE = 0.2  # segments holding this share of the base's rows: write a new base
MAX_SEGMENTS = 24
STORAGE_VERSION = "v1.0.0"  # the views file opens in any DuckDB from 1.0 on


class SnapshotError(Exception):
    """The snapshot could not be published; the live warehouse is untouched."""


@dataclass
class Published:
    """What one publish did."""

    path: Path
    generation: int
    written: dict[str, int] = field(default_factory=dict)  # table -> rows written to new parts
    rebuilt: list[str] = field(default_factory=list)  # tables written whole as a new base
    removed_generations: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.written or self.rebuilt)


def snapshot_paths(db: str | Path) -> tuple[Path, Path]:
    """(the file analysts open, the folder of generations and parts) for a warehouse file."""
    db = Path(db).resolve()
    return db.with_name(db.stem + ".read.duckdb"), db.with_name(db.stem + ".read")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _gen_name(gen: int) -> str:
    return f"gen-{gen:06d}"


def live_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Base tables of the warehouse's main schema and the columns a reader gets, in order."""
    rows = con.execute(
        "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_catalog, table_schema, table_name) "
        "WHERE c.table_catalog = current_database() AND c.table_schema = 'main' "
        "AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position"
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column, kind in rows:
        if table in SKIP_TABLES:
            continue
        cols = tables.setdefault(table, [])
        if column not in SKIP_COLUMNS and kind != "BLOB":
            cols.append(column)
    return {t: c for t, c in tables.items() if c}


def live_views(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The warehouse's own views (name -> CREATE VIEW statement), recreated in the snapshot."""
    rows = con.execute(
        "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
        "AND database_name = current_database() ORDER BY view_name"
    ).fetchall()
    return {name: sql for name, sql in rows}


def _fingerprint(con: duckdb.DuckDBPyConnection, table: str, cols: list[str]) -> str:
    rows, digest = con.execute(
        f"SELECT count(*), coalesce(bit_xor(hash({', '.join(map(_q, cols))})), 0) FROM {_q(table)}"
    ).fetchone()
    return f"{rows}:{digest}"


def _copy(con: duckdb.DuckDBPyConnection, select: str, path: Path, params: list | None = None) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("." + path.name + ".tmp")
    (rows,) = con.execute(
        f"COPY ({select}) TO {_lit(tmp)} (FORMAT parquet, COMPRESSION zstd)", params or []
    ).fetchone()
    os.replace(tmp, path)
    return int(rows)


class _Publisher:
    def __init__(self, con: duckdb.DuckDBPyConnection, folder: Path, gen: int, full: bool) -> None:
        self.con = con
        self.folder = folder
        self.gen = gen
        self.full = full
        self.written: dict[str, int] = {}
        self.rebuilt: list[str] = []

    def part(self, table: str, kind: str) -> Path:
        return self.folder / table / f"{kind}-{self.gen:06d}.parquet"

    def incremental(self, table: str, cols: list[str], old: dict | None) -> dict:
        select = ", ".join(map(_q, cols))
        mark = datetime.fromisoformat(old["high_water"]) if old is not None else None
        (now,) = self.con.execute("SELECT current_timestamp").fetchone()
        # A clock set back behind the last publish could hide rows written since: write it all.
        if old is not None and not self.full and mark is not None and now >= mark:
            new_rows, high = self.con.execute(
                f"SELECT count(*), max(written_at) FROM {_q(table)} WHERE written_at > ?", [mark]
            ).fetchone()
            appended = not INCREMENTAL[table]
            if appended:  # only ever appended to: the parts must add up to the table
                (live,) = self.con.execute(f"SELECT count(*) FROM {_q(table)}").fetchone()
                stored = old["base"]["rows"] + sum(s["rows"] for s in old["segments"])
                if live != stored + new_rows:
                    return self.rebuild(table, cols, select)
            if not new_rows:
                return old
            segments = old["segments"]
            pending = sum(s["rows"] for s in segments) + new_rows
            if len(segments) < MAX_SEGMENTS and pending <= COMPACT_SHARE * max(old["base"]["rows"], 1):
                path = self.part(table, "seg")
                rows = _copy(
                    self.con,
                    f"SELECT {select}, {self.gen} AS _part FROM {_q(table)} WHERE written_at > ?",
                    path,
                    [mark],
                )
                self.written[table] = rows
                entry = {**old, "high_water": high.isoformat()}
                entry["segments"] = [*segments, {"file": self._rel(path), "rows": rows, "part": self.gen}]
                return entry
        return self.rebuild(table, cols, select)

    def rebuild(self, table: str, cols: list[str], select: str) -> dict:
        (high,) = self.con.execute(f"SELECT max(written_at) FROM {_q(table)}").fetchone()
        path = self.part(table, "base")
        rows = _copy(self.con, f"SELECT {select}, {self.gen} AS _part FROM {_q(table)}", path)
        self.written[table] = rows
        self.rebuilt.append(table)
        return {
            "kind": "incremental",
            "columns": cols,
            "key": list(INCREMENTAL[table]),
            "base": {"file": self._rel(path), "rows": rows, "part": self.gen},
            "segments": [],
            "high_water": (high or datetime.fromtimestamp(0, UTC)).isoformat(),
        }

    def whole(self, table: str, cols: list[str], old: dict | None) -> dict:
        fingerprint = _fingerprint(self.con, table, cols)
        if old is not None and not self.full and old.get("fingerprint") == fingerprint:
            return old
        path = self.part(table, "full")
        rows = _copy(self.con, f"SELECT {', '.join(map(_q, cols))} FROM {_q(table)}", path)
        self.written[table] = rows
        return {
            "kind": "whole",
            "columns": cols,
            "file": self._rel(path),
            "rows": rows,
            "fingerprint": fingerprint,
        }

    def _rel(self, path: Path) -> str:
        return str(path.relative_to(self.folder))


def _view_sql(folder: Path, table: str, entry: dict) -> str:
    if entry["kind"] == "whole":
        return f"CREATE VIEW {_q(table)} AS SELECT * FROM read_parquet({_lit(folder / entry['file'])})"
    files = [entry["base"]["file"], *(s["file"] for s in entry["segments"])]
    every = "[" + ", ".join(_lit(folder / f) for f in files) + "]"
    sql = f"CREATE VIEW {_q(table)} AS SELECT * EXCLUDE (_part) FROM read_parquet({every}) p"
    if entry["segments"] and entry["key"]:
        newer = "[" + ", ".join(_lit(folder / s["file"]) for s in entry["segments"]) + "]"
        same = " AND ".join(f"n.{_q(k)} = p.{_q(k)}" for k in entry["key"])
        # a key written again in a later part is read from there
        sql += f" WHERE NOT EXISTS (SELECT 1 FROM read_parquet({newer}) n WHERE {same} AND n._part > p._part)"
    return sql


def _write_views_file(path: Path, folder: Path, manifest: dict) -> None:
    """The generation's DuckDB file: one view per table, then the warehouse's own views."""
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp), config={"storage_compatibility_version": STORAGE_VERSION})
    try:
        for table, entry in manifest["tables"].items():
            con.execute(_view_sql(folder, table, entry))
        pending = dict(manifest["views"])
        while pending:  # views over views: create in dependency order
            made = []
            for name, sql in pending.items():
                try:
                    con.execute(sql)
                    made.append(name)
                except duckdb.CatalogException:
                    continue  # needs another view first, or a table the snapshot leaves out
            if not made:
                break
            for name in made:
                del pending[name]
        con.execute(
            "CREATE TABLE regionews_snapshot AS SELECT ? AS generation, ?::TIMESTAMPTZ AS published_at, "
            "? AS warehouse, ? AS schema_version",
            [
                manifest["generation"],
                manifest["published_at"],
                manifest["warehouse"],
                manifest["schema_version"],
            ],
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    os.replace(tmp, path)


def _generations(folder: Path) -> list[int]:
    gens = []
    for manifest in folder.glob("gen-*.json"):
        try:
            gens.append(int(manifest.stem.removeprefix("gen-")))
        except ValueError:
            continue
    return sorted(gens)


def latest_manifest(folder: Path) -> dict | None:
    """The newest complete generation's manifest (every part still there), or None."""
    for gen in reversed(_generations(folder)):
        try:
            manifest = json.loads((folder / f"{_gen_name(gen)}.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if all((folder / f).exists() for f in _files(manifest)):
            return manifest
    return None


def _files(manifest: dict) -> set[str]:
    files = set()
    for entry in manifest["tables"].values():
        if entry["kind"] == "whole":
            files.add(entry["file"])
        else:
            files.add(entry["base"]["file"])
            files.update(s["file"] for s in entry["segments"])
    return files


def is_open(path: Path) -> bool:
    """Whether some process holds DuckDB's lock on this file (it has it open).

    Probed with a non-blocking exclusive fcntl lock, the kind DuckDB takes. A process never
    conflicts with its own locks, and closing the probe drops this process's locks on the
    file: call it only from a process that has not opened the snapshot itself.
    """
    try:
        # lazy: POSIX only
        import fcntl
    except ImportError:  # no fcntl (Windows): assume a reader, keep the generation
        return True
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also releases the probe's lock
    return False


def collect(folder: Path, current: int) -> int:
    """Delete generations older than `current` that nobody has open, and the parts only they read."""
    removed = 0
    keep: list[dict] = []
    for gen in _generations(folder):
        manifest_path = folder / f"{_gen_name(gen)}.json"
        views = folder / f"{_gen_name(gen)}.duckdb"
        if gen < current and not is_open(views):
            views.unlink(missing_ok=True)
            manifest_path.unlink(missing_ok=True)
            removed += 1
            continue
        try:
            keep.append(json.loads(manifest_path.read_text("utf-8")))
        except (OSError, ValueError):
            continue
    used = set().union(*(_files(m) for m in keep)) if keep else set()
    for part in folder.glob("*/*.parquet"):
        if str(part.relative_to(folder)) not in used:
            part.unlink(missing_ok=True)
    return removed


def publish(con: duckdb.DuckDBPyConnection, db: str | Path, *, full: bool = False) -> Published:
    """Bring the read snapshot of the warehouse `db` (open on `con`) up to date.

    Writes new parts for what changed since the last generation and, if anything did, a new
    generation renamed into place as `<db stem>.read.duckdb`. `full` writes every table anew.
    Runs under a lock in the snapshot folder, so concurrent publishers take turns.
    """
    started = time.monotonic()
    read_path, folder = snapshot_paths(db)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SnapshotError(f"cannot create {folder}: {exc.strerror}") from exc
    with FileLock(str(folder / ".lock")):
        previous = latest_manifest(folder)
        gens = _generations(folder)
        gen = max([0, *gens]) + 1
        (schema_version,) = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        if previous is not None and previous.get("schema_version") != schema_version:
            full = True  # a migration may have rewritten rows without marking them
        publisher = _Publisher(con, folder, gen, full)
        tables: dict[str, dict] = {}
        for table, cols in live_tables(con).items():
            old = (previous or {}).get("tables", {}).get(table)
            if old is not None and old.get("columns") != cols:
                old = None
            if table in INCREMENTAL and "written_at" in cols:
                if old is not None and old.get("kind") != "incremental":
                    old = None
                tables[table] = publisher.incremental(table, cols, old)
            else:
                tables[table] = publisher.whole(table, cols, old)
        views = live_views(con)
        result = Published(read_path, gen, publisher.written, publisher.rebuilt)
        unchanged = (
            previous is not None
            and not publisher.written
            and set(tables) == set(previous["tables"])
            and views == previous.get("views")
            and read_path.exists()
            and _same_file(read_path, folder / f"{_gen_name(previous['generation'])}.duckdb")
        )
        if unchanged:
            assert previous is not None
            result.generation = previous["generation"]
            result.seconds = time.monotonic() - started
            return result
        manifest = {
            "generation": gen,
            "published_at": datetime.now(UTC).isoformat(),
            "warehouse": str(Path(db).resolve()),
            "schema_version": schema_version,
            "tables": tables,
            "views": views,
        }
        views_path = folder / f"{_gen_name(gen)}.duckdb"
        _write_views_file(views_path, folder, manifest)
        _write_json(folder / f"{_gen_name(gen)}.json", manifest)
        link = read_path.with_name("." + read_path.name + ".tmp")
        link.unlink(missing_ok=True)
        try:
            os.link(views_path, link)
        except OSError as exc:
            raise SnapshotError(f"cannot link {views_path} to {link}: {exc.strerror}") from exc
        os.replace(link, read_path)  # the switch: the next open sees this generation
        result.removed_generations = collect(folder, gen)
    result.seconds = time.monotonic() - started
    return result


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def describe(db: str | Path) -> dict | None:
    """The current generation's manifest (for `stats`), or None when nothing was published."""
    read_path, folder = snapshot_paths(db)
    if not read_path.exists() or not folder.exists():
        return None
    return latest_manifest(folder)
