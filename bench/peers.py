"""Every tool behind one signature: pages (bytes + url) in, (title, publish time, body) out.

All tools start from the page's bytes and share our decoder, so the timings compare the
same work (decode -> extract) and a peer is never scored down for a charset it was not
given. Ours also normalizes (OpenCC t2s, whitespace, metadata lines): that is part of the
pipeline we claim is fast, so it is inside our timing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bench.scoring import SHANGHAI, Stamp, ours_stamp, peer_stamp
from parsers.decoding import decode_page
from parsers.generic import GenericParser
from parsers.records import Article, Page
from parsers.registry import parser_for

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass(frozen=True, slots=True)
class Extracted:
    title: str | None
    published: datetime | None  # aware (Asia/Shanghai) or None
    body: str
    stamp: Stamp | None = None  # the publish time with the precision the tool gave it at


Tool = Callable[[Sequence[Page]], Extracted]
_GENERIC = GenericParser()


def _from_article(article: Article) -> Extracted:
    stamp = ours_stamp(article.published_at, article.published_precision)
    return Extracted(article.title, article.published_at, article.body, stamp)


def ours(pages: Sequence[Page]) -> Extracted:
    """The registry's choice: the site parser where one exists (it joins paginated stories)."""
    parser = parser_for(pages[0].effective_url)
    return _from_article(parser.parse(pages[0]) if len(pages) == 1 else parser.parse_many(pages))


def ours_generic(pages: Sequence[Page]) -> Extracted:
    """The generic parser, page by page, as if the site were unknown (no pagination joining)."""
    parts = [_GENERIC.parse(p) for p in pages]
    first = _from_article(parts[0])
    return Extracted(first.title, first.published, "\n".join(a.body for a in parts), first.stamp)


def ours_generic_unnormalized(pages: Sequence[Page]) -> Extracted:
    """The generic parser without normalization: decode + DOM + extract only (for the speed breakdown)."""
    from parsers.dom import parse_html

    parts = [_GENERIC.extract(parse_html(decode_page(p).text), p) for p in pages]
    return Extracted(parts[0].title, parts[0].published_at, "\n".join(a.body for a in parts))


def _peer_date(value: str | None) -> tuple[datetime | None, Stamp | None]:
    """A peer's date string read by the bench's own reader (never by the parser under test)."""
    stamp = peer_stamp(value)
    return (stamp.value.replace(tzinfo=SHANGHAI), stamp) if stamp else (None, None)


def trafilatura_tool(pages: Sequence[Page]) -> Extracted:
    import trafilatura

    title, published, stamp, bodies = None, None, None, []
    for i, page in enumerate(pages):
        doc = trafilatura.bare_extraction(
            decode_page(page).text,
            url=page.effective_url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={
                "extensive_search": True,
                "original_date": True,
                "outputformat": "%Y-%m-%d %H:%M:%S",
            },
        )
        if doc is None:
            continue
        if i == 0:
            title, (published, stamp) = doc.title, _peer_date(doc.date)
        bodies.append(doc.text or "")
    return Extracted(title, published, "\n".join(bodies), stamp)


_gne = None


def gne_tool(pages: Sequence[Page]) -> Extracted:
    global _gne
    if _gne is None:
        from gne import GeneralNewsExtractor

        _gne = GeneralNewsExtractor()
    title, published, stamp, bodies = None, None, None, []
    for i, page in enumerate(pages):
        try:
            result = _gne.extract(decode_page(page).text)
        except Exception:  # gne raises on pages it cannot read; that is a miss, not a crash
            continue
        if i == 0:
            title, (published, stamp) = result.get("title"), _peer_date(result.get("publish_time"))
        bodies.append(result.get("content") or "")
    return Extracted(title, published, "\n".join(bodies), stamp)


def selectolax_text(pages: Sequence[Page]) -> Extracted:
    """The floor: decode, parse with selectolax and take all text (no extraction at all)."""
    from parsers.dom import parse_html

    body = "\n".join(parse_html(decode_page(p).text).body.text(separator="\n") for p in pages)
    return Extracted(None, None, body)


TOOLS: dict[str, Tool] = {
    "regionews (site parser)": ours,
    "regionews generic": ours_generic,
    "trafilatura": trafilatura_tool,
    "gne": gne_tool,
}


def as_shanghai(value: datetime) -> datetime:
    return value.astimezone(SHANGHAI) if value.tzinfo else value.replace(tzinfo=SHANGHAI)
