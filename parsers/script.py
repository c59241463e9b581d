"""Traditional -> simplified (OpenCC `t2s` dictionaries) and script detection.

OpenCC's pure-Python converter runs at about 0.5 M chars/s, slower than parsing the page, so we
load its own dictionaries once and apply them the same way in two fast passes: phrases first
(longest match, a regex alternation), then single characters (`str.translate`, first candidate,
as OpenCC does). Tests check the result equals `opencc.OpenCC("t2s").convert` on real pages.
Text with no traditional-only character is not touched at all.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from parsers.zhe import fix_zhe

# 甚麼 -> 甚么 in t2s; simplified writes 什么 (著/着 is a rule of its own: parsers.zhe)
PHRASE_FIXES: dict[str, str] = {"为甚么": "为什么", "甚么": "什么"}
_FIX_RE = re.compile("|".join(PHRASE_FIXES))


@lru_cache(maxsize=4)
def _dictionary(config: str, file: str) -> dict[str, str]:
    """One of OpenCC's own dictionary files (`TSCharacters.txt`, ...) as `config` loads it."""
    # lazy: opencc-python-reimplemented reads its dictionaries when first asked
    import opencc

    converter = opencc.OpenCC(config)
    converter._init_dict()  # the public API loads lazily on first convert()
    for path, (_max, _min, mapping) in converter.dict_cache.items():
        if path.endswith(file):
            return mapping
    raise LookupError(f"OpenCC's {config} has no {file}")


def _always_changed(config: str, file: str) -> frozenset[str]:
    """Single characters the dictionary always changes: none of their candidates is the character."""
    return frozenset(k for k, v in _dictionary(config, file).items() if len(k) == 1 and k not in v.split(" "))


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[int, str], re.Pattern[str]]:
    phrases = {k: v.split(" ")[0] for k, v in _dictionary("t2s", "TSPhrases.txt").items()}
    single = _dictionary("t2s", "TSCharacters.txt")
    chars = {ord(k): v.split(" ")[0] for k, v in single.items() if len(k) == 1}
    # one chain in the dictionary (薴 -> 苧 -> 苎): resolved so that converting twice changes nothing
    for key, value in chars.items():
        while value.translate(chars) != value:
            value = value.translate(chars)
        chars[key] = value
    alternation = "|".join(sorted(map(re.escape, phrases), key=len, reverse=True))
    return phrases, chars, re.compile(alternation)


@lru_cache(maxsize=1)
def traditional_only() -> frozenset[str]:
    """Characters t2s always changes: none of their simplified candidates is the character itself.

    乾, 於 and 瞭 are not in the set (simplified text uses them too: 乾隆, 於姓, 瞭望).
    """
    return _always_changed("t2s", "TSCharacters.txt")


@lru_cache(maxsize=1)
def simplified_only() -> frozenset[str]:
    """Characters s2t always changes: simplified forms a traditional page would not print."""
    return _always_changed("s2t", "STCharacters.txt") - traditional_only()


_HANZI = re.compile(r"[\u3400-\u9fff]")


_ESCAPED = re.compile(rb"\\u([0-9a-f]{4})|\\U([0-9a-f]{8})")


@lru_cache(maxsize=1)
def _gb2312_traditional() -> tuple[str, ...]:
    """The few traditional-only characters GB2312 can encode (後, 摺, 甯…): checked one by one."""
    out = []
    for ch in sorted(traditional_only()):
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        out.append(ch)
    return tuple(out)


def has_traditional(text: str) -> bool:
    """Whether any traditional-only character occurs; about 10 µs for a simplified page.

    GB2312 (encoded in C) holds no traditional-only character but a handful, so a page that
    encodes cleanly needs only those few checked; otherwise each unencodable character is looked up.
    """
    trad = traditional_only()
    try:
        text.encode("gb2312")
    except UnicodeEncodeError as err:
        if text[err.start] in trad:  # a traditional page answers at its first unencodable character
            return True
        raw = text[err.end :].encode("gb2312", "backslashreplace")  # in C; the rest become \\uXXXX
        for m in _ESCAPED.finditer(raw):
            if chr(int(m[1] or m[2], 16)) in trad:
                return True
    return any(ch in text for ch in _gb2312_traditional())


def _counts(text: str) -> tuple[int, int]:
    """(traditional-only, simplified-only) character counts; Counter runs in C over the text."""
    counts = Counter(text)
    trad, simp = traditional_only(), simplified_only()
    return (
        sum(n for ch, n in counts.items() if ch in trad),
        sum(n for ch, n in counts.items() if ch in simp),
    )


def count_traditional(text: str) -> int:
    """How many traditional-only characters the text has."""
    return _counts(text)[0] if has_traditional(text) else 0


@lru_cache(maxsize=1)
def _char_table() -> tuple[list[str], dict[int, str]]:
    """The character map as a list indexed by code point (faster in str.translate than a dict)
    for the BMP, and a small dict for the few astral characters."""
    _, chars, _ = _tables()
    table = [chr(i) for i in range(0x10000)]
    astral = {}
    for code, value in chars.items():
        if code < 0x10000:
            table[code] = value
        else:
            astral[code] = value
    return table, astral


def _translate(text: str) -> str:
    table, astral = _char_table()
    out = text.translate(table)  # an astral character raises IndexError: translate leaves it as is
    return out.translate(astral) if not out.isascii() and max(out) > "\uffff" else out


def t2s(text: str) -> str:
    """OpenCC t2s, same dictionaries and results, without its per-character Python loop."""
    phrases, _, phrase_re = _tables()
    out: list[str] = []
    pos = 0
    for m in phrase_re.finditer(text):
        out.append(_translate(text[pos : m.start()]))
        out.append(phrases[m.group()])
        pos = m.end()
    out.append(_translate(text[pos:]))
    return "".join(out)


def fix_phrases(text: str) -> str:
    """What OpenCC leaves: 著 where 着 is meant (随著, 带著, 著力; by rule) and 甚么 -> 什么."""
    text = fix_zhe(text)
    if "甚么" not in text:
        return text
    return _FIX_RE.sub(lambda m: PHRASE_FIXES[m.group()], text)


def to_simplified(text: str) -> str:
    """Traditional text to simplified with the phrase fixes; text with no traditional-only char unchanged."""
    if not has_traditional(text):
        return text
    return fix_phrases(t2s(text))


def detect_script(text: str, traditional: bool | None = None) -> str:
    """zh-Hant, zh-Hans or mixed, from traditional-only and simplified-only characters.

    A few stray forms of the other script are normal (originals print 評估, 受眾; the naive
    converters of content farms leave 目标, 确保), so a script is "mixed" only past 10 %.
    `traditional` is `has_traditional(text)` when the caller has it already (one pass, not two).
    """
    if not (has_traditional(text) if traditional is None else traditional):
        return "zh-Hans" if _HANZI.search(text) else "unknown"
    trad, simp = _counts(text)
    share = trad / (trad + simp)
    if share >= 0.9:
        return "zh-Hant"
    if share <= 0.1:
        return "zh-Hans"
    return "mixed"
