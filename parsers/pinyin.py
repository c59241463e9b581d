"""Pinyin annotations that mirror sites insert after characters: `團(tuán)結(jié)` -> `團結`.

Only a parenthesised lowercase syllable carrying a tone mark is an annotation; real
parentheticals such as `(AI)`, `(2016-2020年)`, `(社区)`, `(见习)` or `(图)` have none and stay.
Toneless annotations were not seen on any mirror, so requiring the tone mark costs nothing.
"""

from __future__ import annotations

import re

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"[a-zü]*(?:[{TONED}]|[aeiouü][\u0300\u0301\u030c\u0304])[a-zü]*"
_ANNOTATION = re.compile(rf"[(（]{_SYLLABLE}[)）]")
_HINT = re.compile(rf"[{TONED}\u0300\u0301\u030c\u0304]")


def remove_pinyin_counted(text: str) -> tuple[str, int]:
    """The text without annotations, and how many were removed."""
    if not _HINT.search(text):  # no tone mark at all: the common, simplified page
        return text, 0
    total = 0
    while True:  # removing one annotation can close another around it: `(zh(tuán)ǔn)`
        text, n = _ANNOTATION.subn("", text)
        total += n
        if not n:
            return text, total


def remove_pinyin(text: str) -> str:
    """Strip every `(syllable-with-tone)` annotation, in ASCII or full-width parentheses."""
    return remove_pinyin_counted(text)[0]


def has_pinyin(text: str) -> bool:
    return bool(_HINT.search(text)) and _ANNOTATION.search(text) is not None
