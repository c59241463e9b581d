"""Publish dates from Chinese news pages, timezone-aware in Asia/Shanghai, with precision.

A date that cannot be read is None, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from parsers.records import DateOrigin, Precision

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    value: datetime
    precision: Precision
    origin: DateOrigin


_NUMERIC = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?/?"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?)?"
)
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[-/]?(?P<m>\d{2})[-/]?(?P<d>\d{2})(?:/|\D)")


def _build(y: str, m: str, d: str, hh: str | None, mm: str | None, origin: DateOrigin) -> ParsedDate | None:
    try:
        if hh is not None and mm is not None:
            value = datetime(int(y), int(m), int(d), int(hh), int(mm), tzinfo=SHANGHAI)
            return ParsedDate(value, "minute", origin)
        return ParsedDate(datetime(int(y), int(m), int(d), tzinfo=SHANGHAI), "day", origin)
    except ValueError:
        return None


def find_date(text: str) -> ParsedDate | None:
    """The first full date (with time when shown) in a line of page text."""
    for m in _NUMERIC.finditer(text):
        found = _build(m["y"], m["m"], m["d"], m["H"], m["M"], "page")
        if found:
            return found
    return None


def date_from_url(url: str) -> ParsedDate | None:
    """A day-precision date from a URL path such as /system/2025/04/15/ or /t20250417_…"""
    m = _URL_DATE.search(url)
    return _build(m["y"], m["m"], m["d"], None, None, "url") if m else None
