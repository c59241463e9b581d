"""Lock wait under contention: 3 writer processes x 12 batches x 200 articles + a reader loop.

Run: .venv/bin/python -m bench.contention   (prints per-writer lock wait and the reader's waits)
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from parsers.records import Article, Page, PageResult
from warehouse.db import connect
from warehouse.session import Warehouse
from warehouse.writer import write_batch

WRITERS, BATCHES, PER_BATCH = 3, 12, 200


def _results(worker: int, b: int) -> list[PageResult]:
    out = []
    for i in range(PER_BATCH):
        n = worker * 100_000 + b * PER_BATCH + i
        url = f"http://www.example.cn/news/{n}.html"
        page = Page(url=url, body=f"<html>{n}</html>".encode(), fetched_at=datetime(2024, 1, 1, tzinfo=UTC))
        art = Article(url=url, site="generic", parser_version=1, title=f"标题{n}", paragraphs=("正文。",))
        out.append(PageResult(page, "article", "generic", 1, article=art))
    return out


def _writer(db: str, worker: int, out: mp.Queue) -> None:
    wh = Warehouse(db)
    holds, waits = [], []
    started = time.monotonic()
    for b in range(BATCHES):
        results = _results(worker, b)
        before = wh.lock_waited
        with wh.write() as con:
            t = time.monotonic()
            write_batch(con, results)
            holds.append(time.monotonic() - t)
        waits.append(wh.lock_waited - before)
    out.put((worker, wh.lock_waited, max(waits), statistics.mean(holds), time.monotonic() - started))


def _reader(db: str, stop_at: float, out: mp.Queue) -> None:
    waits = []
    while time.monotonic() < stop_at:
        t = time.monotonic()
        for _ in range(2000):
            try:
                con = connect(db, read_only=True, wait_seconds=0)
                break
            except Exception:
                time.sleep(0.005)
        con.execute("SELECT count(*) FROM articles").fetchone()
        con.close()
        waits.append(time.monotonic() - t)
        time.sleep(0.05)
    out.put(("reader", len(waits), statistics.median(waits), max(waits)))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "w.duckdb")
        connect(db).close()
        ctx = mp.get_context("spawn")
        queue: mp.Queue = ctx.Queue()
        procs = [ctx.Process(target=_writer, args=(db, w, queue)) for w in range(WRITERS)]
        started = time.monotonic()
        for p in procs:
            p.start()
        reader = ctx.Process(target=_reader, args=(db, time.monotonic() + 15, queue))
        reader.start()
        for p in [*procs, reader]:
            p.join()
        rows = [queue.get() for _ in range(WRITERS + 1)]
        print(
            f"{WRITERS} writers x {BATCHES} batches x {PER_BATCH} articles, {time.monotonic() - started:.1f}s"
        )
        for row in sorted(rows, key=str):
            if row[0] == "reader":
                _, n, median, worst = row
                print(f"reader: {n} queries, wait median {median * 1000:.0f} ms, max {worst * 1000:.0f} ms")
            else:
                w, waited, worst, hold, total = row
                print(
                    f"writer {w}: lock wait {waited:.2f}s total ({waited / BATCHES * 1000:.0f} ms/batch, "
                    f"worst {worst * 1000:.0f} ms), batch write {hold * 1000:.0f} ms, run {total:.1f}s"
                )


if __name__ == "__main__":
    main()
