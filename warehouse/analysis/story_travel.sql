-- How stories travelled: each story with copies, its original, where the copies appeared and how long after.
SELECT c.cluster_id,
       o.site AS original_site,
       coalesce(c.external_original_url, c.original_url) AS original,
       o.title,
       CAST(o.published_at AT TIME ZONE 'Asia/Shanghai' AS DATE) AS published,
       c.size - 1 AS copies,
       list(a.site ORDER BY a.site) FILTER (WHERE m.role <> 'original') AS copied_to,
       c.chosen_by
FROM clusters c
JOIN articles o ON o.url = c.original_url
JOIN cluster_members m ON m.cluster_id = c.cluster_id
JOIN articles a ON a.url = m.url
WHERE c.size > 1 OR c.external_original_url IS NOT NULL OR c.external_original_title IS NOT NULL
GROUP BY ALL
ORDER BY copies DESC, published, c.cluster_id;
