/*
 * store_job.c — the background job queue (core/job.h).
 *
 * A claim is a single UPDATE of the earliest due pending row, so two
 * workers can never both take one job; on PostgreSQL the inner SELECT adds
 * FOR UPDATE SKIP LOCKED so concurrent claimers pass each other instead of
 * queueing. Finishing checks that the job is still leased to the worker:
 * a worker whose lease ran out (and whose job another worker took) cannot
 * overwrite the newer run's outcome.
 *
 * Jobs the scheduler creates and runs are operational state, not records:
 * claims, attempts and outcomes are kept on the row for an admin to see,
 * not audited. What people do to jobs (enqueue, retry, cancel) is audited.
 */
#include "store/store_internal.h"

#define JOB_COLS "id, tenant_id, kind, payload, run_at, state, attempts, max_attempts," \
	" COALESCE(last_error, ''), COALESCE(result, ''), COALESCE(locked_by, ''), locked_until," \
	" COALESCE(dedup_key, ''), created_at, updated_at, finished_at, version"

static const struct sql Q_ENQUEUE = {
	"INSERT INTO jobs (tenant_id, kind, payload, run_at, state, max_attempts, dedup_key, created_at,"
	" updated_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $7) ON CONFLICT DO NOTHING"
	" RETURNING " JOB_COLS
};
static const struct sql Q_CLAIM = {
	"UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $2, locked_until = $3,"
	" updated_at = $1 WHERE id = (SELECT id FROM jobs WHERE state = 'pending' AND run_at <= $1"
	" ORDER BY run_at, id LIMIT 1) RETURNING " JOB_COLS,
	"UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $2, locked_until = $3,"
	" updated_at = $1 WHERE id = (SELECT id FROM jobs WHERE state = 'pending' AND run_at <= $1"
	" ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " JOB_COLS
};
static const struct sql Q_DONE = {
	"UPDATE jobs SET state = 'done', result = $3, finished_at = $4, updated_at = $4, locked_by = NULL,"
	" locked_until = 0 WHERE id = $1 AND state = 'running' AND locked_by = $2 RETURNING id"
};
static const struct sql Q_FAILED = {
	"UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,"
	" finished_at = CASE WHEN attempts >= max_attempts THEN $4 ELSE 0 END,"
	" last_error = $3, run_at = $5, updated_at = $4, locked_by = NULL, locked_until = 0"
	" WHERE id = $1 AND state = 'running' AND locked_by = $2 RETURNING id"
};
static const struct sql Q_RENEW = {
	"UPDATE jobs SET locked_until = $3 WHERE id = $1 AND state = 'running' AND locked_by = $2 RETURNING id"
};
static const struct sql Q_STALE = {
	"UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,"
	" finished_at = CASE WHEN attempts >= max_attempts THEN $1 ELSE 0 END,"
	" last_error = 'lease expired: the worker stopped before finishing', updated_at = $1,"
	" locked_by = NULL, locked_until = 0 WHERE state = 'running' AND locked_until < $1 RETURNING id"
};
static const struct sql Q_PRUNE = {
	"DELETE FROM jobs WHERE tenant_id = $1 AND state IN ('done', 'dead', 'cancelled') AND finished_at < $2"
	" RETURNING id"
};
static const struct sql Q_LAST_END = {
	"SELECT COALESCE(MAX(finished_at), 0) FROM jobs WHERE tenant_id = $1 AND kind = $2"
	" AND state IN ('done', 'dead', 'cancelled')"
};
static const struct sql Q_GET = { "SELECT " JOB_COLS " FROM jobs WHERE tenant_id = $1 AND id = $2" };
#define JOB_WHERE " WHERE tenant_id = $1 AND ($2 IS NULL OR state = $2) AND ($3 IS NULL OR kind = $3)"
static const struct sql Q_LIST = {
	"SELECT " JOB_COLS " FROM jobs" JOB_WHERE " ORDER BY id DESC LIMIT $4 OFFSET $5"
};
static const struct sql Q_COUNT = { "SELECT COUNT(*) FROM jobs" JOB_WHERE };
static const struct sql Q_RETRY = {
	"UPDATE jobs SET state = 'pending', attempts = 0, run_at = $4, finished_at = 0, updated_at = $4,"
	" version = version + 1 WHERE tenant_id = $1 AND id = $2 AND version = $3"
	" AND state IN ('dead', 'cancelled') RETURNING " JOB_COLS
};
static const struct sql Q_CANCEL = {
	"UPDATE jobs SET state = 'cancelled', finished_at = $4, updated_at = $4, version = version + 1"
	" WHERE tenant_id = $1 AND id = $2 AND version = $3 AND state = 'pending' RETURNING " JOB_COLS
};

static void read_job(struct db *db, struct db_stmt *st, struct job *j)
{
	memset(j, 0, sizeof *j);
	j->id = q_int(db, st, 0);
	j->tenant_id = q_int(db, st, 1);
	q_copy(db, st, 2, j->kind, sizeof j->kind);
	q_copy(db, st, 3, j->payload, sizeof j->payload);
	j->run_at = q_int(db, st, 4);
	if (job_state_parse(q_text(db, st, 5), &j->state) != 0) j->state = JOB_DEAD;
	j->attempts = (int)q_int(db, st, 6);
	j->max_attempts = (int)q_int(db, st, 7);
	q_copy(db, st, 8, j->last_error, sizeof j->last_error);
	q_copy(db, st, 9, j->result, sizeof j->result);
	q_copy(db, st, 10, j->locked_by, sizeof j->locked_by);
	j->locked_until = q_int(db, st, 11);
	q_copy(db, st, 12, j->dedup_key, sizeof j->dedup_key);
	j->created_at = q_int(db, st, 13);
	j->updated_at = q_int(db, st, 14);
	j->finished_at = q_int(db, st, 15);
	j->version = q_int(db, st, 16);
}

static enum rh_err one(struct db *db, struct db_stmt *st, struct job *out)
{
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) read_job(db, st, out);
	enum rh_err rc = s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "job");
	q_finish(db, st);
	return rc;
}

/* Runs an UPDATE … RETURNING id; RH_ERR_STATE when no row changed. */
static enum rh_err changed(struct db *db, struct db_stmt *st)
{
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	q_finish(db, st);
	return s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_STATE : q_error(db, "job update");
}

enum rh_err store_job_enqueue(struct db *db, const struct actor *a, struct job *j, int *created)
{
	*created = 0;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = one(db, q_bind(db, &Q_ENQUEUE, "IttIitI", j->tenant_id, j->kind, j->payload[0] ? j->payload : "{}",
			    j->run_at, j->max_attempts > 0 ? j->max_attempts : 5,
			    j->dedup_key[0] ? j->dedup_key : NULL, store_now()), j);
	if (rc == RH_OK) *created = 1;
	if (rc == RH_ERR_NOT_FOUND) rc = RH_OK;	/* a job with this dedup key is already queued */
	if (rc == RH_OK && *created && a->user_id != 0)
		rc = audit_change(db, a, j->tenant_id, "create", "job", j->id, NULL, job_to_json(j, 0));
	return tx_end(db, rc);
}

enum rh_err store_job_claim(struct db *db, const char *worker, int64_t now, int64_t lease, struct job *out)
{
	return one(db, q_bind(db, &Q_CLAIM, "ItI", now, worker, now + lease), out);
}

/* How long a job's end waits for SQLite's write lock: behind a long
 * import (a million rows: half a minute) the 5 s of any write were not
 * enough, and an end not recorded ran the job again once its lease ran
 * out. The scheduler's thread has no event loop to hold up meanwhile, and
 * the lease keeper keeps the lease (SCHEDULER_LEASE: 5 minutes). On
 * PostgreSQL the UPDATE locks its row only, not the write lock. */
#define JOB_END_WAIT 60000

enum rh_err store_job_finish(struct db *db, int64_t id, const char *worker, int ok, const char *text,
			     int64_t now, int64_t retry_at)
{
	if (db->drv->wait_for_writer) db->drv->wait_for_writer(db, JOB_END_WAIT);
	enum rh_err rc = ok ? changed(db, q_bind(db, &Q_DONE, "IttI", id, worker, text, now))
			    : changed(db, q_bind(db, &Q_FAILED, "IttII", id, worker, text, now, retry_at));
	if (db->drv->wait_for_writer) db->drv->wait_for_writer(db, DB_WAIT_DEFAULT);
	return rc;
}

enum rh_err store_job_renew(struct db *db, int64_t id, const char *worker, int64_t until)
{
	return changed(db, q_bind(db, &Q_RENEW, "ItI", id, worker, until));
}

enum rh_err store_job_release_stale(struct db *db, int64_t now, int64_t *released)
{
	return q_exec_rows(db, &Q_STALE, released, "I", now);
}

enum rh_err store_job_last_end(struct db *db, int64_t tenant_id, const char *kind, int64_t *finished_at)
{
	*finished_at = 0;
	struct db_stmt *st = q_bind(db, &Q_LAST_END, "It", tenant_id, kind);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) *finished_at = q_int(db, st, 0);
	q_finish(db, st);
	return s == DB_ROW ? RH_OK : q_error(db, "job last end");
}

enum rh_err store_job_prune(struct db *db, int64_t tenant_id, int64_t finished_before, int64_t *removed)
{
	return q_exec_rows(db, &Q_PRUNE, removed, "II", tenant_id, finished_before);
}

enum rh_err store_job_list(struct db *db, int64_t tenant_id, const struct job_filter *f,
			   int (*fn)(const struct job *, void *), void *arg, int64_t *total)
{
	const char *state = f->state >= 0 ? job_state_code(f->state) : NULL;
	struct db_stmt *st = q_bind(db, &Q_COUNT, "Itt", tenant_id, state, f->kind);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) *total = q_int(db, st, 0);
	q_finish(db, st);
	if (s != DB_ROW) return q_error(db, "job count");
	st = q_bind(db, &Q_LIST, "Ittii", tenant_id, state, f->kind, f->limit, f->offset);
	if (!st) return q_unprepared(db);
	struct job j;
	while ((s = q_step(db, st)) == DB_ROW) {
		read_job(db, st, &j);
		if (fn(&j, arg)) break;
	}
	q_finish(db, st);
	return s == DB_ERROR ? q_error(db, "job list") : RH_OK;
}

enum rh_err store_job_get(struct db *db, int64_t tenant_id, int64_t id, struct job *out)
{
	return one(db, q_bind(db, &Q_GET, "II", tenant_id, id), out);
}

/* Retry and cancel: same shape, different statement and audit action. */
static enum rh_err admin_change(struct db *db, const struct actor *a, const struct sql *q, const char *action,
				int64_t tenant_id, int64_t id, int64_t version, int64_t now, struct job *out,
				struct rh_fail *fail)
{
	struct job before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = store_job_get(db, tenant_id, id, &before);
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK) rc = version_check(before.version, version, fail);
	if (rc == RH_OK) {
		rc = one(db, q_bind(db, q, "IIII", tenant_id, id, version, now), out);
		if (rc == RH_ERR_NOT_FOUND) rc = rh_fail_field(fail, RH_ERR_STATE, "state");
		if (rc == RH_ERR_DUPLICATE) {	/* a recurring job whose next run is queued already */
			rc = rh_fail_field(fail, RH_ERR_STATE, "state");
			if (fail) {
				fail->detail_zh = "同类任务已在排队或运行";
				fail->detail_en = "a job of this kind is already queued or running";
			}
		}
	}
	if (rc == RH_OK)
		rc = audit_change(db, a, tenant_id, action, "job", id, job_to_json(&before, 0), job_to_json(out, 0));
	return tx_end(db, rc);
}

enum rh_err store_job_retry(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			    int64_t version, int64_t now, struct job *out, struct rh_fail *fail)
{
	return admin_change(db, a, &Q_RETRY, "retry", tenant_id, id, version, now, out, fail);
}

enum rh_err store_job_cancel(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			     int64_t version, int64_t now, struct job *out, struct rh_fail *fail)
{
	return admin_change(db, a, &Q_CANCEL, "cancel", tenant_id, id, version, now, out, fail);
}
