/*
 * dispatch.c — routing and every check a request passes before its
 * handler runs, in one place for all routes:
 *
 *   route → session (401) → role (403) → initial password changed (403)
 *   → CSRF (403) → JSON content type (415) → query and body validation
 *   (400) → handler
 *
 * A handler therefore never checks who is calling or what was sent: if
 * it runs, the caller is signed in (unless the route is public), holds a
 * role the route table allows, and every value in r->in / r->q passed
 * the route's schema.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/secret.h"
#include "http/access.h"
#include "http/http.h"
#include "http/ratelimit.h"

#define SESSION_COOKIE "ruhu_session"
#define TOUCH_EVERY 60		/* seconds between writes of a session's last use */

static const struct schema no_fields = { NULL, 0 };

/* ---- routing ---- */

/* Walks pattern and path together, so a route that differs is left at
 * its first different byte (this runs for every route on every request).
 * ":id" in the pattern takes a positive integer of at most 18 digits. */
static int path_match(const char *pattern, const char *path, int64_t *id)
{
	while (*pattern) {
		if (*pattern == ':') {
			int64_t v = 0;
			int n = 0;
			for (; *path >= '0' && *path <= '9'; path++)
				if (++n > 18) return 0;
				else v = v * 10 + (*path - '0');
			if (n == 0 || v <= 0 || (*path && *path != '/')) return 0;
			*id = v;
			while (*pattern && *pattern != '/') pattern++;
			continue;
		}
		if (*pattern++ != *path++) return 0;
	}
	return *path == '\0';
}

int route_match(const char *method, const char *path, int64_t *path_id, int *method_mismatch)
{
	*method_mismatch = 0;
	for (size_t i = 0; i < rh_routes_count; i++) {
		int64_t id = 0;
		if (!path_match(rh_routes[i].path, path, &id)) continue;
		if (strcmp(rh_routes[i].method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 && strcmp(rh_routes[i].method, "GET") == 0)) {
			*method_mismatch = 1;
			continue;
		}
		*path_id = id;
		return (int)i;
	}
	return -1;
}

/* ---- per-request helpers ---- */

struct db *req_db(struct rh_req *r)
{
	if (!r->db) r->db = store_loop_db(r->srv->store);
	return r->db;
}

void req_db_release(struct rh_req *r)
{
	if (r->db) store_thread_db_reset(r->db);
	r->db = NULL;
}

struct actor req_actor(const struct rh_req *r, const char *reason)
{
	struct actor a = {
		.tenant_id = r->sess.tenant_id, .user_id = r->sess.user_id,
		.name = r->signed_in ? r->sess.user.username : "-", .ip = r->ip[0] ? r->ip : NULL,
		.reason = reason, .scope = r->signed_in ? SCOPE(r) : 0,
	};
	return a;
}

int req_tz(const struct rh_req *r)
{
	return r->signed_in ? r->sess.tz_offset : 480;
}

rh_day req_today(const struct rh_req *r)
{
	return date_of((int64_t)time(NULL), req_tz(r));
}

enum rh_err req_read_version(struct rh_req *r, int64_t read, int64_t sent)
{
	if (read == sent) return RH_OK;
	rh_fail_field(&r->fail, RH_ERR_VERSION_CONFLICT, "version");
	r->fail.n = read;
	return RH_ERR_VERSION_CONFLICT;
}

enum rh_err req_site_visible(struct rh_req *r, int64_t site_id, int *yes)
{
	*yes = !SCOPE(r);
	if (*yes || !site_id) return RH_OK;
	return store_site_in_scope(req_db(r), r->sess.tenant_id, SCOPE(r), site_id, yes);
}

enum rh_err req_household_visible(struct rh_req *r, int64_t household_id, int *yes)
{
	return store_household_in_scope(req_db(r), r->sess.tenant_id, SCOPE(r), household_id, yes);
}

static int unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

/* ---- the checks ---- */

static enum rh_err authenticate(struct rh_req *r)
{
	const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (!token || strlen(token) != TOKEN_LEN) return req_fail(r, RH_ERR_UNAUTHENTICATED, NULL);
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, TOKEN_LEN, hash);
	int64_t now = (int64_t)time(NULL);
	enum rh_err rc = store_session_lookup(req_db(r), hash, now, &r->sess);
	if (rc == RH_ERR_NOT_FOUND || (rc == RH_OK && r->sess.user.status != USER_ACTIVE))
		return req_fail(r, RH_ERR_UNAUTHENTICATED, NULL);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	r->signed_in = 1;
	r->log_user = r->sess.user_id;
	if (now - r->sess.last_seen_at >= TOUCH_EVERY) {
		/* Extended when the request is done (finish()): a write, so
		 * not inside this request's read snapshot. */
		int64_t exp = now + r->srv->cfg.session_idle, cap = r->sess.created_at + r->srv->cfg.session_max;
		r->sess.expires_at = exp < cap ? exp : cap;
		r->touch_expires = r->sess.expires_at;
	}
	return RH_OK;
}

/* Whether the session cookie names a live session of an active account:
 * what earns a file upload its larger body limit before the body is
 * read (server.c). Only looks; check() authenticates the request as
 * usual once the body is in. */
int req_has_session(struct rh_req *r)
{
	const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (!token || strlen(token) != TOKEN_LEN) return 0;
	char hash[TOKEN_HASH_LEN + 1];
	token_hash(token, TOKEN_LEN, hash);
	struct session s;
	enum rh_err rc = store_session_lookup(req_db(r), hash, (int64_t)time(NULL), &s);
	req_db_release(r);
	return rc == RH_OK && s.user.status == USER_ACTIVE;
}

/* Forms and other sites cannot send this header or a JSON body to us
 * without a CORS preflight we never grant; the session's own token is
 * the second lock. */
static enum rh_err check_csrf(struct rh_req *r)
{
	const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return req_fail(r, RH_ERR_CSRF, NULL);
	if (!r->signed_in) return RH_OK;
	const char *sent = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
	if (!sent || !secret_equal(sent, r->sess.csrf_token)) return req_fail(r, RH_ERR_CSRF, NULL);
	return RH_OK;
}

/* What a CSV or .xlsx upload may be labelled: browsers on Windows call a
 * .csv file application/vnd.ms-excel, others text/csv or nothing useful.
 * The label proves nothing either way; the importer reads the bytes. */
static int upload_type(const char *ct)
{
	static const char *const ok[] = { "text/csv", "text/plain", "application/csv", "application/vnd.ms-excel",
					  "application/octet-stream",
					  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", NULL };
	for (int i = 0; ok[i]; i++) {
		size_t n = strlen(ok[i]);
		if (strncasecmp(ct, ok[i], n) == 0 && (ct[n] == '\0' || ct[n] == ';')) return 1;
	}
	return 0;
}

/* 415, saying what this route takes. */
static enum rh_err wrong_type(struct rh_req *r, const char *zh, const char *en)
{
	req_fail(r, RH_ERR_MEDIA_TYPE, NULL);
	r->fail.detail_zh = zh;
	r->fail.detail_en = en;
	return RH_ERR_MEDIA_TYPE;
}

static enum rh_err check_content_type(struct rh_req *r)
{
	/* No body, nothing to label (a POST /…/read-all): validated as {}. A
	 * form cannot send the CSRF token, so this opens nothing to one. */
	if (r->body.len == 0 && !(r->route->flags & (R_UPLOAD | R_DOCUMENT | R_IMAGE))) return RH_OK;
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (r->route->flags & R_UPLOAD)
		return ct && upload_type(ct) ? RH_OK
		       : wrong_type(r, "须为 CSV（text/csv）或 Excel（.xlsx）文件", "send a CSV file (text/csv) or an Excel workbook (.xlsx)");
	if (r->route->flags & R_DOCUMENT)	/* the same: libmagic decides, the label only has to be one of ours */
		return ct && (strncasecmp(ct, "image/jpeg", 10) == 0 || strncasecmp(ct, "image/png", 9) == 0 ||
			      strncasecmp(ct, "application/pdf", 15) == 0 || strncasecmp(ct, "application/octet-stream", 24) == 0)
			       ? RH_OK : wrong_type(r, "须为 PDF、JPEG 或 PNG 文件", "send a PDF, JPEG or PNG file");
	if (r->route->flags & R_IMAGE)	/* what the bytes really are, the handler asks libmagic */
		return ct && (strncasecmp(ct, "image/jpeg", 10) == 0 || strncasecmp(ct, "image/png", 9) == 0)
			       ? RH_OK : wrong_type(r, "须为 JPEG 或 PNG 图片", "send a JPEG or PNG image");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] != '\0' && ct[16] != ';'))
		return wrong_type(r, "须为 application/json", "send application/json");
	return RH_OK;
}

struct params {
	struct param p[QUERY_PARAMS_MAX];
	size_t n;
	int overflow;
	struct arena *arena;
};

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
				      const char *value, size_t value_size)
{
	struct params *ps = cls;
	(void)kind;
	if (key_size == 0 && value_size == 0) return MHD_YES;	/* "?&&" — nothing between the separators */
	if (ps->n == QUERY_PARAMS_MAX) {
		ps->overflow = 1;
		return MHD_NO;
	}
	ps->p[ps->n] = (struct param){ key, value, key_size, value_size };
	ps->n++;
	return MHD_YES;
}

static enum rh_err validate_input(struct rh_req *r)
{
	struct params ps = { .n = 0, .arena = r->arena };
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, collect_param, &ps);
	if (ps.overflow) {
		req_fail(r, RH_ERR_QUERY_TOO_LONG, NULL);
		r->fail.n = QUERY_PARAMS_MAX;
		return r->fail.err;
	}
	const struct schema *qs = r->route->query ? r->route->query : &no_fields;
	enum rh_err rc = validate_params(qs, ps.p, ps.n, req_tz(r), r->arena, r->q, &r->fail);
	if (rc != RH_OK) return rc;
	if (!unsafe_method(r->method) && r->body.len == 0) return RH_OK;
	if (r->route->flags & (R_UPLOAD | R_IMAGE | R_DOCUMENT)) return RH_OK;	/* a file: its reader checks it */
	const struct schema *bs = r->route->body ? r->route->body : &no_fields;
	return validate_json(bs, buf_str(&r->body), r->body.len, req_tz(r), r->arena, r->in, &r->fail);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum rh_err check(struct rh_req *r)
{
	const struct route *rt = r->route;
	enum rh_err rc;
	/* A read request sees one state of the database, session check and
	 * handler alike, in one read transaction. */
	/* A public page counts its callers before anything else is done. */
	if ((rt->flags & R_THROTTLED) && !rate_limiter_allow(r->srv->public_limiter, r->ip, now_ms()))
		return req_fail(r, RH_ERR_RATE_LIMITED, NULL);
	if (!(rt->flags & R_PUBLIC) && !unsafe_method(r->method)) store_snapshot_begin(req_db(r));
	if (!(rt->flags & R_PUBLIC)) {
		if ((rc = authenticate(r)) != RH_OK) return rc;
		if (!(rt->roles & r->sess.user.roles)) return req_fail(r, RH_ERR_FORBIDDEN, NULL);
		if (r->sess.user.must_change_password && !(rt->flags & R_PASSWORD_CHANGE_OK))
			return req_fail(r, RH_ERR_PASSWORD_CHANGE, NULL);
	}
	if (unsafe_method(r->method)) {
		if ((rc = check_csrf(r)) != RH_OK) return rc;
		if ((rc = check_content_type(r)) != RH_OK) return rc;
	}
	return validate_input(r);
}

/* After a handler ran: unless it is waiting for a pool (offload.h), the answer
 * is final — end the snapshot, extend the session, settle the error. */
static void finish(struct rh_req *r, enum rh_err rc)
{
	req_db_release(r);
	if (r->wait == WAIT_PENDING && rc == RH_OK) return;
	if (r->touch_expires) {
		char hash[TOKEN_HASH_LEN + 1];
		snprintf(hash, sizeof hash, "%s", r->sess.token_hash);
		store_session_touch(req_db(r), hash, (int64_t)time(NULL), r->touch_expires);	/* best effort */
		r->touch_expires = 0;
		req_db_release(r);
	}
	r->wait = WAIT_NONE;
	if (rc != RH_OK && r->fail.err != rc) rh_fail_field(&r->fail, rc, NULL);
	if (rc == RH_OK) r->fail.err = RH_OK;
}

void dispatch(struct rh_req *r)
{
	if (r->match < 0) {
		r->route_index = -1;	/* metrics: unmatched */
		req_fail(r, r->method_mismatch ? RH_ERR_METHOD : RH_ERR_ROUTE_NOT_FOUND, NULL);
		return;
	}
	r->route_index = r->match;
	r->route = &rh_routes[r->match];
	enum rh_err rc = check(r);
	if (rc == RH_OK) rc = r->route->handler(r);
	finish(r, rc);
}

void req_abandon(struct rh_req *r)
{
	void (*undo)(struct rh_req *) = r->abandon;
	r->abandon = NULL;
	if (!undo) return;
	undo(r);
	req_db_release(r);
}

void dispatch_resume(struct rh_req *r)
{
	r->wait = WAIT_DONE;	/* the checks passed before: only the handler again */
	if (r->offloaded && r->offloaded->skipped) {	/* the server stops: nothing was done */
		req_abandon(r);
		finish(r, req_fail(r, RH_ERR_STOPPING, NULL));
		return;
	}
	r->abandon = NULL;	/* the second run settles what the first reserved */
	finish(r, r->route->handler(r));
}

enum rh_err req_offload(struct rh_req *r, struct offload *pool, struct off_job *job)
{
	req_db_release(r);	/* no snapshot held while suspended */
	r->offloaded = job;
	if (offload_submit(pool, job, r->conn) != 0) {
		req_abandon(r);
		return req_fail(r, atomic_load(&r->srv->stopping) ? RH_ERR_STOPPING : RH_ERR_BUSY, NULL);
	}
	r->wait = WAIT_PENDING;
	return RH_OK;
}

/* On a hasher thread. */
static void hash_run(struct off_job *job)
{
	struct hash_job *j = (struct hash_job *)job;
	switch (j->op) {
	case HASH_VERIFY:
		j->ok = password_verify(j->hash_in, j->password);
		break;
	case HASH_MAKE:
		j->ok = password_hash(j->password, j->hash_out) == 0;
		break;
	case HASH_VERIFY_THEN_MAKE:
		j->ok = password_verify(j->hash_in, j->password);
		if (j->ok && password_hash(j->new_password, j->hash_out) != 0) j->ok = -1;
		break;
	}
}

enum rh_err req_hash(struct rh_req *r, enum hash_op op, const char *password, const char *new_password,
		     const char *hash_in)
{
	struct hash_job *j = &r->hash;
	memset(j, 0, sizeof *j);
	j->job.run = hash_run;
	j->op = op;
	j->password = password;
	j->new_password = new_password;
	if (hash_in) snprintf(j->hash_in, sizeof j->hash_in, "%s", hash_in);
	return req_offload(r, r->srv->hasher, &j->job);
}

enum rh_err req_password_rate(struct rh_req *r)
{
	if (rate_limiter_allow(r->srv->login_limiter, r->ip, now_ms())) return RH_OK;
	return req_fail(r, RH_ERR_RATE_LIMITED, NULL);
}
