"""The few hooks and family rules that are code, not selectors: each is tested on the strings it reads.

Everything else a site declares is checked by its fixtures (tests/test_fixtures.py) and by the
tests generated from its spec (tests/test_registry.py).
"""

from __future__ import annotations

import re

import pytest

from parsers.families.farm_mirror import FARM_RULES
from parsers.records import Page
from parsers.registry import by_name
from parsers.sites.tftnews import copied_title
from parsers.sites.xjmty import share_card


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
    assert share_card(lines) == card


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
    art = by_name("xjmty").parse(Page(url=url, body=html.encode()))
    assert list(art.paragraphs) == [lead, "县气象台提醒，注意防寒保暖。"]


def test_tftnews_placeholder_names_the_copied_title() -> None:
    title = "深化民族團結進步創建工作"
    assert copied_title(f"{title}（深入推進民族團結進步示範創建）1", title) == "深入推進民族團結進步示範創建"
    assert copied_title("別的標題（深入推進）1", title) is None
    assert copied_title(f"{title}1", title) is None


@pytest.mark.parametrize(
    ("line", "junk"),
    [
        ("保靖縣| 積石山| 永康市| 巴林右旗|", True),
        ("91計劃網pk10 北京賽車", True),
        ('<sub id="oo950"><tr id="oo950"></tr></sub>', True),
        ("（新聞來源：張家川縣融媒體中心 轉(zhuǎn)載：馬文潔）", False),
        ("建成“铸牢中华民族共同体意识体验馆”“石榴籽家园” 等展示空间50余个", False),
    ],
)
def test_farm_junk_lines(line: str, junk: bool) -> None:
    assert bool(re.search(FARM_RULES.junk_lines or "", line.strip())) is junk
