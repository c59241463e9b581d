"""`regionews check`: the warehouse is consistent and every page's raw bytes are still kept."""

from __future__ import annotations

from pathlib import Path

from flows.archive import resolve_location, warehouse_folder
from flows.inputs import StoredPage, read_stored
from warehouse.db import connect
from warehouse.integrity import page_locations, sql_problems
from warehouse.runs import dead_runs


def check(db: str | Path, deep: bool = False, limit: int = 20) -> dict[str, list[str]]:
    """Problems found, by check name (empty when all is well).

    Every page must still be where `pages.location` says; with `deep`, its bytes are read
    back and must hash to the stored sha256.
    """
    con = connect(db, read_only=True, wait_seconds=30)
    try:
        problems = sql_problems(con, limit)
        dead = dead_runs(con)  # their process is gone; the next run marks them abandoned
        locations = page_locations(con)
    finally:
        con.close()
    folder = warehouse_folder(db)
    base = str(folder) if folder else None
    missing: list[str] = []
    for url, sha, location, offset in locations:
        if not location or not resolve_location(location, base).exists():
            missing.append(f"{url} ({location or 'no location'})")
        elif deep:
            try:
                read_stored(StoredPage(url, sha, "", location, offset, None, 200, (), base=base))
            except OSError as exc:
                missing.append(f"{url} ({exc})")
    if dead:
        problems["run died while running (the next run marks it abandoned)"] = dead[:limit]
    if missing:
        problems["page not in the archive"] = missing[:limit]
    return problems
