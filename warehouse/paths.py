"""The files a warehouse keeps beside itself, named in one place that imports nothing heavy.

A command that finds nothing to do must not pay for pyarrow just to learn that no spool is
waiting (warehouse/spool.py needs it to read one).
"""

from __future__ import annotations

from pathlib import Path


def spool_dir(db: str | Path) -> Path:
    """Where batches wait while another process holds the file (see warehouse/spool.py)."""
    db = Path(db)
    return db.with_name(db.stem + ".spool")


def spool_waiting(db: str | Path) -> bool:
    """Whether the spool folder exists (it is removed once merged empty)."""
    return spool_dir(db).is_dir()
