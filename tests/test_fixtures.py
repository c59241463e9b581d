"""Every fixture page parses to what a person reading the page expects.

One parametrized test per case: adding a site or a page adds no test code.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest

from parsers.records import Article, NotAnArticle
from parsers.registry import by_name, parser_for
from tests.fixture_cases import SEEDS, Case, all_cases

CASES = all_cases()
SCALAR_FIELDS = (
    "title",
    "kicker",
    "source",
    "original_title",
    "original_url",
    "original_source",
    "is_copy",
    "published_precision",
    "published_origin",
)
LIST_FIELDS = ("authors", "editors", "contributors", "reposters")


def _parse(case: Case) -> Article:
    parser = by_name(case.parser)
    more = case.continuation_pages()
    if more:
        return parser.parse_many([case.page(), *more])
    return parser.parse(case.page())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fixture_routes_to_its_parser(case: Case) -> None:
    assert parser_for(case.expected["url"]).name == case.parser


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fixture_parses_as_expected(case: Case) -> None:
    exp = case.expected
    if exp.get("not_article"):
        with pytest.raises(NotAnArticle):
            _parse(case)
        return
    art = _parse(case)
    for name in SCALAR_FIELDS:
        if name in exp:
            assert getattr(art, name) == exp[name], name
    for name in LIST_FIELDS:
        if name in exp:
            assert list(getattr(art, name)) == exp[name], name
    for name in ("published_at", "updated_at"):
        if name in exp:
            want = datetime.fromisoformat(exp[name]) if exp[name] else None
            assert getattr(art, name) == want, name
    if "paragraph_count" in exp:
        assert len(art.paragraphs) == exp["paragraph_count"]
    for flag in exp.get("flags_include", []):
        assert flag in art.flags
    if "image_captions" in exp:
        assert [i.caption for i in art.images if i.caption] == exp["image_captions"]
    text = art.title + "\n" + art.body
    for s in exp.get("must_contain", []):
        assert s in text, f"missing {s!r}"
    for s in exp.get("must_not_contain", []):
        assert s not in text, f"noise left in: {s!r}"
    if case.body_txt.exists():
        assert art.body == case.body_txt.read_text("utf-8").rstrip("\n")


SEEDED = [c for c in CASES if "seed" in c.expected]


def _seed_lines(spec: dict, key: str) -> list[str]:
    lines = (SEEDS / spec["file"]).read_text("utf-8").splitlines()
    first, last = spec[key]
    return [line.strip() for line in lines[first - 1 : last] if line.strip()]


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not beside the checkout")
@pytest.mark.parametrize("case", SEEDED, ids=[c.id for c in SEEDED])
def test_seed_text_extracted_exactly(case: Case) -> None:
    """NFKC of the page text the parser extracted equals the seed's title and body lines.

    `seed` = {"file", "title_lines": [first, last], "body_lines": [first, last]} (1-based,
    inclusive, blank lines ignored). The page's own text (`raw_title`, `raw_paragraphs`) is
    compared, so a mirror's traditional script and pinyin must come through untouched; a
    headline wrapped over two lines is compared with whitespace removed.
    """
    spec = case.expected["seed"]
    art = _parse(case)
    assert art.raw_title is not None and art.raw_paragraphs is not None
    want_title = "".join("".join(_seed_lines(spec, "title_lines")).split())
    assert "".join(_nfkc(art.raw_title).split()) == want_title
    got = [_nfkc(p) for p in art.raw_paragraphs if _nfkc(p)]
    assert got == _seed_lines(spec, "body_lines")
