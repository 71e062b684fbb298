/*
 * ratelimit.c — token buckets per client address (see ratelimit.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/hash.h"
#include "http/ratelimit.h"

#define SLOTS 4096	/* power of two */
#define PROBES 8

struct bucket {
	char key[48];
	double tokens;
	int64_t at_ms;	/* last refill */
};

struct rate_limiter {
	pthread_mutex_t mu;
	double per_ms;
	double burst;
	struct bucket slots[SLOTS];	/* guarded by mu */
};

struct rate_limiter *rate_limiter_new(int per_minute, int burst)
{
	struct rate_limiter *rl = calloc(1, sizeof *rl);
	if (!rl) return NULL;
	pthread_mutex_init(&rl->mu, NULL);
	rl->per_ms = per_minute / 60000.0;
	rl->burst = burst;
	return rl;
}

void rate_limiter_free(struct rate_limiter *rl)
{
	if (!rl) return;
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

int rate_limiter_allow(struct rate_limiter *rl, const char *key, int64_t now_ms)
{
	uint32_t start = str_hash(key);
	pthread_mutex_lock(&rl->mu);
	struct bucket *b = NULL, *oldest = NULL;
	for (uint32_t i = 0; i < PROBES && !b; i++) {
		struct bucket *s = &rl->slots[(start + i) & (SLOTS - 1)];
		if (strncmp(s->key, key, sizeof s->key) == 0 && s->key[0]) b = s;
		else if (!oldest || s->at_ms < oldest->at_ms) oldest = s;
	}
	if (!b) {	/* a new address takes the stalest slot with a full bucket */
		b = oldest;
		strncpy(b->key, key, sizeof b->key - 1);
		b->key[sizeof b->key - 1] = '\0';
		b->tokens = rl->burst;
		b->at_ms = now_ms;
	}
	b->tokens += (double)(now_ms - b->at_ms) * rl->per_ms;
	if (b->tokens > rl->burst) b->tokens = rl->burst;
	b->at_ms = now_ms;
	int ok = b->tokens >= 1.0;
	if (ok) b->tokens -= 1.0;
	pthread_mutex_unlock(&rl->mu);
	return ok;
}
