-- 006_name_index_ids.sql — PostgreSQL's name indexes carry the household
-- id, so the short search (one or two characters: store_household.c,
-- Q_IDS_SHORT_BARE) reads its ids from the index alone.
--
-- A common name such as 张伟 starts ~4,700 names in a million; without
-- the id in the index each was a visit to the table (12 ms), with it an
-- index-only scan (2 ms). SQLite's indexes hold the rowid, which is the
-- id, already.

-- @pg
DROP INDEX households_name;
CREATE INDEX households_name ON households (tenant_id, name) INCLUDE (id);
DROP INDEX households_given_name;
CREATE INDEX households_given_name ON households (tenant_id, substr(name, 2)) INCLUDE (id);
-- @end
