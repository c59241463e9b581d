"""The parser registry: names are unique, every URL routes to its own parser, fixtures match."""

from __future__ import annotations

import re

from parsers.base import SiteParser
from parsers.registry import PARSERS, by_name, parser_for, site_parsers
from tests.fixture_cases import FIXTURES, all_cases


def test_names_are_unique_and_match_modules() -> None:
    names = [p.name for p in PARSERS]
    assert len(names) == len(set(names))
    for parser in site_parsers():
        assert type(parser).__module__ == f"parsers.sites.{parser.name}", "a site is three matching names"


def test_generic_is_last_and_catches_everything() -> None:
    assert PARSERS[-1].name == "generic"
    assert parser_for("http://unknown.example.cn/news/1.html").name == "generic"


def test_every_example_url_routes_to_its_own_parser() -> None:
    for parser in site_parsers():
        assert parser.example_urls, f"{parser.name} lists no example_urls"
        for url in parser.example_urls:
            assert parser_for(url) is parser, f"{url} routes to {parser_for(url).name}, not {parser.name}"


def test_every_fixture_url_routes_to_its_folder_parser() -> None:
    for case in all_cases():
        assert parser_for(case.expected["url"]).name == case.parser, case.id


def test_every_parser_has_fixtures_and_every_fixture_folder_names_a_parser() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    names = {p.name for p in PARSERS}
    assert folders - names == set(), "fixture folders that name no parser"
    assert names - folders == set(), "parsers without fixtures"
    for folder in folders:
        assert list((FIXTURES / folder).glob("*.expected.json")), f"fixtures/{folder} has no cases"


def test_parsers_declare_their_contract() -> None:
    for parser in PARSERS:
        assert isinstance(parser, SiteParser)
        assert re.compile(parser.url_pattern)
        assert isinstance(parser.version, int) and parser.version >= 1
        assert parser.script in ("zh-Hans", "zh-Hant", "mixed", "unknown")
        assert parser.working or parser.broken_reason, f"{parser.name} is not working but says not why"
    assert by_name("generic").name == "generic"
