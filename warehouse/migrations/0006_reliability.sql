-- Nothing lost: where a loaded page came from, and runs that died.
--
-- A loaded page's bytes are copied into the project's own archive (data/warc/load-*.warc.gz) at
-- load time, so `location` points there and the user's file may move or go; the file it was
-- loaded from is kept as provenance. Locations are written relative to the warehouse's folder
-- when they are inside it (else absolute), so they resolve from any working directory.

ALTER TABLE pages ADD COLUMN source_path VARCHAR;     -- the file (or WARC file) it was loaded from; bytes that are not UTF-8 shown as \xNN
ALTER TABLE pages ADD COLUMN source_offset BIGINT;    -- the record's offset in that WARC file
ALTER TABLE pages ADD COLUMN source_name_bytes BLOB;  -- the path's own bytes, when they are not UTF-8 (archives from Chinese Windows)

-- A run whose process died (kill -9, a crash, a reboot) stays 'running' until a later run
-- notices: it is then marked 'abandoned', with when that was noticed.
ALTER TABLE runs ADD COLUMN abandoned_at TIMESTAMPTZ;
