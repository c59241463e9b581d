"""兰州新闻网 and its mirrors: routing, the byline split off a run-together title, the body's end."""

from __future__ import annotations

from datetime import datetime

import pytest

from parsers.dates import SHANGHAI
from parsers.decoding import decode_page
from parsers.dom import parse_html
from parsers.records import Article
from parsers.registry import by_name, parser_for
from parsers.sites.lzbs import body_lines, split_byline
from tests.fixture_cases import all_cases


@pytest.mark.parametrize(
    "url",
    [
        # the same /<ch>/YYYY-MM/DD/content_<id>.htm scheme on other outlets and unknown hosts
        "http://www.tsrb.com.cn/xwzx/2014-07/15/content_1234567.htm",
        "http://unknown-farm.example.com/ztbd/2023-08/15/content_5123877.htm",
    ],
)
def test_lzbs_path_shape_alone_does_not_make_a_mirror(url: str) -> None:
    assert parser_for(url).name not in ("lzbs", "lzbs_mirror")


@pytest.mark.parametrize(
    ("line", "title", "office", "name"),
    [
        (
            "講好民族團(tuán)結(jié)故事 促進(jìn)交往交流交融 "
            "奮力創(chuàng)建全國民族團(tuán)結(jié)進(jìn)步示範縣蘭州市永登縣委書記 王彥群",
            "講好民族團結故事 促進交往交流交融 奮力創建全國民族團結進步示範縣",
            "蘭州市永登縣委書記",
            "王彥群",
        ),
        (
            "讲好民族团结故事 奋力创建全国示范县兰州市永登县委书记王彦群",
            "讲好民族团结故事 奋力创建全国示范县",
            "兰州市永登县委书记",
            "王彦群",
        ),
        ("以高质量党建引领基层治理城关区委书记 张伟", "以高质量党建引领基层治理", "城关区委书记", "张伟"),
        (
            "榆中县：打造兰州东部生态屏障榆中县县长 李明华",
            "榆中县：打造兰州东部生态屏障",
            "榆中县县长",
            "李明华",
        ),
    ],
)
def test_byline_is_split_off_the_title(line: str, title: str, office: str, name: str) -> None:
    assert split_byline(line) == (title, office, name)


@pytest.mark.parametrize(
    "line",
    [
        "榆中县启动民族团结进步宣传月活动",
        "奋力创建全国民族团结进步示范县",  # ends in 县 but no office or name
        "兰州市永登县委书记 王彦群",  # a byline alone has no title to split from
    ],
)
def test_titles_without_a_byline_stay_whole(line: str) -> None:
    assert split_byline(line) == (line, None, None)


def test_body_ends_at_the_editor_line_and_drops_the_copyright_block() -> None:
    lines = ["正文一。", "正文二。", "责任编辑：王旭伟", "版权声明：", '凡文章来源为"兰州新闻网"的稿件……']
    assert body_lines(lines) == lines[:3]
    mirror = ["正文。", "責(zé)任編輯:王旭偉", "版權(quán)聲明:", "凡文章來源為……"]
    assert body_lines(mirror) == mirror[:2]
    assert body_lines(["正文。", "版權聲明：", "凡……"]) == ["正文。"]


# -- raw extraction from the fixture pages (what the parser itself must get right, before normalization)


def _extract(parser: str, name: str) -> Article:
    case = next(c for c in all_cases() if c.id == f"{parser}/{name}")
    page = case.page()
    return by_name(parser).extract(parse_html(decode_page(page).text), page)


def test_original_byline_element_gives_the_author_and_the_page_gives_the_date() -> None:
    art = _extract("lzbs", "ztbd_2023_byline_original")
    assert art.title == "讲好民族团结故事 促进交往交流交融 奋力创建全国民族团结进步示范县"
    assert art.authors == ("王彦群",)
    assert (art.published_origin, art.published_precision, art.source) == ("page", "minute", "兰州日报")
    assert art.paragraphs[-1] == "责任编辑：王旭伟"  # kept for normalization to move into editors
    assert not [p for p in art.paragraphs if "版权声明" in p or "凡文章来源为" in p]


def test_original_photo_caption_leaves_the_body() -> None:
    art = _extract("lzbs", "xqxw_2023_photo_caption")
    assert [i.caption for i in art.images] == ["张掖路街道金塔巷社区“石榴籽”家园开展民族团结主题活动。"]
    assert art.images[0].src.startswith("http://www.lzbs.com.cn/res/2023-11/07/")
    assert len(art.paragraphs) == 5 and art.authors == ()


def test_original_without_a_time_takes_the_url_date() -> None:
    art = _extract("lzbs", "lzxw_2024_short_no_time")
    assert art.published_at == datetime(2024, 3, 22, tzinfo=SHANGHAI)
    assert (art.published_origin, art.published_precision, art.source) == ("url", "day", "兰州晚报")


def test_mirror_splits_the_run_together_byline_and_keeps_the_page_title_raw() -> None:
    art = _extract("lzbs_mirror", "hadlsm_seed001")
    assert art.raw_title is not None and art.raw_title.endswith("蘭州市永登縣委書記 王彥群")
    assert art.title == "講好民族團結故事 促進交往交流交融 奮力創建全國民族團結進步示范縣"
    assert art.authors == ("王彥群",)
    assert art.is_copy and art.original_url == "http://www.lzbs.com.cn/ztbd/2023-08/15/content_5123877.htm"
    assert (art.published_at, art.published_origin) == (datetime(2023, 8, 15, tzinfo=SHANGHAI), "url")
    assert art.paragraphs[-1] == "責(zé)任編輯：王旭偉"
    assert len(art.paragraphs) == 7


def test_mirror_without_byline_served_gbk() -> None:
    art = _extract("lzbs_mirror", "m_nibeiya_no_byline")
    assert art.authors == ()
    assert "".join(art.title.split()).startswith("城關區(qū)打造“石榴籽”家園")
    assert art.paragraphs[-1] == "責任編輯：李娜"
