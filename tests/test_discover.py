"""Discovery: pagination URLs, links, continuation pages, and when a walk over a list stops."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.discover import Walk, Walker, continuation_links
from flows.fetch import Fetcher
from flows.replica import Replica
from flows.sites import load_sites, parse_sites
from parsers.crawlspec import PagedList
from parsers.listing import Entry, html_entries, next_link
from parsers.records import Page
from parsers.registry import by_name
from tests.crawl_world import WORLD_SPECS, world_docs, world_registry, world_sites_toml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("list_url", "pagination", "expected"),
    [
        ("http://a.test/news/zjc/", "index_{n}.htm", "http://a.test/news/zjc/index_3.htm"),
        ("http://a.test/zs/index.shtml", "index_{n}.shtml", "http://a.test/zs/index_3.shtml"),
        ("https://t.test/awtxmcn", "?page={n}", "https://t.test/awtxmcn?page=3"),
        ("https://t.test/list?nav=12", "?page={n}", "https://t.test/list?nav=12&page=3"),
        ("http://a.test/minsu/", "list_{n}.html", "http://a.test/minsu/list_3.html"),
        ("http://a.test/minsu/", "next_link", None),
    ],
)
def test_page_urls_follow_the_site_pattern(list_url, pagination, expected):
    assert PagedList(list_url, pagination).page_url(3) == expected


def test_links_are_absolute_without_fragments_and_the_next_link_is_found():
    html = """<html><head><base href="http://a.test/news/"></head><body>
    <a href="1.htm#top">one</a> <a href="/other/2.htm">two</a> <a href="javascript:void(0)">x</a>
    <a href="mailto:a@b.c">mail</a> <a href="list_2.html" class="next">下一頁</a></body></html>""".encode()
    links = html_entries(html, "http://a.test/ignored/")
    assert [e.url for e in links] == [
        "http://a.test/news/1.htm", "http://a.test/other/2.htm", "http://a.test/news/list_2.html",
    ]  # fmt: skip
    assert next_link(links) == "http://a.test/news/list_2.html"
    assert next_link([Entry("http://a.test/x", "下一页 >")]) == "http://a.test/x"
    assert next_link([Entry("http://a.test/x", "下一篇")]) is None  # the next story, not the next page


def test_a_list_item_carries_the_date_printed_beside_its_link():
    html = """<ul>
    <li><a href="/art/2025/5/9/art_1_2.html">2024年工作总结会召开</a><span>2025-05-09</span></li>
    <li><a href="/a/3.html">无日期</a></li></ul>""".encode()
    first, second = html_entries(html, "http://a.test/col/")
    assert first.date == datetime(2025, 5, 8, 16, tzinfo=UTC)  # 2025-05-09 00:00 in Shanghai; not 2024
    assert second.date is None


def test_a_paginated_story_finds_its_later_parts():
    first = FIXTURES / "tianshui" / "qa_2023_paginated.html"
    url = "http://www.tianshui.com.cn/news/qa/2023012009421178325.htm"
    page = Page(url, first.read_bytes())
    site = load_sites().get("tianshui")
    assert continuation_links(page, by_name("tianshui"), site) == [
        "http://www.tianshui.com.cn/news/qa/2023012009421178325_2.htm",
        "http://www.tianshui.com.cn/news/qa/2023012009421178325_3.htm",
    ]


def test_column_scope_skips_sidebar_links_to_other_columns():
    site = load_sites().get("tianshui")
    assert site.in_scope("http://www.tianshui.com.cn/news/zjc/201905261112464568.htm",
                         "http://www.tianshui.com.cn/news/zjc/index_2.htm")  # fmt: skip
    assert not site.in_scope("http://www.tianshui.com.cn/news/qz/2019052416205893411.htm",
                             "http://www.tianshui.com.cn/news/zjc/")  # fmt: skip


class Found:
    """What a walk over a site's lists offered: new article URLs in order, and why each list stopped."""

    def __init__(self) -> None:
        self.articles: list[str] = []
        self.stopped: dict[str, str] = {}


def _walk(replica: Replica, toml: str, known: set[str] = frozenset(), site: str = "alpha", **kw):
    registry = parse_sites(toml, specs=WORLD_SPECS)

    async def run():
        async with Fetcher(registry.settings, connect_to=replica.url) as fetcher:

            async def ask_known(urls):
                return set(urls) & known

            async def ask_validators(urls):
                return {}

            walker = Walker(
                fetcher, registry.get(site), known=ask_known, validators=ask_validators, walk=Walk(**kw)
            )
            found = Found()
            async for page in walker.pages():
                found.articles += page.new
                if page.stopped:
                    found.stopped[page.list_url] = page.stopped
            return found

    return asyncio.run(run())


@pytest.fixture
def replica():
    r = Replica(world_docs(alpha=20, beta=0), world_registry(), page_size=3).start()
    yield r
    r.stop()


def test_a_walk_goes_to_the_end_of_each_list(replica):
    found = _walk(replica, world_sites_toml())
    assert sorted(found.articles) == sorted(u for u in replica.article_urls() if "a.test" in u)
    assert found.stopped == {"http://a.test/news/yw/": "end of list (no page 5: http 404)",
                             "http://a.test/news/zx/": "end of list (no page 5: http 404)"}  # fmt: skip


def test_a_walk_stops_at_a_finished_page_of_known_articles_but_not_at_an_unfinished_one(replica):
    everything = set(replica.article_urls())
    unfinished = _walk(replica, world_sites_toml(), known=everything)
    # a killed crawl: walk on
    assert unfinished.stopped["http://a.test/news/yw/"] == "end of list (no page 5: http 404)"
    finished = _walk(replica, world_sites_toml(), known=everything | {"http://a.test/news/yw/"})
    assert finished.stopped["http://a.test/news/yw/"] == "page 1 holds only known articles"


def test_a_walk_stops_at_the_page_and_age_limits(replica):
    limited = _walk(replica, world_sites_toml().replace("[defaults]", "[defaults]\nmax_list_pages = 2"))
    assert limited.stopped["http://a.test/news/yw/"] == "page limit 2"
    assert len(limited.articles) == 12

    # beta's URLs carry their date (June 2024): a 30-day limit a year later stops at page 1. alpha's
    # URLs carry none: an undated page is never taken for an old one, so its walk goes on.
    aged = world_sites_toml().replace("[defaults]", "[defaults]\nmax_age_days = 30")
    later = datetime(2025, 6, 1, tzinfo=UTC)
    both = Replica(world_docs(alpha=4, beta=6), world_registry()).start()
    try:
        old = _walk(both, aged, site="beta", now=later)
        undated = _walk(both, aged, now=later)
    finally:
        both.stop()
    assert old.stopped["http://b.test/list/"] == "page 1 is older than 30 days" and len(old.articles) == 3
    assert undated.stopped["http://a.test/news/yw/"].startswith("end of list")
