"""The fallback for Chinese news sites nobody wrote rules for.

How it reads a page, cheapest evidence first:
- title: the printed line that agrees with `<title>`/`og:title`, spaces as printed, with its
  subtitle and kicker apart; else a heading just above the body (`parsers.headline`);
- body: chrome is dropped by tag and by class/id tokens (rules as data in `parsers.generic_rules`),
  then every text unit (`<p>`, the direct text of `<br>`-broken blocks, leaf `<div>`/`<td>` text)
  scores its parent and grandparent by length, Chinese punctuation and link density, once each;
  the best container (plus scoring siblings) is the body; its related-link lists, leading
  title/meta lines and anything from a stop marker (相关新闻, 推荐阅读, …) on are cut off;
- publish time: the date engine (`parsers.dates.publish_time`) ranks the dates printed above the
  body (labelled, then beside the headline), the meta tags/JSON-LD and the URL;
- source, authors and editors from the meta line above the body and the credit line below it.
A page whose best block is mostly links or too short is a list page (`NotAnArticle`) or a
failure (`ParseError`), never a guess.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers import dom
from parsers import generic_rules as R
from parsers.base import SiteParser
from parsers.bylines import parse_credit
from parsers.dates import publish_time, read_machine_dates, reference_time
from parsers.headline import find_headline, line_above_meta, squeeze
from parsers.records import Article, Image, NotAnArticle, Page, ParseError

# 来源:每日甘肃网-甘肃日报 雷仕宇: a short name right after the source is the author
_SOURCE = re.compile(
    # sohu 2004: `来源：[ 国际金融报 ]`; two outlets joined by a slash: `来源：石榴云/新疆日报`
    r"来源\s*[:：]\s*[\[【(（]?\s*(?P<src>[^\s|丨/\[\]【】()（）]+(?:/[^\s|丨/\[\]【】()（）]+)*)"
    r"(?:[ \t\u00a0\u3000]+(?P<by>[\u4e00-\u9fff·]{2,4})(?![\u4e00-\u9fff:：]))?"
)
_PINYIN = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\)")
_SELF_UNITS = frozenset({"div", "td", "p", "font"})
_COLON = re.compile(r"[:：]")
_NAME_SPLIT = re.compile(r"[\s、，,]+")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
_LINE_BREAK = re.compile(r"[^\S\n]*\n\s*")  # a line end with the blanks around it (and blank lines)
_OUTLET = re.compile(r"(?:报|网|社|台|中心|频道|客户端)$")  # `作者：新京报` names an outlet, not a person
_CREDIT_END = re.compile(r"[)）\]】\n]|\s{3,}|来源|[|丨]")  # a credit ends with its line


def _squeezed(raw: str, budget: int, from_end: bool) -> str:
    """About `budget` characters of `raw` (its end when `from_end`) with blank lines and line
    indentation removed; only as much of `raw` is cleaned as the budget needs."""
    span = budget * 4
    while True:
        part = raw[-span:] if from_end else raw[:span]
        text = _LINE_BREAK.sub("\n", part).strip()
        if len(text) >= budget or span >= len(raw):
            return text
        span *= 4


def _in_chrome(node: LexborNode) -> bool:
    """The node or one of its ancestors is named like chrome (footer, copyright, sidebar…)."""
    cur: LexborNode | None = node
    while cur is not None and cur.tag not in ("body", "html"):
        attrs = cur.attributes
        if R.CHROME_TOKENS.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
            return True
        cur = cur.parent
    return False


def _named_chrome(node: LexborNode) -> bool:
    """The node itself is named like chrome (`detail-copyright`, `share-bar`)."""
    attrs = node.attributes
    return R.CHROME_TOKENS.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}") is not None


def _is_lead(node: LexborNode) -> bool:
    if node.tag not in ("div", "p", "section") or node.css_first("img, a, h1, h2") is not None:
        return False
    text = node.text(deep=True).strip()
    return len(text) >= R.MIN_LEAD and text.endswith(("。", "！", "？", "”")) and not _in_chrome(node)


def _classed_source(tree: LexborHTMLParser) -> str | None:
    """The outlet in an element a template names a source (`<span class="article-source">通渭县融媒体中心`),
    for pages that print it without a `来源` label; a name only, never a sentence or a date."""
    for node in tree.css(R.SOURCE_SELECTOR):
        attrs = node.attributes
        if not R.SOURCE_CLASS.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
            continue  # `sourceTitle`, `source_3WFDT`: a widget or a hashed CSS-module name
        if node.tag in ("body", "html") or _in_chrome(node):  # a related item's outlet is not this page's
            continue
        text = R.SOURCE_LABEL.sub("", squeeze(node.text(deep=True)))
        return text if R.SOURCE_NAME.match(text) else None
    return None


def _rows_as_lines(block: LexborNode) -> None:
    """A data table in the body (a 公示's names, a price list) printed one row per line, its cells
    side by side as on the page, instead of one line per cell. A layout table (cells holding
    paragraphs, images or long text) is left to be read as blocks."""
    for table in block.css("table"):
        if table.css_first(R.NOT_DATA_CELL) is not None:
            continue
        rows = [[squeeze(c.text(deep=True)) for c in tr.css("td, th")] for tr in table.css("tr")]
        if len(rows) < 2 or any(len(r) < 2 or any(len(c) > R.MAX_DATA_CELL for c in r) for r in rows):
            continue
        lines = [" ".join(c for c in r if c) for r in rows]
        fragment = LexborHTMLParser("".join(f"<p>{html.escape(line)}</p>" for line in lines if line))
        for p in fragment.body.css("p") if fragment.body else ():
            table.insert_before(p)
        table.decompose()


_UNIT_TAGS = frozenset(R.UNIT_TAGS)


class _Walked(NamedTuple):
    known: LexborNode | None  # the first element matching KNOWN_BODY
    units: list[LexborNode]  # the text units, in page order
    h1s: list[LexborNode]  # every <h1>, in page order (the headline search reads them)


def _walk_units(root: LexborNode) -> _Walked:
    """The known body, the text units and the `<h1>`s from one selector walk (each walk of a page
    costs ~0.1 ms). lexbor lists an element once per selector it matches, in page order: an
    element that is also the known body comes twice in a row, any other known body has a tag
    no unit has."""
    known: LexborNode | None = None
    units: list[LexborNode] = []
    h1s: list[LexborNode] = []
    last = -1
    for node in root.css(f"{R.UNIT_SELECTOR}, {R.KNOWN_BODY}, h1"):
        key = node.mem_id
        tag = node.tag
        if key != last and tag in _UNIT_TAGS:
            units.append(node)
        elif key != last and tag == "h1":
            h1s.append(node)
        elif known is None:
            known = node
        last = key
    return _Walked(known, units, h1s)


def _holding_links(block: LexborNode) -> set[int]:
    """Ids of the elements of `block` (itself included) that hold an `<a>`: one walk, where a
    selector query per element costs ~15 µs to compile in lexbor."""
    found: set[int] = set()
    for a in block.css("a"):
        up = a.parent
        while up is not None and up.mem_id not in found:
            found.add(up.mem_id)
            if up.mem_id == block.mem_id:
                break
            up = up.parent
    return found


def _scored_chain(node: LexborNode) -> list[tuple[int, LexborNode]]:
    """(id, node) of a scored container and the ancestors it credits (by half, then a quarter),
    stopping at <body>."""
    chain: list[tuple[int, LexborNode]] = []
    cur: LexborNode | None = node
    while cur is not None and len(chain) < 3 and cur.tag not in ("body", "html"):
        chain.append((cur.mem_id, cur))
        cur = cur.parent
    return chain


def is_spam(text: str) -> bool:
    """Keyword spam or a link farm: a run with no punctuation far longer than any sentence."""
    return bool(R.UNPUNCTUATED_AT_START.match(text) or R.UNPUNCTUATED_AFTER_MARK.search(text))


def _is_caption(node: LexborNode) -> bool:
    if node.tag not in R.CAPTION_TAGS or node.css_first("img") is not None:
        return False
    text = node.text(deep=True).strip()
    if not text or len(text) > R.MAX_CAPTION or "。" in text[:-1]:  # one sentence at most
        return False
    if node.tag == "figcaption":
        return True
    attrs = node.attributes
    return "center" in f"{attrs.get('align') or ''} {attrs.get('style') or ''}".lower() or bool(
        R.CAPTION_CLASS.search(f"{attrs.get('class') or ''}")
    )


def _is_heading_line(line: str) -> bool:
    return (
        4 <= len(line) <= R.MAX_HEADLINE_LINE
        and not R.SENTENCE_END.search(line)
        and not R.META_LINE.search(line)
    )


def _credit_labels(text: str) -> list[tuple[str, int, int]]:
    """(label, label start, value start) for every `label：` in text; found from the colons, which are few."""
    found = []
    for m in _COLON.finditer(text):
        lo = max(0, m.start() - 6)
        label = R.CREDIT_LABEL_AT_END.search(text, lo, m.start())
        if label:
            found.append((label.group(1), label.start(1), m.end()))
    return found


def parse_credits(text: str) -> tuple[list[str], list[str]]:
    """(authors, editors) from credit text such as `（撰稿：董春辉 编辑：马晓燕 审核：郭剑宗）`."""
    authors: list[str] = []
    editors: list[str] = []
    labels = _credit_labels(text)
    for i, (label, _, start) in enumerate(labels):
        end = labels[i + 1][1] if i + 1 < len(labels) else len(text)
        value = text[start:end]
        stop = _CREDIT_END.search(value)
        if stop:
            value = value[: stop.start()]
        names = [
            n
            for n in _NAME_SPLIT.split(value)
            if _NAME.match(n) and n not in R.NOT_NAMES and not _OUTLET.search(n)
        ]
        target = editors if label in R.EDITOR_LABELS else authors
        for name in names:
            if name not in target:
                target.append(name)
    return authors, editors


class GenericParser(SiteParser):
    name = "generic"
    version = 3
    article_url = r".*"  # the fallback: every URL no site spec claims
    script = "unknown"

    @classmethod
    def paginated(cls) -> bool:
        return True  # stories of any CMS may come in parts: their continuation URLs are followed

    @classmethod
    def article_key(cls, url: str) -> tuple[str, int]:
        """(URL of part 1, part number) for the continuation URLs CMSs give pages 2..N of a story."""
        m = R.PART_SUFFIX.search(url)
        if m:
            return url[: m.start("sep")] + m["ext"] + (m["rest"] or ""), int(m["n"]) + 1
        m = R.PART_QUERY.search(url)
        if m:
            after = url[m.end() :]
            if url[m.start()] == "?" and after.startswith("&"):
                after = "?" + after[1:]  # `?page=2&id=5` -> `?id=5`
            return url[: m.start()] + after, int(m["n"])
        return url, 1

    def extract(self, tree: LexborHTMLParser, page: Page) -> Article:
        metas = dom.meta_contents(tree)
        machine = read_machine_dates(tree, metas)  # JSON-LD and WeChat's `ct` are scripts: read them first
        tree.strip_tags(list(R.STRIP_TAGS))
        root = tree.body
        if root is None:
            raise ParseError("generic: page has no <body>")
        # Scoring needs no chrome removal (menus and related lists are links and score ~0);
        # chrome is removed only inside the chosen blocks, which keeps a page at one pass.
        walked = _walk_units(root)
        blocks = self._body_blocks(walked)
        if not blocks:
            raise self._no_body(root, "no text block found")
        head_text = self._text_before(blocks[0])
        tail_text = self._text_after(blocks[-1])
        title_node = tree.css_first("title")  # dom.lines skips <title>: read it directly
        title_tag = squeeze(title_node.text(deep=True)) if title_node is not None else ""
        head_lines = [line for line in (x.strip() for x in head_text.split("\n")) if line]
        headline = find_headline(tree, metas, title_tag, head_lines, blocks[0], walked.h1s)
        title, subtitle, kicker = headline.title, headline.subtitle, headline.kicker

        count, size = self._title_links(blocks[0]) if len(blocks) == 1 else (0, 0)
        if count >= R.LIST_MIN_LINKS and size >= len(blocks[0].text(deep=True).strip()) * R.LIST_LINK_SHARE:
            raise NotAnArticle(f"generic: list page ({count} story links in the main block)")
        lines: list[str] = []
        images: list[Image] = []
        for block in blocks:
            self._drop_chrome(block)
            self._drop_link_lists(block)
            _rows_as_lines(block)
            images.extend(self._images(block))  # takes caption lines out of the block
            lines.extend(dom.lines(block))
        lines, line_flags = self._clean_lines(lines)
        title_flags = [f"title_from:{headline.origin}"] if headline.origin in R.WEAK_TITLE_ORIGINS else []
        if not title:
            title, lines = self._headline_from_body(lines)
            title_flags = ["title_from:body"]
        lines, lead_text, original_title, body_subtitle = self._trim_head(lines, title, kicker)
        lines = self._trim_tail(lines)
        # a date/source line printed under the story (old school and county sites) is page
        # metadata read with the tail, not the story's last paragraph
        while lines and len(lines[-1]) <= R.META_LINE_MAX and R.TAIL_META_LINE.search(lines[-1]):
            tail_text = lines.pop() + "\n" + tail_text
        if sum(len(line) for line in lines) < R.MIN_BODY_CHARS:
            raise self._no_body(root, "best block is too short for an article")
        if not title:
            raise ParseError("generic: no title (no <h1>, og:title or <title>)")

        near = head_text + "\n" + lead_text  # page order: the lines nearest the body come last
        dates = publish_time(
            header=near + "\n" + self._opening_lines(lines),
            headline=title,
            tail=tail_text,
            machine=machine,
            url=page.effective_url,
            now=reference_time(page),
        )
        source, authors, editors, contributors = self._credits(near, tail_text, metas)
        source = source or _classed_source(tree)
        return self.new_article(
            page,
            title,
            lines,
            dates,
            source=source,
            authors=tuple(authors),
            editors=tuple(editors),
            contributors=tuple(contributors),
            original_title=original_title,
            subtitle=subtitle or body_subtitle,
            kicker=kicker,
            flags=tuple(line_flags + title_flags),
            images=tuple(images),
        )

    # -- head metadata ---------------------------------------------------------------

    # -- body --------------------------------------------------------------------------

    @staticmethod
    def _drop_chrome(root: LexborNode) -> None:
        """Remove nav/footer/share/related/comment/copyright blocks, never one holding most of the text."""
        matched = [n for n in root.css("header, footer") if n.parent is None or n.parent.tag != "article"]
        for node in root.css("[class], [id]"):
            attrs = node.attributes
            if R.CHROME_TOKENS.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
                matched.append(node)
        if not matched:
            return
        ids = {n.mem_id for n in matched}
        total = len(root.text(deep=True))
        for node in matched:
            parent, nested = node.parent, False
            while parent is not None:
                if parent.mem_id in ids:
                    nested = True
                    break
                parent = parent.parent
            if nested:
                continue  # its chrome ancestor goes, and takes it along
            if len(node.text(deep=True)) > total * R.MAX_CHROME_SHARE:
                ids.discard(node.mem_id)  # a "nav"-named wrapper around the whole page: keep
                continue
            node.decompose()

    @staticmethod
    def _clean_lines(lines: list[str]) -> tuple[list[str], list[str]]:
        """(lines, flags): spam runs dropped, and a story printed twice kept once.

        Templates that print the story twice (a print or mobile copy beside the page copy) put
        both in scoring containers: a run of paragraphs that all repeat earlier ones, two long
        paragraphs or more, is that copy. A single paragraph the author printed twice stays.
        """
        out: list[str] = []
        seen: set[str] = set()
        flags: list[str] = []
        run: list[str] = []  # consecutive lines that all repeat earlier ones

        def end_run() -> None:
            if sum(len(x) >= R.MIN_REPEATED_LINE for x in run) >= R.MIN_REPEATED_RUN:
                if "repeated_text_removed" not in flags:
                    flags.append("repeated_text_removed")
            else:
                out.extend(run)
            run.clear()

        for line in lines:
            if len(line) > R.MAX_UNPUNCTUATED and is_spam(line):
                if "spam_removed" not in flags:
                    flags.append("spam_removed")
                continue
            if line in seen:  # a copy prints the same text: no need to fold its whitespace first
                run.append(line)
                continue
            end_run()
            seen.add(line)
            out.append(line)
        end_run()
        return out, flags

    def _body_blocks(self, walked: _Walked) -> list[LexborNode]:
        """The best-scoring container and its sibling containers that score well too.

        Each unit's text is read once (`<p>` deep; `<div>`/`<td>`/`<br>` holders only their
        direct text, so nesting is never counted twice) and credits its container fully,
        the container's parent by half and grandparent by a quarter.
        """
        known, units = walked.known, walked.units
        if known is not None and len(known.text(deep=True).strip()) >= R.MIN_BODY_CHARS:
            return [known]
        scores: dict[int, float] = {}
        nodes: dict[int, LexborNode] = {}
        seen_br: set[int] = set()
        chains: dict[int, list[tuple[int, LexborNode]]] = {}
        min_unit = R.MIN_UNIT
        for unit in units:
            tag = unit.tag
            if tag == "p":
                text = unit.text(deep=True)
                target = unit.parent
            elif tag == "br":
                holder = unit.parent
                # text of <br>-broken <div>/<td>/<p>/<font> is read by their own units
                if holder is None or holder.tag in _SELF_UNITS or holder.mem_id in seen_br:
                    continue
                seen_br.add(holder.mem_id)
                text = holder.text(deep=False)
                target = holder
            else:  # div, td, font: only the text directly inside counts
                text = unit.text(deep=False)
                target = unit
            if len(text) < min_unit:
                continue
            value = self._unit_score(unit, text, tag == "p")
            if value <= 0 or target is None:
                continue
            # the container and two ancestors, climbed once per container (paragraphs share one)
            chain = chains.get(target.mem_id)
            if chain is None:
                chain = chains[target.mem_id] = _scored_chain(target)
            share = 1.0
            for key, node in chain:
                if key in scores:
                    scores[key] += value * share
                else:
                    scores[key] = value * share
                    nodes[key] = node
                share /= 2
        if not scores:
            return []
        best_key = None
        for key in sorted(scores, key=scores.__getitem__, reverse=True)[: R.MAX_CANDIDATES]:
            if scores[key] < R.MIN_BEST_SCORE:
                break
            node = nodes[key]
            # a long copyright footer or sidebar is never the story, whatever it is named
            if not _in_chrome(node) and not R.FOOTER_TEXT.search(node.text(deep=False)):
                best_key = key
                break
        if best_key is None:
            return []
        best = nodes[best_key]
        best_score = scores[best_key]
        # siblings that score well are the same story split over several containers
        parent = best.parent
        if parent is None:
            return [best]
        blocks = []
        child = parent.child
        threshold = max(R.MIN_SIBLING_SCORE, best_score * R.SIBLING_SHARE)
        while child is not None:
            if child.mem_id == best_key or (
                scores.get(child.mem_id, 0.0) >= threshold and not _named_chrome(child)
            ):  # a copyright notice beside the story scores like text but is not the story
                blocks.append(child)
            child = child.next
        lead = dom.previous_element(blocks[0])
        if lead is not None and _is_lead(lead):  # a summary/lead paragraph boxed just above the body
            head = "".join(lead.text(deep=True).split())[: R.MIN_LEAD]
            opening = "".join(blocks[0].text(deep=True)[: R.LEAD_REPEAT_WINDOW].split())
            if head not in opening:  # a summary that repeats the first paragraph is not taken twice
                blocks.insert(0, lead)
        return blocks

    @staticmethod
    def _unit_score(unit: LexborNode, text: str, deep: bool) -> float:
        text = text.strip()
        n = len(text)
        if n < R.MIN_UNIT:
            return 0.0  # whitespace and short labels
        if n > R.MAX_UNPUNCTUATED and is_spam(text):
            return 0.0  # a keyword-spam or link-farm block: never the story, however long
        punct = sum(map(text.count, R.BODY_PUNCT))  # (the marks are single characters)
        value = n * (1.0 + min(punct * 8 / n, 1.0)) if punct else n * R.NO_PUNCT_WEIGHT
        # links only matter where most text sits in child elements (a selector query costs more than text)
        if deep and len(unit.text(deep=False).strip()) * 2 < n:
            linked = sum(len(a.text(deep=True).strip()) for a in unit.css("a"))
            value *= max(0.0, 1.0 - linked / n) ** 2
        return value

    @staticmethod
    def _images(block: LexborNode) -> list[Image]:
        """Images of the body with their captions; a caption line is removed from the text.

        A caption is the short line right after an image, centred or in a <figcaption>
        (`<p align="center"><img></p><p align="center">志愿者在城北社区为群众义写春联</p>`).
        """
        images: list[Image] = []
        for img in block.css("img"):
            src = (img.attributes.get("src") or "").strip()
            if not src:
                continue
            caption = ""
            holder = img.parent
            if holder is not None and holder.tag == "a":
                holder = holder.parent
            sib = dom.next_element(holder) if holder is not None and holder.mem_id != block.mem_id else None
            if sib is not None and _is_caption(sib):
                caption = sib.text(deep=True).strip()
                sib.decompose()
            images.append(Image(src=src, caption=caption or (img.attributes.get("alt") or "").strip()))
        return images

    @staticmethod
    def _headline_from_body(lines: list[str]) -> tuple[str | None, list[str]]:
        """A page with no usable <h1>/<title> starts its body with the headline (1-2 short lines),
        or prints it above its date/source line after some chrome (a portal's menu in the block)."""
        above = line_above_meta(lines[: R.HEAD_LINES * 3], last=False)
        if above is not None:
            return lines[above], lines[above + 1 :]
        if not lines or not _is_heading_line(lines[0]):
            return None, lines
        if len(lines) > 2 and _is_heading_line(lines[1]) and len(lines[0]) + len(lines[1]) <= R.MAX_TITLE:
            return lines[0] + lines[1], lines[2:]  # a headline wrapped over two lines joins with no space
        return lines[0], lines[1:]

    @staticmethod
    def _drop_link_lists(block: LexborNode) -> None:
        """Inside the body: lists and boxes that are mostly links (related stories, tags)."""
        # A box's own subtree is intact when its turn comes (page order: its descendants come
        # later); a box inside one already removed has no children left, so no text either.
        linking = _holding_links(block)
        for node in block.css(R.LINK_BOX_SELECTOR):
            if node.mem_id not in linking:
                continue
            text = node.text(deep=True).strip()
            if not text or R.DOCUMENT_LINK.match(text):  # `解读文件：<a>…</a>`, `附件：<a>….pdf</a>`
                continue
            linked = sum(len(a.text(deep=True).strip()) for a in node.css("a"))
            if linked >= len(text) * R.MAX_LINK_SHARE:
                node.decompose()

    @staticmethod
    def _sibling_texts(block: LexborNode, forward: bool, window: int) -> list[str]:
        """Texts of the blocks beside `block` and its ancestors, nearest first, up to `window` chars.

        Lines are stripped and blank ones dropped, so template indentation does not use up the
        window (a portal's meta line sits under kilobytes of whitespace-indented share widgets).
        """
        parts: list[str] = []
        size = 0
        node: LexborNode | None = block
        while node is not None and node.tag not in ("body", "html") and size < window:
            sib = node.next if forward else node.prev
            while sib is not None and size < window:
                text = _squeezed(sib.text(deep=True, separator="\n"), window - size, not forward)
                if text:
                    parts.append(text)
                    size += len(text)
                sib = sib.next if forward else sib.prev
            node = node.parent
        return parts

    @classmethod
    def _text_before(cls, block: LexborNode) -> str:
        """Text of the blocks just above the body (title, meta line), nearest last."""
        return "\n".join(reversed(cls._sibling_texts(block, False, R.HEAD_WINDOW)))[-R.HEAD_WINDOW :]

    @classmethod
    def _text_after(cls, block: LexborNode) -> str:
        """Text of the blocks just below the body (credit, source and editor lines)."""
        return "\n".join(cls._sibling_texts(block, True, R.TAIL_WINDOW))[: R.TAIL_WINDOW]

    @staticmethod
    def _trim_head(
        lines: list[str], title: str | None, kicker: str | None = None
    ) -> tuple[list[str], str, str | None, str | None]:
        """Drop the title, breadcrumb and meta lines a container may start with; read 原标题.

        A `——…` line right after the repeated headline is its subtitle (副题), returned last.
        """
        lead: list[str] = []
        original_title = None
        subtitle = None
        after_title = False
        squeezed_title = "".join(_PINYIN.sub("", title).split()) if title else ""
        i = 0
        while i < len(lines) and i < R.HEAD_LINES:
            line = lines[i]
            flat = "".join(line.split())
            bare = "".join(_PINYIN.sub("", line).split())  # mirrors annotate the in-body headline too
            if squeezed_title and (
                bare == squeezed_title
                or (
                    len(bare) < 120
                    and squeezed_title in bare
                    and not R.SENTENCE.search(
                        bare.replace(squeezed_title, "")
                    )  # title + byline, not a sentence
                )
                or (
                    len(bare) >= R.MIN_TITLE_PIECE and bare in squeezed_title
                )  # a headline wrapped over lines
            ):
                lead.append(line)
                after_title = True
                i += 1
                continue
            elif (
                after_title and subtitle is None and R.SUBTITLE_LINE.match(line) and len(line) <= R.MAX_TITLE
            ):
                subtitle = line.strip()
                lead.append(line)
            elif kicker and line.strip() == kicker:
                lead.append(line)
            elif R.ORIGINAL_TITLE.match(flat):
                original_title = R.ORIGINAL_TITLE.sub("", line.strip()).strip() or None
                lead.append(line)
            elif (
                len(line) <= R.META_LINE_MAX
                and not R.SENTENCE.search(line)  # a body sentence may hold a date: 气象台15日10时发布…：…。
                and (R.META_LINE.search(line) or R.CHROME_LINE.search(line))
            ):
                lead.append(line)
            else:
                break
            after_title = False
            i += 1
        rest = lines[i:]
        # a share-card remnant near the top: a short heading, then a bare date, then the story goes
        # on; an office's name over a date with nothing but short lines after it is a notice's
        # signature (`定西市人民政府办公室` / `2024年5月10日` / `（此件公开发布）`), part of the text
        for j in range(min(len(rest) - 1, R.HEAD_LINES)):
            if (
                _is_heading_line(rest[j])
                and R.DATE_ONLY.match(rest[j + 1])
                and not R.SIGNATORY.search(rest[j])
                and any("。" in line for line in rest[j + 2 :])
            ):
                lead.extend(rest[j : j + 2])
                rest = rest[:j] + rest[j + 2 :]
                break
        return rest, "\n".join(lead), original_title, subtitle

    @staticmethod
    def _trim_tail(lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            if R.STOP_LINE.match(line):
                break
            if (
                len(line) <= R.META_LINE_MAX
                and R.CHROME_LINE.search(line)
                and not R.BODY_PUNCT_RE.search(line)
            ):
                continue
            out.append(line)
        return out

    @staticmethod
    def _title_links(node: LexborNode) -> tuple[int, int]:
        """(links that read like story titles, their total text length) under `node`."""
        count = size = 0
        for a in node.css("a"):
            n = len(a.text(deep=True).strip())
            if n >= R.MIN_TITLE_LINK:
                count += 1
                size += n
        return count, size

    def _no_body(self, root: LexborNode, why: str) -> Exception:
        """No body: a page of story links (or mostly links) is a list page, NotAnArticle; else ParseError."""
        count, _ = self._title_links(root)
        if count >= R.LIST_MIN_LINKS:
            return NotAnArticle(f"generic: list or index page ({why}; {count} story links)")
        text = len("".join(root.text(deep=True).split()))
        linked = sum(len("".join(a.text(deep=True).split())) for a in root.css("a"))
        if text and linked >= text * R.LIST_PAGE_LINK_SHARE:
            return NotAnArticle(
                f"generic: list or index page ({why}; {linked} of {text} characters are links)"
            )
        return ParseError(f"generic: {why}")

    # -- dates -------------------------------------------------------------------------

    @staticmethod
    def _opening_lines(lines: list[str]) -> str:
        """The body's lines before its first sentence: a meta line the trim left in (a table
        layout's `2005-01-06 08:13更新 来源：转载文章` under nav text) is still a header line."""
        out = []
        for line in lines[: R.HEAD_LINES]:
            if "。" in line or len(line) > R.META_LINE_MAX:
                break
            out.append(line)
        return "\n".join(out)

    # -- credits -------------------------------------------------------------

    @staticmethod
    def _credits(
        near: str, tail: str, metas: dict[str, str]
    ) -> tuple[str | None, list[str], list[str], list[str]]:
        source = None
        authors: list[str] = []
        for text in (near, tail):
            m = _SOURCE.search(text)
            if m:
                source = m["src"]
                if text is near and m["by"] and m["by"] not in R.NOT_NAMES:
                    authors.append(m["by"])
                break
        source = source or metas.get("contentsource") or metas.get("source") or None
        editors: list[str] = []
        for text in (near, tail):
            a, e = parse_credits(text)
            authors.extend(x for x in a if x not in authors)
            editors.extend(x for x in e if x not in editors)
        # a byline on a line of its own between the headline and the body, no colon needed
        # (`本报记者　马红梅` under an e-paper's headline, `新华社记者 张三 李四`)
        contributors: list[str] = []
        for line in near.split("\n")[-R.HEAD_LINES :]:
            for field, names in parse_credit(line.strip()) or ():
                into = {"authors": authors, "contributors": contributors}.get(field)
                if into is not None:
                    into.extend(x for x in names if x not in into)
        return source, authors, editors, contributors
