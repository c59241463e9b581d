"""Turn paths on disk into Pages: single files, directories (recursively) and WARC archives.

A saved file's URL comes from a sidecar (`<stem>.meta.json` or a fixture's
`<stem>.expected.json`, or `<file>.url`), else the page's own `<link rel=canonical>` or
`og:url`, else a `file://` URL. Files that cannot be read become failures, never crashes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from flows.archive import BOOKKEEPING_ROLES, WarcError, read_record, record_page, resolve_location
from parsers.records import Failure, Page, Source

SIDECAR_SUFFIXES = (".expected.json", ".meta.json", ".body.txt", ".url")
WARC_SUFFIXES = (".warc", ".warc.gz")
_HEAD = 16384
_CANONICAL = re.compile(
    rb"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>|<meta\b[^>]*\bproperty\s*=\s*["']og:url["'][^>]*>""",
    re.I,
)
NOT_A_WARC = "load: not a WARC file"
TRUNCATED = "load: truncated WARC record"
INCOMPLETE_STORY = "load: story incomplete (a part is truncated)"
_TARGET = re.compile(rb"WARC-Target-URI:\s*<?([^\s>]+)")
_HREF = re.compile(rb"""\b(?:href|content)\s*=\s*["']([^"']+)["']""", re.I)


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A page already in the warehouse, to be read back from where its bytes are kept."""

    url: str
    sha256: str
    origin: str
    location: str | None
    warc_offset: int | None
    fetched_at: datetime | None
    status: int
    headers: tuple[tuple[str, str], ...]
    final_url: str | None = None
    base: str | None = None  # the warehouse's folder, which relative locations are under


@dataclass(frozen=True, slots=True)
class FileInput:
    """A saved page on disk, located but not yet read (bodies are read batch by batch)."""

    path: Path
    url: str
    headers: tuple[tuple[str, str], ...] = ()


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIXES) or path.name.startswith(".")


def is_warc(path: Path) -> bool:
    return path.name.endswith(WARC_SUFFIXES)


def _sidecar(path: Path) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    stem = path.name.rsplit(".", 1)[0]
    for name in (f"{stem}.meta.json", f"{stem}.expected.json"):
        side = path.with_name(name)
        if side.is_file():
            try:
                data = json.loads(side.read_text("utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get("url"):
                headers = tuple((str(k), str(v)) for k, v in (data.get("headers") or {}).items())
                return str(data["url"]), headers
    url_file = path.with_name(path.name + ".url")
    if url_file.is_file():
        text = url_file.read_text("utf-8", errors="replace").strip()
        if text:
            return text, ()
    return None, ()


def canonical_url(head: bytes) -> str | None:
    """The page's own idea of its URL, from `<link rel=canonical>` or `og:url` in its head."""
    for tag in _CANONICAL.finditer(head):
        m = _HREF.search(tag.group(0))
        if m:
            url = m.group(1).decode("utf-8", errors="replace").strip()
            if url.startswith(("http://", "https://")):
                return url
    return None


def locate(path: Path) -> FileInput:
    """Find a saved file's URL without reading more than its head. Raises OSError if unreadable."""
    url, headers = _sidecar(path)
    if url is None:
        with path.open("rb") as fh:
            url = canonical_url(fh.read(_HEAD))
    return FileInput(path, url or path.resolve().as_uri(), headers)


def walk(paths: Iterable[Path]) -> Iterator[Path | Failure]:
    """Every page file and WARC under the given paths, in a stable order; unreadable ones as failures."""
    for root in paths:
        if root.is_dir():
            try:
                entries = sorted(root.rglob("*"))
            except OSError as exc:
                yield _load_failure(root, f"load: cannot list directory ({exc.strerror})", str(exc))
                continue
            for entry in entries:
                if entry.is_symlink() and not entry.exists():
                    yield _load_failure(entry, "load: unreadable file (broken link)", f"{entry} -> missing")
                elif entry.is_file() and not is_sidecar(entry):
                    yield entry
                elif entry.is_dir() and not _listable(entry):
                    yield _load_failure(entry, "load: cannot list directory (permission denied)", str(entry))
        elif root.is_file():
            yield root
        elif root.is_symlink():
            yield _load_failure(root, "load: unreadable file (broken link)", f"{root} -> missing")
        else:
            yield _load_failure(root, "load: no such file or directory", str(root))


def _listable(path: Path) -> bool:
    try:
        next(iter(path.iterdir()), None)
    except OSError:
        return False
    return True


def _load_failure(path: Path, reason: str, detail: str) -> Failure:
    return Failure(
        url=path.absolute().as_uri(),
        stage="load",
        reason=reason,
        detail=printable_path(detail),
        seen_at=datetime.now(UTC),
    )


def printable_path(text: str | Path) -> str:
    """A path (or a message naming one) safe to store and print.

    os.fsdecode hands a file name that is not UTF-8 over as surrogates; each such name (path
    component) is shown byte by byte as \\xNN (a GBK 张家川 becomes \\xd5\\xc5...), never as
    a UTF-8 misreading of some of its bytes. Names that are UTF-8 stay as they are.
    """
    parts = []
    for part in os.fsencode(text).split(b"/"):
        try:
            parts.append(part.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(part.decode("ascii", errors="backslashreplace"))
    return "/".join(parts)


def source_of(path: Path, offset: int | None = None) -> Source:
    """Provenance of a loaded page: its file's absolute path, printable, and the raw bytes of a path
    that is not UTF-8 (a GBK name from a Chinese Windows machine arrives as undecodable bytes)."""
    raw = os.fsencode(path.absolute())
    try:
        raw.decode("utf-8")
        name_bytes = None
    except UnicodeDecodeError:
        name_bytes = raw
    return Source(printable_path(path.absolute()), offset, name_bytes)


def read_page(item: FileInput) -> Page:
    """Read one located file into a Page; its mtime stands in for the fetch time.

    The page has no `location` yet: the load flow copies its bytes into our archive.
    """
    stat = item.path.stat()
    body = item.path.read_bytes()
    return Page(
        url=item.url,
        body=body,
        fetched_at=datetime.fromtimestamp(stat.st_mtime, UTC),
        status=200,
        headers=item.headers,
        origin="file",
        source=source_of(item.path),
    )


def iter_warc_pages(path: Path) -> Iterator[Page | Failure]:
    """Replay the response and resource records of a WARC file as Pages; problems as Failures.

    A file with no WARC record in it (a text file, another archive) is one failure, "not a
    WARC file". A record cut short (the file ends inside it, or it says `WARC-Truncated`) is a
    failure "truncated WARC record" keeping the bytes that are there, never a page: its
    missing tail would parse as a different, shorter article. A corrupt record ends the file
    with a failure naming where it broke; records read before it are kept.
    """
    records = 0
    last_truncated = False
    try:
        with path.open("rb") as fh:
            it = ArchiveIterator(fh)
            try:
                for record in it:
                    if record.format != "warc":  # warcio reads lines of text as ARC headers
                        raise ValueError(f"not a WARC record at offset {it.get_record_offset()}")
                    records += 1
                    if _crawl_bookkeeping(record):
                        continue
                    item = _replay(record, path, it)
                    last_truncated = isinstance(item, Failure)
                    if item is not None:
                        yield item
                end = _records_end(it)
            except Exception as exc:  # warcio raises anything (even TypeError) on garbage
                yield _warc_failure(
                    path,
                    "load: corrupt WARC record" if records else NOT_A_WARC,
                    f"after {records} record(s): {type(exc).__name__}: {exc}",
                )
                return
        if not records:
            yield _warc_failure(path, NOT_A_WARC, "no WARC record in it")
            return
        size = path.stat().st_size
        if end is not None and end < size and not last_truncated and not _blank_tail(path, end):
            url = _tail_target(path, end)
            yield Failure(
                url=url or path.absolute().as_uri(),
                stage="load",
                reason=TRUNCATED,
                detail=_printable(
                    f"{path}: the file ends inside a record at offset {end} ({size - end} bytes)"
                ),
                seen_at=datetime.now(UTC),
            )
    except OSError as exc:
        yield _load_failure(path, f"load: unreadable file ({exc.strerror})", str(exc))


def _warc_failure(path: Path, reason: str, detail: str) -> Failure:
    return Failure(
        url=path.absolute().as_uri(),
        stage="load",
        reason=reason,
        detail=_printable(f"{path}: {detail}"),
        seen_at=datetime.now(UTC),
    )


def _records_end(it: ArchiveIterator) -> int | None:
    """Where the last record warcio could read ends (bytes after it belong to no readable record)."""
    try:
        return it.get_record_offset() + it.get_record_length()
    except (TypeError, AttributeError):
        return None


def _blank_tail(path: Path, start: int) -> bool:
    """Only the blank line that ends the last record of an uncompressed WARC follows `start`."""
    with path.open("rb") as fh:
        fh.seek(start)
        return not fh.read(16).strip()


def _tail_target(path: Path, start: int) -> str | None:
    """The target URI of a record cut short before warcio could read its headers, if it shows."""
    with path.open("rb") as fh:
        fh.seek(start)
        tail = fh.read(65536)
    with contextlib.suppress(zlib.error):  # an uncompressed .warc stays as it is
        tail = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(tail)
    m = _TARGET.search(tail)
    return m.group(1).decode("utf-8", errors="replace") if m else None


def _printable(text: str, limit: int = 300) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:limit]


def _crawl_bookkeeping(record) -> bool:
    """Records regionews' own crawler archived that are not articles to replay.

    The crawler archives every response (flows/archive.py): list pages and robots.txt are
    marked with a role header; error responses (500s and 429s before a retry, 404s) and bodies
    cut at the size cap were already recorded as fetch failures by the crawl itself.
    """
    role = record.rec_headers.get_header("WARC-Regionews-Role")
    if role is None:
        return False  # another tool's WARC: replay as it is
    if role in BOOKKEEPING_ROLES or record.rec_headers.get_header("WARC-Truncated"):
        return True  # a truncated body hit the size cap: the crawl recorded that failure
    status = record.http_headers.get_statuscode() if record.http_headers is not None else "200"
    return status != "200"


def _replay(record, path: Path, it: ArchiveIterator) -> Page | Failure | None:
    """A replayable record as a Page (a truncated one as a Failure); requests, metadata and
    redirects (whose target has its own record) are not pages."""
    if record.rec_type not in ("response", "resource"):
        return None
    if not record.rec_headers.get_header("WARC-Target-URI"):
        return None
    if record.http_headers is not None and 300 <= int(record.http_headers.get_statuscode() or 0) < 400:
        return None
    body = record.content_stream().read()
    record.raw_stream.read()  # whatever the content decoder left: the block must be read to its end
    missing = getattr(record.raw_stream, "limit", 0) or 0  # bytes the block declares but the file lacks
    offset = it.get_record_offset()  # only after the body is read: asking earlier consumes the record
    page = record_page(record, path, offset, body)
    marked = record.rec_headers.get_header("WARC-Truncated")
    if not missing and not marked:
        return page
    why = f"{missing} of {record.length} bytes missing" if missing else f"marked WARC-Truncated: {marked}"
    return Failure(
        url=page.url,
        stage="load",
        reason=TRUNCATED,
        detail=_printable(f"{path} record at offset {offset}: {why}"),
        page_sha256=page.sha256,
        seen_at=datetime.now(UTC),
        body=body,
    )


class MissingRawPage(OSError):
    """The bytes of a stored page are no longer where the warehouse says they are."""


def read_stored(item: StoredPage) -> Page:
    """The stored page's bytes, from its file or its WARC record; checked against its sha256."""
    if not item.location:
        raise MissingRawPage(f"no location recorded for {item.url}")
    path = resolve_location(item.location, item.base)
    if item.warc_offset is not None and is_warc(path):
        try:
            body = read_record(path, item.warc_offset).body
        except WarcError as exc:
            raise MissingRawPage(str(exc)) from exc
    else:
        body = path.read_bytes()
    restored = Page(
        url=item.url,
        body=body,
        final_url=item.final_url,
        fetched_at=item.fetched_at,
        status=item.status,
        headers=item.headers,
        origin=item.origin,  # type: ignore[arg-type]
        location=item.location,
        warc_offset=item.warc_offset,
    )
    if restored.sha256 != item.sha256:
        raise MissingRawPage(f"{path} no longer holds the bytes stored for {item.url} (sha256 differs)")
    return restored
