/*
 * log.c — JSON-lines logging on stderr (see log.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/log.h"

#define ACCESS_BUF (64 * 1024)
#define FLUSH_AT (32 * 1024)
#define FLUSH_EVERY_MS 100

static enum log_level min_level = LOG_INFO;	/* written at start-up only */
static const char *const level_names[] = { "debug", "info", "warn", "error", "off" };

/* Access lines are buffered per thread, so two HTTP workers never wait
 * for each other to log; each buffer has its own lock, taken by its
 * thread and by the flusher, hardly ever by both at once. Buffers are on
 * the heap and stay on the list after their thread ends, so the flusher
 * never touches freed memory. */
struct tbuf {
	pthread_mutex_t mu;
	size_t len;
	struct tbuf *next;
	char data[ACCESS_BUF];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;	/* stderr writes, the list, the flusher */
static struct tbuf *buffers;			/* guarded by mu */
static _Thread_local struct tbuf *mine;
static int flusher_stop;			/* guarded by mu */
static pthread_cond_t flusher_cv = PTHREAD_COND_INITIALIZER;
static pthread_t flusher;
static atomic_int flusher_running;		/* read without a lock on every access line */

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

void log_timestamp(char out[25])
{
	static _Thread_local time_t cached_sec = -1;	/* per thread: no lock */
	static _Thread_local char cached[20];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != cached_sec) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = ts.tv_sec;
	}
	int ms = (int)(ts.tv_nsec / 1000000);
	memcpy(out, cached, 19);
	out[19] = '.';
	out[20] = (char)('0' + ms / 100);
	out[21] = (char)('0' + ms / 10 % 10);
	out[22] = (char)('0' + ms % 10);
	out[23] = 'Z';
	out[24] = '\0';
}

static void write_all(const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDERR_FILENO, p, len);
		if (n <= 0) return;	/* nowhere to report a failing stderr */
		p += n;
		len -= (size_t)n;
	}
}

/* Writes out one thread's buffer; the caller holds t->mu. The write
 * itself is under the global lock, so whole buffers never interleave. */
static void flush_buffer(struct tbuf *t)
{
	if (!t->len) return;
	pthread_mutex_lock(&mu);
	write_all(t->data, t->len);
	pthread_mutex_unlock(&mu);
	t->len = 0;
}

static void flush_all(void)
{
	pthread_mutex_lock(&mu);
	struct tbuf *list = buffers;
	pthread_mutex_unlock(&mu);
	for (struct tbuf *t = list; t; t = t->next) {
		pthread_mutex_lock(&t->mu);
		flush_buffer(t);
		pthread_mutex_unlock(&t->mu);
	}
}

static struct tbuf *my_buffer(void)
{
	if (mine) return mine;
	struct tbuf *t = malloc(sizeof *t);
	if (!t) return NULL;
	pthread_mutex_init(&t->mu, NULL);
	t->len = 0;
	pthread_mutex_lock(&mu);
	t->next = buffers;
	buffers = t;
	pthread_mutex_unlock(&mu);
	return mine = t;
}

void log_access(const char *line, size_t len)
{
	struct tbuf *t = my_buffer();
	if (!t || !atomic_load(&flusher_running) || len + 1 > ACCESS_BUF) {
		pthread_mutex_lock(&mu);	/* no flusher (tools, tests): write through */
		write_all(line, len);
		write_all("\n", 1);
		pthread_mutex_unlock(&mu);
		return;
	}
	pthread_mutex_lock(&t->mu);
	if (t->len + len + 1 > ACCESS_BUF) flush_buffer(t);
	memcpy(t->data + t->len, line, len);
	t->len += len;
	t->data[t->len++] = '\n';
	if (t->len >= FLUSH_AT) flush_buffer(t);
	pthread_mutex_unlock(&t->mu);
}

static void *flush_loop(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&mu);
	while (!flusher_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += FLUSH_EVERY_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
		pthread_cond_timedwait(&flusher_cv, &mu, &until);
		pthread_mutex_unlock(&mu);
		flush_all();
		pthread_mutex_lock(&mu);
	}
	pthread_mutex_unlock(&mu);
	return NULL;
}

int log_flusher_start(void)
{
	if (atomic_load(&flusher_running)) return 0;
	pthread_mutex_lock(&mu);
	flusher_stop = 0;
	pthread_mutex_unlock(&mu);
	if (pthread_create(&flusher, NULL, flush_loop, NULL) != 0) return -1;
	atomic_store(&flusher_running, 1);
	return 0;
}

void log_flusher_stop(void)
{
	if (!atomic_load(&flusher_running)) return;
	pthread_mutex_lock(&mu);
	flusher_stop = 1;
	pthread_cond_signal(&flusher_cv);
	pthread_mutex_unlock(&mu);
	pthread_join(flusher, NULL);
	atomic_store(&flusher_running, 0);
	flush_all();
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (!log_enabled(level)) return;
	char msg[2048], ts[25];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_timestamp(ts);
	struct buf b = BUF_INIT(8192);
	buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"", ts, level_names[level]);
	json_escape_into(&b, msg);
	buf_puts(&b, "\"}\n");
	flush_all();	/* what the access log holds comes first */
	pthread_mutex_lock(&mu);
	write_all(buf_str(&b), b.len);
	pthread_mutex_unlock(&mu);
	buf_release(&b);
}
