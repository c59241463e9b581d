"""One writer at a time: overlapping writer processes and a reader on one warehouse file."""

from __future__ import annotations

import multiprocessing as mp
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from parsers.records import Article, Page, PageResult
from warehouse.adhoc_sql import run_read_only
from warehouse.db import WarehouseError, connect
from warehouse.integrity import sql_problems
from warehouse.session import BatchWriter, Warehouse
from warehouse.writer import stage, write_batch

ROOT = Path(__file__).resolve().parent.parent

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


def _batch(first: int, n: int = 20) -> list[PageResult]:
    out = []
    for i in range(first, first + n):
        url = f"http://www.example.cn/news/{i}.html"
        page = Page(url=url, body=f"<html>{i}</html>".encode(), fetched_at=datetime(2024, 1, 1, tzinfo=UTC))
        art = Article(
            url=url, site="generic", parser_version=1, title=f"标题{i}", paragraphs=("正文。",),
            page_sha256=page.sha256,
        )  # fmt: skip
        out.append(PageResult(page, "article", "generic", 1, article=art))
    return out


def test_a_session_takes_several_batches_up_to_its_bound(tmp_path: Path) -> None:
    one = Warehouse(tmp_path / "one.duckdb")
    with BatchWriter(one, seconds=3600, max_bytes=1 << 40) as writer:
        for b in range(10):
            writer.add(stage(_batch(b * 20)))
    assert one.sessions == 1
    assert writer.counts.articles_new == 200
    small = Warehouse(tmp_path / "small.duckdb")
    with BatchWriter(small, seconds=3600, max_bytes=1) as writer:  # every batch is over the bound
        for b in range(10):
            writer.add(stage(_batch(b * 20)))
    assert small.sessions == 10
    con = connect(tmp_path / "one.duckdb", read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone() == (200, 200)


def test_a_bulk_session_writes_every_row_once_and_reopens_clean(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "bulk.duckdb")
    for rerun in range(2):  # sessions big enough to skip the vacuum, then the same again
        with BatchWriter(wh, seconds=3600, max_bytes=1 << 40) as writer:
            for b in range(3):
                writer.add(stage(_batch(b * 1000, 1000)))
        assert (writer.counts.articles_new, writer.counts.articles_updated) == (
            (3000, 0) if not rerun else (0, 3000)
        )
    con = connect(tmp_path / "bulk.duckdb", read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone() == (3000, 3000)
    assert sql_problems(con) == {}


def _killed_mid_session(db: str, ready: mp.Event) -> None:
    wh = Warehouse(db)
    writer = BatchWriter(wh, seconds=3600, max_bytes=1 << 40)
    writer.add(stage(_batch(0)))
    writer.flush()  # session 1: committed
    writer.add(stage(_batch(20)))  # kept for the next session
    with wh.write() as con:  # session 2: lock and file held, a merge under way
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM articles")  # undone: the transaction never commits
        ready.set()
        time.sleep(600)


def test_a_writer_killed_mid_session_loses_only_that_session(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    victim = ctx.Process(target=_killed_mid_session, args=(db, ready))
    victim.start()
    assert ready.wait(120), "the writer never reached its second session"
    victim.kill()  # SIGKILL inside the session: no rollback, no close, no lock release by Python
    victim.join(30)

    con = connect(db, read_only=True)  # the file opens; the unfinished transaction is gone
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (20,)
    con.close()
    wh = Warehouse(db, lock_timeout=5)  # the kernel released the lock with the process
    with BatchWriter(wh) as writer:  # the rerun writes both batches again
        writer.add(stage(_batch(0)))
        writer.add(stage(_batch(20)))
    assert (writer.counts.articles_new, writer.counts.articles_updated) == (20, 20)
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone() == (40, 40)
    assert sql_problems(con) == {}


def _hold_session(db: str, ready: mp.Event, release: mp.Event) -> None:
    with Warehouse(db).write():
        ready.set()
        release.wait(600)


def _sql(db: str, wait: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "--db", db, "sql", "--wait", str(wait), "--format", "csv",
         "SELECT count(*) AS n FROM articles"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_reader_during_a_write_session_waits_or_says_busy_never_a_traceback(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    with Warehouse(db).write() as con:
        write_batch(con, _batch(0))
    ctx = mp.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_session, args=(db, ready, release))
    holder.start()
    try:
        assert ready.wait(120)
        impatient = _sql(db, 1)
        out, err = impatient.communicate(timeout=120)
        assert impatient.returncode == 2 and "busy" in err and "Traceback" not in err, err

        patient = _sql(db, 120)
        assert "busy" in patient.stderr.readline()  # told while it waits ...
        release.set()  # ... and answered once the session ends
        out, err = patient.communicate(timeout=120)
        assert patient.returncode == 0 and out.splitlines() == ["n", "20"], err
        assert "Traceback" not in err
    finally:
        release.set()
        holder.join(60)
