"""`regionews crawl` as a user runs it: checks, refusals, a crawl with progress and a summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.replica import Replica
from tests.crawl_world import (
    WORLD_SPECS,
    AlphaSpec,
    BetaSpec,
    registered,
    world_docs,
    world_registry,
    world_sites_toml,
)

ROOT = Path(__file__).resolve().parent.parent


def test_check_validates_and_lists_sites_without_starting_prefect(tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text(world_sites_toml(), "utf-8")
    code = (
        "import sys; from tests.crawl_world import WORLD_SPECS, use_specs; use_specs(*WORLD_SPECS); "
        "from flows.cli import main; rc = main(sys.argv[1:]); print('prefect' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "crawl", "--check", "--sites-file", str(sites)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("alpha ") and "http://a.test/news/yw/" in lines[0]
    assert lines[-1] == "False"


@pytest.fixture
def world_specs():
    """The made-up world's specs in the registry, for the CLI's own load of the sites file."""
    with registered(*WORLD_SPECS):
        yield


def test_a_broken_sites_file_and_unsafe_options_are_refused(world_specs, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(world_sites_toml() + '\n[sites.alpha]\nallowed_domains = ["c.test"]\n', "utf-8")
    assert main(["crawl", "--check", "--sites-file", str(bad)]) == 2
    assert "declared by the site's spec (tests/world_specs.py)" in capsys.readouterr().err
    good = tmp_path / "good.toml"
    good.write_text(world_sites_toml(), "utf-8")
    assert main(["--db", str(tmp_path / "x.duckdb"), "crawl", "--sites-file", str(good), "--fast"]) == 2
    assert "only with --replica or --connect-to" in capsys.readouterr().err
    assert (
        main(["--db", str(tmp_path / "x.duckdb"), "crawl", "--sites-file", str(good), "--delay", "0.1"]) == 2
    )
    assert main(["crawl", "--site", "gamma", "--sites-file", str(good)]) == 2
    assert "no site named 'gamma'" in capsys.readouterr().err


def test_crawl_prints_progress_and_a_summary(prefect_harness, world_specs, tmp_path, capsys):
    sites = tmp_path / "sites.toml"
    sites.write_text(world_sites_toml(), "utf-8")
    db = tmp_path / "data" / "regionews.duckdb"
    replica = Replica(world_docs(), world_registry(), faults=["redirect_offsite"]).start()
    try:
        argv = ["--db", str(db), "crawl", "--sites-file", str(sites), "--connect-to", replica.url]
        assert main([*argv, "--site", "alpha"]) == 0
    finally:
        replica.stop()
    captured = capsys.readouterr()
    assert "crawl alpha: completed, 9 new articles, 1 failures" in captured.err
    assert "fetch: redirect off the allowed domains" in captured.out
    assert "1 site(s): 9 pages fetched, 9 new articles, 1 failures" in captured.out
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles WHERE site = 'alpha'").fetchone() == (9,)
    assert list((tmp_path / "data" / "warc").glob("*.warc.gz"))


def test_the_live_progress_table_draws_on_a_terminal():
    import io

    from flows.crawl import SiteReport
    from flows.crawlview import CrawlProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    view = CrawlProgress(["alpha", "beta"], out=out)
    report = SiteReport("alpha", discovered=5, fetched=2)
    view(report)
    view(SiteReport("alpha", discovered=5, fetched=5, articles_new=5, status="completed", seconds=1.5))
    view.close()
    assert "alpha" in out.getvalue() and "beta" in out.getvalue()


class _UnreachableBeta(BetaSpec):
    """beta as if its site moved to a host the replica does not serve: every list page is a 404."""

    domains = ("c.test",)
    base_url = "http://c.test"
    article_url = r"^http://c\.test/system/\d{4}/\d\d/\d\d/\d{9}\.shtml$"


def test_a_site_that_cannot_be_reached_fails_the_crawl_after_the_others_are_done(
    prefect_harness, tmp_path, capsys
):
    sites = tmp_path / "sites.toml"
    sites.write_text(world_sites_toml(), "utf-8")
    db = tmp_path / "data" / "regionews.duckdb"
    replica = Replica(world_docs(), world_registry()).start()
    try:
        with registered(AlphaSpec(), _UnreachableBeta()):
            argv = ["--db", str(db), "crawl", "--sites-file", str(sites), "--connect-to", replica.url]
            assert main([*argv, "--site", "alpha", "--site", "beta"]) == 1
    finally:
        replica.stop()
    captured = capsys.readouterr()
    assert "crawl failed for beta: no list page could be fetched (fetch: http 404 x1)" in captured.err
    assert "Traceback" not in captured.err
    assert "2 site(s): 10 pages fetched, 10 new articles" in captured.out  # the summary, alpha done
    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = dict(con.execute("SELECT site, status FROM runs WHERE flow = 'crawl'").fetchall())
    finally:
        con.close()
    assert runs == {"alpha": "completed", "beta": "failed"}
