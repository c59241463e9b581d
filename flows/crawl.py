"""The crawl flow: discover -> fetch -> archive -> parse -> warehouse, per site, in batches.

Sites run concurrently (each host keeps its own manners in the fetcher); within a site, the
walk over lists, sitemaps and feeds (`flows.discover`) yields page after page, and the
article URLs they offer go in batches: fetch the batch (and the continuation pages of
paginated stories), parse it with `process_pages`, hand it to the `BatchWriter`, which merges
several batches, each with its crawl state, per bounded write session (as load does). Known
articles due for a revisit (the site's revisit policy) go through the same batches with
conditional GETs: a changed text becomes a new version, a 404/410 or a redirect off the
article marks it withdrawn. Every step is a plain function; the Prefect tasks wrap them one
batch per task run, never one page per task. On a DuckLake with Dask workers a worker parses
each fetched batch and commits it itself (`parse_and_write_crawl_batch`); fetching stays here,
where each host's delay, concurrency and robots.txt see every request to it.

Crash safety: every response is in the WARC before it is parsed, a batch commits together with
its crawl state (in its session's one transaction), and a list page is recorded only after all
of its articles are. A killed crawl (or backfill) loses at most the batches its writer kept for
the next session; rerun, it walks on from the last recorded page, skips what is stored and
fetches what is missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import duckdb

from flows import logs, worker_write
from flows.archive import WarcArchive, warehouse_folder
from flows.discover import ListPage, Walk, Walker, continuation_links
from flows.fetch import Fetched, Fetcher
from flows.publish import publish_after_run
from flows.revisits import due_urls
from flows.runner import prefect_flow, quote, run_flow, task, task_input
from flows.sites import Registry, RevisitPolicy, Site, load_sites
from parsers.base import SiteParser
from parsers.crawlspec import SiteSources
from parsers.process import process_pages
from parsers.records import Failure, Page, PageResult
from parsers.registry import parser_for
from warehouse import crawlstate, spool
from warehouse.db import WarehouseBusy, WarehouseError, transaction
from warehouse.lake import is_lake
from warehouse.runs import finish_run, start_run
from warehouse.session import BatchWriter, Deferred, Warehouse
from warehouse.settings import DEFAULT_DB, Settings
from warehouse.writer import StagedBatch, WriteCounts, content_hash, merge_body, record_sites, stage

T = TypeVar("T")
MAX_PARTS = 50  # continuation pages followed per story, a bound against a pagination trap


@dataclass(frozen=True, slots=True)
class CrawlMode:
    """What a crawl does beyond walking the front of each list (the CLI's --backfill, --revisit, --urls)."""

    backfill: bool = False
    since: datetime | None = None  # UTC; a backfill goes back to this date (else to each list's end)
    revisit: str = "due"  # due (the site's policy) | all (every known article now) | none
    urls: tuple[str, ...] = ()  # --urls: fetch only these (no lists, sitemaps or feeds)

    def describe(self) -> dict:
        out: dict = {"revisit": self.revisit}
        if self.backfill:
            out["backfill"] = self.since.date().isoformat() if self.since else "to the end"
        if self.urls:
            out["urls"] = len(self.urls)
        return out


@dataclass
class SiteReport:
    """What one site's crawl did; the summary table and the `runs.counts` JSON are built from it."""

    site: str
    lists_fetched: int = 0
    lists_unchanged: int = 0
    discovered: int = 0  # article URLs offered by lists, sitemaps and feeds (or --urls), each once
    skipped_known: int = 0  # of which the warehouse already held
    queued: int = 0  # URLs queued for fetching: new ones, retries, revisits
    fetched: int = 0  # article pages fetched whole (continuations included)
    unchanged: int = 0  # 304s: no parse
    articles_new: int = 0
    articles_updated: int = 0
    spooled: int = 0  # articles kept in the spool: another process held the warehouse
    not_articles: int = 0
    revisited: int = 0  # known articles fetched again (policy, --revisit all, or a newer lastmod)
    edited: int = 0  # of which came back with a changed text (a new version)
    withdrawn: int = 0  # of which were gone (404/410, redirected off the article)
    restored: int = 0  # withdrawn articles that answered again (the withdrawal stays on record)
    sitemap_pages: int = 0  # sitemaps (and indexes) and feeds read
    failures: Counter[str] = field(default_factory=Counter)  # reason -> count (fetch and parse)
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    stopped: dict[str, str] = field(default_factory=dict)
    status: str = "running"
    error: str = ""  # why the site counts as failed (e.g. no list page could be fetched)

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
    writer: BatchWriter  # fetched batches, several per bounded write session, each with its crawl state
    on_progress: Callable[[SiteReport], None] = lambda report: None
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    mode: CrawlMode = CrawlMode()
    workers_commit: bool = False  # a lake on Dask: each batch is parsed and committed on a worker

    async def ask(self, question: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Read in one warehouse session in a worker thread: fetching goes on while DuckDB works.

        While another process holds the file (a notebook's read-only connection), read beside it.
        """

        def session() -> T:
            if not self.warehouse.busy:
                with contextlib.suppress(WarehouseBusy), self.warehouse.write() as con:
                    return question(con)
            with self.warehouse.read() as con:
                return question(con)

        async with self.write_lock:  # one session at a time in this process
            return await asyncio.to_thread(session)

    async def write(self, question: Callable[[duckdb.DuckDBPyConnection], T], spooled: Callable[[], T]) -> T:
        """Write in one warehouse session; while another process holds the file, `spooled()` instead."""

        async with self.write_lock:
            return await asyncio.to_thread(self.warehouse.write_or_spool, question, spooled)

    async def keep(self, item: Deferred) -> None:
        """Hand a batch to the writer (it merges several per session, in order)."""
        async with self.write_lock:
            await asyncio.to_thread(self.writer.add_deferred, item)

    async def flush(self) -> None:
        """Write every batch the writer keeps now (before a run's end is recorded)."""
        async with self.write_lock:
            await asyncio.to_thread(self.writer.flush)

    async def known(self, urls: Sequence[str]) -> set[str]:
        """URLs stored, kept by the writer for its next session, or in the spool: none is fetched again."""
        urls = list(urls)
        stored = await self.ask(lambda con: crawlstate.known_urls(con, urls))
        return stored | self.writer.pending_urls(urls) | await asyncio.to_thread(self.in_spool, urls)

    def in_spool(self, urls: Sequence[str]) -> set[str]:
        return set() if self.warehouse.is_lake else spool.known_urls(self.warehouse.path, urls)


# -- the steps, as plain functions -------------------------------------------------------


async def fetch_urls(ctx: CrawlContext, site: Site, urls: Sequence[str]) -> list[Fetched]:
    """Fetch a batch of article URLs and the continuation pages of the stories among them."""
    parser = site.spec
    stored = await ctx.ask(lambda con: crawlstate.validators(con, list(urls)))

    async def one(url: str, conditional: bool) -> Fetched:
        etag, modified = stored.get(url, (None, None)) if conditional else (None, None)
        return await ctx.fetcher.fetch(url, site, etag=etag, last_modified=modified)

    results = list(await asyncio.gather(*(one(u, True) for u in urls)))
    seen = set(urls)
    # Only sites whose stories come in parts have parts to find (the spec says so).
    frontier = [r for r in results if r.page is not None] if parser.paginated() else []
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


def parse_pages(pages: Sequence[Page], parser: SiteParser | None) -> list[PageResult]:
    return process_pages(pages, parser)


def gone_reason(site: Site, f: Fetched) -> str | None:
    """Why a known article counts as withdrawn on a revisit, or None: 404/410, or redirected off it."""
    if f.outcome == "failed" and f.status in (404, 410):
        return f"http {f.status}"
    if f.outcome == "failed" and f.reason == "fetch: redirect off the allowed domains":
        return "redirected off the site (" + f.detail.rsplit(" -> ", 1)[-1] + ")"
    if f.page is not None and f.page.final_url and not site.is_article(f.page.final_url):
        return f"redirected to {f.page.final_url}"
    return None


@dataclass
class BatchWrite:
    """Everything one batch writes in one warehouse session (see `write_crawl_batch`)."""

    results: list[PageResult] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)  # revisited articles' new texts, before they overwrite
    checked: list[str] = field(default_factory=list)  # revisits answered 200 or 304
    gone: list[tuple[str, datetime, str]] = field(default_factory=list)
    list_rows: list[dict] = field(default_factory=list)
    lists_with_links: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BatchCounts:
    written: WriteCounts
    edited: int
    withdrawn: int
    restored: int
    spooled: int = 0  # articles kept in the spool instead (the warehouse was busy)


def write_crawl_batch(
    con: duckdb.DuckDBPyConnection, w: BatchWrite, staged: StagedBatch | None = None
) -> BatchCounts:
    """The batch and its crawl state, in the caller's transaction (or one of its own)."""
    return transaction(con, lambda con: _write_crawl_batch(con, w, staged))


def _write_crawl_batch(
    con: duckdb.DuckDBPyConnection, w: BatchWrite, staged: StagedBatch | None
) -> BatchCounts:
    edited = crawlstate.record_versions(con, w.versions)  # before the new text overwrites the old
    counts = merge_body(con, [staged if staged is not None else stage(w.results, w.failures)])
    crawlstate.clear_fetch_failures(con, [r.page.url for r in w.results])
    now = datetime.now(UTC)
    restored = crawlstate.mark_checked(con, w.checked, now)
    withdrawn = crawlstate.mark_withdrawn(con, w.gone)
    crawlstate.record_list_pages(con, w.list_rows)
    crawlstate.clear_discover_failures(con, w.lists_with_links)
    return BatchCounts(counts, len(edited), withdrawn, restored)


def complete_batch(
    w: BatchWrite, parsed: list[PageResult], list_pages: list[PageResult], revisits: set[str]
) -> BatchWrite:
    """Add a batch's parse results to what it writes: the pages, the list pages whose articles
    are all in, and the new texts of revisited articles (kept as versions before they overwrite)."""
    w.versions = [_version_row(x) for x in parsed if x.article is not None and x.page.url in revisits]
    w.results = [*parsed, *list_pages]
    return w


def spool_crawl_batch(db: str | Path, w: BatchWrite, staged: StagedBatch | None = None) -> BatchCounts:
    """Keep the batch in the spool; it is merged, as `write_crawl_batch` would, by the next writer."""
    staged = staged if staged is not None else stage(w.results, w.failures)
    extras = spool.CrawlExtras(
        versions=w.versions, checked=w.checked, gone=w.gone, list_rows=w.list_rows,
        lists_with_links=w.lists_with_links,
    )  # fmt: skip
    kept = spool.put(db, "crawl", staged, extras)
    return BatchCounts(WriteCounts(failures=staged.failures.num_rows), 0, 0, 0, spooled=kept.articles)


def _version_row(r: PageResult) -> dict:
    a = r.article
    assert a is not None
    return {
        "url": a.url, "fetched_at": r.page.fetched_at, "page_sha256": a.page_sha256,
        "content_hash": content_hash(a.body), "title": a.title, "body": a.body,
        "published_at": a.published_at, "source": a.source,
    }  # fmt: skip


def _list_row(lp: ListPage, run_id: str) -> dict:
    return {
        "site": lp.site, "list_url": lp.list_url, "page_no": lp.page_no, "url": lp.url, "walk": lp.walk,
        "run_id": run_id, "fetched_at": lp.fetched.fetched_at, "outcome": lp.fetched.outcome,
        "links": lp.links if lp.ok else None, "new_links": len(lp.new) if lp.ok else None,
        "oldest": lp.oldest, "newest": lp.newest, "next_url": lp.next_url, "stopped": lp.stopped,
    }  # fmt: skip


ZERO_LINKS = "discover: no article links on a list that had them (template changed?)"


def unreachable(report: SiteReport, lists_failed: Counter[str]) -> str:
    """Why the site could not be crawled at all (no list, sitemap or feed read), or ''."""
    if not lists_failed or report.lists_fetched or report.lists_unchanged or report.sitemap_pages:
        return ""
    reasons = ", ".join(f"{r} x{n}" for r, n in lists_failed.most_common())
    return f"no list page could be fetched ({reasons})"


class CrawlFailed(RuntimeError):
    """Some sites could not be crawled at all; the reports of all sites are in `reports`."""

    def __init__(self, reports: list[dict]) -> None:
        self.reports = reports
        failed = [r for r in reports if r["status"] == "failed"]
        super().__init__("; ".join(f"{r['site']}: {r['error']}" for r in failed))


# -- the tasks (Prefect tasks inside a Prefect flow run): one batch per task run ------


@task("fetch-batch")
async def fetch_task(ctx: CrawlContext, site: Site, urls: list[str]) -> list[Fetched]:
    return await fetch_urls(ctx, site, urls)


@task("parse-fetched-batch")
def parse_task(pages: list[Page], parser: SiteParser | None) -> list[PageResult]:
    return parse_pages(pages, parser)


async def parse_on_runner(pages: list[Page], parser: SiteParser | None) -> list[PageResult]:
    """Parse on the flow's task runner (a thread, or a Dask worker) while fetching goes on here."""
    future = parse_task.submit(task_input(pages), parser)
    return await asyncio.to_thread(future.result)


@task("write-batch")
async def write_task(ctx: CrawlContext, batch: BatchWrite, done: Callable[[BatchCounts], None]) -> None:
    """Stage the batch and hand it to the writer; `done` gets its counts once its session commits."""
    staged = await asyncio.to_thread(stage, batch.results, batch.failures)
    await ctx.keep(
        Deferred(
            staged,
            lambda con: write_crawl_batch(con, batch, staged),
            lambda: spool_crawl_batch(ctx.warehouse.path, batch, staged),
            done,
        )
    )


@task("parse-write-crawl-batch")
def parse_and_write_crawl_batch(
    pages: list[Page],
    parser_name: str | None,
    w: BatchWrite,
    list_pages: list[PageResult],
    revisits: set[str],
    db: str,
) -> tuple[list[PageResult], BatchCounts]:
    """On a Dask worker, into a lake: parse one fetched batch and commit it with its crawl state.

    Returns the slim results (no bytes, no text) the flow counts and logs.
    """
    complete_batch(w, parse_pages(pages, parser_name) if pages else [], list_pages, revisits)
    counts = worker_write.commit(db, lambda con: write_crawl_batch(con, w))
    return worker_write.slim(w.results, [])[0], counts


async def parse_and_write_on_worker(
    ctx: CrawlContext, pages: list[Page], parser_name: str | None, w: BatchWrite,
    list_pages: list[PageResult], revisits: set[str],
) -> tuple[list[PageResult], BatchCounts]:  # fmt: skip
    future = parse_and_write_crawl_batch.submit(
        pages, parser_name, w, list_pages, revisits, str(ctx.warehouse.path)
    )
    return await asyncio.to_thread(future.result)


# -- one site, then the flow -------------------------------------------------------------


class SitePipeline:
    """Article URLs in (from list pages as they are walked, retries, revisits), batches out.

    Batch k+1 is fetched while batch k is parsed and written. A list page is written with the
    batch that holds the last of its new articles, never before: a crawl killed in between
    walks that page again.
    """

    def __init__(self, ctx: CrawlContext, site: Site, report: SiteReport, run_id: str) -> None:
        self.ctx, self.site, self.report, self.run_id = ctx, site, report, run_id
        self.parser = site.spec
        # Sites made up for --urls route each page by its URL; a configured site uses its own spec.
        self.parse_with: SiteParser | None = None if site.name.startswith("urls:") else site.spec
        self.size = max(1, ctx.registry.settings.batch_size)
        self.queue: list[str] = []
        self.queued: set[str] = set()
        self.revisits: set[str] = set()
        self.added = 0  # URLs queued so far
        self.done = 0  # URLs whose batch is written
        self.lists: deque[tuple[ListPage, int]] = deque()  # list pages waiting for their articles
        self.extra: list[Failure] = []  # alarms to write with the next batch
        self.inflight: deque[tuple[list[str], asyncio.Future]] = deque()
        # Batches whose session committed (or spooled), told from the writer's thread; counted here.
        self.written: deque[tuple[BatchWrite, BatchCounts]] = deque()

    async def add(self, urls: Sequence[str], revisit: bool = False) -> None:
        for url in urls:
            if url in self.queued:
                continue
            self.queued.add(url)
            self.queue.append(url)
            self.added += 1
            if revisit:
                self.revisits.add(url)
        self.report.queued = self.added
        while len(self.queue) >= self.size:
            await self._launch()

    async def list_page(self, lp: ListPage) -> None:
        r = self.report
        if lp.kind == "list":
            r.lists_fetched += lp.fetched.outcome == "ok"
            r.lists_unchanged += lp.fetched.outcome == "unchanged"
        else:
            r.sitemap_pages += lp.fetched.outcome in ("ok", "unchanged")
        if lp.stopped:
            r.stopped[lp.list_url] = lp.stopped
        r.discovered += lp.offered
        r.skipped_known += lp.offered - len(lp.new)
        if lp.kind == "list" and lp.page_no == 1 and lp.ok:
            await self._check_links(lp)
        await self.add(lp.new)
        await self.add(lp.changed, revisit=True)
        self.lists.append((lp, self.added))
        self.ctx.on_progress(r)

    async def _check_links(self, lp: ListPage) -> None:
        """The zero-link alarm: a list whose first page had article links and now has none."""
        if lp.links:
            return
        had = await self.ctx.ask(
            lambda con: crawlstate.lists_that_had_links(con, self.site.name, [lp.list_url])
        )
        if lp.list_url not in had:
            return
        links, when = had[lp.list_url]
        page = lp.fetched.page
        assert page is not None
        detail = (
            f"{lp.url}: no link on the page matches the article pattern "
            f"{self.site.article_pattern.pattern!r}; it had {links} article links on {when:%Y-%m-%d %H:%M}"
        )
        self.extra.append(
            Failure(lp.url, "discover", ZERO_LINKS, detail, page.sha256, self.site.name,
                    lp.fetched.fetched_at, page.body)
        )  # fmt: skip
        self.report.failures[ZERO_LINKS] += 1

    async def _launch(self) -> None:
        batch, self.queue = self.queue[: self.size], self.queue[self.size :]
        future = asyncio.ensure_future(fetch_task(quote(self.ctx), self.site, quote(batch)))
        self.inflight.append((batch, future))
        if len(self.inflight) > 1:
            await self._process(*self.inflight.popleft())

    def _completed_lists(self) -> tuple[list[PageResult], list[Failure], list[dict], list[str]]:
        """List pages all of whose articles are written: as pages, failures and list_pages rows."""
        pages, failures, rows, with_links = [], [], [], []
        while self.lists and self.lists[0][1] <= self.done:
            lp, _ = self.lists.popleft()
            rows.append(_list_row(lp, self.run_id))
            f = lp.fetched
            if f.page is not None:
                pages.append(PageResult(f.page, "not_article", self.parser.name, self.parser.version))
                if lp.kind == "list" and lp.page_no == 1 and lp.links:
                    with_links.append(lp.url)
            elif f.outcome == "failed" and not (lp.stopped or "").startswith("end of list"):
                failures.append(f.failure(self.site.name))
                self.report.failures[f.reason] += 1
        return pages, failures, rows, with_links

    async def _process(self, batch: list[str], future: asyncio.Future) -> None:
        r, site = self.report, self.site
        fetched: list[Fetched] = await future
        w = BatchWrite()
        pages = []
        for f in fetched:
            revisit = f.url in self.revisits
            reason = gone_reason(site, f) if revisit else None
            if reason is not None:
                w.gone.append((f.url, f.fetched_at, reason))
            elif f.outcome == "failed":
                w.failures.append(f.failure(site.name))
            elif f.outcome == "unchanged":
                r.unchanged += 1
            if revisit and reason is None and f.outcome in ("ok", "unchanged"):
                w.checked.append(f.url)
            if reason is None and f.page is not None:
                pages.append(f.page)
        r.revisited += sum(f.url in self.revisits for f in fetched)
        r.fetched += len(pages)
        r.failures.update(f.reason for f in w.failures)
        revisits = {p.url for p in pages if p.url in self.revisits}
        self.done += len(batch)
        list_pages, list_failures, w.list_rows, w.lists_with_links = self._completed_lists()
        w.failures += list_failures + self.extra
        self.extra = []
        if self.ctx.workers_commit:
            w.results, counts = await parse_and_write_on_worker(
                self.ctx, pages, self.parse_with, w, list_pages, revisits
            )
            self.written.append((w, counts))
        else:
            parsed = await parse_on_runner(pages, self.parse_with) if pages else []
            complete_batch(w, parsed, list_pages, revisits)
            await write_task(
                quote(self.ctx), quote(w), quote(lambda counts: self.written.append((w, counts)))
            )
        self.count_written()

    def count_written(self) -> None:
        """Count and log the batches written since last time."""
        r = self.report
        while self.written:
            w, counts = self.written.popleft()
            _tally(r, w.results, counts.written)
            r.spooled += counts.spooled
            r.edited += counts.edited
            r.withdrawn += counts.withdrawn
            r.restored += counts.restored
            logs.page_outcomes(self.run_id, w.results, w.failures)
        self.ctx.on_progress(r)

    async def finish(self) -> None:
        while self.queue:
            await self._launch()
        while self.inflight:
            await self._process(*self.inflight.popleft())
        if self.lists or self.extra:  # list pages with nothing left to fetch
            done: asyncio.Future = asyncio.get_running_loop().create_future()
            done.set_result([])
            await self._process([], done)
        await self.ctx.flush()
        self.count_written()

    def cancel(self) -> None:
        for _, future in self.inflight:
            if not future.done():
                future.cancel()


def _tally(report: SiteReport, results: Sequence[PageResult], counts: WriteCounts) -> None:
    report.articles_new += counts.articles_new
    report.articles_updated += counts.articles_updated
    for r in results:
        if r.failure is not None:
            report.failures[r.failure.reason] += 1
        elif r.outcome == "not_article" and r.page.role in (None, "article"):
            report.not_articles += 1


def _due(ctx: CrawlContext, site: Site, con: duckdb.DuckDBPyConnection) -> list[str]:
    everything = ctx.mode.revisit == "all"
    if ctx.mode.revisit == "none" or not (everything or site.revisit.enabled):
        return []
    return due_urls(con, site, datetime.now(UTC), everything)


async def crawl_site(ctx: CrawlContext, site: Site) -> SiteReport:
    report = SiteReport(site.name)
    started = time.monotonic()
    mode = ctx.mode
    inputs = json.dumps({"lists": list(site.lists), **mode.describe()})
    run = {"flow": "crawl", "site": site.name, "started_at": datetime.now(UTC), "inputs": inputs}
    run_id = await ctx.write(
        lambda con: start_run(con, "crawl", site.name, inputs),
        lambda: _spool_run(ctx, {**run, "run_id": str(uuid.uuid4()), "status": "running"}),
    )
    before = Counter(ctx.fetcher.site_stats.get(site.name, Counter()))
    pipeline = SitePipeline(ctx, site, report, run_id)
    try:
        if mode.urls:
            mine = [u for u in mode.urls if site.allows(u)]
            known = await ctx.known(mine)
            report.discovered = len(mine)
            if mode.revisit == "all":
                await pipeline.add([u for u in mine if u in known], revisit=True)
            else:
                report.skipped_known = len(known)
            await pipeline.add([u for u in mine if u not in known])
        else:
            kind = "backfill" if mode.backfill else "crawl"
            starts, done = await ctx.ask(lambda con: crawlstate.walk_starts(con, site.name, kind, mode.since))
            walk = Walk(backfill=mode.backfill, since=mode.since, starts=starts, done=frozenset(done))
            walker = Walker(
                ctx.fetcher, site, walk=walk,
                known=ctx.known,
                validators=lambda urls: ctx.ask(lambda con: crawlstate.validators(con, urls)),
                last_fetched=lambda urls: ctx.ask(lambda con: crawlstate.last_fetched(con, urls)),
            )  # fmt: skip
            lists_failed: Counter[str] = Counter()
            async for lp in walker.pages():
                await pipeline.list_page(lp)
                if lp.kind == "list" and lp.page_no == 1 and lp.fetched.outcome == "failed":
                    lists_failed[lp.fetched.reason] += 1
            report.error = unreachable(report, lists_failed)
            # Pages an earlier crawl could not get for a transient reason are tried again.
            retry = await ctx.ask(lambda con: crawlstate.retryable_urls(con, site.name))
            spooled = ctx.in_spool(retry)
            await pipeline.add([u for u in retry if u not in spooled])
            await pipeline.add(await ctx.ask(lambda con: _due(ctx, site, con)), revisit=True)
        await pipeline.finish()
        report.status = "failed" if report.error else "completed"
    except BaseException:
        report.status = "failed"
        raise
    finally:
        with contextlib.suppress(duckdb.Error, WarehouseError, asyncio.CancelledError):
            await ctx.flush()  # what this site fetched before it failed is written before its end
        pipeline.count_written()
        after = ctx.fetcher.site_stats.get(site.name, Counter())
        report.requests = after["requests"] - before["requests"]
        report.retries = after["retries"] - before["retries"]
        report.seconds = time.monotonic() - started
        ctx.on_progress(report)
        pipeline.cancel()
        with contextlib.suppress(duckdb.Error, WarehouseError, asyncio.CancelledError):
            # the file may be unreachable after an interrupt
            await ctx.write(
                lambda con: finish_run(con, run_id, report.status, report.counts()),
                lambda: _spool_run(ctx, {
                    **run, "run_id": run_id, "status": report.status, "finished_at": datetime.now(UTC),
                    "counts": json.dumps(report.counts(), ensure_ascii=False, sort_keys=True),
                }),
            )  # fmt: skip
        logs.run_done("crawl", run_id, report.status, report.seconds, report.counts())
    return report


def _spool_run(ctx: CrawlContext, row: dict) -> str:
    """The run's row, kept in the spool while the warehouse is busy; returns its id."""
    spool.put(ctx.warehouse.path, "run", stage([]), spool.CrawlExtras(runs=[row]))
    return row["run_id"]


def with_url_sites(registry: Registry, urls: Sequence[str]) -> tuple[Registry, list[str]]:
    """The registry for a --urls crawl and the names of the sites to crawl.

    A URL belongs to the configured site whose domains allow it (the one whose spec claims the URL,
    where a host carries several); a URL on no configured site
    gets a site made up for its host (default manners, the parser its URL routes to).
    """
    names: dict[str, None] = {}
    made: dict[str, Site] = {}
    for url in urls:
        parts = urlsplit(url)
        on_host = [s for s in registry.sites if s.allows(url)]  # a farm's hosts carry several sites
        site = next((s for s in on_host if s.spec.suitable(url)), on_host[0] if on_host else None)
        if site is None:
            host = (parts.hostname or "").lower()
            site = made.get(host) or Site(
                parser_for(url), name=f"urls:{host}", allowed_domains=(host,), sources=SiteSources(),
                base_url=f"{parts.scheme}://{parts.netloc}", revisit=RevisitPolicy(max_age_days=0),
            )  # fmt: skip
            made[host] = site
        names[site.name] = None
    return replace(registry, sites=(*registry.sites, *made.values())), list(names)


def read_url_list(text: str) -> tuple[list[str], list[str]]:
    """(URLs, lines that are not http(s) URLs) of a URL list: one a line, # comments and blanks skipped."""
    urls: dict[str, None] = {}
    bad = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not line:
            continue
        parts = urlsplit(line)
        if parts.scheme in ("http", "https") and parts.hostname:
            urls[parts._replace(fragment="").geturl()] = None
        else:
            bad.append(line)
    return list(urls), bad


async def crawl_registry(
    registry: Registry,
    *,
    db: str | Path = str(DEFAULT_DB),
    site_names: Sequence[str] | None = None,
    connect_to: str | None = None,
    polite: bool = True,
    warc_dir: str | Path | None = None,
    on_progress: Callable[[SiteReport], None] | None = None,
    mode: CrawlMode = CrawlMode(),
) -> list[SiteReport]:
    """Crawl the selected sites (all enabled ones by default) into the warehouse at `db`.

    `polite=False` drops every delay (Crawl-delay included) and allows 8 requests per host:
    for benchmarks against our own replica, never for real sites.
    """
    if not polite:
        registry = registry.impolite(concurrency=8)
    sites = registry.select(list(site_names) if site_names else None)
    warc_dir = Path(warc_dir) if warc_dir else (Path("data") if is_lake(db) else Path(db).parent) / "warc"
    # Waits REGIONEWS_BUSY_WAIT for a file another process holds, then spools instead.
    warehouse = Warehouse(db, open_wait=Settings.from_env().busy_wait)
    parsers = {s.spec.name: s.spec for s in sites}.values()
    with contextlib.suppress(WarehouseBusy), warehouse.write() as con:  # busy: the next run records them
        record_sites(con, [(p.name, p.version, p.working, p.broken_reason) for p in parsers])
    archive = WarcArchive(warc_dir, registry.settings.warc_max_bytes, base=warehouse_folder(db))
    try:
        async with Fetcher(registry.settings, archive, connect_to=connect_to, polite=polite) as fetcher:
            writer = BatchWriter(warehouse, spool_as="crawl")
            ctx = CrawlContext(
                registry, fetcher, archive, warehouse, writer, on_progress or (lambda report: None),
                mode=mode, workers_commit=worker_write.writes_on_workers(str(db)),
            )  # fmt: skip
            return list(await asyncio.gather(*(crawl_site(ctx, s) for s in sites)))
    finally:
        archive.close()


async def crawl(
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
) -> list[dict]:
    """Crawl the configured sites; returns each site's report as a dict (see `SiteReport`).

    `delay` replaces every site's delay between requests (robots.txt Crawl-delay still applies).
    `backfill` walks each list past known articles to `since` (YYYY-MM-DD) or its end;
    `revisit` is "due" (each site's policy), "all" or "none"; `urls` fetches only those URLs.
    A site that could not be crawled at all fails the run (CrawlFailed) after every site is
    done and recorded, so a scheduled run shows as Failed in Prefect, not as a quiet success.
    """
    registry = _HANDOFF.registry or load_sites(sites_file)  # the caller's, loaded once, else the file
    if urls:
        registry, sites = with_url_sites(registry, urls)
    if delay is not None:
        registry = registry.with_delay(delay)
    when = datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None
    mode = CrawlMode(backfill=backfill, since=when, revisit=revisit, urls=tuple(urls or ()))
    reports = await crawl_registry(
        registry, db=db, site_names=sites, connect_to=connect_to, polite=polite, warc_dir=warc_dir,
        on_progress=_HANDOFF.on_progress, mode=mode,
    )  # fmt: skip
    publish_after_run(db)
    counts = [r.counts() for r in reports]
    if any(r.status == "failed" for r in reports):
        raise CrawlFailed(counts)  # the Prefect flow returns it as a Failed state
    return counts


# What a caller in this process hands the flow beside its parameters (recorded as JSON, which a
# callback or a loaded registry is not).
@dataclass
class _Handoff:
    on_progress: Callable[[SiteReport], None] | None = None
    registry: Registry | None = None


_HANDOFF = _Handoff()


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
    backfill: bool = False,
    since: str | None = None,
    revisit: str = "due",
    urls: Sequence[str] | None = None,
    registry: Registry | None = None,
) -> list[dict]:
    """Run the crawl flow from synchronous code (the CLI and the demo); `registry` is the sites file
    the caller already loaded (else the flow reads `sites_file`)."""
    _HANDOFF.on_progress, _HANDOFF.registry = on_progress, registry
    try:
        return asyncio.run(
            run_flow(
                "crawl",
                sites=list(sites) if sites else None,
                db=str(Settings.from_env(db).db),
                sites_file=str(sites_file) if sites_file else None,
                connect_to=connect_to,
                polite=polite,
                warc_dir=str(warc_dir) if warc_dir else None,
                delay=delay,
                backfill=backfill,
                since=since,
                revisit=revisit,
                urls=list(urls) if urls else None,
            )
        )
    finally:
        _HANDOFF.on_progress, _HANDOFF.registry = None, None


def __getattr__(name: str):
    if name == "crawl_flow":  # the Prefect flow wrapping `crawl` (imports Prefect)
        return prefect_flow("crawl")
    raise AttributeError(name)
