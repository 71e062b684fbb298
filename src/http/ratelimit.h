/*
 * ratelimit.h — a token bucket per client address, for password checks.
 *
 * A client may try `burst` passwords at once and then one every
 * 60/per_minute seconds; past that it gets 429 before any hashing is done.
 * The table is fixed in size (least recently refilled entries are reused),
 * so a flood of addresses cannot grow memory. Per node: behind a load
 * balancer each node counts for itself, which only makes the limit looser
 * by the number of nodes.
 */
#ifndef RUHU_RATELIMIT_H
#define RUHU_RATELIMIT_H
#include <stdint.h>

struct rate_limiter;

struct rate_limiter *rate_limiter_new(int per_minute, int burst);
void rate_limiter_free(struct rate_limiter *rl);

/* 1 if key (a client address) may go ahead at now_ms, taking a token. */
int rate_limiter_allow(struct rate_limiter *rl, const char *key, int64_t now_ms);

#endif
