"""天水在线 and its mirrors: URL routing, the ID date, pagination keys, in-body headlines."""

from __future__ import annotations

from datetime import datetime

import pytest

from parsers.dates import SHANGHAI, date_from_url
from parsers.decoding import decode_page
from parsers.dom import parse_html
from parsers.records import Article, NotAnArticle, Page
from parsers.registry import by_name, parser_for
from parsers.sites.tianshui import clean_lines, line_key, split_headline
from parsers.sites.tianshui_mirror import is_junk_line
from tests.fixture_cases import Case, all_cases


@pytest.mark.parametrize(
    "url",
    [
        "http://www.tianshui.com.cn/news/zjc/201905261112464568.htm",
        "http://tianshui.com.cn/news/zjc/201905261112464568.htm",
        "http://www.tianshui.com.cn/news/zjc/2015032409283444201.html",
        "http://www.tianshui.com.cn/news/zjc/",
        "http://www.tianshui.com.cn/news/zjc/index_2.htm",
        "http://www.tianshui.com.cn/",
    ],
)
def test_tianshui_own_host_never_goes_to_the_mirror_parser(url: str) -> None:
    assert parser_for(url).name == "tianshui"


@pytest.mark.parametrize(
    "url",
    [
        # hosts seen (SITES.md) and any new host with the copied path
        "http://www.hadlsm.com/news/zjc/2015032409283444201.html",
        "http://www.topointapp.com/news/tianshui/2021052016395850083.htm",
        "https://yhg994208.cn/news/gg/2021092911352760218.htm",
        "http://www.yhg994208.cn/news/gg/2021092911352760218.htm",
        "http://m.xuhongcf.com/news/qa/20210520163958500.htm",
        "http://new-mirror.example.net/news/qs/2019052611124645684.htm",
        "http://www.nibeiya.com/news/zjc/2022061710223563419_2.htm",
    ],
)
def test_mirror_family_is_recognised_by_path_on_any_host(url: str) -> None:
    assert parser_for(url).name == "tianshui_mirror"


@pytest.mark.parametrize(
    "url",
    [
        "http://www.nibeiya.com/news/zjc/",  # a farm's own index, not a copied article
        "http://www.nibeiya.com/news/zjc/20220617.htm",  # too short for a tianshui ID
        "http://www.nibeiya.com/keji/2021052011023.html",
        "http://m.tianshui.com.cn/news/zjc/201905261112464568.htm",  # tianshui's own mobile site
    ],
)
def test_other_mirror_urls_are_not_the_family(url: str) -> None:
    assert parser_for(url).name != "tianshui_mirror"


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("http://www.tianshui.com.cn/news/zjc/201905261112464568.htm", (2019, 5, 26)),  # 4-digit suffix
        ("http://www.tianshui.com.cn/news/zjc/2015032409283444201.html", (2015, 3, 24)),  # 5-digit suffix
        ("http://www.tianshui.com.cn/news/qs/20130822110917532.htm", (2013, 8, 22)),  # 3-digit suffix
        ("http://www.tianshui.com.cn/news/qa/2023012009421178325_3.htm", (2023, 1, 20)),  # a later page
        ("http://m.nibeiya.com/news/gg/2021092911352760218.htm", (2021, 9, 29)),
    ],
)
def test_id_date_is_the_day_of_the_id_and_only_a_fallback(url: str, day: tuple[int, int, int]) -> None:
    found = date_from_url(url)  # the engine's URL path reads tianshui's timestamp IDs
    assert found is not None
    assert found.value == datetime(*day, tzinfo=SHANGHAI)
    assert (found.precision, found.origin) == ("day", "url")


@pytest.mark.parametrize(
    "url",
    [
        "http://www.tianshui.com.cn/news/zjc/",
        "http://www.tianshui.com.cn/news/zjc/2019133112124645684.htm",  # month 13: not a date
    ],
)
def test_id_date_none_when_the_path_has_no_valid_id(url: str) -> None:
    assert date_from_url(url) is None


def test_pages_of_a_story_share_the_first_page_url() -> None:
    parser = by_name("tianshui")
    first = "http://www.tianshui.com.cn/news/qa/2023012009421178325.htm"
    assert parser.article_key(first) == (first, 1)
    assert parser.article_key(first.replace(".htm", "_2.htm")) == (first, 2)
    assert parser.article_key(first.replace(".htm", "_12.htm")) == (first, 12)
    old = "http://www.tianshui.com.cn/news/zjc/2015032409283444201.html"
    assert parser.article_key(old.replace(".html", "_3.html")) == (old, 3)


def test_two_line_headline_is_joined_and_taken_off_the_body() -> None:
    lines = ["张家川县召开民族团结进步创建活动", "“六进”试点工作会", "3月23日，张家川县召开……工作会。"]
    assert split_headline(lines) == ("张家川县召开民族团结进步创建活动“六进”试点工作会", lines[2:])


def test_pinyin_does_not_make_a_headline_line_look_long() -> None:
    lines = [
        "秦安縣觀摩學(xué)習(xí)清水縣、張家川縣",
        "民族團(tuán)結(jié)進(jìn)步創(chuàng)建經(jīng)驗做法",
        "為學(xué)習(xí)借鑒民族團(tuán)結(jié)進(jìn)步創(chuàng)建工作的好經(jīng)驗好做法，高質(zhì)量推動我縣民族團(tuán)結(jié)進(jìn)步創(chuàng)建工作。",
    ]
    title, rest = split_headline(lines)
    assert title == lines[0] + lines[1]
    assert rest == lines[2:]


def test_a_body_that_starts_at_once_has_no_headline() -> None:
    lines = ["金秋时节，甘谷县古坡镇古坡草原层林尽染，前来观光的游客络绎不绝。", "第二段。"]
    assert split_headline(lines) == (None, lines)
    assert split_headline(["（天水在线编辑：陶静）", "正文"]) == (None, ["（天水在线编辑：陶静）", "正文"])


def test_trailing_cell_bars_are_removed() -> None:
    assert clean_lines(["（天水在線編輯：陶靜） |", "|", "正文 | 正文"]) == [
        "（天水在線編輯：陶靜）",
        "正文 | 正文",
    ]


# -- raw extraction from the fixture pages (what the parser itself must get right, before normalization)


def _case(parser: str, name: str) -> Case:
    return next(c for c in all_cases() if c.id == f"{parser}/{name}")


def _extract(case: Case, page: Page | None = None) -> Article:
    page = page or case.page()
    return by_name(case.parser).extract(parse_html(decode_page(page).text), page)


def test_gb2312_label_still_decodes_gbk_only_characters() -> None:
    art = _extract(_case("tianshui", "qs_2013_video_short"))
    assert art.title == "清水县举办民族团结进步知识竞赛(视频)"  # the suffix is normalization's to take
    assert art.paragraphs[-1] == "（天水在线编辑：王喆）"  # 喆 is GBK, not GB2312
    assert art.source == "清水县电视台"
    assert not art.images  # the flash video is not a photo


def test_header_meta_line_and_photo_captions() -> None:
    art = _extract(_case("tianshui", "zjc_2023_kicker_photos"))
    assert art.title.startswith("【新春走基层】")
    assert (art.published_origin, art.published_precision) == ("page", "minute")
    assert art.published_at is not None and art.published_at.date().isoformat() == "2023-01-16"
    assert art.source == "张家川县融媒体中心"
    assert [i.caption for i in art.images] == [
        "胡川镇文艺志愿者为群众表演花儿",
        "志愿者在城北社区为群众义写春联",
        "县直单位干部入户走访慰问困难群众",
    ]
    assert all(i.src.startswith("http://www.tianshui.com.cn/Files263/BeyondPic/") for i in art.images)
    assert "胡川镇文艺志愿者为群众表演花儿" not in art.paragraphs
    assert art.paragraphs[-1] == "（来源：张家川县融媒体中心 转载：康翠霞）"


def test_paginated_story_joins_parts_and_keeps_one_credit_line() -> None:
    case = _case("tianshui", "qa_2023_paginated")
    art = by_name("tianshui").parse_many([case.page(), *case.continuation_pages()])
    assert art.page_count == 3
    raw = art.raw_paragraphs or ()
    assert [p for p in raw if "转载" in p] == ["（新闻来源：秦安县融媒体中心 转载：马文洁）"]
    assert raw[-1] == "（新闻来源：秦安县融媒体中心 转载：马文洁）"
    assert not [p for p in raw if "本新闻共" in p or "当前在第" in p]
    assert raw[1] == "一、聚焦思想引领，筑牢共同体意识根基" and raw[-2].endswith("贡献秦安力量。")


def test_headerless_page_title_from_body_and_date_from_id() -> None:
    art = _extract(_case("tianshui", "zjc_2015_headline_no_header"))
    assert art.title == "张家川县召开民族团结进步创建活动“六进”试点工作会"
    assert art.paragraphs[0].startswith("3月23日")
    assert art.paragraphs[-1] == "（天水在线编辑：赵亚琴）"  # the cell bar is gone
    assert art.published_at == datetime(2015, 3, 24, tzinfo=SHANGHAI)
    assert (art.published_origin, art.published_precision, art.source) == ("url", "day", None)


def test_mirror_page_declared_utf8_but_served_gbk() -> None:
    art = _extract(_case("tianshui_mirror", "nibeiya_gbk_declared_utf8"))
    assert line_key(art.title) == "張家川縣舉辦民族團結進步創建業務培訓班"
    assert art.is_copy and art.original_url == "http://www.tianshui.com.cn/news/zjc/2022061710223563419.htm"
    assert art.published_at == datetime(2022, 6, 17, tzinfo=SHANGHAI)  # never the farm's 發佈時間
    assert line_key(art.paragraphs[-1]) == "（新聞來源：張家川縣融媒體中心轉載：馬文潔）"
    assert not [p for p in art.paragraphs if "blockquote" in p]


def test_mirror_title_from_head_when_the_body_starts_at_once() -> None:
    art = _extract(_case("tianshui_mirror", "m_nibeiya_title_from_head"))
    assert line_key(art.title) == "甘谷縣：民族團結進步創建助力古坡草原旅遊發展(圖)"
    assert line_key(art.paragraphs[0]).startswith("金秋時節")


def test_mirror_markdown_image_and_its_caption_line() -> None:
    art = _extract(_case("tianshui_mirror", "yhg994208_markdown_image"))
    assert [(i.src, i.caption) for i in art.images] == [
        (
            "http://www.tianshui.com.cn/Files261/BeyondPic/2021-9/29/2109291134381763.jpg",
            "天水在線無人機航拍甘谷古坡草原",
        )
    ]
    assert not [p for p in art.paragraphs if "![" in p or "航拍" in p]


def _page(html: str, url: str) -> Page:
    return Page(
        url=url, body=html.encode("gb18030"), headers=(("Content-Type", "text/html; charset=gb2312"),)
    )


def test_plain_text_pagination_and_its_page_links_are_not_body() -> None:
    html = (
        "<html><head><title>某某新闻_天水在线</title></head><body><table><tr>"
        '<td class="newstitle"><h1>标题</h1></td></tr><tr><td class="newstime">(2019/5/26 11:08:34)</td></tr>'
        '<tr><td id="zoom"><p>　　第一段。</p><p>本新闻共2页，当前在第01页</p><p>01 02</p>'
        "<p>（天水在线编辑：李俊锋）</p></td></tr></table></body></html>"
    )
    art = _extract_page("tianshui", _page(html, "http://www.tianshui.com.cn/news/zjc/201905261112464568.htm"))
    assert art.paragraphs == ("第一段。", "（天水在线编辑：李俊锋）")


def test_title_from_head_when_the_page_shows_no_headline() -> None:
    html = (
        "<html><head><title>麦积区召开民族团结进步创建推进会(图)_天水在线</title></head><body>"
        '<div id="zoom"><p>　　5月20日，麦积区召开民族团结进步创建工作推进会，安排部署重点工作。</p></div>'
        "</body></html>"
    )
    art = _extract_page("tianshui", _page(html, "http://www.tianshui.com.cn/news/mj/2019052016203347712.htm"))
    assert art.title == "麦积区召开民族团结进步创建推进会(图)"
    assert art.published_at == datetime(2019, 5, 20, tzinfo=SHANGHAI)


def test_farm_junk_lines_are_not_headline_or_body() -> None:
    assert is_junk_line("保靖縣| 積石山| 永康市| 巴林右旗|")
    assert is_junk_line("91計劃網pk10 北京賽車")
    assert is_junk_line('<sub id="oo950"><tr id="oo950"></tr></sub>')
    assert not is_junk_line("（新聞來源：張家川縣融媒體中心 轉(zhuǎn)載：馬文潔）")
    assert not is_junk_line("建成“铸牢中华民族共同体意识体验馆”“石榴籽家园” 等展示空间50余个")


def _extract_page(parser: str, page: Page) -> Article:
    return by_name(parser).extract(parse_html(decode_page(page).text), page)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.tianshui.com.cn/",
        "http://www.tianshui.com.cn/news/",
        "http://www.tianshui.com.cn/news/zjc/",
        "http://www.tianshui.com.cn/news/zjc/index.htm",
        "http://www.tianshui.com.cn/news/zjc/index_7.htm",
    ],
)
def test_column_paths_are_not_articles_whatever_their_markup(url: str) -> None:
    html = (
        '<html><head><title>张川_天水在线</title></head><body><div id="zoom"><p>张川</p></div></body></html>'
    )
    with pytest.raises(NotAnArticle):
        _extract_page("tianshui", _page(html, url))
