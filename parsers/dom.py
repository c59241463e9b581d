"""DOM helpers shared by the site parsers and the generic parser (selectolax/lexbor).

Text is taken block by block: block elements and `<br>` end a line, inline elements join
their text, so `<p>`- and `<br>`-separated paragraphs both come out one per line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p",
        "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        "caption", "html",
    }
)  # fmt: skip
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "template", "head", "select", "option", "button",
        "input", "textarea", "svg", "object", "embed", "canvas", "map", "title", "meta", "link",
    }
)  # fmt: skip
_END = object()


def parse_html(text: str) -> LexborHTMLParser:
    return LexborHTMLParser(text)


def meta_contents(tree: LexborHTMLParser) -> dict[str, str]:
    """Every `<meta name|property|itemprop=… content=…>`, keys lowercased, first value wins."""
    out: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        value = (attrs.get("content") or "").strip()
        if key and value:
            out.setdefault(key.strip().lower(), value)
    return out


def lines(node: LexborNode | None) -> list[str]:
    """The text of `node` as lines, split at block elements and `<br>`; empty lines dropped."""
    if node is None:
        return []
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            line = "".join(buf).strip()
            if line:
                out.append(line)
            buf.clear()

    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if item is _END:
            flush()
            continue
        cur: LexborNode = item  # type: ignore[assignment]
        if cur.is_text_node:
            buf.append(cur.text_content or "")
            continue
        tag = cur.tag
        if tag is None or tag.startswith("-") or tag in SKIP_TAGS or cur.is_comment_node:
            continue
        if tag == "br":
            flush()
            continue
        block = tag in BLOCK_TAGS
        if block:
            flush()
            stack.append(_END)
        children: list[LexborNode] = []
        child = cur.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend(reversed(children))
    flush()
    return out


def text_of(node: LexborNode | None) -> str:
    """All text of a node on one line, whitespace collapsed."""
    if node is None:
        return ""
    return " ".join(" ".join(lines(node)).split())


def first_text(tree: LexborHTMLParser | LexborNode, selectors: Sequence[str]) -> str | None:
    """Text of the first node matched by the first selector that matches a non-empty node."""
    for sel in selectors:
        for node in tree.css(sel):
            text = text_of(node)
            if text:
                return text
    return None


def first_node(tree: LexborHTMLParser | LexborNode, selectors: Sequence[str]) -> LexborNode | None:
    for sel in selectors:
        node = tree.css_first(sel)
        if node is not None:
            return node
    return None


def drop(root: LexborHTMLParser | LexborNode, selectors: Iterable[str]) -> None:
    """Remove every node matching any selector (in place)."""
    for sel in selectors:
        for node in root.css(sel):
            node.decompose()


def meta_content(tree: LexborHTMLParser, *names: str) -> str | None:
    """Content of the first `<meta name=…>` or `<meta property=…>` among `names`."""
    for name in names:
        for attr in ("property", "name", "itemprop"):
            node = tree.css_first(f'meta[{attr}="{name}"]')
            if node is not None:
                value = (node.attributes.get("content") or "").strip()
                if value:
                    return value
    return None


def link_href(tree: LexborHTMLParser, rel: str) -> str | None:
    node = tree.css_first(f'link[rel="{rel}"]')
    if node is None:
        return None
    return (node.attributes.get("href") or "").strip() or None


def next_element(node: LexborNode) -> LexborNode | None:
    """The next sibling element, skipping whitespace and comments; None if text comes first."""
    return _sibling_element(node, forward=True)


def previous_element(node: LexborNode) -> LexborNode | None:
    """The previous sibling element, skipping whitespace and comments; None if text comes first."""
    return _sibling_element(node, forward=False)


def _sibling_element(node: LexborNode, forward: bool) -> LexborNode | None:
    sib = node.next if forward else node.prev
    while sib is not None:
        if sib.is_text_node:
            if (sib.text_content or "").strip():
                return None
        elif not sib.is_comment_node:
            return sib
        sib = sib.next if forward else sib.prev
    return None


def caption_after(img: LexborNode, accept: Callable[[LexborNode], bool]) -> LexborNode | None:
    """The caption block right after an image's own block (`<p><img></p><p>caption</p>`), if `accept`s it.

    An image that sits inside a text paragraph has no caption block of its own.
    """
    holder = img
    while holder.parent is not None and holder.tag not in BLOCK_TAGS:
        holder = holder.parent
    if holder is img or text_of(holder):
        return None
    caption = next_element(holder)
    if caption is None or caption.tag not in ("p", "div", "figcaption") or caption.css_first("img"):
        return None
    return caption if text_of(caption) and accept(caption) else None


def captioned_images(body: LexborNode, accept: Callable[[LexborNode], bool]) -> list[tuple[str, str]]:
    """(src, caption text) of every `<img src>` in `body`, the caption from `caption_after`."""
    out = []
    for img in body.css("img"):
        src = (img.attributes.get("src") or "").strip()
        if src:
            caption = caption_after(img, accept)
            out.append((src, text_of(caption) if caption is not None else ""))
    return out


def without(items: Sequence[str], remove: Iterable[str]) -> list[str]:
    """`items` minus one occurrence of each string in `remove` (lines found in the DOM as non-body)."""
    left = Counter(remove)
    out = []
    for item in items:
        if left[item] > 0:
            left[item] -= 1
        else:
            out.append(item)
    return out


def all_bold(node: LexborNode) -> bool:
    """All of a block's text sits in <strong>/<b>: a centred heading, not an image caption."""
    bold = "".join(text_of(b) for b in node.css("strong, b")).replace(" ", "")
    return bool(bold) and bold == text_of(node).replace(" ", "")


def is_centred(node: LexborNode) -> bool:
    """`style="text-align: center"` or `align="center"`: how CMS editors mark captions and cards."""
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    return "text-align:center" in style or (node.attributes.get("align") or "").lower() == "center"


def densest_block(tree: LexborHTMLParser) -> LexborNode | None:
    """The block with the most text that is not link text (at least 80 characters), for templates
    whose article container has no stable name."""
    best, best_score = None, 0
    for node in tree.css("div, td, article, section"):
        text = node.text(strip=True)
        link = sum(len(a.text(strip=True)) for a in node.css("a"))
        score = len(text) - 2 * link
        if len(text) >= 80 and score > best_score:
            best, best_score = node, score
    return best
