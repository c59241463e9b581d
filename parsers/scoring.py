"""Body-text scoring shared by the generic-parser tests and the benchmarks in `bench/`.

Chinese has no spaces, so a word-token metric cannot score it: we compare multisets of
character bigrams after removing whitespace and punctuation. Both sides are first brought
to one form (pinyin annotations dropped, NFKC, simplified script) so that the score measures
what was extracted, not how it was normalized: a peer that returns a mirror's traditional
text verbatim is not punished for the script.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")


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


def same_title(predicted: str | None, gold: str | None) -> bool:
    """Exact title match after NFKC and whitespace removal (a two-line headline joins with no space)."""
    if predicted is None or gold is None:
        return predicted is gold

    def norm(t: str) -> str:
        return "".join(unicodedata.normalize("NFKC", _t2s().convert(t)).split())

    return norm(predicted) == norm(gold)
