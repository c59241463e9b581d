"""The polite client against the replica: retries that help and stop, manners per host, no stray requests."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence

import pytest

from flows.archive import WarcArchive, read_record
from flows.fetch import Fetched, Fetcher
from flows.replica import FAULTS, OFFSITE_HOST, Doc, Replica
from flows.sites import Registry
from tests.crawl_world import world_docs, world_registry


def fetch_all(
    replica: Replica, registry: Registry, urls: Sequence[str], archive: WarcArchive | None = None, **kw
) -> list[Fetched]:
    async def run() -> list[Fetched]:
        async with Fetcher(registry.settings, archive, connect_to=replica.url) as fetcher:
            site = {s.name: s for s in registry.sites}
            return list(
                await asyncio.gather(
                    *(fetcher.fetch(u, site["alpha" if "a.test" in u else "beta"], **kw) for u in urls)
                )
            )

    return asyncio.run(run())


@pytest.fixture
def faulty():
    registry = world_registry(retries=2)
    replica = Replica(
        world_docs(), registry, faults=FAULTS, slow_seconds=0.8, oversized_bytes=300_000, retry_after=0.3
    ).start()
    yield replica, registry
    replica.stop()


def test_every_fault_ends_as_a_page_or_a_failure_with_a_reason(faulty, tmp_path):
    replica, registry = faulty
    by_fault = {fault: url for url, fault in replica.article_faults.items()}
    urls = replica.article_urls()
    with WarcArchive(tmp_path) as archive:
        results = dict(zip(urls, fetch_all(replica, registry, urls, archive), strict=True))
    outcome = {fault: results[url] for fault, url in by_fault.items()}

    for fault in ("500", "429", "slow", "reset", "truncated", "charset"):
        assert outcome[fault].outcome == "ok", (fault, outcome[fault].reason)
        assert outcome[fault].page.body == replica.docs[by_fault[fault]].body
    assert outcome["500"].attempts == 3  # two 500s, then the page
    assert outcome["slow"].attempts == 2 and outcome["reset"].attempts == 2
    assert outcome["redirect_loop"].reason == "fetch: redirect loop"
    assert outcome["redirect_offsite"].reason == "fetch: redirect off the allowed domains"
    assert outcome["oversized"].reason == "fetch: body over 200000 bytes"

    disallowed = [u for u in urls if u.split("/", 3)[3].startswith(replica.disallowed["a.test"].lstrip("/"))]
    assert disallowed and all(results[u].reason == "fetch: disallowed by robots.txt" for u in disallowed)
    requested = {(e.host, e.path) for e in replica.log}
    assert not any(host == OFFSITE_HOST for host, _ in requested)  # never followed
    assert not any(host == "a.test" and path.startswith("/news/zx/") for host, path in requested)
    for url, result in results.items():
        assert result.outcome in ("ok", "failed")
        assert result.outcome == "ok" or result.reason.startswith("fetch: "), url

    # Every response, errors included, is in the archive; each page points at its own record.
    for result in results.values():
        if result.page is not None:
            assert read_record(result.page.location, result.page.warc_offset).body == result.page.body
    responses = sum(1 for e in replica.log if e.status and e.status != 599 and e.host != OFFSITE_HOST)
    assert archive.records >= responses - 1  # all but the one the client timed out on


def test_retries_stop_and_4xx_is_not_retried(tmp_path):
    registry = world_registry(retries=2)
    docs = world_docs(alpha=2, beta=0)
    urls = sorted(docs)
    replica = Replica(docs, registry, faults=["500"], burst=99).start()
    try:
        missing = "http://a.test/news/yw/2024059910309999.htm"
        failed, gone = fetch_all(
            replica, registry, [replica.article_faults and next(iter(replica.article_faults)), missing]
        )
    finally:
        replica.stop()
    assert failed.reason == "fetch: http 500 after 3 attempts" and failed.attempts == 3
    assert failed.body and b"500" in failed.body  # the error page is kept with the failure
    assert gone.reason == "fetch: http 404" and gone.attempts == 1
    assert sum(e.path.endswith("9999.htm") for e in replica.log) == 1
    assert len(urls) == 2


def test_retry_after_is_honoured_and_capped():
    registry = world_registry(retries=2)
    docs = world_docs(alpha=1, beta=0)
    (url,) = docs
    replica = Replica(docs, registry, faults=["429"], retry_after=0.4).start()
    try:
        started = time.monotonic()
        (result,) = fetch_all(replica, registry, [url])
        waited = time.monotonic() - started
    finally:
        replica.stop()
    assert result.outcome == "ok" and result.attempts == 2 and waited >= 0.4
    capped = Replica(docs, registry, faults=["429"], retry_after=3600).start()
    try:
        (result,) = fetch_all(capped, registry, [url])
    finally:
        capped.stop()
    assert result.reason == "fetch: http 429, Retry-After 3600s is over the cap" and result.attempts == 1


def _starts(replica: Replica, host: str) -> list[float]:
    return sorted(e.start for e in replica.log if e.host == host and e.path != "/robots.txt")


def test_requests_to_one_host_start_delay_apart_and_identify_us():
    registry = world_registry(delay=0.12, concurrency=1)
    replica = Replica(world_docs(), registry).start()
    try:
        fetch_all(replica, registry, replica.article_urls())
    finally:
        replica.stop()
    for host in ("a.test", "b.test"):
        starts = _starts(replica, host)
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert len(starts) >= 5 and min(gaps) >= 0.12 - 0.02, (host, gaps)
    assert all(
        e.agent.startswith("regionews/") and "example.org/regionews-tests" in e.agent for e in replica.log
    )


def test_at_most_concurrency_requests_are_in_flight_per_host():
    registry = world_registry(delay=0.0, concurrency=2)
    replica = Replica(world_docs(alpha=8, beta=0), registry, latency=0.08).start()
    try:
        fetch_all(replica, registry, replica.article_urls())
    finally:
        replica.stop()
    spans = [(e.start, e.end) for e in replica.log if e.host == "a.test" and e.path != "/robots.txt"]
    peak = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
    assert peak == 2


def test_robots_crawl_delay_is_obeyed():
    registry = world_registry(delay=0.0, concurrency=1)
    replica = Replica(world_docs(alpha=4, beta=0), registry, crawl_delay=0.15).start()
    try:
        fetch_all(replica, registry, replica.article_urls())
    finally:
        replica.stop()
    starts = _starts(replica, "a.test")
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.15 - 0.02


def test_conditional_get_turns_an_unchanged_page_into_a_304():
    registry = world_registry()
    docs = world_docs(alpha=1, beta=0)
    (url,) = docs
    replica = Replica(docs, registry).start()
    try:
        (first,) = fetch_all(replica, registry, [url])
        etag = first.page.header("etag")
        (again,) = fetch_all(replica, registry, [url], etag=etag)
        (dated,) = fetch_all(replica, registry, [url], last_modified=first.page.header("last-modified"))
        replica.docs[url] = Doc(docs[url].body + b"<!-- edited -->")
        (changed,) = fetch_all(replica, registry, [url], etag=etag)
    finally:
        replica.stop()
    assert (again.outcome, again.status, again.page) == ("unchanged", 304, None)
    assert dated.outcome == "unchanged"
    assert changed.outcome == "ok" and changed.page.body.endswith(b"<!-- edited -->")


def test_non_html_is_refused_without_reading_the_body():
    registry = world_registry()
    url = "http://a.test/news/yw/2024050110300000.htm"
    replica = Replica({url: Doc(b"\x89PNG" + b"\0" * 5000, "image/png")}, registry).start()
    try:
        (result,) = fetch_all(replica, registry, [url])
    finally:
        replica.stop()
    assert result.reason == "fetch: content-type image/png is not HTML"


def test_connection_refused_is_retried_then_reported():
    registry = world_registry(retries=1)
    replica = Replica({}, registry).start()
    dead = replica.url
    replica.stop()

    async def run() -> Fetched:
        async with Fetcher(registry.with_settings(obey_robots=False).settings, connect_to=dead) as fetcher:
            return await fetcher.fetch("http://a.test/news/yw/2024050110300000.htm", registry.sites[0])

    result = asyncio.run(run())
    assert result.reason == "fetch: connection error after 2 attempts" and result.attempts == 2


def test_a_redirected_robots_txt_is_followed_on_the_allowed_domains():
    registry = world_registry()
    docs = world_docs(alpha=2, beta=0)
    replica = Replica(docs, registry, faults=["robots"]).start()
    replica.robots_moved_to = "/static/robots.txt"  # e.g. a CMS serving it from elsewhere
    try:
        results = fetch_all(replica, registry, sorted(docs))
    finally:
        replica.stop()
    assert [r.outcome for r in results] == ["ok", "failed"]
    assert results[1].reason == "fetch: disallowed by robots.txt"
    assert [e.status for e in replica.log if "robots" in e.path] == [301, 200]
