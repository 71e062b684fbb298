/*
 * api_test.c — drives a real `ruhu serve` over HTTP (SPEC X1–X6).
 *
 *   api_test PATH/TO/ruhu
 *
 * Starts the server on a free port with a fresh database and the demo
 * logins (one per role), then checks sign-in, the role table (every route
 * × every role, generated from the route table itself, so a new route is
 * covered the day it is added), CSRF, lock-out, stale versions, bad input
 * of every kind (each answered with the field named and nothing written),
 * tenant isolation, the calendar, jobs and the audit trail; stops it and
 * verifies the audit chains with `ruhu audit verify`, then tampers with
 * the database by hand and checks that verify names the broken entry.
 */
#include <arpa/inet.h>
#include <iconv.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include "harness.h"
#include "api/client.h"
#include "core/user.h"
#include "http/http.h"

static const char *bin;
static struct server_proc srv;
static struct client admin;	/* gas.admin, signed in */
#define PW "Ruhu@2026"

/* ---- small helpers ---- */

static int64_t jint(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int64_t audit_total(const char *query)
{
	struct resp r;
	char path[160];
	snprintf(path, sizeof path, "/api/v1/audit?limit=1%s", query);
	req(&admin, "GET", path, NULL, &r);
	int64_t n = jint(r.json, "total");
	resp_free(&r);
	return n;
}

/* The number of audit entries and users of gas's tenant, to prove that a
 * refused request wrote nothing. */
static void counts(int64_t *audit, int64_t *users)
{
	struct resp r;
	*audit = audit_total("");
	req(&admin, "GET", "/api/v1/users?limit=1", NULL, &r);
	*users = jint(r.json, "total");
	resp_free(&r);
}

/* a and b compared by their GB18030 bytes, the order of names (the
 * oracle of core/collate.c, computed here with iconv on its own). */
static int gb18030_cmp(const char *a, const char *b)
{
	char ka[512], kb[512];
	size_t la = 0, lb = 0;
	const char *in[2] = { a, b };
	char *out[2] = { ka, kb };
	size_t *len[2] = { &la, &lb };
	for (int i = 0; i < 2; i++) {
		iconv_t cd = iconv_open("GB18030", "UTF-8");
		char *src = (char *)in[i], *dst = out[i];
		size_t left = strlen(in[i]), room = sizeof ka;
		iconv(cd, &src, &left, &dst, &room);
		iconv_close(cd);
		*len[i] = (size_t)(dst - out[i]);
	}
	int c = memcmp(ka, kb, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

/* Creates a user in gas's tenant; returns its id. */
static int64_t make_user(const char *username, const char *roles_json, int must_change)
{
	char body[512];
	struct resp r;
	snprintf(body, sizeof body,
		 "{\"username\":\"%s\",\"display_name\":\"测试 %s\",\"roles\":%s,\"password\":\"Start@2026\","
		 "\"must_change_password\":%s}", username, username, roles_json, must_change ? "true" : "false");
	req(&admin, "POST", "/api/v1/users", body, &r);
	int64_t id = r.status == 201 ? jint(r.json, "id") : 0;
	if (!id) fprintf(stderr, "  make_user %s: %ld %s\n", username, r.status, r.body ? r.body : "");
	resp_free(&r);
	return id;
}

static int64_t user_version(int64_t id)
{
	struct resp r;
	char path[64];
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)id);
	req(&admin, "GET", path, NULL, &r);
	int64_t v = jint(r.json, "version");
	resp_free(&r);
	return v;
}

/* ---- the tests ---- */

static void test_health(void)
{
	struct client c;
	struct resp r;
	client_init(&c, &srv);
	t_case("healthz answers 200 without a session");
	CHECK_INT(req(&c, "GET", "/healthz", NULL, &r), 200);
	CHECK_STR(jstr(r.json, "status"), "ok");
	resp_free(&r);
	t_case("HEAD /healthz answers 200");
	CHECK_INT(req(&c, "HEAD", "/healthz", NULL, &r), 200);
	resp_free(&r);
	t_case("readyz reports the store and schema version");
	CHECK_INT(req(&c, "GET", "/readyz", NULL, &r), 200);
	CHECK_STR(jstr(r.json, "store"), srv.pg ? "postgresql" : "sqlite");
	CHECK(jint(r.json, "schema") >= 1);
	resp_free(&r);
	t_case("metrics are Prometheus text with per-route counters and histograms");
	CHECK_INT(req(&c, "GET", "/metrics", NULL, &r), 200);
	CHECK(r.body && strstr(r.body, "ruhu_http_requests_total{route=\"GET /healthz\",status=\"2xx\"}"));
	CHECK(r.body && strstr(r.body, "ruhu_http_request_duration_seconds_bucket{route=\"GET /healthz\",le=\"+Inf\"}"));
	CHECK(strstr(r.headers, "text/plain") != NULL);
	resp_free(&r);
	t_case("the UI is served with a strict Content-Security-Policy (no inline script)");
	CHECK_INT(req(&c, "GET", "/", NULL, &r), 200);
	CHECK(strstr(r.headers, "Content-Type: text/html") != NULL);
	CHECK(strstr(r.headers, "script-src 'self'") != NULL);
	CHECK(strstr(r.headers, "unsafe-inline") == NULL);
	CHECK(r.body && strstr(r.body, "<script type=\"module\"") != NULL);
	resp_free(&r);
	t_case("an unknown path is 404 route_not_found, a wrong method 405");
	CHECK_INT(req(&c, "GET", "/api/v1/nothing", NULL, &r), 404);
	CHECK_STR(err_code(&r), "route_not_found");
	resp_free(&r);
	CHECK_INT(req(&c, "DELETE", "/api/v1/users", NULL, &r), 405);
	CHECK_STR(err_code(&r), "method_not_allowed");
	resp_free(&r);
	client_free(&c);
}

/* The open connections of each HTTP thread, from /metrics, into n[]
 * (at most cap); how many threads there are, or -1. */
static int thread_connections(int *n, int cap)
{
	struct client c;
	struct resp r;
	int threads = -1;
	client_init(&c, &srv);
	if (req(&c, "GET", "/metrics", NULL, &r) == 200 && r.body) {
		threads = 0;
		for (const char *p = strstr(r.body, "\nruhu_http_connections{thread=\""); p && threads < cap;
		     p = strstr(p + 1, "\nruhu_http_connections{thread=\""))
			n[threads++] = atoi(strchr(p, '}') + 2);
	}
	resp_free(&r);
	client_free(&c);
	return threads;
}

static void test_connections_spread(void)
{
	t_case("connections made at once are spread over the HTTP threads, none waits behind another on a busy one");
	int n[64], threads = thread_connections(n, 64);
	if (!CHECK(threads >= 1)) return;
	int want = 4 * threads, fds[256], made = 0;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	for (; made < want; made++) {
		fds[made] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[made] < 0 || connect(fds[made], (struct sockaddr *)&sa, sizeof sa) != 0) break;
	}
	CHECK_INT(made, want);
	/* they are handed over as the server accepts them: wait (at most
	 * 10 s) until every one is counted */
	int sum = 0;
	for (int i = 0; i < 500 && sum < want; i++) {
		if (thread_connections(n, 64) != threads) break;
		sum = 0;
		for (int k = 0; k < threads; k++) sum += n[k];
		if (sum < want) usleep(20000);
	}
	CHECK(sum >= want);
	int fewest = n[0];
	for (int k = 1; k < threads; k++) fewest = n[k] < fewest ? n[k] : fewest;
	CHECK(fewest >= 3);	/* 4 each, give or take a connection of the test's own */
	for (int i = 0; i < made; i++) close(fds[i]);
}

/* PostgreSQL: a database whose text does not sort by code point is
 * refused before anything is written (the short search's ranges and the
 * site order depend on it), an ICU one included, whose libc collation
 * still reads C.UTF-8. */
static void test_pg_collation(void)
{
	const char *base = getenv("RUHU_TEST_PG");
	if (!srv.pg || !base) return;
	char out[4096];
	t_case("a PostgreSQL database that sorts by ICU is refused, naming the collation and how to make one");
	if (run_cmd(out, sizeof out, "psql -X -q -v ON_ERROR_STOP=1 '%s/postgres' -c \"CREATE DATABASE ruhu_icu TEMPLATE "
		    "template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'und'\" 2>&1", base) != 0) {
		fprintf(stderr, "  (this PostgreSQL cannot make an ICU database: %s)\n", out);
		return;
	}
	CHECK(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Icu@2026x' %s init --db '%s/ruhu_icu' --tenant icu "
		      "--name ICU --kind gas --admin icu.admin 2>&1", bin, base) != 0);
	CHECK(strstr(out, "(ICU)") != NULL && strstr(out, "--locale=C.UTF-8") != NULL);
	CHECK_INT(run_cmd(out, sizeof out, "psql -X -q -At '%s/ruhu_icu' -c \"SELECT count(*) FROM pg_tables WHERE "
			  "schemaname = 'public'\" 2>&1", base), 0);
	CHECK_STR(out, "0\n");	/* nothing written */
}

static void test_login(void)
{
	struct client c;
	struct resp r;
	client_init(&c, &srv);
	t_case("X2 a protected route without a session is 401");
	CHECK_INT(req(&c, "GET", "/api/v1/users", NULL, &r), 401);
	CHECK_STR(err_code(&r), "unauthenticated");
	resp_free(&r);

	t_case("a wrong password and an unknown user get the same answer");
	CHECK_INT(req(&c, "POST", "/api/v1/session", "{\"username\":\"gas.admin\",\"password\":\"wrong-pass1\"}", &r), 401);
	char msg1[256];
	snprintf(msg1, sizeof msg1, "%s", err_message(&r));
	CHECK_STR(err_code(&r), "login_failed");
	resp_free(&r);
	CHECK_INT(req(&c, "POST", "/api/v1/session", "{\"username\":\"nobody.here\",\"password\":\"wrong-pass1\"}", &r), 401);
	CHECK_STR(err_message(&r), msg1);
	resp_free(&r);

	t_case("sign-in sets an HttpOnly SameSite=Strict cookie and returns a CSRF token");
	CHECK_INT(req(&c, "POST", "/api/v1/session", "{\"username\":\"gas.admin\",\"password\":\"" PW "\"}", &r), 200);
	CHECK(strstr(r.headers, "Set-Cookie: ruhu_session=") != NULL);
	CHECK(strstr(r.headers, "HttpOnly") != NULL);
	CHECK(strstr(r.headers, "SameSite=Strict") != NULL);
	CHECK(strlen(jstr(r.json, "csrf_token")) == 43);
	CHECK_STR(jstr(json_object_get(r.json, "tenant"), "code"), "demo-gas");
	CHECK(json_array_size(json_object_get(r.json, "permissions")) > 10);
	resp_free(&r);
	t_case("the session answers with the user and tenant");
	CHECK_INT(req(&c, "GET", "/api/v1/session", NULL, &r), 200);
	CHECK_STR(jstr(json_object_get(r.json, "user"), "username"), "gas.admin");
	resp_free(&r);
	t_case("a forged cookie is refused");
	struct client f;
	client_init(&f, &srv);
	f.extra = "Cookie: ruhu_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	CHECK_INT(req(&f, "GET", "/api/v1/session", NULL, &r), 401);
	resp_free(&r);
	client_free(&f);
	client_free(&c);
}

/* A request that fits the route well enough to get past validation for
 * the roles that may call it: placeholder id 1, an empty JSON body. */
static long call_route(struct client *c, const struct route *rt, struct resp *r)
{
	char path[256];
	const char *p = rt->path, *colon = strchr(p, ':');
	if (colon) {
		size_t pre = (size_t)(colon - p);
		const char *rest = strchr(colon, '/');
		snprintf(path, sizeof path, "%.*s%s%s", (int)pre, p, strstr(p, "calendar") ? "2026" : "1", rest ? rest : "");
	} else {
		snprintf(path, sizeof path, "%s", p);
	}
	int write = strcmp(rt->method, "GET") != 0;
	return req(c, rt->method, path, write && strcmp(rt->method, "DELETE") != 0 ? "{}" : NULL, r);
}

static void test_role_table(void)
{
	struct client clients[ROLE__COUNT];
	for (int role = 0; role < ROLE__COUNT; role++) {
		char user[64];
		snprintf(user, sizeof user, "gas.%s", role_info(role)->code);
		for (char *q = user; *q; q++)
			if (*q == '_') *q = '-';
		client_init(&clients[role], &srv);
		t_case("X2 the demo login for role %s signs in", role_info(role)->code);
		CHECK_INT(login(&clients[role], user, PW), 200);
	}
	int64_t audit0, users0;
	counts(&audit0, &users0);
	int64_t logins0 = audit_total("&action=login") + audit_total("&action=logout");
	for (size_t i = 0; i < rh_routes_count; i++) {
		const struct route *rt = &rh_routes[i];
		if (rt->flags & R_PUBLIC) continue;
		for (int role = 0; role < ROLE__COUNT; role++) {
			int allowed = (rt->roles & RH_ROLE(role)) != 0;
			t_case("X2 %s %s as %s is %s", rt->method, rt->path, role_info(role)->code,
			       allowed ? "allowed" : "forbidden (403)");
			struct resp r;
			long s = call_route(&clients[role], rt, &r);
			if (allowed) {
				CHECK(s != 403 && s != 401 && s > 0 && s < 500);
			} else {
				CHECK_INT(s, 403);
				CHECK_STR(err_code(&r), "forbidden");
			}
			resp_free(&r);
			if (allowed && strcmp(rt->method, "DELETE") == 0 && strcmp(rt->path, "/api/v1/session") == 0) {
				char user[64];
				snprintf(user, sizeof user, "gas.%s", role_info(role)->code);
				for (char *q = user; *q; q++)
					if (*q == '_') *q = '-';
				login(&clients[role], user, PW);	/* signed out by the call: back in */
			}
		}
	}
	int64_t audit1, users1;
	counts(&audit1, &users1);
	t_case("X2 denied and invalid calls wrote nothing but sign-ins and sign-outs");
	CHECK_INT(users1, users0);
	int64_t logins = audit_total("&action=login") + audit_total("&action=logout");
	CHECK_INT(audit1 - logins, audit0 - logins0);
	for (int role = 0; role < ROLE__COUNT; role++) client_free(&clients[role]);
}

static void test_csrf(void)
{
	struct client c;
	struct resp r;
	client_init(&c, &srv);
	login(&c, "gas.admin", PW);
	char token[64];
	snprintf(token, sizeof token, "%s", c.csrf);
	const char *body = "{\"username\":\"csrf.victim\",\"display_name\":\"x\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}";

	t_case("X6 a write without the CSRF token is refused (403 csrf)");
	c.csrf[0] = '\0';
	CHECK_INT(req(&c, "POST", "/api/v1/users", body, &r), 403);
	CHECK_STR(err_code(&r), "csrf");
	resp_free(&r);
	t_case("a write with another session's token is refused");
	snprintf(c.csrf, sizeof c.csrf, "%s", admin.csrf);
	CHECK_INT(req(&c, "POST", "/api/v1/users", body, &r), 403);
	resp_free(&r);
	snprintf(c.csrf, sizeof c.csrf, "%s", token);
	t_case("a cross-site request is refused even with the token");
	c.extra = "Sec-Fetch-Site: cross-site";
	CHECK_INT(req(&c, "POST", "/api/v1/users", body, &r), 403);
	resp_free(&r);
	c.extra = NULL;
	t_case("a write that is not JSON is refused (415), as a form post would be");
	c.content_type = "text/plain";
	CHECK_INT(req(&c, "POST", "/api/v1/users", body, &r), 415);
	CHECK_STR(err_code(&r), "unsupported_media_type");
	resp_free(&r);
	t_case("a write with no body needs no JSON label: validated as {} (a missing field named), not 415");
	CHECK_INT(req(&c, "POST", "/api/v1/notifications/read-all", NULL, &r), 200);
	resp_free(&r);
	CHECK_INT(req(&c, "POST", "/api/v1/users", NULL, &r), 400);
	CHECK_STR(err_code(&r), "field_required");
	resp_free(&r);
	c.content_type = "application/json";
	t_case("nothing was created by the refused writes");
	CHECK_INT(req(&admin, "GET", "/api/v1/users?q=csrf.victim", NULL, &r), 200);
	CHECK_INT(jint(r.json, "total"), 0);
	resp_free(&r);
	client_free(&c);
}

static void test_lockout(void)
{
	struct client c;
	struct resp r;
	int64_t id = make_user("lock.me", "[\"service_desk\"]", 0);
	client_init(&c, &srv);
	t_case("four wrong passwords answer login_failed");
	int ok = 1;
	for (int i = 0; i < 4; i++) ok &= login(&c, "lock.me", "Wrong@2026") == 401;
	CHECK(ok);
	t_case("the fifth wrong password locks the account (423)");
	CHECK_INT(req(&c, "POST", "/api/v1/session", "{\"username\":\"lock.me\",\"password\":\"Wrong@2026\"}", &r), 423);
	CHECK_STR(err_code(&r), "account_locked");
	resp_free(&r);
	t_case("while locked even the right password is refused");
	CHECK_INT(login(&c, "lock.me", "Start@2026"), 423);
	t_case("the lock-out is in the audit trail, with the four failures before it");
	char q[128];
	snprintf(q, sizeof q, "/api/v1/audit?entity=user&entity_id=%lld&action=lock", (long long)id);
	CHECK_INT(req(&admin, "GET", q, NULL, &r), 200);
	CHECK_INT(jint(r.json, "total"), 1);
	resp_free(&r);
	snprintf(q, sizeof q, "/api/v1/audit?entity=user&entity_id=%lld&action=login_failed", (long long)id);
	req(&admin, "GET", q, NULL, &r);
	CHECK_INT(jint(r.json, "total"), 4);
	resp_free(&r);
	t_case("an admin lifts the lock and the user signs in");
	char body[64];
	snprintf(body, sizeof body, "{\"version\":%lld}", (long long)user_version(id));
	CHECK_INT(reqf(&admin, "POST", body, "/api/v1/users/%lld/unlock", (long long)id), 200);
	CHECK_INT(login(&c, "lock.me", "Start@2026"), 200);
	t_case("X3 unlocking an account that is not locked, with no failures counted, changes nothing: no version, no entry");
	int64_t v_open = user_version(id);
	snprintf(q, sizeof q, "&entity=user&entity_id=%lld&action=unlock", (long long)id);
	int64_t unlocks = audit_total(q);
	snprintf(body, sizeof body, "{\"version\":%lld}", (long long)v_open);
	CHECK_INT(reqf(&admin, "POST", body, "/api/v1/users/%lld/unlock", (long long)id), 200);
	CHECK_INT(user_version(id), v_open);
	CHECK_INT(audit_total(q), unlocks);
	t_case("X5 a name that is nobody's answers as an account would: 401 four times, then 423 (five tries tell no one which names exist)");
	ok = 1;
	for (int i = 0; i < 4; i++) ok &= login(&c, "no.such.person", "Wrong@2026") == 401;
	CHECK(ok);
	CHECK_INT(req(&c, "POST", "/api/v1/session", "{\"username\":\"no.such.person\",\"password\":\"Wrong@2026\"}", &r), 423);
	CHECK_STR(err_code(&r), "account_locked");
	resp_free(&r);
	CHECK_INT(login(&c, "No.Such.Person", "Wrong@2026"), 423);	/* the same name, as a phone types it */
	CHECK_INT(login(&c, "no.such.other", "Wrong@2026"), 401);
	client_free(&c);
}

static void test_versions(void)
{
	struct resp r;
	int64_t id = make_user("stale.edit", "[\"dispatcher\"]", 0);
	t_case("X3 an update with the current version succeeds and bumps it");
	CHECK_INT(reqf(&admin, "PATCH", "{\"version\":1,\"display_name\":\"第一次\"}", "/api/v1/users/%lld", (long long)id), 200);
	CHECK_INT(user_version(id), 2);
	t_case("X3 a stale version gets 409 with the current version, and changes nothing");
	char path[64];
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)id);
	CHECK_INT(req(&admin, "PATCH", path, "{\"version\":1,\"display_name\":\"覆盖\"}", &r), 409);
	CHECK_STR(err_code(&r), "version_conflict");
	CHECK_INT(jint(json_object_get(r.json, "error"), "current_version"), 2);
	resp_free(&r);
	req(&admin, "GET", path, NULL, &r);
	CHECK_STR(jstr(r.json, "display_name"), "第一次");
	resp_free(&r);
	t_case("X3 the change is audited with before and after");
	reqf(&admin, "GET", NULL, "/api/v1/audit?entity=user&entity_id=%lld&action=update", (long long)id);
	char q[128];
	snprintf(q, sizeof q, "/api/v1/audit?entity=user&entity_id=%lld&action=update", (long long)id);
	req(&admin, "GET", q, NULL, &r);
	json_t *e = json_array_get(json_object_get(r.json, "items"), 0);
	CHECK_INT(jint(r.json, "total"), 1);
	CHECK(strlen(jstr(json_object_get(e, "before"), "display_name")) > 0);
	CHECK_STR(jstr(json_object_get(e, "after"), "display_name"), "第一次");
	CHECK_STR(jstr(e, "actor"), "gas.admin");
	CHECK(strlen(jstr(e, "hash")) == 64);
	resp_free(&r);
	t_case("X3 an update that changes nothing (the version alone, or a field as stored) is 200, not versioned, not audited");
	CHECK_INT(reqf(&admin, "PATCH", "{\"version\":2}", "/api/v1/users/%lld", (long long)id), 200);
	CHECK_INT(reqf(&admin, "PATCH", "{\"version\":2,\"display_name\":\"第一次\"}", "/api/v1/users/%lld", (long long)id), 200);
	CHECK_INT(user_version(id), 2);
	req(&admin, "GET", q, NULL, &r);
	CHECK_INT(jint(r.json, "total"), 1);
	resp_free(&r);
}

struct bad_case {
	const char *what;
	const char *method, *path, *body;
	long status;
	const char *code, *field;
};

static void test_bad_input(void)
{
	static char long_name[400], long_body[600], bad_utf8[128];
	memset(long_name, 0, sizeof long_name);
	for (int i = 0; i < 65; i++) strcat(long_name, "长");
	snprintf(long_body, sizeof long_body, "{\"username\":\"x.long\",\"display_name\":\"%s\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", long_name);
	snprintf(bad_utf8, sizeof bad_utf8, "{\"username\":\"x.utf\",\"display_name\":\"\xC3\x28\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}");
	const struct bad_case cases[] = {
		{ "truncated JSON", "POST", "/api/v1/users", "{\"username\":", 400, "bad_json", NULL },
		{ "a JSON array instead of an object", "POST", "/api/v1/users", "[1,2]", 400, "bad_json", NULL },
		{ "a repeated key", "POST", "/api/v1/users", "{\"username\":\"a.b.c\",\"username\":\"d.e.f\"}", 400, "bad_json", NULL },
		{ "invalid UTF-8", "POST", "/api/v1/users", bad_utf8, 400, "bad_json", NULL },
		{ "a number where text belongs", "POST", "/api/v1/users", "{\"username\":\"x.type\",\"display_name\":5,\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", 400, "field_type", "display_name" },
		{ "a missing required field", "POST", "/api/v1/users", "{\"display_name\":\"无名\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", 400, "field_required", "username" },
		{ "an over-long field (65 characters)", "POST", "/api/v1/users", long_body, 400, "field_too_long", "display_name" },
		{ "an undeclared field", "POST", "/api/v1/users", "{\"username\":\"x.unk\",\"display_name\":\"x\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\",\"is_admin\":true}", 400, "field_unknown", "is_admin" },
		{ "a malformed user name", "POST", "/api/v1/users", "{\"username\":\"Bad Name\",\"display_name\":\"x\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", 400, "field_invalid", "username" },

		{ "an unknown role", "POST", "/api/v1/users", "{\"username\":\"x.role\",\"display_name\":\"x\",\"roles\":[\"king\"],\"password\":\"Start@2026\"}", 400, "field_invalid", "roles" },
		{ "no role at all", "POST", "/api/v1/users", "{\"username\":\"x.role\",\"display_name\":\"x\",\"roles\":[],\"password\":\"Start@2026\"}", 400, "field_required", "roles" },
		{ "a weak password", "POST", "/api/v1/users", "{\"username\":\"x.weak\",\"display_name\":\"x\",\"roles\":[\"auditor\"],\"password\":\"aaaaaaaa\"}", 400, "field_invalid", "password" },
		{ "revealing something that is not revealable", "GET", "/api/v1/users/1?reveal=password_hash", NULL, 400, "field_invalid", "reveal" },
		{ "X3 an audit entity the trail never holds (a typo)", "GET", "/api/v1/audit?entity=bogus", NULL, 400, "field_invalid", "entity" },
		{ "X3 an audit action the trail never holds", "GET", "/api/v1/audit?action=bogus", NULL, 400, "field_invalid", "action" },
		{ "a job kind the scheduler does not run", "GET", "/api/v1/jobs?kind=nope", NULL, 400, "field_invalid", "kind" },
		{ "a control character in a name", "POST", "/api/v1/users", "{\"username\":\"x.ctl\",\"display_name\":\"a\\u0001b\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", 400, "field_invalid", "display_name" },
		{ "a NUL in a name is refused naming the field", "POST", "/api/v1/users", "{\"username\":\"x.nul\",\"display_name\":\"a\\u0000b\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", 400, "field_invalid", "display_name" },
		{ "a NUL in a password is refused naming the field", "POST", "/api/v1/users", "{\"username\":\"x.nul\",\"display_name\":\"ab\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\\u0000x\"}", 400, "field_invalid", "password" },
		{ "a NUL in a role is refused naming the field", "POST", "/api/v1/users", "{\"username\":\"x.nul\",\"display_name\":\"ab\",\"roles\":[\"auditor\\u0000\"],\"password\":\"Start@2026\"}", 400, "field_invalid", "roles" },
		{ "a NUL in a key is not JSON ruhu reads", "POST", "/api/v1/users", "{\"user\\u0000name\":\"x.nul\"}", 400, "bad_json", NULL },
		{ "a bad phone number", "POST", "/api/v1/users", "{\"username\":\"x.tel\",\"display_name\":\"x\",\"phone\":\"call me\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", 400, "field_invalid", "phone" },
		{ "an unknown id", "GET", "/api/v1/users/999999", NULL, 404, "not_found", "id" },
		{ "an update of an unknown id", "PATCH", "/api/v1/users/999999", "{\"version\":1,\"display_name\":\"x\"}", 404, "not_found", "id" },
		{ "an id that is not a number", "GET", "/api/v1/users/abc", NULL, 404, "route_not_found", NULL },
		{ "id zero", "GET", "/api/v1/users/0", NULL, 404, "route_not_found", NULL },
		{ "id zero written twice", "GET", "/api/v1/users/00", NULL, 404, "route_not_found", NULL },
		{ "an id of 19 digits", "GET", "/api/v1/users/1000000000000000000", NULL, 404, "route_not_found", NULL },
		{ "an id of 18 digits is an id", "GET", "/api/v1/users/100000000000000000", NULL, 404, "not_found", "id" },
		{ "an id with a letter after it", "GET", "/api/v1/users/1x", NULL, 404, "route_not_found", NULL },
		{ "an id with a segment after it", "GET", "/api/v1/users/1/x", NULL, 404, "route_not_found", NULL },
		{ "a path with a slash at its end", "GET", "/api/v1/users/", NULL, 404, "route_not_found", NULL },
		{ "an empty id segment", "GET", "/api/v1/users//password", NULL, 404, "route_not_found", NULL },
		{ "a route cut short", "GET", "/api/v1/use", NULL, 404, "route_not_found", NULL },
		{ "a known path with another method", "DELETE", "/api/v1/roles", NULL, 405, "method_not_allowed", NULL },
		{ "a negative version", "PATCH", "/api/v1/users/1", "{\"version\":-3}", 400, "field_range", "version" },
		{ "an undeclared query parameter", "GET", "/api/v1/users?admin=1", NULL, 400, "field_unknown", "admin" },
		{ "a page size of 0", "GET", "/api/v1/users?limit=0", NULL, 400, "field_range", "limit" },
		{ "a page size that is not a number", "GET", "/api/v1/users?limit=ten", NULL, 400, "field_type", "limit" },
		{ "a page size past 64 bits is a number out of range, not of the wrong type", "GET", "/api/v1/users?limit=1000000000000000000000", NULL, 400, "field_range", "limit" },
		{ "an offset past 10,000,000", "GET", "/api/v1/users?offset=10000001", NULL, 400, "field_range", "offset" },
		{ "X4 a calendar year past 2100 is out of range, not missing", "PUT", "/api/v1/calendar/2101", "{\"version\":0,\"csv\":\"date,kind,name\\n2101-01-01,holiday,元旦\\n\"}", 400, "field_range", "year" },
		{ "X1 a building without parent_id lacks a field", "POST", "/api/v1/sites", "{\"kind\":\"building\",\"name\":\"1栋\"}", 400, "field_required", "parent_id" },
		{ "S5 the badge of a worker who does not exist names the id", "GET", "/api/v1/staff/99999/badge", NULL, 404, "not_found", "id" },
		{ "two roles where one is taken", "GET", "/api/v1/users?role=admin,guard", NULL, 400, "field_invalid", "role" },
		{ "an empty role filter (crashed the sanitizer build once)", "GET", "/api/v1/users?role=", NULL, 200, "", NULL },
		{ "a NUL inside a query value", "GET", "/api/v1/users?q=a%00b", NULL, 400, "field_invalid", "q" },
		{ "a NUL inside the path is no end of it (/users/1%00x is not user 1)", "GET", "/api/v1/users/1%00x", NULL, 404, "route_not_found", NULL },
		{ "a NUL inside a number in the query", "GET", "/api/v1/users?limit=5%00", NULL, 400, "field_type", "limit" },
		{ "a % that escapes nothing (q=%zz) is malformed, not searched as written", "GET", "/api/v1/users?q=%zz", NULL, 400, "field_invalid", "q" },
		{ "a % at the end of a query value", "GET", "/api/v1/households?q=12%", NULL, 400, "field_invalid", "q" },
		{ "an unknown sort key", "GET", "/api/v1/users?sort=password_hash", NULL, 400, "field_invalid", "sort" },
		{ "a bad date in a query", "GET", "/api/v1/calendar/working-days?from=2026-02-30&to=2026-03-01", NULL, 400, "field_invalid", "from" },
		{ "a deadline with a negative amount", "GET", "/api/v1/calendar/deadline?amount=-1&unit=hours", NULL, 400, "field_range", "amount" },
		{ "a deadline in an unknown unit", "GET", "/api/v1/calendar/deadline?amount=1&unit=weeks", NULL, 400, "field_invalid", "unit" },
		{ "X4 a deadline that would end past the year 9999 names its start, not the amount", "GET",
		  "/api/v1/calendar/deadline?amount=1&unit=hours&from=9999-12-31T23:30:00", NULL, 400, "field_range", "from" },
		{ "X6 a query parameter with a value and no name is 400 field_unknown naming \"?\"", "GET", "/api/v1/users?=1", NULL, 400,
		  "field_unknown", "?" },
		{ "X4 working days of days more than ten years apart (by the calendar, not 3,660 days)", "GET",
		  "/api/v1/calendar/working-days?from=2026-01-01&to=2036-01-02", NULL, 400, "field_range", "to" },
		{ "a body where none is taken", "GET", "/api/v1/roles", "{\"x\":1}", 400, "field_unknown", "x" },
		{ "X6 33 query parameters, one more than any route takes, are 414 query_too_long", "GET",
		  "/api/v1/users?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17"
		  "&r=18&s=19&t=20&u=21&v=22&w=23&x=24&y=25&z=26&aa=27&ab=28&ac=29&ad=30&ae=31&af=32&ag=33", NULL, 414,
		  "query_too_long", NULL },
	};
	int64_t audit0, users0;
	counts(&audit0, &users0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct bad_case *k = &cases[i];
		t_case("X6 %s → %ld %s%s%s", k->what, k->status, k->code, k->field ? " naming " : "", k->field ? k->field : "");
		struct resp r;
		CHECK_INT(req(&admin, k->method, k->path, k->body, &r), k->status);
		if (k->code[0]) CHECK_STR(err_code(&r), k->code);
		if (k->field) CHECK_STR(err_field(&r), k->field);
		if (k->status >= 400) CHECK(strlen(err_message(&r)) > 0);
		resp_free(&r);
	}
	t_case("X6 a number out of range says the range, in Chinese and in English");
	{
		struct resp rr;
		CHECK_INT(req(&admin, "GET", "/api/v1/users?limit=0", NULL, &rr), 400);
		CHECK(strstr(err_message(&rr), "允许 1 至 200") != NULL);
		resp_free(&rr);
		admin.lang = "en";
		CHECK_INT(req(&admin, "GET", "/api/v1/users?offset=-1", NULL, &rr), 400);
		CHECK(strstr(err_message(&rr), "from 0 to 10000000") != NULL);
		admin.lang = NULL;
		resp_free(&rr);
	}
	t_case("X6 a body over the limit gets 413 before it is read");
	size_t big = 2u << 20;
	char *huge = malloc(big + 1);
	memset(huge, 'a', big);
	huge[big] = '\0';
	struct resp r;
	CHECK_INT(req(&admin, "POST", "/api/v1/users", huge, &r), 413);
	CHECK_STR(err_code(&r), "body_too_large");
	resp_free(&r);
	free(huge);
	t_case("X6 a value that breaks a field's rule is told the rule");
	req(&admin, "POST", "/api/v1/users", "{\"username\":\"x.weak\",\"display_name\":\"x\",\"roles\":[\"auditor\"],\"password\":\"aaaaaaaa\"}", &r);
	CHECK(strstr(err_message(&r), "至少包含两类") != NULL);
	resp_free(&r);
	t_case("X6 errors are in English when the client asks for it");
	admin.lang = "en-US,en;q=0.9";
	req(&admin, "POST", "/api/v1/users", "{\"display_name\":\"x\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", &r);
	CHECK(strstr(err_message(&r), "Missing required field") != NULL);
	resp_free(&r);
	admin.lang = NULL;
	req(&admin, "POST", "/api/v1/users", "{\"display_name\":\"x\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", &r);
	CHECK(strstr(err_message(&r), "缺少必填字段") != NULL);
	CHECK(strstr(err_message(&r), "用户名") != NULL);
	resp_free(&r);
	int64_t audit1, users1;
	counts(&audit1, &users1);
	t_case("X6 none of the bad requests wrote anything");
	CHECK_INT(audit1, audit0);
	CHECK_INT(users1, users0);
	t_case("X6 the server is still healthy after the bad input");
	CHECK_INT(reqf(&admin, "GET", NULL, "/healthz"), 200);
}

static void test_users(void)
{
	struct resp r;
	t_case("an admin creates an account (201) with must_change_password");
	int64_t id = make_user("new.auditor", "[\"auditor\"]", 1);
	CHECK(id > 0);
	t_case("the list filters by text, role and status and reports the total");
	CHECK_INT(req(&admin, "GET", "/api/v1/users?q=new.aud&role=auditor&status=active", NULL, &r), 200);
	CHECK_INT(jint(r.json, "total"), 1);
	resp_free(&r);
	t_case("the list pages and sorts");
	req(&admin, "GET", "/api/v1/users?limit=3&offset=2&sort=username&order=desc", NULL, &r);
	CHECK_INT(json_array_size(json_object_get(r.json, "items")), 3);
	CHECK(jint(r.json, "total") > 10);
	json_t *items = json_object_get(r.json, "items");
	CHECK(strcmp(jstr(json_array_get(items, 0), "username"), jstr(json_array_get(items, 1), "username")) > 0);
	resp_free(&r);
	t_case("display names sort in pinyin order: by their GB18030 bytes, not by code point");
	CHECK_INT(req(&admin, "GET", "/api/v1/users?sort=display_name&limit=100", NULL, &r), 200);
	items = json_object_get(r.json, "items");
	{
		int in_order = 1, by_code_point = 1;
		for (size_t i = 1; i < json_array_size(items); i++) {
			const char *a = jstr(json_array_get(items, i - 1), "display_name"),
				   *b = jstr(json_array_get(items, i), "display_name");
			in_order &= gb18030_cmp(a, b) <= 0;
			by_code_point &= strcmp(a, b) <= 0;
		}
		CHECK(json_array_size(items) > 10);
		CHECK(in_order);
		CHECK(!by_code_point);	/* the demo's names tell the two orders apart */
	}
	resp_free(&r);

	struct client u;
	client_init(&u, &srv);
	t_case("a user who must change the password may do nothing else first");
	CHECK_INT(login(&u, "new.auditor", "Start@2026"), 200);
	CHECK_INT(req(&u, "GET", "/api/v1/audit", NULL, &r), 403);
	CHECK_STR(err_code(&r), "password_change_required");
	resp_free(&r);
	t_case("a wrong current password is refused, naming the field");
	CHECK_INT(req(&u, "PUT", "/api/v1/session/password", "{\"current_password\":\"Nope@2026\",\"new_password\":\"Mine@2026x\"}", &r), 400);
	CHECK_STR(err_field(&r), "current_password");
	CHECK(strstr(err_message(&r), "当前密码不正确") != NULL);
	resp_free(&r);
	t_case("the new password must differ from the current one");
	CHECK_INT(req(&u, "PUT", "/api/v1/session/password", "{\"current_password\":\"Start@2026\",\"new_password\":\"Start@2026\"}", &r), 400);
	CHECK_STR(err_field(&r), "new_password");
	resp_free(&r);
	t_case("after changing it, the user works normally");
	CHECK_INT(req(&u, "PUT", "/api/v1/session/password", "{\"current_password\":\"Start@2026\",\"new_password\":\"Mine@2026x\"}", &r), 200);
	resp_free(&r);
	CHECK_INT(reqf(&u, "GET", NULL, "/api/v1/audit"), 200);

	t_case("X5 phone numbers are masked in the admin's list and in answers to changes");
	char body[128];
	snprintf(body, sizeof body, "{\"version\":%lld,\"phone\":\"13800138000\"}", (long long)user_version(id));
	char path[64];
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)id);
	CHECK_INT(req(&admin, "PATCH", path, body, &r), 200);
	CHECK_STR(jstr(r.json, "phone"), "138****8000");
	resp_free(&r);
	req(&admin, "GET", "/api/v1/users?q=new.auditor", NULL, &r);
	CHECK_STR(jstr(json_array_get(json_object_get(r.json, "items"), 0), "phone"), "138****8000");
	resp_free(&r);
	t_case("X5 the account's page shows the phone masked until the admin asks to see it");
	snprintf(body, sizeof body, "/api/v1/audit?action=view_personal&entity_id=%lld", (long long)id);
	req(&admin, "GET", body, NULL, &r);
	int64_t views0 = jint(r.json, "total");
	resp_free(&r);
	req(&admin, "GET", path, NULL, &r);
	CHECK_STR(jstr(r.json, "phone"), "138****8000");
	resp_free(&r);
	req(&admin, "GET", body, NULL, &r);
	CHECK_INT(jint(r.json, "total"), views0);
	resp_free(&r);
	t_case("X5 asking for the full number shows it, and the view is audited");
	char reveal[96];
	snprintf(reveal, sizeof reveal, "%s?reveal=phone", path);
	req(&admin, "GET", reveal, NULL, &r);
	CHECK_STR(jstr(r.json, "phone"), "13800138000");
	resp_free(&r);
	req(&admin, "GET", body, NULL, &r);
	CHECK_INT(jint(r.json, "total"), views0 + 1);
	json_t *view = json_array_get(json_object_get(r.json, "items"), 0);
	CHECK_STR(jstr(json_object_get(view, "after"), "fields"), "phone");
	CHECK_STR(jstr(view, "actor"), "gas.admin");
	resp_free(&r);
	t_case("X5 the audit trail keeps the phone masked");
	snprintf(body, sizeof body, "/api/v1/audit?action=update&entity_id=%lld&limit=1", (long long)id);
	req(&admin, "GET", body, NULL, &r);
	CHECK(r.body && strstr(r.body, "13800138000") == NULL && strstr(r.body, "138****8000") != NULL);
	resp_free(&r);
	t_case("X3 X5 the phone corrected in its masked middle: the audit entry's two sides differ (a keyed tag), neither in full");
	snprintf(body, sizeof body, "{\"version\":%lld,\"phone\":\"13899998000\"}", (long long)user_version(id));
	CHECK_INT(req(&admin, "PATCH", path, body, &r), 200);
	resp_free(&r);
	snprintf(body, sizeof body, "/api/v1/audit?action=update&entity_id=%lld&limit=1", (long long)id);
	req(&admin, "GET", body, NULL, &r);
	{
		json_t *e = json_array_get(json_object_get(r.json, "items"), 0);
		const char *was = jstr(json_object_get(e, "before"), "phone"), *is = jstr(json_object_get(e, "after"), "phone");
		CHECK(was && is && strncmp(was, "138****8000 #", 13) == 0 && strncmp(is, "138****8000 #", 13) == 0 &&
		      strcmp(was, is) != 0);
		CHECK(strstr(r.body, "13899998000") == NULL);
	}
	resp_free(&r);
	t_case("X5 a manager sees no phone at all, in the list or on the page");
	struct client m;
	client_init(&m, &srv);
	login(&m, "gas.manager", PW);
	req(&m, "GET", path, NULL, &r);
	CHECK_INT(r.status, 200);
	CHECK(json_object_get(r.json, "phone") == NULL);
	resp_free(&r);
	req(&m, "GET", "/api/v1/users?q=new.auditor", NULL, &r);
	CHECK(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "phone") == NULL);
	resp_free(&r);
	CHECK_INT(req(&m, "GET", reveal, NULL, &r), 403);
	resp_free(&r);
	t_case("X5 … and 403 for reveal=phone on an account without a phone too: the answer does not tell which have one");
	int64_t nophone = make_user("no.phone", "[\"dispatcher\"]", 0);
	CHECK(nophone > 0);
	CHECK_INT(reqf(&m, "GET", NULL, "/api/v1/users/%lld?reveal=phone", (long long)nophone), 403);
	struct client au;
	client_init(&au, &srv);
	login(&au, "gas.auditor", PW);
	CHECK_INT(reqf(&au, "GET", NULL, "/api/v1/users/%lld?reveal=phone", (long long)nophone), 403);
	CHECK_INT(reqf(&au, "GET", NULL, "/api/v1/users/%lld?reveal=phone", (long long)id), 403);
	client_free(&au);
	t_case("X5 an admin's reveal of an account without a phone answers phone null, and audits nothing (nothing shown)");
	snprintf(body, sizeof body, "/api/v1/users/%lld?reveal=phone", (long long)nophone);
	CHECK_INT(req(&admin, "GET", body, NULL, &r), 200);
	CHECK(json_is_null(json_object_get(r.json, "phone")));
	resp_free(&r);
	snprintf(body, sizeof body, "&action=view_personal&entity_id=%lld", (long long)nophone);
	CHECK_INT(audit_total(body), 0);
	client_free(&m);

	t_case("disabling an account ends its sessions at once");
	snprintf(body, sizeof body, "{\"version\":%lld,\"status\":\"disabled\",\"reason\":\"离职\"}", (long long)user_version(id));
	CHECK_INT(reqf(&admin, "PATCH", body, "/api/v1/users/%lld", (long long)id), 200);
	CHECK_INT(reqf(&u, "GET", NULL, "/api/v1/session"), 401);
	t_case("a disabled account cannot sign in");
	CHECK_INT(login(&u, "new.auditor", "Mine@2026x"), 403);
	t_case("X3 the reason given is in the audit entry");
	snprintf(path, sizeof path, "/api/v1/audit?entity=user&entity_id=%lld&action=disable", (long long)id);
	req(&admin, "GET", path, NULL, &r);
	CHECK_STR(jstr(json_array_get(json_object_get(r.json, "items"), 0), "reason"), "离职");
	resp_free(&r);
	t_case("enabled again and given a new password by the admin, the user signs in");
	snprintf(body, sizeof body, "{\"version\":%lld,\"status\":\"active\"}", (long long)user_version(id));
	CHECK_INT(reqf(&admin, "PATCH", body, "/api/v1/users/%lld", (long long)id), 200);
	snprintf(body, sizeof body, "{\"version\":%lld,\"password\":\"Reset@2026\",\"must_change_password\":false}", (long long)user_version(id));
	CHECK_INT(reqf(&admin, "PUT", body, "/api/v1/users/%lld/password", (long long)id), 200);
	CHECK_INT(login(&u, "new.auditor", "Reset@2026"), 200);
	t_case("an admin cannot disable their own account");
	struct resp me;
	req(&admin, "GET", "/api/v1/session", NULL, &me);
	int64_t my_id = jint(json_object_get(me.json, "user"), "id");
	resp_free(&me);
	snprintf(body, sizeof body, "{\"version\":%lld,\"status\":\"disabled\"}", (long long)user_version(my_id));
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)my_id);
	CHECK_INT(req(&admin, "PATCH", path, body, &r), 409);
	CHECK_STR(err_code(&r), "self_lockout");
	resp_free(&r);
	t_case("signing out ends the session");
	CHECK_INT(reqf(&u, "DELETE", NULL, "/api/v1/session"), 204);
	CHECK_INT(reqf(&u, "GET", NULL, "/api/v1/session"), 401);
	client_free(&u);
}

static void test_tenants(void)
{
	struct client p;
	struct resp r;
	client_init(&p, &srv);
	login(&p, "prop.admin", PW);
	t_case("X1 another organisation's account is invisible (404), even by id");
	CHECK_INT(req(&p, "GET", "/api/v1/users/1", NULL, &r), 404);
	resp_free(&r);
	t_case("X1 another organisation's account cannot be changed");
	CHECK_INT(req(&p, "PATCH", "/api/v1/users/1", "{\"version\":1,\"display_name\":\"入侵\"}", &r), 404);
	resp_free(&r);
	t_case("X1 lists show only the caller's organisation");
	req(&p, "GET", "/api/v1/users?limit=200", NULL, &r);
	int only_prop = 1;
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(r.json, "items"), i, u) only_prop &= strncmp(jstr(u, "username"), "prop.", 5) == 0;
	CHECK(only_prop);
	CHECK_INT(jint(r.json, "total"), ROLE__COUNT);
	resp_free(&r);
	t_case("X1 the audit trail shows only the caller's organisation");
	req(&p, "GET", "/api/v1/audit?actor=gas.admin", NULL, &r);
	CHECK_INT(jint(r.json, "total"), 0);
	resp_free(&r);
	t_case("X1 a tenant admin renames only their own organisation");
	req(&p, "GET", "/api/v1/tenant", NULL, &r);
	char body[128];
	snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"宜居物业（改名）\"}", (long long)jint(r.json, "version"));
	resp_free(&r);
	CHECK_INT(req(&p, "PATCH", "/api/v1/tenant", body, &r), 200);
	CHECK_STR(jstr(r.json, "code"), "demo-property");
	int64_t renamed_version = jint(r.json, "version");
	resp_free(&r);
	t_case("X3 the same name again changes nothing: the same version, no audit entry");
	req(&p, "GET", "/api/v1/audit?entity=tenant&limit=1", NULL, &r);
	int64_t tenant_entries = jint(r.json, "total");
	resp_free(&r);
	snprintf(body, sizeof body, "{\"version\":%lld,\"name\":\"宜居物业（改名）\"}", (long long)renamed_version);
	CHECK_INT(req(&p, "PATCH", "/api/v1/tenant", body, &r), 200);
	CHECK_INT(jint(r.json, "version"), renamed_version);
	resp_free(&r);
	req(&p, "GET", "/api/v1/audit?entity=tenant&limit=1", NULL, &r);
	CHECK_INT(jint(r.json, "total"), tenant_entries);
	resp_free(&r);
	req(&admin, "GET", "/api/v1/tenant", NULL, &r);
	CHECK_STR(jstr(r.json, "code"), "demo-gas");
	CHECK(strstr(jstr(r.json, "name"), "改名") == NULL);
	resp_free(&r);
	client_free(&p);
}

static void test_calendar(void)
{
	struct resp r;
	t_case("X4 the 2026 schedule ships: known, 248 working days, National Day a holiday");
	CHECK_INT(req(&admin, "GET", "/api/v1/calendar/2026", NULL, &r), 200);
	CHECK(json_is_true(json_object_get(r.json, "known")));
	CHECK_INT(jint(r.json, "working_days"), 248);
	int found = 0;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(r.json, "days"), i, d)
		found |= strcmp(jstr(d, "date"), "2026-10-01") == 0 && strcmp(jstr(d, "kind"), "holiday") == 0;
	CHECK(found);
	resp_free(&r);
	t_case("X4 1 working day from 2026-09-30 15:00 is due at the end of 2026-10-08");
	CHECK_INT(req(&admin, "GET", "/api/v1/calendar/deadline?from=2026-09-30T15:00:00%2B08:00&amount=1&unit=working_days", NULL, &r), 200);
	CHECK_STR(jstr(r.json, "due"), "2026-10-08T23:59:59+08:00");
	CHECK(json_is_false(json_object_get(r.json, "uncertain")));
	resp_free(&r);
	t_case("X4 48 hours are wall-clock time");
	req(&admin, "GET", "/api/v1/calendar/deadline?from=2026-09-30T15:00:00%2B08:00&amount=48&unit=hours", NULL, &r);
	CHECK_STR(jstr(r.json, "due"), "2026-10-02T15:00:00+08:00");
	resp_free(&r);
	t_case("X4 a deadline from a plain date starts at its local midnight (the docs' \"or a date\")");
	CHECK_INT(req(&admin, "GET", "/api/v1/calendar/deadline?from=2026-09-30&amount=48&unit=hours", NULL, &r), 200);
	CHECK_STR(jstr(r.json, "from"), "2026-09-30T00:00:00+08:00");
	CHECK_STR(jstr(r.json, "due"), "2026-10-02T00:00:00+08:00");
	resp_free(&r);
	CHECK_INT(req(&admin, "GET", "/api/v1/calendar/deadline?from=2026-09-30&amount=1&unit=working_days", NULL, &r), 200);
	CHECK_STR(jstr(r.json, "due"), "2026-10-08T23:59:59+08:00");
	resp_free(&r);
	t_case("X6 a date that does not exist is still refused naming from");
	CHECK_INT(req(&admin, "GET", "/api/v1/calendar/deadline?from=2026-02-30&amount=1&unit=hours", NULL, &r), 400);
	CHECK_STR(err_field(&r), "from");
	resp_free(&r);
	t_case("X4 working days between two dates: 2026-09-30 to 10-12 holds the National Day week and its 调休");
	CHECK_INT(req(&admin, "GET", "/api/v1/calendar/working-days?from=2026-09-30&to=2026-10-12", NULL, &r), 200);
	CHECK_INT(jint(r.json, "working_days"), 4);
	resp_free(&r);
	t_case("X6 a user name of two Chinese characters is too short, and the message gives the rule (lower-case letters…)");
	CHECK_INT(req(&admin, "POST", "/api/v1/users",
		      "{\"username\":\"张三\",\"display_name\":\"x\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", &r), 400);
	CHECK_STR(err_code(&r), "field_too_short");
	CHECK(strstr(err_message(&r), "存为小写") != NULL);
	CHECK_STR(jstr(json_object_get(r.json, "error"), "detail"), USERNAME_RULE_ZH);	/* the rule alone, for the form */
	resp_free(&r);
	t_case("X6 a user name typed with capitals (a phone's keyboard) is kept in lower case, and signs in as typed");
	{
		int64_t id = make_user("Cap.Tester", "[\"auditor\"]", 0);
		CHECK(id > 0);
		char path[64];
		snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)id);
		CHECK_INT(req(&admin, "GET", path, NULL, &r), 200);
		CHECK_STR(jstr(r.json, "username"), "cap.tester");
		resp_free(&r);
		struct client cap;
		client_init(&cap, &srv);
		CHECK_INT(login(&cap, "CAP.tester", "Start@2026"), 200);
		CHECK_INT(req(&cap, "GET", "/api/v1/session", NULL, &r), 200);
		CHECK_STR(jstr(json_object_get(r.json, "user"), "username"), "cap.tester");
		resp_free(&r);
		CHECK_INT(login(&cap, "ｃａｐ．ｔｅｓｔｅｒ", "Start@2026"), 200);	/* full-width, as an input method types it */
		client_free(&cap);
		CHECK_INT(req(&admin, "POST", "/api/v1/users",
			      "{\"username\":\"cap.TESTER\",\"display_name\":\"x\",\"roles\":[\"auditor\"],\"password\":\"Start@2026\"}", &r), 409);
		resp_free(&r);
	}
	t_case("X6 empty separators in a query (?&&) are nothing, not an unknown parameter");
	CHECK_INT(req(&admin, "GET", "/api/v1/users?&&limit=2&&", NULL, &r), 200);
	CHECK_INT(json_array_size(json_object_get(r.json, "items")), 2);
	resp_free(&r);
	t_case("X4 days exactly ten years apart are counted: about five in seven, the unknown years flagged uncertain");
	CHECK_INT(req(&admin, "GET", "/api/v1/calendar/working-days?from=2026-01-01&to=2036-01-01", NULL, &r), 200);
	{
		int64_t n = jint(r.json, "working_days");
		if (!CHECK(n > 2450 && n <= 2610)) fprintf(stderr, "    working_days %lld\n", (long long)n);
	}
	CHECK(json_is_true(json_object_get(r.json, "uncertain")));
	resp_free(&r);
	/* The year past the shipped schedule: 2027 while data/cn_holidays.csv
	 * ends with 2026, and the next one once a year is added there. */
	int last = 0;
	req(&admin, "GET", "/api/v1/calendar/years", NULL, &r);
	json_array_foreach(json_object_get(r.json, "items"), i, d)
		if (json_is_true(json_object_get(d, "shipped")) && jint(d, "year") > last) last = (int)jint(d, "year");
	resp_free(&r);
	int next = last + 1;
	char path[64], body[256], deadline[160];
	snprintf(path, sizeof path, "/api/v1/calendar/%d", next);
	snprintf(deadline, sizeof deadline, "/api/v1/calendar/deadline?from=%d-12-30T09:00:00%%2B08:00&amount=5&unit=working_days", last);
	t_case("X4 a deadline running into the year after the shipped schedule (%d) is flagged uncertain", next);
	CHECK(last >= 2026);
	req(&admin, "GET", deadline, NULL, &r);
	CHECK(json_is_true(json_object_get(r.json, "uncertain")));
	resp_free(&r);
	t_case("X4 a bad schedule file is refused with its line, nothing imported");
	snprintf(body, sizeof body, "{\"version\":0,\"csv\":\"date,kind,name\\n%d-01-01,holiday,元旦\\n%d-01-04,workday,错\\n\"}", next, next);
	CHECK_INT(req(&admin, "PUT", path, body, &r), 400);
	CHECK_INT(jint(json_object_get(r.json, "error"), "line"), 3);
	CHECK_STR(err_field(&r), "csv");
	resp_free(&r);
	req(&admin, "GET", path, NULL, &r);
	CHECK(json_is_false(json_object_get(r.json, "known")));
	resp_free(&r);
	t_case("X4 a file with days of another year is refused");
	snprintf(body, sizeof body, "{\"version\":0,\"csv\":\"date,kind,name\\n%d-01-01,holiday,元旦\\n\"}", next + 1);
	CHECK_INT(req(&admin, "PUT", path, body, &r), 400);
	resp_free(&r);
	t_case("X4 a non-admin cannot import");
	struct client m;
	client_init(&m, &srv);
	login(&m, "gas.manager", PW);
	snprintf(body, sizeof body, "{\"version\":0,\"csv\":\"date,kind,name\\n%d-01-01,holiday,元旦\\n\"}", next);
	CHECK_INT(reqf(&m, "PUT", body, "%s", path), 403);
	client_free(&m);
	t_case("X4 a file with no days is refused: the year would look known without a holiday");
	CHECK_INT(req(&admin, "PUT", path, "{\"version\":0,\"csv\":\"date,kind,name\\n\"}", &r), 400);
	CHECK_STR(err_field(&r), "csv");
	resp_free(&r);
	t_case("X4 an admin imports %d and deadlines into it become certain", next);
	snprintf(body, sizeof body, "{\"version\":0,\"csv\":\"date,kind,name\\n%d-01-01,holiday,元旦\\n\",\"reason\":\"国办发明电\"}", next);
	CHECK_INT(req(&admin, "PUT", path, body, &r), 200);
	resp_free(&r);
	t_case("X3 X4 an import that did not see the last one is refused (409)");
	snprintf(body, sizeof body, "{\"version\":0,\"csv\":\"date,kind,name\\n%d-01-01,holiday,元旦\\n\"}", next);
	CHECK_INT(req(&admin, "PUT", path, body, &r), 409);
	CHECK_STR(err_code(&r), "version_conflict");
	resp_free(&r);
	req(&admin, "GET", path, NULL, &r);
	CHECK_INT(jint(r.json, "version"), 1);
	resp_free(&r);
	{
		/* Five working days after 30 December: 31 December if a weekday
		 * (no notice has made it a holiday), then the weekdays of the new
		 * year but its 1 January, the one holiday imported. */
		rh_day day = date_from_ymd(last, 12, 30);
		char want[32];
		for (int left = 5; left > 0;) {
			day++;
			if (date_weekday(day) <= 5 && day != date_from_ymd(next, 1, 1)) left--;
		}
		date_format(day, want);
		strcat(want, "T23:59:59+08:00");
		req(&admin, "GET", deadline, NULL, &r);
		CHECK(json_is_false(json_object_get(r.json, "uncertain")));
		CHECK_STR(jstr(r.json, "due"), want);
		resp_free(&r);
	}
	t_case("X1 X4 the import applies to the importing organisation only");
	struct client p;
	client_init(&p, &srv);
	login(&p, "prop.admin", PW);
	req(&p, "GET", path, NULL, &r);
	CHECK(json_is_false(json_object_get(r.json, "known")));
	resp_free(&r);
	t_case("X3 X4 an organisation's first schedule of a year the official one covers is audited with the official days as before");
	CHECK_INT(req(&p, "PUT", "/api/v1/calendar/2024", "{\"version\":0,\"csv\":\"date,kind,name\\n2024-01-01,holiday,元旦\\n\"}", &r), 200);
	resp_free(&r);
	req(&p, "GET", "/api/v1/audit?entity=calendar_year&entity_id=2024&action=import&limit=1", NULL, &r);
	{
		json_t *was = json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "before");
		CHECK_STR(jstr(was, "schedule"), "official");
		CHECK(json_array_size(json_object_get(was, "days")) > 30);	/* the State Council's 2024 notice */
	}
	resp_free(&r);
	t_case("X3 X4 … and a second one with the organisation's own as before");
	CHECK_INT(req(&p, "PUT", "/api/v1/calendar/2024", "{\"version\":1,\"csv\":\"date,kind,name\\n2024-01-01,holiday,元旦\\n2024-05-01,holiday,劳动节\\n\"}", &r), 200);
	resp_free(&r);
	req(&p, "GET", "/api/v1/audit?entity=calendar_year&entity_id=2024&action=import&limit=1", NULL, &r);
	CHECK_STR(jstr(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "before"), "schedule"), "organisation");
	CHECK_INT(json_array_size(json_object_get(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "before"), "days")), 1);
	resp_free(&r);
	client_free(&p);
	t_case("X4 the years say which schedule is the one shipped (its source named by the UI in either language)");
	req(&admin, "GET", "/api/v1/calendar/years", NULL, &r);
	int shipped_last = -1, shipped_next = -1;
	json_array_foreach(json_object_get(r.json, "items"), i, d) {
		json_t *s = json_object_get(d, "shipped");
		if (jint(d, "year") == last) shipped_last = json_is_true(s) ? 1 : json_is_false(s) ? 0 : -1;
		if (jint(d, "year") == next) shipped_next = json_is_true(s) ? 1 : json_is_false(s) ? 0 : -1;
	}
	CHECK_INT(shipped_last, 1);
	CHECK_INT(shipped_next, 0);
	resp_free(&r);
	t_case("X3 the import is audited");
	req(&admin, "GET", "/api/v1/audit?entity=calendar_year&action=import", NULL, &r);
	CHECK_INT(jint(r.json, "total"), 1);
	resp_free(&r);
	t_case("X7 an audit entry longer than an Excel cell exports as CSV, and as XLSX is refused naming format, not as"
	       " the server's fault");
	/* 2040 (a leap year no test imports otherwise) a holiday every day,
	 * each named with 32 backslashes, which the entry's JSON doubles:
	 * 366 × 110 characters in one cell */
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct buf b = BUF_INIT(1 << 20);
	buf_puts(&b, "{\"version\":0,\"csv\":\"date,kind,name\\n");
	for (int mo = 0; mo < 12; mo++)
		for (int day = 1; day <= mdays[mo]; day++) {
			buf_printf(&b, "2040-%02d-%02d,holiday,", mo + 1, day);
			for (int k = 0; k < 32; k++) buf_puts(&b, "\\\\");
			buf_puts(&b, "\\n");
		}
	buf_puts(&b, "\"}");
	CHECK_INT(req(&admin, "PUT", "/api/v1/calendar/2040", buf_str(&b), &r), 200);
	resp_free(&r);
	buf_release(&b);
	CHECK_INT(req(&admin, "GET", "/api/v1/audit?entity=calendar_year&format=csv", NULL, &r), 200);
	t_case("X3 the audit export names actions and records in the reader's words, its times as a spreadsheet takes them");
	CHECK(r.body && strstr(r.body, ",节假日安排,") != NULL && strstr(r.body, ",calendar_year,") == NULL);
	{
		/* the second line's time: "2026-12-07 19:23:32", no T, no zone */
		const char *line = r.body ? strchr(r.body, '\n') : NULL;
		const char *at = line ? strchr(line, ',') : NULL;
		CHECK(at && strlen(at) > 20 && at[11] == ' ' && at[20] == ',');
	}
	resp_free(&r);
	CHECK_INT(req(&admin, "GET", "/api/v1/audit?entity=calendar_year&format=xlsx", NULL, &r), 400);
	CHECK_STR(err_code(&r), "field_invalid");
	CHECK_STR(err_field(&r), "format");
	CHECK(strstr(err_message(&r), "csv") != NULL);
	resp_free(&r);
	CHECK_INT(req(&admin, "GET", "/api/v1/audit?entity=calendar_year&action=import&to=2000-01-01&format=xlsx", NULL, &r),
		  200);	/* without that entry */
	resp_free(&r);
}

static void test_jobs(void)
{
	struct resp r;
	int64_t id = 0, version = 0;
	t_case("the scheduler keeps each tenant's recurring jobs queued");
	for (int tries = 0; tries < 100 && !id; tries++) {
		req(&admin, "GET", "/api/v1/jobs?state=pending&kind=audit.verify", NULL, &r);
		json_t *j = json_array_get(json_object_get(r.json, "items"), 0);
		if (j) {
			id = jint(j, "id");
			version = jint(j, "version");
		}
		resp_free(&r);
		if (!id) usleep(100000);
	}
	CHECK(id > 0);
	t_case("a finished housekeeping run reports what it did");
	int done = 0;
	for (int tries = 0; tries < 100 && !done; tries++) {
		req(&admin, "GET", "/api/v1/jobs?state=done&kind=audit.verify", NULL, &r);
		json_t *j = json_array_get(json_object_get(r.json, "items"), 0);
		done = j && strstr(jstr(j, "result"), "审计链完整") != NULL;
		resp_free(&r);
		if (!done) usleep(100000);
	}
	CHECK(done);
	t_case("a job's outcome is told in the reader's language");
	admin.lang = "en";
	req(&admin, "GET", "/api/v1/jobs?state=done&kind=audit.verify", NULL, &r);
	CHECK(strstr(jstr(json_array_get(json_object_get(r.json, "items"), 0), "result"), "audit chain intact") != NULL);
	resp_free(&r);
	admin.lang = NULL;
	char body[64], path[64];
	snprintf(path, sizeof path, "/api/v1/jobs/%lld/cancel", (long long)id);
	t_case("a stale version cannot cancel a job");
	snprintf(body, sizeof body, "{\"version\":%lld}", (long long)version + 5);
	CHECK_INT(req(&admin, "POST", path, body, &r), 409);
	resp_free(&r);
	t_case("an admin cancels a pending job");
	snprintf(body, sizeof body, "{\"version\":%lld,\"reason\":\"测试\"}", (long long)version);
	CHECK_INT(req(&admin, "POST", path, body, &r), 200);
	CHECK_STR(jstr(r.json, "state"), "cancelled");
	version = jint(r.json, "version");
	resp_free(&r);
	t_case("a cancelled job cannot be cancelled again (409 invalid_state)");
	snprintf(body, sizeof body, "{\"version\":%lld}", (long long)version);
	CHECK_INT(req(&admin, "POST", path, body, &r), 409);
	CHECK_STR(err_code(&r), "invalid_state");
	resp_free(&r);
	t_case("an admin retries it, and it is pending again");
	snprintf(path, sizeof path, "/api/v1/jobs/%lld/retry", (long long)id);
	CHECK_INT(req(&admin, "POST", path, body, &r), 200);
	CHECK(strcmp(jstr(r.json, "state"), "pending") == 0 || strcmp(jstr(r.json, "state"), "running") == 0);
	resp_free(&r);
	t_case("X1 jobs of another organisation are invisible");
	struct client p;
	client_init(&p, &srv);
	login(&p, "prop.admin", PW);
	CHECK_INT(reqf(&p, "GET", NULL, "/api/v1/jobs/%lld", (long long)id), 404);
	client_free(&p);
}

static void test_audit(void)
{
	struct resp r;
	t_case("X3 the audit trail filters by entity and actor, newest first");
	CHECK_INT(req(&admin, "GET", "/api/v1/audit?entity=user&actor=gas.admin&limit=5", NULL, &r), 200);
	json_t *items = json_object_get(r.json, "items");
	CHECK(json_array_size(items) == 5);
	CHECK(jint(json_array_get(items, 0), "seq") > jint(json_array_get(items, 1), "seq"));
	resp_free(&r);
	t_case("X3 a time window filter works");
	CHECK_INT(req(&admin, "GET", "/api/v1/audit?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z", NULL, &r), 200);
	CHECK_INT(jint(r.json, "total"), 0);
	resp_free(&r);
	t_case("X3 from and to take a plain date too, as its local midnight");
	CHECK_INT(req(&admin, "GET", "/api/v1/audit?from=2000-01-01&to=2000-01-02", NULL, &r), 200);
	CHECK_INT(jint(r.json, "total"), 0);
	resp_free(&r);
	CHECK_INT(req(&admin, "GET", "/api/v1/audit?limit=1&from=2000-01-01", NULL, &r), 200);
	CHECK(jint(r.json, "total") > 0 && jint(r.json, "total") == audit_total(""));
	resp_free(&r);
	t_case("X3 the chain verifies intact over the API");
	CHECK_INT(req(&admin, "GET", "/api/v1/audit/verify", NULL, &r), 200);
	CHECK(json_is_true(json_object_get(r.json, "intact")));
	CHECK(jint(r.json, "entries") > 10);
	resp_free(&r);
	t_case("X3 an auditor reads the trail, a manager may not");
	struct client a, m;
	client_init(&a, &srv);
	client_init(&m, &srv);
	login(&a, "gas.auditor", PW);
	login(&m, "gas.manager", PW);
	CHECK_INT(reqf(&a, "GET", NULL, "/api/v1/audit"), 200);
	CHECK_INT(reqf(&m, "GET", NULL, "/api/v1/audit"), 403);
	client_free(&a);
	client_free(&m);
}

/* A command that only reads once asked for the write lock to apply
 * migrations it did not need, and failed on a read-only role or a
 * standby: `ruhu audit verify` for an auditor's own credentials. */
static void test_read_only_role(void)
{
	if (!srv.pg) return;
	char out[4096], role[64], url[512], sql[512];
	snprintf(role, sizeof role, "ruhu_reader_%d", (int)getpid());
	t_case("on PostgreSQL, audit verify and user list work under a read-only role: nothing to migrate, nothing written");
	snprintf(sql, sizeof sql, "CREATE ROLE %s LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO %s;"
		 " ALTER ROLE %s SET default_transaction_read_only = on", role, role, role);
	CHECK_INT(db_shell(&srv, out, sizeof out, sql), 0);
	snprintf(url, sizeof url, "postgres://%s%s", role, strchr(srv.db, '@'));
	CHECK_INT(run_cmd(out, sizeof out, "%s audit verify --db '%s' 2>&1", bin, url), 0);
	CHECK(strstr(out, "intact") != NULL && strstr(out, "BROKEN") == NULL);
	CHECK_INT(run_cmd(out, sizeof out, "%s user list --tenant demo-gas --db '%s' 2>&1", bin, url), 0);
	CHECK(strstr(out, "gas.admin") != NULL);
	t_case("… and a command that writes is refused there, saying why");
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Read@2026only' %s user add ro.try --tenant demo-gas"
			  " --name R --roles auditor --db '%s' 2>&1", bin, url), 1);
	CHECK(strstr(out, "read-only") != NULL);
	snprintf(sql, sizeof sql, "REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM %s; DROP ROLE %s", role, role);
	CHECK_INT(db_shell(&srv, out, sizeof out, sql), 0);
}

static void test_cli_while_running(void)
{
	char out[8192];
	t_case("every subcommand answers --help");
	const char *cmds[] = { "serve", "init", "user", "audit", "calendar", "version" };
	int ok = 1;
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		ok &= run_cmd(out, sizeof out, "%s %s --help", bin, cmds[i]) == 0 && strstr(out, "usage") != NULL;
	ok &= run_cmd(out, sizeof out, "%s version", bin) == 0 && strstr(out, "ruhu") != NULL;
	CHECK(ok);
	t_case("ruhu init creates an organisation whose admin signs in");
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Init@2026' %s init --db %s --tenant water-co "
			  "--name '清泉供水' --kind water --admin water.admin 2>&1", bin, srv.db), 0);
	struct client w;
	client_init(&w, &srv);
	CHECK_INT(login(&w, "water.admin", "Init@2026"), 200);
	t_case("ruhu init refuses a tenant code that exists");
	CHECK(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Init@2026' %s init --db %s --tenant water-co "
		      "--name x --admin water.admin2 2>&1", bin, srv.db) != 0);
	/* What the command line stores, the API would have refused: an
	 * organisation named in GBK bytes could never be signed into. */
	t_case("X6 ruhu init refuses a name that is not UTF-8 (a GBK terminal), blank, with a control character or too long; nothing is made");
	{
		static const char *const names[] = { "\"$(printf '\\273\\252\\260\\262')\"", "' '", "\"$(printf 'a\\001b')\"",
						     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Init@2026' %s init --db %s --tenant bad-name "
					  "--name %s --admin bad.admin 2>&1", bin, srv.db, names[i]), 1);
			CHECK(strstr(out, "--name") != NULL);
		}
		CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Init@2026' %s init --db %s --tenant bad-name "
				  "--name 好名 --admin-name \"$(printf '\\325\\305')\" --admin bad.admin 2>&1", bin, srv.db), 1);
		CHECK(strstr(out, "--admin-name") != NULL);
		CHECK_INT(run_cmd(out, sizeof out, "%s user list --db %s --tenant bad-name 2>&1", bin, srv.db), 1);
		CHECK(strstr(out, "no tenant") != NULL);
	}
	t_case("ruhu init with an admin name that is taken makes nothing: the organisation can be made again with another");
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Init@2026' %s init --db %s --tenant second-co "
			  "--name 第二 --admin water.admin 2>&1", bin, srv.db), 1);
	CHECK(strstr(out, "taken") != NULL);
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Init@2026' %s init --db %s --tenant second-co "
			  "--name 第二 --admin second.admin 2>&1", bin, srv.db), 0);
	t_case("X6 ruhu user add refuses a display name that is not UTF-8");
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Cli@2026x' %s user add --db %s --tenant water-co "
			  "water.gbk --name \"$(printf '\\325\\305\\310\\375')\" --roles guard 2>&1", bin, srv.db), 1);
	CHECK(strstr(out, "UTF-8") != NULL);
	char abs[4096];	/* for commands run in the test's own directory */
	if (!realpath(bin, abs)) snprintf(abs, sizeof abs, "%s", bin);
	t_case("ruhu --db '' or :memory: is no database: refused, and no key file is made");
	{
		CHECK_INT(run_cmd(out, sizeof out, "cd %s && RUHU_PWHASH=min RUHU_PASSWORD='Init@2026' %s init --db '' --tenant abc "
				  "--name 甲 --admin a.admin 2>&1; test ! -e .key", srv.dir, abs), 0);
		CHECK(strstr(out, "is no database file") != NULL);
		CHECK_INT(run_cmd(out, sizeof out, "cd %s && %s audit verify --db :memory: 2>&1; test ! -e :memory:.key", srv.dir, abs), 0);
		CHECK(strstr(out, "is no database file") != NULL);
	}
	t_case("X5 a libpq keyword string as --db, spaced or quoted, is refused: its password never printed, no file of that name made");
	{
		CHECK_INT(run_cmd(out, sizeof out, "cd %s && %s audit verify --db \"host=h password = KwSecret dbname=x\" 2>&1", srv.dir, abs), 1);
		CHECK(strstr(out, "KwSecret") == NULL && strstr(out, "libpq keyword string") != NULL);
		CHECK_INT(run_cmd(out, sizeof out, "cd %s && RUHU_PWHASH=min RUHU_PASSWORD='Init@2026' %s init --db \"host=h password='Kw Secret2' "
				  "dbname=x\" --tenant kw-co --name 甲 --admin kw.admin 2>&1", srv.dir, abs), 1);
		CHECK(strstr(out, "Secret2") == NULL);
		CHECK_INT(run_cmd(out, sizeof out, "ls %s | grep -c Secret", srv.dir), 1);	/* grep: no line */
	}
	t_case("a command line with a word too many is refused naming it, and nothing is made (a name unquoted, two users)");
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Init@2026' %s init --db %s --tenant cut-co "
			  "--name 华安 燃气 --admin cut.admin 2>&1", bin, srv.db), 2);
	CHECK(strstr(out, "unexpected argument 燃气") != NULL);
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Cli@2026x' %s user add --db %s --tenant water-co "
			  "wang.wu zhao.liu --name 王五 --roles guard 2>&1", bin, srv.db), 2);
	CHECK(strstr(out, "unexpected argument zhao.liu") != NULL);
	CHECK_INT(run_cmd(out, sizeof out, "%s user list --db %s --tenant water-co 2>&1", bin, srv.db), 0);
	CHECK(strstr(out, "wang.wu") == NULL);
	CHECK_INT(run_cmd(out, sizeof out, "%s user list --db %s --tenant cut-co 2>&1", bin, srv.db), 1);
	CHECK_INT(run_cmd(out, sizeof out, "%s audit verify --db %s extra 2>&1", bin, srv.db), 2);
	CHECK_INT(run_cmd(out, sizeof out, "%s version extra 2>&1", bin), 2);
	t_case("ruhu user takes a user name with capitals as the API does, in lower case, for add and for every other action");
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Cli@2026x' %s user add --db %s --tenant water-co "
			  "Water.Caps --name 大写 --roles guard 2>&1", bin, srv.db), 0);
	CHECK(strstr(out, "added water.caps") != NULL);
	CHECK_INT(run_cmd(out, sizeof out, "%s user disable --db %s WATER.CAPS 2>&1", bin, srv.db), 0);
	t_case("X5 ruhu backup of a libpq keyword string is refused, its password never printed");
	CHECK_INT(run_cmd(out, sizeof out, "%s backup %s/kw.bak --db \"sslrootcert=x password=KwSecret3 host=h\" 2>&1", bin, srv.dir), 1);
	CHECK(strstr(out, "KwSecret3") == NULL && strstr(out, "libpq keyword string") != NULL);
	t_case("a directory as --db is said to be one (it was told as a database whose key file is missing)");
	CHECK_INT(run_cmd(out, sizeof out, "%s audit verify --db %s 2>&1", bin, srv.dir), 1);
	CHECK(strstr(out, "is a directory") != NULL);
	t_case("ruhu user add/disable/passwd work and are audited");
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Cli@2026x' %s user add --db %s --tenant water-co "
			  "water.desk --name '前台' --roles service_desk 2>&1", bin, srv.db), 0);
	struct client d;
	client_init(&d, &srv);
	CHECK_INT(login(&d, "water.desk", "Cli@2026x"), 200);
	CHECK_INT(run_cmd(out, sizeof out, "%s user disable --db %s water.desk --reason test 2>&1", bin, srv.db), 0);
	CHECK_INT(reqf(&d, "GET", NULL, "/api/v1/session"), 401);
	CHECK_INT(run_cmd(out, sizeof out, "%s user enable --db %s water.desk 2>&1", bin, srv.db), 0);
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_PWHASH=min RUHU_PASSWORD='Cli@2026y' %s user passwd --db %s water.desk 2>&1", bin, srv.db), 0);
	CHECK_INT(login(&d, "water.desk", "Cli@2026y"), 200);
	struct resp r;
	req(&w, "GET", "/api/v1/audit?entity=user", NULL, &r);
	CHECK(jint(r.json, "total") >= 5);
	resp_free(&r);
	t_case("an organisation keeps its last active admin: the operator cannot disable them either");
	CHECK_INT(run_cmd(out, sizeof out, "%s user disable --db %s water.admin 2>&1", bin, srv.db), 1);
	CHECK(strstr(out, "last active admin") != NULL);
	CHECK_INT(login(&w, "water.admin", "Init@2026"), 200);
	t_case("ruhu user refuses unknown roles and weak passwords");
	CHECK(run_cmd(out, sizeof out, "RUHU_PASSWORD='Cli@2026x' %s user add --db %s --tenant water-co water.x --name x --roles king 2>&1", bin, srv.db) != 0);
	CHECK(run_cmd(out, sizeof out, "RUHU_PASSWORD='short' %s user add --db %s --tenant water-co water.x --name x --roles guard 2>&1", bin, srv.db) != 0);
	t_case("X4 ruhu calendar show prints the 2026 schedule");
	CHECK_INT(run_cmd(out, sizeof out, "%s calendar show 2026 --db %s", bin, srv.db), 0);
	CHECK(strstr(out, "total: 248 working days") != NULL);
	CHECK(strstr(out, "2026-10-01") != NULL);
	t_case("X4 ruhu calendar import names the bad line of a file");
	char file[400];
	snprintf(file, sizeof file, "%s/bad.csv", srv.dir);
	FILE *f = fopen(file, "w");
	fputs("date,kind,name\n2028-01-01,holiday,元旦\n2028-13-01,holiday,x\n", f);
	fclose(f);
	CHECK(run_cmd(out, sizeof out, "%s calendar import %s --db %s 2>&1", bin, file, srv.db) != 0);
	CHECK(strstr(out, "bad.csv:3") != NULL);
	t_case("X4 X6 ruhu calendar import refuses a year the API would (1950), importing nothing; and one file at a time");
	f = fopen(file, "w");
	fputs("date,kind,name\n1950-10-01,holiday,国庆节\n", f);
	fclose(f);
	CHECK_INT(run_cmd(out, sizeof out, "%s calendar import %s --db %s 2>&1", bin, file, srv.db), 1);
	CHECK(strstr(out, "2000 to 2100") != NULL);
	CHECK_INT(run_cmd(out, sizeof out, "%s calendar show 1950 --db %s 2>&1", bin, srv.db), 0);
	CHECK(strstr(out, "NOT known") != NULL);
	CHECK_INT(run_cmd(out, sizeof out, "%s calendar import %s %s --db %s 2>&1", bin, file, file, srv.db), 2);
	t_case("X4 ruhu calendar import adds a year to the official schedule for everyone");
	f = fopen(file, "w");
	fputs("date,kind,name\n2028-01-01,holiday,元旦\n", f);
	fclose(f);
	CHECK_INT(run_cmd(out, sizeof out, "%s calendar import %s --db %s 2>&1", bin, file, srv.db), 0);
	req(&w, "GET", "/api/v1/calendar/2028", NULL, &r);
	CHECK(json_is_true(json_object_get(r.json, "known")));
	resp_free(&r);
	t_case("X4 ruhu calendar import of a notice whose 元旦 begins in December keeps those days with its year, and the year before whole");
	f = fopen(file, "w");
	fputs("date,kind,name\n2029-01-01,holiday,元旦\n2029-05-01,holiday,劳动节\n2029-10-01,holiday,国庆节\n", f);
	fclose(f);
	CHECK_INT(run_cmd(out, sizeof out, "%s calendar import %s --db %s 2>&1", bin, file, srv.db), 0);
	f = fopen(file, "w");	/* as 2019's: 2018-12-29 worked, 12-30 and 12-31 off */
	fputs("date,kind,name\n2029-12-29,workday,元旦\n2029-12-31,holiday,元旦\n2030-01-01,holiday,元旦\n", f);
	fclose(f);
	CHECK_INT(run_cmd(out, sizeof out, "%s calendar import %s --db %s 2>&1", bin, file, srv.db), 0);
	CHECK(strstr(out, "2030: 3 days imported") != NULL);
	req(&w, "GET", "/api/v1/calendar/2029", NULL, &r);
	CHECK_INT((int64_t)json_array_size(json_object_get(r.json, "days")), 3);	/* 2029-01-01, 05-01 and 10-01 still */
	resp_free(&r);
	req(&w, "GET", "/api/v1/calendar/2030", NULL, &r);
	CHECK_INT((int64_t)json_array_size(json_object_get(r.json, "days")), 3);
	resp_free(&r);
	req(&w, "GET", "/api/v1/calendar/working-days?from=2029-09-30&to=2029-10-01", NULL, &r);
	CHECK_INT(jint(r.json, "working_days"), 0);	/* 国庆节 2029 */
	resp_free(&r);
	req(&w, "GET", "/api/v1/calendar/working-days?from=2029-12-28&to=2029-12-31", NULL, &r);
	CHECK_INT(jint(r.json, "working_days"), 1);	/* Saturday the 29th worked, the 31st off */
	resp_free(&r);
	t_case("X4 PUT calendar/2031 takes the 元旦 days of the December before as that year's");
	CHECK_INT(req(&w, "PUT", "/api/v1/calendar/2031", "{\"version\":0,\"csv\":\"date,kind,name\\n2030-12-31,holiday,元旦\\n2031-01-01,holiday,元旦\\n\"}", &r), 200);
	resp_free(&r);
	req(&w, "GET", "/api/v1/calendar/2030", NULL, &r);	/* the official 2030 as it was */
	CHECK_INT((int64_t)json_array_size(json_object_get(r.json, "days")), 3);
	CHECK(!json_is_true(json_object_get(r.json, "own")));
	resp_free(&r);
	req(&w, "GET", "/api/v1/calendar/working-days?from=2030-12-30&to=2030-12-31", NULL, &r);
	CHECK_INT(jint(r.json, "working_days"), 0);	/* Tuesday the 31st off, for this organisation */
	resp_free(&r);
	t_case("X3 X4 PUT calendar/2032 with a December day the organisation's 2031 lists: 409 naming csv and the line, 2031 whole");
	CHECK_INT(req(&w, "PUT", "/api/v1/calendar/2031", "{\"version\":1,\"csv\":\"date,kind,name\\n2030-12-31,holiday,元旦\\n"
		      "2031-01-01,holiday,元旦\\n2031-12-31,holiday,年终假\\n\"}", &r), 200);
	resp_free(&r);
	CHECK_INT(req(&w, "PUT", "/api/v1/calendar/2032", "{\"version\":0,\"csv\":\"date,kind,name\\n2031-12-31,holiday,元旦\\n"
		      "2032-01-01,holiday,元旦\\n\"}", &r), 409);
	CHECK_STR(err_code(&r), "duplicate");
	CHECK_STR(err_field(&r), "csv");
	CHECK_INT(jint(json_object_get(r.json, "error"), "line"), 2);
	resp_free(&r);
	req(&w, "GET", "/api/v1/calendar/2031", NULL, &r);
	CHECK_INT((int64_t)json_array_size(json_object_get(r.json, "days")), 3);
	resp_free(&r);
	req(&w, "GET", "/api/v1/calendar/2032", NULL, &r);
	CHECK(!json_is_true(json_object_get(r.json, "own")));
	resp_free(&r);
	client_free(&w);
	client_free(&d);
}

/* A parallel burst of wrong passwords: the attempts are counted before
 * the (slow) check, so no more than the limit are ever checked, and the
 * right password that comes after is refused while the lock lasts. */
struct guess {
	const struct server_proc *srv;
	const char *password;
	long status;
	const char *user;	/* NULL: race.lock */
};

static void *guess(void *arg)
{
	struct guess *g = arg;
	struct client c;
	client_init(&c, g->srv);
	c.quiet = 1;
	g->status = login(&c, g->user ? g->user : "race.lock", g->password);
	client_free(&c);
	return NULL;
}

static void test_parallel_guesses(void)
{
	int64_t id = make_user("race.lock", "[\"guard\"]", 0);
	struct guess g[12];
	pthread_t th[12];
	for (int i = 0; i < 12; i++) {
		g[i] = (struct guess){ &srv, "Wrong@2026", 0 };
		pthread_create(&th[i], NULL, guess, &g[i]);
	}
	int refused_401 = 0, refused_423 = 0;
	for (int i = 0; i < 12; i++) {
		pthread_join(th[i], NULL);
		refused_401 += g[i].status == 401;
		refused_423 += g[i].status == 423;
	}
	t_case("twelve parallel wrong passwords: exactly five are checked, the rest are refused as locked");
	CHECK_INT(refused_401, 4);	/* the fifth failure locks, and says so */
	CHECK_INT(refused_401 + refused_423, 12);
	struct resp r;
	char q[128];
	snprintf(q, sizeof q, "/api/v1/audit?entity=user&entity_id=%lld&action=login_failed", (long long)id);
	req(&admin, "GET", q, NULL, &r);
	int64_t failed = jint(r.json, "total");
	resp_free(&r);
	snprintf(q, sizeof q, "/api/v1/audit?entity=user&entity_id=%lld&action=lock", (long long)id);
	req(&admin, "GET", q, NULL, &r);
	CHECK_INT(failed, 4);
	CHECK_INT(jint(r.json, "total"), 1);	/* checked: 4 failures and the lock, nothing more */
	resp_free(&r);
	t_case("the right password is refused while the account is locked");
	struct client c;
	client_init(&c, &srv);
	CHECK_INT(login(&c, "race.lock", "Start@2026"), 423);
	client_free(&c);
}

static int connections_now(void)
{
	int n[64], threads = thread_connections(n, 64), sum = 0;
	for (int k = 0; k < threads; k++) sum += n[k];
	return threads < 1 ? -1 : sum;
}

/* Four wrong passwords, then the right one sent twice at once (a double
 * click): the attempt asked for while the fifth is checked is refused for
 * now, and nothing more — the right password signs in, the account is not
 * locked. */
static void test_right_twice(void)
{
	make_user("twice.right", "[\"guard\"]", 0);
	struct client c;
	client_init(&c, &srv);
	c.quiet = 1;
	for (int i = 0; i < 4; i++) login(&c, "twice.right", "Wrong@2026");
	struct guess g[2];
	pthread_t th[2];
	for (int i = 0; i < 2; i++) {
		g[i] = (struct guess){ &srv, "Start@2026", 0, "twice.right" };
		pthread_create(&th[i], NULL, guess, &g[i]);
	}
	for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
	t_case("X4 after four wrong passwords the right one sent twice at once signs in, and does not lock the account");
	CHECK(g[0].status == 200 || g[1].status == 200);
	CHECK_INT(login(&c, "twice.right", "Start@2026"), 200);
	client_free(&c);
}

/* Sign-ins whose clients hang up while the password is checked: MHD ends
 * such a request without the handler's second run, which settles the
 * attempt it took. Each such attempt is given back (or, when its second
 * run came first, counted and audited as a failure): none is lost to the
 * count, which would lock the account with nothing in the trail. */
static void test_abandoned_guesses(void)
{
	int64_t id = make_user("gone.lock", "[\"guard\"]", 0);
	int before = connections_now();
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	static const char body[] = "{\"username\":\"gone.lock\",\"password\":\"Wrong@2026\"}";
	char head[256];
	int len = snprintf(head, sizeof head, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			   "Content-Length: %zu\r\n\r\n%s", sizeof body - 1, body);
	int fds[4], sent = 0;
	for (int i = 0; i < 4; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] >= 0 && connect(fds[i], (struct sockaddr *)&sa, sizeof sa) == 0 &&
		    write(fds[i], head, (size_t)len) == len)
			sent++;
	}
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0) close(fds[i]);
	t_case("X4 four sign-ins whose clients hang up at once: the server closes them (at most 10 s)");
	CHECK_INT(sent, 4);
	int now = connections_now();
	for (int i = 0; i < 500 && now > before; i++) {
		usleep(20000);
		now = connections_now();
	}
	CHECK(before >= 0 && now <= before);
	/* Each attempt is given back or counted and audited as its request
	 * ends: settled, the account's count is the failures its trail holds.
	 * On PostgreSQL a give-back that came between another sign-in's read
	 * of the count and its write was lost (seen in CI, 2026-12-08: the
	 * account then locked at the fourth failure in the trail). */
	t_case("X4 their attempts settle: the account counts the failures its trail holds, none lost to a race");
	char q[128], sql[128], out[64];
	snprintf(q, sizeof q, "/api/v1/audit?entity=user&entity_id=%lld&action=login_failed", (long long)id);
	snprintf(sql, sizeof sql, "SELECT failed_logins FROM users WHERE id = %lld", (long long)id);
	int settled = 0;
	for (int i = 0; i < 250 && !settled; i++) {
		struct resp a;
		req(&admin, "GET", q, NULL, &a);
		int64_t audited = jint(a.json, "total");
		resp_free(&a);
		settled = db_shell(&srv, out, sizeof out, sql) == 0 && atoll(out) == audited;
		if (!settled) usleep(20000);
	}
	if (!CHECK(settled)) fprintf(stderr, "    failed_logins %s", out);
	t_case("X4 no attempt of theirs is lost: wrong passwords then lock the account at the fifth failure in the trail");
	struct client c;
	client_init(&c, &srv);
	c.quiet = 1;
	int tries = 0;
	while (tries < 6 && login(&c, "gone.lock", "Wrong@2026") == 401) tries++;
	client_free(&c);
	struct resp r;
	req(&admin, "GET", q, NULL, &r);
	CHECK_INT(jint(r.json, "total"), 4);	/* theirs counted, and the 401s after them */
	resp_free(&r);
	snprintf(q, sizeof q, "/api/v1/audit?entity=user&entity_id=%lld&action=lock", (long long)id);
	req(&admin, "GET", q, NULL, &r);
	CHECK_INT(jint(r.json, "total"), 1);
	resp_free(&r);
}

/* A connection that has sent part of a body of len bytes to srv's
 * sign-in, and holds the rest back; -1 when it could not. */
static int partial_body(const struct server_proc *p, size_t len, size_t part)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)p->port) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char head[200], *body = malloc(part);
	int n = snprintf(head, sizeof head, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
			 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", len);
	int ok = fd >= 0 && body && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && write(fd, head, (size_t)n) == n;
	if (body) memset(body, ' ', part);
	for (size_t sent = 0; ok && sent < part;) {
		ssize_t w = write(fd, body + sent, part - sent);
		ok = w > 0;
		sent += ok ? (size_t)w : 0;
	}
	free(body);
	if (!ok && fd >= 0) close(fd);
	return ok ? fd : -1;
}

/* The bodies held at once are bounded (RUHU_BODY_MEMORY): slow senders
 * of large bodies, each within its own limit, cannot together make the
 * server hold more — 200 anonymous connections held 210 MB, 20 uploads
 * 675 MB. */
static void test_body_memory(void)
{
	struct server_proc small;
	static const char *const env[] = { "RUHU_BODY_MEMORY", "2097152", "RUHU_UPLOAD_LIMIT", "1048576", NULL };
	t_case("a server whose request bodies may hold 2 MiB at once starts");
	if (!CHECK(proc_start(&small, bin, env) == 0)) return;
	int held[2];
	for (int i = 0; i < 2; i++) held[i] = partial_body(&small, 1000000, 900000);
	t_case("two bodies of 0.9 MB held back are counted (/metrics, ruhu_http_body_bytes; at most 10 s)");
	CHECK(held[0] >= 0 && held[1] >= 0);
	struct client c;
	client_init(&c, &small);
	c.quiet = 1;
	long long holding = 0;
	for (int i = 0; i < 500 && holding < 1800000; i++) {
		struct resp m;
		const char *g = req(&c, "GET", "/metrics", NULL, &m) == 200 && m.body ? strstr(m.body, "\nruhu_http_body_bytes ") : NULL;
		holding = g ? atoll(g + 22) : -1;
		resp_free(&m);
		if (holding < 1800000) usleep(20000);
	}
	CHECK_INT(holding, 1800000);
	t_case("a third body of 0.4 MB is then refused 503 busy");
	char *junk = malloc(400000);
	if (junk) memset(junk, ' ', 400000);
	struct resp r = { 0 };
	long status = junk ? req_raw(&c, "POST", "/api/v1/session", junk, 400000, &r) : 0;
	CHECK_INT(status, 503);
	CHECK_STR(err_code(&r), "busy");
	resp_free(&r);
	t_case("their connections closed, the same body is taken again (read, then refused as no JSON)");
	for (int i = 0; i < 2; i++)
		if (held[i] >= 0) close(held[i]);
	for (int i = 0; junk && i < 100 && status == 503; i++) {
		usleep(100000);
		resp_free(&r);
		status = req_raw(&c, "POST", "/api/v1/session", junk, 400000, &r);
	}
	CHECK_INT(status, 400);
	resp_free(&r);
	free(junk);
	client_free(&c);
	t_case("a bound below the upload limit is refused at start, naming both");
	char out[1024];
	CHECK(run_cmd(out, sizeof out, "RUHU_BODY_MEMORY=1048576 RUHU_UPLOAD_LIMIT=2097152 %s serve --db %s --listen "
		      "127.0.0.1:99999 2>&1", bin, small.db) != 0);	/* a bad port too: an old build stops */
	CHECK(strstr(out, "RUHU_BODY_MEMORY") && strstr(out, "RUHU_UPLOAD_LIMIT"));
	proc_stop(&small);
	proc_remove_dir(&small);
}

/* Sends raw to srv on a connection of its own and reads until the server
 * closes it (at most 10 s) into out; the bytes read, or -1. */
static ssize_t raw_exchange(const char *raw, size_t len, char *out, size_t cap)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct timeval tv = { 10, 0 };
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || write(fd, raw, len) != (ssize_t)len) {
		if (fd >= 0) close(fd);
		return -1;
	}
	size_t got = 0;
	ssize_t n;
	while (got + 1 < cap && (n = read(fd, out + got, cap - 1 - got)) > 0) got += (size_t)n;
	out[got] = '\0';
	close(fd);
	return (ssize_t)got;
}

/* RFC 9112, 6.3: a body whose end two readers could place apart — two
 * lengths, or a length beside chunks — is refused, and the connection
 * closed, before anything of it is acted on. MHD took the first length,
 * and a proxy taking the other would see the rest as a second request. */
static void test_framing(void)
{
	static const char body[] = "{\"display_name\":\"走私\"}";
	char raw[1024], out[4096];
	static const char *const second[] = { "Content-Length: 3", "Transfer-Encoding: chunked" };
	for (int i = 0; i < 2; i++) {
		int n = snprintf(raw, sizeof raw, "PATCH /api/v1/tenant HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				 "Content-Length: %zu\r\n%s\r\n\r\n%s", sizeof body - 1, second[i], body);
		t_case(i ? "a Content-Length beside Transfer-Encoding is 400 naming Content-Length, and the connection closes"
			 : "two Content-Length headers are 400 naming Content-Length, and the connection closes");
		CHECK(raw_exchange(raw, (size_t)n, out, sizeof out) > 0);
		CHECK(strncmp(out, "HTTP/1.1 400", 12) == 0);
		CHECK(strstr(out, "\"field\":\"Content-Length\"") != NULL);
		CHECK(strstr(out, "Connection: close") != NULL);
	}
	t_case("so is a page's request with two Content-Length headers: the page is not served");
	static const char page[] = "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n";
	CHECK(raw_exchange(page, sizeof page - 1, out, sizeof out) > 0);
	CHECK(strncmp(out, "HTTP/1.1 400", 12) == 0);
}

/* MHD 0.9.75 gave no answer at all to a query of some 230 parameters
 * (its pool ran out before its own error could be written): the client
 * waited a minute for nothing. Now such a query is cut off before MHD
 * parses it and answered at once, for pages as for the API. */
static void test_query_cut(void)
{
	static const char *const targets[] = { "/api/v1/users", "/" };
	for (int i = 0; i < 2; i++) {
		struct buf raw = BUF_INIT(16384);
		buf_printf(&raw, "GET %s?", targets[i]);
		for (int k = 0; k < 300; k++) buf_printf(&raw, "%sa%d=1", k ? "&" : "", k);
		buf_printf(&raw, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		char out[4096];
		t_case("X6 a query of 300 parameters to %s is answered 414 query_too_long at once", targets[i]);
		CHECK(raw_exchange(buf_str(&raw), raw.len, out, sizeof out) > 0);
		CHECK(strncmp(out, "HTTP/1.1 414", 12) == 0);
		CHECK(strstr(out, "\"code\":\"query_too_long\"") != NULL);
		buf_release(&raw);
	}
	t_case("X6 so is a query of 400 empty pairs (&&…): MHD makes a record of each");
	{
		struct buf raw = BUF_INIT(16384);
		buf_puts(&raw, "GET /healthz?");
		for (int k = 0; k < 400; k++) buf_puts(&raw, "&");
		buf_puts(&raw, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		char out[4096];
		CHECK(raw_exchange(buf_str(&raw), raw.len, out, sizeof out) > 0);
		CHECK(strncmp(out, "HTTP/1.1 414", 12) == 0);
		buf_release(&raw);
	}
	t_case("the server answers the next request as before");
	CHECK_INT(reqf(&admin, "GET", NULL, "/api/v1/users?limit=1"), 200);
}

/* A client that tries too many passwords is slowed down before any hash. */
static void test_rate_limit(void)
{
	struct server_proc tight;
	static const char *const env[] = { "RUHU_LOGIN_RATE", "1", "RUHU_LOGIN_BURST", "3", NULL };
	t_case("a second server with a tight sign-in rate starts");
	if (!CHECK(proc_start(&tight, bin, env) == 0)) return;
	struct client c;
	client_init(&c, &tight);
	t_case("three password checks go through, the fourth is refused with 429");
	CHECK_INT(login(&c, "gas.admin", "Wrong@2026"), 401);
	CHECK_INT(login(&c, "gas.admin", "Wrong@2026"), 401);
	CHECK_INT(login(&c, "gas.admin", PW), 200);
	struct resp r;
	CHECK_INT(req(&c, "POST", "/api/v1/session", "{\"username\":\"gas.admin\",\"password\":\"" PW "\"}", &r), 429);
	CHECK_STR(err_code(&r), "rate_limited");
	resp_free(&r);
	t_case("the rate limit applies to checking one's current password too");
	CHECK_INT(req(&c, "PUT", "/api/v1/session/password", "{\"current_password\":\"" PW "\",\"new_password\":\"New@2026xx\"}", &r), 429);
	resp_free(&r);
	t_case("requests that check no password are not limited");
	CHECK_INT(reqf(&c, "GET", NULL, "/api/v1/session"), 200);
	client_free(&c);
	proc_stop(&tight);
	proc_remove_dir(&tight);
}

/* `ruhu serve` with the given variable set (and args): its exit status
 * within 10 s, its stderr in out. Config errors stop it before the
 * database is opened; a value taken would serve until timeout (124). */
static int serve_with(const char *var, const char *value, const char *args, char *out, size_t cap)
{
	return run_cmd(out, cap, "%s='%s' RUHU_PWHASH=min timeout 10 '%s' serve --db /tmp/ruhu-never-%d.db"
		       " --listen 127.0.0.1:1 %s 2>&1", var, value, bin, (int)getpid(), args);
}

static void test_serve_config(void)
{
	char out[2048];
	t_case("X6 RUHU_TRUSTED_PROXY=garbage stops ruhu serve at start, naming the value");
	CHECK_INT(serve_with("RUHU_TRUSTED_PROXY", "127.0.0.1,garbage", "", out, sizeof out), 2);
	CHECK(strstr(out, "RUHU_TRUSTED_PROXY") && strstr(out, "garbage"));
	t_case("X6 RUHU_PUBLIC_URL=notaurl stops it too (badges would print notaurl/badge.html)");
	CHECK_INT(serve_with("RUHU_PUBLIC_URL", "notaurl", "", out, sizeof out), 2);
	CHECK(strstr(out, "RUHU_PUBLIC_URL") != NULL);

	t_case("X6 RUHU_THREADS takes 1 to 64, as --threads does: 0 and abc stop ruhu serve");
	CHECK_INT(serve_with("RUHU_THREADS", "0", "", out, sizeof out), 2);
	CHECK(strstr(out, "RUHU_THREADS must be a number from 1 to 64") != NULL);
	CHECK_INT(serve_with("RUHU_THREADS", "abc", "", out, sizeof out), 2);
	CHECK_INT(serve_with("RUHU_THREADS", "1", "--threads 0", out, sizeof out), 2);
	CHECK(strstr(out, "--threads must be a number from 1 to 64") != NULL);
	t_case("a flag wins over a bad variable, which is then not read (the next problem found is another)");
	CHECK_INT(serve_with("RUHU_THREADS", "abc", "--threads 2 --body-limit 1", out, sizeof out), 2);
	CHECK(strstr(out, "RUHU_THREADS") == NULL && strstr(out, "--body-limit") != NULL);
	CHECK_INT(serve_with("RUHU_SCHEDULER", "maybe", "--no-scheduler --log-level nonsense", out, sizeof out), 1);
	CHECK(strstr(out, "RUHU_SCHEDULER") == NULL && strstr(out, "unknown log level") != NULL);
	t_case("serve --listen 127.0.0.1:0 says the port the kernel chose, and answers there");
	CHECK_INT(run_cmd(out, sizeof out,
			  "d=$(mktemp -d) && (RUHU_PWHASH=min '%s' serve --db \"$d/db\" --listen 127.0.0.1:0 >\"$d/out\" 2>/dev/null &"
			  " echo $! >\"$d/pid\") && for i in $(seq 100); do grep -q serving \"$d/out\" && break; sleep 0.1; done;"
			  " port=$(sed -n 's|.*http://127.0.0.1:\\([0-9]*\\) .*|\\1|p' \"$d/out\");"
			  " echo \"port=$port\"; curl -s \"http://127.0.0.1:$port/healthz\"; kill $(cat \"$d/pid\"); rm -rf \"$d\"",
			  bin), 0);
	CHECK(strstr(out, "port=") && atoi(strstr(out, "port=") + 5) > 0 && strstr(out, "\"status\""));
	t_case("serve --demo over an installation whose gas.admin is a real organisation's lists it as taken, not as a demo login");
	CHECK_INT(run_cmd(out, sizeof out,
			  "d=$(mktemp -d) && RUHU_PWHASH=min RUHU_PASSWORD='Real@2026xx' '%s' init --db \"$d/db\" --tenant acme"
			  " --name Acme --admin gas.admin >/dev/null 2>&1 && (RUHU_PWHASH=min '%s' serve --demo --db \"$d/db\""
			  " --listen 127.0.0.1:0 >\"$d/out\" 2>/dev/null & echo $! >\"$d/pid\") && for i in $(seq 300); do"
			  " grep -q serving \"$d/out\" && break; sleep 0.1; done; kill $(cat \"$d/pid\"); cat \"$d/out\"; rm -rf \"$d\"",
			  bin, bin), 0);
	CHECK(strstr(out, "gas.admin(taken)") && strstr(out, "not a demo login") && strstr(out, "gas.manager ") &&
	      !strstr(out, "prop.admin(taken)"));
	t_case("serve --help says --db takes a PostgreSQL URL, and the threads' default on each store");
	CHECK_INT(run_cmd(out, sizeof out, "'%s' serve --help", bin), 0);
	CHECK(strstr(out, "PostgreSQL URL") && strstr(out, "twice the CPU count on PostgreSQL"));
	t_case("a proxy named as a range (127.0.0.0/8) and in another spelling of ::1 is believed: its X-Real-IP is audited");
	struct server_proc px;
	static const char *const env[] = { "RUHU_TRUSTED_PROXY", "0:0:0:0:0:0:0:1, 127.0.0.0/8", NULL };
	if (!CHECK(proc_start(&px, bin, env) == 0)) return;
	struct client c;
	client_init(&c, &px);
	c.extra = "X-Real-IP: 203.0.113.7";
	CHECK_INT(login(&c, "gas.admin", PW), 200);
	struct resp r;
	CHECK_INT(req(&c, "GET", "/api/v1/audit?action=login&limit=1", NULL, &r), 200);
	CHECK_STR(jstr(json_array_get(json_object_get(r.json, "items"), 0), "ip"), "203.0.113.7");
	resp_free(&r);
	client_free(&c);
	proc_stop(&px);
	proc_remove_dir(&px);
}

/* On PostgreSQL: a restart or failover of the server ends every session
 * of a node at once. A node checks an idle connection before its next
 * unit of work, but not one it used within the last second; the session
 * ended in that second must not cost the next request a 500 (the
 * server's goodbye is read as the first statement's error, and that
 * statement — nothing of it ran — is sent again on a new session). */
static void test_sessions_ended(void)
{
	if (!srv.pg) return;
	t_case("PostgreSQL ends every session of a node in use: the next reads, writes and sign-ins all answer");
	int64_t id = make_user("session.ended", "[\"dispatcher\"]", 0);
	char out[512], path[64], body[96];
	snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)id);
	int answers = 0, refused = 0;
	for (int round = 0; round < 3; round++) {
		struct resp r;
		/* every worker's connection used just now */
		for (int i = 0; i < 12; i++) {
			struct client c;
			client_init(&c, &srv);
			req(&c, "GET", "/readyz", NULL, &r);
			resp_free(&r);
			client_free(&c);
		}
		req(&admin, "GET", path, NULL, &r);
		resp_free(&r);
		CHECK_INT(db_shell(&srv, out, sizeof out, "SELECT COUNT(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
				   "WHERE datname = current_database() AND pid <> pg_backend_pid()"), 0);
		CHECK(atoi(out) >= 1);
		for (int i = 0; i < 12; i++) {
			struct client c;
			client_init(&c, &srv);
			long s = req(&c, "GET", "/readyz", NULL, &r);
			resp_free(&r);
			answers++;
			if (s != 200) refused++;
			client_free(&c);
		}
		long s = req(&admin, "GET", path, NULL, &r);
		int64_t v = jint(r.json, "version");
		resp_free(&r);
		snprintf(body, sizeof body, "{\"version\":%lld,\"display_name\":\"第%d轮\"}", (long long)v, round);
		long w = req(&admin, "PATCH", path, body, &r);
		resp_free(&r);
		struct client c;
		client_init(&c, &srv);
		long l = login(&c, "gas.manager", PW);
		client_free(&c);
		answers += 3;
		refused += (s != 200) + (w != 200) + (l != 200);
		if (s != 200 || w != 200 || l != 200) fprintf(stderr, "  round %d: read %ld, write %ld, sign-in %ld\n", round, s, w, l);
	}
	fprintf(stderr, "  %d answers after the sessions ended, %d not 200\n", answers, refused);
	CHECK_INT(refused, 0);
}

/* On PostgreSQL: a database that cannot be reached (a server down, a
 * database closed to connections) is the database's absence, not a fault
 * of the request: 503 db_unavailable, which a client or nginx may try
 * again — and the node answers again, unrestarted, once it is back. */
static void test_db_unavailable(void)
{
	const char *base = getenv("RUHU_TEST_PG");
	if (!srv.pg || !base) return;
	t_case("PostgreSQL unreachable: reads and /readyz answer 503 db_unavailable, and 200 again once it is back");
	const char *name = strrchr(srv.db, '/') + 1;
	char out[1024];
	CHECK_INT(run_cmd(out, sizeof out, "psql -X -q -v ON_ERROR_STOP=1 '%s/postgres' -c 'ALTER DATABASE %s "
			  "ALLOW_CONNECTIONS false' -c \"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
			  "WHERE datname = '%s'\" 2>&1", base, name, name), 0);
	struct resp r;
	CHECK_INT(req(&admin, "GET", "/api/v1/users/1", NULL, &r), 503);
	CHECK_STR(err_code(&r), "db_unavailable");
	resp_free(&r);
	struct client c;
	client_init(&c, &srv);
	CHECK_INT(req(&c, "GET", "/readyz", NULL, &r), 503);
	CHECK_STR(err_code(&r), "db_unavailable");
	resp_free(&r);
	CHECK_INT(run_cmd(out, sizeof out, "psql -X -q -v ON_ERROR_STOP=1 '%s/postgres' -c 'ALTER DATABASE %s "
			  "ALLOW_CONNECTIONS true' 2>&1", base, name), 0);
	CHECK_INT(req(&c, "GET", "/readyz", NULL, &r), 200);
	resp_free(&r);
	CHECK_INT(req(&admin, "GET", "/api/v1/users/1", NULL, &r), 200);
	resp_free(&r);
	client_free(&c);
}

static void test_after_stop(void)
{
	char out[8192];
	t_case("the server stops cleanly on SIGTERM, with connections still open (each is reported closed as it stops)");
	int open_fds[4], opened = 0;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	for (; opened < 4; opened++) {
		open_fds[opened] = socket(AF_INET, SOCK_STREAM, 0);
		if (open_fds[opened] < 0 || connect(open_fds[opened], (struct sockaddr *)&sa, sizeof sa) != 0) break;
	}
	CHECK_INT(opened, 4);
	int n[64], threads = thread_connections(n, 64), sum = 0;	/* they are in the server's hands */
	for (int i = 0; i < 500 && threads > 0; i++) {
		sum = 0;
		for (int k = 0; k < threads; k++) sum += n[k];
		if (sum >= 4 || thread_connections(n, 64) != threads) break;
		usleep(20000);
	}
	CHECK(sum >= 4);
	CHECK_INT(proc_stop(&srv), 0);
	for (int i = 0; i < opened; i++) close(open_fds[i]);
	t_case("X3 ruhu audit verify finds every chain intact after the run");
	CHECK_INT(run_cmd(out, sizeof out, "%s audit verify --db %s", bin, srv.db), 0);
	CHECK(strstr(out, "(demo-gas): intact") != NULL);
	CHECK(strstr(out, "BROKEN") == NULL);
	t_case("X3 the database refuses to update or delete audit entries");
	CHECK(db_shell(&srv, out, sizeof out, "UPDATE audit_log SET actor='mallory' WHERE tenant_id=1 AND seq=3") != 0);
	CHECK(strstr(out, "append-only") != NULL);
	CHECK(db_shell(&srv, out, sizeof out, "DELETE FROM audit_log WHERE tenant_id=1 AND seq=3") != 0);
	t_case("X3 an entry edited by hand is found: verify names it and fails");
	CHECK_INT(db_shell(&srv, out, sizeof out,
			   srv.pg ? "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change; "
				    "UPDATE audit_log SET actor='mallory' WHERE tenant_id=1 AND seq=7"
				  : "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "
				    "UPDATE audit_log SET actor='mallory' WHERE tenant_id=1 AND seq=7"), 0);
	CHECK_INT(run_cmd(out, sizeof out, "%s audit verify --db %s", bin, srv.db), 1);
	CHECK(strstr(out, "(demo-gas): BROKEN at entry 7") != NULL);
	CHECK(strstr(out, "(demo-property): intact") != NULL);
	t_case("X3 an entry deleted by hand is found");
	CHECK_INT(db_shell(&srv, out, sizeof out, "DELETE FROM audit_log WHERE tenant_id=2 AND seq=4"), 0);
	CHECK_INT(run_cmd(out, sizeof out, "%s audit verify --db %s --tenant demo-property", bin, srv.db), 1);
	CHECK(strstr(out, "BROKEN at entry 4: entry 4 is missing") != NULL);
	if (srv.pg) {
		t_case("X3 PostgreSQL: the database refuses to empty the audit trail with TRUNCATE (migration 017)");
		CHECK(db_shell(&srv, out, sizeof out, "TRUNCATE audit_log") != 0);
		CHECK(strstr(out, "append-only") != NULL);
	}
	t_case("X3 an organisation's trail emptied by hand is found: its creation, its first entry, is gone");
	CHECK_INT(db_shell(&srv, out, sizeof out, "DELETE FROM audit_log WHERE tenant_id=2"), 0);
	CHECK_INT(run_cmd(out, sizeof out, "%s audit verify --db %s --tenant demo-property", bin, srv.db), 1);
	CHECK(strstr(out, "BROKEN at entry 1: the trail is empty") != NULL);
	t_case("X3 the installation key was made beside the new database (or as RUHU_KEY_FILE), readable by its owner only");
	char keyfile[400];
	srv_key_file(&srv, keyfile, sizeof keyfile);
	CHECK_INT(run_cmd(out, sizeof out, "stat -c %%a %s", keyfile), 0);
	CHECK(strncmp(out, "600", 3) == 0);
	t_case("X3 under another key the database is refused before anything is read or written (its key check)");
	CHECK_INT(run_cmd(out, sizeof out, "RUHU_SECRET_KEY=$(head -c 32 /dev/urandom | base64) %s audit verify --db %s "
			  "--tenant demo-property 2>&1", bin, srv.db), 1);
	CHECK(strstr(out, "not this database's") != NULL);
	t_case("X3 an existing database whose key file is gone is refused, not given a new key");
	char moved[420];
	snprintf(moved, sizeof moved, "%s.moved", keyfile);
	CHECK_INT(rename(keyfile, moved), 0);
	CHECK(run_cmd(out, sizeof out, "%s audit verify --db %s 2>&1", bin, srv.db) != 0);
	CHECK(strstr(out, "is missing") != NULL);
	CHECK(access(keyfile, F_OK) != 0);
	CHECK_INT(rename(moved, keyfile), 0);
	t_case("the database's own consistency check is ok after the whole run");
	CHECK_INT(db_integrity(&srv, srv.db, out, sizeof out), 0);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: api_test PATH/TO/ruhu\n");
		return 2;
	}
	bin = argv[1];
	curl_global_init(CURL_GLOBAL_DEFAULT);
	t_case("the server starts with a fresh database and the demo data");
	/* The suite signs in far more often than a person would; the rate
	 * limit itself is tested on a server of its own (test_rate_limit). */
	static const char *const roomy[] = { "RUHU_LOGIN_RATE", "1000000", "RUHU_LOGIN_BURST", "1000000", NULL };
	if (!CHECK(proc_start(&srv, bin, roomy) == 0)) return t_done();
	client_init(&admin, &srv);
	t_case("the demo admin signs in");
	CHECK_INT(login(&admin, "gas.admin", PW), 200);

	test_health();
	test_connections_spread();
	test_login();
	test_role_table();
	test_csrf();
	test_lockout();
	test_versions();
	test_bad_input();
	test_users();
	test_tenants();
	test_calendar();
	test_jobs();
	test_audit();
	test_cli_while_running();
	test_read_only_role();
	test_parallel_guesses();
	test_abandoned_guesses();
	test_right_twice();
	test_body_memory();
	test_framing();
	test_query_cut();
	test_rate_limit();
	test_serve_config();
	test_sessions_ended();
	test_db_unavailable();
	test_pg_collation();
	client_free(&admin);
	test_after_stop();

	proc_remove_dir(&srv);
	curl_global_cleanup();
	return t_done();
}
