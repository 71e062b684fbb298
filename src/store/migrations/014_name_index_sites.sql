-- 014_name_index_sites.sql — the name indexes carry each household's
-- site, so a short search within an estate (one or two characters:
-- store_household.c, Q_IDS_SHORT_COVER) tests its matches' sites in the
-- index alone.
--
-- A search of an account limited to an estate, or of a list filtered by
-- one, is bound to the estate's sites. Above the 10,000 households a
-- list counts, short_by_site() no longer tests every household there, and
-- the matches of the name were looked up one by one in the table for
-- their site; PostgreSQL, misjudging how few the site test keeps, walked
-- the whole table by id instead. Measured at a million households, an
-- estate of 23,466 (best of five through the API, 2026-12-06):
-- 张伟 272–350 ms on PostgreSQL and 25 ms on SQLite, 张 83–97 and 165 ms.
-- With the site in the index, and the sites tested inside each branch
-- of the search (a union: the fewer rows it merges, the less it sorts):
-- 张伟 8 and 9 ms, 张 17 and 20 ms. The two indexes take 0.6 s more to
-- build over a million households on SQLite (README, "Lists bound to
-- sites").
--
-- SQLite takes the site as the last column (an index holds the rowid,
-- the id, after it). PostgreSQL, whose index-only scan of an expression
-- needs every column the expression reads, includes it beside the id
-- and the name, as 006 and 008 did. The given-name expression is 010's
-- on SQLite and 008's on PostgreSQL, character for character.
--
-- PostgreSQL keeps statistics of an index's expression with the index,
-- and a new index has none until the table is analysed — which
-- autovacuum does only after many rows change. Without them it took a
-- given name's range for 0.5% of the households (5,036 rows for 伟,
-- which begins 54,279 given names of a million) and walked with parallel
-- workers whose start alone took 48 ms; analysed, 6 ms.

DROP INDEX households_name;
DROP INDEX households_given_name;
-- @sqlite
CREATE INDEX households_name ON households (tenant_id, name, site_id);
CREATE INDEX households_given_name ON households (tenant_id, (CASE WHEN instr('|欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|令狐|夏侯|端木|独孤|南宫|西门|轩辕|呼延|东郭|申屠|闻人|澹台|公羊|赫连|太史|钟离|万俟|濮阳|淳于|鲜于|闾丘|司空|亓官|司寇|颛孙|公良|漆雕|乐正|谷梁|拓跋|段干|巫马|公西|梁丘|左丘|东门|第五|', '|' || substr(name, 1, 2) || '|') > 0 THEN substr(name, 3) ELSE substr(name, 2) END), site_id);
-- @end
-- @pg
CREATE INDEX households_name ON households (tenant_id, name) INCLUDE (id, site_id);
CREATE INDEX households_given_name ON households (tenant_id, (CASE WHEN substr(name, 1, 2) IN ('欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '令狐', '夏侯', '端木', '独孤', '南宫', '西门', '轩辕', '呼延', '东郭', '申屠', '闻人', '澹台', '公羊', '赫连', '太史', '钟离', '万俟', '濮阳', '淳于', '鲜于', '闾丘', '司空', '亓官', '司寇', '颛孙', '公良', '漆雕', '乐正', '谷梁', '拓跋', '段干', '巫马', '公西', '梁丘', '左丘', '东门', '第五') THEN substr(name, 3) ELSE substr(name, 2) END)) INCLUDE (id, name, site_id);
ANALYZE households;
-- @end
