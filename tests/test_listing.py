"""Reading what lists articles (script lists, sitemaps, feeds); site sources as data; proxies; revisits."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.fetch import proxy_for
from flows.replica_history import HistorySite, datastore
from flows.sites import SitesError, parse_sites
from parsers.crawlspec import ScriptList
from parsers.listing import ListingError, parse_feed, parse_sitemap, script_entries
from tests.crawl_world import BetaSpec, world_sites_toml
from warehouse import crawlstate
from warehouse.db import connect

DATA = Path(__file__).resolve().parent / "data"
HANWEB = ScriptList("http://www.gszhuanglang.gov.cn/module/web/jpage/dataproxy.jsp", window=10, per_page=10)


def test_a_hanweb_datastore_answer_gives_its_records_links_dates_and_total():
    body = (DATA / "hanweb_dataproxy.xml").read_bytes()
    entries, total = script_entries(body, HANWEB, HANWEB.url, "text/xml; charset=utf-8")
    assert total == 25
    assert len(entries) == 10
    first = entries[0]
    assert first.url == "http://www.gszhuanglang.gov.cn/art/2025/art_89dcad01ac97124a0571b382b612de3a.html"
    assert first.text == "水洛镇召开民族团结进步创建工作推进会情况通报（第1期）"
    assert first.date == datetime(2025, 6, 28, 16, tzinfo=UTC)  # <span>2025-06-29</span>, Shanghai midnight
    # The file is what the replica serves for that window.
    assert body == datastore(HistorySite().script, 1, 10, 10)


def test_script_list_requests_walk_the_windows_and_name_them_in_the_url():
    url, form = HANWEB.request(1)
    assert url.endswith("dataproxy.jsp?startrecord=11&endrecord=20&perpage=10")
    assert form == ()
    assert not HANWEB.exhausted(2, 25) and HANWEB.exhausted(3, 25)
    paged = ScriptList("http://a.test/api/list", method="GET", paging_in="form", start_field="pageNo",
                       end_field=None, size_field="pageSize", offset="page", window=20, format="json",
                       records="data.list", link="url", date="publishTime", total="data.total")  # fmt: skip
    url, form = paged.request(2)
    assert url == "http://a.test/api/list?pageNo=3&pageSize=20" and form == (
        ("pageNo", "3"),
        ("pageSize", "20"),
    )
    answer = {"data": {"total": 2, "list": [
        {"url": "/a/1.html", "publishTime": 1717171200000},
        {"url": "http://a.test/a/2.html", "publishTime": "2024-06-02"},
        {"title": "no link"}]}}  # fmt: skip
    entries, total = script_entries(json.dumps(answer).encode(), paged, "http://a.test/api/list")
    assert total == 2 and [e.url for e in entries] == ["http://a.test/a/1.html", "http://a.test/a/2.html"]
    assert entries[0].date == datetime(2024, 5, 31, 16, tzinfo=UTC)
    with pytest.raises(ListingError):
        script_entries(b"<html>login first</html>", paged, "http://a.test/api/list")


def test_a_gzip_sitemap_index_and_its_sitemaps_are_read():
    site = HistorySite()
    index = parse_sitemap(site._sitemap_index())
    assert len(index.sitemaps) == 2 and index.sitemaps[0].endswith("sitemap-1.xml.gz") and not index.entries
    part = parse_sitemap(gzip.compress(site._sitemap(1)))
    assert len(part.entries) == 25 + 3
    assert part.entries[0].date == datetime(2025, 6, 29, 1, tzinfo=UTC)  # lastmod 2025-06-29T09:00:00+08:00
    with pytest.raises(ListingError):
        parse_sitemap(b"\x1f\x8b\x08 not really gzip")


def test_rss_and_atom_entries_carry_their_dates():
    site = HistorySite()
    rss = parse_feed(site._rss(), "http://www.gszhuanglang.gov.cn/rss/yw.xml")
    assert len(rss) == 8 and all(e.date is not None for e in rss)
    atom = parse_feed(site._atom(), "http://www.gszhuanglang.gov.cn/atom/tzgg.xml")
    assert [e.url for e in atom] == [s.url for s in site.feed_only[2:]]
    assert atom[0].date == datetime(2025, 6, 27, 1, tzinfo=UTC)


def test_a_specs_sources_and_the_operators_revisits_and_proxy_make_one_site():
    class FedSpec(BetaSpec):  # what the site declares: its lists, a feed, robots.txt's sitemaps
        feeds = ("/rss.xml",)
        robots_sitemaps = True

    operator = '[sites.beta]\nproxy = "http://127.0.0.1:3128"\nrevisit = { every_days = 7 }\n'
    toml = world_sites_toml() + operator
    beta = parse_sites(toml, specs=(FedSpec(),)).get("beta")
    assert beta.sources.feeds == ("http://b.test/rss.xml",) and beta.sources.robots_sitemaps
    assert beta.proxy == "http://127.0.0.1:3128"
    assert beta.revisit.every_days == 7 and beta.revisit.fresh_days == 30
    with pytest.raises(SitesError, match=r"revisit\.every_days"):
        parse_sites(toml.replace("every_days = 7", "every_days = 0"), specs=(FedSpec(),))


def test_proxies_come_from_the_site_then_the_environment_minus_no_proxy():
    env = {"http": "http://proxy.test:3128", "https": "proxy.test:3129", "no": "localhost,.gov.cn"}
    assert proxy_for("http://a.test/x", None, env) == "http://proxy.test:3128"
    assert proxy_for("https://a.test/x", None, env) == "http://proxy.test:3129"
    assert proxy_for("http://www.gszhuanglang.gov.cn/x", None, env) is None  # NO_PROXY
    assert proxy_for("http://a.test/x", "http://site.proxy:8080", env) == "http://site.proxy:8080"
    assert proxy_for("http://a.test/x", None, {}) is None


def test_revisits_follow_the_policy(db_path):
    now = datetime(2026, 1, 31, tzinfo=UTC)
    con = connect(db_path)
    ages = {"fresh-checked": (5, 0.2), "fresh-due": (5, 2), "old-due": (100, 40), "old-checked": (100, 10),
            "too-old": (400, 100)}  # fmt: skip
    for key, (age, checked) in ages.items():
        con.execute(
            "INSERT INTO articles (url, site, parser_version, published_at, first_seen, last_seen) "
            "VALUES (?, 'generic', 1, ?, ?, ?)",
            [key, now - timedelta(days=age), now - timedelta(days=age), now - timedelta(days=checked)],
        )
    policy = {"fresh_days": 30, "fresh_every_days": 1, "every_days": 30, "max_age_days": 365}
    assert crawlstate.due_revisits(con, "generic", now=now, **policy) == ["old-due", "fresh-due"]
    crawlstate.mark_withdrawn(con, [("old-due", now, "http 404")])
    assert crawlstate.due_revisits(con, "generic", now=now, **policy) == ["fresh-due"]
    assert len(crawlstate.due_revisits(con, "generic", now=now, everything=True, **policy)) == 5
    # A withdrawn article is looked at again at the slow rate, young or old, so a return is seen.
    crawlstate.mark_withdrawn(con, [("fresh-due", now, "http 410")])
    soon, later = now + timedelta(days=2), now + timedelta(days=31)
    assert crawlstate.due_revisits(con, "generic", now=soon, **policy) == ["fresh-checked"]
    assert {"fresh-due", "old-due"} <= set(crawlstate.due_revisits(con, "generic", now=later, **policy))
    assert crawlstate.mark_checked(con, ["old-due", "fresh-checked"], later) == 1  # one came back
    gone = con.execute("SELECT url FROM articles WHERE withdrawn_at IS NOT NULL")
    assert gone.fetchall() == [("fresh-due",)]
    history = con.execute("SELECT url, reason, withdrawn_at, restored_at FROM article_withdrawals ORDER BY 1")
    assert history.fetchall() == [("fresh-due", "http 410", now, None), ("old-due", "http 404", now, later)]
    kinds = [(r[0], r[3]) for r in crawlstate.changes(con)[1]]
    assert kinds == [("restored", "old-due"), ("withdrawn", "fresh-due"), ("withdrawn", "old-due")]
    con.close()


def test_crawl_check_shows_when_each_sites_revisits_fall_due(db_path, capsys):
    from flows.cli import main
    from flows.replica_history import article_url

    now = datetime.now(UTC)
    con = connect(db_path)
    ages = {"due": (2, 2), "tomorrow": (3, 0.5), "next-month": (100, 10), "retired": (400, 100)}
    for key, (age, checked) in ages.items():
        con.execute(
            "INSERT INTO articles (url, site, parser_version, published_at, first_seen, last_seen) "
            "VALUES (?, 'zhuanglang', 1, ?, ?, ?)",
            [article_url(key, now.date()), now - timedelta(days=age), now - timedelta(days=age),
             now - timedelta(days=checked)],
        )  # fmt: skip
    con.execute(  # an article of the same parser off the site's domains is not the county's
        "INSERT INTO articles (url, site, parser_version, first_seen, last_seen) "
        "VALUES ('http://elsewhere.test/a.html', 'zhuanglang', 1, ?, ?)",
        [now - timedelta(days=5), now - timedelta(days=5)],
    )
    con.close()
    capsys.readouterr()
    assert main(["--db", str(db_path), "crawl", "--check"]) == 0
    out = capsys.readouterr().out
    (line,) = [ln for ln in out.splitlines() if ln.startswith("zhuanglang ") and "revisit" not in ln]
    # articles, past the 365-day limit, due now, by +1d, by +7d, by +30d
    assert line.split()[1:] == ["4", "1", "1", "2", "2", "3"]
