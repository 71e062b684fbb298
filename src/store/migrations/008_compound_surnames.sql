-- 008_compound_surnames.sql — the given name, as the short search (one or
-- two characters: store_household.c, HH_GIVEN_NAME) finds it, is the
-- name without its surname: the first character, or the first two of a
-- compound surname (复姓: 欧阳娜娜 is found by 娜娜, not only by 阳娜).
--
-- The expression is written out here and in store_internal.h
-- (HH_GIVEN_NAME), character for character: a query finds the index only
-- by the same expression (tests/unit/test_store.c checks both).

DROP INDEX households_given_name;
-- @sqlite
CREATE INDEX households_given_name ON households (tenant_id, (CASE WHEN substr(name, 1, 2) IN ('欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '令狐', '夏侯', '端木', '独孤', '南宫', '西门', '轩辕', '呼延', '东郭', '申屠', '闻人', '澹台', '公羊', '赫连', '太史', '钟离', '万俟', '濮阳', '淳于', '鲜于', '闾丘', '司空', '亓官', '司寇', '颛孙', '公良', '漆雕', '乐正', '谷梁', '拓跋', '段干', '巫马', '公西', '梁丘', '左丘', '东门', '第五') THEN substr(name, 3) ELSE substr(name, 2) END));
-- @end
-- @pg
CREATE INDEX households_given_name ON households (tenant_id, (CASE WHEN substr(name, 1, 2) IN ('欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '令狐', '夏侯', '端木', '独孤', '南宫', '西门', '轩辕', '呼延', '东郭', '申屠', '闻人', '澹台', '公羊', '赫连', '太史', '钟离', '万俟', '濮阳', '淳于', '鲜于', '闾丘', '司空', '亓官', '司寇', '颛孙', '公良', '漆雕', '乐正', '谷梁', '拓跋', '段干', '巫马', '公西', '梁丘', '左丘', '东门', '第五') THEN substr(name, 3) ELSE substr(name, 2) END)) INCLUDE (id);
-- @end
