"""An operator's own site specs, named by REGIONEWS_SPEC_MODULES, reach every process of the flows."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from parsers import registry
from parsers.registry import SpecModuleError, add_spec_modules
from tests.crawl_world import registered
from warehouse.settings import spec_modules

ROOT = Path(__file__).resolve().parent.parent

PRIVATE_SITE = """
from parsers.crawlspec import PagedList
from parsers.generic import GenericParser


class NorthSpec(GenericParser):
    name = "north_county"
    domains = ("north.example",)
    article_url = r"^http://north\\.example/art/\\d+\\.html$"
    base_url = "http://north.example"
    lists = (PagedList("/news/", "index_{n}.html"),)


SPECS = (NorthSpec(),)
"""


@pytest.fixture
def restored_registry() -> Iterator[None]:
    with registered():  # whatever a test adds is gone after it
        yield


@pytest.fixture
def private_sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the operator's module `mysites_north`, on the import path."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "mysites_north.py").write_text(PRIVATE_SITE, "utf-8")
    (folder / "mysites_empty.py").write_text("SPECS = ()\n", "utf-8")
    (folder / "mysites_clash.py").write_text(
        "from parsers.generic import GenericParser\n\n"
        "class Clash(GenericParser):\n    name = 'tianshui'\n    domains = ('clash.example',)\n\n"
        "SPECS = (Clash(),)\n",
        "utf-8",
    )
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_the_setting_is_a_comma_separated_list_of_modules() -> None:
    assert spec_modules({}) == ()
    assert spec_modules({"REGIONEWS_SPEC_MODULES": " mysites.north, mysites.south ,"}) == (
        "mysites.north",
        "mysites.south",
    )


def test_a_named_module_puts_its_specs_first(private_sites: Path, restored_registry: None) -> None:
    add_spec_modules(["mysites_north"])
    spec = registry.by_name("north_county")
    assert registry.PARSERS[0] is spec and registry.PARSERS[-1].name == "generic"
    assert registry.parser_for("http://north.example/art/123.html") is spec
    assert spec in registry.site_parsers()
    add_spec_modules(["mysites_north"])  # named twice: registered once
    assert [p.name for p in registry.PARSERS].count("north_county") == 1


@pytest.mark.parametrize(
    ("module", "says"),
    [
        ("mysites_missing", "cannot import site spec module 'mysites_missing'"),
        ("mysites_empty", "must define SPECS"),
        ("mysites_clash", "'tianshui'"),
    ],
)
def test_a_wrong_module_fails_saying_which(
    module: str, says: str, private_sites: Path, restored_registry: None
) -> None:
    before = registry.PARSERS
    with pytest.raises(SpecModuleError, match=says):
        add_spec_modules([module])
    assert registry.PARSERS is before


def _cli(args: list[str], folder: Path, modules: str | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "REGIONEWS_SPEC_MODULES"}
    env["PYTHONPATH"] = os.pathsep.join([str(folder), str(ROOT)])
    if modules is not None:
        env["REGIONEWS_SPEC_MODULES"] = modules
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "--db", str(cwd / "w.duckdb"), *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=120,
    )  # fmt: skip


def test_the_cli_crawls_the_private_site_from_an_operator_only_sites_file(
    private_sites: Path, tmp_path: Path
) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text("[defaults]\nenabled = false\n\n[sites.north_county]\nenabled = true\n", "utf-8")
    check = ["crawl", "--check", "--sites-file", str(sites)]
    done = _cli(check, private_sites, "mysites_north", tmp_path)
    assert done.returncode == 0, done.stderr
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("north_county ")]
    assert " enabled " in line and "http://north.example/news/" in line

    unset = _cli(check, private_sites, None, tmp_path)  # without the setting the file names no spec
    assert unset.returncode == 2 and "no site spec named 'north_county'" in unset.stderr

    typo = _cli(check, private_sites, "mysites_nort", tmp_path)
    assert typo.returncode == 2 and "Traceback" not in typo.stderr
    assert typo.stderr.startswith(
        "regionews: REGIONEWS_SPEC_MODULES: cannot import site spec module 'mysites_nort'"
    )
