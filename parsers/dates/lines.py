"""Dates in a piece of page text, each with the role its label gives it (one scan, then labels).

`labelled_dates` is what the page-level ranking, the byline step (a body line that is only a
date) and the site parsers' meta lines read. A date glued into a sentence
(`记者曹磊5月13日报道`, `2024年5月13日，国务院…`) is an event in the text, not a stamp, unless a
label sits right before it (`发布时间2024-05-13`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from parsers.dates.labels import DateRole, date_role, label_before
from parsers.dates.model import ParsedDate
from parsers.dates.printed import scan

# Meta-line words a template glues right after its date: `2023-11-07 09:12:45来源：兰州新闻网字号：`
_META_AFTER = re.compile(
    r"(?:来源|来自|稿源|出处|作者|编辑|责编|记者|通讯员|供稿|字号|字体|浏览|阅读|点击|人气|访问|"
    r"星期|礼拜|分享|打印|收藏|评论|举报|【|\[)"
)
_LINE_LABEL = re.compile(r"[:：]\s*$")  # a line that ends in a colon labels the line below
_STAMP_ROLES = frozenset({"published", "updated", "other", "comment", "banner", "archive", "mirror"})


@dataclass(frozen=True, slots=True)
class LabelledDate:
    """A date found in a text, with the role its label gives it and where it sits."""

    date: ParsedDate
    role: DateRole
    label: str
    start: int
    end: int
    kind: str = "ymd"  # the printed form (see parsers.dates.printed)
    inferred: bool = False  # year or day taken from elsewhere (no year printed, or relative)
    standalone: bool = False  # the date (with its label) is its line's only text


def labelled_dates(
    text: str,
    *,
    year: int | None = None,
    anchor: date | None = None,
    now: datetime | None = None,
) -> list[LabelledDate]:
    """Every readable date in `text`, in order, each with the role of its label.

    `anchor`/`year` read dates printed without a year (`5月18日`); `now` (the fetch time) reads
    relative dates (`昨天`, `3小时前`). Without them those dates are skipped, never guessed.
    Dates glued into running text (see `_glued`) are left out unless a label names them.
    """
    found: list[LabelledDate] = []
    for item in scan(text, anchor=anchor, year=year, now=now):
        line_start = text.rfind("\n", 0, item.start) + 1
        line_end = text.find("\n", item.end)
        if line_end < 0:
            line_end = len(text)
        before = text[line_start : item.start]
        after = text[item.end : line_end]
        wide_before, wide_after = _context(text, line_start, line_end, before, after)
        role = date_role(wide_before, wide_after)
        if role not in _STAMP_ROLES and _glued(
            before, after, item.inferred or item.date.precision == "month"
        ):
            continue
        label = label_before(before, len(before))
        rest = before.rstrip()
        label = label or label_before(wide_before, len(wide_before))
        rest = rest[: len(rest) - len(label)] if label and rest.endswith(label) else rest
        standalone = not rest.strip(" \t(（[【") and not after.strip(" \t)）]】")
        found.append(
            LabelledDate(item.date, role, label, item.start, item.end, item.kind, item.inferred, standalone)
        )
    return found


def _context(text: str, line_start: int, line_end: int, before: str, after: str) -> tuple[str, str]:
    """The label context of a date alone on its line: the end of the line above and the start of
    the line below (header text split at every element: `<em>更新时间：</em><span>2024-…`)."""
    if not before.strip(" \t(（[【") and line_start > 0:
        above = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]
        if _LINE_LABEL.search(above):
            before = above + before
    if not after.strip() and line_end < len(text):
        below_end = text.find("\n", line_end + 1)
        after = text[line_end + 1 : below_end if below_end >= 0 else len(text)]
    return before, after


def _glued(before: str, after: str, partial: bool) -> bool:
    """The date is part of a sentence: running text right after it (`2024年5月13日，国务院…`), or,
    for a date without its year or day, an ideograph right before it (`记者曹磊5月13日报道`).
    A full date may follow a name directly: templates join spans with no space (`兰州新闻网2023-…`)."""
    if after and (_ideograph(after[0]) or after[0] in "，、") and not _META_AFTER.match(after):
        return True
    return partial and bool(before) and _ideograph(before[-1])


def _ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"  # a comparison: a regex class over this range costs ms to compile


def find_date(
    text: str, *, year: int | None = None, anchor: date | None = None, now: datetime | None = None
) -> ParsedDate | None:
    """The first date in `text` that can be a publish date (update, banner, archive… skipped)."""
    for item in labelled_dates(text, year=year, anchor=anchor, now=now):
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
    if len(items) != 1 or not items[0].standalone:
        return None
    return items[0].date
