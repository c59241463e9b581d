-- Write fences for several concurrent writers (used on DuckLake; harmless, and never touched, on a file).
-- DuckLake commits optimistically and has no keys: two transactions that insert the same new key
-- both commit, because inserts never conflict with each other. So a write batch on DuckLake also
-- bumps the one-row fence table of every bucket its keys fall in (buckets by URL host,
-- warehouse/lake.py): two batches writing into the same bucket then conflict at commit, and the
-- later one is run again on the new snapshot, where it sees the other's rows. Separate tables,
-- because DuckLake detects conflicts per table. The file backend has one writer and needs none.
CREATE SCHEMA regionews_fences;
CREATE TABLE regionews_fences.bucket_00 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_00 VALUES (0);
CREATE TABLE regionews_fences.bucket_01 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_01 VALUES (0);
CREATE TABLE regionews_fences.bucket_02 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_02 VALUES (0);
CREATE TABLE regionews_fences.bucket_03 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_03 VALUES (0);
CREATE TABLE regionews_fences.bucket_04 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_04 VALUES (0);
CREATE TABLE regionews_fences.bucket_05 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_05 VALUES (0);
CREATE TABLE regionews_fences.bucket_06 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_06 VALUES (0);
CREATE TABLE regionews_fences.bucket_07 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_07 VALUES (0);
CREATE TABLE regionews_fences.bucket_08 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_08 VALUES (0);
CREATE TABLE regionews_fences.bucket_09 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_09 VALUES (0);
CREATE TABLE regionews_fences.bucket_10 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_10 VALUES (0);
CREATE TABLE regionews_fences.bucket_11 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_11 VALUES (0);
CREATE TABLE regionews_fences.bucket_12 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_12 VALUES (0);
CREATE TABLE regionews_fences.bucket_13 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_13 VALUES (0);
CREATE TABLE regionews_fences.bucket_14 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_14 VALUES (0);
CREATE TABLE regionews_fences.bucket_15 (commits BIGINT NOT NULL);
INSERT INTO regionews_fences.bucket_15 VALUES (0);
