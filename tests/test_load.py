"""The load flow on bad input: every page parses or lands in failures, the run always finishes."""

from __future__ import annotations

import io
import os
import zlib
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.load import load_flow
from tests.fixture_cases import SEEDS

pytestmark = pytest.mark.usefixtures("prefect_harness")

SEED = (SEEDS / "003_ee5dde9c5cec188f.txt").read_text("utf-8").splitlines()
TITLE = SEED[0]
PARAGRAPHS = SEED[4:9]


def article_html(url: str, charset: str = "utf-8", title: str = TITLE) -> str:
    body = "".join(f"<p>　　{p}</p>" for p in PARAGRAPHS)
    return (
        f'<html><head><meta charset="{charset}"><link rel="canonical" href="{url}">'
        f"<title>{title}_阿瓦提县融媒</title></head><body>"
        '<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>'
        f'<div class="article"><h1>{title}</h1><div class="info">2024.11.17</div>{body}</div>'
        '<div class="footer">版权所有 新ICP备12345678号</div></body></html>'
    )


def png_bytes() -> bytes:
    raw = b"\x00\xff\x00\x00" * 4
    chunk = lambda kind, data: (  # noqa: E731
        len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    )
    ihdr = (2).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def warc_with_corrupt_record(path: Path, url: str) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    payload = io.BytesIO(article_html(url).encode("utf-8"))
    writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))
    path.write_bytes(buf.getvalue() + b"NOT A WARC RECORD\r\n\r\n" + buf.getvalue())


@pytest.fixture
def bad_inputs(tmp_path: Path) -> Path:
    root = tmp_path / "inputs"
    (root / "sub").mkdir(parents=True)
    (root / "good.html").write_text(article_html("http://www.example-county.cn/news/1.html"), "utf-8")
    (root / "empty.html").write_bytes(b"")
    (root / "image.png").write_bytes(png_bytes())
    (root / "notes.txt").write_text("购物清单：苹果、梨。\n明天记得打电话。\n", "utf-8")
    # Declares UTF-8, serves GBK: the title must still come out right.
    wrong = article_html(
        "http://www.example-county.cn/news/2.html", charset="utf-8", title="阿瓦提县召开推进会"
    )
    (root / "sub" / "wrong_charset.html").write_bytes(wrong.encode("gbk"))
    full = article_html("http://www.example-county.cn/news/3.html", charset="gbk").encode("gbk")
    cut = full.index(b"<p>", full.index(b"<p>") + 1) + 40  # mid-paragraph, then mid-tag below
    (root / "sub" / "truncated.html").write_bytes(
        full[:cut] + b"<di" if cut % 2 else full[: cut + 1] + b"<di"
    )
    warc_with_corrupt_record(root / "crawl.warc.gz", "http://www.example-county.cn/news/5.html")
    (root / "dangling.html").symlink_to(root / "gone.html")
    if os.geteuid() != 0:  # root reads everything: the dangling link stands in for it there
        locked = root / "locked.html"
        locked.write_text(article_html("http://www.example-county.cn/news/6.html"), "utf-8")
        locked.chmod(0)
    return root


def test_bad_input_parses_or_fails_with_a_reason_and_the_run_finishes(
    bad_inputs: Path, db_path: Path
) -> None:
    counts = load_flow([str(bad_inputs)], str(db_path), batch_size=3, progress=False)
    con = duckdb.connect(str(db_path), read_only=True)
    titles = dict(con.execute("SELECT url, title FROM articles").fetchall())
    failures = {
        url.rsplit("/", 1)[-1]: (stage, reason)
        for url, stage, reason in con.execute("SELECT url, stage, reason FROM failures").fetchall()
    }
    assert titles["http://www.example-county.cn/news/1.html"] == TITLE
    assert titles["http://www.example-county.cn/news/2.html"] == "阿瓦提县召开推进会"
    assert titles["http://www.example-county.cn/news/5.html"] == TITLE  # the record before the corrupt one
    assert failures["empty.html"] == ("decode", "decode: empty body")
    assert failures["image.png"] == ("decode", "decode: binary content, not a text page")
    assert failures["crawl.warc.gz"] == ("load", "load: corrupt WARC record")
    assert failures["dangling.html"][0] == "load"
    # Everything else either became an article or a failure with a stage and a reason.
    seen = set(titles) | {u for (u,) in con.execute("SELECT url FROM failures").fetchall()}
    for name in ("notes.txt", "truncated.html", "locked.html"):
        if (bad_inputs / name).exists() or (bad_inputs / "sub" / name).exists():
            page_urls = con.execute("SELECT url FROM pages WHERE source_path LIKE ?", [f"%{name}"]).fetchall()
            assert page_urls or any(name in u for u in seen), name
            assert all(u in seen for (u,) in page_urls), name
    assert counts["failed"] == len(failures)
    assert con.execute("SELECT count(*) FROM runs WHERE status = 'completed'").fetchone()[0] == 1


def test_reload_changes_nothing_but_runs_and_keeps_earlier_data(bad_inputs: Path, db_path: Path) -> None:
    good = bad_inputs / "good.html"
    load_flow([str(good)], str(db_path), progress=False)
    con = duckdb.connect(str(db_path))
    snap = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ("pages", "articles")}
    con.close()
    load_flow([str(bad_inputs)], str(db_path), progress=False)
    load_flow([str(bad_inputs)], str(db_path), progress=False)
    con = duckdb.connect(str(db_path), read_only=True)
    tables = ("pages", "articles", "failures")
    after = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    assert all(row in after["articles"] for row in snap["articles"])  # nothing already there is lost
    con.close()
    load_flow([str(bad_inputs)], str(db_path), progress=False)
    con = duckdb.connect(str(db_path), read_only=True)
    assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables} == after
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 4


def test_a_20_mb_page_parses_or_fails_and_the_run_finishes(tmp_path: Path, db_path: Path) -> None:
    url = "http://www.example-county.cn/news/4.html"
    big = article_html(url).replace(
        "</body>", "<div class='junk'>" + "<span>无关</span>" * 1_400_000 + "</div></body>"
    )
    path = tmp_path / "big.html"
    path.write_text(big, "utf-8")
    assert path.stat().st_size > 20_000_000
    counts = load_flow([str(path)], str(db_path), progress=False)
    con = duckdb.connect(str(db_path), read_only=True)
    titles = con.execute("SELECT title FROM articles WHERE url = ?", [url]).fetchall()
    failed = con.execute("SELECT reason, octet_length(body) FROM failures WHERE url = ?", [url]).fetchall()
    assert titles == [(TITLE,)] or (failed and failed[0][1] == path.stat().st_size)
    assert counts["pages"] == 1


def test_db_in_a_missing_folder_is_created(tmp_path: Path) -> None:
    db = tmp_path / "new" / "deeper" / "w.duckdb"
    page = tmp_path / "p.html"
    page.write_text(article_html("http://www.example-county.cn/news/9.html"), "utf-8")
    load_flow([str(page)], str(db), progress=False)
    assert db.exists()
