"""Shared test fixtures: one real Prefect server for the whole session, warehouse files in tmp."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.prefect_server import PrefectServer

# CI runs the property tests on a fixed seed so a run is reproducible; locally they explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


_SERVER: list[PrefectServer] = []


def _start() -> PrefectServer:
    """The session's server; REGIONEWS_TEST_PREFECT_API=http://127.0.0.1:PORT/api reuses one already
    running instead (`make prefect-server`): on a loaded machine starting one costs minutes per run."""
    api = os.environ.get("REGIONEWS_TEST_PREFECT_API")
    return PrefectServer.running(api) if api else PrefectServer()


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    """Start the Prefect server as soon as collection shows a test needs it: it starts while others run."""
    if any("prefect_server" in getattr(item, "fixturenames", ()) for item in items):
        _SERVER.append(_start())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    while _SERVER:
        _SERVER.pop().stop()


@pytest.fixture(scope="session")
def prefect_server() -> PrefectServer:
    """A real `prefect server start` on 127.0.0.1 (SQLite in a temp folder), one for the session."""
    if not _SERVER:  # collected without the hook (e.g. a plugin reordered things): start it now
        _SERVER.append(_start())
    # a fresh SQLite database is migrated first: minutes on a loaded 2-core machine
    _SERVER[0].wait(float(os.environ.get("REGIONEWS_TEST_PREFECT_STARTUP", "600")))
    return _SERVER[0]


@pytest.fixture(scope="session")
def prefect_harness(prefect_server: PrefectServer) -> Iterator[None]:
    """Flows run in this process report to the session's Prefect server."""
    import prefect.context
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with (
        temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}),
        # threads and contexts copied before this fixture see the same settings
        prefect.context._temporary_global_settings_context(prefect.context.get_settings_context()),
    ):
        yield
        _drain_prefect_workers()


def _drain_prefect_workers() -> None:
    """Send the last logs and events before the server stops (else they fail on a closed port)."""
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        try:
            result = APILogWorker.instance().drain()
            if inspect.isawaitable(result):
                await result
        except RuntimeError:
            pass  # never started
        result = EventsWorker.drain_all()
        if inspect.isawaitable(result):
            await result

    run_coro_as_sync(drain())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "regionews.duckdb"


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """One throwaway PostgreSQL cluster per test session (DuckLake's catalog), stopped at the end.

    Where PostgreSQL cannot be started the DuckLake tests skip with the reason, except in CI
    (CI=true), where that is a failure: CI installs it (.ci/run).
    """
    from tests import postgres as pg

    try:
        cluster = pg.start()
    except pg.PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL for the DuckLake tests: {exc}")
        pytest.skip(f"PostgreSQL cannot be started here: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def lake_catalog(postgres, request) -> str:
    """A fresh, empty catalog database for one test; returns its libpq DSN."""
    import re
    import uuid

    name = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:6]
    return postgres.create_database(name)
