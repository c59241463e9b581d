"""Terminal output: tables sized for Chinese text, CSV and JSON, and the summaries commands print."""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from warehouse.lake import is_lake
from warehouse.snapshot import describe, snapshot_paths


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: object, limit: int = 60) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    text = " ".join(str(value).split())
    if display_width(text) > limit:
        out, width = [], 0
        for ch in text:
            width += display_width(ch)
            if width > limit - 1:
                break
            out.append(ch)
        text = "".join(out) + "…"
    return text


def format_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [display_width(c) for c in columns]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=True)
        ).rstrip()

    out = [line(list(columns)), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def _json_default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def print_rows(
    columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: str, out: TextIO | None = None
) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")  # Unix tools (wc, cut, awk) expect \n
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        data = [dict(zip(columns, row, strict=True)) for row in rows]
        json.dump(data, out, ensure_ascii=False, indent=2, default=_json_default)
        out.write("\n")
    else:
        out.write(format_table(columns, rows) + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def print_load_summary(counts: dict, db: Path, seconds: float, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    rows = []
    for site, outcomes in counts.get("by_site", {}).items():
        rows.append(
            (
                site,
                sum(outcomes.values()),
                outcomes.get("article", 0),
                outcomes.get("part", 0),
                outcomes.get("not_article", 0),
                outcomes.get("failed", 0),
            )
        )
    out.write(format_table(("site", "pages", "articles", "parts", "not_article", "failed"), rows) + "\n")
    out.write(
        f"\nloaded {counts['pages']} pages into {db} in {seconds:.1f}s: {counts['articles']} articles, "
        f"{counts['not_articles']} list pages, {counts['parts']} continuation parts, "
        f"{counts['failed']} failures\n"
    )
    if counts.get("spooled"):
        out.write(spooled_note(counts["spooled"]) + "\n")
    out.write(what_changed(counts) + "\n")
    if counts.get("reasons"):
        out.write("failures by reason:\n")
        for reason, n in sorted(counts["reasons"].items(), key=lambda kv: -kv[1]):
            out.write(f"  {n:5d}  {reason}\n")


def spooled_note(articles: int) -> str:
    """What a run that found the warehouse busy did with its batches."""
    return (
        f"spooled {articles} articles: warehouse busy (another process held it); "
        "the next run or `regionews flush` merges them"
    )


def what_changed(counts: dict) -> str:
    """What a load changed in the warehouse, so a rerun says plainly that nothing did."""
    new, changed = counts.get("articles_new", 0), counts.get("articles_changed", 0)
    same = max(0, counts.get("articles", 0) - new - changed)
    pages = counts.get("pages_new", 0)
    if not (new or changed or pages):
        return (
            f"nothing changed: all {counts.get('pages', 0)} pages were already in the warehouse as they are"
        )
    return f"changed: {pages} new pages, {new} new articles, {changed} articles updated, {same} unchanged"


def print_health(health: Sequence, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write("\nHealth of crawled sites\n")
    rows = [
        (
            h.site,
            h.last_success,
            h.newest_article,
            f"{h.failure_rate:.0%}",
            f"{h.parse_rate_latest:.0%} / {h.parse_rate_before:.0%}",
            "; ".join(h.top_reasons),
            "ok" if h.ok else "WARNING: " + "; ".join(h.problems),
        )
        for h in health
    ]
    columns = (
        "site",
        "last success",
        "newest article",
        "failed",
        "parse fail now/before",
        "top reasons",
        "status",
    )
    out.write(format_table(columns, rows) + "\n")


def print_county_silence(quiet: Sequence, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write("\nCounties gone quiet (primary county of crawled articles; see `regionews enrich`)\n")
    rows = [
        (c.county, c.adcode, c.city, c.newest, c.articles, f"{c.usual.days or 1} days",
         f"{c.quiet.days} days ({c.quiet / c.usual:.0f}x)", ", ".join(c.sites))
        for c in quiet
    ]  # fmt: skip
    columns = ("county", "adcode", "city", "newest article", "articles", "usual gap", "quiet for", "sites")
    out.write(format_table(columns, rows) + "\n")


def print_stats(db: Path, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    from parsers.registry import PARSERS  # the code's versions, to tell a stale parse from a current one
    from warehouse.stats import stats

    tables = stats(db, {p.name: p.version for p in PARSERS})
    titles = {
        "pages": "Pages per site",
        "articles": "Articles per site",
        "versions": "Pages per parser version, against the code's (stale: run `regionews reparse`)",
        "failures": "Open failures by reason",
    }
    for name, (columns, rows) in tables.items():
        out.write(f"\n{titles[name]}\n")
        out.write(format_table(columns, rows) + "\n" if rows else "  (none)\n")


def print_spool(db: Path, out: TextIO | None = None) -> bool:
    """What waits in the spool (batches written while another process held the file); True if any."""
    # lazy: pyarrow: stats and check only
    from warehouse.spool import spool_dir, summary

    if is_lake(db):
        return False
    out = out or sys.stdout
    waiting = summary(db)
    if not waiting.batches:
        return False
    out.write(
        f"\nSpool ({spool_dir(db)}): {waiting.batches} batches, {waiting.articles} articles, "
        f"{waiting.pages} pages waiting since {waiting.oldest:%Y-%m-%d %H:%M} UTC "
        f"({waiting.bytes / 1e6:.1f} MB); `regionews flush` merges them\n"
    )
    return True


def print_snapshot(db: Path, out: TextIO | None = None) -> None:
    """Where the read snapshot is, which generation, and how old: what a notebook sees."""

    out = out or sys.stdout
    if is_lake(db):
        return
    read_path, _folder = snapshot_paths(db)
    manifest = describe(db)
    out.write("\nRead snapshot (open this in notebooks)\n")
    if manifest is None:
        out.write(f"  {read_path}: not published yet (`regionews publish`)\n")
        return
    published = datetime.fromisoformat(manifest["published_at"])
    articles = manifest["tables"].get("articles")
    rows = ""
    if articles and articles.get("kind") == "incremental":
        segments = articles["segments"]
        rows = f"; articles: base {articles['base']['rows']} rows + {len(segments)} segment(s)"
    out.write(
        f"  {read_path}: generation {manifest['generation']}, published "
        f"{published.astimezone(ZoneInfo('Asia/Shanghai')).isoformat(sep=' ', timespec='seconds')}{rows}\n"
    )
