/*
 * calls.h — small helpers the JSON API suites share (api_master.c,
 * api_fieldstaff.c): reading answers, sending JSON and files, counting a
 * list, making valid ID numbers. Each suite includes it after client.h.
 */
#ifndef RUHU_TEST_CALLS_H
#define RUHU_TEST_CALLS_H
#include <stdarg.h>
#include <string.h>
#include "api/client.h"

static int64_t jint(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static json_t *jitem(json_t *o, size_t i)
{
	return json_array_get(json_object_get(o, "items"), i);
}

/* Sends body (a JSON value, consumed) with method to path. */
static long send_json(struct client *c, const char *method, const char *path, json_t *body, struct resp *r)
{
	char *s = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	long st = req(c, method, path, s, r);
	free(s);
	return st;
}

static long send_jsonf(struct client *c, const char *method, json_t *body, struct resp *r, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static long send_jsonf(struct client *c, const char *method, json_t *body, struct resp *r, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	return send_json(c, method, path, body, r);
}

static long getf(struct client *c, struct resp *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static long getf(struct client *c, struct resp *r, const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	return req(c, "GET", path, NULL, r);
}

/* Sends bytes labelled ctype with method to path. */
static long send_bytes(struct client *c, const char *method, const char *path, const void *bytes, size_t len,
		       const char *ctype, struct resp *r)
{
	const char *saved = c->content_type;
	c->content_type = ctype;
	long s = req_raw(c, method, path, bytes, len, r);
	c->content_type = saved;
	return s;
}

/* A total from a list route ("" query: everything). */
static int64_t total_of(struct client *c, const char *route, const char *query)
{
	struct resp r;
	getf(c, &r, "%s?limit=1%s", route, query);
	int64_t n = r.status == 200 ? jint(r.json, "total") : -1;
	resp_free(&r);
	return n;
}

/* An 18-character ID number: the 17 digits given and their check digit. */
static void make_id(const char *first17, char out[19])
{
	static const char code[] = "10X98765432";
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;
	for (int i = 0; i < 17; i++) sum += (first17[i] - '0') * weight[i];
	memcpy(out, first17, 17);
	out[17] = code[sum % 11];
	out[18] = '\0';
}

/* Counts occurrences of needle in the first len bytes of hay. */
static int count_of(const char *hay, size_t len, const char *needle)
{
	int n = 0;
	size_t nl = strlen(needle);
	for (size_t i = 0; hay && i + nl <= len; i++)
		if (memcmp(hay + i, needle, nl) == 0) n++;
	return n;
}

/* Percent-encodes s for a query string. */
static const char *urlenc(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 < cap; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '_' || *p == '.') {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	out[n] = '\0';
	return out;
}

/* What a suite checks once its server has stopped: the audit chains
 * verify from the command line, the database's own consistency check is
 * ok; then the server's directory goes (kept when anything failed).
 * Returns the suite's exit status (t_done). */
static int end_of_run(struct server_proc *s, const char *bin)
{
	char out[4096];
	t_case("X3 ruhu audit verify finds every chain intact after the run");
	CHECK_INT(run_cmd(out, sizeof out, "%s audit verify --db %s 2>&1", bin, s->db), 0);
	CHECK(strstr(out, "BROKEN") == NULL);
	t_case("the database's own consistency check is ok after the whole run");
	CHECK_INT(db_integrity(s, s->db, out, sizeof out), 0);

	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", s->dir);
	if (t_failed == 0 && system(cmd) != 0) fprintf(stderr, "could not remove %s\n", s->dir);
	if (t_failed) fprintf(stderr, "server log and database kept in %s\n", s->dir);
	curl_global_cleanup();
	return t_done();
}

#endif
