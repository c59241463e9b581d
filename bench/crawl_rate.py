"""Crawl rate against the replica with politeness off, and what archiving every response costs.

    .venv/bin/python bench/crawl_rate.py [--clones 40] [--concurrency 8]

Serves the bundled fixture sites with each article also under `--clones` more URLs, crawls
them all with no delays, and prints pages/s and the WARC writing time per page. The crawl's
own clock excludes Prefect's start-up.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # slow on a busy machine
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows import crawl as crawl_module
from flows.archive import WarcArchive
from flows.replica import Replica, docs_from_fixtures
from flows.sites import load_sites


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clones", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    registry = load_sites()
    replica = Replica(docs_from_fixtures(), registry, clones=args.clones, page_size=500).start()
    archives: list[WarcArchive] = []
    real_init = WarcArchive.__init__

    def spying_init(self, *a, **kw):  # keep a handle on the crawl's archive to read its timers
        real_init(self, *a, **kw)
        archives.append(self)

    WarcArchive.__init__ = spying_init  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        reg = registry.impolite(args.concurrency)
        started = time.monotonic()

        async def run():
            from prefect import flow

            @flow(name="crawl-bench")
            async def bench_flow():
                return await crawl_module.crawl_registry(reg, db=db, connect_to=replica.url, polite=False)

            return await bench_flow()

        reports = asyncio.run(run())
        wall = time.monotonic() - started
    replica.stop()
    pages = sum(r.fetched for r in reports)
    lists = sum(r.lists_fetched for r in reports)
    crawling = max(r.seconds for r in reports)
    archive = archives[0]
    print(f"articles served: {len(replica.article_urls())}, pages fetched: {pages} (+{lists} list pages)")
    print(
        f"crawl: {crawling:.1f}s -> {pages / crawling:.0f} pages/s (wall with Prefect start-up {wall:.1f}s)"
    )
    print(f"requests: {len(replica.log)}, new articles: {sum(r.articles_new for r in reports)}")
    per_page = archive.seconds / archive.records * 1000
    print(
        f"archiving: {archive.records} records, {archive.bytes / 1e6:.1f} MB of bodies, "
        f"{archive.seconds:.2f}s = {per_page:.2f} ms per record "
        f"({archive.seconds / crawling:.0%} of the crawl's time)"
    )


if __name__ == "__main__":
    main()
