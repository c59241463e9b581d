-- Crawl history: how each list was walked, what each crawled page was fetched as,
-- and what became of articles after they were first stored (edits, withdrawals, revisits).

-- Why the crawler fetched a page: article | list | sitemap | feed. NULL for pages loaded from files.
-- List, sitemap and feed pages are never parsed as articles (reparse skips them).
ALTER TABLE pages ADD COLUMN role VARCHAR;
UPDATE pages SET role = 'list' WHERE origin = 'http' AND outcome = 'not_article';
UPDATE pages SET role = 'article' WHERE origin = 'http' AND role IS NULL;

-- One row per list page fetched by a walk (HTML list pages, script-list windows), appended.
-- Where a backfill stopped, and whether a list that had article links now has none, are queries here.
CREATE TABLE list_pages (
    site VARCHAR NOT NULL,
    list_url VARCHAR NOT NULL,     -- the list as declared: its first page, or the script endpoint
    page_no INTEGER NOT NULL,      -- 1 for the first page (window) of the list
    url VARCHAR NOT NULL,          -- the page fetched (for a script list: the endpoint with its window)
    walk VARCHAR NOT NULL,         -- crawl | backfill
    run_id VARCHAR,
    fetched_at TIMESTAMPTZ NOT NULL,
    outcome VARCHAR NOT NULL,      -- ok | unchanged | failed
    links INTEGER,                 -- article links on the page
    new_links INTEGER,             -- of which the warehouse did not hold yet
    oldest TIMESTAMPTZ,            -- the oldest and newest dates the page shows for its articles
    newest TIMESTAMPTZ,
    next_url VARCHAR,              -- the page after it (what a resumed walk fetches next)
    stopped VARCHAR                -- why the walk ended at this page; NULL when it went on
);

-- Articles keep their latest text; these say when they were last checked and whether they went away.
ALTER TABLE articles ADD COLUMN last_checked TIMESTAMPTZ;     -- last revisit (200, 304 or gone)
ALTER TABLE articles ADD COLUMN withdrawn_at TIMESTAMPTZ;     -- first seen gone (404/410, redirected away)
ALTER TABLE articles ADD COLUMN withdrawn_reason VARCHAR;     -- e.g. 'http 404', 'redirected to http://…/'

-- Every version of an article whose text changed after it was first stored (version 1 = the first text).
-- Only articles that changed have rows; `articles` always holds the latest version.
CREATE TABLE article_versions (
    url VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    fetched_at TIMESTAMPTZ,
    page_sha256 VARCHAR,
    content_hash VARCHAR,
    title VARCHAR,
    body VARCHAR,
    published_at TIMESTAMPTZ,
    changed VARCHAR[]              -- what differs from the version before: title, body, published_at, source
);
