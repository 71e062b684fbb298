/*
 * store_session.c — sign-in sessions.
 *
 * Only a hash of the session token is stored (core/secret.h). Sessions
 * live in the database, not in a node's memory, so any node behind a load
 * balancer can answer any request. A session is not an evidence record:
 * signing in and out are audited, the sliding expiry is not.
 */
#include "base/log.h"
#include "store/store_internal.h"

static const struct sql Q_INSERT = {
	"INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, created_at, last_seen_at,"
	" expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)"
};
static const struct sql Q_LOGIN_OK = {
	"UPDATE users SET failed_logins = 0, locked_until = 0, last_login_at = $2"
	" WHERE id = $1 AND locked_until <= $2 RETURNING id"
};
static const struct sql Q_LOOKUP = {
	"SELECT s.token_hash, s.tenant_id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at,"
	" s.expires_at, t.utc_offset_min, " USER_COLS_P("u.") " FROM sessions s"
	" JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = s.tenant_id"
	" WHERE s.token_hash = $1 AND s.expires_at > $2"
};
static const struct sql Q_TOUCH = {
	"UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1"
};
static const struct sql Q_DELETE = {
	"DELETE FROM sessions WHERE token_hash = $1 RETURNING tenant_id, user_id"
};
static const struct sql Q_PURGE = {
	"DELETE FROM sessions WHERE tenant_id = $1 AND expires_at <= $2 RETURNING user_id"
};
static const struct sql Q_END_FOR_USER = {
	"DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)"
};

enum rh_err store_session_create(struct db *db, const struct actor *a, const struct session *s,
				 const char *user_agent)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	/* Not locked meanwhile by failed attempts that ran alongside this one. */
	struct db_stmt *st = q_bind(db, &Q_LOGIN_OK, "II", s->user_id, s->created_at);
	enum db_step step = st ? q_step(db, st) : DB_ERROR;
	if (st) q_finish(db, st);
	rc = step == DB_ROW ? RH_OK : step == DB_DONE ? RH_ERR_ACCOUNT_LOCKED : q_error(db, "login");
	if (rc == RH_OK)
		rc = q_exec(db, &Q_INSERT, "tIItIItt", s->token_hash, s->tenant_id, s->user_id, s->csrf_token,
			    s->created_at, s->expires_at, a->ip, user_agent);
	if (rc == RH_OK) {
		json_t *after = json_pack("{s:I, s:s?}", "expires_at", (json_int_t)s->expires_at,
					  "user_agent", user_agent);
		rc = audit_change(db, a, s->tenant_id, "login", "user", s->user_id, NULL, after);
	}
	return tx_end(db, rc);
}

enum rh_err store_session_lookup(struct db *db, const char *token_hash, int64_t now, struct session *out)
{
	struct db_stmt *st = q_bind(db, &Q_LOOKUP, "tI", token_hash, now);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) {
		q_copy(db, st, 0, out->token_hash, sizeof out->token_hash);
		out->tenant_id = q_int(db, st, 1);
		out->user_id = q_int(db, st, 2);
		q_copy(db, st, 3, out->csrf_token, sizeof out->csrf_token);
		out->created_at = q_int(db, st, 4);
		out->last_seen_at = q_int(db, st, 5);
		out->expires_at = q_int(db, st, 6);
		out->tz_offset = (int)q_int(db, st, 7);
		user_read_row(db, st, 8, &out->user);
	}
	q_finish(db, st);
	return s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "session");
}

/* Best effort, so it does not wait for another writer. On SQLite an
 * import holds the one write lock for the whole file (a million rows:
 * half a minute), and a touch that waited its 5 s there held up its
 * event loop with every connection on it, health checks included; the
 * session is extended by the next request instead. */
enum rh_err store_session_touch(struct db *db, const char *token_hash, int64_t now, int64_t expires_at)
{
	store_snapshot_end(db);	/* a write: not inside the request's read snapshot */
	if (db->drv->wait_for_writer) db->drv->wait_for_writer(db, 0);
	struct db_stmt *st = q_bind(db, &Q_TOUCH, "tII", token_hash, now, expires_at);
	enum db_step s = st ? q_step(db, st) : DB_ERROR;
	if (st) q_finish(db, st);
	if (db->drv->wait_for_writer) db->drv->wait_for_writer(db, DB_WAIT_DEFAULT);
	if (s != DB_ERROR) return RH_OK;
	if (!st ? db->unprepared == DB_E_BUSY : db->drv->errkind(db) == DB_E_BUSY) {
		log_debug("session not extended now: another writer holds the database");
		return RH_ERR_BUSY;
	}
	return st ? q_error(db, "session touch") : q_unprepared(db);
}

enum rh_err store_session_delete(struct db *db, const struct actor *a, const char *token_hash)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	struct db_stmt *st = q_bind(db, &Q_DELETE, "t", token_hash);
	enum db_step s = st ? q_step(db, st) : DB_ERROR;
	int64_t tenant_id = 0, user_id = 0;
	if (s == DB_ROW) {
		tenant_id = q_int(db, st, 0);
		user_id = q_int(db, st, 1);
	}
	if (st) q_finish(db, st);
	rc = s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "logout");
	if (rc == RH_OK) rc = audit_change(db, a, tenant_id, "logout", "user", user_id, NULL, NULL);
	return tx_end(db, rc);
}

enum rh_err store_session_purge(struct db *db, int64_t tenant_id, int64_t now, int64_t *removed)
{
	return q_exec_rows(db, &Q_PURGE, removed, "II", tenant_id, now);
}

enum rh_err sessions_end_for_user(struct db *db, int64_t user_id, const char *keep)
{
	return q_exec(db, &Q_END_FOR_USER, "It", user_id, keep);
}
