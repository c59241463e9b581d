"""The fallback for Chinese news sites nobody wrote rules for.

Title from `<h1>`, og:title or `<title>` (site-name suffix removed); body as the block
with the most non-link text; publish date from Chinese date patterns near the title.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers.base import SiteParser, SiteRules
from parsers.dates import date_from_url, find_date
from parsers.records import Article, Page, ParseError

_SITE_SUFFIX = re.compile(r"\s*[_|\-—–]\s*[^_|\-—–]{2,20}$")
_NOISE = (
    "nav", "header", "footer", "aside", "form", "script", "style",
    "[class*=nav]", "[class*=footer]", "[class*=share]", "[class*=related]", "[class*=comment]",
    "[id*=nav]", "[id*=footer]", "[id*=comment]",
)  # fmt: skip


def _link_text_len(node: LexborNode) -> int:
    return sum(len(a.text(strip=True)) for a in node.css("a"))


class GenericParser(SiteParser):
    name = "generic"
    version = 1
    url_pattern = r".*"
    rules = SiteRules(drop=_NOISE)

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        title = self._title(tree)
        dom.drop(tree, self.rules.drop)
        body = self._densest_block(tree)
        if body is None:
            raise ParseError("generic: no text block found")
        paragraphs = dom.lines(body)
        if not title or not paragraphs:
            raise ParseError("generic: no title or body")
        head_text = " ".join(dom.lines(tree.body))[:3000] if tree.body else ""
        date = find_date(head_text) or date_from_url(page.effective_url)
        return Article(
            url=page.effective_url,
            site=self.name,
            parser_version=self.version,
            page_sha256=page.sha256,
            title=title,
            paragraphs=tuple(paragraphs),
            published_at=date.value if date else None,
            published_precision=date.precision if date else "none",
            published_origin=date.origin if date else "none",
            script="unknown",
        )

    def _title(self, tree: LexborHTMLParser) -> str | None:
        h1 = dom.first_text(tree, ("h1",))
        if h1:
            return h1
        og = dom.meta_content(tree, "og:title")
        if og:
            return og
        title = dom.first_text(tree, ("title",))
        return _SITE_SUFFIX.sub("", title) if title else None

    def _densest_block(self, tree: LexborHTMLParser) -> LexborNode | None:
        best, best_score = None, 0.0
        for node in tree.css("div, td, article, section"):
            text = node.text(strip=True)
            if len(text) < 50:
                continue
            score = len(text) - 2 * _link_text_len(node)
            # prefer the deepest block that still holds most of the text
            if score > best_score * 1.0 + 0:
                best, best_score = node, score
        return best
