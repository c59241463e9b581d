"""Shared test fixtures: one Prefect test server for the whole session, warehouse files in tmp."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed seed so a run is reproducible; locally they explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API for flow tests; started once (it costs seconds), shared by all.

    REGIONEWS_TEST_PREFECT_API=http://127.0.0.1:PORT/api uses a Prefect server already running
    instead (`make prefect-server`): on a loaded machine starting one costs minutes per test run.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    api = os.environ.get("REGIONEWS_TEST_PREFECT_API")
    if api:
        with temporary_settings(updates={PREFECT_API_URL: api}):
            yield
        return
    with prefect_test_harness(
        server_startup_timeout=int(os.environ.get("REGIONEWS_TEST_PREFECT_STARTUP", "600"))
    ):
        yield


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
