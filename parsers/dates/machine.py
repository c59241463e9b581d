"""Dates a page states for machines: meta tags, JSON-LD and the WeChat template's timestamp.

These are read before a parser strips `<script>`; scripts are searched only when the meta tags
state no publish time, JSON-LD in `<head>` only (a selector query over the body costs about a
millisecond on a real page, more than the rest of the date path). A value written with
a UTC offset (`2024-05-13T09:16:04+08:00`, `2022-02-06T12:48:06+00:00`) is converted to
Shanghai time and its offset kept, so the ranking can tell a page that prints its times in
another zone (a foreign broadcaster's Chinese service) from one whose meta is wrong.
JSON-LD is read with `json` (a regex where the JSON is broken); a JSON-LD/microdata library
such as extruct would import rdflib for one field (2.3-2.6 s to import here).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from parsers.dates.lines import find_date
from parsers.dates.model import SHANGHAI, ParsedDate

if TYPE_CHECKING:  # the engine itself needs no DOM library: `import parsers.dates` stays light
    from selectolax.lexbor import LexborHTMLParser

# Meta keys (lowercased, spaces removed: sina writes `weibo: article:create_at`), preferred first.
PUBLISHED_METAS = (
    "article:published_time", "og:article:published_time", "article:published", "og:release_date",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date", "publishtime",
    "publish_time", "firstpublishedtime", "weibo:article:create_at", "og:time", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created", "sailthru.date", "parsely-pub-date",
    "releasedate", "date",
)  # fmt: skip
UPDATED_METAS = (
    "article:modified_time", "og:updated_time", "datemodified", "dateupdate", "dc.date.modified",
    "dcterms.modified", "weibo:article:update_at", "lastmod", "last-modified",
)  # fmt: skip

_ISO = re.compile(
    r"^\s*(?P<y>(?:19|20)\d{2})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_EPOCH = re.compile(r"^\s*(?P<s>1\d{9})(?P<ms>\d{3})?\s*$")
_LD_FIELD = re.compile(r'"(?P<key>datePublished|dateModified)"\s*:\s*"(?P<value>[^"]+)"')
_LD = 'script[type="application/ld+json"]'
# WeChat articles print their time from a script variable: var ct = "1659274471";
_WECHAT_CT = re.compile(r'\bvar\s+ct\s*=\s*"(?P<s>1\d{9})"')
_WECHAT_DATE = re.compile(r'\bvar\s+publish_time\s*=\s*"(?P<d>(?:19|20)\d{2}-\d{2}-\d{2})"')


@dataclass(frozen=True, slots=True)
class Stated:
    """A machine-stated date and the UTC offset it was written with (None: no offset given)."""

    date: ParsedDate
    offset: timedelta | None = None


@dataclass(frozen=True, slots=True)
class MachineDates:
    published: Stated | None = None
    updated: Stated | None = None


def read_stated(value: str) -> Stated | None:
    """An ISO-like or epoch value (`2024-05-13T09:16:04+08:00`, `2024-05-13 06:15`, `1659274471`)."""
    m = _ISO.match(value)
    if m is None:
        e = _EPOCH.match(value)
        if e is not None:
            at = datetime.fromtimestamp(int(e["s"]), UTC).astimezone(SHANGHAI)
            return Stated(ParsedDate(at, "minute", "page"), timedelta(0))
        found = find_date(value)  # `2024年05月13日 06:15`, `11 05 2024`-style values read as printed
        return Stated(found) if found else None
    try:
        if m["H"] is None:
            day = datetime(int(m["y"]), int(m["m"]), int(m["d"]), tzinfo=SHANGHAI)
            return Stated(ParsedDate(day, "day", "page"))
        naive = datetime(int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"]), int(m["M"]), int(m["S"] or 0))
    except ValueError:
        return None
    tz = m["tz"]
    if not tz:
        return Stated(ParsedDate(naive.replace(tzinfo=SHANGHAI), "minute", "page"))
    tz = tz.replace(":", "")
    offset = timedelta(0) if tz == "Z" else timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5]))
    if tz.startswith("-"):
        offset = -offset
    at = (naive - offset).replace(tzinfo=UTC).astimezone(SHANGHAI)
    return Stated(ParsedDate(at, "minute", "page"), offset)


def read_machine_dates(tree: LexborHTMLParser, metas: Mapping[str, str]) -> MachineDates:
    """Publish and update dates from meta tags, JSON-LD and WeChat's script (before scripts are stripped).

    `metas` maps lowercased meta names/properties to their content (`parsers.dom.meta_contents`).
    """
    keys = {k.replace(" ", ""): v for k, v in metas.items()}
    published = _first(keys, PUBLISHED_METAS)
    updated = _first(keys, UPDATED_METAS)
    if published is None:  # JSON-LD and scripts cost a walk of the tree: read only when metas say nothing
        if (
            keys.get("og:site_name") == "微信公众平台"
        ):  # WeChat fills its <em id="publish_time"> from `var ct`
            published = _wechat(tree)
        head = tree.head  # JSON-LD sits in <head> on the pages that have it; a body walk costs ~1 ms
        for node in head.css(_LD) if published is None and head is not None else ():
            pub, upd = _json_ld(node.text(deep=True) or "")
            published, updated = published or pub, updated or upd
    return MachineDates(published, updated)


def _first(metas: Mapping[str, str], keys: tuple[str, ...]) -> Stated | None:
    for key in keys:
        value = metas.get(key)
        if value:
            found = read_stated(value)
            if found:
                return found
    return None


def _walk(data: object) -> Iterator[dict[str, object]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _walk(value)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item)


def _json_ld(text: str) -> tuple[Stated | None, Stated | None]:
    published = updated = None
    try:
        pairs = [
            (key, value)
            for obj in _walk(json.loads(text))
            for key, value in obj.items()
            if key in ("datePublished", "dateModified") and isinstance(value, str)
        ]
    except ValueError:  # broken JSON (trailing commas, raw newlines): read the two fields directly
        pairs = [(m["key"], m["value"]) for m in _LD_FIELD.finditer(text)]
    for key, value in pairs:
        if key == "datePublished" and published is None:
            published = read_stated(value)
        elif key == "dateModified" and updated is None:
            updated = read_stated(value)
    return published, updated


def _wechat(tree: LexborHTMLParser) -> Stated | None:
    """WeChat shows `var ct` (the publish instant) to the minute; older pages set `publish_time`."""
    for node in tree.css("script"):
        text = node.text(deep=True) or ""
        if "var ct" in text:
            m = _WECHAT_CT.search(text)
            if m:
                at = datetime.fromtimestamp(int(m["s"]), UTC).astimezone(SHANGHAI).replace(second=0)
                return Stated(ParsedDate(at, "minute", "page"), timedelta(hours=8))
        if "var publish_time" in text:
            m = _WECHAT_DATE.search(text)
            if m:
                found = read_stated(m["d"])
                if found:
                    return found
    return None
