"""Per-site health from the `runs` table: last success, freshness, failure rates, template alarms.

A site's parse-failure rate that jumps from near zero is the usual sign that its template
changed; a site with no successful run for too long is stale. `regionews stats --check`
exits non-zero on either, so cron or monitoring can alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

RECENT_RUNS = 5
JUMP_FLOOR = 0.2  # a latest parse-failure rate below this never alarms

# One row per per-site run (crawls), newest first within a site, with failures split by stage.
_RUNS = """
WITH r AS (
    SELECT site, run_id, status, started_at, finished_at,
           coalesce(TRY_CAST(counts->>'fetched' AS BIGINT), 0) AS fetched,
           coalesce(TRY_CAST(counts->>'unchanged' AS BIGINT), 0) AS unchanged,
           coalesce(counts->'failures', '{}'::JSON) AS failures,
           row_number() OVER (PARTITION BY site ORDER BY started_at DESC) AS n
    FROM runs WHERE site IS NOT NULL AND flow = 'crawl' AND status <> 'running'
)
SELECT site, n, status, finished_at, fetched, unchanged,
       coalesce((SELECT sum(TRY_CAST(value AS BIGINT)) FROM json_each(failures)), 0) AS failed,
       coalesce((SELECT sum(TRY_CAST(value AS BIGINT)) FROM json_each(failures)
                 WHERE key LIKE 'parse:%'), 0) AS parse_failed,
       coalesce((SELECT sum(TRY_CAST(value AS BIGINT)) FROM json_each(failures)
                 WHERE key LIKE 'fetch:%'), 0) AS fetch_failed,
       (SELECT list(key ORDER BY TRY_CAST(value AS BIGINT) DESC) FROM json_each(failures)) AS reasons
FROM r WHERE n <= ? ORDER BY site, n
"""


@dataclass(frozen=True, slots=True)
class SiteHealth:
    site: str
    last_success: datetime | None
    newest_article: datetime | None
    failure_rate: float  # over the recent runs: failures / pages tried
    parse_rate_latest: float
    parse_rate_before: float
    top_reasons: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _rate(failed: int, tried: int) -> float:
    return failed / tried if tried else 0.0


def site_health(
    con: duckdb.DuckDBPyConnection,
    max_age: timedelta = timedelta(hours=48),
    max_failure_rate: float = 0.5,
    now: datetime | None = None,
) -> list[SiteHealth]:
    """Health of every site that has crawl runs, judged against the thresholds given."""
    now = now or datetime.now(UTC)
    rows = con.execute(_RUNS, [RECENT_RUNS]).fetchall()
    newest = dict(con.execute("SELECT site, max(published_at) FROM articles GROUP BY site").fetchall())
    by_site: dict[str, list[tuple]] = {}
    for row in rows:
        by_site.setdefault(row[0], []).append(row)
    out = []
    for site, runs in sorted(by_site.items()):
        last_success = con.execute(
            "SELECT max(finished_at) FROM runs WHERE site = ? AND flow = 'crawl' AND status = 'completed'",
            [site],
        ).fetchone()[0]
        tried = sum(r[4] + r[5] + r[8] for r in runs)
        failed = sum(r[6] for r in runs)
        latest, before = runs[0], runs[1:]
        parse_latest = _rate(latest[7], latest[4])
        parse_before = _rate(sum(r[7] for r in before), sum(r[4] for r in before))
        reasons: list[str] = []
        for r in runs:
            reasons.extend(k for k in (r[9] or []) if k not in reasons)
        problems = []
        if last_success is None:
            problems.append("no successful run yet")
        elif now - last_success > max_age:
            problems.append(f"stale: last successful run {last_success:%Y-%m-%d %H:%M}")
        if latest[2] != "completed":
            problems.append(f"last run {latest[2]}")
        rate = _rate(failed, tried)
        if rate > max_failure_rate:
            problems.append(f"failing: {rate:.0%} of pages failed over the last {len(runs)} runs")
        if before and parse_latest >= JUMP_FLOOR and parse_latest >= 2 * parse_before + 0.1:
            problems.append(
                f"parse failures jumped to {parse_latest:.0%} (from {parse_before:.0%}): "
                "has the template changed?"
            )
        out.append(
            SiteHealth(
                site,
                last_success,
                newest.get(site),
                rate,
                parse_latest,
                parse_before,
                tuple(reasons[:3]),
                tuple(problems),
            )
        )
    return out
