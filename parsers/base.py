"""The contract every site parser follows, and the rule-driven extraction most sites need.

A site parser is a class with its facts as data (name, version, domains, URL pattern,
example URLs, script, CSS rules) and, only where a site is odd, an overridden hook.
`parse(page)` is the single entry point: decode, build the DOM, extract the article as
the page shows it, then normalize through one call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers.dates import PageDates, publish_time, reference_time
from parsers.decoding import decode_page
from parsers.normalize import normalize_article
from parsers.records import Article, Image, NotAnArticle, Page, ParseError, Script


@dataclass(frozen=True, slots=True)
class SiteRules:
    """A site's template as data: CSS selectors tried in order, the first match wins."""

    title: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    meta: tuple[str, ...] = ()  # the line with date and source, e.g. "(2019/5/26 11:08:34) 来源:…"
    drop: tuple[str, ...] = ()  # chrome inside or around the body: ads, share bars, related blocks
    stop_at: tuple[str, ...] = ()  # the body ends at the first line starting with one of these
    list_page: tuple[str, ...] = ()  # matching any of these means a list/index page, not an article


class SiteParser:
    """Base class and written contract for site parsers.

    Subclasses set the class attributes below. `extract` turns a DOM into an `Article`
    with fields as the page shows them; `parse` adds decoding and normalization. Raise
    `NotAnArticle` for list pages and `ParseError` when the template no longer matches:
    a parser that knows it broke says so instead of emitting junk.
    """

    name: ClassVar[str]
    version: ClassVar[int]
    domains: ClassVar[tuple[str, ...]] = ()
    url_pattern: ClassVar[str]
    example_urls: ClassVar[tuple[str, ...]] = ()
    script: ClassVar[Script] = "zh-Hans"
    rules: ClassVar[SiteRules] = SiteRules()
    working: ClassVar[bool] = True
    broken_reason: ClassVar[str | None] = None  # why `working` is False

    _compiled: ClassVar[re.Pattern[str] | None] = None

    @classmethod
    def url_regex(cls) -> re.Pattern[str]:
        # Compiled once per class (not inherited: a subclass has its own pattern).
        if cls.__dict__.get("_compiled") is None:
            cls._compiled = re.compile(cls.url_pattern)
        return cls.__dict__["_compiled"]

    @classmethod
    def suitable(cls, url: str) -> bool:
        return cls.url_regex().match(url) is not None

    def article_key(self, url: str) -> tuple[str, int]:
        """(article URL, part number) of a page; paginated sites override it so parts join.

        Part 1 is the article's own URL; the loader and crawler group parts by the first
        element and hand them, in part order, to `parse_many`.
        """
        return url, 1

    def parse(self, page: Page) -> Article:
        """Decode, extract and normalize one page. Raises NotAnArticle, ParseError or DecodeError."""
        tree = dom.parse_html(decode_page(page).text)
        return normalize_article(self.extract(tree, page), page)

    def parse_many(self, pages: Sequence[Page]) -> Article:
        """One article from a paginated story: the first page's fields, every page's paragraphs."""
        if not pages:
            raise ValueError("parse_many needs at least one page")
        trees = [dom.parse_html(decode_page(p).text) for p in pages]
        parts = [self.extract(tree, page) for tree, page in zip(trees, pages, strict=True)]
        last = len(parts) - 1
        joined = replace(
            parts[0],
            paragraphs=tuple(
                p for i, part in enumerate(parts) for p in self.part_paragraphs(part, i == last)
            ),
            images=tuple(i for part in parts for i in part.images),
            page_count=len(parts),
        )
        return normalize_article(joined, pages[0])

    def part_paragraphs(self, part: Article, is_last: bool) -> Sequence[str]:
        """The paragraphs one page of a paginated story adds to the joined article."""
        return part.paragraphs

    # -- the rule-driven default; override a hook only where a site is odd --------------

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        rules = self.rules
        if rules.list_page and any(tree.css_first(sel) is not None for sel in rules.list_page):
            raise NotAnArticle(f"{self.name}: list page")
        dom.drop(tree, rules.drop)
        title = self.extract_title(tree)
        if not title:
            raise ParseError(f"{self.name}: no title (selectors {list(rules.title)} matched nothing)")
        body = dom.first_node(tree, rules.body)
        if body is None:
            raise ParseError(f"{self.name}: no body (selectors {list(rules.body)} matched nothing)")
        paragraphs = self.extract_paragraphs(body)
        if not paragraphs:
            raise ParseError(f"{self.name}: body is empty")
        meta = dom.first_text(tree, rules.meta) if rules.meta else None
        return self.new_article(
            page,
            title,
            paragraphs,
            self.page_dates(page, meta),
            source=self.extract_source(meta),
            images=tuple(self.extract_images(body, page)),
        )

    def new_article(
        self, page: Page, title: str, paragraphs: Sequence[str], dates: PageDates, **fields: object
    ) -> Article:
        """This parser's Article for `page`, with the publish time's value, precision and origin
        and the update time spelled out."""
        date = dates.published
        fields.setdefault("updated_at", dates.updated.value if dates.updated else None)
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
            script=self.script,
            **fields,  # type: ignore[arg-type]
        )

    def extract_title(self, tree: LexborHTMLParser) -> str | None:
        return dom.first_text(tree, self.rules.title)

    def extract_paragraphs(self, body: object) -> list[str]:
        out: list[str] = []
        for line in dom.lines(body):  # type: ignore[arg-type]
            if any(line.startswith(marker) for marker in self.rules.stop_at):
                break
            out.append(line)
        return out

    @staticmethod
    def page_dates(page: Page, meta: str | None = None) -> PageDates:
        """Publish and update times from the date engine: the site's meta line (None for a mirror,
        whose own time is its copy time), the URL's date as the fallback, the fetch time for
        relative dates."""
        return publish_time(header=meta or "", url=page.effective_url, now=reference_time(page))

    def extract_source(self, meta: str | None) -> str | None:
        if not meta:
            return None
        m = re.search(r"(?:新闻)?来源[:：]\s*(\S+)", meta)
        return m.group(1) if m else None

    def extract_images(self, body: object, page: Page) -> list[Image]:
        images = []
        for img in body.css("img"):  # type: ignore[attr-defined]
            src = (img.attributes.get("src") or "").strip()
            if src:
                images.append(Image(src=src, caption=(img.attributes.get("alt") or "").strip()))
        return images


_CREDIT_WORDS = re.compile(r"编辑|編輯|来源|來源|供稿|转载|轉載")  # a credit line is not a caption


def take_captions(body: LexborNode, base_url: str) -> list[Image]:
    """Images with captions, for templates that put a short centred paragraph right under an image.

    The caption paragraph is removed from the tree so it does not end up as body text.
    """
    images: list[Image] = []
    for img in body.css("img"):
        src = (img.attributes.get("src") or "").strip()
        if not src:
            continue
        holder = img.parent
        while holder is not None and holder.tag not in ("p", "div", "td", "center"):
            holder = holder.parent
        caption = ""
        nxt = holder.next if holder is not None and holder is not body else None
        while nxt is not None and nxt.tag in ("-text", "br") and not (nxt.text() or "").strip():
            nxt = nxt.next
        if nxt is not None and nxt.tag == "p" and _centred(nxt) and not nxt.css("img"):
            text = dom.text_of(nxt)
            if 0 < len(text) <= 80 and not _CREDIT_WORDS.search(text):
                caption = text
                nxt.decompose()
        alt = (img.attributes.get("alt") or "").strip()
        images.append(Image(src=urljoin(base_url, src), caption=caption or alt))
    return images


def _centred(node: LexborNode) -> bool:
    align = (node.attributes.get("align") or "").lower()
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    return align == "center" or "text-align:center" in style
