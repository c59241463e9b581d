"""The crawl flow: discover -> fetch -> archive -> parse -> warehouse, per site, in batches.

Sites run concurrently (each host keeps its own manners in the fetcher); within a site,
article URLs go in batches: fetch the batch (and the continuation pages of paginated
stories), parse it with `process_pages`, write it with `write_batch`. Every step is a plain
function; the Prefect tasks wrap them one batch per task run, never one page per task.

Crash safety: every response is in the WARC before it is parsed, each batch commits in one
transaction, and a list page is recorded only after all of its articles are, so a killed
crawl rerun walks the lists again, skips what is stored and fetches what is missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

import duckdb
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote  # skips Prefect's walk over big inputs (page bodies)

from flows import logs
from flows.archive import WarcArchive
from flows.discover import Discovery, continuation_links, discover
from flows.fetch import Fetched, Fetcher
from flows.runner import task_input, with_runner
from flows.sites import Registry, Site, load_sites
from parsers.base import SiteParser
from parsers.process import process_pages
from parsers.records import Failure, Page, PageResult
from parsers.registry import by_name
from warehouse import crawlstate
from warehouse.db import WarehouseError
from warehouse.runs import finish_run, start_run
from warehouse.session import Warehouse
from warehouse.writer import WriteCounts, record_sites, write_batch

DEFAULT_DB = "data/regionews.duckdb"
T = TypeVar("T")
MAX_PARTS = 50  # continuation pages followed per story, a bound against a pagination trap


@dataclass
class SiteReport:
    """What one site's crawl did; the summary table and the `runs.counts` JSON are built from it."""

    site: str
    lists_fetched: int = 0
    lists_unchanged: int = 0
    discovered: int = 0
    skipped_known: int = 0
    fetched: int = 0  # article pages fetched whole (continuations included)
    unchanged: int = 0  # 304s: no parse
    articles_new: int = 0
    articles_updated: int = 0
    not_articles: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # reason -> count (fetch and parse)
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    stopped: dict[str, str] = field(default_factory=dict)
    status: str = "running"

    def counts(self) -> dict:
        out = asdict(self)
        out["failures"] = dict(self.failures)
        return out


@dataclass
class CrawlContext:
    """What every step of one crawl shares: the client, the archive, the warehouse connection."""

    registry: Registry
    fetcher: Fetcher
    archive: WarcArchive
    warehouse: Warehouse  # held one short session at a time, so readers and other writers get in between
    on_progress: Callable[[SiteReport], None] = lambda report: None
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def ask(self, question: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run one warehouse session in a worker thread: fetching goes on while DuckDB works."""

        def session() -> T:
            with self.warehouse.write() as con:
                return question(con)

        async with self.write_lock:  # one session at a time in this process
            return await asyncio.to_thread(session)


# -- the steps, as plain functions -------------------------------------------------------


async def discover_site(ctx: CrawlContext, site: Site) -> Discovery:
    return await discover(
        ctx.fetcher,
        site,
        known=lambda urls: ctx.ask(lambda con: crawlstate.known_urls(con, urls)),
        validators=lambda urls: ctx.ask(lambda con: crawlstate.validators(con, urls)),
    )


async def fetch_urls(ctx: CrawlContext, site: Site, urls: Sequence[str]) -> list[Fetched]:
    """Fetch a batch of article URLs and the continuation pages of the stories among them."""
    parser = by_name(site.parser)
    stored = await ctx.ask(lambda con: crawlstate.validators(con, list(urls)))

    async def one(url: str, conditional: bool) -> Fetched:
        etag, modified = stored.get(url, (None, None)) if conditional else (None, None)
        return await ctx.fetcher.fetch(url, site, etag=etag, last_modified=modified)

    results = list(await asyncio.gather(*(one(u, True) for u in urls)))
    seen = set(urls)
    # Only parsers that join paginated stories define article_key; the others have no parts to find.
    paginated = type(parser).article_key is not SiteParser.article_key
    frontier = [r for r in results if r.page is not None] if paginated else []
    for _ in range(MAX_PARTS):
        # Parts 2..N are fetched whole whenever part 1 is: a story is parsed from all its parts.
        more = []
        for r in frontier:
            for link in continuation_links(r.page, parser, site):  # type: ignore[arg-type]
                if link not in seen:
                    seen.add(link)
                    more.append(link)
        if not more:
            break
        frontier = [r for r in await asyncio.gather(*(one(u, False) for u in more))]
        results.extend(frontier)
        frontier = [r for r in frontier if r.page is not None]
    return results


def parse_pages(pages: Sequence[Page], parser_name: str) -> list[PageResult]:
    return process_pages(pages, parser_name)


def write_results(
    con: duckdb.DuckDBPyConnection, results: Sequence[PageResult], failures: Sequence[Failure]
) -> WriteCounts:
    counts = write_batch(con, results, failures)
    crawlstate.clear_fetch_failures(con, [r.page.url for r in results])
    return counts


def list_results(site: Site, lists: Sequence[Fetched]) -> tuple[list[PageResult], list[Failure]]:
    """List pages are recorded as non-articles (never parsed), failed list fetches as failures."""
    parser = by_name(site.parser)
    pages = [
        PageResult(f.page, "not_article", parser.name, parser.version) for f in lists if f.page is not None
    ]
    failures = [f.failure(site.name) for f in lists if f.outcome == "failed"]
    return pages, failures


# -- the Prefect tasks: one batch per task run ---------------------------------------------


@task(name="discover", cache_policy=NO_CACHE)
async def discover_task(ctx: CrawlContext, site: Site) -> Discovery:
    return await discover_site(ctx, site)


@task(name="fetch-batch", cache_policy=NO_CACHE)
async def fetch_task(ctx: CrawlContext, site: Site, urls: list[str]) -> list[Fetched]:
    return await fetch_urls(ctx, site, urls)


@task(name="parse-batch", cache_policy=NO_CACHE)
def parse_task(pages: list[Page], parser_name: str) -> list[PageResult]:
    return parse_pages(pages, parser_name)


async def parse_on_runner(pages: list[Page], parser_name: str) -> list[PageResult]:
    """Parse on the flow's task runner (a thread, or a Dask worker) while fetching goes on here."""
    future = parse_task.submit(task_input(pages), parser_name)
    return await asyncio.to_thread(future.result)


@task(name="write-batch", cache_policy=NO_CACHE)
async def write_task(ctx: CrawlContext, results: list[PageResult], failures: list[Failure]) -> WriteCounts:
    return await ctx.ask(lambda con: write_results(con, results, failures))


# -- one site, then the flow -------------------------------------------------------------


def _tally(report: SiteReport, results: Sequence[PageResult], counts: WriteCounts) -> None:
    report.articles_new += counts.articles_new
    report.articles_updated += counts.articles_updated
    for r in results:
        if r.failure is not None:
            report.failures[r.failure.reason] += 1
        elif r.outcome == "not_article":
            report.not_articles += 1


async def crawl_site(ctx: CrawlContext, site: Site) -> SiteReport:
    report = SiteReport(site.name)
    started = time.monotonic()
    pending: asyncio.Future | None = None
    run_id = await ctx.ask(
        lambda con: start_run(con, "crawl", site.name, json.dumps({"lists": list(site.lists)}))
    )
    before = Counter(ctx.fetcher.site_stats.get(site.name, Counter()))
    try:
        found = await discover_task(quote(ctx), site)
        report.stopped = found.stopped
        report.lists_fetched = sum(f.outcome == "ok" for f in found.lists)
        report.lists_unchanged = sum(f.outcome == "unchanged" for f in found.lists)
        report.discovered = len(found.articles)
        known = await ctx.ask(lambda con: crawlstate.known_urls(con, found.articles))
        todo = [u for u in found.articles if u not in known]
        report.skipped_known = len(found.articles) - len(todo)
        # Pages an earlier crawl could not get for a transient reason are tried again.
        queued = set(todo)
        retry = await ctx.ask(lambda con: crawlstate.retryable_urls(con, site.name))
        todo += [u for u in retry if u not in queued]
        ctx.on_progress(report)
        size = max(1, ctx.registry.settings.batch_size)
        batches = [todo[i : i + size] for i in range(0, len(todo), size)]
        # Fetch batch k+1 while batch k is parsed and written.
        pending = asyncio.ensure_future(fetch_task(quote(ctx), site, quote(batches[0]))) if batches else None
        for k in range(len(batches)):
            assert pending is not None
            fetched = await pending
            pending = (
                asyncio.ensure_future(fetch_task(quote(ctx), site, quote(batches[k + 1])))
                if k + 1 < len(batches)
                else None
            )
            pages = [f.page for f in fetched if f.page is not None]
            failures = [f.failure(site.name) for f in fetched if f.outcome == "failed"]
            report.fetched += len(pages)
            report.unchanged += sum(f.outcome == "unchanged" for f in fetched)
            report.failures.update(f.reason for f in failures)
            results = await parse_on_runner(pages, site.parser) if pages else []
            counts = await write_task(quote(ctx), quote(results), quote(failures))
            _tally(report, results, counts)
            logs.page_outcomes(run_id, results, failures)
            ctx.on_progress(report)
        # Last: the list pages, so a crawl that dies before this point walks them again.
        list_pages, list_failures = list_results(site, found.lists)
        report.failures.update(f.reason for f in list_failures)
        await write_task(quote(ctx), quote(list_pages), quote(list_failures))
        report.status = "completed"
    except BaseException:
        report.status = "failed"
        raise
    finally:
        after = ctx.fetcher.site_stats.get(site.name, Counter())
        report.requests = after["requests"] - before["requests"]
        report.retries = after["retries"] - before["retries"]
        report.seconds = time.monotonic() - started
        ctx.on_progress(report)
        if pending is not None and not pending.done():
            pending.cancel()
        with contextlib.suppress(duckdb.Error, WarehouseError, asyncio.CancelledError):
            # the file may be unreachable after an interrupt
            await ctx.ask(lambda con: finish_run(con, run_id, report.status, report.counts()))
        logs.run_done("crawl", run_id, report.status, report.seconds, report.counts())
    return report


async def crawl_registry(
    registry: Registry,
    *,
    db: str | Path = DEFAULT_DB,
    site_names: Sequence[str] | None = None,
    connect_to: str | None = None,
    polite: bool = True,
    warc_dir: str | Path | None = None,
    on_progress: Callable[[SiteReport], None] | None = None,
) -> list[SiteReport]:
    """Crawl the selected sites (all enabled ones by default) into the warehouse at `db`.

    `polite=False` drops every delay (Crawl-delay included) and allows 8 requests per host:
    for benchmarks against our own replica, never for real sites.
    """
    if not polite:
        registry = registry.impolite(concurrency=8)
    sites = registry.select(list(site_names) if site_names else None)
    warc_dir = Path(warc_dir) if warc_dir else Path(db).parent / "warc"
    warehouse = Warehouse(db)
    parsers = {by_name(s.parser) for s in sites}
    with warehouse.write() as con:
        record_sites(con, [(p.name, p.version, p.working, p.broken_reason) for p in parsers])
    archive = WarcArchive(warc_dir, registry.settings.warc_max_bytes)
    try:
        async with Fetcher(registry.settings, archive, connect_to=connect_to, polite=polite) as fetcher:
            ctx = CrawlContext(registry, fetcher, archive, warehouse, on_progress or (lambda report: None))
            return list(await asyncio.gather(*(crawl_site(ctx, s) for s in sites)))
    finally:
        archive.close()


def _crawl_run_name() -> str:
    return logs.run_name("crawl")


@flow(name="crawl", flow_run_name=_crawl_run_name)
async def crawl_flow(
    sites: list[str] | None = None,
    db: str = DEFAULT_DB,
    sites_file: str | None = None,
    connect_to: str | None = None,
    polite: bool = True,
    warc_dir: str | None = None,
    delay: float | None = None,
) -> list[dict]:
    """Crawl the configured sites; returns each site's report as a dict (see `SiteReport`).

    `delay` replaces every site's delay between requests (robots.txt Crawl-delay still applies).
    """
    registry = load_sites(sites_file)
    if delay is not None:
        registry = registry.with_delay(delay)
    reports = await crawl_registry(
        registry, db=db, site_names=sites, connect_to=connect_to, polite=polite, warc_dir=warc_dir,
        on_progress=_PROGRESS.get(),
    )  # fmt: skip
    return [r.counts() for r in reports]


# The progress callback cannot be a flow parameter (parameters are recorded as JSON).
class _ProgressSlot:
    def __init__(self) -> None:
        self.callback: Callable[[SiteReport], None] | None = None

    def get(self) -> Callable[[SiteReport], None] | None:
        return self.callback


_PROGRESS = _ProgressSlot()


def run_crawl(
    sites: Sequence[str] | None = None,
    *,
    db: str | Path | None = None,
    sites_file: str | Path | None = None,
    connect_to: str | None = None,
    polite: bool = True,
    warc_dir: str | Path | None = None,
    delay: float | None = None,
    on_progress: Callable[[SiteReport], None] | None = None,
) -> list[dict]:
    """Run the crawl flow from synchronous code (the CLI and the demo)."""
    _PROGRESS.callback = on_progress
    try:
        return asyncio.run(
            with_runner(crawl_flow)(
                sites=list(sites) if sites else None,
                db=str(db or os.environ.get("REGIONEWS_DB") or DEFAULT_DB),
                sites_file=str(sites_file) if sites_file else None,
                connect_to=connect_to,
                polite=polite,
                warc_dir=str(warc_dir) if warc_dir else None,
                delay=delay,
            )
        )
    finally:
        _PROGRESS.callback = None
