"""Which way a command runs its flow: in-process with no Prefect API, a Prefect flow run with one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main
from flows.runner import RunnerError, prefect_runs

ROOT = Path(__file__).resolve().parent.parent
PAGE = next((ROOT / "fixtures" / "generic").glob("*.html"))


def test_prefect_runs_only_when_an_api_is_configured_or_asked_for(tmp_path: Path) -> None:
    home = {"PREFECT_HOME": str(tmp_path)}  # no profiles file there
    assert not prefect_runs(home)
    assert prefect_runs({**home, "PREFECT_API_URL": "http://127.0.0.1:4200/api"})
    assert prefect_runs({**home, "REGIONEWS_PREFECT": "1"})
    assert not prefect_runs(
        {**home, "PREFECT_API_URL": "http://127.0.0.1:4200/api", "REGIONEWS_PREFECT": "0"}
    )
    assert prefect_runs({**home, "REGIONEWS_TASK_RUNNER": "dask"})  # Dask tasks need a flow run
    with pytest.raises(RunnerError, match="REGIONEWS_PREFECT"):
        prefect_runs({**home, "REGIONEWS_PREFECT": "maybe"})
    with pytest.raises(RunnerError, match="dask"):
        prefect_runs({**home, "REGIONEWS_PREFECT": "0", "REGIONEWS_TASK_RUNNER": "dask"})


def test_an_api_set_in_the_active_prefect_profile_counts(tmp_path: Path) -> None:
    (tmp_path / "profiles.toml").write_text(
        'active = "local"\n[profiles.local]\nPREFECT_API_URL = "http://127.0.0.1:4200/api"\n'
        "[profiles.other]\n",
        "utf-8",
    )
    assert prefect_runs({"PREFECT_HOME": str(tmp_path)})
    assert not prefect_runs({"PREFECT_HOME": str(tmp_path), "PREFECT_PROFILE": "other"})


def test_flow_commands_with_no_prefect_api_never_import_prefect(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    code = (
        "import sys; from flows.cli import main; args = sys.argv[1:]; "
        "codes = [main(['--db', args[0], *cmd]) for cmd in (['load', '-q', args[1]], ['reparse', '-q'], "
        "['enrich'], ['enrich'])]; print(codes, 'prefect' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update({"REGIONEWS_PREFECT": "auto", "PREFECT_HOME": str(tmp_path / "prefect-home")})
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), str(PAGE)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[0, 0, 0, 0] False"
    assert "loaded 1 pages" in done.stdout and "enriched 1 new or changed articles" in done.stdout
    assert "enriched 0 new or changed articles" in done.stdout  # the second enrich had nothing to do


def test_with_a_prefect_api_a_command_is_a_named_flow_run(prefect_harness, tmp_path, monkeypatch) -> None:
    from prefect import get_client

    monkeypatch.setenv("REGIONEWS_PREFECT", "1")  # the harness's API is in Prefect's settings, not the env
    assert main(["--db", str(tmp_path / "w.duckdb"), "load", "-q", str(PAGE)]) == 0

    async def load_runs() -> list:
        async with get_client() as client:
            runs = await client.read_flow_runs()  # the session's one server holds other tests' runs too
            return [r for r in runs if r.name.startswith("load-") and str(tmp_path) in repr(r.parameters)]

    import asyncio

    runs = asyncio.run(load_runs())
    assert runs and all(r.state.is_completed() for r in runs)
