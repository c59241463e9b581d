"""The replica server, seen from a plain HTTP client: sites by Host, pagination, robots, faults, stopping."""

from __future__ import annotations

import time

import httpx
import pytest

from flows.replica import ARTICLE_FAULTS, FAULTS, OFFSITE_HOST, Replica, docs_from_fixtures, serve_in_thread
from tests.crawl_world import world_docs, world_registry


@pytest.fixture
def replica():
    r = Replica(
        world_docs(), world_registry(), faults=FAULTS, slow_seconds=0.6, oversized_bytes=300_000
    ).start()
    yield r
    r.stop()


def get(replica: Replica, url: str, **kw) -> httpx.Response:
    host, _, path = url.removeprefix("http://").partition("/")
    headers = {"Host": host, **kw.pop("headers", {})}
    return httpx.get(f"{replica.url}/{path}", headers=headers, timeout=kw.pop("timeout", 5), **kw)


def test_sites_are_told_apart_by_host_and_by_path_prefix(replica):
    url = "http://b.test/system/2024/06/05/000100004.shtml"
    doc = replica.docs[url]
    assert url not in replica.article_faults
    assert get(replica, url).content == doc.body
    assert httpx.get(f"{replica.url}/_site/b.test/system/2024/06/05/000100004.shtml").content == doc.body
    assert get(replica, url.replace("b.test", "a.test")).status_code == 404


def test_articles_keep_their_encoding_and_get_validators(replica):
    clean = next(u for u in replica.article_urls() if u not in replica.article_faults and "a.test" in u)
    resp = get(replica, clean)
    assert resp.status_code == 200
    assert "召开民族团结进步创建推进会".encode("gbk") in resp.content  # GBK bytes, as the site sends them
    assert resp.content == replica.docs[clean].body
    again = get(replica, clean, headers={"If-None-Match": resp.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    since = get(replica, clean, headers={"If-Modified-Since": resp.headers["last-modified"]})
    assert since.status_code == 304


def test_list_pages_paginate_over_every_article_of_the_site(replica):
    linked, url, pages = set(), "http://b.test/list/", 0
    while True:
        resp = get(replica, url)
        if resp.status_code == 404:
            break
        pages += 1
        linked |= {a for a in replica.article_urls() if a in resp.text}
        url = f"http://b.test/list/?page={pages + 1}"
    assert pages == 2  # 6 articles, 3 per page
    assert linked == {u for u in replica.article_urls() if u.startswith("http://b.test/")}
    first = get(replica, "http://a.test/news/yw/").text
    assert "下一页" in first and "index_2.htm" in first


def test_robots_disallows_one_column_per_host(replica):
    robots = get(replica, "http://a.test/robots.txt").text
    assert "Disallow: /news/zx/" in robots
    assert get(replica, "http://c.test/robots.txt").text.splitlines()[1] == "Disallow:"


def test_fault_modes_act_as_documented(replica):
    by_fault = {fault: url for url, fault in replica.article_faults.items()}
    assert set(by_fault) == set(ARTICLE_FAULTS)  # every article fault landed on some article

    assert [get(replica, by_fault["500"]).status_code for _ in range(3)] == [500, 500, 200]
    first = get(replica, by_fault["429"])
    assert first.status_code == 429 and first.headers["retry-after"] == "1"
    assert get(replica, by_fault["429"]).status_code == 200
    with pytest.raises(httpx.ReadTimeout):  # the first answer comes after the client gave up
        get(replica, by_fault["slow"], timeout=0.2)
    assert get(replica, by_fault["slow"]).status_code == 200  # the retry is answered at once
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        get(replica, by_fault["reset"])
    assert get(replica, by_fault["reset"]).status_code == 200
    with pytest.raises(httpx.RemoteProtocolError):  # the body stops short of its Content-Length
        get(replica, by_fault["truncated"])
    assert get(replica, by_fault["truncated"]).content == replica.docs[by_fault["truncated"]].body

    wrong = get(replica, by_fault["charset"])
    body = replica.docs[by_fault["charset"]].body
    declared = "utf-8" if b'charset="gbk"' in body else "gbk"
    assert wrong.headers["content-type"].endswith(declared) and wrong.content == body

    hop1 = get(replica, by_fault["redirect_loop"])
    hop2 = get(
        replica,
        "http://" + by_fault["redirect_loop"].split("://")[1].split("/")[0] + hop1.headers["location"],
    )
    assert hop1.status_code == hop2.status_code == 302
    assert by_fault["redirect_loop"].endswith(hop2.headers["location"])

    off = get(replica, by_fault["redirect_offsite"])
    assert off.status_code == 302 and off.headers["location"].startswith(f"http://{OFFSITE_HOST}/")
    big = get(replica, by_fault["oversized"])
    assert "content-length" not in big.headers and len(big.content) >= 300_000


def test_the_log_records_host_path_status_and_times(replica):
    url = next(u for u in replica.article_urls() if u not in replica.article_faults and "a.test" in u)
    get(replica, url)
    deadline = time.monotonic() + 2
    while not replica.log and time.monotonic() < deadline:  # logged just after the response goes out
        time.sleep(0.01)
    entry = replica.log[-1]
    assert (entry.host, entry.path) == ("a.test", url.split("a.test")[1])
    assert entry.start <= entry.end and entry.status in (200, 500, 302, 429)


def test_it_stops_after_max_requests_and_after_its_lifetime():
    r = Replica(world_docs(), world_registry(), max_requests=3).start()
    for _ in range(3):
        get(r, "http://a.test/robots.txt")
    assert r.stopped.wait(2)
    with pytest.raises(httpx.TransportError):
        get(r, "http://a.test/robots.txt")
    short = Replica(world_docs(), world_registry(), lifetime=0.2).start()
    assert short.stopped.wait(2)


def test_serve_in_thread_serves_the_bundled_fixtures():
    docs = docs_from_fixtures()
    if not docs:
        pytest.skip("no fixtures merged yet")
    with serve_in_thread(docs, world_registry()) as r:
        url = next(iter(docs))
        assert get(r, url).content == docs[url].body
    assert r.stopped.is_set()


def test_unknown_fault_modes_are_refused():
    with pytest.raises(ValueError, match="unknown fault"):
        Replica({}, faults=["flaky"])
