"""Where tasks run: threads in this process (default) or a Dask cluster, switched by settings.

REGIONEWS_TASK_RUNNER=dask sends the parse (and, in the crawl, parse) tasks to Dask:
REGIONEWS_DASK_ADDRESS names an existing scheduler (tcp://host:8786), without it a local
cluster of REGIONEWS_DASK_WORKERS workers is started for the run. Tasks return results and
the flow writes them, so the warehouse keeps one writer whatever runs the tasks.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class RunnerError(RuntimeError):
    """The task-runner settings cannot be honoured; the message says what to change."""


def task_runner(env: dict[str, str] | None = None) -> Any | None:
    """The configured task runner, or None for Prefect's default thread pool."""
    env = dict(os.environ) if env is None else env
    kind = env.get("REGIONEWS_TASK_RUNNER", "").strip().lower()
    if kind in ("", "thread", "threads", "default"):
        return None
    if kind != "dask":
        raise RunnerError(f"REGIONEWS_TASK_RUNNER={kind!r}: use 'thread' (default) or 'dask'")
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise RunnerError(
            "REGIONEWS_TASK_RUNNER=dask needs prefect-dask: install the 'dask' extra "
            "(uv sync --extra dask, or pip install 'regionews[dask]')"
        ) from exc
    address = env.get("REGIONEWS_DASK_ADDRESS", "").strip()
    if address:
        return DaskTaskRunner(address=address)
    workers = int(env.get("REGIONEWS_DASK_WORKERS", "2"))
    return DaskTaskRunner(
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "dashboard_address": None}
    )


def with_runner(flow: T, env: dict[str, str] | None = None) -> T:
    """The flow with the configured task runner (unchanged when none is configured)."""
    runner = task_runner(env)
    return flow if runner is None else flow.with_options(task_runner=runner)  # type: ignore[attr-defined]


def in_order(submit: Callable[[T], Any], items: Iterable[T], window: int = 4) -> Iterator[tuple[T, Any]]:
    """Submit items to a task runner, at most `window` in flight, and yield (item, result) in order.

    The flow writes each result as it comes back, so memory stays bounded and the writes
    keep their order while the next batches are parsed (in threads, or on Dask workers).
    """
    pending: deque[tuple[T, Any]] = deque()
    for item in items:
        pending.append((item, submit(item)))
        if len(pending) >= window:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


def task_input(value: T) -> T:
    """`quote(value)` (Prefect skips its walk over page bodies) on threads; as is on Dask.

    prefect-dask 0.3.7 hands a quoted list to the task still wrapped, so it is not quoted there.
    """
    from prefect.context import FlowRunContext
    from prefect.utilities.annotations import quote

    ctx = FlowRunContext.get()
    runner = type(getattr(ctx, "task_runner", None)).__name__
    return value if runner == "DaskTaskRunner" else quote(value)  # type: ignore[return-value]
