"""每日頭條 www.tftnews.com: a content farm that copies regional news into naive traditional script.

The farm's page shows no publish date (its 更新时间 is the farm's own time, kept as
`updated_at`), prefixes the copy with an SEO intro (removed by normalization), puts an image
box whose placeholder text is "<farm title>(<source title>)<n>" before the copy, repeats its
title as a heading, and ends with the origin's credit line ("雲南網通訊員 代洪").
Article URLs are invented (not verified): /<channel>/<numeric id>.html; channel lists are
/<channel>/ and /<channel>/list_<n>.html.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers.base import SiteParser, SiteRules
from parsers.dates import SHANGHAI, ParsedDate
from parsers.records import Article, Image, Page

# "深化…工作（深入推進…創建）1": the farm's title, the copied page's title, the image index
_PLACEHOLDER = re.compile(r"^(?P<farm>.+?)[（(](?P<orig>.+)[)）]\s*\d+$")
_UPDATED = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?")
# the copied outlet's credit line: "雲南網通訊員 代洪", "昭通日報記者 陳寶霞 …", "來源：雲南網"
_CREDIT = re.compile(
    r"^[（(]?(?:(?:來源|来源)[:：]\s*(?P<named>[^\s)）]+)|"
    r"(?P<outlet>[\u4e00-\u9fff]{1,10}?(?:網|网|日報|日报|晚報|晚报|電視臺|电视台|融媒體中心|融媒体中心))"
    r"\s*(?:記者|记者|通訊員|通讯员))"
)
_CAPTION_END = re.compile(r"(?:供圖|供图|攝|摄|攝影|摄影)[)）]?$")


def _is_caption(node: LexborNode) -> bool:
    # The copied origin (云南网 and others) centres the caption under a centred image.
    style = (node.attributes.get("style") or "").replace(" ", "")
    return "text-align:center" in style or bool(_CAPTION_END.search(dom.text_of(node)))


class TftnewsParser(SiteParser):
    name = "tftnews"
    version = 1
    domains = ("www.tftnews.com", "tftnews.com", "m.tftnews.com")
    url_pattern = r"^https?://(?:www\.|m\.)?tftnews\.com/[a-z]+/(?:\d+\.html|list_\d+\.html)?$"
    example_urls = (
        "https://www.tftnews.com/minsu/4187352.html",
        "https://www.tftnews.com/minsu/",
        "https://www.tftnews.com/minsu/list_2.html",
    )
    script = "zh-Hant"  # char-level conversion: traditional with simplified leftovers (目标, 确保)
    rules = SiteRules(
        title=("article h1.article-title", "article h1", "h1"),
        body=(".article-content",),
        meta=(".article-meta .update-time", ".article-meta"),
        drop=(".article-content .ad-banner", ".article-content ins", ".article-content script"),
        list_page=("ul.article-list", ".channel-list"),
    )

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        art = super().extract(tree, page)
        body = dom.first_node(tree, self.rules.body)
        assert body is not None  # super() raised ParseError otherwise
        placeholders = [dom.text_of(n) for n in body.css(".img-box .img-title")]
        alts = [(n.attributes.get("alt") or "").strip() for n in body.css("img[alt]")]
        original_title = next(
            (
                m["orig"]
                for t in [*placeholders, *alts]
                if (m := _PLACEHOLDER.match(t)) and m["farm"] == art.title
            ),
            None,
        )
        # the farm repeats its title as a heading over the copied text
        repeats = [t for n in body.css("h1, h2, h3, h4") if (t := dom.text_of(n)) == art.title]
        captions = [i.caption for i in art.images if i.caption]
        paragraphs = dom.without(art.paragraphs, [*placeholders, *repeats, *captions])
        credit = next((m for p in reversed(paragraphs[-3:]) if (m := _CREDIT.match(p))), None)
        meta = dom.first_text(tree, self.rules.meta)
        return replace(
            art,
            paragraphs=tuple(paragraphs),
            raw_paragraphs=art.paragraphs,
            updated_at=self._updated(meta),
            original_title=original_title,
            original_source=(credit["named"] or credit["outlet"]) if credit else None,
            is_copy=True,
        )

    def extract_date(self, tree: LexborHTMLParser, page: Page, meta: str | None) -> ParsedDate | None:
        return None  # the farm shows only its own 更新时间, never the origin's publish date

    @staticmethod
    def _updated(meta: str | None) -> datetime | None:
        m = _UPDATED.search(meta or "")
        if not m:
            return None
        y, mo, d, hh, mm, ss = (int(x) if x else 0 for x in m.groups())
        try:
            return datetime(y, mo, d, hh, mm, ss, tzinfo=SHANGHAI)
        except ValueError:
            return None

    def extract_images(self, body: object, page: Page) -> list[Image]:
        images = []
        for img in body.css("img"):  # type: ignore[attr-defined]
            attrs = img.attributes
            # lazy-loaded: the real picture is in data-original, src is a loading gif
            src = (attrs.get("data-original") or attrs.get("data-src") or attrs.get("src") or "").strip()
            if not src:
                continue
            in_box = img.parent is not None and "img-box" in (img.parent.attributes.get("class") or "")
            caption = None if in_box else dom.caption_after(img, _is_caption)
            images.append(Image(src=src, caption=dom.text_of(caption) if caption is not None else ""))
        return images
