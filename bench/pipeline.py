"""The whole pipeline on a synthetic corpus: parse + normalize + warehouse load, streamed.

Pages are made from the fixture templates: each template's own body paragraphs (found in
the decoded HTML by the text its parser extracted) are replaced with paragraphs drawn from
every fixture's text, the title gets a serial, the URL a fresh id of the same shape (so it
routes to the same parser), and the page is re-encoded in the template's own charset.
Memory is read at checkpoints: a streaming load must stay flat as the corpus grows.
"""

from __future__ import annotations

import random
import re
import resource
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from parsers.decoding import decode_page
from parsers.process import process_pages
from parsers.records import Page
from parsers.registry import parser_for
from tests.fixture_cases import all_cases
from warehouse.session import Warehouse
from warehouse.writer import write_batch

_LAST_DIGITS = re.compile(r"(\d+)(?!.*\d)")
_HEX32 = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True, slots=True)
class Template:
    url: str
    text: str
    encoding: str
    paragraphs: tuple[str, ...]  # raw paragraphs found verbatim in `text`
    title: str | None


def templates() -> list[Template]:
    out = []
    for case in all_cases():
        if case.expected.get("not_article"):
            continue
        page = case.page()
        decoded = decode_page(page)
        try:
            article = parser_for(page.effective_url).parse(page)
        except Exception:
            continue
        raw = article.raw_paragraphs or article.paragraphs
        found = tuple(p for p in raw if len(p) >= 20 and p in decoded.text)
        raw_title = article.raw_title if article.raw_title and article.raw_title in decoded.text else None
        out.append(Template(page.effective_url, decoded.text, decoded.encoding, found, raw_title))
    return out


def _sentence_pool() -> list[str]:
    pool: list[str] = []
    for case in all_cases():
        if case.body_txt.exists():
            for line in case.body_txt.read_text("utf-8").splitlines():
                pool.extend(s + "。" for s in line.split("。") if len(s) >= 8)
    return pool or ["县委、县政府高度重视民族团结进步创建工作，多次专题研究部署。"]


def _new_url(url: str, serial: int) -> str:
    if _HEX32.search(url):
        return _HEX32.sub(f"{serial:032x}", url, count=1)
    m = _LAST_DIGITS.search(url)
    if not m:
        return f"{url}?n={serial}"
    digits = m.group(1)
    new = str(int(digits) + serial + 1).rjust(len(digits), "0")[-len(digits) :] if len(digits) >= 6 else None
    if new is None:  # short ids: append the serial to the last path segment's digits
        new = f"{digits}{serial}"
    return url[: m.start(1)] + new + url[m.end(1) :]


def corpus(n: int, seed: int = 7) -> Iterator[Page]:
    """`n` pages cycling over the templates, each with fresh article text and a unique URL."""
    rng = random.Random(seed)
    temps = templates()
    pool = _sentence_pool()
    for i in range(n):
        t = temps[i % len(temps)]
        text = t.text
        for para in t.paragraphs:
            k = max(1, min(8, len(para) // 40))
            text = text.replace(para, "".join(rng.choice(pool) for _ in range(k)), 1)
        if t.title:
            text = text.replace(t.title, f"{t.title}（{i}）")
        body = text.encode(t.encoding, errors="xmlcharrefreplace")
        yield Page(url=_new_url(t.url, i), body=body, origin="file")


def rss_mb() -> float:
    """Current resident set size (MB) from /proc; 0 where /proc is missing."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@dataclass(frozen=True, slots=True)
class Checkpoint:
    pages: int
    seconds: float  # parse + normalize + load, excluding making the pages
    pages_per_s: float
    load_rows_per_s: float  # articles written per second of warehouse time alone
    rss_mb: float
    peak_rss_mb: float
    articles: int
    failures: int


def run(total: int = 100_000, checkpoints: tuple[int, ...] = (10_000, 50_000, 100_000), batch: int = 2_000):
    """Stream `total` synthetic pages through process_pages + write_batch; report at checkpoints."""
    marks = sorted(c for c in checkpoints if c <= total) or [total]
    out: list[Checkpoint] = []
    with tempfile.TemporaryDirectory() as tmp:
        # The flows' own write path: one short session (lock, open, write, close) per batch.
        warehouse = Warehouse(Path(tmp) / "bench.duckdb")
        work_s = load_s = 0.0  # making the synthetic pages is not timed
        articles = failures = 0
        buf: list[Page] = []

        def flush() -> None:
            nonlocal work_s, load_s, articles, failures
            t0 = time.perf_counter()
            results = process_pages(buf)
            t1 = time.perf_counter()
            with warehouse.write() as con:
                write_batch(con, results)
            t2 = time.perf_counter()
            work_s += t2 - t0
            load_s += t2 - t1
            articles += sum(r.article is not None for r in results)
            failures += sum(r.failure is not None for r in results)
            buf.clear()

        for done, page in enumerate(corpus(total), start=1):
            buf.append(page)
            if len(buf) >= batch or done in marks:
                flush()
            if done in marks:
                out.append(
                    Checkpoint(
                        done,
                        work_s,
                        done / work_s,
                        articles / max(load_s, 1e-9),
                        rss_mb(),
                        peak_rss_mb(),
                        articles,
                        failures,
                    )
                )
        if buf:
            flush()
    return out
