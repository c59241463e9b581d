"""GBK byte-loss garbage from mirrors: repaired where the lost-0xA1 rule works, else marked and counted."""

from __future__ import annotations

import pytest

from parsers.gbk_repair import MARK_CLOSE, MARK_OPEN, repair_gbk

REPAIRED = [
    # SITES.md §6.3, verified by re-encoding
    ("態勢？疾靾F", "態勢。考察團"),
    ("態勢?疾靾F", "態勢。考察團"),  # NFKC seed rendering: `？` became `?`
    ("支持!睆埣掖ǹh委", "支持!”張家川縣委"),  # the page's own `!` stays; the lost mark was `”`
    ("印象深刻?!眮淼綖豸斈君R", "印象深刻?!”來到烏魯木齊"),
]
MARKED = [
    # a run ending on `?` lost a character: marked, never guessed
    ("電?。ㄓ浾吡种尾?、", f"電{MARK_OPEN}?。ㄓ浾吡种尾?{MARK_CLOSE}、"),
    ("?;厥沼行柧?27份", f"{MARK_OPEN}?;厥沼行柧?{MARK_CLOSE}27份"),
    # pinyin inserted inside the shifted span is not recoverable (`人民日報` -> `人民日?qǐng)?bào)`)
    ("人民日?qǐng)?", f"人民日{MARK_OPEN}?qǐng)?{MARK_CLOSE}"),
    ("鏈?zhǔn)且粋€", f"鏈{MARK_OPEN}?zhǔn){MARK_CLOSE}且粋€"),
    ("當?shù)孛褡鍒F", f"當{MARK_OPEN}?shù){MARK_CLOSE}孛褡鍒F"),
    ("張家川?h委", f"張家川{MARK_OPEN}?h{MARK_CLOSE}委"),
]
CLEAN = [
    "使用A股和5G网络",
    "中國GDP增長",
    "他说?A级景区",  # an ordinary question mark before a capital letter
    "中圖分類號: F426??? 文獻標志碼: A? ???",  # NBSP runs turned to `?`: no rare characters, left alone
    "张家川县“五结合五防止”持续深入推进民族团结进步创建工作(图)",
    "烟铺大樱桃红了(视频) 重磅!烟铺大樱桃正式开卖(图)",
]


@pytest.mark.parametrize(("before", "after"), REPAIRED)
def test_repairs_lost_lead_byte(before: str, after: str) -> None:
    result = repair_gbk(before)
    assert (result.text, result.repaired, result.flagged) == (after, 1, 0)


@pytest.mark.parametrize(("before", "after"), MARKED)
def test_marks_what_cannot_be_repaired(before: str, after: str) -> None:
    result = repair_gbk(before)
    assert result.text == after
    assert result.flagged == 1
    # every character of the page is still there, inside the mark
    assert result.text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "") == before


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_untouched(text: str) -> None:
    assert repair_gbk(text).text == text


@pytest.mark.parametrize("text", [b for b, _ in REPAIRED + MARKED])
def test_idempotent(text: str) -> None:
    once = repair_gbk(text).text
    again = repair_gbk(once)
    assert again.text == once
    assert again.repaired == 0 and again.flagged == 0


def test_a_run_that_ends_a_line_inside_a_longer_text_is_repaired() -> None:
    # Found by hypothesis: the body is normalized as one text, paragraphs joined by blank lines.
    assert repair_gbk("?疾靾F\n\n").text == "。考察團\n\n"
    assert repair_gbk("態勢?疾靾F\n\n下一段").text == "態勢。考察團\n\n下一段"
