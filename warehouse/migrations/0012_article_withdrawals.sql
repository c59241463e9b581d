-- Each time an article went away and (if it did) came back: a withdrawal is a finding even after
-- the county restores the page, so the history is kept here while `articles.withdrawn_at` and
-- `withdrawn_reason` say only whether it is gone now.
CREATE TABLE article_withdrawals (
    url VARCHAR NOT NULL,
    withdrawn_at TIMESTAMPTZ NOT NULL,  -- first seen gone (404/410, redirected off the article)
    reason VARCHAR,                     -- e.g. 'http 404', 'redirected to http://…/'
    restored_at TIMESTAMPTZ             -- first seen back (200 or 304 on a revisit); NULL while gone
);

-- Withdrawals recorded before this table existed (0007 kept only the current state).
INSERT INTO article_withdrawals
SELECT url, withdrawn_at, withdrawn_reason, NULL FROM articles WHERE withdrawn_at IS NOT NULL;
