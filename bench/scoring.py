"""How an extraction is scored: body bigrams, exact titles, publish times at the gold's precision.

Used by the benchmarks in `bench/` and by the generic-parser tests; never by the product.

Chinese has no spaces, so a word-token metric cannot score a body: we compare multisets of
character bigrams after removing whitespace and punctuation. Both sides are first brought to
one form (pinyin annotations dropped, NFKC, simplified script) so that the score measures what
was extracted, not how it was normalized: a peer that returns a mirror's traditional text
verbatim is not punished for the script.

A title is compared after the same folding for every tool (NFKC width folding, simplified
script, runs of whitespace read as one space, as a browser shows them), never after removing
inner spaces: a space between two CJK runs is part of the headline.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # opencc-python-reimplemented

    return opencc.OpenCC("t2s")


def _keep(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return not (ch.isspace() or cat[0] in "PSZC")


def comparable(text: str) -> str:
    """The text reduced to what the metric compares: no pinyin, NFKC, simplified, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", _PINYIN.sub("", text))
    text = _t2s().convert(text)
    return "".join(ch for ch in text if _keep(ch))


def bigrams(text: str) -> Counter[str]:
    s = comparable(text)
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float


def body_prf(predicted: str, gold: str) -> PRF:
    """Precision, recall and F1 of predicted body text against the gold body, on character bigrams."""
    pred, want = bigrams(predicted), bigrams(gold)
    if not pred or not want:
        same = float(not pred and not want)
        return PRF(same, same, same)
    overlap = sum((pred & want).values())
    p = overlap / sum(pred.values())
    r = overlap / sum(want.values())
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(p, r, f)


def fold_title(title: str) -> str:
    """A title as every tool's is compared: NFKC, simplified, whitespace runs as one space, no ends."""
    return " ".join(_t2s().convert(unicodedata.normalize("NFKC", title)).split())


def same_title(predicted: str | None, gold: str | None, *, spaces: bool = True) -> bool:
    """Exact title match after `fold_title`; inner spaces count unless `spaces=False`."""
    if predicted is None or gold is None:
        return predicted is gold
    a, b = fold_title(predicted), fold_title(gold)
    return a == b if spaces else a.replace(" ", "") == b.replace(" ", "")


# -- publish times -----------------------------------------------------------------------

TimePrecision = Literal["day", "minute", "second"]
TimeVerdict = Literal["right", "wrong", "less_precise", "missing"]
_RANK = {"day": 0, "minute": 1, "second": 2}


@dataclass(frozen=True, slots=True)
class Stamp:
    """A time in China time (naive) with the precision it was given at."""

    value: datetime
    precision: TimePrecision

    def at(self, precision: TimePrecision) -> datetime:
        if precision == "day":
            return self.value.replace(hour=0, minute=0, second=0, microsecond=0)
        if precision == "minute":
            return self.value.replace(second=0, microsecond=0)
        return self.value.replace(microsecond=0)

    def __str__(self) -> str:
        fmt = {"day": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M", "second": "%Y-%m-%d %H:%M:%S"}
        return self.value.strftime(fmt[self.precision])


def gold_stamp(iso: str | None) -> Stamp | None:
    """A gold `publish_time` (`YYYY-MM-DD`, `…THH:MM` or `…THH:MM:SS`, China time) as a Stamp."""
    if not iso:
        return None
    precision: TimePrecision = "day" if "T" not in iso else ("second" if iso.count(":") == 2 else "minute")
    return Stamp(datetime.fromisoformat(iso), precision)


def china_time(value: datetime) -> datetime:
    """Naive China time: aware values are converted, naive ones are taken as printed."""
    return value.astimezone(SHANGHAI).replace(tzinfo=None) if value.tzinfo else value


_PEER_TIME = re.compile(
    r"(?<!\d)(?:(?P<y>\d{4})\s*[-/.年]|(?P<yy>\d{2})[-/.])\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?P<H>\d{1,2})\s*[:时]\s*(?P<M>\d{2})(?:\s*[:分]\s*(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)


def peer_stamp(text: str | None) -> Stamp | None:
    """A peer's date string (`2024-05-13 06:16`, `2024年05月10日 00:26`, ISO with offset…) as a Stamp.

    Written here, not taken from our date engine, so that a peer is never scored through the
    parser under test. A time of exactly 00:00:00 is how trafilatura's fixed output format
    writes a date it found without a time: it counts as a date only.
    """
    if not text:
        return None
    m = _PEER_TIME.search(text.translate(_FULLWIDTH_DIGITS))
    if not m:
        return None
    try:
        year = int(m["y"]) if m["y"] else 2000 + int(m["yy"])  # `23-08-16 10:52`, as some pages print it
        value = datetime(year, int(m["m"]), int(m["d"]), int(m["H"] or 0), int(m["M"] or 0))
        value = value.replace(second=int(m["S"] or 0))
    except ValueError:
        return None
    if m["tz"]:
        offset = timedelta(0)
        if m["tz"] != "Z":
            sign = -1 if m["tz"][0] == "-" else 1
            digits = m["tz"][1:].replace(":", "")
            offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        value = china_time(value.replace(tzinfo=timezone(offset)))
    if m["H"] is None or ((value.hour, value.minute, value.second) == (0, 0, 0) and not m["tz"]):
        return Stamp(value.replace(hour=0, minute=0, second=0), "day")
    return Stamp(value, "second" if m["S"] is not None and value.second else "minute")


_FULLWIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): chr(0x30 + i) for i in range(10)})


def ours_stamp(value: datetime | None, precision: str) -> Stamp | None:
    """Our Article's (published_at, published_precision): 'minute' keeps seconds in the value when shown."""
    if value is None or precision == "none":
        return None
    local = china_time(value)
    if precision == "day":
        return Stamp(local.replace(hour=0, minute=0, second=0, microsecond=0), "day")
    return Stamp(local, "second" if local.second else "minute")


def time_verdict(answer: Stamp | None, gold: Stamp | None) -> TimeVerdict:
    """Right when the answer equals the gold at the gold's precision.

    Where the page prints no time, only None is right. An answer that agrees with the gold as far
    as it goes but stops short (a day where minutes are printed) is `less_precise`; an answer that
    contradicts it is `wrong`, which is worse than `missing`: it is a silent error.
    """
    if gold is None:
        return "right" if answer is None else "wrong"
    if answer is None:
        return "missing"
    if gold.precision != "day" and answer.precision == "day":
        return "less_precise" if answer.at("day") == gold.at("day") else "wrong"
    if answer.at(gold.precision) == gold.at(gold.precision):
        return "right"
    coarser = min(answer.precision, gold.precision, key=_RANK.__getitem__)
    if _RANK[answer.precision] < _RANK[gold.precision] and answer.at(coarser) == gold.at(coarser):
        return "less_precise"
    return "wrong"
