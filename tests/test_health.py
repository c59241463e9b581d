"""Site health from the runs table: stale sites, failing sites, and a template-change alarm."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.cli import main
from warehouse.db import connect
from warehouse.health import site_health

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def add_run(
    con, site: str, hours_ago: float, fetched: int, failures: dict[str, int], status="completed"
) -> None:
    started = NOW - timedelta(hours=hours_ago)
    con.execute(
        "INSERT INTO runs VALUES (?, 'crawl', ?, ?, ?, ?, '', ?)",
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
