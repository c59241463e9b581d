"""云南网 yunnan.cn: the provincial portal whose articles content farms (tftnews) copy.

Article page: breadcrumb "您当前的位置：云南网 >> 云南频道 >> <栏目> >> 正文", title,
"发布时间：2025年03月28日 16:05:00  来源： <outlet>", body of <p> paragraphs with a
centred caption under each centred image, then "责任编辑：" in its own block.
"""

from __future__ import annotations

import re
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers.base import SiteParser, SiteRules
from parsers.records import Article, Image, Page

_CAPTION_END = re.compile(r"(?:供图|摄|摄影|[（(]资料图片?[)）])[)）]?$")
_EDITOR = re.compile(r"责任编辑[:：]\s*(.+)$")


def _is_caption(node: LexborNode) -> bool:
    # a centred line after an image is its caption, unless it is all bold (a section heading)
    text = dom.text_of(node)
    return bool(_CAPTION_END.search(text)) or (dom.is_centred(node) and not dom.all_bold(node))


class YunnanParser(SiteParser):
    name = "yunnan"
    version = 1
    domains = ("yunnan.cn",)  # every channel is a subdomain: yn., news., society., zt. …
    url_pattern = (
        r"^https?://[a-z0-9]+\.yunnan\.cn/"
        r"(?:system/\d{4}/\d{2}/\d{2}/\d{9}\.shtml|[a-z0-9]+/(?:index(?:_\d+)?\.shtml)?)$"
    )
    example_urls = (
        "http://yn.yunnan.cn/system/2025/03/28/033478215.shtml",
        "http://yn.yunnan.cn/zs/index.shtml",
        "http://yn.yunnan.cn/zs/index_2.shtml",
    )
    script = "zh-Hans"
    rules = SiteRules(
        title=(".xtitle h1", ".xtitle"),
        body=("#layer216", ".xcont"),
        meta=(".xt2",),
        drop=(".xt2-font", ".xcont script", ".xcont style"),
        stop_at=("责任编辑：", "责任编辑:"),  # when the editor line sits inside the body
        list_page=(".xlist",),
    )

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        art = super().extract(tree, page)
        captions = [i.caption for i in art.images if i.caption]
        m = _EDITOR.search(dom.first_text(tree, (".xbianji",)) or "")
        return replace(
            art,
            paragraphs=tuple(dom.without(art.paragraphs, captions)),
            raw_paragraphs=art.paragraphs,
            editors=tuple(n for n in re.split(r"[\s、，,]+", m.group(1)) if n) if m else art.editors,
        )

    def extract_images(self, body: object, page: Page) -> list[Image]:
        return [Image(src, caption) for src, caption in dom.captioned_images(body, _is_caption)]  # type: ignore[arg-type]
