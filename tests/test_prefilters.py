"""The hot path's prefilters skip only what the full check would find nothing in.

Each prefilter (a keyword test before a costly pattern, a pattern rewritten to start at its rare
character, a linear form of a quadratic search) is run beside the full check it guards on the
text of every real page (bench/realpages) and every fixture page: all their lines, as printed
and normalized, and their whole texts. The results must be the same.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from bench.realpages import page as real_page
from bench.realpages import records
from parsers import bylines, gbk_repair, textsteps
from parsers import generic_rules as R
from parsers.decoding import decode_page
from parsers.dom import lines, parse_html
from parsers.generic import _holding_links, _walk_units, is_spam
from parsers.headline import has_key, key
from parsers.normalize import normalize_text
from tests.fixture_cases import all_cases


@cache
def _texts() -> tuple[str, ...]:
    """The visible text of every corpus page, one string per page."""
    pages = [real_page(r) for r in records()]
    for case in all_cases():
        pages.append(case.page())
        pages.extend(case.continuation_pages())
    out = []
    for page in pages:
        tree = parse_html(decode_page(page).text)
        out.append("\n".join(lines(tree.body)))
    return tuple(out)


@cache
def _lines() -> tuple[str, ...]:
    """Every line of the corpus, as printed and normalized (what extract_metadata reads)."""
    seen: set[str] = set()
    for text in _texts():
        for line in text.split("\n") + normalize_text(text).split("\n"):
            line = line.strip()
            if line:
                seen.add(line)
    return tuple(sorted(seen))


def test_corpus_is_large_enough_to_mean_something() -> None:
    assert len(_texts()) >= 80
    assert len(_lines()) >= 5_000


def test_credit_prefilter_agrees_with_the_full_parse() -> None:
    lines_ = [line for line in _lines() if len(line) <= 100]
    skipped = [line for line in lines_ if not bylines.may_be_credit(line)]
    assert len(skipped) > len(lines_) / 3  # it does skip work
    assert [line for line in skipped if bylines._parse_credit(line)] == []
    # credit-looking lines are in the corpus, so the agreement is not vacuous
    assert sum(1 for line in lines_ if bylines.parse_credit(line)) >= 20


def test_attached_credit_prefilter_agrees_with_the_full_cut() -> None:
    found = 0
    for line in _lines():
        full_meta, meta = bylines.Metadata(), bylines.Metadata()
        full = bylines._cut_all_credits(line, full_meta)
        assert bylines._cut_credits(line, meta) == full, line
        assert meta == full_meta, line
        found += full != line
    assert found >= 10


def test_caption_keyword_prefilters_skip_no_match() -> None:
    for line in _lines():
        if bylines._PHOTO_CREDIT.search(line):
            assert "摄" in line or "供图" in line, line
        if bylines._PHOTO_SOURCE.search(line):
            assert "来源" in line, line


_PAGER_LOOKAHEAD = re.compile(
    r"(?=[^\n]*(?:上一页|下一页))(?:\s|上一页|下一页|首页|尾页|末页|\[?\d{1,3}\]?|[<>«»|｜])+$"
)


PAGERS = ["上一页 1 2 3 下一页", "第1页/共1页<< 上一页 | 下一页 >>", "首页 [1] [2] 下一页 尾页"]


@pytest.mark.parametrize("line", PAGERS)
def test_pager_lines_are_chrome(line: str) -> None:
    kept, meta = bylines.extract_metadata([line, "正文第一段。"])
    assert kept == ["正文第一段。"]
    assert meta.removed == [line]


def test_a_sentence_naming_the_next_page_is_text() -> None:
    kept, _ = bylines.extract_metadata(["点击下一页查看更多照片。"])
    assert kept == ["点击下一页查看更多照片。"]


def test_pager_keyword_test_equals_the_lookahead() -> None:
    for line in _lines():
        keyword = ("上一页" in line or "下一页" in line) and bylines._PAGER.match(line) is not None
        assert keyword == (_PAGER_LOOKAHEAD.match(line) is not None), line


# The gbk_repair patterns as they were written before they were made to start at their rare
# character (a lookbehind first makes `re` try every position of the text).
_TRAIL, _OPEN, _CLOSE = gbk_repair._TRAIL, gbk_repair.MARK_OPEN, gbk_repair.MARK_CLOSE
_FULL_PATTERNS = {
    "_TAIL": re.compile(
        rf"(?<=[^\x00-\x7f{_CLOSE}])(?:[{_TRAIL}]|\?)(?=[^\x00-\x7f{_OPEN}{_CLOSE}]|[0-9]|$)", re.MULTILINE
    ),
    "_LOST_LEAD": re.compile(r"(?<=[^\x00-\x7f])\?[a-z](?=[\u3400-\u9fff])"),
    "_LONE_QUESTION": re.compile(r"(?<=[\u3400-\u9fff])\?(?=[\u3400-\u9fff])"),
}
_FULL_QUOTE_SHIFT = re.compile(rf"(?<=[\u3400-\u9fff])[\u3400-\u9fff][{_TRAIL}](?=[\u3400-\u9fff])")


def _gbk_texts() -> list[str]:
    """Corpus texts plus copies with GBK bytes lost (what the repair exists for)."""
    out = list(_texts())
    for text in _texts()[:40]:
        raw = text.encode("gbk", "ignore")
        for step in (97, 389):  # drop every step-th byte: out-of-phase runs everywhere
            damaged = bytes(b for i, b in enumerate(raw) if i % step != 5)
            out.append(damaged.decode("gbk", "replace").replace("\ufffd", "?"))
    return out


def test_rare_first_gbk_patterns_find_what_the_lookbehind_forms_find() -> None:
    for text in _gbk_texts():
        for name, full in _FULL_PATTERNS.items():
            fast = getattr(gbk_repair, name)
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in full.finditer(text)], name
        quotes = [(m.start() - 1, m.end()) for m in gbk_repair._QUOTE_SHIFT.finditer(text)]
        assert quotes == [m.span() for m in _FULL_QUOTE_SHIFT.finditer(text)]
        symbols = gbk_repair._shifted_symbol_run()
        full_symbols = re.compile(symbols.pattern.replace("](?<=[\\u3400-\\u9fff].)", "]", 1))
        full_symbols = re.compile("(?<=[\\u3400-\\u9fff])" + full_symbols.pattern)
        assert [m.span() for m in symbols.finditer(text)] == [m.span() for m in full_symbols.finditer(text)]


def test_gbk_corpus_has_repairs_to_compare() -> None:
    results = [gbk_repair.repair_gbk(t) for t in _gbk_texts()]
    assert sum(r.repaired + r.flagged for r in results) > 20


_FULL_SPAM = re.compile(rf"[^{R.RUN_ENDS}]{{{R.MAX_UNPUNCTUATED},}}")


def test_linear_spam_check_equals_the_run_search() -> None:
    texts = list(_texts())
    texts += ["字" * 799, "字" * 800, "，" + "字" * 800, "字" * 800 + "。", "，" + "字" * 799, "a，" * 900]
    texts += ["。".join("字" * n for n in (10, 799, 5, 801, 3)), "。".join("字" * n for n in (799, 799))]
    for text in texts:
        assert is_spam(text) == (_FULL_SPAM.search(text) is not None)


def test_width_and_invisible_folds_equal_translate() -> None:
    """fold_invisible/fold_width replace only the characters they find; translate maps them all."""
    import random

    alphabet = [chr(c) for c in textsteps._INVISIBLE] + [chr(c) for c in textsteps._FULLWIDTH_ALNUM]
    alphabet += list("中文，。 abc\n")
    rng = random.Random(12)
    texts = list(_texts()) + ["".join(rng.choice(alphabet) for _ in range(30)) for _ in range(2000)]
    for text in texts:
        assert textsteps.fold_width(text) == text.translate(textsteps._FULLWIDTH_ALNUM)
        found = textsteps._map_found(text, textsteps._ANY_INVISIBLE, textsteps._INVISIBLE)
        assert found == text.translate(textsteps._INVISIBLE)


def test_piecewise_headline_key_equals_the_whole_key() -> None:
    """has_key keys a long text piece by piece (cut before whitespace) and stops where it leaves
    the wanted key; the answer is the whole text's key compared."""
    import random

    rng = random.Random(7)
    alphabet = [*"临潭县召开会，。：！“”ABCａｂｃＡ①ﬁßé¨", "e\u0301", "\u0308", "\u3000", " ", "\n", "\t"]
    cases = []
    for text in _texts():  # a headline against the page it sits in, and against itself re-spaced
        for line in text.split("\n")[:: max(1, len(text.split("\n")) // 20)]:
            cases += [(text, line), (" \n ".join(line), line), (line, line), (line + "\n" + line, line)]
    for _ in range(3000):
        wanted = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        spaced = "".join(c + " " * rng.randint(0, 3) for c in wanted)
        noise = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        cases += [(spaced, wanted), (noise, wanted), (spaced + noise, wanted), (wanted + noise, wanted)]
    equal = 0
    for text, line in cases:
        wanted = key(line)
        assert has_key(text, wanted) == (key(text) == wanted), (text[:80], line)
        equal += key(text) == wanted
    assert equal >= 1000  # both answers occur: the agreement is not vacuous


def test_body_punctuation_count_equals_the_pattern_count() -> None:
    for line in _lines():
        assert sum(map(line.count, R.BODY_PUNCT)) == len(R.BODY_PUNCT_RE.findall(line)), line


def test_boxes_holding_links_found_in_one_walk_equal_a_query_per_box() -> None:
    pages = [real_page(r) for r in records()] + [case.page() for case in all_cases()]
    boxes = linking = 0
    for page in pages:
        tree = parse_html(decode_page(page).text)
        for block in tree.css("body, div, td"):  # every container a body block can be
            found = _holding_links(block)
            for node in block.css(R.LINK_BOX_SELECTOR):
                assert (node.mem_id in found) == (node.css_first("a") is not None), page.url
                boxes += 1
                linking += node.mem_id in found
    assert boxes > 10_000 and linking > 1_000


_KNOWN_BODY_PAGES = [
    '<div id="js_content"><section><p>正文。</p></section></div><p>相关</p>',
    '<section id="js_content"><p>一</p><br><span>二<br>三</span></section>',
    '<p id="js_content">甲</p><div id="js_content">乙</div><td id="js_content">丙</td>',
    '<div id="JS_CONTENT"><p>怪异模式下 id 不分大小写</p></div>',  # no doctype: quirks mode
    '<!DOCTYPE html><div id="JS_CONTENT"><p>标准模式下分大小写</p></div>',
    '<font id="js_content"><br>字</font><div><div><p>深</p></div></div>',
    '<h1 id="js_content">标题</h1><h1>另一个</h1><div><h1><p>段</p></h1></div>',
]


def test_known_body_units_and_h1s_from_one_walk_equal_three_queries() -> None:
    """One selector walk yields the known body (#js_content), the text units and the `<h1>`s."""
    pages = [real_page(r) for r in records()] + [case.page() for case in all_cases()]
    texts = [decode_page(page).text for page in pages] + _KNOWN_BODY_PAGES
    known_found = 0
    for text in texts:
        tree = parse_html(text)
        tree.strip_tags(list(R.STRIP_TAGS))
        for root in (tree.body, *tree.css("div")[:50]):
            known, units, h1s = _walk_units(root)
            expected = root.css_first(R.KNOWN_BODY)
            assert (known.mem_id if known else None) == (expected.mem_id if expected else None)
            assert [u.mem_id for u in units] == [u.mem_id for u in root.css(R.UNIT_SELECTOR)]
            assert [h.mem_id for h in h1s] == [h.mem_id for h in root.css("h1")]
            known_found += known is not None
        assert [h.mem_id for h in _walk_units(tree.body).h1s] == [h.mem_id for h in tree.css("h1")]
    assert known_found >= 10
