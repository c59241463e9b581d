"""The records that flow through regionews: a fetched `Page` in, a clean `Article` out.

Records are frozen so that every step is a pure function of its input, and they hold only
plain values (str, bytes, tuples, datetimes) so they pickle across processes and map
one-to-one onto warehouse columns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

PageOrigin = Literal["http", "file", "warc"]
# "minute": a time was shown (seconds kept in the value when shown); "month": only 年+月 was printed
Precision = Literal["minute", "day", "month", "none"]
DateOrigin = Literal["page", "url", "none"]
Script = Literal["zh-Hans", "zh-Hant", "mixed", "unknown"]


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class Source:
    """Where a loaded page was read from, kept as provenance once its bytes are in our archive.

    `path` is printable (a file name that is not UTF-8 shown byte by byte as \\xNN); `name_bytes`
    holds the path's own bytes exactly when they are not UTF-8.
    """

    path: str
    offset: int | None = None  # the record's offset, for a page replayed from a WARC file
    name_bytes: bytes | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """One fetched or loaded document, exactly as it arrived.

    The body stays bytes: decoding is a parse step, so a decoding fix can be replayed
    from the archive without refetching.
    """

    url: str
    body: bytes
    final_url: str | None = None
    fetched_at: datetime | None = None
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    origin: PageOrigin = "file"
    location: str | None = None  # file path or WARC file the bytes came from
    warc_offset: int | None = None
    sha256: str = field(default="")
    role: str | None = None  # why the crawler fetched it: article | list | sitemap | feed; None when loaded
    source: Source | None = None  # the user's file a loaded page came from (its bytes now in our archive)

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", sha256_hex(self.body))

    @property
    def effective_url(self) -> str:
        return self.final_url or self.url

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup (HTTP header names are case-insensitive)."""
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    """A news article with the page's chrome removed and its metadata as fields.

    Parsers fill the fields as the page shows them; `parsers.normalize.normalize_article`
    then returns the normalized copy, keeping the page's own title and text in
    `raw_title` / `raw_paragraphs`.
    """

    url: str
    site: str
    parser_version: int
    title: str
    paragraphs: tuple[str, ...]
    page_sha256: str = ""
    kicker: str | None = None  # 【新春走基层】-style prefix of the title
    subtitle: str | None = None
    published_at: datetime | None = None  # timezone-aware, Asia/Shanghai
    published_precision: Precision = "none"
    published_origin: DateOrigin = "none"
    updated_at: datetime | None = None  # a farm's 更新时间 or a re-publish time: never the publish date
    source: str | None = None  # 来源
    authors: tuple[str, ...] = ()  # reporters and writers
    editors: tuple[str, ...] = ()  # editors and reviewers
    contributors: tuple[str, ...] = ()  # 通讯员, 供稿
    reposters: tuple[str, ...] = ()  # 转载
    original_title: str | None = None  # 原标题, or the title a content farm copied from
    original_url: str | None = None  # where a mirror's page was copied from
    original_source: str | None = None  # outlet a copy names as its origin
    is_copy: bool = False  # mirror or content-farm copy, not the outlet's own page
    images: tuple[Image, ...] = ()
    script: Script = "unknown"  # the page's script before normalization
    flags: tuple[str, ...] = ()  # quality flags, e.g. "pinyin_removed", "t2s", "title_suffix:图"
    corrupted_spans: int = 0  # GBK byte-loss spans that could not be repaired
    raw_title: str | None = None  # the page's own title text, before normalization
    raw_paragraphs: tuple[str, ...] | None = None  # the page's own body text, before normalization
    page_count: int = 1  # pages a paginated article was joined from

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


class NotAnArticle(Exception):
    """The page is a list, index or other non-article page: skipped and counted, not an error."""


class ParseError(Exception):
    """The page should be an article but its layout did not match: recorded as a failure."""


class DecodeError(Exception):
    """The bytes could not be turned into text (binary, or no charset decodes them)."""


Stage = Literal["fetch", "decode", "parse", "load", "discover"]
Outcome = Literal["article", "part", "not_article", "failed"]


@dataclass(frozen=True, slots=True)
class Failure:
    """A page that did not become an article, with a reason a person can act on.

    `body` keeps the raw bytes (when there were any) so nothing is ever lost.
    """

    url: str
    stage: Stage
    reason: str  # short and groupable, e.g. "parse: no title"
    detail: str = ""  # the full message
    page_sha256: str = ""
    site: str | None = None
    seen_at: datetime | None = None
    body: bytes | None = None


@dataclass(frozen=True, slots=True)
class PageResult:
    """What became of one page: the article it produced, or why it produced none."""

    page: Page
    outcome: Outcome
    parser: str | None = None
    parser_version: int | None = None
    article: Article | None = None
    failure: Failure | None = None
