"""The `regionews` command line.

Commands that need no flow (`sql`, `stats`) import neither Prefect, httpx, pyarrow nor the
page parsers, so they answer in well under a second: a module that pulls one of those in is
imported by the command that needs it (tests/test_lazy_imports.py lists them). Flow commands
run their steps in-process unless a Prefect API is configured (flows/runner.py), so they import
Prefect only then.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows import logs
from flows.bundled import page_folders
from flows.prefect_env import quiet_prefect
from flows.publish import publish_after_run, publish_snapshot
from flows.research_cli import cmd_enrich, register
from flows.runner import RunnerError, prefect_runs, run_flow
from flows.terminal_output import (
    print_county_silence,
    print_health,
    print_load_summary,
    print_rows,
    print_snapshot,
    print_spool,
    print_stats,
    spooled_note,
)
from warehouse.adhoc_sql import run_read_only
from warehouse.db import WarehouseBusy, WarehouseError, connect, migrations
from warehouse.health import county_silence, site_health
from warehouse.lake import is_lake
from warehouse.session import Warehouse
from warehouse.settings import LAKE_DATA_VARIABLE, Settings
from warehouse.snapshot import SnapshotError
from warehouse.transfer import copy_to_lake

if TYPE_CHECKING:  # the sites registry imports the parsers, which sql and stats never need
    from flows.sites import Registry, Site


def _replica(faults: tuple[str, ...]) -> Callable[[Registry], AbstractContextManager[Any]]:
    """The development replica of the bundled sites: only --replica and the demo start it."""
    # lazy: the replica (and the parsers): only --replica and demo
    from flows.replica import serve_in_thread

    return lambda registry: serve_in_thread(registry=registry, faults=faults)


def _check_db(settings: Settings) -> None:
    """A bad --db fails here, before Prefect starts; a file another process holds is fine (runs spool).

    A run in-process opens the warehouse first thing anyway: it fails there just as clearly, and
    opening it twice would cost a one-page `load` a tenth of its time.
    """
    if not prefect_runs():
        return
    try:
        connect(settings.db, wait_seconds=settings.busy_wait).close()
    except WarehouseBusy:
        print(f"regionews: {settings.db} is busy (another process holds it): spooling", file=sys.stderr)


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    _check_db(settings)
    quiet_prefect(args.verbose)

    started = time.monotonic()
    counts = run_flow(
        "load",
        paths=[str(p) for p in args.paths],
        db=str(settings.db),
        batch_size=settings.batch_size,
        progress=not args.quiet,
        warc_dir=str(settings.data_dir / "warc"),
    )
    print_load_summary(counts, settings.db, time.monotonic() - started)
    if counts["failed"] and not counts["pages"]:
        print("regionews: nothing could be read from the given paths (reasons above)", file=sys.stderr)
        return 1
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """The main job on the embedded default: crawl the bundled sites from a local replica, load
    the bundled pages the replica does not serve, print the stats, then enrich."""

    connect(settings.db, wait_seconds=30).close()  # a bad --db fails here, before Prefect starts
    quiet_prefect(args.verbose)
    # lazy: httpx, pyarrow: crawl commands only
    from flows.crawlview import crawl_and_report

    crawl_and_report(
        db=settings.db, data_dir=settings.data_dir, replica=_replica(()), delay=0.2, progress=not args.quiet
    )
    # Pages of sites nobody wrote rules for are not on the replica: load them as saved files.
    args.paths = page_folders()
    cmd_load(args, settings)
    args.check, args.max_age_hours, args.max_failure_rate = False, 48.0, 0.5
    cmd_stats(args, settings)
    args.full, args.batch_size = False, 500
    return cmd_enrich(args, settings)  # clusters, regions, terms; prints cluster and term counts


def _revisit_outlook(sites: Sequence[Site], settings: Settings) -> int:
    """Under `crawl --check`: per site, its stored articles and how many revisits fall due when."""
    # lazy: pyarrow: crawl --check only
    from flows.revisits import revisit_outlook

    if not isinstance(settings.db, Path) or not settings.db.exists():
        return 0
    days = (0, 1, 7, 30)
    try:
        con = connect(settings.db, read_only=True, wait_seconds=10)
    except WarehouseError as exc:
        print(f"regionews: no revisit outlook: {exc}", file=sys.stderr)
        return 0
    try:
        rows = []
        for site in sites:
            stored, retired, due = revisit_outlook(con, site, days)
            if stored:
                rows.append((site.name, stored, retired, *due))
    finally:
        con.close()
    print(f"\nrevisits due in {settings.db} (by each site's policy; `crawl --revisit all` checks all now):")
    columns = ["site", "articles", "past age limit", "due now", "by +1d", "by +7d", "by +30d"]
    print_rows(columns, rows, "table")
    return 0


def cmd_crawl(args: argparse.Namespace, settings: Settings) -> int:
    # lazy: the parsers: commands that read the sites file only
    from flows.sites import SitesError, load_sites

    try:
        registry = load_sites(args.sites_file)
        sites = registry.select(args.site)
    except SitesError as exc:
        print(f"regionews: {exc}", file=sys.stderr)
        return 2
    if args.check:
        for site in registry.sites:
            state = "enabled" if site.enabled else "disabled"
            sources = [*site.lists, *site.sources.sitemaps, *site.sources.feeds]
            if site.sources.robots_sitemaps:
                sources.append("(robots.txt sitemaps)")
            print(
                f"{site.name:16} {site.parser:16} {state:8} every {site.schedule:14} "
                f"revisit {site.revisit.describe():48} {' '.join(sources)}"
            )
        return _revisit_outlook(registry.sites, settings)
    try:
        # lazy: the replica (and the parsers): only --replica and demo
        from flows.replica import parse_faults

        faults = parse_faults(args.faults)
    except ValueError as exc:
        print(f"regionews: --faults: {exc}", file=sys.stderr)
        return 2
    if faults and not args.replica:
        print("regionews: --faults only applies to the local replica: add --replica", file=sys.stderr)
        return 2
    local = args.replica or args.connect_to
    if args.fast and not local:
        print("regionews: --fast drops all delays: only with --replica or --connect-to", file=sys.stderr)
        return 2
    if args.delay is not None and args.delay < 1 and not local:
        print("regionews: a --delay under 1 s is only for --replica or --connect-to", file=sys.stderr)
        return 2
    _check_db(settings)
    quiet_prefect(args.verbose)
    urls: list[str] = []
    if args.urls:
        # lazy: httpx, pyarrow: crawl commands only
        from flows.crawl import read_url_list

        try:
            text = Path(args.urls).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"regionews: cannot read the URL list {args.urls}: {exc}", file=sys.stderr)
            return 2
        urls, bad = read_url_list(text)
        for line in bad[:5]:
            print(f"regionews: {args.urls}: not an http(s) URL, skipped: {line}", file=sys.stderr)
        if not urls:
            print(f"regionews: {args.urls} holds no http(s) URL", file=sys.stderr)
            return 2
    since = None
    if args.since:
        try:
            since = date.fromisoformat(args.since).isoformat()
        except ValueError:
            print(f"regionews: --since takes a date like 2024-01-31, got {args.since!r}", file=sys.stderr)
            return 2
        if not args.backfill:
            print("regionews: --since goes with --backfill", file=sys.stderr)
            return 2
    # lazy: httpx, pyarrow: crawl commands only
    from flows.crawl import CrawlFailed
    from flows.crawlview import crawl_and_report

    try:
        crawl_and_report(
            db=settings.db,
            data_dir=settings.data_dir,
            site_names=[s.name for s in sites],
            sites_file=args.sites_file,
            registry=registry,
            replica=_replica(faults) if args.replica else None,
            connect_to=args.connect_to,
            polite=not args.fast,
            delay=args.delay,
            progress=not args.quiet,
            backfill=args.backfill,
            since=since,
            revisit=args.revisit,
            urls=urls,
        )
    except CrawlFailed as exc:
        print(f"regionews: crawl failed for {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_new_site(args: argparse.Namespace, settings: Settings) -> int:
    """Draft a new site's spec and fixtures from saved pages, then say what a person does next."""
    # lazy: the parsers: new-site only
    from flows.newsite import NewSiteError, draft_site

    try:
        done = draft_site(args.name, args.pages, args.root)
    except NewSiteError as exc:
        print(f"regionews: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {done.spec}")
    for path in done.fixtures:
        print(f"wrote {path}")
    print(
        "next:\n"
        f"  1. add `from parsers.sites.{args.name} import {done.class_name}` and `{done.class_name}(),` to\n"
        "     PARSERS in parsers/registry.py, before GenericParser()\n"
        "  2. check every value in the expected.json and body.txt files against the page, fix what is\n"
        '     wrong, delete the "draft" key (the fixture tests fail until you do)\n'
        "  3. give the spec its lists (base_url, lists, sitemaps, feeds) and rules where needed, then\n"
        "     `make test` (README: Adding a site)"
    )
    return 0


def cmd_changes(args: argparse.Namespace, settings: Settings) -> int:
    """Edited, withdrawn and restored articles, newest first."""

    # lazy: the parsers: commands that read the sites file only
    from flows.sites import SitesError, load_sites
    from warehouse.crawlstate import changes

    since = None
    if args.since:
        try:
            since = datetime.combine(date.fromisoformat(args.since), datetime.min.time(), UTC)
        except ValueError:
            print(f"regionews: --since takes a date like 2024-01-31, got {args.since!r}", file=sys.stderr)
            return 2
    try:
        registry = load_sites(args.sites_file)
        chosen = registry.get(args.site) if args.site in {s.name for s in registry.sites} else None
    except SitesError as exc:
        print(f"regionews: {exc}", file=sys.stderr)
        return 2
    con = connect(settings.db, read_only=True, wait_seconds=10)
    try:
        parser = chosen.parser if chosen else args.site
        columns, rows = changes(con, since=since, site=parser, kind=args.kind)
    finally:
        con.close()
    at, url = columns.index("site"), columns.index("url")
    named = []
    for row in rows:  # articles.site is the parser: show the configured site the URL belongs to
        site = next((s for s in registry.sites if s.parser == row[at] and s.allows(row[url])), None)
        if chosen is None or site is chosen:
            named.append((*row[:at], site.name if site else row[at], *row[at + 1 :]))
    print_rows(columns, named, args.format)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    # lazy: the parsers: commands that read the sites file only
    from flows.sites import SitesError, load_sites

    try:
        registry = load_sites(args.sites_file)
        registry.select(args.site)
    except SitesError as exc:
        print(f"regionews: {exc}", file=sys.stderr)
        return 2
    quiet_prefect(args.verbose)
    # lazy: httpx: serve only
    from flows.serve import NoPrefectServer, api_url, require_server, serve, site_schedules

    schedules = site_schedules(
        registry, db=settings.db, sites_file=args.sites_file, warc_dir=settings.data_dir / "warc",
        names=args.site, connect_to=args.connect_to,
    )  # fmt: skip
    for s in schedules:
        print(f"{s.name:24} cron {s.cron:16} {s.parameters['db']}")
    if args.dry_run:
        return 0
    try:
        url = require_server(api_url())
    except NoPrefectServer as exc:
        print(f"regionews: {exc}", file=sys.stderr)
        return 2
    print(f"serving {len(schedules)} deployment(s) against {url}; Ctrl-C stops", file=sys.stderr)
    serve(schedules, limit=args.limit)  # returns on Ctrl-C; SIGTERM exits 0 after stopping the runs
    print("serve: stopped; schedules paused until the next `regionews serve`", file=sys.stderr)
    return 0


def cmd_reparse(args: argparse.Namespace, settings: Settings) -> int:
    _check_db(settings)
    quiet_prefect(args.verbose)

    started = time.monotonic()
    counts = run_flow(
        "reparse",
        db=str(settings.db),
        site=args.site,
        batch_size=settings.batch_size,
        progress=not args.quiet,
    )
    seconds = time.monotonic() - started
    rate = counts["pages"] / seconds if seconds else 0.0
    print(
        f"reparsed {counts['pages']} pages in {seconds:.1f}s ({rate:.0f} pages/s): "
        f"{counts['articles']} articles, {counts['failed']} failures"
    )
    if counts.get("spooled"):
        print(spooled_note(counts["spooled"]))
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    # lazy: pyarrow: check only
    from flows.check import check

    problems = check(settings.db, deep=args.deep)
    print_spool(settings.db)  # not a problem: the next write merges it
    if not problems:
        print(f"{settings.db}: ok")
        return 0
    for name, keys in problems.items():
        print(f"{name}: {len(keys)}{'+' if len(keys) >= 20 else ''}")
        for key in keys:
            print(f"  {key}")
    return 1


def cmd_flush(args: argparse.Namespace, settings: Settings) -> int:
    # lazy: pyarrow: flush and migrate only
    from warehouse.spool import pending

    if is_lake(settings.db) or not pending(settings.db):
        print(f"{settings.db}: nothing in the spool")
        return 0
    warehouse = Warehouse(settings.db, open_wait=args.wait)
    with warehouse.write():  # every write session merges the spool first
        pass
    done = warehouse.drained
    print(
        f"{settings.db}: merged {done.batches} spooled batches "
        f"({done.counts.articles_new} new articles) and removed them from the spool"
    )
    # lazy: pyarrow: flush and publish only

    publish_after_run(settings.db)
    return 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    # lazy: pyarrow: flush and publish only

    if is_lake(settings.db):
        print("a DuckLake needs no read snapshot: its readers never block a writer; query it directly")
        return 0
    if not Path(settings.db).exists():
        print(
            f"regionews: no warehouse at {settings.db}: run `regionews load` or `make demo` first",
            file=sys.stderr,
        )
        return 2
    try:
        result = publish_snapshot(settings.db, full=args.full)
    except SnapshotError as exc:
        print(f"regionews: {exc}", file=sys.stderr)
        return 2
    if not result.changed:
        print(f"{result.path}: up to date (generation {result.generation})")
        return 0
    tables = ", ".join(f"{t} {n}" for t, n in sorted(result.written.items()))
    print(
        f"{result.path}: generation {result.generation} in {result.seconds:.1f}s "
        f"(rows written: {tables}; old generations removed: {result.removed_generations})"
    )
    return 0


def cmd_sql(args: argparse.Namespace, settings: Settings) -> int:
    def busy(waited: float) -> None:
        print(f"regionews: warehouse busy (a writer holds it), retrying… {waited:.0f}s", file=sys.stderr)

    columns, rows = run_read_only(settings.db, args.query, wait_seconds=args.wait, on_wait=busy)
    print_rows(columns, rows, args.format)
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the warehouse's schema up to date (every write command does this on its way in);
    with --to, copy it into an empty DuckLake, verified table by table."""
    if not args.to:
        # lazy: pyarrow: flush and migrate only

        warehouse = Warehouse(settings.db)
        try:
            with warehouse.write() as con:
                (applied,) = con.execute("SELECT count(*) FROM schema_migrations").fetchone()
        finally:
            warehouse.close()
        print(f"{settings.db}: schema up to date ({applied} migrations, latest {migrations()[-1][1]})")
        return 0

    started = time.monotonic()
    report = copy_to_lake(settings.db, args.to)
    for name, (rows, digest) in report.tables.items():
        print(f"  {name:<18} {rows:>9} rows  hash {digest:016x}  same in both")
    print(f"copied {report.rows} rows from {settings.db} into {args.to} in {time.monotonic() - started:.1f}s")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    print_stats(settings.db)
    print_spool(settings.db)
    print_snapshot(settings.db)
    con = connect(settings.db, read_only=True, wait_seconds=10)
    try:
        health = site_health(con, timedelta(hours=args.max_age_hours), args.max_failure_rate)
        quiet = county_silence(con)
    finally:
        con.close()
    if health:
        print_health(health)
    if quiet:
        print_county_silence(quiet)
    bad = [h for h in health if not h.ok]
    if args.check and (bad or quiet):
        for h in bad:
            print(f"regionews: {h.site}: {'; '.join(h.problems)}", file=sys.stderr)
        for c in quiet:
            print(f"regionews: county {c.problem}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regionews",
        description="Scrape and ingest Chinese regional news into a DuckDB warehouse.",
    )
    parser.add_argument(
        "--db",
        help="warehouse file, or ducklake:postgres:<DSN> for a DuckLake "
        "(default: $REGIONEWS_DB or data/regionews.duckdb)",
    )
    parser.add_argument(
        "--lake-data",
        metavar="DIR",
        help="with a ducklake:postgres:… --db, where a new lake keeps its Parquet files "
        "(default: $REGIONEWS_LAKE_DATA; a path or an s3:// URL)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show Prefect's logs")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("load", help="load saved pages: files, directories (recursively), .warc/.warc.gz")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("crawl", help="crawl the configured sites (flows/sites.toml) into the warehouse")
    p.add_argument("--site", action="append", metavar="NAME", help="crawl only this site (repeatable)")
    p.add_argument("--sites-file", help="sites file (default: $REGIONEWS_SITES or flows/sites.toml)")
    p.add_argument(
        "--connect-to", "--base-url-override", dest="connect_to", metavar="URL",
        help="send every request to this address, keeping URLs and Host headers (e.g. a replica)",
    )  # fmt: skip
    p.add_argument(
        "--replica", action="store_true", help="serve the bundled fixture sites on 127.0.0.1, crawl them"
    )
    p.add_argument("--faults", help="with --replica: fault modes to switch on, comma-separated, or 'all'")
    p.add_argument("--delay", type=float, help="seconds between requests to one host, for every site")
    p.add_argument("--fast", action="store_true", help="no delays and 8 requests per host (replica only)")
    p.add_argument(
        "--check", action="store_true", help="validate the sites file, list the sites, crawl nothing"
    )
    p.add_argument(
        "--backfill", action="store_true",
        help="walk every list past known articles, to --since or the list's end; resumes where it stopped",
    )  # fmt: skip
    p.add_argument("--since", metavar="YYYY-MM-DD", help="with --backfill: go back to this date")
    p.add_argument(
        "--revisit", choices=("due", "all", "none"), default="due",
        help="known articles to fetch again: due under each site's revisit policy (default), all, none",
    )  # fmt: skip
    p.add_argument("--urls", metavar="FILE", help="fetch only the URLs in FILE (one a line), politely")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("changes", help="articles edited, withdrawn or restored since they were first stored")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only changes seen from this date on")
    p.add_argument("--site", help="only this site (a name in the sites file, or a parser name)")
    p.add_argument("--kind", choices=("edited", "withdrawn", "restored"), help="only this kind of change")
    p.add_argument("--sites-file", help="sites file (default: $REGIONEWS_SITES or flows/sites.toml)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(func=cmd_changes)

    p = sub.add_parser("serve", help="run each enabled site's crawl on its cron (needs a Prefect server)")
    p.add_argument("--site", action="append", metavar="NAME", help="serve only this site (repeatable)")
    p.add_argument("--sites-file", help="sites file (default: $REGIONEWS_SITES or flows/sites.toml)")
    p.add_argument("--limit", type=int, help="at most this many flow runs at once")
    p.add_argument(
        "--connect-to", dest="connect_to", metavar="URL",
        help="send every request of the served runs to this address (e.g. a replica)",
    )  # fmt: skip
    p.add_argument("--dry-run", action="store_true", help="list the deployments and crawl nothing")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("sql", help="run a read-only SQL query against the warehouse")
    p.add_argument("query")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--wait", type=float, default=10.0, help="seconds to wait while a writer holds the file")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser(
        "migrate", help="bring the schema up to date; --to copies the warehouse into a DuckLake"
    )
    p.add_argument(
        "--to", metavar="ADDRESS",
        help="an empty ducklake:postgres:<DSN> to copy every table into, verified by row counts and hashes",
    )  # fmt: skip
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "publish", help="update the read snapshot for notebooks (<db>.read.duckdb); runs do it themselves"
    )
    p.add_argument("--full", action="store_true", help="write every table anew instead of what changed")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("reparse", help="re-parse stored pages whose parser version changed (no refetch)")
    p.add_argument("--site", help="only this parser's pages")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=cmd_reparse)

    p = sub.add_parser(
        "flush", help="merge the batches runs spooled while the warehouse was busy (any write does it too)"
    )
    p.add_argument("--wait", type=float, default=60.0, help="seconds to wait while another process holds it")
    p.set_defaults(func=cmd_flush)

    p = sub.add_parser("check", help="integrity: every article has its page, every page its raw bytes")
    p.add_argument("--deep", action="store_true", help="also read every page back and verify its sha256")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("stats", help="per-site counts of pages, articles and failures with reasons")
    p.add_argument("--check", action="store_true", help="exit 1 when a crawled site is stale or failing")
    p.add_argument("--max-age-hours", type=float, default=48.0, help="stale after this long without success")
    p.add_argument("--max-failure-rate", type=float, default=0.5, help="failing above this share of pages")
    p.set_defaults(func=cmd_stats)

    register(sub)

    p = sub.add_parser("new-site", help="draft a new site's spec and fixtures from saved pages of it")
    p.add_argument("name", help="the site's name: lowercase letters, digits and _")
    p.add_argument("pages", nargs="+", type=Path, metavar="PAGE", help="saved pages (URL: see README)")
    root = Path(__file__).resolve().parent.parent  # this checkout; tests write elsewhere
    p.add_argument("--root", type=Path, default=root, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_new_site)

    p = sub.add_parser(
        "demo", help="serve the bundled fixture sites on 127.0.0.1, crawl them, enrich, print a summary"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.lake_data:  # the environment carries it to worker processes too
        os.environ[LAKE_DATA_VARIABLE] = args.lake_data
    settings = Settings.from_env(args.db)

    logs.setup("INFO" if args.verbose and not settings.log_level else None)
    interrupt = _Interrupt()
    try:
        with interrupt:
            return args.func(args, settings)
    except BaseException as exc:
        if interrupt.seen or isinstance(exc, KeyboardInterrupt):
            # Ctrl-C surfaces as whatever was running: DuckDB's "Query interrupted", a Prefect
            # server that got the signal too... The data is fine either way.
            print("regionews: interrupted; rerun to finish (completed batches are kept)", file=sys.stderr)
            return 130
        if isinstance(exc, WarehouseError | RunnerError):
            print(f"regionews: {exc}", file=sys.stderr)
            return 2
        if isinstance(exc, BrokenPipeError):
            return _reader_went_away()
        raise


class _Interrupt:
    """Notes a Ctrl-C (SIGINT) while a command runs, then lets it interrupt as usual."""

    def __init__(self) -> None:
        self.seen = False
        self._previous: object = None

    def _handle(self, signum: int, frame: object) -> None:
        self.seen = True
        raise KeyboardInterrupt

    def __enter__(self) -> _Interrupt:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]


def _reader_went_away() -> int:
    """`regionews sql ... | head`: the reader closed the pipe; stop quietly, like any Unix tool."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush must not fail again
    return 141  # 128 + SIGPIPE, what a shell reports for a writer whose reader left


if __name__ == "__main__":
    raise SystemExit(main())
