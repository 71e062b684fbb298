/*
 * doorask.c — the doors each badge was asked about today (see doorask.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/hash.h"
#include "http/doorask.h"

#define SLOTS 4096	/* power of two */
#define PROBES 8

struct entry {
	char token[24];
	rh_day day;
	int n;
	uint32_t doors[DOOR_ASKS_MAX];	/* hashes of the doors asked that day */
	int64_t used_ms;
};

struct door_asks {
	pthread_mutex_t mu;
	struct entry slots[SLOTS];	/* guarded by mu */
};

struct door_asks *door_asks_new(void)
{
	struct door_asks *d = calloc(1, sizeof *d);
	if (d) pthread_mutex_init(&d->mu, NULL);
	return d;
}

void door_asks_free(struct door_asks *d)
{
	if (!d) return;
	pthread_mutex_destroy(&d->mu);
	free(d);
}

int door_asks_limit(int visits)
{
	long n = DOOR_ASKS_BASE + (long)DOOR_ASKS_PER_VISIT * (visits > 0 ? visits : 0);
	return n > DOOR_ASKS_MAX ? DOOR_ASKS_MAX : (int)n;
}

int door_asks_allow(struct door_asks *d, const char *token, rh_day day, const char *door, int limit, int64_t now_ms)
{
	uint32_t start = str_hash(token), h = str_hash(door);
	if (limit > DOOR_ASKS_MAX) limit = DOOR_ASKS_MAX;
	pthread_mutex_lock(&d->mu);
	struct entry *e = NULL, *stalest = NULL;
	for (uint32_t i = 0; i < PROBES && !e; i++) {
		struct entry *s = &d->slots[(start + i) & (SLOTS - 1)];
		if (s->token[0] && strncmp(s->token, token, sizeof s->token) == 0) e = s;
		else if (!stalest || s->used_ms < stalest->used_ms) stalest = s;
	}
	if (!e) {
		e = stalest;
		memset(e, 0, sizeof *e);
		strncpy(e->token, token, sizeof e->token - 1);
	}
	if (e->day != day) {	/* a new day: nothing asked yet */
		e->day = day;
		e->n = 0;
	}
	e->used_ms = now_ms;
	int ok = 0;
	for (int i = 0; i < e->n && !ok; i++) ok = e->doors[i] == h;
	if (!ok && e->n < limit) {
		e->doors[e->n++] = h;
		ok = 1;
	}
	pthread_mutex_unlock(&d->mu);
	return ok;
}
