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
from dataclasses import dataclass
from functools import lru_cache

MARK_OPEN, MARK_CLOSE = "⟦", "⟧"  # never printed by Chinese news pages, so a mark is unambiguous
_TRAIL = "@-Z\\[\\]^_`a-z{|}~"  # ASCII bytes that are valid GBK trail bytes (0x40-0x7E)
# an ASCII letter squeezed between non-ASCII characters: where an out-of-phase run resyncs
_TAIL = re.compile(
    rf"(?<=[^\x00-\x7f{MARK_CLOSE}])(?:[{_TRAIL}]|\?)(?=[^\x00-\x7f{MARK_OPEN}{MARK_CLOSE}]|[0-9]|$)",
    re.MULTILINE,  # a run may end a line inside a longer text: text steps work line by line
)
_TRAIL_ANY = re.compile(rf"[{_TRAIL}?]")
_RUN_CHAR = re.compile(rf"[^\x00-\x20\x7f{MARK_OPEN}{MARK_CLOSE}]")
# pinyin whose opening parenthesis was eaten by the shift: `人民日?qǐng)?` (`報(bào)` went through)
_BROKEN_PINYIN = re.compile(r"[?？][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]\??")
# a lone `?` standing for a lost lead byte, with its ASCII trail byte: `?h委` (= 縣委)
_LOST_LEAD = re.compile(r"(?<=[^\x00-\x7f])\?[a-z](?=[\u3400-\u9fff])")
_MARKED = re.compile(rf"{MARK_OPEN}[^{MARK_CLOSE}]*{MARK_CLOSE}")
_UNNFKC = str.maketrans({"?": "？", "!": "！", "(": "（", ")": "）", ";": "；", ":": "：", ",": "，"})
_MAX_RUN = 16
# the full-width marks whose 0xA1 lead byte goes missing: 　、。·—…‘’“”《》「」『』【】〔〕
_LOST_MARKS = frozenset("\u3000、。·—…‘’“”《》「」『』【】〔〕")


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


def _decode_shifted(span: str) -> str | None:
    """The span re-encoded as GBK with the lost 0xA1 put back, if that decodes cleanly."""
    first = span[:1].translate(_UNNFKC)  # seeds are NFKC renderings: `？` became `?`
    try:
        raw = (first + span[1:]).encode("gb18030")
        return (b"\xa1" + raw).decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


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
    text, n1 = _mark(_BROKEN_PINYIN, text)
    text, n2 = _mark(_LOST_LEAD, text)
    return RepairResult(text, repaired, flagged + n1 + n2)


def _mark(pattern: re.Pattern[str], text: str) -> tuple[str, int]:
    if "?" not in text and "？" not in text:
        return text, 0
    count = 0
    marked = {m.span() for m in _MARKED.finditer(text)}

    def wrap(m: re.Match[str]) -> str:
        nonlocal count
        if any(a <= m.start() < b for a, b in marked):
            return m.group()
        count += 1
        return MARK_OPEN + m.group() + MARK_CLOSE

    return pattern.sub(wrap, text), count


def count_marked(text: str) -> int:
    return text.count(MARK_OPEN)
