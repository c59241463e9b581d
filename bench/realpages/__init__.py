"""The real-page corpus: 47 Chinese news pages nobody here wrote rules for, with gold read off each page.

`records()` loads the gold, `page(record)` gives the page as `regionews load` would see it. The
pages and their provenance are described in README.md beside this file; the scorer is
`bench.realpages.score` and the developer view `python -m bench.realpages`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from parsers.records import Page

CORPUS = Path(__file__).resolve().parent
PAGES = CORPUS / "pages"
GOLD = CORPUS / "gold"


@dataclass(frozen=True, slots=True)
class Record:
    """One page's gold. `body` is upstream's, as shipped; `body_convention` follows our conventions."""

    id: str
    url: str | None  # as the dataset gives it (IA ships none)
    site: str  # the page's host, or the dataset's description of it
    title: str
    kicker: str | None
    subtitle: str | None
    title_suffix: str | None
    publish_time: str | None  # China time, ISO 8601 at the printed precision
    publish_time_upstream: str | None
    updated_time: str | None
    body: str
    body_convention: str | None
    gold_notes: tuple[str, ...]
    raw: dict

    @property
    def page_url(self) -> str:
        """The URL the page is parsed under: its own, else a stable one that routes to the generic parser."""
        return self.url or f"file:///realpages/{self.id}.html"

    @property
    def path(self) -> Path:
        return PAGES / f"{self.id}.html"


def _site(raw: dict) -> str:
    if raw.get("url"):
        return raw["url"].split("/")[2]
    return raw["notes"].split(". ", 1)[0]


@cache
def records() -> tuple[Record, ...]:
    """Every gold record, in id order."""
    out = []
    for path in sorted(GOLD.glob("*.json")):
        raw = json.loads(path.read_text("utf-8"))
        out.append(
            Record(
                id=raw["id"],
                url=raw["url"],
                site=_site(raw),
                title=raw["title"],
                kicker=raw["kicker"],
                subtitle=raw["subtitle"],
                title_suffix=raw["title_suffix"],
                publish_time=raw["publish_time"],
                publish_time_upstream=raw["publish_time_upstream"],
                updated_time=raw["updated_time"],
                body=raw["body"],
                body_convention=raw.get("body_convention"),
                gold_notes=tuple(raw["gold_notes"]),
                raw=raw,
            )
        )
    return tuple(out)


def record(page_id: str) -> Record:
    for r in records():
        if r.id == page_id:
            return r
    known = ", ".join(r.id for r in records())
    raise KeyError(f"no page {page_id!r} in the real-page corpus; known: {known}")


def page(rec: Record) -> Page:
    """The page as a user's `regionews load` reads it: raw bytes, its URL, no fetch time."""
    return Page(url=rec.page_url, body=rec.path.read_bytes(), origin="file", location=str(rec.path))
