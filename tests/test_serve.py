"""Schedules: `serve` registers one deployment per enabled site, on the cron from the sites file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main
from flows.serve import (
    NoPrefectServer,
    api_url,
    apply_deployments,
    build_deployments,
    require_server,
    site_schedules,
)
from flows.sites import load_sites

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sites_file(tmp_path: Path) -> Path:
    """The bundled sites file with one site switched off."""
    text = (Path(__file__).parent.parent / "flows" / "sites.toml").read_text(encoding="utf-8")
    text = text.replace("[sites.tianshui_mirror]\n", "[sites.tianshui_mirror]\nenabled = false\n", 1)
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_enabled_site_is_registered_with_its_cron(
    prefect_harness, sites_file: Path, db_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    registry = load_sites(sites_file)
    assert "tianshui_mirror" in [s.name for s in registry.sites if not s.enabled]
    require_server(api_url())  # the harness's API answers the health check
    schedules = site_schedules(registry, db=db_path, sites_file=sites_file)
    apply_deployments(build_deployments(schedules))

    with get_client(sync_client=True) as client:
        for site in registry.sites:
            if not site.enabled:
                with pytest.raises(ObjectNotFound):
                    client.read_deployment_by_name(f"crawl/crawl-{site.name}")
                continue
            deployment = client.read_deployment_by_name(f"crawl/crawl-{site.name}")
            assert [s.schedule.cron for s in deployment.schedules] == [site.schedule], site.name
            assert all(s.active for s in deployment.schedules)
            assert deployment.parameters["sites"] == [site.name]
            assert deployment.parameters["db"] == str(db_path.resolve())
            assert deployment.parameters["sites_file"] == str(sites_file.resolve())


def test_serve_dry_run_lists_enabled_sites_only(sites_file: Path, db_path: Path, capsys) -> None:
    assert main(["--db", str(db_path), "serve", "--sites-file", str(sites_file), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "crawl-tianshui " in out and "crawl-tianshui_mirror" not in out
    assert "cron 5 4 * * *" in out  # tftnews's own schedule


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_server_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(NoPrefectServer, match="PREFECT_API_URL is not set"):
        require_server(None)
    url = f"http://127.0.0.1:{_free_port()}/api"
    with pytest.raises(NoPrefectServer, match="no Prefect server answers"):
        require_server(url, timeout=0.5)
    # As a user runs it (its own process: this one may hold the test harness's API settings).
    env = {**os.environ, "PREFECT_API_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "--db", str(tmp_path / "w.duckdb"), "serve"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "no Prefect server answers" in done.stderr
    assert "make prefect-server" in done.stderr and "export PREFECT_API_URL=" in done.stderr
