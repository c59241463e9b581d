"""How long normalize_article takes per seed article. Run on demand, never in CI:
`.venv/bin/python bench/normalize_timing.py`.

The budget: the whole decode -> parse -> normalize path must reach 30x trafilatura (~25 pages/s
here), i.e. about 1.3 ms a page, of which parsing takes ~0.75 ms; normalization gets well under 1 ms.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from parsers.normalize import normalize_article, normalize_with_report
from parsers.records import Article
from parsers.script import detect_script

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
TITLE_LINES = {"000": 1, "001": 1, "002": 1, "003": 1, "004": 2}


def seed_article(path: Path) -> Article:
    lines = [x for x in path.read_text("utf-8").splitlines() if x.strip()]
    n = TITLE_LINES[path.name[:3]]
    title, paragraphs = "\n".join(lines[:n]), tuple(lines[n:])
    return Article(
        url="http://www.tianshui.com.cn/news/zjc/201905261112464568.htm",
        site="bench",
        parser_version=1,
        title=title,
        paragraphs=paragraphs,
        script=detect_script(title + "\n".join(paragraphs)),  # site parsers declare their script
    )


def main() -> None:
    normalize_article(seed_article(next(SEEDS.glob("001_*.txt"))))  # load dictionaries once
    print(
        f"{'seed':6} {'chars':>6} {'KB':>5} {'best ms':>8} {'median':>7} {'pages/s':>8}"
        "  pinyin conv gbk moved"
    )
    for path in sorted(SEEDS.glob("*.txt")):
        art = seed_article(path)
        chars = len(art.title) + sum(len(p) for p in art.paragraphs)
        kb = (len(art.title.encode()) + sum(len(p.encode()) for p in art.paragraphs)) / 1024
        runs = []
        for _ in range(40):
            t0 = time.perf_counter()
            for _ in range(20):
                normalize_article(art)
            runs.append((time.perf_counter() - t0) / 20)
        # best batch: the machine is shared (load 5-7 on 2 cores during the session), the median
        # measures the neighbours; the best batch is what the code costs on a free core
        ms = min(runs) * 1000
        med = statistics.median(runs) * 1000
        _, rep = normalize_with_report(art)
        print(
            f"{path.name[:3]:6} {chars:6d} {kb:5.1f} {ms:8.3f} {med:7.3f} {1000 / ms:8.0f}"
            f"  {rep.pinyin_removed:6d} {rep.chars_converted:4d} {rep.gbk_repaired + rep.gbk_flagged:3d}"
            f" {rep.lines_moved:5d}"
        )


if __name__ == "__main__":
    main()
