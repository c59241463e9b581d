"""The warehouse write path at scale: synthetic articles through the flows' own writer.

Articles of realistic size (about 3 KB of normalized body plus the raw body, title, source,
authors, an image) go through exactly what `load` and `reparse` use: `stage()` per batch of
`REGIONEWS_BATCH_SIZE` (500) and `BatchWriter` (REGIONEWS_SESSION_*: several batches per bounded write
session, lock, one transaction, checkpoint on close). Beside it, in its own process, the
ceiling: the same staged Arrow tables inserted into tables with no keys and no merge, over one
connection, DuckDB's defaults. Each is reported per step (100,000 articles by default):
articles/s of wall time and of CPU time (the CPU figure is what to compare on a shared
machine), resident memory, and for the flows' path the longest write session (how long a
reader can wait). Making the synthetic articles is not timed.

Run: .venv/bin/python -m bench.write_path [--articles 1000000] [--step 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from parsers.records import Article, Image, Page, PageResult

ROOT = Path(__file__).resolve().parent.parent
BODY_CHARS = 1_000  # CJK characters: about 3 KB of UTF-8, as in a county news story


def _sentences() -> list[str]:
    """Real sentences from the fixtures' hand-written bodies, so the text compresses like news."""
    pool = []
    for path in sorted(ROOT.glob("fixtures/*/*.body.txt")):
        for line in path.read_text("utf-8").splitlines():
            pool.extend(s + "。" for s in line.split("。") if len(s) >= 8)
    return pool


class Synthetic:
    """Distinct articles, each built from random real sentences; deterministic for a seed."""

    def __init__(self, seed: int = 12) -> None:
        self.rng = random.Random(seed)
        self.pool = _sentences()
        self.start = datetime(2015, 1, 1, tzinfo=UTC)

    def _paragraphs(self) -> tuple[str, ...]:
        paras, size = [], 0
        while size < BODY_CHARS:
            para = "".join(self.rng.choice(self.pool) for _ in range(self.rng.randint(2, 5)))
            paras.append(para)
            size += len(para)
        return tuple(paras)

    def batch(self, first: int, n: int) -> list[PageResult]:
        out = []
        for i in range(first, first + n):
            url = f"http://www.county{i % 97}.gov.cn/news/{i // 10_000}/{i:09d}.html"
            when = self.start + timedelta(minutes=7 * i)
            warc = f"/data/warc/{i // 50_000}.warc.gz"
            page = Page(
                url=url, body=b"", fetched_at=when, origin="warc", location=warc, warc_offset=i * 4096
            )
            paras = self._paragraphs()
            art = Article(
                url=url, site="generic", parser_version=3, title=f"县委召开民族团结进步创建推进会（{i}）",
                paragraphs=paras, page_sha256=page.sha256, published_at=when, published_precision="minute",
                published_origin="page", source="县融媒体中心", authors=("张明",), editors=("李华",),
                images=(Image(src=f"/img/{i}.jpg", caption="会议现场"),), script="zh-Hans",
                flags=("metadata_moved",), raw_title=f"县委召开民族团结进步创建推进会（{i}）",
                raw_paragraphs=tuple("\u3000\u3000" + p for p in paras),
            )  # fmt: skip
            out.append(PageResult(page, "article", "generic", 3, article=art))
        return out


@dataclass
class Step:
    articles: int  # written so far
    wall_s: float  # of this step
    cpu_s: float  # of this step, all threads of the process
    per_s: float  # articles/s of wall time in this step
    per_cpu_s: float  # articles per CPU second in this step
    rss_mb: float
    peak_rss_mb: float
    sessions: int = 0  # write sessions so far (flows' path)
    longest_session_s: float = 0.0  # in this step (flows' path): how long a reader could wait


def _rss_mb() -> float:
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_flows(db: Path, total: int, step: int, batch_size: int) -> list[Step]:
    """The flows' write path: stage each batch, hand it to a BatchWriter (REGIONEWS_SESSION_*)."""
    from warehouse.session import BatchWriter, Warehouse
    from warehouse.writer import stage

    warehouse = Warehouse(db)
    writer = BatchWriter(warehouse)
    longest = 0.0
    flush = writer.flush

    def timed_flush():  # the session a reader waits for: lock, open, merge, checkpoint, release
        nonlocal longest
        t = time.perf_counter()
        counts = flush()
        longest = max(longest, time.perf_counter() - t)
        return counts

    writer.flush = timed_flush  # type: ignore[method-assign]

    def write(results: list[PageResult], last: bool) -> None:
        writer.add(stage(results))
        if last:
            writer.flush()

    def session_info() -> tuple[int, float]:
        nonlocal longest
        info = (warehouse.sessions, longest)
        longest = 0.0
        return info

    return _steps(total, step, batch_size, write, session_info)


def run_ceiling(db: Path, total: int, step: int, batch_size: int) -> list[Step]:
    """The same staged tables appended to key-less tables over one connection (no merge, no lock)."""
    import duckdb

    from warehouse.writer import stage

    con = duckdb.connect(str(db))
    made = False

    def write(results: list[PageResult], last: bool) -> None:
        nonlocal made
        staged = stage(results)
        for name, table in (("articles", staged.articles), ("pages", staged.pages)):
            con.register("_t", table)
            if not made:
                con.execute(f"CREATE TABLE {name} AS SELECT * FROM _t LIMIT 0")
            con.execute(f"INSERT INTO {name} SELECT * FROM _t")
            con.unregister("_t")
        made = True
        if last:
            con.execute("CHECKPOINT")

    steps = _steps(total, step, batch_size, write, lambda: (0, 0.0))
    con.close()
    return steps


def _steps(total: int, step: int, batch_size: int, write, session_info) -> list[Step]:
    make = Synthetic()
    out: list[Step] = []
    wall = cpu = 0.0
    for first in range(0, total, batch_size):
        n = min(batch_size, total - first)
        results = make.batch(first, n)  # not timed
        done = first + n
        t, c = time.perf_counter(), time.process_time()
        write(results, done == total)
        wall += time.perf_counter() - t
        cpu += time.process_time() - c
        if done % step == 0 or done == total:
            sessions, longest = session_info()
            n = done - (out[-1].articles if out else 0)
            out.append(Step(done, wall, cpu, n / wall, n / cpu, _rss_mb(), _peak_mb(), sessions, longest))
            wall = cpu = 0.0
    return out


def measure(path: str, total: int, step: int) -> list[Step]:
    """Run one path in a fresh process (its own peak RSS) on a fresh warehouse; returns its steps."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.write_path", "--path", path, "--articles", str(total),
         "--step", str(step), "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [Step(**row) for row in json.loads(out.splitlines()[-1])]


@dataclass(frozen=True)
class WritePath:
    articles: int
    step: int
    flows: list[Step]
    ceiling: list[Step]

    @property
    def first_per_s(self) -> float:
        return self.flows[0].per_s

    @property
    def last_per_s(self) -> float:
        return self.flows[-1].per_s

    @property
    def peak_rss_mb(self) -> float:
        return max(s.peak_rss_mb for s in self.flows)


def run(total: int, step: int) -> WritePath:
    """Both paths, one after the other, each in its own fresh process and warehouse."""
    return WritePath(total, step, measure("flows", total, step), measure("ceiling", total, step))


def from_json(folder: Path, step: int) -> WritePath:
    """The steps of runs made one path at a time (`--path flows|ceiling --json` into
    `folder`/flows.json and ceiling.json): a long run can be split; a missing ceiling is left out."""

    def steps(name: str) -> list[Step]:
        path = folder / f"{name}.json"
        if not path.exists() or not path.read_text("utf-8").strip():
            return []
        return [Step(**row) for row in json.loads(path.read_text("utf-8").splitlines()[-1])]

    flows = steps("flows")
    if not flows:
        raise SystemExit(f"no steps of the flows' path in {folder}/flows.json")
    return WritePath(flows[-1].articles, step, flows, steps("ceiling"))


def markdown(result: WritePath) -> list[str]:
    f0, fl = result.flows[0], result.flows[-1]
    lines = [
        f"## Warehouse write path: {result.articles:,} synthetic articles (bench/write_path.py)",
        "Articles of realistic size (about 1,000 CJK characters of body, about 3 KB, plus the raw "
        "body, title, source, authors, an image; about 7.6 KB of staged Arrow each) through the "
        "flows' own write path: `writer.stage()` per batch of 500 and `BatchWriter` (several "
        "batches per write session of at most 5 s or 32 MB: lock, open, merge in one transaction, "
        "checkpoint on close), into a fresh DuckDB file. Beside it, in its own process, the ceiling: "
        "the same staged Arrow tables appended to tables with no keys and no merge over one "
        "connection. Per step of "
        f"{result.step:,} articles: articles/s of wall time and per CPU second (the CPU figure is the "
        "one to compare on a shared machine), resident memory, and the longest write session of the "
        "step (how long a reader can wait). Making the articles is not timed.",
        "",
        "| articles | flows /s | flows /CPU-s | flows RSS MB | flows peak MB | sessions | longest session s "
        "| ceiling /s | ceiling /CPU-s | ceiling peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, f in enumerate(result.flows):
        c = result.ceiling[i] if i < len(result.ceiling) else None
        ceiling = f"| {c.per_s:,.0f} | {c.per_cpu_s:,.0f} | {c.peak_rss_mb:.0f} |" if c else "| – | – | – |"
        lines.append(
            f"| {f.articles:,} | {f.per_s:,.0f} | {f.per_cpu_s:,.0f} | {f.rss_mb:.0f} | {f.peak_rss_mb:.0f} "
            f"| {f.sessions} | {f.longest_session_s:.1f} {ceiling}"
        )
    lines += [
        "",
        *(
            ["The ceiling was not measured in this run (–)."]
            if len(result.ceiling) < len(result.flows)
            else []
        ),
        f"Last step against the first: {fl.per_s / f0.per_s:.0%} of wall rate, "
        f"{fl.per_cpu_s / f0.per_cpu_s:.0%} of CPU rate (target: within 20 %). "
        "Targets: sustained 20,000 articles/s, peak RSS under 1 GB.",
        "",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--step", type=int, default=100_000)
    ap.add_argument("--path", choices=("flows", "ceiling"), help="run one path in this process")
    ap.add_argument("--json", action="store_true", help="print the steps as one JSON line")
    args = ap.parse_args(argv)
    if args.path:
        from warehouse.settings import Settings

        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            one_path = run_flows if args.path == "flows" else run_ceiling
            steps = one_path(db, args.articles, args.step, Settings.from_env(db).batch_size)
        if args.json:
            print(json.dumps([asdict(s) for s in steps]))
        else:
            for s in steps:
                print(s)
        return 0
    print("\n".join(markdown(run(args.articles, args.step))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
