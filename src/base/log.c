/*
 * log.c — JSON-lines logging on stderr (see log.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/log.h"

static enum log_level min_level = LOG_INFO;	/* written at start-up only */
static const char *const level_names[] = { "debug", "info", "warn", "error", "off" };

int log_set_level_name(const char *name)
{
	for (int i = 0; i <= LOG_OFF; i++)
		if (strcmp(name, level_names[i]) == 0) { min_level = (enum log_level)i; return 0; }
	return -1;
}

void log_set_level(enum log_level level) { min_level = level; }
int log_enabled(enum log_level level) { return level >= min_level && level != LOG_OFF; }

int json_escape_into(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int rc;
		switch (*p) {
		case '"': rc = buf_append(b, "\\\"", 2); break;
		case '\\': rc = buf_append(b, "\\\\", 2); break;
		case '\n': rc = buf_append(b, "\\n", 2); break;
		case '\r': rc = buf_append(b, "\\r", 2); break;
		case '\t': rc = buf_append(b, "\\t", 2); break;
		default:
			if (*p < 0x20) {
				char e[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
				rc = buf_append(b, e, 6);
			} else {
				rc = buf_putc(b, (char)*p);
			}
		}
		if (rc) return -1;
	}
	return 0;
}

int log_put_timestamp(struct buf *b)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	return buf_printf(b, "\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\"", tm.tm_year + 1900,
			  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			  ts.tv_nsec / 1000000);
}

void log_write_line(struct buf *line)
{
	if (buf_putc(line, '\n') != 0) return;
	const char *p = line->data;
	size_t left = line->len;
	while (left > 0) {
		ssize_t n = write(STDERR_FILENO, p, left);
		if (n <= 0) return;
		p += n;
		left -= (size_t)n;
	}
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (!log_enabled(level)) return;
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct buf b = BUF_INIT(8192);
	buf_putc(&b, '{');
	log_put_timestamp(&b);
	buf_printf(&b, ",\"level\":\"%s\",\"msg\":\"", level_names[level]);
	json_escape_into(&b, msg);
	buf_puts(&b, "\"}");
	log_write_line(&b);
	buf_release(&b);
}
