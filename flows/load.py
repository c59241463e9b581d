"""The load flow: saved pages (files, directories, WARC archives) into the warehouse.

Pages go to parse tasks in batches (a Prefect task run costs more than parsing a page), are
parsed by pure functions, and are written in bulk by this one process. A bad page costs
itself only: it lands in `failures` with its stage, reason and raw bytes. `load` runs
in-process, or as the Prefect flow `load` (flows/prefect_flows.py; flows/runner.py says when).
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows import logs, worker_write
from flows.inputs import (
    INCOMPLETE_STORY,
    TRUNCATED,
    FileInput,
    is_warc,
    iter_warc_pages,
    locate,
    walk,
)
from flows.pagebatch import Item, read_and_parse
from flows.progress import Progress
from flows.runner import in_order, prefect_flow, task, task_input
from flows.settings import Settings
from parsers.records import Failure, Page, PageResult
from parsers.registry import PARSERS, parser_for
from warehouse.runs import finish_run, start_run
from warehouse.session import Warehouse
from warehouse.writer import record_sites, stage, write_batch


@dataclass
class LoadSummary:
    """Counts of one load run, by site and by failure reason."""

    run_id: str = ""
    pages: int = 0
    articles: int = 0
    not_articles: int = 0
    parts: int = 0
    failed: int = 0
    by_site: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)

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
            "reasons": dict(self.reasons),
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
                        detail=str(exc),
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


def incomplete_stories(path: Path) -> set[str]:
    """Stories (article keys) with a part cut short in this WARC: a first pass over the file."""
    return {_story(f.url) for f in iter_warc_pages(path) if isinstance(f, Failure) and f.reason == TRUNCATED}


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


def warc_batches(paths: Sequence[Path], size: int) -> Iterator[tuple[list[Page], list[Failure]]]:
    for path in paths:
        held = incomplete_stories(path)
        stream = iter_warc_pages(path)
        while True:
            chunk = list(itertools.islice(stream, size))
            if not chunk:
                break
            pages = [p for p in chunk if isinstance(p, Page) and _story(p.url) not in held]
            bad = [f for f in chunk if isinstance(f, Failure)]
            bad += [hold_back(p, path) for p in chunk if isinstance(p, Page) and _story(p.url) in held]
            yield pages, bad


@task("parse-loaded-batch")
def parse_batch(items: Sequence[Item]) -> tuple[list[PageResult], list[Failure]]:
    """Read and parse one batch of saved pages (`flows.pagebatch.read_and_parse`)."""
    return read_and_parse(items)


def batch_submitter(db: str) -> tuple[Callable[[Sequence[Item]], Any], bool]:
    """How a flow sends a batch of pages (or files) away: (submit, committed_by_the_worker).

    On a lake with Dask workers the task parses and commits (flows/worker_write.py);
    otherwise it parses and the flow writes the results it gets back.
    """
    if worker_write.writes_on_workers(db):
        return (lambda items: worker_write.parse_and_write_batch.submit(items, db)), True
    return (lambda items: parse_batch.submit(task_input(items))), False


def load(paths: list[str], db: str, batch_size: int = 500, progress: bool = True) -> dict:
    """Load saved pages into the warehouse at `db`; returns the run's counts.

    Batches are parsed by the flow's task runner (threads, or Dask workers: see
    flows/runner.py), a few at a time, and written here in order, several batches to a
    bounded write session (`BatchWriter`); on a DuckLake with Dask workers, committed by the
    workers.
    """
    started = time.monotonic()
    files, warcs, failures = plan(Path(p) for p in paths)
    warehouse = Warehouse(db)
    with warehouse.write() as con:
        record_sites(con, [(p.name, p.version, p.working, p.broken_reason) for p in PARSERS])
        run_id = start_run(con, "load", inputs=" ".join(paths))
        if failures:
            write_batch(con, [], failures)
    summary = LoadSummary(run_id=run_id)
    summary.add([], failures)
    logs.page_outcomes(run_id, [], failures)
    bar = Progress(total=None if warcs else len(files), label="load", enabled=progress)
    status = "failed"

    # A lake on Dask: the workers commit what they parse (flows/worker_write.py); else we write here.
    submit, on_workers = batch_submitter(db)
    writer = Settings.from_env(db).batch_writer(warehouse)

    def write(results: list[PageResult], bad: list[Failure], n: int, unread: Sequence[Failure] = ()) -> None:
        """Count and log a parsed batch; write it unless its worker did (`unread`: records the
        WARC reader could not turn into pages, found here, so always written here)."""
        if not on_workers:
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
            for (pages, unread), (results, bad) in in_order(
                lambda c: submit(c[0]), warc_batches(warcs, batch_size)
            ):
                write(results, bad, len(pages), unread)
        status = "completed"
    finally:
        bar.close()
        with warehouse.write() as con:
            finish_run(con, run_id, status, summary.as_counts())
        logs.run_done("load", run_id, status, time.monotonic() - started, summary.as_counts())
    return {"run_id": summary.run_id, **summary.as_counts(), "by_site": _by_site(summary)}


def _by_site(summary: LoadSummary) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (site, outcome), n in sorted(summary.by_site.items()):
        out.setdefault(site, {})[outcome] = n
    return out


def __getattr__(name: str):
    if name == "load_flow":  # the Prefect flow wrapping `load`, made when asked for (imports Prefect)
        return prefect_flow("load")
    raise AttributeError(name)
