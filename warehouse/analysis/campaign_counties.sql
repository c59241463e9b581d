-- Which counties reported a 民族团结进步创建 campaign, and when (first and last story, stories per county).
SELECT county, province, city,
       count(*) AS stories,
       min(published_date) AS first_story,
       max(published_date) AS last_story,
       list(DISTINCT site ORDER BY site) AS sites
FROM articles_clean
WHERE county IS NOT NULL
  AND (title LIKE '%民族团结%' OR body LIKE '%民族团结进步%创建%' OR body LIKE '%民族团结进步示范%')
GROUP BY ALL
ORDER BY stories DESC, first_story, county;
