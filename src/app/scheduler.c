/*
 * scheduler.c — the background job runner (see scheduler.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "app/jobs.h"
#include "app/scheduler.h"
#include "base/log.h"

#define LEASE 300		/* seconds a claimed job stays ours */
#define ENSURE_EVERY 600	/* seconds between checks that recurring jobs are queued */

struct scheduler {
	struct store *store;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	char worker[64];
};

/* Queues a recurring kind for a tenant at run_at, unless one is already
 * pending or running (the dedup key makes this idempotent). */
static void queue_recurring(struct db *db, int64_t tenant_id, const struct job_kind *k, int64_t run_at)
{
	struct actor system = { .tenant_id = tenant_id, .name = "system" };
	struct job j;
	memset(&j, 0, sizeof j);
	j.tenant_id = tenant_id;
	snprintf(j.kind, sizeof j.kind, "%s", k->kind);
	snprintf(j.dedup_key, sizeof j.dedup_key, "%s", k->kind);
	j.run_at = run_at;
	j.max_attempts = 3;
	int created;
	enum rh_err rc = store_job_enqueue(db, &system, &j, &created);
	if (rc != RH_OK)
		log_warn("could not queue %s for tenant %lld: %s", k->kind, (long long)tenant_id, rh_error_info(rc)->en);
}

struct ids {
	int64_t *v;
	size_t n, cap;
};

static int collect_id(const struct tenant *t, void *arg)
{
	struct ids *ids = arg;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 16;
		int64_t *v = realloc(ids->v, cap * sizeof *v);
		if (!v) return 1;
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n++] = t->id;
	return 0;
}

/* Every recurring kind queued for every tenant. The tenants are read
 * first: writing while the list's read is still open on this connection
 * would fail as soon as another connection had committed meanwhile. */
static void ensure_recurring(struct db *db, int64_t now)
{
	struct ids ids = { NULL, 0, 0 };
	if (store_tenant_list(db, collect_id, &ids) != RH_OK) log_warn("could not list tenants for recurring jobs");
	for (size_t t = 0; t < ids.n; t++)
		for (size_t i = 0; i < job_kinds_count; i++)
			if (job_kinds[i].every) queue_recurring(db, ids.v[t], &job_kinds[i], now);
	free(ids.v);
}

/* Claims and runs one due job. Returns 1 if one ran. */
static int run_one(struct db *db, const char *worker, int64_t now)
{
	struct job j;
	if (store_job_claim(db, worker, now, LEASE, &j) != RH_OK) return 0;
	const struct job_kind *k = job_kind_find(j.kind);
	struct job_note note = { "", "" };
	enum rh_err rc;
	if (k) {
		rc = k->run(db, &j, now, &note);
		if (rc != RH_OK && !note.en[0]) {
			snprintf(note.zh, sizeof note.zh, "%s", rh_error_info(rc)->zh);
			snprintf(note.en, sizeof note.en, "%s", rh_error_info(rc)->en);
		}
	} else {
		rc = RH_ERR_STATE;
		snprintf(note.zh, sizeof note.zh, "未知的任务类型 %s", j.kind);
		snprintf(note.en, sizeof note.en, "unknown job kind %s", j.kind);
	}
	/* Stored as {"zh": …, "en": …}; job_to_json() picks the reader's. */
	json_t *both = json_pack("{s:s, s:s}", "zh", note.zh, "en", note.en);
	char *text = both ? json_dumps(both, JSON_COMPACT) : NULL;
	json_decref(both);
	int64_t end = (int64_t)time(NULL);
	if (end < now) end = now;
	if (store_job_finish(db, j.id, worker, rc == RH_OK, text ? text : note.en, end, end + job_backoff(j.attempts)) != RH_OK)
		log_warn("job %lld (%s): lost its lease before finishing", (long long)j.id, j.kind);
	if (rc != RH_OK) log_warn("job %lld (%s) failed: %s", (long long)j.id, j.kind, note.en);
	free(text);
	/* The next run is queued whatever this one's outcome: a retry still
	 * pending keeps it out (same dedup key); a job that died does not stop
	 * the series. */
	if (k && k->every) queue_recurring(db, j.tenant_id, k, end + k->every);
	return 1;
}

static void *loop(void *arg)
{
	struct scheduler *s = arg;
	int64_t last_ensure = 0;
	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		pthread_mutex_unlock(&s->mu);
		int64_t now = (int64_t)time(NULL);
		struct db *db = store_acquire(s->store);
		int64_t released = 0;
		if (store_job_release_stale(db, now, &released) == RH_OK && released)
			log_warn("re-queued %lld jobs whose worker stopped", (long long)released);
		if (now - last_ensure >= ENSURE_EVERY) {
			ensure_recurring(db, now);
			last_ensure = now;
		}
		int ran = 0;
		while (ran < 50 && run_one(db, s->worker, now)) ran++;
		store_release(s->store, db);

		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_mutex_lock(&s->mu);
		if (!s->stop) pthread_cond_timedwait(&s->cv, &s->mu, &until);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

struct scheduler *scheduler_start(struct store *st)
{
	struct scheduler *s = calloc(1, sizeof *s);
	if (!s) return NULL;
	s->store = st;
	char host[32] = "host";
	gethostname(host, sizeof host - 1);
	snprintf(s->worker, sizeof s->worker, "%s:%d", host, (int)getpid());
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->thread, NULL, loop, s) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

void scheduler_stop(struct scheduler *s)
{
	if (!s) return;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
