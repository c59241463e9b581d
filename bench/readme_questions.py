"""Print the README's five research questions, each with its SQL and its output on a warehouse.

Run after `make demo`: .venv/bin/python bench/readme_questions.py [data/regionews.duckdb]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.terminal_output import format_table
from warehouse.db import connect

QUESTIONS = [
    (
        "Which counties reported a 民族团结进步创建 campaign, and when?",
        """SELECT county, city, count(*) AS stories, min(published_date) AS first, max(published_date) AS last
FROM articles_clean
WHERE county IS NOT NULL AND (title LIKE '%民族团结%' OR body LIKE '%民族团结进步%创建%')
GROUP BY ALL ORDER BY stories DESC, first""",
    ),
    (
        "Which numbered slogans appear, and in which counties?",
        """SELECT t.term, count(*) AS stories, sum(t.count) AS mentions,
       list(DISTINCT c.county) FILTER (WHERE c.county IS NOT NULL) AS counties
FROM article_terms t JOIN articles_clean c USING (url)
WHERE t.kind = 'numbered'
GROUP BY t.term ORDER BY stories DESC, mentions DESC, t.term LIMIT 12""",
    ),
    (
        "How did stories travel from an outlet to mirrors and content farms?",
        """SELECT CASE WHEN o.is_copy THEN coalesce(
           regexp_extract(c.external_original_url, '://([^/]+)', 1), c.external_original_source
       ) || ' (not fetched)' ELSE o.site END AS original, a.site AS copied_by, count(*) AS copies,
       round(avg(m.similarity), 2) AS similarity, list_distinct(flatten(list(m.linked_by))) AS evidence
FROM cluster_members m
JOIN clusters c USING (cluster_id)
JOIN articles o ON o.url = c.original_url
JOIN articles a ON a.url = m.url
WHERE a.is_copy
GROUP BY ALL ORDER BY copies DESC, original""",
    ),
    (
        "When was each slogan used, month by month and county by county?",
        """SELECT month, county, term, articles, mentions
FROM term_trends
WHERE kind = 'numbered' AND county IS NOT NULL
ORDER BY month, county, mentions DESC, term LIMIT 15""",
    ),
    (
        "Which stories do we only have as copies, and where do the copies say they came from?",
        """SELECT a.site, a.title, c.external_original_url AS from_url,
       c.external_original_title AS from_title, c.external_original_source AS from_source
FROM clusters c JOIN articles a ON a.url = c.original_url
WHERE a.is_copy
ORDER BY a.site, a.title""",
    ),
]


def main(db: str) -> None:
    con = connect(db, read_only=True)
    for n, (question, sql) in enumerate(QUESTIONS, 1):
        cur = con.execute(sql)
        columns, rows = [d[0] for d in cur.description], cur.fetchall()
        print(f"{n}. **{question}**\n\n```sql\n{sql};\n```\n\n```\n{format_table(columns, rows)}\n```\n")
    con.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/regionews.duckdb")
