"""The read snapshot on real files: what a notebook sees, what publishing costs, a reader keeping its data."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from parsers.records import Article, Failure, Page, PageResult
from warehouse.db import connect
from warehouse.snapshot import MAX_SEGMENTS, publish, snapshot_paths
from warehouse.writer import write_batch

WHEN = datetime(2024, 3, 5, 2, 21, tzinfo=UTC)


def result(n: int, title: str = "某县召开民族团结进步创建推进会", site: str = "generic") -> PageResult:
    url = f"http://www.example-county.cn/news/{n:06d}.html"
    page = Page(url=url, body=f"<html>{n} {title}</html>".encode(), fetched_at=WHEN)
    art = Article(
        url=url, site=site, parser_version=1, title=f"{title}（{n}）", paragraphs=("第一段。", f"第{n}段。"),
        page_sha256=page.sha256, published_at=WHEN, authors=("李明",),
    )  # fmt: skip
    return PageResult(page, "article", site, 1, article=art)


def write(db: Path, results: list[PageResult], failures: list[Failure] = ()) -> None:
    con = connect(db)
    try:
        write_batch(con, results, failures)
    finally:
        con.close()


def publish_now(db: Path, full: bool = False):
    con = connect(db)
    try:
        return publish(con, db, full=full)
    finally:
        con.close()


def rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def same_as_live(db: Path, read: Path, table: str, order: str = "url") -> None:
    """The snapshot's view of `table` holds exactly the live rows (in the columns it keeps)."""
    columns = ", ".join(c for (c, *_) in rows(read, f"DESCRIBE {table}"))
    query = f"SELECT {columns} FROM {table} ORDER BY {order}"
    assert rows(read, query) == rows(db, query)


def test_first_publish_makes_a_file_with_the_warehouse_tables_and_views(db_path: Path) -> None:
    write(
        db_path,
        [result(n) for n in range(5)],
        [Failure("http://x.test/a", "fetch", "fetch: timeout", body=b"raw")],
    )
    published = publish_now(db_path)
    read, _ = snapshot_paths(db_path)
    assert published.path == read and read.exists() and published.generation == 1
    same_as_live(db_path, read, "articles")
    same_as_live(db_path, read, "pages", "url, sha256")
    # the research views come along (empty here), and raw bytes stay in the live warehouse
    assert rows(read, "SELECT count(*) FROM articles_clean") == [(0,)]
    assert rows(read, "SELECT url, reason FROM failures") == [("http://x.test/a", "fetch: timeout")]
    assert "body" not in [c for (c, *_) in rows(read, "DESCRIBE failures")]
    assert rows(read, "SELECT generation FROM regionews_snapshot") == [(1,)]


def test_publish_writes_only_what_changed(db_path: Path) -> None:
    write(db_path, [result(n) for n in range(50)])
    publish_now(db_path)
    again = publish_now(db_path)
    assert not again.changed and again.generation == 1  # nothing written, no new generation

    write(db_path, [result(n) for n in range(50)])  # the same input again: nothing changes
    assert not publish_now(db_path).changed

    write(db_path, [result(3, title="标题改了"), result(50)])  # one edit, one new article
    step = publish_now(db_path)
    assert step.generation == 2 and step.written == {"articles": 2, "pages": 2}
    read, _ = snapshot_paths(db_path)
    same_as_live(db_path, read, "articles")
    assert rows(read, "SELECT count(*), count(DISTINCT url) FROM articles") == [(51, 51)]
    assert rows(read, "SELECT title FROM articles WHERE url LIKE '%000003.html'") == [("标题改了（3）",)]


def test_many_small_changes_fold_into_a_new_base(db_path: Path) -> None:
    write(db_path, [result(n) for n in range(500)])
    publish_now(db_path)
    for k in range(MAX_SEGMENTS + 1):
        write(db_path, [result(k, title=f"第{k}次修改")])
        step = publish_now(db_path)
    assert "articles" in step.rebuilt
    _, folder = snapshot_paths(db_path)
    assert len(list((folder / "articles").glob("seg-*.parquet"))) == 0  # nobody reads the old parts
    read, _ = snapshot_paths(db_path)
    same_as_live(db_path, read, "articles")


def test_a_new_column_in_the_warehouse_rewrites_that_table(db_path: Path) -> None:
    write(db_path, [result(n) for n in range(3)])
    publish_now(db_path)
    con = connect(db_path)
    con.execute("ALTER TABLE runs ADD COLUMN note VARCHAR")
    con.close()
    step = publish_now(db_path)
    assert step.written.get("runs") == 0 and "articles" not in step.written
    read, _ = snapshot_paths(db_path)
    assert "note" in [c for (c, *_) in rows(read, "DESCRIBE runs")]


READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("SELECT count(*) FROM articles").fetchone()[0], flush=True)
    sys.stdin.readline()  # the test publishes a new generation meanwhile
    print(con.execute("SELECT count(*) FROM articles").fetchone()[0], flush=True)
    print(con.execute("SELECT count(*) FROM articles_clean").fetchone()[0], flush=True)
    """
)


def test_a_reader_keeps_its_generation_while_the_next_one_is_published(db_path: Path) -> None:
    write(db_path, [result(n) for n in range(10)])
    publish_now(db_path)
    read, folder = snapshot_paths(db_path)
    # a notebook in another process, holding the snapshot open the ordinary way
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(read)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "10"
        write(db_path, [result(n) for n in range(10, 25)])
        for k in range(MAX_SEGMENTS + 1):  # publish past a new base: the reader's parts must stay
            write(db_path, [result(k, title=f"第{k}次修改")])
            publish_now(db_path)
        assert rows(read, "SELECT count(*) FROM articles") == [(25,)]  # the next open sees the new data
        out, _ = reader.communicate("go\n", timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0
    assert out.split() == ["10", "0"]  # the old generation, still whole
    # the reader is gone: the next publish deletes its generation and the parts only it read
    write(db_path, [result(99)])
    step = publish_now(db_path)
    assert step.removed_generations >= 1
    assert sorted(p.name for p in folder.glob("gen-*.duckdb")) == [f"gen-{step.generation:06d}.duckdb"]
    assert not (folder / "articles" / "base-000001.parquet").exists()


def test_runs_publish_the_snapshot_and_stats_shows_it(prefect_harness, db_path: Path, capsys) -> None:
    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "lzbs"
    assert main(["--db", str(db_path), "load", "-q", str(fixtures)]) == 0
    read, _ = snapshot_paths(db_path)
    assert rows(read, "SELECT count(*) FROM articles") == rows(db_path, "SELECT count(*) FROM articles")
    assert main(["--db", str(db_path), "publish"]) == 0
    assert "up to date (generation 1)" in capsys.readouterr().out
    assert main(["--db", str(db_path), "stats"]) == 0
    out = capsys.readouterr().out
    assert f"{read}: generation 1, published" in out


def test_publish_without_a_warehouse_says_what_to_do(tmp_path: Path, capsys) -> None:
    assert main(["--db", str(tmp_path / "none.duckdb"), "publish"]) == 2
    assert "no warehouse at" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()


@pytest.mark.parametrize("value", ["off", "0"])
def test_the_automatic_publish_can_be_switched_off(value: str) -> None:
    from flows.publish import enabled

    assert not enabled({"REGIONEWS_READ_SNAPSHOT": value})
    assert enabled({})
