"""Pinyin annotations go, real parentheticals stay (strings from SITES.md §6.3 and seeds 001/004)."""

from __future__ import annotations

import pytest

from parsers.pinyin import has_pinyin, remove_pinyin, remove_pinyin_counted

CASES = [
    ("團(tuán)結(jié)", "團結"),
    ("民族團(tuán)結(jié)進(jìn)步", "民族團結進步"),
    ("責(zé)任編輯:王旭偉", "責任編輯:王旭偉"),
    ("轉(zhuǎn)載:馬文潔", "轉載:馬文潔"),
    ("發(fā)布時(shí)間", "發布時間"),
    (
        "鏈?zhǔn)且粋€(gè)",
        "鏈?zhǔn)且粋€",
    ),  # `(gè)` is an annotation; the broken `?zhǔn)` is left for gbk_repair
    ("團（tuán）結（jié）", "團結"),  # full-width parentheses
    ("綠(lǜ)色", "綠色"),
    # real parentheticals: no tone mark, so they stay
    ("人工智能(AI)", "人工智能(AI)"),
    ("美国缉毒局(DEA)", "美国缉毒局(DEA)"),
    ("(TTCSP)", "(TTCSP)"),
    ("(GNN)", "(GNN)"),
    ("(Best Artificial Intelligence(AI) Think Tanks)", "(Best Artificial Intelligence(AI) Think Tanks)"),
    (
        "《张家川县民族团结进步创建工作规划纲要(2016-2020年)的通知》",
        "《张家川县民族团结进步创建工作规划纲要(2016-2020年)的通知》",
    ),
    ("示范村(社区)76个", "示范村(社区)76个"),
    ("李馨雨(见习)", "李馨雨(见习)"),
    ("烟铺大樱桃已经红透了(图)", "烟铺大樱桃已经红透了(图)"),
    ("统一战线工作(民族宗教工作)领导小组", "统一战线工作(民族宗教工作)领导小组"),
    ("(tuan)", "(tuan)"),  # toneless: never seen on mirrors, not touched
    ("(Café)", "(Café)"),  # capitalised word with an accent is not a pinyin syllable
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_remove_pinyin(before: str, after: str) -> None:
    assert remove_pinyin(before) == after
    assert remove_pinyin(after) == after


def test_counts_annotations() -> None:
    assert remove_pinyin_counted("講好民族團(tuán)結(jié)故事") == ("講好民族團結故事", 2)
    assert remove_pinyin_counted("张家川县") == ("张家川县", 0)


def test_nested_annotation_is_removed_in_one_call() -> None:
    # removing the inner annotation closes an outer one; the step must still be idempotent
    assert remove_pinyin("字(zh(tuán)ǔn)") == "字"


def test_has_pinyin() -> None:
    assert has_pinyin("團(tuán)")
    assert not has_pinyin("(社区)")
