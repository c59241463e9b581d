"""Scale-out: the load flow on a local Dask cluster (2 workers) writes the same rows as on threads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.check import check
from flows.load import load_flow
from flows.runner import RunnerError, task_runner, with_runner
from tests.fixture_cases import FIXTURES

pytest.importorskip("prefect_dask", reason="prefect-dask is not installed (the optional 'dask' extra)")

QUERIES = {
    "articles": "SELECT * EXCLUDE (first_seen, last_seen, written_at) FROM articles ORDER BY url",
    # Where the bytes are differs (each run appends to its own archive file): see check() below.
    "pages": "SELECT * EXCLUDE (location, warc_offset, written_at) FROM pages ORDER BY url, sha256",
    "failures": "SELECT * EXCLUDE (seen_at) FROM failures ORDER BY url, stage",
}


def _rows(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in QUERIES.items()}
    finally:
        con.close()


def test_settings_pick_the_runner() -> None:
    from prefect_dask import DaskTaskRunner

    assert task_runner({}) is None
    assert task_runner({"REGIONEWS_TASK_RUNNER": "thread"}) is None
    runner = task_runner({"REGIONEWS_TASK_RUNNER": "dask", "REGIONEWS_DASK_ADDRESS": "tcp://10.0.0.5:8786"})
    assert isinstance(runner, DaskTaskRunner) and runner.address == "tcp://10.0.0.5:8786"
    with pytest.raises(RunnerError, match="use 'thread'"):
        task_runner({"REGIONEWS_TASK_RUNNER": "ray"})


def test_load_on_a_local_dask_cluster_writes_the_same_rows(prefect_harness, tmp_path: Path) -> None:
    from distributed import LocalCluster

    threads_db = tmp_path / "threads.duckdb"
    dask_db = tmp_path / "dask.duckdb"
    # small batches so the 2 workers both get work
    load_flow([str(FIXTURES)], str(threads_db), batch_size=4, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        flow = with_runner(
            load_flow, {"REGIONEWS_TASK_RUNNER": "dask", "REGIONEWS_DASK_ADDRESS": cluster.scheduler_address}
        )
        counts = flow([str(FIXTURES)], str(dask_db), batch_size=4, progress=False)
        with cluster.get_client() as client:
            ran = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert any(p.startswith("parse") for p in ran), ran  # the parse tasks really ran on the cluster
    assert counts["articles"] > 0
    threads, dask = _rows(threads_db), _rows(dask_db)
    for table in QUERIES:
        assert dask[table] == threads[table], table
    assert check(dask_db, deep=True) == {}  # every page's bytes are in the archive, and hash right
