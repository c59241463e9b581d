"""The research commands as a user runs them: search, query, export, report."""

from __future__ import annotations

import json

import duckdb
import pytest

from flows.cli import main
from flows.enrich import run_enrich
from tests import research_corpus as rc
from warehouse.db import connect


@pytest.fixture()
def enriched(db_path):
    con = connect(db_path)
    rc.load(con, [*rc.corpus(), rc.yunnan_original()])
    run_enrich(con)
    con.close()
    return db_path


def test_search_prints_ranked_hits_with_marked_snippets(enriched, capsys) -> None:
    assert main(["--db", str(enriched), "search", "五结合五防止"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(" 1. 张家川县“五结合五防止”持续深入推进民族团结进步创建工作")
    assert "2019-05-26 · tianshui · 张家川回族自治县 · 1 copy" in out
    assert "[五结合五防止]" in out
    assert "hadlsm" not in out  # the mirror is folded into its original's hit


def test_a_traditional_query_finds_the_simplified_text(enriched, capsys) -> None:
    assert main(["--db", str(enriched), "search", "五結合五防止"]) == 0  # 結: traditional
    out = capsys.readouterr().out
    assert out.startswith(" 1. 张家川县“五结合五防止”持续深入推进民族团结进步创建工作")
    assert "[五结合五防止]" in out
    main(["--db", str(enriched), "search", "民族團結", "--region", "阿瓦提县"])
    assert "阿瓦提县“五坚持五促”" in capsys.readouterr().out


def test_search_filters_by_region_site_and_date(enriched, capsys) -> None:
    main(["--db", str(enriched), "search", "民族团结", "--region", "阿瓦提县"])
    assert "阿瓦提县“五坚持五促”" in capsys.readouterr().out
    main(["--db", str(enriched), "search", "民族团结", "--since", "2030-01-01"])
    assert capsys.readouterr().out.strip() == "no matches"
    assert main(["--db", str(enriched), "search", "民族团结", "--site", "tftnews", "--all-copies"]) == 0
    assert "tftnews" in capsys.readouterr().out


def test_search_before_enrich_says_what_to_do(db_path, capsys) -> None:
    connect(db_path).close()
    assert main(["--db", str(db_path), "search", "民族团结"]) == 2
    assert "regionews enrich" in capsys.readouterr().err


def test_named_queries_list_and_run(enriched, capsys) -> None:
    assert main(["--db", str(enriched), "query"]) == 0
    assert "slogans_by_county" in capsys.readouterr().out
    assert main(["--db", str(enriched), "query", "copy_network", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["original_site"], r["copy_site"]) for r in rows} == {
        ("tianshui", "tianshui_mirror"),
        ("yunnan", "tftnews"),
    }
    assert main(["--db", str(enriched), "query", "nope"]) == 2


def test_export_writes_partitioned_parquet_and_a_manifest(enriched, tmp_path, capsys) -> None:
    out = tmp_path / "snapshot"
    assert main(["--db", str(enriched), "export", "--to", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["tables"]["articles"]["rows"] == 7 and manifest["exported_at"]
    assert (out / "articles" / "site=tianshui" / "year=2019").is_dir()
    assert (out / "articles" / "site=lzbs" / "year=unknown").is_dir()  # no date on the page: not guessed
    rows = duckdb.sql(
        f"SELECT site, year, county FROM read_parquet('{out}/articles/*/*/*.parquet', "
        "hive_partitioning = true) WHERE url LIKE '%xjmty%'"
    ).fetchall()
    assert rows == [("xjmty", "2024", "阿瓦提县")]
    assert main(["--db", str(enriched), "export", "--to", str(out)]) == 0  # an earlier export is replaced
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    assert main(["--db", str(enriched), "export", "--to", str(tmp_path / "busy")]) == 2
    assert (tmp_path / "busy" / "notes.txt").exists()


def test_report_command_writes_the_page(enriched, tmp_path, capsys) -> None:
    out = tmp_path / "r" / "report.html"
    assert main(["--db", str(enriched), "report", "--out", str(out)]) == 0
    assert out.read_text("utf-8").count("<svg") == 3
    assert "5 stories" in capsys.readouterr().out
