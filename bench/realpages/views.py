"""Text views of the real-page scores: the table, one line per page, one page in full, failures by kind.

`markdown_section()` is what `make bench` writes into bench/RESULTS.md.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence

from bench.realpages import Record, record, records
from bench.realpages.score import OURS, TOOLS, PageScore, Row, gold_body, kinds, run, score_page, table
from bench.scoring import comparable, gold_stamp

_MARK = {"right": "ok", "wrong": "WRONG", "less_precise": "coarse", "missing": "none"}


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _cut(text: str | None, width: int = 100) -> str:
    if text is None:
        return "None"
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= width else text[: width - 1] + "…"


def corpus_line() -> str:
    recs = records()
    conv = sum(r.body_convention is not None for r in recs)
    which = (
        "the convention gold"
        if conv == len(recs)
        else f"the convention gold on {conv} pages, upstream's on {len(recs) - conv}"
    )
    return f"{len(recs)} real pages (bench/realpages/); body scored against {which}"


def table_text(rows: Sequence[Row]) -> list[str]:
    head = (
        f"{'tool':<12} {'pages':>5} {'title':>6} {'time ok':>8} {'wrong':>6} {'coarse':>7} {'none':>5} "
        f"{'body P':>7} {'R':>6} {'F1':>6} {'F1 up':>6} {'failed':>6}"
    )
    out = [head, "-" * len(head)]
    for r in rows:
        out.append(
            f"{r.tool:<12} {r.pages:>5} {_pct(r.title):>6} {_pct(r.time_right):>8} {_pct(r.time_wrong):>6} "
            f"{_pct(r.time_less):>7} {_pct(r.time_missing):>5} {r.precision:>7.3f} {r.recall:>6.3f} "
            f"{r.f1:>6.3f} {r.f1_upstream:>6.3f} {r.errors:>6}"
        )
    return out


def per_page_text(scores: Sequence[PageScore], tools: Sequence[str]) -> list[str]:
    by_page: dict[str, dict[str, PageScore]] = defaultdict(dict)
    for s in scores:
        by_page[s.page][s.tool] = s
    head = f"{'page':<13}" + "".join(f" | {t:<22}" for t in tools)
    out = [head, f"{'':<13}" + " | title time    body F1    " * len(tools), "-" * len(head)]
    for page_id, row in by_page.items():
        cells = []
        for t in tools:
            s = row[t]
            title = "ok" if s.title_ok else "--"
            cells.append(f" | {title:<5} {_MARK[s.time]:<7} {s.body.f1:>6.3f}   ")
        out.append(f"{page_id:<13}" + "".join(cells))
    return out


def _time_text(s: PageScore) -> str:
    art = s.output.article
    got = str(s.output.stamp) if s.output.stamp else "None"
    extra = ""
    if art is not None:
        extra = f"  [{art.published_precision}, from {art.published_origin}"
        if art.updated_at:
            extra += f", updated_at {art.updated_at:%Y-%m-%d %H:%M}"
        extra += "]"
    return f"{_MARK[s.time]:<7} {got}{extra}"


def _body_diff(gold: str, got: str, width: int) -> list[str]:
    """Paragraph diff on the compared form: '-' only in the gold, '+' only in ours."""
    want = [p.strip() for p in gold.splitlines() if p.strip()]
    have = [p.strip() for p in got.splitlines() if p.strip()]
    matcher = difflib.SequenceMatcher(a=[comparable(p) for p in want], b=[comparable(p) for p in have])
    out = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(f"    = {a1 - a0} paragraph(s) alike")
            continue
        out.extend(f"    - {_cut(p, width)}" for p in want[a0:a1])
        out.extend(f"    + {_cut(p, width)}" for p in have[b0:b1])
    return out


def page_view(rec: Record, tools: Sequence[str], diff_tool: str, width: int) -> list[str]:
    scores = {name: score_page(rec, name, TOOLS[name](rec)) for name in tools}
    gold = gold_stamp(rec.publish_time)
    out = [f"== {rec.id}  {rec.site}  {rec.page_url}", ""]
    out.append("title")
    out.append(f"  {'gold':<12} {rec.title}")
    for label, value in (("kicker", rec.kicker), ("subtitle", rec.subtitle), ("(marker)", rec.title_suffix)):
        if value:
            out.append(f"  {'gold ' + label:<12} {value}")
    for name, s in scores.items():
        mark = "ok" if s.title_ok else "--"
        out.append(f"  {name:<12} {mark:<3} {_cut(s.output.title, width)}")
    out.append("")
    out.append("publish time")
    prec = gold.precision if gold else "page prints none"
    line = f"  {'gold':<12} {gold or 'None'} ({prec})"
    if rec.publish_time_upstream != rec.publish_time:
        line += f"   upstream: {rec.publish_time_upstream}"
    if rec.updated_time:
        line += f"   updated (printed): {rec.updated_time}"
    out.append(line)
    for name, s in scores.items():
        out.append(f"  {name:<12} {_time_text(s)}")
    out.append("")
    out.append("body                P      R      F1   F1 upstream  chars")
    out.append(f"  {'gold':<12} {'':>20} {'':>13} {len(gold_body(rec)):>6}")
    for name, s in scores.items():
        b, u = s.body, s.body_upstream
        scores_text = f"{b.precision:.3f}  {b.recall:.3f}  {b.f1:.3f}   {u.f1:.3f}"
        out.append(f"  {name:<12} {scores_text}      {len(s.output.body):>6}")
    for name, s in scores.items():
        if s.output.error:
            out.append(f"  {name} failed: {s.output.error}")
    for name in OURS:
        art = scores[name].output.article if name in scores else None
        if art is None:
            continue
        out.append("")
        out.append(f"{name} fields")
        for field in ("kicker", "subtitle", "source", "authors", "editors", "contributors", "flags"):
            value = getattr(art, field)
            if value:
                out.append(f"  {field:<12} {value}")
        if art.raw_title and art.raw_title != art.title:
            out.append(f"  {'raw_title':<12} {art.raw_title}")
        out.append(f"  {'paragraphs':<12} {len(art.paragraphs)}")
        break
    if diff_tool in scores:
        which = "convention" if rec.body_convention is not None else "upstream (no convention gold yet)"
        out.append("")
        out.append(f"body diff: {which} gold (-) vs {diff_tool} (+)")
        got = scores[diff_tool].output.body
        if got.strip():
            out.extend(_body_diff(gold_body(rec), got, width))
        else:
            paragraphs = len(gold_body(rec).splitlines())
            out.append(f"    ({diff_tool} gave no body; the gold has {paragraphs} paragraphs)")
    out.append("")
    out.append("gold notes")
    out.extend(f"  - {n}" for n in rec.gold_notes)
    return out


def failures_view(tool: str) -> list[str]:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for s in run([tool]):
        rec = record(s.page)
        for kind in kinds(s, rec):
            if kind.startswith("title"):
                detail = f"gold {rec.title!r}  got {_cut(s.output.title, 70)!r}"
            elif kind.startswith("time"):
                detail = f"gold {gold_stamp(rec.publish_time) or 'None'}  got {s.output.stamp or 'None'}"
            elif kind.startswith("body"):
                b = s.body
                detail = f"P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}"
            else:
                detail = ""
            by_kind[kind.split(":")[0] + ":" + kind.split(":", 1)[1] if ":" in kind else kind].append(
                f"    {s.page:<13} {detail}"
            )
    out = [f"pages where {tool} is wrong, by kind (python -m bench.realpages --page ID for one page)"]
    for kind in sorted(by_kind, key=lambda k: (k.split(":")[0], -len(by_kind[k]))):
        out.append(f"  {kind}  ({len(by_kind[kind])})")
        out.extend(by_kind[kind])
    if len(out) == 1:
        out.append("  none")
    return out


def markdown_section(scores: Sequence[PageScore]) -> list[str]:
    """The real-page table for bench/RESULTS.md (heading level 2)."""
    rows = table(scores)
    names = {
        "routed": "regionews (routed: what `regionews load` gives)",
        "generic": "regionews generic parser alone",
        "trafilatura": "trafilatura",
        "gne": "GeneralNewsExtractor",
    }
    out = [
        "## Accuracy on real pages nobody wrote rules for",
        f"{corpus_line()}: national and regional portals, state media, 2003–2005 table layouts, "
        "a WeChat article, GBK and UTF-8 (`bench/realpages/README.md`). Gold titles and times were "
        "read off each page. Title exact: after NFKC width folding and t2s for every tool, whitespace "
        "runs read as one space, inner spaces count. Publish time: right when it equals the gold at the "
        "gold's precision (seconds, minutes or day as printed, China time; no time is right only where "
        "the page prints none); *wrong* is a value that contradicts the gold (a silent error), *coarse* "
        "a day where a time is printed, *none* no answer (a page the tool failed on counts here). "
        "Body: character-bigram P/R/F1 after removing "
        "whitespace and punctuation (`bench/scoring.py`), macro-averaged; *F1 upstream* scores against "
        "the datasets' own body gold. Pages without a URL are parsed under `file:///realpages/<id>.html` "
        "(the generic parser). Per page: `python -m bench.realpages`; one page in full: "
        "`python -m bench.realpages --page ID`; ours wrong by kind: `python -m bench.realpages --failures`.",
        "",
        "| tool | pages | title exact | time right | time wrong | time coarse | time none | "
        "body P | body R | body F1 | F1 upstream |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {names.get(r.tool, r.tool)} | {r.pages} | {_pct(r.title)} | {_pct(r.time_right)} | "
            f"{_pct(r.time_wrong)} | {_pct(r.time_less)} | {_pct(r.time_missing)} | {r.precision:.3f} | "
            f"{r.recall:.3f} | {r.f1:.3f} | {r.f1_upstream:.3f} |"
        )
    failed = [s for s in scores if s.output.error]
    if failed:
        out += ["", "Pages a tool failed on (scored as empty output):", ""]
        out += [f"- {s.tool} on {s.page}: `{s.output.error}`" for s in failed]
    out.append("")
    return out
