/*
 * store_tenant.c — tenants (organisations), SPEC X1.
 */
#include "store/store_internal.h"

#define TENANT_COLS "id, code, name, kind, tz_name, utc_offset_min, created_at, updated_at, version"

static const struct sql Q_INSERT = {
	"INSERT INTO tenants (code, name, kind, tz_name, utc_offset_min, created_at, updated_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING " TENANT_COLS
};
static const struct sql Q_GET = { "SELECT " TENANT_COLS " FROM tenants WHERE id = $1" };
static const struct sql Q_BY_CODE = { "SELECT " TENANT_COLS " FROM tenants WHERE code = $1" };
static const struct sql Q_LIST = { "SELECT " TENANT_COLS " FROM tenants WHERE id <> 0 ORDER BY id" };
static const struct sql Q_RENAME = {
	"UPDATE tenants SET name = $3, updated_at = $4, version = version + 1"
	" WHERE id = $1 AND version = $2 RETURNING " TENANT_COLS
};

static void read_tenant(struct db *db, struct db_stmt *st, struct tenant *t)
{
	memset(t, 0, sizeof *t);
	t->id = q_int(db, st, 0);
	q_copy(db, st, 1, t->code, sizeof t->code);
	q_copy(db, st, 2, t->name, sizeof t->name);
	q_copy(db, st, 3, t->kind, sizeof t->kind);
	q_copy(db, st, 4, t->tz_name, sizeof t->tz_name);
	t->utc_offset_min = (int)q_int(db, st, 5);
	t->created_at = q_int(db, st, 6);
	t->updated_at = q_int(db, st, 7);
	t->version = q_int(db, st, 8);
}

/* Runs a statement expected to return one tenant row. */
static enum rh_err one(struct db *db, struct db_stmt *st, struct tenant *out)
{
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) read_tenant(db, st, out);
	enum rh_err rc = s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "tenant");
	q_finish(db, st);
	return rc;
}

enum rh_err store_tenant_get(struct db *db, int64_t id, struct tenant *out)
{
	return one(db, q_bind(db, &Q_GET, "I", id), out);
}

enum rh_err store_tenant_by_code(struct db *db, const char *code, struct tenant *out)
{
	return one(db, q_bind(db, &Q_BY_CODE, "t", code), out);
}

enum rh_err store_tenant_create(struct db *db, const struct actor *a, struct tenant *t, struct rh_fail *fail)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = one(db, q_bind(db, &Q_INSERT, "ttttiI", t->code, t->name, t->kind, t->tz_name,
			    t->utc_offset_min, store_now()), t);
	if (rc == RH_ERR_DUPLICATE) rh_fail_field(fail, rc, "code");
	if (rc == RH_OK) rc = audit_change(db, a, t->id, "create", "tenant", t->id, NULL, tenant_to_json(t));
	return tx_end(db, rc);
}

enum rh_err store_tenant_list(struct db *db, int (*fn)(const struct tenant *, void *), void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_LIST, "");
	if (!st) return q_unprepared(db);
	struct tenant t;
	enum db_step s;
	while ((s = q_step(db, st)) == DB_ROW) {
		read_tenant(db, st, &t);
		if (fn(&t, arg)) break;
	}
	q_finish(db, st);
	return s == DB_ERROR ? q_error(db, "tenant list") : RH_OK;
}

enum rh_err store_tenant_rename(struct db *db, const struct actor *a, int64_t id, int64_t version,
				const char *name, struct tenant *out, struct rh_fail *fail)
{
	struct tenant before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = store_tenant_get(db, id, &before);
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK) rc = version_check(before.version, version, fail);
	if (rc == RH_OK && strcmp(before.name, name) == 0) {	/* a change of nothing is not written */
		*out = before;
		return tx_end(db, rc);
	}
	if (rc == RH_OK) {
		rc = one(db, q_bind(db, &Q_RENAME, "IItI", id, version, name, store_now()), out);
		if (rc == RH_ERR_NOT_FOUND) rc = version_check(before.version + 1, version, fail); /* raced */
	}
	if (rc == RH_OK)
		rc = audit_change(db, a, id, "update", "tenant", id, tenant_to_json(&before), tenant_to_json(out));
	return tx_end(db, rc);
}
