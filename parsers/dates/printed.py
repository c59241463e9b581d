"""Dates as Chinese pages print them, found in one scan of a text.

One compiled alternation reads every printed form, so a header region costs one pass
whatever the number of forms (each alternative names the page language it handles):
`2019/5/26 11:08:34`, `2025年04月15日 09:46:00`, `2024.11.17`, `2021/05/06/ 10:05`,
`28.09.2015  10:31`, `06/02/2022 - 13:48`, `23-08-16 10:52`, `二〇一九年五月二十六日`,
`2019年5月` (month precision), `5月18日` / `05-13 06:16` (no year), `昨天 10:30`, `3小时前`.

A date printed without a year takes it from an anchor date of the same page (the URL's or
the meta tag's date: the nearest such year), else from the fetch time (a page leaves the year
out for this year's dates: the latest year not in the future), else it is skipped. A
relative date needs the fetch time. Nothing is ever filled in from "today".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from parsers.dates.model import SHANGHAI, ParsedDate, make_date

# Full-width digits read as ASCII (`２０２４年１１月１７日`), one character for one so spans stay
# valid; the fold runs only on a text that has one, the separators' full-width forms are matched.
FOLD = str.maketrans({chr(0xFF10 + i): chr(0x30 + i) for i in range(10)})
_FULL_WIDTH_DIGIT = re.compile("[０-９]")


# A time of day right after a date: ` 11:08:34`, `T09:46`, ` - 13:48`, `10时30分`, `下午3:20`,
# `17:19PM`, with a weekday before or after (`2016-04-14 15:23:51 星期四`). One reader for
# every form, run only where a date ended. A 分/秒 unit on the next line or starting a word is
# not the time's (`11:05:12` / `分享到：` on a share bar, cctv.com and most portals).
_WEEKDAY = r"(?:\s*[(（]?(?:星期|周|礼拜)[一二三四五六日天][)）]?)?"
_TIME_SOURCE = (
    _WEEKDAY + r"\s*(?:T|[-—–－,，]\s*)?\s*(?P<ap>上午|下午|晚上|凌晨|中午|早上|早晨|傍晚)?\s*"
    r"(?P<H>[01]?\d|2[0-3])\s*[:：时点]\s*(?P<M>[0-5]\d)"
    r"(?:\s*[:：分]\s*(?P<S>[0-5]\d)(?:\.\d+)?)?(?![\d:：])(?:[ \t]*[秒分](?![\u4e00-\u9fff]))?"
    r"(?:\s*(?P<pm>[AaPp][Mm])\b)?" + _WEEKDAY
)
_Y = r"(?:19|20)\d{2}"
_M = r"1[0-2]|0?[1-9]"
_D = r"3[01]|[12]\d|0?[1-9]"
_CN = "〇零○Ｏ一二三四五六七八九"

# Every form starts with a digit, a Chinese numeral or a relative word: positions that cannot
# start one fail on the lookahead before the alternatives are tried.
_SCAN_SOURCE = (
    rf"(?=[\d{_CN}今昨前刚])(?:"
    + "|".join(
        (
            # portals, CMS meta lines, e-papers: 2019/5/26 11:08:34, 2025年04月15日 09:46:00,
            # 2024.11.17, gansudaily's 2021/05/06/ 10:05, 2016-04-14 15:23:51 星期四
            rf"(?P<ymd>(?<![\d.．])(?P<y_a>{_Y})\s*[-/.年－／．]\s*(?P<m_a>{_M})\s*[-/.月－／．]\s*"
            rf"(?P<d_a>{_D})(?!\d)(?:\s*[日号])?(?:\s*/)?)",
            # magazines and monthly reports print only 年 and 月: 2019年5月 (month precision)
            rf"(?P<ym>(?<![\d.．])(?P<y_b>{_Y})\s*年\s*(?P<m_b>{_M})\s*月(?!\s*\d|份))",
            # foreign services' Chinese pages print the day first: RFI 06/02/2022 - 13:48, 28.09.2015 10:31
            rf"(?P<dmy>(?<![\d.:/．：／])(?P<d_c>{_D})(?P<sep_c>[./．／])(?P<m_c>{_M})(?P=sep_c)(?P<y_c>{_Y})(?!\d))",
            # gscn's two-digit year, trusted only with a time after it: 23-08-16 10:52
            r"(?P<yy>(?<![\d.:/\-．：／－])(?P<y_d>\d{2})(?P<sep_d>[-－])(?P<m_d>1[0-2]|0[1-9])(?P=sep_d)"
            r"(?P<d_d>3[01]|[12]\d|0[1-9])(?=\s+\d))",
            # formal documents and e-paper mastheads: 二〇一九年五月二十六日, 二〇二四年六月
            rf"(?P<cn>(?P<y_e>[{_CN}]{{4}})\s*年\s*(?P<m_e>十[一二]?|[一二三四五六七八九])\s*月"
            rf"(?:\s*(?P<d_e>三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号])?)",
            # this year's dates without the year: 5月18日, 5月10日09:01 (portal side columns, datelines)
            rf"(?P<md>(?<![\d年./\-．／－])(?P<m_f>{_M})\s*月\s*(?P<d_f>{_D})\s*[日号])",
            # app-style headers: 05-13 06:16 (month-day and a time, no year)
            r"(?P<mdt>(?<![\d/.:\-．：／－])(?P<m_g>1[0-2]|0[1-9])[-－](?P<d_g>3[01]|[12]\d|0[1-9])(?=\s+\d))",
            # relative to the fetch time: 昨天 10:30 (with its time), 25分钟前, 3小时前, 刚刚
            r"(?P<rel>(?P<word>今天|今日|昨天|昨日|前天)(?=\s*\d)"
            r"|(?P<n>\d{1,3})\s*(?P<unit>秒|分钟|小时|天)前|(?P<now>刚刚))",
        )
    )
    + ")"
)
_NEEDS_TIME = frozenset({"yy", "mdt"})  # and 今天/昨天/前天: alone they are words, not dates


@functools.cache
def _compiled() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(scan, time, weekday), compiled on first use: patterns with CJK classes take milliseconds
    to compile, which a command that reads no page (sql, stats) should not pay at import."""
    return re.compile(_SCAN_SOURCE), re.compile(_TIME_SOURCE), re.compile(_WEEKDAY)


_KINDS = ("ymd", "ym", "dmy", "yy", "cn", "md", "mdt", "rel")
_TIMED = frozenset({"ymd", "dmy", "yy", "md", "mdt", "rel"})  # forms a time may follow

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
_AFTERNOON = frozenset({"下午", "晚上", "傍晚"})
_BACK_DAYS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}


@dataclass(frozen=True, slots=True)
class Printed:
    """One date found in a text: where it is, what form it had, and its value."""

    date: ParsedDate
    start: int
    end: int
    kind: str  # one of _KINDS
    inferred: bool  # the year or the day came from elsewhere (no year printed, or relative)


def cn_number(text: str) -> int:
    """二十六 -> 26, 十 -> 10, 十二 -> 12 (day and month numerals)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _clock(t: re.Match[str] | None) -> tuple[int | None, int | None, int | None]:
    if t is None:
        return None, None, None
    hour = int(t["H"])
    if hour < 12 and (t["ap"] in _AFTERNOON or (t["pm"] or "").lower() == "pm"):
        hour += 12
    return hour, int(t["M"]), int(t["S"]) if t["S"] is not None else None


def year_for(month: int, day: int, anchor: date | None, year: int | None, now: datetime | None) -> int | None:
    """The year of a date printed without one: nearest to the page's anchor date, else the given
    year, else the latest year that does not put it after the fetch time."""
    if anchor is not None:
        best = None
        for y in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                gap = abs((date(y, month, day) - anchor).days)
            except ValueError:
                continue
            if best is None or gap < best[0]:
                best = (gap, y)
        return best[1] if best else None
    if year is not None:
        return year
    if now is not None:
        local = now.astimezone(SHANGHAI).date()
        try:
            return local.year if date(local.year, month, day) <= local + timedelta(days=1) else local.year - 1
        except ValueError:
            return local.year - 1 if month == 2 and day == 29 else None
    return None


def _relative(m: re.Match[str], t: re.Match[str] | None, now: datetime | None) -> ParsedDate | None:
    if now is None:
        return None  # a relative date without the fetch time is unreadable, not "today"
    local = now.astimezone(SHANGHAI).replace(microsecond=0)
    if m["now"]:
        return ParsedDate(local.replace(second=0), "minute", "page")
    if m["word"]:
        day = (local - timedelta(days=_BACK_DAYS[m["word"]])).date()
        return make_date(day.year, day.month, day.day, *_clock(t))
    n, unit = int(m["n"]), m["unit"]
    if unit in ("秒", "分钟"):
        at = local - (timedelta(seconds=n) if unit == "秒" else timedelta(minutes=n))
        return ParsedDate(at.replace(second=0), "minute", "page")
    at = local - (timedelta(hours=n) if unit == "小时" else timedelta(days=n))
    return make_date(at.year, at.month, at.day)  # the day is certain, the hour is not


def _read(
    m: re.Match[str],
    kind: str,
    t: re.Match[str] | None,
    anchor: date | None,
    year: int | None,
    now: datetime | None,
) -> ParsedDate | None:
    if kind == "ymd":
        return make_date(int(m["y_a"]), int(m["m_a"]), int(m["d_a"]), *_clock(t))
    if kind == "ym":
        return make_date(int(m["y_b"]), int(m["m_b"]), None)
    if kind == "dmy":
        return make_date(int(m["y_c"]), int(m["m_c"]), int(m["d_c"]), *_clock(t))
    if kind == "yy":
        yy = int(m["y_d"])
        return make_date(2000 + yy if yy < 70 else 1900 + yy, int(m["m_d"]), int(m["d_d"]), *_clock(t))
    if kind == "cn":
        y = int("".join(str(_CN_DIGITS[c]) for c in m["y_e"]))
        return make_date(y, cn_number(m["m_e"]), cn_number(m["d_e"]) if m["d_e"] else None)
    if kind in ("md", "mdt"):
        i = "_f" if kind == "md" else "_g"
        month, day = int(m[f"m{i}"]), int(m[f"d{i}"])
        y = year_for(month, day, anchor, year, now)
        return None if y is None else make_date(y, month, day, *_clock(t))
    return _relative(m, t, now)


def scan(
    text: str,
    *,
    anchor: date | None = None,
    year: int | None = None,
    now: datetime | None = None,
) -> list[Printed]:
    """Every readable date in `text`, in page order (one regex pass).

    `anchor` (a full date of the same page) or `year` reads dates printed without a year;
    `now` (the fetch time) reads relative ones. Impossible dates (2023-02-30) are skipped.
    """
    if _FULL_WIDTH_DIGIT.search(text):
        text = text.translate(FOLD)
    found: list[Printed] = []
    taken = 0  # the end of the last date with its time: a match inside that time is not a date
    scanner, time_reader, weekday = _compiled()
    for m in scanner.finditer(text):
        if m.start() < taken:
            continue
        kind = m.lastgroup if m.lastgroup in _KINDS else next(k for k in _KINDS if m[k] is not None)
        t = time_reader.match(text, m.end()) if kind in _TIMED and not m["n"] and not m["now"] else None
        if t is None and (kind in _NEEDS_TIME or m["word"]):
            continue
        end = t.end() if t else weekday.match(text, m.end()).end()  # type: ignore[union-attr]
        parsed = _read(m, kind, t, anchor, year, now)
        if parsed is not None:
            found.append(Printed(parsed, m.start(), end, kind, kind in ("md", "mdt", "rel")))
            taken = end
    return found


# A calendar-style date widget prints the year, the month/day and the time in elements of their
# own, which a page's text reads one per line: news.cn's `<span class="year"><em>2024</em></span>
# <span class="day"><em>05</em>/<em>17</em></span><span class="time">09:31:22</span>`, and
# `2024-05` / `17` or `2024年` / `05月17日` blocks on portals. Joined, they read as one stamp.
_SPLIT_DATE = re.compile(
    rf"(?m)^[ \t]*(?P<y>{_Y})[ \t]*(?:年[ \t]*\n|\n|[-/.][ \t]*(?P<m1>{_M})[ \t]*\n)"
    rf"(?(m1)|[ \t]*(?P<m>{_M})[ \t]*\n?[ \t]*[-/.月][ \t]*\n?)[ \t]*(?P<d>{_D})[ \t]*日?[ \t]*"
    r"(?:\n[ \t]*(?P<t>(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)[ \t]*)?$"
)


def join_split_date(text: str) -> str:
    """A date printed over several lines by a date widget, put on one line (`2024-05-17 09:31:22`)."""
    if "\n" not in text:
        return text
    return _SPLIT_DATE.sub(
        lambda m: f"{m['y']}-{m['m1'] or m['m']}-{m['d']}" + (f" {m['t']}" if m["t"] else ""), text
    )
