"""Several writers: the same synthetic articles into a DuckDB file and into DuckLake with 1, 2, 4 writers.

Each writer is its own process and writes through the warehouse's own write path, the way
the flows write batches of the backend's default size (`Settings.batch_size`: 500 on a file,
2,000 on a lake, `--batch` overrides both): into a file through `BatchWriter` (several
batches per bounded write session, as `load` does), into a lake one transaction per batch
(as a Dask worker commits what it parsed, `flows/worker_write.py`). Its share is chosen the
way sites are given to machines: by host, and hosts are dealt out by their write-fence
bucket (`lake.bucket`), so writers of different sites never bump the same fence and never
have to retry each other's commits; each writer writes its articles host after host, so a
batch holds one or two sites' articles, like a crawl batch.
The articles are built directly as records of realistic size (≈3 KB body plus its raw
text), so the figures are the warehouse's, not the parser's.

Meanwhile a reader process runs one small query `READER_PAUSE` seconds after the last one the way
`regionews sql` does (a fresh read-only connection each time) and reports its latency.
The DuckLake catalog is a throwaway PostgreSQL cluster on 127.0.0.1 (tests/postgres.py),
the data path a local folder: on a real cluster the catalog is a network round trip away and
the data path an object store (see README "Scaling").

python -m bench.lake [--articles 200000] [--writers 1,2,4] [--batch N]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

HOSTS = 64  # synthetic county portals; writer w writes the hosts h with h % writers == w
# Between two reader queries. A fresh lake connection loads two extensions and attaches the
# catalog (seconds of CPU on a loaded machine): a reader asking every second would take most
# of one of this machine's two cores from the writers it is measuring.
READER_PAUSE = 5.0


def _sentences() -> list[str]:
    from bench.pipeline import _sentence_pool

    return _sentence_pool()


def results(serials: range, hosts: list[int], pool: list[str], seed: int = 0) -> list:
    """PageResults for the given article serials, on the given hosts (serial n is on host n % HOSTS)."""
    from parsers.records import Article, Page, PageResult

    rng = random.Random(seed)
    # Paragraphs of about 500 characters, shared between articles so 200k records fit in memory.
    paragraph_pool = ["".join(rng.choice(pool) for _ in range(12))[:500] for _ in range(500)]
    out = []
    base = datetime(2020, 1, 1, tzinfo=UTC)
    wanted = set(hosts)
    for n in serials:
        host = n % HOSTS
        if host not in wanted:
            continue
        url = f"{host_url(host)}news/{n // 1000:04d}/{n:08d}.html"
        paragraphs = tuple(rng.choice(paragraph_pool) for _ in range(6))
        body = f"<html><body>{n}</body></html>".encode()
        page = Page(url=url, body=body, fetched_at=base + timedelta(minutes=n), origin="http")
        article = Article(
            url=url,
            site="generic",
            parser_version=1,
            title=f"县委召开民族团结进步创建推进会（第{n}期）",
            paragraphs=paragraphs,
            raw_paragraphs=paragraphs,
            published_at=base + timedelta(minutes=n),
            published_precision="minute",
            source="县融媒体中心",
            authors=("记者 张三",),
        )
        out.append(PageResult(page, "article", "generic", 1, article=article))
    return out


def host_url(host: int) -> str:
    return f"http://www.county{host:02d}.example.cn/"


def shares(writers: int) -> list[list[int]]:
    """The hosts of each writer: whole fence buckets per writer, dealt round-robin."""
    from warehouse.lake import bucket

    buckets = sorted({bucket(host_url(h)) for h in range(HOSTS)})
    mine = {b: i % writers for i, b in enumerate(buckets)}
    return [[h for h in range(HOSTS) if mine[bucket(host_url(h))] == w] for w in range(writers)]


def _writer(address: str, total: int, hosts: list[int], batch: int | None, ready, go, done) -> None:
    from warehouse import db
    from warehouse.session import BatchWriter, Warehouse
    from warehouse.settings import Settings
    from warehouse.writer import stage, write_batch

    batch = batch or Settings.from_env(address).batch_size
    pool = _sentences()
    todo = sorted(results(range(total), hosts, pool), key=lambda r: r.page.url)  # host after host
    warehouse = Warehouse(address)
    with warehouse.write():  # attached (a lake) or created (a file) before the clock starts
        pass
    ready.set()
    go.wait()
    started = time.monotonic()
    if warehouse.is_lake:  # as flows/worker_write.commit does on a worker's kept connection
        for i in range(0, len(todo), batch):
            with warehouse.write() as con:
                write_batch(con, todo[i : i + batch])
    else:
        with BatchWriter(warehouse) as writer:
            for i in range(0, len(todo), batch):
                writer.add(stage(todo[i : i + batch]))
    done.put((len(todo), time.monotonic() - started, db.conflicts[0]))
    warehouse.close()


def _reader(address: str, every: float, stop, out) -> None:
    from warehouse.adhoc_sql import run_read_only

    latencies = []
    while not stop.is_set():
        started = time.monotonic()
        try:
            run_read_only(address, "SELECT count(*) FROM articles WHERE site = 'generic'", wait_seconds=120)
            latencies.append(time.monotonic() - started)
        except Exception as exc:  # a reader that gave up is a figure too
            latencies.append(float("inf"))
            print(f"reader: {exc}", flush=True)
        stop.wait(every)
    out.put(latencies)


@dataclass
class Run:
    backend: str
    writers: int
    articles: int
    seconds: float
    reader: list[float] = field(default_factory=list)
    batch: int = 0
    conflicts: int = 0  # commits run again because another writer's commit won

    @property
    def rate(self) -> float:
        return self.articles / self.seconds

    def reader_ms(self, q: float) -> float:
        done = sorted(x for x in self.reader if x != float("inf"))
        if not done:
            return float("nan")
        return 1000 * done[min(len(done) - 1, int(q * len(done)))]


def _check_once(address: str, written: int) -> None:
    """Every article the writers wrote is in the warehouse exactly once (no lost or doubled row)."""
    from warehouse.db import connect

    con = connect(address, read_only=True)
    try:
        rows, urls = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
    finally:
        con.close()
    if not rows == urls == written:
        raise SystemExit(f"{address}: {rows} article rows, {urls} URLs, {written} written")


def one_run(
    address: str, backend: str, total: int, writers: int, batch: int | None, reader_every: float
) -> Run:
    ctx = mp.get_context("spawn")
    go, stop = ctx.Event(), ctx.Event()
    done, latencies = ctx.Queue(), ctx.Queue()
    readies = [ctx.Event() for _ in range(writers)]
    procs = [
        ctx.Process(target=_writer, args=(address, total, hosts, batch, readies[w], go, done))
        for w, hosts in enumerate(shares(writers))
    ]
    for p in procs:
        p.start()
    for r in readies:
        r.wait(600)
    reader = ctx.Process(target=_reader, args=(address, reader_every, stop, latencies))
    reader.start()
    started = time.monotonic()
    go.set()
    finished = [done.get(timeout=7200) for _ in procs]
    wall = time.monotonic() - started
    stop.set()
    reader_latencies = latencies.get(timeout=600)
    for p in [*procs, reader]:
        p.join(60)
    from warehouse.settings import Settings

    written = sum(n for n, _, _ in finished)
    conflicts = sum(c for _, _, c in finished)
    _check_once(address, written)
    size = batch or Settings.from_env(address).batch_size
    return Run(backend, writers, written, wall, reader_latencies, size, conflicts)


def run(
    total: int, writer_counts: tuple[int, ...], batch: int | None = None, reader_every: float = READER_PAUSE
) -> list[Run]:
    from tests import postgres

    runs = []
    with tempfile.TemporaryDirectory(prefix="regionews-lake-bench-") as tmp:
        print(f"file backend, 1 writer, {total} articles ...", flush=True)
        runs.append(one_run(str(Path(tmp) / "file.duckdb"), "file", total, 1, batch, reader_every))
        print(markdown(runs)[2 + len(runs) - 1], flush=True)  # each row as soon as it is measured
        cluster = postgres.start()
        try:
            for n in writer_counts:
                import os

                dsn = cluster.create_database(f"bench_{n}")
                os.environ["REGIONEWS_LAKE_DATA"] = str(Path(tmp) / f"lake-{n}")
                address = f"ducklake:postgres:{dsn}"
                from warehouse.db import connect

                connect(address).close()  # migrated once, before the writers start
                print(f"DuckLake, {n} writer(s), {total} articles ...", flush=True)
                runs.append(one_run(address, "ducklake", total, n, batch, reader_every))
                print(markdown(runs)[2 + len(runs) - 1], flush=True)  # each row as soon as it is measured
        finally:
            cluster.stop()
    return runs


def markdown(runs: list[Run]) -> list[str]:
    lake_one = next((r for r in runs if r.backend == "ducklake" and r.writers == 1), None)
    file_run = next((r for r in runs if r.backend == "file"), None)
    lines = [
        "| backend | writers | batch | articles | seconds | articles/s | vs 1 DuckLake writer | vs file |"
        " commits run again | reader median ms | reader p95 ms | reader max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        vs_lake = f"{r.rate / lake_one.rate:.2f}×" if lake_one and r.backend == "ducklake" else ""
        vs_file = f"{r.rate / file_run.rate:.2f}×" if file_run else ""
        worst = max(r.reader) if r.reader else float("nan")
        lines.append(
            f"| {r.backend} | {r.writers} | {r.batch:,} | {r.articles:,} | {r.seconds:.1f} | {r.rate:,.0f} |"
            f" {vs_lake} | {vs_file} | {r.conflicts} | {r.reader_ms(0.5):.0f} | {r.reader_ms(0.95):.0f} |"
            f" {1000 * worst:.0f} |"
        )
    lines.append("")
    lines.append(
        "Batches of the backend's default size: into the file through `BatchWriter` (several batches "
        "per write session, as `load` writes), into DuckLake one commit per batch (as a Dask worker "
        "commits); "
        f"writers split the {HOSTS} hosts by write-fence bucket, as sites are given to machines, "
        "and write host after host. "
        f"Reader: a fresh read-only connection and one count query, {READER_PAUSE:.0f} s after the last "
        "(what `regionews sql` does); on DuckLake that includes loading the two extensions."
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--writers", default="1,2,4")
    ap.add_argument("--batch", type=int, help="articles per batch (default: the backend's, as the flows)")
    ap.add_argument("--json", help="also write the runs here")
    args = ap.parse_args(argv)
    runs = run(args.articles, tuple(int(x) for x in args.writers.split(",")), args.batch)
    print("\n".join(markdown(runs)))
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in runs], default=str), "utf-8")
    print(f"median reader latency overall: {statistics.median(x for r in runs for x in r.reader):.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
