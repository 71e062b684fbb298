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

#define ENSURE_EVERY 600	/* seconds between checks that recurring jobs are queued */
#define UPKEEP_EVERY 60		/* seconds between index upkeeps (store_upkeep) */

struct scheduler {
	struct store *store;
	pthread_t thread, keeper;
	pthread_mutex_t mu;
	pthread_cond_t cv, keeper_cv;
	int stop;		/* the loop's; under mu */
	int keeper_stop;	/* set after the loop has ended, so the job in hand keeps its lease; under mu */
	int64_t lease;		/* seconds a claim lasts unless renewed */
	int64_t held;		/* the job being run (its id), 0 between jobs; under mu */
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

/* Every recurring kind queued for every tenant, due a period after its
 * last run ended, or now when that is past or there was none. Not simply
 * now: a run that has just ended queues its successor a moment later
 * (run_one), and a check landing between the two would run it again at
 * once; so would one after an admin cancelled a run. The tenants are read
 * first: writing while the list's read is still open on this connection
 * would fail as soon as another connection had committed meanwhile. */
static void ensure_recurring(struct db *db, int64_t now)
{
	struct ids ids = { NULL, 0, 0 };
	if (store_tenant_list(db, collect_id, &ids) != RH_OK) log_warn("could not list tenants for recurring jobs");
	for (size_t t = 0; t < ids.n; t++)
		for (size_t i = 0; i < job_kinds_count; i++) {
			const struct job_kind *k = &job_kinds[i];
			int64_t last = 0;
			if (!k->every) continue;
			if (store_job_last_end(db, ids.v[t], k->kind, &last) != RH_OK) last = 0;
			queue_recurring(db, ids.v[t], k, last && last + k->every > now ? last + k->every : now);
		}
	free(ids.v);
}

static void hold(struct scheduler *s, int64_t id)
{
	pthread_mutex_lock(&s->mu);
	s->held = id;
	pthread_mutex_unlock(&s->mu);
}

/* Claims and runs one due job. Returns 1 if one ran. The lease starts
 * now, not at the tick: a job claimed after a long one in the same tick
 * would otherwise start with its lease already run out. */
static int run_one(struct scheduler *s, struct db *db)
{
	const char *worker = s->worker;
	int64_t now = (int64_t)time(NULL);
	struct job j;
	if (store_job_claim(db, worker, now, s->lease, &j) != RH_OK) return 0;
	hold(s, j.id);
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
	hold(s, 0);
	if (rc != RH_OK) log_warn("job %lld (%s) failed: %s", (long long)j.id, j.kind, note.en);
	free(text);
	/* The next run is queued whatever this one's outcome: a retry still
	 * pending keeps it out (same dedup key); a job that died does not stop
	 * the series. */
	if (k && k->every) queue_recurring(db, j.tenant_id, k, end + k->every);
	return 1;
}

static int stopping(struct scheduler *s)
{
	pthread_mutex_lock(&s->mu);
	int stop = s->stop;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

static int64_t mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

static void *loop(void *arg)
{
	struct scheduler *s = arg;
	int64_t last_ensure = 0, last_upkeep = mono_s();
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
		/* A node told to stop finishes the job in hand and claims no
		 * other (deployment.md): up to 49 more due jobs were claimed
		 * and run after the stop, past systemd's stop timeout. */
		int ran = 0;
		while (ran < 50 && !stopping(s) && run_one(s, db)) ran++;
		/* Not a job: every node does it, none is owed it (a node
		 * without a scheduler leaves it to the others). */
		if (mono_s() - last_upkeep >= UPKEEP_EVERY) {
			int64_t pages;
			enum rh_err rc = store_upkeep(db, &pages);
			if (rc == RH_ERR_BUSY) log_debug("index upkeep: an index is locked; next time");
			else if (rc != RH_OK) log_warn("index upkeep failed (%s); next time", rh_error_info(rc)->en);
			else if (pages) log_debug("index upkeep: merged %lld pending pages", (long long)pages);
			last_upkeep = mono_s();
		}
		store_release(s->store, db);

		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += 1;
		pthread_mutex_lock(&s->mu);
		if (!s->stop) pthread_cond_timedwait(&s->cv, &s->mu, &until);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* The lease keeper: while a job runs, its lease is pushed on every third
 * of a lease, on a connection of its own — the job's may be inside a long
 * transaction. A run may last longer than its lease; only a process that
 * stops (or loses the database) for a whole lease lets another take it.
 * On SQLite a renewal can wait behind the job's own write lock and fail
 * (busy); two more tries come before the lease is out. */
static void *keep(void *arg)
{
	struct scheduler *s = arg;
	int64_t every = s->lease / 3 > 0 ? s->lease / 3 : 1;
	pthread_mutex_lock(&s->mu);
	while (!s->keeper_stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);	/* keeper_cv waits by it: a clock step cannot delay a renewal */
		until.tv_sec += every;
		pthread_cond_timedwait(&s->keeper_cv, &s->mu, &until);
		int64_t id = s->held;
		if (s->keeper_stop || !id) continue;
		pthread_mutex_unlock(&s->mu);
		struct db *db = store_acquire(s->store);
		enum rh_err rc = store_job_renew(db, id, s->worker, (int64_t)time(NULL) + s->lease);
		store_release(s->store, db);
		pthread_mutex_lock(&s->mu);
		if (s->held != id) continue;	/* it ended meanwhile: nothing was lost */
		if (rc == RH_ERR_STATE)
			log_warn("job %lld: its lease could not be renewed, another worker may run it", (long long)id);
		else if (rc != RH_OK)
			log_warn("job %lld: lease not renewed (%s), trying again", (long long)id, rh_error_info(rc)->en);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void stop_keeper(struct scheduler *s)
{
	pthread_mutex_lock(&s->mu);
	s->keeper_stop = 1;
	pthread_cond_signal(&s->keeper_cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->keeper, NULL);
}

struct scheduler *scheduler_start(struct store *st, int64_t lease)
{
	struct scheduler *s = calloc(1, sizeof *s);
	if (!s) return NULL;
	s->store = st;
	s->lease = lease > 0 ? lease : SCHEDULER_LEASE;
	char host[32] = "host";
	gethostname(host, sizeof host - 1);
	snprintf(s->worker, sizeof s->worker, "%s:%d", host, (int)getpid());
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_t monotonic;
	pthread_condattr_init(&monotonic);
	pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &monotonic);
	pthread_cond_init(&s->keeper_cv, &monotonic);
	pthread_condattr_destroy(&monotonic);
	if (pthread_create(&s->keeper, NULL, keep, s) != 0) goto fail;
	if (pthread_create(&s->thread, NULL, loop, s) != 0) {
		stop_keeper(s);
		goto fail;
	}
	return s;
fail:
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_cond_destroy(&s->keeper_cv);
	free(s);
	return NULL;
}

void scheduler_stop(struct scheduler *s)
{
	if (!s) return;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	stop_keeper(s);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_cond_destroy(&s->keeper_cv);
	free(s);
}
