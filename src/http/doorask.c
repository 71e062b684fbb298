/*
 * doorask.c — the doors each badge was asked about today (see doorask.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/hash.h"
#include "http/doorask.h"

#define SLOTS 16384	/* power of two; calloc'ed, so untouched slots cost no memory */
#define PROBES 16

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
	if (n < DOOR_ASKS_FLOOR) n = DOOR_ASKS_FLOOR;
	return n > DOOR_ASKS_MAX ? DOOR_ASKS_MAX : (int)n;
}

/* Whether a is the better entry to give to a new badge than b: an empty
 * one, else one of another day, else the one of today with the fewest
 * doors (the least recently used of equals). Never the busiest of today:
 * a search's own entry, many doors deep, would otherwise be handed on —
 * its count with it — by the traffic of other badges. */
static int worth_less(const struct entry *a, const struct entry *b, rh_day day)
{
	int rank_a = !a->token[0] ? 0 : a->day != day ? 1 : 2, rank_b = !b->token[0] ? 0 : b->day != day ? 1 : 2;
	if (rank_a != rank_b) return rank_a < rank_b;
	if (rank_a == 2 && a->n != b->n) return a->n < b->n;
	return a->used_ms < b->used_ms;
}

int door_asks_allow(struct door_asks *d, const char *token, rh_day day, const char *door, int limit, int64_t now_ms)
{
	uint32_t start = str_hash(token), h = str_hash(door);
	if (limit > DOOR_ASKS_MAX) limit = DOOR_ASKS_MAX;
	pthread_mutex_lock(&d->mu);
	struct entry *e = NULL, *spare = NULL;
	for (uint32_t i = 0; i < PROBES && !e; i++) {
		struct entry *s = &d->slots[(start + i) & (SLOTS - 1)];
		if (s->token[0] && strncmp(s->token, token, sizeof s->token) == 0) e = s;
		else if (!spare || worth_less(s, spare, day)) spare = s;
	}
	if (!e) {
		e = spare;
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
