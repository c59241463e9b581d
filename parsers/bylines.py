"""Metadata lines out of the body, into fields: credits, sources, captions, copyright, farm chrome.

Works on normalized text (simplified, full-width letters folded; Chinese punctuation as printed,
so every pattern accepts `:`/`：` and `(`/`（`). A line is removed only when all of it is
metadata; a credit stuck to the start or end of a paragraph (`…努力。(…办公室供稿)`,
`本报讯[新天水·天水日报通讯员张宾]…`) is cut off and the rest of the paragraph stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.dates import LabelledDate, labelled_dates

_H = r"\u3400-\u9fff"
# a person: 2-5 hanzi, or a transcribed minority name with middle dots (阿依古丽·吐尔逊)
_PERSON = rf"(?:[{_H}]{{2,5}}|[{_H}]{{1,8}}(?:·[{_H}]{{1,10}})+)"
_NAME = rf"{_PERSON}(?:[(（](?:见习|实习)[)）])?"
_SEP = re.compile(r"[\s、，,;；/|｜丨]+")
_ROLE_NOTE = re.compile(r"[(（](?:见习|实习)[)）]")

# label -> field; longest labels first so 责任编辑 wins over 编辑
LABELS: dict[str, str] = {
    "责任编辑": "editors", "值班编辑": "editors", "网络编辑": "editors", "责编": "editors",
    "编辑": "editors", "审核": "editors", "审校": "editors", "终审": "editors", "初审": "editors",
    "复审": "editors", "二审": "editors", "三审": "editors", "校对": "editors", "监制": "editors",
    "主编": "editors", "编审": "editors", "总监制": "editors", "审读": "editors", "排版": "editors",
    "美编": "editors", "统筹": "editors", "制作": "editors", "视觉": "editors",
    "记者": "authors", "撰稿": "authors", "作者": "authors", "撰文": "authors", "采写": "authors",
    "文字": "authors", "执笔": "authors", "文": "authors",
    "通讯员": "contributors", "供稿": "contributors", "摄影": "contributors",
    "新闻来源": "source", "文章来源": "source", "稿件来源": "source", "本文来源": "source", "来源": "source",
    "稿源": "source",
    "转自": "source",
    "转载": "reposters",
    "原标题": "original_title",
}  # fmt: skip
_LABEL_ALT = "|".join(sorted(LABELS, key=len, reverse=True))
_LABEL_ONLY = re.compile(_LABEL_ALT)
_ORG = re.compile(rf"[{_H}A-Za-z0-9·\-/]{{0,14}}")  # the outlet before a label: `天水在线编辑:`, `新天水记者`
_COLON = re.compile(r"\s*[:：丨｜|/／]\s*")
# `监 制：`, `审 读：`: a two-character label spaced out to line up with longer ones
_SPACED_LABEL = re.compile(r"(?<![\u3400-\u9fff])([\u3400-\u9fff])[ \u3000]+([\u3400-\u9fff])(?=\s*[:：])")
# what a credit value may carry besides names: `新京报记者 彭冲 山东冠县报道`, `本报记者X发自北京`,
# `政能亮特约评论员 韩涵` (the outlet or role before the names, the place after them)
# (sohu account: `作者：中国国际经济交流中心世界经济研究部部长，“一带一路”研究部部长、研究员徐占忱`)
_VALUE_ROLE = re.compile(r"^[^\s:：。]{0,60}?(?:特约评论员|评论员|记者|通讯员|撰稿人|研究员)\s*")
_VALUE_PLACE = re.compile(r"(?:\s*发自[\u3400-\u9fff]{2,8}|\s+[\u3400-\u9fff]{2,8}(?<!摄影)报道)$")


@dataclass(frozen=True, slots=True)
class _Seg:
    start: int
    label: str
    org: str
    value_start: int


_MARKER_CHARS = frozenset("●□■◆▲★◎○· \u3000")
_MARKERS = re.compile(r"^[●□■◆▲★◎○·\s]+")
_NEWS_MARK = re.compile(r"\s*[【\[](?:本报讯|本网讯)[】\]]\s*$")
# labels that are ordinary words without their colon: `文明`, `来源于`, `原标题` in a sentence
_NEEDS_COLON = frozenset(
    {"文", "来源", "新闻来源", "稿源", "原标题", "文字", "作者", "转自", "摄影", "制作", "视觉"}
)
# labels a credit line may follow by a space instead of a colon (`作者 王之言 高孜然`, ifeng)
_SPACE_ENOUGH = frozenset({"作者", "文字", "摄影"})
_BRACKETS = {"(": ")", "（": "）", "[": "]", "【": "】", "〔": "〕"}


@dataclass
class Metadata:
    """What the lines of a body said about the article (filled as lines are read)."""

    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    reposters: list[str] = field(default_factory=list)
    original_title: str | None = None
    captions: list[str] = field(default_factory=list)
    image_srcs: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    # lines that were only a date, with how many body paragraphs came before them
    dates: list[tuple[int, LabelledDate]] = field(
        default_factory=list
    )  # outlets named in credits (`云南网通讯员 代洪`)
    removed: list[str] = field(default_factory=list)  # the lines (or parts) taken out of the body
    flags: list[str] = field(default_factory=list)

    def add(self, name: str, values: list[str]) -> None:
        if name in ("source", "original_title"):
            if values and getattr(self, name) is None:
                setattr(self, name, values[0])
            return
        target: list[str] = getattr(self, name)
        for v in values:
            if v and v not in target:
                target.append(v)

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)


# what a CMS prints in an empty 来源/作者 field (DedeCMS `来源:未知 作者:admin`, PowerEasy
# `作者：佚名`, farms' `来源：网络`): no outlet, no person; the field stays None, never this
PLACEHOLDERS = frozenset(
    {"未知", "佚名", "不详", "匿名", "暂无", "无", "网络", "互联网", "网友", "网友投稿", "本站", "admin",
     "Admin", "ADMIN", "administrator", "管理员", "系统管理员", "小编", "null", "None", "-", "--"}
)  # fmt: skip


def is_placeholder(value: str | None) -> bool:
    """A credit field's filler (`未知`, `admin`, `佚名`), not a name."""
    return value is not None and value.strip() in PLACEHOLDERS


def split_names(text: str) -> list[str]:
    """`吕娜、周佩兰`, `郭剑宗 赵军宝`, `李馨雨(见习)` -> names (a 见习 note is not part of the name).

    `邹 明`: two single characters are one two-character name spaced out to line up with others.
    """
    names = [n for n in (_ROLE_NOTE.sub("", p).strip() for p in _SEP.split(text)) if n]
    if len(names) == 2 and all(len(n) == 1 for n in names):
        return ["".join(names)]
    return names


def _unwrap(text: str) -> str:
    """`(…)`, `[ … ]`, `【…】` around a whole line removed (one level, nesting-aware)."""
    text = text.strip()
    if len(text) >= 2 and text[0] in _BRACKETS and text[-1] == _BRACKETS[text[0]]:
        depth = 0
        for i, ch in enumerate(text):
            if ch in "(（[【〔":
                depth += 1
            elif ch in ")）]】〕":
                depth -= 1
                if depth == 0 and i != len(text) - 1:
                    return text  # the first bracket closes early: `(a) b (c)` is not one group
        return text[1:-1].strip()
    return text


# words that follow 记者/编辑 in headings and sentences, never names: `记者手记`, `记者了解到`
_NOT_NAME = re.compile(
    r"摄|报道|供图|图片|手记|观察|调查|基层|了解|获悉|注意|看到|发现|采访|专访|连线|体验|探访|随笔|札记|部|室|组"
)


def _is_names(value: str) -> bool:
    names = split_names(value)
    return bool(names) and all(
        (re.fullmatch(_NAME, n) and not _NOT_NAME.search(n)) or re.fullmatch(r"[A-Za-z][A-Za-z .]{1,30}", n)
        for n in names
    )


def parse_credit(text: str) -> list[tuple[str, list[str]]] | None:
    """A line that is nothing but labelled credits, as (field, values); None if anything else is in it.

    `(撰稿:董春辉 编辑:李馨雨(见习) 审核:郭剑宗 赵军宝)` -> authors [董春辉], editors [李馨雨],
    editors [郭剑宗, 赵军宝]; `云南网通讯员 代洪` -> contributors [代洪], source [云南网].
    """
    if len(text) > 100 or not may_be_credit(text):
        return None
    return _parse_credit(text)


def may_be_credit(text: str) -> bool:
    """Prefilter for parse_credit: a label is printed, or may be spaced out (`监 制：`) where a space is."""
    return " " in text or "\u3000" in text or _LABEL_ONLY.search(text) is not None


def _parse_credit(text: str) -> list[tuple[str, list[str]]] | None:
    """parse_credit without its prefilter (tests check both agree on real pages)."""
    inner = _unwrap(text)
    if inner[:1] in _MARKER_CHARS:
        inner = _MARKERS.sub("", inner).strip()
    if "讯" in inner:
        inner = _NEWS_MARK.sub("", inner)
    if " " in inner[:6] or "\u3000" in inner[:6]:
        inner = _SPACED_LABEL.sub(r"\1\2", inner)
    if not inner or len(inner) > 90:
        return None
    matches: list[_Seg] = []
    for m in _LABEL_ONLY.finditer(inner):
        cut = max(inner.rfind(" ", 0, m.start()), inner.rfind("\u3000", 0, m.start())) + 1
        if matches and cut <= matches[-1].value_start:
            continue  # a label inside a value is part of it (`马文洁`): segments start after a space
        if matches:
            org = inner[cut : m.start()]
        elif cut:
            continue  # the first label must sit at the start (after at most its outlet's name)
        else:
            org = inner[: m.start()]
        if not _ORG.fullmatch(org):
            if not matches:
                return None
            continue
        colon = _COLON.match(inner, m.end())
        if colon is None and m.group() in _SPACE_ENOUGH and inner[m.end() : m.end() + 1].isspace():
            colon = re.compile(r"\s+").match(inner, m.end())
        if m.group() in _NEEDS_COLON and colon is None:
            if not matches:
                return None
            continue
        matches.append(_Seg(cut, m.group(), org, colon.end() if colon else m.end()))
    if not matches:
        return None
    if matches[0].label == "原标题":  # the rest of the line is the title, labels and all
        value = inner[matches[0].value_start :].strip()
        return [("original_title", [value])] if value and not matches[0].org else None
    out: list[tuple[str, list[str]]] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start if i + 1 < len(matches) else len(inner)
        value = inner[m.value_start : end].strip()
        field_name = LABELS[m.label]
        org = m.org
        if field_name in ("source", "original_title"):
            if not value or (org and field_name == "source"):
                return None
            tokens = value.split()
            if field_name == "source":
                out.append(("source", [tokens[0]]))
                if len(tokens) > 1:
                    if not _is_names(" ".join(tokens[1:])):
                        return None
                    out.append(("authors", split_names(" ".join(tokens[1:]))))
            else:
                out.append(("original_title", [value]))
            continue
        if m.label == "供稿":
            out.append(("contributors", split_names(value)))
            if not value:
                return None
            continue
        if field_name in ("authors", "contributors", "editors"):
            value = _VALUE_PLACE.sub("", _VALUE_ROLE.sub("", value))
        if not value or not _is_names(value):
            return None
        out.append((field_name, split_names(value)))
        if org and field_name in ("authors", "contributors") and m.label != "文":
            out.append(("source_org", [org.strip("·/- ")]))
    return out


def apply_credit(meta: Metadata, parts: list[tuple[str, list[str]]]) -> None:
    for name, values in parts:
        if name == "source_org":  # `云南网通讯员 代洪`: the outlet, a source only if nothing else names one
            meta.add("orgs", values)
            continue
        meta.add(name, values)


# -- credits stuck to a paragraph ------------------------------------------------------------

_PAREN = r"[(（](?P<inner>[^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)*)[)）]"
_LEAD_PAREN = re.compile(rf"^\s*{_PAREN}\s*")
_TAIL_PAREN = re.compile(rf"\s*{_PAREN}\s*$")
_ANY_PAREN = re.compile(_PAREN)
_SUPPLIED = re.compile(r"^(?:供稿[:：]?\s*(?P<after>.+)|(?P<before>[^，。；]{2,40}?)\s*供稿)$")
# 本报讯[新天水·天水日报通讯员张宾], 天天天水网讯【通讯员陈明 岳玲】: the dateline stays, the credit goes
_DATELINE_CREDIT = re.compile(
    r"^(?P<dateline>[^\s，。【\[]{0,24}?讯)\s*[【\[](?P<inner>[^】\]]{2,40})[】\]]\s*"
)
_END_MARK = re.compile(r"\s*[(（]完[)）]\s*$")


def _credit_in_parens(inner: str) -> list[tuple[str, list[str]]] | None:
    m = _SUPPLIED.match(inner.strip())
    if m:
        who = m["after"] if m["after"] else m["before"]
        return [("contributors", split_names(who))]
    return parse_credit(inner)


def read_attached_credits(paragraph: str, meta: Metadata) -> str:
    """The paragraph as printed, its credits read into fields; "" when it was nothing but credits.

    Credits printed inside a paragraph stay in its text (`某某网讯(记者 张三 李四)…` opening the
    first paragraph, `…。（记者 王五）` closing the last): the names go to authors/contributors as
    well. A paragraph that is only a credit (`（记者 王五）`, `(完)`) is a credit line and goes.
    """
    cut_so_far = len(meta.removed)
    if _cut_credits(paragraph, meta):
        del meta.removed[cut_so_far:]  # the names went to fields; the text stays as printed
        return paragraph
    return ""


def _cut_credits(paragraph: str, meta: Metadata) -> str:
    """What is left of a paragraph once the credits at its start and end are cut off into `meta`."""
    return _cut_all_credits(paragraph, meta) if may_hold_credits(paragraph) else paragraph


def may_hold_credits(paragraph: str) -> bool:
    """Prefilter for _cut_credits (most paragraphs fail it): a bracket at either end, a dateline's
    讯 (`_DATELINE_CREDIT` allows 24 characters before it) or a reporter named in the text."""
    return (
        paragraph.endswith((")", "）"))
        or paragraph.lstrip().startswith(("(", "（"))
        or "讯" in paragraph[:25]
        or "记者" in paragraph
        or "通讯员" in paragraph
    )


def _cut_all_credits(paragraph: str, meta: Metadata) -> str:
    """_cut_credits without its prefilter (tests check both agree on real pages)."""
    changed = True
    while changed and paragraph:
        changed = False
        for pattern in (_TAIL_PAREN, _LEAD_PAREN):
            # a `$`-anchored search tries every position: look only where a bracket is
            if pattern is _TAIL_PAREN and not paragraph.endswith((")", "）")):
                continue
            if pattern is _LEAD_PAREN and not paragraph.lstrip().startswith(("(", "（")):
                continue
            m = pattern.search(paragraph)
            if m:
                parts = _credit_in_parens(m["inner"])
                if parts:
                    apply_credit(meta, parts)
                    meta.removed.append(m.group().strip())
                    paragraph = (paragraph[: m.start()] + paragraph[m.end() :]).strip()
                    changed = True
        m = _DATELINE_CREDIT.match(paragraph)
        if m:
            parts = parse_credit(m["inner"])
            if parts:
                apply_credit(meta, parts)
                meta.removed.append(m.group().strip())
                paragraph = m["dateline"] + paragraph[m.end() :]
                changed = True
        m = _END_MARK.search(paragraph) if paragraph.endswith(("完)", "完）")) else None
        if m:
            meta.removed.append(m.group().strip())
            paragraph = paragraph[: m.start()]
            changed = True
    # `中国甘肃网5月25日讯 据兰州晚报报道(记者仲玉琦)` : a reporter credit inside the opening dateline
    if "记者" in paragraph or "通讯员" in paragraph:
        for m in _ANY_PAREN.finditer(paragraph[:80]):
            parts = parse_credit(m["inner"])
            if parts and any(name in ("authors", "contributors") for name, _ in parts):
                apply_credit(meta, parts)
                meta.removed.append(m.group())
                paragraph = paragraph[: m.start()] + paragraph[m.end() :]
                break
    return paragraph


# -- whole lines that are not body -----------------------------------------------------------

_COPYRIGHT = re.compile(
    r"^(?:版权声明|版权所有|特别声明|免责声明|声明[:：]\s*未经|[(（]?版权作品|凡(?:文章|注有|本网|本站)[^，。]{0,20}(?:来源|注明)"
    r"|投稿(?:网址|邮箱|电话|地址)|转载请注明|本文(?:来源|转自)[^，。]{0,30}(?:侵权|删除)"
    r"|未经(?:本网|许可|授权)[^，。]{0,10}(?:不得|严禁)转载)"
)
_COPYRIGHT_LABEL_ONLY = re.compile(r"^(?:版权声明|特别声明|免责声明)\s*[:：]?$")
_CHROME = re.compile(
    r"^(?:本新闻共\d+页|当前在第\d+页|打印本页|【?\s*打\s*印\s*】|【?\s*关\s*闭\s*】|返回顶部|返回栏目|分享到"
    r"|扫一扫|上一篇[:：]|下一篇[:：]|(?:点击量|浏览次数|阅读次数|人气)[:：]?\s*\d+$|字号[:：]|字体设置"
    r"|【\s*放大字体\s*】|分\s*享\s*至|(?:\d+\s+)+共\d+页$|下一页\s*尾页$"
    r"|(?:您(?:所在|当前)的位置|当前位置)\s*[:：]?.{0,80}(?:>|›|正文$)"
    # pagers (`第1页/共1页<< 上一页 | 下一页 >>`, `上一页 1 2 3 下一页`), comment links, promo lines
    r"|第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|发表评论$|我要评论$"
    r"|(?:关注|扫码关注|长按关注|欢迎关注)(?:我们的)?(?:微信)?公众号|返回[\u3400-\u9fff]{1,6}[，,]\s*查看更多$|广告$"
    # a video player's control text (video.js on xinhuanet, cnr's audio bar): `Play Video`, `0:00`, `/2:54`
    r"|(?:Play Video|Play|Pause|Mute|Fullscreen)$|/?\s*\d{1,2}:\d{2}(?:\s*/\s*\d{1,2}:\d{2})?$)"
)
# a pager line holding 上一页 or 下一页 (looked for first with `in`: a regex lookahead for it
# would scan every line of every body)
_PAGER = re.compile(r"(?:\s|上一页|下一页|首页|尾页|末页|\[?\d{1,3}\]?|[<>«»|｜])+$")
# a portal's link back to itself glued to the last paragraph: sohu's `返回搜狐，查看更多` (the
# same link on every account page it hosts), `返回首页，查看更多`
_TRAILING_CHROME = re.compile(r"\s*返回[\u3400-\u9fff]{1,6}[，,]\s*查看更多$")
# `责任编辑：` with no name after it (the CMS left the field empty)
_EMPTY_CREDIT = re.compile(r"^[【\[(（]?\s*(?:责任编辑|编辑|责编|来源|作者|记者)\s*[:：]?\s*[】\])）]?$")
# the print edition a story comes from (`《光明日报》（2024年05月20日 03版）`, people.cn spaces
# it out: `《 人民日报 》（ 2024年05月10日 04 版）`) and reprint lines (`转自《北京科技报》`): the source
_PRINT_SOURCE = re.compile(
    r"^(?:(?:转自|转载自|摘自|原载|来源[:：]?)\s*《\s*(?P<a>[^》]{2,20}?)\s*》.{0,30}"
    r"|《\s*(?P<b>[^》]{2,20}?)\s*》\s*[(（]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^()（）]{0,12}[)）])$"
)
# `【短视频文化现象观察】` alone on the first line: the column the story runs in (kept as a flag)
_COLUMN_LABEL = re.compile(r"^【(?P<k>[^】\s]{2,24})】$")
# `（袁源）` closing the story, alone or at the end of its last paragraph (`…。（钟才文）`,
# `…吗？”（姚峰 上海报道）`): the writer's name in parentheses, maybe with where they reported from
_CLOSING_NAME = re.compile(
    r"[(（]\s*(?P<n>[\u3400-\u9fff]{2,4}(?:[\s、][\u3400-\u9fff]{2,4}){0,3}?)(?:\s+[\u3400-\u9fff]{2,8}报道)?\s*[)）]$"
)
_NOT_A_WRITER = re.compile(
    r"待续|未完|全文|连载|摘编|综合|整理|编译|记者|通讯员|编辑|(?:报|网|社|台|中心|频道|客户端)$"
)
# spam that mirrors inject: raw HTML fragments, `|`-joined keyword or county-name salad
_HTML_FRAGMENT = re.compile(r"^(?:\s*</?[a-zA-Z][^<>]*>)+\s*$")
_KEYWORD_SALAD = re.compile(r"^(?:[^|，。；！？,.;!?]{1,16}\|\s*){3,}[^|，。；！？,.;!?]{0,16}$")
_FARM = re.compile(r"小编就来说说|更多详细答案|一起来看看吧|希望能帮到您|以下内容大家不妨参考|小编整理")
_MARKDOWN_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)$")
_PHOTO_CREDIT = re.compile(
    rf"(?:^|[\s。，]|记者){_PERSON}(?:\s+{_PERSON})*\s*/?\s*(?:摄|摄影|摄影报道)$|供图$|摄于\d{{4}}年"
)
_CAPTION_START = re.compile(
    r"^(?:图\s*\d*\s*[为:：]|[上下左右中]图[为:：]?|图[①②③④⑤⑥⑦⑧⑨⑩]|资料图片?\s*[:：])"
)
# `图片来源：城市轨道交通2023年度统计和分析报告`, `天水有轨电车 图片来源：天水融媒` (sina): the photo's credit
_PHOTO_SOURCE = re.compile(r"(?:^|\s)(?:图片|照片|图)来源\s*[:：]")
_CAPTION_WORDS = re.compile(r"摄|图|航拍|照片|资料|截图|画面|效果图")
_META_LINE = re.compile(r"^[(（]?\s*(?:\d{2,4}[-/.年]\d{1,2}[-/.月]\d{1,2}|发布时间|发布日期|时间[:：])")


_DATE_LINE_HEAD = re.compile(r"^[(（]?\s*(?:[^\s:：()（）]{2,6}\s*[:：])?\s*$")
_DATE_LINE_TAIL = re.compile(r"^\s*[)）]?$")


def date_line(line: str) -> LabelledDate | None:
    """A line that is one date and nothing else (`2024.11.17`, `更新时间:2025-03-31 13:17:35`)."""
    if len(line) > 40 or not any(ch.isdigit() for ch in line[:12]):
        return None
    found = labelled_dates(line)
    if len(found) != 1:
        return None
    item = found[0]
    if _DATE_LINE_HEAD.match(line[: item.start]) and _DATE_LINE_TAIL.match(line[item.end :]):
        return item
    return None


def _caption(line: str) -> str | None:
    """A photo caption or credit line (`…。供图`, `新华社记者 范培珅 摄`, `(资料图片)`), else None."""
    if len(line) > 90:
        return None
    # keyword prefilters (`in` runs in C): 图片来源 needs 来源; a photo credit needs 摄 or 供图
    if (_CAPTION_START.match(line) or ("来源" in line and _PHOTO_SOURCE.search(line))) and len(line) <= 80:
        return line.strip()  # `图为张家川县城全景`, `上图：…`
    inner = _unwrap(line)
    if inner != line.strip() and 3 <= len(inner) <= 60 and _CAPTION_WORDS.search(inner) and "，" not in inner:
        return inner  # a whole-line parenthetical that speaks of a photo: `(天水在线无人机航拍…)`
    credit_word = "摄" in line or "供图" in line
    if credit_word and not line.endswith(("。", "！", "？")) and _PHOTO_CREDIT.search(line):
        return line.strip()
    return None


def meta_line(line: str, meta: Metadata) -> bool:
    """A page's date/source line copied into the body (`(2019/5/26 11:08:34) 来源:… 打印本页`)."""
    if len(line) > 120 or not _META_LINE.match(line) or "来源" not in line:
        return False
    m = re.search(r"(?:新闻)?来源[:：]\s*(\S+)", line)
    if m:
        meta.add("source", [m.group(1)])
    m = re.search(r"编辑[:：]\s*(\S+)", line)
    if m:
        meta.add("editors", split_names(m.group(1)))
    return True


def _closing_writer(line: str, meta: Metadata) -> bool:
    """Read `（袁源）` closing the last paragraph into authors; True when it is the whole line."""
    m = _CLOSING_NAME.search(line)
    if m is None:
        return False
    names = [n for n in split_names(m["n"]) if not _NOT_A_WRITER.search(n) and n not in meta.editors]
    if not names or len(names) != len(split_names(m["n"])):
        return False
    meta.add("authors", names)
    return m.start() == 0


# a farm's image placeholder after the title: `TITLE(原标题)1`
_PLACEHOLDER_TAIL = r"\s*[(（](?P<orig>[^()（）]{2,80})[)）]\s*\d{0,2}$"


def extract_metadata(paragraphs: list[str], title: str = "") -> tuple[list[str], Metadata]:
    """The body without its metadata lines, and what those lines said.

    Ordered checks per line: copyright/submission (with the paragraph after a bare `版权声明:`),
    page chrome, content-farm intro/outro, markdown images, the title repeated, a farm's image
    placeholder `TITLE(原标题)1`, a `【栏目】` column label on the first line, credit lines (an
    empty one too), print-edition and reprint lines, date/source lines, captions, a name alone in
    parentheses on the last line, then credits printed inside a paragraph (read, kept).
    """
    meta = Metadata()
    kept: list[str] = []
    skip_next = False
    placeholder: re.Pattern[str] | None = None  # compiled for the first line starting with the title
    for raw in paragraphs:
        line = raw.strip()
        if not line:
            continue
        if line.endswith("查看更多"):
            line = _TRAILING_CHROME.sub("", line)
            if not line:
                continue
        if skip_next:
            skip_next = False
            meta.removed.append(line)
            continue
        if _COPYRIGHT.match(line):
            meta.removed.append(line)
            meta.flag("copyright_removed")
            skip_next = bool(_COPYRIGHT_LABEL_ONLY.match(line))
            continue
        if _CHROME.match(line) or (("上一页" in line or "下一页" in line) and _PAGER.match(line)):
            meta.removed.append(line)
            continue
        if _HTML_FRAGMENT.match(line) or _KEYWORD_SALAD.match(line):
            meta.removed.append(line)
            meta.flag("spam_removed")
            continue
        if _FARM.search(line):
            meta.removed.append(line)
            meta.flag("farm_boilerplate_removed")
            continue
        m = _MARKDOWN_IMAGE.match(line)
        if m:
            meta.image_srcs.append(m["src"])
            if m["alt"]:
                meta.captions.append(m["alt"])
            meta.removed.append(line)
            continue
        if title and line == title:
            meta.removed.append(line)
            continue
        if title and line.startswith(title):
            if placeholder is None:
                placeholder = re.compile(re.escape(title) + _PLACEHOLDER_TAIL)
            m = placeholder.match(line)
            if m:
                meta.add("original_title", [m["orig"].strip()])
                meta.removed.append(line)
                continue
        if not kept and (m := _COLUMN_LABEL.match(line)):
            meta.flag(f"column:{m['k']}")  # like `title_suffix:图`, a label of the page, not text
            meta.removed.append(line)
            continue
        parts = parse_credit(line)
        if parts:
            apply_credit(meta, parts)
            meta.removed.append(line)
            continue
        if _EMPTY_CREDIT.match(line):
            meta.removed.append(line)
            continue
        m = _PRINT_SOURCE.match(line)
        if m:
            meta.add("source", [m["a"] or m["b"]])
            meta.removed.append(line)
            continue
        dated = date_line(line)
        # a bare date under the headline is the page's date line; one at the end of a notice
        # (`张家川县人民政府` / `2024年11月17日`) is the document's own date and stays
        if dated is not None and (len(kept) <= 1 or dated.label):
            meta.dates.append((len(kept), dated))
            meta.removed.append(line)
            continue
        if meta_line(line, meta):
            meta.removed.append(line)
            continue
        caption = _caption(line)
        if caption:
            meta.captions.append(caption)
            meta.removed.append(line)
            continue
        line = read_attached_credits(line, meta)
        if line:
            kept.append(line)
    if len(kept) > 1 and kept[-1].endswith((")", "）")) and _closing_writer(kept[-1], meta):
        meta.removed.append(kept.pop())  # the name was the whole line
    return kept, meta
