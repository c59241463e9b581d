"""著 or 着 after traditional -> simplified: the rule for the character OpenCC leaves alone.

Traditional text writes 著 for both zhù (著名, 著作, 显著) and the aspect suffix and zhuó/zháo
words (看著, 意味著, 著力, 著急); simplified text writes 着 for the latter. OpenCC's t2s keeps 著,
so mirror copies come out as `随著`, `带著`, `有著`. A simplified lexicon settles it without a
phrase list of our own, because in simplified Chinese a word holding 著 is a zhù word:

1. 著 closing a lexicon word that holds 著 (显著, 卓著, 土著, 臭名昭著) stays 著, unless a
   likelier verb ends just before it (`刷新著`: 刷新, not 新著);
2. 著 opening one (著名, 著作, 著称) stays 著, unless a verb comes before it and the
   characters after it make a likelier word than the 著 word does (`发挥著作用`: 作用);
3. else 着 when the text around it makes a lexicon word with 着 (随着, 意味着, 着力, 着手),
   or when the word just before it is a verb (带著, 围绕著, 存在著: the aspect suffix);
4. else 著 stays (`冯著`, a poet's name: no verb before it, no word around it).

The lexicon is jieba's dictionary file (jieba is a dependency already; the file is read once,
when a converted text first holds a 著, without importing jieba); entries seen fewer than
MIN_FREQ times are skipped, since a few are themselves naive conversions (`着作`, `著实`).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

MIN_FREQ = 10  # jieba counts; the naive-conversion entries (著实, 著迷, 穿著) have 3
_LONGEST = 4  # lexicon words looked at around a 著: up to four characters


@lru_cache(maxsize=1)
def _dictionary() -> str:
    """jieba's dictionary text (`word count tag` lines), found without importing jieba (seconds)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return "\n"
    with open(Path(spec.origin).parent / "dict.txt", encoding="utf-8") as f:
        return "\n" + f.read()


def _entry(line: str) -> tuple[str, int, str]:
    word, count, tag = [*line.split(), "", "0", ""][:3]
    return word, int(count) if count.isdigit() else 0, tag


@lru_cache(maxsize=1)
def _zh_words() -> tuple[dict[str, int], dict[str, int]]:
    """(lexicon words holding 著, holding 着) with their counts, from the few lines that hold either."""
    text = _dictionary()
    zhu: dict[str, int] = {}
    zhe: dict[str, int] = {}
    for ch, target in (("著", zhu), ("着", zhe)):
        i = text.find(ch)
        while i != -1:
            start, end = text.rfind("\n", 0, i) + 1, text.find("\n", i)
            end = len(text) if end == -1 else end
            word, count, _ = _entry(text[start:end])
            # every 着 word counts (a rare one is still no zhù word); a rare 著 word may be a naive conversion
            if ch in word and len(word) <= _LONGEST and (ch == "着" or count >= MIN_FREQ):
                target[word] = count
            i = text.find(ch, end)
    return zhu, zhe


@lru_cache(maxsize=4096)
def _lookup(word: str) -> tuple[int, str]:
    """(count, tag) of a lexicon word, (0, "") if absent; looked up on demand, then cached."""
    text = _dictionary()
    i = text.find(f"\n{word} ")
    if i == -1:
        return 0, ""
    _, count, tag = _entry(text[i + 1 : text.find("\n", i + 1)])
    return (count, tag) if count >= MIN_FREQ else (0, "")


def _windows(text: str, i: int) -> list[tuple[int, int]]:
    """(start, end) of every stretch of 2-4 characters that covers position i."""
    return [
        (s, s + n)
        for n in range(2, _LONGEST + 1)
        for s in range(max(0, i - n + 1), i + 1)
        if s + n <= len(text)
    ]


def _verb_before(text: str, i: int) -> bool:
    return any(
        w.strip() and _lookup(w)[1].startswith("v") for w in (text[max(0, i - 2) : i], text[i - 1 : i])
    )


def _suffix_zhe(text: str, i: int) -> bool:
    """Whether the 著 at `i` is 着 (see the module docstring for the order of the tests).

    Lexicon lookups (a search of the dictionary text, then cached) run only where the words
    held in memory do not settle it.
    """
    zhu, zhe = _zh_words()
    windows = _windows(text, i)
    left = [zhu[text[s:e]] for s, e in windows if s < i and text[s:e] in zhu]
    if left:  # 显著, 卓著, 土著, 臭名昭著; but 刷新著: a likelier verb ends before it, not 新著
        before = _lookup(text[max(0, i - 2) : i]) if i >= 2 else (0, "")
        return before[1].startswith("v") and before[0] > max(left)
    zhe_word = any((text[s:i] + "着" + text[i + 1 : e]) in zhe for s, e in windows)
    right = [zhu[text[i:e]] for s, e in windows if s == i and text[i:e] in zhu]
    if right:  # 著作, 著名, 著称 start here, unless a verb's suffix is followed by a likelier word:
        if not _verb_before(text, i):
            return False
        after = max((_lookup(text[i + 1 : i + n])[0] for n in (3, 4) if i + n <= len(text)), default=0)
        return after > max(right)  # 发挥著作用 -> 发挥着作用
    return zhe_word or _verb_before(text, i)


def fix_zhe(text: str) -> str:
    """`随著` -> `随着`, `带著` -> `带着`, `著力` -> `着力`; `著名`, `显著`, `冯著` unchanged."""
    if "著" not in text:
        return text
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch == "著" and _suffix_zhe(text, i):
            chars[i] = "着"
    return "".join(chars)
