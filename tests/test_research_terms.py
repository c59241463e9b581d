"""Slogans and campaign terms, read off the seed stories."""

from __future__ import annotations

from parsers.research.terms import extract_terms, kind_of
from tests import research_corpus as rc


def _terms(article, known=()) -> dict[str, tuple[str, int]]:
    return {t.term: (t.kind, t.count) for t in extract_terms(article.title, article.body, known)}


def test_numbered_formulas_of_the_zhangjiachuan_story() -> None:
    terms = _terms(rc.tianshui_original())
    assert terms["五结合五防止"] == ("numbered", 3)  # title, lead and closing paragraph
    for term in ("七大工程", "八进活动", "五个一", "十融入", "四个意识", "两个维护", "五个认同"):
        assert terms[term][0] == "numbered", term
    assert terms["空架子"] == ("quoted", 1)


def test_formulas_from_the_other_seed_stories() -> None:
    yongdeng = _terms(rc.yongdeng())
    assert {"三个离不开", "四个与共", "“13610”计划", "三抓三促"} <= set(yongdeng)
    assert yongdeng["“13610”计划"][0] == "numbered"
    farm = _terms(rc.farm_copy())
    assert farm["四抓四促"][0] == "numbered" and farm["十进十促"] == ("numbered", 4)
    assert _terms(rc.awati())["五坚持五促"] == ("numbered", 2)


def test_unquoted_repeated_numeral_formula_ends_at_a_word_boundary() -> None:
    terms = {
        t.term for t in extract_terms("", "绥江县四抓四促深入开展创建，做到五结合五防止，一廊一区一带建设。")
    }
    assert {"四抓四促", "五结合五防止", "一廊一区一带"} <= terms
    assert not any(t.startswith("四抓四促深") for t in terms)


def test_ordinary_counted_phrases_are_not_slogans_unless_quoted_somewhere() -> None:
    body = "从三个方面推进，坚持三个离不开。"
    assert {t.term for t in extract_terms("", body)} == set()
    assert {t.term for t in extract_terms("", body, known={"三个离不开"})} == {"三个离不开"}


def test_quoted_sentences_are_not_terms_but_slogans_with_commas_are() -> None:
    terms = {
        t.term for t in extract_terms("", "他说：“今天天气很好。”又提出“中华民族一家亲，同心共筑中国梦”。")
    }
    assert terms == {"中华民族一家亲，同心共筑中国梦"}


def test_terms_in_the_title_are_flagged() -> None:
    terms = {t.term: t for t in extract_terms("阿瓦提县“五坚持五促”推进", "通过“五坚持五促”，不断推进。")}
    assert terms["五坚持五促"].in_title and terms["五坚持五促"].count == 2


def test_kinds() -> None:
    assert (
        kind_of("八有") == "numbered" and kind_of("1+4+N") == "numbered" and kind_of("五个一") == "numbered"
    )
    assert kind_of("一阵风") == "quoted" and kind_of("石榴籽家园") == "quoted"
