"""Every date format of SITES.md §6.2, the traps, and no guesses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsers.dates import (
    SHANGHAI,
    date_from_url,
    date_role,
    find_date,
    find_updated_date,
    labelled_dates,
    parse_date,
    year_from_url,
)

FETCHED = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


PAGE_DATES = [
    ("(2019/5/26 11:08:34)  来源:张家川县融媒体中心  打印本页", at(2019, 5, 26, 11, 8, 34), "minute"),
    ("(2013-8-22 11:04:21)", at(2013, 8, 22, 11, 4, 21), "minute"),
    ("2021/05/06/ 10:05 来源:每日甘肃网-甘肃日报 雷仕宇", at(2021, 5, 6, 10, 5), "minute"),
    ("23-08-16 10:52 来源:中国甘肃网 编辑:宋芳科", at(2023, 8, 16, 10, 52), "minute"),
    ("发布时间:2025年04月15日 09:46:00  来源: 云南网", at(2025, 4, 15, 9, 46), "minute"),
    ("发布时间: 2025年04月17日 10:05:36    来源:阿克苏日报", at(2025, 4, 17, 10, 5, 36), "minute"),
    ("2024.11.17", at(2024, 11, 17), "day"),
    ("28.09.2015  10:31", at(2015, 9, 28, 10, 31), "minute"),
    ("2016-04-14 15:23:51 星期四", at(2016, 4, 14, 15, 23, 51), "minute"),
    ("二〇一九年五月二十六日", at(2019, 5, 26), "day"),
    ("二〇二一年十二月三十一日", at(2021, 12, 31), "day"),
    ("来源:永靖县融媒体中心 浏览次数:31 发布时间:2025-05-09", at(2025, 5, 9), "day"),
    ("２０２４年１１月１７日", at(2024, 11, 17), "day"),
    ("2024年03月05日", at(2024, 3, 5), "day"),  # never 2024-01-01
    ("2025年4月15日09:46", at(2025, 4, 15, 9, 46), "minute"),
]


@pytest.mark.parametrize(("text", "value", "precision"), PAGE_DATES)
def test_page_dates(text: str, value: datetime, precision: str) -> None:
    found = find_date(text)
    assert found is not None
    assert (found.value, found.precision, found.origin) == (value, precision, "page")
    assert found.value.tzinfo is SHANGHAI


UNREADABLE = ["2024年13月05日", "2023-02-30", "浏览次数:31", "5月18日", "昨天 10:30", "3小时前", ""]


@pytest.mark.parametrize("text", UNREADABLE)
def test_no_guess(text: str) -> None:
    """No year, no fetch time, or an impossible date: None, never a default."""
    assert find_date(text) is None


def test_year_from_elsewhere() -> None:
    found = find_date("5月18日，秦安县委统战部", year=2021)
    assert found is not None and (found.value, found.precision) == (at(2021, 5, 18), "day")


RELATIVE = [
    ("昨天 10:30", at(2025, 12, 31, 10, 30), "minute"),
    ("前天", at(2025, 12, 30), "day"),
    ("今天 08:05", at(2026, 1, 1, 8, 5), "minute"),
    ("3小时前", at(2026, 1, 1), "day"),  # the hour is approximate, the day is not
    ("25分钟前", at(2026, 1, 1, 10, 35), "minute"),
    ("12天前", at(2025, 12, 20), "day"),
]


@pytest.mark.parametrize(("text", "value", "precision"), RELATIVE)
def test_relative_to_fetch_time(text: str, value: datetime, precision: str) -> None:
    found = find_date(text, now=FETCHED)
    assert found is not None and (found.value, found.precision) == (value, precision)


TRAPS = [
    # a farm's update time, a mirror's own publish time, tsrb's re-publish stamp
    ("更新时间:2025-03-31 13:17:35", "updated"),
    ("發(fā)布時(shí)間:2021-05-20 16:39", "mirror"),
    ("發布時間:2021-05-20 16:39", "mirror"),
    ("http://www.tsrb.com.cn 2016-04-14 15:23:51 星期四     字体设置:", "republish"),
]


@pytest.mark.parametrize(("text", "role"), TRAPS)
def test_traps_are_never_publish_dates(text: str, role: str) -> None:
    assert [d.role for d in labelled_dates(text)] == [role]
    assert find_date(text) is None


def test_update_time_goes_to_updated() -> None:
    found = find_updated_date("更新时间:2025-03-31 13:17:35")
    assert found is not None and found.value == at(2025, 3, 31, 13, 17, 35)


ROLES = [
    ("更新时间:", "updated"),
    ("更新于 ", "updated"),
    ("发布时间:", "published"),
    ("发布日期：", "published"),
    ("(", "published"),
    ("發(fā)布時(shí)間:", "mirror"),
    ("http://www.tsrb.com.cn ", "republish"),
    ("", "unlabelled"),
    ("秦州区融媒体中心", "unlabelled"),
]


@pytest.mark.parametrize(("label", "role"), ROLES)
def test_date_role(label: str, role: str) -> None:
    assert date_role(label) == role


def test_labelled_dates_keeps_both_dates_in_order() -> None:
    found = labelled_dates("发布时间:2025-05-09 更新时间:2025-05-10")
    assert [(d.role, d.date.value.day) for d in found] == [("published", 9), ("updated", 10)]


def test_parse_date_is_strict() -> None:
    assert parse_date("2024.11.17") is not None
    assert parse_date("2024.11.17 与 2024.11.18") is None


URLS = [
    ("http://www.tianshui.com.cn/news/zjc/201905261112464568.htm", at(2019, 5, 26)),
    ("http://www.tianshui.com.cn/news/zjc/2015032409283444201.html", at(2015, 3, 24)),
    ("http://www.topointapp.com/news/tianshui/2021052016395850083.htm", at(2021, 5, 20)),
    ("http://gansu.gscn.com.cn/system/2023/08/16/123456789.shtml", at(2023, 8, 16)),
    ("http://www.tsrb.com.cn/xwzx/2014-07/15/content_1.htm", at(2014, 7, 15)),
    ("http://wap.tsrb.com.cn/news/2014-07/15/content_1.html", at(2014, 7, 15)),
    ("https://www.aksxw.com/xw/t20250417_27995230.html", at(2025, 4, 17)),
    ("https://www.xjmty.com/awt/2024/11-17/nav-1-abcd1234.html", at(2024, 11, 17)),
    ("http://szb.gansudaily.com.cn/gsrb/pc/con/202105/06/c123.html", at(2021, 5, 6)),
    ("http://zt.yunnan.cn/system/2025/04/15/033500000.shtml", at(2025, 4, 15)),
]


@pytest.mark.parametrize(("url", "value"), URLS)
def test_date_from_url(url: str, value: datetime) -> None:
    found = date_from_url(url)
    assert found is not None and (found.value, found.precision, found.origin) == (value, "day", "url")


def test_no_date_in_url() -> None:
    assert date_from_url("http://www.zjc.gov.cn/info/1234/5678.htm") is None
    assert date_from_url("http://www.lzbs.com.cn/") is None


def test_year_from_url() -> None:
    assert (
        year_from_url("http://www.gsyongjing.gov.cn/a/art/2025/art_0123456789abcdef0123456789abcdef.html")
        == 2025
    )
    assert year_from_url("http://www.tianshui.com.cn/news/zjc/201905261112464568.htm") == 2019
    assert year_from_url("http://www.zjc.gov.cn/info/1234/5678.htm") is None
