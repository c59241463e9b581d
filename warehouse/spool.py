"""The spool: what a run wrote while another process held the warehouse file.

DuckDB locks a file against every other process while one has it open read-write, and a
notebook's read-only connection locks writers out too. A run that cannot get the file within
a short bound (`WarehouseBusy`) keeps each batch here instead, beside the warehouse:

    data/regionews.spool/20261129T231502123456Z-4711-9f2c1a/   one folder per batch
        meta.json                 kind, when, how many rows of each table
        pages.parquet, articles.parquet, failures.parquet, cleared.parquet
                                  the writer's staged tables, exactly as it would merge them
        versions.parquet, checked.parquet, gone.parquet, list_pages.parquet,
        lists_with_links.parquet, runs.parquet      what a crawl batch records beside them

A batch is written into a dot-folder and renamed into place, so a folder without a dot is
complete. The next write session (any write command, or `regionews flush`) merges every batch
in the order written, each in ONE transaction with its row in `spool_applied` (migration
0008), then deletes the folder: a crash after that commit leaves a folder whose row says it
was merged, and it is deleted, never merged twice. The merge is the writer's own staged merge,
so dedup and "a rerun changes nothing" hold as for a direct write.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse import crawlstate
from warehouse.db import WarehouseError, transaction
from warehouse.paths import spool_dir
from warehouse.writer import StagedBatch, WriteCounts, merge_body, stage

RUN_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()), ("flow", pa.string()), ("site", pa.string()),
        ("started_at", pa.timestamp("us", tz="UTC")), ("finished_at", pa.timestamp("us", tz="UTC")),
        ("status", pa.string()), ("inputs", pa.string()), ("counts", pa.string()),
    ]
)  # fmt: skip
_URLS = pa.schema([("url", pa.string())])
_STAGED = ("pages", "articles", "failures", "cleared")  # the writer's StagedBatch, table by table
_GONE = pa.schema([("url", pa.string()), ("at", pa.timestamp("us", tz="UTC")), ("reason", pa.string())])


@dataclass
class CrawlExtras:
    """What a crawl batch records beside pages, articles and failures (see flows.crawl.BatchWrite)."""

    versions: list[dict] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    checked_at: datetime | None = None
    gone: list[tuple[str, datetime, str]] = field(default_factory=list)
    list_rows: list[dict] = field(default_factory=list)
    lists_with_links: list[str] = field(default_factory=list)
    runs: list[dict] = field(default_factory=list)

    def tables(self) -> dict[str, pa.Table]:
        out = {
            "versions": pa.Table.from_pylist(self.versions, schema=crawlstate.VERSION_SCHEMA),
            "checked": pa.Table.from_pylist([{"url": u} for u in self.checked], schema=_URLS),
            "gone": pa.Table.from_pylist(
                [{"url": u, "at": at, "reason": r} for u, at, r in self.gone], schema=_GONE
            ),
            "list_pages": pa.Table.from_pylist(self.list_rows, schema=crawlstate.LIST_PAGE_SCHEMA),
            "lists_with_links": pa.Table.from_pylist(
                [{"url": u} for u in self.lists_with_links], schema=_URLS
            ),
            "runs": pa.Table.from_pylist(self.runs, schema=RUN_SCHEMA),
        }
        return {name: t for name, t in out.items() if t.num_rows}


@dataclass(frozen=True)
class SpoolBatch:
    """One complete batch folder."""

    name: str
    path: Path
    meta: dict

    @property
    def articles(self) -> int:
        return int(self.meta.get("rows", {}).get("articles", 0))

    def tables(self) -> dict[str, pa.Table]:
        return {p.stem: pq.read_table(p) for p in sorted(self.path.glob("*.parquet"))}


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def put(db: str | Path, kind: str, staged: StagedBatch, extras: CrawlExtras | None = None) -> SpoolBatch:
    """Keep one batch in the spool, atomically (a dot-folder renamed into place once complete)."""
    folder = spool_dir(db)
    tables = {name: getattr(staged, name) for name in _STAGED if getattr(staged, name).num_rows}
    tables.update(extras.tables() if extras else {})
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{os.getpid()}-{secrets.token_hex(3)}"
    tmp = folder / f".tmp-{name}"
    try:
        tmp.mkdir(parents=True)
        for table, data in tables.items():
            pq.write_table(data, tmp / f"{table}.parquet", compression="zstd")
            _fsync(tmp / f"{table}.parquet")
        meta = {
            "kind": kind,
            "spooled_at": datetime.now(UTC).isoformat(),
            "pid": os.getpid(),
            "rows": {t: d.num_rows for t, d in tables.items()},
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
        _fsync(tmp / "meta.json")
        _fsync(tmp)
        os.rename(tmp, folder / name)
        _fsync(folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise WarehouseError(
            f"the warehouse is busy and the spool {folder} cannot be written: {exc}"
        ) from exc
    return SpoolBatch(name, folder / name, meta)


def pending(db: str | Path) -> list[SpoolBatch]:
    """The complete batches waiting to be merged, oldest first."""
    folder = spool_dir(db)
    if not folder.is_dir():
        return []
    batches = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_dir():
            continue
        try:
            meta = json.loads((path / "meta.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue  # not ours, or damaged: left for a person to look at (stats shows the folder)
        batches.append(SpoolBatch(path.name, path, meta))
    return batches


@dataclass(frozen=True)
class SpoolSummary:
    batches: int
    articles: int
    pages: int
    oldest: datetime | None
    bytes: int


def summary(db: str | Path) -> SpoolSummary:
    """What is waiting in the spool, for `stats` and `check`."""
    batches = pending(db)
    size = sum(f.stat().st_size for b in batches for f in b.path.iterdir() if f.is_file())
    oldest = datetime.fromisoformat(batches[0].meta["spooled_at"]) if batches else None
    return SpoolSummary(
        len(batches),
        sum(b.articles for b in batches),
        sum(int(b.meta.get("rows", {}).get("pages", 0)) for b in batches),
        oldest,
        size,
    )


_KNOWN: dict[Path, tuple[tuple[str, ...], frozenset[str]]] = {}


def known_urls(db: str | Path, urls: Sequence[str]) -> set[str]:
    """Which of `urls` the spool holds as a page or an article (read once per set of batches)."""
    batches = pending(db)
    if not batches or not urls:
        return set()
    names = tuple(b.name for b in batches)
    cached = _KNOWN.get(spool_dir(db))
    if cached is None or cached[0] != names:
        held: set[str] = set()
        for b in batches:
            for table in ("pages", "articles"):
                path = b.path / f"{table}.parquet"
                if path.exists():
                    held.update(pq.read_table(path, columns=["url"]).column("url").to_pylist())
        cached = (names, frozenset(held))
        _KNOWN[spool_dir(db)] = cached
    return {u for u in urls if u in cached[1]}


@dataclass
class Drained:
    """What merging the spool did: batches merged (or found merged before) and the writer's counts."""

    batches: int = 0
    counts: WriteCounts = field(default_factory=WriteCounts)

    def __iadd__(self, other: Drained) -> Drained:
        self.batches += other.batches
        self.counts += other.counts
        return self


def merge_one(con: duckdb.DuckDBPyConnection, batch: SpoolBatch) -> WriteCounts | None:
    """Merge one batch in one transaction with its `spool_applied` row; None if merged before."""
    tables = batch.tables()

    def body(con: duckdb.DuckDBPyConnection) -> WriteCounts | None:
        if con.execute("SELECT 1 FROM spool_applied WHERE batch = ?", [batch.name]).fetchone():
            return None
        rows = {name: t.to_pylist() for name, t in tables.items() if name not in _STAGED}
        crawlstate.record_versions(con, rows.get("versions", []))  # before the new text overwrites the old
        empty = stage([])
        staged = StagedBatch(**{name: tables.get(name, getattr(empty, name)) for name in _STAGED})
        counts = merge_body(con, [staged])
        if "pages" in tables:
            crawlstate.clear_fetch_failures(con, tables["pages"].column("url").to_pylist())
        if rows.get("checked"):
            at = datetime.fromisoformat(batch.meta["spooled_at"])
            crawlstate.mark_checked(con, [r["url"] for r in rows["checked"]], at)
        crawlstate.mark_withdrawn(con, [(r["url"], r["at"], r["reason"]) for r in rows.get("gone", [])])
        crawlstate.record_list_pages(con, rows.get("list_pages", []))
        crawlstate.clear_discover_failures(con, [r["url"] for r in rows.get("lists_with_links", [])])
        if "runs" in tables:
            _merge_runs(con, tables["runs"])
        con.execute(
            "INSERT INTO spool_applied (batch, kind, applied_at) VALUES (?, ?, current_timestamp)",
            [batch.name, batch.meta.get("kind")],
        )
        return counts

    return transaction(con, body)


def _merge_runs(con: duckdb.DuckDBPyConnection, runs: pa.Table) -> None:
    """A run started while the file was busy is inserted; one that finished is updated."""
    con.register("_spooled_runs", runs)
    try:
        con.execute(
            "INSERT INTO runs BY NAME SELECT * FROM _spooled_runs r "
            "WHERE r.run_id NOT IN (SELECT run_id FROM runs) QUALIFY row_number() OVER "
            "(PARTITION BY r.run_id ORDER BY r.finished_at DESC NULLS LAST) = 1"
        )
        con.execute(
            "UPDATE runs SET finished_at = r.finished_at, status = r.status, counts = r.counts "
            "FROM _spooled_runs r WHERE runs.run_id = r.run_id AND r.finished_at IS NOT NULL"
        )
    finally:
        con.unregister("_spooled_runs")


def drain(con: duckdb.DuckDBPyConnection, db: str | Path) -> Drained:
    """Merge every waiting batch, oldest first, and remove each once its transaction committed."""
    done = Drained()
    for batch in pending(db):
        try:
            counts = merge_one(con, batch)
        except (duckdb.Error, OSError, pa.ArrowException) as exc:
            raise WarehouseError(
                f"spooled batch {batch.path} could not be merged ({exc}); it is kept: "
                "fix the cause and run `regionews flush`"
            ) from exc
        shutil.rmtree(batch.path, ignore_errors=True)
        done.batches += 1
        if counts is not None:
            done.counts += counts
    folder = spool_dir(db)
    if done.batches and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    return done
