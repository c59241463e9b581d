"""What the code's structure promises beyond import-linter's contracts: distinct task names."""

from __future__ import annotations

import importlib
import pkgutil

from prefect import Task

import flows
from flows.runner import Task as Step


def _tasks() -> dict[int, Task | Step]:
    """Every task the flows modules hold, at module level or in a module-level record: Prefect
    tasks, and the steps (`runner.task`) that become Prefect tasks inside a Prefect flow run."""
    found: dict[int, Task | Step] = {}
    for info in pkgutil.iter_modules(flows.__path__):
        module = importlib.import_module(f"flows.{info.name}")
        for value in vars(module).values():
            inner = vars(value).values() if type(value).__module__ == module.__name__ else ()
            for item in (value, *inner):
                if isinstance(item, Task | Step):
                    found[id(item)] = item
    return found


def test_every_prefect_task_has_its_own_name() -> None:
    """Two tasks under one name cannot be told apart in the UI or in the run logs."""
    names = [t.name for t in _tasks().values()]
    assert len(names) >= 5
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
