"""Clusters: one per story, the original outlet's page chosen over copies, copies linked even when
the original was never fetched."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from parsers.research.clusters import Edge, Member, build_clusters, url_key

CST = timezone(timedelta(hours=8))
D1, D2 = datetime(2021, 5, 20, 9, tzinfo=CST), datetime(2021, 5, 21, 9, tzinfo=CST)


def _by_member(clusters):
    return {url: c for c in clusters for url in c.members}


def test_every_article_is_in_exactly_one_cluster() -> None:
    members = [Member(f"http://a/{i}", "s", f"t{i}") for i in range(5)]
    clusters = build_clusters(members, [Edge("http://a/0", "http://a/1", "near", 0.8)])
    assert sorted(u for c in clusters for u in c.members) == sorted(m.url for m in members)
    assert len(clusters) == 4


def test_original_outlet_beats_an_earlier_copy() -> None:
    original = Member("http://www.tianshui.com.cn/news/zjc/1.htm", "tianshui", "T", published_at=D2)
    copy = Member(
        "http://www.hadlsm.com/news/zjc/1.htm", "tianshui_mirror", "T", is_copy=True, published_at=D1
    )
    (cluster,) = build_clusters([copy, original], [Edge(copy.url, original.url, "near", 0.9)])
    assert cluster.original_url == original.url
    assert cluster.roles == {original.url: "original", copy.url: "copy"}
    assert cluster.chosen_by == "original outlet beats copies"


def test_earliest_publication_wins_among_originals_and_unknown_dates_come_last() -> None:
    a = Member("http://x/a", "x", "T", published_at=D2)
    b = Member("http://y/b", "y", "T", published_at=D1)
    c = Member("http://z/c", "z", "T")
    (cluster,) = build_clusters([a, b, c], [Edge(a.url, b.url, "near", 0.9), Edge(b.url, c.url, "near", 0.9)])
    assert cluster.members == (b.url, a.url, c.url)
    assert cluster.chosen_by == "earliest published"


def test_mirror_links_to_its_original_by_url_without_any_text_similarity() -> None:
    original = Member("http://www.tianshui.com.cn/news/zjc/2015032409283444201.html", "tianshui", "T")
    mirror = Member(
        "http://m.xuhongcf.com/news/zjc/2015032409283444201.html",
        "tianshui_mirror",
        "T2",
        is_copy=True,
        original_url="https://tianshui.com.cn/news/zjc/2015032409283444201.html/",
    )
    (cluster,) = build_clusters([mirror, original], [])
    assert cluster.original_url == original.url and len(cluster.members) == 2


def test_copies_of_a_never_fetched_original_form_one_cluster_naming_it() -> None:
    orig = "http://www.tianshui.com.cn/news/qa/2021052016395850083.htm"
    m1 = Member(
        "http://www.topointapp.com/news/qa/2021052016395850083.htm",
        "m",
        "T",
        is_copy=True,
        original_url=orig,
        published_at=D2,
    )
    m2 = Member(
        "http://yhg994208.cn/news/qa/2021052016395850083.htm",
        "m",
        "T",
        is_copy=True,
        original_url=orig,
        published_at=D1,
    )
    (cluster,) = build_clusters([m1, m2], [])
    assert cluster.original_url == m2.url  # the earliest copy stands in for the story's text
    assert cluster.external_url == orig
    assert cluster.chosen_by.startswith("copies only") and cluster.chosen_by.endswith("original not fetched")


def test_farm_copy_links_to_the_original_by_its_original_title() -> None:
    original = Member(
        "http://zt.yunnan.cn/system/2025/03/28/1.shtml",
        "yunnan",
        "深入推进民族团结进步示范创建",
        source="云南网",
    )
    farm = Member(
        "https://www.tftnews.com/minsu/1.html",
        "tftnews",
        "深化民族团结进步创建工作",
        is_copy=True,
        original_title="深入推进民族团结进步示范创建",
        original_source="云南网",
    )
    other = Member("http://other/1", "x", "别的稿件")
    clusters = _by_member(build_clusters([farm, original, other], []))
    assert clusters[farm.url] is clusters[original.url]
    assert clusters[farm.url].original_url == original.url
    assert len(clusters[other.url].members) == 1


def test_a_reused_title_needs_the_credited_source_to_agree() -> None:
    a = Member("http://a.cn/1", "a", "民族团结进步创建工作推进会召开", source="甲县融媒体中心")
    b = Member("http://b.cn/1", "b", "民族团结进步创建工作推进会召开", source="乙县融媒体中心")
    farm = Member(
        "https://farm/1",
        "farm",
        "X",
        is_copy=True,
        original_title="民族团结进步创建工作推进会召开",
        original_source="乙县融媒体中心",
    )
    clusters = _by_member(build_clusters([a, b, farm], []))
    assert clusters[farm.url] is clusters[b.url]
    assert clusters[a.url] is not clusters[b.url]


def test_exact_duplicates_cluster_but_short_identical_bodies_do_not() -> None:
    long_a = Member("http://a/1", "a", "T", content_hash="h1", body_chars=900)
    long_b = Member("http://b/1", "b", "T", content_hash="h1", body_chars=900)
    short_a = Member("http://a/2", "a", "图片新闻", content_hash="h2", body_chars=4)
    short_b = Member("http://b/2", "b", "图片新闻", content_hash="h2", body_chars=4)
    clusters = _by_member(build_clusters([long_a, long_b, short_a, short_b], []))
    assert clusters[long_a.url] is clusters[long_b.url]
    assert clusters[long_b.url].roles[long_b.url] == "exact"
    assert clusters[short_a.url] is not clusters[short_b.url]


def test_cluster_ids_do_not_depend_on_input_order() -> None:
    members = [Member(f"http://a/{i}", "s", "t") for i in range(3)]
    edges = [Edge("http://a/0", "http://a/2", "near", 0.9)]
    ids1 = sorted(c.cluster_id for c in build_clusters(members, edges))
    ids2 = sorted(c.cluster_id for c in build_clusters(members[::-1], edges))
    assert ids1 == ids2


def test_url_key_ignores_scheme_www_and_trailing_slash() -> None:
    assert url_key("https://WWW.Tianshui.com.cn/news/zjc/1.htm/") == url_key(
        "http://tianshui.com.cn/news/zjc/1.htm"
    )
