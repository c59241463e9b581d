"""Settings are read in one place: warehouse/settings.py, documented in the README's table."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from warehouse.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / "warehouse" / "settings.py"
# Setting a variable for a library or a child process is a write, not a read.
WRITES = {"setdefault", "pop", "update"}


def _environment_reads(source: str, where: str) -> list[str]:
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "environb", "getenv", "getenvb"):
            name = node.attr
        elif isinstance(node, ast.Name) and node.id in ("environ", "getenv"):
            name = node.id
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            if {a.name for a in node.names} & {"environ", "getenv", "environb"}:
                found.append(f"{where}:{node.lineno} imports os.environ/getenv")
            continue
        if name is None:
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store | ast.Del):
            continue  # os.environ[NAME] = value
        if isinstance(parent, ast.Attribute) and parent.attr in WRITES:
            continue  # os.environ.setdefault(...)
        found.append(f"{where}:{node.lineno} reads the environment ({name})")
    return found


def test_only_the_settings_module_reads_the_environment() -> None:
    reads = [
        read
        for package in ("flows", "parsers", "warehouse")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != READER
        for read in _environment_reads(path.read_text("utf-8"), str(path.relative_to(ROOT)))
    ]
    assert reads == [], "read it through warehouse.settings.Settings instead:\n" + "\n".join(reads)


def test_the_scan_sees_the_usual_ways_of_reading() -> None:
    sample = (
        "import os\nfrom os import getenv\n"
        "a = os.environ.get('REGIONEWS_X')\nb = os.getenv('Y')\nc = dict(os.environ)\nd = 'Z' in os.environ\n"
        "os.environ['W'] = '1'\nos.environ.setdefault('V', '2')\n"
    )
    found = _environment_reads(sample, "sample.py")
    assert sorted(int(line.split(" ", 1)[0].rsplit(":", 1)[1]) for line in found) == [2, 3, 4, 5, 6]


def test_every_variable_is_in_the_readme_table() -> None:
    source = READER.read_text("utf-8")
    variables = set(re.findall(r'"((?:REGIONEWS|PREFECT|XDG)_[A-Z_]+)"', source))
    variables |= {"REGIONEWS_LAKE_DATA"}  # named through LAKE_DATA_VARIABLE
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("### Settings", 1)[1].split("\n#", 1)[0]
    rows = set(re.findall(r"^\| `([A-Z_]+)`", table, re.M))
    profile_only = {"PREFECT_HOME", "PREFECT_PROFILES_PATH", "PREFECT_PROFILE"}  # find the profile
    assert variables - profile_only == rows


def test_defaults_and_overrides() -> None:
    default = Settings.from_env(env={})
    assert str(default.db) == "data/regionews.duckdb" and default.data_dir == Path("data")
    assert (default.batch_size, default.busy_wait, default.read_snapshot) == (500, 10.0, True)
    assert default.prefect == "auto" and default.log_level is None and default.sites_file is None
    lake = Settings.from_env(
        "ducklake:postgres:dbname=x",
        env={"REGIONEWS_BUSY_WAIT": "soon", "REGIONEWS_READ_SNAPSHOT": "off", "REGIONEWS_LOG_LEVEL": "debug"},
    )
    assert lake.db == "ducklake:postgres:dbname=x" and lake.data_dir == Path("data")
    assert lake.busy_wait == 10.0 and not lake.read_snapshot and lake.log_level == "DEBUG"
