/*
 * buf.c — growable byte buffer with a limit (see buf.h).
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/buf.h"

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

static int grow(struct buf *b, size_t need)
{
	if (need > b->max) return -1;
	if (need + 1 <= b->cap) return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need + 1) cap *= 2;
	if (b->max < SIZE_MAX && cap > b->max + 1) cap = b->max + 1;	/* SIZE_MAX: no limit (+1 would wrap) */
	char *p = realloc(b->data, cap);
	if (!p) return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int buf_reserve(struct buf *b, size_t n)
{
	if (n > b->max - b->len) n = b->max - b->len;
	if (grow(b, b->len + n) != 0) return -1;
	if (!b->len) b->data[0] = '\0';
	return 0;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len || grow(b, b->len + n) != 0) return -1;
	if (n) memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n > b->max - b->len || grow(b, b->len + (size_t)n) != 0) return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data) b->data[0] = '\0';
}

void buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data ? b->data : calloc(1, 1);
	if (len) *len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
