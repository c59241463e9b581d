"""Headlines: kicker, (图) suffix, site-name suffix, two-line join, byline split."""

from __future__ import annotations

import pytest

from parsers.titles import clean_title

CASES = [
    # (page title as normalized text, title, kicker, suffix, authors)
    (
        "张家川县“五结合五防止”持续深入推进民族团结进步创建工作(图)",
        "张家川县“五结合五防止”持续深入推进民族团结进步创建工作",
        None,
        "图",
        (),
    ),
    ("【新春走基层】张家川县:年味浓 民俗热(组图)", "张家川县:年味浓 民俗热", "新春走基层", "组图", ()),
    ("烟铺大樱桃红了(视频)", "烟铺大樱桃红了", None, "视频", ()),
    ("烟铺大樱桃红了（图）", "烟铺大樱桃红了", None, "图", ()),
    (
        "【天水在线庆祝改革开放40周年专题报道】天水四十年变迁",
        "天水四十年变迁",
        "天水在线庆祝改革开放40周年专题报道",
        None,
        (),
    ),
    ("[影像]麦积山的春天", "麦积山的春天", "影像", None, ()),
    (
        "张家川县召开民族团结进步创建活动\n“六进”试点工作会",
        "张家川县召开民族团结进步创建活动“六进”试点工作会",
        None,
        None,
        (),
    ),
    (
        "讲好民族团结故事 促进交往交流交融 奋力创建全国民族团结进步示范县兰州市永登县委书记 王彦群",
        "讲好民族团结故事 促进交往交流交融 奋力创建全国民族团结进步示范县",
        None,
        None,
        ("王彦群",),
    ),
    ("深化民族团结进步创建工作_每日头条", "深化民族团结进步创建工作", None, None, ()),
    ("兰州新区举行推进会 - 兰州新闻网", "兰州新区举行推进会", None, None, ()),
    ("张家川县召开会议(图)_张川_天水在线", "张家川县召开会议", None, "图", ()),
    # things that stay
    (
        "阿瓦提县“五坚持五促”,不断推进中华民族共同体建设",
        "阿瓦提县“五坚持五促”,不断推进中华民族共同体建设",
        None,
        None,
        (),
    ),
    ("兰州-西宁高铁开通", "兰州-西宁高铁开通", None, None, ()),
    ("县委书记王彦群调研民族团结工作", "县委书记王彦群调研民族团结工作", None, None, ()),
    ("(图)", "(图)", None, None, ()),
    # a column label before 丨 is a kicker (ifeng commentary, Xinhua's all-media column, SITES.md)
    ("政能亮丨“稳经济”需要跑出“加速度”", "“稳经济”需要跑出“加速度”", "政能亮", None, ()),
    (
        "新华全媒+丨积极因素不断增多 “质升量稳”动能增强",
        "积极因素不断增多 “质升量稳”动能增强",
        "新华全媒+",
        None,
        (),
    ),
    (
        "新思想引领新征程丨张家川县民族团结进步创建工作纪实",
        "张家川县民族团结进步创建工作纪实",
        "新思想引领新征程",
        None,
        (),
    ),
    ("InXinjiang(93)丨阿瓦提县长绒棉采收进入尾声", "阿瓦提县长绒棉采收进入尾声", "InXinjiang(93)", None, ()),
]

GLUED = [
    # (headline line as printed, title, subtitle): toutiao's copy of a Xinhua headline and subtitle
    (
        "积极因素不断增多 “质升量稳”动能增强——前4个月我国外贸向好态势进一步巩固",
        "积极因素不断增多 “质升量稳”动能增强",
        "前4个月我国外贸向好态势进一步巩固",
    ),
    # a name and a phrase joined by —— (bjmu 2005): the name alone is no headline, the line stays
    ("李简——新外科运动向我们走来", "李简——新外科运动向我们走来", None),
    # a single dash inside a headline (sohu 2003) is never a subtitle mark
    ("对比试车—测试昌河北斗星、爱迪尔", "对比试车—测试昌河北斗星、爱迪尔", None),
]


@pytest.mark.parametrize(("raw", "title", "subtitle"), GLUED)
def test_subtitle_glued_onto_the_headline(raw: str, title: str, subtitle: str | None) -> None:
    parts = clean_title(raw)
    assert (parts.title, parts.subtitle) == (title, subtitle)


@pytest.mark.parametrize(("raw", "title", "kicker", "suffix", "authors"), CASES)
def test_clean_title(raw: str, title: str, kicker: str | None, suffix: str | None, authors: tuple) -> None:
    parts = clean_title(raw)
    assert (parts.title, parts.kicker, parts.suffix, parts.authors) == (title, kicker, suffix, authors)
    again = clean_title(parts.title)
    assert again.title == parts.title
