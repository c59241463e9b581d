"""Full-text search (BM25) over jieba tokens, with DuckDB's FTS extension loaded from its wheel.

The `duckdb-extension-fts` wheel ships the extension binary built for our pinned duckdb, so the
index works offline (`warehouse/extensions.py`), never `INSTALL fts` (which downloads).

A DuckLake cannot store the FTS index (its tables have types DuckLake does not take), so on a
lake `enrich` keeps only `search_docs` and `search` builds the index in the connection's own
memory from it, once per connection: a cost that grows with the corpus (seconds per 100k
articles), paid by the searcher instead of stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import duckdb

from warehouse import extensions, lake

# Tokens are jieba words joined by spaces; anything that is not a letter or digit (punctuation,
# the default pattern's "not a-z") is ignored, so Chinese words survive as they are.
CST = timezone(timedelta(hours=8), "CST")
IGNORE = r"(\.|[^\p{L}\p{N}])+"


class SearchUnavailable(Exception):
    """The FTS extension or the index is missing; the message says what to do."""


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the bundled extension unless this connection has it (a reader loads it before its sandbox)."""
    loaded = con.execute("SELECT count(*) FROM duckdb_functions() WHERE function_name = 'stem'").fetchone()
    if loaded[0]:
        return
    try:
        extensions.load(con, "fts")
    except extensions.ExtensionUnavailable as exc:
        raise SearchUnavailable(str(exc)) from exc


def rebuild_index(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)build the BM25 index over search_docs; returns the number of documents indexed.

    On a lake nothing is stored: `search` indexes `search_docs` in memory when it runs.
    """
    if lake.in_lake(con):
        return int(con.execute("SELECT count(*) FROM search_docs").fetchone()[0])
    load_fts(con)
    con.execute(
        "PRAGMA create_fts_index('search_docs', 'url', 'title_tokens', 'body_tokens', "
        f"stemmer = 'none', stopwords = 'none', ignore = '{IGNORE}', "
        "strip_accents = 0, lower = 1, overwrite = 1)"
    )
    return int(con.execute("SELECT count(*) FROM search_docs").fetchone()[0])


def _index_lake_in_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the lake's search_docs into this connection's memory and index them there.

    Names then resolve in memory first, then in the lake, so the search query reads the
    in-memory index beside the lake's articles, clusters and regions.
    """
    load_fts(con)
    con.execute("USE memory")
    con.execute(f"SET search_path = 'memory.main,{lake.ALIAS}.main'")
    con.execute(
        f"CREATE OR REPLACE TABLE memory.main.search_docs AS SELECT * FROM {lake.ALIAS}.main.search_docs"
    )
    con.execute(
        "PRAGMA create_fts_index('memory.main.search_docs', 'url', 'title_tokens', 'body_tokens', "
        f"stemmer = 'none', stopwords = 'none', ignore = '{IGNORE}', "
        "strip_accents = 0, lower = 1, overwrite = 1)"
    )


def index_exists(con: duckdb.DuckDBPyConnection) -> bool:
    if lake.in_lake(con):
        return bool(con.execute("SELECT count(*) FROM search_docs").fetchone()[0])
    row = con.execute(
        "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_search_docs'"
    ).fetchone()
    return bool(row and row[0])


@dataclass(frozen=True, slots=True)
class Hit:
    url: str
    score: float
    title: str
    site: str
    published_at: datetime | None
    body: str
    cluster_size: int
    counties: list[str]


def search(
    con: duckdb.DuckDBPyConnection,
    tokens: list[str],
    *,
    site: str | None = None,
    since: date | None = None,
    region: str | None = None,
    limit: int = 10,
    collapse: bool = True,
) -> list[Hit]:
    """Ranked hits for the query tokens; one hit per story (cluster) unless `collapse` is False.

    `region` matches a province, city or county name (or a prefix of one, e.g. 张家川) or an adcode.
    """
    if not index_exists(con):
        raise SearchUnavailable("no search index yet: run `regionews enrich` first")
    if lake.in_lake(con):
        _index_lake_in_memory(con)
    load_fts(con)
    where, params = ["score IS NOT NULL"], [" ".join(tokens)]
    if site:
        where.append("a.site = ?")
        params.append(site)
    if since:
        where.append("a.published_at >= ?")
        params.append(datetime(since.year, since.month, since.day, tzinfo=CST))
    if region:
        where.append(
            "EXISTS (SELECT 1 FROM article_regions r WHERE r.url = a.url AND "
            "(r.adcode = ? OR starts_with(r.county, ?) OR starts_with(r.city, ?) "
            "OR starts_with(r.province, ?)))"
        )
        params.extend([region] * 4)
    rank = (  # the cluster original stands for its story when it matches, else the best copy
        "row_number() OVER (PARTITION BY coalesce(m.cluster_id, a.url) "
        "ORDER BY (m.role = 'original') DESC, score DESC, a.url)"
    )
    sql = f"""
        WITH scored AS (
            SELECT d.url, fts_main_search_docs.match_bm25(d.url, ?) AS score FROM search_docs d
        ), hits AS (
            SELECT a.url, score, a.title, a.site, a.published_at, a.body,
                   coalesce(c.size, 1) AS cluster_size, {rank} AS rank_in_cluster
            FROM scored JOIN articles a USING (url)
            LEFT JOIN cluster_members m ON m.url = a.url
            LEFT JOIN clusters c ON c.cluster_id = m.cluster_id
            WHERE {" AND ".join(where)}
        )
        SELECT h.url, h.score, h.title, h.site, h.published_at, h.body, h.cluster_size,
               coalesce((SELECT list(county ORDER BY score DESC) FROM article_regions r
                         WHERE r.url = h.url AND r.level = 'county'), []) AS counties
        FROM hits h
        {"WHERE rank_in_cluster = 1" if collapse else ""}
        ORDER BY h.score DESC, h.url
        LIMIT {int(limit)}
    """
    return [Hit(*row) for row in con.execute(sql, params).fetchall()]
