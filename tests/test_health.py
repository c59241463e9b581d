"""Site health from the runs table: stale sites, failing sites, and a template-change alarm."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.cli import main
from warehouse.db import connect
from warehouse.health import county_silence, site_health

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def add_run(
    con, site: str, hours_ago: float, fetched: int, failures: dict[str, int], status="completed"
) -> None:
    started = NOW - timedelta(hours=hours_ago)
    con.execute(
        "INSERT INTO runs (run_id, flow, site, started_at, finished_at, status, inputs, counts) "
        "VALUES (?, 'crawl', ?, ?, ?, ?, '', ?)",
        [f"{site}-{hours_ago}", site, started, started + timedelta(minutes=5), status,
         json.dumps({"fetched": fetched, "unchanged": 0, "failures": failures})],
    )  # fmt: skip


@pytest.fixture
def runs_db(db_path: Path) -> Path:
    con = connect(db_path)
    for h in (96, 72, 48, 24):  # a healthy site
        add_run(con, "tianshui", h, 40, {"fetch: HTTP 404": 1})
    add_run(con, "tianshui", 1, 40, {})
    for h in (96, 72, 48, 24):  # a site whose template changed in the last run
        add_run(con, "yunnan", h, 30, {})
    add_run(con, "yunnan", 1, 30, {"parse: yunnan: no title": 25})
    add_run(con, "xjmty", 100, 10, {})  # nothing since: stale
    con.close()
    return db_path


def test_health_flags_stale_sites_and_template_changes(runs_db: Path) -> None:
    con = connect(runs_db, read_only=True)
    health = {h.site: h for h in site_health(con, now=NOW)}
    assert health["tianshui"].ok
    assert health["tianshui"].top_reasons == ("fetch: HTTP 404",)
    assert any("template" in p for p in health["yunnan"].problems)
    assert health["yunnan"].parse_rate_latest == pytest.approx(25 / 30)
    assert any(p.startswith("stale") for p in health["xjmty"].problems)


def test_stats_check_exits_non_zero_when_a_site_is_unhealthy(runs_db: Path, capsys) -> None:
    assert main(["--db", str(runs_db), "stats", "--check", "--max-age-hours", "1000000"]) == 1
    captured = capsys.readouterr()
    assert "Health of crawled sites" in captured.out
    assert "yunnan" in captured.err and "xjmty" not in captured.err
    assert main(["--db", str(runs_db), "stats"]) == 0  # without --check it only reports


def add_article(con, url: str, published: datetime, county: str | None = None, origin: str = "http") -> None:
    con.execute(
        "INSERT INTO articles (url, site, parser_version, published_at, first_seen, last_seen) "
        "VALUES (?, 'generic', 1, ?, ?, ?)",
        [url, published, published, published],
    )
    con.execute(
        "INSERT INTO pages (url, sha256, site, origin, status, outcome, parser) "
        "VALUES (?, ?, 'generic', ?, 200, 'article', 'generic')",
        [url, url[-8:], origin],
    )
    if county:
        adcode = {"庄浪县": "620825", "静宁县": "620826", "泾川县": "620821", "灵台县": "620822"}[county]
        con.execute(
            "INSERT INTO article_regions (url, adcode, level, province, city, county, title_mentions, "
            "source_mentions, body_mentions, score, is_primary) "
            "VALUES (?, ?, 'county', '甘肃省', '平凉市', ?, 1, 0, 2, 5, true)",
            [url, adcode, county],
        )


def test_a_county_whose_stories_stopped_is_flagged_while_its_site_goes_on(db_path: Path, capsys) -> None:
    now = datetime.now(UTC)
    con = connect(db_path)
    for i in range(50):  # a city paper: a story every two days; one county in two until 60 days ago
        day = now - timedelta(days=1 + 2 * i)
        county = "庄浪县" if i >= 30 and i % 2 == 0 else "静宁县"
        add_article(con, f"http://p.test/a/{i:08d}", day, county)
    for i in range(12):  # a county known only from loaded archives: not expected to go on
        add_article(con, f"http://p.test/old/{i:08d}", now - timedelta(days=400 + i), "泾川县", origin="file")
    for i in range(6):  # too few stories to know a usual interval
        add_article(con, f"http://p.test/few/{i:08d}", now - timedelta(days=200 + i), "灵台县")
    quiet = county_silence(con, now=now)
    assert [c.county for c in quiet] == ["庄浪县"]
    (zl,) = quiet
    assert (
        zl.articles == 10
        and zl.usual == timedelta(days=4)
        and zl.quiet.days == 61
        and zl.sites == ("generic",)
    )
    con.close()

    assert main(["--db", str(db_path), "stats", "--check"]) == 1
    captured = capsys.readouterr()
    assert "Counties gone quiet" in captured.out and "庄浪县" in captured.out
    assert "county 庄浪县 (620825) silent: nothing published about it for 61 days, 15x" in captured.err
    assert "静宁县" not in captured.err and "泾川县" not in captured.err


def test_a_site_quiet_for_five_times_its_usual_gap_is_flagged(db_path: Path) -> None:
    con = connect(db_path)
    add_run(con, "zhuanglang", 1, 10, {})
    con.execute(
        "INSERT INTO list_pages (site, list_url, page_no, url, walk, fetched_at, outcome) "
        "VALUES ('zhuanglang', 'http://z.test/col/', 1, 'http://z.test/col/', 'crawl', ?, 'ok')",
        [NOW],
    )
    con.execute(
        "INSERT INTO pages (url, sha256, site, origin, status, outcome, parser) "
        "VALUES ('http://z.test/col/', 'l1', 'generic', 'http', 200, 'not_article', 'generic')"
    )
    for i in range(10):  # a story every three days, the newest 40 days ago
        add_article(con, f"http://z.test/art/{i:08d}", NOW - timedelta(days=40 + 3 * i))
    (health,) = site_health(con, now=NOW)
    assert health.usual_interval == timedelta(days=3)
    assert [p for p in health.problems if p.startswith("silent")] == [
        "silent: nothing published for 40 days, 13x its usual 3-day interval"
    ]
    con.close()
