"""Runtime settings, read from the environment with defaults that work on a fresh clone."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when used: `sql` and `stats` start without pyarrow
    from warehouse.session import BatchWriter, Warehouse

DEFAULT_DB = Path("data") / "regionews.duckdb"
# On a lake a batch is one commit by a Dask worker, and a commit costs about the same catalog
# work for 500 articles as for 2,500 (bench/lake.py; README "Scaling"): larger batches there.
LAKE_BATCH_SIZE = 2000

SPEC_MODULES = "REGIONEWS_SPEC_MODULES"


def spec_modules(env: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """The operator's own site-spec modules (REGIONEWS_SPEC_MODULES="mysites.north,mysites.south").

    An environment variable, not a flag: it has to reach every process that runs the flows,
    `serve`'s flow-run processes and Dask workers included, and they inherit the environment.
    """
    return tuple(m.strip() for m in env.get(SPEC_MODULES, "").split(",") if m.strip())


@dataclass(frozen=True, slots=True)
class Settings:
    db: Path | str  # a DuckDB file, or a `ducklake:postgres:…` address (kept as a string)
    data_dir: Path
    batch_size: int
    user_agent: str
    contact_url: str
    session_seconds: float  # a write session merges what was parsed in at most this long ...
    session_mb: float  # ... or this many MB of staged Arrow data, whichever comes first
    # the operator's own site-spec modules, registered when `flows` is imported (see flows/__init__.py)
    spec_modules: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, db: str | Path | None = None) -> Settings:
        raw = str(db or os.environ.get("REGIONEWS_DB") or DEFAULT_DB)
        on_lake = raw.startswith("ducklake:")
        db_path: Path | str = raw if on_lake else Path(raw)
        contact = os.environ.get("REGIONEWS_CONTACT_URL", "https://example.org/regionews-contact")
        return cls(
            db=db_path,
            # A lake has no folder of its own: its WARC archives go under ./data unless told.
            data_dir=Path(os.environ.get("REGIONEWS_DATA_DIR") or ("data" if on_lake else Path(raw).parent)),
            batch_size=int(os.environ.get("REGIONEWS_BATCH_SIZE") or (LAKE_BATCH_SIZE if on_lake else 500)),
            user_agent=f"regionews/0.1 (+{contact})",
            contact_url=contact,
            session_seconds=float(os.environ.get("REGIONEWS_SESSION_SECONDS", "5")),
            session_mb=float(os.environ.get("REGIONEWS_SESSION_MB", "32")),
            spec_modules=spec_modules(),
        )

    def batch_writer(self, warehouse: Warehouse, spool_as: str | None = None) -> BatchWriter:
        """How the flows write bulk results: several batches to one bounded write session."""
        from warehouse.session import BatchWriter

        return BatchWriter(
            warehouse, seconds=self.session_seconds, max_bytes=int(self.session_mb * 2**20), spool_as=spool_as
        )
