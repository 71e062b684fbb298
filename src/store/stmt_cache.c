/*
 * stmt_cache.c — a connection's prepared statements by the address of
 * their struct sql (see stmt_cache.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include "store/stmt_cache.h"

static size_t slot_of(const struct sql *q, size_t nslots)
{
	uintptr_t h = (uintptr_t)q;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 20) & (nslots - 1);
}

struct db_stmt *stmt_cache_get(const struct stmt_cache *c, const struct sql *q)
{
	if (!c->nslots) return NULL;
	for (size_t j = slot_of(q, c->nslots); c->slots[j].key; j = (j + 1) & (c->nslots - 1))
		if (c->slots[j].key == q) return c->slots[j].stmt;
	return NULL;
}

int stmt_cache_put(struct stmt_cache *c, const struct sql *q, struct db_stmt *st)
{
	if ((c->used + 1) * 2 > c->nslots) {
		size_t n = c->nslots ? c->nslots * 2 : 64;
		struct stmt_slot *s = calloc(n, sizeof *s);
		if (!s) return -1;
		for (size_t i = 0; i < c->nslots; i++) {
			if (!c->slots[i].key) continue;
			size_t j = slot_of(c->slots[i].key, n);
			while (s[j].key) j = (j + 1) & (n - 1);
			s[j] = c->slots[i];
		}
		free(c->slots);
		c->slots = s;
		c->nslots = n;
	}
	size_t j = slot_of(q, c->nslots);
	while (c->slots[j].key) j = (j + 1) & (c->nslots - 1);
	c->slots[j].key = q;
	c->slots[j].stmt = st;
	c->used++;
	return 0;
}

void stmt_cache_each(const struct stmt_cache *c, void (*fn)(struct db_stmt *st))
{
	for (size_t i = 0; i < c->nslots; i++)
		if (c->slots[i].stmt) fn(c->slots[i].stmt);
}

void stmt_cache_free(struct stmt_cache *c)
{
	free(c->slots);
	c->slots = NULL;
	c->nslots = c->used = 0;
}
