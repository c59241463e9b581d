"""Dates in article URLs: the fallback publish date (day precision, origin "url") and the year
for dates printed without one.

A URL date is the day the CMS filed the article. It never carries a time: where a CMS puts a
time of day in its IDs (tianshui's YYYYMMDDHHMMSS + random digits), that is the creation time,
17 s to ~15 min after the shown one, so only the day is taken.
"""

from __future__ import annotations

import re

from parsers.dates.model import ParsedDate, make_date

_URL_PATTERNS = (
    # timestamp IDs: tianshui and its mirrors /news/zjc/201905261112464568.htm (…_2.htm for page 2):
    # the date, HHMMSS and 3-5 random digits (a shorter digit run is not known to be a timestamp)
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)\d{9,11}(?:_\d+)?\.s?html?(?:$|[?#])"),
    # path dates: gscn /system/2025/04/15/, tsrb /2014-07/15/, sina /2024-05-10/, people /2024/0510/,
    # xjmty /2024/11-17/, TRS /t20250417_…, gansudaily e-paper /202105/06/, 1905.com /20240511/
    re.compile(
        r"(?:/|\bt)(?P<y>(?:19|20)\d{2})[-/_]?(?P<m>1[0-2]|0[1-9])[-/_]?(?P<d>3[01]|[12]\d|0[1-9])"
        r"(?=[/_.\-]|$)"
    ),
    # Hanweb government sites write month and day unpadded: /art/2024/6/12/art_1554467_60214548.html
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>1[0-2]|[1-9])/(?P<d>3[01]|[12]\d|[1-9])/"),
)
# Hanweb's /art/2025/art_<32 hex>.html names only the year
_URL_YEAR = re.compile(r"/(?P<y>(?:19|20)\d{2})(?:/|[-_]|\d{2}(?:/|\d))")


def _path(url: str) -> str:
    path = url.split("://", 1)[-1].partition("/")[2]
    return "/" + path.split("?", 1)[0].split("#", 1)[0]


def date_from_url(url: str | None) -> ParsedDate | None:
    """A day-precision date from a URL path, or None when the path names no full date."""
    if not url:
        return None
    path = _path(url)
    for pattern in _URL_PATTERNS:
        m = pattern.search(path)
        if m:
            found = make_date(int(m["y"]), int(m["m"]), int(m["d"]), origin="url")
            if found:
                return found
    return None


def year_from_url(url: str | None) -> int | None:
    """The year a URL names (a full date's year, or /art/2025/art_… with no month)."""
    found = date_from_url(url)
    if found:
        return found.value.year
    if not url:
        return None
    m = _URL_YEAR.search(_path(url))
    return int(m["y"]) if m else None
