/*
 * job.h — a background job (后台任务): work due at a time, run by the
 * scheduler inside `ruhu serve` (app/scheduler.c), such as a deadline
 * escalation or a monthly report.
 *
 * Life: pending → running → done; a failed run goes back to pending after
 * a back-off until max_attempts, then dead. An admin can retry a dead or
 * cancelled job and cancel a pending one. A running job holds a lease
 * (locked_until); if its worker dies the lease runs out and the job is
 * pending again, so work is never lost — and because a claim is one
 * atomic update, never done twice at once.
 */
#ifndef RUHU_JOB_H
#define RUHU_JOB_H
#include <jansson.h>
#include <stdint.h>

#define JOB_KIND_MAX 48
#define JOB_TEXT_MAX 1024

enum job_state { JOB_PENDING, JOB_RUNNING, JOB_DONE, JOB_DEAD, JOB_CANCELLED };

struct job {
	int64_t id;
	int64_t tenant_id;
	char kind[JOB_KIND_MAX + 1];
	char payload[JOB_TEXT_MAX + 1];		/* JSON object */
	int64_t run_at;
	enum job_state state;
	int attempts;
	int max_attempts;
	char last_error[JOB_TEXT_MAX + 1];
	char result[JOB_TEXT_MAX + 1];
	char locked_by[64];
	int64_t locked_until;
	char dedup_key[JOB_KIND_MAX + 1];	/* one pending/running job per key and tenant */
	int64_t created_at;
	int64_t updated_at;
	int64_t finished_at;
	int64_t version;
};

const char *job_state_code(enum job_state s);
int job_state_parse(const char *s, enum job_state *out);

/* Seconds to wait before attempt n+1 after n failed attempts:
 * 30 s, 1 min, 2 min … doubling, at most an hour. */
int64_t job_backoff(int attempts);

/* How long the daily housekeeping.prune keeps what ran and what was said:
 * a finished job (done, dead, cancelled) for 90 days after it ended, a
 * notice for 180 days after it was sent. */
#define JOB_KEEP_DAYS 90
#define NOTICE_KEEP_DAYS 180

/* The job as JSON. Outcome texts stored in both languages
 * ({"zh": …, "en": …}) come out in one: English when en is set. */
json_t *job_to_json(const struct job *j, int en);

#endif
