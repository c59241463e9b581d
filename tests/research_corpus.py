"""Articles built from the seed documents (and copies of them), for research-layer tests.

Seeds are text renderings of real pages; mirrors and farm copies here are made the way the real
ones are (a mirror keeps the body and drops the header, a farm adds an SEO intro and a credit line),
so thresholds are tested on realistic pairs until the fixture corpus is available.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import duckdb

from parsers.normalize import to_simplified
from parsers.records import Article, Page, PageResult
from tests.fixture_cases import SEEDS
from warehouse.writer import write_batch

CST = timezone(timedelta(hours=8))
_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")


def seed_lines(prefix: str) -> list[str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    text = to_simplified(_PINYIN.sub("", path.read_text("utf-8")))
    return [line.strip() for line in text.splitlines()]


def _article(url: str, site: str, title: str, paragraphs: list[str], **fields) -> Article:
    kept = tuple(p for p in paragraphs if p)
    return Article(url=url, site=site, parser_version=1, title=title, paragraphs=kept, **fields)


def tianshui_original() -> Article:
    """Seed 000: 张家川县“五结合五防止”..., as the tianshui page shows it."""
    lines = seed_lines("000")
    body = lines[4 : lines.index("(天水在线编辑:李俊锋)")]
    return _article(
        "http://www.tianshui.com.cn/news/zjc/201905261112464568.htm",
        "tianshui",
        "张家川县“五结合五防止”持续深入推进民族团结进步创建工作",
        body,
        published_at=datetime(2019, 5, 26, 11, 8, 34, tzinfo=CST),
        published_precision="minute",
        published_origin="page",
        source="张家川县融媒体中心",
        editors=("李俊锋",),
    )


def tianshui_mirror() -> Article:
    """A mirror's copy of seed 000: no header, a paragraph dropped, ASCII punctuation, same path."""
    original = tianshui_original()
    paragraphs = [p.replace("，", ",").replace("：", ":") for p in original.paragraphs]
    del paragraphs[3]
    return _article(
        "http://www.hadlsm.com/news/zjc/201905261112464568.htm",
        "tianshui_mirror",
        original.title,
        paragraphs,
        is_copy=True,
        original_url=original.url,
        script="zh-Hant",
    )


def qinan_visit() -> Article:
    """Seed 004: another 民族团结进步创建 story from the same Tianshui campaign (a different story)."""
    lines = seed_lines("004")
    body = [line for line in lines[3:] if line and not line.startswith("(天水在线编辑")]
    return _article(
        "http://www.tianshui.com.cn/news/qa/2021052016395850083.htm",
        "tianshui",
        lines[0] + lines[1],
        body,
        published_at=datetime(2021, 5, 20, 16, 39, tzinfo=CST),
        published_precision="day",
        published_origin="url",
        contributors=("秦安县民族团结进步创建工作领导小组办公室",),
    )


def yongdeng() -> Article:
    """Seed 001: the lzbs article by 永登县委书记 王彦群 (mirror rendering of the original)."""
    lines = seed_lines("001")
    body = lines[1 : lines.index("责任编辑:王旭伟")]
    return _article(
        "http://www.lzbs.com.cn/zt/2023-05/12/content_1.htm",
        "lzbs",
        "讲好民族团结故事 促进交往交流交融 奋力创建全国民族团结进步示范县",
        body,
        authors=("王彦群",),
        editors=("王旭伟",),
    )


def farm_copy() -> Article:
    """Seed 002: tftnews' copy of a 云南网 story about 绥江县 (SEO intro, credit line kept as source)."""
    lines = seed_lines("002")
    start = lines.index("深化民族团结进步创建工作", 8) + 1
    body = [
        line for line in lines[start : lines.index("云南网通讯员 代洪")] if line and not line.endswith("供图")
    ]
    intro = lines[9]
    return _article(
        "https://www.tftnews.com/minsu/1234567.html",
        "tftnews",
        "深化民族团结进步创建工作",
        [intro, *body],
        updated_at=datetime(2025, 3, 31, 13, 17, 35, tzinfo=CST),
        is_copy=True,
        original_title="深入推进民族团结进步示范创建",
        original_source="云南网",
        contributors=("代洪",),
    )


def yunnan_original() -> Article:
    """The 云南网 original of seed 002 (never fetched in reality; rebuilt from the farm's body)."""
    copy = farm_copy()
    return _article(
        "http://zt.yunnan.cn/system/2025/03/28/033456789.shtml",
        "yunnan",
        "深入推进民族团结进步示范创建",
        list(copy.paragraphs[1:]),
        published_at=datetime(2025, 3, 28, 9, 46, tzinfo=CST),
        published_precision="minute",
        published_origin="page",
        source="云南网",
    )


def awati() -> Article:
    lines = seed_lines("003")
    body = [lines[2], *lines[5 : lines.index("投稿网址:https://tmcn.xjmty.com/awtxmcn")]]
    return _article(
        "https://www.xjmty.com/xjmty/2024/11-17/nav-12-Ab3dE9fG.html",
        "xjmty",
        lines[0],
        body,
        published_at=datetime(2024, 11, 17, tzinfo=CST),
        published_precision="day",
        published_origin="page",
    )


def corpus() -> list[Article]:
    return [tianshui_original(), tianshui_mirror(), qinan_visit(), yongdeng(), farm_copy(), awati()]


def load(con: duckdb.DuckDBPyConnection, articles: list[Article]) -> None:
    """Write articles into a real warehouse the way the load flow does (through write_batch)."""
    results = []
    for a in articles:
        page = Page(url=a.url, body=a.body.encode("utf-8"), fetched_at=datetime(2026, 1, 1, tzinfo=CST))
        results.append(
            PageResult(page, "article", a.site, a.parser_version, article=replace(a, page_sha256=page.sha256))
        )
    write_batch(con, results)
