"""Enrich time per 1,000 articles on a synthetic corpus made from the seed stories.

Run: .venv/bin/python bench/enrich_bench.py [N]. Not part of the test suite.

Each synthetic article takes a seed story's paragraphs, shuffles and trims them, swaps in another
county name and adds a dated paragraph, so bodies differ (few near-duplicates) but read like the
real thing; every 10th article is a mirror copy of an earlier one (is_copy, original_url), so the
clustering sees realistic copy rates.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.enrich import run_enrich
from tests import research_corpus as rc
from warehouse.db import connect

COUNTIES = [
    "张家川县",
    "清水县",
    "秦安县",
    "甘谷县",
    "武山县",
    "永登县",
    "绥江县",
    "阿瓦提县",
    "临夏县",
    "积石山县",
]


def _sentences() -> list[str]:
    pool = []
    for base in (rc.tianshui_original(), rc.qinan_visit(), rc.yongdeng(), rc.yunnan_original(), rc.awati()):
        for para in base.paragraphs:
            pool.extend(s + "。" for s in para.split("。") if len(s) > 8)
    return pool


def synthetic(n: int, seed: int = 7) -> list:
    rnd = random.Random(seed)
    pool = _sentences()
    template = rc.tianshui_original()
    out = []
    for i in range(n):
        if i % 10 == 9:
            src = out[rnd.randrange(len(out))]
            if not src.is_copy:  # a mirror copy of an earlier story, its last paragraph dropped
                mirror_url = src.url.replace("www.tianshui.com.cn", "www.hadlsm.com")
                out.append(replace(src, url=mirror_url, site="tianshui_mirror", is_copy=True,
                                   original_url=src.url, paragraphs=src.paragraphs[:-1]))  # fmt: skip
                continue
        county = rnd.choice(COUNTIES)
        picked = rnd.sample(pool, rnd.randrange(12, 24))
        paras = ["".join(picked[k : k + 4]).replace("张家川县", county) for k in range(0, len(picked), 4)]
        day = datetime(2019, 1, 1, tzinfo=rc.CST) + timedelta(days=rnd.randrange(2200))
        paras.append(f"{day:%m月%d日}，{county}召开第{i}次民族团结进步创建工作推进会。")
        out.append(replace(template, url=f"http://www.tianshui.com.cn/news/zjc/{i:08d}.htm",
                           title=f"{county}民族团结进步创建工作推进会召开（{i}）", paragraphs=tuple(paras),
                           published_at=day))  # fmt: skip
    return out


def main(n: int) -> None:
    articles = synthetic(n)
    chars = sum(len(a.body) for a in articles)
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "bench.duckdb")
        for i in range(0, n, 1000):
            rc.load(con, articles[i : i + 1000])
        started, cpu = time.perf_counter(), time.process_time()
        report = run_enrich(con)
        full, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{n} articles, {chars / n:.0f} chars each on average")
        print(f"first enrich: {full:.1f} s wall = {1000 * full / n:.1f} s per 1,000 articles "
              f"({1000 * cpu / n:.1f} s CPU per 1,000; wall time depends on the machine's load)")  # fmt: skip
        print("  " + "\n  ".join(report.lines()))
        (merged,) = con.execute(
            "SELECT count(*) FROM clusters c WHERE (SELECT count(*) FROM articles a "
            "WHERE list_contains(c.member_urls, a.url) AND NOT a.is_copy) > 1"
        ).fetchone()
        print(f"  clusters holding two different synthetic stories (false merges): {merged}")
        changed = [replace(a, paragraphs=(*a.paragraphs, "补充一段。")) for a in articles[: n // 10]]
        rc.load(con, changed)
        started = time.perf_counter()
        report = run_enrich(con)
        inc = time.perf_counter() - started
        print(f"incremental enrich of {report.processed} changed articles: {inc:.1f} s")
        started = time.perf_counter()
        run_enrich(con)
        print(f"enrich with nothing to do: {time.perf_counter() - started:.2f} s")
        con.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
