"""The HTML report: self-contained, with charts a real browser draws."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.enrich import run_enrich
from flows.html_report import render, write_report
from parsers.records import Article
from tests import research_corpus as rc
from warehouse import crawlstate
from warehouse.db import connect
from warehouse.report_data import ReportData, gather

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture()
def report_data(tmp_path) -> ReportData:
    con = connect(tmp_path / "w.duckdb")
    rc.load(con, [*rc.corpus(), rc.yunnan_original()])
    run_enrich(con)
    data = gather(con)
    con.close()
    return data


def test_report_numbers_come_from_the_warehouse(report_data) -> None:
    assert report_data.headline["articles"] == 7 and report_data.headline["stories"] == 5
    assert report_data.headline["copies_linked"] == 2
    assert {r[:4] for r in report_data.network} == {("tianshui", "tianshui_mirror", "copy", 1),
                                                    ("yunnan", "tftnews", "copy", 1)}  # fmt: skip
    assert any(term == "五结合五防止" for _, term, _ in report_data.slogans)


def test_report_is_self_contained(report_data) -> None:
    page = render(report_data)
    assert page.count("<svg") == 3
    assert not re.search(r"""(src|href)=["']https?://""", page)  # no CDN, no remote fonts or scripts
    assert "张家川回族自治县" in page and "五结合五防止" in page


def test_empty_warehouse_renders_without_charts(tmp_path) -> None:
    con = connect(tmp_path / "w.duckdb")
    run_enrich(con)
    page = render(gather(con))
    assert "No copies linked to originals yet." in page and "<svg" not in page
    assert "No article has been edited or withdrawn" in page


def test_report_lists_what_revisits_found(tmp_path) -> None:
    con = connect(tmp_path / "w.duckdb")
    url = "http://www.gszhuanglang.gov.cn/art/2025/art_0123456789abcdef0123456789abcdef.html"
    story = Article(url=url, site="generic", parser_version=1, title="庄浪县召开安全生产工作会议",
                    paragraphs=("会议要求各部门压实安全生产责任。",))  # fmt: skip
    rc.load(con, [story])
    crawlstate.mark_withdrawn(con, [(url, datetime(2026, 1, 5, tzinfo=UTC), "http 404")])
    page = render(gather(con))
    con.close()
    section = page.split("Changed and withdrawn articles", 1)[1]
    assert "1 withdrawn" in section and "http 404" in section and html.escape(url) in section


def test_browser_draws_every_chart(report_data, tmp_path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(
            "headless check needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)"
        )
    path = write_report(report_data, tmp_path / "report.html")
    profile = tmp_path / "chromium-profile"
    cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom",
           path.as_uri()]  # fmt: skip
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=True).stdout
    shutil.rmtree(profile, ignore_errors=True)
    match = re.search(r'data-rendered="([^"]*)"', dom)
    assert match, "the page's script did not run"
    drawn = json.loads(match.group(1).replace("&quot;", '"'))
    months = len({m for m, _, _ in report_data.monthly})
    assert drawn["chart-monthly"] >= months  # a bar per month with stories
    assert drawn["chart-slogans"] >= len({t for _, t, _ in report_data.slogans})
    assert drawn["chart-network"] == len({(o, c) for o, c, *_ in report_data.network})
