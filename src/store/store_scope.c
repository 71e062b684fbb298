/*
 * store_scope.c — which estates an account may see (SPEC X1).
 *
 * An account is limited (users.sites_limited) to the estates listed for
 * it in user_sites, with what is under them, or sees the whole
 * organisation. The lists' statements apply the limit themselves
 * (SCOPE_SITE_IDS, store_internal.h); this file keeps the grants and
 * answers, for one record read by its id, whether its site is inside.
 */
#include <stdlib.h>
#include "store/store_internal.h"

static const struct sql Q_GRANTS = {
	"SELECT estate_id FROM user_sites WHERE tenant_id = $1 AND user_id = $2 ORDER BY estate_id"
};
static const struct sql Q_CLEAR = { "DELETE FROM user_sites WHERE tenant_id = $1 AND user_id = $2" };
/* Only an estate of the organisation can be granted: no row otherwise. */
static const struct sql Q_GRANT = {
	"INSERT INTO user_sites (tenant_id, user_id, estate_id) SELECT $1, $2, id FROM sites"
	" WHERE tenant_id = $1 AND id = $3 AND kind = 'estate' RETURNING estate_id"
};
static const struct sql Q_IN_SCOPE = {
	"SELECT 1 FROM sites s JOIN user_sites g ON g.tenant_id = s.tenant_id AND g.estate_id = s.estate_id"
	" WHERE s.tenant_id = $1 AND s.id = $3 AND g.user_id = $2"
};

static const struct sql Q_HOUSEHOLD_IN_SCOPE = {
	"SELECT 1 FROM households h JOIN sites s ON s.id = h.site_id AND s.tenant_id = h.tenant_id"
	" JOIN user_sites g ON g.tenant_id = s.tenant_id AND g.estate_id = s.estate_id"
	" WHERE h.tenant_id = $1 AND h.id = $3 AND g.user_id = $2"
};

enum rh_err store_user_sites(struct db *db, int64_t tenant_id, int64_t user_id, int64_t *estate_ids, size_t cap,
			     size_t *n)
{
	*n = 0;
	struct db_stmt *st = q_bind(db, &Q_GRANTS, "II", tenant_id, user_id);
	if (!st) return q_unprepared(db);
	enum db_step s;
	while ((s = q_step(db, st)) == DB_ROW)
		if (*n < cap) estate_ids[(*n)++] = q_int(db, st, 0);
	q_finish(db, st);
	return s == DB_DONE ? RH_OK : q_error(db, "site grants");
}

enum rh_err user_sites_json(struct db *db, int64_t tenant_id, int64_t user_id, json_t **out)
{
	int64_t *ids = malloc(USER_SITES_MAX * sizeof *ids);
	size_t n = 0;
	enum rh_err rc = ids ? store_user_sites(db, tenant_id, user_id, ids, USER_SITES_MAX, &n) : RH_ERR_NOMEM;
	*out = rc == RH_OK ? json_array() : NULL;
	if (rc == RH_OK && !*out) rc = RH_ERR_NOMEM;
	for (size_t i = 0; rc == RH_OK && i < n; i++)
		if (json_array_append_new(*out, json_integer(ids[i])) != 0) rc = RH_ERR_NOMEM;
	free(ids);
	if (rc != RH_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

enum rh_err user_sites_replace(struct db *db, int64_t tenant_id, int64_t user_id, const struct site_grants *g,
			       struct rh_fail *fail)
{
	enum rh_err rc = q_exec(db, &Q_CLEAR, "II", tenant_id, user_id);
	for (size_t i = 0; rc == RH_OK && g->limited && i < g->n; i++) {
		int64_t rows = 0;
		rc = q_exec_rows(db, &Q_GRANT, &rows, "III", tenant_id, user_id, g->estate_ids[i]);
		if (rc == RH_OK && rows != 1) {
			rc = rh_fail_field(fail, RH_ERR_FIELD_INVALID, "site_ids");
			if (fail) {
				fail->detail_zh = "只能授权本单位的小区（项目），楼栋、单元随其小区授权";
				fail->detail_en = "only the organisation's estates can be granted; buildings and units go with their estate";
			}
		}
	}
	return rc;
}

/* Whether q ($1 tenant, $2 the account, $3 a record's id) finds a row:
 * the record is inside the account's estates. */
static enum rh_err in_scope(struct db *db, const struct sql *q, int64_t tenant_id, int64_t scope, int64_t id,
			    const char *what, int *in)
{
	*in = scope == 0;
	if (*in) return RH_OK;
	struct db_stmt *st = q_bind(db, q, "III", tenant_id, scope, id);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	*in = s == DB_ROW;
	q_finish(db, st);
	return s == DB_ERROR ? q_error(db, what) : RH_OK;
}

enum rh_err store_site_in_scope(struct db *db, int64_t tenant_id, int64_t scope, int64_t site_id, int *in)
{
	return in_scope(db, &Q_IN_SCOPE, tenant_id, scope, site_id, "site scope", in);
}

enum rh_err store_household_in_scope(struct db *db, int64_t tenant_id, int64_t scope, int64_t household_id, int *in)
{
	return in_scope(db, &Q_HOUSEHOLD_IN_SCOPE, tenant_id, scope, household_id, "household scope", in);
}
