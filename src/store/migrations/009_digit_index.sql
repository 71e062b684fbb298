-- 009_digit_index.sql — PostgreSQL: an index of the digit runs in the
-- searched text, for a search by a number of seven digits or more (an
-- account, a whole phone; store_household.c, Q_IDS_PG_DIGITS).
--
-- The trigram index cannot tell 3100000002 from most accounts: all its
-- trigrams (310, 100, 000, 002) are in tens of thousands of rows, and a
-- search for it checked 8,300 candidates, 10 ms at a million households,
-- the slowest search there was. This index holds, for every run of six
-- digits or more in the text, its six-digit windows at even offsets from
-- the run's start, each as the number it spells. A number of seven
-- digits or more lies inside one run, and either its windows at even
-- offsets or those at odd ones are then at even offsets of that run: the
-- rows holding all of one set or all of the other are every row that can
-- match (and a few more, which the search checks). 3100000002: one
-- candidate, 0.2 ms.
--
-- The text is the trigram index's (002), character for character: the
-- query must repeat the expression for the planner to find the index.
-- The function costs some 5 µs a row; its COST tells the planner never
-- to call it row by row where the index can answer: with the statistics
-- of a table just loaded, which think an organisation small, it walked
-- the organisation's rows instead (55 ms for 2,800 households).
-- SQLite's number path already asks its trigram index for a number's
-- varying end only: it has nothing here.

-- @pg
CREATE FUNCTION ruhu_digit_windows(t text) RETURNS int[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
	SELECT ARRAY(SELECT CAST(substr(r, i, 6) AS int) FROM regexp_split_to_table(t, '[^0-9]+') AS r,
		generate_series(1, length(r) - 5, 2) AS i)
$$;
CREATE INDEX households_digits ON households USING gin
	(ruhu_digit_windows(replace(name || chr(31) || phone || chr(31) || phone2 || chr(31) || address || chr(31) || account_no, ' ', '')));
-- @end
