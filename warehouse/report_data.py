"""The numbers behind `regionews report`: read-only queries over the research views."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from warehouse.analysis_queries import run_named
from warehouse.crawlstate import changes

HEADLINE = {
    "articles": "SELECT count(*) FROM articles",
    "stories": "SELECT count(*) FROM clusters",
    "stories_with_copies": "SELECT count(*) FROM clusters "
    "WHERE size > 1 OR external_original_url IS NOT NULL OR external_original_title IS NOT NULL",
    "copies_linked": "SELECT count(*) FROM cluster_members WHERE role <> 'original'",
    "sites": "SELECT count(DISTINCT site) FROM articles",
    "counties": "SELECT count(DISTINCT adcode) FROM article_regions WHERE level = 'county'",
    "slogans": "SELECT count(DISTINCT term) FROM article_terms WHERE kind = 'numbered'",
    "open_failures": "SELECT count(*) FROM failures f "
    "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = f.url)",
}


@dataclass
class ReportData:
    headline: dict[str, int] = field(default_factory=dict)
    first_date: str | None = None
    last_date: str | None = None
    monthly: list[tuple[str, str, int]] = field(default_factory=list)  # (YYYY-MM, county, stories)
    slogans: list[tuple[str, str, int]] = field(default_factory=list)  # (YYYY-MM, term, stories)
    network: list[tuple[str, str, str, int, float | None]] = field(default_factory=list)
    travel: list[tuple] = field(default_factory=list)
    travel_columns: list[str] = field(default_factory=list)
    changes: list[tuple] = field(default_factory=list)  # edits, withdrawals, restorations, newest first
    changes_columns: list[str] = field(default_factory=list)


def gather(con: duckdb.DuckDBPyConnection, top_slogans: int = 12) -> ReportData:
    data = ReportData()
    data.headline = {k: int(con.execute(sql).fetchone()[0]) for k, sql in HEADLINE.items()}
    first, last = con.execute(
        "SELECT min(published_date), max(published_date) FROM articles_clean"
    ).fetchone()
    data.first_date = first.isoformat() if first else None
    data.last_date = last.isoformat() if last else None
    data.monthly = [
        (m.strftime("%Y-%m"), county, int(n))
        for m, _p, _c, county, n in run_named(con, "monthly_county_counts")[1]
    ]
    data.slogans = [
        (m.strftime("%Y-%m"), term, int(n))
        for m, term, n in con.execute(
            """
            WITH top AS (
                SELECT term FROM term_trends WHERE kind = 'numbered'
                GROUP BY term ORDER BY sum(articles) DESC, sum(mentions) DESC, term LIMIT ?
            )
            SELECT month, term, sum(articles) FROM term_trends JOIN top USING (term)
            GROUP BY ALL ORDER BY month, term
            """,
            [top_slogans],
        ).fetchall()
    ]
    data.network = [tuple(r) for r in run_named(con, "copy_network")[1]]
    data.travel_columns, data.travel = run_named(con, "story_travel")
    data.changes_columns, data.changes = changes(con)
    return data
