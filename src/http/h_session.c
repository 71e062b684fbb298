/*
 * h_session.c — signing in and out, the current session, and changing
 * one's own password.
 *
 * Sign-in answers the same "wrong user name or password" for an unknown
 * user and a wrong password, after the same argon2id work, so the answer
 * does not tell which user names exist. Each attempt is counted against
 * the account before the password is checked (store_login_reserve), so
 * even parallel guesses stop at login_max_failures; then the account is
 * locked for login_lock_seconds. Clients that try too many passwords are
 * slowed down per address (429), and the checks themselves run on the
 * hasher threads, never on the event loops (offload.h).
 */
#include <microhttpd.h>
#include <string.h>
#include <time.h>
#include "base/version.h"
#include "core/secret.h"
#include "http/handlers.h"
#include "http/phantom.h"

/* Seconds after an account's last attempt was taken when no check of
 * its can still be running (store_login_reserve): a check waits at most
 * for the hash queue ahead of it (256 deep, server.c) at a fraction of a
 * second a hash, well under five minutes. */
#define LOGIN_CHECK_STALE 300

enum { LOGIN_USERNAME, LOGIN_PASSWORD };
static const struct field login_fields[] = {
	[LOGIN_USERNAME] = { "username", FT_STRING, F_REQUIRED | F_FOLD | F_LOWER, 1, USERNAME_MAX, NULL, NULL, "用户名", "user name" },
	[LOGIN_PASSWORD] = { "password", FT_PASSWORD, F_REQUIRED, 1, PASSWORD_MAX, NULL, NULL, "密码", "password" },
};
const struct schema session_login_body = SCHEMA(login_fields);

enum { PW_CURRENT, PW_NEW };
static const struct field password_fields[] = {
	[PW_CURRENT] = { "current_password", FT_PASSWORD, F_REQUIRED, 1, PASSWORD_MAX, NULL, NULL, "当前密码", "current password" },
	[PW_NEW] = { "new_password", FT_PASSWORD, F_REQUIRED, PASSWORD_MIN, PASSWORD_MAX, NULL, password_acceptable, "新密码", "new password", PASSWORD_RULE_ZH, PASSWORD_RULE_EN },
};
const struct schema session_password_body = SCHEMA(password_fields);

/* A valid argon2id hash of a random password: verifying against it costs
 * what a real check costs, for user names that do not exist. */
static char dummy_hash[PASSWORD_HASH_MAX];	/* written by session_prepare(), before threads */

void session_prepare(void)
{
	char pw[TOKEN_LEN + 1];
	token_new(pw);
	password_hash(pw, dummy_hash);
}

static json_t *session_json(const struct rh_req *r, const struct tenant *t)
{
	json_t *perms = json_array();
	for (size_t i = 0; i < rh_routes_count; i++) {
		const struct route *rt = &rh_routes[i];
		if (rt->flags & (R_PUBLIC | R_SYSTEM) || !(rt->roles & r->sess.user.roles)) continue;
		char key[128];
		snprintf(key, sizeof key, "%s %s", rt->method, rt->path);
		json_array_append_new(perms, json_string(key));
	}
	return json_pack("{s:o, s:o, s:s, s:I, s:o, s:s}", "user", user_to_json(&r->sess.user, PII_FULL), "tenant",
			 tenant_to_json(t), "csrf_token", r->sess.csrf_token, "expires_at",
			 (json_int_t)r->sess.expires_at, "permissions", perms, "version", ruhu_version);
}

/* What the sign-in's first run found, for its second. */
struct login_ctx {
	struct user u;
	int exists;
	int locks;	/* a name that is nobody's: this try locks it (phantom.h) */
	int64_t now;
};

static enum rh_err locked(struct rh_req *r, int64_t until, int64_t now)
{
	req_fail(r, RH_ERR_ACCOUNT_LOCKED, NULL);
	r->fail.n = (until - now + 59) / 60;
	if (r->fail.n < 1) r->fail.n = 1;
	return RH_ERR_ACCOUNT_LOCKED;
}

static enum rh_err login_finish(struct rh_req *r, struct login_ctx *c);

/* A check never done: the attempt reserved for it is given back. */
static void login_abandon(struct rh_req *r)
{
	const struct login_ctx *c = r->ctx;
	store_login_release(req_db(r), c->u.id);	/* best effort */
}

static void own_password_abandon(struct rh_req *r)
{
	store_login_release(req_db(r), r->sess.user_id);	/* best effort */
}

/* First run: refuse a client that tries too many passwords, count the
 * attempt against the account, and hand the argon2id check to the hasher
 * (an unknown user name is checked against a dummy hash, so both cost the
 * same). Second run (login_finish): act on the outcome. */
enum rh_err h_session_login(struct rh_req *r)
{
	if (r->wait == WAIT_DONE) return login_finish(r, r->ctx);
	enum rh_err rc = req_password_rate(r);
	if (rc != RH_OK) return rc;
	struct login_ctx *c = arena_alloc(r->arena, sizeof *c);
	if (!c) return req_fail(r, RH_ERR_NOMEM, NULL);
	char hash[PASSWORD_HASH_MAX];
	c->locks = 0;
	c->now = (int64_t)time(NULL);
	rc = store_user_for_login(req_db(r), in_str(r, LOGIN_USERNAME), &c->u, hash);
	if (rc != RH_OK && rc != RH_ERR_NOT_FOUND) return req_fail(r, rc, NULL);
	/* An account of the system organisation (tenant 0, which holds the
	 * official calendar every organisation shares) signs in nowhere: it
	 * is answered as one that does not exist. */
	c->exists = rc == RH_OK && c->u.tenant_id != 0;
	if (c->exists) {
		int64_t until;
		rc = store_login_reserve(r->db, c->u.id, r->srv->cfg.login_max_failures, LOGIN_CHECK_STALE, c->now, &until);
		if (rc == RH_ERR_ACCOUNT_LOCKED) return locked(r, until, c->now);
		if (rc != RH_OK) return req_fail(r, rc, NULL);
	} else {	/* a name that is nobody's locks as an account would, counted as it is (phantom.h) */
		int64_t until = phantom_locked(r->srv->phantoms, in_str(r, LOGIN_USERNAME), c->now);
		if (until) return locked(r, until, c->now);
		c->locks = phantom_failed(r->srv->phantoms, in_str(r, LOGIN_USERNAME), r->srv->cfg.login_max_failures,
					  r->srv->cfg.login_lock_seconds, c->now) != 0;
	}
	r->ctx = c;
	if (c->exists) r->abandon = login_abandon;
	return req_hash(r, HASH_VERIFY, in_str(r, LOGIN_PASSWORD), NULL, c->exists ? hash : dummy_hash);
}

static enum rh_err login_finish(struct rh_req *r, struct login_ctx *c)
{
	struct user *u = &c->u;
	struct actor a = req_actor(r, NULL);
	a.name = in_str(r, LOGIN_USERNAME);
	if (c->exists) {
		a.tenant_id = u->tenant_id;
		a.user_id = u->id;
	}
	if (r->hash.ok != 1 || !c->exists) {
		int now_locked = 0;
		if (c->exists)
			store_login_failed(req_db(r), &a, u->id, r->srv->cfg.login_max_failures,
					   r->srv->cfg.login_lock_seconds, c->now, 0, &now_locked);
		else
			now_locked = c->locks;
		if (now_locked) return locked(r, c->now + r->srv->cfg.login_lock_seconds, c->now);
		return req_fail(r, RH_ERR_LOGIN_FAILED, NULL);
	}
	if (u->status != USER_ACTIVE) return req_fail(r, RH_ERR_ACCOUNT_DISABLED, NULL);

	char token[TOKEN_LEN + 1];
	struct session *s = &r->sess;
	memset(s, 0, sizeof *s);
	token_new(token);
	token_hash(token, TOKEN_LEN, s->token_hash);
	token_new(s->csrf_token);
	s->tenant_id = u->tenant_id;
	s->user_id = u->id;
	s->created_at = s->last_seen_at = c->now;
	s->expires_at = c->now + r->srv->cfg.session_idle;
	s->user = *u;
	const char *ua = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
	char agent[256] = "";
	if (ua) snprintf(agent, sizeof agent, "%s", ua);
	if (!utf8_valid(agent, strlen(agent))) agent[0] = '\0';
	enum rh_err rc = store_session_create(req_db(r), &a, s, agent);
	if (rc == RH_ERR_ACCOUNT_LOCKED) return locked(r, c->now + r->srv->cfg.login_lock_seconds, c->now);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	r->signed_in = 1;
	r->log_user = u->id;
	s->user.last_login_at = c->now;
	s->user.failed_logins = 0;

	struct tenant t;
	if ((rc = store_tenant_get(r->db, u->tenant_id, &t)) != RH_OK) return req_fail(r, rc, NULL);
	r->set_cookie = arena_printf(r->arena, "ruhu_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
				     token, r->srv->cfg.session_max, r->srv->cfg.cookie_secure ? "; Secure" : "");
	return reply_json(r, 200, session_json(r, &t));
}

enum rh_err h_session_get(struct rh_req *r)
{
	struct tenant t;
	enum rh_err rc = store_tenant_get(req_db(r), r->sess.tenant_id, &t);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	return reply_json(r, 200, session_json(r, &t));
}

enum rh_err h_session_logout(struct rh_req *r)
{
	struct actor a = req_actor(r, NULL);
	enum rh_err rc = store_session_delete(req_db(r), &a, r->sess.token_hash);
	if (rc != RH_OK && rc != RH_ERR_NOT_FOUND) return req_fail(r, rc, NULL);
	r->set_cookie = arena_printf(r->arena, "ruhu_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
				     r->srv->cfg.cookie_secure ? "; Secure" : "");
	r->status = 204;
	return RH_OK;
}

/* Changing one's own password checks the current one like a sign-in
 * does: rate-limited, counted against the account, and locking it (and
 * ending its sessions) when the attempts run out — a stolen session must
 * not become a way to guess the password unseen. */
enum rh_err h_session_password(struct rh_req *r)
{
	if (r->wait == WAIT_DONE) {
		int64_t now = (int64_t)time(NULL);
		struct actor a = req_actor(r, "own password change");
		if (r->hash.ok == -1) return req_fail(r, RH_ERR_NOMEM, NULL);
		if (r->hash.ok != 1) {
			int now_locked = 0;
			store_login_failed(req_db(r), &a, r->sess.user_id, r->srv->cfg.login_max_failures,
					   r->srv->cfg.login_lock_seconds, now, 1, &now_locked);
			if (now_locked) return locked(r, now + r->srv->cfg.login_lock_seconds, now);
			return req_fail_why(r, RH_ERR_FIELD_INVALID, PW_CURRENT, "当前密码不正确", "the current password is wrong");
		}
		struct user u;
		enum rh_err rc = store_user_set_password(req_db(r), &a, r->sess.tenant_id, r->sess.user_id, -1,
							 r->hash.hash_out, 0, r->sess.token_hash, &u, &r->fail);
		if (rc != RH_OK) return rc;
		return reply_json(r, 200, user_to_json(&u, PII_FULL));	/* one's own */
	}
	if (strcmp(in_str(r, PW_CURRENT), in_str(r, PW_NEW)) == 0)
		return req_fail_why(r, RH_ERR_FIELD_INVALID, PW_NEW, "新密码不能与当前密码相同",
				    "the new password must differ from the current one");
	enum rh_err rc = req_password_rate(r);
	if (rc != RH_OK) return rc;
	struct user u;
	char hash[PASSWORD_HASH_MAX];
	int64_t now = (int64_t)time(NULL), until;
	rc = store_user_for_login(req_db(r), r->sess.user.username, &u, hash);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	rc = store_login_reserve(r->db, u.id, r->srv->cfg.login_max_failures, LOGIN_CHECK_STALE, now, &until);
	if (rc == RH_ERR_ACCOUNT_LOCKED) return locked(r, until, now);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	r->abandon = own_password_abandon;
	return req_hash(r, HASH_VERIFY_THEN_MAKE, in_str(r, PW_CURRENT), in_str(r, PW_NEW), hash);
}
