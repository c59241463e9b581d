"""A waiting reader gets the warehouse before the next write session, however many writers queue.

Three writer processes hold the file in back-to-back sessions (each one second long), handing the
writer lock to each other. A reader polling for a gap waited up to 6.4 s here (several sessions,
load average 9 on 2 cores); with turns (warehouse/turns.py) each read waits for the session in
progress and no more (at most 2.1 s in the same conditions, opening and querying included).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from pathlib import Path

from warehouse import turns
from warehouse.adhoc_sql import run_read_only
from warehouse.db import connect
from warehouse.session import Warehouse

SESSION = 1.0  # seconds each writer holds the file per session
SESSIONS = 8  # per writer
WRITERS = 3


def _writer(db: str, started: mp.Event) -> None:
    wh = Warehouse(db, lock_timeout=300, open_wait=300)
    for n in range(SESSIONS):
        with wh.write() as con:
            started.set()
            con.execute(
                "INSERT INTO sites (name, parser_version, working) VALUES (?, 1, true)",
                [f"{os.getpid()}-{n}"],
            )
            time.sleep(SESSION)


def test_a_reader_waits_one_session_while_three_writers_take_turns(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    connect(db).close()
    ctx = mp.get_context("spawn")
    started = [ctx.Event() for _ in range(WRITERS)]
    writers = [ctx.Process(target=_writer, args=(db, s)) for s in started]
    for p in writers:
        p.start()
    try:
        for s in started:
            assert s.wait(120)
        waits = []
        while len(waits) < 10 and any(p.is_alive() for p in writers):
            t = time.monotonic()
            run_read_only(db, "SELECT count(*) FROM sites", wait_seconds=60)
            waits.append(time.monotonic() - t)
            time.sleep(0.2)
        for p in writers:
            p.join(300)
            assert p.exitcode == 0
    finally:
        for p in writers:
            p.kill()
    assert len(waits) >= 3, "the writers ended before the reader asked"
    # One session in progress (SESSION s), then the reader's turn: never a queue of sessions.
    # The margin is for opening the file and process scheduling on a loaded machine.
    print(f"reader waits: {[round(w, 2) for w in waits]}")
    assert max(waits) < SESSION + 2.5, waits
    (total,) = run_read_only(db, "SELECT count(*) FROM sites")[1][0]
    assert total == WRITERS * SESSIONS


def test_a_dead_readers_announcement_holds_no_writer_back(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    connect(db).close()
    folder = turns.readers_folder(db)
    folder.mkdir()
    (folder / "12345-0").touch()  # left by a reader killed while it waited: nobody holds its flock
    assert turns.waiting_readers(db) == []
    assert not (folder / "12345-0").exists()
    t = time.monotonic()
    with Warehouse(db).write():
        pass
    assert time.monotonic() - t < turns.READER_TURN


def test_a_live_reader_is_let_in_and_a_writer_waits_at_most_its_turn(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    connect(db).close()
    turn = turns.ReaderTurn(db)  # a reader that announced itself and then never opened the file
    try:
        assert turns.waiting_readers(db) == [turn.path]
        waited = turns.let_readers_in(db, limit=0.5)
        assert 0.5 <= waited < 2.0  # bounded: readers cannot starve writers
    finally:
        turn.close()
    assert turns.waiting_readers(db) == []
    assert not turns.writer_active(db)
    with turns.writing(db):
        assert turns.writer_active(db)
