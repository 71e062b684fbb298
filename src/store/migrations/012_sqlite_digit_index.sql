-- 012_sqlite_digit_index.sql — SQLite: an index of the digit runs in the
-- searched text, for a search by a number of seven digits or more (an
-- account, a whole phone; store_household.c, Q_IDS_DIGITS). PostgreSQL
-- has had its own since 009.
--
-- SQLite's number path asked the trigram index for the number's last two
-- trigrams and checked every household holding both. For an account
-- such as 3100100100 those are 100 and 100, in 370,000 of a million
-- households: 430 ms; 3100000000 took 60 ms. This index holds, for every
-- run of seven digits or more in the text, its six-digit windows at even
-- offsets from the run's start, as words (core/digits.h). A number lies
-- inside one run, so its windows at even offsets, or those at odd ones,
-- are all in the rows that hold it, and in few others: 3100100100, a
-- handful of candidates, about 1 ms.
--
-- The words come from ruhu_digit_windows(), a function of ruhu's own
-- (db_sqlite.c). The sqlite3 shell can still read the database; a write
-- to households there fails ("no such function"), as a change to a
-- record should go through ruhu, which audits it.
--
-- The text is the trigram index's (002), character for character.

-- @sqlite
CREATE VIEW households_digit_text AS
	SELECT id, ruhu_digit_windows(t) AS w FROM households_search_text;
CREATE VIRTUAL TABLE households_digits USING fts5(w, content='households_digit_text', content_rowid='id',
	detail='none', columnsize=0);
CREATE TRIGGER households_digits_insert AFTER INSERT ON households BEGIN
	INSERT INTO households_digits (rowid, w) VALUES (new.id, ruhu_digit_windows(
		replace(new.name || char(31) || new.phone || char(31) || new.phone2 || char(31) || new.address || char(31) || new.account_no, ' ', '')));
END;
CREATE TRIGGER households_digits_update AFTER UPDATE OF name, phone, phone2, address, account_no ON households BEGIN
	INSERT INTO households_digits (households_digits, rowid, w) VALUES ('delete', old.id, ruhu_digit_windows(
		replace(old.name || char(31) || old.phone || char(31) || old.phone2 || char(31) || old.address || char(31) || old.account_no, ' ', '')));
	INSERT INTO households_digits (rowid, w) VALUES (new.id, ruhu_digit_windows(
		replace(new.name || char(31) || new.phone || char(31) || new.phone2 || char(31) || new.address || char(31) || new.account_no, ' ', '')));
END;
CREATE TRIGGER households_digits_delete AFTER DELETE ON households BEGIN
	INSERT INTO households_digits (households_digits, rowid, w) VALUES ('delete', old.id, ruhu_digit_windows(
		replace(old.name || char(31) || old.phone || char(31) || old.phone2 || char(31) || old.address || char(31) || old.account_no, ' ', '')));
END;
INSERT INTO households_digits (households_digits) VALUES ('rebuild');
-- @end
