"""Bulk writes: pages, articles and failures in batches, through Arrow staging tables.

Each batch is deduplicated by key and staged as Arrow tables (`stage`), then merged with
`UPDATE ... FROM` plus an anti-join `INSERT` (`merge`); several staged batches can be merged
in one transaction, which is how a write session serves many batches (warehouse/session.py).
Measured here, that runs near 140-180 k rows/s where `INSERT ... ON CONFLICT DO UPDATE` or
`executemany` manage 1-8 k. Writing the same input twice leaves every table as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from parsers.records import Article, Failure, Page, PageResult
from warehouse import lake
from warehouse.db import transaction

_TS = pa.timestamp("us", tz="UTC")
_STR_LIST = pa.list_(pa.string())
_IMAGES = pa.list_(pa.struct([("src", pa.string()), ("caption", pa.string())]))

PAGE_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("sha256", pa.string()),
        ("final_url", pa.string()),
        ("site", pa.string()),
        ("fetched_at", _TS),
        ("status", pa.int32()),
        ("content_type", pa.string()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("headers", pa.string()),
        ("origin", pa.string()),
        ("location", pa.string()),
        ("warc_offset", pa.int64()),
        ("size", pa.int64()),
        ("outcome", pa.string()),
        ("parser", pa.string()),
        ("parser_version", pa.int32()),
        ("article_url", pa.string()),
        ("role", pa.string()),
        ("source_path", pa.string()),
        ("source_offset", pa.int64()),
        ("source_name_bytes", pa.binary()),
    ]
)
ARTICLE_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("site", pa.string()),
        ("parser_version", pa.int32()),
        ("page_sha256", pa.string()),
        ("title", pa.string()),
        ("raw_title", pa.string()),
        ("kicker", pa.string()),
        ("subtitle", pa.string()),
        ("published_at", _TS),
        ("published_precision", pa.string()),
        ("published_origin", pa.string()),
        ("updated_at", _TS),
        ("source", pa.string()),
        ("authors", _STR_LIST),
        ("editors", _STR_LIST),
        ("contributors", _STR_LIST),
        ("reposters", _STR_LIST),
        ("original_title", pa.string()),
        ("original_url", pa.string()),
        ("original_source", pa.string()),
        ("is_copy", pa.bool_()),
        ("body", pa.string()),
        ("raw_body", pa.string()),
        ("paragraph_count", pa.int32()),
        ("images", _IMAGES),
        ("script", pa.string()),
        ("flags", _STR_LIST),
        ("corrupted_spans", pa.int32()),
        ("page_count", pa.int32()),
        ("content_hash", pa.string()),
        ("first_seen", _TS),
        ("last_seen", _TS),
    ]
)
FAILURE_SCHEMA = pa.schema(
    [
        ("url", pa.string()),
        ("page_sha256", pa.string()),
        ("stage", pa.string()),
        ("site", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("seen_at", _TS),
        ("body", pa.binary()),
    ]
)


# The key of each table the writer merges: one row per key (kept by `_merge`, proven by
# `regionews check`; no index enforces it since migration 0005).
KEYS: dict[str, tuple[str, ...]] = {
    "pages": ("url", "sha256"),
    "articles": ("url",),
    "failures": ("url", "page_sha256", "stage"),
}
_CLEARED_SCHEMA = pa.schema([("url", pa.string()), ("sha256", pa.string())])


@dataclass(frozen=True, slots=True)
class WriteCounts:
    pages_new: int = 0
    articles_new: int = 0
    articles_updated: int = 0  # stored articles written again (changed or not)
    failures: int = 0
    articles_changed: int = 0  # of those, the ones whose text, title, page or parser version differ

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(
            self.pages_new + other.pages_new,
            self.articles_new + other.articles_new,
            self.articles_updated + other.articles_updated,
            self.failures + other.failures,
            self.articles_changed + other.articles_changed,
        )


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _page_row(result: PageResult, article_url: str | None) -> dict:
    page = result.page
    return {
        "url": page.url,
        "sha256": page.sha256,
        "final_url": page.final_url,
        "site": result.parser,
        "fetched_at": _utc(page.fetched_at),
        "status": page.status,
        "content_type": page.header("content-type"),
        "etag": page.header("etag"),
        "last_modified": page.header("last-modified"),
        "headers": json.dumps(dict(page.headers), ensure_ascii=False) if page.headers else None,
        "origin": page.origin,
        "location": page.location,
        "warc_offset": page.warc_offset,
        "size": len(page.body),
        "outcome": result.outcome,
        "parser": result.parser,
        "parser_version": result.parser_version,
        "article_url": article_url,
        "role": page.role,
        "source_path": page.source.path if page.source else None,
        "source_offset": page.source.offset if page.source else None,
        "source_name_bytes": page.source.name_bytes if page.source else None,
    }


# Article fields copied as they are, column by column.
_PLAIN_ARTICLE_FIELDS = (
    "url", "site", "parser_version", "page_sha256", "title", "raw_title", "kicker", "subtitle",
    "published_precision", "published_origin", "source", "original_title", "original_url",
    "original_source", "is_copy", "script", "corrupted_spans", "page_count",
)  # fmt: skip
_LIST_ARTICLE_FIELDS = ("authors", "editors", "contributors", "reposters", "flags")


def _articles_table(items: Sequence[tuple[Article, datetime | None]]) -> pa.Table:
    """The staged articles, built column by column (much cheaper than a dict per row)."""
    arts = [a for a, _ in items]
    bodies = [a.body for a in arts]
    seen = [_utc(s) for _, s in items]
    columns: dict[str, list] = {name: [getattr(a, name) for a in arts] for name in _PLAIN_ARTICLE_FIELDS}
    columns.update({name: [list(getattr(a, name)) for a in arts] for name in _LIST_ARTICLE_FIELDS})
    columns["published_at"] = [_utc(a.published_at) for a in arts]
    columns["updated_at"] = [_utc(a.updated_at) for a in arts]
    columns["body"] = bodies
    columns["raw_body"] = [
        "\n".join(a.raw_paragraphs) if a.raw_paragraphs is not None else None for a in arts
    ]
    columns["paragraph_count"] = [len(a.paragraphs) for a in arts]
    columns["images"] = [[{"src": i.src, "caption": i.caption} for i in a.images] for a in arts]
    columns["content_hash"] = [content_hash(b) for b in bodies]
    columns["first_seen"] = seen
    columns["last_seen"] = seen
    return pa.Table.from_pydict({name: columns[name] for name in ARTICLE_SCHEMA.names}, schema=ARTICLE_SCHEMA)


def _failure_row(failure: Failure) -> dict:
    return {
        "url": failure.url,
        "page_sha256": failure.page_sha256,
        "stage": failure.stage,
        "site": failure.site,
        "reason": failure.reason,
        "detail": failure.detail,
        "seen_at": _utc(failure.seen_at),
        "body": failure.body,
    }


def _dedupe(rows: Iterable[dict], key: Sequence[str]) -> list[dict]:
    """Last row wins per key: a batch must never hold one key twice."""
    out: dict[tuple, dict] = {}
    for row in rows:
        out[tuple(row[k] for k in key)] = row
    return list(out.values())


def _table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


@dataclass(frozen=True, slots=True)
class StagedBatch:
    """One batch as Arrow tables, one row per key, ready to merge.

    Arrow because the merge reads it without a copy, and because a batch that cannot be
    merged now can be kept (e.g. as Parquet) and merged later unchanged.
    """

    pages: pa.Table
    articles: pa.Table
    failures: pa.Table
    cleared: pa.Table  # (url, sha256) whose decode/parse failures this batch clears

    @property
    def nbytes(self) -> int:
        return sum(t.nbytes for t in (self.pages, self.articles, self.failures, self.cleared))

    @property
    def rows(self) -> int:
        return self.pages.num_rows + self.articles.num_rows + self.failures.num_rows + self.cleared.num_rows

    def urls(self) -> set[str]:
        """Every URL a key of this batch names: two batches with no URL in common commute."""
        out: set[str] = set()
        for table in (self.pages, self.articles, self.failures, self.cleared):
            out.update(table.column("url").to_pylist())
        return out


def stage(results: Sequence[PageResult], extra_failures: Sequence[Failure] = ()) -> StagedBatch:
    """Page results (and failures with no page, e.g. fetch errors) as one staged batch."""
    article_of: dict[tuple[str, str], str] = {}
    for r in results:
        if r.article is not None:
            article_of[(r.page.url, r.page.sha256)] = r.article.url
    page_rows = _dedupe(
        (_page_row(r, article_of.get((r.page.url, r.page.sha256))) for r in results), KEYS["pages"]
    )
    # Last one wins per URL: a batch must never hold one key twice.
    latest = {r.article.url: (r.article, r.page.fetched_at) for r in results if r.article is not None}
    failures = [r.failure for r in results if r.failure is not None] + list(extra_failures)
    failure_rows = _dedupe((_failure_row(f) for f in failures), KEYS["failures"])
    # Pages that parsed now clear the decode/parse failures recorded for the same bytes earlier.
    cleared = [(r.page.url, r.page.sha256) for r in results if r.outcome != "failed"]
    cleared += [(r.article.url, r.page.sha256) for r in results if r.article is not None]
    cleared = list(dict.fromkeys(cleared))
    return StagedBatch(
        pages=_table(page_rows, PAGE_SCHEMA),
        articles=_articles_table(list(latest.values())),
        failures=_table(failure_rows, FAILURE_SCHEMA),
        cleared=pa.table(
            {"url": [u for u, _ in cleared], "sha256": [h for _, h in cleared]}, schema=_CLEARED_SCHEMA
        ),
    )


def _commuting_runs(batches: Sequence[StagedBatch]) -> list[list[StagedBatch]]:
    """Consecutive batches with no URL in common, which can be merged as one; a URL seen again
    (a story re-fetched in the same run) starts a new run, so later batches still win."""
    runs: list[list[StagedBatch]] = []
    seen: set[str] = set()
    for batch in batches:
        urls = batch.urls()
        if not runs or not seen.isdisjoint(urls):
            runs.append([])
            seen = set()
        runs[-1].append(batch)
        seen |= urls
    return runs


def _merge(
    con: duckdb.DuckDBPyConnection,
    target: str,
    stage: pa.Table,
    key: Sequence[str],
    update: Sequence[str],
    special: dict[str, str] | None = None,
    mark_written: bool = False,
    existing: int | None = None,
) -> tuple[int, int]:
    """UPDATE existing keys from the staged rows, then INSERT the new ones; returns (new, updated).

    No index enforces the key (migration 0005): this merge is what keeps one row per key, so
    every write of these tables goes through it, under the writer lock on a file and behind
    the write fences on a lake.

    `mark_written`: the target has `written_at` (migration 0008), set when a row's values change.
    `existing`: how many staged keys the target holds, when the caller counted them already.
    """
    name = f"_stage_{target}"
    con.register(name, stage)
    try:
        on = " AND ".join(f"t.{k} = s.{k}" for k in key)
        if existing is None:
            (existing,) = con.execute(f"SELECT count(*) FROM {name} s JOIN {target} t ON {on}").fetchone()
        assign = {c: f"s.{c}" for c in update if c not in (special or {})}
        assign.update(special or {})
        sets = [f"{c} = {expr}" for c, expr in assign.items()]
        if mark_written and sets:
            sets.append(written_at_sql(target, assign))
        if existing and sets:
            where = " AND ".join(f"{target}.{k} = s.{k}" for k in key)
            con.execute(f"UPDATE {target} SET {', '.join(sets)} FROM {name} s WHERE {where}")
        cols = list(stage.schema.names) + (["written_at"] if mark_written else [])
        values = [f"s.{c}" for c in stage.schema.names] + (["current_timestamp"] if mark_written else [])
        con.execute(
            f"INSERT INTO {target} ({', '.join(cols)}) SELECT {', '.join(values)} "
            f"FROM {name} s ANTI JOIN {target} t ON {on}"
        )
        return stage.num_rows - existing, existing
    finally:
        con.unregister(name)


# Where a page's bytes are: the first place stays, except that a page loaded before migration 0006
# (its location the user's own file, no source_path) moves to our archive when loaded again.
_KEPT = (
    "CASE WHEN pages.source_path IS NULL AND pages.origin IN ('file', 'warc') AND s.source_path IS NOT NULL "
    "AND s.location IS NOT NULL THEN s.{0} ELSE coalesce(pages.{0}, s.{0}) END"
)


def _stored_articles(con: duckdb.DuckDBPyConnection, staged: pa.Table) -> tuple[int, int]:
    """(stored, changed): staged articles the warehouse holds, and of those the ones this batch
    changes (other text, title, page bytes or parser version), in one pass over `articles`.

    What a rerun reports: loading the same pages again changes nothing.
    """
    con.register("_stage_changed", staged)
    try:
        (stored, changed) = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE "
            "(t.content_hash, t.title, t.page_sha256, t.parser_version) IS DISTINCT FROM "
            "(s.content_hash, s.title, s.page_sha256, s.parser_version)) "
            "FROM _stage_changed s JOIN articles t ON t.url = s.url"
        ).fetchone()
    finally:
        con.unregister("_stage_changed")
    return int(stored), int(changed)


def _clear_failures(con: duckdb.DuckDBPyConnection, cleared: pa.Table) -> None:
    """Delete the decode/parse failures of pages that parsed now.

    Looked for first: most batches clear nothing, and on a lake a DELETE costs catalog work
    even when it finds no row (a cheap SELECT does not).
    """
    con.register("_cleared", cleared)
    try:
        match = (
            "FROM failures JOIN _cleared c ON failures.url = c.url "
            "AND failures.page_sha256 = c.sha256 WHERE failures.stage IN ('decode', 'parse')"
        )
        (found,) = con.execute(f"SELECT count(*) {match}").fetchone()
        if found:
            con.execute(
                "DELETE FROM failures USING _cleared c WHERE failures.url = c.url "
                "AND failures.page_sha256 = c.sha256 AND failures.stage IN ('decode', 'parse')"
            )
    finally:
        con.unregister("_cleared")


def _concat(tables: list[pa.Table]) -> pa.Table:
    return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


def _merge_run(con: duckdb.DuckDBPyConnection, run: Sequence[StagedBatch]) -> WriteCounts:
    """Merge batches that share no URL as one set of staged rows."""
    pages = _concat([b.pages for b in run])
    articles = _concat([b.articles for b in run])
    failures = _concat([b.failures for b in run])
    cleared = _concat([b.cleared for b in run])
    pages_new = articles_new = articles_updated = articles_changed = 0
    if pages.num_rows:
        pages_new, _ = _merge(
            con,
            "pages",
            pages,
            KEYS["pages"],
            ("outcome", "parser", "parser_version", "article_url", "site"),
            {"location": _KEPT.format("location"), "warc_offset": _KEPT.format("warc_offset"),
             "role": "coalesce(s.role, pages.role)",
             "source_path": "coalesce(pages.source_path, s.source_path)",
             "source_offset": "coalesce(pages.source_offset, s.source_offset)",
             "source_name_bytes": "coalesce(pages.source_name_bytes, s.source_name_bytes)"},
            mark_written=True,
        )  # fmt: skip
    if articles.num_rows:
        stored, articles_changed = _stored_articles(con, articles)
        columns = [c for c in ARTICLE_SCHEMA.names if c not in ("url", "first_seen", "last_seen")]
        articles_new, articles_updated = _merge(
            con,
            "articles",
            articles,
            KEYS["articles"],
            columns,
            {
                "first_seen": "least(articles.first_seen, s.first_seen)",
                "last_seen": "greatest(articles.last_seen, s.last_seen)",
            },
            mark_written=True,
            existing=stored,
        )
    if cleared.num_rows:
        _clear_failures(con, cleared)
    if failures.num_rows:
        _merge(
            con,
            "failures",
            failures,
            KEYS["failures"],
            ("site", "reason", "detail", "body"),
            {"seen_at": "least(failures.seen_at, s.seen_at)"},  # when it first failed
        )
    return WriteCounts(pages_new, articles_new, articles_updated, failures.num_rows, articles_changed)


def merge_body(con: duckdb.DuckDBPyConnection, batches: Sequence[StagedBatch]) -> WriteCounts:
    """Merge staged batches in order, later batches winning, inside the caller's transaction.

    For a caller that commits more in the same transaction (e.g. a spool marking what it
    applied): run it inside `db.transaction(con, body)`. On DuckLake it first bumps the write
    fences of every key's URL, so concurrent writers of the same keys conflict and one reruns.
    `merge` is this in a transaction of its own.
    """
    total = WriteCounts()
    batches = [b for b in batches if b.rows]
    if not batches:
        return total
    if lake.in_lake(con):  # concurrent writers of the same keys must conflict (see warehouse/lake.py)
        lake.touch_fences(con, set().union(*(b.urls() for b in batches)))
    for run in _commuting_runs(batches):
        total += _merge_run(con, run)
    return total


def merge(con: duckdb.DuckDBPyConnection, batches: Sequence[StagedBatch]) -> WriteCounts:
    """Merge staged batches in one transaction: the result is as if written one by one, in order."""
    return transaction(con, lambda con: merge_body(con, batches))


def written_at_sql(target: str, assign: dict[str, str]) -> str:
    """`written_at = now` for the rows an UPDATE changes, so a rerun that changes nothing marks nothing."""
    new = ", ".join(assign.values())
    old = ", ".join(f"{target}.{c}" for c in assign)
    return (
        f"written_at = CASE WHEN ROW({new}) IS DISTINCT FROM ROW({old}) "
        f"THEN current_timestamp ELSE {target}.written_at END"
    )


def write_batch(
    con: duckdb.DuckDBPyConnection,
    results: Sequence[PageResult],
    extra_failures: Sequence[Failure] = (),
) -> WriteCounts:
    """Write one batch of page results (and failures with no page, e.g. fetch errors) atomically."""
    return merge(con, [stage(results, extra_failures)])


def record_sites(con: duckdb.DuckDBPyConnection, sites: Sequence[tuple[str, int, bool, str | None]]) -> None:
    """Upsert (name, parser version, working, broken reason) of the parsers in use."""
    rows = [{"name": n, "parser_version": v, "working": w, "broken_reason": r} for n, v, w, r in sites]
    if not rows:
        return
    schema = pa.schema(
        [("name", pa.string()), ("parser_version", pa.int32()), ("working", pa.bool_()),
         ("broken_reason", pa.string())]
    )  # fmt: skip
    table = _table(_dedupe(rows, ("name",)), schema)
    transaction(
        con,
        lambda con: _merge(con, "sites", table, ("name",), ("parser_version", "working", "broken_reason")),
    )


def known_page(con: duckdb.DuckDBPyConnection, page: Page) -> bool:
    row = con.execute("SELECT 1 FROM pages WHERE url = ? AND sha256 = ?", [page.url, page.sha256]).fetchone()
    return row is not None
