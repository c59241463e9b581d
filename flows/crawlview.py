"""What a person sees while crawling: one live line per site on a terminal, a summary at the end."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TextIO

from flows.crawl import CrawlFailed, SiteReport, run_crawl, with_url_sites
from flows.sites import Registry, load_sites
from flows.terminal_output import format_table


def _line(r: SiteReport) -> list[object]:
    done = r.fetched + r.unchanged + sum(r.failures.values())
    return [
        r.site,
        r.status,
        r.lists_fetched + r.lists_unchanged,
        f"{done}/{r.queued}",
        r.articles_new,
        sum(r.failures.values()),
        f"{r.seconds:.1f}s" if r.status != "running" else "",
    ]


_HEADER = ["site", "status", "lists", "fetched", "new articles", "failures", "time"]


class CrawlProgress:
    """Call with each SiteReport update; shows a live per-site table on a terminal, quiet lines otherwise."""

    def __init__(
        self, sites: list[str], enabled: bool = True, out: TextIO | None = None, every_seconds: float = 5.0
    ) -> None:
        self.out = out or sys.stderr
        self.enabled = enabled
        self.every = every_seconds  # without a terminal: a plain line per site this often, like load
        self._last: dict[str, float] = {}
        self.reports: dict[str, SiteReport] = {s: SiteReport(s) for s in sites}
        self._live = None
        if enabled and self.out.isatty():
            from rich.console import Console  # rich comes with prefect
            from rich.live import Live

            self._live = Live(
                self._table(), console=Console(file=self.out), refresh_per_second=4, transient=True
            )
            self._live.start()

    def _table(self):
        # lazy: only on a terminal
        from rich.table import Table

        table = Table(*_HEADER, title="crawling", title_justify="left")
        for report in self.reports.values():
            table.add_row(*(str(v) for v in _line(report)))
        return table

    def __call__(self, report: SiteReport) -> None:
        self.reports[report.site] = report
        if self._live is not None:
            self._live.update(self._table())
        elif self.enabled and report.status != "running":
            failures = sum(report.failures.values())
            line = f"crawl {report.site}: {report.status}, {report.articles_new} new articles"
            self.out.write(
                f"{line}, {failures} failures, {report.seconds:.1f}s\n"
            )  # not print(): flows capture it
            self.out.flush()
        elif self.enabled and time.monotonic() - self._last.get(report.site, 0.0) >= self.every:
            self._last[report.site] = time.monotonic()
            _site, _status, _lists, fetched, new, failures, _time = _line(report)
            self.out.write(f"crawl {report.site}: {fetched} pages, {new} new articles, {failures} failures\n")
            self.out.flush()

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


def print_crawl_summary(reports: list[dict], seconds: float, out: TextIO | None = None) -> None:
    """Pages fetched, articles, failures by reason and time taken, per site and in total."""
    out = out or sys.stdout
    columns = ["site", "lists", "discovered", "known", "fetched", "304", "new", "updated", "revisited",
               "edited", "withdrawn", "restored", "failures", "requests", "retries", "time"]  # fmt: skip
    rows = [
        [r["site"], r["lists_fetched"] + r["lists_unchanged"], r["discovered"], r["skipped_known"],
         r["fetched"], r["unchanged"], r["articles_new"], r["articles_updated"], r.get("revisited", 0),
         r.get("edited", 0), r.get("withdrawn", 0), r.get("restored", 0), sum(r["failures"].values()),
         r["requests"], r["retries"], f"{r['seconds']:.1f}s"]
        for r in reports
    ]  # fmt: skip
    print(format_table(columns, rows), file=out)
    reasons: Counter[str] = Counter()
    for r in reports:
        reasons.update(r["failures"])
    if reasons:
        print("\nfailures by reason:", file=out)
        print(format_table(["reason", "count"], reasons.most_common()), file=out)
    fetched = sum(r["fetched"] for r in reports)
    new = sum(r["articles_new"] for r in reports)
    crawling = max((r["seconds"] for r in reports), default=0.0)  # sites run side by side
    rate = fetched / crawling if crawling > 0 else 0.0
    failures = sum(reasons.values())
    summary = f"{len(reports)} site(s): {fetched} pages fetched, {new} new articles, {failures} failures"
    print(f"\n{summary}; crawling took {crawling:.1f}s ({rate:.1f} pages/s), {seconds:.1f}s in all", file=out)
    spooled = sum(r.get("spooled", 0) for r in reports)
    if spooled:
        print(
            f"spooled {spooled} articles: warehouse busy (another process held it); "
            "the next run or `regionews flush` merges them",
            file=out,
        )


def crawl_and_report(
    *,
    db: Path,
    data_dir: Path,
    site_names: Sequence[str] | None = None,
    sites_file: str | Path | None = None,
    registry: Registry | None = None,
    replica: Callable[[Registry], AbstractContextManager[Any]] | None = None,
    connect_to: str | None = None,
    polite: bool = True,
    delay: float | None = None,
    progress: bool = True,
    out: TextIO | None = None,
    backfill: bool = False,
    since: str | None = None,
    revisit: str = "due",
    urls: Sequence[str] = (),
) -> list[dict]:
    """`regionews crawl` and the demo: (serve the replica,) crawl with a progress display, print the summary.

    `replica` serves the bundled fixture sites on 127.0.0.1 for the length of the crawl (the CLI
    passes it for --replica and the demo) and every request goes there; it stops afterwards.
    A site that could not be crawled at all raises CrawlFailed after the summary is printed.
    """
    registry = registry or load_sites(sites_file)
    names = list(site_names) if site_names else [s.name for s in registry.select()]
    if urls:
        _, names = with_url_sites(registry, urls)
    served = replica(registry) if replica else nullcontext()
    started = time.monotonic()
    with served as server:
        if server is not None:
            connect_to = server.url
            print(f"replica of the bundled sites on {server.url} ({len(server.docs)} pages)", file=sys.stderr)
        view = CrawlProgress(names, enabled=progress)
        failed: CrawlFailed | None = None
        try:
            reports = run_crawl(
                names, db=db, sites_file=sites_file, connect_to=connect_to, polite=polite, delay=delay,
                warc_dir=Path(data_dir) / "warc", on_progress=view, backfill=backfill, since=since,
                revisit=revisit, urls=urls, registry=registry,
            )  # fmt: skip
        except CrawlFailed as exc:
            failed, reports = exc, exc.reports
        finally:
            view.close()
    print_crawl_summary(reports, time.monotonic() - started, out)
    if failed is not None:
        raise failed
    return reports
