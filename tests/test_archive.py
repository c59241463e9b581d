"""The WARC archive: every response is kept, (file, offset) points at it, and a crawl replays as pages."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.archive import WarcArchive, WarcError, iter_warc_pages, read_record

WHEN = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
GBK_PAGE = "<html><head><meta charset=gbk></head><body><h1>张家川县召开推进会</h1></body></html>".encode(
    "gbk"
)


def _write(
    archive: WarcArchive, url: str, status: int = 200, body: bytes = GBK_PAGE, **kw
) -> tuple[str, int]:
    headers = [("Content-Type", "text/html; charset=gbk"), ("ETag", '"abc"'), ("Content-Encoding", "gzip")]
    return archive.write_response(url, status, headers, body, fetched_at=WHEN, reason="OK", **kw)


def test_each_record_is_found_again_at_its_file_and_offset(tmp_path):
    with WarcArchive(tmp_path) as archive:
        spots = [_write(archive, f"http://a.test/news/{i}.htm", body=GBK_PAGE + bytes([i])) for i in range(5)]
    for i, (path, offset) in enumerate(spots):
        page = read_record(path, offset)
        assert page.url == f"http://a.test/news/{i}.htm"
        assert page.body == GBK_PAGE + bytes([i])  # raw bytes, in their own encoding
        assert page.status == 200 and page.fetched_at == WHEN
        assert page.header("etag") == '"abc"' and page.header("content-type") == "text/html; charset=gbk"
        assert page.header("content-encoding") is None  # the body is stored decoded
        assert (page.origin, page.location, page.warc_offset) == ("warc", path, offset)


def test_files_rotate_past_the_size_limit_and_replay_in_full(tmp_path):
    with WarcArchive(tmp_path, max_bytes=2_000) as archive:
        for i in range(40):
            _write(archive, f"http://a.test/news/{i}.htm", body=GBK_PAGE * 5 + str(i).encode())
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) > 3 and files == sorted(archive.files)
    pages = [p for f in files for p in iter_warc_pages(f)]
    assert sorted(p.url for p in pages) == sorted(f"http://a.test/news/{i}.htm" for i in range(40))
    for page in pages:
        assert page.body == GBK_PAGE * 5 + page.url.split("/")[-1].removesuffix(".htm").encode()
        assert read_record(page.location, page.warc_offset).body == page.body


def test_replay_skips_errors_lists_and_robots_unless_asked(tmp_path):
    with WarcArchive(tmp_path) as archive:
        _write(archive, "http://a.test/news/1.htm")
        _write(archive, "http://a.test/news/2.htm", status=500, body=b"oops")
        _write(archive, "http://a.test/news/", role="list")
        _write(archive, "http://a.test/robots.txt", body=b"User-agent: *", role="robots")
        _write(archive, "http://a.test/news/3.htm", requested_url="http://a.test/old/3.htm")
    (path,) = archive.files
    pages = list(iter_warc_pages(path))
    assert [p.url for p in pages] == ["http://a.test/news/1.htm", "http://a.test/old/3.htm"]
    assert pages[1].final_url == "http://a.test/news/3.htm"  # the redirect is remembered
    everything = list(iter_warc_pages(path, include_lists=True, statuses=None))
    assert [p.status for p in everything] == [200, 500, 200, 200, 200]


def test_a_file_cut_mid_record_replays_what_precedes_the_cut(tmp_path):
    with WarcArchive(tmp_path) as archive:
        for i in range(3):
            _write(archive, f"http://a.test/news/{i}.htm")
        _, last = _write(archive, "http://a.test/news/3.htm")
    (path,) = archive.files
    data = Path(path).read_bytes()
    with open(path, "wb") as fh:  # a crawl killed while writing the last record
        fh.write(data[: last + 40])
    seen = []
    with pytest.raises(WarcError, match="unreadable WARC record"):
        for page in iter_warc_pages(path):
            seen.append(page.url)
    assert seen == [f"http://a.test/news/{i}.htm" for i in range(3)]


def test_truncated_responses_are_marked(tmp_path):
    with WarcArchive(tmp_path) as archive:
        path, offset = _write(archive, "http://a.test/big.htm", body=b"x" * 100, truncated=True)
    raw = Path(path).read_bytes()
    assert b"WARC-Truncated: length" in gzip.decompress(raw)
    assert read_record(path, offset).body == b"x" * 100


def test_load_replays_a_redirected_page_under_the_url_the_crawl_asked_for(tmp_path):
    from flows.inputs import iter_warc_pages as replay

    with WarcArchive(tmp_path) as archive:
        path, offset = _write(
            archive, "http://a.test/news/new.htm", requested_url="http://a.test/news/old.htm"
        )
    (page,) = list(replay(Path(path)))
    assert (page.url, page.final_url, page.warc_offset) == (
        "http://a.test/news/old.htm",
        "http://a.test/news/new.htm",
        offset,
    )
    assert page == read_record(path, offset)
