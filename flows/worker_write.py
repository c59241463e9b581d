"""Parse and write on the worker: with a DuckLake warehouse, Dask workers commit their own batches.

A DuckDB file has one writer, so there the flow's process writes every batch the workers
parsed. A DuckLake takes concurrent commits from any machine, so with the Dask task runner a
worker parses a batch and commits it itself (one lake connection per worker process, kept for
the worker's life): the articles never travel back to the flow, which only gets a slim copy
of each result (url, outcome, parser, failure reason; no bytes, no text) for its counts and logs.
`load` and `reparse` send their parse-and-write batches here; the crawl sends its own
(`flows.crawl.parse_and_write_crawl_batch`, which also records revisits and list pages).

A loaded page's bytes are ours before its row is: as the flow does on a file (flows/keeping.py),
the worker appends the pages of its batch that the warehouse does not keep yet to a WARC file
of its own (`load-<time>-<pid>-*.warc.gz`) in the load's archive folder, which the flow names
by absolute path (a folder every worker sees at the same path: see README "Scaling"), and only
then commits the rows pointing at those records.

Politeness is not a worker's business: the crawl keeps fetching in the flow's process, one
process per site, because delays, concurrency and robots.txt per host need one place that sees
every request to that host. Across machines, give each machine its own sites (a site's fetches
then always come from one process); only parsing and writing spread over the workers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

import duckdb

from flows.archive import WarcArchive
from flows.keeping import Keeper
from flows.pagebatch import read_and_parse
from flows.runner import current_runner, task
from parsers.records import Failure, PageResult
from warehouse import lake
from warehouse.session import Warehouse
from warehouse.writer import write_batch

T = TypeVar("T")

_warehouses: dict[str, Warehouse] = {}
_archives: dict[str, WarcArchive] = {}  # the load archive folder -> this process's WARC writer
_lock = threading.Lock()


def writes_on_workers(db: str) -> bool:
    """True when batches should be committed where they are parsed: a lake, in a flow run on Dask."""
    return lake.is_lake(db) and type(current_runner()).__name__ == "DaskTaskRunner"


def _warehouse(db: str) -> Warehouse:
    with _lock:
        if db not in _warehouses:
            _warehouses[db] = Warehouse(db)
        return _warehouses[db]


def _archive(folder: str) -> WarcArchive:
    """This process's load archive in `folder`, kept open for the worker's life (every record is
    flushed as it is written, so a killed worker leaves every earlier record readable)."""
    with _lock:
        if folder not in _archives:
            _archives[folder] = WarcArchive(folder, prefix="load")  # no base: a lake's locations are absolute
        return _archives[folder]


def connected() -> list[str]:
    """The lakes this process has committed batches to (for tests and diagnostics)."""
    return sorted(_warehouses)


def slim(results: Sequence[PageResult], failures: Sequence[Failure]) -> tuple[list, list]:
    """What the flow needs to count and log a written batch: no page bytes, no article text."""
    out = []
    for r in results:
        page = replace(r.page, body=b"", sha256=r.page.sha256)
        failure = replace(r.failure, body=None, detail="") if r.failure is not None else None
        out.append(replace(r, page=page, article=None, failure=failure))
    return out, [replace(f, body=None, detail="") for f in failures]


def commit(db: str, write: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run one batch's writes on this process's lake connection (one batch at a time per process)."""
    warehouse = _warehouse(db)
    with _lock, warehouse.write() as con:
        return write(con)


@task("parse-write-batch")
def parse_and_write_batch(
    items: Sequence, db: str, archive_dir: str | None = None, kept: frozenset = frozenset()
) -> tuple[list, list]:
    """Read, parse and commit one batch on this worker.

    `archive_dir` (a load): first keep the bytes of the batch's pages in our archive there,
    except the (url, sha256) in `kept`, whose bytes the warehouse keeps already.
    """
    results, failures = read_and_parse(items)
    if archive_dir is not None:
        results = Keeper(_archive(archive_dir), set(kept)).keep(results)
    commit(db, lambda con: write_batch(con, results, failures))
    return slim(results, failures)
