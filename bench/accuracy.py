"""Accuracy over every fixture page: title exact, publish time, body P/R/F1 on character bigrams.

The gold is each fixture's expectations (written by reading the page, never from a parser):
`title`, `published_at` with `published_precision`, and `<case>.body.txt`. Publish time is
right when it equals the gold to the minute where the page shows a time, to the day where
it shows a date only, and when both are empty where the page shows none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import mean

from bench.peers import TOOLS, Extracted, Tool, as_shanghai
from bench.scoring import body_prf, same_title
from tests.fixture_cases import Case, all_cases


@dataclass(frozen=True, slots=True)
class Score:
    site: str
    case: str
    tool: str
    title_ok: bool
    date_ok: bool
    day_ok: bool  # the publish day alone (a peer that finds the day but not the shown time)
    precision: float
    recall: float
    f1: float
    error: str | None = None


def article_cases() -> list[Case]:
    return [c for c in all_cases() if not c.expected.get("not_article") and c.body_txt.exists()]


def date_ok(got: datetime | None, want_iso: str | None, precision: str) -> bool:
    if not want_iso or precision == "none":
        return got is None
    if got is None:
        return False
    want, got = as_shanghai(datetime.fromisoformat(want_iso)), as_shanghai(got)
    if precision == "minute":
        return want.replace(second=0, microsecond=0) == got.replace(second=0, microsecond=0)
    return want.date() == got.date()


def score(case: Case, tool_name: str, tool: Tool) -> Score:
    exp = case.expected
    pages = [case.page(), *case.continuation_pages()]
    error = None
    try:
        got = tool(pages)
    except Exception as exc:  # a tool that fails on a page scores zero there
        got, error = Extracted(None, None, ""), f"{type(exc).__name__}: {exc}"[:120]
    prf = body_prf(got.body, case.body_txt.read_text("utf-8"))
    return Score(
        site=case.parser,
        case=case.name,
        tool=tool_name,
        title_ok=same_title(got.title, exp.get("title")),
        date_ok=date_ok(got.published, exp.get("published_at"), exp.get("published_precision", "none")),
        day_ok=date_ok(got.published, exp.get("published_at"), "day" if exp.get("published_at") else "none"),
        precision=prf.precision,
        recall=prf.recall,
        f1=prf.f1,
        error=error,
    )


def run(tools: dict[str, Tool] | None = None) -> list[Score]:
    tools = tools or TOOLS
    return [score(case, name, tool) for case in article_cases() for name, tool in tools.items()]


@dataclass(frozen=True, slots=True)
class Row:
    site: str
    tool: str
    pages: int
    title: float
    date: float
    day: float
    precision: float
    recall: float
    f1: float


def _row(site: str, tool: str, scores: list[Score]) -> Row:
    return Row(
        site=site,
        tool=tool,
        pages=len(scores),
        title=mean(s.title_ok for s in scores),
        date=mean(s.date_ok for s in scores),
        day=mean(s.day_ok for s in scores),
        precision=mean(s.precision for s in scores),
        recall=mean(s.recall for s in scores),
        f1=mean(s.f1 for s in scores),
    )


def table(scores: list[Score]) -> list[Row]:
    """Per site and tool, then overall per tool (macro means over pages)."""
    by_site: dict[tuple[str, str], list[Score]] = defaultdict(list)
    by_tool: dict[str, list[Score]] = defaultdict(list)
    for s in scores:
        by_site[(s.site, s.tool)].append(s)
        by_tool[s.tool].append(s)
    rows = [
        _row(site, tool, group) for (site, tool), group in sorted(by_site.items(), key=lambda kv: kv[0][0])
    ]
    rows.extend(_row("ALL", tool, group) for tool, group in by_tool.items())
    return rows
