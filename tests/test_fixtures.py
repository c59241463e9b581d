"""Every fixture page parses to what a person reading the page expects.

One parametrized test per case: adding a site or a page adds no test code. An expected value
is compared as it is, or through a matcher (as yt-dlp's test helper reads them):
`"re:<regex>"` (searched in the value), `"startswith:<text>"`, `"count:<n>"` and `"mincount:<n>"`
(the length of a list); a list of expected values is compared item by item, each item a value
or a matcher. Dates are ISO strings (or matchers over the ISO string).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime

import pytest

from parsers.records import Article, NotAnArticle
from parsers.registry import by_name, parser_for
from tests.fixture_cases import SEEDS, Case, all_cases

CASES = all_cases()
# expected.json keys and how each is read off the article
FIELDS: dict[str, Callable[[Article], object]] = {
    **{
        name: (lambda art, name=name: getattr(art, name))
        for name in (
            "title", "raw_title", "kicker", "subtitle", "source", "original_title", "original_url",
            "original_source", "is_copy", "published_precision", "published_origin", "script", "page_count",
        )
    },
    **{
        name: (lambda art, name=name: list(getattr(art, name) or ()))
        for name in (
            "authors", "editors", "contributors", "reposters", "paragraphs", "raw_paragraphs", "flags",
        )
    },
    "published_at": lambda art: art.published_at.isoformat() if art.published_at else None,
    "updated_at": lambda art: art.updated_at.isoformat() if art.updated_at else None,
    "paragraph_count": lambda art: len(art.paragraphs),
    "image_captions": lambda art: [i.caption for i in art.images if i.caption],
    "image_srcs": lambda art: [i.src for i in art.images],
    "body": lambda art: art.body,
}  # fmt: skip


def matches(value: object, want: object) -> bool:
    """Whether `value` is what an expected.json entry asks for (see the module docstring)."""
    if isinstance(want, str) and isinstance(value, list | tuple | str | None):
        kind, _, arg = want.partition(":")
        if kind in ("count", "mincount") and arg.isdigit() and isinstance(value, list | tuple):
            return len(value) == int(arg) if kind == "count" else len(value) >= int(arg)
        if kind == "re" and arg:
            return value is not None and re.search(arg, str(value)) is not None
        if kind == "startswith" and arg:
            return isinstance(value, str) and value.startswith(arg)
    if isinstance(want, list) and isinstance(value, list | tuple):
        return len(value) == len(want) and all(matches(v, w) for v, w in zip(value, want, strict=True))
    if isinstance(want, str) and isinstance(value, str) and want[:1].isdigit() and "T" in want:
        return datetime.fromisoformat(value) == datetime.fromisoformat(want)  # same instant, any offset
    return value == want


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
    assert "draft" not in exp, f"{case.id} is a draft from `regionews new-site`: {exp['draft']}"
    if exp.get("not_article"):
        with pytest.raises(NotAnArticle):
            _parse(case)
        return
    art = _parse(case)
    for name, read in FIELDS.items():
        if name in exp:
            value = read(art)
            assert matches(value, exp[name]), f"{name}: got {value!r}, expected {exp[name]!r}"
    for flag in exp.get("flags_include", []):
        assert flag in art.flags
    text = art.title + "\n" + art.body
    for s in exp.get("must_contain", []):
        assert s in text, f"missing {s!r}"
    for s in exp.get("must_not_contain", []):
        assert s not in text, f"noise left in: {s!r}"
    if case.body_txt.exists():
        assert art.body == case.body_txt.read_text("utf-8").rstrip("\n")


def test_expected_keys_are_known() -> None:
    """A misspelt key would check nothing: every key of every expected.json is one the test reads."""
    known = {*FIELDS, "url", "headers", "continuations", "not_article", "seed", "flags_include",
             "must_contain", "must_not_contain", "notes"}  # fmt: skip
    for case in CASES:
        assert set(case.expected) <= known, f"{case.id}: unknown keys {sorted(set(case.expected) - known)}"


@pytest.mark.parametrize(
    ("value", "want", "ok"),
    [
        ("秦安县融媒体中心", "re:融媒体", True),
        ("秦安县融媒体中心", "re:^融媒体", False),
        ("http://www.lzbs.com.cn/res/1.jpg", "startswith:http://www.lzbs.com.cn/res/", True),
        (["a", "b"], "count:2", True),
        (["a", "b"], "mincount:3", False),
        (["http://a/1.jpg", "x"], ["startswith:http://a/", "x"], True),
        (["http://a/1.jpg"], ["startswith:http://b/"], False),
        (None, "re:.", False),
        ("2015-03-24T00:00:00+08:00", "2015-03-23T16:00:00+00:00", True),
        ("count:2", "count:2", True),  # a literal value still equals itself
    ],
)
def test_matchers(value: object, want: object, ok: bool) -> None:
    assert matches(value, want) is ok


SEEDED = [c for c in CASES if "seed" in c.expected]


def _seed_lines(spec: dict, key: str) -> list[str]:
    lines = (SEEDS / spec["file"]).read_text("utf-8").splitlines()
    first, last = spec[key]
    return [line.strip() for line in lines[first - 1 : last] if line.strip()]


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


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
