/*
 * log.h — one JSON object per line on stderr.
 *
 * Operators feed stderr to journald or a log shipper; a line per event in
 * JSON keeps it machine-readable (the access log is the same format, see
 * http/server.c). Each line is written with a single write(2), so lines
 * from different threads never interleave. The level is set once at
 * start-up (RUHU_LOG_LEVEL or --log-level) and only read afterwards.
 */
#ifndef RUHU_LOG_H
#define RUHU_LOG_H
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

/* Writes a finished line (without the trailing newline) to stderr. */
void log_write_line(struct buf *line);

/* Appends s as the body of a JSON string (no quotes added). */
int json_escape_into(struct buf *b, const char *s);

/* Appends "ts":"…" for now, in UTC with milliseconds. */
int log_put_timestamp(struct buf *b);

#endif
