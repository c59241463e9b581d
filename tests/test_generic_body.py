"""The generic parser's body on the page shapes real sites produce, with real paragraphs.

Paragraphs come from pages of the real-page corpus (南方网, 光明网, 人民网, a county WeChat
account) and the spam strings from the mirrors and farms described in SITES.md; each test
builds the layout a CMS habit produces around them.
"""

from __future__ import annotations

import pytest

from parsers.generic import GenericParser, is_spam
from parsers.records import Page

GENERIC = GenericParser()
SOUTHCN = (
    "美国联邦储备委员会14日宣布，将联邦基金利率目标区间维持在5%至5.25%的水平不变，符合普遍预期。"
    "这是美联储自去年年初以来连续加息十次后作出的暂停加息决定。",
    "美联储在为期两天的货币政策例会后发表声明，强调维持联邦基金利率目标区间不变，将使委员会能够评估更多信息，"
    "同时重申坚定致力于将通货膨胀率降至2%的目标。",
    "声明称，最近的指标表明美国经济活动继续温和增长，近几个月就业增长强劲，失业率保持在低位，通胀率仍然很高。"
    "美国银行体系健全且富有韧性。",
)
GMW = (
    "近期一些美国政客不断渲染所谓的中国新能源“产能过剩”论调，指责中国向全球输出新能源产业过剩产能。",
    "美国本质上是在保护自己的低端过剩产能。市场经济是开放、竞争的经济，也是企业自主决策的经济。",
    "保护主义客观上加剧了全球产能过剩并带来巨大成本损失。冷战结束后，经济全球化得到充分发展，关税和非关税壁垒大幅削减。",
)
WEIXIN = (
    "7月29日上午，在第95个“八一”建军节来临之际，绥德县在县消防救援大队成功举行了庆“八一”双拥文艺汇演暨首届"
    "“最美退役军人”表彰大会。",
    "会议要求，要充分认识双拥工作对推动绥德经济社会发展的重要意义。地方要积极支持部队建设，严格落实“三项制度”。",
    "最后，县文化馆的演员用精湛的表演艺术，极具陕北特色的文艺节目向县武装部、县武警中队和县消防救援大队的全体官兵"
    "进行了慰问演出，向他们表达了节日的祝福和诚挚的问候。（sd退役军人之家）",
)
# spam that mirrors and farms inject (SITES.md §6.3): keyword lines and county-name salad
SPAM_LINES = (
    "超碰欧美性爱集合|国产日韩欧美一区二区|91计划网pk10|",
    "保靖县| 积石山| 永康市| 张家川| 秦安县| 临夏市| ",
)


def _page(body: str, title: str = "美联储维持联邦基金利率目标区间不变 年内预将再加息") -> Page:
    html = (
        f'<html><head><meta charset="utf-8"><title>{title}_某某网</title></head>'
        f"<body><h1>{title}</h1>{body}</body></html>"
    )
    return Page(url="http://news.example.cn/a/1.html", body=html.encode("utf-8"))


def _ps(paragraphs: tuple[str, ...]) -> str:
    return "".join(f"<p>　　{p}</p>" for p in paragraphs)


@pytest.mark.parametrize("spam", SPAM_LINES)
def test_a_huge_keyword_spam_block_is_never_the_body(spam: str) -> None:
    block = spam * (174_000 // len(spam))  # the size seen on a real content-farm page
    for layout in (f"<div>{block}</div>", f'<div class="content">{_ps(SOUTHCN)}<p>{block}</p></div>'):
        art = GENERIC.parse(_page(f"{layout}<div>{_ps(SOUTHCN)}</div>"))
        assert art.paragraphs == SOUTHCN
        assert len(art.body) < 1000


@pytest.mark.parametrize(
    ("text", "spam"),
    [
        (SPAM_LINES[0] * 40, True),
        (SPAM_LINES[1] * 40, True),
        ("".join(SOUTHCN) * 5, False),
        # a long list of names separated by 、 (an honours list) is punctuated
        ("、".join(["王彦群", "赵建卿", "李俊锋", "陶静"] * 80), False),
    ],
)
def test_spam_is_an_unpunctuated_run_far_longer_than_a_sentence(text: str, spam: bool) -> None:
    assert is_spam(text) is spam


@pytest.mark.parametrize("paragraphs", [SOUTHCN, GMW])
def test_a_story_printed_twice_is_emitted_once(paragraphs: tuple[str, ...]) -> None:
    body = f'<div class="content">{_ps(paragraphs)}</div><div class="print-copy">{_ps(paragraphs)}</div>'
    art = GENERIC.parse(_page(body))
    assert art.paragraphs == paragraphs
    assert "repeated_text_removed" in art.flags


def test_a_paragraph_the_author_printed_twice_stays() -> None:
    # the county WeChat article prints its 会议指出 paragraph twice; that is the text as printed
    paragraphs = (WEIXIN[0], WEIXIN[1], WEIXIN[1], WEIXIN[2])
    art = GENERIC.parse(_page(f"<div>{_ps(paragraphs)}</div>", "绥德：33名退役军人被表彰"))
    assert art.paragraphs == paragraphs


@pytest.mark.parametrize("paragraphs", [WEIXIN, GMW])
def test_wechat_article_text_in_sections_and_spans(paragraphs: tuple[str, ...]) -> None:
    # WeChat's editor writes paragraphs as <section><span>: no <p>, no <br>, nothing a text unit scores
    sections = "".join(
        f'<section style="margin:0"><span style="font-size:17px">{p}</span></section>' for p in paragraphs
    )
    body = f'<div class="rich_media_content" id="js_content" style="visibility: hidden;">{sections}</div>'
    art = GENERIC.parse(_page(body, "绥德：33名退役军人被表彰"))
    assert art.paragraphs == paragraphs
