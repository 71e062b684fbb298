/*
 * log.h — one JSON object per line on stderr.
 *
 * Operators feed stderr to journald or a log shipper; a line per event in
 * JSON keeps it machine-readable. Two paths:
 *
 * - log_msg() (start-up, warnings, errors) writes its line at once.
 * - log_access() (one line per HTTP request) appends to a buffer that is
 *   written when it passes 32 KiB, before any log_msg() line (so lines
 *   stay in order), and every 100 ms by a flusher thread. A write(2) per
 *   request cost about a quarter of the server's CPU on small requests
 *   (bench/README.md); the price is that a crash may lose the last 100 ms
 *   of access lines — never an audit entry, which lives in the database.
 *
 * Lines are written whole, so lines from different threads never
 * interleave. The level is set once at start-up and only read afterwards;
 * the access buffers (one per thread, so workers never wait for each
 * other) are the one piece of shared mutable state, each behind its own
 * lock, because stderr itself is one per process.
 */
#ifndef RUHU_LOG_H
#define RUHU_LOG_H
#include <stddef.h>
#include <stdint.h>
#include "base/buf.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

/* Call before threads start. Returns -1 for an unknown name. */
int log_set_level_name(const char *name);
void log_set_level(enum log_level level);
int log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* Appends a finished line (no newline) to the access buffer. */
void log_access(const char *line, size_t len);

/* Starts and stops the thread that flushes every 100 ms (ruhu serve).
 * Stopping flushes. */
int log_flusher_start(void);
void log_flusher_stop(void);

/* Appends s as the body of a JSON string (no quotes added). */
int json_escape_into(struct buf *b, const char *s);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" for now into out (25 bytes with the
 * NUL); the seconds part is formatted once per second per thread. */
void log_timestamp(char out[25]);

#endif
