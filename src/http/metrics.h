/*
 * metrics.h — request counts and latency histograms per route, served
 * at /metrics in Prometheus' text format.
 *
 * Counters are atomics indexed by the route's position in the route
 * table (plus one slot for UI files and one for unmatched paths), so
 * observing a request takes no lock.
 */
#ifndef RUHU_METRICS_H
#define RUHU_METRICS_H
#include <stddef.h>
#include <stdint.h>
#include "base/buf.h"

#define METRICS_UNMATCHED (-1)
#define METRICS_STATIC (-2)

struct metrics;

struct metrics *metrics_new(size_t nroutes);
void metrics_free(struct metrics *m);

/* Counts one finished request on route (an index or one of the two
 * special slots) with its status and duration. */
void metrics_observe(struct metrics *m, int route, int status, uint64_t ns);

/* Appends the exposition text. */
int metrics_render(const struct metrics *m, struct buf *out);

#endif
