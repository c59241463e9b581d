-- The core tables: what was fetched (pages), what it became (articles, failures), and each run.

CREATE TABLE sites (
    name VARCHAR PRIMARY KEY,
    parser_version INTEGER,
    working BOOLEAN,
    broken_reason VARCHAR
);

-- One row per distinct fetch result: the same bytes at the same URL are one page.
CREATE TABLE pages (
    url VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    final_url VARCHAR,
    site VARCHAR,
    fetched_at TIMESTAMPTZ,
    status INTEGER,
    content_type VARCHAR,
    etag VARCHAR,
    last_modified VARCHAR,
    headers JSON,
    origin VARCHAR,            -- http | file | warc
    location VARCHAR,          -- file path, or the WARC file holding the record
    warc_offset BIGINT,        -- offset of the record in that WARC file
    size BIGINT,
    outcome VARCHAR,           -- article | part | not_article | failed
    parser VARCHAR,
    parser_version INTEGER,
    article_url VARCHAR,       -- the article this page produced (or is a part of)
    PRIMARY KEY (url, sha256)
);

CREATE TABLE articles (
    url VARCHAR PRIMARY KEY,
    site VARCHAR NOT NULL,
    parser_version INTEGER NOT NULL,
    page_sha256 VARCHAR,
    title VARCHAR,
    raw_title VARCHAR,
    kicker VARCHAR,
    subtitle VARCHAR,
    published_at TIMESTAMPTZ,
    published_precision VARCHAR,
    published_origin VARCHAR,
    updated_at TIMESTAMPTZ,
    source VARCHAR,
    authors VARCHAR[],
    editors VARCHAR[],
    contributors VARCHAR[],
    reposters VARCHAR[],
    original_title VARCHAR,
    original_url VARCHAR,
    original_source VARCHAR,
    is_copy BOOLEAN,
    body VARCHAR,              -- normalized text, one paragraph per line
    raw_body VARCHAR,          -- the page's own text, before normalization
    paragraph_count INTEGER,
    images STRUCT(src VARCHAR, caption VARCHAR)[],
    script VARCHAR,
    flags VARCHAR[],
    corrupted_spans INTEGER,
    page_count INTEGER,
    content_hash VARCHAR,      -- sha256 of the normalized body: exact duplicates share it
    first_seen TIMESTAMPTZ,
    last_seen TIMESTAMPTZ
);

CREATE TABLE failures (
    url VARCHAR NOT NULL,
    page_sha256 VARCHAR NOT NULL,  -- '' when there were no bytes (e.g. a connection error)
    stage VARCHAR NOT NULL,        -- fetch | decode | parse | load
    site VARCHAR,
    reason VARCHAR NOT NULL,
    detail VARCHAR,
    seen_at TIMESTAMPTZ,
    body BLOB,                     -- the raw bytes, kept so nothing is lost
    PRIMARY KEY (url, page_sha256, stage)
);

CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    flow VARCHAR NOT NULL,
    site VARCHAR,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR,
    inputs VARCHAR,
    counts JSON
);
