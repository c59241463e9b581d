"""Pages/s of decode -> parse -> normalize over every fixture article page, with and without the
normalization step (run on demand: `.venv/bin/python bench/normalize_pipeline.py`).

Best of several passes: the machine is shared, so the best pass is the code's own cost.
"""

from __future__ import annotations

import time

import parsers.base as base
from parsers.normalize import normalize_article
from parsers.registry import by_name
from tests.fixture_cases import all_cases


def _pages() -> list:
    out = []
    for case in all_cases():
        if case.expected.get("not_article") or case.expected.get("continuations"):
            continue
        out.append((by_name(case.parser), case.page()))
    return out


def _best_rate(pages: list, passes: int = 15) -> float:
    best = 0.0
    for _ in range(passes):
        t0 = time.perf_counter()
        for parser, page in pages:
            parser.parse(page)
        best = max(best, len(pages) / (time.perf_counter() - t0))
    return best


def main() -> None:
    pages = _pages()
    kb = sum(len(p.body) for _, p in pages) / len(pages) / 1024
    _best_rate(pages, 2)  # warm up: OpenCC dictionaries, regex caches
    with_norm = _best_rate(pages)
    base.normalize_article = lambda article, page=None: article  # type: ignore[assignment]
    try:
        without = _best_rate(pages)
    finally:
        base.normalize_article = normalize_article
    per_page_ms = 1000 / with_norm - 1000 / without
    print(f"{len(pages)} fixture pages, mean {kb:.1f} KB")
    print(f"decode+parse+normalize: {with_norm:7.0f} pages/s  ({with_norm / 25:.0f}x trafilatura's ~25/s)")
    print(f"decode+parse only:      {without:7.0f} pages/s")
    print(f"normalization:          {per_page_ms:7.3f} ms/page")


if __name__ == "__main__":
    main()
