"""每日頭條 www.tftnews.com: a content farm that copies regional news into naive traditional script.

The farm's page shows no publish date (its 更新时间 is the farm's own time, kept as
`updated_at` by the date engine), prefixes the copy with an SEO intro (removed by
normalization), puts an image box whose placeholder text is "<farm title>(<source title>)<n>"
before the copy, repeats its title as a heading, and ends with the origin's credit line
("雲南網通訊員 代洪") or a 來源 line.
Article URLs are invented (not verified): /<channel>/<numeric id>.html; channel lists are
/<channel>/ and /<channel>/list_<n>.html.
"""

from __future__ import annotations

import re
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers.base import SiteParser, SiteRules
from parsers.records import Article, Image, Page

# "深化…工作（深入推進…創建）1": the farm's title, then the copied page's title and the image index
_PLACEHOLDER_TAIL = re.compile(r"^\s*[（(](?P<orig>.+)[)）]\s*\d+$")
# On a copy a 來源 line names the copied outlet (credited reporters' outlets are found by
# normalization, e.g. "雲南網通訊員 代洪" -> 云南网).
_NAMED_ORIGIN = re.compile(r"^[（(]?(?:來源|来源)[:：]\s*(?P<outlet>[^\s)）]+)")
_CAPTION_END = re.compile(r"(?:供圖|供图|攝|摄|攝影|摄影)[)）]?$")


def _copied_title(placeholder: str, title: str) -> str | None:
    if not placeholder.startswith(title):
        return None
    m = _PLACEHOLDER_TAIL.match(placeholder[len(title) :])
    return m["orig"] if m else None


def _is_caption(node: LexborNode) -> bool:
    # The copied origin (云南网 and others) centres the caption under a centred image;
    # a centred all-bold line there is a section heading.
    text = dom.text_of(node)
    return bool(_CAPTION_END.search(text)) or (dom.is_centred(node) and not dom.all_bold(node))


class TftnewsParser(SiteParser):
    name = "tftnews"
    version = 1
    domains = ("www.tftnews.com", "tftnews.com", "m.tftnews.com")
    url_pattern = r"^https?://(?:www\.|m\.)?tftnews\.com/[a-z]+/(?:[0-9A-Za-z_-]+\.html)?$"
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
            filter(None, (_copied_title(t, art.title) for t in [*placeholders, *alts])), None
        )
        # the farm repeats its title as a heading over the copied text
        repeats = [t for n in body.css("h1, h2, h3, h4") if (t := dom.text_of(n)) == art.title]
        captions = [i.caption for i in art.images if i.caption]
        paragraphs = dom.without(art.paragraphs, [*placeholders, *repeats, *captions])
        named = next((m for p in reversed(paragraphs[-3:]) if (m := _NAMED_ORIGIN.match(p))), None)
        return replace(
            art,
            paragraphs=tuple(paragraphs),
            raw_paragraphs=art.paragraphs,
            original_title=original_title,
            original_source=named["outlet"] if named else None,
            is_copy=True,
        )

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
