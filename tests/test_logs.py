"""Structured logs: one key=value (or JSON) line per page at DEBUG and per run at INFO."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest

from flows import logs
from flows.progress import Progress
from parsers.records import Failure, Page, PageResult

PAGE = Page(url="http://www.example.cn/1.html", body=b"<html/>", fetched_at=datetime(2024, 1, 1, tzinfo=UTC))
BAD = Failure(url="http://www.example.cn/2.html", stage="parse", reason="parse: no title", site="generic")


@pytest.fixture(autouse=True)
def _reset():
    yield
    logs.log.handlers = []
    logs.log.setLevel(logging.NOTSET)


def test_kv_lines_per_page_and_per_run(capsys) -> None:
    logs.setup("DEBUG", "kv")
    logs.page_outcomes("r1", [PageResult(PAGE, "not_article", "generic", 1)], [BAD])
    logs.run_done("load", "r1", "completed", 1.234, {"pages": 2, "reasons": {"parse: no title": 1}})
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3
    assert "event=page run=r1 url=http://www.example.cn/1.html outcome=not_article parser=generic" in lines[0]
    assert 'outcome=failed stage=parse reason="parse: no title"' in lines[1]
    assert "level=info event=run kind=load run=r1 status=completed seconds=1.23 pages=2" in lines[2]


def test_json_lines_keep_nested_counts(capsys) -> None:
    logs.setup("INFO", "json")
    logs.page_outcomes("r1", [], [BAD])  # DEBUG is off: no line
    logs.run_done("crawl", "r2", "failed", 0.5, {"failures": {"fetch: http 500": 3}})
    (line,) = capsys.readouterr().err.splitlines()
    record = json.loads(line)
    assert record["event"] == "run" and record["kind"] == "crawl" and record["status"] == "failed"
    assert record["failures"] == {"fetch: http 500": 3}


def test_no_page_fields_are_built_unless_debug(monkeypatch) -> None:
    logs.setup("INFO")
    built = []
    monkeypatch.setattr(logs, "_emit", lambda *a: built.append(a))
    logs.page_outcomes("r1", [PageResult(PAGE, "not_article", "generic", 1)] * 1000, [BAD])
    assert built == []


def test_progress_without_a_terminal_prints_plain_lines(capsys) -> None:
    bar = Progress(total=None, label="load", every_seconds=0)
    bar.advance(5)
    bar.advance(7)
    bar.close()
    lines = capsys.readouterr().err.splitlines()
    assert lines[:2] and lines[0].startswith("load: 5 pages (") and lines[1].startswith("load: 12 pages (")
    bar = Progress(total=10, label="reparse", every_seconds=60)
    bar.advance(10)
    bar.close()
    assert capsys.readouterr().err.startswith("reparse: 10/10 pages (")


def test_crawl_progress_without_a_terminal_prints_plain_lines_too() -> None:
    import io

    from flows.crawl import SiteReport
    from flows.crawlview import CrawlProgress

    out = io.StringIO()
    view = CrawlProgress(["tianshui"], out=out, every_seconds=0)
    report = SiteReport("tianshui", discovered=12, queued=10, fetched=4, articles_new=3)
    view(report)
    report.status, report.fetched, report.articles_new = "completed", 10, 9
    view(report)
    view.close()
    assert out.getvalue().splitlines() == [
        "crawl tianshui: 4/10 pages, 3 new articles, 0 failures",
        "crawl tianshui: completed, 9 new articles, 0 failures, 0.0s",
    ]
