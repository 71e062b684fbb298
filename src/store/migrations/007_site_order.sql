-- 007_site_order.sql — sites are listed as people count them: 2栋 before
-- 10栋 (code-point order put 10栋 between 1栋 and 2栋).
--
-- The key is the name with every run of ASCII digits shorter than 20
-- padded with zeros to 20, compared byte by byte (core/site.h,
-- site_sort_key). SQLite calls the C function under the same name (it is
-- registered on every connection: store/db_sqlite.c); PostgreSQL gets it
-- here, in SQL, and the two must give the same key.

-- @pg
CREATE FUNCTION ruhu_sort_key(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT COALESCE(string_agg(CASE WHEN p[1] ~ '^[0-9]' AND length(p[1]) < 20 THEN lpad(p[1], 20, '0') ELSE p[1] END,
				   '' ORDER BY n), '')
	FROM regexp_matches(t, '[0-9]+|[^0-9]+', 'g') WITH ORDINALITY AS parts(p, n)
$$;
-- @end
