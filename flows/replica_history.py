"""A county portal with a history, for the replica: a Hanweb/大汉 site of 庄浪县, made up in its real shape.

What it serves, each as real HTTP on the replica:
- column 要闻 (`/col/col1234/index.html?uid=4437&pageNum=N`): 30 pages of history, newest first,
  each item with its date in a `<span>`, as Hanweb column pages print them;
- column 政务动态 behind the Hanweb list script: POST `/module/web/jpage/dataproxy.jsp` with
  `startrecord`/`endrecord`/`perpage` in the query and the column's form fields, answered in
  the family's `<datastore>` XML with one CDATA `<record>` per item (see tests/data/README.md);
- robots.txt with a `Sitemap:` line naming a sitemap index of two gzip sitemaps, which also list
  notices that no list shows; an RSS feed and an Atom feed with a few more of those;
- "later" (the fault mode, or `later = True`): the site a while on. One recent article is edited,
  one withdrawn (404), one redirected to the home page, and two new stories are at the front;
- "list_template" (fault mode, or `list_template = True`): the column's template changed, its
  items are script-driven `<li data-href>` rows with no `<a href>`.

The articles are made-up county news in the template of real Hanweb county pages (title, a meta
line `来源:… 浏览次数:… 发布时间:…`, paragraphs); the generic parser reads them.
"""

from __future__ import annotations

import gzip
import hashlib
import html
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import formatdate
from urllib.parse import parse_qsl, urlsplit

HOST = "www.gszhuanglang.gov.cn"
BASE = f"http://{HOST}"
SITE = "zhuanglang"
COLUMN = f"{BASE}/col/col1234/index.html"
COLUMN_PAGES = 30
PER_PAGE = 2  # items per column page: 60 stories over 30 pages
PROXY = f"{BASE}/module/web/jpage/dataproxy.jsp"
SCRIPT_ITEMS = 25
SITEMAP_INDEX = f"{BASE}/sitemap_index.xml"
SITEMAPS = (f"{BASE}/sitemaps/sitemap-1.xml.gz", f"{BASE}/sitemaps/sitemap-2.xml.gz")
RSS = f"{BASE}/rss/yw.xml"
ATOM = f"{BASE}/atom/tzgg.xml"
NEWEST = date(2025, 6, 30)
_TOWNS = ("水洛镇", "南湖镇", "朱店镇", "万泉镇", "韩店镇", "阳川镇", "杨河乡", "赵墩乡", "郑河乡", "通化镇")
_TOPICS = (
    ("召开民族团结进步创建工作推进会", "会议总结了前一阶段民族团结进步创建工作，安排部署下一阶段重点任务。"),
    ("开展梯田保护利用专项检查", "检查组深入田间地头，实地查看梯田修复、道路维护和水土保持情况。"),
    ("举办乡村振兴产业发展培训班", "培训围绕苹果、马铃薯和中药材产业，邀请农技专家现场讲解种植技术。"),
    ("推进城乡环境卫生综合整治", "各村组织群众清理房前屋后垃圾，整治乱堆乱放，村容村貌明显改善。"),
    ("召开安全生产工作会议", "会议要求各部门压实安全生产责任，深入开展隐患排查整治，守牢安全底线。"),
)


def _hex(key: str) -> str:
    return hashlib.md5(key.encode()).hexdigest()


def article_url(key: str, day: date) -> str:
    return f"{BASE}/art/{day.year}/art_{_hex(key)}.html"


@dataclass(frozen=True, slots=True)
class Story:
    key: str
    day: date
    title: str
    paragraphs: tuple[str, ...]

    @property
    def url(self) -> str:
        return article_url(self.key, self.day)


def _story(key: str, i: int, day: date, kind: str = "") -> Story:
    town = _TOWNS[i % len(_TOWNS)]
    topic, lead = _TOPICS[i % len(_TOPICS)]
    title = f"{town}{topic}{kind}（第{i + 1}期）"
    paragraphs = (
        f"{day.month}月{day.day}日，{town}{topic}。{lead}",
        f"{town}党委主要负责同志指出，要坚持问题导向，把各项工作抓细抓实，确保取得实效。"
        f"第{i + 1}次专题安排。",
        f"会议强调，各村各单位要明确责任分工，加强督促检查，以实际行动推动{town}高质量发展。",
    )
    return Story(f"{key}-{i}", day, title, paragraphs)


def _page(story: Story, edited: bool = False) -> bytes:
    paragraphs = list(story.paragraphs)
    if edited:  # the county corrected a figure and added a line
        paragraphs[1] = paragraphs[1].replace("第", "全年第", 1)
        paragraphs.append("（本文已于次日更正：补充了会议部署的具体任务。）")
    body = "\n".join(f'<p style="text-indent:2em;">{html.escape(p)}</p>' for p in paragraphs)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{html.escape(story.title)} 庄浪县人民政府</title></head><body>\n"
        '<div class="top"><a href="/">首页</a> <a href="/col/col1234/index.html">要闻</a></div>\n'
        f'<table class="art"><tr><td class="title">{html.escape(story.title)}</td></tr>\n'
        f'<tr><td class="info">来源：庄浪县融媒体中心 浏览次数：31 发布时间：{story.day:%Y-%m-%d}</td></tr>\n'
        f'<tr><td class="bt_content" id="zoom">{body}</td></tr></table>\n'
        '<div class="foot">主办：庄浪县人民政府办公室 版权所有</div></body></html>'
    ).encode()


def _item(story: Story, relative: bool = False) -> str:
    href = urlsplit(story.url).path if relative else story.url  # the list script sends site-relative links
    return (
        f'<li><a href="{href}" target="_blank" title="{html.escape(story.title)}">'
        f"{html.escape(story.title)}</a><span>{story.day:%Y-%m-%d}</span></li>"
    )


@dataclass
class HistorySite:
    """The county site's stories and its state (`later`, `list_template`), served by the replica.

    The sizes default to the tests' site; the benchmark (`bench/crawl_paths.py`) asks for a bigger
    one, and for `edit_all` (every article corrected, as `later` corrects one).
    """

    later: bool = False
    list_template: bool = False
    column_pages: int = COLUMN_PAGES
    per_page: int = PER_PAGE
    script_items: int = SCRIPT_ITEMS
    edit_all: bool = False
    column: list[Story] = field(default_factory=list)
    fresh: list[Story] = field(default_factory=list)  # published "later", at the front of the column
    by_path: dict[str, Story] = field(default_factory=dict, repr=False)
    script: list[Story] = field(default_factory=list)
    sitemap_only: list[Story] = field(default_factory=list)
    feed_only: list[Story] = field(default_factory=list)

    def __post_init__(self) -> None:
        day = NEWEST
        for i in range(self.column_pages * self.per_page):
            self.column.append(_story("yw", i, day))
            day -= timedelta(days=3)  # a story every three days: 60 stories back to early 2025
        self.fresh = [_story("new", i, NEWEST + timedelta(days=1 + i)) for i in range(2)]
        self.script = [
            _story("zwdt", i, NEWEST - timedelta(days=2 * i + 1), "情况通报")
            for i in range(self.script_items)
        ]
        self.sitemap_only = [
            _story("tzgg", i, NEWEST - timedelta(days=5 * i + 2), "的通知") for i in range(6)
        ]
        self.feed_only = [_story("rss", i, NEWEST - timedelta(days=i + 1), "专题") for i in range(4)]
        self.by_path = {urlsplit(s.url).path: s for s in self.stories()}

    # -- what "later" changes ----------------------------------------------------------------

    @property
    def edited(self) -> Story:
        return self.column[1]

    @property
    def withdrawn(self) -> Story:
        return self.column[2]

    @property
    def redirected(self) -> Story:
        return self.column[3]

    def column_stories(self) -> list[Story]:
        return (self.fresh + self.column) if self.later else self.column

    def stories(self) -> list[Story]:
        return [*self.fresh, *self.column, *self.script, *self.sitemap_only, *self.feed_only]

    # -- serving -----------------------------------------------------------------------------

    def get(self, url: str) -> tuple[int, bytes, dict[str, str]] | None:
        """(status, body, headers) for a GET of this site's URL, or None when it is not ours."""
        parts = urlsplit(url)
        if parts.hostname != HOST:
            return None
        path = parts.path
        if path == "/" or path == "/index.html":
            return 200, _home(), _html()
        if path == urlsplit(COLUMN).path:
            query = dict(parse_qsl(parts.query))
            n = int(query.get("pageNum", "1")) if query.get("pageNum", "1").isdigit() else 0
            return self._column_page(n)
        if url == SITEMAP_INDEX:
            return 200, self._sitemap_index(), {"Content-Type": "application/xml; charset=utf-8"}
        if url in SITEMAPS:
            return (
                200,
                gzip.compress(self._sitemap(SITEMAPS.index(url)), mtime=0),
                {"Content-Type": "application/x-gzip"},
            )
        if url == RSS:
            return 200, self._rss(), {"Content-Type": "application/rss+xml; charset=utf-8"}
        if url == ATOM:
            return 200, self._atom(), {"Content-Type": "application/atom+xml; charset=utf-8"}
        story = self.by_path.get(path)
        if story is None or (story in self.fresh and not self.later):
            return 404, b"<html><body>404</body></html>", _html()
        if self.later and story is self.withdrawn:
            return 404, "<html><body>您访问的页面不存在或已删除</body></html>".encode(), _html()
        if self.later and story is self.redirected:
            return 302, b"", {"Location": "/"}
        return 200, _page(story, edited=self.edit_all or (self.later and story is self.edited)), _html()

    def post(self, url: str, form: dict[str, str]) -> tuple[int, bytes, dict[str, str]] | None:
        """The Hanweb list script: a window of the 政务动态 column as `<datastore>` XML."""
        parts = urlsplit(url)
        if parts.hostname != HOST or parts.path != urlsplit(PROXY).path:
            return None
        query = dict(parse_qsl(parts.query))
        if form.get("columnid") != "5678" or not query.get("startrecord", "").isdigit():
            return 200, b'<?xml version="1.0" encoding="utf-8"?><datastore></datastore>', _xml()
        start = int(query["startrecord"])
        end = int(query.get("endrecord") or start)
        return 200, datastore(self.script, start, end, int(query.get("perpage") or 15)), _xml()

    def robots_lines(self) -> list[str]:
        return [f"Sitemap: {SITEMAP_INDEX}"]

    def _column_page(self, n: int) -> tuple[int, bytes, dict[str, str]]:
        stories = self.column_stories()
        pages = -(-len(stories) // self.per_page)
        if not 1 <= n <= pages:
            return 404, b"<html><body>404</body></html>", _html()
        chunk = stories[(n - 1) * self.per_page : n * self.per_page]
        if self.list_template:  # the new template: rows opened by script, no <a href> left
            items = "\n".join(
                f'<li data-href="{s.url}" onclick="openArt(this)">{html.escape(s.title)}'
                f"<span>{s.day:%Y-%m-%d}</span></li>"
                for s in chunk
            )
        else:
            items = "\n".join(_item(s) for s in chunk)
        pager = f'<a href="?uid=4437&amp;pageNum={n + 1}">下一页</a>' if n < pages else ""
        body = (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            "<title>要闻 庄浪县人民政府</title></head><body>\n"
            '<div class="top"><a href="/">首页</a></div>\n'
            f'<div class="default_pgContainer"><ul>\n{items}\n</ul></div>\n'
            f'<div class="pager">共{pages}页 当前第{n}页 {pager}</div></body></html>'
        )
        return 200, body.encode(), _html()

    def _entries(self, index: int) -> list[Story]:
        return (
            (self.column_stories() + self.sitemap_only[:3])
            if index == 0
            else (self.script + self.sitemap_only[3:])
        )

    def _sitemap_index(self) -> bytes:
        items = "".join(f"<sitemap><loc>{u}</loc><lastmod>{NEWEST}</lastmod></sitemap>" for u in SITEMAPS)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
        ).encode()

    def _sitemap(self, index: int) -> bytes:
        items = "".join(
            f"<url><loc>{s.url}</loc><lastmod>{self._lastmod(s)}</lastmod></url>"
            for s in self._entries(index)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'
        ).encode()

    def _lastmod(self, story: Story) -> str:
        if self.later and story is self.edited:
            return f"{NEWEST + timedelta(days=3)}T09:00:00+08:00"
        return f"{story.day}T09:00:00+08:00"

    def _rss(self) -> bytes:
        stories = sorted(self.column_stories()[:6] + self.feed_only[:2], key=lambda s: s.day, reverse=True)
        items = "".join(
            f"<item><title>{html.escape(s.title)}</title><link>{s.url}</link>"
            f"<pubDate>{formatdate(_epoch(s.day), usegmt=True)}</pubDate></item>"
            for s in stories
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>庄浪县人民政府 要闻</title><link>{BASE}/</link><description>要闻</description>"
            f"{items}</channel></rss>"
        ).encode()

    def _atom(self) -> bytes:
        entries = "".join(
            f'<entry><title>{html.escape(s.title)}</title><link href="{s.url}"/><id>{s.url}</id>'
            f"<updated>{s.day}T09:00:00+08:00</updated></entry>"
            for s in self.feed_only[2:]
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>庄浪县人民政府 通知公告</title><id>{ATOM}</id><updated>{NEWEST}T09:00:00+08:00</updated>"
            f"{entries}</feed>"
        ).encode()


def datastore(stories: list[Story], start: int, end: int, perpage: int) -> bytes:
    """A Hanweb `dataproxy.jsp` answer: records start..end (1-based) of the column, as the family sends it."""
    window = stories[max(0, start - 1) : max(0, end)]
    records = "\n".join(f"<record><![CDATA[\n{_item(s, relative=True)}\n]]></record>" for s in window)
    pages = -(-len(stories) // perpage)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<datastore>\n'
        '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/'
        '&columnid=5678&unitid=4437&webname=庄浪县人民政府&permissiontype=0"></a>]]></nextgroup>\n'
        f"<recordset>\n{records}\n</recordset>\n"
        f"<totalrecord>{len(stories)}</totalrecord>\n<totalpage>{pages}</totalpage>\n</datastore>\n"
    ).encode()


def _epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, 1, tzinfo=UTC).timestamp()


def _home() -> bytes:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>庄浪县人民政府</title></head><body>'
        '<div class="nav"><a href="/col/col1234/index.html">要闻</a> '
        '<a href="/col/col5678/index.html">政务动态</a>'
        "</div><p>欢迎访问庄浪县人民政府网站</p></body></html>"
    ).encode()


def _html() -> dict[str, str]:
    return {"Content-Type": "text/html; charset=utf-8"}


def _xml() -> dict[str, str]:
    return {"Content-Type": "text/xml; charset=utf-8"}
