"""The flows as Prefect flows: what `serve`, a configured Prefect API and the Dask runner run.

Each flow only wraps the function that does the work (flows/load.py, reparse.py, enrich.py,
crawl.py), which one-off commands call directly when no Prefect API is configured (see
flows/runner.py). Inside these flow runs the steps declared with `runner.task` become
Prefect tasks, so a run shows its tasks, logs, name and state in the Prefect API.
Importing this module imports Prefect (seconds): only Prefect runs do.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.states import Failed, State

from flows import crawl as crawl_steps
from flows import enrich as enrich_steps
from flows import load as load_steps
from flows import logs
from flows import reparse as reparse_steps
from flows.enrich import BATCH_SIZE, EnrichReport
from warehouse.settings import DEFAULT_DB


def _load_run_name() -> str:
    return logs.run_name("load")


def _reparse_run_name() -> str:
    return logs.run_name("reparse")


def _enrich_run_name() -> str:
    return logs.run_name("enrich")


def _crawl_run_name() -> str:
    return logs.run_name("crawl")


@flow(name="load", log_prints=False, flow_run_name=_load_run_name)
def load_flow(
    paths: list[str], db: str, batch_size: int = 500, progress: bool = True, warc_dir: str | None = None
) -> dict:
    """Load saved pages into the warehouse at `db`; returns the run's counts (see flows.load.load)."""
    return load_steps.load(paths, db, batch_size=batch_size, progress=progress, warc_dir=warc_dir)


@flow(name="reparse", flow_run_name=_reparse_run_name)
def reparse_flow(db: str, site: str | None = None, batch_size: int = 500, progress: bool = True) -> dict:
    """Re-parse stored pages parsed by an older parser version (see flows.reparse.reparse)."""
    return reparse_steps.reparse(db, site=site, batch_size=batch_size, progress=progress)


@flow(name="enrich", flow_run_name=_enrich_run_name)
def enrich_flow(db: str | Path, full: bool = False, batch_size: int = BATCH_SIZE) -> EnrichReport:
    """Enrich the warehouse at `db`: clusters, regions, terms, search index (see flows.enrich.enrich)."""
    return enrich_steps.enrich(db, full=full, batch_size=batch_size)


@flow(name="crawl", flow_run_name=_crawl_run_name)
async def crawl_flow(
    sites: list[str] | None = None,
    db: str = str(DEFAULT_DB),
    sites_file: str | None = None,
    connect_to: str | None = None,
    polite: bool = True,
    warc_dir: str | None = None,
    delay: float | None = None,
    backfill: bool = False,
    since: str | None = None,
    revisit: str = "due",
    urls: list[str] | None = None,
) -> list[dict] | State:
    """Crawl the configured sites; returns each site's report as a dict (see flows.crawl.crawl).

    A site that could not be crawled at all ends the run Failed (CrawlFailed), so a scheduled
    run shows as Failed in Prefect, not as a quiet success.
    """
    try:
        return await crawl_steps.crawl(
            sites=sites, db=db, sites_file=sites_file, connect_to=connect_to, polite=polite,
            warc_dir=warc_dir, delay=delay, backfill=backfill, since=since, revisit=revisit, urls=urls,
        )  # fmt: skip
    except crawl_steps.CrawlFailed as failed:
        # A Failed state rather than a raise: Prefect records the run as Failed with this message
        # and no traceback in the logs; calling the flow still raises CrawlFailed.
        return Failed(message=str(failed), data=failed)
