"""Region tags from the cpca gazetteer: the counties a story is about, and no false tags from words."""

from __future__ import annotations

from parsers.research.gazetteer import divisions
from parsers.research.regions import tag_regions
from tests import research_corpus as rc


def _counties(tags) -> dict[str, int]:
    return {t.county: t.score for t in tags if t.level == "county"}


def _primary(tags):
    return next(t for t in tags if t.is_primary)


def test_gazetteer_comes_from_the_package_with_adcodes() -> None:
    d = divisions()
    assert (
        d["620525"].name == "张家川回族自治县"
        and d["620525"].city == "天水市"
        and d["620525"].province == "甘肃省"
    )
    assert d["652928"].city == "阿克苏地区"
    assert len([x for x in d.values() if x.level == "county"]) > 2800


def test_each_seed_story_is_tagged_with_its_county_as_primary() -> None:
    cases = [
        (rc.tianshui_original(), "620525", "张家川回族自治县"),
        (rc.yongdeng(), "620121", "永登县"),
        (rc.farm_copy(), "530626", "绥江县"),
        (rc.awati(), "652928", "阿瓦提县"),
        (rc.qinan_visit(), "620522", "秦安县"),
    ]
    for article, adcode, county in cases:
        primary = _primary(tag_regions(article.title, article.body, article.source))
        assert (primary.adcode, primary.county) == (adcode, county), article.url


def test_a_story_about_a_visit_names_every_county_visited() -> None:
    a = rc.qinan_visit()
    counties = _counties(tag_regions(a.title, a.body))
    assert set(counties) == {"秦安县", "清水县", "张家川回族自治县"}
    assert counties["秦安县"] > counties["清水县"]


def test_title_mentions_weigh_more_than_body_mentions() -> None:
    tags = tag_regions("甘谷县召开推进会", "会议还邀请了武山县代表。")
    assert _counties(tags) == {"甘谷县": 3, "武山县": 1}


def test_short_name_clear_water_as_a_word_is_not_the_county() -> None:
    # 清水 is 清水县 (天水市) but also "clear water"; 天水 city context must not turn the word into a tag.
    tags = tag_regions("天水市秦州区开展河道清理", "秦州区组织干部清理河道垃圾，还群众一池清水，让清水长流。")
    assert "清水县" not in _counties(tags)
    assert "秦州区" in _counties(tags)


def test_short_name_counts_once_the_article_names_the_county_itself() -> None:
    tags = tag_regions("清水县召开民族团结进步创建推进会", "会上，清水各乡镇汇报了创建工作。")
    assert tags[0].county == "清水县" and tags[0].title_mentions == 1 and tags[0].body_mentions == 1


def test_two_character_county_names_inside_other_words_are_not_tags() -> None:
    # 成县 (陇南市) hides in 完成县级, 新县 (信阳市) in 新县城, 文县 in 人文县域.
    tags = tag_regions("", "陇南市信阳市全面完成县级示范创建，新县城建设提速，人文县域经济发展。")
    assert not {"成县", "新县", "文县"} & set(_counties(tags))


def test_two_character_county_name_with_its_city_named_is_a_tag() -> None:
    assert "成县" in _counties(tag_regions("陇南市成县举办民族团结进步宣讲", ""))


def test_a_name_several_places_share_needs_context() -> None:
    assert "朝阳区" not in _counties(tag_regions("", "朝阳区开展宣讲活动。"))
    tags = tag_regions("", "北京市朝阳区开展宣讲活动。")
    assert [t.adcode for t in tags if t.county == "朝阳区"] == ["110105"]


def test_source_field_counts_as_evidence() -> None:
    tags = tag_regions("全县民族团结进步创建工作推进会召开", "会议总结了工作。", "张家川县融媒体中心")
    assert _primary(tags).county == "张家川回族自治县" and _primary(tags).source_mentions == 1


def test_no_places_no_tags() -> None:
    assert tag_regions("铸牢中华民族共同体意识", "各族群众手足相亲、守望相助。") == []
