"""The benchmark's verdicts (bench/scoring.py): what counts as an exact title and a right publish time.

Real strings from the real-page corpus (bench/realpages) and from what the peers return for it.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bench.scoring import Stamp, body_prf, gold_stamp, ours_stamp, peer_stamp, same_title, time_verdict
from parsers.dates import SHANGHAI


@pytest.mark.parametrize(
    ("got", "gold", "same"),
    [
        ("四年前中500万现穷困潦倒 一夜暴富后如何经营", "四年前中500万现穷困潦倒 一夜暴富后如何经营", True),
        # a space between two CJK runs is part of the headline
        ("四年前中500万现穷困潦倒一夜暴富后如何经营", "四年前中500万现穷困潦倒 一夜暴富后如何经营", False),
        # whitespace runs read as one space, as a browser shows them; ends do not count
        (" 民间资本成投资活动的主体\n  民间资本路在何方 ", "民间资本成投资活动的主体 民间资本路在何方", True),
        # width folding and script are the same for every tool
        ("２０２４年４月全国CPI同比上涨０.３%", "2024年4月全国CPI同比上涨0.3%", True),
        ("劉德賓報道", "刘德宾报道", True),
        ("政能亮丨“稳经济”需要跑出“加速度”", "“稳经济”需要跑出“加速度”", False),
        (None, "突发！新疆地震", False),
    ],
)
def test_title_exact_keeps_inner_spaces(got, gold, same):
    assert same_title(got, gold) is same


def test_title_without_spaces_is_a_separate_question():
    gold = "娱乐圈受黑社会控制？ 明星挨打事件回顾"
    assert same_title("娱乐圈受黑社会控制？明星挨打事件回顾", gold, spaces=False)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2024-05-13 06:16", datetime(2024, 5, 13, 6, 16), "minute"),
        ("2024年05月10日 00:26", datetime(2024, 5, 10, 0, 26), "minute"),
        ("2024-05-13T09:16:04+08:00", datetime(2024, 5, 13, 9, 16, 4), "second"),
        ("2022-02-06T12:48:06+00:00", datetime(2022, 2, 6, 20, 48, 6), "second"),  # rfi_1: UTC -> China
        ("2024-05-09T14:30:07.000Z", datetime(2024, 5, 9, 22, 30, 7), "second"),
        ("2024-05-11 00:00:00", datetime(2024, 5, 11), "day"),  # trafilatura's format for a date alone
        ("2024.05.11", datetime(2024, 5, 11), "day"),
        ("23-08-16 10:52", datetime(2023, 8, 16, 10, 52), "minute"),  # a two-digit year as printed
    ],
)
def test_peer_date_strings_are_read_in_china_time(text, value, precision):
    assert peer_stamp(text) == Stamp(value, precision)


def test_unreadable_peer_dates_are_no_answer():
    assert peer_stamp(None) is None
    assert peer_stamp("昨天") is None


def test_ours_keeps_shown_seconds_and_day_precision():
    at = datetime(2024, 5, 9, 22, 27, 2, tzinfo=SHANGHAI)
    assert ours_stamp(at, "minute") == Stamp(datetime(2024, 5, 9, 22, 27, 2), "second")
    assert ours_stamp(at.replace(second=0), "minute") == Stamp(datetime(2024, 5, 9, 22, 27), "minute")
    assert ours_stamp(at, "day") == Stamp(datetime(2024, 5, 9), "day")
    assert ours_stamp(None, "none") is None


@pytest.mark.parametrize(
    ("got", "gold", "verdict"),
    [
        ("2024-05-10 00:26", "2024-05-10T00:26", "right"),
        ("2024-05-10 00:26:45", "2024-05-10T00:26", "right"),  # more precise than printed is fine
        ("2024-05-10 05:54:20", "2024-05-10T00:26", "wrong"),  # sina_4's meta: the update time
        ("2024-05-10", "2024-05-10T00:26", "less_precise"),
        ("2024-05-09", "2024-05-10T00:26", "wrong"),
        (None, "2024-05-10T00:26", "missing"),
        ("2024-05-13 06:03", "2024-05-13T06:03:00", "right"),  # seconds printed as :00
        ("2024-05-22 07:16", "2024-05-22T07:16:06", "less_precise"),
        ("2024-05-22 07:16:05", "2024-05-22T07:16:06", "wrong"),
        ("2024-05-11 09:00", "2024-05-11", "right"),  # m1905_1 prints a date only
        (None, None, "right"),  # bjmu_1 prints no date: only no answer is right
        ("2005-04-05 06:40", None, "wrong"),  # yahoo_1's 更新 time is not a publish time
    ],
)
def test_time_is_right_at_the_golds_precision_and_wrong_is_not_missing(got, gold, verdict):
    assert time_verdict(peer_stamp(got), gold_stamp(gold)) == verdict


def test_body_bigrams_ignore_whitespace_and_punctuation():
    gold = "　　新华社北京5月19日电\n\n（记者 张三）今天，"
    assert body_prf("新华社北京5月19日电(记者张三)今天", gold).f1 == 1.0
    half = body_prf("新华社北京5月19日电", gold)
    assert half.precision == 1.0 and half.recall < 0.7
    assert body_prf("", "").f1 == 1.0 and body_prf("", gold).f1 == 0.0
