/*
 * store_util.c — statement binding, transactions and error mapping for
 * the store's own files, and the base64 form files are kept in (see
 * store_internal.h).
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include "base/log.h"
#include "store/store_internal.h"

static struct db_stmt *bind_va(struct db *db, const struct sql *q, const char *types, va_list ap)
{
	db->unprepared = DB_E_NONE;
	struct db_stmt *st = db->drv->prepare(db, q, types);
	if (!st) {
		/* PostgreSQL locks a statement's tables to plan it: a lock
		 * timeout here is the busy database of an import, not a fault. */
		db->unprepared = db->drv->errkind(db);
		if (db->unprepared == DB_E_BUSY) log_warn("database busy: prepare: %s: %.80s", db->drv->errmsg(db), q->text);
		else log_error("prepare failed: %s: %.80s", db->drv->errmsg(db), q->text);
		return NULL;
	}
	/* The type letters are the varargs' only description: a count that
	 * does not match the statement is a programming error, caught here
	 * before a single argument is read with the wrong type. */
	if ((int)strlen(types) != db->drv->param_count(st)) {
		log_error("q_bind: %zu parameter types for %d parameters: %.80s", strlen(types),
			  db->drv->param_count(st), q->text);
		db->drv->finish(st);
		return NULL;
	}
	for (int i = 0; types[i]; i++) {
		int rc;
		switch (types[i]) {
		case 'I': rc = db->drv->bind_int(st, i + 1, va_arg(ap, int64_t)); break;
		case 'i': rc = db->drv->bind_int(st, i + 1, va_arg(ap, int)); break;
		case 't': rc = db->drv->bind_text(st, i + 1, va_arg(ap, const char *)); break;
		default: rc = -1;
		}
		if (rc != 0) {
			log_error("bind $%d failed: %.80s", i + 1, q->text);
			db->drv->finish(st);
			return NULL;
		}
	}
	return st;
}

struct db_stmt *q_bind(struct db *db, const struct sql *q, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct db_stmt *st = bind_va(db, q, types, ap);
	va_end(ap);
	return st;
}

/* Runs st to its end, counting its rows into *rows (may be NULL). */
static enum rh_err run_counted(struct db *db, const struct sql *q, struct db_stmt *st, int64_t *rows)
{
	if (rows) *rows = 0;
	if (!st) return q_unprepared(db);
	enum db_step s;
	while ((s = db->drv->step(st)) == DB_ROW)
		if (rows) (*rows)++;
	enum rh_err rc = s == DB_DONE ? RH_OK : q_error(db, q->text);
	db->drv->finish(st);
	return rc;
}

enum rh_err q_exec(struct db *db, const struct sql *q, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct db_stmt *st = bind_va(db, q, types, ap);
	va_end(ap);
	return run_counted(db, q, st, NULL);
}

enum rh_err q_exec_rows(struct db *db, const struct sql *q, int64_t *rows, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct db_stmt *st = bind_va(db, q, types, ap);
	va_end(ap);
	return run_counted(db, q, st, rows);
}

enum rh_err q_ids(struct db *db, struct db_stmt *st, const char *what, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	if (!st) return q_unprepared(db);
	size_t cap = 0;
	enum rh_err rc = RH_OK;
	enum db_step s;
	while ((s = q_step(db, st)) == DB_ROW && rc == RH_OK) {
		if (*n == cap) {
			int64_t *more = realloc(*ids, (cap = cap ? cap * 2 : 64) * sizeof **ids);
			if (!more) rc = RH_ERR_NOMEM;
			else *ids = more;
		}
		if (rc == RH_OK) (*ids)[(*n)++] = q_int(db, st, 0);
	}
	q_finish(db, st);
	if (rc == RH_OK && s == DB_ERROR) rc = q_error(db, what);
	return rc;
}

enum rh_err q_insert(struct db *db, const struct sql *q, int64_t *id, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct db_stmt *st = bind_va(db, q, types, ap);
	va_end(ap);
	if (!st) return q_unprepared(db);
	enum rh_err rc = RH_OK;
	if (db->drv->step(st) == DB_ROW) *id = db->drv->col_int(st, 0);
	else rc = q_error(db, q->text);
	db->drv->finish(st);
	return rc;
}

enum rh_err q_no_twin(struct db *db, struct rh_fail *fail, const char *field, const struct sql *q,
		      const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct db_stmt *st = bind_va(db, q, types, ap);
	va_end(ap);
	if (!st) return q_unprepared(db);
	enum db_step step = db->drv->step(st);
	enum rh_err rc = step == DB_ROW	 ? rh_fail_field(fail, RH_ERR_DUPLICATE, field)
			 : step == DB_DONE ? RH_OK
					   : q_error(db, q->text);
	db->drv->finish(st);
	return rc;
}

rh_day q_day(struct db *db, struct db_stmt *st, int col)
{
	const char *t = db->drv->col_text(st, col);
	rh_day d = 0;
	date_parse(t, strlen(t), &d);
	return d;
}

void q_copy(struct db *db, struct db_stmt *st, int col, char *dst, size_t cap)
{
	const char *s = db->drv->col_text(st, col);
	size_t n = strlen(s);
	if (n >= cap) n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A busy database, named for what held it when the driver knows: a long
 * import its wait was cut short behind (db.h, DB_WAIT_BEHIND_IMPORT).
 * Read once: a statement outside a transaction (PostgreSQL's reads and
 * single writes) never clears it, and a later error of another kind must
 * not inherit the name. */
static enum rh_err busy(struct db *db)
{
	enum rh_err rc = db->behind_import ? RH_ERR_IMPORT_RUNNING : RH_ERR_BUSY;
	db->behind_import = 0;
	return rc;
}

enum rh_err q_error(struct db *db, const char *what)
{
	switch (db->drv->errkind(db)) {
	case DB_E_UNIQUE: return RH_ERR_DUPLICATE;
	case DB_E_BUSY: {
		/* behind an import, every write for its length: expected, not a warning */
		enum rh_err rc = busy(db);
		if (rc == RH_ERR_IMPORT_RUNNING) log_debug("database busy behind an import: %s", db->drv->errmsg(db));
		else log_warn("database busy: %s", db->drv->errmsg(db));
		return rc;
	}
	case DB_E_UNAVAILABLE:
		log_error("database unavailable: %s (in: %.100s)", db->drv->errmsg(db), what ? what : "?");
		return RH_ERR_UNAVAILABLE;
	default:
		log_error("database error: %s (in: %.100s)", db->drv->errmsg(db), what ? what : "?");
		return RH_ERR_STORE;
	}
}

enum rh_err q_unprepared(struct db *db)
{
	return db->unprepared == DB_E_BUSY ? busy(db) : db->unprepared == DB_E_UNAVAILABLE ? RH_ERR_UNAVAILABLE : RH_ERR_STORE;
}

enum rh_err tx_begin(struct db *db, int write)
{
	store_snapshot_end(db);	/* a transaction of its own, never nested in the snapshot */
	return db->drv->begin(db, write) == 0 ? RH_OK : q_error(db, write ? "BEGIN (write)" : "BEGIN");
}

enum rh_err tx_commit(struct db *db)
{
	if (db->drv->commit(db) == 0) return RH_OK;
	enum rh_err rc = q_error(db, "COMMIT");
	db->drv->rollback(db);
	return rc;
}

void tx_rollback(struct db *db)
{
	db->drv->rollback(db);
}

enum rh_err tx_end(struct db *db, enum rh_err rc)
{
	if (rc == RH_OK) return tx_commit(db);
	tx_rollback(db);
	return rc;
}

enum rh_err audit_change(struct db *db, const struct actor *a, int64_t tenant_id, const char *action,
			 const char *entity, int64_t entity_id, json_t *before, json_t *after)
{
	enum rh_err rc = audit_append(db, a, tenant_id, action, entity, entity_id, before, after);
	json_decref(before);
	json_decref(after);
	return rc;
}

void audit_tag_hidden(struct db *db, const char *entity, int64_t id, json_t *before, json_t *after, const char *field,
		      const char *was, const char *is)
{
	const char *b = json_string_value(json_object_get(before, field)), *a = json_string_value(json_object_get(after, field));
	if (!b || !a || strcmp(a, b) != 0 || strcmp(was, is) == 0) return;
	json_t *side[2] = { before, after };
	const char *plain[2] = { was, is };
	for (int i = 0; i < 2; i++) {
		char keyed[512], hash[TOKEN_HASH_LEN + 1], tagged[256];
		snprintf(keyed, sizeof keyed, "audit:%s:%lld:%s:%s", entity, (long long)id, field, plain[i]);
		secret_lookup_hash(db->keys->lookup, keyed, hash);
		snprintf(tagged, sizeof tagged, "%s #%.6s", a, hash);
		json_object_set_new(side[i], field, json_string(tagged));
	}
}

enum rh_err version_check(int64_t current, int64_t expected, struct rh_fail *fail)
{
	if (current == expected) return RH_OK;
	rh_fail_field(fail, RH_ERR_VERSION_CONFLICT, "version");
	if (fail) fail->n = current;
	return RH_ERR_VERSION_CONFLICT;
}

static enum rh_err stale_row(int64_t current, int64_t exported, struct rh_fail *fail)
{
	if (exported == IMPORT_VERSION_BLANK) {	/* the export's column, its cell emptied */
		rh_fail_field(fail, RH_ERR_VERSION_CONFLICT, "version");
		if (fail) {
			fail->detail_zh = "版本为空：导出文件中的行须保留其版本号（新增的户可不填）";
			fail->detail_en = "the version is empty: a row from an export keeps its version (a new one may leave it out)";
		}
		return RH_ERR_VERSION_CONFLICT;
	}
	if (!exported || exported == current) return RH_OK;
	version_check(current, exported, fail);
	if (fail) {
		fail->detail_zh = "该记录在导出后已被修改：请重新导出，在新文件中改好后再导入";
		fail->detail_en = "the record was changed after the export: export again and make the change in the new file";
	}
	return RH_ERR_VERSION_CONFLICT;
}

enum rh_err import_outcome_of(int same, int blind, int64_t current, int64_t exported, enum import_outcome *outcome,
			      struct rh_fail *fail)
{
	/* A row that would change the record is held to the version it was
	 * exported at; so is one whose answer must not tell one who may not
	 * see ID numbers that the number they gave was right (refused or
	 * "updated" alike, equal or not). */
	enum rh_err rc = !same || blind ? stale_row(current, exported, fail) : RH_OK;
	if (rc == RH_OK) *outcome = same && !blind ? IMPORT_UNCHANGED : IMPORT_UPDATED;
	return rc;
}

enum rh_err import_new_row(int64_t exported, struct rh_fail *fail)
{
	if (exported <= 0) return RH_OK;	/* no version column, or a new row's empty cell */
	rh_fail_field(fail, RH_ERR_FIELD_INVALID, "version");
	if (fail) {
		fail->detail_zh = "该行带有导出时的版本号，但没有编号相同的记录（编号是否改动过？）：新增记录请清空版本号";
		fail->detail_en = "the row carries an export's version but no record has its number (was the number changed?):"
				  " for a new record leave the version empty";
	}
	return RH_ERR_FIELD_INVALID;
}

char *like_pattern(const char *q)
{
	size_t n = strlen(q);
	char *p = malloc(2 * n + 3), *o = p;
	if (!p) return NULL;
	*o++ = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\') *o++ = '\\';
		*o++ = *q;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

int64_t store_now(void)
{
	return (int64_t)time(NULL);
}

int copy_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		int rc;
		switch (*s) {
		case '\\': rc = buf_puts(b, "\\\\"); break;
		case '\t': rc = buf_puts(b, "\\t"); break;
		case '\n': rc = buf_puts(b, "\\n"); break;
		case '\r': rc = buf_puts(b, "\\r"); break;
		default: rc = buf_putc(b, *s);
		}
		if (rc) return rc;
	}
	return 0;
}

char *blob_encode(const unsigned char *data, size_t len)
{
	size_t n = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(n);
	if (b64) sodium_bin2base64(b64, n, data, len, sodium_base64_VARIANT_ORIGINAL);
	return b64;
}

enum rh_err blob_decode(const char *b64, unsigned char **data, size_t *len)
{
	size_t n = strlen(b64);
	*data = NULL;
	*len = 0;
	if (!n) return RH_ERR_NOT_FOUND;
	if (!(*data = malloc(n))) return RH_ERR_NOMEM;
	if (sodium_base642bin(*data, n, b64, n, NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(*data);
		*data = NULL;
		return RH_ERR_INTERNAL;
	}
	return RH_OK;
}

void blob_sha256(const unsigned char *data, size_t len, char hex[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, data, len);
	hex_encode(digest, sizeof digest, hex);
}
