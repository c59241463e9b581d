"""The value every date reader returns: a timezone-aware time, its precision and its origin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from parsers.records import DateOrigin, Precision

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class ParsedDate:
    value: datetime  # aware, Asia/Shanghai; seconds kept only where they were printed
    precision: Precision
    origin: DateOrigin


def make_date(
    y: int,
    m: int,
    d: int | None,
    hh: int | None = None,
    mm: int | None = None,
    ss: int | None = None,
    origin: DateOrigin = "page",
) -> ParsedDate | None:
    """A ParsedDate at the precision the parts give (month, day or minute); None if impossible."""
    try:
        if d is None:
            return ParsedDate(datetime(y, m, 1, tzinfo=SHANGHAI), "month", origin)
        if hh is not None and mm is not None:
            return ParsedDate(datetime(y, m, d, hh, mm, ss or 0, tzinfo=SHANGHAI), "minute", origin)
        return ParsedDate(datetime(y, m, d, tzinfo=SHANGHAI), "day", origin)
    except ValueError:
        return None
