"""Pages per second per core for each tool on the same pages, in one process.

Rounds interleave the tools so that they share the machine's state; each tool's rate is
the median over rounds of pages / CPU seconds of this process (`time.process_time`), which
a busy neighbour on the machine disturbs far less than wall time.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from bench.peers import Tool
from parsers.decoding import decode_page
from parsers.dom import parse_html
from parsers.normalize import normalize_article
from parsers.records import Page
from parsers.registry import parser_for


@dataclass(frozen=True, slots=True)
class Rate:
    tool: str
    pages_per_s: float
    runs: tuple[float, ...]


def _run_once(tool: Tool, pages: Sequence[Page], loops: int) -> float:
    gc.collect()
    start = time.process_time()
    for _ in range(loops):
        for page in pages:
            with contextlib.suppress(Exception):  # a page a tool rejects still cost its time
                tool([page])
    return loops * len(pages) / max(time.process_time() - start, 1e-9)


def rates(
    tools: dict[str, Tool], pages: Sequence[Page], rounds: int = 5, budget_s: float = 1.0
) -> list[Rate]:
    loops: dict[str, int] = {}
    for name, tool in tools.items():  # warm up, and size each run to about `budget_s` CPU seconds
        rate = _run_once(tool, pages, 1)
        loops[name] = max(1, round(budget_s * rate / len(pages)))
    runs: dict[str, list[float]] = {name: [] for name in tools}
    for _ in range(rounds):
        for name, tool in tools.items():
            runs[name].append(_run_once(tool, pages, loops[name]))
    return [Rate(name, median(r), tuple(r)) for name, r in runs.items()]


def stages(pages: Sequence[Page], loops: int = 20) -> dict[str, float]:
    """Microseconds per page spent in each step of our pipeline (decode, DOM, extract, normalize)."""
    decoded = [(p, decode_page(p).text) for p in pages]
    out: dict[str, float] = {}

    def clock(name: str, fn) -> None:
        gc.collect()
        best = []
        for _ in range(3):
            start = time.process_time()
            for _ in range(loops):
                for item in decoded:
                    fn(item)
            best.append((time.process_time() - start) / (loops * len(decoded)) * 1e6)
        out[name] = median(best)

    clock("decode", lambda item: decode_page(item[0]))
    clock("DOM parse (selectolax)", lambda item: parse_html(item[1]))
    extracted = []

    def extract(item) -> None:
        page, text = item
        with contextlib.suppress(Exception):
            parser_for(page.effective_url).extract(parse_html(text), page)

    clock("DOM parse + extract", extract)
    for page, text in decoded:
        with contextlib.suppress(Exception):
            extracted.append((parser_for(page.effective_url).extract(parse_html(text), page), page))
    gc.collect()
    best = []
    for _ in range(3):
        start = time.process_time()
        for _ in range(loops):
            for article, page in extracted:
                normalize_article(article, page)
        best.append((time.process_time() - start) / (loops * max(1, len(extracted))) * 1e6)
    out["normalize"] = median(best)
    out["extract"] = out["DOM parse + extract"] - out["DOM parse (selectolax)"]
    return out
