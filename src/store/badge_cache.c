/*
 * badge_cache.c — the public badge check's answers, kept in memory.
 *
 * The check at the door (store_badge_check) is the hottest read ruhu
 * has, and on PostgreSQL each one is a round trip to the server. Its
 * answer changes only when a badge, its worker or the organisation does,
 * which PostgreSQL tells every node of (struct changes, db.h). So an
 * answer is kept with the change count it was read under and given again
 * only while that count has not moved: any change empties the cache, and
 * while nobody watches for changes nothing is kept at all.
 *
 * Only found badges are kept, so what fills it are real tokens — a
 * stranger's guesses cannot crowd it. Shards, each with its own lock,
 * keep the HTTP threads from queueing on one; a full shard starts over.
 * An answer is also forgotten after MAX_AGE_S whatever the count says: a
 * change PostgreSQL did not tell of (a trigger disabled by hand, a
 * restore with triggers off) is not answered wrongly for long.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/hash.h"
#include "store/store_internal.h"

#define SHARDS 16
#define SLOTS 1024		/* per shard, a power of two */
#define SHARD_FULL (SLOTS * 3 / 4)
#define MAX_AGE_S 60

struct slot {
	uint32_t epoch;		/* occupied when the shard's */
	int64_t read_at;	/* monotonic seconds */
	char token[BADGE_TOKEN_LEN + 1];
	struct badge_public answer;
};

struct shard {
	pthread_mutex_t mu;
	uint64_t gen;		/* the change count every occupied slot was read under */
	uint32_t epoch;		/* bumped to empty the shard at once */
	int used;
	struct slot *slots;
};

struct badge_cache {
	struct shard shards[SHARDS];
	_Atomic uint64_t hits, misses;
};

struct badge_cache *badge_cache_new(void)
{
	struct badge_cache *c = calloc(1, sizeof *c);
	if (!c) return NULL;
	for (int i = 0; i < SHARDS; i++) {
		pthread_mutex_init(&c->shards[i].mu, NULL);
		c->shards[i].epoch = 1;
	}
	for (int i = 0; i < SHARDS; i++) {
		/* calloc: pages are touched only as slots are used */
		c->shards[i].slots = calloc(SLOTS, sizeof(struct slot));
		if (!c->shards[i].slots) {
			badge_cache_free(c);
			return NULL;
		}
	}
	return c;
}

void badge_cache_free(struct badge_cache *c)
{
	if (!c) return;
	for (int i = 0; i < SHARDS; i++) {
		free(c->shards[i].slots);
		pthread_mutex_destroy(&c->shards[i].mu);
	}
	free(c);
}

static int64_t now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int badge_cache_get(struct badge_cache *c, const char *token, uint64_t gen, struct badge_public *out)
{
	uint32_t h = str_hash(token);
	struct shard *s = &c->shards[h % SHARDS];
	int hit = 0;
	pthread_mutex_lock(&s->mu);
	if (s->gen == gen) {
		for (uint32_t i = (h / SHARDS) & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
			struct slot *sl = &s->slots[i];
			if (sl->epoch != s->epoch) break;
			if (strcmp(sl->token, token) == 0) {
				hit = now_s() - sl->read_at < MAX_AGE_S;
				if (hit) *out = sl->answer;
				break;
			}
		}
	}
	pthread_mutex_unlock(&s->mu);
	atomic_fetch_add_explicit(hit ? &c->hits : &c->misses, 1, memory_order_relaxed);
	return hit;
}

void badge_cache_put(struct badge_cache *c, const char *token, uint64_t gen, const struct badge_public *answer)
{
	if (strlen(token) > BADGE_TOKEN_LEN) return;
	uint32_t h = str_hash(token);
	struct shard *s = &c->shards[h % SHARDS];
	pthread_mutex_lock(&s->mu);
	if (gen < s->gen) goto done;	/* read before a change the shard already knows of */
	if (gen > s->gen || s->used >= SHARD_FULL) {
		s->gen = gen;
		s->used = 0;
		if (++s->epoch == 0) {	/* after 2^32 emptyings: slots stamped 0 would look occupied */
			memset(s->slots, 0, SLOTS * sizeof *s->slots);
			s->epoch = 1;
		}
	}
	for (uint32_t i = (h / SHARDS) & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
		struct slot *sl = &s->slots[i];
		if (sl->epoch == s->epoch && strcmp(sl->token, token) != 0) continue;
		if (sl->epoch != s->epoch) s->used++;
		sl->epoch = s->epoch;
		sl->read_at = now_s();
		memcpy(sl->token, token, strlen(token) + 1);
		sl->answer = *answer;
		break;
	}
done:
	pthread_mutex_unlock(&s->mu);
}

void badge_cache_stats(struct badge_cache *c, uint64_t *hits, uint64_t *misses)
{
	*hits = c ? atomic_load(&c->hits) : 0;
	*misses = c ? atomic_load(&c->misses) : 0;
}
