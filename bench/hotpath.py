"""The hot path (decode -> parse -> normalize) against trafilatura and GNE, in the same run.

Two corpora: the real pages (bench/realpages, 47 pages nobody wrote rules for, ~90 KB each) and
the fixture pages (continuation pages included). Ours is `parsers.process.process_pages`, the
call `regionews load` and `crawl` make for each batch; the peers get the same bytes through the
same decoder (`bench.peers`). Rates are CPU time of this process, median of interleaved rounds
(`bench.speed.rates`), so the ratios hold on a shared machine even where the rates do not.

Usage: python -m bench.hotpath [--rounds 5] [--corpus real|fixtures|both]
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass

from bench import speed
from bench.peers import Extracted, gne_tool, ours_generic, selectolax_text, trafilatura_tool
from bench.realpages import page as real_page
from bench.realpages import records
from parsers.process import process_pages
from parsers.records import Page
from tests.fixture_cases import all_cases

OURS = "regionews (process_pages, what `load` runs)"
TRAFILATURA = "trafilatura"
GNE = "gne"
STEPS = ("decode", "DOM parse (selectolax)", "extract", "normalize")


def regionews(pages: Sequence[Page]) -> Extracted:
    """The product's own call: route, decode, parse, normalize (failures become data, not raises)."""
    result = process_pages(pages)[0]
    article = result.article
    return Extracted(article.title if article else None, None, article.body if article else "")


TOOLS = {
    OURS: regionews,
    "regionews generic parser alone": ours_generic,
    TRAFILATURA: trafilatura_tool,
    GNE: gne_tool,
    "selectolax parse + all text (floor)": selectolax_text,
}


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    pages: int
    kb_per_page: float
    rates: tuple[speed.Rate, ...]
    steps: dict[str, float]  # µs per page in each step of ours

    def rate(self, tool: str) -> float:
        return next(r.pages_per_s for r in self.rates if r.tool == tool)

    @property
    def x_trafilatura(self) -> float:
        return self.rate(OURS) / self.rate(TRAFILATURA)

    @property
    def x_gne(self) -> float:
        return self.rate(OURS) / self.rate(GNE)


@dataclass(frozen=True, slots=True)
class HotPath:
    real: Corpus | None
    fixtures: Corpus | None
    rounds: int
    load: tuple[float, float, float]  # load average when the run ended

    @property
    def real_pages_x_trafilatura(self) -> float | None:
        return self.real.x_trafilatura if self.real else None

    @property
    def fixtures_x_trafilatura(self) -> float | None:
        return self.fixtures.x_trafilatura if self.fixtures else None


def real_pages() -> list[Page]:
    return [real_page(r) for r in records()]


def fixture_pages() -> list[Page]:
    pages = []
    for case in all_cases():
        pages.append(case.page())
        pages.extend(case.continuation_pages())
    return pages


def measure(name: str, pages: Sequence[Page], rounds: int) -> Corpus:
    rates = speed.rates(TOOLS, pages, rounds=rounds)
    kb = sum(len(p.body) for p in pages) / len(pages) / 1024
    return Corpus(name, len(pages), kb, tuple(rates), speed.stages(pages, loops=5))


def run(rounds: int = 5, corpora: tuple[str, ...] = ("real", "fixtures")) -> HotPath:
    real = measure("real pages", real_pages(), rounds) if "real" in corpora else None
    fixtures = measure("fixture pages", fixture_pages(), rounds) if "fixtures" in corpora else None
    return HotPath(real, fixtures, rounds, os.getloadavg())


def markdown(hot: HotPath) -> list[str]:
    """The RESULTS.md section: a table per corpus and where our time goes."""
    lines = [
        "## Hot path: pages/s per core against the peers (same pages, same run)",
        "Ours = `parsers.process.process_pages` (route, decode, parse, normalize: what `regionews load` "
        "runs per page); peers = decode (our decoder) + extract. CPU time of this one process, median "
        f"of {hot.rounds} interleaved rounds of about one CPU second each (`bench/hotpath.py`, "
        "`python -m bench.hotpath`). Load average at the end: "
        + " / ".join(f"{x:.1f}" for x in hot.load)
        + " on 2 shared cores: the ratios are the figure, the rates move with the load.",
        "",
    ]
    for corpus in (hot.real, hot.fixtures):
        if corpus is None:
            continue
        traf, gne = corpus.rate(TRAFILATURA), corpus.rate(GNE)
        lines += [
            f"**{corpus.name}**: {corpus.pages} pages, {corpus.kb_per_page:.0f} KB a page on average; "
            f"ours = **{corpus.x_trafilatura:.1f}× trafilatura**, {corpus.x_gne:.1f}× GNE.",
            "",
            "| tool | pages/s | × trafilatura | × GNE | runs |",
            "|---|---:|---:|---:|---|",
        ]
        for r in corpus.rates:
            runs = ", ".join(f"{x:.0f}" for x in r.runs)
            lines.append(
                f"| {r.tool} | {r.pages_per_s:,.1f} | {r.pages_per_s / traf:.1f}× | "
                f"{r.pages_per_s / gne:.1f}× | {runs} |"
            )
        total = sum(corpus.steps[s] for s in STEPS)
        lines += ["", f"Where our time goes on the {corpus.name} (µs per page, median of 3):", ""]
        lines += ["| step | µs/page | share |", "|---|---:|---:|"]
        for step in STEPS:
            lines.append(f"| {step} | {corpus.steps[step]:.0f} | {100 * corpus.steps[step] / total:.0f}% |")
        lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--corpus", choices=("real", "fixtures", "both"), default="both")
    args = ap.parse_args(argv)
    corpora = ("real", "fixtures") if args.corpus == "both" else (args.corpus,)
    print("\n".join(markdown(run(args.rounds, corpora))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
