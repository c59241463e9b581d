"""What a site declares about where its articles are listed: lists, script-paged lists, sitemaps, feeds.

Plain frozen data, no I/O: the crawler in `flows/` reads these and does the fetching. They are
facts about the site (its CMS, its URLs), not operator choices, so each site's spec declares them
(`SiteParser.lists`, `sitemaps`, `feeds`) and `flows.sites` checks them when the sites file loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

NEXT_LINK = "next_link"  # pagination by following the page's 下一页 link
NO_PAGINATION = "none"


@dataclass(frozen=True, slots=True)
class PagedList:
    """An HTML list (column) page, walked page by page.

    `pagination` is a template resolved against the list URL ("index_{n}.htm"), a query
    template ("?page={n}"), "next_link" (the page's 下一页 link) or "none".
    """

    url: str
    pagination: str = NO_PAGINATION

    def page_url(self, n: int) -> str | None:
        """URL of page n (n >= 2); None for next_link and none, whose URLs are not computable."""
        if self.pagination in (NEXT_LINK, NO_PAGINATION):
            return None
        step = self.pagination.format(n=n)
        if step.startswith("?"):
            parts = urlsplit(self.url)
            query = dict(parse_qsl(parts.query))
            query.update(parse_qsl(step[1:]))
            return urlunsplit(parts._replace(query=urlencode(query)))
        # index_{n}.htm sits beside the list page: /news/zjc/ -> /news/zjc/index_2.htm
        return urljoin(self.url, step)


@dataclass(frozen=True, slots=True)
class ScriptList:
    """A list paged by a script endpoint (POST/GET, answering XML or JSON), declared as data.

    Hanweb/大汉's `/module/web/jpage/dataproxy.jsp` is the model: POST with the column's form
    fields, the window of records in `startrecord`/`endrecord`/`perpage`, an XML `<datastore>`
    answer whose `<record>` elements hold one list item's HTML each in CDATA. A JSON endpoint
    names the list of records by a dotted path and the link by a key of each record.

    `offset` says what `start_field` counts: "record" (1-based record numbers, a window of
    `window` records per request) or "page" (page numbers, `window` records per page).
    """

    url: str  # the endpoint
    method: Literal["GET", "POST"] = "POST"
    form: tuple[tuple[str, str], ...] = ()  # fixed fields (column id, unit id, site id ...)
    paging_in: Literal["query", "form"] = "query"  # where the window fields go
    start_field: str = "startrecord"
    end_field: str | None = "endrecord"
    size_field: str | None = "perpage"
    offset: Literal["record", "page"] = "record"
    first: int = 1  # number of the first record (or page)
    window: int = 45  # records asked for per request
    per_page: int = 15  # the value sent in `size_field` (Hanweb: records per displayed page)
    format: Literal["xml", "json"] = "xml"
    records: str = "record"  # XML: tag of a record; JSON: dotted path to the list of records
    link: str = "a[href]"  # XML records hold HTML: a CSS selector; JSON: the key of the URL
    date: str | None = None  # JSON: the key of a record's date; XML: read from the record's text
    total: str | None = "totalrecord"  # XML tag / JSON dotted path of the total number of records

    def request(self, k: int) -> tuple[str, tuple[tuple[str, str], ...]]:
        """(URL, form fields) of request k (k >= 0) of the walk.

        The window fields always appear in the returned URL's query, so each window has a
        URL of its own to record; with `paging_in="form"` they are also sent in the form.
        """
        start = self.first + k * (self.window if self.offset == "record" else 1)
        paging = [(self.start_field, str(start))]
        if self.end_field:
            end = start + self.window - 1 if self.offset == "record" else start
            paging.append((self.end_field, str(end)))
        if self.size_field:
            paging.append((self.size_field, str(self.per_page if self.offset == "record" else self.window)))
        parts = urlsplit(self.url)
        query = [*parse_qsl(parts.query), *paging]
        url = urlunsplit(parts._replace(query=urlencode(query)))
        form = self.form + (tuple(paging) if self.paging_in == "form" else ())
        return url, form

    def exhausted(self, k: int, total: int | None) -> bool:
        """Whether request k starts past the last record, when the answer said how many there are."""
        return total is not None and k * self.window >= total


AnyList = PagedList | ScriptList


@dataclass(frozen=True, slots=True)
class SiteSources:
    """Every way into a site: its lists, sitemaps (robots.txt's too if asked) and feeds."""

    lists: tuple[AnyList, ...] = ()
    sitemaps: tuple[str, ...] = ()
    robots_sitemaps: bool = False  # also read the `Sitemap:` lines of robots.txt
    feeds: tuple[str, ...] = ()

    @property
    def list_urls(self) -> tuple[str, ...]:
        return tuple(lst.url for lst in self.lists)
