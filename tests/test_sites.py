"""The sites registry: the shipped file is valid, and a broken file fails on load, naming what is wrong."""

from __future__ import annotations

import pytest

from flows.cron import CronError, validate_cron
from flows.sites import DEFAULT_FILE, SitesError, load_sites, parse_sites
from parsers.registry import PARSERS

GOOD = """
[crawler]
contact = "https://example.org/who"

[[sites]]
name = "alpha"
parser = "generic"
base_url = "http://a.test"
lists = ["/news/", "http://www.a.test/more/"]
pagination = "index_{n}.htm"
article_pattern = '^http://(www\\.)?a\\.test/news/\\d+\\.htm$'
allowed_domains = ["a.test"]
schedule = "*/30 6-22 * * mon-fri"
"""


def test_shipped_sites_file_is_valid():
    known = {p.name for p in PARSERS}
    needed = {
        line.split('"')[1]
        for line in DEFAULT_FILE.read_text("utf-8").splitlines()
        if line.startswith("parser")
    }
    if not needed <= known:
        pytest.skip(f"site parsers not merged yet: {sorted(needed - known)}")
    registry = load_sites()
    names = [s.name for s in registry.sites]
    assert {"tianshui", "tianshui_mirror", "lzbs", "tftnews", "xjmty", "yunnan"} <= set(names)
    for site in registry.sites:
        assert site.lists and all(site.allows(u) for u in site.lists)
        assert site.delay >= 1 and site.concurrency == 1  # polite by default
    assert "https://" in registry.settings.agent and "regionews" in registry.settings.agent


def test_a_good_file_loads_with_lists_resolved_against_base_url():
    registry = parse_sites(GOOD)
    site = registry.get("alpha")
    assert site.lists == ("http://a.test/news/", "http://www.a.test/more/")
    assert site.is_article("http://www.a.test/news/123.htm")
    assert not site.is_article("http://evil.test/news/123.htm")
    assert site.allows("http://sub.a.test/x") and not site.allows("http://nota.test/x")
    assert (
        registry.settings.agent.startswith("regionews/")
        and "https://example.org/who" in registry.settings.agent
    )
    assert registry.select() == (site,)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('parser = "generic"', 'parser = "no_such_parser"'), "unknown parser"),
        (("'^http://(www\\.)?a", "'^http://(www\\.?a"), "bad article_pattern regex"),
        (('schedule = "*/30 6-22 * * mon-fri"', 'schedule = "61 * * * *"'), "bad cron schedule"),
        (('schedule = "*/30 6-22 * * mon-fri"', 'schedule = "every hour"'), "bad cron schedule"),
        (('pagination = "index_{n}.htm"', 'pagination = "index_2.htm"'), "pagination must be"),
        (('allowed_domains = ["a.test"]', 'allowed_domains = ["b.test"]'), "not on the allowed domains"),
        (('name = "alpha"', 'name = "Alpha Site"'), "name must be"),
        (('lists = ["/news/", "http://www.a.test/more/"]', "lists = []"), "lists must be"),
        (("[[sites]]", "[[sites]]\ndelay = -1"), "delay must be"),
        (("[[sites]]", "[[sites]]\nfrequency = 3"), "unknown key(s) ['frequency']"),
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
        parse_sites(GOOD.replace(old, new), "my-sites.toml")
    assert message in str(err.value)
    assert "my-sites.toml" in str(err.value)


def test_duplicate_site_names_and_bad_toml_are_errors(tmp_path):
    body = GOOD.split("[[sites]]", 1)[1]
    with pytest.raises(SitesError, match="used twice"):
        parse_sites(GOOD + "\n[[sites]]" + body)
    with pytest.raises(SitesError, match="not valid TOML"):
        parse_sites("[[sites]\nname=")
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
