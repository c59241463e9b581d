"""Kill a load mid-write (SIGKILL while its batches are being written), rerun: complete and intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.synthetic import write_corpus

ROOT = Path(__file__).resolve().parent.parent
PAGES = 1500


def _regionews(db: Path, *args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "--db", str(db), *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _count(db: Path, sql: str) -> int | None:
    """A count, or None while a writer holds the file (a reader is locked out then)."""
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute(sql).fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def test_a_killed_load_is_finished_by_the_next_run(prefect_harness, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    corpus = write_corpus(tmp_path / "pages", PAGES)
    db = tmp_path / "wh" / "regionews.duckdb"
    # The subprocesses use this session's Prefect API instead of starting their own (seconds each).
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "REGIONEWS_BATCH_SIZE": "25"}

    victim = _regionews(db, "load", "-q", str(corpus), env=env)
    deadline = time.monotonic() + 180
    stored = None
    while time.monotonic() < deadline and victim.poll() is None:
        stored = _count(db, "SELECT count(*) FROM pages") if db.exists() else None
        if stored and stored >= 100:
            break
        time.sleep(0.02)
    assert victim.poll() is None, f"the load ended before it could be killed: {victim.communicate()}"
    victim.kill()  # SIGKILL: no finally blocks, no atexit, the DuckDB WAL may hold a half batch
    victim.wait(timeout=30)
    killed_at = _count(db, "SELECT count(*) FROM pages")
    assert killed_at is not None and 0 < killed_at < PAGES, killed_at
    assert _count(db, "SELECT count(*) FROM runs WHERE flow = 'load' AND status = 'running'") == 1

    rerun = _regionews(db, "load", "-q", str(corpus), env=env)
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err

    con = duckdb.connect(str(db), read_only=True)
    # The killed run was noticed by the rerun: abandoned, with when; nothing is left `running`.
    assert con.execute(
        "SELECT count(*) FROM runs WHERE status = 'abandoned' AND abandoned_at IS NOT NULL"
    ).fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone() == (0,)
    pages, distinct_pages = con.execute("SELECT count(*), count(DISTINCT url) FROM pages").fetchone()
    articles, distinct = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
    con.close()
    assert pages == distinct_pages == PAGES
    assert articles == distinct == PAGES

    check = subprocess.run(
        [sys.executable, "-m", "flows.cli", "--db", str(db), "check", "--deep"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.strip().endswith(": ok")


def test_ctrl_c_during_a_load_says_rerun_and_the_rerun_finishes(prefect_harness, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    corpus = write_corpus(tmp_path / "pages", 600)
    db = tmp_path / "wh" / "regionews.duckdb"
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "REGIONEWS_BATCH_SIZE": "10"}
    victim = _regionews(db, "load", "-q", str(corpus), env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and victim.poll() is None:
        if (_count(db, "SELECT count(*) FROM pages") or 0) >= 20 if db.exists() else False:
            break
        time.sleep(0.02)
    assert victim.poll() is None, f"the load ended before Ctrl-C: {victim.communicate()}"
    victim.send_signal(signal.SIGINT)  # what Ctrl-C sends
    _out, err = victim.communicate(timeout=120)
    assert victim.returncode == 130, err
    assert "interrupted; rerun to finish" in err and "Traceback" not in err

    rerun = _regionews(db, "load", "-q", str(corpus), env=env)
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert (
        _count(db, "SELECT count(DISTINCT url) FROM articles")
        == _count(db, "SELECT count(*) FROM articles")
        == 600
    )


if __name__ == "__main__":
    pytest.main([__file__, "-q"])
