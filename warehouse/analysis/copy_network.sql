-- The copy network: from which site (or, when not fetched, which outlet) to which site stories were copied.
SELECT CASE WHEN o.is_copy
            THEN coalesce(regexp_extract(c.external_original_url, '://([^/]+)', 1), c.external_original_source)
                 || ' (not fetched)'
            ELSE o.site END AS original_site,
       a.site AS copy_site,
       m.role,
       count(*) AS articles,
       round(avg(m.similarity), 2) AS avg_similarity
FROM cluster_members m
JOIN clusters c ON c.cluster_id = m.cluster_id
JOIN articles o ON o.url = c.original_url
JOIN articles a ON a.url = m.url
WHERE a.is_copy
GROUP BY ALL
ORDER BY articles DESC, original_site, copy_site;
