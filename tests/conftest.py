"""Shared fixtures: one temporary Prefect server for the whole session (it costs 7-12 s to start)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def prefect_harness():
    """Run real Prefect flows against a throwaway server; request it only in flow tests."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield
