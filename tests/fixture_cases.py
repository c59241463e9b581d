"""Fixture pages and their expectations, read from fixtures/<parser name>/.

Layout of a case `fixtures/<parser>/<case>.html` (raw bytes as the site serves them):
- `<case>.expected.json`: url, expected fields, paragraph_count, must_contain, must_not_contain;
  optional `continuations` (files of pages 2..N of a paginated story, in order),
  `not_article: true` for list pages, `seed` (a file in fixtures/seeds) for an exact check;
  `draft` (written by `regionews new-site`) fails the case until a person has checked the values.
- `<case>.body.txt`: the exact normalized body, one paragraph per line.
- `<case>.meta.json`: only for pages with no expectations of their own (continuation pages):
  their url, and optional headers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from parsers.records import Page

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = FIXTURES / "seeds"  # text renderings of the seed pages (fixtures/seeds/README.md)
FIXED_TIME = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    parser: str
    name: str
    html: Path
    expected: dict

    @property
    def id(self) -> str:
        return f"{self.parser}/{self.name}"

    @property
    def body_txt(self) -> Path:
        return self.html.with_name(f"{self.name}.body.txt")

    def page(self) -> Page:
        return page_from(self.html, self.expected["url"], self.expected.get("headers"))

    def continuation_pages(self) -> list[Page]:
        pages = []
        for file in self.expected.get("continuations", []):
            path = self.html.with_name(file)
            meta = json.loads(path.with_name(path.stem + ".meta.json").read_text("utf-8"))
            pages.append(page_from(path, meta["url"], meta.get("headers")))
        return pages


def page_from(path: Path, url: str, headers: dict | None = None) -> Page:
    return Page(
        url=url,
        body=path.read_bytes(),
        fetched_at=FIXED_TIME,
        headers=tuple((headers or {}).items()),
        origin="file",
        location=str(path),
    )


def all_cases() -> list[Case]:
    cases = []
    for expected_path in sorted(FIXTURES.glob("*/*.expected.json")):
        name = expected_path.name.removesuffix(".expected.json")
        html = expected_path.with_name(f"{name}.html")
        expected = json.loads(expected_path.read_text("utf-8"))
        cases.append(Case(expected_path.parent.name, name, html, expected))
    return cases
