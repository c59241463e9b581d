-- Views for analysis over the research tables. Months and days are Asia/Shanghai calendar dates.

-- The county (else city) each article is most about: one row per tagged article.
CREATE VIEW article_primary_region AS
SELECT url, adcode, level, province, city, county, score
FROM article_regions
WHERE is_primary;

-- One row per story: the chosen original of each cluster, with its regions and terms as arrays.
CREATE VIEW articles_clean AS
WITH regions AS (
    SELECT url,
           list(county ORDER BY score DESC, adcode) FILTER (WHERE level = 'county') AS counties,
           list(adcode ORDER BY score DESC, adcode) AS adcodes,
           list(DISTINCT province) FILTER (WHERE province IS NOT NULL) AS provinces
    FROM article_regions GROUP BY url
), terms AS (
    SELECT url, list(term ORDER BY count DESC, term) AS terms,
           list(term ORDER BY count DESC, term) FILTER (WHERE kind = 'numbered') AS slogans
    FROM article_terms GROUP BY url
)
SELECT a.url, a.site, a.title, a.kicker, a.published_at,
       CAST(a.published_at AT TIME ZONE 'Asia/Shanghai' AS DATE) AS published_date,
       a.published_precision, a.source, a.authors, a.editors, a.contributors, a.is_copy,
       a.body, a.paragraph_count,
       c.cluster_id, c.size AS cluster_size, c.copies, c.member_urls, c.sites AS cluster_sites,
       c.chosen_by, c.external_original_url, c.external_original_title, c.external_original_source,
       p.province, p.city, p.county, p.adcode,
       coalesce(r.counties, []) AS counties, coalesce(r.adcodes, []) AS adcodes,
       coalesce(r.provinces, []) AS provinces,
       coalesce(t.terms, []) AS terms, coalesce(t.slogans, []) AS slogans
FROM clusters c
JOIN articles a ON a.url = c.original_url
LEFT JOIN article_primary_region p ON p.url = a.url
LEFT JOIN regions r ON r.url = a.url
LEFT JOIN terms t ON t.url = a.url;

-- Articles per day, site and primary county (all fetched articles, copies included: a site's own output).
CREATE VIEW daily_counts AS
SELECT CAST(a.published_at AT TIME ZONE 'Asia/Shanghai' AS DATE) AS day,
       a.site, p.province, p.city, p.county,
       count(*) AS articles,
       count(*) FILTER (WHERE a.is_copy) AS copies,
       count(*) FILTER (WHERE m.role = 'original') AS originals
FROM articles a
LEFT JOIN article_primary_region p ON p.url = a.url
LEFT JOIN cluster_members m ON m.url = a.url
WHERE a.published_at IS NOT NULL
GROUP BY ALL;

-- Term use per month and primary region, counted over stories (cluster originals), not copies.
CREATE VIEW term_trends AS
SELECT date_trunc('month', c.published_at AT TIME ZONE 'Asia/Shanghai')::DATE AS month,
       c.province, c.city, c.county, t.term, t.kind,
       count(*) AS articles,
       sum(t.count) AS mentions
FROM articles_clean c
JOIN article_terms t ON t.url = c.url
WHERE c.published_at IS NOT NULL
GROUP BY ALL;
