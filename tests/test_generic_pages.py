"""A story split over several pages, on a site nobody wrote rules for, comes out as one article.

The story is people_1 of the real-page corpus (人民日报 on finance.people.com.cn, whose long
articles continue at `…-2.html`, `…-3.html`), its paragraphs laid out over three pages with the
`下一页` pager such pages print. It is parsed directly, loaded from files and crawled from the
replica: every path must end with one article of all three parts.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from flows.crawl import run_crawl
from flows.load import load_flow
from flows.replica import Doc, Replica
from flows.sites import parse_sites
from parsers.crawlspec import PagedList
from parsers.generic import GenericParser
from parsers.records import Page

ROOT = Path(__file__).resolve().parent.parent
GENERIC = GenericParser()
GOLD = json.loads((ROOT / "bench/realpages/gold/people_1.json").read_text("utf-8"))
TITLE = GOLD["title"]
PARAGRAPHS = [p.strip() for p in GOLD["body_convention"].split("\n") if p.strip()]
FIRST = "http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html"
PART_URLS = [FIRST, FIRST.replace(".html", "-2.html"), FIRST.replace(".html", "-3.html")]


def _chunks() -> list[list[str]]:
    third = len(PARAGRAPHS) // 3
    return [PARAGRAPHS[:third], PARAGRAPHS[third : 2 * third], PARAGRAPHS[2 * third :]]


def _pager(current: int) -> str:
    links = []
    if current > 1:
        links.append(f'<a href="{PART_URLS[current - 2]}">上一页</a>')
    for n, url in enumerate(PART_URLS, 1):
        links.append(f"<span>{n}</span>" if n == current else f'<a href="{url}">{n}</a>')
    if current < len(PART_URLS):
        links.append(f'<a href="{PART_URLS[current]}">下一页</a>')
    return '<div class="zdfy clearfix">' + " ".join(links) + "</div>"


def story_html(part: int) -> bytes:
    paragraphs = "".join(f"<p>　　{p}</p>" for p in _chunks()[part - 1])
    return (
        f'<html><head><meta charset="utf-8"><title>{TITLE}--经济·科技--人民网 </title></head><body>'
        '<div class="nav"><a href="http://www.people.com.cn/">人民网</a> <a href="/">经济·科技</a></div>'
        '<div class="layout rm_txt cf"><div class="col col-1 fl">'
        f"<h1>{TITLE}</h1>"
        '<div class="col-1-1 fl">2024年05月10日06:58 | 来源：人民网－人民日报</div>'
        f'<div class="rm_txt_con cf">{paragraphs}{_pager(part)}'
        '<div class="edit cf">(责编：胡永秋、杨光宇)</div></div>'
        "</div></div>"
        '<div class="footer">人民网版权所有，未经书面授权禁止使用</div></body></html>'
    ).encode()


def story_pages() -> list[Page]:
    return [Page(url=url, body=story_html(n)) for n, url in enumerate(PART_URLS, 1)]


@pytest.mark.parametrize(
    ("url", "key", "part"),
    [
        # people.cn: `-2.html` continues `c1004-40232587.html`
        (PART_URLS[1], FIRST, 3),
        (FIRST, FIRST, 1),
        # TRS (youth.cn, aksxw.com): `_1.htm` is page 2 of `t20240513_15249693.htm`
        (
            "https://news.youth.cn/gn/202405/t20240513_15249693_1.htm",
            "https://news.youth.cn/gn/202405/t20240513_15249693.htm",
            2,
        ),
        (
            "https://news.youth.cn/gn/202405/t20240513_15249693.htm",
            "https://news.youth.cn/gn/202405/t20240513_15249693.htm",
            1,
        ),
        # PHPCMS / DedeCMS / EmpireCMS county portals: `1234_2.html`
        (
            "http://www.example-county.gov.cn/html/2024/xwzx_0509/5678_2.html",
            "http://www.example-county.gov.cn/html/2024/xwzx_0509/5678.html",
            3,
        ),
        # a story in its own folder: `index_1.html` beside `index.html`
        (
            "http://www.example.cn/2024/0509/123456/index_1.html",
            "http://www.example.cn/2024/0509/123456/index.html",
            2,
        ),
        # query pagination
        ("http://www.example.cn/show.php?id=123456&page=2", "http://www.example.cn/show.php?id=123456", 2),
        ("http://www.example.cn/show.php?page=3&id=123456", "http://www.example.cn/show.php?id=123456", 3),
        # ids that only look like parts stay stories of their own
        (
            "https://politics.gmw.cn/2024-05/13/content_37319243.htm",
            "https://politics.gmw.cn/2024-05/13/content_37319243.htm",
            1,
        ),
        (
            "http://www.gsyongjing.gov.cn/art/2025/5/9/art_1229_4567890.html",
            "http://www.gsyongjing.gov.cn/art/2025/5/9/art_1229_4567890.html",
            1,
        ),
        ("http://www.example.cn/news/news_12.html", "http://www.example.cn/news/news_12.html", 1),
        ("http://www.example.cn/e/2024-05-09.html", "http://www.example.cn/e/2024-05-09.html", 1),
        ("https://www.sohu.com/a/778336904_120702", "https://www.sohu.com/a/778336904_120702", 1),
    ],
)
def test_continuation_urls_map_to_their_story(url: str, key: str, part: int) -> None:
    assert GENERIC.article_key(url) == (key, part)


def _assert_one_story(title: str, paragraphs: list[str] | tuple[str, ...], page_count: int) -> None:
    assert title == TITLE
    assert list(paragraphs) == PARAGRAPHS
    assert page_count == 3


def test_the_parts_parse_into_one_article() -> None:
    art = GENERIC.parse_many(story_pages())
    _assert_one_story(art.title, art.paragraphs, art.page_count)
    assert not any("下一页" in p or "上一页" in p for p in art.paragraphs)
    assert art.editors == ("胡永秋", "杨光宇")


def _articles(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT url, title, body, page_count FROM articles").fetchall()
    return [(url, title, body.split("\n"), pages) for url, title, body, pages in rows]


def test_a_story_loaded_from_files_is_one_article(prefect_harness, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    for n, url in enumerate(PART_URLS, 1):  # saved in a shuffled order: the parts are put back in order
        name = f"page{4 - n}.html"
        (folder / name).write_bytes(story_html(n))
        (folder / f"{name}.url").write_text(url, "utf-8")
    db = tmp_path / "regionews.duckdb"
    load_flow([str(folder)], str(db), batch_size=2, progress=False)
    [(url, title, paragraphs, pages)] = _articles(db)
    assert url == FIRST
    _assert_one_story(title, paragraphs, pages)


SITES_TOML = """
[crawler]
contact = "https://example.org/regionews-tests"
timeout = 2.0
retries = 1
batch_size = 4

[defaults]
delay = 0.0
concurrency = 2
"""


class PeopleFinance(GenericParser):
    """A site read by the generic engine: its spec says only where it lives and how it is listed."""

    name = "peoplefinance"
    domains = ("finance.people.com.cn",)
    article_url = r"^http://finance\.people\.com\.cn/n1/\d{4}/\d{4}/c\d+-\d+(?:-\d+)?\.html$"
    base_url = "http://finance.people.com.cn"
    lists = (PagedList("/GB/70846/index.html"),)


def test_a_story_crawled_from_the_replica_is_one_article(prefect_harness, tmp_path: Path) -> None:
    registry = parse_sites(SITES_TOML, "sites.toml", (PeopleFinance(),))
    docs = {url: Doc(story_html(n), "text/html; charset=utf-8") for n, url in enumerate(PART_URLS, 1)}
    db = tmp_path / "regionews.duckdb"
    replica = Replica(docs, registry).start()
    try:
        run_crawl(db=db, registry=registry, connect_to=replica.url)
        fetched = {e.path for e in replica.log}
    finally:
        replica.stop()
    assert {"/n1/2024/0510/c1004-40232587-2.html", "/n1/2024/0510/c1004-40232587-3.html"} <= fetched
    [(url, title, paragraphs, pages)] = _articles(db)
    assert url == FIRST
    _assert_one_story(title, paragraphs, pages)
