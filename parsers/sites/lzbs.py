"""兰州新闻网 www.lzbs.com.cn (兰州日报): a div template in UTF-8.

Article URLs are /<channel>/YYYY-MM/DD/content_<id>.htm (our replica's scheme, unverified:
no real article URL is known offline; assets live under /res/YYYY-MM/DD/<uuid>.jpg). Signed
articles carry a byline "<office> <name>" (兰州市永登县委书记 王彦群) as its own element under
the title. The body ends with 责任编辑 and a 版权声明 block, which is not article text.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from parsers import dom
from parsers.base import SiteParser, SiteRules, take_captions
from parsers.records import Article, Page, ParseError

_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
_EDITOR = ("责任编辑", "責任編輯")  # the line that closes the article body
_COPYRIGHT = ("版权声明", "版權聲明")  # the boilerplate that follows it
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_NOT_NAME = ("记者", "通讯员", "书记", "县长", "区长", "市长", "主任", "部长", "局长")
_SOURCE = re.compile(r"来源[:：]\s*([^\s:：]+)")

# Places an lzbs byline's office starts with (兰州 and its counties and districts), both scripts.
_PLACES = (
    "甘肃省", "甘肅省", "兰州市", "蘭州市", "兰州新区", "蘭州新區", "永登县", "永登縣", "皋兰县", "皋蘭縣",
    "榆中县", "榆中縣", "城关区", "城關區", "七里河区", "七里河區", "西固区", "西固區", "安宁区", "安寧區",
    "红古区", "紅古區",
)  # fmt: skip
_ROLE = (
    r"(?:委书记|委書記|委副书记|委副書記|书记|書記|县长|縣長|区长|區長|市长|市長|州长|州長|"
    r"主任|部长|部長|局长|局長|主席|院长|院長|校长|校長)"
)
_OFFICE_NAME = re.compile(
    rf"(?P<office>(?:{'|'.join(_PLACES)})[\u4e00-\u9fff]{{0,16}}?{_ROLE})\s*(?P<name>[\u4e00-\u9fff]{{2,4}})$"
)


def strip_pinyin(text: str) -> str:
    return _PINYIN.sub("", text)


def split_byline(line: str) -> tuple[str, str | None, str | None]:
    """Split "<title><office> <name>" into (title, office, name); (line, None, None) if no byline.

    The office must start with a Lanzhou place name so a title that merely ends in 示范县
    is never cut; pinyin annotations are ignored while matching.
    """
    plain = strip_pinyin(line).strip()
    starts = sorted({i for place in _PLACES for i in _find_all(plain, place)}, reverse=True)
    for start in starts:  # the rightmost place that opens "<office> <name>" at the end of the line
        m = _OFFICE_NAME.match(plain, start)
        if m and m.end() == len(plain):
            break
    else:
        return line, None, None
    # Extend the office left over places directly before it: 兰州市 + 永登县委书记.
    while True:
        before = next((p for p in _PLACES if plain.endswith(p, 0, start)), None)
        if before is None:
            break
        start -= len(before)
    if start == 0:
        return line, None, None
    return plain[:start].strip(), plain[start : m.start("name")].strip(), m["name"]


def _find_all(text: str, needle: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(needle), text)]


def body_lines(lines: list[str]) -> list[str]:
    """Lines up to and including 责任编辑; 版权声明 and everything after it dropped."""
    out: list[str] = []
    for line in lines:
        key = "".join(strip_pinyin(line).split())
        if key.startswith(_COPYRIGHT):
            break
        out.append(line)
        if key.startswith(_EDITOR):
            break
    return out


class LzbsParser(SiteParser):
    name = "lzbs"
    version = 1
    domains = ("www.lzbs.com.cn", "lzbs.com.cn")
    url_pattern = r"^https?://(?:www\.)?lzbs\.com\.cn(?:[:/]|$)"
    example_urls = (
        "http://www.lzbs.com.cn/ztbd/2023-08/15/content_5123877.htm",
        "http://www.lzbs.com.cn/xqxw/2023-11/07/content_5160442.htm",
        "http://www.lzbs.com.cn/lzxw/2024-03/22/content_5203118.htm",
    )
    script = "zh-Hans"
    rules = SiteRules(
        title=("div.detail-title h1", "h1"),
        body=("div.detail-con", "#zoom"),
        meta=("div.detail-info",),
        drop=("script", "style", "iframe", ".detail-share", ".fontsize", ".qrcode"),
    )
    byline = ("div.detail-author",)  # "兰州市永登县委书记 王彦群", under the title

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        dom.drop(tree, self.rules.drop)
        title = dom.first_text(tree, self.rules.title)
        body = dom.first_node(tree, self.rules.body)
        if not title or body is None:
            raise ParseError(f"{self.name}: no title or no body (template changed?)")
        images = take_captions(body, page.effective_url)  # caption: the centred line under a photo
        paragraphs = body_lines(dom.lines(body))
        if not paragraphs:
            raise ParseError(f"{self.name}: body is empty")
        authors: tuple[str, ...] = ()
        byline = dom.first_text(tree, self.byline)
        if byline:
            # "<office> <name>" or "记者 <name> <name>": keep the 2-4 hanzi runs that are names.
            authors = tuple(t for t in byline.split() if _NAME.fullmatch(t) and not t.endswith(_NOT_NAME))
        meta = dom.first_text(tree, self.rules.meta)
        m = _SOURCE.search(meta or "")
        return self.new_article(
            page,
            title,
            paragraphs,
            self.page_dates(page, meta),
            source=m.group(1) if m else None,
            authors=authors,
            images=tuple(images),
        )
