"""Runtime settings, read from the environment with defaults that work on a fresh clone."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("data") / "regionews.duckdb"


@dataclass(frozen=True, slots=True)
class Settings:
    db: Path
    data_dir: Path
    batch_size: int
    user_agent: str
    contact_url: str

    @classmethod
    def from_env(cls, db: str | Path | None = None) -> Settings:
        db_path = Path(db or os.environ.get("REGIONEWS_DB") or DEFAULT_DB)
        contact = os.environ.get("REGIONEWS_CONTACT_URL", "https://example.org/regionews-contact")
        return cls(
            db=db_path,
            data_dir=Path(os.environ.get("REGIONEWS_DATA_DIR") or db_path.parent),
            batch_size=int(os.environ.get("REGIONEWS_BATCH_SIZE", "500")),
            user_agent=f"regionews/0.1 (+{contact})",
            contact_url=contact,
        )
