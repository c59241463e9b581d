"""`make bench`: accuracy and speed against the peers, and the streamed pipeline, into bench/RESULTS.md.

Usage: python -m bench.run [--out bench/RESULTS.md] [--only PART,...] [--skip PART,...] [--pages 100000]
       [--rounds 5] [--write-articles 1000000] [--write-from DIR]

Every part writes its own section, stamped with when and under which load it was measured. A
part that is skipped (`--skip`, or not in `--only`) keeps its section from the previous
bench/RESULTS.md as it was, so a long part (the 1,000,000-article write path, the DuckLake
writers) can be measured on its own, and the `summary:` line at the end takes the figures of
kept parts from the previous summary.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from importlib.metadata import version
from pathlib import Path

from bench import accuracy, crawl, crawl_paths, fixed_cost, hotpath, lake, pipeline, write_path
from bench.peers import TOOLS
from bench.realpages import score as realpages
from bench.realpages import views as realpages_views

_LIBS = (
    "selectolax",
    "opencc-python-reimplemented",
    "duckdb",
    "pyarrow",
    "trafilatura",
    "gne",
    "lxml",
    "htmldate",
)


_ACCURACY_NOTE = re.sub(
    r"\s+",
    " ",
    """
Gold = each fixture's expected.json and body.txt under `fixtures/`, written by reading the page.
Title: exact after NFKC and t2s, whitespace runs read as one space (inner spaces count).
Publish time: equal to the minute where the page shows a time, to the day where it shows a
date, empty where it shows none ('publish day' compares the day alone). Body:
precision/recall/F1 of character bigrams after removing whitespace and punctuation, both
sides reduced to simplified script without pinyin annotations (`bench/scoring.py`),
macro-averaged over pages. Every tool gets the page decoded by our decoder.
Paginated stories: our site parser joins the parts; the generic parser and the peers read each part
and their texts are joined. trafilatura: `bare_extraction(with_metadata=True,
include_comments=False)` with htmldate's extensive search; gne: `GeneralNewsExtractor().extract(html)`.
Caveat: the generic parser was developed while looking at these fixtures (its rules are generic,
but the pages are not unseen); the generic fixtures were written for it.
""",
).strip()


def _machine() -> list[str]:
    libs = []
    for lib in _LIBS:
        try:
            libs.append(f"{lib} {version(lib)}")
        except Exception:
            libs.append(f"{lib} (missing)")
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (all timings single-process, one core)",
        f"- Python {platform.python_version()} on {platform.system()} {platform.release()}",
        f"- Libraries: {', '.join(libs)}",
        "- Load average when the run ended (1/5/15 min): "
        + " / ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (other processes share the cores: compare the ratios, not the absolute rates)",
    ]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _accuracy_md(rows: list[accuracy.Row]) -> list[str]:
    out = [
        "| site | tool | pages | title exact | publish time | publish day | body P | body R | body F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        site = f"**{r.site}**" if r.site == "ALL" else r.site
        out.append(
            f"| {site} | {r.tool} | {r.pages} | {_pct(r.title)} | {_pct(r.date)} | {_pct(r.day)} | "
            f"{r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} |"
        )
    return out


def _ratio(value: float | None) -> str:
    return "NA" if value is None else f"{value:.1f}"


# The parts of `make bench`, in the order of bench/RESULTS.md, and the headings of their sections
# (earlier names of a part's heading too, so a section written by an older run is still found).
PARTS = ("accuracy", "realpages", "hotpath", "write_path", "fixed_cost", "pipeline", "crawl", "crawl_paths",
         "lake")  # fmt: skip
_HEADINGS = {
    "accuracy": ("## Accuracy on every fixture page",),
    "realpages": ("## Accuracy on real pages",),
    "hotpath": ("## Hot path", "## Speed ("),
    "write_path": ("## Warehouse write path",),
    "fixed_cost": ("## Fixed cost of one-off commands",),
    "pipeline": ("## Pipeline:",),
    "crawl": ("## Crawl ceiling",),
    "crawl_paths": ("## What each crawl path costs",),
    "lake": ("## Several writers",),
}
SUMMARY_FIELDS = ("real_pages_x_trafilatura", "fixtures_x_trafilatura", "write_first_100k_per_s",
                  "write_last_100k_per_s", "peak_rss_mb", "load_1_page_s", "enrich_nothing_s")  # fmt: skip


def previous_sections(text: str) -> tuple[dict[str, list[str]], dict[str, str], str]:
    """(part -> its section, the summary line's fields, when that run was) of an earlier RESULTS.md."""
    sections: dict[str, list[str]] = {}
    summary: dict[str, str] = {}
    part: str | None = None
    when = ""
    for line in text.splitlines():
        if line.startswith("Rewritten by ") and not when:
            m = re.search(r" on (\d{4}-\d\d-\d\d \d\d:\d\d UTC)", line)
            when = m.group(1) if m else ""
        if line.startswith("summary:"):
            summary = dict(f.split("=", 1) for f in line[len("summary:") :].split() if "=" in f)
            part = None
            continue
        if line.startswith("## "):
            part = next((p for p, heads in _HEADINGS.items() if line.startswith(heads)), None)
            if part is not None and part in sections:
                part = None  # a second section under the same heading is not ours
        if part is not None:
            sections.setdefault(part, []).append(line)
    for lines in sections.values():
        while lines and not lines[-1].strip():
            lines.pop()
    return sections, summary, when


def _stamp(command: str) -> str:
    return (
        f"_Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `{command}`; load average "
        + " / ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (1/5/15 min) when this part ended._"
    )


def _stamped(lines: list[str], command: str) -> list[str]:
    """A section with when and how it was measured under its heading: it may be kept by later runs."""
    return [lines[0], _stamp(command), *lines[1:]] if lines else lines


def _kept(part: str, previous: dict[str, list[str]], when: str) -> list[str]:
    lines = previous.get(part)
    if not lines:
        return [f"## {part} (not measured yet: `python -m bench.run --only {part}`)", ""]
    if len(lines) > 1 and lines[1].startswith(("_Measured ", "_Kept from ")):
        return [*lines, ""]  # it says when it was measured already
    note = f"_Kept from the run of {when or 'an earlier date'} (this part was skipped since)._"
    return [lines[0], note, *lines[1:], ""]


def _parts(args: argparse.Namespace) -> set[str]:
    def names(text: str) -> set[str]:
        chosen = {p.strip() for p in text.split(",") if p.strip()}
        unknown = chosen - set(PARTS)
        if unknown:
            raise SystemExit(f"unknown bench part(s) {sorted(unknown)}: choose from {', '.join(PARTS)}")
        return chosen

    run = names(args.only) if args.only else set(PARTS)
    run -= names(args.skip) if args.skip else set()
    legacy = {"pipeline": args.skip_pipeline, "crawl": args.skip_crawl, "crawl_paths": args.skip_crawl_paths,
              "lake": args.skip_lake}  # fmt: skip
    return run - {p for p, skipped in legacy.items() if skipped}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="bench/RESULTS.md")
    ap.add_argument("--only", help=f"comma-separated parts to run ({', '.join(PARTS)}); the others are kept")
    ap.add_argument(
        "--skip", help="comma-separated parts to skip: their previous sections are kept as they are"
    )
    ap.add_argument("--pages", type=int, default=100_000, help="synthetic corpus size for the pipeline run")
    ap.add_argument("--rounds", type=int, default=5, help="speed rounds (the median is reported)")
    ap.add_argument("--skip-pipeline", action="store_true")
    ap.add_argument(
        "--crawl-clones", type=int, default=20, help="extra URLs per fixture article on the replica"
    )
    ap.add_argument("--skip-crawl", action="store_true")
    ap.add_argument("--skip-crawl-paths", action="store_true")
    ap.add_argument("--lake-articles", type=int, default=200_000, help="articles per DuckLake writer run")
    ap.add_argument("--skip-lake", action="store_true", help="skip the file vs DuckLake writers run")
    ap.add_argument(
        "--write-articles", type=int, default=1_000_000, help="synthetic articles through the write path"
    )
    ap.add_argument("--write-step", type=int, default=100_000, help="write path: report every N articles")
    ap.add_argument(
        "--write-from",
        help="write path: read the steps of runs already made (`python -m bench.write_path --path "
        "flows|ceiling --json`, saved as DIR/flows.json and DIR/ceiling.json) instead of running them",
    )
    args = ap.parse_args(argv)
    command = (
        "make bench" if not argv and len(sys.argv) == 1 else "python -m bench.run " + " ".join(sys.argv[1:])
    )
    run = _parts(args)
    out = Path(args.out)
    previous, old_summary, when = previous_sections(out.read_text("utf-8")) if out.exists() else ({}, {}, "")
    t0 = time.time()
    sections: dict[str, list[str]] = {}
    summary: dict[str, str] = {k: old_summary.get(k, "NA") for k in SUMMARY_FIELDS}

    if "accuracy" in run:
        print("accuracy ...", flush=True)
        scores = accuracy.run(TOOLS)
        rows = accuracy.table(scores)
        errors = [s for s in scores if s.error]
        lines = [
            "## Accuracy on every fixture page",
            f"{len({(s.site, s.case) for s in scores})} article pages (list pages excluded). "
            + _ACCURACY_NOTE,
            "",
            *_accuracy_md(rows),
            "",
        ]
        if errors:
            lines += ["Tool failures (scored as empty output):", ""]
            lines += [f"- {e.tool} on {e.site}/{e.case}: `{e.error}`" for e in errors]
            lines.append("")
        sections["accuracy"] = _stamped(lines, command)
    if "realpages" in run:
        print("accuracy on real pages ...", flush=True)
        sections["realpages"] = _stamped(realpages_views.markdown_section(realpages.run()), command)
    if "hotpath" in run:
        print("hot path: real pages and fixtures against the peers ...", flush=True)
        hot = hotpath.run(rounds=args.rounds)
        sections["hotpath"] = _stamped(hotpath.markdown(hot), command)
        summary["real_pages_x_trafilatura"] = _ratio(hot.real_pages_x_trafilatura)
        summary["fixtures_x_trafilatura"] = _ratio(hot.fixtures_x_trafilatura)
    if "fixed_cost" in run:
        print("fixed cost of one-off commands ...", flush=True)
        cost = fixed_cost.run(rounds=5)
        sections["fixed_cost"] = _stamped(fixed_cost.markdown(cost), command)
        summary["load_1_page_s"] = f"{cost.load_1_page_s:.1f}"
        summary["enrich_nothing_s"] = f"{cost.enrich_nothing_s:.1f}"
    if "write_path" in run:
        if args.write_from:
            folder = Path(args.write_from)
            written = write_path.from_json(folder, args.write_step)
            made = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime((folder / "flows.json").stat().st_mtime))
            notes = folder / "conditions.txt"  # how the saved runs were made (load, lock), if written down
            said = notes.read_text("utf-8").strip() if notes.exists() else "conditions not written down"
            lines = write_path.markdown(written)
            stamp = (
                f"_Measured by separate runs of each path (steps saved as JSON), the flows' path "
                f"ending {made}: {said}._"
            )
            sections["write_path"] = [lines[0], stamp, *lines[1:]]
        else:
            print(f"write path: {args.write_articles} synthetic articles ...", flush=True)
            written = write_path.run(args.write_articles, args.write_step)
            sections["write_path"] = _stamped(write_path.markdown(written), command)
        summary["write_first_100k_per_s"] = f"{written.first_per_s:.0f}"
        summary["write_last_100k_per_s"] = f"{written.last_per_s:.0f}"
        summary["peak_rss_mb"] = f"{written.peak_rss_mb:.0f}"
    if "pipeline" in run:
        print(f"pipeline over {args.pages} synthetic pages ...", flush=True)
        checkpoints = pipeline.run(
            args.pages, tuple(c for c in (10_000, 50_000, 100_000) if c <= args.pages) or (args.pages,)
        )
        lines = [
            "## Pipeline: parse + normalize + warehouse load, streamed",
            f"Synthetic corpus of {args.pages:,} pages made from the fixture templates with "
            "varied article text "
            "(`bench/pipeline.py`), batches of 2,000 through `parsers.process.process_pages` and "
            "`warehouse.writer.write_batch` into a fresh DuckDB file, one write session (lock, open, "
            "write, close) per batch as the flows do. Time excludes making the pages.",
            "",
            "| pages | seconds | pages/s | load articles/s | RSS MB | peak RSS MB | articles | failures |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for c in checkpoints:
            lines.append(
                f"| {c.pages:,} | {c.seconds:.1f} | {c.pages_per_s:,.0f} | {c.load_rows_per_s:,.0f} | "
                f"{c.rss_mb:.0f} | {c.peak_rss_mb:.0f} | {c.articles:,} | {c.failures:,} |"
            )
        lines.append("")
        sections["pipeline"] = _stamped(lines, command)
    if "crawl" in run:
        print("crawl against the replica ...", flush=True)
        crawled = crawl.run(args.crawl_clones)
        sections["crawl"] = _stamped(
            [
                "## Crawl ceiling: replica server, politeness off",
                "The whole crawl (discover lists, fetch, archive to WARC, parse, load) with `polite=False` "
                "against the replica server (`flows/replica.py`, in its own process) serving every fixture "
                f"article under {args.crawl_clones} extra URLs, 50 links per list page, so the normal crawl "
                "reaches every article the sites list (the run fails otherwise); Prefect's startup is warmed "
                "up first and not timed. CPU time is this process's (the crawler's), not the server's.",
                "",
                "| article pages listed | requests | article pages fetched | articles stored | seconds "
                "| pages/s | CPU ms/page |",
                "|---:|---:|---:|---:|---:|---:|---:|",
                f"| {crawled.served_pages:,} | {crawled.requests:,} | {crawled.fetched:,} | "
                f"{crawled.articles:,} | {crawled.seconds:.1f} | {crawled.pages_per_s:,.1f} | "
                f"{crawled.cpu_ms_per_page:.1f} |",
                "",
            ],
            command,
        )
    if "crawl_paths" in run:
        print("crawl paths against the county site with a history ...", flush=True)
        paths = crawl_paths.run()
        sections["crawl_paths"] = _stamped(
            [
                "## What each crawl path costs per page (bench/crawl_paths.py)",
                "The replica's Hanweb county site (`flows/replica_history.py`) served from its own process "
                f"with {paths.articles:,} stories: a column of {paths.column_pages} pages, a list script of "
                f"{paths.windows} windows, a sitemap index with two gzip sitemaps, an RSS and an Atom feed. "
                "Each path is crawled alone (the site declared with that one source), politeness off, "
                "default batches and write sessions, from a copy of the same warehouse; the fixed cost of a "
                "crawl (measured by a crawl with no source) is subtracted. Wall time is shared with "
                "whatever else runs on the machine; CPU time is the crawler's own.",
                "",
                *crawl_paths.markdown(paths),
                "",
            ],
            command,
        )
    if "lake" in run:
        print(f"file vs DuckLake writers, {args.lake_articles} articles ...", flush=True)
        lines = ["## Several writers: DuckDB file vs DuckLake (bench/lake.py)", ""]
        lines += lake.markdown(lake.run(args.lake_articles, (1, 2, 4)))
        sections["lake"] = _stamped(lines, command)

    skipped = [p for p in PARTS if p not in run]
    lines = [
        "# Benchmarks: regionews against trafilatura and GeneralNewsExtractor",
        "",
        f"Rewritten by `{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
        f"(took {time.time() - t0:.0f} s). Do not edit by hand."
        + (f" Kept from earlier runs (skipped this time): {', '.join(skipped)}." if skipped else ""),
        "",
        "## Machine",
        *_machine(),
        "",
    ]
    for part in PARTS:
        lines += sections[part] if part in sections else _kept(part, previous, when)
    lines += ["", "summary: " + " ".join(f"{k}={summary[k]}" for k in SUMMARY_FIELDS), ""]
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
