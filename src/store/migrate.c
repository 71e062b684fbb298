/*
 * migrate.c — numbered schema migrations, applied at start.
 *
 * Migrations are the files src/store/migrations/NNN_name.sql, compiled
 * into the binary. Each runs once, in order, in its own transaction with
 * the row recording it in schema_migrations, so a crash midway leaves the
 * schema at the previous version. A database newer than the binary is
 * refused rather than guessed at.
 *
 * One text serves both engines: {{name}} macros are replaced by the
 * driver (db.h) and "-- @sqlite" / "-- @pg" … "-- @end" sections are kept
 * only for their engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/asset.h"
#include "base/buf.h"
#include "base/log.h"
#include "store/migrate.h"
#include "store/store_internal.h"

#define MIGRATION_DIR "src/store/migrations/"

static const struct sql Q_TABLE = {
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
};
static const struct sql Q_CURRENT = { "SELECT COALESCE(MAX(version), 0) FROM schema_migrations" };
static const struct sql Q_RECORD = {
	"INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"
};

static const struct sql Q_INSTALLED = {
	"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
	"SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'",
};

enum rh_err migrate_installed(struct db *db, int *yes)
{
	struct db_stmt *st = q_bind(db, &Q_INSTALLED, "");
	if (!st) return q_unprepared(db);
	enum rh_err rc = q_step(db, st) == DB_ROW ? RH_OK : q_error(db, "installed");
	if (rc == RH_OK) *yes = q_int(db, st, 0) > 0;
	q_finish(db, st);
	return rc;
}

/* Keeps the lines for this engine and expands macros. */
static int preprocess(const struct db_driver *drv, const char *src, struct buf *out)
{
	int keep = 1;
	const char *line = src;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
		if (strncmp(line, "-- @sqlite", 10) == 0) keep = strcmp(drv->name, "sqlite") == 0;
		else if (strncmp(line, "-- @pg", 6) == 0) keep = strcmp(drv->name, "postgresql") == 0;
		else if (strncmp(line, "-- @end", 7) == 0) keep = 1;
		else if (keep) {
			for (size_t i = 0; i < len; i++) {
				if (line[i] == '{' && i + 1 < len && line[i + 1] == '{') {
					const char *close = strstr(line + i, "}}");
					if (!close || close > line + len) return -1;
					char name[32];
					size_t nl = (size_t)(close - (line + i + 2));
					if (nl >= sizeof name) return -1;
					memcpy(name, line + i + 2, nl);
					name[nl] = '\0';
					const char *val = drv->macro(name);
					if (!val || buf_puts(out, val)) return -1;
					i = (size_t)(close - line) + 1;
				} else if (buf_putc(out, line[i])) {
					return -1;
				}
			}
		}
		line += len;
	}
	return 0;
}

struct plan {
	const struct asset *files[256];
	int n;
};

static void collect(const struct asset *a, void *arg)
{
	struct plan *p = arg;
	if (p->n < 256) p->files[p->n++] = a;
}

static enum rh_err read_current(struct db *db, int *current)
{
	struct db_stmt *st = q_bind(db, &Q_CURRENT, "");
	if (!st) return RH_ERR_STORE;
	enum rh_err rc = q_step(db, st) == DB_ROW ? RH_OK : q_error(db, "schema version");
	if (rc == RH_OK) *current = (int)q_int(db, st, 0);
	q_finish(db, st);
	return rc;
}

/* Applies one migration if the database has not got it yet. The version
 * is read inside the write transaction, so nodes starting together apply
 * each migration exactly once. */
static enum rh_err apply_one(struct db *db, const struct asset *file, int v, int *current,
			     char *err, size_t errlen)
{
	const char *name = file->name + strlen(MIGRATION_DIR);
	struct buf script = BUF_INIT(1 << 20);
	enum rh_err rc = tx_begin(db, 1);
	if (rc == RH_OK) rc = read_current(db, current);
	if (rc != RH_OK) {
		snprintf(err, errlen, "migration %s: %s", name, db->drv->errmsg(db));
	} else if (v <= *current) {
		/* already there */
	} else if (preprocess(db->drv, (const char *)file->data, &script) != 0) {
		snprintf(err, errlen, "migration %s: bad macro or section", name);
		rc = RH_ERR_INTERNAL;
	} else if (db->drv->exec_script(db, buf_str(&script)) != 0) {
		snprintf(err, errlen, "migration %s failed: %s", name, db->drv->errmsg(db));
		rc = RH_ERR_STORE;
	} else if ((rc = q_exec(db, &Q_RECORD, "itI", v, name, store_now())) != RH_OK) {
		snprintf(err, errlen, "migration %s: %s", name, db->drv->errmsg(db));
	} else {
		*current = v;
		log_info("applied migration %s", name);
	}
	if (rc == RH_OK && (rc = tx_commit(db)) != RH_OK)
		snprintf(err, errlen, "migration %s: %s", name, db->drv->errmsg(db));
	if (rc != RH_OK) tx_rollback(db);
	buf_release(&script);
	return rc;
}

/* Whether a table of this name is in the database (its current schema
 * on PostgreSQL). */
static const struct sql Q_HAS_TABLE = {
	"SELECT COUNT(*) FROM sqlite_master WHERE name = $1",
	"SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1",
};

/* A database ruhu has not installed into may hold another program's
 * tables beside ruhu's, but none of the names ruhu's migrations create
 * (a mistyped --db into an application's database with a households
 * table): that is refused before the first migration is committed, which
 * would have left ruhu's first tables beside theirs. The names are read
 * from the migrations themselves, the schema's one source. */
static enum rh_err clash_check(struct db *db, const struct plan *plan, char *err, size_t errlen)
{
	int installed = 0;
	enum rh_err rc = migrate_installed(db, &installed);
	if (rc != RH_OK || installed) return rc;
	for (int i = 0; rc == RH_OK && i < plan->n; i++) {
		const char *text = (const char *)plan->files[i]->data, *end = text + plan->files[i]->len;
		for (const char *p = text; rc == RH_OK && (p = memmem(p, (size_t)(end - p), "CREATE ", 7)) != NULL;) {
			p += 7;
			if ((size_t)(end - p) > 8 && memcmp(p, "VIRTUAL ", 8) == 0) p += 8;
			if ((size_t)(end - p) < 6 || memcmp(p, "TABLE ", 6) != 0) continue;
			p += 6;
			if ((size_t)(end - p) > 14 && memcmp(p, "IF NOT EXISTS ", 14) == 0) p += 14;
			char name[64];
			size_t n = 0;
			while (p < end && n + 1 < sizeof name && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
				name[n++] = *p++;
			name[n] = '\0';
			if (!n) continue;
			struct db_stmt *st = q_bind(db, &Q_HAS_TABLE, "t", name);
			if (!st) return q_unprepared(db);
			rc = q_step(db, st) == DB_ROW ? RH_OK : q_error(db, "tables");
			int64_t there = rc == RH_OK ? q_int(db, st, 0) : 0;
			q_finish(db, st);
			if (rc == RH_OK && there) {
				/* another node installing at this moment made it: ruhu's */
				rc = migrate_installed(db, &installed);
				if (rc != RH_OK || installed) return rc;
				snprintf(err, errlen, "the database already holds a table %s that is not ruhu's; ruhu installs "
					 "into a database without one", name);
				rc = RH_ERR_STATE;
			}
		}
	}
	return rc;
}

/* The database at current, this ruhu's migrations up to latest. */
static enum rh_err at_version(int current, int latest, int *version, char *err, size_t errlen)
{
	if (current > latest) {
		snprintf(err, errlen, "the database is at schema version %d, newer than this ruhu (%d); "
			 "upgrade ruhu", current, latest);
		return RH_ERR_STATE;
	}
	*version = current;
	return RH_OK;
}

enum rh_err migrate_apply(struct db *db, int *version, char *err, size_t errlen)
{
	struct plan plan = { .n = 0 };
	asset_each(MIGRATION_DIR, collect, &plan);	/* in name order: 001_, 002_ … */
	enum rh_err clash = clash_check(db, &plan, err, errlen);
	if (clash != RH_OK) return clash;
	int current = 0, latest = 0;
	for (int i = 0; i < plan.n; i++) {
		const char *name = plan.files[i]->name + strlen(MIGRATION_DIR);
		int v = (int)strtol(name, NULL, 10);
		if (v != latest + 1) {
			snprintf(err, errlen, "migration %s is out of sequence", name);
			return RH_ERR_INTERNAL;
		}
		latest = v;
	}
	/* Nothing to apply: nothing written, no write lock asked for — so a
	 * command that only reads (audit verify, user list) works under a
	 * read-only role or on a standby of PostgreSQL. Read outside a
	 * transaction: a version seen cannot go down meanwhile. */
	int installed = 0;
	if (migrate_installed(db, &installed) == RH_OK && installed && read_current(db, &current) == RH_OK &&
	    current >= latest)
		return at_version(current, latest, version, err, errlen);

	/* In a write transaction: on PostgreSQL that is the write lock, so
	 * nodes starting together on a new database do not both create it. */
	if (tx_end(db, tx_begin(db, 1) == RH_OK ? q_exec(db, &Q_TABLE, "") : RH_ERR_STORE) != RH_OK) {
		snprintf(err, errlen, "cannot create schema_migrations: %s", db->drv->errmsg(db));
		return RH_ERR_STORE;
	}
	for (int i = 0; i < plan.n; i++) {
		int v = i + 1;
		/* A migration may build an index over every household: no
		 * statement timeout (on PostgreSQL 60 s, which 009 alone would
		 * pass at some three million households). Not for those the
		 * database is known to have (current: read by the last one). */
		int tune = v > current;
		if (tune) db->drv->bulk(db, 1);
		enum rh_err rc = apply_one(db, plan.files[i], v, &current, err, errlen);
		if (tune) db->drv->bulk(db, 0);
		if (rc != RH_OK) return rc;
	}
	if (plan.n == 0 && read_current(db, &current) != RH_OK) {
		snprintf(err, errlen, "cannot read schema version");
		return RH_ERR_STORE;
	}
	return at_version(current, latest, version, err, errlen);
}
