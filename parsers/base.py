"""The contract every site spec follows, and the one extract loop that runs every site's rules.

A site is a subclass of `SiteParser` that declares its facts as class attributes: who it is
(name, version, working flag, script), where it lives (domains, article and list URL patterns,
the part pattern of paginated stories, example URLs), how to crawl it (lists and their
pagination, script-paged lists, sitemaps, feeds) and how to read it (`rules`, where its date
comes from, whether it copies another outlet). `parse(page)` decodes, runs `extract` and
normalizes. Sites never override `extract`; a site that is odd overrides one named hook
(`finish`, `split_title`) with a one-line reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import ClassVar, Literal
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import bodylines, dom
from parsers.captions import body_images, markdown_images
from parsers.crawlspec import AnyList, SiteSources
from parsers.credits import byline_names, credit_fields, source_in
from parsers.dates import PageDates, publish_time, reference_time
from parsers.decoding import decode_page
from parsers.normalize import normalize_article
from parsers.records import Article, NotAnArticle, Page, ParseError, Script
from parsers.rules import CopyOf, SiteRules

DateSource = Literal["page", "url"]


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def on_domains(url: str, domains: Sequence[str]) -> bool:
    """True if the URL's host is one of `domains` or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


class SiteParser:
    """Base class and written contract for site specs.

    Identity: `name` (= module name = fixture folder), `version` (bump when output changes: it
    triggers the reparse), `working` + `broken_reason`, `script` the site publishes in.
    Routing: `article_url` and `list_url` are regexes matched against the whole URL; a URL
    matching either routes here (list pages raise `NotAnArticle`). `story_part` finds the part
    number (group `part`) of pages 2..N of a paginated story; without it a site has no parts.
    `example_urls` must route here and `not_urls` must not (the routing tests read both).
    Crawling: `domains` is the only allow-list the crawler uses (a host or any subdomain);
    `base_url`, `lists`, `sitemaps`, `robots_sitemaps`, `feeds`, `link_scope`, `charset`.
    Reading: `rules` (selectors and patterns), `dates` ("page": the meta line, then the URL;
    "url": the URL only, for copies whose own times are copy times), `copy_of`.
    `extract` raises `NotAnArticle` for list pages and `ParseError` when the template no longer
    matches: a parser that knows it broke says so instead of emitting junk.
    """

    name: ClassVar[str]
    version: ClassVar[int]
    working: ClassVar[bool] = True
    broken_reason: ClassVar[str | None] = None  # why `working` is False
    script: ClassVar[Script] = "zh-Hans"

    domains: ClassVar[tuple[str, ...]] = ()
    article_url: ClassVar[str]
    list_url: ClassVar[str | None] = None
    story_part: ClassVar[str | None] = None
    example_urls: ClassVar[tuple[str, ...]] = ()
    not_urls: ClassVar[tuple[str, ...]] = ()

    base_url: ClassVar[str | None] = None
    lists: ClassVar[tuple[AnyList, ...]] = ()  # URLs may be relative to base_url
    sitemaps: ClassVar[tuple[str, ...]] = ()
    robots_sitemaps: ClassVar[bool] = False
    feeds: ClassVar[tuple[str, ...]] = ()
    link_scope: ClassVar[Literal["site", "column"]] = "site"  # "column": only links under a list's folder
    charset: ClassVar[str | None] = None  # what the site is expected to send; informational

    rules: ClassVar[SiteRules] = SiteRules()
    dates: ClassVar[DateSource] = "page"
    copy_of: ClassVar[CopyOf | None] = None

    # -- routing and crawling: facts about URLs ---------------------------------------

    @classmethod
    def suitable(cls, url: str) -> bool:
        return cls.is_article_page(url) or cls.is_list_page(url)

    @classmethod
    def is_article_page(cls, url: str) -> bool:
        """An article URL, first part or later part."""
        return _compiled(cls.article_url).match(url) is not None

    @classmethod
    def is_list_page(cls, url: str) -> bool:
        return cls.list_url is not None and _compiled(cls.list_url).match(url) is not None

    @classmethod
    def is_article_link(cls, url: str) -> bool:
        """A link the crawler queues as an article: the site's, an article URL, and a story's first part
        (parts 2..N are fetched from the story's own pager)."""
        return cls.allows(url) and cls.is_article_page(url) and cls.article_key(url)[1] == 1

    @classmethod
    def allows(cls, url: str) -> bool:
        """True if the URL's host is one of `domains` or a subdomain of one."""
        return on_domains(url, cls.domains)

    @classmethod
    def article_key(cls, url: str) -> tuple[str, int]:
        """(article URL, part number) of a page: pages of a paginated story share the first's URL.

        The loader and crawler group parts by the first element and hand them, in part order,
        to `parse_many`.
        """
        if cls.story_part is None or not cls.is_article_page(url):
            return url, 1
        m = _compiled(cls.story_part).search(url)
        if m is None:
            return url, 1
        return url[: m.start()] + url[m.end() :], int(m["part"])

    @classmethod
    def paginated(cls) -> bool:
        """Whether stories of this site come in parts the crawler must follow."""
        return cls.story_part is not None

    @classmethod
    def sources(cls) -> SiteSources:
        """Every way into the site the crawler walks: lists, sitemaps, feeds."""
        base = cls.base_url or ""
        return SiteSources(
            lists=tuple(replace(lst, url=urljoin(base, lst.url)) for lst in cls.lists),
            sitemaps=tuple(urljoin(base, u) for u in cls.sitemaps),
            robots_sitemaps=cls.robots_sitemaps,
            feeds=tuple(urljoin(base, u) for u in cls.feeds),
        )

    # -- parsing ------------------------------------------------------------------------

    def parse(self, page: Page) -> Article:
        """Decode, extract and normalize one page. Raises NotAnArticle, ParseError or DecodeError."""
        article, truncated = self._read(page)
        article = normalize_article(article, page)
        return _flag_truncated(article) if truncated else article

    def parse_many(self, pages: Sequence[Page]) -> Article:
        """One article from a paginated story: the first page's fields, every page's paragraphs.

        The closing lines every part repeats (its editor or credit line) are kept once, at the end.
        """
        if not pages:
            raise ValueError("parse_many needs at least one page")
        read = [self._read(p) for p in pages]
        parts = [article for article, _ in read]
        last = len(parts) - 1

        def joined(texts: list[Sequence[str]]) -> tuple[str, ...]:
            n = bodylines.closing_repeats(texts)
            return tuple(
                t for i, lines in enumerate(texts) for t in lines[: len(lines) - (0 if i == last else n)]
            )

        raw = None
        if all(p.raw_paragraphs is not None for p in parts):
            raw = joined([p.raw_paragraphs or () for p in parts])
        story = replace(
            parts[0],
            paragraphs=joined([p.paragraphs for p in parts]),
            raw_paragraphs=raw,
            images=tuple(i for part in parts for i in part.images),
            page_count=len(parts),
        )
        article = normalize_article(story, pages[0])
        return _flag_truncated(article) if any(truncated for _, truncated in read) else article

    def _read(self, page: Page) -> tuple[Article, bool]:
        """The page's article before normalization, and whether its bytes stop inside a character
        (cut short); a URL of one of the site's lists is never an article."""
        if self.is_list_page(page.effective_url):
            raise NotAnArticle(f"{self.name}: list page (its URL is one of the site's lists)")
        decoded = decode_page(page)
        return self.extract(dom.parse_html(decoded.text), page), decoded.truncated

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        """The article as the page shows it, read by the site's rules (the one loop every site runs)."""
        rules, url = self.rules, page.effective_url
        if any(tree.css_first(sel) is not None for sel in rules.list_page):
            raise NotAnArticle(f"{self.name}: list page")
        head = tree.css_first("title") if rules.title_from_head else None  # dom.lines skips <title>
        head_title = " ".join(head.text().split()) if head is not None else ""
        dom.drop(tree, rules.drop)
        body = dom.first_node(tree, rules.body) or (dom.densest_block(tree) if rules.body_fallback else None)
        if body is None:
            raise ParseError(f"{self.name}: no body (selectors {list(rules.body)} matched nothing)")
        images, captions = body_images(body, rules.captions, url, rules.image_src)
        printed = self._printed_lines(dom.lines(body))
        if rules.markdown_images:
            origin = self.copy_of.origin if self.copy_of and self.copy_of.origin else url
            printed, more = markdown_images(printed, origin)  # a copy keeps its original's image paths
            images.extend(more)
        lines = dom.without(printed, captions)
        title = dom.first_text(tree, rules.title) if rules.title else None
        if not title and rules.title_in_body:
            title, rest = self._title_in_body(lines)
            printed = dom.without(printed, lines[: len(lines) - len(rest)])
            lines = rest
        if not title and rules.title_from_head:
            m = _compiled(rules.title_from_head).match(head_title)
            title = m["title"].strip() if m else None
        if not title:
            raise ParseError(f"{self.name}: no title (no title element, in-body headline or <title>)")
        title, authors = self.split_title(title)
        repeats = [t for n in body.css("h1, h2, h3, h4") if (t := dom.text_of(n)) == title]
        paragraphs = dom.without(lines, repeats)
        if not paragraphs:
            raise ParseError(f"{self.name}: body is empty")
        meta = dom.first_text(tree, rules.meta) if rules.meta else None
        fields: dict[str, tuple[str, ...]] = {}
        for sel in rules.credits:
            for node in tree.css(sel):
                for key, values in credit_fields(dom.text_of(node)).items():
                    fields[key] = (*fields.get(key, ()), *values)
        byline = dom.first_text(tree, rules.byline) if rules.byline else None
        article = self.new_article(
            page,
            title,
            paragraphs,
            self.page_dates(page, meta if self.dates == "page" else None),
            source=source_in(meta),
            authors=(*authors, *(byline_names(byline) if byline else ())),
            images=tuple(images),
            raw_paragraphs=tuple(printed),
            is_copy=self.copy_of is not None,
            original_url=self._original_url(url),
            **fields,
        )
        return self.finish(article, tree, body)

    # -- hooks: override one only where a site is odd, with a one-line reason -----------

    def split_title(self, title: str) -> tuple[str, tuple[str, ...]]:
        """(title, authors) where a template runs the byline into the headline; as is by default."""
        return title, ()

    def finish(self, article: Article, tree: LexborHTMLParser, body: LexborNode) -> Article:
        """A final fix on the extracted article, for what no rule can say; none by default."""
        return article

    # -- the loop's steps ---------------------------------------------------------------

    def _printed_lines(self, raw: list[str]) -> list[str]:
        """The body's lines as printed, from its first to its last: template junk, pager and
        cell remnants out, cut at the end markers."""
        rules = self.rules
        lines = bodylines.without_cell_bars(raw)
        if rules.junk_lines:
            junk = _compiled(rules.junk_lines)
            lines = [line for line in lines if not junk.search(line.strip())]
        if rules.pager:
            lines = bodylines.without_pager(lines, _compiled(rules.pager))
        return bodylines.until_end(lines, rules.stop_at, rules.end_after)

    def _title_in_body(self, lines: list[str]) -> tuple[str | None, list[str]]:
        if self.rules.title_in_body == "first_line":
            return (lines[0], lines[1:]) if len(lines) >= 2 else (None, lines)
        return bodylines.split_headline(lines)

    def _original_url(self, url: str) -> str | None:
        if self.copy_of is None or self.copy_of.origin is None:
            return None
        return urljoin(self.copy_of.origin, urlsplit(url).path)

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

    @staticmethod
    def page_dates(page: Page, meta: str | None = None) -> PageDates:
        """Publish and update times from the date engine: the site's meta line (None for a copy,
        whose own time is its copy time), the URL's date as the fallback, the fetch time for
        relative dates."""
        return publish_time(header=meta or "", url=page.effective_url, now=reference_time(page))


def _flag_truncated(article: Article) -> Article:
    """The page's bytes stop inside a character: what it shows may be cut short (flag `truncated`)."""
    return replace(article, flags=(*article.flags, "truncated"))
