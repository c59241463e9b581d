"""Normalization: the ordered list of text steps every parser's output goes through.

`normalize_article(article, page)` is the one call every parser makes. It keeps the page's own
text in `raw_title`/`raw_paragraphs`, runs TEXT_STEPS over the title and body, moves metadata
lines into fields, cleans the headline and fills a missing date from a dateline or the URL.
Fields the parser already set are kept; lists are extended without duplicates.

TEXT_STEPS, in order (each `str -> str`, line-local, idempotent; see the modules for the cases):
 1. fold_invisible     NBSP/`&nbsp;` -> space; zero-width, soft hyphen, BOM removed
 2. collapse_spaces    `　　` and space indents stripped, inner runs -> one space
 3. strip_cell_remnant trailing ` |` of table cells (tianshui and its mirrors)
 4. remove_pinyin      `團(tuán)結(jié)` -> `團結` (a tone-marked syllable only)
 5. repair_gbk         mirror byte-loss garbage repaired (lost 0xA1), else marked ⟦…⟧
 6. to_simplified      OpenCC t2s + 著/着 and 甚么 fixes; skipped for simplified text
 7. fold_width         full-width digits and Latin letters -> ASCII; punctuation kept
 8. join_broken_lines  a sentence broken over lines joined; paragraph breaks kept
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from parsers.bylines import extract_metadata, is_placeholder
from parsers.dates import date_from_url, dateline_date
from parsers.gbk_repair import repair_gbk
from parsers.pinyin import remove_pinyin, remove_pinyin_counted
from parsers.records import Article, Image, Page
from parsers.script import (
    count_traditional,
    detect_script,
    fix_phrases,
    has_traditional,
    t2s,
    to_simplified,
)
from parsers.textsteps import (
    collapse_spaces,
    fold_invisible,
    fold_width,
    join_broken_lines,
    strip_cell_remnant,
)
from parsers.titles import bare_subtitle, clean_title


def _repair(text: str) -> str:
    return repair_gbk(text).text


TEXT_STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("fold_invisible", fold_invisible),
    ("collapse_spaces", collapse_spaces),
    ("strip_cell_remnant", strip_cell_remnant),
    ("remove_pinyin", remove_pinyin),
    ("repair_gbk", _repair),
    ("to_simplified", to_simplified),
    ("fold_width", fold_width),
    ("join_broken_lines", join_broken_lines),
)


@dataclass
class TextReport:
    """What the text steps changed, for flags and for the per-seed report."""

    pinyin_removed: int = 0
    chars_converted: int = 0  # exact only when `exact`; else 1 when anything changed (the flag)
    gbk_repaired: int = 0
    gbk_flagged: int = 0
    exact: bool = True  # counting converted characters costs a pass over the text


@dataclass
class NormalizationReport(TextReport):
    lines_moved: int = 0  # metadata lines (or parts) taken out of the body into fields
    moved: tuple[str, ...] = ()


def normalize_text(text: str, *, simplify: bool | None = None, report: TextReport | None = None) -> str:
    """TEXT_STEPS over one text. `simplify=None` converts only text with traditional-only characters."""
    text = strip_cell_remnant(collapse_spaces(fold_invisible(text)))
    text, n = remove_pinyin_counted(text)
    fixed = repair_gbk(text)
    text = fixed.text
    if simplify is None:
        simplify = has_traditional(text)
    if simplify:
        before = text
        text = fix_phrases(t2s(text))
        if report is not None:
            if report.exact:
                report.chars_converted += _changed_chars(before, text)
            else:
                report.chars_converted += before != text
    text = join_broken_lines(fold_width(text))
    if report is not None:
        report.pinyin_removed += n
        report.gbk_repaired += fixed.repaired
        report.gbk_flagged += fixed.flagged
    return text


def _changed_chars(before: str, after: str) -> int:
    if before == after:
        return 0
    if len(before) == len(after):
        return sum(map(str.__ne__, before, after))
    return count_traditional(before)


def _norm_opt(text: str | None, simplify: bool) -> str | None:
    if text is None:
        return None
    out = normalize_text(text, simplify=simplify).replace("\n", " ").strip()
    return out or None


def _merge(first: tuple[str, ...], *more: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    out = [v for v in first if not is_placeholder(v)]
    for values in more:
        for v in values:
            if v and v not in out and not is_placeholder(v):
                out.append(v)
    return tuple(out)


def _add_flags(flags: tuple[str, ...], new: list[str]) -> tuple[str, ...]:
    return _merge(flags, new)


def normalize_with_report(
    article: Article, page: Page | None = None, *, exact: bool = True
) -> tuple[Article, NormalizationReport]:
    """`normalize_article` plus a count of what changed (annotations, characters, lines moved)."""
    report = NormalizationReport(exact=exact)
    raw_title = article.raw_title if article.raw_title is not None else article.title
    raw_paragraphs = article.raw_paragraphs if article.raw_paragraphs is not None else article.paragraphs
    all_raw = raw_title + "\n" + "\n".join(raw_paragraphs)
    simplify = has_traditional(all_raw)
    script = article.script if article.script != "unknown" else detect_script(all_raw, simplify)

    title_text = normalize_text(article.title, simplify=simplify, report=report)
    body_text = normalize_text("\n\n".join(article.paragraphs), simplify=simplify, report=report)
    parts = clean_title(title_text)
    paragraphs, meta = extract_metadata([p for p in body_text.split("\n") if p.strip()], parts.title)
    report.lines_moved = len(meta.removed)
    report.moved = tuple(meta.removed)

    flags: list[str] = []
    if report.pinyin_removed:
        flags.append("pinyin_removed")
    if report.chars_converted:
        flags.append("t2s")
    if report.gbk_repaired:
        flags.append("gbk_repaired")
    if report.gbk_flagged:
        flags.append("corrupted_spans")
    if parts.suffix:
        flags.append(f"title_suffix:{parts.suffix}")
    if parts.byline:
        flags.append("title_byline_split")
    if meta.removed:
        flags.append("metadata_moved")
    flags.extend(meta.flags)

    images = [replace(i, caption=_norm_opt(i.caption, simplify) or "") for i in article.images]
    have = {i.src for i in images}
    images.extend(Image(src=src) for src in meta.image_srcs if src not in have)
    known_captions = {i.caption for i in images if i.caption}
    for caption in meta.captions:
        if caption in known_captions:
            continue
        known_captions.add(caption)
        slot = next((k for k, i in enumerate(images) if not i.caption), None)
        if slot is None:
            images.append(Image(src="", caption=caption))  # a caption line with no <img> left to own it
        else:
            images[slot] = replace(images[slot], caption=caption)

    # source is what 来源 says; the outlet of a credited reporter is the origin of a copy, not its source
    printed = [_norm_opt(article.source, simplify), meta.source]
    source = next((s for s in printed if s and not is_placeholder(s)), None)
    if source is None and any(is_placeholder(s) for s in printed):
        flags.append("source_unknown")  # `来源：未知`: the page says it does not know; never a name
    original_source = _norm_opt(article.original_source, simplify)
    if original_source is None and article.is_copy and meta.orgs:
        original_source = meta.orgs[0]

    published_at, precision, origin = (
        article.published_at,
        article.published_precision,
        article.published_origin,
    )
    updated_at = article.updated_at
    for before, item in meta.dates:  # lines that were only a date, by the role of their label
        if item.role == "updated" and updated_at is None:
            updated_at = item.date.value
        elif item.role in ("published", "unlabelled") and published_at is None and before <= 1:
            # only a date line at the top is the story's own; dates further down belong to lists
            published_at, precision, origin = item.date.value, item.date.precision, item.date.origin
    if published_at is None:  # a parser that found no date: the story's dateline, else the URL's date
        found = dateline_date(paragraphs, article.url) or date_from_url(article.url)
        if found:
            published_at, precision, origin = found.value, found.precision, found.origin
        else:
            precision, origin = "none", "none"
            flags.append("no_date")

    out = replace(
        article,
        title=parts.title,
        paragraphs=tuple(paragraphs),
        kicker=_norm_opt(article.kicker, simplify) or parts.kicker,
        subtitle=bare_subtitle(_norm_opt(article.subtitle, simplify) or parts.subtitle),
        source=source,
        authors=_merge(
            tuple(_norm_opt(a, simplify) or "" for a in article.authors), parts.authors, meta.authors
        ),
        editors=_merge(tuple(_norm_opt(a, simplify) or "" for a in article.editors), meta.editors),
        contributors=_merge(
            tuple(_norm_opt(a, simplify) or "" for a in article.contributors), meta.contributors
        ),
        reposters=_merge(tuple(_norm_opt(a, simplify) or "" for a in article.reposters), meta.reposters),
        original_title=_norm_opt(article.original_title, simplify) or meta.original_title,
        original_source=original_source,
        images=tuple(images),
        script=script,
        flags=_add_flags(article.flags, flags),
        corrupted_spans=article.corrupted_spans + report.gbk_flagged,
        published_at=published_at,
        published_precision=precision,
        published_origin=origin,
        updated_at=updated_at,
        raw_title=raw_title,
        raw_paragraphs=tuple(raw_paragraphs),
    )
    return out, report


def normalize_article(article: Article, page: Page | None = None) -> Article:
    """The normalized copy of an article; the page's own text is kept in raw_* fields."""
    return normalize_with_report(article, page, exact=False)[0]
