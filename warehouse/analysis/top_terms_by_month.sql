-- The most used terms each month (stories that use them), slogans and quoted terms together.
WITH monthly AS (
    SELECT month, term, kind, sum(articles) AS stories, sum(mentions) AS mentions
    FROM term_trends
    GROUP BY month, term, kind
)
SELECT month, term, kind, stories, mentions
FROM monthly
QUALIFY row_number() OVER (PARTITION BY month ORDER BY stories DESC, mentions DESC, term) <= 10
ORDER BY month, stories DESC, mentions DESC, term;
