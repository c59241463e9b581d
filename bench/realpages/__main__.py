"""Real-page scores and the developer's view of them.

    python -m bench.realpages                     table + one line per page (all four tools)
    python -m bench.realpages --tools routed      ours only (fast: no peers)
    python -m bench.realpages --page sina_4       one page: gold vs ours vs peers, field by field, body diff
    python -m bench.realpages --failures          every page where ours (routed) is wrong, by kind
    python -m bench.realpages --failures --tools generic

The peers (trafilatura, gne) come from the bench dependency group: `make bench` installs it, or
`.tools/bin/uv sync --locked --group bench`.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench.realpages import record
from bench.realpages.score import TOOLS, missing_peers, run, table
from bench.realpages.views import corpus_line, failures_view, page_view, per_page_text, table_text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.realpages", description=__doc__.split("\n\n")[0])
    ap.add_argument("--page", help="one page id (e.g. sina_4): every field, gold vs each tool, body diff")
    ap.add_argument("--failures", action="store_true", help="every page where ours is wrong, by kind")
    ap.add_argument(
        "--tools", default=None, help=f"comma-separated subset of {','.join(TOOLS)} (default: all)"
    )
    ap.add_argument("--diff", default="routed", help="the tool whose body --page diffs (default routed)")
    ap.add_argument("--width", type=int, default=100, help="characters shown per text line")
    args = ap.parse_args(argv)
    asked = tuple(args.tools.split(",")) if args.tools else None
    unknown = [t for t in asked or () if t not in TOOLS]
    if unknown:
        ap.error(f"unknown tool(s) {', '.join(unknown)}; choose from {', '.join(TOOLS)}")
    tools = asked or (("routed",) if args.failures else tuple(TOOLS))
    absent = missing_peers(tools)
    if absent:
        how = "`make bench` or `.tools/bin/uv sync --locked --group bench`"
        print(f"({', '.join(absent)} not installed: {how}; left out)", file=sys.stderr)
        tools = tuple(t for t in tools if t not in absent)
    t0 = time.perf_counter()
    if args.page:
        try:
            rec = record(args.page)
        except KeyError as exc:
            ap.error(str(exc.args[0]))
        lines = page_view(rec, tools, args.diff, args.width)
    elif args.failures:
        lines = [line for tool in tools for line in failures_view(tool)]
    else:
        scores = run(tools)
        lines = [corpus_line(), "", *table_text(table(scores)), "", *per_page_text(scores, tools)]
    lines.append(f"({time.perf_counter() - t0:.1f} s)")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
