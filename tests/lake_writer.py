"""A writer process for the DuckLake tests: parse synthetic pages and commit them in batches.

python -m tests.lake_writer ADDRESS FIRST LAST BATCH [HOSTS]
writes pages FIRST..LAST-1 of the synthetic corpus (tests/synthetic.py) through the
warehouse's own write path (`Warehouse.write()` + `write_batch`), one transaction per batch,
and prints one line per committed batch ("committed <last index>") so a test can follow it.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from parsers.process import process_pages
from parsers.records import Page
from tests.synthetic import article_html
from warehouse.session import Warehouse
from warehouse.writer import write_batch

FETCHED = datetime(2024, 11, 18, 8, 0, tzinfo=UTC)


def page(n: int, hosts: int = 1) -> Page:
    """Synthetic page `n`; with `hosts` > 1 the pages are spread over that many county hosts."""
    html = article_html(n)
    if hosts > 1:
        html = html.replace("www.example-county.cn", f"www.county{n % hosts}.example.cn")
    url = html.split('rel="canonical" href="', 1)[1].split('"', 1)[0]
    return Page(url=url, body=html.encode("utf-8"), fetched_at=FETCHED, origin="http")


def write_range(address: str, first: int, last: int, batch: int, hosts: int = 1) -> None:
    warehouse = Warehouse(address)
    try:
        for start in range(first, last, batch):
            pages = [page(n, hosts) for n in range(start, min(start + batch, last))]
            results = process_pages(pages)
            with warehouse.write() as con:
                write_batch(con, results)
            print(f"committed {min(start + batch, last)}", flush=True)
    finally:
        warehouse.close()


if __name__ == "__main__":
    address, first, last, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    write_range(address, first, last, batch, int(sys.argv[5]) if len(sys.argv) > 5 else 1)
