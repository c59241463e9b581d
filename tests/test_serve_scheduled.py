"""`regionews serve` end to end: a real Prefect server, a schedule that fires, runs that reach the warehouse.

One `regionews serve` process serves three sites of the made-up world against the session's
Prefect server, every request going to a replica on 127.0.0.1:
- alpha is due every minute: its first scheduled run must crawl the replica into the warehouse;
- beta is never due during the test: two runs started at once through the Prefect API must not
  overlap (one run of a site at a time) and the second must write nothing new;
- gamma's host serves nothing: its run fails, and the others go on.
Runs are started right after `serve` registers the deployments, so they overlap the wait for
alpha's minute; the last test stops `serve` as systemd does (SIGTERM).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest

from flows.replica import Replica
from tests.crawl_world import world_docs, world_registry, world_sites_toml
from tests.prefect_server import PrefectServer, client_env
from warehouse.db import connect

REPO = Path(__file__).resolve().parent.parent
ALPHA, BETA = 10, 6  # articles the replica serves for each site (tests/crawl_world.py)
NEVER = "0 0 1 1 *"  # due once a year: only runs started through the API


def served_sites_toml() -> str:
    """Operator settings only: alpha due every minute, beta and gamma never; the shipped sites off.

    What the sites are (hosts, lists, URL patterns) is in their specs, tests/served_specs.py,
    which `serve` and its flow-run processes register through REGIONEWS_SPEC_MODULES.
    """
    return (
        world_sites_toml(delay=0.0)
        + f"""enabled = false

[sites.alpha]
enabled = true
schedule = "* * * * *"

[sites.beta]
enabled = true
schedule = "{NEVER}"

[sites.gamma]
enabled = true
schedule = "{NEVER}"
"""
    )


@dataclass
class Served:
    server: PrefectServer
    process: subprocess.Popen
    db: Path
    out: Path
    err: Path
    replica: Replica
    started: dict[str, list[UUID]] = field(default_factory=dict)  # site -> runs started through the API

    def log(self) -> str:
        return f"serve stdout:\n{self.out.read_text()}\nserve stderr:\n{self.err.read_text()[-4000:]}"


def _client():
    from prefect.client.orchestration import get_client

    return get_client(sync_client=True)


def _deployment_id(name: str, timeout: float, served: Served) -> UUID:
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout
    with _client() as client:
        while time.monotonic() < deadline:
            assert served.process.poll() is None, served.log()
            try:
                return client.read_deployment_by_name(f"crawl/crawl-{name}").id
            except ObjectNotFound:
                time.sleep(0.5)
    raise AssertionError(f"serve did not register crawl-{name} within {timeout:.0f}s\n{served.log()}")


def _wait_final(run_id: UUID, timeout: float, served: Served):
    deadline = time.monotonic() + timeout
    with _client() as client:
        while time.monotonic() < deadline:
            run = client.read_flow_run(run_id)
            if run.state is not None and run.state.is_final():
                return run
            time.sleep(1.0)
        history = [(s.name, s.timestamp.isoformat(), s.message) for s in client.read_flow_run_states(run_id)]
        others = [
            (r.name, r.state_name, r.expected_start_time, r.start_time, r.end_time)
            for r in client.read_flow_runs()
        ]
    raise AssertionError(
        f"flow run {run_id} not finished after {timeout:.0f}s: {history}\nall runs: {others}\n{served.log()}"
    )


def _scheduled_runs(deployment_id: UUID) -> list:
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    with _client() as client:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
        )
    return [r for r in runs if r.auto_scheduled]


def _warehouse(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = connect(db, read_only=True, wait_seconds=60)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def served(prefect_server: PrefectServer, prefect_harness, tmp_path_factory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("served")
    sites = root / "sites.toml"
    sites.write_text(served_sites_toml(), "utf-8")
    db = root / "data" / "regionews.duckdb"
    replica = Replica(world_docs(), world_registry(), lifetime=900).start()
    env = client_env(prefect_server.api_url, root / "prefect-home")
    env["PREFECT_RUNNER_POLL_FREQUENCY"] = "2"  # look for due runs every 2 s (default 10)
    # the served sites' specs, as an operator names a module of private sites
    env["REGIONEWS_SPEC_MODULES"] = "tests.served_specs"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    out, err = root / "serve.out", root / "serve.err"
    regionews = Path(os.environ.get("VIRTUAL_ENV", "")) / "bin" / "regionews"
    if not regionews.exists():
        regionews = Path(__import__("sys").executable).with_name("regionews")
    command = [
        str(regionews),
        "--db",
        str(db),
        "serve",
        "--sites-file",
        str(sites),
        "--connect-to",
        replica.url,
    ]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        # its own session: the test can check that no process of it outlives it
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=stdout, stderr=stderr, start_new_session=True
        )
    result = Served(prefect_server, process, db, out, err, replica)
    try:
        ids = {name: _deployment_id(name, 240, result) for name in ("alpha", "beta", "gamma")}
        with _client() as client:
            # started now so they run while alpha waits for its minute
            for name, times in (("beta", 2), ("gamma", 1)):
                result.started[name] = [
                    client.create_flow_run_from_deployment(ids[name]).id for _ in range(times)
                ]
        yield result
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        replica.stop()


def test_a_due_schedule_crawls_the_replica_into_the_warehouse(served: Served) -> None:
    alpha = _deployment_id("alpha", 10, served)
    deadline = time.monotonic() + 200  # due at the next minute, then a flow-run process starts
    while time.monotonic() < deadline and not _scheduled_runs(alpha):
        time.sleep(1.0)
    runs = _scheduled_runs(alpha)
    assert runs, f"the scheduler created no run of crawl-alpha\n{served.log()}"
    first = min(runs, key=lambda r: r.expected_start_time)
    run = _wait_final(first.id, 240, served)
    assert run.state.type.value == "COMPLETED", f"{run.state}\n{served.log()}"

    urls = [u for (u,) in _warehouse(served.db, "SELECT url FROM articles WHERE url LIKE 'http://a.test/%'")]
    assert len(urls) == ALPHA == len(set(urls))
    rows = _warehouse(
        served.db,
        "SELECT status, counts FROM runs WHERE flow = 'crawl' AND site = 'alpha' ORDER BY started_at",
    )
    assert rows and rows[0][0] == "completed"
    assert json.loads(rows[0][1])["articles_new"] == ALPHA

    # The next due run (started through the API, as the scheduler would) finds nothing new.
    with _client() as client:
        again = client.create_flow_run_from_deployment(alpha).id
    run = _wait_final(again, 240, served)
    assert run.state.type.value == "COMPLETED", f"{run.state}\n{served.log()}"
    (latest,) = _warehouse(
        served.db,
        "SELECT counts FROM runs WHERE flow = 'crawl' AND site = 'alpha' AND status = 'completed' "
        "ORDER BY finished_at DESC LIMIT 1",
    )[0]
    assert json.loads(latest)["articles_new"] == 0 and json.loads(latest)["articles_updated"] == 0
    assert _warehouse(served.db, "SELECT count(*) FROM articles WHERE url LIKE 'http://a.test/%'") == [
        (ALPHA,)
    ]


def test_two_runs_of_one_site_never_overlap(served: Served) -> None:
    runs = [_wait_final(i, 300, served) for i in served.started["beta"]]
    assert [r.state.type.value for r in runs] == ["COMPLETED", "COMPLETED"], served.log()
    first, second = sorted(runs, key=lambda r: r.start_time)
    assert first.end_time <= second.start_time, "two crawls of beta ran at the same time"
    with _client() as client:
        waited = [s.name for s in client.read_flow_run_states(second.id)]
    assert "AwaitingConcurrencySlot" in waited, waited
    # One copy of each article; the second run found them all stored.
    assert _warehouse(
        served.db, "SELECT count(*), count(DISTINCT url) FROM articles WHERE url LIKE 'http://b.test/%'"
    ) == [(BETA, BETA)]
    news = [
        json.loads(c)["articles_new"]
        for (c,) in _warehouse(served.db, "SELECT counts FROM runs WHERE site = 'beta' ORDER BY started_at")
    ]
    assert news == [BETA, 0]


def test_a_failing_site_does_not_stop_the_others(served: Served) -> None:
    (gamma,) = [_wait_final(i, 300, served) for i in served.started["gamma"]]
    assert gamma.state.type.value == "FAILED"
    assert "no list page could be fetched" in (gamma.state.message or ""), gamma.state.message
    assert _warehouse(served.db, "SELECT status FROM runs WHERE site = 'gamma'") == [("failed",)]
    # The same server and serve process went on with the other sites.
    assert served.process.poll() is None, served.log()
    beta = [_wait_final(i, 300, served) for i in served.started["beta"]]
    assert all(r.state.type.value == "COMPLETED" for r in beta)


def test_stopping_serve_stops_cleanly(served: Served) -> None:
    beta = _deployment_id("beta", 10, served)
    with _client() as client:
        # 10 s between requests: still crawling when the signal comes, however fast the machine
        in_flight = client.create_flow_run_from_deployment(beta, parameters={"delay": 10.0}).id
        deadline = time.monotonic() + 120
        while client.read_flow_run(in_flight).state_type.value != "RUNNING":
            assert time.monotonic() < deadline, f"the run never started\n{served.log()}"
            time.sleep(0.2)
    served.process.send_signal(signal.SIGTERM)  # what systemd sends
    # a guard, not a timing: cancelling the run and pausing the schedules goes through the
    # Prefect API, which takes minutes at load average 30 on this 2-core machine
    assert served.process.wait(300) == 0, served.log()
    stopped = datetime.now(UTC)
    err = served.err.read_text()
    running, _, stopping = err.partition("serve: stopping; cancelling runs in flight")
    assert stopping and "serve: stopped" in stopping, err
    # No traceback while serving (the failing site included); after the stop, only Prefect's
    # own report of the run it cancelled (an async flow's engine prints one on SIGTERM).
    assert "Traceback" not in running, running
    # one report per exception chain ("The above exception was the direct cause ..." joins them)
    chained = re.sub(
        r"(The above exception was the direct cause of the following exception:|"
        r"During handling of the above exception, another exception occurred:)\s*Traceback",
        "(chained)",
        stopping,
    )
    reports = chained.split("Traceback (most recent call last)")[1:]
    assert all("TerminationSignal" in r for r in reports) and "never awaited" not in err, stopping
    with pytest.raises(ProcessLookupError):  # no flow-run process outlives serve
        os.killpg(served.process.pid, 0)
    with _client() as client:
        # recorded as cancelled, not left "Running" forever holding beta's concurrency slot
        assert client.read_flow_run(in_flight).state_type.value == "CANCELLED"
        # Paused until serve runs again, as stop promises: Prefect pauses the deployment (its
        # schedules keep their own `active` flag), deletes its runs scheduled for later, and
        # its scheduler makes none for a paused deployment; the next `serve` unpauses it.
        deployments = {
            n: client.read_deployment_by_name(f"crawl/crawl-{n}") for n in ("alpha", "beta", "gamma")
        }
        assert [n for n, d in deployments.items() if not d.paused] == []
        later = [
            r.name
            for d in deployments.values()
            for r in _scheduled_runs(d.id)
            if r.state_type.value == "SCHEDULED" and r.expected_start_time > stopped
        ]
    assert later == [], "runs still scheduled for later after serve stopped"
