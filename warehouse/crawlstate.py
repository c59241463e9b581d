"""What the crawler asks the warehouse: which URLs are done, and the validators for a conditional GET.

There is no crawl state file: "what is left to do" is answered from `pages` and `failures`,
so a crash or Ctrl-C needs no recovery step, and a rerun just asks again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from warehouse.db import transaction

# A page is done when it was fetched whole and either became (part of) an article or is
# a list page / non-article. Failed parses are not done: they are refetched conditionally.
_DONE = ("article", "part", "not_article")


@contextmanager
def _urls_table(con: duckdb.DuckDBPyConnection, name: str, urls: Sequence[str]) -> Iterator[None]:
    """`urls` (each once) as the one-column table `name` while inside."""
    con.register(name, pa.table({"url": pa.array(list(dict.fromkeys(urls)), pa.string())}))
    try:
        yield
    finally:
        con.unregister(name)


def known_urls(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> set[str]:
    """The URLs among `urls` the warehouse already holds as finished pages (requested or final URL)."""
    if not urls:
        return set()
    with _urls_table(con, "_ask", urls):
        rows = con.execute(
            "SELECT a.url FROM _ask a JOIN pages p ON p.url = a.url "
            f"WHERE p.status = 200 AND p.outcome IN {_DONE} "
            "UNION SELECT a.url FROM _ask a JOIN pages p ON p.final_url = a.url "
            f"WHERE p.status = 200 AND p.outcome IN {_DONE}"
        ).fetchall()
    return {r[0] for r in rows}


def validators(
    con: duckdb.DuckDBPyConnection, urls: Sequence[str]
) -> dict[str, tuple[str | None, str | None]]:
    """(ETag, Last-Modified) of the latest stored fetch of each URL that has either."""
    if not urls:
        return {}
    with _urls_table(con, "_ask", urls):
        rows = con.execute(
            "SELECT p.url, arg_max(p.etag, p.fetched_at), arg_max(p.last_modified, p.fetched_at) "
            "FROM _ask a JOIN pages p ON p.url = a.url "
            "WHERE p.status = 200 AND (p.etag IS NOT NULL OR p.last_modified IS NOT NULL) GROUP BY p.url"
        ).fetchall()
    return {url: (etag, modified) for url, etag, modified in rows}


def clear_fetch_failures(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> int:
    """Forget earlier fetch failures of URLs that have now been fetched; returns how many went."""
    if not urls:
        return 0
    with _urls_table(con, "_done", urls):
        (n,) = con.execute(
            "SELECT count(*) FROM failures f JOIN _done d ON f.url = d.url WHERE f.stage = 'fetch'"
        ).fetchone()
        if n:
            transaction(
                con,
                lambda con: con.execute(
                    "DELETE FROM failures USING _done d "
                    "WHERE failures.url = d.url AND failures.stage = 'fetch'"
                ),
            )
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


def last_fetched(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> dict[str, datetime]:
    """When each URL was last fetched whole (a sitemap's lastmod after it means the page changed)."""
    if not urls:
        return {}
    with _urls_table(con, "_ask", urls):
        rows = con.execute(
            "SELECT a.url, max(p.fetched_at) FROM _ask a JOIN pages p ON p.url = a.url "
            "WHERE p.status = 200 GROUP BY a.url"
        ).fetchall()
    return {url: when for url, when in rows if when is not None}


# -- list walks ---------------------------------------------------------------------------------

LIST_PAGE_SCHEMA = pa.schema(
    [
        ("site", pa.string()), ("list_url", pa.string()), ("page_no", pa.int32()), ("url", pa.string()),
        ("walk", pa.string()), ("run_id", pa.string()), ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("outcome", pa.string()), ("links", pa.int32()), ("new_links", pa.int32()),
        ("oldest", pa.timestamp("us", tz="UTC")), ("newest", pa.timestamp("us", tz="UTC")),
        ("next_url", pa.string()), ("stopped", pa.string()),
    ]
)  # fmt: skip


def record_list_pages(con: duckdb.DuckDBPyConnection, rows: Sequence[dict]) -> None:
    """Append what a walk saw on each list page (see the list_pages table)."""
    if not rows:
        return
    con.register("_lists", pa.Table.from_pylist(list(rows), schema=LIST_PAGE_SCHEMA))
    try:
        con.execute(f"INSERT INTO list_pages ({', '.join(LIST_PAGE_SCHEMA.names)}) SELECT * FROM _lists")
    finally:
        con.unregister("_lists")


def lists_that_had_links(
    con: duckdb.DuckDBPyConnection, site: str, list_urls: Sequence[str]
) -> dict[str, tuple]:
    """(links, fetched_at) of the last first page with article links, for each list that ever had some."""
    if not list_urls:
        return {}
    rows = con.execute(
        "SELECT list_url, arg_max(links, fetched_at), max(fetched_at) FROM list_pages "
        "WHERE site = ? AND page_no = 1 AND links > 0 AND list_url IN (SELECT unnest(?)) GROUP BY list_url",
        [site, list(list_urls)],
    ).fetchall()
    return {url: (links, when) for url, links, when in rows}


def walk_starts(
    con: duckdb.DuckDBPyConnection, site: str, walk: str, since: datetime | None = None
) -> tuple[dict[str, tuple[int, str]], set[str]]:
    """Where each list's walk resumes, and (for a backfill) which lists are already finished.

    The last row of a list's walks of this kind says it all. No stop reason: the walk was killed
    after that page, so it resumes there (the page is fetched again: an overlap of one page, so an
    article that moved up a page meanwhile is not missed). For a backfill, a failure or a limit
    resumes too, "end of list" is finished, and "since D" is finished for a `since` at or after D;
    for an earlier one (or none) it resumes at the page that showed articles on both sides of D
    (their older ones were not fetched), else at the page where the walk stopped.
    """
    rows = con.execute(
        "SELECT list_url, arg_max(page_no, fetched_at), arg_max(url, fetched_at), "
        "arg_max(coalesce(stopped, ''), fetched_at) FROM list_pages WHERE site = ? AND walk = ? "
        "GROUP BY list_url",
        [site, walk],
    ).fetchall()
    if walk != "backfill":
        return {lst: (n, url) for lst, n, url, stopped in rows if not stopped}, set()
    starts: dict[str, tuple[int, str]] = {}
    done: set[str] = set()
    for list_url, page_no, url, stopped in rows:
        stopped = stopped or ""
        if stopped.startswith("end of list"):
            done.add(list_url)
        elif stopped.startswith("since "):
            reached = datetime.fromisoformat(stopped.removeprefix("since ")).replace(tzinfo=UTC)
            if since is None or since < reached:
                starts[list_url] = _straddling(con, site, list_url, reached) or (page_no, url)
            else:
                done.add(list_url)
        else:
            starts[list_url] = (page_no, url)
    return starts, done


def _straddling(
    con: duckdb.DuckDBPyConnection, site: str, list_url: str, day: datetime
) -> tuple[int, str] | None:
    """The last backfill page of a list that listed articles from both before and after `day`."""
    row = con.execute(
        "SELECT page_no, url FROM list_pages WHERE site = ? AND list_url = ? AND walk = 'backfill' "
        "AND newest >= ? AND oldest < ? ORDER BY fetched_at DESC LIMIT 1",
        [site, list_url, day, day],
    ).fetchone()
    return (row[0], row[1]) if row else None


def clear_discover_failures(con: duckdb.DuckDBPyConnection, urls: Sequence[str]) -> None:
    """A list that yields article links again is healthy: its zero-link alarm goes."""
    if urls:
        transaction(
            con,
            lambda con: con.execute(
                "DELETE FROM failures WHERE stage = 'discover' AND url IN (SELECT unnest(?))", [list(urls)]
            ),
        )


# -- revisits, versions, withdrawals ------------------------------------------------------------


def due_revisits(
    con: duckdb.DuckDBPyConnection,
    parser: str,
    *,
    fresh_days: int,
    fresh_every_days: int,
    every_days: int,
    max_age_days: int,
    now: datetime,
    everything: bool = False,
) -> list[str]:
    """Articles of a parser due for a revisit under a policy (or all of them), oldest check first.

    Age is counted from the publish date, else from when the article was first seen; the last
    check is the last revisit, else the last fetch. Withdrawn articles are checked at the slow
    rate (`every_days`) whatever their age, so one that comes back is seen.
    """
    if everything:
        rows = con.execute(
            "SELECT url FROM articles WHERE site = ? ORDER BY coalesce(last_checked, last_seen), url",
            [parser],
        ).fetchall()
        return [r[0] for r in rows]
    if max_age_days <= 0:
        return []
    rows = con.execute(
        """
        SELECT url FROM (
            SELECT url, coalesce(last_checked, last_seen) AS checked, withdrawn_at IS NOT NULL AS gone,
                   ?::TIMESTAMPTZ - coalesce(published_at, first_seen) AS age
            FROM articles WHERE site = ?
        )
        WHERE age <= to_days(?)
          AND checked <= ?::TIMESTAMPTZ - CASE WHEN gone THEN to_days(?)
                                               WHEN age <= to_days(?) THEN to_days(?) ELSE to_days(?) END
        ORDER BY checked, url
        """,
        [now, parser, max_age_days, now, every_days, fresh_days, fresh_every_days, every_days],
    ).fetchall()
    return [r[0] for r in rows]


def aged_out(con: duckdb.DuckDBPyConnection, parser: str, *, max_age_days: int, now: datetime) -> list[str]:
    """Articles of a parser older than a revisit policy's `max_age_days` (by the same age as
    `due_revisits`): no longer revisited."""
    rows = con.execute(
        "SELECT url FROM articles WHERE site = ? "
        "AND ?::TIMESTAMPTZ - coalesce(published_at, first_seen) > to_days(?) ORDER BY url",
        [parser, now, max_age_days],
    ).fetchall()
    return [r[0] for r in rows]


def mark_checked(con: duckdb.DuckDBPyConnection, urls: Sequence[str], at: datetime) -> int:
    """Articles answered 200 or 304 on a revisit: checked now, and live again if they had been
    withdrawn (the withdrawal stays in `article_withdrawals`, closed). Returns how many came back."""

    def mark(con: duckdb.DuckDBPyConnection) -> int:
        (back,) = con.execute(
            "SELECT count(DISTINCT url) FROM article_withdrawals "
            "WHERE restored_at IS NULL AND url IN (SELECT unnest(?))",
            [list(urls)],
        ).fetchone()
        if back:
            con.execute(
                "UPDATE article_withdrawals SET restored_at = ? "
                "WHERE restored_at IS NULL AND url IN (SELECT unnest(?))",
                [at, list(urls)],
            )
        con.execute(
            "UPDATE articles SET last_checked = ?, withdrawn_at = NULL, withdrawn_reason = NULL, "
            "written_at = current_timestamp WHERE url IN (SELECT unnest(?))",  # written_at: see 0008
            [at, list(urls)],
        )
        return back

    return transaction(con, mark) if urls else 0


def mark_withdrawn(con: duckdb.DuckDBPyConnection, gone: Sequence[tuple[str, datetime, str]]) -> int:
    """Articles found gone (404/410, redirected off the article): marked, never deleted, and each
    new withdrawal recorded in `article_withdrawals`. Returns how many were newly withdrawn."""

    def mark(con: duckdb.DuckDBPyConnection) -> int:
        n = 0
        for url, at, reason in gone:
            row = con.execute("SELECT withdrawn_at IS NULL FROM articles WHERE url = ?", [url]).fetchone()
            if row is None:
                continue
            if row[0]:
                n += 1
                con.execute(
                    "INSERT INTO article_withdrawals (url, withdrawn_at, reason) VALUES (?, ?, ?)",
                    [url, at, reason],
                )
            con.execute(
                "UPDATE articles SET last_checked = ?, withdrawn_at = coalesce(withdrawn_at, ?), "
                "withdrawn_reason = coalesce(withdrawn_reason, ?), written_at = current_timestamp "
                "WHERE url = ?",
                [at, at, reason, url],
            )
        return n

    return transaction(con, mark) if gone else 0


VERSION_SCHEMA = pa.schema(
    [
        ("url", pa.string()), ("fetched_at", pa.timestamp("us", tz="UTC")), ("page_sha256", pa.string()),
        ("content_hash", pa.string()), ("title", pa.string()), ("body", pa.string()),
        ("published_at", pa.timestamp("us", tz="UTC")), ("source", pa.string()),
    ]
)  # fmt: skip

_CHANGED = """list_filter([
    CASE WHEN a.title IS DISTINCT FROM n.title THEN 'title' END,
    CASE WHEN a.content_hash IS DISTINCT FROM n.content_hash THEN 'body' END,
    CASE WHEN a.published_at IS DISTINCT FROM n.published_at THEN 'published_at' END,
    CASE WHEN a.source IS DISTINCT FROM n.source THEN 'source' END], x -> x IS NOT NULL)"""


# Named, not positional: the table has more columns than a version row (written_at, 0008).
_VERSION_COLUMNS = "url, version, fetched_at, page_sha256, content_hash, title, body, published_at, changed"


def record_versions(con: duckdb.DuckDBPyConnection, fresh: Sequence[dict]) -> list[str]:
    """Before a refetched article overwrites its row: keep the versions of those whose text changed.

    `fresh` holds the new versions (VERSION_SCHEMA fields). An article whose page bytes and then
    title or body differ from the stored row gets version 1 (the stored text, once) and version
    n+1 (the new text). Idempotent: a version equal to the latest one is not added again.
    Returns the URLs that got a new version.
    """
    if not fresh:
        return []
    con.register("_fresh", pa.Table.from_pylist(list(fresh), schema=VERSION_SCHEMA))
    try:
        edited = "(a.content_hash IS DISTINCT FROM n.content_hash OR a.title IS DISTINCT FROM n.title)"

        def insert(con: duckdb.DuckDBPyConnection) -> list:
            con.execute(
                f"""
                INSERT INTO article_versions ({_VERSION_COLUMNS})
                SELECT a.url, 1,
                       coalesce((SELECT min(p.fetched_at) FROM pages p
                                 WHERE p.url = a.url AND p.sha256 = a.page_sha256), a.first_seen),
                       a.page_sha256, a.content_hash, a.title, a.body, a.published_at, []::VARCHAR[]
                FROM _fresh n JOIN articles a ON a.url = n.url
                WHERE a.page_sha256 IS DISTINCT FROM n.page_sha256 AND {edited}
                  AND NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.url = a.url)
                """
            )
            rows = con.execute(
                f"""
                INSERT INTO article_versions ({_VERSION_COLUMNS})
                SELECT n.url, v.latest + 1, n.fetched_at, n.page_sha256, n.content_hash, n.title, n.body,
                       n.published_at, {_CHANGED}
                FROM _fresh n JOIN articles a ON a.url = n.url
                JOIN (SELECT url, max(version) AS latest, arg_max(content_hash, version) AS hash,
                             arg_max(title, version) AS title
                      FROM article_versions GROUP BY url) v ON v.url = n.url
                WHERE a.page_sha256 IS DISTINCT FROM n.page_sha256 AND {edited}
                  AND (v.hash IS DISTINCT FROM n.content_hash OR v.title IS DISTINCT FROM n.title)
                RETURNING url
                """
            ).fetchall()
            return rows

        rows = transaction(con, insert)
    finally:
        con.unregister("_fresh")
    return [r[0] for r in rows]


CHANGES = """
SELECT * FROM (
    SELECT 'edited' AS kind, v.fetched_at AS seen_at, a.site, v.url, v.version,
           array_to_string(v.changed, ', ') AS what, v.title
    FROM article_versions v JOIN articles a ON a.url = v.url
    WHERE v.version >= 2
    UNION ALL
    SELECT 'withdrawn', w.withdrawn_at, a.site, w.url, NULL, w.reason, a.title
    FROM article_withdrawals w JOIN articles a ON a.url = w.url
    UNION ALL
    SELECT 'restored', w.restored_at, a.site, w.url, NULL,
           'back after ' || coalesce(w.reason, 'a withdrawal') || ' since '
           || strftime(w.withdrawn_at, '%Y-%m-%d %H:%M'), a.title
    FROM article_withdrawals w JOIN articles a ON a.url = w.url
    WHERE w.restored_at IS NOT NULL
)
WHERE (?::TIMESTAMPTZ IS NULL OR seen_at >= ?::TIMESTAMPTZ) AND (?::VARCHAR IS NULL OR site = ?)
  AND (?::VARCHAR IS NULL OR kind = ?)
ORDER BY seen_at DESC, url, version DESC
"""
KINDS = ("edited", "withdrawn", "restored")


def changes(
    con: duckdb.DuckDBPyConnection,
    since: datetime | None = None,
    site: str | None = None,
    kind: str | None = None,
) -> tuple[list[str], list[tuple]]:
    """Edits (versions 2..n), withdrawals and restorations, newest first: what `regionews changes` prints."""
    cur = con.execute(CHANGES, [since, since, site, site, kind, kind])
    return [d[0] for d in cur.description], cur.fetchall()
