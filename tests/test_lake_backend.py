"""The DuckLake warehouse backend against a real PostgreSQL catalog: same results as a file,
several writer processes, a writer killed mid-commit, and `sql` locked down to reading."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.cli import main
from parsers.process import process_pages
from tests.fixture_cases import all_cases
from tests.lake_writer import page
from warehouse.db import connect
from warehouse.integrity import sql_problems
from warehouse.session import Warehouse
from warehouse.writer import write_batch

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def lake_address(lake_catalog: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("REGIONEWS_LAKE_DATA", str(tmp_path / "lake-data"))
    return f"ducklake:postgres:{lake_catalog}"


def _fixture_results() -> list:
    return process_pages([case.page() for case in all_cases()])


def _rows(address: str | Path, sql: str) -> list[tuple]:
    con = connect(address, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _problems(address: str) -> dict:
    """What `regionews check` proves with SQL (one row per key, every article with its page)."""
    con = connect(address, read_only=True)
    try:
        return sql_problems(con)
    finally:
        con.close()


def test_file_and_lake_hold_identical_articles_for_the_same_input(lake_address, db_path):
    results = _fixture_results()
    for address in (db_path, lake_address):
        warehouse = Warehouse(address)
        with warehouse.write() as con:
            write_batch(con, results)
            write_batch(con, results)  # a rerun changes nothing, on either backend
        warehouse.close()
    # written_at is when each backend wrote the row, not what it holds
    articles = "SELECT * EXCLUDE (written_at) FROM articles ORDER BY url"
    pages = "SELECT * EXCLUDE (headers, written_at), headers::VARCHAR FROM pages ORDER BY url, sha256"
    file_articles = _rows(db_path, articles)
    assert len(file_articles) >= 30
    assert _rows(lake_address, articles) == file_articles
    assert _rows(lake_address, pages) == _rows(db_path, pages)
    assert _rows(lake_address, "SELECT * FROM failures ORDER BY ALL") == _rows(
        db_path, "SELECT * FROM failures ORDER BY ALL"
    )
    applied = "SELECT version, name FROM schema_migrations ORDER BY version"
    assert _rows(lake_address, applied) == _rows(db_path, applied)


def _writer(address: str, first: int, last: int, batch: int, hosts: int = 1) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.lake_writer", address, str(first), str(last), str(batch), str(hosts)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_three_writer_processes_with_overlapping_batches_store_every_row_once(lake_address):
    connect(lake_address).close()  # migrate once, so the writers race on data, not on the schema
    # 0-179, 120-299, 240-419: every page from 120 on is written by two processes at once.
    procs = [_writer(lake_address, first, first + 180, 30, hosts=3) for first in (0, 120, 240)]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err[-2000:] for _, err in outputs]
    assert _rows(lake_address, "SELECT count(*), count(DISTINCT url) FROM articles") == [(420, 420)]
    assert _rows(lake_address, "SELECT count(*), count(DISTINCT (url, sha256)) FROM pages") == [(420, 420)]
    # Exactly the input: page n's article is the one whose title carries its serial.
    assert _rows(lake_address, "SELECT count(*) FROM articles WHERE title LIKE '%（第%期）'") == [(420,)]
    assert _problems(lake_address) == {}


def test_a_writer_killed_mid_commit_leaves_the_lake_consistent_and_a_rerun_completes(lake_address):
    connect(lake_address).close()
    proc = _writer(lake_address, 0, 400, 40)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # one batch is committed; the next is being written
    assert first.startswith("committed"), proc.stderr.read() if proc.stderr else ""
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    count, distinct = _rows(lake_address, "SELECT count(*), count(DISTINCT url) FROM articles")[0]
    assert count == distinct and count % 40 == 0 and 40 <= count < 400  # whole batches only
    orphans = _rows(
        lake_address, "SELECT count(*) FROM articles a ANTI JOIN pages p ON p.article_url = a.url"
    )
    assert orphans == [(0,)]

    rerun = _writer(lake_address, 0, 400, 40)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err[-2000:]
    assert _rows(lake_address, "SELECT count(*), count(DISTINCT url) FROM articles") == [(400, 400)]
    assert _problems(lake_address) == {}


def test_sql_on_a_lake_reads_and_nothing_else(lake_address, tmp_path, capsys):
    warehouse = Warehouse(lake_address)
    with warehouse.write() as con:
        write_batch(con, process_pages([page(n) for n in range(12)]))
    warehouse.close()
    data = tmp_path / "lake-data"
    files_before = sorted(p.name for p in data.rglob("*"))
    assert main(["--db", lake_address, "sql", "select count(*) from articles", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["count_star()", "12"]

    target = next(data.rglob("*.parquet"))
    attacks = [
        f"COPY (SELECT 'garbage') TO '{target}' (FORMAT csv)",  # overwrite a data file
        f"ATTACH '{tmp_path / 'copy.duckdb'}' AS e",
        "SELECT content FROM read_text('/etc/passwd')",
        "INSTALL httpfs",
        "DELETE FROM articles",
        "SELECT * FROM postgres_query('__ducklake_metadata_lake', 'SELECT nextval(''x'')')",
    ]
    for attack in attacks:
        assert main(["--db", lake_address, "sql", attack]) == 2, attack
        assert "Traceback" not in capsys.readouterr().err
    assert sorted(p.name for p in data.rglob("*")) == files_before
    assert not (tmp_path / "copy.duckdb").exists()
    assert _rows(lake_address, "SELECT count(*) FROM articles") == [(12,)]


def test_migrate_to_copies_a_file_warehouse_into_a_lake_verified(lake_address, db_path, capsys):
    warehouse = Warehouse(db_path)
    with warehouse.write() as con:
        write_batch(con, _fixture_results())
    assert main(["--db", str(db_path), "migrate", "--to", lake_address]) == 0
    out = capsys.readouterr().out
    assert "same in both" in out and "copied" in out
    for table in ("articles", "pages", "failures", "runs", "sites"):
        sql = (
            f"SELECT * FROM {table} ORDER BY ALL"
            if table != "pages"
            else ("SELECT * EXCLUDE (headers), headers::VARCHAR FROM pages ORDER BY url, sha256")
        )
        assert _rows(lake_address, sql) == _rows(db_path, sql), table
    # A second copy would duplicate every row: refused, and the lake is unchanged.
    assert main(["--db", str(db_path), "migrate", "--to", lake_address]) == 2
    assert "already holds rows" in capsys.readouterr().err
    assert _rows(lake_address, "SELECT count(*) FROM articles") == _rows(
        db_path, "SELECT count(*) FROM articles"
    )


def test_dask_workers_commit_load_crawl_and_reparse_batches_into_the_lake(
    prefect_harness, lake_address, db_path, tmp_path, monkeypatch
):
    pytest.importorskip("prefect_dask", reason="prefect-dask is not installed (the optional 'dask' extra)")
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL

    from flows import worker_write
    from flows.crawl import run_crawl
    from flows.load import load_flow
    from flows.reparse import reparse_flow
    from flows.replica import Replica
    from flows.runner import with_runner
    from tests.crawl_world import (
        WORLD_SPECS,
        use_specs,
        world_docs,
        world_registry,
        world_sites_toml,
    )
    from tests.fixture_cases import FIXTURES

    # Worker processes report their task runs to the harness's API (else each starts its own).
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    from parsers import registry as parser_registry

    # The made-up world's site specs, in this process (and on the workers, below).
    monkeypatch.setattr(parser_registry, "PARSERS", (*WORLD_SPECS, *parser_registry.PARSERS))
    for spec in WORLD_SPECS:
        monkeypatch.setitem(parser_registry._BY_NAME, spec.name, spec)
    sites = tmp_path / "sites.toml"
    sites.write_text(world_sites_toml(), "utf-8")
    replica = Replica(world_docs(), world_registry()).start()
    try:
        # The reference: the same inputs into a file, parsed in threads and written by the flow.
        load_flow([str(FIXTURES)], str(db_path), batch_size=4, progress=False)
        run_crawl(
            ["alpha", "beta"],
            db=db_path,
            sites_file=sites,
            connect_to=replica.url,
            warc_dir=tmp_path / "warc-file",
        )
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            with cluster.get_client() as client:
                client.run(use_specs, *WORLD_SPECS)
            env = {"REGIONEWS_TASK_RUNNER": "dask", "REGIONEWS_DASK_ADDRESS": cluster.scheduler_address}
            load_archive = tmp_path / "lake-load-warc"  # the folder every worker writes its load archive to
            counts = with_runner(load_flow, env)(
                [str(FIXTURES)], lake_address, batch_size=4, progress=False, warc_dir=str(load_archive)
            )
            for name, value in env.items():
                monkeypatch.setenv(name, value)  # run_crawl picks the runner from the environment
            reports = run_crawl(
                ["alpha", "beta"],
                db=lake_address,
                sites_file=sites,
                connect_to=replica.url,
                warc_dir=tmp_path / "warc-lake",
            )
            # Make every stored page stale, as a new parser version would: reparse reads them back.
            con = connect(lake_address)
            con.execute(
                "UPDATE pages SET parser_version = parser_version - 1 "
                "WHERE parser IS NOT NULL AND (role IS NULL OR role = 'article') "
                "AND parser NOT IN ('alpha', 'beta')"  # the made-up specs are not in reparse's registry
            )
            con.close()
            reparsed = with_runner(reparse_flow, env)(lake_address, progress=False)
            with cluster.get_client() as client:
                ran = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
                held = client.run(worker_write.connected)  # {worker: lake addresses it committed to}
    finally:
        replica.stop()
    # Every flow's batches were parsed and committed by the worker processes.
    for prefix in ("parse_and_write_batch", "parse_and_write_crawl_batch"):
        assert any(p.startswith(prefix) for p in ran), ran
    assert not any(p.startswith(("parse_batch", "parse_task")) for p in ran), ran
    assert any(addresses == [lake_address] for addresses in held.values()), held
    assert worker_write.connected() == []  # and not by this (the flow's) process
    assert counts["articles"] >= 30
    assert sum(r["articles_new"] for r in reports) == 16 and all(r["status"] == "completed" for r in reports)
    assert reparsed["pages"] >= 40
    # Same rows as the file written by one process (crawl times aside), and nothing stale left.
    articles = (
        "SELECT url, site, title, body, published_at, source, authors, parser_version, page_sha256 "
        "FROM articles ORDER BY url"
    )
    assert _rows(lake_address, articles) == _rows(db_path, articles)
    pages = "SELECT url, outcome, parser, parser_version, article_url, role FROM pages ORDER BY url, sha256"
    assert _rows(lake_address, pages) == _rows(db_path, pages)
    runs = "SELECT flow, status, count(*) FROM runs GROUP BY ALL ORDER BY ALL"
    assert [(f, st) for f, st, _ in _rows(lake_address, runs)] == [
        ("crawl", "completed"), ("load", "completed"), ("reparse", "completed")
    ]  # fmt: skip
    assert _problems(lake_address) == {}
    # Nothing lost: the workers kept every loaded page's bytes in WARC files of their own (one or
    # more per worker process), so reparse read every page back, as on the file.
    assert not [r for r in reparsed["reasons"] if "raw page missing" in r], reparsed["reasons"]
    missing = "SELECT count(*) FROM failures WHERE reason LIKE '%raw page missing%'"
    assert _rows(lake_address, missing) == [(0,)] == _rows(db_path, missing)
    loaded = "SELECT location FROM pages WHERE origin IN ('file', 'warc')"
    locations = {Path(location) for (location,) in _rows(lake_address, loaded)}
    assert len(_rows(lake_address, loaded)) == len(_rows(db_path, loaded)) >= 40
    assert locations and all(p.is_absolute() and p.parent == load_archive for p in locations), locations
    written_by = {int(p.name.split("-")[2]) for p in locations}  # load-<time>-<pid>-<seq>.warc.gz
    assert written_by and os.getpid() not in written_by, written_by  # by the worker processes, not the flow


def test_every_command_works_on_a_lake(prefect_harness, lake_address, tmp_path, monkeypatch, capsys):
    from flows.replica import Replica
    from tests.crawl_world import WORLD_SPECS, registered, world_docs, world_registry, world_sites_toml

    monkeypatch.setenv("REGIONEWS_DATA_DIR", str(tmp_path / "data"))  # the crawl's WARC archive
    sites = tmp_path / "sites.toml"
    sites.write_text(world_sites_toml(), "utf-8")
    replica = Replica(world_docs(), world_registry()).start()
    db = ["--db", lake_address]
    try:
        crawl = [*db, "crawl", "--sites-file", str(sites), "--connect-to", replica.url, "--site", "alpha"]
        with registered(*WORLD_SPECS):  # the made-up world's specs, for the CLI's own load of the file
            assert main(crawl) == 0
    finally:
        replica.stop()
    assert list((tmp_path / "data" / "warc").glob("*.warc.gz"))
    assert main([*db, "load", str(ROOT / "fixtures" / "lzbs")]) == 0
    assert main([*db, "reparse"]) == 0
    assert main([*db, "enrich"]) == 0
    capsys.readouterr()
    assert main([*db, "search", "兰州"]) == 0
    assert "兰州" in capsys.readouterr().out
    assert main([*db, "stats"]) == 0
    assert main([*db, "check", "--deep"]) == 0
    assert main([*db, "export", "--to", str(tmp_path / "snapshot")]) == 0
    assert (tmp_path / "snapshot" / "manifest.json").exists()
    out = capsys.readouterr().out
    assert "ok" in out
    assert _rows(lake_address, "SELECT count(*) > 9 FROM articles") == [(True,)]
    assert _problems(lake_address) == {}
