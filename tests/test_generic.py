"""The generic parser, as a user of an unknown site would check it.

Two parts: the generic parser run on EVERY fixture page (as if no site parser existed) must
get most of the body and none of the chrome; and table-driven checks of its pieces (titles,
dates, credits, list pages) on small real-shaped strings and pages.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bench.scoring import body_prf
from parsers.generic import GenericParser, parse_credits
from parsers.headline import split_site_suffix
from parsers.records import NotAnArticle, Page, ParseError
from tests.fixture_cases import Case, all_cases

GENERIC = GenericParser()
ARTICLES = [c for c in all_cases() if not c.expected.get("not_article")]
LISTS = [c for c in all_cases() if c.expected.get("not_article")]
BODY_F1_FLOOR = 0.85  # per page; the bench reports the exact numbers
# Metadata lines are normalization's to remove (they stay in a parser's raw text): the
# generic check covers page chrome only, which is the extractor's job.
_METADATA_MARKS = (
    "编辑",
    "編輯",
    "来源",
    "來源",
    "转载",
    "轉載",
    "记者",
    "通讯员",
    "供稿",
    "摄",
    "攝",
    "原标题",
)


def _generic(case: Case):
    more = case.continuation_pages()
    return GENERIC.parse_many([case.page(), *more]) if more else GENERIC.parse(case.page())


@pytest.mark.parametrize("case", ARTICLES, ids=[c.id for c in ARTICLES])
def test_generic_gets_the_body_of_every_fixture(case: Case) -> None:
    art = _generic(case)
    gold = case.body_txt.read_text("utf-8")
    score = body_prf(art.body, gold)
    assert score.f1 >= BODY_F1_FLOOR, f"body F1 {score.f1:.3f} (P {score.precision:.3f} R {score.recall:.3f})"
    text = art.title + "\n" + art.body
    for noise in case.expected.get("must_not_contain", []):
        if any(mark in noise for mark in _METADATA_MARKS):
            continue
        assert noise not in text, f"chrome left in: {noise!r}"


@pytest.mark.parametrize("case", ARTICLES, ids=[c.id for c in ARTICLES])
def test_generic_title_matches_every_fixture(case: Case) -> None:
    art = _generic(case)
    # exact, inner spaces as printed: the site parsers' expectations are the headlines as read
    assert art.title == case.expected["title"]


@pytest.mark.parametrize("case", LISTS, ids=[c.id for c in LISTS])
def test_generic_skips_list_pages(case: Case) -> None:
    with pytest.raises(NotAnArticle):
        GENERIC.parse(case.page())


@pytest.mark.parametrize(
    ("title", "want"),
    [
        (
            "张家川县“五结合五防止”持续深入推进民族团结进步创建工作(图)_天水在线",
            "张家川县“五结合五防止”持续深入推进民族团结进步创建工作(图)",
        ),
        ("讲好民族团结故事-兰州新闻网", "讲好民族团结故事"),
        (
            "绥江县“四抓四促”深入开展民族团结进步示范创建 - 云南网",
            "绥江县“四抓四促”深入开展民族团结进步示范创建",
        ),
        ("榆中县扎实推进乡村振兴示范村建设--中国甘肃网", "榆中县扎实推进乡村振兴示范村建设"),
        ("秦州区召开会议_新闻中心_天天天水网", "秦州区召开会议"),
        (
            "《张家川县民族团结进步创建工作规划纲要(2016-2020年)》印发",
            "《张家川县民族团结进步创建工作规划纲要(2016-2020年)》印发",
        ),
    ],
)
def test_site_suffix_is_removed_from_title_tag(title: str, want: str) -> None:
    assert split_site_suffix(title) == want


def _at(*parts: int) -> datetime:
    from parsers.dates import SHANGHAI

    return datetime(*parts, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "authors", "editors"),
    [
        ("（撰稿：董春辉 编辑：马晓燕 审核：郭剑宗）", ["董春辉"], ["马晓燕", "郭剑宗"]),
        ("(编辑:陈建国 责编:周勇 终审:刘期胜)", [], ["陈建国", "周勇", "刘期胜"]),
        ("来源: 天天天水网    编辑: 辛小强", [], ["辛小强"]),
        ("[责任编辑：张丽娟]", [], ["张丽娟"]),
        ("(撰稿:董春辉 编辑:李馨雨 审核:郭剑宗 赵军宝)", ["董春辉"], ["李馨雨", "郭剑宗", "赵军宝"]),
        ("打印本页 关闭窗口", [], []),
        # sina: the outlet in the 作者 slot is no person; ifeng: a credit ends with its line
        ("2024年05月16日 17:02 新京报 作者：新京报 举报", [], []),
        ("责编：黄忆南 PN269\n往期回顾\n政能亮丨石家庄为何“频频出圈”？", [], ["黄忆南"]),
    ],
)
def test_credit_lines(text, authors, editors) -> None:
    assert parse_credits(text) == (authors, editors)


def _page(html: str, url: str = "http://news.example.cn/a/1.html") -> Page:
    return Page(url=url, body=html.encode("utf-8"))


_SENTENCE = "县委、县政府高度重视民族团结进步创建工作，多次专题研究部署，完善工作机制，推动创建工作走深走实。"
_PARAS = "".join(f"<p>　　第{i}段，{_SENTENCE}</p>" for i in range(1, 6))
_HEAD = '<html><head><meta charset="utf-8"><title>标题一二三四</title></head>'


def test_json_ld_date_keeps_its_time_zone_when_the_page_prints_none() -> None:
    html = (
        '<html><head><meta charset="utf-8"><title>标题一二三四_某某网</title>'
        '<script type="application/ld+json">{"datePublished": "2024-03-01T02:30:00Z"}</script></head>'
        f"<body><h1>标题一二三四</h1><div>{_PARAS}</div></body></html>"
    )
    art = GENERIC.parse(_page(html))
    assert art.published_at == _at(2024, 3, 1, 10, 30)
    assert (art.published_precision, art.published_origin) == ("minute", "page")


def test_the_printed_date_beside_the_headline_wins_at_its_own_precision() -> None:
    html = (
        '<html><head><meta charset="utf-8"><title>标题一二三四_某某网</title>'
        '<meta property="article:published_time" content="2024-03-05T09:46:21+08:00"></head>'
        "<body><div>今天是2024年3月9日 星期六</div><h1>标题一二三四</h1>"
        f"<div>2024-03-05 09:46 来源：某某网</div><div>{_PARAS}</div></body></html>"
    )
    art = GENERIC.parse(_page(html))
    assert art.published_at == _at(2024, 3, 5, 9, 46)
    assert (art.published_precision, art.published_origin) == ("minute", "page")


def test_a_page_date_days_after_the_url_date_is_an_update() -> None:
    html = (
        '<html><head><meta charset="utf-8"><title>标题一二三四</title></head>'
        f"<body><h1>标题一二三四</h1><div>2016-04-14 15:23:51 星期四</div><div>{_PARAS}</div></body></html>"
    )
    art = GENERIC.parse(_page(html, "http://www.example.cn/xwzx/2014-07/15/content_1.htm"))
    assert (art.published_at, art.published_origin) == (_at(2014, 7, 15), "url")
    assert art.updated_at == _at(2016, 4, 14, 15, 23, 51)


def test_no_date_anywhere_is_none_not_a_guess() -> None:
    html = f"{_HEAD}<body><h1>标题一二三四</h1><div>{_PARAS}</div></body></html>"
    art = GENERIC.parse(_page(html))
    assert (art.published_at, art.published_precision, art.published_origin) == (None, "none", "none")


def test_related_links_inside_the_body_and_stop_markers_are_cut() -> None:
    related = "".join(f'<li><a href="/n/{i}.html">相关报道标题第{i}条新闻内容很长</a></li>' for i in range(6))
    html = (
        f'{_HEAD}<body><h1>标题一二三四</h1><div class="main">{_PARAS}<ul>{related}</ul>'
        "<p>推荐阅读</p><p>另一篇文章的摘要，内容很长很长，不属于本文。</p></div></body></html>"
    )
    art = GENERIC.parse(_page(html))
    assert len(art.paragraphs) == 5
    assert "相关报道" not in art.body and "推荐阅读" not in art.body and "另一篇" not in art.body


def test_a_page_without_an_article_is_a_parse_error() -> None:
    html = (
        '<html><head><meta charset="utf-8"><title>出错了</title></head><body><p>页面不存在</p></body></html>'
    )
    with pytest.raises(ParseError):
        GENERIC.parse(_page(html))


def test_a_column_page_is_not_an_article() -> None:
    items = "".join(
        f'<li><a href="/a/{i}.html">永靖县召开第{i}次乡村振兴工作推进会议</a><i>2025-05-0{i % 9 + 1}</i>'
        for i in range(20)
    )
    html = f'{_HEAD}<body><ul class="list">{items}</ul></body></html>'
    with pytest.raises(NotAnArticle):
        GENERIC.parse(_page(html))


def test_title_tag_without_site_name_when_the_page_has_no_headline_node() -> None:
    html = (
        '<html><head><meta charset="utf-8">'
        "<title>秦安县观摩学习清水县民族团结进步创建经验_天水在线</title></head><body><table>"
        f"<tr><td><b>秦安县观摩学习清水县民族团结进步创建经验</b></td></tr>"
        f"<tr><td>{_PARAS}</td></tr></table></body></html>"
    )
    art = GENERIC.parse(_page(html))
    assert art.title == "秦安县观摩学习清水县民族团结进步创建经验"
    assert not any(f.startswith("title_from:") for f in art.flags)  # printed and in <title>: confirmed


@pytest.mark.parametrize(
    ("title_tag", "flag"),
    [
        # a mirror prints no headline, only keeps it in <title>: taken, and said so
        ("秦安县观摩学习清水县民族团结进步创建经验_天水在线", "title_from:title_tag"),
        # a county portal titles every page with its own name: the body's opening line, said so
        ("漳县人民政府门户网站", "title_from:body"),
    ],
)
def test_a_title_no_second_printing_confirms_is_flagged(title_tag: str, flag: str) -> None:
    html = (
        f'<html><head><meta charset="utf-8"><title>{title_tag}</title></head><body><div>'
        f"<p>秦安县观摩学习清水县民族团结进步创建经验</p>{_PARAS}</div></body></html>"
    )
    if flag == "title_from:title_tag":
        html = html.replace("<p>秦安县观摩学习清水县民族团结进步创建经验</p>", "")
    art = GENERIC.parse(_page(html))
    assert art.title == "秦安县观摩学习清水县民族团结进步创建经验"
    assert flag in art.flags


@pytest.mark.parametrize(
    ("url", "want"),
    [
        ("http://www.tianshui.com.cn/news/zjc/201905261112464568.htm", _at(2019, 5, 26)),
        ("http://www.tianshui.com.cn/news/zjc/2015032409283444201.html", _at(2015, 3, 24)),
        ("http://www.aksxw.com/xwzx/aks/202504/t20250417_27995230.html", _at(2025, 4, 17)),
        ("http://www.qinzhouqu.gov.cn/info/1031/56789.htm", None),
    ],
)
def test_url_date_fallback_when_the_page_shows_none(url: str, want) -> None:
    html = f"{_HEAD}<body><h1>标题一二三四</h1><div>{_PARAS}</div></body></html>"
    art = GENERIC.parse(_page(html, url))
    assert art.published_at == want
    assert art.published_origin == ("url" if want else "none")


XJMTY_1 = ["阿瓦提县以铸牢中华民族共同体意识为主线。", "推进中华民族共同体建设", "2024.11.17", "坚持同根。"]
XJMTY_2 = ["连日来，阿瓦提县组织宣讲队深入各村。", "“石榴籽”宣讲走村入户", "2024.12.03", "宣讲员开讲。"]
NOTICE_1 = ["现印发给你们，请认真抓好贯彻落实。", "定西市人民政府办公室", "2024年5月10日", "（此件公开发布）"]
NOTICE_2 = ["特此通知。", "张家川县人民政府", "2024年11月17日"]


@pytest.mark.parametrize(
    ("lines", "kept"),
    [
        # a share card's heading and date left between paragraphs (xjmty fixtures): not the story
        (XJMTY_1, [XJMTY_1[0], XJMTY_1[3]]),
        (XJMTY_2, [XJMTY_2[0], XJMTY_2[3]]),
        # a notice's signature and date close its text (TRS and Hanweb 信息公开 pages): kept
        (NOTICE_1, NOTICE_1),
        (NOTICE_2, NOTICE_2),
    ],
)
def test_a_share_card_remnant_goes_and_a_signature_stays(lines: list[str], kept: list[str]) -> None:
    rest, *_ = GenericParser._trim_head(lines, "某县召开会议部署工作")
    assert rest == kept
