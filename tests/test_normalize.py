"""The whole normalization: seeds 001/004 come out simplified and clean; property tests on the steps."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.gbk_repair import MARK_CLOSE, MARK_OPEN
from parsers.normalize import (
    TEXT_STEPS,
    TextReport,
    normalize_article,
    normalize_text,
    normalize_with_report,
)
from parsers.pinyin import TONED
from parsers.records import Article, Image, Page
from parsers.script import simplified_only, traditional_only
from tests.fixture_cases import SEEDS

TONED_PAREN = re.compile(rf"[(（][a-zü]*[{TONED}]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def seed_article(name: str, title_lines: int) -> Article:
    lines = [x for x in next(SEEDS.glob(f"{name}_*.txt")).read_text("utf-8").splitlines() if x.strip()]
    return Article(
        url=f"http://www.topointapp.com/news/tianshui/{name}.htm",
        site="test",
        parser_version=1,
        title="\n".join(lines[:title_lines]),
        paragraphs=tuple(lines[title_lines:]),
    )


def assert_clean_simplified(art: Article) -> None:
    text = art.title + "\n" + art.body
    assert not TONED_PAREN.search(text), TONED_PAREN.search(text)
    left = sorted({ch for ch in text if ch in traditional_only()})
    assert left == []


def test_seed_001_lzbs_mirror() -> None:
    raw = seed_article("001", 1)
    art, report = normalize_with_report(raw)
    assert_clean_simplified(art)
    assert art.title == "讲好民族团结故事 促进交往交流交融 奋力创建全国民族团结进步示范县"
    assert art.authors == ("王彦群",)
    assert art.editors == ("王旭伟",)
    assert art.script == "zh-Hant"
    assert art.raw_title == raw.title and art.raw_paragraphs == raw.paragraphs
    assert len(art.paragraphs) == 6
    assert art.paragraphs[0].startswith("党的十八大以来,习近平总书记审古今之变")
    assert "版权声明" not in art.body and "兰州新闻网" not in art.body
    assert {"pinyin_removed", "t2s", "copyright_removed"} <= set(art.flags)
    assert report.pinyin_removed > 150 and report.lines_moved == 3


def test_seed_004_tianshui_mirror() -> None:
    raw = seed_article("004", 2)
    art, report = normalize_with_report(raw)
    assert_clean_simplified(art)
    assert art.title == "秦安县观摩学习清水县、张家川县民族团结进步创建经验做法"
    assert art.editors == ("陶静",)
    assert art.contributors == ("秦安县民族团结进步创建工作领导小组办公室",)
    # the credit printed inside the last paragraph stays in it; the editor line goes
    assert art.body.endswith("以优异成绩庆祝建党100周年努力。(秦安县民族团结进步创建工作领导小组办公室供稿)")
    assert "天水在线编辑" not in art.body
    assert "5月18日,秦安县委统战部常务副部长" in art.paragraphs[0]
    assert report.lines_moved == 1


def test_seed_002_farm_copy() -> None:
    lines = [x for x in next(SEEDS.glob("002_*.txt")).read_text("utf-8").splitlines() if x.strip()]
    body = lines[lines.index("更新时间:2025-03-31 13:17:35") : lines.index("Comments")]
    raw = Article(
        url="https://www.tftnews.com/a/1.html",
        site="test",
        parser_version=1,
        title=lines[6],
        paragraphs=tuple(body),
        is_copy=True,
    )
    art = normalize_article(raw, Page(url=raw.url, body=b"", fetched_at=datetime(2026, 1, 1, tzinfo=UTC)))
    assert_clean_simplified(art)
    assert art.title == "深化民族团结进步创建工作"
    assert art.original_title == "深入推进民族团结进步示范创建"
    assert art.published_at is None and "no_date" in art.flags  # 更新时间 is never the publish date
    assert art.updated_at is not None and art.updated_at.isoformat() == "2025-03-31T13:17:35+08:00"
    # the farm names no 来源: source stays empty, the credited outlet is the copy's origin
    assert art.contributors == ("代洪",) and art.source is None and art.original_source == "云南网"
    assert art.paragraphs[0].startswith("近期,昭通市绥江县坚持以铸牢中华民族共同体意识为主线")
    assert [i.caption for i in art.images] == [
        "新滩中学民族团结文体艺术节活动。供图",
        "绥江县创建省级民族团结进步示范县业务培训会。供图",
        "专题文艺演出。供图",
    ]
    assert "小编" not in art.body


@pytest.mark.parametrize("name", ["000", "003"])
def test_simplified_seed_bodies_unchanged(name: str) -> None:
    """A simplified page's body paragraphs come through character for character (indent aside)."""
    lines = [x.strip() for x in next(SEEDS.glob(f"{name}_*.txt")).read_text("utf-8").splitlines()]
    body = [x for x in lines if len(x) > 60]  # the long body paragraphs
    for line in body:
        assert normalize_text(line) == line


def test_parser_fields_are_kept_and_lists_extended() -> None:
    raw = Article(
        url="http://www.tianshui.com.cn/news/zjc/201905261112464568.htm",
        site="test",
        parser_version=1,
        title="张家川县召开会议(图)",
        paragraphs=("　　会议要求各单位抓好落实。", "(来源: 张家川县融媒体中心 转载:康翠霞)"),
        source="张家川县融媒体中心",
        reposters=("康翠霞",),
        published_at=datetime(2019, 5, 26, 11, 8, 34, tzinfo=UTC),
        published_precision="minute",
        published_origin="page",
        images=(Image(src="/Files261/a.jpg", caption=""),),
        flags=("from_parser",),
    )
    art = normalize_article(raw)
    assert art.paragraphs == ("会议要求各单位抓好落实。",)
    assert art.reposters == ("康翠霞",) and art.source == "张家川县融媒体中心"
    assert art.published_at == raw.published_at and art.published_origin == "page"
    assert art.flags[0] == "from_parser" and "title_suffix:图" in art.flags
    assert art.raw_paragraphs == raw.paragraphs


def test_date_from_dateline_and_url_year() -> None:
    raw = Article(
        url="http://www.gsyongjing.gov.cn/a/art/2025/art_0123456789abcdef0123456789abcdef.html",
        site="test",
        parser_version=1,
        title="秦州区召开会议",
        paragraphs=("秦州区融媒体中心8月8日讯 近日,秦州区召开会议。",),
    )
    art = normalize_article(raw)
    assert art.published_at is not None and art.published_at.isoformat() == "2025-08-08T00:00:00+08:00"
    assert (art.published_precision, art.published_origin) == ("day", "page")


def test_no_date_is_flagged_not_guessed() -> None:
    raw = Article(
        url="http://www.lzbs.com.cn/x", site="t", parser_version=1, title="标题", paragraphs=("正文。",)
    )
    art = normalize_article(raw)
    assert art.published_at is None and art.published_precision == "none" and "no_date" in art.flags


@pytest.mark.parametrize(
    ("name", "title_lines"), [("000", 1), ("001", 1), ("002", 1), ("003", 1), ("004", 2)]
)
def test_normalize_article_is_idempotent(name: str, title_lines: int) -> None:
    once = normalize_article(seed_article(name, title_lines))
    assert normalize_article(once) == once


# -- properties ------------------------------------------------------------------------------


def _gb2312_level1() -> list[str]:
    out = []
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.append(bytes((lead, trail)).decode("gb2312"))
    return out


SIMPLIFIED_HANZI = [ch for ch in _gb2312_level1() if ch not in traditional_only()]
TRAD_HANZI = sorted(traditional_only() - simplified_only())[:600]
ZH_PUNCT = "，。、；：？！“”‘’（）《》—…"
clean_line = st.text(
    alphabet=st.sampled_from(SIMPLIFIED_HANZI + list(ZH_PUNCT) + list("0123456789")), min_size=1
)
TOKENS = [
    *SIMPLIFIED_HANZI[:300],
    *TRAD_HANZI,
    *ZH_PUNCT,
    *"()?!|&; \u3000\u00a0\u200b\ufeff\n0123456789abcxyzABCｘ１著",
    "(tuán)",
    "（jié）",
    "&nbsp;",
    "隨著",
    "甚麼",
    "　　",
    " |",
]
messy = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(messy)
def test_every_step_is_idempotent(text: str) -> None:
    for name, step in TEXT_STEPS:
        once = step(text)
        assert step(once) == once, name


@PROPS
@given(messy)
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@PROPS
@given(clean_line)
def test_clean_simplified_text_is_never_changed(text: str) -> None:
    assert normalize_text(text) == text


@PROPS
@given(st.lists(clean_line, min_size=1, max_size=6))
def test_clean_simplified_article_body_is_never_changed(paragraphs: list[str]) -> None:
    """Clean paragraphs come out character for character; only whole metadata lines may move out."""
    raw = Article(url="http://x/y", site="t", parser_version=1, title="标题", paragraphs=tuple(paragraphs))
    art, report = normalize_with_report(raw)
    kept = iter(art.paragraphs)
    expected = next(kept, None)
    for para in paragraphs:
        if para == expected:
            expected = next(kept, None)
        else:
            assert para in report.moved or para == "标题"  # moved whole, to a field or as chrome
    assert expected is None


def _cjk(text: str) -> int:
    return len(CJK.findall(text))


@PROPS
@given(messy)
def test_text_steps_never_remove_cjk(text: str) -> None:
    """Pinyin annotations hold no CJK, so the CJK count only changes inside a repaired garbage run."""
    report = TextReport()
    out = normalize_text(text, report=report)
    if report.gbk_repaired == 0:
        assert _cjk(out.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")) == _cjk(text)


body_line = st.one_of(
    clean_line,
    st.sampled_from(
        [
            "(天水在线编辑:李俊锋)",
            "责任编辑:王旭伟",
            "(记者 吕娜 通讯员 周佩兰)",
            "新滩中学民族团结文体艺术节活动。供图",
            "声明:未经允许 不得转载,转载须注明来源、原标题、著作者名,不得变更核心内容。",
            "会议要求各单位抓好落实。(秦安县民族团结进步创建工作领导小组办公室供稿)",
            "民族團(tuán)結(jié)進(jìn)步",
            "2024.11.17",
        ]
    ),
)


@PROPS
@given(st.lists(body_line, min_size=1, max_size=8))
def test_article_cjk_goes_to_body_or_moved_lines(paragraphs: list[str]) -> None:
    """Every CJK character of the normalized text is in the body or in a line moved to a field."""
    raw = Article(url="http://x/y", site="t", parser_version=1, title="标题", paragraphs=tuple(paragraphs))
    art, report = normalize_with_report(raw)
    want = _cjk("\n".join(normalize_text(p) for p in paragraphs))
    assert _cjk(art.body) + _cjk("".join(report.moved)) == want


noisy_line = st.lists(
    st.sampled_from(
        [
            *TOKENS,
            "编辑:",
            "记者",
            "来源:",
            "(",
            ")",
            "【",
            "】",
            "供稿",
            "摄",
            "2024.11.17",
            "5月18日",
            "更新时间:",
            "版权声明",
            "?疾靾F",
            "图为",
            "讯",
            "![](/a.jpg)",
        ]
    ),
    max_size=25,
).map("".join)


@PROPS
@given(noisy_line, st.lists(noisy_line, max_size=8))
def test_normalize_article_never_raises_and_is_idempotent(title: str, paragraphs: list[str]) -> None:
    raw = Article(
        url="http://x/2021/05/06/y", site="t", parser_version=1, title=title, paragraphs=tuple(paragraphs)
    )
    once = normalize_article(raw)
    assert normalize_article(once) == once


@PROPS
@given(messy)
def test_normalize_text_is_text_steps_in_order(text: str) -> None:
    """TEXT_STEPS is the documentation and normalize_text the fast path: they must agree."""
    stepped = text
    for _, step in TEXT_STEPS:
        stepped = step(stepped)
    assert normalize_text(text) == stepped
