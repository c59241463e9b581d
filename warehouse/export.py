"""Snapshots for readers: Parquet files analysts and notebooks read without touching the live DuckDB.

`articles` is partitioned by site and publication year (Asia/Shanghai; `unknown` when the page
gave no date); the research tables are single files; `manifest.json` records counts and the time.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

MANIFEST = "manifest.json"

# Articles as researchers read them: every field, plus the story (cluster) and primary county.
ARTICLES_SQL = """
SELECT a.* EXCLUDE (raw_body),
       m.cluster_id, m.role AS cluster_role,
       p.adcode, p.province, p.city, p.county,
       coalesce(CAST(year(a.published_at AT TIME ZONE 'Asia/Shanghai') AS VARCHAR), 'unknown') AS year
FROM articles a
LEFT JOIN cluster_members m ON m.url = a.url
LEFT JOIN article_primary_region p ON p.url = a.url
"""
TABLES = ("clusters", "cluster_members", "article_regions", "article_terms")


class ExportError(Exception):
    """The target folder holds something that is not an earlier export; nothing was written."""


def export(con: duckdb.DuckDBPyConnection, out_dir: str | Path) -> dict:
    """Write the snapshot into `out_dir` (replacing an earlier export there) and return its manifest."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; --to takes a folder (new, or holding an earlier export)")
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise ExportError(
            f"{out} is not empty and holds no earlier export ({MANIFEST}); choose another folder"
        )
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    con.execute(
        f"COPY ({ARTICLES_SQL}) TO '{_quote(out / 'articles')}' "
        "(FORMAT parquet, PARTITION_BY (site, year), COMPRESSION zstd)"
    )
    tables: dict[str, dict] = {}
    (articles,) = con.execute("SELECT count(*) FROM articles").fetchone()
    tables["articles"] = {"rows": int(articles), "path": "articles/site=*/year=*/*.parquet"}
    for table in TABLES:
        con.execute(
            f"COPY {table} TO '{_quote(out / (table + '.parquet'))}' (FORMAT parquet, COMPRESSION zstd)"
        )
        (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        tables[table] = {"rows": int(rows), "path": f"{table}.parquet"}
    partitions = con.execute(
        f"SELECT site, year, count(*) FROM ({ARTICLES_SQL}) GROUP BY ALL ORDER BY site, year"
    ).fetchall()
    (schema_version,) = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    manifest = {
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": schema_version,
        "tables": tables,
        "articles_by_site_year": [{"site": s, "year": y, "articles": n} for s, y, n in partitions],
        "read_with": "SELECT * FROM read_parquet('articles/*/*/*.parquet', hive_partitioning = true)",
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return manifest


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
