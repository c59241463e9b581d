"""每日頭條 www.tftnews.com: a content farm that copies regional news into naive traditional script.

The farm's page shows no publish date (its 更新时间 is the farm's own time, kept as `updated_at`
by the date engine), prefixes the copy with an SEO intro (removed by normalization), puts an
image box whose placeholder text is "<farm title>(<source title>)<n>" before the copy, repeats
its title as a heading, and ends with the origin's credit line ("雲南網通訊員 代洪") or a 來源
line. Article URLs are invented (not verified): /<channel>/<numeric id>.html; channel lists are
/<channel>/ and /<channel>/list_<n>.html.
"""

import re
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers.base import SiteParser
from parsers.crawlspec import NEXT_LINK, PagedList
from parsers.credits import SOURCE
from parsers.records import Article
from parsers.rules import Captions, CopyOf, SiteRules

# "深化…工作（深入推進…創建）1": the farm's title, then the copied page's title and the image index
_PLACEHOLDER_TAIL = re.compile(r"^\s*[（(](?P<orig>.+)[)）]\s*\d+$")


def copied_title(placeholder: str, title: str) -> str | None:
    if not placeholder.startswith(title):
        return None
    m = _PLACEHOLDER_TAIL.match(placeholder[len(title) :])
    return m["orig"] if m else None


class TftnewsParser(SiteParser):
    name = "tftnews"
    version = 2  # 2: absolute image URLs
    script = "zh-Hant"  # char-level conversion: traditional with simplified leftovers (目标, 确保)
    domains = ("tftnews.com",)
    article_url = r"^https?://(?:www\.|m\.)?tftnews\.com/[a-z]+/\d+\.html$"
    list_url = r"^https?://(?:www\.|m\.)?tftnews\.com/[a-z]+/(?:list_\d+\.html)?$"
    example_urls = (
        "https://www.tftnews.com/minsu/4187352.html",
        "https://www.tftnews.com/minsu/",
        "https://www.tftnews.com/minsu/list_2.html",
    )
    not_urls = ("https://www.tftnews.com/static/css/style.css",)
    base_url = "https://www.tftnews.com"
    lists = (PagedList("/minsu/", NEXT_LINK),)  # the farm's 下一頁 link (list_2.html, ...)
    charset = "utf-8"
    copy_of = CopyOf()  # the copied page's URL is not on the farm's page
    rules = SiteRules(
        title=("article h1.article-title", "article h1", "h1"),
        body=(".article-content",),
        meta=(".article-meta .update-time", ".article-meta"),
        drop=(".article-content .ad-banner", ".article-content ins", ".article-content script"),
        list_page=("ul.article-list", ".channel-list"),
        image_src=("data-original", "data-src", "src"),  # lazy-loaded: src is a loading gif
        captions=Captions(end=r"(?:供圖|供图|攝|摄|攝影|摄影)[)）]?$", alt=False),
    )

    def finish(self, article: Article, tree: LexborHTMLParser, body: LexborNode) -> Article:
        # The image placeholders name the copied page's title; a closing 來源 line its outlet.
        placeholders = [dom.text_of(n) for n in body.css(".img-box .img-title")]
        alts = [(n.attributes.get("alt") or "").strip() for n in body.css("img[alt]")]
        found = (copied_title(t, article.title) for t in [*placeholders, *alts])
        paragraphs = dom.without(article.paragraphs, placeholders)
        named = next(
            (m for p in reversed(paragraphs[-3:]) if (m := SOURCE.match(p.lstrip("（("))) is not None), None
        )
        return replace(
            article,
            paragraphs=tuple(paragraphs),
            original_title=next(filter(None, found), None),
            original_source=named["src"] if named else None,
        )
