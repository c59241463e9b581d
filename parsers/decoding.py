"""Bytes to text for Chinese news pages.

Order of evidence: BOM, HTTP charset, `<meta charset>` / `http-equiv`, then detection.
Declared labels are not trusted blindly: many old CMS templates declare UTF-8 and serve
GBK (or the reverse), so a declared charset that does not decode cleanly loses to one
that does. GB2312/GBK labels read as GB18030 (their superset) and Big5 as Big5-HKSCS.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import cchardet

from parsers.records import DecodeError, Page

# Labels widened to the superset a real page of that label may use.
_WIDEN = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "iso-8859-1": "windows-1252",
    "latin-1": "windows-1252",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""",
    re.I,
)
_HEAD_BYTES = 4096  # declarations live in the head; scanning the whole page costs time on 20 MB pages
_DETECT_BYTES = 65536
_MAX_BAD_RATIO = 0.001  # a real page in the right charset has (almost) no undecodable bytes


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec actually used
    declared: str | None  # what the page or server claimed, if anything
    replaced: int  # count of bytes that had to be replaced (0 for a clean decode)
    truncated: bool = False  # the bytes stop inside a character: the page was cut short


def canonical(label: str | None) -> str | None:
    """Map a charset label to the Python codec we decode it with, or None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _WIDEN.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _WIDEN.get(codec, codec)


def declared_charsets(body: bytes, content_type: str | None = None) -> list[str]:
    """Charsets the server and the page declare, in order of authority, widened and deduplicated."""
    found: list[str] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type.encode("latin-1", "replace"))
        if m:
            found.append(m.group(1).decode("ascii", "replace"))
    found.extend(m.group(1).decode("ascii", "replace") for m in _META_CHARSET.finditer(body[:_HEAD_BYTES]))
    out: list[str] = []
    for label in found:
        codec = canonical(label)
        if codec and codec not in out:
            out.append(codec)
    return out


def _strict(body: bytes, encoding: str) -> tuple[str | None, int]:
    """(text, bytes replaced) for a clean decode, else (None, offset of the first bad byte).

    A page cut mid-character (a truncated download) has a bad tail, not a wrong charset:
    it decodes with the tail replaced.
    """
    try:
        return body.decode(encoding), 0
    except UnicodeDecodeError as exc:
        if exc.start >= len(body) - 4:
            return body.decode(encoding, errors="replace"), len(body) - exc.start
        return None, exc.start
    except LookupError:
        return None, 0


def _utf8_before(body: bytes, offset: int) -> bool:
    """Whether real multi-byte UTF-8 text precedes the first bad byte (a damaged UTF-8 page)."""
    prefix = body[:offset]
    return len(prefix) - len(prefix.decode("utf-8")) >= 40


def _replaced(body: bytes, encoding: str) -> tuple[str, int]:
    text = body.decode(encoding, errors="replace")
    return text, text.count("\ufffd")


def looks_binary(body: bytes) -> bool:
    """NUL bytes or a known binary signature: not a text page in any charset we read."""
    head = body[:1024]
    if head.startswith((b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")):
        return True
    return b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _first_clean(body: bytes, encodings: list[str], declared: str | None) -> Decoded | None:
    """The first of `encodings` that decodes the body cleanly (a damaged UTF-8 page counts).

    One strict pass per candidate; a wrong guess usually fails within the first Chinese bytes.
    """
    for enc in encodings:
        text, info = _strict(body, enc)
        if text is not None:  # clean, or clean up to a character cut at the very end
            return Decoded(text, enc, declared, info, truncated=info > 0)
        if enc == "utf-8" and _utf8_before(body, info):
            text, bad = _replaced(body, enc)
            if bad <= max(4, len(body) * _MAX_BAD_RATIO):
                return Decoded(text, enc, declared, bad)
    return None


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page body; raises DecodeError for binary or undecodable input."""
    if not body:
        raise DecodeError("empty body")
    for bom, enc in _BOMS:
        if body.startswith(bom):
            text, info = _strict(body[len(bom) :], enc)
            if text is None:
                return Decoded(body[len(bom) :].decode(enc, errors="replace"), enc, enc, 0)
            return Decoded(text, enc, enc, info, truncated=info > 0)
    if looks_binary(body):
        raise DecodeError("binary content, not a text page")

    declared = declared_charsets(body, content_type)
    # Valid UTF-8 with non-ASCII bytes is almost never a GBK or Big5 page by accident, while
    # GB18030 decodes most UTF-8 bytes "cleanly" into mojibake: so UTF-8 is tried first.
    candidates = ["utf-8", *(c for c in declared if c != "utf-8")]
    first = declared[0] if declared else None
    found = _first_clean(body, candidates[:1], first)
    if found is not None:
        return found  # most pages: the detector below costs more than decoding them
    if not declared:
        detected = canonical(cchardet.detect(body[:_DETECT_BYTES]).get("encoding"))
        if detected and detected not in candidates:
            candidates.append(detected)
    # Old Chinese CMS pages: when the label is wrong or missing, GB18030 is the usual truth.
    if "gb18030" not in candidates:
        candidates.append("gb18030")
    found = _first_clean(body, candidates[1:], first)
    if found is not None:
        return found

    # Nothing decodes cleanly: take the charset with the fewest undecodable bytes, within reason.
    best: tuple[int, str, str] | None = None
    for enc in candidates:
        text, bad = _replaced(body, enc)
        if best is None or bad < best[0]:
            best = (bad, enc, text)
    assert best is not None
    bad, enc, text = best
    if bad > len(body) * 0.05:
        raise DecodeError(
            f"no charset decodes this page cleanly (declared {', '.join(declared) or 'nothing'}, "
            f"best {enc} with {bad} undecodable bytes)"
        )
    return Decoded(text, enc, first, bad)


def decode_page(page: Page) -> Decoded:
    return decode(page.body, page.header("content-type"))
