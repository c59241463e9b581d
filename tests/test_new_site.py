"""`regionews new-site`: a draft spec and fixture stubs from saved pages, never taken as gold unchecked."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from flows.cli import main
from tests import test_fixtures
from tests.fixture_cases import FIXTURES, Case

ARTICLE = "http://www.gsyongjing.gov.cn/yjx/xnyw/art/2025/art_3f9a1c7e5b2d48e6a0c4f81d2b7e9a53.html"
COLUMN = "http://www.gsyongjing.gov.cn/col/col1502/index.html"


@pytest.fixture
def saved(tmp_path: Path) -> list[Path]:
    """Two pages of a Hanweb county portal as a user saves them: the page and its URL beside it."""
    pages = []
    for name, fixture, url in (
        ("xnyw-story.html", "hanweb_yongjing.html", ARTICLE),
        ("column.html", "hanweb_yongjing_list.html", COLUMN),
    ):
        path = tmp_path / "saved" / name
        path.parent.mkdir(exist_ok=True)
        shutil.copyfile(FIXTURES / "yongjing" / fixture, path)
        path.with_name(name + ".url").write_text(url + "\n", "utf-8")
        pages.append(path)
    return pages


def _load_spec(path: Path):
    spec = importlib.util.spec_from_file_location("drafted_site", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_draft_spec_and_fixtures_come_from_saved_pages(saved, tmp_path, capsys):
    root = tmp_path / "project"
    assert main(["new-site", "linxia_yj", *map(str, saved), "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "LinxiaYjParser" in out and "parsers/registry.py" in out

    drafted = _load_spec(root / "parsers" / "sites" / "linxia_yj.py").LinxiaYjParser
    assert drafted.name == "linxia_yj" and drafted.domains == ("gsyongjing.gov.cn",)
    assert drafted.example_urls == (ARTICLE,)
    other = "http://www.gsyongjing.gov.cn/yjx/xnyw/art/2025/art_3f9a1c7e5b2d48e6a0c4f81d2b7e966b.html"
    assert drafted.is_article_page(ARTICLE) and drafted.is_article_page(other)
    assert not drafted.is_article_page(COLUMN)

    folder = root / "fixtures" / "linxia_yj"
    story = json.loads((folder / "xnyw_story.expected.json").read_text("utf-8"))
    assert story["url"] == ARTICLE and "check every value" in story["draft"]
    assert story["title"] == "永靖县“三抓三促”推动黄河三峡文旅融合高质量发展"  # the page's headline
    assert story["published_at"].startswith("2025-05-09T16:27")
    assert (folder / "xnyw_story.html").read_bytes() == saved[0].read_bytes()  # raw bytes as saved
    assert len((folder / "xnyw_story.body.txt").read_text("utf-8").splitlines()) == story["paragraph_count"]
    column = json.loads((folder / "column.expected.json").read_text("utf-8"))
    assert column["not_article"] is True

    case = Case("linxia_yj", "xnyw_story", folder / "xnyw_story.html", story)
    with pytest.raises(AssertionError, match="is a draft"):  # unchecked, it is never a passing fixture
        test_fixtures.test_fixture_parses_as_expected(case)


def test_new_site_refuses_a_taken_name_a_page_without_url_and_overwriting(saved, tmp_path, capsys):
    root = tmp_path / "project"
    assert main(["new-site", "tianshui", str(saved[0]), "--root", str(root)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["new-site", "Bad Name", str(saved[0]), "--root", str(root)]) == 2
    assert "lowercase" in capsys.readouterr().err
    bare = tmp_path / "bare.html"
    bare.write_bytes(b"<html><body><p>x</p></body></html>")
    assert main(["new-site", "bare", str(bare), "--root", str(root)]) == 2
    assert "no URL for this page" in capsys.readouterr().err
    assert main(["new-site", "once", str(saved[0]), "--root", str(root)]) == 0
    assert main(["new-site", "once", str(saved[0]), "--root", str(root)]) == 2
    assert "exists already: nothing written" in capsys.readouterr().err
