"""The registry and every spec in it, checked from the specs' own data: adding a site adds no test code.

Routing: each spec's `example_urls` route to it and its `not_urls` do not; every fixture URL
routes to its folder's spec. Facts a crawler relies on: lists, sitemaps and feeds lie on the
spec's domains, a list URL is never parsed as an article, pages 2..N key to their story.
"""

from __future__ import annotations

import re

import pytest

from parsers.base import SiteParser
from parsers.records import NotAnArticle, Page
from parsers.registry import PARSERS, by_name, parser_for, site_parsers
from tests.fixture_cases import FIXTURES, all_cases

SPECS = site_parsers()
EXAMPLES = [(p, url) for p in SPECS for url in p.example_urls]
NOT_OURS = [(p, url) for p in SPECS for url in p.not_urls]
ARTICLE_MARKUP = (
    "<html><head><title>张川_天水在线</title></head><body><h1>标题</h1>"
    '<div id="zoom" class="content detail-con xcont art-con"><p>张川</p></div></body></html>'
)


def test_names_are_unique_and_match_modules() -> None:
    names = [p.name for p in PARSERS]
    assert len(names) == len(set(names))
    for parser in SPECS:
        assert type(parser).__module__ == f"parsers.sites.{parser.name}", "a site is three matching names"


def test_generic_is_last_and_catches_everything() -> None:
    assert PARSERS[-1].name == "generic"
    assert parser_for("http://unknown.example.cn/news/1.html").name == "generic"


@pytest.mark.parametrize("spec", SPECS, ids=[p.name for p in SPECS])
def test_spec_declares_its_contract(spec: SiteParser) -> None:
    assert isinstance(spec.version, int) and spec.version >= 1
    assert spec.script in ("zh-Hans", "zh-Hant", "mixed", "unknown")
    assert spec.working or spec.broken_reason, f"{spec.name} is not working but says not why"
    assert spec.example_urls, f"{spec.name} lists no example_urls"
    assert spec.domains and all(d == d.lower() and "/" not in d for d in spec.domains)
    for pattern in (spec.article_url, spec.list_url, spec.story_part):
        assert pattern is None or re.compile(pattern)
    assert "extract" not in vars(type(spec)), "sites use the one extract loop; odd ones override a hook"


@pytest.mark.parametrize(("spec", "url"), EXAMPLES, ids=[u for _, u in EXAMPLES])
def test_example_url_routes_to_its_own_spec(spec: SiteParser, url: str) -> None:
    assert parser_for(url) is spec, f"{url} routes to {parser_for(url).name}, not {spec.name}"


@pytest.mark.parametrize(("spec", "url"), NOT_OURS, ids=[u for _, u in NOT_OURS])
def test_not_url_does_not_route_to_the_spec(spec: SiteParser, url: str) -> None:
    assert parser_for(url) is not spec


def test_every_fixture_url_routes_to_its_folder_parser() -> None:
    for case in all_cases():
        assert parser_for(case.expected["url"]).name == case.parser, case.id


def test_every_parser_has_fixtures_and_every_fixture_folder_names_a_parser() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir() and list(p.glob("*.html"))}
    names = {p.name for p in PARSERS}
    assert folders - names == set(), "fixture folders that name no parser"
    assert names - folders == set(), "parsers without fixtures"
    for folder in folders:
        assert list((FIXTURES / folder).glob("*.expected.json")), f"fixtures/{folder} has no cases"


@pytest.mark.parametrize("spec", [p for p in SPECS if p.lists], ids=[p.name for p in SPECS if p.lists])
def test_what_a_spec_crawls_lies_on_its_domains(spec: SiteParser) -> None:
    sources = spec.sources()
    assert spec.base_url and spec.allows(spec.base_url)
    for url in (*sources.list_urls, *sources.sitemaps, *sources.feeds):
        assert url.startswith(("http://", "https://")) and spec.allows(url), url


LIST_EXAMPLES = [(p, u) for p, u in EXAMPLES if p.is_list_page(u)]


@pytest.mark.parametrize(("spec", "url"), LIST_EXAMPLES, ids=[u for _, u in LIST_EXAMPLES])
def test_a_list_url_is_never_an_article_whatever_its_markup(spec: SiteParser, url: str) -> None:
    page = Page(
        url=url, body=ARTICLE_MARKUP.encode(), headers=(("Content-Type", "text/html; charset=utf-8"),)
    )
    with pytest.raises(NotAnArticle):
        spec.parse(page)
    assert not spec.is_article_link(url)


PART_EXAMPLES = [(p, u) for p, u in EXAMPLES if p.story_part and p.article_key(u)[1] > 1]


@pytest.mark.parametrize(("spec", "url"), PART_EXAMPLES, ids=[u for _, u in PART_EXAMPLES])
def test_a_later_part_keys_to_its_story(spec: SiteParser, url: str) -> None:
    story, _part = spec.article_key(url)
    assert story != url and spec.article_key(story) == (story, 1) and parser_for(story) is spec
    assert not spec.is_article_link(url), "parts 2..N are found from the story, not queued from lists"


def test_story_key_reads_the_part_number() -> None:
    spec = by_name("tianshui")
    first = "http://www.tianshui.com.cn/news/qa/2023012009421178325.htm"
    assert spec.article_key(first) == (first, 1)
    assert spec.article_key(first.replace(".htm", "_12.htm")) == (first, 12)
    assert spec.paginated() and not by_name("yunnan").paginated()
