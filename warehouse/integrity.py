"""Integrity checks that SQL alone can answer: every row points at something that exists."""

from __future__ import annotations

import duckdb

from warehouse.writer import KEYS


def _one_row_per_key() -> dict[str, str]:
    """No index enforces the keys (migration 0005): the writer's merge does, and these prove it."""
    out = {}
    for table, key in KEYS.items():
        cols = ", ".join(key)
        out[f"{table}: key stored twice ({cols})"] = (
            f"SELECT {cols} FROM {table} GROUP BY {cols} HAVING count(*) > 1"
        )
    return out


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
    **_one_row_per_key(),
    # A later load or reparse of the same bytes failed (a cut-short input, a broken parser):
    # the article stands, but its page says otherwise.
    "article whose page is marked failed": """
        SELECT a.url FROM articles a JOIN pages p ON p.url = a.url AND p.sha256 = a.page_sha256
        WHERE p.outcome = 'failed'
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
