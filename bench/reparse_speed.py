"""Reparse speed (pages/s): load a corpus, mark every page as parsed by an older version, reparse.

Run: .venv/bin/python -m bench.reparse_speed [--synthetic N]   (default: the fixture corpus)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=0, help="N generated pages instead of fixtures")
    args = parser.parse_args()
    import duckdb

    from flows.load import load_flow
    from flows.reparse import reparse_flow

    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            from tests.synthetic import write_corpus

            corpus = write_corpus(Path(tmp) / "pages", args.synthetic)
        else:
            corpus = Path(__file__).resolve().parent.parent / "fixtures"
        db = str(Path(tmp) / "w.duckdb")
        load_flow([str(corpus)], db, progress=False)
        con = duckdb.connect(db)
        con.execute("UPDATE pages SET parser_version = parser_version - 1")
        con.close()
        reparse_flow(db, progress=False)  # warm: imports, first flow run
        con = duckdb.connect(db)
        con.execute("UPDATE pages SET parser_version = parser_version - 1")
        con.close()
        started = time.monotonic()
        counts = reparse_flow(db, progress=False)
        seconds = time.monotonic() - started
        print(
            f"reparse of {corpus.name}: {counts['pages']} pages in {seconds:.2f}s "
            f"= {counts['pages'] / seconds:.0f} pages/s "
            f"({counts['articles']} articles, {counts['failed']} failed)"
        )


if __name__ == "__main__":
    main()
