"""Fixed cost of the one-off commands: `regionews load` of one page, `enrich` with nothing to do.

Each is timed as a whole process (start-up, imports, opening the warehouse, the run, exit),
the median of `rounds`, as a user runs it with no Prefect API configured (in-process: see
flows/runner.py). The warehouse is prepared first (the page loaded and enriched once), so the
timed `load` re-reads a known page and the timed `enrich` finds nothing new.

Run: .venv/bin/python -m bench.fixed_cost [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = sorted((ROOT / "fixtures" / "generic").glob("*.html"))[0]


@dataclass(frozen=True)
class FixedCost:
    load_1_page_s: float  # median wall seconds
    enrich_nothing_s: float
    rounds: int
    load_all_s: tuple[float, ...]
    enrich_all_s: tuple[float, ...]
    load_cpu_s: float = 0.0  # median CPU seconds (user + system) of the process: the figure to compare
    enrich_cpu_s: float = 0.0  # on a shared machine, where wall time includes waiting for a core


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(home)  # no profile naming an API: the user's default
    env.pop("REGIONEWS_PREFECT", None)
    env.pop("REGIONEWS_TASK_RUNNER", None)
    # A user's Python caches compiled modules (__pycache__); a sandbox that turns that off would
    # make every run compile every module again (about a third of `load`'s CPU time here).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run(rounds: int = 5) -> FixedCost:
    regionews = [sys.executable, "-m", "flows.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(Path(tmp) / "prefect-home")
        db = str(Path(tmp) / "w.duckdb")
        load = [*regionews, "--db", db, "load", "-q", str(PAGE)]
        enrich = [*regionews, "--db", db, "enrich"]
        _timed(load, env)  # the warehouse made, the page known
        _timed(enrich, env)  # its article enriched
        loads, enriches = [], []
        for _ in range(rounds):  # interleaved, so both see the same machine
            loads.append(_timed(load, env))
            enriches.append(_timed(enrich, env))
    return FixedCost(
        statistics.median(w for w, _ in loads), statistics.median(w for w, _ in enriches), rounds,
        tuple(w for w, _ in loads), tuple(w for w, _ in enriches),
        statistics.median(c for _, c in loads), statistics.median(c for _, c in enriches),
    )  # fmt: skip


def markdown(cost: FixedCost) -> list[str]:
    def each(values: tuple[float, ...]) -> str:
        return ", ".join(f"{v:.1f}" for v in values)

    return [
        "## Fixed cost of one-off commands (bench/fixed_cost.py)",
        "Whole-process wall time (`python -m flows.cli ...`: start-up, imports, warehouse, run, exit), "
        f"median of {cost.rounds}, interleaved, with no Prefect API configured (in-process runs, as a "
        "user gets by default). The page was loaded and enriched once before, so `load` re-reads a "
        "known page and `enrich` has nothing to do. Targets: `load` of 1 page under 3 s, `enrich` "
        "with nothing to do under 2 s.",
        "",
        "| command | median wall s | median CPU s | each run, wall s |",
        "|---|---:|---:|---|",
        f"| `regionews load` 1 page | {cost.load_1_page_s:.2f} | {cost.load_cpu_s:.2f} "
        f"| {each(cost.load_all_s)} |",
        f"| `regionews enrich`, nothing to do | {cost.enrich_nothing_s:.2f} | {cost.enrich_cpu_s:.2f} "
        f"| {each(cost.enrich_all_s)} |",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    print("\n".join(markdown(run(args.rounds))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
