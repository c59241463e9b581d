"""著 or 着 after t2s: the rule, on real sentences of real pages written the way mirrors write them.

Each simplified original below is a phrase printed on a page of the real-page corpus. Mirror
copies print them in Taiwan-standard traditional script (`隨著`, `帶著`, `意味著`), which
OpenCC's s2tw reproduces; t2s then leaves every 著, and the rule must give the original back.
"""

from __future__ import annotations

import opencc
import pytest

from parsers.script import fix_phrases, t2s
from parsers.zhe import fix_zhe

ORIGINALS = [
    ("bjmu_1", "的一位年轻的医生微笑着告诉记者"),
    ("chinacomcn_2", "投射着中国民族自强"),
    ("cnr_1", "着眼有效履行新时代军队使命任务"),
    ("ifeng_1", "随着全球贸易链传导"),
    ("ifeng_1", "一遍又一遍刷新着船只定位"),  # 刷新 + 着, not 新著 (a new work)
    ("m1905_1", "捕捉着日常色彩斑斓"),
    ("netease_2", "都意味着工业生产偏热"),
    ("netease_5", "而是面临着来自老牌竞争对手的激烈竞争"),
    ("people_1", "着力培育新动能"),
    ("sina_1", "那里寄托着他的人生理想"),
    ("sina_3", "中国需要朝着更加灵活的汇率制度迈进"),
    ("sina_4", "躺着两条锈蚀斑驳的铁轨"),
    ("sohu_2", "他是一个影响卓著的巨型财团继承人"),  # 卓著: zhù
    ("sohu_3", "代表着最新汽车技术"),
    ("sohu_4", "原来是一家著名的微型面包车生产企业"),  # 著名: zhù
    ("sohu_5", "伴随着国务院《关于投资体制改革的决定》出台"),
    ("sohu_7", "中国有着超大规模市场"),
    ("yahoo_3", "许多小孩拿着压岁钱乱花"),
    ("yahoo_4", "凭着一张专辑"),
    ("youth_1", "抱着对这个新专业的好奇"),
    ("chinacomcn_2", "具有显著时代特征"),  # 显著: zhù
    ("yahoo_1", "规定，除著作权人"),  # 著作权: zhù after a comma
]
_S2TW = opencc.OpenCC("s2tw")


@pytest.mark.parametrize(("page", "original"), ORIGINALS)
def test_mirror_spelling_of_a_real_phrase_comes_back(page: str, original: str) -> None:
    mirror = _S2TW.convert(original)
    assert "著" in mirror or "着" not in original
    assert fix_phrases(t2s(mirror)) == original


@pytest.mark.parametrize(
    ("converted", "want"),
    [
        # mirror text as t2s leaves it (SITES.md): the suffix after a verb or in a 着 word becomes 着
        ("随著", "随着"),
        ("发挥著重要作用", "发挥着重要作用"),
        ("发挥著作用", "发挥着作用"),  # 着 + 作用, not 著作: the verb before it and the likelier word after
        ("起著作用", "起着作用"),
        ("著实", "着实"),
        # zhù words stay, whatever comes before them
        ("拥有著作权", "拥有著作权"),
        ("出版著作，", "出版著作，"),
        ("是著名作家", "是著名作家"),
        ("原标题、著作者名", "原标题、著作者名"),  # xjmty's copyright formula
        ("臭名昭著", "臭名昭著"),
        ("土著居民", "土著居民"),
        # a name, not a verb, before it (tftnews: the poet 冯著): left as it is
        ("韦应物见冯著衣衫带雨", "韦应物见冯著衣衫带雨"),
    ],
)
def test_zhe_rule(converted: str, want: str) -> None:
    assert fix_zhe(converted) == want


def test_text_without_zhu_is_returned_as_is() -> None:
    text = "张家川县“五结合五防止”持续深入推进民族团结进步创建工作"
    assert fix_zhe(text) is text
