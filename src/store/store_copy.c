/*
 * store_copy.c — a whole database copied into an empty PostgreSQL one
 * (`ruhu migrate`, and `ruhu restore` of a SQLite backup into
 * PostgreSQL), and the backup of a live database (`ruhu backup`).
 *
 * The copy reads every table of the source in one read transaction (one
 * state of the database, while it keeps serving) and streams its rows
 * into the destination with COPY, all in one write transaction: the
 * destination ends with every row or with none. Both sides run the same
 * migrations first, so the tables and their columns agree; the column
 * names are still compared, table by table, before a row is sent. Rows
 * keep their ids (the audit trail names them), and the identity
 * sequences are moved past the highest id afterwards.
 *
 * The tables are listed here, parents before children. A table added by
 * a migration must be added here too: store_copy_tables_check() compares
 * the list with the database's own, and the unit tests call it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/buf.h"
#include "store/store_internal.h"

struct table {
	const char *name;
	struct sql select;	/* every column, in the table's order */
	struct sql count;
	const char *copy;	/* COPY … FROM STDIN */
	struct sql sequence;	/* moves the id sequence past the copied ids; NULL text when no id */
};

#define TABLE(n) { #n, { "SELECT * FROM " #n }, { "SELECT count(*) FROM " #n }, "COPY " #n " FROM STDIN", { NULL } }
#define TABLE_ID(n) { #n, { "SELECT * FROM " #n }, { "SELECT count(*) FROM " #n }, "COPY " #n " FROM STDIN", \
	{ "SELECT 1", "SELECT setval(pg_get_serial_sequence('" #n "', 'id'), GREATEST((SELECT max(id) FROM " #n "), 1))" } }

static const struct table tables[] = {
	TABLE_ID(tenants),
	TABLE_ID(users),
	TABLE(sessions),
	TABLE(audit_log),
	TABLE(calendar_years),
	TABLE(calendar_days),
	TABLE_ID(jobs),
	TABLE_ID(sites),
	TABLE(user_sites),
	TABLE_ID(imports),
	TABLE_ID(households),
	TABLE_ID(staff),
	TABLE(installation),
	TABLE_ID(staff_files),
	TABLE_ID(staff_steps),
	TABLE_ID(trainings),
	TABLE_ID(certificates),
	TABLE(job_rules),
	TABLE_ID(discipline),
	TABLE_ID(staff_returns),
	TABLE_ID(badges),
	TABLE_ID(assignments),
	TABLE_ID(notifications),
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* The destination must hold nothing but what a new database is given
 * (store_open: the system organisation, the shipped holiday years and
 * the audit entries that loaded them, the key check), which the copy
 * replaces: it clears every table first. Anything else would go with
 * them, and the system organisation's own audited data too — a year an
 * operator imported, its entries, accounts, jobs. $1: the shipped
 * schedule's source (calendar_shipped_source). */
#define SHIPPED_YEAR "y.tenant_id = 0 AND y.source = $1 AND y.imported_by = 'system'"
static const struct {
	const char *what;
	const char *types;	/* "t" when it takes $1 */
	struct sql count;
} not_new[] = {
	{ "organisations", "", { "SELECT count(*) FROM tenants WHERE id <> 0" } },
	{ "calendar years not shipped with ruhu", "t", { "SELECT count(*) FROM calendar_years y WHERE NOT (" SHIPPED_YEAR ")" } },
	{ "calendar days outside the shipped years", "t", { "SELECT count(*) FROM calendar_days d WHERE NOT EXISTS (SELECT 1 FROM"
					   " calendar_years y WHERE y.tenant_id = d.tenant_id AND y.year = d.year AND "
					   SHIPPED_YEAR ")" } },
	{ "audit entries other than the shipped calendar's", "t", { "SELECT count(*) FROM audit_log a WHERE NOT (a.tenant_id = 0"
							       " AND a.actor = 'system' AND a.action = 'import' AND a.entity ="
							       " 'calendar_year' AND EXISTS (SELECT 1 FROM calendar_years y"
							       " WHERE y.year = a.entity_id AND " SHIPPED_YEAR "))" } },
};
/* The audit trail refuses TRUNCATE (migration 017) but from a copy that
 * says, for its own transaction, that it is one. */
static const struct sql Q_COPYING = { "SELECT 1", "SELECT set_config('ruhu.copying', 'on', true)" };
static const struct sql Q_CLEAR = {
	"SELECT 1",
	"TRUNCATE tenants, users, sessions, audit_log, calendar_years, calendar_days, jobs, sites, user_sites, imports,"
	" households, staff, installation, staff_files, staff_steps, trainings, certificates, job_rules, discipline,"
	" staff_returns, badges, assignments, notifications"
};
/* The columns of a table on the destination, in order. */
static const struct sql Q_COLUMNS = {
	"SELECT name FROM pragma_table_info($1) ORDER BY cid",
	"SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
	" AND table_name = $1 ORDER BY ordinal_position"
};
/* Every ordinary table of the database, for the check of the list above. */
static const struct sql Q_ALL_TABLES = {
	"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	" AND name NOT LIKE 'households_fts%' AND name NOT LIKE 'households_digits%' AND name <> 'schema_migrations'"
	" ORDER BY name",
	"SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	" AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name"
};

/* The destination's indexes that no constraint owns — every secondary
 * index, the unique ones made by CREATE UNIQUE INDEX too — as a name,
 * the statement that drops it and the definition to replay. They are set aside before the rows
 * come and built again after them: one sort each instead of a scattered
 * insert per row (at a million households the trigram index takes 20 s
 * to build and 50 s to keep up row by row). The destination is empty and
 * nobody serves it yet, so the lock the drops take keeps nobody waiting;
 * it is all the copy's one transaction, and a unique index built after
 * the rows refuses a duplicate as it would have during the COPY. */
static const struct sql Q_SECONDARY = {	/* $1: the copied tables, as a text[] */
	"SELECT '', '', '' WHERE $1 IS NULL",	/* SQLite is never a destination */
	"SELECT quote_ident(c.relname), 'DROP INDEX ' || quote_ident(c.relname) || ';', pg_get_indexdef(c.oid)"
	" FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid"
	" JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = current_schema() AND t.relname = ANY (CAST($1 AS text[]))"
	" AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid) ORDER BY c.relname"
};

/* The destination's foreign keys, set aside the same way: checked row by
 * row they cost more than the rows (12 s of a million households), and
 * added back after them each is one query over the table. */
static const struct sql Q_FOREIGN = {	/* $1: the copied tables, as a text[] */
	"SELECT '', '', '' WHERE $1 IS NULL",
	"SELECT quote_ident(k.conname), 'ALTER TABLE ' || quote_ident(t.relname) || ' DROP CONSTRAINT '"
	" || quote_ident(k.conname) || ';', 'ALTER TABLE ' || quote_ident(t.relname) || ' ADD CONSTRAINT '"
	" || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid) FROM pg_constraint k"
	" JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
	" WHERE k.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY (CAST($1 AS text[]))"
	" ORDER BY t.relname, k.conname"
};

struct set_aside {
	struct index_def {
		const char *what;	/* "index", "constraint" */
		char *name, *create;	/* quoted; the statement that makes it again */
	} *idx;
	size_t n;
};

static void set_aside_free(struct set_aside *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->idx[i].name);
		free(a->idx[i].create);
	}
	free(a->idx);
	a->idx = NULL;
	a->n = 0;
}

/* Keeps what the rows of q ($1 names) describe in *a — its name, the
 * statement that drops it and the one that makes it again — and drops
 * them all. */
static enum rh_err aside(struct db *to, const struct sql *q, const char *names, const char *what, struct set_aside *a)
{
	struct buf drops = BUF_INIT(SIZE_MAX);
	struct db_stmt *st = q_bind(to, q, "t", names);
	if (!st) return q_unprepared(to);
	enum rh_err rc = RH_OK;
	enum db_step s;
	while (rc == RH_OK && (s = q_step(to, st)) == DB_ROW) {
		struct index_def *grown = realloc(a->idx, (a->n + 1) * sizeof *grown);
		if (grown) a->idx = grown;
		struct index_def d = { what, grown ? strdup(to->drv->col_text(st, 0)) : NULL,
				       grown ? strdup(to->drv->col_text(st, 2)) : NULL };
		if (!d.name || !d.create || buf_puts(&drops, to->drv->col_text(st, 1))) {
			free(d.name);
			free(d.create);
			rc = RH_ERR_NOMEM;
		} else {
			a->idx[a->n++] = d;
		}
	}
	if (rc == RH_OK && s == DB_ERROR) rc = q_error(to, what);
	q_finish(to, st);
	/* The names come from the catalogue, quoted by it. */
	if (rc == RH_OK && drops.len && to->drv->exec_script(to, buf_str(&drops)) != 0) rc = q_error(to, "set aside");
	buf_release(&drops);
	return rc;
}

/* Drops the secondary indexes and the foreign keys of the destination's
 * tables (those of the list: another program's tables in the same schema
 * are not ruhu's to touch), keeping their definitions in *a: the indexes
 * first, so that they are built again before the keys are checked. */
static enum rh_err indexes_aside(struct db *to, struct set_aside *a)
{
	struct buf names = BUF_INIT(SIZE_MAX);
	enum rh_err rc = buf_putc(&names, '{') ? RH_ERR_NOMEM : RH_OK;
	for (size_t i = 0; rc == RH_OK && i < NTABLES; i++)
		if (buf_printf(&names, "%s%s", i ? "," : "", tables[i].name)) rc = RH_ERR_NOMEM;
	if (rc == RH_OK && buf_putc(&names, '}')) rc = RH_ERR_NOMEM;
	if (rc == RH_OK) rc = aside(to, &Q_SECONDARY, buf_str(&names), "index", a);
	if (rc == RH_OK) rc = aside(to, &Q_FOREIGN, buf_str(&names), "constraint", a);
	buf_release(&names);
	return rc;
}

/* Makes again what indexes_aside() dropped; err says which one failed
 * and why (a unique index meeting a duplicate, a key a missing row). */
static enum rh_err indexes_back(struct db *to, const struct set_aside *a, char *err, size_t errlen)
{
	for (size_t i = 0; i < a->n; i++) {
		if (to->drv->exec_script(to, a->idx[i].create) == 0) continue;
		snprintf(err, errlen, "%s %s: %s", a->idx[i].what, a->idx[i].name, to->drv->errmsg(to));
		return q_error(to, a->idx[i].what);
	}
	return RH_OK;
}

static int64_t count_one(struct db *db, const struct sql *q, enum rh_err *rc)
{
	struct db_stmt *st = q_bind(db, q, "");
	int64_t n = -1;
	if (st && q_step(db, st) == DB_ROW) n = q_int(db, st, 0);
	else *rc = st ? q_error(db, q->text) : q_unprepared(db);
	if (st) q_finish(db, st);
	return n;
}

/* RH_OK when the destination holds only what a new database holds (see
 * not_new); else RH_ERR_STATE, err naming what it found, table by table. */
static enum rh_err only_new(struct db *to, char *err, size_t errlen)
{
	static const char *const alone[] = { "tenants", "calendar_years", "calendar_days", "audit_log", "installation", NULL };
	struct buf found = BUF_INIT(4096);
	enum rh_err rc = RH_OK;
	for (size_t i = 0; rc == RH_OK && i < sizeof not_new / sizeof not_new[0]; i++) {
		struct db_stmt *st = q_bind(to, &not_new[i].count, not_new[i].types, calendar_shipped_source);
		if (!st) return q_unprepared(to);
		int64_t n = q_step(to, st) == DB_ROW ? q_int(to, st, 0) : -1;
		q_finish(to, st);
		if (n < 0) rc = q_error(to, not_new[i].what);
		else if (n > 0) buf_printf(&found, "%s%s (%lld)", found.len ? ", " : "", not_new[i].what, (long long)n);
	}
	for (size_t i = 0; rc == RH_OK && i < NTABLES; i++) {
		size_t a = 0;
		while (alone[a] && strcmp(alone[a], tables[i].name) != 0) a++;
		if (alone[a]) continue;	/* looked at above */
		int64_t n = count_one(to, &tables[i].count, &rc);
		if (rc == RH_OK && n > 0) buf_printf(&found, "%srows of %s (%lld)", found.len ? ", " : "", tables[i].name, (long long)n);
	}
	if (rc == RH_OK && found.len) {
		snprintf(err, errlen, "the destination is not a new database: it already holds %s; the copy clears every "
			 "table, so it goes only into a database holding nothing but what ruhu puts in a new one", buf_str(&found));
		rc = RH_ERR_STATE;
	}
	buf_release(&found);
	return rc;
}

/* One value in COPY's text format: \N for NULL, else escaped. */
static int put_value(struct buf *b, struct db *db, struct db_stmt *st, int col)
{
	if (db->drv->is_null(st, col)) return buf_puts(b, "\\N");
	return copy_escape(b, db->drv->col_text(st, col));
}

/* The source's columns of the running statement against the
 * destination's: the same names in the same order, or the copy stops. */
static enum rh_err columns_agree(struct db *from, struct db_stmt *rows, struct db *to, const struct table *t,
				 char *err, size_t errlen)
{
	struct db_stmt *st = q_bind(to, &Q_COLUMNS, "t", t->name);
	if (!st) return q_unprepared(to);
	int n = from->drv->column_count(rows), i = 0;
	enum rh_err rc = RH_OK;
	enum db_step s;
	while (rc == RH_OK && (s = q_step(to, st)) == DB_ROW) {
		const char *want = to->drv->col_text(st, 0);
		if (i >= n || strcmp(from->drv->col_name(rows, i), want) != 0) {
			snprintf(err, errlen, "table %s: column %d is %s here and %s there", t->name, i + 1,
				 i < n ? from->drv->col_name(rows, i) : "missing", want);
			rc = RH_ERR_STATE;
		}
		i++;
	}
	if (rc == RH_OK && s == DB_ERROR) rc = q_error(to, "columns");
	q_finish(to, st);
	if (rc == RH_OK && i != n) {
		snprintf(err, errlen, "table %s: %d columns here, %d there", t->name, n, i);
		rc = RH_ERR_STATE;
	}
	return rc;
}

/* Streams one table's rows; *rows the number sent. */
static enum rh_err copy_table(struct db *from, struct db *to, const struct table *t, int64_t *rows, char *err,
			      size_t errlen)
{
	struct db_stmt *st = q_bind(from, &t->select, "");
	if (!st) return q_unprepared(from);
	enum db_step s = q_step(from, st);
	enum rh_err rc = s == DB_ERROR ? q_error(from, t->name) : RH_OK;
	if (rc == RH_OK && s == DB_ROW) rc = columns_agree(from, st, to, t, err, errlen);
	if (rc == RH_OK && s == DB_ROW && to->drv->copy_begin(to, t->copy) != 0) rc = q_error(to, t->copy);
	struct buf line = BUF_INIT(SIZE_MAX);
	int ncols = s == DB_ROW ? from->drv->column_count(st) : 0;
	*rows = 0;
	while (rc == RH_OK && s == DB_ROW) {
		for (int c = 0; rc == RH_OK && c < ncols; c++)
			if ((c && buf_putc(&line, '\t')) || put_value(&line, from, st, c)) rc = RH_ERR_NOMEM;
		if (rc == RH_OK && buf_putc(&line, '\n')) rc = RH_ERR_NOMEM;
		(*rows)++;
		/* sent in pieces of about 1 MiB */
		if (rc == RH_OK && line.len >= (1 << 20)) {
			if (to->drv->copy_put(to, line.data, line.len) != 0) rc = q_error(to, t->copy);
			buf_reset(&line);
		}
		if (rc == RH_OK) {
			s = q_step(from, st);
			if (s == DB_ERROR) rc = q_error(from, t->name);
		}
	}
	if (rc == RH_OK && line.len && to->drv->copy_put(to, line.data, line.len) != 0) rc = q_error(to, t->copy);
	if (rc == RH_OK && *rows && to->drv->copy_end(to) != 0) rc = q_error(to, t->copy);
	buf_release(&line);
	q_finish(from, st);
	if (rc != RH_OK && !err[0]) snprintf(err, errlen, "table %s: %s", t->name, to->drv->errmsg(to));
	return rc;
}

enum rh_err store_copy_target_new(struct store *dst, char *err, size_t errlen)
{
	struct db *to = store_acquire(dst);
	enum rh_err rc = tx_begin(to, 0);
	if (rc == RH_OK) rc = only_new(to, err, errlen);
	if (rc != RH_OK && rc != RH_ERR_STATE) snprintf(err, errlen, "%s", to->drv->errmsg(to));
	tx_rollback(to);
	store_release(dst, to);
	return rc;
}

enum rh_err store_copy_into(struct store *src, struct store *dst, store_copy_progress_fn progress, void *arg,
			    char *err, size_t errlen)
{
	err[0] = '\0';
	if (store_schema_version(src) != store_schema_version(dst)) {
		snprintf(err, errlen, "the schemas differ (%d and %d)", store_schema_version(src), store_schema_version(dst));
		return RH_ERR_STATE;
	}
	struct db *from = store_acquire(src), *to = store_acquire(dst);
	if (!to->drv->copy_begin) {
		snprintf(err, errlen, "the destination must be PostgreSQL");
		store_release(src, from);
		store_release(dst, to);
		return RH_ERR_STATE;
	}
	to->drv->bulk(to, 1);
	enum rh_err rc = tx_begin(from, 0);
	if (rc == RH_OK) rc = tx_begin(to, 1);
	if (rc == RH_OK) rc = only_new(to, err, errlen);
	if (rc == RH_OK) rc = q_exec(to, &Q_COPYING, "");
	if (rc == RH_OK) rc = q_exec(to, &Q_CLEAR, "");
	struct set_aside aside = { NULL, 0 };
	if (rc == RH_OK) rc = indexes_aside(to, &aside);
	for (size_t i = 0; rc == RH_OK && i < NTABLES; i++) {
		int64_t rows = 0;
		rc = copy_table(from, to, &tables[i], &rows, err, errlen);
		if (rc == RH_OK && tables[i].sequence.text) {
			struct db_stmt *st = q_bind(to, &tables[i].sequence, "");
			if (!st || q_step(to, st) == DB_ERROR) rc = q_error(to, "sequence");
			if (st) q_finish(to, st);
		}
		if (rc == RH_OK && progress) progress(tables[i].name, rows, arg);
	}
	if (rc == RH_OK && aside.n && progress) progress(NULL, (int64_t)aside.n, arg);
	if (rc == RH_OK) rc = indexes_back(to, &aside, err, errlen);
	set_aside_free(&aside);
	/* The message is taken before anything else is sent: a statement
	 * that works wipes it. */
	if (rc != RH_OK) {
		if (!err[0]) snprintf(err, errlen, "%s", to->drv->errmsg(to));
		tx_rollback(to);
	} else if ((rc = tx_commit(to)) != RH_OK) {
		snprintf(err, errlen, "COMMIT: %s", to->drv->errmsg(to));
	}
	tx_rollback(from);
	to->drv->bulk(to, 0);
	store_release(src, from);
	store_release(dst, to);
	return rc;
}

enum rh_err store_copy_compare(struct store *a, struct store *b, store_copy_count_fn fn, void *arg, int *differ)
{
	struct db *x = store_acquire(a), *y = store_acquire(b);
	enum rh_err rc = RH_OK;
	*differ = 0;
	for (size_t i = 0; rc == RH_OK && i < NTABLES; i++) {
		int64_t n = count_one(x, &tables[i].count, &rc), m = rc == RH_OK ? count_one(y, &tables[i].count, &rc) : 0;
		if (rc != RH_OK) break;
		if (n != m) (*differ)++;
		if (fn) fn(tables[i].name, n, m, arg);
	}
	store_release(a, x);
	store_release(b, y);
	return rc;
}

enum rh_err store_copy_tables_check(struct store *st, char *missing, size_t cap)
{
	struct db *db = store_acquire(st);
	struct db_stmt *q = q_bind(db, &Q_ALL_TABLES, "");
	enum rh_err rc = q ? RH_OK : RH_ERR_STORE;
	enum db_step s = DB_DONE;
	missing[0] = '\0';
	while (q && (s = q_step(db, q)) == DB_ROW) {
		const char *name = db->drv->col_text(q, 0);
		size_t i = 0;
		while (i < NTABLES && strcmp(tables[i].name, name) != 0) i++;
		if (i == NTABLES && strlen(missing) + strlen(name) + 2 < cap)
			snprintf(missing + strlen(missing), cap - strlen(missing), "%s%s", missing[0] ? " " : "", name);
	}
	if (q && s == DB_ERROR) rc = q_error(db, "tables");
	if (q) q_finish(db, q);
	store_release(st, db);
	return rc;
}

/* A ruhu database has run its migrations; another one (a mistyped
 * --db, the postgres database) is no installation to back up. */
static const struct sql Q_MIGRATED = {
	"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
	"SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"
};

enum rh_err store_backup(const char *target, const char *file, char *err, size_t errlen)
{
	const struct db_driver *drv = db_driver_for(target);
	struct db *db = NULL;
	/* a file this user may not write: read as it is (db.h, DB_READ_ONLY);
	 * one nobody had open (no -wal) is read without locks, and the copy
	 * refused if the file changed meanwhile */
	struct stat before, after;
	char wal[4400];
	int read_only = drv == &db_sqlite_driver && access(target, W_OK) != 0;
	char journal[4400];
	int unlocked = read_only && snprintf(wal, sizeof wal, "%s-wal", target) < (int)sizeof wal &&
		       snprintf(journal, sizeof journal, "%s-journal", target) < (int)sizeof journal &&
		       access(wal, F_OK) != 0 && access(journal, F_OK) != 0 && stat(target, &before) == 0;
	if (drv->open(target, DB_AS_IS | (read_only ? DB_READ_ONLY : 0), &db, err, errlen) != 0) return RH_ERR_STORE;
	enum rh_err rc = RH_OK;
	if (count_one(db, &Q_MIGRATED, &rc) <= 0) {
		snprintf(err, errlen, "this is not a ruhu database (it has no schema_migrations): nothing was backed up");
		drv->close(db);
		return RH_ERR_STATE;
	}
	rc = drv->backup(db, file, err, errlen) == 0 ? RH_OK : RH_ERR_IO;
	drv->close(db);
	if (rc == RH_OK && unlocked &&
	    (stat(target, &after) != 0 || after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
	     after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || after.st_size != before.st_size)) {
		unlink(file);
		snprintf(err, errlen, "%s changed while it was read: nothing was backed up; run the backup again", target);
		return RH_ERR_STATE;
	}
	return rc;
}

/* The column of name in a COPY line's list "COPY t (a, b, c) FROM
 * stdin;", from 0; -1 when it is not there. */
static int copy_column(const char *line, const char *name)
{
	const char *p = strchr(line, '('), *end = p ? strchr(p, ')') : NULL;
	size_t len = strlen(name);
	for (int i = 0; p && p < end; i++) {
		p++;
		while (*p == ' ') p++;
		if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == ')')) return i;
		p = strchr(p, ',');
		if (p > end) break;
	}
	return -1;
}

/* The key check a pg_dump backup holds (its installation row, migration
 * 003), read from the file by pg_restore, no database touched: "" when
 * it has none (a backup from before the check). 0, or -1 with why in err. */
static int dump_key_check(const char *file, char out[TOKEN_HASH_LEN + 1], char *err, size_t errlen)
{
	out[0] = '\0';
	const char *dir = getenv("TMPDIR");
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s/ruhu-restore-XXXXXX", dir && dir[0] ? dir : "/tmp");
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot make a file in %s: %s", dir && dir[0] ? dir : "/tmp", strerror(errno));
		return -1;
	}
	close(fd);
	const char *args[] = { "--data-only", "--table=installation", "--file", tmp, file, NULL };
	int rc = db_pg_run_tool("pg_restore", NULL, args, err, errlen);
	FILE *f = rc == 0 ? fopen(tmp, "r") : NULL;
	char line[512];
	int tenant_col = -1, check_col = -1, in_copy = 0;
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!in_copy && strncmp(line, "COPY ", 5) == 0 && strstr(line, "installation (")) {
			tenant_col = copy_column(line, "tenant_id");
			check_col = copy_column(line, "key_check");
			in_copy = tenant_col >= 0 && check_col >= 0;
		} else if (in_copy && strcmp(line, "\\.") == 0) {
			break;
		} else if (in_copy) {
			char *cell[8], *p = line;
			int n = 0;
			while (n < 8) {
				cell[n++] = p;
				if (!(p = strchr(p, '\t'))) break;
				*p++ = '\0';
			}
			if (tenant_col < n && check_col < n && strcmp(cell[tenant_col], "0") == 0)
				snprintf(out, TOKEN_HASH_LEN + 1, "%s", cell[check_col]);
		}
	}
	if (f) fclose(f);
	unlink(tmp);
	return rc;
}

pid_t store_tool_pid(void)
{
	return db_pg_tool_pid();
}

enum rh_err store_pg_restore(const char *url, const char *file, const struct keys *keys, char *err, size_t errlen)
{
	/* The key first, from the backup itself: a restore under another key
	 * was committed, and then could not be opened — its rows left in the
	 * database, which could take no other restore. */
	char theirs[TOKEN_HASH_LEN + 1], mine[TOKEN_HASH_LEN + 1];
	if (dump_key_check(file, theirs, err, errlen) != 0) return RH_ERR_STORE;
	key_check_of(keys, mine);
	if (theirs[0] && strcmp(theirs, mine) != 0) {
		snprintf(err, errlen, "the installation key is not this backup's: it was made under another key "
			 "(set RUHU_KEY_FILE or RUHU_SECRET_KEY to the backup's key)");
		return RH_ERR_KEY_MISMATCH;
	}
	/* The database is looked at next — it answers, it collates and
	 * stores text as ruhu needs (the driver's checks) — so that a
	 * restore is not committed into a database ruhu would then refuse. */
	struct db *db = NULL;
	if (db_pg_driver.open(url, 0, &db, err, errlen) != 0) return RH_ERR_STORE;
	/* and it is empty: pg_restore over an installation fails on its first
	 * object, in words about functions and tables */
	enum rh_err rc = RH_OK;
	int64_t installed = count_one(db, &Q_MIGRATED, &rc);
	db_pg_driver.close(db);
	if (installed > 0) {
		snprintf(err, errlen, "the database already holds a ruhu installation: restore into a new, empty one");
		return RH_ERR_STATE;
	}
	if (installed < 0) {
		snprintf(err, errlen, "cannot read the database's list of tables");
		return rc;
	}
	const char *args[] = { "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", file, NULL };
	return db_pg_run_tool("pg_restore", url, args, err, errlen) == 0 ? RH_OK : RH_ERR_STORE;
}
