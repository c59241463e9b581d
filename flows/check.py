"""`regionews check`: the warehouse is consistent and every page's raw bytes are still kept."""

from __future__ import annotations

from pathlib import Path

from flows.inputs import StoredPage, read_stored
from warehouse.db import connect
from warehouse.integrity import page_locations, sql_problems


def check(db: str | Path, deep: bool = False, limit: int = 20) -> dict[str, list[str]]:
    """Problems found, by check name (empty when all is well).

    Every page must still be where `pages.location` says; with `deep`, its bytes are read
    back and must hash to the stored sha256.
    """
    con = connect(db, read_only=True, wait_seconds=30)
    try:
        problems = sql_problems(con, limit)
        locations = page_locations(con)
    finally:
        con.close()
    missing: list[str] = []
    for url, sha, location, offset in locations:
        if not location or not Path(location).exists():
            missing.append(f"{url} ({location or 'no location'})")
        elif deep:
            try:
                read_stored(StoredPage(url, sha, "", location, offset, None, 200, ()))
            except OSError as exc:
                missing.append(f"{url} ({exc})")
    if missing:
        problems["page not in the archive"] = missing[:limit]
    return problems
