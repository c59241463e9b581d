"""The reparse flow: re-parse stored pages whose parser has a new version, without refetching.

"What is left to do" is a query: pages whose recorded parser version differs from the
registry's. Their bytes are read back from the file or WARC record they came from, parsed
again in batches, and written over the old results (articles update in place by URL). On a
DuckLake with Dask workers each worker reads, parses and commits its batch (flows/worker_write.py).
While another process holds the warehouse file (a notebook's read-only connection), the run
reads its list beside that reader and spools its batches, as `load` does (warehouse/spool.py).
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import duckdb

from flows import logs
from flows.archive import warehouse_folder
from flows.inputs import StoredPage
from flows.load import LoadSummary, batch_submitter, finish_or_spool, story_batches
from flows.progress import Progress
from flows.publish import publish_after_run
from flows.runner import in_order, prefect_flow
from parsers.registry import PARSERS, by_name
from warehouse import spool
from warehouse.runs import start_run
from warehouse.session import BatchWriter, Warehouse
from warehouse.settings import Settings
from warehouse.stored_pages import stale_pages
from warehouse.writer import record_sites, stage


def _stored(row: tuple, base: str | None) -> StoredPage:
    url, sha, origin, location, offset, fetched_at, status, headers, final_url = row
    pairs = tuple(json.loads(headers).items()) if headers else ()
    return StoredPage(url, sha, origin, location, offset, fetched_at, status or 200, pairs, final_url, base)


def reparse(db: str, site: str | None = None, batch_size: int = 500, progress: bool = True) -> dict:
    """Re-parse every stored page parsed by an older parser version (of `site`, or of all sites)."""
    started = time.monotonic()
    if site is not None:
        by_name(site)  # an unknown name fails here with the list of known ones
    versions = {p.name: p.version for p in PARSERS}
    folder = warehouse_folder(db)
    base = str(folder) if folder else None
    # Waits REGIONEWS_BUSY_WAIT for a file another process holds, then spools instead.
    warehouse = Warehouse(db, open_wait=Settings.from_env().busy_wait)
    run = {"flow": "reparse", "site": site, "started_at": datetime.now(UTC)}
    todo: list[StoredPage] = []

    def stale(con: duckdb.DuckDBPyConnection) -> str:
        nonlocal todo
        todo = [_stored(row, base) for row in stale_pages(con, versions, site)]
        return f"{len(todo)} stale pages"

    def begin(con: duckdb.DuckDBPyConnection) -> str:
        record_sites(con, [(p.name, p.version, p.working, p.broken_reason) for p in PARSERS])
        return start_run(con, "reparse", site=site, inputs=stale(con))

    def begin_spooled() -> str:
        with warehouse.read() as con:  # beside the reader that keeps us out
            run["inputs"] = stale(con)
        run["run_id"], run["status"] = str(uuid.uuid4()), "running"
        spool.put(db, "reparse", stage([]), spool.CrawlExtras(runs=[dict(run)]))
        return run["run_id"]

    run_id = warehouse.write_or_spool(begin, begin_spooled)
    run["run_id"] = run_id
    summary = LoadSummary(run_id=run_id)
    bar = Progress(total=len(todo), label="reparse", enabled=progress)
    status = "failed"
    submit, on_workers = batch_submitter(db)
    writer = BatchWriter(warehouse, spool_as="reparse")
    try:
        with writer:
            for batch, (results, bad) in in_order(submit, story_batches(todo, batch_size)):
                if not on_workers:
                    writer.add(stage(results, bad))
                summary.add(results, bad)
                logs.page_outcomes(run_id, results, bad)
                bar.advance(len(batch))
        status = "completed"
    finally:
        bar.close()
        finish_or_spool(warehouse, "reparse", run, status, summary, writer)
        logs.run_done(
            "reparse",
            run_id,
            status,
            time.monotonic() - started,
            {**summary.as_counts(), **warehouse.session_stats()},
        )
    # A reparse with nothing to do (no stale pages) leaves the snapshot as it is, as load does.
    publish_after_run(db, changed=bool(summary.pages))
    return {"run_id": run_id, **summary.as_counts()}


def __getattr__(name: str):
    if name == "reparse_flow":  # the Prefect flow wrapping `reparse` (imports Prefect)
        return prefect_flow("reparse")
    raise AttributeError(name)
