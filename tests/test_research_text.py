"""Word segmentation for the index, and snippets with the query words marked."""

from __future__ import annotations

from parsers.research.segment import index_text, on_word_boundaries, query_tokens, tokens
from parsers.research.snippets import snippet


def test_search_tokens_include_whole_words_and_their_parts() -> None:
    toks = tokens("张家川县创建全国民族团结进步示范县")
    assert {"张家川县", "张家川", "民族团结", "民族", "团结", "示范县"} <= set(toks)


def test_index_text_drops_punctuation() -> None:
    assert "，" not in index_text("民族团结，示范县。") and "“" not in index_text("“五结合五防止”")


def test_query_tokens_segment_each_part_once() -> None:
    assert query_tokens("民族团结 示范县") == ["民族", "团结", "民族团结", "示范", "示范县"]


def test_word_boundaries() -> None:
    text = "全面完成县级示范创建"
    assert not on_word_boundaries(text, text.index("成县"), text.index("成县") + 2)
    assert on_word_boundaries("还群众一池清水", 5, 7)


def test_snippet_marks_query_words_where_most_of_them_meet() -> None:
    text = "示范" * 3 + "。" + "无关的内容。" * 30 + "创建全国民族团结进步示范县工作" + "其他内容。" * 30
    out = snippet(text, ["民族团结", "示范县", "示范"], width=40)
    assert "[民族团结]进步[示范县]" in out
    assert out.startswith("…") and out.endswith("…")


def test_snippet_without_hits_is_the_start_of_the_text() -> None:
    assert snippet("第一段\n第二段", ["无"], width=80) == "第一段 第二段"
