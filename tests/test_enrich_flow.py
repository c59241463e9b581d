"""The enrich flow under Prefect, and `regionews enrich` printing the counts people check."""

from __future__ import annotations

from flows.cli import main
from flows.enrich import enrich_flow
from tests import research_corpus as rc
from warehouse.db import connect


def test_enrich_flow_runs_and_records_its_run(prefect_harness, db_path) -> None:
    con = connect(db_path)
    rc.load(con, rc.corpus())
    con.close()
    report = enrich_flow(str(db_path))
    assert report.processed == 6 and report.counts["multi_article_clusters"] == 1
    con = connect(db_path)
    assert con.execute("SELECT flow, status FROM runs WHERE flow = 'enrich'").fetchall() == [
        ("enrich", "completed")
    ]
    con.close()
    assert enrich_flow(str(db_path)).processed == 0


def test_enrich_command_prints_cluster_and_term_counts(prefect_harness, db_path, capsys) -> None:
    con = connect(db_path)
    rc.load(con, [rc.tianshui_original(), rc.tianshui_mirror()])
    con.close()
    assert main(["--db", str(db_path), "enrich"]) == 0
    out = capsys.readouterr().out
    assert "enriched 2 new or changed articles" in out
    assert "clusters: 1 (1 with more than one article, 1 copies/duplicates linked to an original)" in out
    assert "numbered slogans" in out
