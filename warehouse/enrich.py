"""Tables of the research layer: what needs enriching, and writing what enrich computed.

Per-article results (signature, regions, terms, search tokens) are replaced article by article;
clusters are recomputed whole from the stored signatures and near-duplicate pairs, which is cheap
(no text is read) and keeps every article in exactly one cluster.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from warehouse.db import transaction

_TS = pa.timestamp("us", tz="UTC")
_STR_LIST = pa.list_(pa.string())

STATE_SCHEMA = pa.schema(
    [("url", pa.string()), ("content_hash", pa.string()), ("parser_version", pa.int32()),
     ("title", pa.string()), ("enrich_version", pa.int32()), ("enriched_at", _TS), ("minhash", pa.binary())]
)  # fmt: skip
REGION_SCHEMA = pa.schema(
    [("url", pa.string()), ("adcode", pa.string()), ("level", pa.string()), ("province", pa.string()),
     ("city", pa.string()), ("county", pa.string()), ("title_mentions", pa.int32()),
     ("source_mentions", pa.int32()), ("body_mentions", pa.int32()), ("score", pa.int32()),
     ("is_primary", pa.bool_())]
)  # fmt: skip
TERM_SCHEMA = pa.schema(
    [("url", pa.string()), ("term", pa.string()), ("kind", pa.string()), ("count", pa.int32()),
     ("in_title", pa.bool_())]
)  # fmt: skip
SEARCH_SCHEMA = pa.schema([("url", pa.string()), ("title_tokens", pa.string()), ("body_tokens", pa.string())])
NEAR_SCHEMA = pa.schema([("url_a", pa.string()), ("url_b", pa.string()), ("similarity", pa.float64())])
CLUSTER_SCHEMA = pa.schema(
    [("cluster_id", pa.string()), ("original_url", pa.string()), ("chosen_by", pa.string()),
     ("size", pa.int32()), ("copies", pa.int32()), ("member_urls", _STR_LIST), ("sites", _STR_LIST),
     ("first_published", _TS), ("last_published", _TS), ("external_original_url", pa.string()),
     ("external_original_title", pa.string()), ("external_original_source", pa.string())]
)  # fmt: skip
MEMBER_SCHEMA = pa.schema(
    [("url", pa.string()), ("cluster_id", pa.string()), ("role", pa.string()), ("similarity", pa.float64()),
     ("linked_by", _STR_LIST)]
)  # fmt: skip

ARTICLE_COLUMNS = (
    "url, site, title, body, source, is_copy, published_at, content_hash, parser_version, "
    "original_url, original_title, original_source"
)


def _pending_sql(full: bool) -> str:
    if full:
        return "SELECT a.url FROM articles a"
    return (
        "SELECT a.url FROM articles a LEFT JOIN enrich_state s ON s.url = a.url "
        "WHERE s.url IS NULL OR s.enrich_version <> ? "
        "OR s.content_hash IS DISTINCT FROM a.content_hash "
        "OR s.parser_version IS DISTINCT FROM a.parser_version "
        "OR s.title IS DISTINCT FROM a.title"
    )


def pending_urls(con: duckdb.DuckDBPyConnection, enrich_version: int, full: bool = False) -> list[str]:
    """Articles that are new, changed (body, title or parser version) or enriched by an older enrich."""
    sql = _pending_sql(full) + " ORDER BY a.url"
    params = [] if full else [enrich_version]
    return [row[0] for row in con.execute(sql, params).fetchall()]


def read_articles(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> list[dict]:
    """The article rows enrich needs, for the given urls."""
    con.register("_want", pa.table({"url": list(urls)}, schema=pa.schema([("url", pa.string())])))
    try:
        return (
            con.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles JOIN _want USING (url) ORDER BY url")
            .to_arrow_table()
            .to_pylist()
        )
    finally:
        con.unregister("_want")


def bodies(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, str]:
    """Normalized bodies of the given articles (near-duplicate candidates are checked on them)."""
    if not urls:
        return {}
    con.register("_want", pa.table({"url": list(urls)}, schema=pa.schema([("url", pa.string())])))
    try:
        return dict(con.execute("SELECT url, body FROM articles JOIN _want USING (url)").fetchall())
    finally:
        con.unregister("_want")


def known_terms(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Numbered terms seen quoted anywhere: lets unquoted 三个离不开 count in other articles."""
    return {
        r[0]
        for r in con.execute("SELECT DISTINCT term FROM article_terms WHERE kind = 'numbered'").fetchall()
    }


def _replace_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], schema: pa.Schema) -> None:
    if not rows:
        return
    con.register("_rows", pa.Table.from_pylist(rows, schema=schema))
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(schema.names)}) SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def write_batch(
    con: duckdb.DuckDBPyConnection,
    state: list[dict],
    regions: list[dict],
    terms: list[dict],
    search: list[dict],
) -> None:
    """Replace everything enrich knows about the batch's articles, atomically."""
    urls = pa.table({"url": [row["url"] for row in state]})

    def body(con: duckdb.DuckDBPyConnection) -> None:
        con.register("_batch", urls)
        try:
            for table in ("enrich_state", "article_regions", "article_terms", "search_docs"):
                con.execute(f"DELETE FROM {table} WHERE url IN (SELECT url FROM _batch)")
        finally:
            con.unregister("_batch")
        _replace_rows(con, "enrich_state", state, STATE_SCHEMA)
        _replace_rows(con, "article_regions", regions, REGION_SCHEMA)
        _replace_rows(con, "article_terms", terms, TERM_SCHEMA)
        _replace_rows(con, "search_docs", search, SEARCH_SCHEMA)

    transaction(con, body)


def drop_vanished(con: duckdb.DuckDBPyConnection) -> int:
    """Forget research rows of articles that are no longer in the warehouse."""
    gone = [
        r[0] for r in con.execute("SELECT url FROM enrich_state ANTI JOIN articles USING (url)").fetchall()
    ]
    if not gone:
        return 0

    def body(con: duckdb.DuckDBPyConnection) -> None:
        con.register("_gone", pa.table({"url": gone}))
        try:
            for table in ("enrich_state", "article_regions", "article_terms", "search_docs"):
                con.execute(f"DELETE FROM {table} WHERE url IN (SELECT url FROM _gone)")
            con.execute(
                "DELETE FROM near_duplicates "
                "WHERE url_a IN (SELECT url FROM _gone) OR url_b IN (SELECT url FROM _gone)"
            )
        finally:
            con.unregister("_gone")

    transaction(con, body)
    return len(gone)


def signatures(con: duckdb.DuckDBPyConnection) -> dict[str, bytes]:
    """Stored MinHash signatures of every article with a body long enough to compare."""
    table = con.execute("SELECT url, minhash FROM enrich_state WHERE minhash IS NOT NULL").to_arrow_table()
    return dict(zip(table.column("url").to_pylist(), table.column("minhash").to_pylist(), strict=True))


def replace_near_duplicates(
    con: duckdb.DuckDBPyConnection, changed: Sequence[str], pairs: Sequence[tuple[str, str, float]]
) -> None:
    """Pairs involving the changed articles are recomputed; all other pairs stay as they were.

    Every new pair involves a changed article, so after the delete none of them is stored;
    an anti-join insert (no ON CONFLICT: DuckLake tables have no keys) keeps it so regardless.
    """
    unique = {(a, b): s for a, b, s in pairs}
    rows = [{"url_a": a, "url_b": b, "similarity": s} for (a, b), s in unique.items()]

    def body(con: duckdb.DuckDBPyConnection) -> None:
        con.register("_changed", pa.table({"url": list(changed)}, schema=pa.schema([("url", pa.string())])))
        try:
            con.execute(
                "DELETE FROM near_duplicates WHERE url_a IN (SELECT url FROM _changed) "
                "OR url_b IN (SELECT url FROM _changed)"
            )
        finally:
            con.unregister("_changed")
        if rows:
            con.register("_pairs", pa.Table.from_pylist(rows, schema=NEAR_SCHEMA))
            try:
                con.execute(
                    "INSERT INTO near_duplicates SELECT p.* FROM _pairs p "
                    "ANTI JOIN near_duplicates n ON n.url_a = p.url_a AND n.url_b = p.url_b"
                )
            finally:
                con.unregister("_pairs")

    transaction(con, body)


def cluster_inputs(con: duckdb.DuckDBPyConnection) -> tuple[list[dict], list[tuple[str, str, float]]]:
    """(article metadata rows, near-duplicate pairs) for clustering the whole warehouse."""
    members = (
        con.execute(
            "SELECT url, site, title, is_copy, published_at, content_hash, length(body) AS body_chars, "
            "source, original_url, original_title, original_source FROM articles ORDER BY url"
        )
        .to_arrow_table()
        .to_pylist()
    )
    pairs = con.execute("SELECT url_a, url_b, similarity FROM near_duplicates").fetchall()
    return members, pairs


def write_clusters(con: duckdb.DuckDBPyConnection, clusters: list[dict], members: list[dict]) -> None:
    """Replace the clusters and their members (derived whole on every run)."""

    def body(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("DELETE FROM cluster_members")
        con.execute("DELETE FROM clusters")
        _replace_rows(con, "clusters", clusters, CLUSTER_SCHEMA)
        _replace_rows(con, "cluster_members", members, MEMBER_SCHEMA)

    transaction(con, body)


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The headline numbers people check after an enrich run."""
    q = {
        "articles_enriched": "SELECT count(*) FROM enrich_state",
        "clusters": "SELECT count(*) FROM clusters",
        "multi_article_clusters": "SELECT count(*) FROM clusters WHERE size > 1",
        "articles_in_multi_clusters": "SELECT coalesce(sum(size), 0) FROM clusters WHERE size > 1",
        "copies_linked": "SELECT count(*) FROM cluster_members WHERE role <> 'original'",
        "near_duplicate_pairs": "SELECT count(*) FROM near_duplicates",
        "region_tags": "SELECT count(*) FROM article_regions",
        "tagged_articles": "SELECT count(DISTINCT url) FROM article_regions",
        "term_rows": "SELECT count(*) FROM article_terms",
        "distinct_terms": "SELECT count(DISTINCT term) FROM article_terms",
        "numbered_terms": "SELECT count(DISTINCT term) FROM article_terms WHERE kind = 'numbered'",
    }
    return {name: int(con.execute(sql).fetchone()[0]) for name, sql in q.items()}
