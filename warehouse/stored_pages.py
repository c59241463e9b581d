"""Stored pages looked up for a rerun: the pages to reparse, and the stored copies of given URLs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa

Rows = list[tuple]


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


@contextmanager
def code_versions(con: duckdb.DuckDBPyConnection, versions: dict[str, int]) -> Iterator[None]:
    """The code's parser versions as the table `current_versions` (parser, version) while inside."""

    table = pa.table({"parser": pa.array(list(versions), pa.string()),
                      "version": pa.array(list(versions.values()), pa.int32())})  # fmt: skip
    con.register("current_versions", table)
    try:
        yield
    finally:
        con.unregister("current_versions")


def stale_pages(con: duckdb.DuckDBPyConnection, versions: dict[str, int], site: str | None = None) -> Rows:
    """Pages to reparse: parsed by an older version of their parser than `versions` says."""
    with code_versions(con, versions):
        return con.execute(STALE_PAGES, [site, site]).fetchall()


def stored_pages(con: duckdb.DuckDBPyConnection, urls: Iterable[str]) -> Rows:
    """(url, sha256, location, source_path, origin) of the stored pages of these URLs."""

    wanted = pa.table({"url": pa.array(sorted(set(urls)), pa.string())})
    con.register("_wanted_urls", wanted)
    try:
        return con.execute(
            "SELECT p.url, p.sha256, p.location, p.source_path, p.origin FROM pages p "
            "JOIN _wanted_urls w ON w.url = p.url"
        ).fetchall()
    finally:
        con.unregister("_wanted_urls")
