/*
 * client.h — what the API tests drive the real server with: starting
 * `ruhu serve` on a free port with a fresh database, and an HTTP client
 * (libcurl) that keeps a session cookie and its CSRF token, like a browser
 * tab would.
 *
 * The database is SQLite unless RUHU_TEST_PG names a PostgreSQL cluster
 * (tests/pg.sh: RUHU_TEST_PG its base URL, RUHU_TEST_PG_DIR its
 * directory): then every server gets a fresh database of its own in that
 * cluster, and its key file lives in the server's directory.
 */
#ifndef RUHU_TEST_CLIENT_H
#define RUHU_TEST_CLIENT_H
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct server_proc {
	pid_t pid;
	int port;
	char dir[256];
	char db[300];		/* a SQLite file, or a postgres:// URL */
	int pg;			/* db is PostgreSQL */
	char log[300];
	char base[64];
};

struct resp {
	long status;
	char *body;
	size_t len;
	json_t *json;		/* parsed body, or NULL */
	char headers[4096];
};

struct client {
	CURL *curl;
	const struct server_proc *srv;
	char csrf[64];
	const char *lang;	/* Accept-Language, NULL for none */
	const char *extra;	/* one extra header line, or NULL */
	const char *content_type;
	int quiet;		/* no message when the server cannot be reached */
};

/* A port of RUHU_TEST_PORTS ("LOW-HIGH") that is free now, or -1: for
 * machines that give a test run only some ports. Tried from a place that
 * moves on each call and with each process, so that servers started one
 * after another do not ask for the port the last one just let go. */
static int free_port_in(const char *range)
{
	static unsigned next;
	int lo = 0, hi = 0;
	if (sscanf(range, "%d-%d", &lo, &hi) != 2 || lo < 1 || hi > 65535 || hi < lo) return -1;
	unsigned n = (unsigned)(hi - lo + 1);
	if (!next) next = (unsigned)getpid();
	for (unsigned i = 0; i < n; i++) {
		int port = lo + (int)(next++ % n);
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
					  .sin_port = htons((uint16_t)port) };
		int ok = fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
		if (fd >= 0) close(fd);
		if (ok) return port;
	}
	return -1;
}

static int free_port(void)
{
	const char *range = getenv("RUHU_TEST_PORTS");
	if (range && range[0]) return free_port_in(range);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return ntohs(sa.sin_port);
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct resp *r = arg;
	size_t len = size * n;
	char *b = realloc(r->body, r->len + len + 1);
	if (!b) return 0;
	memcpy(b + r->len, p, len);
	r->body = b;
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct resp *r = arg;
	size_t len = size * n, have = strlen(r->headers);
	if (have + len < sizeof r->headers) {
		memcpy(r->headers + have, p, len);
		r->headers[have + len] = '\0';
	}
	return len;
}

static void resp_free(struct resp *r)
{
	free(r->body);
	json_decref(r->json);
	memset(r, 0, sizeof *r);
}

static void client_init(struct client *c, const struct server_proc *srv)
{
	memset(c, 0, sizeof *c);
	c->curl = curl_easy_init();
	c->srv = srv;
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");	/* in-memory cookie jar */
	c->content_type = "application/json";
}

static void client_free(struct client *c)
{
	curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

/* Sends one request with a body of len bytes (any bytes, NULs too;
 * body NULL: none), labelled c->content_type. The answer lands in *r
 * (free it): status, body bytes (r->body, r->len), headers, and the body
 * parsed as JSON when it is JSON. */
static long req_raw(struct client *c, const char *method, const char *path, const char *body, size_t len,
		    struct resp *r)
{
	char url[1024], h[256];
	memset(r, 0, sizeof *r);
	snprintf(url, sizeof url, "%s%s", c->srv->base, path);
	struct curl_slist *hs = NULL;
	if (c->content_type && body) {
		snprintf(h, sizeof h, "Content-Type: %s", c->content_type);
		hs = curl_slist_append(hs, h);
	}
	if (c->csrf[0]) {
		snprintf(h, sizeof h, "X-CSRF-Token: %s", c->csrf);
		hs = curl_slist_append(hs, h);
	}
	if (c->lang) {
		snprintf(h, sizeof h, "Accept-Language: %s", c->lang);
		hs = curl_slist_append(hs, h);
	}
	if (c->extra) hs = curl_slist_append(hs, c->extra);
	hs = curl_slist_append(hs, "Expect:");
	CURL *k = c->curl;
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
	curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
	if (body) {
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	/* HEAD is NOBODY alone: as a custom method curl would wait for a body. */
	curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, strcmp(method, "HEAD") == 0 ? NULL : method);
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(k, CURLOPT_TIMEOUT, 30L);
	CURLcode rc = curl_easy_perform(k);
	curl_slist_free_all(hs);
	if (rc != CURLE_OK) {
		if (!c->quiet) fprintf(stderr, "  %s %s: %s\n", method, path, curl_easy_strerror(rc));
		r->status = -1;
		return -1;
	}
	curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->body) r->json = json_loadb(r->body, r->len, 0, NULL);
	return r->status;
}

/* Sends one request; body (text) may be NULL. The answer lands in *r (free it). */
static long req(struct client *c, const char *method, const char *path, const char *body, struct resp *r)
{
	return req_raw(c, method, path, body, body ? strlen(body) : 0, r);
}

/* The value of response header name (case-insensitive), or "" — the
 * last one when the answer repeats it. */
static const char *resp_header(const struct resp *r, const char *name, char *out, size_t cap)
	__attribute__((unused));
static const char *resp_header(const struct resp *r, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	out[0] = '\0';
	for (const char *line = r->headers; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;
			while (*v == ' ') v++;
			size_t vl = (size_t)(line + len - v);
			while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' ')) vl--;
			snprintf(out, cap, "%.*s", (int)vl, v);
		}
		if (!end) break;
		line = end + 1;
	}
	return out;
}

/* req() with a printf-formatted path, answering only the status. */
static long reqf(struct client *c, const char *method, const char *body, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), unused));
static long reqf(struct client *c, const char *method, const char *body, const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	struct resp r;
	long s = req(c, method, path, body, &r);
	resp_free(&r);
	return s;
}

/* The error code of an error answer, or "". */
static const char *err_code(const struct resp *r)
{
	const char *s = json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
	return s ? s : "";
}

static const char *err_field(const struct resp *r)
{
	const char *s = json_string_value(json_object_get(json_object_get(r->json, "error"), "field"));
	return s ? s : "";
}

static const char *err_message(const struct resp *r)
{
	const char *s = json_string_value(json_object_get(json_object_get(r->json, "error"), "message"));
	return s ? s : "";
}

static long login(struct client *c, const char *user, const char *password)
{
	char body[256];
	struct resp r;
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
	c->csrf[0] = '\0';
	long s = req(c, "POST", "/api/v1/session", body, &r);
	const char *t = json_string_value(json_object_get(r.json, "csrf_token"));
	if (s == 200 && t) snprintf(c->csrf, sizeof c->csrf, "%s", t);
	resp_free(&r);
	return s;
}

/* With RUHU_TEST_PG set: s->db becomes a fresh PostgreSQL database named
 * after the server's directory, and RUHU_KEY_FILE (which this process's
 * commands inherit too) a key beside it. 0, or -1 when it cannot be made. */
static int pg_fresh_db(struct server_proc *s)
{
	const char *url = getenv("RUHU_TEST_PG"), *dir = getenv("RUHU_TEST_PG_DIR");
	if (!url || !url[0]) return 0;
	char name[64], cmd[512], key[400];
	/* the directory's random part, in hex: database names fold case */
	size_t n = snprintf(name, sizeof name, "t_");
	for (const char *p = strrchr(s->dir, '-') + 1; *p && n + 3 < sizeof name; p++)
		n += snprintf(name + n, sizeof name - n, "%02x", (unsigned char)*p);
	snprintf(cmd, sizeof cmd, "tests/pg.sh createdb '%s' '%s'", dir ? dir : "", name);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot make the database %s: %s\n", name, cmd);
		return -1;
	}
	snprintf(s->db, sizeof s->db, "%s/%s", url, name);
	/* One key for every database of this test process, in the cluster's
	 * directory (it outlives each server's own and goes with the cluster);
	 * the commands the tests run inherit it. */
	if (!getenv("RUHU_KEY_FILE")) {
		snprintf(key, sizeof key, "%s/key-%d", dir ? dir : "/tmp", (int)getpid());
		setenv("RUHU_KEY_FILE", key, 1);
	}
	s->pg = 1;
	return 0;
}

/* The server's installation key file. */
static const char *srv_key_file(const struct server_proc *s, char *out, size_t cap) __attribute__((unused));
static const char *srv_key_file(const struct server_proc *s, char *out, size_t cap)
{
	if (s->pg) snprintf(out, cap, "%s", getenv("RUHU_KEY_FILE"));
	else snprintf(out, cap, "%s.key", s->db);
	return out;
}

/* Starts `ruhu serve` on the database db (another server's: a second
 * node), or on a fresh one when db is NULL; its log in a new temporary
 * directory. */
static int proc_start_on(struct server_proc *s, const char *bin, const char *const extra_env[], const char *db)
{
	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "/tmp/ruhu-api-XXXXXX");
	if (!mkdtemp(s->dir)) return -1;
	snprintf(s->db, sizeof s->db, "%s/api.db", s->dir);
	snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
	if (db) {
		snprintf(s->db, sizeof s->db, "%s", db);
		s->pg = strncmp(db, "postgres", 8) == 0;
	} else if (pg_fresh_db(s) != 0) {
		return -1;
	}
	/* The port is free when asked, not when the server binds it: another
	 * process may take it between. A server that exits at start is tried
	 * again on a new port, and only our own live child's answer counts. */
	for (int attempt = 0; attempt < 3; attempt++) {
		s->port = free_port();
		snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
		char listen[64];
		snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
		s->pid = fork();
		if (s->pid == 0) {
			FILE *log = freopen(s->log, "w", stderr);
			if (!log || !freopen("/dev/null", "w", stdout)) _exit(127);
			setenv("RUHU_PWHASH", "min", 1);
			for (int i = 0; extra_env && extra_env[i]; i += 2) setenv(extra_env[i], extra_env[i + 1], 1);
			execl(bin, bin, "serve", "--demo", "--db", s->db, "--listen", listen, (char *)NULL);
			_exit(127);
		}
		struct client c;
		client_init(&c, s);
		c.quiet = 1;
		int exited = 0;
		for (int i = 0; i < 200 && !exited; i++) {	/* up to 20 s under a sanitizer */
			struct resp r;
			CURL *k = c.curl;
			curl_easy_setopt(k, CURLOPT_TIMEOUT, 1L);
			int st;
			long code = req(&c, "GET", "/healthz", NULL, &r);
			resp_free(&r);
			exited = waitpid(s->pid, &st, WNOHANG) == s->pid;
			if (code == 200 && !exited) {
				client_free(&c);
				return 0;
			}
			if (!exited) usleep(100000);
		}
		client_free(&c);
		if (!exited) {	/* alive and not answering: trying again would not help */
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			s->pid = 0;
			break;
		}
		s->pid = 0;
	}
	fprintf(stderr, "the server did not start; its log is %s\n", s->log);
	return -1;
}

/* Starts `ruhu serve` with a fresh database in a new temporary directory. */
static int proc_start(struct server_proc *s, const char *bin, const char *const extra_env[])
{
	return proc_start_on(s, bin, extra_env, NULL);
}

/* Stops the server; returns its exit status (0 after a clean SIGTERM). */
static int proc_stop(struct server_proc *s)
{
	int st = 0;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, &st, 0);
		s->pid = 0;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Removes a stopped server's directory (its log and database), unless a
 * case has failed: then it is kept, and named, for looking into. */
static void proc_remove_dir(const struct server_proc *s) __attribute__((unused));
static void proc_remove_dir(const struct server_proc *s)
{
	if (t_failed) {
		fprintf(stderr, "server log and database kept in %s\n", s->dir);
		return;
	}
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", s->dir);
	if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", s->dir);
}

/* Runs a shell command, returning its exit status and (if out) its output. */
static int run_cmd(char *out, size_t outlen, const char *fmt, ...) __attribute__((format(printf, 3, 4), unused));
static int run_cmd(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	if (!p) return -1;
	size_t n = 0;
	char buf[1024];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, p)) > 0)
		if (out && n + 1 < outlen) {
			size_t take = got < outlen - n - 1 ? got : outlen - n - 1;
			memcpy(out + n, buf, take);
			n += take;
		}
	if (out) out[n] = '\0';
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Runs SQL on the server's database behind its back, as an intruder
 * with the database's own tools would: the sqlite3 shell, or psql.
 * Returns the tool's exit status, its output in out. The SQL must not
 * hold a double quote.
 *
 * The shell waits for the write lock as psql waits for a row lock. The
 * server writes on its own — its scheduler releases stale claims every
 * second and runs the jobs due at its start — and a shell that did not
 * wait failed at once with "database is locked" (exit 5): seen once in
 * CI, on the UPDATE just after two sign-ins. */
static int db_shell(const struct server_proc *s, char *out, size_t outlen, const char *sql) __attribute__((unused));
static int db_shell(const struct server_proc *s, char *out, size_t outlen, const char *sql)
{
	if (s->pg) return run_cmd(out, outlen, "psql -X -q -At -v ON_ERROR_STOP=1 '%s' -c \"%s\" 2>&1", s->db, sql);
	return run_cmd(out, outlen, "sqlite3 -cmd '.timeout 10000' %s \"%s\" 2>&1", s->db, sql);
}

/* The database's own consistency check: SQLite's integrity_check, or on
 * PostgreSQL amcheck over every B-tree index of ruhu's tables. 0 when
 * it finds nothing wrong. */
static int db_integrity(const struct server_proc *s, const char *db, char *out, size_t outlen) __attribute__((unused));
static int db_integrity(const struct server_proc *s, const char *db, char *out, size_t outlen)
{
	if (!s->pg) {
		int rc = run_cmd(out, outlen, "sqlite3 %s 'PRAGMA integrity_check' 2>&1", db);
		return rc == 0 && strncmp(out, "ok", 2) == 0 ? 0 : 1;
	}
	return run_cmd(out, outlen, "psql -X -q -At -v ON_ERROR_STOP=1 '%s' -c 'CREATE EXTENSION IF NOT EXISTS amcheck' "
		       "-c \"SELECT count(bt_index_check(c.oid)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
		       "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
		       "WHERE a.amname = 'btree' AND n.nspname = 'public'\" 2>&1", db);
}

#endif
