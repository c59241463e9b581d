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
    # the trail byte of a lost `、` (A1 A2) shifted into GBK's symbol row, up to the resync (mirror
    # text of the nibeiya and hadlsm fixtures with the byte taken out as mirrors lose it)
    ("各鄉鎮⒏鞑块T要對照", "各鄉鎮、各部門要對照"),
    ("共同體意識⒚褡鍒F結", "共同體意識、民族團結"),
    # a lost `“`/`”` lead byte shifts into a common character plus an ASCII letter; put back only
    # where it balances the quotes its line still prints
    ("作出拌T牢中華民族共同體意識”這一重大原創", "作出“鑄牢中華民族共同體意識”這一重大原創"),
    ("實施黨員干部“鑄魂”工程，實施青少年拌T魂”工程", "實施黨員干部“鑄魂”工程，實施青少年“鑄魂”工程"),
    ("作出“鑄牢中華民族共同體意識边@一重大", "作出“鑄牢中華民族共同體意識”這一重大"),
]
MARKED = [
    # a run ending on `?` lost a character: marked, never guessed
    ("電?。ㄓ浾吡种尾?、", f"電{MARK_OPEN}?。ㄓ浾吡种尾?{MARK_CLOSE}、"),
    ("?;厥沼行柧?27份", f"{MARK_OPEN}?;厥沼行柧?{MARK_CLOSE}27份"),
    # pinyin inserted inside the shifted span is not recoverable (`人民日報` -> `人民日?qǐng)?bào)`)
    ("人民日?qǐng)?", f"人民日{MARK_OPEN}?qǐng)?{MARK_CLOSE}"),
    # a `?` fused with pinyin letters: the shifted characters after it, up to the resync, are garbage too
    ("鏈?zhǔn)且粋€", f"鏈{MARK_OPEN}?zhǔn)且粋€{MARK_CLOSE}"),
    ("當?shù)孛褡鍒F", f"當{MARK_OPEN}?shù)孛褡鍒F{MARK_CLOSE}"),
    # a shifted symbol run that lost a character for good
    ("培訓班邀請省民委⑹形?統戰部", f"培訓班邀請省民委{MARK_OPEN}⑹形?{MARK_CLOSE}統戰部"),
    ("張家川?h委", f"張家川{MARK_OPEN}?h{MARK_CLOSE}委"),
]
CLEAN = [
    "使用A股和5G网络",
    "中國GDP增長",
    "他说?A级景区",  # an ordinary question mark before a capital letter
    "中圖分類號: F426??? 文獻標志碼: A? ???",  # NBSP runs turned to `?`: no rare characters, left alone
    "张家川县“五结合五防止”持续深入推进民族团结进步创建工作(图)",
    "烟铺大樱桃红了(视频) 重磅!烟铺大樱桃正式开卖(图)",
    "穿着白T恤参加活动",  # a common character and a letter, no quote to balance
    "他说“穿着白T恤参加活动”",
    "主要措施有①加强领导②完善制度",  # circled numbers of a list
    "第⑴条规定A级景区",
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


def test_lone_question_mark_is_flagged_only_beside_other_byte_loss() -> None:
    # `，` is A3 AC: without its A3 the AC decodes to nothing and leaves a `?` between two hanzi
    damaged = "開班?全縣15個鄉鎮⒏鞑块T參加"
    result = repair_gbk(damaged)
    assert result.text == f"開班{MARK_OPEN}?{MARK_CLOSE}全縣15個鄉鎮、各部門參加"
    assert (result.repaired, result.flagged) == (1, 1)
    assert repair_gbk("他说?这是真的吗").text == "他说?这是真的吗"  # nothing else broken: a question


def test_broken_annotation_followed_by_text_in_phase() -> None:
    # `人民日報` lost its character to the shift, but what follows is in phase again: not swallowed
    result = repair_gbk("人民日?qǐng)?bào)報道稱A股上漲")
    assert result.text == f"人民日{MARK_OPEN}?qǐng)?bào){MARK_CLOSE}報道稱A股上漲"


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
