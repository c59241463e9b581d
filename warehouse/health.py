"""Per-site health from the `runs` table: last success, freshness, failure rates, template alarms.

A site's parse-failure rate that jumps from near zero is the usual sign that its template
changed; a list page that had article links and now has none is the same sign one step
earlier (the crawl records it as a `discover` failure with the list URL); a site with no
successful run for too long is stale; a site that has published nothing for several times its
usual interval between stories has gone silent (or its discovery broke), and so has a county
whose crawled stories (by the research layer's primary county of each article) stopped while
its sites went on. `regionews stats --check` exits non-zero on any of these, so cron or
monitoring can alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

RECENT_RUNS = 5
JUMP_FLOOR = 0.2  # a latest parse-failure rate below this never alarms
SILENCE_FACTOR = 5.0  # silent: nothing new for this many times the usual interval between stories
SILENCE_MIN_ARTICLES = 5  # fewer dated articles say nothing about a usual interval
COUNTY_MIN_ARTICLES = 10  # a county is a derived tag, sparser and burstier than a site: ask for more

# Per site: the newest publish date and the median gap between its last 30 stories.
_CADENCE = """
WITH d AS (
    SELECT site, published_at,
           published_at - lag(published_at) OVER (PARTITION BY site ORDER BY published_at) AS gap,
           row_number() OVER (PARTITION BY site ORDER BY published_at DESC) AS n
    FROM articles WHERE published_at IS NOT NULL AND withdrawn_at IS NULL
)
SELECT site, max(published_at), count(*),
       median(epoch(gap)) FILTER (WHERE n <= 30 AND gap IS NOT NULL)
FROM d GROUP BY site
"""

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
    usual_interval: timedelta | None = None  # median gap between its recent stories

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
    silence_factor: float = SILENCE_FACTOR,
) -> list[SiteHealth]:
    """Health of every site that has crawl runs, judged against the thresholds given."""
    now = now or datetime.now(UTC)
    rows = con.execute(_RUNS, [RECENT_RUNS]).fetchall()
    newest = dict(con.execute("SELECT site, max(published_at) FROM articles GROUP BY site").fetchall())
    cadence = {site: (last, n, gap) for site, last, n, gap in con.execute(_CADENCE).fetchall()}
    silent_lists: dict[str, list[str]] = {}
    for site, url in con.execute(
        "SELECT site, url FROM failures WHERE stage = 'discover' ORDER BY url"
    ).fetchall():
        silent_lists.setdefault(site, []).append(url)
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
        for url in silent_lists.get(site, []):
            problems.append(f"no article links on {url} (it had some): has the list template changed?")
        usual = None
        last, dated, gap = cadence.get(_parser_of(con, site), (None, 0, None))
        if last is not None and dated >= SILENCE_MIN_ARTICLES and gap:
            usual = timedelta(seconds=max(float(gap), 86400.0))  # a usual interval under a day counts as one
            quiet = now - last
            if quiet > silence_factor * usual:
                problems.append(
                    f"silent: nothing published for {quiet.days} days, {quiet / usual:.0f}x its usual "
                    f"{usual.days or 1}-day interval"
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
                usual,
            )
        )
    return out


# Per county (the primary county of crawled, live, dated articles): its newest story, how many,
# the median gap between its last 30, and the sites (parsers) that carried it.
_COUNTY_CADENCE = """
WITH p AS (
    SELECT r.adcode, r.province, r.city, r.county, a.site, a.published_at
    FROM article_regions r JOIN articles a ON a.url = r.url
    WHERE r.is_primary AND r.level = 'county' AND a.published_at IS NOT NULL AND a.withdrawn_at IS NULL
      AND EXISTS (SELECT 1 FROM pages g WHERE g.url = a.url AND g.origin = 'http')
), d AS (
    SELECT *, published_at - lag(published_at) OVER (PARTITION BY adcode ORDER BY published_at) AS gap,
           row_number() OVER (PARTITION BY adcode ORDER BY published_at DESC) AS n
    FROM p
)
SELECT adcode, any_value(province), any_value(city), any_value(county), list(DISTINCT site ORDER BY site),
       max(published_at), count(*), median(epoch(gap)) FILTER (WHERE n <= 30 AND gap IS NOT NULL)
FROM d GROUP BY adcode HAVING count(*) >= ? ORDER BY adcode
"""


@dataclass(frozen=True, slots=True)
class CountySilence:
    """A county whose crawled stories stopped: nothing for `quiet`, `quiet / usual` times its usual gap."""

    adcode: str
    province: str | None
    city: str | None
    county: str
    sites: tuple[str, ...]  # the parsers (articles.site) whose articles named it as their county
    newest: datetime
    articles: int
    usual: timedelta
    quiet: timedelta

    @property
    def problem(self) -> str:
        return (
            f"{self.county} ({self.adcode}) silent: nothing published about it for {self.quiet.days} days, "
            f"{self.quiet / self.usual:.0f}x its usual {self.usual.days or 1}-day interval "
            f"(sites: {', '.join(self.sites)})"
        )


def county_silence(
    con: duckdb.DuckDBPyConnection,
    now: datetime | None = None,
    silence_factor: float = SILENCE_FACTOR,
    min_articles: int = COUNTY_MIN_ARTICLES,
) -> list[CountySilence]:
    """Counties gone quiet, longest silence (in usual intervals) first.

    Only crawled articles count (a county known from loaded archives is not expected to go on),
    and only counties tagged by `regionews enrich` (article_regions) with `min_articles` dated ones.
    """
    now = now or datetime.now(UTC)
    out = []
    for adcode, province, city, county, sites, last, n, gap in con.execute(
        _COUNTY_CADENCE, [min_articles]
    ).fetchall():
        if not gap:
            continue
        usual = timedelta(seconds=max(float(gap), 86400.0))
        quiet = now - last
        if quiet > silence_factor * usual:
            out.append(CountySilence(adcode, province, city, county, tuple(sites), last, n, usual, quiet))
    return sorted(out, key=lambda c: (-(c.quiet / c.usual), c.adcode))


def _parser_of(con: duckdb.DuckDBPyConnection, site: str) -> str:
    """The parser whose articles a crawled site produced (articles.site is the parser's name)."""
    row = con.execute(
        "SELECT parser FROM pages WHERE parser IS NOT NULL AND url IN "
        "(SELECT url FROM list_pages WHERE site = ? LIMIT 1) LIMIT 1",
        [site],
    ).fetchone()
    return row[0] if row else site
