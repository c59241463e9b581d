"""Runs that die stay `running` only until the next run notices: then `abandoned`, with when."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from flows.check import check
from warehouse.db import connect
from warehouse.runs import finish_run, start_run

HOLD = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1], timeout=0)
lock.acquire()
print("holding", flush=True)
time.sleep(600)
"""


def run_rows(db: Path) -> dict[str, tuple]:
    con = connect(db, read_only=True)
    try:
        return {r[0]: r[1:] for r in con.execute("SELECT run_id, status, abandoned_at FROM runs").fetchall()}
    finally:
        con.close()


def test_a_run_whose_process_died_is_marked_abandoned_by_the_next(db_path: Path) -> None:
    con = connect(db_path)
    alive_elsewhere = start_run(con, "crawl", "tianshui")
    con.close()
    # Another process holds that run's lock (it is running there), then dies.
    lock_file = db_path.with_name(db_path.name + ".runs") / f"{alive_elsewhere}.alive"
    from warehouse import runs

    runs._ALIVE.pop(alive_elsewhere).release()  # hand the run over to the other process
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock_file)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        con = connect(db_path)
        con.execute(
            "INSERT INTO runs (run_id, flow, started_at, status) VALUES ('old', 'load', now(), 'running')"
        )
        second = start_run(con, "load")  # 'old' (no lock file: from before 0006) is dead
        con.close()
        rows = run_rows(db_path)
        assert rows["old"][0] == "abandoned" and rows["old"][1] is not None
        assert rows[alive_elsewhere] == ("running", None)  # its process is alive: left alone
        assert check(db_path) == {}
    finally:
        holder.kill()
        holder.wait()
    problems = check(db_path)  # read-only: it tells, the next run marks
    assert problems["run died while running (the next run marks it abandoned)"] == [alive_elsewhere]
    con = connect(db_path)
    finish_run(con, second, "completed", {})
    before = time.time()
    start_run(con, "load")
    con.close()
    status, noticed = run_rows(db_path)[alive_elsewhere]
    assert status == "abandoned" and noticed.timestamp() >= before - 1
    assert run_rows(db_path)[second][0] == "completed"
    assert not lock_file.exists()


def test_a_finished_run_leaves_no_lock_behind(db_path: Path) -> None:
    con = connect(db_path)
    run_id = start_run(con, "load")
    folder = db_path.with_name(db_path.name + ".runs")
    assert (folder / f"{run_id}.alive").exists()
    finish_run(con, run_id, "completed", {"pages": 0})
    con.close()
    assert list(folder.iterdir()) == []
    assert run_rows(db_path)[run_id][0] == "completed"
