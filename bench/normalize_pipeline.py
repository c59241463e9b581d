"""Per-page cost of decode -> parse and of normalization over every fixture article page, and the
pages/s of the whole path (run on demand: `.venv/bin/python bench/normalize_pipeline.py`).

Each stage is timed per page as the best of many short batches: the machine is shared (load 5-12
on 2 cores during the session), so a best batch is the code's own cost and a median is mostly the
neighbours'.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from parsers import dom
from parsers.decoding import decode_page
from parsers.normalize import normalize_article
from parsers.registry import by_name
from tests.fixture_cases import all_cases

TRAFILATURA_PAGES_PER_S = 25  # measured on this machine (DESIGN.md)


def _best(fn: Callable[[], object], batches: int = 30, size: int = 5) -> float:
    best = float("inf")
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(size):
            fn()
        best = min(best, (time.perf_counter() - t0) / size)
    return best


def main() -> None:
    parse_s, norm_s, sizes = [], [], []
    for case in all_cases():
        if case.expected.get("not_article") or case.expected.get("continuations"):
            continue
        parser, page = by_name(case.parser), case.page()
        raw = parser.extract(dom.parse_html(decode_page(page).text), page)
        normalize_article(raw, page)  # warm: OpenCC dictionaries, regex caches
        parse_s.append(_best(lambda p=parser, pg=page: p.extract(dom.parse_html(decode_page(pg).text), pg)))
        norm_s.append(_best(lambda r=raw, pg=page: normalize_article(r, pg)))
        sizes.append(len(page.body))
    n = len(sizes)
    parse_ms, norm_ms = 1000 * sum(parse_s) / n, 1000 * sum(norm_s) / n
    rate = 1000 / (parse_ms + norm_ms)
    print(f"{n} fixture pages, mean {statistics.mean(sizes) / 1024:.1f} KB")
    print(f"decode+parse:  {parse_ms:.3f} ms/page (mean of per-page best)")
    print(f"normalize:     {norm_ms:.3f} ms/page (max {1000 * max(norm_s):.3f})")
    print(f"whole path:    {rate:.0f} pages/s = {rate / TRAFILATURA_PAGES_PER_S:.0f}x trafilatura")


if __name__ == "__main__":
    main()
