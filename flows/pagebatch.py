"""One batch of saved pages read and parsed: the pure middle every loading path shares.

The load and reparse flows run it as a Prefect task; a Dask worker that commits to a lake runs
it inside its own task. A file that vanished or cannot be read becomes a failure, not an error.
"""

from __future__ import annotations

from collections.abc import Sequence

from flows.inputs import FileInput, StoredPage, printable_path, read_page, read_stored
from parsers.process import process_pages
from parsers.records import Failure, Page, PageResult

Item = FileInput | StoredPage | Page


def read_and_parse(items: Sequence[Item]) -> tuple[list[PageResult], list[Failure]]:
    """(results, failures) of a batch: pages as they are, files and stored pages read first."""
    pages: list[Page] = []
    failures: list[Failure] = []
    for item in items:
        if isinstance(item, Page):
            pages.append(item)
            continue
        try:
            pages.append(read_stored(item) if isinstance(item, StoredPage) else read_page(item))
        except OSError as exc:
            where = item.location if isinstance(item, StoredPage) else item.path
            reason = "raw page missing" if isinstance(item, StoredPage) else "unreadable file"
            failures.append(
                Failure(
                    url=item.url,
                    stage="load",
                    reason=f"load: {reason} ({exc.strerror or type(exc).__name__})",
                    detail=printable_path(f"{where}: {exc}"),
                    page_sha256=getattr(item, "sha256", ""),
                )
            )
    return process_pages(pages), failures
