"""The enrich step on a real DuckDB warehouse: tables a researcher queries, and incremental reruns."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from flows.enrich import run_enrich
from parsers.research.batch import ENRICH_VERSION
from parsers.research.segment import query_tokens
from tests import research_corpus as rc
from warehouse import search
from warehouse.db import connect


@pytest.fixture()
def warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    rc.load(con, [*rc.corpus(), rc.yunnan_original()])
    yield con
    con.close()


def _cluster_of(con, url: str) -> tuple:
    return con.execute(
        "SELECT c.original_url, c.size, c.copies, m.role "
        "FROM cluster_members m JOIN clusters c USING (cluster_id) WHERE m.url = ?",
        [url],
    ).fetchone()


def test_enrich_clusters_copies_with_their_originals(warehouse) -> None:
    report = run_enrich(warehouse)
    assert report.processed == 7
    original, mirror = rc.tianshui_original().url, rc.tianshui_mirror().url
    assert _cluster_of(warehouse, mirror) == (original, 2, 1, "copy")
    assert _cluster_of(warehouse, rc.farm_copy().url) == (rc.yunnan_original().url, 2, 1, "copy")
    assert _cluster_of(warehouse, rc.qinan_visit().url)[1] == 1  # same campaign, different story
    (total,) = warehouse.execute("SELECT sum(size) FROM clusters").fetchone()
    assert total == 7  # every article in exactly one cluster


def test_articles_clean_has_one_row_per_story_with_regions_and_terms(warehouse) -> None:
    run_enrich(warehouse)
    rows = warehouse.execute(
        "SELECT url, county, counties, slogans, cluster_size FROM articles_clean ORDER BY url"
    ).fetchall()
    assert len(rows) == 5
    by_url = {r[0]: r for r in rows}
    zjc = by_url[rc.tianshui_original().url]
    assert zjc[1] == "张家川回族自治县" and "五结合五防止" in zjc[3] and zjc[4] == 2
    assert rc.tianshui_mirror().url not in by_url


def test_views_count_by_day_county_and_month(warehouse) -> None:
    run_enrich(warehouse)
    day = warehouse.execute(
        "SELECT articles FROM daily_counts WHERE day = DATE '2019-05-26' AND county = '张家川回族自治县'"
    ).fetchone()
    assert day == (1,)
    trend = warehouse.execute(
        "SELECT month, county, articles, mentions FROM term_trends WHERE term = '五结合五防止'"
    ).fetchall()
    assert trend == [(date(2019, 5, 1), "张家川回族自治县", 1, 3)]


def test_rerun_does_nothing_and_a_changed_article_is_redone(warehouse) -> None:
    run_enrich(warehouse)
    before = warehouse.execute("SELECT count(*) FROM article_terms").fetchone()
    assert run_enrich(warehouse).processed == 0
    assert warehouse.execute("SELECT count(*) FROM article_terms").fetchone() == before

    changed = replace(rc.awati(), paragraphs=(*rc.awati().paragraphs, "阿瓦提县开展“石榴花开”主题活动。"))
    rc.load(warehouse, [changed])
    assert run_enrich(warehouse).processed == 1
    terms = {
        r[0]
        for r in warehouse.execute("SELECT term FROM article_terms WHERE url = ?", [changed.url]).fetchall()
    }
    assert "石榴花开" in terms


def test_a_newer_parser_version_or_enrich_version_triggers_reprocessing(warehouse) -> None:
    run_enrich(warehouse)
    warehouse.execute("UPDATE articles SET parser_version = 2 WHERE url = ?", [rc.yongdeng().url])
    assert run_enrich(warehouse).processed == 1
    warehouse.execute("UPDATE enrich_state SET enrich_version = ?", [ENRICH_VERSION - 1])
    assert run_enrich(warehouse).processed == 7


def test_a_copy_loaded_after_its_original_joins_the_cluster(tmp_path) -> None:
    con = connect(tmp_path / "w.duckdb")
    rc.load(con, [rc.tianshui_original(), rc.qinan_visit()])
    run_enrich(con)
    rc.load(con, [rc.tianshui_mirror()])
    assert run_enrich(con).processed == 1
    assert _cluster_of(con, rc.tianshui_mirror().url) == (rc.tianshui_original().url, 2, 1, "copy")
    assert con.execute("SELECT count(*) FROM near_duplicates").fetchone() == (1,)


def test_vanished_articles_leave_no_research_rows(warehouse) -> None:
    run_enrich(warehouse)
    warehouse.execute("DELETE FROM articles WHERE url = ?", [rc.awati().url])
    report = run_enrich(warehouse)
    assert report.removed == 1
    for table in ("enrich_state", "article_regions", "article_terms", "search_docs", "cluster_members"):
        assert warehouse.execute(
            f"SELECT count(*) FROM {table} WHERE url = ?", [rc.awati().url]
        ).fetchone() == (0,)


def test_search_ranks_by_bm25_and_filters(warehouse) -> None:
    run_enrich(warehouse)
    hits = search.search(warehouse, query_tokens("民族团结 示范县"))
    assert hits and all(h.score > 0 for h in hits)
    urls = [h.url for h in hits]
    assert rc.tianshui_mirror().url not in urls  # one hit per story: the original stands for its copies
    assert hits[0].url in {rc.tianshui_original().url, rc.yongdeng().url}
    zjc = search.search(warehouse, query_tokens("民族团结"), region="张家川")
    assert {h.url for h in zjc} == {rc.tianshui_original().url, rc.qinan_visit().url}
    since = search.search(warehouse, query_tokens("民族团结"), since=date(2024, 1, 1))
    assert {h.url for h in since} == {rc.awati().url, rc.yunnan_original().url}
    site = search.search(warehouse, query_tokens("绥江"), site="tftnews", collapse=False)
    assert [h.url for h in site] == [rc.farm_copy().url]


def test_search_before_enrich_says_what_to_do(tmp_path) -> None:
    con = connect(tmp_path / "w.duckdb")
    with pytest.raises(search.SearchUnavailable, match="regionews enrich"):
        search.search(con, ["民族"])
