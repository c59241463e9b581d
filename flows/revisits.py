"""Which stored articles are due for a revisit under their site's policy, now or later.

The crawl fetches the ones due now; `regionews crawl --check` shows how many fall due when.
Kept apart from flows.crawl so that answering this imports no Prefect.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import duckdb

from flows.sites import Site
from warehouse import crawlstate


def due_urls(
    con: duckdb.DuckDBPyConnection, site: Site, now: datetime, everything: bool = False
) -> list[str]:
    """The site's stored articles due for a revisit at `now` under its policy (or all of them)."""
    p = site.revisit
    urls = crawlstate.due_revisits(
        con, site.parser, fresh_days=p.fresh_days, fresh_every_days=p.fresh_every_days,
        every_days=p.every_days, max_age_days=p.max_age_days, now=now, everything=everything,
    )  # fmt: skip
    return [u for u in urls if site.is_article(u)]


def revisit_outlook(
    con: duckdb.DuckDBPyConnection, site: Site, days: Sequence[int]
) -> tuple[int, int, list[int]]:
    """(stored articles of the site, of which past the policy's age limit, how many are due for a
    revisit now + each of `days`)."""
    now = datetime.now(UTC)
    stored = len(due_urls(con, site, now, everything=True))
    if not site.revisit.enabled:
        return stored, stored, [0 for _ in days]
    old = crawlstate.aged_out(con, site.parser, max_age_days=site.revisit.max_age_days, now=now)
    retired = sum(site.is_article(u) for u in old)
    return stored, retired, [len(due_urls(con, site, now + timedelta(days=d))) for d in days]
