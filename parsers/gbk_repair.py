"""GBK byte-loss garbage in mirror copies: detect it, repair it where the lost-0xA1 rule works.

A mirror re-encodes its text as GBK and loses one byte, almost always the 0xA1 lead byte of a
full-width mark (`。` A1A3, `“”` A1B0/A1B1, `　` A1A1). Everything after is decoded out of phase
until an ASCII-range trail byte resyncs, which leaves a run of rare characters ending in a stray
ASCII letter: `態勢。考察團` -> `態勢？疾靾F`. Putting 0xA1 back in front of the GBK bytes of the
run decodes the original (`？疾靾F` -> `。考察團`). A run that does not come back cleanly is left
in the text, wrapped in MARK_OPEN/MARK_CLOSE and counted: text is never dropped silently.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

MARK_OPEN, MARK_CLOSE = "⟦", "⟧"  # never printed by Chinese news pages, so a mark is unambiguous
_TRAIL = "@-Z\\[\\]^_`a-z{|}~"  # ASCII bytes that are valid GBK trail bytes (0x40-0x7E)
# an ASCII letter squeezed between non-ASCII characters: where an out-of-phase run resyncs.
# Speed: every pattern here starts with its rarest character and looks behind after it, so `re`
# skips the hanzi in its C scan instead of trying a lookbehind at every position (3-20x faster).
_TAIL = re.compile(
    rf"(?:[{_TRAIL}]|\?)(?<=[^\x00-\x7f{MARK_CLOSE}].)(?=[^\x00-\x7f{MARK_OPEN}{MARK_CLOSE}]|[0-9]|$)",
    re.MULTILINE,  # a run may end a line inside a longer text: text steps work line by line
)
_TRAIL_ANY = re.compile(rf"[{_TRAIL}?]")
_RUN_CHAR = re.compile(rf"[^\x00-\x20\x7f{MARK_OPEN}{MARK_CLOSE}]")
# pinyin whose opening parenthesis was eaten by the shift: `人民日?qǐng)?bào)` (`報(bào)` went
# through), and the shifted characters it runs into up to the ASCII byte that resyncs the text
# (`當?shù)孛褡鍒F` = 當地民族團, `鏈?zhǔn)且粋€` = 是一個: the rest is garbage as well, never left unmarked)
_PY = r"[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]"
_BROKEN_PINYIN = re.compile(rf"[?？]{_PY}\??(?:{_PY})?")
_GARBAGE_TO_RESYNC = re.compile(
    rf"[\u3400-\u9fff\uf900-\ufaff\ue000-\uf8ff\U00020000-\U0003ffff]{{1,8}}?(?:[{_TRAIL}]|€)(?=[^\x00-\x7f]|[(（]|$)"
)
# a lone `?` standing for a lost lead byte, with its ASCII trail byte: `?h委` (= 縣委)
_LOST_LEAD = re.compile(r"\?(?<=[^\x00-\x7f]\?)[a-z](?=[\u3400-\u9fff])")
_LONE_QUESTION = re.compile(r"\?(?<=[\u3400-\u9fff]\?)(?=[\u3400-\u9fff])")
_MARKED = re.compile(rf"{MARK_OPEN}[^{MARK_CLOSE}]*{MARK_CLOSE}")
_UNNFKC = str.maketrans({"?": "？", "!": "！", "(": "（", ")": "）", ";": "；", ":": "：", ",": "，"})
_MAX_RUN = 16
# the full-width marks whose 0xA1 lead byte goes missing: 　、。·—…‘’“”《》「」『』【】〔〕
_LOST_MARKS = frozenset("\u3000、。·—…‘’“”《》「」『』【】〔〕，：；！？（）")
_LOST_LEADS = (b"\xa1", b"\xa3")  # the A1 row (、。“”…) and the A3 row (，：；！？（）) of GBK


@dataclass(frozen=True, slots=True)
class RepairResult:
    text: str
    repaired: int  # spans put back by the lost-0xA1 rule
    flagged: int  # spans left in the text, marked


@lru_cache(maxsize=1)
def known_chars() -> frozenset[str]:
    """Characters a real page prints: GB2312, OpenCC's traditional and simplified forms, punctuation.

    Garbage runs are made of what is left: rare GBK/3-4 characters, user-defined (PUA) codes.
    """
    # lazy: its dictionaries load on first use
    import opencc

    chars: set[str] = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    converter = opencc.OpenCC("t2s")
    converter._init_dict()
    for _max, _min, mapping in converter.dict_cache.values():
        for key, value in mapping.items():
            chars.update(key)
            chars.update(value.replace(" ", ""))
    chars.update(chr(c) for c in range(0x20, 0x7F))
    chars.update(chr(c) for c in range(0x2000, 0x206F))
    chars.update(chr(c) for c in range(0x3000, 0x3040))
    chars.update(chr(c) for c in range(0xFF01, 0xFF5F))
    return frozenset(chars)


def _unknown(text: str) -> int:
    known = known_chars()
    return sum(1 for ch in text if ch not in known)


def _decode_shifted(span: str, lead: bytes = b"\xa1") -> str | None:
    """The span re-encoded as GBK with the lost lead byte put back, if that decodes cleanly."""
    first = span[:1].translate(_UNNFKC)  # seeds are NFKC renderings: `？` became `?`
    try:
        raw = (first + span[1:]).encode("gb18030")
        return (lead + raw).decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


@lru_cache(maxsize=1)
def _shifted_symbol_run() -> re.Pattern[str]:
    """A symbol a lost lead byte makes of a mark's trail byte, glued to a hanzi, up to the resync.

    `、` is A1 A2: without its A1, the A2 pairs with the next character's lead byte into a symbol of
    GBK's A2 row (⒏, ⑹, ⒚), and so on for the rows of kana, Greek, Cyrillic and box drawing;
    the characters after it are out of phase until an ASCII byte (`各部門` -> `鞑块T`).
    """
    symbols = set()
    for lead in (0xA2, 0xA4, 0xA5, 0xA6, 0xA7, 0xA9):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                symbols.add(bytes((lead, trail)).decode("gbk"))
    cls = "".join(sorted(re.escape(c) for c in symbols))
    return re.compile(
        rf"[{cls}](?<=[\u3400-\u9fff].)[^\x00-\x20\x7f{MARK_OPEN}{MARK_CLOSE}，。、；：！？“”…]{{0,12}}?[{_TRAIL}?]"
    )


def _repair_symbol_runs(text: str) -> tuple[str, int, int]:
    """Shifted-symbol runs (`鎮⒏鞑块T要`) put back where a lost A1/A3 decodes them, else marked."""
    repaired = flagged = 0
    marked = [m.span() for m in _MARKED.finditer(text)] if MARK_OPEN in text else []

    def fix(m: re.Match[str]) -> str:
        nonlocal repaired, flagged
        if any(a <= m.start() < b for a, b in marked):
            return m.group()
        for lead in _LOST_LEADS:
            fixed = _decode_shifted(m.group(), lead)
            if fixed and fixed[0] in _LOST_MARKS and _unknown(fixed) == 0 and "?" not in fixed:
                repaired += 1
                return fixed
        # not decodable: garbage if it lost a character (`⑹形?`) or holds rare ones; `第⑴条规定A级` is text
        if m.group().endswith("?") or any(_rare(ch) for ch in m.group()[1:-1]):
            flagged += 1
            return MARK_OPEN + m.group() + MARK_CLOSE
        return m.group()

    return _shifted_symbol_run().sub(fix, text), repaired, flagged


def _best_repair(text: str, start: int, end: int) -> tuple[int, str] | None:
    """The shortest run ending at `end` that decodes to known text behind a plausible lost mark.

    Shortest first: `支持!睆埣掖ǹh` becomes `支持!”張家川縣` and keeps the page's own `!`.
    """
    known = known_chars()
    first_rare = next((i for i in range(start, end) if text[i] not in known), end - 1)
    for s in range(min(first_rare, end - 2), start - 1, -1):  # the repair must cover every rare char
        fixed = _decode_shifted(text[s:end])
        if fixed and fixed[0] in _LOST_MARKS and _unknown(fixed) == 0:
            return s, fixed
    return None


def _first_lead(run: str) -> int:
    """Where a garbage run starts: at its first `?`/`？` when it has one, else at its start."""
    hits = [i for i in (run.find("?"), run.find("？")) if 0 <= i < len(run) - 1]
    return min(hits) if hits else 0


def _run_start(text: str, tail: int) -> int:
    s = tail
    while s > 0 and tail - s < _MAX_RUN and _RUN_CHAR.match(text, s - 1):
        s -= 1
    return s


def repair_gbk(text: str) -> RepairResult:
    """Repair or mark GBK byte-shift garbage runs; clean text comes back unchanged."""
    if text.isascii() or (not _TRAIL_ANY.search(text) and "？" not in text):
        return RepairResult(text, 0, 0)  # no ASCII trail byte and no `？`: nothing can be out of phase
    repaired = flagged = 0
    out: list[str] = []
    pos = 0
    marked = [m.span() for m in _MARKED.finditer(text)] if MARK_OPEN in text else []
    for m in _TAIL.finditer(text):
        end = m.end()
        if m.start() < pos or any(a <= m.start() < b for a, b in marked):
            continue
        start = max(_run_start(text, m.start()), pos)
        run = text[start:end]
        if _unknown(run[:-1]) == 0:
            continue  # ordinary text beside a Latin letter (`A股`, `5G`): nothing rare in it
        found = None if m.group() == "?" else _best_repair(text, start, end)
        if found is not None:
            s, fixed = found
            out.append(text[pos:s] + fixed)
            pos = end
            repaired += 1
            continue
        # a run ending on `?` lost a character for good (`尾?、`): marked, never guessed
        if _unknown(run) >= (1 if m.group() == "?" else 2):
            lead = _first_lead(run)
            s = start + lead
            out.append(text[pos:s] + MARK_OPEN + text[s:end] + MARK_CLOSE)
            pos = end
            flagged += 1
    out.append(text[pos:])
    text = "".join(out)
    text, r0, n0 = _repair_symbol_runs(text)
    if "“" in text or "”" in text:
        text, q = _repair_lost_quotes(text)
        r0 += q
    text, n1 = _mark(_BROKEN_PINYIN, text, _garbage_after)
    text, n2 = _mark(_LOST_LEAD, text)
    n3 = 0
    if repaired + r0 + flagged + n0 + n1 + n2:  # a text with byte loss elsewhere: a lone `?` glued
        text, n3 = _mark(_LONE_QUESTION, text)  # between hanzi is a lost `，` (its A3 gone, AC invalid)
    return RepairResult(text, repaired + r0, flagged + n0 + n1 + n2 + n3)


# `“` is A1 B0 and `”` A1 B1: without the A1, B0/B1 pair with the next lead byte into a common
# character and that character's trail byte is left as ASCII (`“鑄牢` -> `拌T牢`, `”這` -> `边@`)
# (found by its ASCII letter, the rare part: the match starts one character before it)
_QUOTE_SHIFT = re.compile(rf"[{_TRAIL}](?<=[\u3400-\u9fff][\u3400-\u9fff].)(?=[\u3400-\u9fff])")


def _repair_lost_quotes(text: str) -> tuple[str, int]:
    """Put back a quote whose lead byte was lost, where that balances the quotes of its line.

    A common character plus an ASCII letter is ordinary text too (`白T恤`), so the repair must
    also close an unbalanced pair: the line's other quote is still printed.
    """
    repaired = 0
    out: list[str] = []
    pos = 0
    for m in _QUOTE_SHIFT.finditer(text):
        start, end = m.start() - 1, m.end()
        fixed = _decode_shifted(text[start:end])
        if not fixed or fixed[0] not in "“”" or _unknown(fixed):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : len(text) if line_end == -1 else line_end]
        balance = line.count("“") - line.count("”")
        if (fixed[0] == "“" and balance < 0) or (fixed[0] == "”" and balance > 0):
            out.append(text[pos:start] + fixed)
            pos = end
            repaired += 1
    out.append(text[pos:])
    return "".join(out), repaired


def _garbage_after(text: str, end: int) -> int:
    """Where the shifted garbage after a broken annotation ends (`end` when none follows).

    A broken annotation is proof the bytes went out of phase; characters glued to it that end in
    an ASCII trail byte (`孛褡鍒F`) or cp936's single-byte `€` are the same shifted run.
    """
    m = _GARBAGE_TO_RESYNC.match(text, end)
    if m and (m.group().endswith("€") or any(_rare(ch) for ch in m.group())):
        return m.end()
    return end  # in phase again: `人民日?qǐng)?bào)報道稱A股` keeps 報道稱A股


@lru_cache(maxsize=1)
def _gb2312_level2() -> frozenset[str]:
    """GB2312's second level (rows D8-F7): 3,008 characters news text seldom prints."""
    chars = set()
    for lead in range(0xD8, 0xF8):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    return frozenset(chars)


def _rare(ch: str) -> bool:
    """A character out of phase bytes produce far more often than text does (孛, 褡, 粋)."""
    return ch not in known_chars() or ch in _gb2312_level2()


def _mark(
    pattern: re.Pattern[str], text: str, extend: Callable[[str, int], int] | None = None
) -> tuple[str, int]:
    """Every match wrapped in a mark (extended to `extend(text, match end)`), unless already marked."""
    if "?" not in text and "？" not in text:
        return text, 0
    marked = [m.span() for m in _MARKED.finditer(text)]
    out: list[str] = []
    pos = count = 0
    for m in pattern.finditer(text):
        if m.start() < pos or any(a <= m.start() < b for a, b in marked):
            continue
        end = extend(text, m.end()) if extend else m.end()
        out.append(text[pos : m.start()] + MARK_OPEN + text[m.start() : end] + MARK_CLOSE)
        pos = end
        count += 1
    out.append(text[pos:])
    return "".join(out), count


def count_marked(text: str) -> int:
    return text.count(MARK_OPEN)
