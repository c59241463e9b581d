"""兰州新闻网 and its mirrors: routing, the byline split off a run-together title, the body's end."""

from __future__ import annotations

import pytest

from parsers.registry import by_name, parser_for
from parsers.sites.lzbs import body_lines, split_byline


@pytest.mark.parametrize("name", ["lzbs", "lzbs_mirror"])
def test_example_urls_route_to_their_parser(name: str) -> None:
    parser = by_name(name)
    assert parser.example_urls
    for url in parser.example_urls:
        assert parser_for(url).name == name, url


@pytest.mark.parametrize(
    "url",
    [
        # the same /<ch>/YYYY-MM/DD/content_<id>.htm scheme on other outlets and unknown hosts
        "http://www.tsrb.com.cn/xwzx/2014-07/15/content_1234567.htm",
        "http://unknown-farm.example.com/ztbd/2023-08/15/content_5123877.htm",
    ],
)
def test_lzbs_path_shape_alone_does_not_make_a_mirror(url: str) -> None:
    assert parser_for(url).name not in ("lzbs", "lzbs_mirror")


@pytest.mark.parametrize(
    ("line", "title", "office", "name"),
    [
        (
            "講好民族團(tuán)結(jié)故事 促進(jìn)交往交流交融 "
            "奮力創(chuàng)建全國民族團(tuán)結(jié)進(jìn)步示範縣蘭州市永登縣委書記 王彥群",
            "講好民族團結故事 促進交往交流交融 奮力創建全國民族團結進步示範縣",
            "蘭州市永登縣委書記",
            "王彥群",
        ),
        (
            "讲好民族团结故事 奋力创建全国示范县兰州市永登县委书记王彦群",
            "讲好民族团结故事 奋力创建全国示范县",
            "兰州市永登县委书记",
            "王彦群",
        ),
        ("以高质量党建引领基层治理城关区委书记 张伟", "以高质量党建引领基层治理", "城关区委书记", "张伟"),
        (
            "榆中县：打造兰州东部生态屏障榆中县县长 李明华",
            "榆中县：打造兰州东部生态屏障",
            "榆中县县长",
            "李明华",
        ),
    ],
)
def test_byline_is_split_off_the_title(line: str, title: str, office: str, name: str) -> None:
    assert split_byline(line) == (title, office, name)


@pytest.mark.parametrize(
    "line",
    [
        "榆中县启动民族团结进步宣传月活动",
        "奋力创建全国民族团结进步示范县",  # ends in 县 but no office or name
        "兰州市永登县委书记 王彦群",  # a byline alone has no title to split from
    ],
)
def test_titles_without_a_byline_stay_whole(line: str) -> None:
    assert split_byline(line) == (line, None, None)


def test_body_ends_at_the_editor_line_and_drops_the_copyright_block() -> None:
    lines = ["正文一。", "正文二。", "责任编辑：王旭伟", "版权声明：", '凡文章来源为"兰州新闻网"的稿件……']
    assert body_lines(lines) == lines[:3]
    mirror = ["正文。", "責(zé)任編輯:王旭偉", "版權(quán)聲明:", "凡文章來源為……"]
    assert body_lines(mirror) == mirror[:2]
    assert body_lines(["正文。", "版權聲明：", "凡……"]) == ["正文。"]
