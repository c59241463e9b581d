"""The sites `regionews serve` serves in tests/test_serve_scheduled.py (REGIONEWS_SPEC_MODULES).

alpha and beta of the made-up world, and gamma, whose host the replica does not serve: every
one of its list pages is a 404, so each of its runs fails.
"""

from __future__ import annotations

from parsers.base import SiteParser
from parsers.crawlspec import PagedList
from parsers.generic import GenericParser
from tests.world_specs import AlphaSpec, BetaSpec


class GammaSpec(GenericParser):
    name = "gamma"
    domains = ("c.test",)
    article_url = r"^http://c\.test/news/\d+\.htm$"
    base_url = "http://c.test"
    lists = (PagedList("/news/"),)


SPECS: tuple[SiteParser, ...] = (AlphaSpec(), BetaSpec(), GammaSpec())
