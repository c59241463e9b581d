"""A county's whole record over real HTTP: backfill, sitemaps, feeds, script lists, revisits, alarms, proxy.

One replica serves the made-up Hanweb county site (flows/replica_history.py) for the module;
each test has its own warehouse and resets the site's state when it changes it.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from flows import replica_history as h
from flows.cli import main
from flows.crawl import run_crawl
from flows.replica import Replica
from flows.sites import load_sites, parse_sites
from parsers.registry import site_parsers
from parsers.sites.zhuanglang import ZhuanglangParser

ROOT = Path(__file__).resolve().parent.parent
SITE = h.SITE


@pytest.fixture(scope="module")
def replica() -> Iterator[Replica]:
    r = Replica({}, load_sites()).start()
    yield r
    r.stop()


@pytest.fixture
def site(replica: Replica) -> Iterator[h.HistorySite]:
    """The county site as first seen; whatever a test changes is put back."""
    assert replica.history is not None
    replica.history.later = replica.history.list_template = False
    yield replica.history
    replica.history.later = replica.history.list_template = False


@pytest.fixture(scope="module")
def first_crawl(prefect_harness, replica, tmp_path_factory) -> tuple[Path, dict]:
    """One normal first crawl of the county site (warehouse, report); tests that need one copy it."""
    assert replica.history is not None
    replica.history.later = replica.history.list_template = False
    db = tmp_path_factory.mktemp("first") / "regionews.duckdb"
    return db, crawl(db, replica)


def after_first_crawl(first_crawl: tuple[Path, dict], tmp_path: Path) -> Path:
    """A warehouse of this test's own, holding what the first crawl stored, with its WARC files beside it
    (archive locations are relative to the warehouse's folder)."""
    db = tmp_path / "regionews.duckdb"
    shutil.copyfile(first_crawl[0], db)
    warc = first_crawl[0].parent / "warc"
    if warc.is_dir():
        shutil.copytree(warc, tmp_path / "warc", dirs_exist_ok=True)
    return db


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def crawl(db: Path, replica: Replica, **kw) -> dict:
    (report,) = run_crawl([SITE], db=db, connect_to=replica.url, delay=0.0, **kw)
    return report


def small_batches(tmp_path: Path, size: int) -> Path:
    """The bundled sites file with `size` articles per fetch, parse and write batch."""
    sites = tmp_path / "sites.toml"
    text = (ROOT / "flows" / "sites.toml").read_text("utf-8")
    sites.write_text(text.replace("batch_size = 50", f"batch_size = {size}"), "utf-8")
    return sites


def stored(db: Path) -> set[str]:
    return {r[0] for r in rows(db, "SELECT url FROM articles")}


def test_a_backfill_to_a_date_killed_and_resumed_stores_every_article_once(
    prefect_harness, replica, site, tmp_path
):
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "data" / "regionews.duckdb"
    since = date(2025, 3, 1)
    wanted = {s.url for s in site.column if s.day >= since}
    older = {s.url for s in site.column if s.day < since}
    # Batches of 4 articles (two column pages): the kill lands after some batches are written.
    sites = small_batches(tmp_path, 4)
    # One batch per write session: a kill loses at most the session in flight (up to
    # REGIONEWS_SESSION_SECONDS of fetched batches, 5 s by default), and on a quiet machine the 25
    # articles below are fetched in less than that. With a session per batch the walk's progress
    # before the kill is committed, and the resumed walk must start from it.
    env = {
        **os.environ,
        "PREFECT_API_URL": PREFECT_API_URL.value(),
        "PYTHONPATH": str(ROOT),
        "REGIONEWS_SESSION_SECONDS": "0",
    }
    code = (
        "from flows.crawl import run_crawl; "
        f"run_crawl([{SITE!r}], db={str(db)!r}, sites_file={str(sites)!r}, connect_to={replica.url!r}, "
        f"delay=0.02, backfill=True, since={since.isoformat()!r})"
    )
    start = len(replica.log)
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 600  # a guard only: the child imports Prefect first (slow under load)
        while sum("/art/" in e.path for e in replica.log[start:]) < 25:
            assert proc.poll() is None, "the backfill ended before the kill"
            assert time.monotonic() < deadline, "the backfill fetched fewer than 25 articles in 600 s"
            time.sleep(0.01)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    partial = stored(db) if db.exists() else set()
    assert len(partial & wanted) < len(wanted)

    report = crawl(db, replica, backfill=True, since=since.isoformat(), sites_file=sites)
    assert wanted <= stored(db)
    assert not older & stored(db)  # nothing from before the date
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM pages WHERE outcome = 'article'")[0] == (
        len(stored(db)),
        len(stored(db)),
    )
    # The walk stopped at the date, and says so; the resumed walk did not start again at page 1.
    assert report["stopped"][h.COLUMN] == "since 2025-03-01"
    resumed_from = rows(
        db, "SELECT min(page_no) FROM list_pages WHERE walk = 'backfill' AND list_url = ? AND run_id = "
        "(SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1) AND page_no > 1", [h.COLUMN],
    )[0][0]  # fmt: skip
    assert resumed_from > 2

    # A later backfill with no date goes on from where this one stopped, to the end of the column.
    report = crawl(db, replica, backfill=True)
    assert wanted | older <= stored(db)
    assert report["stopped"][h.COLUMN].startswith("end of list")
    assert report["articles_new"] == len(older)
    assert rows(db, "SELECT count(*) = count(DISTINCT url) FROM pages WHERE outcome = 'article'") == [(True,)]


def test_after_a_crawl_stopped_at_its_page_limit_a_backfill_walks_on_to_the_end(
    prefect_harness, replica, site, tmp_path
):
    # The column alone (no sitemaps, feeds or script list), so only the walk can find the older stories.
    class ColumnOnly(ZhuanglangParser):
        lists = ZhuanglangParser.lists[:1]
        robots_sitemaps = False
        feeds = ()

    specs = [ColumnOnly() if p.name == SITE else p for p in site_parsers()]
    registry = parse_sites((ROOT / "flows" / "sites.toml").read_text("utf-8"), specs=specs)
    db = tmp_path / "regionews.duckdb"
    first = crawl(db, replica, registry=registry)
    assert first["stopped"] == {h.COLUMN: "page limit 10"} and first["articles_new"] == 20
    # Page 1 is unchanged since that crawl (it would answer 304): the backfill reads it whole and goes on.
    report = crawl(db, replica, registry=registry, backfill=True)
    assert report["stopped"][h.COLUMN].startswith("end of list")
    assert report["articles_new"] == 40 and stored(db) == {s.url for s in site.column}


def test_sitemaps_feeds_and_the_script_list_find_what_the_lists_miss(first_crawl, replica, site, tmp_path):
    db, report = after_first_crawl(first_crawl, tmp_path), first_crawl[1]
    got = stored(db)
    from_lists = set(
        u for (u,) in rows(db, "SELECT url FROM list_pages WHERE list_url = ?", [h.COLUMN])
    )  # the column pages walked: 10 (the site's page limit)
    assert len(from_lists) == 10
    assert {s.url for s in site.sitemap_only} <= got  # only in the gzip sitemaps behind robots.txt
    assert {s.url for s in site.feed_only} <= got  # only in the RSS and Atom feeds
    assert {s.url for s in site.script} <= got  # only behind the Hanweb list script (POST)
    assert {s.url for s in site.column} <= got  # deep column pages: through the sitemap
    windows = rows(db, "SELECT page_no, links FROM list_pages WHERE list_url = ? ORDER BY page_no", [h.PROXY])
    assert windows == [(1, 10), (2, 10), (3, 5)]
    assert report["sitemap_pages"] == 5  # index, two gzip sitemaps, two feeds
    assert not rows(db, "SELECT url, reason FROM failures")

    # Nothing changed: the next crawl fetches no article (sitemaps and feeds answer 304 or list nothing new).
    again = crawl(db, replica)
    assert again["fetched"] == 0 and again["articles_new"] == 0


def test_an_edit_becomes_version_2_a_withdrawal_is_marked_and_nothing_is_deleted(
    first_crawl, replica, site, tmp_path, capsys
):
    db = after_first_crawl(first_crawl, tmp_path)
    before = rows(db, "SELECT count(*) FROM articles")[0][0]
    site.later = True
    report = crawl(db, replica, revisit="all")
    assert report["edited"] == 1 and report["withdrawn"] == 2
    versions = rows(db, "SELECT version, changed, body FROM article_versions WHERE url = ? ORDER BY 1",
                    [site.edited.url])  # fmt: skip
    assert [v[:2] for v in versions] == [(1, []), (2, ["body"])]
    assert "本文已于次日更正" in versions[1][2] and "本文已于次日更正" not in versions[0][2]
    (latest,) = rows(db, "SELECT body FROM articles WHERE url = ?", [site.edited.url])
    assert latest[0] == versions[1][2]  # articles holds the latest
    gone = dict(rows(db, "SELECT url, withdrawn_reason FROM articles WHERE withdrawn_at IS NOT NULL"))
    assert gone == {site.withdrawn.url: "http 404", site.redirected.url: f"redirected to {h.BASE}/"}
    # Nothing deleted: every article is still there (two new ones came in at the front).
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == before + 2
    assert rows(db, "SELECT count(*) FROM articles WHERE url = ? AND body <> ''", [site.withdrawn.url]) == [
        (1,)
    ]

    capsys.readouterr()
    assert main(["--db", str(db), "changes"]) == 0
    out = capsys.readouterr().out
    assert "edited" in out and "withdrawn" in out and "http 404" in out
    assert main(["--db", str(db), "changes", "--site", SITE, "--kind", "withdrawn", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("kind,") and len(lines) == 3
    assert all(f",{SITE}," in line for line in lines[1:])  # the site's name, not its parser's
    assert main(["--db", str(db), "changes", "--site", "tianshui", "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[1:] == []

    # A normal crawl afterwards: the unchanged articles cost 304s at most, nothing is versioned twice.
    crawl(db, replica, revisit="all")
    assert rows(db, "SELECT count(*) FROM article_versions") == [(2,)]

    # The county puts both pages back: they are live again, and the withdrawals stay on record.
    site.later = False
    back = [site.withdrawn.url, site.redirected.url]
    report = crawl(db, replica, urls=back, revisit="all")
    assert report["restored"] == 2 and report["withdrawn"] == 0
    assert rows(db, "SELECT count(*) FROM articles WHERE withdrawn_at IS NOT NULL") == [(0,)]
    history = rows(db, "SELECT url, reason, restored_at > withdrawn_at FROM article_withdrawals ORDER BY url")
    assert sorted(history) == sorted(
        [(site.withdrawn.url, "http 404", True), (site.redirected.url, f"redirected to {h.BASE}/", True)]
    )
    capsys.readouterr()
    assert main(["--db", str(db), "changes", "--format", "csv"]) == 0
    seen = [line.split(",")[0] for line in capsys.readouterr().out.splitlines() if site.withdrawn.url in line]
    assert seen == ["restored", "withdrawn"]  # newest first: withdrawn, then restored


def test_a_list_that_loses_its_links_raises_the_alarm(first_crawl, replica, site, tmp_path, capsys):
    db = after_first_crawl(first_crawl, tmp_path)
    site.list_template = True
    report = crawl(db, replica)
    assert report["status"] == "completed"
    failures = rows(db, "SELECT url, reason FROM failures WHERE stage = 'discover'")
    assert failures == [(h.COLUMN, "discover: no article links on a list that had them (template changed?)")]
    capsys.readouterr()
    assert main(["--db", str(db), "stats", "--check"]) == 1
    err = capsys.readouterr().err
    assert SITE in err and h.COLUMN in err
    site.list_template = False
    crawl(db, replica)
    assert rows(db, "SELECT count(*) FROM failures WHERE stage = 'discover'") == [(0,)]


def test_reparse_leaves_list_sitemap_and_feed_pages_alone(first_crawl, replica, site, tmp_path, capsys):
    from flows.reparse import reparse_flow

    db = after_first_crawl(first_crawl, tmp_path)
    with duckdb.connect(str(db)) as con:  # as if every page had been parsed by an older parser
        con.execute("UPDATE pages SET parser_version = 0")
    roles = dict(rows(db, "SELECT role, count(*) FROM pages GROUP BY role"))
    assert roles["list"] > 1 and roles["sitemap"] == 3 and roles["feed"] == 2
    counts = reparse_flow(str(db), progress=False)
    assert counts["pages"] == roles["article"] and counts["failed"] == 0
    assert not rows(db, "SELECT url FROM failures")
    capsys.readouterr()
    assert main(["--db", str(db), "stats"]) == 0
    out = capsys.readouterr().out
    assert "code_version" in out


class _Proxy:
    """A small forward HTTP proxy on 127.0.0.1 that sends every request to the replica, keeping its Host."""

    def __init__(self, target: str) -> None:
        self.target = urlsplit(target)
        self.seen: list[tuple[str, str]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                proxy.seen.append((self.command, self.path))  # absolute-form: http://host/path
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                parts = urlsplit(self.path)
                conn = http.client.HTTPConnection(proxy.target.hostname, proxy.target.port, timeout=10)
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
                conn.request(self.command, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_crawl_goes_through_the_site_proxy(prefect_harness, replica, site, tmp_path):
    proxy = _Proxy(replica.url)
    sites = tmp_path / "sites.toml"
    text = (ROOT / "flows" / "sites.toml").read_text("utf-8")
    sites.write_text(
        text.replace("[sites.zhuanglang]", f'[sites.zhuanglang]\nproxy = "{proxy.url}"'), "utf-8"
    )
    db = tmp_path / "regionews.duckdb"
    try:
        # No --connect-to: the only way to reach the made-up host is the proxy.
        (report,) = run_crawl([SITE], db=db, sites_file=sites, delay=0.0)
    finally:
        proxy.stop()
    assert report["articles_new"] > 50
    urls = {p for _, p in proxy.seen}
    assert f"{h.BASE}/robots.txt" in urls and h.COLUMN in urls
    assert ("POST", f"{h.PROXY}?startrecord=1&endrecord=10&perpage=10") in proxy.seen
