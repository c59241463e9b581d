"""新疆媒体云 www.xjmty.com: the county 融媒 portals (e.g. 阿瓦提县融媒 at tmcn.xjmty.com/awtxmcn).

Article page: title, a dot-separated date (2024.11.17) with an optional 来源, a summary block,
then the CMS body, then the portal's 投稿网址 and 声明 lines and the 责任编辑 block. The body
often opens with a share card pasted from the app: a short second title and the date again.
"""

import re
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers.base import SiteParser
from parsers.crawlspec import PagedList
from parsers.records import Article
from parsers.rules import Captions, SiteRules

_DOT_DATE = re.compile(r"^\d{4}\.\d{1,2}\.\d{1,2}$")
_CARD_TITLE_MAX = 40  # a share-card title is a short phrase, never a paragraph


def share_card(lines: list[str]) -> list[str]:
    """The share card pasted at the top of the body: a short title and the date, or the date alone."""
    if (
        len(lines) >= 2
        and _DOT_DATE.match(lines[1])
        and len(lines[0]) <= _CARD_TITLE_MAX
        and not lines[0].endswith("。")
    ):
        return lines[:2]
    return lines[:1] if lines and _DOT_DATE.match(lines[0]) else []


class XjmtyParser(SiteParser):
    name = "xjmty"
    version = 2  # 2: absolute image URLs
    domains = ("xjmty.com",)
    article_url = (
        r"^https?://(?:www|tmcn)\.xjmty\.com/[a-z0-9]+/\d{4}/\d{2}-\d{2}/nav-\d+-[A-Za-z0-9]{8}\.html$"
    )
    list_url = r"^https?://tmcn\.xjmty\.com/[a-z0-9]+mcn/?(?:\?.*)?$"
    example_urls = (
        "https://www.xjmty.com/awtx/2024/11-17/nav-12-Qk3mZ8aT.html",
        "https://tmcn.xjmty.com/awtxmcn",
        "https://tmcn.xjmty.com/awtxmcn?page=2",
    )
    not_urls = ("https://www.xjmty.com/awtx/2024/11-17/nav-12-short.html",)  # the id has 8 characters
    base_url = "https://tmcn.xjmty.com"
    lists = (PagedList("/awtxmcn", "?page={n}"),)  # the portal lists stories on www.xjmty.com
    charset = "utf-8"
    rules = SiteRules(
        title=(".detail-title h1", ".detail-box h1"),
        body=(".detail-text",),
        meta=(".detail-info",),
        credits=(".detail-editor",),
        drop=(".detail-statement", ".detail-share", ".detail-text .ad-box", ".detail-text script"),
        stop_at=("投稿网址", "声明：未经允许", "声明:未经允许"),  # when pasted into the body instead
        list_page=(".news-list-box", "ul.news-list"),
        captions=Captions(end=r"(?:摄|攝|供图|供圖)[)）]?$", alt=False),
    )

    def finish(self, article: Article, tree: LexborHTMLParser, body: LexborNode) -> Article:
        # The app's share card is pasted into the body, and an empty summary is filled with the
        # first paragraph: neither is article text twice.
        content = dom.lines(body.css_first(".detail-content"))
        card = share_card(content)
        summary = dom.lines(body.css_first(".detail-summary"))
        rest = content[len(card) :]
        repeated = summary[:1] if summary and rest and summary[0] == rest[0] else []
        return replace(article, paragraphs=tuple(dom.without(article.paragraphs, [*repeated, *card])))
