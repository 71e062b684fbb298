/*
 * arena.c — chunked bump allocator (see arena.h).
 *
 * Chunks double in size from 1 KiB up to 64 KiB; a request that asks for
 * more than a chunk holds gets a chunk of its own. Most requests live in
 * the first chunk, which is allocated with the arena header.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/arena.h"

struct chunk {
	struct chunk *next;
	size_t size, used;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
	size_t cap, total;
};

#define FIRST_CHUNK 1024
#define MAX_CHUNK (64 * 1024)

static struct chunk *chunk_new(size_t size)
{
	struct chunk *c = malloc(sizeof *c + size);
	if (!c) return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct arena *arena_new(size_t cap)
{
	struct arena *a = malloc(sizeof *a);
	if (!a) return NULL;
	a->head = chunk_new(FIRST_CHUNK);
	if (!a->head) { free(a); return NULL; }
	a->cap = cap;
	a->total = 0;
	return a;
}

void arena_free(struct arena *a)
{
	if (!a) return;
	for (struct chunk *c = a->head, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0) size = align;
	if (size > a->cap - a->total) return NULL;
	struct chunk *c = a->head;
	if (c->size - c->used < size) {
		size_t want = c->size * 2 > MAX_CHUNK ? MAX_CHUNK : c->size * 2;
		if (want < size) want = size;
		struct chunk *n = chunk_new(want);
		if (!n) return NULL;
		n->next = a->head;
		a->head = c = n;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p) return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = n < 0 ? NULL : arena_alloc(a, (size_t)n + 1);
	if (p) vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
