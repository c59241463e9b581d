"""What the read snapshot costs as the warehouse grows (10k, 100k, 1M articles by default).

At each size: a first publish (every table written whole), a publish with nothing new, a
publish after one write of 500 articles through the writer (250 edited, 250 new), and the
same two queries through the snapshot's views and on the live warehouse. Articles are
synthetic with a realistic size (≈3 KB normalized body plus ≈3 KB raw body, with one page
row and two region rows each): they are inserted by SQL, not through the write path, which
`bench/pipeline.py` measures.

Run: .venv/bin/python -m bench.snapshot [--sizes 10000,100000,1000000] [--dir /tmp/x]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from parsers.records import Article, Page, PageResult
from warehouse.db import connect
from warehouse.snapshot import publish, snapshot_paths
from warehouse.writer import write_batch

# 1,000 CJK characters (≈3 KB) that differ per article, so the columns compress like text, not like copies.
_BODY = (
    "translate(array_to_string(list_transform(range(32), k -> md5(i::VARCHAR || '-' || k::VARCHAR)), ''), "
    "'0123456789abcdef', '民族团结进步创建工作推进会总结阶')"
)


def grow(con: duckdb.DuckDBPyConnection, start: int, stop: int) -> None:
    """Articles start..stop-1 (100 sites, ten years of dates), their pages and two regions each."""
    con.execute(f"""
        INSERT INTO articles (url, site, parser_version, page_sha256, title, raw_title, published_at,
            published_precision, published_origin, source, authors, editors, contributors, reposters,
            is_copy, body, raw_body, paragraph_count, images, script, flags, corrupted_spans, page_count,
            content_hash, first_seen, last_seen)
        SELECT 'http://site' || (i % 100) || '.example.cn/news/' || i || '.html', 'site' || (i % 100), 1,
            md5('p' || i), '县召开民族团结进步创建推进会' || i, '縣召開民族團結進步創建推進會' || i,
            TIMESTAMPTZ '2015-01-01 00:00:00+08' + to_days((i * 7919) % 3650), 'day', 'page',
            '融媒体中心' || (i % 50), ['记者' || (i % 300)], ['编辑' || (i % 20)], [], [], false,
            {_BODY}, {_BODY}, 30, [], 'zh-Hans', ['t2s'], 0, 1, md5('b' || i), now(), now()
        FROM range({start}, {stop}) t(i)
    """)
    con.execute(f"""
        INSERT INTO pages (url, sha256, site, fetched_at, status, origin, location, warc_offset, size,
            outcome, parser, parser_version, article_url)
        SELECT 'http://site' || (i % 100) || '.example.cn/news/' || i || '.html', md5('p' || i),
            'site' || (i % 100), now(), 200, 'http', 'data/warc/regionews-x.warc.gz', i * 9000, 120000,
            'article', 'generic', 1, 'http://site' || (i % 100) || '.example.cn/news/' || i || '.html'
        FROM range({start}, {stop}) t(i)
    """)
    con.execute(f"""
        INSERT INTO article_regions
        SELECT 'http://site' || (i % 100) || '.example.cn/news/' || i || '.html',
            (620500 + (i % 7) * 2 + j)::VARCHAR, 'county', '甘肃省', '天水市', '县' || (i % 7 + j),
            j, 0, 3, 3 + j, j = 0
        FROM range({start}, {stop}) t(i), range(2) r(j)
    """)


def batch(start: int, edited: int = 250, new: int = 250) -> list[PageResult]:
    """One write through the writer: `edited` stored articles with a changed title, `new` new ones."""
    when = datetime.now(UTC)
    out = []
    for i in [*range(start - edited, start), *range(10**9 + start, 10**9 + start + new)]:
        url = f"http://site{i % 100}.example.cn/news/{i}.html"
        page = Page(url=url, body=f"<html>{i} edited</html>".encode(), fetched_at=when)
        art = Article(
            url=url, site=f"site{i % 100}", parser_version=1, title=f"改过的标题{i}",
            paragraphs=("民族团结进步创建工作推进会。" * 60,), page_sha256=page.sha256, published_at=when,
        )  # fmt: skip
        out.append(PageResult(page, "article", f"site{i % 100}", 1, article=art))
    return out


QUERIES = {
    "count by site": "SELECT site, count(*) FROM articles GROUP BY site ORDER BY 2 DESC LIMIT 3",
    "title search": "SELECT count(*) FROM articles WHERE title LIKE '%推进会12345%'",
}


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def query_seconds(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    return {name: timed(lambda sql=sql: con.execute(sql).fetchall())[0] for name, sql in QUERIES.items()}


def read_query_seconds(path: Path) -> dict[str, float]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return query_seconds(con)
    finally:
        con.close()


def run(sizes: list[int], root: Path) -> list[dict]:
    db = root / "regionews.duckdb"
    con = connect(db)
    rows = []
    have = 0
    try:
        for size in sizes:
            grow(con, have, size)
            have = size
            con.execute("CHECKPOINT")
            first, _ = timed(lambda: publish(con, db, full=True))
            nothing, _ = timed(lambda: publish(con, db))
            write_batch(con, batch(size))
            step, inc = timed(lambda: publish(con, db))
            read_path, folder = snapshot_paths(db)
            rows.append(
                {
                    "articles": size,
                    "warehouse_mb": db.stat().st_size / 2**20,
                    "snapshot_mb": sum(p.stat().st_size for p in folder.rglob("*.parquet")) / 2**20,
                    "first_s": first,
                    "nothing_s": nothing,
                    "batch_s": step,
                    "batch_rows": sum(inc.written.values()),
                    "read": read_query_seconds(read_path),
                    "live": query_seconds(con),
                }
            )
            print(rows[-1], flush=True)
    finally:
        con.close()
    return rows


def table(rows: list[dict]) -> str:
    head = (
        "| articles | warehouse MB | snapshot Parquet MB | first publish s | nothing new s | "
        "after 500-article write s | rows copied | count by site: snapshot / live s | "
        "title LIKE: snapshot / live s |\n|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = [
        f"| {r['articles']:,} | {r['warehouse_mb']:.0f} | {r['snapshot_mb']:.0f} | {r['first_s']:.1f} | "
        f"{r['nothing_s']:.2f} | {r['batch_s']:.2f} | {r['batch_rows']} | "
        f"{r['read']['count by site']:.2f} / {r['live']['count by site']:.2f} | "
        f"{r['read']['title search']:.2f} / {r['live']['title search']:.2f} |"
        for r in rows
    ]
    return head + "\n".join(lines)


def sized_main(
    doc: str,
    sizes: str,
    name: str,
    run: Callable[[list[int], Path], list[dict]],
    table: Callable[[list[dict]], str],
) -> None:
    """The command line of a benchmark run at several warehouse sizes (--sizes), in --dir or a temp folder."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--sizes", default=sizes)
    parser.add_argument("--dir", help="where to build the warehouse (default: a temp folder, removed after)")
    args = parser.parse_args()
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix=f"regionews-{name}-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        rows = run([int(s) for s in args.sizes.split(",")], root)
    finally:
        if not args.dir:
            shutil.rmtree(root, ignore_errors=True)
    print(table(rows))


def main() -> None:
    sized_main(__doc__, "10000,100000,1000000", "snapshot", run, table)


if __name__ == "__main__":
    main()
