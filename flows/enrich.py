"""The `enrich` flow: after loading, add clusters, regions, terms and the search index.

Incremental: only articles that are new or changed since enrich last saw them (content hash,
title, parser version, or enrich's own version) are read and processed, in batches. Near-duplicate
pairs are recomputed for those articles only; clusters are then recomputed from stored signatures
and pairs (no text is read), and the search index is rebuilt when anything changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from flows import logs
from flows.publish import publish_after_run
from flows.runner import prefect_flow, run_logger, task
from parsers.research import batch as research
from parsers.research import shingles
from warehouse import enrich as store
from warehouse import search as fts
from warehouse.db import WarehouseBusy
from warehouse.runs import finish_run, start_run
from warehouse.session import Warehouse
from warehouse.settings import Settings

BATCH_SIZE = 500


@dataclass
class EnrichReport:
    processed: int = 0
    removed: int = 0
    near_pairs_found: int = 0
    indexed: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        c = self.counts
        return [
            f"enriched {self.processed} new or changed articles in {self.seconds:.1f} s",
            f"clusters: {c.get('clusters', 0)} "
            f"({c.get('multi_article_clusters', 0)} with more than one article, "
            f"{c.get('copies_linked', 0)} copies/duplicates linked to an original)",
            f"regions: {c.get('region_tags', 0)} tags on {c.get('tagged_articles', 0)} articles",
            f"terms: {c.get('distinct_terms', 0)} distinct ({c.get('numbered_terms', 0)} numbered slogans), "
            f"{c.get('term_rows', 0)} article-term rows",
        ]


def _near_candidates(signatures: dict[str, bytes], changed: list[str]) -> list[tuple[str, str, float]]:
    sigs = {url: shingles.from_bytes(blob) for url, blob in signatures.items()}
    return shingles.near_candidates(sigs, changed)


@dataclass(frozen=True)
class Steps:
    """The pure steps of enrich: plain functions, or the same wrapped as Prefect tasks."""

    enrich_batch: Callable = research.enrich_rows
    find_near_candidates: Callable = _near_candidates
    verify_pairs: Callable = shingles.verify_pairs
    build_clusters: Callable = research.cluster_tables


# Prefect tasks inside a Prefect flow run, plain calls elsewhere (flows/runner.py).
TASKS = Steps(
    enrich_batch=task("enrich_batch")(research.enrich_rows),
    find_near_candidates=task("find_near_candidates")(_near_candidates),
    verify_pairs=task("verify_near_duplicates")(shingles.verify_pairs),
    build_clusters=task("build_clusters")(research.cluster_tables),
)


def run_enrich(
    target: duckdb.DuckDBPyConnection | Warehouse,
    *,
    full: bool = False,
    batch_size: int = BATCH_SIZE,
    steps: Steps = Steps(),
) -> EnrichReport:
    """Enrich what changed; `steps` do the pure work between short write sessions.

    With a `Warehouse`, the file is held only while a batch is read or written (other writers
    and readers get in between); with a connection, everything goes through that connection.
    """
    if isinstance(target, Warehouse):
        session = target.write
    else:

        def session():
            return nullcontext(target)

    started = time.monotonic()
    report = EnrichReport()
    with session() as con:
        report.removed = store.drop_vanished(con)
        urls = store.pending_urls(con, research.ENRICH_VERSION, full=full)
        known = store.known_terms(con)
    for i in range(0, len(urls), batch_size):
        with session() as con:
            rows = store.read_articles(con, urls[i : i + batch_size])
        result = steps.enrich_batch(rows, known)
        with session() as con:
            store.write_batch(con, result.state, result.regions, result.terms, result.search)
        report.processed += len(result.state)
    if urls or report.removed or full:
        with session() as con:
            signatures = store.signatures(con)
        candidates = steps.find_near_candidates(signatures, urls)
        with session() as con:
            bodies = store.bodies(con, sorted({u for a, b, _ in candidates for u in (a, b)}))
        pairs = steps.verify_pairs(candidates, bodies)
        with session() as con:
            store.replace_near_duplicates(con, urls, pairs)
            article_rows, all_pairs = store.cluster_inputs(con)
        report.near_pairs_found = len(pairs)
        cluster_rows, member_rows = steps.build_clusters(article_rows, all_pairs, signatures)
        with session() as con:
            store.write_clusters(con, cluster_rows, member_rows)
            report.indexed = fts.rebuild_index(con)
    with session() as con:
        report.counts = store.counts(con)
    report.seconds = time.monotonic() - started
    return report


class EnrichBusy(WarehouseBusy):
    """Another process held the warehouse file (a notebook's read-only connection) too long.

    Enrich does not spool: each batch reads what the ones before wrote (terms, signatures), so
    its work cannot wait outside the warehouse. It stops instead, saying what it kept; enrich
    is incremental, so a rerun does what is left.
    """


def nothing_written(db: str | Path, exc: WarehouseBusy) -> EnrichBusy:
    return EnrichBusy(
        f"warehouse busy: nothing written, rerun `regionews enrich` later (another process held "
        f"{db} for {exc.waited:.0f}s: a notebook, the DuckDB CLI or a BI tool with it open?)",
        exc.waited,
    )


def enrich(db: str | Path, full: bool = False, batch_size: int = BATCH_SIZE) -> EnrichReport:
    """Enrich the warehouse at `db`: clusters, regions, terms, search index."""
    warehouse = Warehouse(db)
    try:  # as long as a spooling run would wait, then say so: nothing was written yet
        with warehouse.write(wait=Settings.from_env().busy_wait) as con:
            run_id = start_run(con, "enrich", inputs=f"full={full}")
    except WarehouseBusy as exc:
        raise nothing_written(db, exc) from None
    try:
        report = run_enrich(warehouse, full=full, batch_size=batch_size, steps=TASKS)
    except WarehouseBusy as exc:  # mid-run, after waiting a writer's full bound
        with suppress(WarehouseBusy), warehouse.write() as con:
            finish_run(con, run_id, "failed", {"error": f"warehouse busy: {exc}"})
        raise EnrichBusy(
            "warehouse busy: enrich stopped; the batches it finished are kept, rerun "
            f"`regionews enrich` later to do the rest (another process held {db} for {exc.waited:.0f}s)",
            exc.waited,
        ) from None
    except Exception as exc:
        with warehouse.write() as con:
            finish_run(con, run_id, "failed", {"error": f"{type(exc).__name__}: {exc}"})
        raise
    with warehouse.write() as con:
        finish_run(con, run_id, "completed", {"processed": report.processed, **report.counts})
    logs.run_done(
        "enrich", run_id, "completed", report.seconds, {"processed": report.processed, **report.counts}
    )
    for line in report.lines():
        run_logger().info(line)
    publish_after_run(db, changed=bool(report.processed or report.removed or full))
    return report


def __getattr__(name: str):
    if name == "enrich_flow":  # the Prefect flow wrapping `enrich` (imports Prefect)
        return prefect_flow("enrich")
    raise AttributeError(name)
