/*
 * stmt_cache.h — a connection's prepared statements, found by the address
 * of their `static const struct sql` (db.h): what every driver keeps, so
 * written once. Open addressing in a power-of-two table, never more than
 * half full. The cache holds the driver's statement objects but does not
 * own them: the driver frees them (stmt_cache_each) before stmt_cache_free.
 */
#ifndef RUHU_STMT_CACHE_H
#define RUHU_STMT_CACHE_H
#include <stddef.h>
#include "store/db.h"

struct stmt_slot {
	const struct sql *key;
	struct db_stmt *stmt;
};

struct stmt_cache {
	struct stmt_slot *slots;
	size_t nslots, used;
};

/* The statement cached for q, or NULL. */
struct db_stmt *stmt_cache_get(const struct stmt_cache *c, const struct sql *q);

/* Caches st for q (not there yet): 0, or -1 when out of memory. */
int stmt_cache_put(struct stmt_cache *c, const struct sql *q, struct db_stmt *st);

/* Calls fn with every cached statement. */
void stmt_cache_each(const struct stmt_cache *c, void (*fn)(struct db_stmt *st));

/* Frees the table (not the statements). */
void stmt_cache_free(struct stmt_cache *c);

#endif
