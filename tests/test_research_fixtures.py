"""Clusters over the fixture corpus: real pages of copies and originals, loaded like `regionews load`.

Skipped until fixture pages exist. Precision counts, over all multi-article clusters, the members
whose place is justified by what the pages say (a copy naming the original by URL or title, an
identical body, or the same story under the same title); recall counts the copies whose original
is in the corpus that did land with it.
"""

from __future__ import annotations

import pytest

from flows.enrich import run_enrich
from parsers.process import process_pages
from parsers.research.clusters import title_key, url_key
from tests.fixture_cases import all_cases
from warehouse.db import connect
from warehouse.writer import write_batch


def _pages():
    pages = []
    for case in all_cases():
        if case.expected.get("not_article"):
            continue
        pages.append(case.page())
        pages.extend(case.continuation_pages())
    return pages


PAGES = _pages()


@pytest.fixture(scope="module")
def fixture_warehouse(tmp_path_factory):
    if not PAGES:
        pytest.skip("no fixture pages yet (fixtures/<site>/*.html)")
    con = connect(tmp_path_factory.mktemp("fx") / "fixtures.duckdb")
    write_batch(con, process_pages(PAGES))
    run_enrich(con)
    yield con
    con.close()


def _articles(con) -> dict[str, dict]:
    rows = con.execute(
        "SELECT a.url, a.site, a.title, a.is_copy, a.content_hash, a.original_url, a.original_title, "
        "m.cluster_id, m.role, c.original_url AS chosen FROM articles a "
        "JOIN cluster_members m USING (url) JOIN clusters c USING (cluster_id)"
    ).fetchall()
    cols = ["url", "site", "title", "is_copy", "content_hash", "original_url", "original_title", "cluster",
            "role", "chosen"]  # fmt: skip
    return {r[0]: dict(zip(cols, r, strict=True)) for r in rows}


def _justified(member: dict, original: dict) -> bool:
    if member["content_hash"] == original["content_hash"]:
        return True
    if member["original_url"] and url_key(member["original_url"]) == url_key(original["url"]):
        return True
    if member["original_title"] and title_key(member["original_title"]) == title_key(original["title"]):
        return True
    if title_key(member["title"]) == title_key(original["title"]) and (
        member["is_copy"] or original["is_copy"]
    ):
        return True
    # Two copies of one story (mirrors of the same page) name the same original.
    return bool(member["original_url"]) and member["original_url"] == original["original_url"]


def test_cluster_precision_on_the_fixture_corpus(fixture_warehouse) -> None:
    articles = _articles(fixture_warehouse)
    members = [a for a in articles.values() if a["role"] != "original"]
    if not members:
        pytest.skip("no copies among the fixture pages yet")
    wrong = [(m["url"], m["chosen"]) for m in members if not _justified(m, articles[m["chosen"]])]
    precision = 1 - len(wrong) / len(members)
    print(f"cluster precision on fixtures: {precision:.3f} ({len(members) - len(wrong)}/{len(members)})")
    assert precision == 1.0, wrong


def test_copies_cluster_with_their_fetched_originals(fixture_warehouse) -> None:
    articles = _articles(fixture_warehouse)
    by_key = {url_key(u): a for u, a in articles.items()}
    by_title = {title_key(a["title"]): a for a in articles.values() if not a["is_copy"]}
    expected = []
    for a in articles.values():
        if not a["is_copy"]:
            continue
        target = by_key.get(url_key(a["original_url"])) if a["original_url"] else None
        target = target or (by_title.get(title_key(a["original_title"])) if a["original_title"] else None)
        if target:
            expected.append((a, target))
    if not expected:
        pytest.skip("no copy in the fixtures has its original among them yet")
    missed = [(a["url"], t["url"]) for a, t in expected if a["cluster"] != t["cluster"]]
    assert not missed
    assert all(articles[t["url"]]["role"] == "original" for _, t in expected)  # the outlet's page is chosen


def test_different_stories_of_one_site_stay_apart(fixture_warehouse) -> None:
    articles = _articles(fixture_warehouse)
    clusters: dict[str, list[dict]] = {}
    for a in articles.values():
        clusters.setdefault(a["cluster"], []).append(a)
    for members in clusters.values():
        originals = [m for m in members if not m["is_copy"]]
        titles = {(m["site"], title_key(m["title"])) for m in originals}
        sites = [site for site, _ in titles]
        assert len(sites) == len(set(sites)), f"two different stories of one site clustered: {titles}"


def test_mirrors_of_one_unfetched_original_form_one_cluster_naming_it(fixture_warehouse) -> None:
    articles = _articles(fixture_warehouse)
    fetched = {url_key(u) for u in articles}
    by_original: dict[str, set[str]] = {}
    for a in articles.values():
        if a["is_copy"] and a["original_url"] and url_key(a["original_url"]) not in fetched:
            by_original.setdefault(a["original_url"], set()).add(a["cluster"])
    if not by_original:
        pytest.skip("no mirrored story without its original in the fixtures")
    assert all(len(clusters) == 1 for clusters in by_original.values()), by_original
    for original_url, (cluster,) in by_original.items():
        (external,) = fixture_warehouse.execute(
            "SELECT external_original_url FROM clusters WHERE cluster_id = ?", [cluster]
        ).fetchone()
        assert external == original_url
