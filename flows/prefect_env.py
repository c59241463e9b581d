"""Prefect's environment for our commands, set before Prefect is first imported (it reads it then)."""

from __future__ import annotations

import os


def quiet_prefect(verbose: bool) -> None:
    """Prefect settings that must be in place before it is imported."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # The temporary API server a flow starts takes 7-12 s here, longer on a busy machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # Our structured `regionews` log lines also reach Prefect's API (the UI's run logs).
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "regionews")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
