/*
 * h_session.c — signing in and out, the current session, and changing
 * one's own password.
 *
 * Sign-in answers the same "wrong user name or password" for an unknown
 * user and a wrong password, after the same argon2id work, so the answer
 * does not tell which user names exist. After login_max_failures wrong
 * passwords in a row the account is locked for login_lock_seconds; the
 * lock is checked before the password, so guessing stops while it lasts.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include "core/secret.h"
#include "http/handlers.h"

enum { LOGIN_USERNAME, LOGIN_PASSWORD };
static const struct field login_fields[] = {
	[LOGIN_USERNAME] = { "username", FT_STRING, F_REQUIRED, 1, USERNAME_MAX, NULL, NULL, "用户名", "user name" },
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
static char dummy[PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	char pw[TOKEN_LEN + 1];
	token_new(pw);
	password_hash(pw, dummy);
}

static const char *dummy_hash(void)
{
	pthread_once(&dummy_once, make_dummy);
	return dummy;
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
			 (json_int_t)r->sess.expires_at, "permissions", perms, "version", RUHU_VERSION);
}

enum rh_err h_session_login(struct rh_req *r)
{
	const char *username = in_str(r, LOGIN_USERNAME), *password = in_str(r, LOGIN_PASSWORD);
	struct user u;
	char hash[PASSWORD_HASH_MAX];
	int64_t now = (int64_t)time(NULL);
	enum rh_err rc = store_user_for_login(req_db(r), username, &u, hash);
	if (rc != RH_OK && rc != RH_ERR_NOT_FOUND) return req_fail(r, rc, NULL);
	int exists = rc == RH_OK;
	if (exists && u.locked_until > now) {
		req_fail(r, RH_ERR_ACCOUNT_LOCKED, NULL);
		r->fail.n = (u.locked_until - now + 59) / 60;
		return RH_ERR_ACCOUNT_LOCKED;
	}
	req_db_release(r);	/* argon2id takes a while: hold no snapshot meanwhile */
	int ok = password_verify(exists ? hash : dummy_hash(), password) && exists;
	struct actor a = req_actor(r, NULL);
	a.name = username;
	if (!ok) {
		int locked = 0;
		if (exists) {
			a.tenant_id = u.tenant_id;
			a.user_id = u.id;
			store_login_failed(req_db(r), &a, u.id, r->srv->cfg.login_max_failures,
					   r->srv->cfg.login_lock_seconds, now, &locked);
		}
		if (locked) {
			req_fail(r, RH_ERR_ACCOUNT_LOCKED, NULL);
			r->fail.n = (r->srv->cfg.login_lock_seconds + 59) / 60;
			return RH_ERR_ACCOUNT_LOCKED;
		}
		return req_fail(r, RH_ERR_LOGIN_FAILED, NULL);
	}
	if (u.status != USER_ACTIVE) return req_fail(r, RH_ERR_ACCOUNT_DISABLED, NULL);

	char token[TOKEN_LEN + 1];
	struct session *s = &r->sess;
	memset(s, 0, sizeof *s);
	token_new(token);
	token_hash(token, TOKEN_LEN, s->token_hash);
	token_new(s->csrf_token);
	s->tenant_id = u.tenant_id;
	s->user_id = u.id;
	s->created_at = s->last_seen_at = now;
	s->expires_at = now + r->srv->cfg.session_idle;
	s->user = u;
	a.tenant_id = u.tenant_id;
	a.user_id = u.id;
	const char *ua = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
	char agent[256] = "";
	if (ua) snprintf(agent, sizeof agent, "%s", ua);
	if (!utf8_valid(agent, strlen(agent))) agent[0] = '\0';
	rc = store_session_create(req_db(r), &a, s, agent);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	r->signed_in = 1;
	r->log_user = u.id;
	s->user.last_login_at = now;

	struct tenant t;
	if ((rc = store_tenant_get(r->db, u.tenant_id, &t)) != RH_OK) return req_fail(r, rc, NULL);
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

enum rh_err h_session_password(struct rh_req *r)
{
	struct user u;
	char hash[PASSWORD_HASH_MAX];
	enum rh_err rc = store_user_for_login(req_db(r), r->sess.user.username, &u, hash);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	req_db_release(r);
	if (!password_verify(hash, in_str(r, PW_CURRENT)))
		return req_fail_why(r, RH_ERR_FIELD_INVALID, PW_CURRENT, "当前密码不正确", "the current password is wrong");
	if (strcmp(in_str(r, PW_CURRENT), in_str(r, PW_NEW)) == 0)
		return req_fail_why(r, RH_ERR_FIELD_INVALID, PW_NEW, "新密码不能与当前密码相同",
				    "the new password must differ from the current one");
	if (password_hash(in_str(r, PW_NEW), hash) != 0) return req_fail(r, RH_ERR_NOMEM, NULL);
	struct actor a = req_actor(r, "own password change");
	rc = store_user_set_password(req_db(r), &a, r->sess.tenant_id, r->sess.user_id, -1, hash, 0,
				     r->sess.token_hash, &u, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, user_to_json(&u, PII_FULL));	/* one's own */
}
