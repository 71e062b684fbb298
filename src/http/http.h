/*
 * http.h — what the HTTP layer's parts share: the server, its settings,
 * a request as handlers see it, and the route table's shape.
 *
 * The flow of a request (server.c → dispatch.c → a handler):
 *   1. server.c reads the request and its body (up to the body limit)
 *      into a struct rh_req with an arena of its own;
 *   2. dispatch.c finds the route, checks the session, the role, CSRF,
 *      the content type, and validates query and body against the route's
 *      schemas — all in one place, for every route;
 *   3. the handler gets typed values (r->in, r->q, r->path_id), calls the
 *      store and puts its JSON answer in r->out, or returns an error with
 *      r->fail filled;
 *   4. reply.c renders the answer or the error (in the caller's language)
 *      and server.c logs one JSON line and counts it in the metrics.
 */
#ifndef RUHU_HTTP_H
#define RUHU_HTTP_H
#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include "base/arena.h"
#include "base/buf.h"
#include "core/date.h"
#include "core/error.h"
#include "core/role.h"
#include "core/validate.h"
#include "http/addr.h"
#include "core/secret.h"
#include "http/offload.h"
#include "store/store.h"

struct MHD_Connection;
struct MHD_Response;
struct metrics;
struct static_files;

struct server_config {
	const char *listen;		/* "127.0.0.1:8080" */
	int threads;			/* HTTP worker threads */
	size_t body_limit;		/* bytes; larger bodies get 413 */
	size_t upload_limit;		/* the same for file uploads (R_UPLOAD routes) */
	size_t body_memory;		/* bytes of bodies held at once, over every request; 0: the default */
	int session_idle;		/* seconds without use before a session ends */
	int session_max;		/* seconds a session may live at most */
	int login_max_failures;		/* failed sign-ins before the lock-out */
	int login_lock_seconds;
	int cookie_secure;		/* add Secure to the cookie (behind HTTPS) */
	int access_log;			/* one JSON line per request on stderr */
	int scheduler;			/* run background jobs in this process */
	int job_lease;			/* seconds a claimed job is ours unless renewed (scheduler.h) */
	int hash_threads;		/* password hashing threads (offload.h) */
	int login_rate;			/* password checks per minute per client address */
	int login_burst;		/* … of which this many at once */
	const char *trusted_proxies;	/* comma-separated peers whose X-Real-IP is believed, or NULL */
	int public_rate;		/* public page requests per minute per client address */
	int public_burst;		/* … of which this many at once */
	const char *public_url;		/* where customers reach us ("https://…"), for badge QR codes; NULL: the Host header */
};

void server_config_defaults(struct server_config *c);

struct server {
	struct server_config cfg;
	struct store *store;
	struct metrics *metrics;
	struct static_files *files;
	struct acceptor *acceptor;	/* the listening socket (acceptor.h) */
	struct MHD_Daemon **daemons;	/* one per HTTP thread, each an event loop */
	int nloops;
	struct scheduler *scheduler;
	struct MHD_Response *healthz;	/* built once, shared by every probe */
	struct offload *hasher;		/* password checks and hashes (offload.h) */
	struct offload *importer;	/* imports, one at a time */
	struct rate_limiter *login_limiter;
	struct phantom_locks *phantoms;		/* lock-outs of names that are nobody's (phantom.h) */
	struct rate_limiter *public_limiter;	/* R_THROTTLED routes */
	struct door_asks *door_asks;		/* the doors each badge was asked about today (doorask.h) */
	struct trusted proxies;			/* cfg.trusted_proxies, parsed */
	int64_t started_at;
	atomic_int stopping;		/* server_stop() has begun */
	atomic_int requests;		/* begun and not yet completed (the stop waits for them) */
	_Atomic size_t body_bytes;	/* held in request bodies now (cfg.body_memory bounds it) */
};

/* The bound on bodies held at once that cfg gives or implies: its own,
 * or at least 256 MiB and room for every import that may wait with its
 * file (IMPORT_QUEUE) and the one running. */
size_t server_body_memory(const struct server_config *cfg);

/* Whether cfg's addresses are well formed (listen, trusted proxies,
 * public URL): RH_OK, or an error with what is wrong in err. server_start()
 * checks it too; `ruhu serve` asks first, before opening the database. */
enum rh_err server_config_check(const struct server_config *cfg, char *err, size_t errlen);

/* Starts serving on cfg->listen; returns RH_OK once the socket listens. */
enum rh_err server_start(struct server *srv, const struct server_config *cfg, struct store *st,
			 char *err, size_t errlen);
void server_stop(struct server *srv);

/* Where a started server listens, "ADDR:PORT", with the port the kernel
 * chose when cfg->listen asked for port 0. */
void server_address(const struct server *srv, char *out, size_t len);

struct route;

/* A password check or hash done off the event loop (req_hash). */
enum hash_op {
	HASH_VERIFY,		/* does password match hash_in? */
	HASH_MAKE,		/* hash password into hash_out */
	HASH_VERIFY_THEN_MAKE,	/* verify password against hash_in; if it matches, hash new_password */
};

struct hash_job {
	struct off_job job;		/* first: the pool hands this back */
	enum hash_op op;
	const char *password;
	const char *new_password;
	char hash_in[PASSWORD_HASH_MAX];
	char hash_out[PASSWORD_HASH_MAX];
	int ok;				/* 1 matched / made; 0 no match or no memory; -1 matched, not made */
};

/* The most query parameters a request may carry, more than any route
 * takes; a query with more is answered 414 query_too_long. */
#define QUERY_PARAMS_MAX 32

struct rh_req {
	struct server *srv;
	struct MHD_Connection *conn;
	struct arena *arena;
	const char *method;
	const char *path;
	const struct route *route;	/* NULL until dispatched */
	int route_index;		/* -1: no route (static file or 404) */
	int64_t path_id;		/* the numeric path parameter, if any */
	int match;			/* route_match()'s answer, found once on arrival */
	int method_mismatch;		/* with match -1: the path exists for another method */
	struct buf body;
	size_t body_limit;		/* this request's (body_limit, or upload_limit) */
	size_t body_counted;		/* of srv->body_bytes, this request's */
	int body_refused;		/* the bodies held at once were at their bound: 503 busy */
	int body_too_large;
	int bad_framing;		/* Content-Length twice, or beside Transfer-Encoding: 400, then closed */
	int query_cut;			/* past QUERY_PARAMS_MAX, cut before MHD parsed it (server.c): 414 */
	size_t discarded;		/* bytes of an oversized body dropped */
	int lang_en;			/* reply in English (Accept-Language) */
	char ip[48];
	uint64_t t0_ns;

	/* after dispatch's checks */
	int signed_in;
	struct session sess;		/* the caller's session and user */
	struct value in[VALIDATE_MAX_FIELDS];	/* body fields, indexed like route->body */
	struct value q[VALIDATE_MAX_FIELDS];	/* query parameters, like route->query */
	struct db *db;			/* acquired for the handler, released after */

	/* work handed off the event loop (req_hash, req_offload) */
	enum { WAIT_NONE, WAIT_PENDING, WAIT_DONE } wait;
	struct off_job *offloaded;	/* the job handed off, once it is */
	struct hash_job hash;
	void *ctx;			/* what a handler keeps between its two runs (arena) */
	/* Frees what ctx holds outside the arena; called when the request
	 * ends, whether or not the handler's second run came: MHD may close
	 * a resumed connection whose client has gone without calling it. */
	void (*ctx_free)(void *ctx);
	/* Undoes what the first run reserved for its second when the second
	 * never comes: the work handed off refused or skipped (the server
	 * stopping), or the client gone before it (MHD then ends the request
	 * without it). NULL when nothing was reserved; req_abandon() calls it. */
	void (*abandon)(struct rh_req *r);
	int64_t touch_expires;		/* session to extend when the request is done; 0 = no */

	/* the answer */
	int status;			/* 0 = from the error, or 200 */
	json_t *out;			/* owned; NULL for an empty body */
	struct rh_fail fail;		/* details when the handler fails */
	const char *set_cookie;		/* a Set-Cookie value, in the arena */
	int retry_after;		/* a 429's Retry-After in seconds; 0: from the rate limit */
	struct MHD_Response *raw;	/* a prepared non-JSON answer (metrics) */
	int raw_shared;			/* raw belongs to the server, not to this request */
	int64_t log_user;
};

/* Route flags */
#define R_PUBLIC 1u		/* no session needed (sign-in, health) */
#define R_PASSWORD_CHANGE_OK 2u	/* allowed while an initial password must be changed */
#define R_SYSTEM 4u		/* outside /api/v1: health, readiness, metrics */
#define R_UPLOAD 8u		/* the body is a file (CSV), up to upload_limit, not JSON */
#define R_IMAGE 16u		/* the body is an image (JPEG or PNG), not JSON */
#define R_THROTTLED 32u		/* a public page: rate-limited per client address (public_rate) */
#define R_DOCUMENT 64u		/* the body is a document (PDF, JPEG or PNG), not JSON */

struct route {
	const char *method;
	const char *path;		/* segments; ":id" is a positive integer */
	rh_roles roles;			/* who may call it */
	unsigned flags;
	const struct schema *body;	/* NULL: no body accepted */
	const struct schema *query;	/* NULL: no query parameters accepted */
	enum rh_err (*handler)(struct rh_req *r);
	const char *zh, *en;		/* what it does, for the roles page and docs */
};

extern const struct route rh_routes[];
extern const size_t rh_routes_count;

/* Finds the route for method and path. Returns its index and fills
 * *path_id, or -1 (and *method_mismatch = 1 when the path exists with
 * another method). */
int route_match(const char *method, const char *path, int64_t *path_id, int *method_mismatch);

/* Runs a complete request through the checks and its handler, leaving the
 * answer in r (dispatch.c) — unless the handler handed work off the
 * event loop: then r->wait is WAIT_PENDING, the connection is suspended,
 * and dispatch_resume() finishes when it is resumed. */
void dispatch(struct rh_req *r);
void dispatch_resume(struct rh_req *r);

/* Whether the request's session cookie names a live session of an
 * active account (a database lookup; r->sess is left alone). */
int req_has_session(struct rh_req *r);

/* Hands a password check or hash to the hasher and suspends the request;
 * the handler returns RH_OK, and is called again with r->wait ==
 * WAIT_DONE and the outcome in r->hash. password etc. must live in the
 * arena or the request. RH_ERR_BUSY when the hasher's queue is full. */
enum rh_err req_hash(struct rh_req *r, enum hash_op op, const char *password, const char *new_password,
		     const char *hash_in);

/* The same for other work, in pool: job->run is called on a pool thread
 * (with no database connection of the request's: it takes its own), then
 * the handler again with r->wait == WAIT_DONE. job and what it points to
 * must live in the arena or the request; what job->run allocates is freed
 * by r->ctx_free, as the second run may never come. RH_ERR_BUSY when the
 * queue is full. When the server stops before the job begins, the job is
 * skipped and the request answered 503 stopping without the second run
 * (RH_ERR_STOPPING also when it is handed off during the stop). */
enum rh_err req_offload(struct rh_req *r, struct offload *pool, struct off_job *job);
/* Runs r->abandon, if still set, once: the second run will not come. */
void req_abandon(struct rh_req *r);

/* RH_ERR_RATE_LIMITED when the client address has tried too many
 * passwords lately (ratelimit.h); else RH_OK. */
enum rh_err req_password_rate(struct rh_req *r);

/* The connection for this request: the worker thread's own (see
 * store_thread_db), reset by dispatch() when the handler returns. */
struct db *req_db(struct rh_req *r);
/* Ends whatever the request had open on it (before slow work such as
 * hashing a password, so no snapshot is held meanwhile). */
void req_db_release(struct rh_req *r);

/* The actor for audit entries: the signed-in user, with the request's IP. */
struct actor req_actor(const struct rh_req *r, const char *reason);

/* The tenant's UTC offset for the caller (480 when not signed in). */
int req_tz(const struct rh_req *r);
/* Today in the caller's organisation. */
rh_day req_today(const struct rh_req *r);

/* SPEC X3: a change the handler applies to the record as it read it
 * must name that version. The store checks the version named against
 * the record inside its write; a caller naming a later one (a guess)
 * whose handler read the record before that version landed would have
 * its stale copy written over it. 409 version_conflict otherwise. */
enum rh_err req_read_version(struct rh_req *r, int64_t read, int64_t sent);

/* SPEC X1: whether the caller may see what site_id holds (0, no site:
 * only an account that sees the whole organisation), and a household
 * (one not there: no). A record outside is answered as not found. */
enum rh_err req_site_visible(struct rh_req *r, int64_t site_id, int *yes);
enum rh_err req_household_visible(struct rh_req *r, int64_t household_id, int *yes);

/* Helpers for handlers: a value from the validated body or query. */
static inline const char *in_str(const struct rh_req *r, int f) { return r->in[f].present && !r->in[f].is_null ? r->in[f].s : NULL; }
static inline int in_has(const struct rh_req *r, int f) { return r->in[f].present; }
static inline long long in_int(const struct rh_req *r, int f, long long def) { return r->in[f].present && !r->in[f].is_null ? r->in[f].i : def; }
static inline const char *param_str(const struct rh_req *r, int f) { return r->q[f].present ? r->q[f].s : NULL; }
/* Copies body field f into dst when the body has it (null: ""). The
 * schema bounds its characters, dst holds four bytes for each. */
static inline void in_copy(const struct rh_req *r, int f, char *dst, size_t cap)
{
	if (in_has(r, f)) snprintf(dst, cap, "%s", in_str(r, f) ? in_str(r, f) : "");
}
static inline long long param_int(const struct rh_req *r, int f, long long def) { return r->q[f].present ? r->q[f].i : def; }

/* Answers: set r->out (taking the reference) and the status. */
enum rh_err reply_json(struct rh_req *r, int status, json_t *out);
/* A page of a list: {"items": items, "total": n, "limit": l, "offset": o}. */
enum rh_err reply_page(struct rh_req *r, json_t *items, int64_t total, int limit, int offset);
/* A non-JSON answer of len bytes with its type. must_free: data was
 * malloc'ed and now belongs to the answer; else it is static. */
enum rh_err reply_raw(struct rh_req *r, int status, const char *type, void *data, size_t len, int must_free);
/* A file to download: data (malloc'ed, taken over) as name.ext. */
enum rh_err reply_file(struct rh_req *r, const char *type, const char *name, const char *ext, char *data, size_t len);

/* Fills r->fail and returns err, naming a field. */
enum rh_err req_fail(struct rh_req *r, enum rh_err err, const char *field);
/* The same for field f of the route's body schema, with its labels. */
enum rh_err req_fail_in(struct rh_req *r, enum rh_err err, int f);
/* req_fail_in() with the reason in both languages (static strings). */
enum rh_err req_fail_why(struct rh_req *r, enum rh_err err, int f, const char *zh, const char *en);

/* Renders r's answer (r->out or the error) as a response (reply.c). */
struct MHD_Response *reply_render(struct rh_req *r, enum rh_err err, int *status);

/* Headers every answer carries (reply.c). */
void reply_add_common_headers(struct MHD_Response *resp, int html);

#endif
