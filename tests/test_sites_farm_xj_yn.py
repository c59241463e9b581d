"""Site quirks of tftnews, xjmty and yunnan that a reader checks on the page itself.

These hold before normalization: what the site parser itself must get right (routing,
the farm's update time, the placeholder's source title, the pasted share card).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from parsers.dates import SHANGHAI
from parsers.records import Page
from parsers.registry import by_name, parser_for
from parsers.sites.xjmty import XjmtyParser
from tests.fixture_cases import all_cases

OURS = ("tftnews", "xjmty", "yunnan")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.tftnews.com/static/css/style.css",
        "https://www.xjmty.com/awtx/2024/11-17/nav-12-short.html",  # id must be 8 alnum
        "http://yn.yunnan.cn/system/2025/03/28/0334782.shtml",  # id must be 9 digits
        "http://www.tianshui.com.cn/news/zjc/201905261112464568.htm",
    ],
)
def test_other_urls_are_not_ours(url: str) -> None:
    assert parser_for(url).name not in OURS


def _case(cid: str):
    return next(c for c in all_cases() if c.id == cid)


def _parse(cid: str):
    case = _case(cid)
    return parser_for(case.expected["url"]).parse(case.page())


def test_farm_update_time_is_never_the_publish_date() -> None:
    art = _parse("tftnews/suijiang_seed")
    assert art.published_at is None and art.published_precision == "none"
    assert art.updated_at == datetime(2025, 3, 31, 13, 17, 35, tzinfo=SHANGHAI)
    assert art.is_copy


def test_farm_placeholder_gives_the_copied_title_and_leaves_the_body() -> None:
    art = _parse("tftnews/suijiang_seed")
    assert art.original_title is not None
    assert art.original_title.startswith("深入推")  # script is normalization's job
    assert not any("（深入推" in p or "(深入推" in p for p in art.paragraphs)
    assert art.raw_paragraphs is not None and any(p.endswith("示範創建）1") for p in art.raw_paragraphs)


def test_farm_captions_are_image_captions_not_body() -> None:
    art = _parse("tftnews/suijiang_seed")
    captions = [i.caption for i in art.images if i.caption]
    assert len(captions) == 3 and all(c.endswith("供图") for c in captions)  # normalized like the body
    assert not any(p.endswith(("供圖", "供图")) for p in art.paragraphs)


@pytest.mark.parametrize(
    ("lines", "card"),
    [
        (
            ["推进中华民族共同体建设", "2024.11.17", "坚持党群促相连。"],
            ["推进中华民族共同体建设", "2024.11.17"],
        ),
        (["2024.11.17", "正文。"], ["2024.11.17"]),
        (["坚持党群促相连，进一步构建完善民族工作格局。", "正文。"], []),
        (["一个以句号结束的很短的句子。", "2024.11.17"], []),
    ],
)
def test_xjmty_share_card(lines: list[str], card: list[str]) -> None:
    assert XjmtyParser._share_card(lines) == card


def test_xjmty_drops_share_card_and_portal_footer() -> None:
    art = _parse("xjmty/awati_seed")
    assert "推进中华民族共同体建设" not in art.paragraphs
    assert "2024.11.17" not in art.paragraphs
    assert not any(p.startswith(("投稿网址", "声明")) for p in art.paragraphs)
    assert art.published_at == datetime(2024, 11, 17, tzinfo=SHANGHAI) and art.published_precision == "day"


def test_yunnan_meta_line_and_editor_block() -> None:
    art = _parse("yunnan/suijiang_original")
    assert art.published_at == datetime(2025, 3, 28, 16, 5, tzinfo=SHANGHAI)
    assert art.published_precision == "minute"
    assert art.source == "云南网"
    assert art.editors == ("杨丽娟",)


def test_xjmty_summary_repeating_the_first_paragraph_is_kept_once() -> None:
    lead = "阿瓦提县气象台发布寒潮蓝色预警，我县将出现大风降温天气。"
    html = (
        '<html><head><meta charset="UTF-8"></head><body><div class="detail-box">'
        '<div class="detail-title"><h1>阿瓦提县发布寒潮蓝色预警</h1></div>'
        '<div class="detail-info"><span class="time">2024.12.15</span></div>'
        f'<div class="detail-text"><div class="detail-summary"><p>{lead}</p></div>'
        f'<div class="detail-content"><p>{lead}</p><p>县气象台提醒，注意防寒保暖。</p></div></div>'
        "</div></body></html>"
    )
    url = "https://www.xjmty.com/awtx/2024/12-15/nav-23-Lp4sW9eF.html"
    art = XjmtyParser().parse(Page(url=url, body=html.encode()))
    assert list(art.paragraphs) == [lead, "县气象台提醒，注意防寒保暖。"]


def test_yunnan_centred_bold_heading_after_an_image_stays_in_the_body() -> None:
    html = (
        '<html><head><meta charset="utf-8"></head><body>'
        '<div class="xtitle"><h1>鲁甸县推动乡村全面振兴</h1></div>'
        '<div class="xt2"><span>发布时间：2025年03月25日 10:18:00</span> <span>来源： 云南网</span></div>'
        '<div class="xcont" id="layer216"><p>　　今年以来，鲁甸县持续巩固拓展脱贫攻坚成果。</p>'
        '<p style="text-align: center;"><img src="/pic/1.jpg" /></p>'
        '<p style="text-align: center;"><strong>聚焦人才支撑 激活振兴动能</strong></p>'
        "<p>　　实施“乡村振兴人才回引工程”。</p>"
        '<p style="text-align: center;"><img src="/pic/2.jpg" /></p>'
        '<p style="text-align: center;">农技人员在小寨镇指导群众管护苹果树。</p></div>'
        '<div class="xbianji">责任编辑：吴光宇</div></body></html>'
    )
    url = "http://yn.yunnan.cn/system/2025/03/25/033469830.shtml"
    art = by_name("yunnan").parse(Page(url=url, body=html.encode()))
    assert "聚焦人才支撑 激活振兴动能" in art.paragraphs
    assert [i.caption for i in art.images] == ["", "农技人员在小寨镇指导群众管护苹果树。"]
    assert "农技人员在小寨镇指导群众管护苹果树。" not in art.paragraphs
