"""Publish dates from Chinese news pages, timezone-aware in Asia/Shanghai, with precision.

Every format seen on the seed sites and their neighbours (SITES.md §6.2) is read here:
`2019/5/26 11:08:34`, `2013-8-22 11:04:21`, `2021/05/06/ 10:05`, `23-08-16 10:52`,
`2025年04月15日 09:46:00`, `2024.11.17`, `28.09.2015  10:31`, `2016-04-14 15:23:51 星期四`,
`二〇一九年五月二十六日`, `5月18日` (year from the URL or the page), `昨天 10:30`, `3小时前`.

A date that cannot be read is None, never a guess. The label in front of a date says what it
is: a farm's `更新时间`, a mirror's own `發(fā)布時(shí)間` and a re-publish stamp after a site URL
(tsrb) are never the publish date, so `find_date` skips them and `labelled_dates` names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from parsers.records import DateOrigin, Precision

SHANGHAI = ZoneInfo("Asia/Shanghai")
DateRole = Literal["published", "updated", "mirror", "republish", "unlabelled"]


@dataclass(frozen=True, slots=True)
class ParsedDate:
    value: datetime
    precision: Precision
    origin: DateOrigin


@dataclass(frozen=True, slots=True)
class LabelledDate:
    """A date found in a line of text, with the role its label gives it and where it sits."""

    date: ParsedDate
    role: DateRole
    label: str
    start: int
    end: int


_FOLD_DIGITS = str.maketrans({chr(0xFF10 + i): chr(0x30 + i) for i in range(10)} | {"：": ":"})
_TIME = (
    r"(?:\s*(?:T|\s)?\s*(?P<H>[01]?\d|2[0-3])\s*[:时]\s*(?P<M>[0-5]\d)"
    r"(?:\s*[:分]\s*(?P<S>[0-5]\d)(?:\.\d+)?)?(?!\d)\s*秒?)?"
)
_WEEKDAY = r"(?:\s*(?:星期|周|礼拜)[一二三四五六日天])?"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 2019/5/26 11:08:34, 2013-8-22, 2025年04月15日 09:46:00, 2024.11.17, 2021/05/06/ 10:05
    (
        "ymd",
        re.compile(
            r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>1[0-2]|0?[1-9])\s*[-/.月]\s*"
            r"(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)\s*日?(?:\s*/)?" + _TIME + _WEEKDAY
        ),
    ),
    # 28.09.2015  10:31 (day first, dots)
    (
        "dmy",
        re.compile(
            r"(?<![\d.])(?P<d>3[01]|[12]\d|0?[1-9])\.(?P<m>1[0-2]|0?[1-9])\.(?P<y>(?:19|20)\d{2})(?!\d)"
            + _TIME
        ),
    ),
    # 23-08-16 10:52 (gscn): a two-digit year only counts with a time after it
    (
        "yy",
        re.compile(
            r"(?<![\d.:/-])(?P<y>\d{2})-(?P<m>1[0-2]|0[1-9])-(?P<d>3[01]|[12]\d|0[1-9])\s+"
            r"(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?(?![\d:])"
        ),
    ),
    # 二〇一九年五月二十六日
    (
        "cn",
        re.compile(
            r"(?P<y>[〇零○Ｏ一二三四五六七八九]{4})年(?P<m>十[一二]?|[一二三四五六七八九])月"
            r"(?P<d>三十[一]?|二?十[一二三四五六七八九]?|[一二三四五六七八九])日"
        ),
    ),
    # 5月18日, 8月8日讯: no year, it comes from the URL or elsewhere on the page
    (
        "md",
        re.compile(
            r"(?<![\d年月])(?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])日" + _TIME + _WEEKDAY
        ),
    ),
    # 昨天 10:30, 3小时前, 刚刚
    (
        "rel",
        re.compile(
            r"(?P<word>今天|今日|昨天|昨日|前天)" + _TIME
            + r"|(?P<n>\d{1,3})\s*(?P<unit>分钟|小时|天)前|(?P<now>刚刚)"
        ),
    ),
)  # fmt: skip

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}

# The label right before a date, read backwards from the date within its line.
_LABEL_UPDATED = re.compile(r"(?:更新|修改|最后更新|最后修改)(?:时间|日期|于)?\s*[:：]?\s*$")
_LABEL_PUBLISHED = re.compile(
    r"(?:发布|发表|发稿|刊发|稿件|出版|见报)?(?:时间|日期|于)\s*[:：]?\s*$|^\s*[(（]?\s*$"
)
_LABEL_MIRROR = re.compile(
    r"(?:[發发][(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]|發)"
    r"(?:布|佈|表)\S{0,12}[:：]?\s*$"
)
_LABEL_REPUBLISH = re.compile(r"(?:https?://|www\.)\S+\s*$")
_LABEL = re.compile(r"[^\s|｜】\]:：]*(?:\s*[:：])?\s*$")  # the last token before the date: `发布时间: `, `(`


def _cn_number(text: str) -> int:
    """二十六 -> 26, 十 -> 10, 十二 -> 12 (day and month numerals only)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _make(
    y: int, m: int, d: int, hh: str | None, mm: str | None, ss: str | None, origin: DateOrigin
) -> ParsedDate | None:
    try:
        if hh is not None and mm is not None:
            value = datetime(y, m, d, int(hh), int(mm), int(ss or 0), tzinfo=SHANGHAI)
            return ParsedDate(value, "minute", origin)
        return ParsedDate(datetime(y, m, d, tzinfo=SHANGHAI), "day", origin)
    except ValueError:
        return None


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if yy < 70 else 1900 + yy


def _relative(m: re.Match[str], now: datetime | None) -> ParsedDate | None:
    if now is None:
        return None  # a relative date without the fetch time is unreadable, not "today"
    local = now.astimezone(SHANGHAI)
    if m["now"]:
        return ParsedDate(local.replace(second=0, microsecond=0), "minute", "page")
    if m["word"]:
        back = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}[m["word"]]
        day = (local - timedelta(days=back)).date()
        return _make(day.year, day.month, day.day, m["H"], m["M"], m["S"], "page")
    n, unit = int(m["n"]), m["unit"]
    if unit == "分钟":
        at = local - timedelta(minutes=n)
        return ParsedDate(at.replace(second=0, microsecond=0), "minute", "page")
    at = local - (timedelta(hours=n) if unit == "小时" else timedelta(days=n))
    return _make(at.year, at.month, at.day, None, None, None, "page")  # the day is certain, the hour not


def _from_match(kind: str, m: re.Match[str], year: int | None, now: datetime | None) -> ParsedDate | None:
    if kind == "rel":
        return _relative(m, now)
    if kind == "cn":
        y = int("".join(str(_CN_DIGITS[c]) for c in m["y"]))
        return _make(y, _cn_number(m["m"]), _cn_number(m["d"]), None, None, None, "page")
    if kind == "md":
        if year is None:
            return None  # 5月18日 with no year anywhere: unknown, not this year
        return _make(year, int(m["m"]), int(m["d"]), m["H"], m["M"], m["S"], "page")
    y = _two_digit_year(int(m["y"])) if kind == "yy" else int(m["y"])
    return _make(y, int(m["m"]), int(m["d"]), m["H"], m["M"], m["S"], "page")


def date_role(before: str) -> DateRole:
    """What the label in front of a date makes of it: `更新时间:` -> "updated", `發(fā)布時(shí)間:` ->
    "mirror", `http://www.tsrb.com.cn ` -> "republish", `发布时间:` -> "published"."""
    label = _LABEL.search(before[-40:]).group()  # type: ignore[union-attr]
    if _LABEL_UPDATED.search(label):
        return "updated"
    if _LABEL_MIRROR.search(label):
        return "mirror"
    if _LABEL_REPUBLISH.search(before):
        return "republish"
    if label.strip() and _LABEL_PUBLISHED.search(label):
        return "published"
    return "unlabelled"


def labelled_dates(text: str, *, year: int | None = None, now: datetime | None = None) -> list[LabelledDate]:
    """Every readable date in a line of page text, in order, each with the role of its label.

    `year` reads dates printed without one (`5月18日`); `now` (the fetch time) reads relative
    dates (`昨天`, `3小时前`). Without them those dates are skipped, never guessed.
    """
    folded = text.translate(_FOLD_DIGITS)
    found: list[LabelledDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            parsed = _from_match(kind, m, year, now)
            if parsed is None:
                continue
            taken.append(m.span())
            line_start = folded.rfind("\n", 0, m.start()) + 1
            before = text[line_start : m.start()]
            label = _LABEL.search(before[-40:]).group().strip()  # type: ignore[union-attr]
            found.append(LabelledDate(parsed, date_role(before), label, m.start(), m.end()))
    found.sort(key=lambda x: x.start)
    return found


def find_date(text: str, *, year: int | None = None, now: datetime | None = None) -> ParsedDate | None:
    """The first date that can be a publish date (update, mirror and re-publish stamps skipped)."""
    for item in labelled_dates(text, year=year, now=now):
        if item.role in ("published", "unlabelled"):
            return item.date
    return None


def find_updated_date(text: str, *, now: datetime | None = None) -> ParsedDate | None:
    """The first `更新时间`-style date: it belongs in `updated_at`, never in `published_at`."""
    for item in labelled_dates(text, now=now):
        if item.role == "updated":
            return item.date
    return None


def parse_date(text: str, *, year: int | None = None, now: datetime | None = None) -> ParsedDate | None:
    """A string that is a date and nothing else (whitespace, brackets and a label aside), else None."""
    items = labelled_dates(text, year=year, now=now)
    if len(items) != 1:
        return None
    return items[0].date


# -- dates in URLs ---------------------------------------------------------------------------

_URL_PATTERNS = (
    # tianshui article IDs: YYYYMMDDHHMMSS + 3-5 random digits; the ID time is not the shown time
    re.compile(r"/(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})\d{9,11}\.s?html?"),
    # /system/2025/04/15/, /2014-07/15/, /2024/11-17/, /t20250417_, /202105/06/, /20250417/
    re.compile(
        r"(?:/|\bt)(?P<y>(?:19|20)\d{2})[-/_]?(?P<m>1[0-2]|0[1-9])[-/_]?(?P<d>3[01]|[12]\d|0[1-9])(?=[/_.\-]|$)"
    ),
)
_URL_YEAR = re.compile(r"/(?P<y>(?:19|20)\d{2})(?:/|[-_]|\d{2}(?:/|\d))")


def date_from_url(url: str) -> ParsedDate | None:
    """A day-precision date from a URL path such as /system/2025/04/15/, /t20250417_… or a tianshui ID."""
    path = url.split("://", 1)[-1].partition("/")[2]
    path = "/" + path.split("?", 1)[0]
    for pattern in _URL_PATTERNS:
        m = pattern.search(path)
        if m:
            found = _make(int(m["y"]), int(m["m"]), int(m["d"]), None, None, None, "url")
            if found:
                return found
    return None


def year_from_url(url: str) -> int | None:
    """The year a URL names (also /art/2025/art_… with no month), for dates printed without a year."""
    found = date_from_url(url)
    if found:
        return found.value.year
    path = "/" + url.split("://", 1)[-1].partition("/")[2]
    m = _URL_YEAR.search(path)
    return int(m["y"]) if m else None
