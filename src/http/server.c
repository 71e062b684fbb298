/*
 * server.c — libmicrohttpd glue: reading requests, queueing answers,
 * the access log and the metrics.
 *
 * Each HTTP thread is an MHD daemon running one epoll loop, fed its
 * connections by the acceptor (acceptor.c). MHD calls on_request() at
 * least twice per request: first with the headers only (we allocate the
 * request and return — queueing an answer on this first call makes MHD
 * 0.9.75 drop keep-alive, which costs 85% of the throughput), then with
 * each piece of the body, then once more with none, when we dispatch and
 * queue the answer. on_completed() logs the request and frees it.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "app/scheduler.h"
#include "base/log.h"
#include "core/validate.h"
#include "http/acceptor.h"
#include "http/doorask.h"
#include "http/http.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "http/phantom.h"
#include "http/ratelimit.h"
#include "http/static.h"

#define REQUEST_ARENA_CAP (8u << 20)
#define DISCARD_MAX (64u << 20)
#define HASH_QUEUE 256		/* requests that may wait for a password hash */
#define IMPORT_QUEUE 4		/* imports that may wait for the one running (each holds its file) */
/* Per-connection memory for headers and reading; MHD clears what it used
 * on every request, so a smaller pool is cheaper per request. 16 KiB holds
 * any header set a browser sends (a too-large one gets 431). */
#define CONNECTION_MEMORY (16u * 1024)
#define MAX_CONNECTIONS 4000	/* open at once, over all the loops */
#define STOP_WAIT_MS 5000	/* for the answers under way when the server stops */

void server_config_defaults(struct server_config *c)
{
	memset(c, 0, sizeof *c);
	c->listen = "127.0.0.1:8080";
	c->threads = 2;
	c->body_limit = 1 << 20;
	c->upload_limit = 32u << 20;
	c->session_idle = 8 * 3600;
	c->session_max = 7 * 24 * 3600;
	c->login_max_failures = 5;
	c->login_lock_seconds = 15 * 60;
	c->access_log = 1;
	c->scheduler = 1;
	c->job_lease = SCHEDULER_LEASE;
	c->hash_threads = 1;
	c->login_rate = 30;
	c->login_burst = 20;
	c->public_rate = 120;
	c->public_burst = 30;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The client's address: the socket's peer, or — when the peer is a proxy
 * the operator trusts (RUHU_TRUSTED_PROXY: nginx in front of the nodes,
 * which sets X-Real-IP to its own peer, overwriting what a client sent) —
 * the address that proxy names. The audit trail and the per-address
 * sign-in limit then see people, not the proxy. From anyone else the
 * header is ignored: a client cannot choose its own address. */
static void client_ip(const struct server *srv, struct MHD_Connection *c, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = '\0';
	if (!ci || !ci->client_addr) return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)len);
	if (!out[0] || !trusted_has(&srv->proxies, sa)) return;
	const char *real = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP");
	unsigned char bin[sizeof(struct in6_addr)];
	if (real && strlen(real) < len &&
	    (inet_pton(AF_INET, real, bin) == 1 || inet_pton(AF_INET6, real, bin) == 1))
		snprintf(out, len, "%s", real);
}

static int wants_english(struct MHD_Connection *c)
{
	const char *al = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	/* The first language the client names decides; Chinese otherwise. */
	if (!al) return 0;
	while (*al == ' ') al++;
	return (al[0] == 'e' || al[0] == 'E') && (al[1] == 'n' || al[1] == 'N');
}

/* File uploads may be larger than JSON bodies; which limit applies is
 * known from the route before a byte of the body is read. The larger
 * limit is granted only to a request whose cookie names a live session
 * (looked up now; the request is authenticated as usual once the body is
 * in): a stranger — a made-up cookie is easily sent — cannot make the
 * server hold 32 MiB per connection. */
static size_t body_limit_for(struct rh_req *r)
{
	const struct server *srv = r->srv;
	if (r->match < 0 || !(rh_routes[r->match].flags & (R_UPLOAD | R_IMAGE | R_DOCUMENT))) return srv->cfg.body_limit;
	return req_has_session(r) ? srv->cfg.upload_limit : srv->cfg.body_limit;
}

/* Whether n more bytes of r's body fit under the bound on bodies held at
 * once; if so they are counted as r's. */
static int body_room(struct rh_req *r, size_t n)
{
	size_t bound = server_body_memory(&r->srv->cfg);
	size_t held = atomic_fetch_add(&r->srv->body_bytes, n) + n;
	if (held > bound) {
		atomic_fetch_sub(&r->srv->body_bytes, n);
		return 0;
	}
	r->body_counted += n;
	return 1;
}

/* Lets go of what r's body held. */
static void body_drop(struct rh_req *r)
{
	buf_release(&r->body);
	atomic_fetch_sub(&r->srv->body_bytes, r->body_counted);
	r->body_counted = 0;
}

static enum MHD_Result count_length(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind, (void)value;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) ++*(int *)cls;
	return MHD_YES;
}

static struct rh_req *request_new(struct server *srv, struct MHD_Connection *c, const char *url,
				  const char *method)
{
	struct rh_req *r = calloc(1, sizeof *r);
	if (!r) return NULL;
	r->arena = arena_new(REQUEST_ARENA_CAP);
	if (!r->arena) { free(r); return NULL; }
	r->srv = srv;
	r->conn = c;
	r->t0_ns = now_ns();
	atomic_fetch_add(&srv->requests, 1);
	r->method = method;
	r->path = url;
	r->route_index = -1;
	r->match = route_match(method, url, &r->path_id, &r->method_mismatch);
	r->body_limit = body_limit_for(r);
	buf_init(&r->body, r->body_limit);
	r->lang_en = wants_english(c);
	client_ip(srv, c, r->ip, sizeof r->ip);
	/* Where a body ends must be beyond doubt (RFC 9112, 6.3): MHD reads
	 * the first of two lengths, a proxy in front may read the other or
	 * go by the chunks, and the bytes between would be taken as another
	 * request by one and not the other (request smuggling). */
	int lengths = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_length, &lengths);
	if (lengths > 1 ||
	    (lengths == 1 && MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING)))
		r->bad_framing = 1;
	/* A declared length over the limit is refused without reading it. */
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > r->body_limit) r->body_too_large = 1;
	return r;
}

static void request_free(struct rh_req *r)
{
	atomic_fetch_sub(&r->srv->body_bytes, r->body_counted);
	if (r->ctx_free) r->ctx_free(r->ctx);
	json_decref(r->out);
	if (r->raw && !r->raw_shared) MHD_destroy_response(r->raw);
	buf_release(&r->body);
	arena_free(r->arena);
	free(r);
}

/* Queues resp; our reference to it is dropped unless the server owns it.
 * While the server stops, a connection ends with its answer: a client
 * that keeps its connection open and asks again would keep the stop's
 * wait for requests (server_stop) from ending. */
static enum MHD_Result queue(struct rh_req *r, struct MHD_Response *resp, int status, int shared)
{
	r->status = status;
	if (!resp) return MHD_NO;
	if (!shared && atomic_load(&r->srv->stopping))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)status, resp);
	if (!shared) MHD_destroy_response(resp);
	return ok;
}

/* A body declared too large is answered at once when the client waits
 * for "100 Continue" before sending it (it then never sends it), or when
 * it is too large to be worth reading. Otherwise it is read and dropped
 * first, like one found too large while arriving: a client already
 * sending would meet a closed connection and lose the 413 (seen as curl's
 * "Failed sending data to the peer"). */
static int answer_early(struct MHD_Connection *c)
{
	const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
	const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (expect && strncasecmp(expect, "100-continue", 12) == 0) return 1;
	return !len || strtoull(len, NULL, 10) > DISCARD_MAX;
}

/* Stands in *con_cls for a request whose query on_uri cut off. */
static const char query_cut_mark;

/* MHD 0.9.75 cannot answer a query of some 230 parameters: each takes a
 * record from the connection's pool (CONNECTION_MEMORY), and once that
 * runs out its own 431 finds no room either, so the client waits the
 * 60-second timeout for nothing. MHD calls this with the request line's
 * target before it parses the query; one with more parameters than any
 * route takes is ended at its '?' — the bytes are MHD's read buffer,
 * not constant — so that nothing of it is parsed, and on_request answers
 * 414. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	char *query = strchr(uri, '?');
	if (!query) return NULL;
	/* every '&' counts, "&&" too: MHD makes a record of the nothing
	 * between them, and 400 of those took the pool as well */
	size_t parts = 1;
	for (const char *p = query + 1; *p; p++) parts += *p == '&';
	if (parts <= QUERY_PARAMS_MAX) return NULL;
	query[1] = '\0';
	return (void *)&query_cut_mark;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_size,
				  void **con_cls)
{
	struct server *srv = cls;
	struct rh_req *r = *con_cls;
	if (!r || *con_cls == &query_cut_mark) {
		r = request_new(srv, c, url, method);
		if (!r) return MHD_NO;
		r->query_cut = *con_cls == &query_cut_mark;
		*con_cls = r;
		if (!r->bad_framing && !r->query_cut && (!r->body_too_large || !answer_early(c))) return MHD_YES;
		/* Declared too large, a body whose end is in doubt or a query
		 * cut off: answer before the body is read; MHD closes the
		 * connection afterwards. */
	}
	if (*upload_size) {
		/* A body that turns out too large while arriving (chunked, no
		 * Content-Length) is read and dropped, then answered with 413;
		 * past DISCARD_MAX the connection is simply closed. So is one
		 * that would take the bodies held at once past their bound
		 * (503): each connection may hold its limit, and thousands of
		 * slow senders would otherwise hold gigabytes. */
		if (!r->body_too_large && !r->body_refused && !body_room(r, *upload_size)) {
			r->body_refused = 1;
			body_drop(r);
		}
		if (!r->body_too_large && !r->body_refused && buf_append(&r->body, upload_data, *upload_size) != 0) {
			r->body_too_large = 1;
			body_drop(r);
		}
		if (r->body_too_large || r->body_refused) r->discarded += *upload_size;
		*upload_size = 0;
		return r->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	int status;
	enum rh_err err = RH_OK;
	if (r->wait == WAIT_PENDING) {
		dispatch_resume(r);	/* the pool is done and resumed us */
	} else {
		enum MHD_Result answered;
		if (!r->bad_framing && !r->query_cut && static_files_answer(srv->files, r, &answered)) return answered;
		if (r->bad_framing) {
			req_fail(r, RH_ERR_FIELD_INVALID, MHD_HTTP_HEADER_CONTENT_LENGTH);
		} else if (r->query_cut) {
			req_fail(r, RH_ERR_QUERY_TOO_LONG, NULL);
			r->fail.n = QUERY_PARAMS_MAX;
		} else if (r->body_too_large) {
			req_fail(r, RH_ERR_BODY_TOO_LARGE, NULL);
			r->fail.n = (long long)r->body_limit;
		} else if (r->body_refused) {
			req_fail(r, RH_ERR_BUSY, NULL);
		} else {
			dispatch(r);
		}
	}
	if (r->wait == WAIT_PENDING) return MHD_YES;	/* suspended: answered when resumed */
	err = r->fail.err;
	int shared = err == RH_OK && r->raw_shared;
	struct MHD_Response *resp = reply_render(r, err, &status);
	return queue(r, resp, status, shared);
}

/* A line of the access log, built on the stack without printf: this runs
 * once per request. Appends past the end are dropped, never overflow. */
struct line {
	char p[1024];
	size_t len;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (n > sizeof l->p - l->len) n = sizeof l->p - l->len;
	memcpy(l->p + l->len, s, n);
	l->len += n;
}

static void put_str(struct line *l, const char *s) { put(l, s, strlen(s)); }

static void put_uint(struct line *l, uint64_t v)
{
	char d[24];
	int i = sizeof d;
	do d[--i] = (char)('0' + v % 10); while ((v /= 10) && i > 0);
	put(l, d + i, sizeof d - (size_t)i);
}

/* s as the inside of a JSON string, at most max bytes of it. Valid UTF-8
 * goes in as it is (cut at a character boundary); other bytes, which a
 * URL-decoded path may hold, as \u00XX, so the line stays valid JSON. */
static void put_json(struct line *l, const char *s, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);
	int utf8 = utf8_valid(s, n);
	if (n > max) {
		n = max;
		while (utf8 && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			put(l, e, 2);
		} else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			put(l, e, 6);
		} else {
			put(l, (const char *)&c, 1);
		}
	}
}

static void access_line(const struct rh_req *r, uint64_t elapsed_ns, enum MHD_RequestTerminationCode toe)
{
	struct line l = { .len = 0 };
	char ts[25];
	log_timestamp(ts);
	put_str(&l, "{\"ts\":\"");
	put_str(&l, ts);
	put_str(&l, "\",\"type\":\"access\",\"method\":\"");
	put_json(&l, r->method, 16);
	put_str(&l, "\",\"path\":\"");
	put_json(&l, r->path, 256);
	put_str(&l, "\",\"route\":\"");
	put_str(&l, r->route ? r->route->path : (r->route_index == METRICS_STATIC ? "static" : "-"));
	put_str(&l, "\",\"status\":");
	put_uint(&l, (uint64_t)r->status);
	uint64_t us = elapsed_ns / 1000;
	put_str(&l, ",\"ms\":");
	put_uint(&l, us / 1000);
	char frac[4] = { '.', (char)('0' + us / 100 % 10), (char)('0' + us / 10 % 10), (char)('0' + us % 10) };
	put(&l, frac, 4);
	put_str(&l, ",\"ip\":\"");
	put_str(&l, r->ip);
	put_str(&l, "\"");
	if (r->log_user) {
		put_str(&l, ",\"user\":");
		put_uint(&l, (uint64_t)r->log_user);
	}
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK) {
		put_str(&l, ",\"aborted\":");
		put_uint(&l, (uint64_t)toe);
	}
	put_str(&l, "}");
	log_access(l.p, l.len);
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* %HH escapes in the path and the query decoded as libmicrohttpd does,
 * except %00, which becomes DEL (0x7F): the path reaches the router as a
 * C string, and "/households/1%00x" would be household 1. DEL is in no
 * route, no id, and no field (validate.c refuses it): such a request is
 * a 404 or a 400 naming the parameter. A % that escapes nothing (q=%zz;
 * a browser sends a % as %25) becomes DEL too: it was searched as
 * written. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls, (void)c;
	char *w = s;
	for (const char *r = s; *r; r++) {
		int hi, lo;
		if (*r == '%' && (hi = hex_value(r[1])) >= 0 && (lo = hex_value(r[2])) >= 0) {
			char ch = (char)(hi << 4 | lo);
			*w++ = ch ? ch : '\x7f';
			r += 2;
		} else {
			*w++ = *r == '%' ? '\x7f' : *r;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct rh_req *r = *con_cls;
	*con_cls = NULL;
	if (!r || r == (const void *)&query_cut_mark) return;	/* never reached on_request */
	uint64_t elapsed = now_ns() - r->t0_ns;
	metrics_observe(srv->metrics, r->route_index, r->status, elapsed);
	if (srv->cfg.access_log && log_enabled(LOG_INFO)) access_line(r, elapsed, toe);
	req_abandon(r);	/* a client gone while its request waited: no second run came */
	request_free(r);
	atomic_fetch_sub(&srv->requests, 1);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host) return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535) return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (host[0] == '\0' || strcmp(host, "*") == 0) sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) return -1;
	return 0;
}

void server_address(const struct server *srv, char *out, size_t len)
{
	const char *listen = srv->cfg.listen, *colon = strrchr(listen, ':');
	int host_len = colon ? (int)(colon - listen) : 0;
	if (host_len == 0 || (host_len == 1 && listen[0] == '*')) snprintf(out, len, "0.0.0.0:%d", acceptor_port(srv->acceptor));
	else snprintf(out, len, "%.*s:%d", host_len, listen, acceptor_port(srv->acceptor));
}

size_t server_body_memory(const struct server_config *cfg)
{
	if (cfg->body_memory) return cfg->body_memory;
	size_t imports = (IMPORT_QUEUE + 1) * cfg->upload_limit + 64 * cfg->body_limit;
	return imports > ((size_t)256 << 20) ? imports : (size_t)256 << 20;
}

enum rh_err server_config_check(const struct server_config *cfg, char *err, size_t errlen)
{
	if (cfg->body_memory && (cfg->body_memory < cfg->upload_limit || cfg->body_memory < cfg->body_limit)) {
		int up = cfg->upload_limit >= cfg->body_limit;
		snprintf(err, errlen, "RUHU_BODY_MEMORY (%zu bytes) is less than %s (%zu): no %s of that size could be taken",
			 cfg->body_memory, up ? "RUHU_UPLOAD_LIMIT" : "RUHU_BODY_LIMIT",
			 up ? cfg->upload_limit : cfg->body_limit, up ? "upload" : "request body");
		return RH_ERR_FIELD_INVALID;
	}
	struct trusted t;
	struct sockaddr_in sa;
	char why[160];
	if (trusted_parse(cfg->trusted_proxies, &t, why, sizeof why) != 0) {
		snprintf(err, errlen, "RUHU_TRUSTED_PROXY: %s", why);
		return RH_ERR_FIELD_INVALID;
	}
	if (cfg->public_url && !public_url_valid(cfg->public_url)) {
		snprintf(err, errlen, "RUHU_PUBLIC_URL must be an http:// or https:// address with a host, such as"
			 " https://ruhu.example.com (not \"%.80s\")", cfg->public_url);
		return RH_ERR_FIELD_INVALID;
	}
	if (parse_listen(cfg->listen, &sa) != 0) {
		snprintf(err, errlen, "bad listen address %s (want ADDR:PORT, e.g. 127.0.0.1:8080)", cfg->listen);
		return RH_ERR_FIELD_INVALID;
	}
	return RH_OK;
}

enum rh_err server_start(struct server *srv, const struct server_config *cfg, struct store *st, char *err,
			 size_t errlen)
{
	memset(srv, 0, sizeof *srv);
	srv->cfg = *cfg;
	srv->store = st;
	srv->started_at = (int64_t)time(NULL);
	enum rh_err bad = server_config_check(cfg, err, errlen);
	if (bad != RH_OK) return bad;
	struct sockaddr_in sa;
	char spare[8];
	trusted_parse(cfg->trusted_proxies, &srv->proxies, spare, sizeof spare);	/* checked: cannot fail */
	parse_listen(cfg->listen, &sa);
	static const char ok[] = "{\"status\":\"ok\"}";
	srv->metrics = metrics_new(rh_routes_count);
	srv->files = static_files_load();
	srv->healthz = MHD_create_response_from_buffer(sizeof ok - 1, (void *)ok, MHD_RESPMEM_PERSISTENT);
	if (srv->healthz) {
		MHD_add_response_header(srv->healthz, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
		MHD_add_response_header(srv->healthz, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
		reply_add_common_headers(srv->healthz, 0);
	}
	srv->hasher = offload_start(cfg->hash_threads > 0 ? cfg->hash_threads : 1, HASH_QUEUE);
	srv->importer = offload_start(1, IMPORT_QUEUE);
	srv->login_limiter = rate_limiter_new(cfg->login_rate, cfg->login_burst);
	srv->phantoms = phantom_locks_new();
	srv->public_limiter = rate_limiter_new(cfg->public_rate, cfg->public_burst);
	srv->door_asks = door_asks_new();
	session_prepare();
	if (!srv->metrics || !srv->files || !srv->healthz || !srv->hasher || !srv->importer || !srv->login_limiter || !srv->phantoms || !srv->public_limiter ||
	    !srv->door_asks) {
		snprintf(err, errlen, "out of memory");
		server_stop(srv);
		return RH_ERR_NOMEM;
	}
	/* One MHD daemon per thread, each its own epoll loop without a
	 * listening socket: the acceptor hands each connection to the least
	 * busy (acceptor.h says why not MHD's own pool). */
	int loops = cfg->threads > 0 ? cfg->threads : 1;
	srv->daemons = calloc((size_t)loops, sizeof *srv->daemons);
	if (!srv->daemons) {
		snprintf(err, errlen, "out of memory");
		server_stop(srv);
		return RH_ERR_NOMEM;
	}
	int per_loop = MAX_CONNECTIONS / loops + 1;
	char why[128];
	if (acceptor_listen(&sa, loops, per_loop, &srv->acceptor, why, sizeof why) != RH_OK) {
		snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen, why);
		server_stop(srv);
		return RH_ERR_IO;
	}
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME;
	for (srv->nloops = 0; srv->nloops < loops; srv->nloops++) {
		struct MHD_Daemon *d = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
			MHD_OPTION_NOTIFY_CONNECTION, acceptor_notify, acceptor_loop_cls(srv->acceptor, srv->nloops),
			MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
			MHD_OPTION_CONNECTION_LIMIT, (unsigned)(per_loop + 64),	/* the acceptor's is lower */
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
			MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
			MHD_OPTION_END);
		if (!d) break;
		srv->daemons[srv->nloops] = d;
	}
	if (srv->nloops < loops || acceptor_start(srv->acceptor, srv->daemons) != 0) {
		snprintf(err, errlen, "cannot start the HTTP threads");
		server_stop(srv);
		return RH_ERR_INTERNAL;
	}
	if (cfg->scheduler) srv->scheduler = scheduler_start(st, cfg->job_lease);
	log_flusher_start();
	return RH_OK;
}

/* Waits, up to STOP_WAIT_MS, for the requests begun to be answered:
 * MHD_stop_daemon closes every connection, and would cut an answer not
 * yet sent — an import's that finished as the stop began, or a 503
 * stopping. */
static void wait_for_requests(struct server *srv)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	for (int waited = 0; waited < STOP_WAIT_MS && atomic_load(&srv->requests) > 0; waited += 10)
		nanosleep(&tick, NULL);
	int left = atomic_load(&srv->requests);
	if (left > 0) log_warn("stopping: %d request(s) still open after %d ms are cut", left, STOP_WAIT_MS);
}

void server_stop(struct server *srv)
{
	acceptor_close(srv->acceptor);	/* no new connections */
	atomic_store(&srv->stopping, 1);
	/* Finishes the imports and password checks under way; those still
	 * queued are answered 503 stopping, not done. MHD must have no
	 * suspended connection when it stops. */
	offload_close(srv->hasher);
	offload_close(srv->importer);
	offload_stop(srv->hasher);
	offload_stop(srv->importer);
	wait_for_requests(srv);
	for (int i = 0; i < srv->nloops; i++) MHD_stop_daemon(srv->daemons[i]);
	free(srv->daemons);
	srv->daemons = NULL;
	srv->nloops = 0;
	acceptor_free(srv->acceptor);	/* the daemons reported their closed connections to it */
	srv->acceptor = NULL;
	/* Last of the work: the background job in hand runs to its end (its
	 * lease renewed meanwhile) while nothing new comes in. */
	if (srv->scheduler) scheduler_stop(srv->scheduler);
	srv->scheduler = NULL;
	offload_free(srv->hasher);
	srv->hasher = NULL;
	offload_free(srv->importer);
	srv->importer = NULL;
	rate_limiter_free(srv->login_limiter);
	srv->login_limiter = NULL;
	phantom_locks_free(srv->phantoms);
	srv->phantoms = NULL;
	rate_limiter_free(srv->public_limiter);
	srv->public_limiter = NULL;
	door_asks_free(srv->door_asks);
	srv->door_asks = NULL;
	log_flusher_stop();
	metrics_free(srv->metrics);
	srv->metrics = NULL;
	static_files_free(srv->files);
	srv->files = NULL;
	if (srv->healthz) MHD_destroy_response(srv->healthz);
	srv->healthz = NULL;
}
