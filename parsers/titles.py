"""Headlines: the title without its decorations, each decoration kept where it belongs.

Order: join a headline wrapped over two lines, split off a `【kicker】` or a `栏目丨` column label,
drop a `(图)`-style suffix into a flag, drop a site-name suffix, split a `——副题` glued onto the
headline into the subtitle, then split a trailing byline run into authors
(`…示范县兰州市永登县委书记 王彦群` -> title `…示范县`, authors `["王彦群"]`).
Spaces are kept as printed: a space between two CJK runs separates the clauses of a headline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.textsteps import join_title_lines

_H = r"\u3400-\u9fff"
_KICKER = re.compile(r"^\s*(?:【(?P<a>[^】]{1,40})】|\[(?P<b>[^\]]{1,20})\])\s*")
# `政能亮丨…`, `新华全媒+丨…`, `新思想引领新征程丨…`: a column label before 丨 (or a full-width bar)
_COLUMN_LABEL = re.compile(r"^\s*(?P<k>[^丨｜\s][^丨｜]{0,13}?)\s*[丨｜]\s*(?=\S)")
# `标题——副题` on one printed line: the part after —— is the subtitle when the part before is a
# headline by itself; `李简——新外科运动向我们走来` (a name and a phrase) stays whole
_GLUED_SUBTITLE = re.compile(r"^(?P<t>.{6,}?)\s*(?:——|──)\s*(?P<s>[^—─].{3,})$")
_LEADING_DASHES = re.compile(r"^\s*(?:——|—|──|－－|--|―)+\s*")
_SUFFIX = re.compile(r"\s*[(（](?P<kind>图|组图|多图|附图|视频|图文|图表|高清组图)[)）]\s*$")
# ` - 兰州新闻网`, `_天水在线`, `|每日头条`: a trailing segment that names a site
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s|-)\s*(?P<site>[^_|｜\-—–]{2,24})\s*$")
_SITE_WORDS = re.compile(
    r"(?:网|在线|日报|晚报|报社|新闻|头条|融媒|媒体云|频道|首页|门户|客户端|\.com|\.cn|\.net)$|^(?:www\.|https?://)"
)
_ROLES = (
    "党委书记|党工委书记|副书记|书记|县长|副县长|市长|副市长|区长|副区长|州长|旗长|乡长|镇长"
    "|主任|局长|部长|主席|院长|校长|厅长|常委|委员"
)
# 兰州市永登县委 + 书记 + 王彦群: an office made of 2-char place names ending in 省/市/州/县/区/旗
_BYLINE = re.compile(
    rf"(?P<office>(?:[{_H}]{{2}}(?:省|自治区|市|自治州|州|盟|地区))*[{_H}]{{2}}(?:县|区|市|旗|州)"
    rf"(?:委|政府|人大|政协|纪委)?(?:统战部|宣传部|组织部)?)"
    rf"(?P<role>{_ROLES})\s+(?P<names>[{_H}·]{{2,4}}(?:[\s、][{_H}·]{{2,4}})*)\s*$"
)


@dataclass(frozen=True, slots=True)
class TitleParts:
    title: str
    kicker: str | None = None
    subtitle: str | None = None  # a `——副题` that was printed on the headline's line
    suffix: str | None = None  # 图 / 组图 / 视频: the page flagged the story as a photo or video story
    site: str | None = None  # site-name suffix that was removed
    authors: tuple[str, ...] = ()
    byline: str | None = None  # the office-and-name run split off the end


def split_kicker(title: str) -> tuple[str, str | None]:
    m = _KICKER.match(title)
    if m and m.end() < len(title):
        return title[m.end() :].strip(), (m["a"] or m["b"]).strip()
    m = _COLUMN_LABEL.match(title)
    if m and len(title) - m.end() >= 4:
        return title[m.end() :].strip(), m["k"].strip()
    return title, None


def split_glued_subtitle(title: str) -> tuple[str, str | None]:
    """`…动能增强——前4个月…巩固` -> (`…动能增强`, `前4个月…巩固`); a short head keeps its dash."""
    if "——" not in title and "──" not in title:
        return title, None
    m = _GLUED_SUBTITLE.match(title)
    if not m:
        return title, None
    return m["t"].rstrip(), m["s"].strip()


def bare_subtitle(subtitle: str | None) -> str | None:
    """A subtitle without the dashes it is printed with (`——记…` -> `记…`)."""
    if subtitle is None:
        return None
    return _LEADING_DASHES.sub("", subtitle).strip() or None


def split_suffix(title: str) -> tuple[str, str | None]:
    m = _SUFFIX.search(title)
    if not m or m.start() == 0:
        return title, None
    return title[: m.start()].rstrip(), m["kind"]


_COLUMN_SUFFIX = re.compile(r"\s*[_|｜]\s*(?P<site>[^_|｜]{1,10})\s*$")


def split_site_name(title: str, after_site: bool = False) -> tuple[str, str | None]:
    """`标题 - 兰州新闻网` -> `标题`; once a site name went, a short `_栏目` before it goes too."""
    m = _SITE_SUFFIX.search(title)
    if m and m.start() >= 4 and _SITE_WORDS.search(m["site"].strip()):
        return title[: m.start()].rstrip(), m["site"].strip()
    m = _COLUMN_SUFFIX.search(title) if after_site else None
    if not m or m.start() < 4:
        return title, None
    return title[: m.start()].rstrip(), m["site"].strip()


def split_byline(title: str) -> tuple[str, tuple[str, ...], str | None]:
    """A headline that runs into `<office><role> <name>` (lzbs signed articles) loses the run."""
    m = _BYLINE.search(title)
    if not m or m.start() < 6:
        return title, (), None
    names = tuple(re.split(r"[\s、]+", m["names"].strip()))
    return title[: m.start()].rstrip(), names, m.group().strip()


def clean_title(title: str) -> TitleParts:
    """The normalized headline and what was split off it (input is already normalized text)."""
    title = join_title_lines(title)
    title, kicker = split_kicker(title)
    site = None
    suffix = None
    for _ in range(3):  # `标题(图)_张川_天水在线`: suffixes can stack
        title, found_site = split_site_name(title, after_site=site is not None)
        title, found_suffix = split_suffix(title)
        site = site or found_site
        suffix = suffix or found_suffix
        if not found_site and not found_suffix:
            break
    title, subtitle = split_glued_subtitle(title)
    title, authors, byline = split_byline(title)
    return TitleParts(
        title=title,
        kicker=kicker,
        subtitle=subtitle,
        suffix=suffix,
        site=site,
        authors=authors,
        byline=byline,
    )
