/*
 * doorask.h — how many different doors one badge is asked about in a
 * day, at the public check (V3).
 *
 * A customer asks of their own door, once or twice. Someone who
 * photographed a worker's badge and asks door after door is looking for
 * the homes the worker goes into: the answer is yes or no, but enough of
 * them say where. So a badge answers for at most a number of different
 * doors a day — a few more than the worker has visits — and past that the
 * check says it cannot (429 naming door), whatever address asks; a door
 * asked again is no new door. The per-address rate limit (ratelimit.h)
 * stops floods; this stops a slow search from many addresses.
 *
 * The limit is the same for most workers — a floor above what a day of
 * visits needs — so that counting answers up to the refusal does not
 * tell how many visits the worker has; a long day doubles it, as often
 * as it takes, so that it tells them only as coarsely.
 *
 * Only badges that exist and are valid are entered, and an entry is
 * never evicted: a table that reused entries forgot a search's count
 * whenever other badges' checks filled it (a review measured 100 doors
 * of 100 answered). Per node, like the rate limits: behind a load
 * balancer each node counts for itself, and a restart forgets the day's
 * counts.
 */
#ifndef RUHU_DOORASK_H
#define RUHU_DOORASK_H
#include <stdint.h>
#include "core/date.h"

#define DOOR_ASKS_FLOOR 24	/* doors a badge answers for in a day at least */
#define DOOR_ASKS_BASE 10	/* … or this many beyond … */
#define DOOR_ASKS_PER_VISIT 2	/* … this many for each of the worker's visits that day, if more */
#define DOOR_ASKS_MAX 128	/* and never more */

struct door_asks;

struct door_asks *door_asks_new(void);
void door_asks_free(struct door_asks *d);

/* The doors a badge whose worker has visits visits on a day answers for:
 * ten and two a visit, rounded up to 24, 48, 96 or 128. */
int door_asks_limit(int visits);

/* 1 if the badge (its token) may be asked about door (as door_clean()
 * gives it) on day (its organisation's), counting it; 0 when limit other
 * doors have been asked about it that day (and when out of memory). */
int door_asks_allow(struct door_asks *d, const char *token, rh_day day, const char *door, int limit);

#endif
