"""What an analyst sees while loads run: `regionews sql` answers, it does not give up "busy".

Issue 13 reproduced a reader giving up after its 10 s wait while three loads ran at
REGIONEWS_BATCH_SIZE=50. This runs exactly that: three `regionews load` processes, small batches,
and the reader's own code path (`run_read_only` with the CLI's default wait) in a loop.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.synthetic import write_corpus
from warehouse.adhoc_sql import run_read_only
from warehouse.db import WarehouseError

ROOT = Path(__file__).resolve().parent.parent
PAGES = 400  # per load
SQL_WAIT = 10.0  # `regionews sql --wait` default


@pytest.mark.xfail(
    reason="a reader's wait is not bounded yet: with issue 12's write sessions, at load ~27 on this "
    "2-core machine, 6 of 231 queries still gave up after 10 s (README, Reliability). Remove this mark "
    "when a reader gets its turn by design.",
    strict=False,
)
def test_sql_answers_while_three_loads_write_small_batches(prefect_harness, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "wh" / "regionews.duckdb"
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "REGIONEWS_BATCH_SIZE": "50"}
    corpora = []
    for n in range(3):
        corpus = write_corpus(tmp_path / f"pages{n}", PAGES)
        for path in corpus.rglob("*.html"):  # distinct URLs per load
            path.write_text(path.read_text("utf-8").replace("example-county.cn", f"county{n}.cn"), "utf-8")
        corpora.append(corpus)
    subprocess.run(  # the warehouse exists before the readers start
        [sys.executable, "-m", "flows.cli", "--db", str(db), "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    loads = [
        subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "--db", str(db), "load", "-q", str(c)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in corpora
    ]
    waits: list[float] = []
    gave_up: list[str] = []
    try:
        while any(p.poll() is None for p in loads):
            started = time.monotonic()
            try:
                run_read_only(db, "SELECT count(*) FROM pages", wait_seconds=SQL_WAIT)
            except WarehouseError as exc:
                gave_up.append(str(exc))
            waits.append(time.monotonic() - started)
            time.sleep(0.05)
    finally:
        for p in loads:
            _out, err = p.communicate(timeout=600)
            assert p.returncode == 0, err
    waits.sort()
    print(f"reader: {len(waits)} queries, median {waits[len(waits) // 2]:.2f}s, max {waits[-1]:.2f}s")
    assert len(waits) >= 5, "the loads ended before the reader could ask"
    assert gave_up == [], f"{len(gave_up)} of {len(waits)} queries gave up: {gave_up[0]}"
    assert run_read_only(db, "SELECT count(*) FROM articles")[1] == [(3 * PAGES,)]


if __name__ == "__main__":
    pytest.main([__file__, "-q", "-s"])
