"""Named read-only queries: ad-hoc SQL for `regionews sql` and the per-site stats."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

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
    """Run one query on a read-only connection; the writer is waited for, briefly."""
    con = connect(db, read_only=True, wait_seconds=wait_seconds, on_wait=on_wait)
    try:
        try:
            cur = con.execute(query, params or [])
        except duckdb.Error as exc:
            raise WarehouseError(f"query failed: {exc}") from exc
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def stats(db: str | Path, wait_seconds: float = 10.0) -> dict[str, tuple[list[str], Rows]]:
    """The stats tables, from one read-only connection."""
    con = connect(db, read_only=True, wait_seconds=wait_seconds)
    try:
        out = {}
        for name, sql in (
            ("pages", PAGES_BY_SITE),
            ("articles", ARTICLES_BY_SITE),
            ("failures", FAILURE_REASONS),
        ):
            cur = con.execute(sql)
            out[name] = ([d[0] for d in cur.description], cur.fetchall())
        return out
    finally:
        con.close()
