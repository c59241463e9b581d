"""What the crawler asks the warehouse: which URLs are done, and the validators for a conditional GET.

There is no crawl state file: "what is left to do" is answered from `pages` and `failures`,
so a crash or Ctrl-C needs no recovery step, and a rerun just asks again.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

# A page is done when it was fetched whole and either became (part of) an article or is
# a list page / non-article. Failed parses are not done: they are refetched conditionally.
_DONE = ("article", "part", "not_article")


def _urls_table(urls: Sequence[str]) -> pa.Table:
    return pa.table({"url": pa.array(list(dict.fromkeys(urls)), pa.string())})


def known_urls(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> set[str]:
    """The URLs among `urls` the warehouse already holds as finished pages (requested or final URL)."""
    if not urls:
        return set()
    con.register("_ask", _urls_table(urls))
    try:
        rows = con.execute(
            "SELECT a.url FROM _ask a JOIN pages p ON p.url = a.url "
            f"WHERE p.status = 200 AND p.outcome IN {_DONE} "
            "UNION SELECT a.url FROM _ask a JOIN pages p ON p.final_url = a.url "
            f"WHERE p.status = 200 AND p.outcome IN {_DONE}"
        ).fetchall()
    finally:
        con.unregister("_ask")
    return {r[0] for r in rows}


def validators(
    con: duckdb.DuckDBPyConnection, urls: Sequence[str]
) -> dict[str, tuple[str | None, str | None]]:
    """(ETag, Last-Modified) of the latest stored fetch of each URL that has either."""
    if not urls:
        return {}
    con.register("_ask", _urls_table(urls))
    try:
        rows = con.execute(
            "SELECT p.url, arg_max(p.etag, p.fetched_at), arg_max(p.last_modified, p.fetched_at) "
            "FROM _ask a JOIN pages p ON p.url = a.url "
            "WHERE p.status = 200 AND (p.etag IS NOT NULL OR p.last_modified IS NOT NULL) GROUP BY p.url"
        ).fetchall()
    finally:
        con.unregister("_ask")
    return {url: (etag, modified) for url, etag, modified in rows}


def clear_fetch_failures(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> int:
    """Forget earlier fetch failures of URLs that have now been fetched; returns how many went."""
    if not urls:
        return 0
    con.register("_done", _urls_table(urls))
    try:
        (n,) = con.execute(
            "SELECT count(*) FROM failures f JOIN _done d ON f.url = d.url WHERE f.stage = 'fetch'"
        ).fetchone()
        if n:
            con.execute(
                "DELETE FROM failures USING _done d WHERE failures.url = d.url AND failures.stage = 'fetch'"
            )
    finally:
        con.unregister("_done")
    return n


# Fetch failures worth another try on the next crawl: the server or the network was the problem.
TRANSIENT = ("fetch: timeout%", "fetch: connection error%", "fetch: http 5%", "fetch: http 429%")


def retryable_urls(con: duckdb.DuckDBPyConnection, site: str) -> list[str]:
    """URLs of a site whose last fetch failed for a transient reason and that have no page since."""
    likes = " OR ".join("f.reason LIKE ?" for _ in TRANSIENT)
    rows = con.execute(
        f"SELECT DISTINCT f.url FROM failures f WHERE f.stage = 'fetch' AND f.site = ? AND ({likes}) "
        "AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.url = f.url AND p.status = 200) ORDER BY f.url",
        [site, *TRANSIENT],
    ).fetchall()
    return [r[0] for r in rows]


def failures_by_reason(con: duckdb.DuckDBPyConnection, site: str | None = None) -> list[tuple[str, str, int]]:
    """(stage, reason, count) of recorded failures, most frequent first."""
    where, params = ("WHERE site = ?", [site]) if site else ("", [])
    return con.execute(
        f"SELECT stage, reason, count(*) AS n FROM failures {where} GROUP BY ALL ORDER BY n DESC, reason",
        params,
    ).fetchall()
