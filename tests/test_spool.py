"""A notebook holding the warehouse open never costs a run: the run spools, the next writer merges.

The reader is another process with an ordinary `duckdb.connect(..., read_only=True)`, the way
a notebook or the DuckDB CLI holds the file; the crawls are `regionews crawl` against the
replica of the made-up sites, run as a user runs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.replica import Replica
from parsers.records import Page, PageResult
from tests.crawl_world import WORLD_SPECS, registered, world_docs, world_registry, world_sites_toml
from warehouse import spool
from warehouse.db import WarehouseBusy, connect
from warehouse.session import Warehouse
from warehouse.writer import stage, write_batch

HOLD = 60  # seconds the notebook keeps its connection, as the scenario says

READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*) FROM articles").fetchone()[0], flush=True)
time.sleep(float(sys.argv[2]))
"""


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def world_specs():
    """The made-up world's specs in the registry, for the CLI's own load of the sites file."""
    with registered(*WORLD_SPECS):
        yield


@pytest.fixture
def busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIONEWS_BUSY_WAIT", "1")


def test_a_crawl_beside_a_notebook_spools_and_flush_merges_every_article_once(
    prefect_harness, world_specs, busy_wait, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text(world_sites_toml(), "utf-8")
    db = tmp_path / "data" / "regionews.duckdb"
    replica = Replica(world_docs(), world_registry()).start()
    argv = ["--db", str(db), "crawl", "--sites-file", str(sites), "--connect-to", replica.url, "-q"]
    try:
        assert main([*argv, "--site", "alpha"]) == 0
        capsys.readouterr()
        notebook = subprocess.Popen(
            [sys.executable, "-c", READER, str(db), str(HOLD)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert notebook.stdout is not None
            assert notebook.stdout.readline().strip() == "10"  # it has the file open now
            assert main([*argv, "--site", "beta"]) == 0
            out = capsys.readouterr().out
            assert "spooled 6 articles: warehouse busy" in out, out
            assert notebook.poll() is None  # the crawl finished while the notebook held the file
            waiting = spool.summary(db)
            assert waiting.batches >= 2 and waiting.articles == 6  # the batch(es) and the run's rows
            # Spooled work counts as known: a second crawl fetches none of beta's articles again.
            before = len(replica.log)
            assert main([*argv, "--site", "beta"]) == 0
            out = capsys.readouterr().out
            assert "0 pages fetched, 0 new articles" in out and "spooled" not in out, out
            assert not [e.path for e in replica.log[before:] if e.path.endswith(".shtml")]
            # stats and check read beside the notebook and show what is waiting
            assert main(["--db", str(db), "stats"]) == 0
            assert "6 articles" in capsys.readouterr().out
        finally:
            notebook.terminate()  # the notebook closes
            notebook.wait(30)
    finally:
        replica.stop()
    assert _rows(db, "SELECT count(*) FROM articles") == [(10,)]  # beta is not in yet
    assert main(["--db", str(db), "flush"]) == 0
    assert "(6 new articles)" in capsys.readouterr().out
    assert not spool.spool_dir(db).exists()
    assert _rows(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(16, 16)]
    assert _rows(db, "SELECT site, status FROM runs ORDER BY started_at") == [
        ("alpha", "completed"), ("beta", "completed"), ("beta", "completed"),
    ]  # fmt: skip
    assert main(["--db", str(db), "flush"]) == 0
    assert "nothing in the spool" in capsys.readouterr().out
    assert main(["--db", str(db), "check", "--deep"]) == 0, capsys.readouterr().out


def _result(n: int) -> PageResult:
    from datetime import UTC, datetime

    body = f"<html><title>第{n}篇</title></html>".encode()
    page = Page(f"http://a.test/{n}.html", body, fetched_at=datetime(2024, 5, 1, tzinfo=UTC))
    return PageResult(page, "not_article", "generic", 1)


def test_a_batch_merged_before_a_crash_removed_it_is_not_merged_twice(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    connect(db).close()
    kept = spool.put(db, "load", stage([_result(n) for n in range(5)]))
    with Warehouse(db).write() as con:  # merges the spool first
        assert con.execute("SELECT count(*) FROM pages").fetchone() == (5,)
        write_batch(con, [_result(1)])
    assert not kept.path.exists()
    # the same folder comes back (a crash between the commit and the delete): skipped, removed
    again = spool.put(db, "load", stage([_result(n) for n in range(5, 8)]))
    again.path.rename(again.path.with_name(kept.name))
    warehouse = Warehouse(db)
    with warehouse.write() as con:
        assert con.execute("SELECT count(*) FROM pages").fetchone() == (5,)
    assert warehouse.drained.batches == 1 and not spool.pending(db)


def test_a_spool_folder_is_complete_or_absent(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    folder = spool.spool_dir(db)
    (folder / ".tmp-20260101T000000000000Z-1-abcdef").mkdir(parents=True)  # a run killed mid-write
    assert spool.pending(db) == []
    kept = spool.put(db, "load", stage([_result(1)]))
    assert [b.name for b in spool.pending(db)] == [kept.name]
    assert sorted(p.name for p in kept.path.iterdir()) == ["cleared.parquet", "meta.json", "pages.parquet"]


def test_a_writer_gives_up_on_a_held_file_within_its_bound(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    connect(db).close()
    notebook = subprocess.Popen(
        [sys.executable, "-c", READER.replace("articles", "pages"), str(db), "30"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert notebook.stdout is not None and notebook.stdout.readline().strip() == "0"
        warehouse = Warehouse(db, open_wait=0.5)
        with pytest.raises(WarehouseBusy), warehouse.write():
            pass
        assert warehouse.busy
        with warehouse.read() as con:  # reading beside a read-only holder works
            assert con.execute("SELECT count(*) FROM pages").fetchone() == (0,)
    finally:
        notebook.terminate()
        notebook.wait(30)


def test_load_beside_a_notebook_spools_and_the_next_write_command_merges_it(
    prefect_harness, busy_wait, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(__file__).resolve().parent.parent / "fixtures"
    db = tmp_path / "w.duckdb"
    connect(db).close()
    notebook = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(HOLD)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert notebook.stdout is not None and notebook.stdout.readline().strip() == "0"
        assert main(["--db", str(db), "load", "-q", str(root / "lzbs")]) == 0
        assert "spooled 3 articles: warehouse busy" in capsys.readouterr().out
        assert notebook.poll() is None
    finally:
        notebook.terminate()
        notebook.wait(30)
    assert main(["--db", str(db), "load", "-q", str(root / "lzbs")]) == 0  # the next write merges first
    assert not spool.pending(db)
    assert _rows(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(3, 3)]
    assert _rows(db, "SELECT count(*) FROM runs WHERE flow = 'load' AND status = 'completed'") == [(2,)]


def test_reparse_beside_a_notebook_spools_its_batches_and_flush_merges_them(
    busy_wait, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(__file__).resolve().parent.parent / "fixtures"
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "load", "-q", str(root / "lzbs")]) == 0
    with duckdb.connect(str(db)) as con:  # as if the lzbs parser got a new version since
        con.execute("UPDATE pages SET parser_version = parser_version - 1")
        con.execute("UPDATE articles SET parser_version = parser_version - 1, title = 'old title'")
    capsys.readouterr()
    notebook = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(HOLD)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert notebook.stdout is not None and notebook.stdout.readline().strip() == "3"
        assert main(["--db", str(db), "reparse", "-q"]) == 0
        out = capsys.readouterr().out
        assert "reparsed 3 pages" in out and "spooled 3 articles: warehouse busy" in out, out
        assert notebook.poll() is None  # the reader was never disturbed
        waiting = spool.pending(db)
        assert {b.meta["kind"] for b in waiting} == {"reparse"}
        assert sum(b.articles for b in waiting) == 3
    finally:
        notebook.terminate()
        notebook.wait(30)
    # Nothing reached the warehouse while the reader held it.
    assert _rows(db, "SELECT count(*) FROM articles WHERE title = 'old title'") == [(3,)]
    assert _rows(db, "SELECT count(*) FROM runs WHERE flow = 'reparse'") == [(0,)]

    assert main(["--db", str(db), "flush"]) == 0
    assert not spool.pending(db)
    assert _rows(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(3, 3)]
    assert _rows(db, "SELECT count(*) FROM articles WHERE title = 'old title'") == [(0,)]
    ((status, counts),) = _rows(db, "SELECT status, counts FROM runs WHERE flow = 'reparse'")
    assert status == "completed" and '"spooled": 3' in counts
    capsys.readouterr()
    assert main(["--db", str(db), "reparse", "-q"]) == 0  # the spooled reparse counted: nothing left
    assert "reparsed 0 pages" in capsys.readouterr().out


def test_enrich_beside_a_notebook_stops_saying_so_and_writes_nothing(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent / "fixtures"
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "load", "-q", str(root / "lzbs")]) == 0
    notebook = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(HOLD)], stdout=subprocess.PIPE, text=True
    )
    env = {**os.environ, "REGIONEWS_BUSY_WAIT": "1"}
    try:
        assert notebook.stdout is not None and notebook.stdout.readline().strip() == "3"
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", "--db", str(db), "enrich"],
            capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path,
        )  # fmt: skip
        assert notebook.poll() is None
    finally:
        notebook.terminate()
        notebook.wait(30)
    assert done.returncode == 75, done.stderr
    assert done.stderr.startswith(
        "regionews: warehouse busy: nothing written, rerun `regionews enrich` later"
    )
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert _rows(db, "SELECT count(*) FROM runs WHERE flow = 'enrich'") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM enrich_state") == [(0,)]
    # Once the reader is gone, the rerun does the work.
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "--db", str(db), "enrich"],
        capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "enriched 3 new or changed articles" in done.stdout
