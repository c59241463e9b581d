"""A site's template as data: what the one extract loop in `parsers.base` reads for each site.

Every field is optional; a site declares only what its template needs. Selectors are tried in
order and the first match wins; patterns are regular expressions. Line markers (`stop_at`,
`end_after`) are compared with the line as it reads (pinyin annotations and spaces ignored), so
one marker serves a page and its pinyin-annotated mirror.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Captions:
    """How a template marks a photo caption: the block right after an image's own block.

    A candidate (text, no image, at most `max_len` characters, no credit words) is a caption
    when it ends like one (`end`: 摄, 供图 ...) or, with `centred`, when it is centred and not
    all bold (a centred bold line is a section heading).
    """

    end: str | None = None  # e.g. r"(?:摄|供图)[)）]?$"
    centred: bool = True
    max_len: int = 80
    alt: bool = True  # an image with no caption block takes its `alt` text (False where alt is junk)


@dataclass(frozen=True, slots=True)
class CopyOf:
    """A mirror or content-farm copy: `is_copy`, and where the original lives when the path is kept."""

    origin: str | None = None  # e.g. "http://www.tianshui.com.cn": original URL = origin + the copy's path


@dataclass(frozen=True, slots=True)
class SiteRules:
    title: tuple[str, ...] = ()
    # Where the headline is when no title element matches: "headline" = a 1-2 line heading at
    # the top of the body; "first_line" = the body's first line, always (farm copies).
    title_in_body: Literal["headline", "first_line"] | None = None
    title_from_head: str | None = None  # a regex over <title> with a group `title`, the last resort
    body: tuple[str, ...] = ()
    body_fallback: bool = False  # no body selector matched: take the densest text block
    meta: tuple[str, ...] = ()  # the line with date and source, e.g. "(2019/5/26 11:08:34) 来源:…"
    byline: tuple[str, ...] = ()  # an element holding the author line ("记者 张三", "<office> <name>")
    credits: tuple[str, ...] = ()  # credit lines outside the body ("责任编辑：杨丽娟")
    drop: tuple[str, ...] = ()  # chrome inside or around the body: ads, share bars, related blocks
    stop_at: tuple[str, ...] = ()  # the body ends before the first line starting with one of these
    end_after: tuple[str, ...] = ()  # ... or after the first line starting with one of these (kept)
    junk_lines: str | None = None  # a regex: lines the template injects into the text (dropped)
    pager: str | None = None  # a regex: the in-text pager line; it and the page-number lines after it go
    list_page: tuple[str, ...] = ()  # matching any of these means a list/index page, not an article
    image_src: tuple[str, ...] = ("src",)  # attributes holding the picture, first non-empty wins
    captions: Captions = Captions()
    markdown_images: bool = False  # images left as `![](src)` lines by a scraper, caption on the next line
