"""How a flow runs: in-process (no Prefect), or as a Prefect flow run on threads or on Dask.

One-off commands (`load`, `crawl`, `reparse`, `enrich`, `demo`) run the flows' steps
in-process when no Prefect API is configured: Prefect would start a temporary API server
for each command (7-12 s here, up to a minute on a busy machine) only to forget the run when
the command ends. With a Prefect API configured (`PREFECT_API_URL` in the environment or in
the active Prefect profile), with REGIONEWS_PREFECT=1, or with the Dask task runner, the same
steps run as a Prefect flow run (flows/prefect_flows.py) with its name, logs and states in
the API. `serve` always runs Prefect flows.

Steps that Prefect runs as tasks are declared once with `task()`: inside a Prefect flow run
they are Prefect tasks (submitted to the flow's task runner), elsewhere plain calls, with
`submit` on a small thread pool so the next batch is parsed while this one is written.

REGIONEWS_TASK_RUNNER=dask sends the parse (and, in the crawl, parse) tasks to Dask:
REGIONEWS_DASK_ADDRESS names an existing scheduler (tcp://host:8786), without it a local
cluster of REGIONEWS_DASK_WORKERS workers is started for the run. On a DuckDB file tasks
return results and the flow writes them, so the file keeps one writer whatever runs the
tasks; on a DuckLake the workers commit their batches themselves (flows/worker_write.py).
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from typing import Any, Generic, ParamSpec, TypeVar

from warehouse.settings import Settings, profile_api_url

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")

_ON = ("1", "true", "yes", "on", "always")
_OFF = ("0", "false", "no", "off", "never")


class RunnerError(RuntimeError):
    """The task-runner settings cannot be honoured; the message says what to change."""


def prefect_runs(env: dict[str, str] | None = None) -> bool:
    """True when a command should run its flow through Prefect (see the module docstring)."""
    settings = Settings.from_env(env=env)
    choice = settings.prefect
    dask = settings.task_runner == "dask"
    if choice in _OFF:
        if dask:
            raise RunnerError("REGIONEWS_TASK_RUNNER=dask runs through Prefect: unset REGIONEWS_PREFECT=0")
        return False
    if choice in _ON or dask:
        return True
    if choice != "auto":
        raise RunnerError(f"REGIONEWS_PREFECT={choice!r}: use 1 (always Prefect), 0 (never) or auto")
    return bool(settings.prefect_api_url or profile_api_url(env))


def in_flow_run() -> bool:
    """Inside a Prefect flow run (Prefect is imported only by flows that run through it)."""
    if "prefect.context" not in sys.modules:
        return False
    # lazy: Prefect takes seconds to import; only runs through it need it
    from prefect.context import FlowRunContext

    return FlowRunContext.get() is not None


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="regionews-task")
    return _POOL


class Task(Generic[P, R]):
    """A flow step: a Prefect task inside a Prefect flow run, a plain call elsewhere."""

    def __init__(self, fn: Callable[P, R], name: str) -> None:
        self.fn = fn
        self.name = name

    @cached_property
    def prefect(self) -> Any:
        """The Prefect task (made on first use: importing Prefect costs seconds)."""
        # lazy: Prefect takes seconds to import; only runs through it need it
        from prefect import task
        from prefect.cache_policies import NO_CACHE

        return task(self.fn, name=self.name, cache_policy=NO_CACHE)  # inputs are big: never cached

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.prefect(*args, **kwargs) if in_flow_run() else self.fn(*args, **kwargs)

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        """A future with `.result()`: the flow's task runner's, or this process's thread pool's."""
        if in_flow_run():
            return self.prefect.submit(*args, **kwargs)
        future: Future = _pool().submit(self.fn, *args, **kwargs)
        return future


def task(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """Declare a flow step that Prefect runs as a task named `name` (see `Task`)."""

    def wrap(fn: Callable[P, R]) -> Task[P, R]:
        return Task(fn, name)

    return wrap


def run_logger() -> logging.Logger | logging.LoggerAdapter:
    """Prefect's run logger inside a flow run (lines reach the API), else the `regionews` logger."""
    if in_flow_run():
        # lazy: Prefect takes seconds to import; only runs through it need it
        from prefect import get_run_logger

        return get_run_logger()
    return logging.getLogger("regionews")


def run_flow(name: str, **params: Any) -> Any:
    """Run flow `name` with `params`: through Prefect when `prefect_runs()`, else in-process.

    Both run the same function (flows/<name>.py); the Prefect flow in flows/prefect_flows.py
    only wraps it, so the two modes cannot drift apart.
    """
    if prefect_runs():
        return with_runner(prefect_flow(name))(**params)
    return getattr(importlib.import_module(f"flows.{name}"), name)(**params)


def prefect_flow(name: str) -> Any:
    """The Prefect flow `name` of flows/prefect_flows.py (importing it imports Prefect).

    Looked up by name when asked for: the flow modules (flows/load.py, ...) only resolve their
    `<name>_flow` attribute through here, since flows/prefect_flows.py imports them.
    """
    return getattr(importlib.import_module("flows.prefect_flows"), f"{name}_flow")


def task_runner(env: dict[str, str] | None = None) -> Any | None:
    """The configured task runner, or None for Prefect's default thread pool."""
    settings = Settings.from_env(env=env)
    kind = settings.task_runner
    if kind in ("", "thread", "threads", "default"):
        return None
    if kind != "dask":
        raise RunnerError(f"REGIONEWS_TASK_RUNNER={kind!r}: use 'thread' (default) or 'dask'")
    try:
        # lazy: the optional dask extra
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise RunnerError(
            "REGIONEWS_TASK_RUNNER=dask needs prefect-dask: install the 'dask' extra "
            "(uv sync --extra dask, or pip install 'regionews[dask]')"
        ) from exc
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": settings.dask_workers,
            "threads_per_worker": 1,
            "dashboard_address": None,
        }
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


def current_runner() -> Any | None:
    """The task runner of the Prefect flow run this is called in (None outside one)."""
    if not in_flow_run():
        return None
    # lazy: Prefect takes seconds to import; only runs through it need it
    from prefect.context import FlowRunContext

    return getattr(FlowRunContext.get(), "task_runner", None)


def quote(value: T) -> T:
    """Tell Prefect not to walk `value` (a context object, page bodies) when a task gets it; as is
    outside a flow run."""
    if not in_flow_run():
        return value
    # lazy: Prefect takes seconds to import; only runs through it need it
    from prefect.utilities.annotations import quote as prefect_quote

    return prefect_quote(value)  # type: ignore[return-value]


def task_input(value: T) -> T:
    """`quote(value)` (Prefect skips its walk over page bodies) in a flow run on threads; else as is.

    prefect-dask 0.3.7 hands a quoted list to the task still wrapped, so it is not quoted there.
    """
    if not in_flow_run():
        return value
    # lazy: Prefect takes seconds to import; only runs through it need it
    from prefect.context import FlowRunContext
    from prefect.utilities.annotations import quote

    ctx = FlowRunContext.get()
    runner = type(getattr(ctx, "task_runner", None)).__name__
    return value if runner == "DaskTaskRunner" else quote(value)  # type: ignore[return-value]
