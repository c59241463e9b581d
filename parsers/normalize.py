"""Normalization: the ordered list of text steps every parser's output goes through."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from parsers.records import Article, Page

_WS = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # opencc-python-reimplemented; loading its dictionaries takes ~0.1 s

    return opencc.OpenCC("t2s")


def collapse_whitespace(text: str) -> str:
    return _WS.sub(" ", text).strip()


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def normalize_text(text: str) -> str:
    return to_simplified(collapse_whitespace(text))


def normalize_article(article: Article, page: Page | None = None) -> Article:
    """The normalized copy of an article; the page's own text is kept in raw_* fields."""
    paragraphs = tuple(p for p in (normalize_text(x) for x in article.paragraphs) if p)
    return replace(
        article,
        title=normalize_text(article.title),
        paragraphs=paragraphs,
        raw_title=article.raw_title if article.raw_title is not None else article.title,
        raw_paragraphs=article.raw_paragraphs if article.raw_paragraphs is not None else article.paragraphs,
    )
