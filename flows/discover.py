"""Discovery: walk a site's lists, script-paged lists, sitemaps and feeds; yield article URLs page by page.

A list is walked page by page (index_2.htm, ?page=2, the page's 下一页 link, or the next
window of a script endpoint). A normal walk stops at a page that shows only articles the
warehouse already has (and that an earlier crawl finished), at an unchanged page (a 304), at
the site's page limit, or at a page whose articles are all older than the site's age limit.
A backfill walk goes past all of these, to the end of the list or to the `since` date, and
starts where the last backfill of that list stopped (a warehouse query, see
`warehouse.crawlstate.walk_starts`).

Each page fetched becomes a `ListPage`; the crawl fetches its new articles and only then
records the page, so a walk killed at any point resumes without losing a page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flows.fetch import Fetched, Fetcher
from flows.sites import Site
from parsers.base import SiteParser
from parsers.crawlspec import NEXT_LINK, PagedList, ScriptList
from parsers.dates import date_from_url
from parsers.listing import Entry, ListingError, html_entries, next_link, parse_feed, parse_sitemap
from parsers.listing import script_entries as read_script_answer
from parsers.records import Page

BACKFILL_MAX_PAGES = 10_000  # a bound against a pagination trap, far past any real column
MAX_SITEMAPS = 500  # sitemaps read per site and crawl, indexes included
END = "end of list"  # a stop reason starting with this: the list was walked to its end
SINCE = "since "  # "since YYYY-MM-DD": the walk reached articles older than that date

Known = Callable[[list[str]], Awaitable[set[str]]]
Validators = Callable[[list[str]], Awaitable[dict[str, tuple[str | None, str | None]]]]
LastFetched = Callable[[list[str]], Awaitable[dict[str, datetime]]]


@dataclass(frozen=True, slots=True)
class Walk:
    """How far a walk goes: a normal crawl, or a backfill (to `since`, or the list's end)."""

    backfill: bool = False
    since: datetime | None = None  # UTC; articles dated before it are not fetched
    starts: dict[str, tuple[int, str]] = field(
        default_factory=dict
    )  # list URL -> (page no, URL) to resume at
    done: frozenset[str] = frozenset()  # lists a backfill already walked to their end (or past `since`)
    now: datetime | None = None

    @property
    def name(self) -> str:
        return "backfill" if self.backfill else "crawl"


@dataclass
class ListPage:
    """One page (or script window, sitemap, feed) a walk fetched, and what it offered."""

    site: str
    list_url: str  # the list as declared (or the sitemap / feed URL)
    kind: str  # list | sitemap | feed
    page_no: int
    url: str
    fetched: Fetched
    links: int = 0  # article links on the page
    offered: int = 0  # article URLs on the page that no earlier page of this crawl offered
    new: list[str] = field(default_factory=list)  # of which the warehouse does not hold yet
    changed: list[str] = field(default_factory=list)  # known URLs the listing says changed since fetched
    oldest: datetime | None = None
    newest: datetime | None = None
    next_url: str | None = None
    stopped: str | None = None  # why the walk ended here
    walk: str = "crawl"  # backfill for the pages of a deep walk; the front of a list is a crawl's walk

    @property
    def ok(self) -> bool:
        return self.fetched.outcome == "ok"


def _dated(entry: Entry) -> datetime | None:
    if entry.date is not None:
        return entry.date
    found = date_from_url(entry.url)
    return found.value.astimezone(UTC) if found and found.value else None


def article_entries(site: Site, entries: Sequence[Entry], list_url: str | None = None) -> list[Entry]:
    """The site's article links among a page's entries, deduplicated, in page order.

    `list_url` applies the site's link scope (a column list's sidebar); sitemaps and feeds have none.
    """
    out: dict[str, Entry] = {}
    for e in entries:
        if e.url in out or not site.is_article(e.url):
            continue
        if list_url is None or site.in_scope(e.url, list_url):
            out[e.url] = e
    return list(out.values())


def continuation_links(page: Page, parser: SiteParser, site: Site) -> list[str]:
    """Pages 2..N of a paginated story, found among the links of its first page.

    A link is a continuation when the parser's `article_key` maps it to the same story as
    the page itself with a higher part number.
    """
    key, part = parser.article_key(page.effective_url)
    found = {}
    for e in html_entries(page.body, page.effective_url, page.header("content-type")):
        if not site.allows(e.url) or e.url == page.effective_url:
            continue
        other_key, other_part = parser.article_key(e.url)
        if other_key == key and other_part > part:
            found[e.url] = other_part
    return sorted(found, key=found.__getitem__)


class Walker:
    """Walks the sources of one site for one crawl; `pages()` yields each `ListPage` as it is fetched."""

    def __init__(
        self,
        fetcher: Fetcher,
        site: Site,
        *,
        known: Known,
        validators: Validators,
        last_fetched: LastFetched | None = None,
        walk: Walk = Walk(),
    ) -> None:
        self.fetcher, self.site, self.walk = fetcher, site, walk
        self.known, self.validators = known, validators
        self.last_fetched = last_fetched
        self.seen: set[str] = set()  # article URLs already offered by an earlier page of this crawl
        now = walk.now or datetime.now(UTC)
        self.cutoff = now - timedelta(days=site.max_age_days) if site.max_age_days else None

    async def pages(self) -> AsyncIterator[ListPage]:
        for lst in self.site.sources.lists:
            resume = self.walk.starts.get(lst.url)
            if resume or lst.url in self.walk.done:
                # New articles at the front first (a normal walk), then on from where the last walk of
                # this kind stopped (a killed crawl, an unfinished backfill).
                async for page in self._walk_list(lst, deep=False):
                    yield page
                if resume is None:
                    continue
            async for page in self._walk_list(lst, deep=self.walk.backfill, start=resume):
                yield page
        async for page in self._sitemaps():
            yield page
        for feed in self.site.sources.feeds:
            yield await self._feed(feed)

    # -- lists -------------------------------------------------------------------------------

    async def _fetch_list(
        self, url: str, conditional: bool, form: tuple | None = None, script: bool = False
    ) -> Fetched:
        etag, modified = (
            (await self.validators([url])).get(url, (None, None)) if conditional else (None, None)
        )
        return await self.fetcher.fetch(
            url, self.site, etag=etag, last_modified=modified, role="list", form=form, any_type=script
        )

    async def _walk_list(
        self, lst: PagedList | ScriptList, *, deep: bool, start: tuple[int, str] | None = None
    ) -> AsyncIterator[ListPage]:
        limit = BACKFILL_MAX_PAGES if deep else self.site.max_list_pages
        n, url = start or (1, lst.url if isinstance(lst, PagedList) else lst.request(0)[0])
        visited: set[str] = set()
        while True:
            form = None
            if isinstance(lst, ScriptList):
                url, fields = lst.request(n - 1)
                form = fields if lst.method == "POST" else None
            visited.add(url)
            # A backfill reads every page whole (page 1 too: a normal crawl may have stored it, and a
            # 304 would end the walk there), and a resumed walk its first page: their links are needed
            # even if they did not change.
            resumed = start is not None and n == start[0]
            conditional = not deep and not resumed
            fetched = await self._fetch_list(url, conditional, form, isinstance(lst, ScriptList))
            walk = "backfill" if deep else "crawl"
            page = ListPage(self.site.name, lst.url, "list", n, url, fetched, walk=walk)
            if fetched.outcome == "failed":
                if n > 1 and fetched.status in (404, 410):
                    page.stopped = f"{END} (no page {n}: http {fetched.status})"  # the list is just shorter
                else:
                    page.stopped = f"page {n}: {fetched.reason}"
                yield page
                return
            if fetched.outcome == "unchanged":
                page.stopped = f"page {n} unchanged"
                yield page
                return
            assert fetched.page is not None
            entries, total, stop = self._read_list(lst, fetched.page, n)
            articles = article_entries(self.site, entries, lst.url)
            await self._offer(page, articles)
            if stop:
                page.stopped = stop
            elif isinstance(lst, ScriptList):
                if len(entries) < lst.window or lst.exhausted(n, total):
                    page.stopped = f"{END} (window {n} is the last)"
                else:
                    page.next_url = lst.request(n)[0]
            elif lst.pagination == NEXT_LINK:
                page.next_url = next_link(entries)
            else:
                page.next_url = lst.page_url(n + 1)
            if page.stopped is None:
                page.stopped = await self._stop(page, articles, url, deep or resumed)
            if page.stopped is None and page.next_url is None:
                page.stopped = f"{END} (no next page)"
            if page.stopped is None and page.next_url in visited:
                page.stopped = "pagination loops"
            if page.stopped is None and n >= limit:
                page.stopped = f"page limit {limit}"
            yield page
            if page.stopped is not None:
                return
            n, url = n + 1, page.next_url  # type: ignore[assignment]

    def _read_list(
        self, lst: PagedList | ScriptList, page: Page, n: int
    ) -> tuple[list[Entry], int | None, str]:
        ctype = page.header("content-type")
        if isinstance(lst, PagedList):
            return html_entries(page.body, page.effective_url, ctype), None, ""
        try:
            entries, total = read_script_answer(page.body, lst, page.effective_url, ctype)
        except ListingError as exc:
            return [], None, f"window {n}: {exc}"
        return entries, total, ""

    async def _offer(
        self, page: ListPage, articles: list[Entry], last: dict[str, datetime] | None = None
    ) -> None:
        """Fill in the page's article counts, dates, and the URLs to fetch (new, or changed since fetched)."""
        page.links = len(articles)
        dates = [d for d in (_dated(e) for e in articles) if d is not None]
        page.oldest, page.newest = (min(dates), max(dates)) if dates else (None, None)
        since = self.walk.since
        wanted = [e for e in articles if e.url not in self.seen]
        if since is not None:  # a backfill to a date fetches nothing older
            wanted = [e for e in wanted if (d := _dated(e)) is None or d >= since]
        self.seen.update(e.url for e in wanted)
        urls = [e.url for e in wanted]
        page.offered = len(urls)
        done = await self.known(urls)
        page.new = [u for u in urls if u not in done]
        if last is not None:
            page.changed = [
                e.url for e in wanted if e.url in done and e.date and e.url in last and e.date > last[e.url]
            ]

    async def _stop(self, page: ListPage, articles: list[Entry], url: str, deep: bool) -> str | None:
        n = page.page_no
        if self.walk.since is not None and page.newest is not None and page.newest < self.walk.since:
            return f"{SINCE}{self.walk.since.astimezone(UTC):%Y-%m-%d}"
        if deep:
            return None
        if articles and not page.new and url in await self.known([url]):
            return f"page {n} holds only known articles"
        dated = page.newest is not None and all(_dated(e) for e in articles)
        if self.cutoff and articles and dated and page.newest < self.cutoff:  # type: ignore[operator]
            return f"page {n} is older than {self.site.max_age_days} days"
        return None

    # -- sitemaps and feeds ------------------------------------------------------------------

    async def _last(self, entries: Sequence[Entry]) -> dict[str, datetime]:
        if self.last_fetched is None:
            return {}
        return await self.last_fetched([e.url for e in entries if e.date is not None])

    async def _listing(self, url: str, kind: str) -> tuple[ListPage, Page | None]:
        fetched = await self.fetcher.fetch(
            url, self.site, role=kind, **self._validators_kw(await self._val(url))
        )
        page = ListPage(self.site.name, url, kind, 1, url, fetched, walk=self.walk.name)
        if fetched.outcome == "failed":
            page.stopped = f"{kind}: {fetched.reason}"
        elif fetched.outcome == "unchanged":
            page.stopped = f"{kind} unchanged"
        return page, fetched.page

    async def _val(self, url: str) -> tuple[str | None, str | None]:
        return (await self.validators([url])).get(url, (None, None))

    @staticmethod
    def _validators_kw(pair: tuple[str | None, str | None]) -> dict[str, str | None]:
        return {"etag": pair[0], "last_modified": pair[1]}

    async def _sitemaps(self) -> AsyncIterator[ListPage]:
        sources = self.site.sources
        todo = list(sources.sitemaps)
        if sources.robots_sitemaps and self.fetcher.settings.obey_robots:
            for u in await self.fetcher.robots_sitemaps(self.site.base_url, self.site):
                if self.site.allows(u) and u not in todo:
                    todo.append(u)
        seen: set[str] = set()
        while todo and len(seen) < MAX_SITEMAPS:
            url = todo.pop(0)
            if url in seen:
                continue
            seen.add(url)
            page, body = await self._listing(url, "sitemap")
            if body is not None:
                try:
                    parsed = parse_sitemap(body.body)
                except ListingError as exc:
                    page.stopped = f"sitemap: {exc}"
                else:
                    todo.extend(u for u in parsed.sitemaps if self.site.allows(u) and u not in seen)
                    articles = article_entries(self.site, parsed.entries)
                    await self._offer(page, articles, await self._last(articles))
                    page.stopped = (
                        f"{END} (sitemap)"
                        if not parsed.sitemaps
                        else f"{END} (index of {len(parsed.sitemaps)})"
                    )
            yield page

    async def _feed(self, url: str) -> ListPage:
        page, body = await self._listing(url, "feed")
        if body is not None:
            try:
                entries = parse_feed(body.body, body.effective_url)
            except ListingError as exc:
                page.stopped = f"feed: {exc}"
            else:
                articles = article_entries(self.site, entries)
                await self._offer(page, articles, await self._last(articles))
                page.stopped = f"{END} (feed)"
        return page
