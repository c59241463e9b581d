"""The sites registry: the shipped file is valid, and a broken file fails on load, naming what is wrong."""

from __future__ import annotations

import pytest

from flows.cron import CronError, validate_cron
from flows.sites import DEFAULT_FILE, SitesError, load_sites, parse_sites
from parsers.crawlspec import PagedList, ScriptList
from parsers.generic import GenericParser
from parsers.registry import PARSERS


class AlphaSpec(GenericParser):
    """A site nobody wrote rules for: its spec says where it lives and how it is listed."""

    name = "alpha"
    domains = ("a.test",)
    article_url = r"^http://(www\.)?a\.test/news/\d+\.htm$"
    base_url = "http://a.test"
    lists = (PagedList("/news/", "index_{n}.htm"), PagedList("http://www.a.test/more/"))


class QuietSpec(GenericParser):
    """A spec that declares no way in: read when met, never crawled."""

    name = "quiet"
    domains = ("q.test",)
    article_url = r"^http://q\.test/\d+\.htm$"


SPECS = (AlphaSpec(), QuietSpec())

GOOD = """
[crawler]
contact = "https://example.org/who"

[sites.alpha]
schedule = "*/30 6-22 * * mon-fri"
"""


def test_shipped_sites_file_is_valid_and_every_spec_with_lists_is_a_site():
    registry = load_sites()
    names = [s.name for s in registry.sites]
    assert names == [p.name for p in PARSERS if p.lists or p.sitemaps or p.feeds or p.robots_sitemaps]
    assert {"tianshui", "tianshui_mirror", "lzbs", "tftnews", "xjmty", "yunnan", "zhuanglang"} <= set(names)
    for site in registry.sites:
        assert site.lists and all(site.allows(u) for u in site.lists)
        assert site.allowed_domains == site.spec.domains  # one allow-list: the spec's
        assert site.delay >= 1 and site.concurrency == 1  # polite by default
    assert not registry.get("zhuanglang").enabled  # the replica's site, crawled only on request
    assert "https://" in registry.settings.agent and "regionews" in registry.settings.agent


def test_the_sites_file_holds_no_domains_or_url_patterns():
    text = DEFAULT_FILE.read_text("utf-8")
    for key in ("allowed_domains", "article_pattern", "lists", "base_url", "parser", "pagination"):
        assert not any(line.split("=")[0].strip() == key for line in text.splitlines()), key


def test_a_good_file_loads_with_lists_resolved_against_base_url():
    registry = parse_sites(GOOD, specs=SPECS)
    site = registry.get("alpha")
    assert [s.name for s in registry.sites] == ["alpha"]  # quiet declares no lists: not a site to crawl
    assert site.lists == ("http://a.test/news/", "http://www.a.test/more/")
    assert site.schedule == "*/30 6-22 * * mon-fri" and site.delay == 2.0
    assert site.is_article("http://www.a.test/news/123.htm")
    assert not site.is_article("http://evil.test/news/123.htm")
    assert site.allows("http://sub.a.test/x") and not site.allows("http://nota.test/x")
    assert (
        registry.settings.agent.startswith("regionews/")
        and "https://example.org/who" in registry.settings.agent
    )
    assert registry.select() == (site,)


def test_a_spec_with_lists_is_crawled_with_the_defaults_without_a_table():
    registry = parse_sites('[defaults]\ndelay = 3.5\nschedule = "5 4 * * *"\n', specs=SPECS)
    site = registry.get("alpha")
    assert (site.delay, site.schedule, site.enabled) == (3.5, "5 4 * * *", True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('schedule = "*/30 6-22 * * mon-fri"', 'schedule = "61 * * * *"'), "bad cron schedule"),
        (('schedule = "*/30 6-22 * * mon-fri"', 'schedule = "every hour"'), "bad cron schedule"),
        (("[sites.alpha]", "[sites.alpha]\ndelay = -1"), "delay must be"),
        (("[sites.alpha]", "[sites.alpha]\nenabled = 1"), "enabled must be true or false"),
        (("[sites.alpha]", "[sites.alpha]\nfrequency = 3"), "unknown key(s) ['frequency']"),
        (("[sites.alpha]", '[sites.alpha]\nallowed_domains = ["b.test"]'), "declared by the site's spec"),
        (("[sites.alpha]", "[sites.alpha]\narticle_pattern = '.*'"), "declared by the site's spec"),
        (("[sites.alpha]", "[sites.gamma]"), "no site spec named 'gamma'"),
        (("[sites.alpha]", "[sites.quiet]"), "no site spec named 'quiet'"),
        (("[sites.alpha]", '[[sites]]\nname = "alpha"'), "keyed by name"),
        (
            ('contact = "https://example.org/who"', 'contact = "x"\nuser_agent = "bot"'),
            "must name the contact",
        ),
    ],
)
def test_a_broken_file_fails_on_load_naming_site_and_key(change, message):
    old, new = change
    assert old in GOOD
    with pytest.raises(SitesError) as err:
        parse_sites(GOOD.replace(old, new), "my-sites.toml", SPECS)
    assert message in str(err.value)
    assert "my-sites.toml" in str(err.value)


class BadListSpec(AlphaSpec):
    name = "bad"
    lists = (PagedList("http://elsewhere.test/news/", "index_{n}.htm"),)


class BadPagerSpec(AlphaSpec):
    name = "badpager"
    lists = (PagedList("/news/", "index_2.htm"),)


class BadScriptSpec(AlphaSpec):
    name = "badscript"
    lists = (ScriptList("/proxy.jsp", format="yaml"),)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (BadListSpec(), "is not an http(s) URL on the spec's domains"),
        (BadPagerSpec(), "pagination must be"),
        (BadScriptSpec(), "format must be one of"),
    ],
)
def test_a_spec_whose_lists_cannot_be_walked_fails_on_load_naming_it(spec, message):
    with pytest.raises(SitesError) as err:
        parse_sites("", "my-sites.toml", (spec,))
    assert message in str(err.value) and spec.name in str(err.value)


def test_bad_toml_and_a_missing_file_are_errors(tmp_path):
    with pytest.raises(SitesError, match="not valid TOML"):
        parse_sites("[sites.alpha\nenabled=")
    with pytest.raises(SitesError, match="cannot read sites file"):
        load_sites(tmp_path / "missing.toml")


CRON_CASES = [
    ("0 */6 * * *", True),
    ("17 3 * * *", True),
    ("*/15 8-20 * * 1-5", True),
    ("0 0 1,15 jan,jul sun", True),
    ("@daily", True),
    ("0 0 * * 7", True),
    ("60 * * * *", False),
    ("* 24 * * *", False),
    ("* * 0 * *", False),
    ("* * * 13 *", False),
    ("* * * *", False),
    ("*/0 * * * *", False),
    ("5-1 * * * *", False),
    ("a * * * *", False),
    ("1,,2 * * * *", False),
]


@pytest.mark.parametrize(("expr", "valid"), CRON_CASES)
def test_cron_validator(expr, valid):
    if valid:
        assert validate_cron(expr) == expr
    else:
        with pytest.raises(CronError):
            validate_cron(expr)


def test_cron_validator_agrees_with_prefects_parser():
    from prefect._vendor.croniter import croniter  # what Prefect's CronSchedule will use

    # Never looser than Prefect; stricter only on ranges that run backwards ("5-1"), which croniter wraps.
    for expr, valid in CRON_CASES:
        assert croniter.is_valid(expr) == valid or expr == "5-1 * * * *", expr
