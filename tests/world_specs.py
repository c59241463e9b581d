"""The specs of the made-up crawl world (tests/crawl_world.py): two sites read by the generic engine.

A module of its own that imports `parsers` only, as an operator's module of private sites would
be, so a test can name it in REGIONEWS_SPEC_MODULES for processes it starts (`serve`, flow runs).
"""

from __future__ import annotations

from parsers.base import SiteParser
from parsers.crawlspec import PagedList
from parsers.generic import GenericParser


class AlphaSpec(GenericParser):
    name = "alpha"
    domains = ("a.test",)
    article_url = r"^http://a\.test/news/[a-z]+/\d{16}\.htm$"
    base_url = "http://a.test"
    lists = (PagedList("/news/yw/", "index_{n}.htm"), PagedList("/news/zx/", "index_{n}.htm"))
    charset = "gbk"


class BetaSpec(GenericParser):
    name = "beta"
    domains = ("b.test",)
    article_url = r"^http://b\.test/system/\d{4}/\d\d/\d\d/\d{9}\.shtml$"
    base_url = "http://b.test"
    lists = (PagedList("/list/", "?page={n}"),)


SPECS: tuple[SiteParser, ...] = (AlphaSpec(), BetaSpec())
