"""The tables of `regionews stats`: pages, articles, parser versions and open failures per site."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import connect
from warehouse.stored_pages import Rows, code_versions

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

# Stored parser versions against the code's (`current_versions`, registered from parsers.registry):
# a page parsed by another version than the code's is stale, whatever the `sites` table last recorded.
PARSER_VERSIONS = """
SELECT p.parser, p.parser_version, count(*) AS pages, v.version AS code_version,
       p.parser_version IS DISTINCT FROM v.version AS stale
FROM pages p LEFT JOIN current_versions v ON v.parser = p.parser
WHERE p.parser IS NOT NULL AND (p.role IS NULL OR p.role = 'article')
GROUP BY p.parser, p.parser_version, v.version ORDER BY 1, 2
"""


def stats(
    db: str | Path, versions: dict[str, int] | None = None, wait_seconds: float = 10.0
) -> dict[str, tuple[list[str], Rows]]:
    """The stats tables, from one read-only connection; `versions` are the code's parser versions."""
    con = connect(db, read_only=True, wait_seconds=wait_seconds)
    try:
        out = {}
        with code_versions(con, versions or {}):
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
