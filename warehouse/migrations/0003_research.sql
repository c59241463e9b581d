-- The research layer (written by `regionews enrich`): duplicate clusters, region tags, terms, search text.
-- Everything here is derived from `articles` and can be rebuilt with `regionews enrich --full`.

-- What enrich last did to each article; an article is enriched again when its content_hash or
-- parser_version no longer match, or when enrich itself changed (enrich_version).
CREATE TABLE enrich_state (
    url VARCHAR PRIMARY KEY,
    content_hash VARCHAR,
    parser_version INTEGER,
    title VARCHAR,
    enrich_version INTEGER NOT NULL,
    enriched_at TIMESTAMPTZ NOT NULL,
    minhash BLOB               -- MinHash signature of the body (128 x uint64 LE); NULL when too short
);

-- Near-duplicate bodies: MinHash LSH candidates whose exact 5-gram shingle Jaccard is >= 0.5; url_a < url_b.
CREATE TABLE near_duplicates (
    url_a VARCHAR NOT NULL,
    url_b VARCHAR NOT NULL,
    similarity DOUBLE NOT NULL,
    PRIMARY KEY (url_a, url_b)
);

-- One row per story: every article is in exactly one cluster (most are alone in theirs).
CREATE TABLE clusters (
    cluster_id VARCHAR PRIMARY KEY,
    original_url VARCHAR NOT NULL,     -- the chosen original among the fetched members
    chosen_by VARCHAR,                 -- why: original outlet beats copies, earliest published, ...
    size INTEGER NOT NULL,             -- fetched members
    copies INTEGER NOT NULL,           -- members that are mirror or content-farm copies
    member_urls VARCHAR[] NOT NULL,    -- original first
    sites VARCHAR[] NOT NULL,
    first_published TIMESTAMPTZ,
    last_published TIMESTAMPTZ,
    external_original_url VARCHAR,     -- where the story came from, when only copies were fetched
    external_original_title VARCHAR,
    external_original_source VARCHAR
);

CREATE TABLE cluster_members (
    url VARCHAR PRIMARY KEY,
    cluster_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,             -- original | exact | copy | near
    similarity DOUBLE,                 -- estimated Jaccard with the original's body (NULL if unknown)
    linked_by VARCHAR[]                -- evidence: exact | near | original_url | original_title
);

-- County-level divisions (and cities, provinces) an article names, weighted title 3, source 2, body 1.
CREATE TABLE article_regions (
    url VARCHAR NOT NULL,
    adcode VARCHAR NOT NULL,           -- six digits
    level VARCHAR NOT NULL,            -- province | city | county
    province VARCHAR,
    city VARCHAR,
    county VARCHAR,
    title_mentions INTEGER NOT NULL,
    source_mentions INTEGER NOT NULL,
    body_mentions INTEGER NOT NULL,
    score INTEGER NOT NULL,
    is_primary BOOLEAN NOT NULL,       -- the county (else city) the article is most about
    PRIMARY KEY (url, adcode)
);

-- Numbered slogans (五结合五防止, 三个离不开, “13610”计划) and quoted campaign terms, per article.
CREATE TABLE article_terms (
    url VARCHAR NOT NULL,
    term VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,             -- numbered | quoted
    count INTEGER NOT NULL,
    in_title BOOLEAN NOT NULL,
    PRIMARY KEY (url, term)
);

-- jieba tokens, space-joined: what the full-text (BM25) index is built on.
CREATE TABLE search_docs (
    url VARCHAR PRIMARY KEY,
    title_tokens VARCHAR,
    body_tokens VARCHAR
);
