-- The copy network: from which site to which site stories were copied (edges original site -> copy site).
SELECT o.site AS original_site,
       a.site AS copy_site,
       m.role,
       count(*) AS articles,
       round(avg(m.similarity), 2) AS avg_similarity
FROM cluster_members m
JOIN clusters c ON c.cluster_id = m.cluster_id
JOIN articles o ON o.url = c.original_url
JOIN articles a ON a.url = m.url
WHERE m.role <> 'original'
GROUP BY ALL
ORDER BY articles DESC, original_site, copy_site;
