"""The `regionews` command line, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.cli import main
from parsers.records import Article, Failure, Page, PageResult
from warehouse.db import connect
from warehouse.writer import write_batch

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def filled_db(db_path: Path) -> Path:
    con = connect(db_path)
    page = Page(
        url="http://www.example.cn/1.html", body=b"<html/>", fetched_at=datetime(2024, 3, 5, tzinfo=UTC)
    )
    art = Article(
        url=page.url,
        site="generic",
        parser_version=1,
        title="阿瓦提县召开推进会",
        paragraphs=("第一段。",),
        published_at=datetime(2024, 3, 5, 2, 21, tzinfo=UTC),
        published_precision="minute",
    )
    bad = Failure(url="http://www.example.cn/2.html", stage="parse", reason="parse: no title", site="generic")
    write_batch(con, [PageResult(page, "article", "generic", 1, article=art)], [bad])
    con.close()
    return db_path


def test_sql_prints_a_table(filled_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(filled_db), "sql", "select site, count(*) as n from articles group by 1"]) == 0
    out = capsys.readouterr().out
    assert "generic" in out and "(1 row)" in out


def test_sql_json_and_csv(filled_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--db", str(filled_db), "sql", "select title, published_at from articles", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"title": "阿瓦提县召开推进会", "published_at": "2024-03-05T10:21:00+08:00"}]
    main(["--db", str(filled_db), "sql", "select title from articles", "--format", "csv"])
    assert capsys.readouterr().out.splitlines() == ["title", "阿瓦提县召开推进会"]


def test_sql_is_read_only(filled_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(filled_db), "sql", "delete from articles"]) == 2
    assert "read-only" in capsys.readouterr().err
    assert main(["--db", str(filled_db), "sql", "select count(*) from articles", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "1"


def test_stats_shows_sites_and_failure_reasons(filled_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(filled_db), "stats"]) == 0
    out = capsys.readouterr().out
    assert "Articles per site" in out and "generic" in out
    assert "parse: no title" in out


def test_missing_warehouse_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "none.duckdb"), "stats"]) == 2
    assert "regionews load" in capsys.readouterr().err


def test_unwritable_db_location_exits_non_zero(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    page = tmp_path / "p.html"
    page.write_text("<html><h1>x</h1></html>")
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "--db", str(blocker / "d" / "w.duckdb"), "load", "-q", str(page)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "cannot create the folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_sql_and_stats_do_not_start_prefect(filled_db: Path) -> None:
    """They answer without importing Prefect (whose import alone takes seconds) or the parsers' flows."""
    code = (
        "import sys; from flows.cli import main; "
        f"db = {str(filled_db)!r}; main(['--db', db, 'sql', 'select 1']); main(['--db', db, 'stats']); "
        "print(sorted(m for m in ('prefect', 'flows.load', 'flows.crawl') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"


def test_check_reports_pages_whose_raw_bytes_are_gone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    con = connect(db)
    kept = tmp_path / "kept.html"
    kept.write_bytes(b"<html>kept</html>")
    results = []
    for name, body in (("kept.html", kept.read_bytes()), ("gone.html", b"<html>gone</html>")):
        url = f"http://www.example.cn/{name}"
        page = Page(
            url=url, body=body, location=str(tmp_path / name), fetched_at=datetime(2024, 1, 1, tzinfo=UTC)
        )
        art = Article(
            url=url, site="generic", parser_version=1, title=name, paragraphs=("x",), page_sha256=page.sha256
        )
        results.append(PageResult(page, "article", "generic", 1, article=art))
    write_batch(con, results)
    con.close()
    assert main(["--db", str(db), "check", "--deep"]) == 1
    out = capsys.readouterr().out
    assert "page not in the archive: 1" in out and "gone.html" in out
    (tmp_path / "gone.html").write_bytes(b"<html>gone</html>")
    assert main(["--db", str(db), "check", "--deep"]) == 0


def test_csv_lines_end_in_newline_only(filled_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(filled_db), "sql", "select title, 1 as n from articles", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "title,n\n阿瓦提县召开推进会,1\n"


@pytest.mark.parametrize(
    "command",
    [
        ["sql", "select range as n, 'x' as t from range(200000)"],
        ["sql", "select range as n from range(200000)", "--format", "csv"],
        ["stats"],
        ["check"],
        ["query"],
    ],
)
def test_output_piped_into_head_ends_quietly(filled_db: Path, command: list[str]) -> None:
    """`regionews sql ... | head -1`: the reader leaves early; no BrokenPipeError traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "--db", str(filled_db), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its line
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert code in (0, 1, 141)  # check exits 1 here: the page in filled_db has no raw bytes kept


def test_export_to_a_file_is_a_clear_error(filled_db: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "snapshot.parquet"
    target.write_bytes(b"mine")
    assert main(["--db", str(filled_db), "export", "--to", str(target)]) == 2
    assert "--to takes a folder" in capsys.readouterr().err
    assert target.read_bytes() == b"mine"


def test_crawl_faults_all_is_accepted_and_unknown_faults_are_named(tmp_path: Path, capsys) -> None:
    from flows.replica import FAULTS, parse_faults

    assert parse_faults("all") == FAULTS
    assert parse_faults("500, 429") == ("500", "429")
    db = str(tmp_path / "w.duckdb")
    assert main(["--db", db, "crawl", "--replica", "--faults", "all,nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown fault mode(s) nope" in err and "Traceback" not in err
    assert main(["--db", db, "crawl", "--faults", "500"]) == 2
    assert "add --replica" in capsys.readouterr().err
