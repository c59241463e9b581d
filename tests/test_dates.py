"""The date engine on real strings: every printed form, every label role, the ranking of a
page's candidates, machine-stated dates, URL dates and datelines, and no guesses.

Each string is copied from a real page (the page is named in a comment: `rp:<id>` is a page of
the real-page corpus, `fx:<parser>/<case>` a fixture, `SITES.md` the seed-site notes), and each
rule is exercised by strings from more than one page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from parsers.dates import (
    SHANGHAI,
    MachineDates,
    ParsedDate,
    Stated,
    date_from_url,
    date_role,
    dateline_date,
    find_date,
    find_updated_date,
    labelled_dates,
    parse_date,
    publish_time,
    read_machine_dates,
    read_stated,
    reference_time,
    year_from_url,
)
from parsers.dom import meta_contents, parse_html
from parsers.records import Page

FETCHED = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


# -- printed forms ------------------------------------------------------------------------

PRINTED = [
    # numeric year-month-day with a time, minutes or seconds as printed
    # fx:tianshui/zjc_2019_seed000
    ("(2019/5/26 11:08:34)  来源:张家川县融媒体中心  打印本页", at(2019, 5, 26, 11, 8, 34), "minute"),
    ("(2013-8-22 11:04:21)", at(2013, 8, 22, 11, 4, 21), "minute"),  # fx:tianshui/qs_2013
    # fx:generic/gansudaily_qinqiang
    ("2021/05/06/ 10:05 来源:每日甘肃网-甘肃日报 雷仕宇", at(2021, 5, 6, 10, 5), "minute"),
    ("2024-05-13 09:16:04\u3000来源:", at(2024, 5, 13, 9, 16, 4), "minute"),  # rp:netease_4
    ("2023-11-07 09:12:45来源：兰州新闻网字号：大 中 小", at(2023, 11, 7, 9, 12, 45), "minute"),  # fx:lzbs
    ("2016-04-14 15:23:51 星期四     字体设置:", at(2016, 4, 14, 15, 23, 51), "minute"),  # fx:generic/tsrb
    ("2024-05-13 06:16", at(2024, 5, 13, 6, 16), "minute"),  # rp:qq_1
    # 年月日 with and without a space before the time
    ("发布时间:2025年04月15日 09:46:00  来源: 云南网", at(2025, 4, 15, 9, 46), "minute"),  # fx:yunnan
    ("2024年05月10日06:58 | 来源：", at(2024, 5, 10, 6, 58), "minute"),  # rp:people_1
    ("2024年05月10日 00:26", at(2024, 5, 10, 0, 26), "minute"),  # rp:sina_4
    ("http://www.sina.net 2005年03月21日 11:21", at(2005, 3, 21, 11, 21), "minute"),  # rp:sina_1
    ("2004年7月16日08:19", at(2004, 7, 16, 8, 19), "minute"),  # rp:sohu_2
    ("时间：2004年10月21日14:18", at(2004, 10, 21, 14, 18), "minute"),  # rp:sohu_5
    ("2024年01月25日 18:03:35", at(2024, 1, 25, 18, 3, 35), "minute"),  # rp:ifeng_1
    # dots, date only
    ("2024.11.17", at(2024, 11, 17), "day"),  # fx:xjmty
    ("时间：2024.05.11", at(2024, 5, 11), "day"),  # rp:m1905_1
    ("来源:永靖县融媒体中心 浏览次数:31 发布时间:2025-05-09", at(2025, 5, 9), "day"),  # SITES.md Hanweb
    # day first: a foreign service's Chinese page, a Russian-market outlet
    ("06/02/2022 - 13:48", at(2022, 2, 6, 13, 48), "minute"),  # rp:rfi_1
    ("28.09.2015  10:31", at(2015, 9, 28, 10, 31), "minute"),  # SITES.md baogaosu
    # two-digit year with a time
    ("23-08-16 10:52 来源:中国甘肃网 编辑:宋芳科", at(2023, 8, 16, 10, 52), "minute"),  # fx:generic/gscn
    # Chinese numerals: documents and e-paper mastheads
    ("二〇一九年五月二十六日", at(2019, 5, 26), "day"),  # SITES.md
    ("二〇二一年十二月三十一日", at(2021, 12, 31), "day"),
    # full-width digits and colon
    ("２０２４年１１月１７日", at(2024, 11, 17), "day"),
    ("发布时间：２０２５－０５－０９　１６：２７", at(2025, 5, 9, 16, 27), "minute"),
]


@pytest.mark.parametrize(("text", "value", "precision"), PRINTED)
def test_printed_forms(text: str, value: datetime, precision: str) -> None:
    found = find_date(text)
    assert found is not None
    assert (found.value, found.precision, found.origin) == (value, precision, "page")
    assert found.value.tzinfo is SHANGHAI


MONTH_ONLY = [
    ("发布时间：2019年5月", at(2019, 5, 1)),  # a monthly report's stamp
    ("二〇二四年六月", at(2024, 6, 1)),
]


@pytest.mark.parametrize(("text", "value"), MONTH_ONLY)
def test_month_precision(text: str, value: datetime) -> None:
    found = find_date(text)
    assert found is not None and (found.value, found.precision) == (value, "month")


UNREADABLE = ["2024年13月05日", "2023-02-30", "浏览次数:31", "5月18日", "昨天 10:30", "3小时前", "", "1,088"]


@pytest.mark.parametrize("text", UNREADABLE)
def test_no_guess(text: str) -> None:
    """No year, no fetch time, or an impossible date: None, never a default."""
    assert find_date(text) is None


def test_year_from_elsewhere() -> None:
    found = find_date("5月18日", year=2021)
    assert found is not None and (found.value, found.precision) == (at(2021, 5, 18), "day")


@pytest.mark.parametrize(
    ("text", "anchor", "value"),
    [
        ("5月10日09:01", date(2024, 5, 10), at(2024, 5, 10, 9, 1)),  # rp:sina_4 side column, URL 2024-05-10
        ("05月10日", date(2024, 5, 9), at(2024, 5, 10)),  # rp:toutiao_1 list, article of 2024-05-09
        ("12月31日 23:50", date(2025, 1, 1), at(2024, 12, 31, 23, 50)),  # the nearest year, not the URL's
    ],
)
def test_a_date_without_its_year_takes_the_nearest_year_of_the_page(text, anchor, value) -> None:
    found = find_date(text, anchor=anchor)
    assert found is not None and found.value == value


def test_a_date_without_its_year_takes_the_fetch_year_unless_that_is_the_future() -> None:
    assert find_date("05-13 06:16", now=FETCHED).value == at(2025, 5, 13, 6, 16)  # type: ignore[union-attr]
    assert find_date("01-01 08:05", now=FETCHED).value == at(2026, 1, 1, 8, 5)  # type: ignore[union-attr]


RELATIVE = [
    ("昨天 10:30", at(2025, 12, 31, 10, 30), "minute"),
    ("前天 12:14", at(2025, 12, 30, 12, 14), "minute"),  # rp:netease_4 comment list
    ("今天 08:05", at(2026, 1, 1, 8, 5), "minute"),
    ("3小时前", at(2026, 1, 1), "day"),  # the hour is approximate, the day is not
    ("21分钟前", at(2026, 1, 1, 10, 39), "minute"),  # rp:toutiao_1 side column
    ("12天前", at(2025, 12, 20), "day"),
    ("刚刚", at(2026, 1, 1, 11, 0), "minute"),
]


@pytest.mark.parametrize(("text", "value", "precision"), RELATIVE)
def test_relative_to_fetch_time(text: str, value: datetime, precision: str) -> None:
    found = find_date(text, now=FETCHED)
    assert found is not None and (found.value, found.precision) == (value, precision)


def test_relative_dates_need_a_fetched_page() -> None:
    """A loaded file's modification time is no reference (a copy resets it)."""
    assert reference_time(Page(url="http://a/", body=b"", fetched_at=FETCHED, origin="http")) == FETCHED
    assert reference_time(Page(url="http://a/", body=b"", fetched_at=FETCHED, origin="file")) is None


GLUED = [
    "东方网记者曹磊5月13日报道：2024年5月19日是第14个中国旅游日",  # rp:east021_1
    "2024年4月份，全国居民消费价格同比上涨0.3%。",  # rp:caijing_1
    "据央视新闻消息，2024年5月16日，江苏省无锡市中级人民法院一审公开开庭",  # rp:sina_5
    "2024年4月全国CPI同比上涨0.3% 食品价格下降2.7%",  # rp:caijing_1 headline: not a month stamp
]


@pytest.mark.parametrize("text", GLUED)
def test_dates_in_running_text_are_not_stamps(text: str) -> None:
    assert publish_time(header=text, url="http://a.cn/art/2024/art_1.html").published is None


# -- roles --------------------------------------------------------------------------------

ROLES = [
    # publish labels, odd spacing included
    ("发布时间:2025-05-09 16:27", "published"),  # fx:generic/hanweb_yongjing
    ("发稿时间：2024-05-13 06:03:00", "published"),  # rp:youth_1
    ("发表时间： 06/02/2022 - 13:48", "published"),  # rp:rfi_1
    ("时间：2024.05.11", "published"),  # rp:m1905_1
    ("发布时间 ：2025年04月17日 10:05:36", "published"),  # SITES.md 阿克苏新闻网, spaced colon
    ("发布日期：2024-06-12", "published"),
    # update stamps, before or after the date
    ("更新时间：2025-03-31 13:17:35", "updated"),  # fx:tftnews/suijiang_seed
    ("更新时间：2025-03-26 19:02:47", "updated"),  # fx:tftnews/ludian_long
    ("2005-04-05 06:40更新 来源：转载文章", "updated"),  # rp:yahoo_1
    ("2005-01-06 08:13更新 来源：转载文章", "updated"),  # rp:yahoo_5
    # mirrors' own copy time
    ("發(fā)布時(shí)間:2021-05-20 16:39", "mirror"),  # SITES.md topointapp
    ("發布時間:2021-05-20 16:39", "mirror"),
    # top-bar banners (label as on fx:tianshui and fx:generic/gansudaily, date as their script renders it)
    ("今天是：2024年6月12日 星期三", "banner"),
    ("欢迎访问每日甘肃网！今天是2024年6月12日 星期三", "banner"),
    ("2024年6月12日 星期三 农历五月初七", "banner"),
    # an e-paper's link to its old edition
    ("查看旧版(2019年6月1号以前)", "archive"),
    ("往期回顾 2024-06-11", "archive"),
    # comments, and dates a label names as something else
    ("评论时间：2024-05-23 07:20:03", "comment"),
    ("成文日期：2024-06-10", "other"),
    ("活动时间：2024-05-17", "other"),
    # no label at all
    ("2024-05-13 09:16:04", "unlabelled"),  # rp:netease_4
    ("http://www.tsrb.com.cn 2016-04-14 15:23:51 星期四", "unlabelled"),  # fx:generic/tsrb (its URL decides)
]


@pytest.mark.parametrize(("text", "role"), ROLES)
def test_roles(text: str, role: str) -> None:
    assert [d.role for d in labelled_dates(text)] == [role]


def test_labels_on_the_line_above() -> None:
    """Header text split at every element still carries the label of the span before."""
    found = labelled_dates("发表时间：\n06/02/2022 - 13:48\n音频 04:29")  # rp:rfi_1
    assert [(d.role, d.label) for d in found] == [("published", "发表时间：")]
    assert [d.role for d in labelled_dates("更新时间：\n2025-03-31 13:17:35")] == ["updated"]


def test_only_publish_and_unlabelled_dates_are_found() -> None:
    assert find_date("更新时间:2025-03-31 13:17:35") is None
    assert find_date("今天是：2024年6月12日 星期三") is None
    found = find_updated_date("更新时间:2025-03-31 13:17:35")
    assert found is not None and found.value == at(2025, 3, 31, 13, 17, 35)


def test_date_role_reads_the_label_before_and_the_word_after() -> None:
    assert date_role("发布时间:") == "published"
    assert date_role("", "更新 来源：转载文章") == "updated"
    assert date_role("", "更新时间：2024-05-14") == "unlabelled"  # the next stamp's label, not this one's
    assert date_role("查看旧版(", "以前)") == "archive"


def test_labelled_dates_keeps_both_dates_in_order() -> None:
    found = labelled_dates("发布时间:2025-05-09 更新时间:2025-05-10")
    assert [(d.role, d.date.value.day) for d in found] == [("published", 9), ("updated", 10)]


def test_parse_date_is_strict() -> None:
    assert parse_date("2024.11.17") is not None
    assert parse_date("2024.11.17 与 2024.11.18") is None
    assert parse_date("2024-05-13 09:16:04 来源:北青网") is None


# -- URL dates ----------------------------------------------------------------------------

URLS = [
    ("http://www.tianshui.com.cn/news/zjc/201905261112464568.htm", at(2019, 5, 26)),  # fx:tianshui
    ("http://www.tianshui.com.cn/news/qa/2023012009421178325_2.htm", at(2023, 1, 20)),  # page 2
    ("http://www.topointapp.com/news/tianshui/2021052016395850083.htm", at(2021, 5, 20)),  # fx:mirror
    ("http://gansu.gscn.com.cn/system/2023/08/16/013012601.shtml", at(2023, 8, 16)),  # fx:generic/gscn
    ("http://www.tsrb.com.cn/xwzx/2014-07/15/content_1231057.htm", at(2014, 7, 15)),  # fx:generic/tsrb
    ("https://www.aksxw.com/xw/t20250417_27995230.html", at(2025, 4, 17)),  # SITES.md TRS
    ("https://news.youth.cn/gn/202405/t20240513_15249693.htm", at(2024, 5, 13)),  # rp:youth_1
    ("https://www.xjmty.com/awtx/2024/11-17/nav-12-Qk3mZ8aT.html", at(2024, 11, 17)),  # fx:xjmty
    ("http://szb.gansudaily.com.cn/gsrb/pc/con/202105/06/c123.html", at(2021, 5, 6)),  # SITES.md e-paper
    ("http://finance.people.com.cn/n1/2024/0510/c1004-40232587.html", at(2024, 5, 10)),  # rp:people_1
    ("https://news.sina.com.cn/c/2024-05-10/doc-inausehc2630922.shtml", at(2024, 5, 10)),  # rp:sina_4
    ("https://politics.gmw.cn/2024-05/13/content_37319243.htm", at(2024, 5, 13)),  # rp:gmw_1
    ("https://www.1905.com/news/20240511/1674843.shtml", at(2024, 5, 11)),  # rp:m1905_1
    ("http://www.news.cn/politics/leaders/20240509/3dd6e33cc6d749fbaae01fea337ff400/c.html", at(2024, 5, 9)),
    ("https://www.zj.gov.cn/art/2024/6/12/art_1554467_60214548.html", at(2024, 6, 12)),  # Hanweb, unpadded
]


@pytest.mark.parametrize(("url", "value"), URLS)
def test_date_from_url(url: str, value: datetime) -> None:
    found = date_from_url(url)
    assert found is not None and (found.value, found.precision, found.origin) == (value, "day", "url")


@pytest.mark.parametrize(
    "url",
    [
        "http://www.qinzhouqu.gov.cn/info/1031/56789.htm",  # fx:generic/qinzhouqu
        "http://www.lzbs.com.cn/",
        "https://www.163.com/dy/article/J22CN60P0514R9KQ.html",  # rp:netease_4
        "https://www.toutiao.com/article/7367007067191640576/?log_from=194eba7dc9a22_1715309867993",
        "http://www.tianshui.com.cn/news/zjc/2019133112124645684.htm",  # month 13
    ],
)
def test_no_date_in_url(url: str) -> None:
    assert date_from_url(url) is None


def test_year_from_url() -> None:
    hanweb = "http://www.gsyongjing.gov.cn/yjx/xnyw/art/2025/art_3f9a1c7e5b2d48e6a0c1d2e3f4a5b6c7.html"
    assert year_from_url(hanweb) == 2025  # fx:generic/hanweb_yongjing
    assert year_from_url("http://www.tianshui.com.cn/news/zjc/201905261112464568.htm") == 2019
    assert year_from_url("http://www.zjc.gov.cn/info/1234/5678.htm") is None


# -- machine-stated dates -----------------------------------------------------------------

STATED = [
    ("2024-05-13T09:16:04+08:00", at(2024, 5, 13, 9, 16, 4), timedelta(hours=8)),  # rp:netease_4
    ("2022-02-06T12:48:06+00:00", at(2022, 2, 6, 20, 48, 6), timedelta(0)),  # rp:rfi_1
    ("2024-03-01T02:30:00Z", at(2024, 3, 1, 10, 30), timedelta(0)),
    ("2024-05-13 06:15", at(2024, 5, 13, 6, 15), None),  # rp:sohu_7 og:release_date
    ("2024-05-10 00:26:45", at(2024, 5, 10, 0, 26, 45), None),  # rp:sina_4 weibo: article:create_at
    ("1659274471", at(2022, 7, 31, 21, 34, 31), timedelta(0)),  # rp:weixin_1's ct, as epoch seconds
]


@pytest.mark.parametrize(("value", "want", "offset"), STATED)
def test_read_stated(value: str, want: datetime, offset: timedelta | None) -> None:
    found = read_stated(value)
    assert found is not None and (found.date.value, found.offset) == (want, offset)
    assert read_stated(" 2024-05-13").date.precision == "day"  # type: ignore[union-attr]  # rp:chinacomcn_1


def _machine(head: str, body: str = "") -> MachineDates:
    tree = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    return read_machine_dates(tree, meta_contents(tree))


def test_meta_tags_by_preference_with_spaces_in_names() -> None:
    found = _machine(  # rp:sina_4: the published_time meta is the update time, create_at the publish time
        '<meta name="weibo: article:create_at" content="2024-05-10 00:26:45">'
        '<meta name="weibo: article:update_at" content="2024-05-10 05:54:19">'
        '<meta property="article:published_time" content="2024-05-10T05:54:20+08:00">'
    )
    assert found.published is not None and found.published.date.value == at(2024, 5, 10, 5, 54, 20)
    assert found.updated is not None and found.updated.date.value == at(2024, 5, 10, 5, 54, 19)
    gov = _machine('<meta name="PubDate" content="2024-06-12 09:30">')
    assert gov.published is not None and gov.published.date.value == at(2024, 6, 12, 9, 30)
    people = _machine('<meta name="publishdate" content="2024-05-10">')
    assert people.published is not None and people.published.date.precision == "day"  # rp:people_1


def test_json_ld_and_broken_json_ld() -> None:
    good = '<script type="application/ld+json">[{"@type":"NewsArticle","datePublished":"2024-05-09T22:30:07+08:00","dateModified":"2024-05-23T11:55:04+08:00"}]</script>'  # noqa: E501  rp:toutiao_1
    found = _machine(good)
    assert found.published is not None and found.published.date.value == at(2024, 5, 9, 22, 30, 7)
    assert found.updated is not None and found.updated.date.value == at(2024, 5, 23, 11, 55, 4)
    broken = '<script type="application/ld+json">{"headline":"标题\n", "datePublished": "2022-02-06T12:48:06+00:00",}</script>'  # noqa: E501
    found = _machine(broken)
    assert found.published is not None and found.published.date.value == at(2022, 2, 6, 20, 48, 6)


_WECHAT = '<meta property="og:site_name" content="微信公众平台" />'


def test_wechat_time_is_read_from_its_script() -> None:
    """WeChat fills <em id="publish_time"> from `var ct` (rp:weixin_1) or, on older pages, from
    `var publish_time` (a date)."""
    new = (
        '<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>'
        '<script>var ct = "1659274471";</script>'
    )
    found = _machine(_WECHAT, new)
    assert found.published is not None
    assert (found.published.date.value, found.published.date.precision) == (at(2022, 7, 31, 21, 34), "minute")
    old = '<em id="publish_time"></em><script>var publish_time = "2017-06-20" || "";</script>'
    found = _machine(_WECHAT, old)
    assert found.published is not None and found.published.date.value == at(2017, 6, 20)
    assert _machine("", '<script>var ct = "1659274471";</script>').published is None


# -- ranking a page's candidates ----------------------------------------------------------


def _stated(value: str) -> MachineDates:
    return MachineDates(published=read_stated(value))


def test_the_date_beside_the_headline_wins_at_its_printed_precision() -> None:
    # rp:sina_4: printed to the minute beside the headline; the meta says 05:54:20 (the update)
    header = "正文\n城市有轨电车之困：一边争相上马，一边接连叫停\n2024年05月10日 00:26\n每日经济新闻\n举报"
    got = publish_time(
        header=header,
        headline="城市有轨电车之困：一边争相上马，一边接连叫停",
        machine=_stated("2024-05-10T05:54:20+08:00"),
        url="https://news.sina.com.cn/c/2024-05-10/doc-inausehc2630922.shtml",
    )
    assert (got.published, got.rule) == (ParsedDate(at(2024, 5, 10, 0, 26), "minute", "page"), "beside")
    # rp:toutiao_1: JSON-LD has seconds, the page prints minutes
    header = "新华全媒+丨积极因素不断增多 “质升量稳”动能增强\n2024-05-09 22:30\n·\n新华社"
    got = publish_time(
        header=header, headline="新华全媒+丨积极因素不断增多", machine=_stated("2024-05-09T22:30:07+08:00")
    )
    assert got.published == ParsedDate(at(2024, 5, 9, 22, 30), "minute", "page")


def test_a_labelled_date_wins_over_an_unlabelled_one() -> None:
    # rp:youth_1 beside the headline; a related item's date above it
    header = "\n".join(
        (
            "2024-05-12 10:00:00",
            "我国首届养老专业本科生迎来毕业季",
            "发稿时间：2024-05-13 06:03:00",
            "来源：",
            "中国青年报",
        )
    )
    got = publish_time(header=header, headline="我国首届养老专业本科生迎来毕业季")
    assert (got.published.value, got.rule) == (at(2024, 5, 13, 6, 3), "label")  # type: ignore[union-attr]


def test_a_labelled_date_under_the_headline_wins_over_one_above_it() -> None:
    header = "\n".join(
        ("发布时间:2025-05-09 16:27", "我国首届养老专业本科生迎来毕业季", "发稿时间：2024-05-13 06:03:00")
    )  # a listed item's stamp (fx:generic/hanweb_yongjing) above rp:youth_1's header
    got = publish_time(header=header, headline="我国首届养老专业本科生迎来毕业季")
    assert got.published is not None and got.published.value == at(2024, 5, 13, 6, 3)


def test_banners_and_archive_links_are_never_the_publish_time() -> None:
    header = (
        "欢迎访问每日甘肃网！今天是2024年6月12日 星期三\n查看旧版(2019年6月1号以前)\n"
        "某县召开会议 部署秋冬季防火工作"
    )
    got = publish_time(header=header, headline="某县召开会议 部署秋冬季防火工作")
    assert got.published is None
    got = publish_time(
        header=header, headline="某县召开会议 部署秋冬季防火工作", url="http://a.cn/2024-06/10/c_1.htm"
    )
    assert (got.published, got.rule) == (ParsedDate(at(2024, 6, 10), "day", "url"), "url")


def test_an_update_time_goes_to_updated_and_no_date_is_none() -> None:
    # rp:yahoo_1 and rp:yahoo_5 print only an update time
    for line in ("2005-04-05 06:40更新 来源：转载文章", "2005-01-06 08:13更新 来源：转载文章"):
        got = publish_time(
            header=f"多数夫妻生活有名无实\n{line}\n第1页/共1页", headline="多数夫妻生活有名无实"
        )
        assert got.published is None and got.rule == "none"
        assert got.updated is not None and got.updated.precision == "minute"


def test_an_unplaced_date_that_contradicts_the_meta_gives_way() -> None:
    got = publish_time(header="热点\n2024-04-20 17:03", machine=_stated("2024-05-13"))
    assert (got.published.value, got.rule) == (at(2024, 5, 13), "machine")  # type: ignore[union-attr]


def test_a_date_above_the_headline_counts_only_on_the_url_day() -> None:
    # a top-bar date above the headline (the page's day only where the URL names it)
    header = "2021年05月06日 星期四\n首页 > 要闻\n某县召开会议 部署秋冬季防火工作"
    url = "http://szb.gansudaily.com.cn/gsrb/pc/con/202105/06/c123.html"
    got = publish_time(header=header, headline="某县召开会议 部署秋冬季防火工作", url=url)
    assert (got.published, got.rule) == (ParsedDate(at(2021, 5, 6), "day", "page"), "above")
    got = publish_time(
        header=header, headline="某县召开会议 部署秋冬季防火工作", url=url.replace("/06/", "/07/")
    )
    assert got.rule == "url"


def test_an_unplaced_header_date_far_from_the_url_day_is_not_taken() -> None:
    # the headline was not located: a top bar's "today" two weeks after the URL's day
    header = "2024年06月12日 星期三\n首页 > 要闻\n某县召开会议"
    got = publish_time(
        header=header, headline="标题不在页头里", url="https://www.aksxw.com/xw/t20240529_1.html"
    )
    assert (got.published, got.rule) == (ParsedDate(at(2024, 5, 29), "day", "url"), "url")


EDITIONS = [
    # a newspaper edition's date: print-source lines of portal reprints, e-paper mastheads
    ("《 人民日报 》（ 2024年05月10日   04 版）", at(2024, 5, 10)),  # rp:people_1
    ("《光明日报》（2024年05月20日 03版）", at(2024, 5, 20)),  # rp:gmw_2
    ("2021年05月06日 星期四\n第01版：要闻", at(2021, 5, 6)),
    ("第A03版：经济 2024年06月12日 星期三", at(2024, 6, 12)),
]


@pytest.mark.parametrize(("text", "value"), EDITIONS)
def test_an_edition_date_is_labelled(text: str, value: datetime) -> None:
    found = labelled_dates(text)
    assert [(d.role, d.date.value) for d in found] == [("published", value)]


def test_a_printed_date_a_week_after_the_url_date_is_a_republish_stamp() -> None:
    # fx:generic/tsrb: a 2014 story shown with a 2016 stamp; rp:sina_1: no URL, the stamp stands
    got = publish_time(
        header="http://www.tsrb.com.cn 2016-04-14 15:23:51 星期四     字体设置:",
        url="http://www.tsrb.com.cn/xwzx/2014-07/15/content_1231057.htm",
    )
    assert (got.published, got.rule) == (ParsedDate(at(2014, 7, 15), "day", "url"), "republish")
    assert got.updated is not None and got.updated.value == at(2016, 4, 14, 15, 23, 51)
    got = publish_time(header="http://www.sina.net 2005年03月21日 11:21")
    assert got.published is not None and got.published.value == at(2005, 3, 21, 11, 21)


def test_a_time_printed_in_another_zone_is_the_stated_instant() -> None:
    # rp:rfi_1 prints Paris time; its meta is UTC
    got = publish_time(
        header="发表时间：\n06/02/2022 - 13:48\n音频 04:29", machine=_stated("2022-02-06T12:48:06+00:00")
    )
    assert got.published == ParsedDate(at(2022, 2, 6, 20, 48), "minute", "page")
    # rp:sina_3 prints China time; a +08:00 meta leaves it as printed
    got = publish_time(header="2016年05月25日10:10", machine=_stated("2016-05-25T10:10:19+08:00"))
    assert got.published == ParsedDate(at(2016, 5, 25, 10, 10), "minute", "page")
    # a CMS writing China time with a wrong Z: the printed China time stands
    got = publish_time(header="2024-05-13 06:16", machine=_stated("2024-05-13T06:16:00Z"))
    assert got.published == ParsedDate(at(2024, 5, 13, 6, 16), "minute", "page")


def test_relative_and_year_less_dates_beside_the_headline() -> None:
    now = datetime(2024, 5, 13, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai
    got = publish_time(header="标题一二三四五\n3小时前\n来源：某某网", headline="标题一二三四五", now=now)
    assert got.published == ParsedDate(at(2024, 5, 13), "day", "page")
    got = publish_time(header="标题一二三四五\n05-13 06:16", headline="标题一二三四五", now=now)
    assert got.published == ParsedDate(at(2024, 5, 13, 6, 16), "minute", "page")
    # a headline that speaks of "just now" is not a time
    got = publish_time(
        header="刚刚，国务院发布重要通知\n来源：某某网", headline="刚刚，国务院发布重要通知", now=now
    )
    assert got.published is None


def test_a_labelled_date_under_the_body_needs_the_meta_or_url_day_unless_alone() -> None:
    tail = "发布日期：2024-06-12\n相关新闻\n发布日期：2024-06-01"
    assert publish_time(tail=tail).published == ParsedDate(at(2024, 6, 12), "day", "page")
    got = publish_time(tail=tail, url="http://www.example.gov.cn/art/2024/6/1/art_1_2.html")
    assert (got.published, got.rule) == (ParsedDate(at(2024, 6, 1), "day", "page"), "tail")


def test_the_url_is_the_fallback_and_nothing_is_none() -> None:
    got = publish_time(
        header="浏览次数:31 字号:大 中 小", url="http://www.tianshui.com.cn/news/zjc/201905261112464568.htm"
    )
    assert (got.published, got.rule) == (ParsedDate(at(2019, 5, 26), "day", "url"), "url")
    assert (
        publish_time(
            header="浏览次数:31 字号:大 中 小", url="http://www.zjc.gov.cn/info/1234/5678.htm"
        ).published
        is None
    )


# -- datelines ----------------------------------------------------------------------------

DATELINES = [
    (
        "新华社乌鲁木齐5月9日电（记者邹伟）中共中央政治局常委",
        "http://www.news.cn/x/20240509/c.html",
        at(2024, 5, 9),
    ),  # rp:xinhua_1
    (
        "人民网北京5月9日电 （记者栗翘楚）记者今日从中国贸促会获悉",
        "http://a.people.com.cn/n1/2024/0510/c1-1.html",
        at(2024, 5, 9),
    ),
    (
        "中国网5月13日讯 据呼和浩特市人民政府网站消息",
        "http://news.china.com.cn/2024-05/13/content_1.shtml",
        at(2024, 5, 13),
    ),
    (
        "央广网北京2月13日消息 据中央广播电视总台中国之声",
        "http://www.example.cn/art/2022/art_1.html",
        at(2022, 2, 13),
    ),
    (
        "秦州区融媒体中心8月8日讯 近日",
        "http://www.example.gov.cn/art/2024/art_ab.html",
        at(2024, 8, 8),
    ),  # SITES.md qinzhouqu
]


@pytest.mark.parametrize(("para", "url", "value"), DATELINES)
def test_dateline_with_the_url_year(para: str, url: str, value: datetime) -> None:
    found = dateline_date([para], url)
    assert found is not None and (found.value, found.precision, found.origin) == (value, "day", "page")


def test_dateline_without_a_url_year_is_none() -> None:
    assert (
        dateline_date(["秦州区融媒体中心8月8日讯 近日"], "http://www.qinzhouqu.gov.cn/info/1031/56789.htm")
        is None
    )
    assert dateline_date(["2024年5月19日是第14个中国旅游日"], "http://a.cn/2024/05/13/1.html") is None


def test_stated_offsets_are_kept() -> None:
    assert Stated(ParsedDate(at(2024, 1, 1), "day", "page")).offset is None


@pytest.mark.parametrize(
    ("header", "value"),
    [
        # news.cn prints year, month/day and time in spans of their own (xinhua_1 of the corpus)
        ("2024\n05/09\n22:27:02\n来源：新华网\n标题", at(2024, 5, 9, 22, 27, 2)),
        # the same widget with the month and day in <em>s of their own (2020 template)
        (" 2024\n 05\n/\n 17\n 09:31:22\n 来源：新华网", at(2024, 5, 17, 9, 31, 22)),
        # portal date blocks: `2024-05` over the day, `2024年` over `05月17日`
        ("2024-05\n17\n标题", at(2024, 5, 17)),
        ("2024年\n05月17日\n标题", at(2024, 5, 17)),
    ],
)
def test_a_date_widget_split_over_lines_is_read_as_one_stamp(header: str, value: datetime) -> None:
    found = publish_time(header=header, url="http://www.news.cn/x/c.html")
    assert found.published is not None and found.published.value == value


@pytest.mark.parametrize("header", ["2024\n来源：新华网", "共2024\n5\n/\n7", "2023\n12\n以来"])
def test_a_year_alone_on_a_line_is_not_a_date(header: str) -> None:
    assert publish_time(header=header).published is None
