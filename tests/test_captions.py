"""Photo captions, read the one way every site spec shares (`parsers.captions`)."""

from __future__ import annotations

from parsers.captions import body_images, markdown_images
from parsers.dom import parse_html
from parsers.rules import Captions


def _images(html: str, rule: Captions) -> tuple[list[tuple[str, str]], list[str]]:
    body = parse_html(f"<html><body><div id='b'>{html}</div></body></html>").css_first("#b")
    images, captions = body_images(body, rule, "http://yn.yunnan.cn/system/2025/03/25/033469830.shtml")
    return [(i.src, i.caption) for i in images], captions


def test_a_centred_line_under_an_image_is_its_caption_but_a_bold_one_is_a_heading() -> None:
    html = (
        "<p>　　今年以来，鲁甸县持续巩固拓展脱贫攻坚成果。</p>"
        '<p style="text-align: center;"><img src="/pic/1.jpg" /></p>'
        '<p style="text-align: center;"><strong>聚焦人才支撑 激活振兴动能</strong></p>'
        "<p>　　实施“乡村振兴人才回引工程”。</p>"
        '<p style="text-align: center;"><img src="/pic/2.jpg" /></p>'
        '<p style="text-align: center;">农技人员在小寨镇指导群众管护苹果树。</p>'
    )
    images, captions = _images(html, Captions(alt=False))
    assert images == [
        ("http://yn.yunnan.cn/pic/1.jpg", ""),
        ("http://yn.yunnan.cn/pic/2.jpg", "农技人员在小寨镇指导群众管护苹果树。"),
    ]
    assert captions == ["农技人员在小寨镇指导群众管护苹果树。"]


def test_a_line_ending_like_a_caption_needs_no_centring_and_credits_are_never_captions() -> None:
    html = (
        '<p><img src="a.jpg" alt="图片"></p><p>新滩中学民族团结文体艺术节活动。供图</p>'
        '<p><img src="b.jpg" alt="图片"></p><p align="center">（责任编辑：马骏）</p>'
        '<p>正文里的图<img src="c.jpg" alt="内文"></p><p align="center">不是它的说明</p>'
    )
    images, _ = _images(html, Captions(end=r"供图$"))
    assert [c for _, c in images] == [
        "新滩中学民族团结文体艺术节活动。供图",
        "图片",
        "内文",
    ]  # alt when no caption


def test_markdown_image_lines_and_their_caption_lines() -> None:
    lines = [
        "第一段。",
        "![](/Files261/BeyondPic/2021-9/29/2109291134381763.jpg)",
        "（天水在線無人機航拍甘谷古坡草原）",
        "第二段。",
    ]
    rest, images = markdown_images(lines, "http://www.tianshui.com.cn")
    assert rest == ["第一段。", "第二段。"]
    assert [(i.src, i.caption) for i in images] == [
        (
            "http://www.tianshui.com.cn/Files261/BeyondPic/2021-9/29/2109291134381763.jpg",
            "天水在線無人機航拍甘谷古坡草原",
        )
    ]
