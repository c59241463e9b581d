-- Numbered slogans (五结合五防止, 四抓四促, ...): which counties use them, in how many stories, since when.
SELECT t.term,
       count(DISTINCT c.url) AS stories,
       sum(t.count) AS mentions,
       list(DISTINCT c.county ORDER BY c.county) FILTER (WHERE c.county IS NOT NULL) AS counties,
       min(c.published_date) AS first_seen,
       max(c.published_date) AS last_seen
FROM article_terms t
JOIN articles_clean c ON c.url = t.url
WHERE t.kind = 'numbered'
GROUP BY t.term
ORDER BY stories DESC, mentions DESC, t.term;
