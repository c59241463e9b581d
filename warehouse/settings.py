"""Every setting regionews takes from the environment, typed, read in this one module.

It sits in the warehouse layer, the lowest one that needs settings (the lake's data path, the busy
wait, the extension cache), so the flows and the warehouse read the same values and the warehouse
still imports nothing from the flows. Nothing else reads `os.environ` (tests/test_settings.py
checks); each field is a row of the README's "Settings" table. Values are read when asked for
(`Settings.from_env()`), so a worker process or a test that sets a variable sees it.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("data") / "regionews.duckdb"
# On a lake a batch is one commit by a Dask worker, and a commit costs about the same catalog
# work for 500 articles as for 2,500 (bench/lake.py; README "Scaling"): larger batches there.
LAKE_BATCH_SIZE = 2000
SPEC_MODULES = "REGIONEWS_SPEC_MODULES"
LAKE_DATA_VARIABLE = "REGIONEWS_LAKE_DATA"  # also set by `--lake-data`, for worker processes

_OFF = ("off", "0", "false", "no")


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    """A number >= 0 from the environment; an unreadable value is the default (the run goes on)."""
    try:
        return max(0.0, float(env.get(name) or default))
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class Settings:
    db: Path | str  # a DuckDB file, or a `ducklake:postgres:…` address (kept as a string)
    data_dir: Path  # WARC archives go under <data_dir>/warc
    batch_size: int  # pages per parse batch in load and reparse (one commit per batch on a lake)
    session_seconds: float  # a write session merges what was parsed in at most this long ...
    session_mb: float  # ... or this many MB of staged Arrow data, whichever comes first
    busy_wait: float  # seconds a run waits for a warehouse file another process holds, then spools
    read_snapshot: bool  # publish the read snapshot after each run
    lake_data: str | None  # where a new DuckLake keeps its Parquet files
    contact_url: str | None  # replaces the sites file's `contact` in the crawler's User-Agent
    sites_file: Path | None  # the operator's sites file (None: flows/sites.toml)
    log_level: str | None  # None: WARNING on stderr (INFO with -v)
    log_format: str  # kv or json
    prefect: str  # auto, 1 (always a Prefect flow run) or 0 (always in-process)
    task_runner: str  # '' / thread, or dask
    dask_address: str  # an existing Dask scheduler; '' starts a local cluster
    dask_workers: int  # workers of that local cluster
    prefect_api_url: str | None  # PREFECT_API_URL from the environment (the profile: profile_api_url)
    # the operator's own site-spec modules, registered when `flows` is imported (see flows/__init__.py)
    spec_modules: tuple[str, ...]
    cache_dir: Path  # $XDG_CACHE_HOME or ~/.cache: where bundled DuckDB extensions get their file names

    @classmethod
    def from_env(cls, db: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """The settings now: `db` (the --db option) wins over REGIONEWS_DB; `env` replaces os.environ."""
        env = os.environ if env is None else env
        raw = str(db or env.get("REGIONEWS_DB") or DEFAULT_DB)
        on_lake = raw.startswith("ducklake:")
        return cls(
            db=raw if on_lake else Path(raw),
            # A lake has no folder of its own: its WARC archives go under ./data unless told.
            data_dir=Path(env.get("REGIONEWS_DATA_DIR") or ("data" if on_lake else Path(raw).parent)),
            batch_size=int(env.get("REGIONEWS_BATCH_SIZE") or (LAKE_BATCH_SIZE if on_lake else 500)),
            session_seconds=_number(env, "REGIONEWS_SESSION_SECONDS", 5.0),
            session_mb=_number(env, "REGIONEWS_SESSION_MB", 32.0),
            busy_wait=_number(env, "REGIONEWS_BUSY_WAIT", 10.0),
            read_snapshot=env.get("REGIONEWS_READ_SNAPSHOT", "on").strip().lower() not in _OFF,
            lake_data=env.get(LAKE_DATA_VARIABLE) or None,
            contact_url=env.get("REGIONEWS_CONTACT_URL") or None,
            sites_file=Path(env["REGIONEWS_SITES"]) if env.get("REGIONEWS_SITES") else None,
            log_level=(env.get("REGIONEWS_LOG_LEVEL") or "").strip().upper() or None,
            log_format=(env.get("REGIONEWS_LOG_FORMAT") or "kv").strip().lower(),
            prefect=env.get("REGIONEWS_PREFECT", "auto").strip().lower(),
            task_runner=env.get("REGIONEWS_TASK_RUNNER", "").strip().lower(),
            dask_address=env.get("REGIONEWS_DASK_ADDRESS", "").strip(),
            dask_workers=int(env.get("REGIONEWS_DASK_WORKERS") or 2),
            prefect_api_url=env.get("PREFECT_API_URL") or None,
            spec_modules=spec_modules(env),
            # expanduser, not Path.home(): a service with no home directory gets `~/.cache`, not an error
            cache_dir=Path(env.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")),
        )


def spec_modules(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The operator's own site-spec modules (REGIONEWS_SPEC_MODULES="mysites.north,mysites.south").

    An environment variable, not a flag: it has to reach every process that runs the flows,
    `serve`'s flow-run processes and Dask workers included, and they inherit the environment.
    """
    env = os.environ if env is None else env
    return tuple(m.strip() for m in env.get(SPEC_MODULES, "").split(",") if m.strip())


def profile_api_url(env: Mapping[str, str] | None = None) -> str | None:
    """PREFECT_API_URL from the active Prefect profile (`prefect config set ...`), read without Prefect."""
    env = os.environ if env is None else env
    home = Path(env.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(env.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    active = env.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    return (profiles.get("profiles", {}).get(active) or {}).get("PREFECT_API_URL") or None
