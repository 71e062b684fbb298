/*
 * buf.h — a growable byte buffer with a size limit (curl's dynbuf).
 *
 * The limit is fixed when the buffer is made: request bodies, CSV
 * exports and log lines each say up front how large they may grow, and
 * an append past the limit fails instead of eating memory. The content is
 * always NUL-terminated, so text can be used as a C string directly.
 */
#ifndef RUHU_BUF_H
#define RUHU_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;	/* NULL until the first append; always NUL-terminated after */
	size_t len;
	size_t cap;
	size_t max;	/* the most len may become */
};

#define BUF_INIT(maxlen) { NULL, 0, 0, (maxlen) }

void buf_init(struct buf *b, size_t max);

/* 0 on success, -1 when out of memory or past the limit (b unchanged). */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The content as a string ("" when empty); valid until the next append. */
const char *buf_str(const struct buf *b);

/* Makes room for n more bytes without growing again. 0 or -1. */
int buf_reserve(struct buf *b, size_t n);

/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);

/* Frees the memory; the buffer is empty and usable again. */
void buf_release(struct buf *b);

/* Hands the memory to the caller (free() it); the buffer is empty again.
 * Returns an allocated "" for an empty buffer, NULL when out of memory. */
char *buf_detach(struct buf *b, size_t *len);

#endif
