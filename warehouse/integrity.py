"""Integrity checks that SQL alone can answer: every row points at something that exists."""

from __future__ import annotations

import duckdb

# name -> query returning offending rows (first column: the url or key at fault)
CHECKS: dict[str, str] = {
    "article without its page": """
        SELECT a.url FROM articles a
        WHERE NOT EXISTS (SELECT 1 FROM pages p WHERE p.sha256 = a.page_sha256
                          AND (p.url = a.url OR p.article_url = a.url))
    """,
    "page outcome 'article' without an article": """
        SELECT p.url FROM pages p
        WHERE p.outcome = 'article' AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = p.article_url)
    """,
    "duplicate article url": "SELECT url FROM articles GROUP BY url HAVING count(*) > 1",
    "run never finished": """
        SELECT run_id FROM runs WHERE finished_at IS NULL AND started_at < now() - INTERVAL 1 DAY
    """,
}


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return (
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[
            0
        ]
        > 0
    )


def sql_problems(con: duckdb.DuckDBPyConnection, limit: int = 20) -> dict[str, list[str]]:
    """Each failed check with up to `limit` offending keys."""
    problems: dict[str, list[str]] = {}
    for name, sql in CHECKS.items():
        rows = con.execute(f"SELECT * FROM ({sql}) LIMIT {int(limit)}").fetchall()
        if rows:
            problems[name] = [str(r[0]) for r in rows]
    return problems


def page_locations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str | None, int | None]]:
    """(url, sha256, location, warc_offset) of every stored page, for the archive check."""
    return con.execute(
        "SELECT url, sha256, location, warc_offset FROM pages ORDER BY location, warc_offset"
    ).fetchall()
