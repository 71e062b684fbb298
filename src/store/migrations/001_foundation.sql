-- 001_foundation.sql — tenants, users, sessions, the audit trail, the
-- working-day calendar and background jobs.
--
-- Portable SQL for SQLite and PostgreSQL: times are BIGINT epoch seconds,
-- booleans are INTEGER 0/1. {{id}} is the engine's auto-increment primary
-- key; text between "-- @sqlite" / "-- @pg" and "-- @end" is for that
-- engine only (store/migrate.c). Every table but tenants itself carries
-- tenant_id (SPEC X1); tenant 0 is the system and owns the official
-- holiday schedule.

CREATE TABLE tenants (
	id {{id}},                          -- the tenant itself: no tenant_id here
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,                 -- gas, property, care, community, other, system
	tz_name TEXT NOT NULL,
	utc_offset_min INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO tenants (id, code, name, kind, tz_name, utc_offset_min, created_at, updated_at)
	VALUES (0, 'system', '系统', 'system', 'Asia/Shanghai', 480, 0, 0);

CREATE TABLE users (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	phone TEXT,
	roles TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
	password_hash TEXT NOT NULL,
	password_changed_at BIGINT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	last_login_at BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_tenant ON users (tenant_id, id);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	user_id BIGINT NOT NULL REFERENCES users(id),
	csrf_token TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	ip TEXT,
	user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (tenant_id, expires_at);

-- Append-only: the triggers refuse UPDATE and DELETE, and the hash chain
-- (core/audit.h) shows any change made around them.
CREATE TABLE audit_log (
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	seq BIGINT NOT NULL,
	at BIGINT NOT NULL,
	actor_id BIGINT NOT NULL,
	actor TEXT NOT NULL,
	ip TEXT,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id BIGINT NOT NULL,
	before_json TEXT,
	after_json TEXT,
	reason TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL,
	PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_entity ON audit_log (tenant_id, entity, entity_id);
CREATE INDEX audit_at ON audit_log (tenant_id, at);
-- @sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- @pg
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- @end

-- A year's schedule per tenant; tenant 0 holds the official one, and a
-- tenant that imports a year replaces it for itself (store_calendar.c).
CREATE TABLE calendar_years (
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	year INTEGER NOT NULL,
	source TEXT NOT NULL,
	days INTEGER NOT NULL,
	imported_at BIGINT NOT NULL,
	imported_by TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (tenant_id, year)
);
CREATE TABLE calendar_days (
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	day TEXT NOT NULL,
	year INTEGER NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL,
	PRIMARY KEY (tenant_id, day)
);

-- Background jobs (app/scheduler.c): claimed by one worker at a time,
-- retried with back-off, kept after they finish so an admin can see them.
CREATE TABLE jobs (
	id {{id}},
	tenant_id BIGINT NOT NULL REFERENCES tenants(id),
	kind TEXT NOT NULL,
	payload TEXT NOT NULL,
	run_at BIGINT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead', 'cancelled')),
	attempts INTEGER NOT NULL DEFAULT 0,
	max_attempts INTEGER NOT NULL,
	last_error TEXT,
	result TEXT,
	locked_by TEXT,
	locked_until BIGINT NOT NULL DEFAULT 0,
	dedup_key TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	finished_at BIGINT NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_tenant ON jobs (tenant_id, id);
CREATE UNIQUE INDEX jobs_dedup ON jobs (tenant_id, dedup_key) WHERE state IN ('pending', 'running');
