/*
 * phantom.c — lock-outs of user names that are nobody's (see phantom.h).
 *
 * The slots are found by a keyed hash (SipHash, a key drawn at start-up):
 * nobody can work out offline which names share a name's slots and push
 * its count out with them. A slot still counting or locked is not given
 * to another name while a stale one is at hand.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "core/user.h"
#include "http/phantom.h"

#define SLOTS 4096	/* power of two */
#define PROBES 16

struct phantom {
	char name[USERNAME_MAX * 4 + 1];	/* "" = free */
	int failures;
	int64_t locked_until;
	int64_t at;	/* last failure */
};

struct phantom_locks {
	pthread_mutex_t mu;
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct phantom slots[SLOTS];	/* guarded by mu */
};

struct phantom_locks *phantom_locks_new(void)
{
	struct phantom_locks *p = calloc(1, sizeof *p);
	if (!p) return NULL;
	pthread_mutex_init(&p->mu, NULL);
	randombytes_buf(p->key, sizeof p->key);
	return p;
}

void phantom_locks_free(struct phantom_locks *p)
{
	if (!p) return;
	pthread_mutex_destroy(&p->mu);
	sodium_memzero(p->key, sizeof p->key);
	free(p);
}

/* Whether slot s still counts at now: locked, or a failure within the
 * time a lock would last. */
static int active(const struct phantom *s, int64_t now, int lock_seconds)
{
	return s->name[0] && (s->locked_until > now || now - s->at < lock_seconds);
}

/* The name's slot, or NULL; with take, a free or stale one is given to
 * it when it has none (the least recently used of them, or of all the
 * probed ones when every one still counts). Under mu. */
static struct phantom *slot(struct phantom_locks *p, const char *name, int take, int64_t now, int lock_seconds)
{
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)name, strlen(name), p->key);
	uint32_t start = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
	struct phantom *stale = NULL, *oldest = NULL;
	for (uint32_t i = 0; i < PROBES; i++) {
		struct phantom *s = &p->slots[(start + i) & (SLOTS - 1)];
		if (s->name[0] && strcmp(s->name, name) == 0) return s;
		if (!active(s, now, lock_seconds) && (!stale || s->at < stale->at)) stale = s;
		if (!oldest || s->at < oldest->at) oldest = s;
	}
	struct phantom *given = stale ? stale : oldest;
	if (!take || strlen(name) >= sizeof given->name) return NULL;
	memset(given, 0, sizeof *given);
	strcpy(given->name, name);
	return given;
}

int64_t phantom_locked(struct phantom_locks *p, const char *name, int64_t now)
{
	pthread_mutex_lock(&p->mu);
	struct phantom *s = slot(p, name, 0, now, 0);
	int64_t until = s && s->locked_until > now ? s->locked_until : 0;
	pthread_mutex_unlock(&p->mu);
	return until;
}

int64_t phantom_failed(struct phantom_locks *p, const char *name, int max_failures, int lock_seconds, int64_t now)
{
	pthread_mutex_lock(&p->mu);
	struct phantom *s = slot(p, name, 1, now, lock_seconds);
	int64_t until = 0;
	if (s) {
		if (s->locked_until && s->locked_until <= now) {	/* a lock that ran out starts the count again */
			s->failures = 0;
			s->locked_until = 0;
		}
		s->at = now;
		if (++s->failures >= max_failures) until = s->locked_until = now + lock_seconds;
	}
	pthread_mutex_unlock(&p->mu);
	return until;
}
