"""One writer at a time: overlapping writer processes and a reader on one warehouse file."""

from __future__ import annotations

import multiprocessing as mp
import time
from datetime import UTC, datetime
from pathlib import Path

from parsers.records import Article, Page, PageResult
from warehouse.db import WarehouseError, connect
from warehouse.queries import run_read_only
from warehouse.session import Warehouse
from warehouse.writer import write_batch

BATCHES = 12
PER_BATCH = 200


def _writer(db: str, worker: int) -> None:
    wh = Warehouse(db, lock_timeout=120, open_wait=120)
    for b in range(BATCHES):
        results = []
        for i in range(PER_BATCH):
            # Every worker also writes the shared rows 0..49: they must end up exactly once.
            n = i if i < 50 else worker * 100_000 + b * PER_BATCH + i
            url = f"http://www.example.cn/news/{n}.html"
            page = Page(
                url=url, body=f"<html>{n}</html>".encode(), fetched_at=datetime(2024, 1, 1, tzinfo=UTC)
            )
            art = Article(url=url, site="generic", parser_version=1, title=f"标题{n}", paragraphs=("正文。",))
            results.append(PageResult(page, "article", "generic", 1, article=art))
        with wh.write() as con:
            write_batch(con, results)


def _reader(db: str, stop: mp.Event, out: mp.Queue) -> None:
    answers = busy = 0
    while not stop.is_set() or answers == 0:
        try:
            run_read_only(db, "SELECT count(*) FROM articles", wait_seconds=30)
            answers += 1
        except WarehouseError as exc:
            busy += 1
            assert "busy" in str(exc)
        time.sleep(0.02)
    out.put((answers, busy))


def test_three_writers_and_a_reader(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    connect(db).close()
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    writers = [ctx.Process(target=_writer, args=(db, w)) for w in range(3)]
    stop = ctx.Event()
    reader = ctx.Process(target=_reader, args=(db, stop, queue))
    reader.start()
    for p in writers:
        p.start()
    for p in writers:
        p.join(timeout=240)
        assert p.exitcode == 0, "a writer failed (a lock error reached it)"
    stop.set()
    reader.join(timeout=60)
    answers, _busy = queue.get(timeout=5)
    assert answers > 0
    con = connect(db, read_only=True)
    total, distinct = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
    assert total == distinct == 50 + 3 * BATCHES * (PER_BATCH - 50)


def test_a_writer_that_waits_too_long_gets_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    holder = Warehouse(db)
    impatient = Warehouse(db, lock_timeout=0.2)
    with holder.write():
        try:
            with impatient.write():
                raise AssertionError("two writers at once")
        except WarehouseError as exc:
            assert "rerun this command" in str(exc)
