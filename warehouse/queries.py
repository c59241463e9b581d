"""Named read-only queries: ad-hoc SQL for `regionews sql` and the per-site stats."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from warehouse import lake
from warehouse.db import WarehouseError, connect

Rows = list[tuple]

PAGES_BY_SITE = """
SELECT coalesce(site, '?') AS site,
       count(*) AS pages,
       count(*) FILTER (WHERE outcome = 'article') AS articles,
       count(*) FILTER (WHERE outcome = 'part') AS parts,
       count(*) FILTER (WHERE outcome = 'not_article') AS not_articles,
       count(*) FILTER (WHERE outcome = 'failed') AS failed
FROM pages GROUP BY 1 ORDER BY 1
"""

ARTICLES_BY_SITE = """
SELECT site, count(*) AS articles, min(published_at) AS oldest, max(published_at) AS newest,
       count(*) FILTER (WHERE published_at IS NULL) AS undated
FROM articles GROUP BY 1 ORDER BY 1
"""

# Failures still open: the page has not produced an article since.
FAILURE_REASONS = """
SELECT coalesce(f.site, '?') AS site, f.stage, f.reason, count(*) AS n
FROM failures f
WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = f.url)
GROUP BY ALL ORDER BY site, n DESC, reason
"""


def run_read_only(
    db: str | Path,
    query: str,
    params: list | None = None,
    wait_seconds: float = 10.0,
    on_wait: Callable[[float], None] | None = None,
) -> tuple[list[str], Rows]:
    """Run one query in the read sandbox (the warehouse and nothing else); a writer is waited for.

    The bundled FTS extension is loaded only for a query that uses the search index (`fts_main_…`).
    """
    if not query.strip():
        raise WarehouseError(
            'the query is empty: give one SQL statement, e.g. "select count(*) from articles"'
        )
    extensions = ("fts",) if "fts_main" in query.lower() else ()
    con = connect(db, read_only=True, wait_seconds=wait_seconds, on_wait=on_wait, extensions=extensions)
    try:
        if lake.is_lake(db):
            try:
                lake.sandbox(con, query)
            except lake.LakeError as exc:
                raise WarehouseError(str(exc)) from exc
        try:
            cur = con.execute(query, params or [])
        except duckdb.Error as exc:
            raise WarehouseError(f"query failed: {exc}") from exc
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def _register_versions(con: duckdb.DuckDBPyConnection, versions: dict[str, int]) -> None:
    import pyarrow as pa

    table = pa.table({"parser": pa.array(list(versions), pa.string()),
                      "version": pa.array(list(versions.values()), pa.int32())})  # fmt: skip
    con.register("current_versions", table)


def stats(
    db: str | Path, versions: dict[str, int] | None = None, wait_seconds: float = 10.0
) -> dict[str, tuple[list[str], Rows]]:
    """The stats tables, from one read-only connection; `versions` are the code's parser versions."""
    con = connect(db, read_only=True, wait_seconds=wait_seconds)
    try:
        _register_versions(con, versions or {})
        out = {}
        for name, sql in (
            ("pages", PAGES_BY_SITE),
            ("articles", ARTICLES_BY_SITE),
            ("versions", PARSER_VERSIONS),
            ("failures", FAILURE_REASONS),
        ):
            cur = con.execute(sql)
            out[name] = ([d[0] for d in cur.description], cur.fetchall())
        return out
    finally:
        con.close()


# The newest fetch of each URL whose parser has a newer version than the one that parsed it.
STALE_PAGES = """
WITH latest AS (
    -- never the crawler's list, sitemap or feed pages
    SELECT * FROM pages WHERE role IS NULL OR role = 'article'
    QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC NULLS LAST, sha256) = 1
)
SELECT l.url, l.sha256, l.origin, l.location, l.warc_offset, l.fetched_at, l.status, l.headers, l.final_url
FROM latest l JOIN current_versions v ON v.parser = l.parser
WHERE l.parser_version IS DISTINCT FROM v.version
  AND (? IS NULL OR l.parser = ?)
ORDER BY l.url
"""

# Stored parser versions against the code's (`current_versions`, registered from parsers.registry):
# a page parsed by another version than the code's is stale, whatever the `sites` table last recorded.
PARSER_VERSIONS = """
SELECT p.parser, p.parser_version, count(*) AS pages, v.version AS code_version,
       p.parser_version IS DISTINCT FROM v.version AS stale
FROM pages p LEFT JOIN current_versions v ON v.parser = p.parser
WHERE p.parser IS NOT NULL AND (p.role IS NULL OR p.role = 'article')
GROUP BY p.parser, p.parser_version, v.version ORDER BY 1, 2
"""


def stale_pages(con: duckdb.DuckDBPyConnection, versions: dict[str, int], site: str | None = None) -> Rows:
    """Pages to reparse: parsed by an older version of their parser than `versions` says."""
    import pyarrow as pa

    current = pa.table({"parser": list(versions), "version": list(versions.values())})
    con.register("current_versions", current)
    try:
        return con.execute(STALE_PAGES, [site, site]).fetchall()
    finally:
        con.unregister("current_versions")


def stored_pages(con: duckdb.DuckDBPyConnection, urls: Iterable[str]) -> Rows:
    """(url, sha256, location, source_path, origin) of the stored pages of these URLs."""
    import pyarrow as pa

    wanted = pa.table({"url": pa.array(sorted(set(urls)), pa.string())})
    con.register("_wanted_urls", wanted)
    try:
        return con.execute(
            "SELECT p.url, p.sha256, p.location, p.source_path, p.origin FROM pages p "
            "JOIN _wanted_urls w ON w.url = p.url"
        ).fetchall()
    finally:
        con.unregister("_wanted_urls")
