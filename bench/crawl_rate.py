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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # slow on a busy machine
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows import crawl as crawl_module  # noqa: E402 - after the sys.path line
from flows.archive import WarcArchive  # noqa: E402
from flows.sites import load_sites  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clones", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    registry = load_sites()
    # The replica runs in its own process so it does not share the crawler's GIL.
    server = subprocess.Popen(
        [sys.executable, "-m", "flows.replica", "--port", str(args.port), "--clones", str(args.clones),
         "--page-size", "500", "--lifetime", "900", "--max-requests", "1000000"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    print(server.stdout.readline().strip())
    archives: list[WarcArchive] = []
    real_init = WarcArchive.__init__

    def spying_init(self, *a, **kw):  # keep a handle on the crawl's archive to read its timers
        real_init(self, *a, **kw)
        archives.append(self)

    WarcArchive.__init__ = spying_init  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            reg = registry.impolite(args.concurrency)
            url = f"http://127.0.0.1:{args.port}"

            async def run():
                from prefect import flow

                @flow(name="crawl-bench")
                async def bench_flow():
                    return await crawl_module.crawl_registry(reg, db=db, connect_to=url, polite=False)

                return await bench_flow()

            started, cpu = time.monotonic(), time.process_time()
            reports = asyncio.run(run())
            wall, cpu = time.monotonic() - started, time.process_time() - cpu
    finally:
        server.terminate()
        server.wait()
    pages = sum(r.fetched for r in reports)
    lists = sum(r.lists_fetched for r in reports)
    crawling = max(r.seconds for r in reports)
    archive = archives[0]
    print(
        f"pages fetched: {pages} (+{lists} list pages), new articles: {sum(r.articles_new for r in reports)}"
    )
    print(
        f"crawl: {crawling:.1f}s -> {pages / crawling:.0f} pages/s (wall with Prefect start-up {wall:.1f}s)"
    )
    print(f"crawler CPU: {cpu:.1f}s in all -> {pages / cpu:.0f} pages per CPU-second (load-independent)")
    print(f"machine load while crawling: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    per_page = archive.seconds / archive.records * 1000
    print(
        f"archiving: {archive.records} records, {archive.bytes / 1e6:.1f} MB of bodies, "
        f"{archive.seconds:.2f}s = {per_page:.2f} ms per record "
        f"({archive.seconds / crawling:.0%} of the crawl's time)"
    )


if __name__ == "__main__":
    main()
