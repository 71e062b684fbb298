/*
 * arena.h — a memory pool with a cap, freed in one step.
 *
 * Every HTTP request gets one (h2o's req->pool is the model): strings,
 * validated input and path parameters are allocated from it and vanish
 * together when the request completes, so handlers never free piecemeal.
 * The cap bounds what one request can make the server allocate; an
 * allocation past it returns NULL, which callers turn into RH_ERR_NOMEM.
 */
#ifndef RUHU_ARENA_H
#define RUHU_ARENA_H
#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A new, empty arena that will hand out at most cap bytes in total.
 * Returns NULL when out of memory. Free with arena_free(). */
struct arena *arena_new(size_t cap);

/* Frees the arena and everything allocated from it. NULL is a no-op. */
void arena_free(struct arena *a);

/* size bytes aligned for any type, or NULL past the cap. Zeroed. */
void *arena_alloc(struct arena *a, size_t size);

/* Copies of strings, owned by the arena; NULL past the cap. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for tests and metrics). */
size_t arena_used(const struct arena *a);

#endif
