"""Lines of an article body as a template prints them: where the body ends, the in-body headline,
pager lines, table-cell remnants. Pure functions over lists of lines, shared by every site spec.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parsers.pinyin import remove_pinyin

_SENTENCE_END = tuple("。！？；：，.!?;:,")
_CELL_BAR = re.compile(r"\s*\|\s*$")  # a table-cell remnant at the end of a line
_PAGE_NUMBERS = re.compile(r"^\d{1,3}(?:\s*\d{1,3})*$")  # "01 02 03" / "010203" under a pager line
MAX_HEADLINE_LINE = 36  # a headline line is short; a longer first line is body text


def line_key(line: str) -> str:
    """A line as it reads without pinyin annotations and spaces, for measuring and matching."""
    return "".join(remove_pinyin(line).split())


def without_cell_bars(lines: Sequence[str]) -> list[str]:
    """Trailing ` |` cell remnants stripped; lines that were nothing but a bar dropped."""
    out = []
    for line in lines:
        line = _CELL_BAR.sub("", line)
        if line.strip():
            out.append(line)
    return out


def until_end(lines: Sequence[str], stop_at: Sequence[str] = (), end_after: Sequence[str] = ()) -> list[str]:
    """The lines before the first that starts with a `stop_at` marker, or up to and including the
    first that starts with an `end_after` marker (`责任编辑` closes lzbs's body; its 版权声明 goes)."""
    stops = tuple(line_key(m) for m in stop_at)
    ends = tuple(line_key(m) for m in end_after)
    out: list[str] = []
    for line in lines:
        key = line_key(line)
        if stops and key.startswith(stops):
            break
        out.append(line)
        if ends and key.startswith(ends):
            break
    return out


def without_pager(lines: Sequence[str], pager: re.Pattern[str]) -> list[str]:
    """The pager line ("本新闻共3页,当前在第01页") and the page-number lines after it removed."""
    out: list[str] = []
    paged = False
    for line in lines:
        if pager.match(line):
            paged = True
        elif not (paged and _PAGE_NUMBERS.match(line)):
            out.append(line)
    return out


def split_headline(lines: Sequence[str]) -> tuple[str | None, list[str]]:
    """Take a 1-2 line in-body headline off the top of the body, if the body starts with one.

    Headline lines are short and carry no sentence punctuation at the end; a headline is
    only taken when body text follows it. Returns (headline joined with no space, rest).
    """
    n = 0
    for line in lines[:2]:
        key = line_key(line)
        if (
            not key
            or len(key) > MAX_HEADLINE_LINE
            or key.endswith(_SENTENCE_END)
            or key.startswith(("（", "("))
        ):
            break
        n += 1
    if n == 0 or len(lines) <= n:
        return None, list(lines)
    return "".join(line.strip() for line in lines[:n]), list(lines[n:])


def closing_repeats(parts: Sequence[Sequence[str]]) -> int:
    """How many closing lines every part of a paginated story repeats (its editor or credit line)."""
    if len(parts) < 2:
        return 0
    n = 0
    while all(len(p) > n + 1 for p in parts) and len({p[len(p) - 1 - n] for p in parts}) == 1:
        n += 1
    return n
