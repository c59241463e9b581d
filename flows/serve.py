"""Schedules: one Prefect deployment per enabled site, each on the cron from the sites file.

`regionews serve` builds the deployments, checks that a Prefect API is reachable (schedules
live in the API's database, a temporary server would forget them on exit) and serves them
until stopped. Building and registering are separate functions so a test can register the
deployments and read them back without blocking in the runner.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from flows.sites import Registry, Site
from warehouse.lake import is_lake
from warehouse.settings import Settings

if TYPE_CHECKING:
    from prefect.runner import Runner

DEFAULT_API = "http://127.0.0.1:4200/api"
START_SERVER = (
    "  make prefect-server   # = PREFECT_SERVER_ANALYTICS_ENABLED=false "
    ".venv/bin/prefect server start --host 127.0.0.1 --port 4200\n"
    f"  export PREFECT_API_URL={DEFAULT_API}"
)


class NoPrefectServer(RuntimeError):
    """No Prefect API to keep the schedules in; the message says what to run."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """What `serve` registers for one site: the deployment name, its cron and its parameters."""

    site: str
    name: str
    cron: str
    parameters: dict


def site_schedules(
    registry: Registry,
    *,
    db: str | Path,
    sites_file: str | Path | None = None,
    warc_dir: str | Path | None = None,
    names: Sequence[str] | None = None,
    connect_to: str | None = None,
) -> list[Schedule]:
    """One schedule per enabled site (or per named site), with absolute paths: runs start elsewhere.

    `connect_to` sends every request of the served runs to one address (a replica, a test).
    """
    sites: Sequence[Site] = registry.select(list(names) if names else None)
    params: dict = {"db": str(db) if is_lake(db) else str(Path(db).resolve())}
    if sites_file:
        params["sites_file"] = str(Path(sites_file).resolve())
    if warc_dir:
        params["warc_dir"] = str(Path(warc_dir).resolve())
    if connect_to:
        params["connect_to"] = connect_to
    return [Schedule(s.name, f"crawl-{s.name}", s.schedule, {"sites": [s.name], **params}) for s in sites]


def build_deployments(schedules: Sequence[Schedule]) -> list:
    """Prefect RunnerDeployments of the crawl flow, one per schedule (no API call yet).

    Each deployment allows one run at a time: a run that comes due (or is started by hand)
    while the site's previous run is still going waits for it (Prefect's ENQUEUE strategy),
    so two crawls of one site never overlap and none is skipped.
    """
    # lazy: Prefect takes seconds to import; only runs through it need it
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    # lazy: crawl_flow is the Prefect flow: imported with Prefect
    from flows.crawl import crawl_flow

    one_at_a_time = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)
    return [
        crawl_flow.to_deployment(
            name=s.name,
            cron=s.cron,
            parameters=s.parameters,
            description=f"Crawl {s.site} on its schedule from the sites file ({s.cron}).",
            tags=["regionews", "crawl", s.site],
            concurrency_limit=one_at_a_time,
        )
        for s in schedules
    ]


def apply_deployments(deployments: Sequence) -> list:
    """Register the deployments (and their schedules) with the Prefect API; returns their ids."""
    return [d.apply() for d in deployments]


def api_url() -> str | None:
    # lazy: Prefect takes seconds to import; only runs through it need it
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or Settings.from_env().prefect_api_url


def require_server(url: str | None, timeout: float = 3.0) -> str:
    """The API URL if a Prefect server answers its health check; otherwise what to run, as an error."""
    if not url:
        raise NoPrefectServer(
            "PREFECT_API_URL is not set. Schedules need a running Prefect server; start one and "
            f"point regionews at it:\n{START_SERVER}"
        )
    health = url.rstrip("/") + "/health"
    try:
        response = httpx.get(health, timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise NoPrefectServer(
            f"no Prefect server answers at {health} ({type(exc).__name__}: {exc}). "
            f"Start one and point regionews at it:\n{START_SERVER}"
        ) from exc
    return url


def serve(schedules: Sequence[Schedule], limit: int | None = None) -> None:
    """Register the deployments and run their scheduled flow runs until Ctrl-C or SIGTERM.

    Either signal stops it the same way: no new runs start, runs in flight are cancelled and
    recorded as Cancelled in Prefect (a rerun finishes their work: crawls are incremental),
    the schedules are paused until the next `serve`, and it returns. A second signal stops
    at once. (Prefect 3.8.8's own SIGTERM handler never awaits its stop, leaving runs
    "Running" forever and holding their deployment's concurrency slot.)
    """
    # lazy: Prefect takes seconds to import; only runs through it need it
    from prefect.runner import Runner

    runner = Runner(name="regionews-serve", pause_on_shutdown=True, limit=limit)
    for deployment in build_deployments(schedules):
        runner.add_deployment(deployment)
    with contextlib.suppress(KeyboardInterrupt):  # the second signal's way out
        asyncio.run(_run_until_signalled(runner))


async def _run_until_signalled(runner: Runner) -> None:
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    stopping: list[asyncio.Task] = []

    def stop() -> None:
        if stopping:  # asked twice: do not wait for the runs
            assert main is not None
            main.cancel()
            return
        print("serve: stopping; cancelling runs in flight", file=sys.stderr, flush=True)
        stopping.append(loop.create_task(runner.astop()))

    loop.add_signal_handler(signal.SIGINT, stop)
    # Runner.start() installs its SIGTERM handler with signal.signal: hand it ours instead.
    runner.handle_sigterm = lambda *_: loop.call_soon_threadsafe(stop)
    try:
        await runner.start()
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None
    finally:
        loop.remove_signal_handler(signal.SIGINT)
