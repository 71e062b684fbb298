/*
 * doorask.c — the doors each badge was asked about today (see doorask.h).
 *
 * An open-addressing map from a badge's token to its day and the hashes
 * of the doors asked that day, grown as badges come: it never evicts, so
 * no traffic of other badges can make it forget a count. Only badges
 * that exist and are valid are entered, which bounds it by the badges of
 * the organisations the node serves; an entry holds its doors in an
 * array grown as they come (most badges are asked about one or two), and
 * entries two days old are dropped when the map grows.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/hash.h"
#include "http/doorask.h"

#define SLOTS_MIN 1024	/* a power of two, doubled when half full */

struct entry {
	char token[24];		/* "" when the slot is free */
	rh_day day;
	int n, cap;
	uint32_t *doors;	/* hashes of the doors asked that day */
};

struct door_asks {
	pthread_mutex_t mu;
	struct entry *slots;	/* guarded by mu */
	size_t nslots, used;
};

struct door_asks *door_asks_new(void)
{
	struct door_asks *d = calloc(1, sizeof *d);
	if (!d) return NULL;
	d->slots = calloc(SLOTS_MIN, sizeof *d->slots);
	if (!d->slots) {
		free(d);
		return NULL;
	}
	d->nslots = SLOTS_MIN;
	pthread_mutex_init(&d->mu, NULL);
	return d;
}

void door_asks_free(struct door_asks *d)
{
	if (!d) return;
	for (size_t i = 0; i < d->nslots; i++) free(d->slots[i].doors);
	free(d->slots);
	pthread_mutex_destroy(&d->mu);
	free(d);
}

int door_asks_limit(int visits)
{
	long need = DOOR_ASKS_BASE + (long)DOOR_ASKS_PER_VISIT * (visits > 0 ? visits : 0);
	/* 24, 48, 96 or 128: counting to it tells the visits only as coarsely */
	long n = DOOR_ASKS_FLOOR;
	while (n < need && n < DOOR_ASKS_MAX) n *= 2;
	return n > DOOR_ASKS_MAX ? DOOR_ASKS_MAX : (int)n;
}

/* The slot of token in slots (nslots a power of two): its own, or the
 * free one where it goes. */
static struct entry *slot_of(struct entry *slots, size_t nslots, const char *token)
{
	for (size_t i = str_hash(token) & (nslots - 1);; i = (i + 1) & (nslots - 1))
		if (!slots[i].token[0] || strcmp(slots[i].token, token) == 0) return &slots[i];
}

/* Twice the slots, without the entries of days before yesterday (an
 * organisation's today is at most a day from another's): 0, or -1 out
 * of memory (the map is left as it was). */
static int grow(struct door_asks *d, rh_day day)
{
	size_t nslots = d->nslots * 2;
	struct entry *slots = calloc(nslots, sizeof *slots);
	if (!slots) return -1;
	size_t used = 0;
	for (size_t i = 0; i < d->nslots; i++) {
		struct entry *e = &d->slots[i];
		if (!e->token[0]) continue;
		if (e->day < day - 1) {
			free(e->doors);
			continue;
		}
		*slot_of(slots, nslots, e->token) = *e;
		used++;
	}
	free(d->slots);
	d->slots = slots;
	d->nslots = nslots;
	d->used = used;
	return 0;
}

int door_asks_allow(struct door_asks *d, const char *token, rh_day day, const char *door, int limit)
{
	uint32_t h = str_hash(door);
	if (limit > DOOR_ASKS_MAX) limit = DOOR_ASKS_MAX;
	int ok = 0;
	pthread_mutex_lock(&d->mu);
	struct entry *e = slot_of(d->slots, d->nslots, token);
	if (!e->token[0]) {
		/* a new badge; out of memory, the door is not answered: a
		 * search is never let through for want of a place to count it */
		if ((d->used + 1) * 2 > d->nslots && grow(d, day) != 0) goto done;
		e = slot_of(d->slots, d->nslots, token);
		memset(e, 0, sizeof *e);
		strncpy(e->token, token, sizeof e->token - 1);
		e->day = day;
		d->used++;
	}
	if (e->day != day) {	/* a new day: nothing asked yet */
		e->day = day;
		e->n = 0;
	}
	for (int i = 0; i < e->n && !ok; i++) ok = e->doors[i] == h;
	if (!ok && e->n < limit) {
		if (e->n == e->cap) {
			int cap = e->cap ? e->cap * 4 : 4;
			if (cap > DOOR_ASKS_MAX) cap = DOOR_ASKS_MAX;
			uint32_t *grown = realloc(e->doors, (size_t)cap * sizeof *grown);
			if (!grown) goto done;
			e->doors = grown;
			e->cap = cap;
		}
		e->doors[e->n++] = h;
		ok = 1;
	}
done:
	pthread_mutex_unlock(&d->mu);
	return ok;
}
