"""The raw archive: every HTTP response the crawler receives, as WARC records, before any parsing.

Records go into gzip-per-record WARC files under `<data>/warc/`, rotated by size. Each write
returns (file, offset), which the `pages` table keeps, so any page can be re-read (and
re-parsed with a newer parser) without refetching. `iter_warc_pages` replays a WARC file as
`Page`s for `regionews load`.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parsers.records import Page
from warehouse.lake import is_lake

ROLE_HEADER = "WARC-Regionews-Role"  # article | list | sitemap | feed | robots
BOOKKEEPING_ROLES = (
    "list",
    "sitemap",
    "feed",
    "robots",
)  # the crawler's own reading: never replayed as pages
REQUESTED_HEADER = "WARC-Regionews-Requested-URI"  # the URL asked for, when redirects led elsewhere
# The body is stored decoded, so these would describe bytes that are not in the record.
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcError(Exception):
    """A WARC file is unreadable past some record; the message names file and offset."""


def _warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WarcArchive:
    """Appends response records to rotating `.warc.gz` files in one directory.

    Each record is its own gzip member and is flushed at once, so a killed crawl leaves
    every earlier record readable.
    """

    def __init__(
        self,
        directory: str | Path,
        max_bytes: int = 100_000_000,
        prefix: str = "regionews",
        base: str | Path | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.base = Path(base) if base is not None else None  # the warehouse's folder: see stored_location
        self.max_bytes = max_bytes
        self.prefix = prefix
        self._lock = threading.Lock()
        self._file: io.BufferedWriter | None = None
        self._path: Path | None = None
        self._seq = 0
        self.records = 0
        self.bytes = 0  # bodies archived
        self.seconds = 0.0  # spent writing records: the archiving overhead of a crawl
        self.files: list[Path] = []

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        while True:
            self._seq += 1
            path = self.directory / f"{self.prefix}-{stamp}-{os.getpid()}-{self._seq:05d}.warc.gz"
            if not path.exists():
                break
        self._file = open(path, "ab")  # noqa: SIM115 - held open across writes, closed in close()
        self._path = path
        self.files.append(path)

    def write_response(
        self,
        url: str,
        status: int,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        *,
        fetched_at: datetime,
        reason: str = "",
        role: str = "article",
        requested_url: str | None = None,
        truncated: bool = False,
    ) -> tuple[str, int]:
        """Append one response record; returns (WARC file path, offset of the record)."""
        kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": _warc_date(fetched_at), ROLE_HEADER: role}
        if requested_url and requested_url != url:
            warc_headers[REQUESTED_HEADER] = requested_url
        if truncated:
            warc_headers["WARC-Truncated"] = "length"
        return self._append(url, "response", body, warc_headers, http_headers=http_headers)

    def _append(
        self,
        url: str,
        kind: str,
        body: bytes,
        warc_headers: dict[str, str],
        *,
        http_headers: StatusAndHeaders | None = None,
        content_type: str = "",
    ) -> tuple[str, int]:
        started = time.perf_counter()
        plain = io.BytesIO()
        writer = WARCWriter(plain, gzip=False)
        writer.write_record(
            writer.create_warc_record(
                url,
                kind,
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
                warc_content_type=content_type,
            )
        )
        member = _gzip_member(plain.getvalue())  # compressed outside the lock: concurrent fetches overlap
        with self._lock:
            if self._file is None or self._file.tell() >= self.max_bytes:
                self.close()
                self._open()
            assert self._file is not None and self._path is not None
            offset = self._file.tell()
            self._file.write(member)
            self._file.flush()
            self.records += 1
            self.bytes += len(body)
            self.seconds += time.perf_counter() - started
            return stored_location(self._path, self.base), offset

    def keep(self, page: Page) -> Page:
        """Archive a loaded page's bytes; the page now points at its record (`source` keeps where it was).

        The record is a response record with the page's own status and headers (a saved file:
        200 and its sidecar headers), marked `WARC-Regionews-Role: loaded`, so a replay or a
        reparse reads back exactly the page that was loaded. A page keyed by a `file://` URL (a saved
        file that names no URL) is a resource record: WARC readers take HTTP headers only from
        responses to http(s) URLs.
        """
        when = page.fetched_at or datetime.now(UTC)
        if page.effective_url.startswith(("http://", "https://")):
            location, offset = self.write_response(
                page.effective_url, page.status, page.headers, page.body,
                fetched_at=when, role="loaded", requested_url=page.url,
            )  # fmt: skip
        else:
            warc_headers = {"WARC-Date": _warc_date(when), ROLE_HEADER: "loaded"}
            ctype = page.header("content-type") or "application/octet-stream"
            location, offset = self._append(page.url, "resource", page.body, warc_headers, content_type=ctype)
        return replace(page, location=location, warc_offset=offset)

    def close(self) -> None:
        with_file = self._file
        self._file = None
        if with_file is not None:
            with_file.close()

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def warehouse_folder(db: str | Path) -> Path | None:
    """The folder stored locations are relative to: the warehouse file's. None for a DuckLake,
    whose writers may run anywhere: its pages' locations are absolute."""
    if is_lake(db):
        return None
    return Path(db).absolute().parent


def _gzip_member(data: bytes) -> bytes:
    """One record as its own gzip member (readers seek to a record and start there), at zlib's
    default level 6: as small as warcio's level 9 on news pages (25.1 % vs 25.0 % of the bytes)
    in two thirds of the time."""
    gz = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return gz.compress(data) + gz.flush()


def stored_location(path: str | Path, base: Path | None) -> str:
    """How `pages.location` keeps a file: relative to the warehouse's folder when inside it, else
    absolute. Either way it resolves from any working directory (cron), and a warehouse moved
    together with its archive keeps working."""
    path = Path(path).absolute()
    if base is not None:
        with contextlib.suppress(ValueError):
            return str(path.relative_to(Path(base).absolute()))
    return str(path)


def resolve_location(location: str, base: str | Path | None) -> Path:
    """The file a stored location names. Locations written before migration 0006 may be relative to
    the working directory of their run (e.g. `data/warc/...` beside `data/regionews.duckdb`): they are
    looked for under the warehouse's folder, then its parents, then the working directory."""
    path = Path(location)
    if path.is_absolute() or base is None:
        return path
    base = Path(base).absolute()
    for root in (base, *list(base.parents)[:3]):
        if (root / path).exists():
            return root / path
    return path if path.exists() else base / path


def record_page(record, path: Path, offset: int, body: bytes) -> Page:
    """A response (or another tool's resource) record as the `Page` it archived.

    The URL is the one the crawl asked for when redirects led elsewhere, so a replay keys
    pages exactly as the crawl stored them.
    """
    if record.http_headers:
        headers = tuple(record.http_headers.headers)
        status = int(record.http_headers.get_statuscode() or 0)
    else:  # a resource record: the body as it is, its type in the WARC header
        ctype = record.rec_headers.get_header("Content-Type")
        headers, status = ((("Content-Type", ctype),) if ctype else ()), 200
    target = record.rec_headers.get_header("WARC-Target-URI")
    requested = record.rec_headers.get_header(REQUESTED_HEADER)
    date = record.rec_headers.get_header("WARC-Date")
    try:
        fetched_at = datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None
    except ValueError:
        fetched_at = None
    return Page(
        url=requested or target,
        body=body,
        final_url=target if requested else None,
        fetched_at=fetched_at,
        status=status,
        headers=headers,
        origin="warc",
        location=str(path),
        warc_offset=offset,
    )


def iter_warc_pages(
    path: str | Path,
    *,
    include_lists: bool = False,
    statuses: Iterable[int] | None = (200,),
) -> Iterator[Page]:
    """Replay the response records of a WARC file as `Page`s (origin "warc", location, offset).

    By default only 200 responses for articles are yielded: error responses, redirects and
    304s are archived for the record but are not pages to parse, and list pages and
    robots.txt (marked by the crawler) are not articles. Pass `statuses=None` for all.
    Raises WarcError after the last readable record of a damaged file.
    """
    path = Path(path)
    wanted = set(statuses) if statuses is not None else None
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        offset = 0
        try:
            for record in iterator:
                if record.rec_type != "response":
                    continue
                role = record.rec_headers.get_header(ROLE_HEADER)
                if role in BOOKKEEPING_ROLES and not include_lists:
                    continue
                body = record.content_stream().read()
                offset = iterator.get_record_offset()  # only after the body: asking first consumes it
                page = record_page(record, path, offset, body)
                if wanted is None or page.status in wanted:
                    yield page
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            raise WarcError(f"{path}: unreadable WARC record after offset {offset}: {exc}") from exc
        # warcio ends quietly at a record cut short (a killed crawl): say so instead.
        size = path.stat().st_size
        try:
            end = iterator.get_record_offset() + iterator.get_record_length()
        except (TypeError, AttributeError):
            end = 0 if size else None
        if end is not None and end < size:
            raise WarcError(f"{path}: unreadable WARC record after offset {end} ({size - end} bytes left)")


def read_record(path: str | Path, offset: int) -> Page:
    """The record at (file, offset) as a `Page`: what `pages.location`/`warc_offset` point at."""
    path = Path(path)
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            if record.rec_type not in ("response", "resource"):
                raise WarcError(f"{path}@{offset} is a {record.rec_type} record, not a response")
            return record_page(record, path, offset, record.content_stream().read())
    raise WarcError(f"{path}@{offset}: no record there")
