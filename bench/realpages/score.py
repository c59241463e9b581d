"""Score the routed pipeline, the generic parser, trafilatura and GNE on the real-page corpus.

- title exact: `bench.scoring.same_title` (NFKC width folding and t2s for every tool, whitespace
  runs read as one space, inner spaces count) against the gold headline;
- publish time: `bench.scoring.time_verdict`, right when it equals the gold at the gold's
  precision; `wrong` (a silent wrong value), `less_precise` and `missing` are counted apart; a
  page the tool failed on counts as missing, even where the page prints no time;
- body: P/R/F1 of character bigrams of whitespace- and punctuation-free text
  (`bench.scoring.body_prf`) against the convention gold, and F1 against upstream's gold.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from statistics import mean

from bench.peers import Extracted, gne_tool, trafilatura_tool
from bench.realpages import Record, page, records
from bench.scoring import PRF, Stamp, TimeVerdict, body_prf, fold_title, gold_stamp, ours_stamp, same_title
from bench.scoring import time_verdict as _verdict
from parsers.generic import GenericParser
from parsers.process import process_pages
from parsers.records import Article

BODY_OK = 0.95  # a body F1 below this is listed by --failures


@dataclass(frozen=True, slots=True)
class Output:
    """What one tool gave for one page; `article` is ours only, `error` a failure as a user sees it."""

    title: str | None
    stamp: Stamp | None
    body: str
    article: Article | None = None
    error: str | None = None


def _from_article(article: Article) -> Output:
    stamp = ours_stamp(article.published_at, article.published_precision)
    return Output(article.title, stamp, article.body, article)


def routed(rec: Record) -> Output:
    """What a user gets: `parser_for(url)`, then parse and normalize, via the call `regionews load` makes."""
    results = process_pages([page(rec)])
    first = results[0]
    if first.article is not None:
        return _from_article(first.article)
    reason = first.failure.reason if first.failure else f"{first.outcome} ({first.parser})"
    return Output(None, None, "", error=reason)


_GENERIC = GenericParser()


def generic(rec: Record) -> Output:
    """The generic parser alone, whatever the URL (decode, extract, normalize)."""
    try:
        return _from_article(_GENERIC.parse(page(rec)))
    except Exception as exc:  # NotAnArticle, ParseError, a crash: all are a miss on this page
        return Output(None, None, "", error=f"{type(exc).__name__}: {exc}"[:160])


# A peer's output depends only on its version and the page's bytes: it is kept between runs in
# bench/.cache (never committed) so the developer view and the table do not wait for the peers.
CACHE = Path(__file__).resolve().parent.parent / ".cache" / "realpages-peers.json"
_cache: dict[str, dict] | None = None


def _cached() -> dict[str, dict]:
    global _cache
    if _cache is None:
        try:
            _cache = json.loads(CACHE.read_text("utf-8"))
        except (OSError, ValueError):
            _cache = {}
    return _cache


def _remember(key: str, out: Output) -> None:
    entry = asdict(out) | {"stamp": [str(out.stamp.value), out.stamp.precision] if out.stamp else None}
    entry.pop("article")
    _cached()[key] = entry
    CACHE.parent.mkdir(exist_ok=True)
    tmp = CACHE.with_suffix(".tmp")
    tmp.write_text(json.dumps(_cached(), ensure_ascii=False), "utf-8")
    tmp.replace(CACHE)


def _recall(key: str) -> Output | None:
    entry = _cached().get(key)
    if entry is None:
        return None
    stamp = Stamp(datetime.fromisoformat(entry["stamp"][0]), entry["stamp"][1]) if entry["stamp"] else None
    return Output(entry["title"], stamp, entry["body"], error=entry["error"])


def _peer(
    name: str, dists: Sequence[str], tool: Callable[[Sequence], Extracted]
) -> Callable[[Record], Output]:
    def run(rec: Record) -> Output:
        versions = " ".join(f"{d}=={version(d)}" for d in dists)
        key = f"{name} {versions} {rec.raw['sha256']}"
        out = _recall(key)
        if out is not None:
            return out
        try:
            got = tool([page(rec)])
            out = Output(got.title, got.stamp, got.body)
        except Exception as exc:  # a peer that raises scores as empty output
            out = Output(None, None, "", error=f"{type(exc).__name__}: {exc}"[:160])
        _remember(key, out)
        return out

    return run


TOOLS: dict[str, Callable[[Record], Output]] = {
    "routed": routed,
    "generic": generic,
    "trafilatura": _peer("trafilatura", ("trafilatura", "htmldate", "lxml"), trafilatura_tool),
    "gne": _peer("gne", ("gne", "lxml"), gne_tool),
}
OURS = ("routed", "generic")


def missing_peers(tools: Sequence[str]) -> list[str]:
    """Peers asked for whose package is not installed (they come with the bench dependency group)."""
    return [t for t in tools if t not in OURS and importlib.util.find_spec(t) is None]


@dataclass(frozen=True, slots=True)
class PageScore:
    page: str
    tool: str
    output: Output
    title_ok: bool
    time: TimeVerdict
    body: PRF  # against the convention gold (upstream's where a record has none yet)
    body_upstream: PRF


def gold_body(rec: Record) -> str:
    return rec.body_convention if rec.body_convention is not None else rec.body


def score_page(rec: Record, tool: str, out: Output) -> PageScore:
    return PageScore(
        page=rec.id,
        tool=tool,
        output=out,
        title_ok=same_title(out.title, rec.title),
        # a page that failed gave the user no article: its time is missing even where none is printed
        time="missing" if out.error else _verdict(out.stamp, gold_stamp(rec.publish_time)),
        body=body_prf(out.body, gold_body(rec)),
        body_upstream=body_prf(out.body, rec.body),
    )


def run(tools: Sequence[str] = tuple(TOOLS), pages: Sequence[Record] | None = None) -> list[PageScore]:
    """Every page through every named tool, page by page."""
    pages = records() if pages is None else pages
    return [score_page(rec, name, TOOLS[name](rec)) for rec in pages for name in tools]


@dataclass(frozen=True, slots=True)
class Row:
    tool: str
    pages: int
    title: float
    time_right: float
    time_wrong: float
    time_less: float
    time_missing: float
    precision: float
    recall: float
    f1: float
    f1_upstream: float
    errors: int


def table(scores: Sequence[PageScore]) -> list[Row]:
    """One row per tool, macro means over pages, in the order the tools were run."""
    rows = []
    for tool in dict.fromkeys(s.tool for s in scores):
        group = [s for s in scores if s.tool == tool]
        rows.append(
            Row(
                tool=tool,
                pages=len(group),
                title=mean(s.title_ok for s in group),
                time_right=mean(s.time == "right" for s in group),
                time_wrong=mean(s.time == "wrong" for s in group),
                time_less=mean(s.time == "less_precise" for s in group),
                time_missing=mean(s.time == "missing" for s in group),
                precision=mean(s.body.precision for s in group),
                recall=mean(s.body.recall for s in group),
                f1=mean(s.body.f1 for s in group),
                f1_upstream=mean(s.body_upstream.f1 for s in group),
                errors=sum(s.output.error is not None for s in group),
            )
        )
    return rows


# -- what went wrong, by kind ---------------------------------------------------------------

_MARKER = re.compile(r"[(（](?:图|组图|多图|视频|图文)[)）]\s*$")


def title_kind(got: str | None, rec: Record) -> str | None:
    """None when the title is right, else the kind of mistake."""
    if same_title(got, rec.title):
        return None
    if not got:
        return "title missing"
    if same_title(got, rec.title, spaces=False):
        return "title: inner spaces lost or added"
    have, want = fold_title(got), fold_title(rec.title)
    if want in have:
        if rec.title_suffix and _MARKER.search(have):
            return "title: (图)-style marker kept"
        if rec.kicker and fold_title(rec.kicker) in have:
            return "title: kicker kept"
        if rec.subtitle and fold_title(rec.subtitle) in have:
            return "title: subtitle glued on"
        return "title: extra text kept (site name, column, …)"
    if have and have in want:
        return "title: cut short"
    return "title: another line taken"


def time_kind(s: PageScore, rec: Record) -> str | None:
    if s.time == "right":
        return None
    if s.time == "wrong":
        got = s.output.stamp
        if rec.publish_time is None:
            return "time: a value where the page prints no publish time"
        if got is not None and rec.updated_time and str(got).startswith(rec.updated_time.replace("T", " ")):
            return "time: update time taken"
        return "time: wrong value"
    return "time: less precise than printed" if s.time == "less_precise" else "time: missing"


def body_kind(s: PageScore) -> str | None:
    prf = s.body
    if prf.f1 >= BODY_OK:
        return None
    if not s.output.body.strip():
        return "body: empty"
    if prf.precision < 0.6 and prf.recall > 0.95:
        return "body: far too much (twice, or a spam/link block)"
    if prf.recall >= 0.9:
        return "body: extra text"
    if prf.precision >= 0.9:
        return "body: text missing"
    return "body: wrong block"


def kinds(s: PageScore, rec: Record) -> list[str]:
    if s.output.error:
        return [f"failed: {s.output.error}"]
    found = [title_kind(s.output.title, rec), time_kind(s, rec), body_kind(s)]
    return [k for k in found if k]
