"""Mirror copies of 兰州新闻网 articles (seed 001): traditional script with pinyin annotations.

The mirror keeps lzbs's path and runs the byline into the headline (…示範縣蘭州市永登縣委書記
王彥群), shows no date of the article (its own 發佈時間 is the copy time), and keeps the
責任編輯 line and the 版權聲明 block. lzbs's path scheme is too common to route on alone (tsrb
uses the same /<ch>/YYYY-MM/DD/content_<id>.htm), so only mirror hosts seen are routed:
seed 001's own host is unknown, these are the farm network's hosts that mirror Gansu outlets.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from parsers import dom
from parsers.base import SiteParser, SiteRules
from parsers.records import Article, Page, ParseError
from parsers.sites.lzbs import body_lines, split_byline
from parsers.sites.tianshui_mirror import is_junk_line

ORIGIN = "http://www.lzbs.com.cn"
_HOSTS = ("www.hadlsm.com", "hadlsm.com", "www.nibeiya.com", "m.nibeiya.com", "www.topointapp.com")


class LzbsMirrorParser(SiteParser):
    name = "lzbs_mirror"
    version = 1
    domains = _HOSTS
    url_pattern = (
        rf"^https?://(?:{'|'.join(re.escape(h) for h in _HOSTS)})"
        r"/[a-z]+/(?:19|20)\d{2}-\d{2}/\d{2}/content_\d+\.html?(?:[?#].*)?$"
    )
    example_urls = (
        "http://www.hadlsm.com/ztbd/2023-08/15/content_5123877.htm",
        "http://m.nibeiya.com/xqxw/2023-11/07/content_5160442.htm",
    )
    script = "zh-Hant"
    rules = SiteRules(
        # The farm templates' copied-article blocks (desktop, mobile); the scraped headline and
        # byline come as the block's first line, not as a title element.
        body=("div.art-con", "div.m-art-body"),
        drop=("script", "style", "iframe", ".art-info", ".spam", ".kw", ".share", "blockquote", "sub"),
    )

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        dom.drop(tree, self.rules.drop)
        body = dom.first_node(tree, self.rules.body)
        if body is None:
            raise ParseError(f"{self.name}: no copied-article block (farm template changed?)")
        lines = [line for line in dom.lines(body) if not is_junk_line(line)]
        if len(lines) < 2:
            raise ParseError(f"{self.name}: no headline or no body text")
        heading, paragraphs = lines[0], body_lines(lines[1:])
        if not paragraphs:
            raise ParseError(f"{self.name}: body is empty")
        # The mirror runs title and byline together: split "<title><office> <name>".
        title, _office, name = split_byline(heading)
        return self.new_article(
            page,
            title,
            paragraphs,
            self.page_dates(page),  # lzbs's path date: the mirror's own time is a copy time
            raw_title=heading,
            authors=(name,) if name else (),
            original_url=ORIGIN + urlsplit(page.effective_url).path,
            is_copy=True,
        )
