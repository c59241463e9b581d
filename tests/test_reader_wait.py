"""What an analyst sees while loads run: `regionews sql` answers, it does not give up "busy".

Issue 13 reproduced a reader giving up after its 10 s wait while three loads ran at
REGIONEWS_BATCH_SIZE=50. This runs exactly that: three `regionews load` processes, small batches,
and the reader's own code path (`run_read_only` with the CLI's default wait) in a loop. A waiting
reader gets the file before the next write session (warehouse/turns.py), so no query waits
longer than the longest write session of the three loads (each reports it on its run log line)
plus the time to open the file: the bound the README states under "Reliability".
"""

from __future__ import annotations

import json
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
OPEN_MARGIN = 2.5  # seconds: the reader's own poll, open and query on a loaded 2-core machine


def test_sql_answers_while_three_loads_write_small_batches(prefect_harness, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    db = tmp_path / "wh" / "regionews.duckdb"
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "REGIONEWS_BATCH_SIZE": "50",
           "REGIONEWS_LOG_LEVEL": "INFO", "REGIONEWS_LOG_FORMAT": "json"}  # fmt: skip
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
        errs = [p.communicate(timeout=600)[1] for p in loads]
    for p, err in zip(loads, errs, strict=True):
        assert p.returncode == 0, err
    runs = [json.loads(line) for err in errs for line in err.splitlines() if '"event": "run"' in line]
    assert len(runs) == 3, errs
    longest = max(r["longest_session_s"] for r in runs)
    waits.sort()
    print(
        f"reader: {len(waits)} queries, median {waits[len(waits) // 2]:.2f}s, max {waits[-1]:.2f}s; "
        f"longest write session {longest:.2f}s; writers held back for readers "
        f"{sum(r['readers_let_in_s'] for r in runs):.2f}s in all; load average {os.getloadavg()[0]:.1f}"
    )
    assert len(waits) >= 5, "the loads ended before the reader could ask"
    assert gave_up == [], f"{len(gave_up)} of {len(waits)} queries gave up: {gave_up[0]}"
    assert waits[-1] <= longest + OPEN_MARGIN, (
        f"a reader waited {waits[-1]:.2f}s, longest session {longest:.2f}s"
    )
    assert run_read_only(db, "SELECT count(*) FROM articles")[1] == [(3 * PAGES,)]


if __name__ == "__main__":
    pytest.main([__file__, "-q", "-s"])
