"""A clone tests itself and an installed wheel runs the demo: nothing reads outside the project's tree.

CI (`.ci/run`) runs `make test` from a fresh clone in an empty temporary folder, so a test that
needs a file beside the checkout fails there; these tests say why when it happens here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A path that climbs out of the repository: ../shared, parents[2] or parent.parent.parent of a module.
_OUTSIDE = re.compile(r"""["']\.\./|["']shared["']|parents\[[2-9]\]|parent\.parent\.parent""")


def _project_files() -> list[Path]:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False)
    if tracked.returncode == 0 and tracked.stdout:
        names = tracked.stdout.splitlines()
    else:  # not a git checkout (an sdist): every file but the environments
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    keep = (".py", ".toml", ".cfg", ".sh", "Makefile", "run")
    return [
        ROOT / n
        for n in names
        if n.endswith(keep) and not n.startswith((".venv", ".tools", "fixtures/")) and (ROOT / n).is_file()
    ]


def test_no_code_reads_outside_the_repository() -> None:
    offenders = []
    for path in _project_files():
        if path == Path(__file__).resolve():
            continue  # the pattern itself
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
            if _OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_seed_documents_are_in_the_repository() -> None:
    from tests.fixture_cases import SEEDS, all_cases

    assert SEEDS.is_relative_to(ROOT)
    named = {c.expected["seed"]["file"] for c in all_cases() if "seed" in c.expected}
    assert named and all((SEEDS / name).is_file() for name in named)


def _uv() -> str | None:
    local = ROOT / ".tools" / "bin" / "uv"
    return str(local) if local.exists() else shutil.which("uv")


def test_an_installed_wheel_carries_what_the_demo_needs(tmp_path: Path) -> None:
    """Build the wheel, unpack it as an installer would, and find the demo's pages from elsewhere."""
    uv = _uv()
    if uv is None:
        pytest.skip("uv is not installed (make test installs it)")
    build = subprocess.run(
        [uv, "build", "--wheel", "--offline", "-q", "-o", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("regionews-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert not (site / "fixtures").exists()  # no stray top-level folder in site-packages
    code = (
        "import flows, json; from flows.bundled import fixtures_dir, page_folders; "
        "from flows.replica import docs_from_fixtures; from flows.sites import load_sites; "
        "from warehouse.db import connect; "
        "con = connect('w.duckdb'); n = con.execute('select count(*) from schema_migrations').fetchone()[0]; "
        "print(json.dumps({'flows': flows.__file__, 'fixtures': str(fixtures_dir()), "
        "'folders': [p.name for p in page_folders()], 'docs': len(docs_from_fixtures()), "
        "'sites': len(load_sites(None).sites), 'migrations': n}))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    import json

    from flows.bundled import page_folders
    from flows.replica import docs_from_fixtures

    got = json.loads(run.stdout)
    assert got["flows"].startswith(str(site)) and got["fixtures"].startswith(str(site))
    assert got["folders"] == [p.name for p in page_folders()] and "seeds" not in got["folders"]
    assert got["docs"] == len(docs_from_fixtures()) > 0
    assert got["sites"] > 0 and got["migrations"] > 0
