"""Shared fixtures. Prefect is started once per session, and only by tests that ask for it."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the whole session (starting one costs 7-12 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield
