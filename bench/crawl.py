"""Crawl ceiling: the whole crawl (discover, fetch, archive to WARC, parse, load) against the replica.

The replica runs in its own process (so its CPU is not ours) serving every fixture article
under `clones` extra URLs, 50 links per list page (a long column page): every article a site
lists is within its `max_list_pages`, so the normal crawl fetches them all, and the run fails
if it did not (a walk stopped early would measure less than the crawler's ceiling). The crawl
runs with politeness off (no delays, 8 requests per host), which is allowed only against our
own replica. A first small crawl warms up Prefect (its temporary server takes seconds to
start) and is not timed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_SERVER = """
import sys
from flows.replica import Replica, docs_from_fixtures
from flows.sites import load_sites
clones = int(sys.argv[2])
registry = load_sites()
replica = Replica(
    docs_from_fixtures(), registry, clones=clones, page_size=50, lifetime=1800, max_requests=10**7
)
replica.start(int(sys.argv[1]))
listed = [u for u, d in replica.docs.items()
          if d.role == "article" and any(s.enabled and s.is_article(u) for s in registry.sites)]
print("ready", len(listed), flush=True)
replica.wait()
"""


@dataclass(frozen=True, slots=True)
class CrawlResult:
    served_pages: int  # article pages the enabled sites list (fixture articles and their clones)
    requests: int
    fetched: int  # article pages fetched whole
    articles: int
    seconds: float
    cpu_seconds: float  # this process: fetch + archive + parse + load + orchestration

    @property
    def pages_per_s(self) -> float:
        return self.fetched / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.fetched if self.fetched else 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(clones: int = 60) -> CrawlResult:
    # Prefect's temporary server can take long to start on a busy 2-core machine
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    from flows.crawl import run_crawl

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(port), str(clones)], stdout=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.startswith("ready"):
            raise RuntimeError(f"replica did not start: {line!r}")
        served = int(line.split()[1])
        url = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as tmp:
            run_crawl(["xjmty"], db=Path(tmp) / "warm.duckdb", connect_to=url, polite=False,
                      warc_dir=Path(tmp) / "warc-warm")  # fmt: skip
            wall, cpu = time.perf_counter(), time.process_time()
            reports = run_crawl(db=Path(tmp) / "bench.duckdb", connect_to=url, polite=False,
                                warc_dir=Path(tmp) / "warc")  # fmt: skip
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    fetched = sum(r.get("fetched", 0) for r in reports)
    if fetched < served:
        raise RuntimeError(f"the crawl fetched {fetched} of the {served} article pages the sites list")
    return CrawlResult(
        served_pages=served,
        requests=sum(r.get("requests", 0) for r in reports),
        fetched=fetched,
        articles=sum(r.get("articles_new", 0) + r.get("articles_updated", 0) for r in reports),
        seconds=wall,
        cpu_seconds=cpu,
    )


if __name__ == "__main__":
    print(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
