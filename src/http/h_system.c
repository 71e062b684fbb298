/*
 * h_system.c — health, readiness and metrics, for load balancers and
 * monitoring. Public by design: they reveal no records, only whether the
 * node works and how busy each route is.
 */
#include <stdlib.h>
#include "http/acceptor.h"
#include "http/handlers.h"
#include "http/metrics.h"

enum rh_err h_healthz(struct rh_req *r)
{
	/* Load balancers ask many times a second: one answer, made at start. */
	r->raw = r->srv->healthz;
	r->raw_shared = 1;
	r->status = 200;
	return RH_OK;
}

enum rh_err h_readyz(struct rh_req *r)
{
	enum rh_err rc = store_ping(req_db(r));
	if (rc != RH_OK) return req_fail(r, rc == RH_ERR_UNAVAILABLE ? rc : RH_ERR_BUSY, NULL);
	return reply_json(r, 200, json_pack("{s:s, s:s, s:i}", "status", "ready", "store",
					    store_backend(r->srv->store), "schema",
					    store_schema_version(r->srv->store)));
}

enum rh_err h_metrics(struct rh_req *r)
{
	struct buf b = BUF_INIT(4 << 20);
	uint64_t hits, misses;
	int watching;
	store_badge_cache_stats(r->srv->store, &hits, &misses, &watching);
	if (metrics_render(r->srv->metrics, &b) != 0 ||
	    buf_printf(&b, "# HELP ruhu_badge_cache_total Public badge checks answered from memory (hit) or the database (miss).\n"
			   "# TYPE ruhu_badge_cache_total counter\n"
			   "ruhu_badge_cache_total{result=\"hit\"} %llu\nruhu_badge_cache_total{result=\"miss\"} %llu\n"
			   "# HELP ruhu_badge_cache_watching 1 while the database tells this node of changes (answers may be kept).\n"
			   "# TYPE ruhu_badge_cache_watching gauge\nruhu_badge_cache_watching %d\n",
			   (unsigned long long)hits, (unsigned long long)misses, watching) != 0) {
		buf_release(&b);
		return req_fail(r, RH_ERR_NOMEM, NULL);
	}
	int loops = acceptor_loops(r->srv->acceptor);
	int bad = buf_printf(&b, "# HELP ruhu_http_connections Open connections on each HTTP thread.\n"
				 "# TYPE ruhu_http_connections gauge\n") != 0;
	for (int i = 0; i < loops && !bad; i++)
		bad = buf_printf(&b, "ruhu_http_connections{thread=\"%d\"} %d\n", i,
				 acceptor_loop_connections(r->srv->acceptor, i)) != 0;
	if (!bad)
		bad = buf_printf(&b, "# HELP ruhu_http_body_bytes Request body bytes held now, over every connection"
				 " (RUHU_BODY_MEMORY bounds them).\n# TYPE ruhu_http_body_bytes gauge\nruhu_http_body_bytes %zu\n",
				 atomic_load(&r->srv->body_bytes)) != 0;
	if (bad) {
		buf_release(&b);
		return req_fail(r, RH_ERR_NOMEM, NULL);
	}
	size_t len;
	char *text = buf_detach(&b, &len);
	if (!text) return req_fail(r, RH_ERR_NOMEM, NULL);
	return reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len, 1);
}
