"""Slogans and campaign terms: numbered formulas (五结合五防止, 四抓四促, 三个离不开, 七大工程,
“13610”计划) and quoted terms (“一阵风”, “石榴籽家园”), with their counts per article.

Quotation marks are the page's own way of marking a term, so a quoted span is taken as it is.
Unquoted numbered formulas are found by pattern: a repeated numeral (五X五Y) is distinctive on its
own; N个X / N大X are common phrasing (三个方面, 一大批), so unquoted they count only when the same
term is quoted somewhere (in the article or in the `known` vocabulary the caller passes in).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from parsers.research.segment import tokenizer

NUMERALS = "一二三四五六七八九十百两"
_N = f"[{NUMERALS}]"
_HAN = r"[\u4e00-\u9fff]"
_QUOTED = re.compile(r"“([^“”\n]{1,30})”|「([^「」\n]{1,30})」|\"([^\"\n]{1,30})\"")
_SENTENCE_PUNCT = re.compile(r"[。！？；!?;：:]")
# 五结合五防止 / 四抓四促 / 五坚持五促: numeral, 1-3 characters, the same numeral again.
_REPEATED = re.compile(rf"({_N}+)({_HAN}{{1,3}}?)\1(?={_HAN})")
_COUNTED = re.compile(rf"({_N}+)(个|大)(?={_HAN})")
# 八有, 十融入, 五个一, 1+4+N; not 一阵风 / 一家亲 (一 starts idioms), unless 一X一Y or 一个/一大.
_NUMBERED_QUOTED = re.compile(rf"^(?:[二三四五六七八九十百两]|{_N}+[个大]|[0-9])")
_PLAN_SUFFIX = re.compile(r"^(计划|工程|行动|机制|模式|体系|战略|工作法|活动)")
_STOP_Y = set("的了和与是在为及等")


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    kind: str  # numbered | quoted
    count: int
    in_title: bool


def _is_term_text(text: str) -> bool:
    """A quoted span that names something, not a quoted sentence or a stray quote pair."""
    text = text.strip()
    if not 2 <= len(text) <= 24 or _SENTENCE_PUNCT.search(text):
        return False
    return bool(re.search(_HAN, text)) or text.isdigit() or bool(re.fullmatch(r"[0-9A-Za-z+]{2,}", text))


def kind_of(term: str) -> str:
    bare = term.replace("“", "").replace("”", "")
    if _NUMBERED_QUOTED.match(bare) or _REPEATED.search(bare + "之"):
        return "numbered"
    return "quoted"


def _quoted_terms(text: str) -> list[str]:
    found = []
    for m in _QUOTED.finditer(text):
        inner = next(g for g in m.groups() if g is not None).strip()
        if m.group(3) is not None and not re.search(_HAN, inner):
            continue  # ASCII quotes around Latin text are not a campaign term
        if not _is_term_text(inner):
            continue
        after = text[m.end() : m.end() + 4]
        plan = _PLAN_SUFFIX.match(after)
        if plan and re.fullmatch(r"[0-9+A-Za-z]+", inner):
            found.append(f"“{inner}”{plan.group(1)}")  # “13610”计划: the number names the plan
        else:
            found.append(inner)
    return found


def _next_word(text: str, pos: int) -> str:
    window = text[pos : pos + 8]
    for word in tokenizer().cut(window):
        return word
    return ""


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def _repeated_formulas(text: str) -> list[str]:
    """五结合五防止, 一廊一区一带: the numeral repeats; each part after it is one word."""
    spans = _quoted_spans(text)
    out = []
    for m in _REPEATED.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue  # inside quotes: the quoted term is taken whole
        numeral, formula, pos = m.group(1), m.group(0), m.end()
        while True:
            y = _next_word(text, pos)
            if not re.fullmatch(rf"{_HAN}{{1,3}}", y) or y in _STOP_Y:
                break
            formula, pos = formula + y, pos + len(y)
            if not text.startswith(numeral, pos) or len(formula) > 12:
                break
            formula, pos = formula + numeral, pos + len(numeral)
        if formula != m.group(0) and not formula.endswith(numeral):
            out.append(formula)
    return out


def _counted_candidates(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end-of-prefix, numeral, 个|大) for each N个 / N大 in the text."""
    return [(m.start(), m.end(), m.group(1), m.group(2)) for m in _COUNTED.finditer(text)]


def extract_terms(title: str, body: str, known: Collection[str] = ()) -> list[Term]:
    """Terms of one article with their counts over title and body, most frequent first."""
    title = title or ""
    body = body or ""
    text = f"{title}\n{body}"
    quoted = _quoted_terms(text)
    vocabulary = set(quoted) | set(known)
    counts: Counter[str] = Counter()
    # Every occurrence of a quoted term counts, quoted or not (the page quotes a term once, then uses it).
    for term in set(quoted):
        needle = term.replace("“", "").replace("”", "") if term.startswith("“") else term
        counts[term] = max(text.count(needle), quoted.count(term))
    for formula in _repeated_formulas(text):
        if formula not in counts:
            counts[formula] = text.count(formula)
    for start, end, _numeral, _kind in _counted_candidates(text):
        for length in (4, 3, 2):
            candidate = text[start : end + length]
            if candidate in vocabulary and candidate not in counts:
                counts[candidate] = text.count(candidate)
                break
    # A formula found inside a longer quoted term (“五结合五防止”工作成效) is the same term: keep the longer.
    terms = []
    for term, count in counts.items():
        if count <= 0:
            continue
        needle = term.replace("“", "").replace("”", "") if term.startswith("“") else term
        terms.append(Term(term, kind_of(term), count, needle in title))
    terms.sort(key=lambda t: (-t.count, t.term))
    return terms
