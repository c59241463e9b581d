"""What each crawl path costs per page: list walks, script lists, sitemaps, feeds, revisits.

The replica's county site with a history (`flows/replica_history.py`, a Hanweb county portal)
is served bigger than in the tests, from its own process (its CPU is not ours), twice: as first
seen, and with every article corrected (`edit_all`). Each path is crawled on its own (the site
declared with that one source), politeness off (allowed only against our own replica), on the
crawl's default batches and sessions:

- a backfill of the HTML column into an empty warehouse: cost per new article page;
- the same walk over a warehouse that holds every article: cost per list page;
- the Hanweb list script over such a warehouse: cost per window (POST, XML answer);
- robots.txt's sitemap index and its two gzip sitemaps, read whole: cost per URL entry;
- the RSS and Atom feeds, read whole: cost per feed;
- `--revisit all` with nothing changed: cost per article answered 304;
- `--revisit all` with every article corrected: cost per article refetched, parsed and versioned.

Every phase starts from a copy of the same warehouse. The fixed cost of a crawl (run records,
robots.txt, opening the warehouse) is measured by a crawl with no source and subtracted.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

_SERVER = """
import sys
from flows.replica import Replica
from flows.replica_history import HistorySite
from flows.sites import load_sites
port, pages, per_page, script, edit_all = (int(x) for x in sys.argv[1:6])
replica = Replica({}, load_sites(), lifetime=3600, max_requests=10**7)
replica.history = HistorySite(
    column_pages=pages, per_page=per_page, script_items=script, edit_all=bool(edit_all)
)
replica.start(port)
print("ready", len(replica.history.stories()), flush=True)
replica.wait()
"""


@dataclass(frozen=True, slots=True)
class PathCost:
    path: str
    unit: str
    units: int
    requests: int
    seconds: float  # wall, the empty crawl's subtracted
    cpu_seconds: float  # this process (the crawler), the empty crawl's subtracted

    @property
    def ms_per_unit(self) -> float:
        return 1000 * self.seconds / self.units if self.units else 0.0

    @property
    def cpu_ms_per_unit(self) -> float:
        return 1000 * self.cpu_seconds / self.units if self.units else 0.0


@dataclass(frozen=True, slots=True)
class PathsResult:
    articles: int  # stories the site serves
    column_pages: int
    windows: int
    fixed_seconds: float
    fixed_cpu_seconds: float
    costs: list[PathCost]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(pages: int, per_page: int, script: int, edit_all: bool) -> tuple[subprocess.Popen, str, int]:
    port = _free_port()
    args = [str(port), str(pages), str(per_page), str(script), str(int(edit_all))]
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, *args], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("ready"):
        proc.terminate()
        raise RuntimeError(f"replica did not start: {line!r}")
    return proc, f"http://127.0.0.1:{port}", int(line.split()[1])


@dataclass(frozen=True, slots=True)
class _Phase:
    path: str
    unit: str
    source: str  # which of the site's sources the crawl uses (see `run`)
    mode: dict  # CrawlMode fields
    forget: str = ""  # SQL run on the warehouse copy first ("" = start from an empty warehouse)
    edited: bool = False  # crawl the copy of the site with every article corrected
    units: str = "fetched"  # the report count that says how many units the phase handled


_FORGET_WALKS = "DELETE FROM list_pages"
_FORGET_LISTINGS = "DELETE FROM pages WHERE role IN ('sitemap', 'feed')"
_KEEP = "SELECT 1"
PHASES = (
    _Phase("new article found by a list walk (backfill)", "article page", "column", {"backfill": True}),
    _Phase("list page, every article known (backfill walk)", "list page", "column", {"backfill": True},
           _FORGET_WALKS, units="lists_fetched"),
    _Phase("script-list window (Hanweb POST, XML), every article known", "window", "script",
           {"backfill": True}, _FORGET_WALKS, units="lists_fetched"),
    _Phase("sitemap index + 2 gzip sitemaps, read whole, every URL known", "URL entry", "sitemaps", {},
           _FORGET_LISTINGS, units="sitemap entries"),
    _Phase("RSS + Atom feed, read whole, every URL known", "feed", "feeds", {}, _FORGET_LISTINGS,
           units="sitemap_pages"),
    _Phase("revisit, unchanged (conditional GET answered 304)", "article", "none", {"revisit": "all"},
           _KEEP, units="revisited"),
    _Phase("revisit, body changed (refetch, parse, new version)", "article", "none", {"revisit": "all"},
           _KEEP, edited=True, units="revisited"),
)  # fmt: skip


def run(column_pages: int = 100, per_page: int = 10, script_items: int = 300) -> PathsResult:
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "600")  # a busy machine
    import duckdb
    from prefect import flow

    from flows.crawl import CrawlMode, crawl_registry
    from flows.replica_history import SITE, HistorySite
    from flows.sites import load_sites
    from parsers.crawlspec import ScriptList, SiteSources

    registry = load_sites()
    site = replace(next(s for s in registry.sites if s.name == SITE), enabled=True)
    column = site.sources.lists[0]
    script = next(lst for lst in site.sources.lists if isinstance(lst, ScriptList))
    sources = {
        "none": SiteSources(),
        "column": SiteSources(lists=(column,)),
        "script": SiteSources(lists=(script,)),
        "sitemaps": SiteSources(robots_sitemaps=True),
        "feeds": SiteSources(feeds=site.sources.feeds),
        "all": site.sources,
    }
    served = HistorySite(column_pages=column_pages, per_page=per_page, script_items=script_items)
    in_sitemaps = len(served.column) + len(served.script) + len(served.sitemap_only)

    def crawl(db: Path, url: str, source: str, mode: dict) -> tuple[dict, float, float]:
        reg = replace(registry, sites=(replace(site, sources=sources[source]),))
        how = CrawlMode(**{"revisit": "none", **mode})

        @flow(name="crawl-paths-bench")
        async def bench_flow():
            return await crawl_registry(reg, db=db, connect_to=url, polite=False, mode=how)

        wall, cpu = time.perf_counter(), time.process_time()
        (report,) = asyncio.run(bench_flow())
        return report.counts(), time.perf_counter() - wall, time.process_time() - cpu

    plain, plain_url, articles = _serve(column_pages, per_page, script_items, edit_all=False)
    edited, edited_url, _ = _serve(column_pages, per_page, script_items, edit_all=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            known = root / "known" / "regionews.duckdb"
            # Untimed: warm Prefect up, then a warehouse holding every article the site serves.
            crawl(known, plain_url, "all", {"backfill": True})

            def warehouse(name: str, forget: str) -> Path:
                db = root / name / "regionews.duckdb"
                db.parent.mkdir()
                if forget:
                    shutil.copyfile(known, db)
                    with duckdb.connect(str(db)) as con:
                        con.execute(forget)
                return db

            _, fixed, fixed_cpu = crawl(warehouse("fixed", _KEEP), plain_url, "none", {})
            costs = []
            for i, phase in enumerate(PHASES):
                url = edited_url if phase.edited else plain_url
                report, wall, cpu = crawl(warehouse(f"phase{i}", phase.forget), url, phase.source, phase.mode)
                if phase.edited and report["edited"] != report["revisited"]:
                    raise RuntimeError(f"edited {report['edited']} of {report['revisited']} revisited")
                units = in_sitemaps if phase.units == "sitemap entries" else int(report[phase.units])
                costs.append(
                    PathCost(phase.path, phase.unit, units, report["requests"], wall - fixed, cpu - fixed_cpu)
                )
    finally:
        for proc in (plain, edited):
            proc.terminate()
            proc.wait(timeout=10)
    return PathsResult(articles, column_pages, -(-script_items // script.window), fixed, fixed_cpu, costs)


def markdown(result: PathsResult) -> list[str]:
    lines = [
        "| path | unit | units | requests | ms per unit (wall) | CPU ms per unit |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for c in result.costs:
        lines.append(
            f"| {c.path} | {c.unit} | {c.units:,} | {c.requests:,} | {c.ms_per_unit:.1f} "
            f"| {c.cpu_ms_per_unit:.1f} |"
        )
    lines.append(
        f"| (fixed cost of one crawl, subtracted above) | crawl | 1 | | {1000 * result.fixed_seconds:.0f} | "
        f"{1000 * result.fixed_cpu_seconds:.0f} |"
    )
    return lines


if __name__ == "__main__":
    out = run(*(int(x) for x in sys.argv[1:4]))
    print("\n".join(markdown(out)))
