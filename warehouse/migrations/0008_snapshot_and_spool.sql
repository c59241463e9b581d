-- When each row of the growing tables was last written (inserted or updated) in this
-- warehouse. The read snapshot (warehouse/snapshot.py) copies only the rows written since it
-- was last published, so publishing costs what changed, not what is stored. Inserts take the
-- default; the writer (and any UPDATE of these tables) sets it when a row's values change.
-- Rows stored before this migration keep NULL (written before we kept the time): the first
-- publish copies them all. Added, then given its default, because DuckLake cannot add a
-- column with a default that is not a constant.
ALTER TABLE articles ADD COLUMN written_at TIMESTAMPTZ;
ALTER TABLE articles ALTER COLUMN written_at SET DEFAULT current_timestamp;
ALTER TABLE pages ADD COLUMN written_at TIMESTAMPTZ;
ALTER TABLE pages ALTER COLUMN written_at SET DEFAULT current_timestamp;
-- Appended to, never updated: the default is all they need.
ALTER TABLE list_pages ADD COLUMN written_at TIMESTAMPTZ;
ALTER TABLE list_pages ALTER COLUMN written_at SET DEFAULT current_timestamp;
ALTER TABLE article_versions ADD COLUMN written_at TIMESTAMPTZ;
ALTER TABLE article_versions ALTER COLUMN written_at SET DEFAULT current_timestamp;

-- Spooled batches already merged (warehouse/spool.py): recorded in the transaction that merges
-- a batch, so a batch whose files outlive a crash after that commit is not merged twice.
CREATE TABLE spool_applied (
    batch VARCHAR NOT NULL,        -- the batch folder's name under <db>.spool/
    kind VARCHAR,
    applied_at TIMESTAMPTZ NOT NULL
);
