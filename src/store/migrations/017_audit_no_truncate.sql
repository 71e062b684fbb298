-- 017_audit_no_truncate.sql — PostgreSQL: the audit trail refuses
-- TRUNCATE as it refuses UPDATE and DELETE (001).
--
-- A row trigger does not see TRUNCATE, which an ordinary client of the
-- ruhu role could run to empty every organisation's trail at once; a
-- statement trigger does. The one TRUNCATE ruhu itself runs, a copy into
-- an empty database clearing what a new database is given
-- (store_copy.c), says so first for its own transaction
-- (ruhu.copying). That is a guard against a slip, not against the
-- tables' owner, who may drop the trigger — as SQLite's triggers do not
-- stop the sqlite3 shell — which is why `ruhu audit verify` also calls
-- an organisation's empty trail broken: its creation is its first entry.

-- @pg
CREATE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN
	IF current_setting('ruhu.copying', true) = 'on' THEN RETURN NULL; END IF;
	RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();
-- @end
