"""Body lines as templates print them: the in-body headline, where the body ends, pager lines, cell bars."""

from __future__ import annotations

import re

from parsers.bodylines import (
    closing_repeats,
    line_key,
    split_headline,
    until_end,
    without_cell_bars,
    without_pager,
)


def test_two_line_headline_is_joined_and_taken_off_the_body() -> None:
    lines = ["张家川县召开民族团结进步创建活动", "“六进”试点工作会", "3月23日，张家川县召开……工作会。"]
    assert split_headline(lines) == ("张家川县召开民族团结进步创建活动“六进”试点工作会", lines[2:])


def test_pinyin_does_not_make_a_headline_line_look_long() -> None:
    lines = [
        "秦安縣觀摩學(xué)習(xí)清水縣、張家川縣",
        "民族團(tuán)結(jié)進(jìn)步創(chuàng)建經(jīng)驗做法",
        "為學(xué)習(xí)借鑒民族團(tuán)結(jié)進(jìn)步創(chuàng)建工作的好經(jīng)驗好做法，高質(zhì)量推動我縣民族團(tuán)結(jié)進(jìn)步創(chuàng)建工作。",
    ]
    assert split_headline(lines) == (lines[0] + lines[1], lines[2:])


def test_a_body_that_starts_at_once_has_no_headline() -> None:
    lines = ["金秋时节，甘谷县古坡镇古坡草原层林尽染，前来观光的游客络绎不绝。", "第二段。"]
    assert split_headline(lines) == (None, lines)
    assert split_headline(["（天水在线编辑：陶静）", "正文"]) == (None, ["（天水在线编辑：陶静）", "正文"])


def test_trailing_cell_bars_are_removed() -> None:
    assert without_cell_bars(["（天水在線編輯：陶靜） |", "|", "正文 | 正文"]) == [
        "（天水在線編輯：陶靜）",
        "正文 | 正文",
    ]


def test_body_ends_at_the_editor_line_and_drops_the_copyright_block() -> None:
    stops, ends = ("版权声明", "版權聲明"), ("责任编辑", "責任編輯")
    lines = ["正文一。", "正文二。", "责任编辑：王旭伟", "版权声明：", '凡文章来源为"兰州新闻网"的稿件……']
    assert until_end(lines, stops, ends) == lines[:3]
    mirror = [
        "正文。",
        "責(zé)任編輯:王旭偉",
        "版權(quán)聲明:",
        "凡文章來源為……",
    ]  # pinyin and script of a mirror
    assert until_end(mirror, stops, ends) == mirror[:2]
    assert until_end(["正文。", "版權聲明：", "凡……"], stops, ends) == ["正文。"]
    assert until_end(["正文。", "相 关 新 闻", "旧闻"], ("相关新闻",)) == ["正文。"]  # spaced as printed


def test_pager_line_and_its_page_numbers_are_not_body() -> None:
    pager = re.compile(r"^本新闻共\s*\d+\s*页")
    lines = ["第一段。", "本新闻共2页，当前在第01页", "01 02", "2024年", "（天水在线编辑：李俊锋）"]
    assert without_pager(lines, pager) == ["第一段。", "2024年", "（天水在线编辑：李俊锋）"]
    assert without_pager(["12", "第一段。"], pager) == ["12", "第一段。"]  # numbers with no pager are text


def test_the_closing_line_every_part_repeats_is_counted_once() -> None:
    credit = "（新闻来源：秦安县融媒体中心 转载：马文洁）"
    assert closing_repeats([["一。", credit], ["二。", credit], ["三。", credit]]) == 1
    assert closing_repeats([["一。", credit], ["二。"]]) == 0
    assert closing_repeats([[credit], [credit]]) == 0  # a part keeps at least one line
    assert line_key("團(tuán)結(jié) 進步") == "團結進步"
