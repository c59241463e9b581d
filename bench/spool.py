"""What the spool costs per batch, beside a direct write of the same batch, as the warehouse grows.

At each size (synthetic articles as in bench/snapshot.py) and for the crawl's batch (50 pages)
and the load's (500): a direct `write_batch` of a batch (half edited, half new articles), the
same kind of batch kept in the spool (`spool.put`: staged tables to Parquet, fsynced, renamed),
and the merge of that spooled batch by the next write session (`spool.drain`: read back, the
same staged merge, its `spool_applied` row, the folder deleted). Load average beside each row.

Run: .venv/bin/python -m bench.spool [--sizes 10000,100000] [--dir /tmp/x]
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.snapshot import batch, grow, sized_main, timed
from warehouse import spool
from warehouse.db import connect
from warehouse.writer import stage, write_batch

BATCHES = (50, 500)  # crawl batch (flows/sites.toml batch_size), load batch (REGIONEWS_BATCH_SIZE)
REPEAT = 3


def run(sizes: list[int], root: Path) -> list[dict]:
    db = root / "regionews.duckdb"
    rows = []
    have = 0
    for size in sizes:
        con = connect(db)
        grow(con, have, size)
        con.execute("CHECKPOINT")
        have = size
        for n in BATCHES:
            direct, put, merge, kb = [], [], [], []
            for i in range(REPEAT):
                half = n // 2
                # distinct starts: each batch edits other stored articles and adds other new ones
                results = batch(size - (2 * i) * n, edited=half, new=n - half)
                direct.append(timed(lambda results=results, con=con: write_batch(con, results))[0])
                more = batch(size - (2 * i + 1) * n, edited=half, new=n - half)
                seconds, kept = timed(lambda more=more: spool.put(db, "bench", stage(more)))
                put.append(seconds)
                kb.append(sum(f.stat().st_size for f in kept.path.iterdir()) / 1024)
                merge.append(timed(lambda con=con: spool.drain(con, db))[0])
            rows.append(
                {
                    "articles": size,
                    "batch": n,
                    "direct_ms": 1000 * min(direct),
                    "spool_ms": 1000 * min(put),
                    "merge_ms": 1000 * min(merge),
                    "spool_kb": min(kb),
                    "load": os.getloadavg()[0],
                }
            )
            print(rows[-1], flush=True)
        con.close()
    return rows


def table(rows: list[dict]) -> str:
    head = (
        "| articles | batch | direct write ms | spool it ms | merge it later ms | spooled KB | load avg |\n"
        "|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(
        f"| {r['articles']:,} | {r['batch']} | {r['direct_ms']:.0f} | {r['spool_ms']:.0f} | "
        f"{r['merge_ms']:.0f} | {r['spool_kb']:.0f} | {r['load']:.1f} |"
        for r in rows
    )


def main() -> None:
    sized_main(__doc__, "10000,100000", "spool", run, table)


if __name__ == "__main__":
    main()
