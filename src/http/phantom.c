/*
 * phantom.c — lock-outs of user names that are nobody's (see phantom.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/hash.h"
#include "core/user.h"
#include "http/phantom.h"

#define SLOTS 1024	/* power of two */
#define PROBES 8

struct phantom {
	char name[USERNAME_MAX * 4 + 1];	/* "" = free */
	int failures;
	int64_t locked_until;
	int64_t at;	/* last failure */
};

struct phantom_locks {
	pthread_mutex_t mu;
	struct phantom slots[SLOTS];	/* guarded by mu */
};

struct phantom_locks *phantom_locks_new(void)
{
	struct phantom_locks *p = calloc(1, sizeof *p);
	if (p) pthread_mutex_init(&p->mu, NULL);
	return p;
}

void phantom_locks_free(struct phantom_locks *p)
{
	if (!p) return;
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/* The name's slot, or NULL; with take, the least recently used one is
 * given to it when it has none. Under mu. */
static struct phantom *slot(struct phantom_locks *p, const char *name, int take)
{
	uint32_t start = str_hash(name);
	struct phantom *oldest = NULL;
	for (uint32_t i = 0; i < PROBES; i++) {
		struct phantom *s = &p->slots[(start + i) & (SLOTS - 1)];
		if (s->name[0] && strcmp(s->name, name) == 0) return s;
		if (!oldest || s->at < oldest->at) oldest = s;
	}
	if (!take || strlen(name) >= sizeof oldest->name) return NULL;
	memset(oldest, 0, sizeof *oldest);
	strcpy(oldest->name, name);
	return oldest;
}

int64_t phantom_locked(struct phantom_locks *p, const char *name, int64_t now)
{
	pthread_mutex_lock(&p->mu);
	struct phantom *s = slot(p, name, 0);
	int64_t until = s && s->locked_until > now ? s->locked_until : 0;
	pthread_mutex_unlock(&p->mu);
	return until;
}

int64_t phantom_failed(struct phantom_locks *p, const char *name, int max_failures, int lock_seconds, int64_t now)
{
	pthread_mutex_lock(&p->mu);
	struct phantom *s = slot(p, name, 1);
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
