"""The research commands of `regionews`: enrich, search, query, export, report."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from flows.prefect_env import quiet_prefect
from flows.runner import run_flow
from flows.terminal_output import print_rows
from parsers.research.segment import query_tokens
from parsers.research.snippets import snippet
from parsers.script import to_simplified
from warehouse import search
from warehouse.analysis_queries import named_queries, run_named
from warehouse.db import WarehouseBusy, connect
from warehouse.export import ExportError, export
from warehouse.settings import Settings

BUSY = 75  # EX_TEMPFAIL: the warehouse was busy and nothing is wrong; run again later


def cmd_enrich(args: argparse.Namespace, settings: Settings) -> int:
    # lazy: pyarrow: enrich only
    from flows.enrich import EnrichBusy, nothing_written

    try:
        try:  # a bad --db fails here, before Prefect starts
            connect(settings.db, wait_seconds=settings.busy_wait).close()
        except WarehouseBusy as exc:
            raise nothing_written(settings.db, exc) from None
        quiet_prefect(getattr(args, "verbose", False))

        report = run_flow("enrich", db=str(settings.db), full=args.full, batch_size=args.batch_size)
    except EnrichBusy as exc:
        print(f"regionews: {exc}", file=sys.stderr)
        return BUSY
    for line in report.lines():
        print(line)
    return 0


def _mark() -> tuple[str, str]:
    return ("\x1b[1;31m", "\x1b[0m") if sys.stdout.isatty() else ("[", "]")


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    words = query_tokens(args.query)
    if not words:
        print("regionews: the query has no words to search for", file=sys.stderr)
        return 2
    con = connect(settings.db, read_only=True, wait_seconds=args.wait, extensions=("fts",))
    try:
        hits = search.search(
            con,
            words,
            site=args.site,
            since=args.since,
            region=args.region,
            limit=args.limit,
            collapse=not args.all_copies,
        )
    except search.SearchUnavailable as exc:
        print(f"regionews: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    if not hits:
        print("no matches")
        return 0
    for rank, hit in enumerate(hits, 1):
        when = (
            hit.published_at.astimezone(search.CST).date().isoformat() if hit.published_at else "date unknown"
        )
        n = hit.cluster_size - 1
        copies = f" · {n} cop{'y' if n == 1 else 'ies'}" if n else ""
        where = f" · {'、'.join(hit.counties[:3])}" if hit.counties else ""
        print(f"{rank:>2}. {hit.title}")
        print(f"    {when} · {hit.site}{where}{copies} · score {hit.score:.2f}")
        marks = [*to_simplified(args.query).split(), *words]
        print(f"    {snippet(hit.body, marks, width=args.width, mark=_mark())}")
        print(f"    {hit.url}")
    return 0


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    queries = named_queries()
    if not args.name:
        for q in queries.values():
            print(f"{q.name:<24} {q.question}")
        return 0
    if args.name not in queries:
        print(f"regionews: no query named {args.name!r}; run `regionews query` for the list", file=sys.stderr)
        return 2
    con = connect(settings.db, read_only=True, wait_seconds=args.wait)
    try:
        columns, rows = run_named(con, args.name)
    finally:
        con.close()
    print_rows(columns, rows, args.format)
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    # The sandboxed reader may write only into the export folder.
    con = connect(settings.db, read_only=True, wait_seconds=args.wait, allowed_directories=[args.to])
    try:
        manifest = export(con, args.to)
    except ExportError as exc:
        print(f"regionews: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    tables = ", ".join(f"{name} {t['rows']}" for name, t in manifest["tables"].items())
    print(f"exported to {args.to}: {tables} (manifest.json)")
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    # lazy: pyarrow: report only
    from flows.html_report import write_report
    from warehouse.report_data import gather

    con = connect(settings.db, read_only=True, wait_seconds=args.wait)
    try:
        data = gather(con)
    finally:
        con.close()
    path = write_report(data, args.out)
    print(f"report written to {path} ({data.headline.get('stories', 0)} stories)")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def register(sub: argparse._SubParsersAction) -> None:
    """Add the research subcommands to the `regionews` parser."""
    p = sub.add_parser("enrich", help="clusters, regions, terms and search index for new or changed articles")
    p.add_argument("--full", action="store_true", help="redo every article, not only new or changed ones")
    p.add_argument("--batch-size", type=int, default=500)
    p.set_defaults(func=cmd_enrich)

    p = sub.add_parser("search", help="full-text search (BM25 over jieba words), one hit per story")
    p.add_argument("query", help='words separated by spaces, e.g. "民族团结 示范县"')
    p.add_argument("--site", help="only this site (parser name)")
    p.add_argument("--since", type=_day, help="only stories published on or after YYYY-MM-DD")
    p.add_argument("--region", help="province, city or county name (a prefix like 张家川 works) or adcode")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--width", type=int, default=80, help="snippet width in characters")
    p.add_argument("--all-copies", action="store_true", help="list mirrors and copies too")
    p.add_argument("--wait", type=float, default=10.0, help="seconds to wait while a writer holds the file")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("query", help="list the named analysis queries, or run one by name")
    p.add_argument("name", nargs="?")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--wait", type=float, default=10.0)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("export", help="Parquet snapshot (by site and year) with a manifest, for notebooks")
    p.add_argument("--to", type=Path, required=True, metavar="DIR")
    p.add_argument("--wait", type=float, default=10.0)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="self-contained HTML report with charts")
    p.add_argument("--out", type=Path, default=Path("report.html"))
    p.add_argument("--wait", type=float, default=10.0)
    p.set_defaults(func=cmd_report)
