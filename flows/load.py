"""The load flow: saved pages (files, directories, WARC archives) into the warehouse.

Pages go to parse tasks in batches (a Prefect task run costs more than parsing a page), are
parsed by pure functions, and are written in bulk by this one process. A bad page costs
itself only: it lands in `failures` with its stage, reason and raw bytes. `load` runs
in-process, or as the Prefect flow `load` (flows/prefect_flows.py; flows/runner.py says when).
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from flows import logs, worker_write
from flows.archive import WarcArchive, stored_location, warehouse_folder
from flows.inputs import (
    INCOMPLETE_STORY,
    TRUNCATED,
    FileInput,
    is_warc,
    iter_warc_pages,
    locate,
    printable_path,
    source_of,
    walk,
)
from flows.keeping import Keeper, inside, kept_pages
from flows.pagebatch import Item, read_and_parse
from flows.progress import Progress
from flows.publish import publish_after_run
from flows.runner import in_order, prefect_flow, task, task_input
from parsers.records import Failure, Page, PageResult
from parsers.registry import PARSERS, parser_for
from warehouse import spool
from warehouse.runs import finish_run, start_run
from warehouse.session import BatchWriter, Warehouse
from warehouse.settings import Settings
from warehouse.writer import WriteCounts, record_sites, stage, write_batch


@dataclass
class LoadSummary:
    """Counts of one load run, by site and by failure reason."""

    run_id: str = ""
    pages: int = 0
    articles: int = 0
    not_articles: int = 0
    parts: int = 0
    failed: int = 0
    spooled: int = 0  # articles kept in the spool: another process held the warehouse
    by_site: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    # What the writes changed: a rerun of the same input reports zeros here.
    pages_new: int = 0
    articles_new: int = 0
    articles_changed: int = 0

    def written(self, counts: WriteCounts) -> None:
        self.pages_new += counts.pages_new
        self.articles_new += counts.articles_new
        self.articles_changed += counts.articles_changed

    def add(self, results: Sequence[PageResult], failures: Sequence[Failure]) -> None:
        for r in results:
            self.pages += 1
            self.by_site[(r.parser or "?", r.outcome)] += 1
            if r.outcome == "article":
                self.articles += 1
            elif r.outcome == "not_article":
                self.not_articles += 1
            elif r.outcome == "part":
                self.parts += 1
            elif r.failure is not None:
                self.failed += 1
                self.reasons[r.failure.reason] += 1
        for f in failures:
            self.failed += 1
            self.by_site[(f.site or "?", "failed")] += 1
            self.reasons[f.reason] += 1

    def as_counts(self) -> dict:
        return {
            "pages": self.pages,
            "articles": self.articles,
            "not_articles": self.not_articles,
            "parts": self.parts,
            "failed": self.failed,
            "spooled": self.spooled,
            "reasons": dict(self.reasons),
            "pages_new": self.pages_new,
            "articles_new": self.articles_new,
            "articles_changed": self.articles_changed,
        }


def plan(paths: Iterable[Path]) -> tuple[list[FileInput], list[Path], list[Failure]]:
    """Locate every input without reading bodies: saved files, WARC files, and unreadable paths."""
    files: list[FileInput] = []
    warcs: list[Path] = []
    failures: list[Failure] = []
    for item in walk(paths):
        if isinstance(item, Failure):
            failures.append(item)
        elif is_warc(item):
            warcs.append(item)
        else:
            try:
                files.append(locate(item))
            except OSError as exc:
                failures.append(
                    Failure(
                        url=item.resolve().as_uri(),
                        stage="load",
                        reason=f"load: unreadable file ({exc.strerror or type(exc).__name__})",
                        detail=printable_path(str(exc)),
                    )
                )
    return files, warcs, failures


def story_batches(items: Sequence[Item], size: int) -> Iterator[list[Item]]:
    """Batches of about `size` pages that never split the parts of one paginated story."""
    stories: dict[str, list[Item]] = {}
    for item in items:
        key, _part = parser_for(item.url).article_key(item.url)
        stories.setdefault(key, []).append(item)
    batch: list[Item] = []
    for group in stories.values():
        batch.extend(group)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _story(url: str) -> str:
    return parser_for(url).article_key(url)[0]


def scan_warc(path: Path) -> tuple[set[str], set[str]]:
    """A first pass over a WARC file: the URLs it holds, and the stories (article keys) with a
    part cut short, which are held back."""
    urls: set[str] = set()
    held: set[str] = set()
    for item in iter_warc_pages(path):
        urls.add(item.url)
        if isinstance(item, Failure) and item.reason == TRUNCATED:
            held.add(_story(item.url))
    return urls, held


def hold_back(page: Page, path: Path) -> Failure:
    """A page whose story has a truncated part: kept (bytes and reason), never parsed without it.

    Parsed without its missing part the story would be a shorter article, and would replace
    the complete one if the warehouse has it; loading a complete copy of the WARC parses it.
    """
    return Failure(
        url=page.url,
        stage="load",
        reason=INCOMPLETE_STORY,
        detail=f"{path}: another part of {_story(page.url)} is truncated in this file",
        page_sha256=page.sha256,
        seen_at=page.fetched_at,
        body=page.body,
    )


def _as_loaded(page: Page, path: Path, ours: bool, base: Path | None) -> Page:
    """A replayed page: from our own archive it stays where it is; from another WARC file its
    bytes are still to be kept (no location), the file and offset it came from as its source."""
    if ours:
        return replace(page, location=stored_location(path, base))
    return replace(page, location=None, warc_offset=None, source=source_of(path, page.warc_offset))


def warc_batches(
    paths: Sequence[Path],
    size: int,
    scans: dict[Path, tuple[set[str], set[str]]],
    archive_dir: Path,
    base: Path | None,
) -> Iterator[tuple[list[Page], list[Failure]]]:
    for path in paths:
        held = scans[path][1]
        ours = inside(path, archive_dir)
        stream = iter_warc_pages(path)
        while True:
            chunk = list(itertools.islice(stream, size))
            if not chunk:
                break
            pages = [
                _as_loaded(p, path, ours, base)
                for p in chunk
                if isinstance(p, Page) and _story(p.url) not in held
            ]
            bad = [f for f in chunk if isinstance(f, Failure)]
            bad += [hold_back(p, path) for p in chunk if isinstance(p, Page) and _story(p.url) in held]
            yield pages, bad


@task("parse-loaded-batch")
def parse_batch(items: Sequence[Item]) -> tuple[list[PageResult], list[Failure]]:
    """Read and parse one batch of saved pages (`flows.pagebatch.read_and_parse`)."""
    return read_and_parse(items)


def batch_submitter(
    db: str, archive_dir: Path | None = None, kept: Iterable[tuple[str, str]] = ()
) -> tuple[Callable[[Sequence[Item]], Any], bool]:
    """How a flow sends a batch of pages (or files) away: (submit, committed_by_the_worker).

    On a lake with Dask workers the task parses and commits (flows/worker_write.py), and for a
    load (`archive_dir`) first keeps the pages' bytes there, but those in `kept` (url, sha256);
    otherwise it parses and the flow writes the results it gets back.
    """
    if not worker_write.writes_on_workers(db):
        return (lambda items: parse_batch.submit(task_input(items))), False
    folder = str(archive_dir.absolute()) if archive_dir is not None else None
    kept_by_url: dict[str, set[tuple[str, str]]] = {}
    for url, sha in kept:
        kept_by_url.setdefault(url, set()).add((url, sha))

    def submit(items: Sequence[Item]) -> Any:
        mine = frozenset(k for item in items for k in kept_by_url.get(item.url, ()))
        return worker_write.parse_and_write_batch.submit(items, db, folder, mine)

    return submit, True


def load(
    paths: list[str], db: str, batch_size: int = 500, progress: bool = True, warc_dir: str | None = None
) -> dict:
    """Load saved pages into the warehouse at `db`; returns the run's counts.

    Batches are parsed by the flow's task runner (threads, or Dask workers: see
    flows/runner.py), a few at a time, and written here in order, several batches to a
    bounded write session (`BatchWriter`); on a DuckLake with Dask workers, committed by the
    workers. Before a batch is handed to the writer, the bytes of its pages go into our archive
    under `warc_dir` (default: `warc/` beside the warehouse, where the crawl keeps its own; a lake
    has no folder: `data/warc` under the working directory, so give one every worker sees).
    """
    started = time.monotonic()
    files, warcs, failures = plan(Path(p) for p in paths)
    base = warehouse_folder(db)
    # On a lake: `warc_dir` (the CLI's $REGIONEWS_DATA_DIR/warc), by absolute path (workers write there too).
    archive_dir = (Path(warc_dir) if warc_dir else (base or Path("data")) / "warc").absolute()
    scans = {path: scan_warc(path) for path in warcs}
    urls = [f.url for f in files] + [u for found, _ in scans.values() for u in found]
    # Waits REGIONEWS_BUSY_WAIT for a file another process holds, then spools instead.
    warehouse = Warehouse(db, open_wait=Settings.from_env().busy_wait)
    run = {"flow": "load", "site": None, "started_at": datetime.now(UTC), "inputs": " ".join(paths)}
    kept: dict = {}

    def begin(con: duckdb.DuckDBPyConnection) -> str:
        nonlocal kept
        record_sites(con, [(p.name, p.version, p.working, p.broken_reason) for p in PARSERS])
        run_id = start_run(con, "load", inputs=printable_path(" ".join(paths)))
        kept = kept_pages(con, urls, archive_dir, base)
        if failures:
            write_batch(con, [], failures)
        return run_id

    def begin_spooled() -> str:
        nonlocal kept
        with warehouse.read() as con:  # beside the reader that keeps us out
            kept = kept_pages(con, urls, archive_dir, base)
        run["run_id"], run["status"] = str(uuid.uuid4()), "running"
        spool.put(db, "load", stage([], failures), spool.CrawlExtras(runs=[dict(run)]))
        return run["run_id"]

    run_id = warehouse.write_or_spool(begin, begin_spooled)
    run["run_id"] = run_id
    keeper = Keeper(WarcArchive(archive_dir, prefix="load", base=base), kept)
    summary = LoadSummary(run_id=run_id)
    summary.add([], failures)
    logs.page_outcomes(run_id, [], failures)
    bar = Progress(total=None if warcs else len(files), label="load", enabled=progress)
    status = "failed"

    # A lake on Dask: the workers keep the bytes and commit what they parse (flows/worker_write.py,
    # into WARC files of their own in the same folder); else the bytes are kept and written here.
    submit, on_workers = batch_submitter(db, archive_dir, kept)
    writer = BatchWriter(warehouse, spool_as="load")

    def write(results: list[PageResult], bad: list[Failure], n: int, unread: Sequence[Failure] = ()) -> None:
        """Count and log a parsed batch; write it unless its worker did (`unread`: records the
        WARC reader could not turn into pages, found here, so always written here)."""
        if not on_workers:
            results = keeper.keep(results)  # the bytes are ours before the rows say so
            writer.add(stage(results, [*unread, *bad]))
        elif unread:
            writer.add(stage([], unread))
        summary.add(results, [*unread, *bad])
        logs.page_outcomes(run_id, results, [*unread, *bad])
        bar.advance(n)

    try:
        with writer:
            for batch, (results, bad) in in_order(submit, story_batches(files, batch_size)):
                write(results, bad, len(batch))
            warc_input = warc_batches(warcs, batch_size, scans, archive_dir, base)
            for (pages, unread), (results, bad) in in_order(lambda c: submit(c[0]), warc_input):
                write(results, bad, len(pages), unread)
        status = "completed"
    finally:
        bar.close()
        keeper.archive.close()
        finish_or_spool(warehouse, "load", run, status, summary, writer)
        logs.run_done(
            "load",
            run_id,
            status,
            time.monotonic() - started,
            {**summary.as_counts(), **warehouse.session_stats()},
        )
    # A rerun that changed nothing ("nothing changed" in its summary) leaves the snapshot as it is.
    changed = summary.articles_new or summary.articles_changed or summary.pages_new or summary.failed
    publish_after_run(db, changed=bool(changed))
    return {"run_id": summary.run_id, **summary.as_counts(), "by_site": _by_site(summary)}


def finish_or_spool(
    warehouse: Warehouse, kind: str, run: dict, status: str, summary: LoadSummary, writer: BatchWriter
) -> None:
    """Record how a load or reparse ended: its row in `runs`, or a spooled run row while the
    file is busy (`run` holds what a spooled start recorded: run_id, flow, site, started_at...)."""
    summary.written(writer.counts)
    summary.spooled = writer.spooled
    counts = summary.as_counts()
    done = {**run, "status": status, "finished_at": datetime.now(UTC),
            "counts": json.dumps(counts, ensure_ascii=False, sort_keys=True)}  # fmt: skip
    warehouse.write_or_spool(
        lambda con: finish_run(con, run["run_id"], status, counts),
        lambda: spool.put(warehouse.path, kind, stage([]), spool.CrawlExtras(runs=[done])),
    )


def _by_site(summary: LoadSummary) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (site, outcome), n in sorted(summary.by_site.items()):
        out.setdefault(site, {})[outcome] = n
    return out


def __getattr__(name: str):
    if name == "load_flow":  # the Prefect flow wrapping `load`, made when asked for (imports Prefect)
        return prefect_flow("load")
    raise AttributeError(name)
