"""Discovery: list pages in, article URLs out, following pagination until nothing new is left.

A list is walked page by page (index_2.htm, ?page=2 or the page's 下一页 link). The walk
stops at a page that shows only articles the warehouse already has (and that an earlier
crawl finished), at an unchanged page (a 304), at the site's page limit, or at a page whose
articles are all older than the site's age limit.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from flows.fetch import Fetched, Fetcher
from flows.sites import NEXT_LINK, NO_PAGINATION, Site
from parsers.base import SiteParser
from parsers.dates import date_from_url
from parsers.decoding import decode
from parsers.dom import parse_html
from parsers.records import DecodeError, Page

_NEXT_TEXT = re.compile(r"^\s*(?:下一页|下页|下一頁|next\s*page|next|›|»|>)\s*[>›»]*\s*$", re.IGNORECASE)


def page_url(list_url: str, pagination: str, n: int) -> str | None:
    """URL of page n (n >= 2) of a list under a template pagination; None for next_link/none."""
    if pagination in (NEXT_LINK, NO_PAGINATION):
        return None
    step = pagination.format(n=n)
    if step.startswith("?"):
        parts = urlsplit(list_url)
        query = dict(parse_qsl(parts.query))
        query.update(parse_qsl(step[1:]))
        return urlunsplit(parts._replace(query=urlencode(query)))
    # index_{n}.htm sits beside the list page: /news/zjc/ -> /news/zjc/index_2.htm
    return urljoin(list_url, step)


def extract_links(body: bytes, base_url: str, content_type: str | None = None) -> list[tuple[str, str]]:
    """(absolute URL without fragment, link text) of every <a href> on a page, in page order."""
    try:
        text = decode(body, content_type).text
    except DecodeError:
        return []
    tree = parse_html(text)
    base = tree.css_first("base[href]")
    root = urljoin(base_url, base.attributes.get("href") or "") if base is not None else base_url
    out = []
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urlunsplit(urlsplit(urljoin(root, href))._replace(fragment=""))
        if urlsplit(url).scheme in ("http", "https"):
            out.append((url, a.text(strip=True)))
    return out


def next_link(links: Iterable[tuple[str, str]]) -> str | None:
    for url, text in links:
        if _NEXT_TEXT.match(text):
            return url
    return None


def article_links(site: Site, links: Iterable[tuple[str, str]], list_url: str) -> list[str]:
    """The site's article URLs among a list page's links, deduplicated, in page order."""
    return list(
        dict.fromkeys(url for url, _ in links if site.is_article(url) and site.in_scope(url, list_url))
    )


def continuation_links(page: Page, parser: SiteParser, site: Site) -> list[str]:
    """Pages 2..N of a paginated story, found among the links of its first page.

    A link is a continuation when the parser's `article_key` maps it to the same story as
    the page itself with a higher part number.
    """
    key, part = parser.article_key(page.effective_url)
    found = {}
    for url, _ in extract_links(page.body, page.effective_url, page.header("content-type")):
        if not site.allows(url) or url == page.effective_url:
            continue
        other_key, other_part = parser.article_key(url)
        if other_key == key and other_part > part:
            found[url] = other_part
    return sorted(found, key=found.__getitem__)


@dataclass
class Discovery:
    """What walking a site's lists found: article URLs in list order, and the list fetches."""

    articles: list[str] = field(default_factory=list)
    lists: list[Fetched] = field(default_factory=list)  # ok/unchanged/failed fetches of list pages
    stopped: dict[str, str] = field(default_factory=dict)  # list URL -> why its walk ended


async def discover(
    fetcher: Fetcher,
    site: Site,
    *,
    known: Callable[[list[str]], Awaitable[set[str]]],
    validators: Callable[[list[str]], Awaitable[dict[str, tuple[str | None, str | None]]]],
    now: datetime | None = None,
) -> Discovery:
    """Walk every list of a site. The callables answer from the warehouse (see warehouse.crawlstate).

    `known` names the URLs the warehouse holds as done, list pages included: a list page is
    recorded only once an earlier crawl finished it, so a page of only known articles ends
    the walk only then, and a crawl killed mid-list resumes where it stopped.
    """
    found = Discovery()
    seen_articles: set[str] = set()
    cutoff = (now or datetime.now(UTC)) - timedelta(days=site.max_age_days) if site.max_age_days else None
    for list_url in site.lists:
        url: str | None = list_url
        visited: set[str] = set()
        for n in range(1, site.max_list_pages + 1):
            if url is None or url in visited:
                found.stopped[list_url] = "no next page" if url is None else "pagination loops"
                break
            visited.add(url)
            etag, modified = (await validators([url])).get(url, (None, None))
            fetched = await fetcher.fetch(url, site, etag=etag, last_modified=modified, role="list")
            if fetched.outcome == "failed" and n > 1 and fetched.status in (404, 410):
                found.stopped[list_url] = f"no page {n} (http {fetched.status})"  # the list is just shorter
                break
            found.lists.append(fetched)
            if fetched.outcome == "unchanged":
                found.stopped[list_url] = f"page {n} unchanged"
                break
            if fetched.outcome == "failed":
                found.stopped[list_url] = f"page {n}: {fetched.reason}"
                break
            page = fetched.page
            assert page is not None
            links = extract_links(page.body, page.effective_url, page.header("content-type"))
            articles = article_links(site, links, list_url)
            new = [a for a in articles if a not in seen_articles]
            seen_articles.update(new)
            found.articles.extend(new)
            done = await known([*articles, url])
            if articles and not set(articles) - done and url in done:
                found.stopped[list_url] = f"page {n} holds only known articles"
                break
            if cutoff and articles and _all_older(articles, cutoff):
                found.stopped[list_url] = f"page {n} is older than {site.max_age_days} days"
                break
            if site.pagination == NEXT_LINK:
                url = next_link(links)
            else:
                url = page_url(list_url, site.pagination, n + 1)
        else:
            found.stopped[list_url] = f"page limit {site.max_list_pages}"
    return found


def _all_older(urls: list[str], cutoff: datetime) -> bool:
    dates = [date_from_url(u) for u in urls]
    return all(d is not None and d.value is not None and d.value < cutoff for d in dates)
