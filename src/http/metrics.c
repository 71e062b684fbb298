/*
 * metrics.c — lock-free per-route counters (see metrics.h).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include "http/http.h"
#include "http/metrics.h"

/* Upper bounds of the latency buckets, in microseconds. */
static const uint64_t bounds_us[] = { 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000 };
#define NB (sizeof bounds_us / sizeof bounds_us[0])

struct slot {
	atomic_uint_fast64_t by_class[6];	/* [1]=1xx … [5]=5xx, [0] other */
	atomic_uint_fast64_t buckets[NB + 1];	/* last is +Inf */
	atomic_uint_fast64_t sum_us;
};

struct metrics {
	size_t nroutes;
	struct slot *slots;	/* nroutes + 2 */
};

struct metrics *metrics_new(size_t nroutes)
{
	struct metrics *m = calloc(1, sizeof *m);
	if (!m) return NULL;
	m->nroutes = nroutes;
	m->slots = calloc(nroutes + 2, sizeof *m->slots);
	if (!m->slots) { free(m); return NULL; }
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m) return;
	free(m->slots);
	free(m);
}

static size_t slot_index(const struct metrics *m, int route)
{
	if (route >= 0 && (size_t)route < m->nroutes) return (size_t)route;
	return route == METRICS_STATIC ? m->nroutes : m->nroutes + 1;
}

void metrics_observe(struct metrics *m, int route, int status, uint64_t ns)
{
	struct slot *s = &m->slots[slot_index(m, route)];
	int cls = status / 100;
	atomic_fetch_add_explicit(&s->by_class[cls >= 1 && cls <= 5 ? cls : 0], 1, memory_order_relaxed);
	uint64_t us = ns / 1000;
	size_t b = 0;
	while (b < NB && us > bounds_us[b]) b++;
	atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->sum_us, us, memory_order_relaxed);
}

static void route_label(const struct metrics *m, size_t i, char *out, size_t len)
{
	if (i < m->nroutes) snprintf(out, len, "%s %s", rh_routes[i].method, rh_routes[i].path);
	else snprintf(out, len, "%s", i == m->nroutes ? "static" : "unmatched");
}

int metrics_render(const struct metrics *m, struct buf *out)
{
	static const char *const classes[] = { "other", "1xx", "2xx", "3xx", "4xx", "5xx" };
	char label[160];
	int rc = buf_puts(out, "# HELP ruhu_http_requests_total HTTP requests by route and status class.\n"
			       "# TYPE ruhu_http_requests_total counter\n");
	for (size_t i = 0; i < m->nroutes + 2 && rc == 0; i++) {
		route_label(m, i, label, sizeof label);
		for (int c = 0; c < 6 && rc == 0; c++) {
			uint64_t v = atomic_load_explicit(&m->slots[i].by_class[c], memory_order_relaxed);
			if (v) rc = buf_printf(out, "ruhu_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
					       label, classes[c], (unsigned long long)v);
		}
	}
	rc |= buf_puts(out, "# HELP ruhu_http_request_duration_seconds Time from request to answer.\n"
			    "# TYPE ruhu_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < m->nroutes + 2 && rc == 0; i++) {
		uint64_t cum = 0;
		for (size_t b = 0; b <= NB; b++) cum += atomic_load_explicit(&m->slots[i].buckets[b], memory_order_relaxed);
		if (!cum) continue;	/* routes never called stay out of the output */
		route_label(m, i, label, sizeof label);
		uint64_t acc = 0;
		for (size_t b = 0; b <= NB && rc == 0; b++) {
			acc += atomic_load_explicit(&m->slots[i].buckets[b], memory_order_relaxed);
			if (b < NB)
				rc = buf_printf(out, "ruhu_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
						label, (double)bounds_us[b] / 1e6, (unsigned long long)acc);
			else
				rc = buf_printf(out, "ruhu_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
						label, (unsigned long long)acc);
		}
		rc |= buf_printf(out, "ruhu_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", label,
				 (double)atomic_load_explicit(&m->slots[i].sum_us, memory_order_relaxed) / 1e6);
		rc |= buf_printf(out, "ruhu_http_request_duration_seconds_count{route=\"%s\"} %llu\n", label,
				 (unsigned long long)cum);
	}
	return rc ? -1 : 0;
}
