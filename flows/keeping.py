"""Every loaded page's bytes go into our own archive, once: the user's files may move or go.

A page read from a saved file or from another tool's WARC has no `location` yet. `Keeper.keep`
appends its bytes to `<data>/warc/load-*.warc.gz` (flows/archive.py) and points the page at that
record; `page.source` keeps where it was read. Pages the warehouse already keeps (same URL and
bytes) are not archived again, so rerunning a load adds nothing to the archive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import duckdb

from flows.archive import WarcArchive, resolve_location
from parsers.records import PageResult
from warehouse.stored_pages import stored_pages


def inside(path: Path, folder: Path) -> bool:
    return path.absolute().is_relative_to(folder.absolute())


def kept_pages(
    con: duckdb.DuckDBPyConnection, urls: Iterable[str], archive_dir: Path, base: Path | None
) -> set[tuple[str, str]]:
    """(url, sha256) of the given URLs' pages whose bytes the warehouse already keeps itself:
    crawled, loaded since migration 0006, or replayed from our own archive."""
    kept = set()
    for url, sha, location, source_path, origin in stored_pages(con, urls):
        ours = location and inside(resolve_location(location, base), archive_dir)
        if origin == "http" or source_path is not None or ours:
            kept.add((url, sha))
    return kept


class Keeper:
    """Archives the pages of each batch that are not kept yet, before the batch is written."""

    def __init__(self, archive: WarcArchive, kept: set[tuple[str, str]]) -> None:
        self.archive = archive
        self.kept = kept
        self._here: dict[tuple[str, str], tuple[str, int]] = {}  # archived by this run
        self.archived = 0

    def keep(self, results: Sequence[PageResult]) -> list[PageResult]:
        out = []
        for result in results:
            page = result.page
            key = (page.url, page.sha256)
            if page.location is None and key not in self.kept:
                if key in self._here:
                    location, offset = self._here[key]
                    page = replace(page, location=location, warc_offset=offset)
                else:
                    page = self.archive.keep(page)
                    self._here[key] = (page.location or "", page.warc_offset or 0)
                    self.archived += 1
                result = replace(result, page=page)
            out.append(result)
        return out
