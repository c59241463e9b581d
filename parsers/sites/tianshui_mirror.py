"""Mirrors that copy 天水在线 articles onto other hosts under the same /news/<column>/<ID>.htm path.

Seen on www.topointapp.com, www.nibeiya.com, m.nibeiya.com, www.hadlsm.com, yhg994208.cn,
m.xuhongcf.com (SITES.md §1): traditional script, often pinyin-annotated, no breadcrumb, title
or meta line, editor line kept (sometimes ending in a ` |` cell remnant), each host in its own
farm template. The family is recognised by the copied path on any host, so the original URL
is http://www.tianshui.com.cn + path and the date is the ID's day: a mirror's own 发布时间 is
the time it copied the page, never the publish date.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers.base import SiteParser, SiteRules
from parsers.records import Article, Image, Page, ParseError
from parsers.sites.tianshui import clean_lines, line_key, split_headline

ORIGIN = "http://www.tianshui.com.cn"
_MARKDOWN_IMAGE = re.compile(r"^!\[[^\]]*\]\(\s*([^)\s]+)\s*\)$")  # scraped images left as markdown
# A caption line under a markdown image: one parenthesised phrase about the photo.
_CAPTION = re.compile(r"^[（(][^（）()]{2,40}(?:攝|摄|航拍|圖|图)[^（）()]{0,20}[）)]$")
_HTML_DEBRIS = re.compile(r"^(?:<[^<>]+>)+$")  # farm-injected tag soup shown as text
# Gambling/porn keyword lines and county-name salad ("保靖縣| 積石山| 永康市|") farms inject.
_SPAM = re.compile(
    r"pk10|時時彩|时时彩|計劃網|计划网|彩票|棋牌|超碰|一區二區|一区二区|幸運飛艇|幸运飞艇|北京賽車|北京赛车"
)
_TITLE_SUFFIX = re.compile(r"\s*[_|\-—–]\s*[^_|\-—–]{2,24}$")  # "-拓點應用網", "_手機版"


class TianshuiMirrorParser(SiteParser):
    name = "tianshui_mirror"
    version = 1
    domains = (
        "www.topointapp.com",
        "www.nibeiya.com",
        "m.nibeiya.com",
        "www.hadlsm.com",
        "yhg994208.cn",
        "www.yhg994208.cn",
        "m.xuhongcf.com",
    )
    # Any host but tianshui's own (www., m., bbs. …), with tianshui's article path.
    url_pattern = (
        r"^https?://(?!(?:[^/]*\.)?tianshui\.com\.cn(?:[:/]|$))[^/]+"
        r"/news/[a-z]+/(?:19|20)\d{15,17}(?:_\d+)?\.html?(?:[?#].*)?$"
    )
    example_urls = (
        "http://www.topointapp.com/news/tianshui/2021052016395850083.htm",
        "http://www.nibeiya.com/news/zjc/2022061710223563419.htm",
        "http://m.nibeiya.com/news/gg/2021092911352760218.htm",
        "http://yhg994208.cn/news/gg/2021092911352760218.htm",
        "https://www.hadlsm.com/news/zjc/2015032409283444201.html",
    )
    script = "zh-Hant"
    rules = SiteRules(
        # The copied article cell in each farm template seen; densest block otherwise.
        body=("div.art-con", "div.m-art-body", "div.post-content", "#content"),
        drop=(
            "script",
            "style",
            "iframe",
            "ins",
            ".spam",
            ".kw",
            ".hotwords",
            ".art-info",
            ".share",
            ".related",
            ".footer",
            ".header",
            "blockquote",
            "sub",
        ),
        stop_at=(
            "相關(guān)閱讀",
            "相關閱讀",
            "相关阅读",
            "上一篇",
            "下一篇",
            "摄影相关图片",
            "攝影相關圖片",
        ),
    )

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        head_title = tree.css_first("title")  # dom.lines skips <title>: read it directly
        page_title = " ".join(head_title.text().split()) if head_title is not None else ""
        dom.drop(tree, self.rules.drop)
        body = dom.first_node(tree, self.rules.body) or _densest_block(tree)
        if body is None:
            raise ParseError(f"{self.name}: no body block")
        lines, images = self._lines_and_images(body)
        title, lines = split_headline(lines)
        if not title and page_title:
            # No in-body headline: the farm's <title> carries the headline plus its own name.
            title = _TITLE_SUFFIX.sub("", page_title).strip()
        if not title or not lines:
            raise ParseError(f"{self.name}: no headline or no body text")
        path = urlsplit(page.effective_url).path
        dates = self.page_dates(page)  # the ID's day: the mirror's own 发布时间 is its copy time
        return self.new_article(
            page, title, lines, dates, original_url=ORIGIN + path, is_copy=True, images=tuple(images)
        )

    def _lines_and_images(self, body: LexborNode) -> tuple[list[str], list[Image]]:
        out: list[str] = []
        images: list[Image] = []
        raw = clean_lines(dom.lines(body))
        stops = tuple(line_key(m) for m in self.rules.stop_at)
        i = 0
        while i < len(raw):
            line = raw[i]
            key = line_key(line)
            if key.startswith(stops):
                break
            m = _MARKDOWN_IMAGE.match(line.strip())
            if is_junk_line(line):
                pass
            elif m:
                caption = ""
                if i + 1 < len(raw) and _CAPTION.match(line_key(raw[i + 1])):
                    caption = raw[i + 1].strip()[1:-1]  # the photo line without its parentheses
                    i += 1
                images.append(Image(src=_absolute(m.group(1)), caption=caption))
            else:
                out.append(line)
            i += 1
        return out, images


def is_junk_line(line: str) -> bool:
    """A line the farm injected into the copied article: tag soup shown as text, or spam."""
    text = line.strip()
    return bool(_HTML_DEBRIS.match(text) or _SPAM.search(text) or text.count("|") >= 3)


def _absolute(src: str) -> str:
    # Mirrors keep tianshui's own /Files<NNN>/BeyondPic/... paths.
    return ORIGIN + src if src.startswith("/") else src


def _densest_block(tree: LexborHTMLParser) -> LexborNode | None:
    best, best_score = None, 0
    for node in tree.css("div, td, article, section"):
        text = node.text(strip=True)
        link = sum(len(a.text(strip=True)) for a in node.css("a"))
        score = len(text) - 2 * link
        if len(text) >= 80 and score > best_score:
            best, best_score = node, score
    return best
