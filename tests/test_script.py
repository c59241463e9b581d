"""Traditional -> simplified with OpenCC's dictionaries, the 著/着 fixes, and script detection."""

from __future__ import annotations

import opencc
import pytest

from parsers.script import (
    detect_script,
    fix_phrases,
    has_traditional,
    t2s,
    to_simplified,
    traditional_only,
)
from tests.fixture_cases import SEEDS

CASES = [
    ("講好民族團結故事", "讲好民族团结故事"),
    ("責任編輯:王旭偉", "责任编辑:王旭伟"),
    ("版權聲明", "版权声明"),
    ("蘭州新聞網", "兰州新闻网"),
    ("天水在線編輯:陶靜", "天水在线编辑:陶静"),
    ("雲南網通訊員 代洪", "云南网通讯员 代洪"),
    # a farm's naive converter: OpenCC maps its odd forms back (SITES.md §3)
    ("曆史觀", "历史观"),
    ("短闆弱項", "短板弱项"),
    ("微信公衆号", "微信公众号"),
    ("中國共産黨", "中国共产党"),
    ("目标任務", "目标任务"),  # simplified forms left by the farm stay simplified
    # 著/着 phrase fixes
    ("隨著經濟發展", "随着经济发展"),
    ("沿著黃河", "沿着黄河"),
    ("本著負責的態度", "本着负责的态度"),
    ("著力推進", "着力推进"),
    ("著實不易", "着实不易"),
    ("著手準備", "着手准备"),
    ("這意味著", "这意味着"),
    ("帶著9歲的大女兒", "带着9岁的大女儿"),
    ("著名學者", "著名学者"),
    ("著作權", "著作权"),
    ("成效顯著", "成效显著"),
    ("以此著稱", "以此著称"),
    ("享有著作權", "享有著作权"),  # 有著 is not 有着 when 著作 follows
    ("甚麼意思", "什么意思"),
    ("為甚麼", "为什么"),
    # 乾: 干 where it means dry/cadre, kept in 乾隆/乾坤
    ("乾淨", "干净"),
    ("乾隆年間", "乾隆年间"),
    ("乾坤", "乾坤"),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_to_simplified(before: str, after: str) -> None:
    assert to_simplified(before) == after
    assert to_simplified(after) == after


def test_simplified_text_is_not_touched() -> None:
    text = "张家川县“五结合五防止”持续深入推进民族团结进步创建工作,着力推进,著名。"
    assert not has_traditional(text)
    assert to_simplified(text) == text


def test_traditional_only_set() -> None:
    chars = traditional_only()
    assert {"團", "結", "進", "後", "蘭"} <= chars
    assert not {"乾", "於", "瞭", "著", "团", "的"} & chars  # simplified text uses these too


@pytest.mark.parametrize("name", ["001", "002", "004"])
def test_fast_t2s_equals_opencc_on_seeds(name: str) -> None:
    text = next(SEEDS.glob(f"{name}_*.txt")).read_text("utf-8")
    assert t2s(text) == opencc.OpenCC("t2s").convert(text)


def test_fix_phrases_keeps_zhu_words_and_fixes_the_suffix() -> None:
    assert fix_phrases("显著著名著作随著") == "显著著名著作随着"


DETECT = [
    ("張家川縣民族團結進步創建", "zh-Hant"),
    ("张家川县民族团结进步创建", "zh-Hans"),
    (
        "张家川县开展民族团结进步创建工作以来，各项评估受眾广泛，成效明显",
        "zh-Hans",
    ),  # a stray traditional form in a simplified original
    ("綏江縣目标任務明确确保", "mixed"),
    ("Copyright 2023-2025", "unknown"),
]


@pytest.mark.parametrize(("text", "script"), DETECT)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script
