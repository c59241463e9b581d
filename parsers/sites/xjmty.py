"""新疆媒体云 www.xjmty.com: the county 融媒 portals (e.g. 阿瓦提县融媒 at tmcn.xjmty.com/awtxmcn).

Article page: title, a dot-separated date (2024.11.17) with an optional 来源, a summary
block, then the CMS body, then the portal's 投稿网址 and 声明 lines. The body often opens
with a share card pasted from the app: a short second title and the date again.
"""

from __future__ import annotations

import re
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers.base import SiteParser, SiteRules
from parsers.records import Article, Image, Page

_DOT_DATE = re.compile(r"^\d{4}\.\d{1,2}\.\d{1,2}$")
_CAPTION_END = re.compile(r"(?:摄|攝|供图|供圖)[)）]?$")
_EDITOR = re.compile(r"(?:责任编辑|责编|编辑)[:：]\s*(.+)$")
_CARD_TITLE_MAX = 40  # a share-card title is a short phrase, never a paragraph


def _is_caption(node: LexborNode) -> bool:
    # a centred line after an image is its caption, unless it is all bold (a section heading)
    text = dom.text_of(node)
    return bool(_CAPTION_END.search(text)) or (dom.is_centred(node) and not dom.all_bold(node))


def _names(text: str) -> tuple[str, ...]:
    return tuple(n for n in re.split(r"[\s、，,]+", text) if n)


class XjmtyParser(SiteParser):
    name = "xjmty"
    version = 1
    domains = ("www.xjmty.com", "tmcn.xjmty.com")
    url_pattern = (
        r"^https?://(?:(?:www|tmcn)\.xjmty\.com/[a-z0-9]+/\d{4}/\d{2}-\d{2}/nav-\d+-[A-Za-z0-9]{8}\.html"
        r"|tmcn\.xjmty\.com/[a-z0-9]+mcn/?(?:\?.*)?)$"
    )
    example_urls = (
        "https://www.xjmty.com/awtx/2024/11-17/nav-12-Qk3mZ8aT.html",
        "https://tmcn.xjmty.com/awtxmcn",
        "https://tmcn.xjmty.com/awtxmcn?page=2",
    )
    script = "zh-Hans"
    rules = SiteRules(
        title=(".detail-title h1", ".detail-box h1"),
        body=(".detail-text",),
        meta=(".detail-info",),
        drop=(".detail-statement", ".detail-share", ".detail-text .ad-box", ".detail-text script"),
        stop_at=("投稿网址", "声明：未经允许", "声明:未经允许"),  # when pasted into the body instead
        list_page=(".news-list-box", "ul.news-list"),
    )

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        art = super().extract(tree, page)
        content = tree.css_first(".detail-text .detail-content")
        content_lines = dom.lines(content)
        card = self._share_card(content_lines)
        summary = dom.lines(tree.css_first(".detail-text .detail-summary"))
        rest = content_lines[len(card) :]
        # the CMS fills an empty summary with the first paragraph: keep it once
        repeated = summary[:1] if summary and rest and summary[0] == rest[0] else []
        captions = [i.caption for i in art.images if i.caption]
        editor = dom.first_text(tree, (".detail-editor",))
        m = _EDITOR.search(editor or "")
        return replace(
            art,
            paragraphs=tuple(dom.without(art.paragraphs, [*repeated, *card, *captions])),
            raw_paragraphs=art.paragraphs,
            editors=_names(m.group(1)) if m else art.editors,
        )

    @staticmethod
    def _share_card(content_lines: list[str]) -> list[str]:
        """The pasted share card at the top of the body: a short title and the date, or the date alone."""
        if (
            len(content_lines) >= 2
            and _DOT_DATE.match(content_lines[1])
            and len(content_lines[0]) <= _CARD_TITLE_MAX
            and not content_lines[0].endswith("。")
        ):
            return content_lines[:2]
        if content_lines and _DOT_DATE.match(content_lines[0]):
            return content_lines[:1]
        return []

    def extract_images(self, body: object, page: Page) -> list[Image]:
        return [Image(src, caption) for src, caption in dom.captioned_images(body, _is_caption)]  # type: ignore[arg-type]
