"""The real-page corpus in bench/realpages is intact: what the benchmark scores is what upstream shipped.

These tests check the corpus, never an extractor's score (scores are measured in `bench/`).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers.decoding import decode

CORPUS = Path(__file__).resolve().parent.parent / "bench" / "realpages"
PAGES = CORPUS / "pages"
GOLD = CORPUS / "gold"
LICENSES = {
    "MIT": CORPUS / "LICENSES" / "Chinese-Web-Content-Extraction-Dataset.LICENSE.txt",
    "Apache-2.0": CORPUS / "LICENSES" / "magic-html.LICENSE.txt",
}
DATASETS = {
    "immortal-autumn/Chinese-Web-Content-Extraction-Dataset": "MIT",
    "opendatalab/magic-html": "Apache-2.0",
}
FIELDS = {
    "id",
    "source_dataset",
    "license",
    "upstream_path",
    "upstream_commit",
    "sha256",
    "url",
    "charset_declared",
    "body",
    "publish_time_upstream",
    "author",
    "notes",
    # regionews gold, read off each page
    "title",
    "kicker",
    "subtitle",
    "title_suffix",
    "publish_time",
    "updated_time",
    "body_convention",
    "body_changes",
    "gold_notes",
}
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?$")

RECORDS = sorted(GOLD.glob("*.json"))


def _record(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_every_page_has_one_record_and_every_record_one_page():
    pages = {p.stem for p in PAGES.glob("*.html")}
    records = {p.stem for p in RECORDS}
    assert len(records) == 47
    assert pages == records


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_record_has_its_fields_and_its_page_matches_the_hash(path: Path):
    record = _record(path)
    assert record.keys() >= FIELDS, f"missing: {sorted(FIELDS - record.keys())}"
    assert record["id"] == path.stem
    assert DATASETS[record["source_dataset"]] == record["license"]
    assert len(record["upstream_commit"]) == 40
    page = (PAGES / f"{path.stem}.html").read_bytes()
    assert hashlib.sha256(page).hexdigest() == record["sha256"]
    assert record["body"].strip(), "the upstream body gold is never empty"


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_gold_title_and_time_are_well_formed_and_explained(path: Path):
    record = _record(path)
    title = record["title"]
    assert isinstance(title, str) and title == title.strip() and title
    assert "\n" not in title, "a title is one visible line"
    for field in ("kicker", "subtitle", "title_suffix"):
        assert record[field] is None or (record[field].strip() and "\n" not in record[field])
    assert record["gold_notes"] and all(isinstance(n, str) and n for n in record["gold_notes"])
    for field in ("publish_time", "publish_time_upstream", "updated_time"):
        value = record[field]
        if value is not None:
            assert TIME.match(value), f"{field}={value!r}: ISO 8601 at the printed precision, no offset"
            datetime.fromisoformat(value)
    notes = " ".join(record["gold_notes"])
    if record["publish_time"] is None:
        assert "null" in notes, "a page without a publish time says why"
    if record["publish_time"] != record["publish_time_upstream"] and record["publish_time_upstream"]:
        assert "upstream" in notes.lower(), "a departure from the upstream date says why"


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_convention_body_is_one_paragraph_per_line_and_its_edits_are_recorded(path: Path):
    record = _record(path)
    lines = record["body_convention"].split("\n")
    assert lines and all(line and line == line.strip() and "  " not in line for line in lines)
    assert record["body_changes"] and all(isinstance(c, str) and c for c in record["body_changes"])
    if record["body_convention"] != "\n".join(
        " ".join(line.split()) for line in record["body"].splitlines() if line.strip()
    ):
        assert len(record["body_changes"]) > 1, "a body that differs from upstream's says how"


# sentences of the convention body that the page does not print in one run, and why
_SPLIT_ON_PAGE = {
    "sohu_4": "an ad script sits inside 前不久昌河推出了…: the page's text reads …;不久昌河…",
    "yahoo_4": "Yahoo's search-link widget (图片-新闻-网页) sits inside the dateline sentence (body_changes)",
}


def _flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_gold_title_and_body_are_read_off_the_page(path: Path):
    """What the gold says the page prints is printed on it: the title, kicker and subtitle, and
    every sentence of the convention body (whitespace and character width aside)."""
    record = _record(path)
    html = decode((PAGES / f"{path.stem}.html").read_bytes()).text
    printed = _flat(LexborHTMLParser(html).root.text(deep=True))
    for field in ("title", "kicker", "subtitle"):
        if record[field]:
            assert _flat(record[field]) in printed, f"{field} {record[field]!r} is not on the page"
    missing = [
        piece
        for line in record["body_convention"].split("\n")
        for piece in re.split(r"[。！？]", _flat(line))
        if len(piece) >= 8 and piece not in printed
    ]
    if path.stem in _SPLIT_ON_PAGE:
        assert len(missing) == 1, _SPLIT_ON_PAGE[path.stem]
    else:
        assert not missing, f"body sentences not on the page: {missing[:3]}"


def test_no_two_pages_are_the_same_bytes():
    hashes = [_record(p)["sha256"] for p in RECORDS]
    assert len(set(hashes)) == len(hashes)


def test_both_license_texts_ship_with_the_corpus_and_the_readme_credits_them():
    assert "MIT License" in LICENSES["MIT"].read_text("utf-8")
    assert "Copyright (c) 2022 Elwin" in LICENSES["MIT"].read_text("utf-8")
    assert "Apache License" in LICENSES["Apache-2.0"].read_text("utf-8")
    readme = (CORPUS / "README.md").read_text("utf-8")
    for name in ("immortal-autumn/Chinese-Web-Content-Extraction-Dataset", "opendatalab/magic-html"):
        assert name in readme
    for path in LICENSES.values():
        assert f"LICENSES/{path.name}" in readme
