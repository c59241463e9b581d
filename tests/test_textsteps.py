"""Whitespace and width: indents, invisible characters, full-width letters, broken lines."""

from __future__ import annotations

import pytest

from parsers.textsteps import (
    collapse_spaces,
    fold_invisible,
    fold_width,
    join_broken_lines,
    join_title_lines,
    strip_cell_remnant,
)

INVISIBLE = [
    ("\u00a0\u00a0张家川县", "  张家川县"),
    ("&nbsp;&nbsp;张家川县", "  张家川县"),
    ("民族\u200b团结", "民族团结"),
    ("\ufeff正文", "正文"),
    ("软\u00ad连字", "软连字"),
]
SPACES = [
    ("　　张家川县开展创建工作以来,", "张家川县开展创建工作以来,"),
    ("  张家川县开展创建", "张家川县开展创建"),
    ("前　言", "前 言"),  # a centred, spaced sub-heading keeps one space
    ("抓组织领导 促高位推进", "抓组织领导 促高位推进"),
    (
        "(2019/5/26 11:08:34)  来源:张家川县融媒体中心  打印本页",
        "(2019/5/26 11:08:34) 来源:张家川县融媒体中心 打印本页",
    ),
    ("结尾   ", "结尾"),
]
CELLS = [
    ("(新闻来源:张家川县融媒体中心 转载:马文洁) |", "(新闻来源:张家川县融媒体中心 转载:马文洁)"),
    ("(天水在線編輯:陶靜) |", "(天水在線編輯:陶靜)"),
    ("甲 | 乙", "甲 | 乙"),
]
WIDTH = [
    ("２０２４年１１月１７日", "2024年11月17日"),
    ("ＧＤＰ增长５％", "GDP增长5％"),  # letters and digits fold, the full-width percent sign stays
    ("张家川县，“五结合五防止”：好！", "张家川县，“五结合五防止”：好！"),
    ("（记者 赵建卿）", "（记者 赵建卿）"),
]
JOIN = [
    (
        "张家川县召开民族团结进步创建活动\n“六进”试点工作会",
        "张家川县召开民族团结进步创建活动“六进”试点工作会",
    ),
    ("第一段结束。\n第二段开始", "第一段结束。\n第二段开始"),
    ("第一段\n\n第二段", "第一段\n\n第二段"),
    ("第一段\n\n\n\n第二段", "第一段\n\n第二段"),
    ("the quick\nbrown fox", "the quick brown fox"),
    ("单行", "单行"),
]


@pytest.mark.parametrize(("before", "after"), INVISIBLE)
def test_fold_invisible(before: str, after: str) -> None:
    assert fold_invisible(before) == after


@pytest.mark.parametrize(("before", "after"), SPACES)
def test_collapse_spaces(before: str, after: str) -> None:
    assert collapse_spaces(before) == after


@pytest.mark.parametrize(("before", "after"), CELLS)
def test_strip_cell_remnant(before: str, after: str) -> None:
    assert strip_cell_remnant(before) == after


@pytest.mark.parametrize(("before", "after"), WIDTH)
def test_fold_width(before: str, after: str) -> None:
    assert fold_width(before) == after


@pytest.mark.parametrize(("before", "after"), JOIN)
def test_join_broken_lines(before: str, after: str) -> None:
    assert join_broken_lines(before) == after
    assert join_broken_lines(after) == after


def test_join_title_lines() -> None:
    assert join_title_lines("秦安县观摩学习清水县、张家川县\n民族团结进步创建经验做法") == (
        "秦安县观摩学习清水县、张家川县民族团结进步创建经验做法"
    )
