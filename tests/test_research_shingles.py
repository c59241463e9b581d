"""Near-duplicate detection on real pairs: copies match, different stories of one campaign do not."""

from __future__ import annotations

from parsers.research import shingles
from tests import research_corpus as rc


def test_fold_ignores_punctuation_width_and_spaces() -> None:
    assert shingles.fold("张家川县，“五结合 五防止”(图)\n") == shingles.fold('张家川县,"五结合五防止"（图）')


def test_mirror_copy_is_a_near_duplicate_of_its_original() -> None:
    a, b = rc.tianshui_original().body, rc.tianshui_mirror().body
    assert shingles.exact_jaccard(a, b) >= 0.7
    sa, sb = shingles.signature(a), shingles.signature(b)
    assert shingles.jaccard(sa, sb) >= shingles.NEAR_THRESHOLD


def test_farm_copy_with_seo_intro_is_a_near_duplicate_of_the_original() -> None:
    a, b = rc.yunnan_original().body, rc.farm_copy().body
    assert shingles.jaccard(shingles.signature(a), shingles.signature(b)) >= shingles.NEAR_THRESHOLD


def test_different_stories_of_the_same_campaign_are_far_apart() -> None:
    # Both are Tianshui 民族团结进步创建 stories full of the same formulas, but different stories.
    a, b = rc.tianshui_original().body, rc.qinan_visit().body
    assert shingles.exact_jaccard(a, b) < 0.1
    assert shingles.jaccard(shingles.signature(a), shingles.signature(b)) < 0.2


def test_short_bodies_have_no_signature() -> None:
    assert shingles.signature("图片新闻") is None


def test_signatures_are_stable_across_processes_and_roundtrip_as_bytes() -> None:
    sig = shingles.signature(rc.awati().body)
    assert sig is not None and sig.shape == (shingles.NUM_PERM,)
    assert (shingles.from_bytes(shingles.to_bytes(sig)) == sig).all()
    assert (shingles.signature(rc.awati().body) == sig).all()


def test_near_pairs_finds_copies_only() -> None:
    articles = [
        rc.tianshui_original(),
        rc.tianshui_mirror(),
        rc.qinan_visit(),
        rc.yunnan_original(),
        rc.farm_copy(),
        rc.yongdeng(),
        rc.awati(),
    ]
    sigs = {a.url: shingles.signature(a.body) for a in articles}
    pairs = shingles.near_pairs(sigs, list(sigs), {a.url: a.body for a in articles})
    found = {(a, b) for a, b, _ in pairs}
    expected = {
        tuple(sorted((rc.tianshui_original().url, rc.tianshui_mirror().url))),
        tuple(sorted((rc.yunnan_original().url, rc.farm_copy().url))),
    }
    assert found == expected
    assert all(a < b and shingles.NEAR_THRESHOLD <= s <= 1 for a, b, s in pairs)


def test_candidates_are_settled_on_exact_similarity() -> None:
    # An estimate can land above the threshold by chance; the exact shingle sets decide.
    a, b = rc.tianshui_original(), rc.qinan_visit()
    candidates = [(a.url, b.url, 0.55)]
    assert shingles.verify_pairs(candidates, {a.url: a.body, b.url: b.body}) == []
    m = rc.tianshui_mirror()
    (pair,) = shingles.verify_pairs([(a.url, m.url, 0.4)], {a.url: a.body, m.url: m.body})
    assert pair[2] == round(shingles.exact_jaccard(a.body, m.body), 4) >= shingles.NEAR_THRESHOLD
