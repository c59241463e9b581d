"""The headline of a page nobody wrote rules for: the visible line that agrees with `<title>`.

Chinese news templates print the headline once in the page (an `<h1>`, a title-classed block, or
a bold line in an old table layout) and once more in `<title>`/`og:title`, there followed by the
column and site names (`标题_时政新闻_某某网`). So the headline is found, cheapest evidence first:

1. visible text that agrees with `<title>` or a title meta tag: the elements whose text holds
   the reference's opening characters (lexbor's `:lexbor-contains`, in C, no walk in Python),
   widened to the heading that holds them; the text is taken as printed (spaces kept,
   a `<br>`-wrapped headline joined, a `——` line split off as the subtitle);
2. else a heading (`<h1>`, `<h2>`, title-classed block) printed just above the body;
3. else `<title>` or `og:title` without the site name;
4. else the line printed just above the page's date/source line.
Never a breadcrumb (`某网 > 时政新闻 >`), a sidebar heading (`相关信息`), the site's logo
text or markup a CMS left in a meta tag (`<div>——…</div>`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers import generic_rules as R
from parsers.textsteps import join_title_lines

_WS = re.compile(r"\s+")
# a single `—` is printed inside headlines (`对比试车—测试…`); `——`, `--`, `_`, `|` and `-` split off names
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|--|——|\s[-—–]\s|(?<!\d)-(?!\d))\s*")
# probes for :lexbor-contains: a run of letters/digits/hanzi (no quotes, spaces or punctuation)
_PROBE = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]{2,}")
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")

_INLINE_UP = frozenset({"a", "span", "b", "strong", "font", "em", "i", "u", "small", "big"})
_NEVER = frozenset({"title", "script", "style", "option", "textarea", "noscript", "head", "meta"})
_HEADINGS = frozenset({"h1", "h2", "h3"})
_BODY_MARK = "data-regionews-body"


@dataclass(frozen=True, slots=True)
class Headline:
    """The headline as printed, with what was printed around it and where it came from."""

    title: str | None
    subtitle: str | None = None
    kicker: str | None = None
    origin: str = "none"  # visible | heading | title_tag | meta | head_line | anywhere | none


def squeeze(text: str) -> str:
    """Whitespace runs to one space, ends stripped: a space between two CJK runs is a separator."""
    return _WS.sub(" ", text).strip()


def key(text: str) -> str:
    """What two printings of one headline share: NFKC, no whitespace, case folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def has_key(text: str, wanted: str) -> bool:
    """`key(text) == wanted`, normalizing only as much of a long text as it takes to differ.

    NFKC costs ~0.7 µs a character once full-width punctuation occurs, and the text of a
    container around a headline runs to kilobytes. A whitespace character never composes with
    what precedes it and blocks composition across it, so for any cut before whitespace
    `key(a + b) == key(a) + key(b)`: the text is keyed piece by piece, each piece ending before
    whitespace, and the comparison stops at the first piece that leaves `wanted`'s path.
    """
    start, got = 0, 0
    while True:
        cut = _WS.search(text, start + len(wanted) + 16) if len(text) - start > len(wanted) + 64 else None
        piece = key(text[start : cut.start()] if cut else text[start:])
        if wanted[got : got + len(piece)] != piece:
            return False
        got += len(piece)
        if cut is None:
            return got == len(wanted)
        start = cut.start()


def split_title_tag(title: str) -> tuple[str, list[str]]:
    """(`<title>` without its site-name tail, the site/column names cut off)."""
    parts = [p for p in _TITLE_SPLIT.split(title.strip()) if p]
    if not parts:
        return title.strip(), []
    names = []
    while len(parts) > 1 and len(parts[-1]) <= R.MAX_SITE_NAME:
        names.append(parts.pop())
    # the head may be the site name (`天水在线_标题`): keep the longest remaining part
    best = max(parts, key=len)
    if R.SITE_NAME_END.search(best):  # `甘南日报数字报-守护黄河上游生态屏障`: the site first, then the story
        story = max((n for n in names if not R.SITE_NAME_END.search(n)), key=len, default="")
        if len(story) > max(len(best), R.MAX_SITE_ONLY):
            names.remove(story)
            parts, best = [*parts, story], story
    names.extend(p for p in parts if p is not best)
    if len(parts) + len(names) > 1 and len(best) <= R.MAX_SITE_ONLY:  # `天水在线--张川新闻`: no headline
        return "", ([best, *names] if R.SITE_NAME_END.search(best) else names)
    return best, names


def split_site_suffix(title: str) -> str:
    """`<title>` without its site-name tail: `标题_新闻中心_天水在线` -> `标题`."""
    return split_title_tag(title)[0]


def agreement(candidate: str, reference: str) -> int:
    """2: the same headline; 1: one is the other plus a tail or a head (site name, kicker); 0: not."""
    if not candidate or not reference:
        return 0
    if candidate == reference:
        return 2
    short, long_ = sorted((candidate, reference), key=len)
    if len(short) * 2 < len(long_) or len(short) < R.MIN_TITLE:
        return 0
    return 1 if long_.startswith(short) or long_.endswith(short) else 0


def plausible(text: str, site_names: frozenset[str]) -> bool:
    """Could this line be a headline at all (length, not a breadcrumb, not the site's name)?"""
    return (
        R.MIN_TITLE <= len(text) <= R.MAX_TITLE
        and not R.BREADCRUMB.search(text)
        and not _MARKUP.search(text)
        and text not in site_names
        and not _only_names(text, site_names)
        and not R.URL_LINE.match(text)
    )


def _only_names(text: str, site_names: frozenset[str]) -> bool:
    """`天水在线-`, `新浪网 新闻中心`: what is left without the site's names is no headline."""
    rest = text
    for name in site_names:
        if name and name in rest:
            rest = rest.replace(name, "")
    return rest != text and _PROBE.search(rest) is None


def _meta_refs(metas: dict[str, str]) -> list[str]:
    """Headlines named in meta tags, without a site tail; markup a CMS left in one is never a title."""
    out = []
    for name in R.TITLE_METAS:
        value = squeeze(metas.get(name, ""))
        if not value or _MARKUP.search(value) or R.BREADCRUMB.search(value):
            continue
        value = split_site_suffix(value) or value
        if value not in out:
            out.append(value)
    return out


def _glued_subtitle(node: LexborNode) -> str | None:
    """A `——…` element printed inline at the end of the headline element (`<h1>题<span>——副题</span>`)."""
    last = node.last_child
    while last is not None and last.is_text_node and not (last.text_content or "").strip():
        last = last.prev
    if last is None or last.is_text_node or last.prev is None:
        return None
    text = squeeze(last.text(deep=True))
    return text if R.SUBTITLE_LINE.match(text) else None


def _display(node: LexborNode) -> tuple[list[str], str | None]:
    """(headline readings, subtitle) of a node as printed.

    The readings are the lines joined (a `<br>`-wrapped headline), then each line alone (a cell
    that prints the date under the headline); a `——` line or trailing element is the subtitle.
    """
    lines = [line for line in (squeeze(x) for x in dom.lines(node)) if line]
    subtitle = next((line for line in lines if R.SUBTITLE_LINE.match(line)), None)
    head = [line for line in lines if not R.SUBTITLE_LINE.match(line)]
    if subtitle is None and len(head) == 1:
        subtitle = _glued_subtitle(node)
        if subtitle and head[0].endswith(subtitle) and len(head[0]) > len(subtitle):
            head = [head[0][: -len(subtitle)].rstrip()]
    if not head:
        return [], None
    readings = [join_title_lines("\n".join(head))]
    if len(head) > 1:
        readings.extend(head)
    return readings, subtitle


def _tokens(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def _rank(node: LexborNode) -> int:
    """How much the element itself says 'headline': h1 > title-classed or h2/h3 > other."""
    if node.tag == "h1":
        return 3
    if node.tag in _HEADINGS or R.TITLE_CLASS.search(_tokens(node)):
        return 2
    return 1


def _aside(node: LexborNode) -> bool:
    """Inside a link, or inside chrome (nav, breadcrumb, related list, sidebar, footer)."""
    cur: LexborNode | None = node
    while cur is not None and cur.tag not in ("body", "html"):
        if cur.tag == "a" or R.CHROME_TOKENS.search(_tokens(cur)):
            return True
        cur = cur.parent
    return False


def _widen(node: LexborNode) -> LexborNode:
    """From the element holding the text up to the headline element that holds it all.

    Climbs while the parent adds no text (`<h1><a>标题</a></h1>`, `<td><b>标题</b></td>`), and
    into a heading just above that holds a kicker or subtitle beside it (`<h1><span>【…】</span>…`).
    """
    cur = node
    text_key = key(cur.text(deep=True))
    for _ in range(R.MAX_WIDEN):
        parent = cur.parent
        if parent is None or parent.tag in ("body", "html"):
            break
        if parent.tag not in _HEADINGS and parent.tag not in _INLINE_UP and _has_many_children(parent):
            break  # a container of several blocks adds text: not worth reading it all
        raw = parent.text(deep=True)
        if len(raw) > R.MAX_TITLE * 4:
            break
        parent_key = key(raw)
        if parent_key == text_key or (
            (parent.tag in _HEADINGS or parent.tag in _INLINE_UP) and len(parent_key) <= R.MAX_TITLE + 40
        ):
            cur, text_key = parent, parent_key
            continue
        break
    return cur


def _has_many_children(node: LexborNode) -> bool:
    return any(i >= R.MAX_HEADLINE_CHILDREN for i, _ in enumerate(node.iter(include_text=False)))


def _probes(reference: str) -> list[str]:
    """Opening runs of the reference to look for in the page text (at most two)."""
    runs = [m.group() for m in _PROBE.finditer(reference)]
    long_runs = [r for r in runs if len(r) >= 4] or runs
    return [r[: R.PROBE_CHARS] for r in long_runs[:2]]


def _visible(
    tree: LexborHTMLParser, refs: list[str], site_names: frozenset[str], near: str
) -> tuple[Headline | None, bool]:
    """The printed element that agrees best with a reference headline, and whether that is sure.

    Sure: printed just above the body, or the same text as a reference outside links and chrome.

    Ranked by agreement, then not inside a link or chrome, then printed just above the body,
    then by what the element says of itself (h1, title class), then page order.
    """
    ref_keys = [key(r) for r in refs]
    longest = max(len(r) for r in refs) * 2 + 40  # an element printing more cannot agree
    seen: set[int] = set()
    best: tuple[tuple[int, ...], Headline] | None = None
    order = 0
    probes = list(dict.fromkeys(p for ref in refs for p in _probes(ref)))
    for probe in probes:
        if best is not None and best[0][0] == 2:
            break  # the first probe found the headline as <title> prints it
        for hit in tree.css(f':lexbor-contains("{probe}")'):
            if hit.tag in _NEVER or len(hit.text(deep=True)) > longest:
                continue
            node = _widen(hit)
            if node.mem_id in seen:
                continue
            seen.add(node.mem_id)
            order += 1
            readings, subtitle = _display(node)
            for text in readings:
                if not plausible(text, site_names):
                    continue
                text_key = key(text)
                agree = max(agreement(text_key, k) for k in ref_keys)
                if not agree:
                    continue
                score = (agree, not _aside(node), text_key in near, _rank(node), -order)
                if best is None or score > best[0]:
                    found = _around(node, text, subtitle, "visible")
                    best = (score, found)
                break  # the first reading that agrees is how this element prints it
    if best is None:
        return None, False
    agree, clear, near_body = best[0][:3]
    return best[1], bool(near_body or (agree == 2 and clear))


def _beside(node: LexborNode, after: bool) -> tuple[str, str] | None:
    """(text, class/id/tag tokens) of the element printed right before or after the headline."""
    step = dom.next_element if after else dom.previous_element
    sib = step(node)
    own = key(node.text(deep=True))
    for _ in range(R.MAX_WIDEN):  # the headline alone in its cell and row: the row beside it
        parent = node.parent
        if sib is not None or parent is None or parent.tag in ("body", "html"):
            break
        if not has_key(parent.text(deep=True), own):
            break
        node, sib = parent, step(parent)
    if sib is None or sib.tag in ("table", "ul", "ol", "tbody"):
        return None
    raw = sib.text(deep=True)
    # squeezing a prefix gives a prefix of the squeezed whole: a long opening is no headline line
    if len(raw) > R.MAX_TITLE * 4 and len(squeeze(raw[: R.MAX_TITLE * 4])) > R.MAX_TITLE:
        return None
    text = squeeze(raw)
    if not text or len(text) > R.MAX_TITLE:
        return None
    # the line's own tags count too: a table row or cell holding `<founder-introtitle>`
    # (Founder e-papers print 引题/标题/副题 in rows of their own)
    inner = " ".join(
        f"{n.tag} {_tokens(n)}"
        for _, n in zip(range(R.MAX_WIDEN), sib.traverse(include_text=False), strict=False)
    )
    return text, f"{sib.tag} {_tokens(sib)} {inner}"


def _h1_as_titled(
    tree: LexborHTMLParser, refs: list[str], h1s: list[LexborNode] | None
) -> tuple[Headline | None, bool]:
    """The common page first: an `<h1>` printing exactly what `<title>` or `og:title` says."""
    ref_keys = {key(r) for r in refs}
    for node in tree.css("h1") if h1s is None else h1s:
        readings, subtitle = _display(node)
        if readings and key(readings[0]) in ref_keys and not _aside(node):
            return _around(node, readings[0], subtitle, "visible"), True
    return None, False


def _subtitle_after(node: LexborNode) -> str | None:
    """The 副题 printed right under the headline: a `——…` line, or an element a CMS names a subtitle."""
    found = _beside(node, after=True)
    if found is None:
        return None
    text, tokens = found
    if R.SUBTITLE_LINE.match(text) or R.SUBTITLE_CLASS.search(tokens):
        return text
    return None


def _kicker_before(node: LexborNode) -> str | None:
    """The 引题 printed right above the headline, in an element a CMS names so (`yinti`, `pretitle`)."""
    found = _beside(node, after=False)
    if found is None:
        return None
    text, tokens = found
    if R.SENTENCE_END.search(text):
        return None
    if R.KICKER_CLASS.search(tokens):
        return text
    # e-paper article templates print the 引题 as a bare lower heading right above the <h1>
    # (`<h3>引题</h3><h1>标题</h1><h2>副题</h2>`); a column label there is short or a link
    tags = tokens.split()
    return (
        text
        if node.tag == "h1"
        and tags[0] in ("h2", "h3", "h4")
        and "a" not in tags
        and len(text) >= R.MIN_KICKER
        and not R.SECTION_HEADING.match(text)
        and not R.META_LINE.search(text)
        else None
    )


def _around(node: LexborNode, text: str, subtitle: str | None, origin: str) -> Headline:
    return Headline(text, subtitle or _subtitle_after(node), _kicker_before(node), origin)


def _qualifies(node: LexborNode, site_names: frozenset[str]) -> tuple[str, str | None] | None:
    """(text, subtitle) of a heading element that could be the headline, or None."""
    tokens = _tokens(node)
    if R.LOGO_CLASS.search(tokens) or (node.tag not in _HEADINGS and R.NOT_TITLE_CLASS.search(tokens)):
        return None
    if _aside(node):
        return None
    readings, subtitle = _display(node)
    for text in readings:  # the lines joined, then each line (a title block that prints the date under it)
        if _headline_like(text, site_names) and not _all_linked(node, text):
            return text, subtitle
    return None


def _headline_like(text: str, site_names: frozenset[str]) -> bool:
    """A line that reads as a headline: not a sentence, a meta line, a menu or a section label."""
    return (
        plausible(text, site_names)
        and "。" not in text
        and not R.SECTION_HEADING.match(text)
        and not R.META_LINE.search(text)  # `时间：2004年10月21日14:18 作者：…`: the meta line
        and len(R.NAV_SEPARATOR.findall(text)) < 3  # `雅虎 - 财经 - 新闻- 科技`: a menu
    )


def _all_linked(node: LexborNode, text: str) -> bool:
    """A title-classed cell whose text is one link (`<td class=title12><a>…</a></td>`): a teaser."""
    link = node.css_first("a")
    return link is not None and len(squeeze(link.text(deep=True))) * 2 >= len(text)


def _heading_before(tree: LexborHTMLParser, body: LexborNode, site_names: frozenset[str]) -> Headline | None:
    """The heading printed nearest above the body: the nearest `<h1>`, else the nearest title-classed
    block or `<h2>` (a promo `<h1>`, a logo, a column label are printed earlier; a subtitle `<h2>` or
    a tag label between the `<h1>` and the body is not the headline).

    Page order comes from one selector walk that also matches the body block, marked for it.
    """
    body.attrs[_BODY_MARK] = "1"
    try:
        nodes = tree.css(f"{R.HEADING_SELECTOR}, [{_BODY_MARK}]")
    finally:
        del body.attrs[_BODY_MARK]
    nearest: tuple[LexborNode, str, str | None] | None = None
    nearest_h1: tuple[LexborNode, str, str | None] | None = None
    for node in nodes:
        if node.mem_id == body.mem_id:
            break
        found = _qualifies(node, site_names)
        if found is not None:
            nearest = (node, *found)
            if node.tag == "h1":
                nearest_h1 = nearest
    best = nearest_h1 or nearest
    return _around(best[0], best[1], best[2], "heading") if best else None


def _heading(tree: LexborHTMLParser, site_names: frozenset[str]) -> Headline | None:
    """The first plausible heading in rule order (h1, title-classed, h2), wherever it is."""
    for selector in R.HEADING_SELECTORS:
        for node in tree.css(selector):
            found = _qualifies(node, site_names)
            if found is not None:
                return _around(node, found[0], found[1], "anywhere")
    return None


def line_above_meta(
    lines: list[str], site_names: frozenset[str] = frozenset(), last: bool = True
) -> int | None:
    """Index of the headline printed above a date/source line (`标题` / `2005-07-18 来源：…`), or None.

    The meta line may run on over a few lines (`http://house.sina.com.cn` / `2005年03月31日03:18`,
    `来源：` / `中国青年报`); `last` takes the meta line nearest the end (above a body), else the first.
    """
    metas = [i for i, line in enumerate(lines) if R.META_LINE.search(line)]
    if not metas:
        return None
    i = metas[-1] if last else metas[0]
    while i > 0 and (
        R.META_LINE.search(lines[i - 1])
        or R.CHROME_LINE.search(lines[i - 1])
        or R.URL_LINE.match(lines[i - 1])
    ):
        i -= 1
    return i - 1 if i > 0 and _headline_like(lines[i - 1], site_names) else None


def _head_line(head_lines: list[str], site_names: frozenset[str]) -> Headline | None:
    """The line printed above the date/source line over the body; widget crumbs (`】【`, `大`) skipped."""
    lines = [squeeze(x) for x in head_lines if len(x.strip()) >= R.MIN_TITLE or R.META_LINE.search(x)]
    window = lines[-R.HEAD_LINES * 2 :]
    i = line_above_meta(window, site_names)
    return Headline(window[i], None, None, "head_line") if i is not None else None


def find_headline(
    tree: LexborHTMLParser,
    metas: dict[str, str],
    title_tag: str,
    head_lines: list[str],
    body: LexborNode | None = None,
    h1s: list[LexborNode] | None = None,
) -> Headline:
    """The page's headline; `Headline(None)` when nothing on the page reads as one.

    `head_lines` are the lines printed just above the body, nearest last; `body` is its first block;
    `h1s` the page's `<h1>`s in page order when a walk already found them.
    """
    stripped, names = split_title_tag(title_tag) if title_tag else ("", [])
    site_names = frozenset(
        [*names, *(squeeze(metas.get(k, "")) for k in ("og:site_name", "sitename", "application-name"))]
    )
    meta_refs = _meta_refs(metas)
    # the whole <title> too: a headline with a dash in it is cut by the site-name split
    whole = title_tag if stripped else ""  # a <title> of site and column names only names no story
    # a <title> that is the site's own name (`合作市融媒体中心`) names no story: it would match the logo
    own_name = title_tag if stripped == title_tag and R.SITE_TITLE.search(title_tag) else None
    refs = [
        r
        for r in dict.fromkeys((stripped, *meta_refs, whole))
        if r and r != own_name and plausible(r, site_names)
    ]
    near = key("".join(head_lines))[-R.NEAR_CHARS :]
    found, sure = _h1_as_titled(tree, refs, h1s) if refs else (None, False)
    if found is None and refs:
        found, sure = _visible(tree, refs, site_names, near)
    if not sure and body is not None:  # a heading right above the body beats a far or linked line (a logo)
        before = _heading_before(tree, body, site_names)
        if before is not None and (found is None or key(before.title or "") in near):
            found = before
    if found is None and refs:  # (a mirror prints no headline but keeps it in <title>)
        origin = "title_tag" if refs[0] in (stripped, title_tag) else "meta"
        found = Headline(refs[0], None, None, origin)
    if found is None:
        found = _head_line(head_lines, site_names)
    found = found or _heading(tree, site_names) or Headline(None)
    return _spaced_as_titled(found, refs)


def _spaced_as_titled(found: Headline, refs: list[str]) -> Headline:
    """A headline broken over lines (`擦亮“金字招牌”<br>打造…`) is joined as the site prints it on
    one line in `<title>`/og:title (`擦亮“金字招牌” 打造…`): the same characters, a space added."""
    if not found.title or " " in found.title:
        return found
    flat = found.title
    for ref in refs:
        if " " in ref and ref.replace(" ", "") == flat:
            return Headline(ref, found.subtitle, found.kicker, found.origin)
    return found
