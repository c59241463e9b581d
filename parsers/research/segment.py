"""Chinese word segmentation (jieba) for the full-text index and for checking word boundaries.

DuckDB's FTS splits text on whitespace, so Chinese is indexed as jieba tokens joined by spaces.
Documents and queries go through the same search-mode cut so that a query for 民族团结 finds a
document whose tokens are 民族 / 团结 / 民族团结.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when the first text is cut: `enrich` with nothing to do never pays it
    import jieba

from parsers.research.gazetteer import place_names
from parsers.script import to_simplified

_WORDLIKE = re.compile(r"[\w]", re.UNICODE)


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    # lazy: its dictionary: only enrich and search
    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO on every process
    tok = jieba.Tokenizer()
    tok.initialize()
    for name in place_names():
        if len(name) >= 3:  # 张家川县, 阿瓦提: whole tokens, so a search for a county finds it
            tok.add_word(name, freq=1000)
    return tok


def tokens(text: str) -> list[str]:
    """Search-mode tokens of the text, punctuation and spaces dropped."""
    # HMM off: it only guesses unknown words, costs ~15 %, and queries are cut the same way.
    return [t for t in tokenizer().cut_for_search(text, HMM=False) if _WORDLIKE.search(t) and not t.isspace()]


def index_text(text: str) -> str:
    return " ".join(tokens(text))


def query_tokens(query: str) -> list[str]:
    """Tokens of a search query: each whitespace-separated part is segmented the same way as documents.

    The index holds the normalized (simplified) text, so a traditional query (民族團結) is
    converted the same way first.
    """
    out: list[str] = []
    for part in to_simplified(query).split():
        for t in tokens(part):
            if t not in out:
                out.append(t)
    return out


def on_word_boundaries(text: str, start: int, end: int, margin: int = 8) -> bool:
    """True when text[start:end] is one or more whole jieba words in its context.

    Used to reject place names found inside other words (完成县级 contains 成县).
    """
    lo = max(0, start - margin)
    window = text[lo : min(len(text), end + margin)]
    cuts = {0, len(window)}
    for _word, s, e in tokenizer().tokenize(window):
        cuts.add(s)
        cuts.add(e)
    return (start - lo) in cuts and (end - lo) in cuts
