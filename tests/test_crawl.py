"""The crawl flow end to end: replica on 127.0.0.1, real HTTP, real DuckDB files, real Prefect flows."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.archive import read_record, resolve_location
from flows.crawl import run_crawl
from flows.replica import FAULTS, OFFSITE_HOST, Doc, Replica
from flows.sites import parse_sites
from tests.crawl_world import WORLD_SPECS, world_docs, world_registry, world_sites_toml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def world(tmp_path):
    """A sites file for the made-up world, and where the warehouse goes."""
    sites = tmp_path / "sites.toml"
    sites.write_text(world_sites_toml(), "utf-8")
    return sites, tmp_path / "data" / "regionews.duckdb"


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table except runs, in a stable order: what "writes nothing new" compares."""
    return {
        "pages": rows(db, "SELECT * EXCLUDE (headers) FROM pages ORDER BY url, sha256"),
        "articles": rows(db, "SELECT * FROM articles ORDER BY url"),
        "failures": rows(db, "SELECT * FROM failures ORDER BY url, page_sha256, stage"),
    }


def faulty_replica() -> Replica:
    options = {"slow_seconds": 0.8, "oversized_bytes": 300_000, "retry_after": 0.2}
    return Replica(world_docs(), world_registry(), faults=FAULTS, **options).start()


def crawl(sites: Path, db: Path, replica: Replica, **kw) -> list[dict]:
    registry = parse_sites(sites.read_text("utf-8"), str(sites), WORLD_SPECS)  # the world's made-up specs
    return run_crawl(db=db, registry=registry, connect_to=replica.url, **kw)


def test_with_every_fault_on_no_url_is_lost(prefect_harness, world):
    sites, db = world
    replica = faulty_replica()
    try:
        reports = crawl(sites, db, replica)
    finally:
        replica.stop()
    articles = {r[0] for r in rows(db, "SELECT url FROM articles")}
    failures = dict(rows(db, "SELECT url, reason FROM failures"))
    requested = {(e.host, e.path) for e in replica.log}
    for url in replica.article_urls():
        host, path = url.removeprefix("http://").split("/", 1)
        if replica.is_disallowed(url):
            assert (host, "/" + path) not in requested, url  # robots.txt obeyed
            assert url not in articles
            continue
        assert url in articles or failures.get(url, "").startswith("fetch: "), url
    by_fault = {f: u for u, f in replica.article_faults.items()}
    for fault in ("500", "429", "slow", "reset", "truncated", "charset"):
        assert by_fault[fault] in articles, fault  # retried (or decoded anyway) into an article
    assert failures[by_fault["redirect_loop"]] == "fetch: redirect loop"
    assert failures[by_fault["redirect_offsite"]] == "fetch: redirect off the allowed domains"
    assert failures[by_fault["oversized"]] == "fetch: body over 200000 bytes"
    assert failures["http://a.test/news/zx/"] == "fetch: disallowed by robots.txt"  # the disallowed column
    assert not any(host == OFFSITE_HOST for host, _ in requested)
    assert sum(r["retries"] for r in reports) >= 5
    per_url: dict[tuple[str, str], int] = {}
    for entry in replica.log:
        per_url[(entry.host, entry.path)] = per_url.get((entry.host, entry.path), 0) + 1
    assert max(per_url.values()) <= 3  # retries stop: retries = 2 here
    # Each stored page points at its own WARC record, written before parsing (the location is
    # relative to the warehouse's folder, so it resolves from any working directory).
    for location, offset, sha in rows(db, "SELECT location, warc_offset, sha256 FROM pages"):
        assert not Path(location).is_absolute()
        assert read_record(resolve_location(location, db.parent), offset).sha256 == sha


def test_a_second_crawl_fetches_nothing_new_and_writes_nothing_new(prefect_harness, world):
    sites, db = world
    replica = faulty_replica()
    try:
        crawl(sites, db, replica)
        before, first_log = snapshot(db), len(replica.log)
        reports = crawl(sites, db, replica)
        second = replica.log[first_log:]
    finally:
        replica.stop()
    assert snapshot(db) == before
    assert sum(r["articles_new"] + r["articles_updated"] + r["fetched"] for r in reports) == 0
    # Only robots.txt and page 1 of each list (answered 304) were asked for again.
    assert sorted({e.status for e in second}) == [200, 304]
    assert all(e.path == "/robots.txt" or e.status == 304 for e in second)
    assert rows(db, "SELECT count(*), count(DISTINCT flow) FROM runs") == [(4, 1)]


def test_a_crawl_killed_mid_run_and_rerun_ends_with_every_page_once(prefect_harness, world, tmp_path):
    from prefect.settings import PREFECT_API_URL

    sites, db = world
    sites.write_text(world_sites_toml(delay=0.03, concurrency=1), "utf-8")
    docs = world_docs(alpha=30, beta=20)
    replica = Replica(docs, world_registry()).start()
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(ROOT)}
    code = (
        "from flows.crawl import run_crawl; from tests.crawl_world import world_registry; "
        "registry = world_registry(delay=0.03, concurrency=1); "
        f"run_crawl(db={str(db)!r}, registry=registry, connect_to={replica.url!r})"
    )
    try:
        proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=tmp_path)
        deadline = time.monotonic() + 600  # a guard only: the child imports Prefect first (slow under load)
        while sum(e.path.endswith((".htm", ".shtml")) for e in replica.log) < 20:
            assert proc.poll() is None, "crawl ended before it could be killed"
            assert time.monotonic() < deadline, "the crawl made fewer than 20 requests in 600 s"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        partial = rows(db, "SELECT count(*) FROM articles")[0][0] if db.exists() else 0
        assert partial < len(docs)
        crawl(sites, db, replica)
    finally:
        replica.stop()
    assert rows(db, "SELECT count(*), count(DISTINCT url) FROM pages WHERE outcome = 'article'") == [(50, 50)]
    assert {r[0] for r in rows(db, "SELECT url FROM articles")} == set(docs)
    assert rows(db, "SELECT count(*) FROM failures") == [(0,)]


def test_a_changed_template_shows_as_parse_failures_not_junk_articles(prefect_harness, world):
    from flows.terminal_output import print_stats

    sites, db = world
    docs = world_docs()
    for url in [u for u in docs if u.startswith("http://a.test/news/yw/")]:
        # The site moved its text into a script-rendered shell: nothing for the parser to hold on to.
        shell = '<html><head><meta charset="utf-8"><title>新版</title></head><body><div id="app"></div>'
        docs[url] = Doc((shell + '<script src="/static/app.js"></script></body></html>').encode())
    replica = Replica(docs, world_registry()).start()
    try:
        crawl(sites, db, replica)
    finally:
        replica.stop()
    changed = {u for u in docs if u.startswith("http://a.test/news/yw/")}
    articles = {r[0] for r in rows(db, "SELECT url FROM articles")}
    assert not changed & articles
    parse_failures = {r[0] for r in rows(db, "SELECT url FROM failures WHERE stage = 'parse'")}
    assert parse_failures == changed
    out = io.StringIO()
    print_stats(db, out)
    assert "parse" in out.getvalue() and str(len(changed)) in out.getvalue()


def test_a_crawl_replays_from_its_warc_files_into_the_same_articles(prefect_harness, world, tmp_path):
    from flows.load import load_flow

    sites, db = world
    replica = faulty_replica()  # errors, retries and redirects are all in the archive too
    try:
        crawl(sites, db, replica)
    finally:
        replica.stop()
    replayed = tmp_path / "replayed.duckdb"
    load_flow([str(db.parent / "warc")], str(replayed), progress=False)
    query = "SELECT url, title, body FROM articles ORDER BY url"
    assert rows(replayed, query) == rows(db, query)
    # Only articles are replayed: list pages, robots.txt and the error responses before a retry are not.
    assert rows(replayed, "SELECT url, reason FROM failures") == []


def _fixture_cases() -> list[dict]:
    import json

    return [json.loads(p.read_text("utf-8")) for p in sorted((ROOT / "fixtures").glob("*/*.expected.json"))]


def test_the_bundled_sites_crawl_into_their_expected_articles(prefect_harness, tmp_path):
    from flows.replica import docs_from_fixtures
    from flows.sites import load_sites

    registry = load_sites()
    db = tmp_path / "regionews.duckdb"
    replica = Replica(docs_from_fixtures(), registry).start()
    try:
        reports = run_crawl(db=db, connect_to=replica.url, delay=0.0)
    finally:
        replica.stop()
    assert {r["site"] for r in reports} == {s.name for s in registry.select()}
    crawled = registry.select()
    titles = dict(rows(db, "SELECT url, title FROM articles"))
    counts = dict(rows(db, "SELECT url, page_count FROM articles"))
    for case in _fixture_cases():
        site = next((s for s in crawled if s.is_article(case["url"])), None)
        if site is None or case.get("not_article"):
            continue
        assert titles.get(case["url"]) == case["title"], case["url"]
        assert counts[case["url"]] == 1 + len(case.get("continuations", []))  # parts found and joined
    lists = {r[0] for r in rows(db, "SELECT url FROM pages WHERE outcome = 'not_article'")}
    assert "http://www.tianshui.com.cn/news/zjc/index_2.htm" in lists  # pagination followed
    assert not rows(db, "SELECT url, reason FROM failures")


def test_a_site_parser_facing_a_new_template_records_failures_not_junk(prefect_harness, tmp_path):
    from flows.replica import docs_from_fixtures
    from flows.sites import load_sites

    registry = load_sites()
    docs = docs_from_fixtures()
    other = docs["https://www.tftnews.com/minsu/4176605.html"]  # a content farm's template
    swapped = [u for u, d in docs.items() if d.role == "article" and registry.get("tianshui").is_article(u)]
    for url in swapped:
        docs[url] = Doc(other.body, other.content_type)
    db = tmp_path / "regionews.duckdb"
    replica = Replica(docs, registry).start()
    try:
        run_crawl(["tianshui"], db=db, connect_to=replica.url, delay=0.0)
    finally:
        replica.stop()
    failed = dict(rows(db, "SELECT url, reason FROM failures WHERE stage = 'parse'"))
    assert set(swapped) <= set(failed)
    assert not rows(db, "SELECT url FROM articles WHERE site = 'tianshui'")
