"""天水在线 www.tianshui.com.cn: an old ASP-era table template, GBK bytes declared as gb2312.

Article URLs are /news/<column>/<ID>.htm(l), where the ID is the creation timestamp
YYYYMMDDHHMMSS plus 3-5 random digits (SITES.md §1). Pages 2..N of a paginated story live at
<ID>_<n>.htm (our assumption, unverified on the live site). Column pages (/news/<column>/ and
/news/<column>/index_<n>.htm, also unverified) are list pages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from parsers import dom
from parsers.base import SiteParser, SiteRules, take_captions
from parsers.records import Article, NotAnArticle, Page, ParseError

# /news/<column>/<ID>(_<part>).htm(l); the ID is a timestamp plus 3-5 random digits.
ARTICLE_PATH = re.compile(
    r"/news/(?P<column>[a-z]+)/(?P<id>(?P<ts>(?:19|20)\d{12})\d{3,5})(?:_(?P<part>\d+))?\.html?$"
)
PAGINATION_LINE = re.compile(r"^本新闻共\s*\d+\s*页")
# Tone-marked pinyin a mirror inserts after a character, e.g. 團(tuán): ignored when measuring a line.
_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
_SENTENCE_END = tuple("。！？；：，.!?;:,")
_CREDIT_LINE = re.compile(r"^[（(]\s*(?:天水在线编辑|天水在線編輯|新闻来源|新聞來源|来源|來源)")
_TRAILING_BAR = re.compile(r"\s*\|\s*$")  # a table-cell remnant at the end of a line
# The home page, /news/, /news/<column>/ and their index_<n>.htm pages (unverified scheme).
_LIST_PATH = re.compile(r"^/(?:news/(?:[a-z]+/)?(?:index(?:_\d+)?\.html?)?)?$")
_PAGE_NUMBERS = re.compile(r"^\d{2}(?:\s*\d{2})*$")
_HEAD_TITLE = re.compile(r"^(?P<title>.+?)_天水在线$")  # <title> of an article: "<title>_天水在线"
_SOURCE = re.compile(r"(?:新闻)?来源[:：]\s*([^\s:：]+)")


def line_key(line: str) -> str:
    """A line as it reads without pinyin annotations and spaces, for measuring and matching."""
    return "".join(_PINYIN.sub("", line).split())


def split_headline(lines: list[str]) -> tuple[str | None, list[str]]:
    """Take a 1-2 line in-body headline off the top of the body, if the body starts with one.

    Headline lines are short and carry no sentence punctuation at the end; a headline is
    only taken when body text follows it. Returns (headline joined with no space, rest).
    """
    n = 0
    for line in lines[:2]:
        key = line_key(line)
        if not key or len(key) > 36 or key.endswith(_SENTENCE_END) or key.startswith(("（", "(")):
            break
        n += 1
    if n == 0 or len(lines) <= n:
        return None, lines
    return "".join(line.strip() for line in lines[:n]), lines[n:]


def clean_lines(raw: list[str]) -> list[str]:
    """Strip trailing ` |` cell remnants and drop lines that are nothing but a bar."""
    out = []
    for line in raw:
        line = _TRAILING_BAR.sub("", line)
        if line.strip():
            out.append(line)
    return out


class TianshuiParser(SiteParser):
    name = "tianshui"
    version = 2  # 2: column pages known by their path too
    domains = ("www.tianshui.com.cn", "tianshui.com.cn")
    url_pattern = r"^https?://(?:www\.)?tianshui\.com\.cn(?:[:/]|$)"
    example_urls = (
        "http://www.tianshui.com.cn/news/zjc/201905261112464568.htm",
        "http://www.tianshui.com.cn/news/zjc/2015032409283444201.html",
        "http://www.tianshui.com.cn/news/qa/2023012009421178325_2.htm",
        "http://www.tianshui.com.cn/news/zjc/",
    )
    script = "zh-Hans"
    rules = SiteRules(
        title=(".newstitle h1", ".newstitle"),
        body=("#zoom", "td.content"),
        meta=(".newstime",),
        drop=("script", "style", ".fenye", ".share", ".fontsize", "iframe"),
        stop_at=("摄影相关图片", "相关新闻", "推荐阅读"),
        list_page=("ul.newslist", "#listpage"),
    )

    def article_key(self, url: str) -> tuple[str, int]:
        m = ARTICLE_PATH.search(url)
        if not m or not m["part"]:
            return url, 1
        return url[: m.start("part") - 1] + url[m.end("part") :], int(m["part"])

    def part_paragraphs(self, part: Article, is_last: bool) -> Sequence[str]:
        # Every page of a paginated story repeats the editor line under its part: keep the last one.
        lines = list(part.paragraphs)
        if not is_last:
            while lines and _CREDIT_LINE.match(lines[-1]):
                lines.pop()
        return lines

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        rules = self.rules
        # Column indexes are known by their path as well as by their list markup.
        if _LIST_PATH.match(urlsplit(page.effective_url).path) or any(
            tree.css_first(sel) is not None for sel in rules.list_page
        ):
            raise NotAnArticle(f"{self.name}: column page")
        dom.drop(tree, rules.drop)
        body = dom.first_node(tree, rules.body)
        if body is None:
            raise ParseError(f"{self.name}: no body (selectors {list(rules.body)} matched nothing)")
        images = take_captions(body, page.effective_url)
        lines = self.extract_paragraphs(body)
        title = dom.first_text(tree, rules.title)
        if not title:
            # Some pages have no header at all and open with a 1-2 line headline in the body.
            title, lines = split_headline(lines)
        if not title:
            title = _head_title(tree)
        if not title:
            raise ParseError(f"{self.name}: no title element and no in-body headline")
        if not lines:
            raise ParseError(f"{self.name}: body is empty")
        meta = dom.first_text(tree, rules.meta)
        dates = self.page_dates(page, meta)
        return self.new_article(
            page, title, lines, dates, source=self.extract_source(meta), images=tuple(images)
        )

    def extract_paragraphs(self, body: object) -> list[str]:
        out: list[str] = []
        paginated = False
        for line in clean_lines(dom.lines(body)):  # type: ignore[arg-type]
            if any(line.startswith(marker) for marker in self.rules.stop_at):
                break
            if PAGINATION_LINE.match(line):  # "本新闻共3页,当前在第01页 010203" when not in .fenye
                paginated = True
                continue
            if paginated and _PAGE_NUMBERS.match(line):  # its page links on a line of their own
                continue
            out.append(line)
        return out

    def extract_source(self, meta: str | None) -> str | None:
        m = _SOURCE.search(meta or "")
        # An empty 来源 is followed straight by the print link.
        return m.group(1) if m and not m.group(1).startswith("打印") else None


def _head_title(tree: LexborHTMLParser) -> str | None:
    """The headline from `<title>` when the page shows it nowhere else (column titles do not match)."""
    node = tree.css_first("title")
    m = _HEAD_TITLE.match(" ".join(node.text().split())) if node is not None else None
    return m["title"] if m else None
