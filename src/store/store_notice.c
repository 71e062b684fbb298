/*
 * store_notice.c — the notification centre (通知): messages to users
 * that the scheduler and the modules leave, each user reading their own.
 *
 * A notice carries both languages (the reader's choice picks one when
 * shown) and a dedup key: sending the same notice twice — a daily job
 * run again after a crash — reaches each user once.
 */
#include <stdlib.h>
#include <string.h>
#include "store/store_internal.h"

static const struct sql Q_USERS = {
	"SELECT id, roles, sites_limited FROM users WHERE tenant_id = $1 AND status = 'active' ORDER BY id"
};
static const struct sql Q_INSERT = {
	"INSERT INTO notifications (tenant_id, user_id, kind, title_zh, title_en, body_zh, body_en, link, dedup,"
	" created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (user_id, dedup) DO NOTHING"
	" RETURNING id"
};
#define NOTICE_COLS "id, tenant_id, user_id, kind, title_zh, title_en, body_zh, body_en, link, dedup, created_at, read_at"
static const struct sql Q_LIST = {
	"SELECT " NOTICE_COLS " FROM notifications WHERE user_id = $1 AND ($2 = 0 OR read_at = 0)"
	" ORDER BY id DESC LIMIT $3 OFFSET $4"
};
static const struct sql Q_COUNTS = {
	"SELECT count(*), COALESCE(sum(CASE WHEN read_at = 0 THEN 1 ELSE 0 END), 0) FROM notifications WHERE user_id = $1"
};
static const struct sql Q_READ = {
	"UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND ($2 = 0 OR id = $2) AND read_at = 0"
};
static const struct sql Q_PRUNE = {
	"DELETE FROM notifications WHERE tenant_id = $1 AND created_at < $2 RETURNING id"
};
static const struct sql Q_EXISTS = { "SELECT 1 FROM notifications WHERE user_id = $1 AND id = $2" };

struct recipients {
	int64_t *ids;
	size_t n, cap;
};

static int add_recipient(struct recipients *r, int64_t id)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		int64_t *v = realloc(r->ids, cap * sizeof *v);
		if (!v) return -1;
		r->ids = v;
		r->cap = cap;
	}
	r->ids[r->n++] = id;
	return 0;
}

static enum rh_err send_one(struct db *db, int64_t tenant_id, int64_t user_id, const struct notice *n, int64_t now,
			    int64_t *sent)
{
	struct db_stmt *st = q_bind(db, &Q_INSERT, "IItttttttI", tenant_id, user_id, n->kind, n->title_zh,
				    n->title_en, n->body_zh, n->body_en, n->link, n->dedup, now);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "notice");
	if (step == DB_ROW) ++*sent;
	return RH_OK;
}

enum rh_err store_notify_roles(struct db *db, int64_t tenant_id, rh_roles roles, const struct notice *n,
			       int64_t *sent)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	return tx_end(db, notify_roles_in_tx(db, tenant_id, roles, n, sent));
}

/* The active accounts with any of roles, and which of them are limited
 * to some estates (limited[i], when limited is not NULL); *ids and
 * *limited malloc'ed, the caller frees them. */
static enum rh_err recipients_of(struct db *db, int64_t tenant_id, rh_roles roles, struct recipients *to,
				 struct recipients *limited)
{
	enum rh_err rc = RH_OK;
	struct db_stmt *st = q_bind(db, &Q_USERS, "I", tenant_id);
	if (!st) return q_unprepared(db);
	enum db_step step = DB_DONE;
	while (rc == RH_OK && (step = q_step(db, st)) == DB_ROW) {
		rh_roles has;
		if (roles_parse(q_text(db, st, 1), &has) != 0 || !(has & roles)) continue;
		if (add_recipient(to, q_int(db, st, 0)) || (limited && add_recipient(limited, q_int(db, st, 2))))
			rc = RH_ERR_NOMEM;
	}
	if (step == DB_ERROR) rc = q_error(db, "notice users");
	q_finish(db, st);
	return rc;
}

enum rh_err notify_roles_in_tx(struct db *db, int64_t tenant_id, rh_roles roles, const struct notice *n, int64_t *sent)
{
	*sent = 0;
	struct recipients to = { NULL, 0, 0 };
	enum rh_err rc = recipients_of(db, tenant_id, roles, &to, NULL);
	int64_t now = store_now();
	for (size_t i = 0; rc == RH_OK && i < to.n; i++) rc = send_one(db, tenant_id, to.ids[i], n, now, sent);
	free(to.ids);
	return rc;
}

enum rh_err notify_each_in_tx(struct db *db, int64_t tenant_id, rh_roles roles,
			      enum rh_err (*compose)(struct db *, int64_t, int, struct notice *, int *, void *), void *arg,
			      int64_t *sent)
{
	*sent = 0;
	struct recipients to = { NULL, 0, 0 }, limited = { NULL, 0, 0 };
	struct notice *n = malloc(sizeof *n);
	enum rh_err rc = n ? recipients_of(db, tenant_id, roles, &to, &limited) : RH_ERR_NOMEM;
	int64_t now = store_now();
	for (size_t i = 0; rc == RH_OK && i < to.n; i++) {
		int send = 0;
		memset(n, 0, sizeof *n);
		rc = compose(db, to.ids[i], limited.ids[i] != 0, n, &send, arg);
		if (rc == RH_OK && send) rc = send_one(db, tenant_id, to.ids[i], n, now, sent);
	}
	free(n);
	free(to.ids);
	free(limited.ids);
	return rc;
}

enum rh_err store_notices(struct db *db, int64_t user_id, int unread_only, int limit, int offset,
			  int (*fn)(const struct notice *, void *), void *arg, int64_t *total, int64_t *unread)
{
	*total = *unread = 0;
	struct db_stmt *st = q_bind(db, &Q_COUNTS, "I", user_id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) {
		*unread = q_int(db, st, 1);
		*total = unread_only ? *unread : q_int(db, st, 0);
	}
	q_finish(db, st);
	if (step != DB_ROW) return q_error(db, "notice counts");
	st = q_bind(db, &Q_LIST, "Iiii", user_id, unread_only ? 1 : 0, limit, offset);
	if (!st) return q_unprepared(db);
	struct notice *n = malloc(sizeof *n);
	step = DB_DONE;
	while (n && (step = q_step(db, st)) == DB_ROW) {
		memset(n, 0, sizeof *n);
		n->id = q_int(db, st, 0);
		n->tenant_id = q_int(db, st, 1);
		n->user_id = q_int(db, st, 2);
		q_copy(db, st, 3, n->kind, sizeof n->kind);
		q_copy(db, st, 4, n->title_zh, sizeof n->title_zh);
		q_copy(db, st, 5, n->title_en, sizeof n->title_en);
		q_copy(db, st, 6, n->body_zh, sizeof n->body_zh);
		q_copy(db, st, 7, n->body_en, sizeof n->body_en);
		q_copy(db, st, 8, n->link, sizeof n->link);
		q_copy(db, st, 9, n->dedup, sizeof n->dedup);
		n->created_at = q_int(db, st, 10);
		n->read_at = q_int(db, st, 11);
		if (fn(n, arg)) break;
	}
	enum rh_err rc = !n ? RH_ERR_NOMEM : step == DB_ERROR ? q_error(db, "notices") : RH_OK;
	q_finish(db, st);
	free(n);
	return rc;
}

enum rh_err store_notice_read(struct db *db, int64_t user_id, int64_t id)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	if (id) {
		struct db_stmt *st = q_bind(db, &Q_EXISTS, "II", user_id, id);
		if (!st) rc = q_unprepared(db);
		if (st) {
			enum db_step step = q_step(db, st);
			if (step == DB_DONE) rc = RH_ERR_NOT_FOUND;	/* none, or another user's: the same answer */
			else if (step == DB_ERROR) rc = q_error(db, "notice");
			q_finish(db, st);
		}
	}
	/* Reading one's own notices is not a change of record: not audited. */
	if (rc == RH_OK) rc = q_exec(db, &Q_READ, "III", user_id, id, store_now());
	return tx_end(db, rc);
}

enum rh_err store_notice_prune(struct db *db, int64_t tenant_id, int64_t created_before, int64_t *removed)
{
	return q_exec_rows(db, &Q_PRUNE, removed, "II", tenant_id, created_before);
}
