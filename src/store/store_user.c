/*
 * store_user.c — accounts: create, read, list, update, passwords and the
 * sign-in lock-out counters.
 *
 * The lock-out counters (failed_logins, locked_until) change without
 * bumping the row version: they are not part of what an admin edits, and
 * a failed sign-in must not make an admin's open form stale.
 */
#include <stdlib.h>
#include "core/secret.h"
#include "store/store_internal.h"

#define USER_COLS USER_COLS_P("")

static const struct sql Q_INSERT = {
	"INSERT INTO users (tenant_id, username, display_name, phone, roles, status, password_hash,"
	" password_changed_at, must_change_password, created_at, updated_at, sites_limited)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $8, $10) RETURNING " USER_COLS
};
static const struct sql Q_GET = { "SELECT " USER_COLS " FROM users WHERE tenant_id = $1 AND id = $2" };
static const struct sql Q_FOR_LOGIN = {
	"SELECT " USER_COLS ", password_hash FROM users WHERE username = $1"
};
static const struct sql Q_UPDATE = {
	"UPDATE users SET display_name = $4, phone = $5, roles = $6, status = $7, updated_at = $8,"
	" sites_limited = $9, version = version + 1 WHERE tenant_id = $1 AND id = $2 AND version = $3 RETURNING " USER_COLS
};
static const struct sql Q_SET_PASSWORD = {
	"UPDATE users SET password_hash = $4, must_change_password = $5, password_changed_at = $6,"
	" updated_at = $6, failed_logins = 0, locked_until = 0, version = version + 1"
	" WHERE tenant_id = $1 AND id = $2 AND version = $3 RETURNING " USER_COLS
};
static const struct sql Q_UNLOCK = {
	"UPDATE users SET failed_logins = 0, locked_until = 0, updated_at = $4, version = version + 1"
	" WHERE tenant_id = $1 AND id = $2 AND version = $3 RETURNING " USER_COLS
};
static const struct sql Q_FAILED = {
	"UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1"
};
/* An attempt reserved and never checked, given back. */
static const struct sql Q_RELEASE = {
	"UPDATE users SET failed_logins = failed_logins - 1 WHERE id = $1 AND failed_logins > 0"
};
static const struct sql Q_OTHER_ADMINS = {
	"SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND id <> $2 AND status = 'active'"
	" AND (',' || roles || ',') LIKE '%,admin,%'"
};
static const struct sql Q_LOCK_STATE = {
	"SELECT tenant_id, failed_logins, locked_until, attempt_at FROM users WHERE id = $1"
};
/* An attempt taken (store_login_reserve): counted, and when. */
static const struct sql Q_RESERVE = {
	"UPDATE users SET failed_logins = $2, locked_until = 0, attempt_at = $3 WHERE id = $1"
};

/* Filters: $2 LIKE pattern or NULL, $3 ",role," pattern or NULL, $4 status or NULL. */
#define USER_WHERE(LIKE) " WHERE tenant_id = $1" \
	" AND ($2 IS NULL OR " LIKE("username", "$2") " OR " LIKE("display_name", "$2") ")" \
	" AND ($3 IS NULL OR (',' || roles || ',') LIKE $3)" \
	" AND ($4 IS NULL OR status = $4)"

/* $5 sort key (enum user_sort), $6 1 = descending: fixed text, chosen by
 * value; display names in pinyin order (KEY: NAME_KEY or NAME_KEY_PG). */
#define USER_LIST(LIKE, KEY) "SELECT " USER_COLS " FROM users" USER_WHERE(LIKE) " ORDER BY" \
	" CASE WHEN $6 = 0 AND $5 = 1 THEN username END ASC, CASE WHEN $6 = 1 AND $5 = 1 THEN username END DESC," \
	" CASE WHEN $6 = 0 AND $5 = 2 THEN " KEY("display_name") " END ASC," \
	" CASE WHEN $6 = 1 AND $5 = 2 THEN " KEY("display_name") " END DESC," \
	" CASE WHEN $6 = 0 THEN (CASE $5 WHEN 3 THEN created_at WHEN 4 THEN last_login_at ELSE id END) END ASC," \
	" CASE WHEN $6 = 1 THEN (CASE $5 WHEN 3 THEN created_at WHEN 4 THEN last_login_at ELSE id END) END DESC," \
	" id ASC LIMIT $7 OFFSET $8"
static const struct sql Q_LIST = { USER_LIST(LIKE_WORD, NAME_KEY), USER_LIST(LIKE_WORD_PG, NAME_KEY_PG) };
static const struct sql Q_COUNT = {
	"SELECT COUNT(*) FROM users" USER_WHERE(LIKE_WORD), "SELECT COUNT(*) FROM users" USER_WHERE(LIKE_WORD_PG)
};

void user_read_row(struct db *db, struct db_stmt *st, int c, struct user *u)
{
	memset(u, 0, sizeof *u);
	u->id = q_int(db, st, c + 0);
	u->tenant_id = q_int(db, st, c + 1);
	q_copy(db, st, c + 2, u->username, sizeof u->username);
	q_copy(db, st, c + 3, u->display_name, sizeof u->display_name);
	q_copy(db, st, c + 4, u->phone, sizeof u->phone);
	if (roles_parse(q_text(db, st, c + 5), &u->roles) != 0) u->roles = 0;	/* fail closed */
	if (user_status_parse(q_text(db, st, c + 6), &u->status) != 0) u->status = USER_DISABLED;
	u->must_change_password = (int)q_int(db, st, c + 7);
	u->failed_logins = (int)q_int(db, st, c + 8);
	u->locked_until = q_int(db, st, c + 9);
	u->last_login_at = q_int(db, st, c + 10);
	u->password_changed_at = q_int(db, st, c + 11);
	u->created_at = q_int(db, st, c + 12);
	u->updated_at = q_int(db, st, c + 13);
	u->version = q_int(db, st, c + 14);
	u->sites_limited = q_int(db, st, c + 15) != 0;
}

static void read_user(struct db *db, struct db_stmt *st, struct user *u)
{
	user_read_row(db, st, 0, u);
}

static enum rh_err one(struct db *db, struct db_stmt *st, struct user *out)
{
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) read_user(db, st, out);
	enum rh_err rc = s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "user");
	q_finish(db, st);
	return rc;
}

static char *roles_text(rh_roles set)
{
	struct buf b = BUF_INIT(1024);
	if (roles_format(set, &b) != 0) { buf_release(&b); return NULL; }
	return buf_detach(&b, NULL);
}

/* The account as recorded in the audit trail: no secrets, and personal
 * data masked — the trail proves that the phone changed, the record holds
 * the number (SPEC X5). */
static json_t *audit_json(const struct user *u)
{
	return user_to_json(u, PII_MASKED);
}

/* The same with the estates a limited account is granted (SPEC X1). */
static enum rh_err audit_json_sites(struct db *db, const struct user *u, json_t **out)
{
	json_t *ids = NULL;
	*out = audit_json(u);
	if (!*out) return RH_ERR_NOMEM;
	if (!u->sites_limited) return RH_OK;
	enum rh_err rc = user_sites_json(db, u->tenant_id, u->id, &ids);
	if (rc == RH_OK) json_object_set_new(*out, "site_ids", ids);
	if (rc != RH_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* An admin keeps accounts and settings for the whole organisation: it
 * is never limited to some estates. Checked after the change, as roles
 * and grants may change apart. */
static enum rh_err admin_sees_all(const struct user *u, struct rh_fail *fail)
{
	if (!u->sites_limited || !(u->roles & RH_ROLE(ROLE_ADMIN))) return RH_OK;
	rh_fail_field(fail, RH_ERR_FIELD_INVALID, "all_sites");
	if (fail) {
		fail->detail_zh = "系统管理员总是可以查看全部小区，不能只授权部分小区";
		fail->detail_en = "an admin always sees every site and cannot be limited to some";
	}
	return RH_ERR_FIELD_INVALID;
}

/* A limited account's grants, written when the caller gave them. */
static enum rh_err write_grants(struct db *db, const struct user *u, const struct site_grants *g,
				struct rh_fail *fail)
{
	if (!g || !g->set) return RH_OK;
	enum rh_err rc = admin_sees_all(u, fail);
	return rc == RH_OK ? user_sites_replace(db, u->tenant_id, u->id, g, fail) : rc;
}

enum rh_err store_user_create(struct db *db, const struct actor *a, struct user *u,
			      const char *password_hash, const struct site_grants *sites, struct rh_fail *fail)
{
	char *roles = roles_text(u->roles);
	if (!roles) return RH_ERR_NOMEM;
	enum rh_err rc = tx_begin(db, 1);
	if (rc == RH_OK) {
		int limited = sites && sites->set && sites->limited;
		rc = one(db, q_bind(db, &Q_INSERT, "IttttttIii", u->tenant_id, u->username, u->display_name,
				    u->phone[0] ? u->phone : NULL, roles, user_status_code(u->status),
				    password_hash, store_now(), u->must_change_password, limited), u);
		if (rc == RH_ERR_DUPLICATE) rh_fail_field(fail, rc, "username");
		json_t *after = NULL;
		if (rc == RH_OK) rc = write_grants(db, u, sites, fail);
		if (rc == RH_OK) rc = audit_json_sites(db, u, &after);
		if (rc == RH_OK) rc = audit_change(db, a, u->tenant_id, "create", "user", u->id, NULL, after);
		rc = tx_end(db, rc);
	}
	free(roles);
	return rc;
}

enum rh_err store_user_get(struct db *db, int64_t tenant_id, int64_t id, struct user *out)
{
	return one(db, q_bind(db, &Q_GET, "II", tenant_id, id), out);
}

enum rh_err store_user_list(struct db *db, int64_t tenant_id, const struct user_filter *f,
			    int (*fn)(const struct user *, void *), void *arg, int64_t *total)
{
	char *like = f->q && f->q[0] ? like_pattern(f->q) : NULL;
	char role_pat[64] = "";
	if (f->role >= 0 && f->role < ROLE__COUNT)
		snprintf(role_pat, sizeof role_pat, "%%,%s,%%", role_info(f->role)->code);
	const char *status = f->status >= 0 ? user_status_code(f->status) : NULL;
	const char *role = role_pat[0] ? role_pat : NULL;
	enum rh_err rc = RH_OK;
	if (f->q && f->q[0] && !like) return RH_ERR_NOMEM;

	struct db_stmt *st = q_bind(db, &Q_COUNT, "Ittt", tenant_id, like, role, status);
	enum db_step s = st ? q_step(db, st) : DB_ERROR;
	if (s == DB_ROW) *total = q_int(db, st, 0);
	if (st) q_finish(db, st);
	if (s != DB_ROW) rc = st ? q_error(db, "user count") : q_unprepared(db);

	if (rc == RH_OK) {
		st = q_bind(db, &Q_LIST, "Itttiiii", tenant_id, like, role, status, (int)f->sort, f->desc ? 1 : 0,
			    f->limit, f->offset);
		if (!st) rc = q_unprepared(db);
	}
	if (rc == RH_OK) {
		struct user u;
		while ((s = q_step(db, st)) == DB_ROW) {
			read_user(db, st, &u);
			if (fn(&u, arg)) break;
		}
		q_finish(db, st);
		if (s == DB_ERROR) rc = q_error(db, "user list");
	}
	free(like);
	return rc;
}

static int active_admin(const struct user *u)
{
	return u->status == USER_ACTIVE && (u->roles & RH_ROLE(ROLE_ADMIN));
}

/* An organisation never loses its last active admin: only the operator's
 * command line could then change accounts again. Checked inside the
 * update's transaction, after the change. */
static enum rh_err keeps_an_admin(struct db *db, const struct user *before, const struct user *after,
				  struct rh_fail *fail)
{
	if (!active_admin(before) || active_admin(after)) return RH_OK;
	struct db_stmt *st = q_bind(db, &Q_OTHER_ADMINS, "II", before->tenant_id, before->id);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	int64_t others = s == DB_ROW ? q_int(db, st, 0) : 0;
	q_finish(db, st);
	if (s != DB_ROW) return q_error(db, "admin count");
	return others > 0 ? RH_OK : rh_fail_field(fail, RH_ERR_LAST_ADMIN, after->status == USER_DISABLED ? "status" : "roles");
}

/* Reads the row inside the write transaction and checks its version. */
static enum rh_err load_for_update(struct db *db, int64_t tenant_id, int64_t id, int64_t version,
				   struct user *before, struct rh_fail *fail)
{
	enum rh_err rc = store_user_get(db, tenant_id, id, before);
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK && version >= 0) rc = version_check(before->version, version, fail);
	return rc;
}

/* Runs an UPDATE … RETURNING; no row means someone else won the race. */
static enum rh_err apply_update(struct db *db, struct db_stmt *st, const struct user *before,
				int64_t version, struct user *out, struct rh_fail *fail)
{
	enum rh_err rc = one(db, st, out);
	if (rc == RH_ERR_NOT_FOUND) rc = version_check(before->version + 1, version, fail);
	return rc;
}

enum rh_err store_user_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			      int64_t version, const struct user_patch *p, struct user *out,
			      struct rh_fail *fail)
{
	struct user before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = load_for_update(db, tenant_id, id, version, &before, fail);
	char *roles = NULL;
	if (rc == RH_OK) {
		struct user next = before;
		if (p->display_name) snprintf(next.display_name, sizeof next.display_name, "%s", p->display_name);
		if (p->phone) snprintf(next.phone, sizeof next.phone, "%s", p->phone);
		if (p->has_roles) next.roles = p->roles;
		if (p->status >= 0) next.status = (enum user_status)p->status;
		if (p->sites.set) next.sites_limited = p->sites.limited;
		/* No field changed and no grants given: nothing written,
		 * audited or versioned (grants given are written as given) */
		if (!p->sites.set && strcmp(next.display_name, before.display_name) == 0 &&
		    strcmp(next.phone, before.phone) == 0 && next.roles == before.roles && next.status == before.status) {
			*out = before;
			return tx_end(db, RH_OK);
		}
		roles = roles_text(next.roles);
		rc = roles ? apply_update(db, q_bind(db, &Q_UPDATE, "IIIttttIi", tenant_id, id, version,
						     next.display_name, next.phone[0] ? next.phone : NULL,
						     roles, user_status_code(next.status), store_now(),
						     next.sites_limited),
					  &before, version, out, fail)
			   : RH_ERR_NOMEM;
	}
	json_t *was = NULL, *now = NULL;
	if (rc == RH_OK) rc = audit_json_sites(db, &before, &was);	/* the grants before they change */
	if (rc == RH_OK) rc = admin_sees_all(out, fail);
	if (rc == RH_OK) rc = write_grants(db, out, &p->sites, fail);
	if (rc == RH_OK && out->status == USER_DISABLED && before.status != USER_DISABLED)
		rc = sessions_end_for_user(db, id, NULL);
	if (rc == RH_OK) rc = keeps_an_admin(db, &before, out, fail);
	if (rc == RH_OK) rc = audit_json_sites(db, out, &now);
	if (rc == RH_OK) {
		audit_tag_hidden(db, "user", id, was, now, "phone", before.phone, out->phone);
		rc = audit_change(db, a, tenant_id, out->status != before.status ?
				  (out->status == USER_DISABLED ? "disable" : "enable") : "update",
				  "user", id, was, now);
		was = NULL;
	}
	json_decref(was);
	free(roles);
	return tx_end(db, rc);
}

enum rh_err store_user_set_password(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
				    int64_t version, const char *password_hash, int must_change,
				    const char *keep_session, struct user *out, struct rh_fail *fail)
{
	struct user before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = load_for_update(db, tenant_id, id, version, &before, fail);
	if (rc == RH_OK)
		rc = apply_update(db, q_bind(db, &Q_SET_PASSWORD, "IIItiI", tenant_id, id, before.version,
					     password_hash, must_change, store_now()),
				  &before, before.version, out, fail);
	if (rc == RH_OK) rc = sessions_end_for_user(db, id, keep_session);
	if (rc == RH_OK)
		rc = audit_change(db, a, tenant_id, "set_password", "user", id, audit_json(&before),
				  audit_json(out));
	return tx_end(db, rc);
}

enum rh_err store_user_unlock(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			      int64_t version, struct user *out, struct rh_fail *fail)
{
	struct user before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = load_for_update(db, tenant_id, id, version, &before, fail);
	if (rc == RH_OK && before.failed_logins == 0 && before.locked_until == 0) {	/* nothing to unlock */
		*out = before;
		return tx_end(db, rc);
	}
	if (rc == RH_OK)
		rc = apply_update(db, q_bind(db, &Q_UNLOCK, "IIII", tenant_id, id, version, store_now()),
				  &before, version, out, fail);
	if (rc == RH_OK)
		rc = audit_change(db, a, tenant_id, "unlock", "user", id, audit_json(&before), audit_json(out));
	return tx_end(db, rc);
}

enum rh_err store_user_for_login(struct db *db, const char *username, struct user *out, char *hash)
{
	struct db_stmt *st = q_bind(db, &Q_FOR_LOGIN, "t", username);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) {
		read_user(db, st, out);
		q_copy(db, st, USER_NCOLS, hash, PASSWORD_HASH_MAX);
	}
	q_finish(db, st);
	return s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "login");
}

/* The lock-out fields of an account, read inside the caller's transaction;
 * *taken_at (may be NULL): when its last attempt was taken. */
static enum rh_err lock_state(struct db *db, int64_t user_id, struct user *u, int64_t *taken_at)
{
	struct db_stmt *st = q_bind(db, &Q_LOCK_STATE, "I", user_id);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) {
		memset(u, 0, sizeof *u);
		u->id = user_id;
		u->tenant_id = q_int(db, st, 0);
		u->failed_logins = (int)q_int(db, st, 1);
		u->locked_until = q_int(db, st, 2);
		if (taken_at) *taken_at = q_int(db, st, 3);
	}
	q_finish(db, st);
	return s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "lock state");
}

enum rh_err store_login_reserve(struct db *db, int64_t user_id, int max_failures, int stale_seconds, int64_t now,
				int64_t *locked_until)
{
	struct user u;
	int64_t taken_at = 0;
	*locked_until = 0;
	enum rh_err rc = tx_begin(db, 1);
	if (rc == RH_OK) rc = lock_state(db, user_id, &u, &taken_at);
	if (rc != RH_OK) return tx_end(db, rc);
	if (u.locked_until && u.locked_until <= now) {	/* a lock that ran out: a fresh count */
		u.failed_logins = 0;
		u.locked_until = 0;
	}
	/* Every attempt taken, none settled for stale_seconds: no check is
	 * still running, they were lost (a server stopped mid-check), and
	 * count no more — as a lock runs out. */
	if (!u.locked_until && u.failed_logins >= max_failures && now - taken_at >= stale_seconds) u.failed_logins = 0;
	if (u.locked_until > now || u.failed_logins >= max_failures) {
		*locked_until = u.locked_until > now ? u.locked_until : now;
		return tx_end(db, RH_ERR_ACCOUNT_LOCKED);
	}
	return tx_end(db, q_exec(db, &Q_RESERVE, "IiI", user_id, u.failed_logins + 1, now));
}

/* Under the write lock, as the reserve and the failure are: they read the
 * count and write it back, and on PostgreSQL a bare UPDATE between the two
 * (the lock is ruhu's advisory one, which a statement alone does not
 * take) was overwritten — an attempt given back, counted again for good
 * (found by a CI run, 2026-12-08). */
enum rh_err store_login_release(struct db *db, int64_t user_id)
{
	store_snapshot_end(db);	/* a write: not inside a request's read snapshot */
	enum rh_err rc = tx_begin(db, 1);
	if (rc == RH_OK) rc = q_exec(db, &Q_RELEASE, "I", user_id);
	return tx_end(db, rc);
}

enum rh_err store_login_failed(struct db *db, const struct actor *a, int64_t user_id, int max_failures,
			       int lock_seconds, int64_t now, int end_sessions, int *locked)
{
	struct user u;
	*locked = 0;
	enum rh_err rc = tx_begin(db, 1);
	if (rc == RH_OK) rc = lock_state(db, user_id, &u, NULL);
	if (rc == RH_OK && u.failed_logins >= max_failures && u.locked_until <= now) {
		u.locked_until = now + lock_seconds;	/* the attempt counted at reserve time was the last */
		*locked = 1;
		rc = q_exec(db, &Q_FAILED, "IiI", user_id, u.failed_logins, u.locked_until);
		if (rc == RH_OK && end_sessions) rc = sessions_end_for_user(db, user_id, NULL);
	}
	if (rc == RH_OK) {
		json_t *after = json_pack("{s:i, s:I}", "failed_logins", u.failed_logins, "locked_until",
					  (json_int_t)u.locked_until);
		rc = audit_change(db, a, u.tenant_id, *locked ? "lock" : "login_failed", "user", user_id, NULL, after);
	}
	return tx_end(db, rc);
}
