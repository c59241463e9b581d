"""Bad input that used to break a load (issue 13): each case is recorded with a reason, the rest loads.

Real DuckDB files, real Prefect flows (one test API for the session), inputs written as a user
would have them: a gzip that is not a WARC, a text file named .warc, a WARC cut short at the end
of a three-page story, a page cut inside a character, a path that does not exist.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.check import check
from flows.cli import main
from flows.load import load_flow
from parsers.process import process_pages
from parsers.records import Page
from tests.fixture_cases import FIXTURES
from tests.test_load import TITLE, article_html

# A three-page tianshui story (the fixture pages as the site serves them, GBK).
STORY = "http://www.tianshui.com.cn/news/qa/2023012009421178325.htm"
STORY_PAGES = [
    (STORY, "qa_2023_paginated.html"),
    (STORY.replace(".htm", "_2.htm"), "qa_2023_paginated_p2.html"),
    (STORY.replace(".htm", "_3.htm"), "qa_2023_paginated_p3.html"),
]


def story_warc(gz: bool = True) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, name in STORY_PAGES:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=gb2312")], protocol="HTTP/1.1"
        )
        payload = io.BytesIO((FIXTURES / "tianshui" / name).read_bytes())
        writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))
    return buf.getvalue()


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def reasons(db: Path) -> dict[str, str]:
    return {url.rsplit("/", 1)[-1]: reason for url, reason in rows(db, "SELECT url, reason FROM failures")}


@pytest.mark.usefixtures("prefect_harness")
def test_files_that_are_not_warcs_are_failures_and_the_rest_loads(tmp_path: Path, db_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.html").write_text(article_html("http://www.example-county.cn/news/1.html"), "utf-8")
    (root / "pages.warc.gz").write_bytes(gzip.compress(b"<html>a saved page, gzipped, not a WARC</html>"))
    (root / "notes.warc").write_text("crawl notes\nnot a WARC at all\n", "utf-8")
    (root / "empty.warc").write_bytes(b"")
    (root / "zz_after.html").write_text(article_html("http://www.example-county.cn/news/2.html"), "utf-8")
    counts = load_flow([str(root)], str(db_path), progress=False)
    assert reasons(db_path) == {
        "pages.warc.gz": "load: not a WARC file",
        "notes.warc": "load: not a WARC file",
        "empty.warc": "load: not a WARC file",
    }
    assert counts["articles"] == 2 and counts["failed"] == 3
    assert rows(db_path, "SELECT count(*) FROM articles WHERE title = ?", [TITLE]) == [(2,)]


@pytest.mark.usefixtures("prefect_harness")
@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_warc_cut_short_never_replaces_the_complete_story(tmp_path: Path, db_path: Path, gz: bool) -> None:
    data = story_warc(gz)
    whole = tmp_path / f"whole.warc{'.gz' if gz else ''}"
    whole.write_bytes(data)
    load_flow([str(whole)], str(db_path), progress=False)
    article = "SELECT title, paragraph_count, page_count, body, flags FROM articles WHERE url = ?"
    before = rows(db_path, article, [STORY])
    assert before and before[0][2] == 3  # the whole story, three pages
    pages_before = rows(db_path, "SELECT url, sha256, outcome FROM pages ORDER BY url")

    cut = tmp_path / f"cut.warc{'.gz' if gz else ''}"
    cut.write_bytes(data[: len(data) - 600])  # the download stopped inside page 3
    counts = load_flow([str(cut)], str(db_path), progress=False)
    assert rows(db_path, article, [STORY]) == before
    assert rows(db_path, "SELECT url, sha256, outcome FROM pages ORDER BY url") == pages_before
    got = {u.rsplit("/", 1)[-1]: r for u, r, d in rows(db_path, "SELECT url, reason, detail FROM failures")}
    assert got == {
        "2023012009421178325_3.htm": "load: truncated WARC record",
        "2023012009421178325.htm": "load: story incomplete (a part is truncated)",
        "2023012009421178325_2.htm": "load: story incomplete (a part is truncated)",
    }
    assert counts["articles"] == 0 and counts["failed"] == 3
    # The bytes that arrived are kept with the failures, the missing count is in the detail.
    kept = rows(
        db_path, "SELECT octet_length(body), detail FROM failures WHERE reason LIKE '%truncated WARC%'"
    )
    assert kept[0][0] > 0 and "bytes missing" in kept[0][1]
    assert check(db_path) == {}


@pytest.mark.usefixtures("prefect_harness")
def test_a_cut_short_story_in_a_fresh_warehouse_is_failures_not_a_shorter_article(
    tmp_path: Path, db_path: Path
) -> None:
    data = story_warc()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 600])
    load_flow([str(cut)], str(db_path), progress=False)
    assert rows(db_path, "SELECT count(*) FROM articles") == [(0,)]
    assert main(["--db", str(db_path), "stats"]) == 0  # open failures, by reason, for the user to see
    (whole := tmp_path / "whole.warc.gz").write_bytes(data)
    load_flow([str(whole)], str(db_path), progress=False)
    assert rows(db_path, "SELECT page_count FROM articles WHERE url = ?", [STORY]) == [(3,)]


def test_check_tells_when_an_article_s_page_was_switched_to_failed(db_path: Path, capsys) -> None:
    """What a cut-short WARC did before: the page of a stored article marked failed, check silent."""
    from datetime import UTC, datetime

    from parsers.records import Article, PageResult
    from warehouse.db import connect
    from warehouse.writer import write_batch

    page = Page(url=STORY, body=b"<html>x</html>", fetched_at=datetime(2024, 1, 1, tzinfo=UTC))
    art = Article(
        url=STORY, site="tianshui", parser_version=1, title="t", paragraphs=("p",), page_sha256=page.sha256
    )
    con = connect(db_path)
    write_batch(con, [PageResult(page, "article", "tianshui", 1, article=art)])
    con.execute("UPDATE pages SET outcome = 'failed'")
    con.close()
    problems = check(db_path)
    assert problems["article whose page is marked failed"] == [STORY]


def test_a_page_cut_inside_a_character_is_flagged_truncated() -> None:
    html = (FIXTURES / "xjmty" / "hanchao_short.html").read_bytes()
    url = "https://www.xjmty.com/awtx/2024/11-17/nav-12-Qk3mZ8aT.html"
    end = html.rindex("。".encode()) + 2  # inside the three bytes of the last 。 in the text
    whole = process_pages([Page(url=url, body=html)])[0]
    cut = process_pages([Page(url=url, body=html[:end])])[0]
    assert whole.article is not None and "truncated" not in whole.article.flags
    assert cut.article is not None and "truncated" in cut.article.flags
    gbk = (FIXTURES / "tianshui" / "zjc_2019_seed000.html").read_bytes()
    mid = gbk.index("。".encode("gbk")) + 1
    cut_gbk = process_pages(
        [Page(url="http://www.tianshui.com.cn/news/zjc/201905261112464568.htm", body=gbk[:mid])]
    )
    if cut_gbk[0].article is not None:  # cut that early the page may not be an article at all
        assert "truncated" in cut_gbk[0].article.flags


@pytest.mark.usefixtures("prefect_harness")
def test_load_of_nothing_readable_exits_non_zero(tmp_path: Path, db_path: Path, capsys) -> None:
    assert main(["--db", str(db_path), "load", "-q", str(tmp_path / "no-such-folder")]) == 1
    err = capsys.readouterr().err
    assert "nothing could be read" in err and "Traceback" not in err
    assert reasons(db_path) == {"no-such-folder": "load: no such file or directory"}
    page = tmp_path / "p.html"
    page.write_text(article_html("http://www.example-county.cn/news/7.html"), "utf-8")
    assert main(["--db", str(db_path), "load", "-q", str(page), str(tmp_path / "missing.html")]) == 0
