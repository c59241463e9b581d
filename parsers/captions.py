"""Images of an article body with their captions, read the one way every site spec shares.

A caption is the short block right after an image's own block (`<p><img></p><p>caption</p>`),
accepted by the template's `Captions` rule. An image inside a text paragraph has no caption
block of its own. Scraped copies that left images as markdown lines (`![](src)`, caption on the
next line) are read from the lines instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from parsers import dom
from parsers.bodylines import line_key
from parsers.records import Image
from parsers.rules import Captions

_CREDIT_WORDS = re.compile(r"编辑|編輯|来源|來源|供稿|转载|轉載")  # a credit line is not a caption
_MARKDOWN_IMAGE = re.compile(r"^!\[[^\]]*\]\(\s*([^)\s]+)\s*\)$")
# A caption line under a markdown image: one parenthesised phrase about the photo.
_MARKDOWN_CAPTION = re.compile(r"^[（(][^（）()]{2,40}(?:攝|摄|航拍|圖|图)[^（）()]{0,20}[）)]$")


@lru_cache(maxsize=64)
def _end(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def is_caption(node: LexborNode, rule: Captions) -> bool:
    """Whether a block reads as a photo caption under `rule`."""
    text = dom.text_of(node)
    if (
        not text
        or len(text) > rule.max_len
        or node.css_first("img") is not None
        or _CREDIT_WORDS.search(text)
    ):
        return False
    if rule.end and _end(rule.end).search(text):
        return True
    return rule.centred and dom.is_centred(node) and not dom.all_bold(node)


def caption_after(img: LexborNode, rule: Captions) -> LexborNode | None:
    """The caption block right after an image's own block, if the rule accepts it."""
    holder = img
    while holder.parent is not None and holder.tag not in dom.BLOCK_TAGS:
        holder = holder.parent
    if holder is img or dom.text_of(holder):
        return None
    nxt = dom.next_element(holder)
    while nxt is not None and nxt.tag == "br":
        nxt = dom.next_element(nxt)
    if nxt is None or nxt.tag not in ("p", "div", "figcaption", "center"):
        return None
    return nxt if is_caption(nxt, rule) else None


def body_images(
    body: LexborNode, rule: Captions, base_url: str, src_attrs: Sequence[str] = ("src",)
) -> tuple[list[Image], list[str]]:
    """(images with captions, the caption texts, to be taken out of the body lines)."""
    images: list[Image] = []
    captions: list[str] = []
    for img in body.css("img"):
        attrs = img.attributes
        src = next((v.strip() for a in src_attrs if (v := attrs.get(a)) and v.strip()), "")
        if not src:
            continue
        node = caption_after(img, rule)
        caption = dom.text_of(node) if node is not None else ""
        if caption:
            captions.append(caption)
        elif rule.alt:
            caption = (attrs.get("alt") or "").strip()
        images.append(Image(src=urljoin(base_url, src), caption=caption))
    return images, captions


def markdown_images(lines: Sequence[str], base_url: str) -> tuple[list[str], list[Image]]:
    """Lines without the `![](src)` image lines and their caption lines, and those images."""
    out: list[str] = []
    images: list[Image] = []
    i = 0
    while i < len(lines):
        m = _MARKDOWN_IMAGE.match(lines[i].strip())
        if m is None:
            out.append(lines[i])
        else:
            caption = ""
            if i + 1 < len(lines) and _MARKDOWN_CAPTION.match(line_key(lines[i + 1])):
                caption = lines[i + 1].strip()[1:-1]  # the photo line without its parentheses
                i += 1
            images.append(Image(src=urljoin(base_url, m.group(1)), caption=caption))
        i += 1
    return out, images
