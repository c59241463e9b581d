-- Stories per month and county (cluster originals, by the county each story is most about).
SELECT date_trunc('month', published_date) AS month, province, city, county, count(*) AS stories
FROM articles_clean
WHERE published_date IS NOT NULL AND county IS NOT NULL
GROUP BY ALL
ORDER BY month, stories DESC, county;
