"""Links out of the pages that list articles: HTML lists, script-list answers, sitemaps and feeds.

Pure functions of the bytes a fetch returned (no I/O): the crawler fetches, these read. Each
entry carries the date the listing shows for it where there is one (a list item's date, a
sitemap's `lastmod`, a feed's `pubDate`/`updated`), which the crawler uses to stop a backfill
at a date and to skip known pages that have not changed.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from parsers.crawlspec import ScriptList
from parsers.dates import find_date
from parsers.decoding import decode
from parsers.dom import parse_html
from parsers.records import DecodeError

_NEXT_TEXT = re.compile(r"^\s*(?:下一页|下页|下一頁|next\s*page|next|›|»|>)\s*[>›»]*\s*$", re.IGNORECASE)
_ITEM_TAGS = frozenset({"li", "tr", "dd", "dt", "p", "div", "td"})
MAX_XML_BYTES = 50_000_000  # a sitemap's own limit is 50 MB uncompressed


class ListingError(ValueError):
    """The answer of a list endpoint, sitemap or feed cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One link a listing offers: absolute URL, its text, and the date the listing shows (UTC)."""

    url: str
    text: str = ""
    date: datetime | None = None


def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "#")):
        return None
    url = urlunsplit(urlsplit(urljoin(base, href))._replace(fragment=""))
    return url if urlsplit(url).scheme in ("http", "https") else None


def _item_date(anchor: object) -> datetime | None:
    """The date printed beside a link in its list item (`<li><a>…</a><span>2025-05-09</span></li>`)."""
    holder = anchor.parent  # type: ignore[attr-defined]
    if holder is None or holder.tag not in _ITEM_TAGS:
        return None
    text = holder.text(separator=" ", strip=True)
    own = anchor.text(separator=" ", strip=True)  # type: ignore[attr-defined]
    if own:
        text = text.replace(own, " ", 1)  # a title may hold a year (2024年) that is not the item's date
    if len(text) > 200 or not any(ch.isdigit() for ch in text):
        return None
    found = find_date(text)
    return found.value.astimezone(UTC) if found and found.value else None


def html_entries(body: bytes | str, base_url: str, content_type: str | None = None) -> list[Entry]:
    """Every `<a href>` of an HTML page or fragment, in page order, with its list item's date."""
    if isinstance(body, bytes):
        try:
            body = decode(body, content_type).text
        except DecodeError:
            return []
    tree = parse_html(body)
    base = tree.css_first("base[href]")
    root = urljoin(base_url, base.attributes.get("href") or "") if base is not None else base_url
    out = []
    for a in tree.css("a[href]"):
        url = _absolute(root, a.attributes.get("href") or "")
        if url is not None:
            out.append(Entry(url, a.text(strip=True), _item_date(a)))
    return out


def next_link(entries: Iterable[Entry]) -> str | None:
    """The URL of the page's 下一页 (next page) link, if it has one."""
    for e in entries:
        if _NEXT_TEXT.match(e.text):
            return e.url
    return None


# -- script-paged lists -----------------------------------------------------------------------


def _dotted(data: object, path: str) -> object:
    for key in path.split(".") if path else ():
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _date_value(value: object) -> datetime | None:
    if isinstance(value, int | float) and value > 10**11:  # epoch milliseconds, as Java CMSs send
        return datetime.fromtimestamp(value / 1000, UTC)
    if isinstance(value, str) and value.strip():
        found = find_date(value)
        return found.value.astimezone(UTC) if found and found.value else None
    return None


def script_entries(
    body: bytes, spec: ScriptList, base_url: str, content_type: str | None = None
) -> tuple[list[Entry], int | None]:
    """(entries, total records if the answer says) of one answer of a script-paged list."""
    try:
        text = decode(body, content_type).text
    except DecodeError as exc:
        raise ListingError(f"list answer is not text: {exc}") from None
    if spec.format == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ListingError(f"list answer is not JSON: {exc}") from None
        records = _dotted(data, spec.records)
        if not isinstance(records, list):
            raise ListingError(f"no list of records at {spec.records!r} in the JSON answer")
        out = []
        for rec in records:
            href = _dotted(rec, spec.link)
            url = _absolute(base_url, href) if isinstance(href, str) else None
            if url is not None:
                date = _date_value(_dotted(rec, spec.date)) if spec.date else None
                out.append(Entry(url, "", date))
        return out, _int(_dotted(data, spec.total)) if spec.total else None
    try:
        root = ET.fromstring(text.encode("utf-8") if text.lstrip().startswith("<?xml") else text)
    except ET.ParseError as exc:
        raise ListingError(f"list answer is not XML: {exc}") from None
    out = []
    for rec in root.iter(spec.records):
        for e in html_entries(rec.text or "", base_url):
            out.append(e)
    total = _int(root.findtext(f".//{spec.total}")) if spec.total else None
    return out, total


# -- sitemaps and feeds -------------------------------------------------------------------------


def ungzip(body: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    """The bytes of a gzip file (a `.xml.gz` sitemap), or the body as it is when it is not gzip."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, limit)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise ListingError(f"bad gzip: {exc}") from None
    return out


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap: its pages (with `lastmod`) or, for an index, the sitemaps it names."""

    entries: tuple[Entry, ...] = ()
    sitemaps: tuple[str, ...] = ()


def parse_sitemap(body: bytes) -> Sitemap:
    """Read a sitemap or sitemap index (gzip or not) with ultimate-sitemap-parser's string parser."""
    from usp.fetch_parse import SitemapStrParser  # 1-2 s to import (requests): only when a site has one
    from usp.objects.sitemap import AbstractIndexSitemap, AbstractPagesSitemap, InvalidSitemap

    logging.getLogger("usp").setLevel(logging.CRITICAL)  # it logs every odd line; we report failures
    raw = ungzip(body)
    text = raw.decode("utf-8", "replace").lstrip("\ufeff")
    if not text.lstrip().startswith("<"):
        raise ListingError("not an XML sitemap")
    parsed = SitemapStrParser(text).sitemap()
    if isinstance(parsed, AbstractIndexSitemap):
        return Sitemap(sitemaps=tuple(s.url for s in parsed.sub_sitemaps))
    if isinstance(parsed, AbstractPagesSitemap):
        entries = []
        for page in parsed.pages:
            when = page.last_modified
            if page.news_story is not None and page.news_story.publish_date is not None:
                when = when or page.news_story.publish_date
            if when is not None and when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            entries.append(Entry(page.url, page.news_story.title if page.news_story else "", when))
        return Sitemap(entries=tuple(entries))
    reason = parsed.reason if isinstance(parsed, InvalidSitemap) else type(parsed).__name__
    raise ListingError(f"not a sitemap: {reason}")


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """The entries of an RSS or Atom feed with feedparser: link, title, updated or published date."""
    # lazy: only when a site has a feed
    import feedparser

    feed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not feed.entries and feed.bozo:
        raise ListingError(f"not a feed: {feed.get('bozo_exception')}")
    out = []
    for item in feed.entries:
        url = _absolute(base_url, item.get("link") or "")
        if url is None:
            continue
        # dict.get: feedparser's own get maps a missing `updated` to `published`, with a warning
        stamp = dict.get(item, "updated_parsed") or dict.get(item, "published_parsed")
        when = datetime(*stamp[:6], tzinfo=UTC) if stamp else None
        out.append(Entry(url, item.get("title") or "", when))
    return out
