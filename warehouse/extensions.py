"""DuckDB extensions loaded offline from their PyPI wheels, never downloaded.

Each `duckdb-extension-<name>` wheel (pinned with duckdb in uv.lock) ships the binary built for
our duckdb under `duckdb_extension_<name>/extensions/v<duckdb version>/<name>.duckdb_extension`,
which `LOAD '<path>'` takes with no network. `INSTALL` is never used: it would download.

One wrinkle: DuckDB derives an extension's entry point from its file name, and the postgres
wheel ships `postgres.duckdb_extension` for an extension whose entry point is
`postgres_scanner`. Loaded under its shipped name it fails ("did not contain the expected
entrypoint function"), so it is loaded through a link named `postgres_scanner.duckdb_extension`
in a per-user cache folder.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import duckdb

from warehouse.settings import Settings


class ExtensionUnavailable(Exception):
    """A bundled extension is missing or does not match duckdb; the message says what to do."""


# extension name -> (wheel package, file in the wheel, name DuckDB must see)
_WHEELS = {
    "fts": ("duckdb_extension_fts", "fts.duckdb_extension", "fts.duckdb_extension"),
    "ducklake": ("duckdb_extension_ducklake", "ducklake.duckdb_extension", "ducklake.duckdb_extension"),
    "postgres": (
        "duckdb_extension_postgres",
        "postgres.duckdb_extension",
        "postgres_scanner.duckdb_extension",
    ),
}


def _wheel_file(name: str) -> Path:
    package, shipped, _ = _WHEELS[name]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        wheel = package.replace("_", "-")
        raise ExtensionUnavailable(f"the {wheel} package is not installed: run `make sync`")
    root = Path(next(iter(spec.submodule_search_locations)))
    path = root / "extensions" / f"v{duckdb.__version__}" / shipped
    if not path.exists():
        raise ExtensionUnavailable(
            f"no {name} extension for duckdb {duckdb.__version__} in {root}: pin matching versions"
        )
    return path


def _cache_dir() -> Path:
    return Settings.from_env().cache_dir / "regionews" / "duckdb-extensions" / f"v{duckdb.__version__}"


def _linked(source: Path, name: str) -> Path:
    """`source` reachable under the file name `name` (a symlink, or a copy where links fail)."""
    for folder in (_cache_dir(), Path(tempfile.gettempdir()) / f"regionews-{os.getuid()}-extensions"):
        target = folder / name
        try:
            if target.exists() and (
                target.resolve() == source.resolve() or target.stat().st_size == source.stat().st_size
            ):
                return target
            folder.mkdir(parents=True, exist_ok=True)
            staging = folder / f".{name}.{os.getpid()}"
            staging.unlink(missing_ok=True)
            try:
                staging.symlink_to(source)
            except OSError:
                staging.write_bytes(source.read_bytes())
            staging.replace(target)  # atomic: concurrent processes never see a half-made file
            return target
        except OSError:
            continue
    raise ExtensionUnavailable(f"cannot make {name} in a cache folder (tried {_cache_dir()})")


def extension_path(name: str) -> Path:
    """The file to `LOAD` for a bundled extension (fts, ducklake, postgres)."""
    source = _wheel_file(name)
    _, shipped, wanted = _WHEELS[name]
    return source if shipped == wanted else _linked(source, wanted)


def load(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    """LOAD the named bundled extensions into `con` (a no-op for one already loaded)."""
    for name in names:
        con.execute(f"LOAD '{extension_path(name)}'")
