-- 005_change_notices.sql — PostgreSQL tells every ruhu node when what the
-- public badge check reads has changed.
--
-- A serving node keeps the check's answers in memory (store/badge_cache.c)
-- and forgets them all when a badge, a worker's shown details or status,
-- or an organisation's name or time zone changes, whoever changed it:
-- another node, a command, an import, psql. One notification per
-- statement (NOTIFY folds repeats within a transaction), sent at commit
-- and only then. An update of other columns (a worker's phone, photo
-- bytes, hiring bookkeeping) tells nothing. SQLite has no such channel;
-- a SQLite node keeps nothing in memory.

-- @pg
CREATE FUNCTION ruhu_notify_change() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN PERFORM pg_notify('ruhu_changes', TG_TABLE_NAME); RETURN NULL; END $$;
CREATE TRIGGER badges_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON badges
FOR EACH STATEMENT EXECUTE FUNCTION ruhu_notify_change();
CREATE TRIGGER staff_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF tenant_id, status, name, employment,
	employer, badge_no, staff_no, level, job_types, photo_type ON staff
FOR EACH STATEMENT EXECUTE FUNCTION ruhu_notify_change();
CREATE TRIGGER tenants_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF name, utc_offset_min ON tenants
FOR EACH STATEMENT EXECUTE FUNCTION ruhu_notify_change();
-- @end
