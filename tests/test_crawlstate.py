"""What the crawler asks and records in the warehouse: article versions on a real DuckDB file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from parsers.records import Article, Page, PageResult
from warehouse import crawlstate
from warehouse.db import connect
from warehouse.writer import content_hash, write_batch

FIRST, LATER = datetime(2024, 3, 5, 2, 0, tzinfo=UTC), datetime(2024, 3, 9, 2, 0, tzinfo=UTC)
URL = "http://www.example-county.cn/news/000001.html"


def _result(title: str, body: str, when: datetime) -> PageResult:
    page = Page(url=URL, body=f"<html>{title}{body}</html>".encode(), fetched_at=when)
    art = Article(
        url=URL, site="generic", parser_version=1, title=title, paragraphs=(body,), page_sha256=page.sha256
    )
    return PageResult(page, "article", "generic", 1, article=art)


def test_an_edited_article_keeps_both_texts_as_versions(db_path: Path) -> None:
    con = connect(db_path)
    write_batch(con, [_result("某县召开推进会", "原来的正文。", FIRST)])
    edited = _result("某县召开推进会（更新）", "改过的正文。", LATER)
    fresh = {
        "url": URL, "fetched_at": LATER, "page_sha256": edited.page.sha256,
        "content_hash": content_hash("改过的正文。"), "title": "某县召开推进会（更新）",
        "body": "改过的正文。", "published_at": None, "source": None,
    }  # fmt: skip
    assert crawlstate.record_versions(con, [fresh]) == [URL]
    write_batch(con, [edited])
    assert crawlstate.record_versions(con, [fresh]) == []  # the same text again: no new version
    rows = con.execute(
        "SELECT version, title, body, changed FROM article_versions ORDER BY version"
    ).fetchall()
    con.close()
    assert rows == [
        (1, "某县召开推进会", "原来的正文。", []),
        (2, "某县召开推进会（更新）", "改过的正文。", ["title", "body"]),
    ]
