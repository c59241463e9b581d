"""The dateline that opens a news story: the report's day when a page prints no publish time.

Wire services, state media and county media centres open the first paragraph with the place
and the day: `新华社乌鲁木齐5月9日电（记者邹伟）`, `人民网北京5月9日电`, `中国网5月13日讯`,
`央广网北京2月13日消息`, `秦州区融媒体中心8月8日讯`. A dateline prints no year: it comes from
the URL (the year nearest a URL date, or the year a URL names), else the date is None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parsers.dates.model import ParsedDate, make_date
from parsers.dates.printed import year_for
from parsers.dates.urls import date_from_url, year_from_url

_DATELINE = re.compile(
    r"^[^，。,；]{0,30}?(?<!\d)(?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])日(?:讯|电|消息)"
)


def dateline_date(paragraphs: Sequence[str], url: str | None) -> ParsedDate | None:
    """The day of a dateline in the first two paragraphs, in the URL's year; else None."""
    from_url = date_from_url(url)
    year = None if from_url else year_from_url(url)
    if from_url is None and year is None:
        return None
    for para in paragraphs[:2]:
        m = _DATELINE.match(para.lstrip())
        if m:
            month, day = int(m["m"]), int(m["d"])
            y = year_for(month, day, from_url.value.date() if from_url else None, year, None)
            return make_date(y, month, day) if y is not None else None
    return None
