/*
 * store_hiring.c — a worker's road in and out (SPEC S2, S4, S6): the
 * documents, the hiring pipeline's decisions, trainings, discipline and
 * what a leaver hands back; what a change of status sets off; and the
 * facts eligibility decides from (core/eligibility.h).
 *
 * Steps and trainings are only ever added (X3): a step decided again is
 * a new row, the latest of a step counts, and steps come in the
 * pipeline's order (core/fieldstaff.h). A discipline entry is never
 * deleted: corrected or annulled, it is a new version of its row, the
 * old one kept in the audit trail.
 */
#include <stdlib.h>
#include "store/store_internal.h"

static const struct sql Q_STAFF_EXISTS = { "SELECT 1 FROM staff WHERE tenant_id = $1 AND id = $2" };

enum rh_err staff_exists(struct db *db, int64_t tenant_id, int64_t staff_id, const char *field, struct rh_fail *fail)
{
	struct db_stmt *st = q_bind(db, &Q_STAFF_EXISTS, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "staff exists");
	return step == DB_ROW ? RH_OK : rh_fail_field(fail, RH_ERR_NOT_FOUND, field);
}

/* ---- documents ---- */

#define FILE_COLS "id, tenant_id, staff_id, kind, name, content_type, size, sha256, uploaded_by, created_at"
static const struct sql Q_FILE_INSERT = {
	"INSERT INTO staff_files (tenant_id, staff_id, kind, name, content_type, size, sha256, data, uploaded_by,"
	" created_at, data_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id"
};
static const struct sql Q_FILE_GET = {
	"SELECT " FILE_COLS ", data, data_sealed FROM staff_files WHERE tenant_id = $1 AND id = $2"
};
static const struct sql Q_FILES = {
	"SELECT " FILE_COLS " FROM staff_files WHERE tenant_id = $1 AND staff_id = $2 ORDER BY id"
};
static const struct sql Q_FILE_OWNER = { "SELECT 1 FROM staff_files WHERE tenant_id = $1 AND id = $2 AND staff_id = $3" };

static void read_file(struct db *db, struct db_stmt *st, struct staff_file *f)
{
	memset(f, 0, sizeof *f);
	f->id = q_int(db, st, 0);
	f->tenant_id = q_int(db, st, 1);
	f->staff_id = q_int(db, st, 2);
	f->kind = choice_parse_or(&doc_kind_set, q_text(db, st, 3), (int)doc_kind_set.n - 1);
	q_copy(db, st, 4, f->name, sizeof f->name);
	q_copy(db, st, 5, f->content_type, sizeof f->content_type);
	f->size = q_int(db, st, 6);
	q_copy(db, st, 7, f->sha256, sizeof f->sha256);
	f->uploaded_by = q_int(db, st, 8);
	f->created_at = q_int(db, st, 9);
}

enum rh_err file_belongs(struct db *db, int64_t tenant_id, int64_t staff_id, int64_t file_id,
				struct rh_fail *fail)
{
	if (!file_id) return RH_OK;
	struct db_stmt *st = q_bind(db, &Q_FILE_OWNER, "III", tenant_id, file_id, staff_id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "file owner");
	return step == DB_ROW ? RH_OK : rh_fail_field(fail, RH_ERR_FIELD_INVALID, "file_id");
}

/* A document's bytes are kept sealed (SPEC X5: an ID card's copy holds
 * the number, a criminal-record certificate worse): `data` holds
 * secret_seal of them where data_sealed is 1 (migration 020, store_seal.c). */
static const struct sql Q_FILES_UNSEALED = { "SELECT id FROM staff_files WHERE data_sealed = 0 ORDER BY id" };
static const struct sql Q_FILE_DATA = { "SELECT data FROM staff_files WHERE id = $1 AND data_sealed = 0" };
static const struct sql Q_FILE_SEAL = {
	"UPDATE staff_files SET data = $2, data_sealed = 1 WHERE id = $1 AND data_sealed = 0 RETURNING id"
};

enum rh_err store_file_seal_pending(struct db *db);
enum rh_err store_file_seal_pending(struct db *db)
{
	static const struct seal_rows files = { &Q_FILES_UNSEALED, &Q_FILE_DATA, &Q_FILE_SEAL, "staff documents", "020" };
	return seal_pending(db, &files);
}

char *staff_file_seal(struct db *db, struct staff_file *f, const unsigned char *data, size_t len)
{
	blob_sha256(data, len, f->sha256);
	f->size = (int64_t)len;
	return secret_seal(db->keys->seal, (const char *)data, len);
}

enum rh_err staff_file_insert(struct db *db, const struct actor *a, struct staff_file *f, const char *sealed)
{
	f->uploaded_by = a->user_id;
	f->created_at = store_now();
	enum rh_err rc = q_insert(db, &Q_FILE_INSERT, &f->id, "IItttIttII", f->tenant_id, f->staff_id,
				  choice_code(&doc_kind_set, f->kind), f->name, f->content_type, f->size, f->sha256, sealed,
				  f->uploaded_by, f->created_at);
	/* The trail keeps which file (its digest), not the file. */
	if (rc == RH_OK) rc = audit_change(db, a, f->tenant_id, "upload", "staff_file", f->id, NULL, staff_file_to_json(f));
	return rc;
}

enum rh_err store_staff_file_add(struct db *db, const struct actor *a, struct staff_file *f,
				 const unsigned char *data, size_t len, struct rh_fail *fail)
{
	/* sealed before the write lock is taken: megabytes of it */
	char *sealed = staff_file_seal(db, f, data, len);
	if (!sealed) return RH_ERR_NOMEM;
	enum rh_err rc = tx_begin(db, 1);
	if (rc == RH_OK) {
		rc = staff_exists(db, f->tenant_id, f->staff_id, "id", fail);
		if (rc == RH_OK) rc = staff_file_insert(db, a, f, sealed);
		rc = tx_end(db, rc);
	}
	free(sealed);
	return rc;
}

enum rh_err store_staff_file_get(struct db *db, int64_t tenant_id, int64_t id, struct staff_file *out,
				 unsigned char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	struct db_stmt *st = q_bind(db, &Q_FILE_GET, "II", tenant_id, id);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	enum rh_err rc = s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "file");
	if (rc == RH_OK) {
		read_file(db, st, out);
		rc = sealed_open(db, "staff document", out->id, q_text(db, st, 10), q_int(db, st, 11) != 0, data, len);
	}
	q_finish(db, st);
	return rc;
}

enum rh_err store_staff_files(struct db *db, int64_t tenant_id, int64_t staff_id,
			      int (*fn)(const struct staff_file *, void *), void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_FILES, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	struct staff_file f;
	enum db_step s;
	while ((s = q_step(db, st)) == DB_ROW) {
		read_file(db, st, &f);
		if (fn(&f, arg)) break;
	}
	enum rh_err rc = s == DB_ERROR ? q_error(db, "files") : RH_OK;
	q_finish(db, st);
	return rc;
}

/* ---- the hiring pipeline ---- */

#define STEP_COLS "id, tenant_id, staff_id, step, result, day, decided_by, notes, file_id, recorded_by, created_at"
static const struct sql Q_STEP_INSERT = {
	"INSERT INTO staff_steps (tenant_id, staff_id, step, result, day, decided_by, notes, file_id, recorded_by,"
	" created_at, id_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"
};
static const struct sql Q_STEPS = {
	"SELECT " STEP_COLS " FROM staff_steps WHERE tenant_id = $1 AND staff_id = $2 ORDER BY id"
};
/* The latest decision of a step in the current pipeline (after the
 * worker's steps_after): the one decided last, by its day — a decision
 * entered late for an earlier day does not overrule a later one — and of
 * one day the one entered last. */
#define STEP_LATEST " AND s.id = (SELECT l.id FROM staff_steps l WHERE l.tenant_id = s.tenant_id" \
	" AND l.staff_id = s.staff_id AND l.step = s.step AND l.id > w.steps_after ORDER BY l.day DESC, l.id DESC LIMIT 1)"
static const struct sql Q_STEPS_LATEST = {
	"SELECT s.step, s.result, s.day FROM staff_steps s JOIN staff w ON w.id = s.staff_id AND w.tenant_id = s.tenant_id"
	" WHERE s.tenant_id = $1 AND s.staff_id = $2 AND s.id > w.steps_after" STEP_LATEST
};
/* Whether the current pipeline's background check was made on another
 * ID number than the worker's now (migration 022; '' before it). */
static const struct sql Q_CHECKED_OTHER = {
	"SELECT 1 FROM staff_steps s JOIN staff w ON w.id = s.staff_id AND w.tenant_id = s.tenant_id"
	" WHERE s.tenant_id = $1 AND s.staff_id = $2 AND s.step = 'background_check' AND s.id > w.steps_after"
	STEP_LATEST " AND s.id_hash <> '' AND s.id_hash <> w.id_hash"
};
/* The same decision again: the step's last decision of that day in the
 * current pipeline already has this result — a retry, also of one
 * entered late for an earlier day. (A step decided anew — failed, then
 * passed — is another decision, and so is a background check of the ID
 * number now on file after one of another.) */
#define STEP_TWIN_SQL "SELECT s.id FROM staff_steps s JOIN staff w ON w.id = s.staff_id AND w.tenant_id = s.tenant_id" \
	" WHERE s.tenant_id = $1 AND s.staff_id = $2 AND s.step = $3 AND s.id > w.steps_after" \
	" AND s.result = $4 AND s.day = $5 AND (s.id_hash = '' OR s.id_hash = w.id_hash)" \
	" AND s.id = (SELECT max(l.id) FROM staff_steps l WHERE l.tenant_id = s.tenant_id AND l.staff_id = s.staff_id" \
	" AND l.step = s.step AND l.day = s.day)"
static const struct sql Q_STEP_TWIN = { STEP_TWIN_SQL };
/* A pre-job training whose exam decides the last step: the same only as
 * that decision again (above), made for the same course ($6 the topic,
 * which a training's decision keeps as its notes). Two pre-job courses on
 * one day, each with its exam passed, are two trainings; a course of an
 * earlier pipeline does not count, as its decision does not. */
static const struct sql Q_PRE_JOB_TWIN = { STEP_TWIN_SQL " AND s.notes = $6" };
/* A new pipeline: the decisions so far no longer count. */
static const struct sql Q_NEW_PIPELINE = {
	"UPDATE staff SET steps_after = (SELECT COALESCE(max(id), 0) FROM staff_steps WHERE tenant_id = $1"
	" AND staff_id = $2) WHERE tenant_id = $1 AND id = $2"
};
static const struct sql Q_ID_ON_FILE = { "SELECT id_hash FROM staff WHERE tenant_id = $1 AND id = $2" };

/* RH_OK when the worker has an ID number on file (its keyed hash into
 * hash, when not NULL), else RH_ERR_FIELD_REQUIRED naming id_number: the
 * background check and the blacklist both go by it. */
static enum rh_err id_on_file(struct db *db, int64_t tenant_id, int64_t staff_id, char hash[TOKEN_HASH_LEN + 1],
			      struct rh_fail *fail)
{
	struct db_stmt *st = q_bind(db, &Q_ID_ON_FILE, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	int has_id = step == DB_ROW && q_text(db, st, 0)[0] != '\0';
	if (hash && step == DB_ROW) q_copy(db, st, 0, hash, TOKEN_HASH_LEN + 1);
	else if (hash) hash[0] = '\0';
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "staff id");
	return has_id ? RH_OK : rh_fail_field(fail, RH_ERR_FIELD_REQUIRED, "id_number");
}

static void read_step(struct db *db, struct db_stmt *st, struct hiring_step_rec *s)
{
	memset(s, 0, sizeof *s);
	s->id = q_int(db, st, 0);
	s->tenant_id = q_int(db, st, 1);
	s->staff_id = q_int(db, st, 2);
	s->step = (enum hiring_step)choice_parse_or(&hiring_step_set, q_text(db, st, 3), STEP_APPLICATION);
	s->passed = strcmp(q_text(db, st, 4), "passed") == 0;
	s->day = q_day(db, st, 5);
	q_copy(db, st, 6, s->decided_by, sizeof s->decided_by);
	q_copy(db, st, 7, s->notes, sizeof s->notes);
	s->file_id = q_int(db, st, 8);
	s->recorded_by = q_int(db, st, 9);
	s->created_at = q_int(db, st, 10);
}

static const struct sql Q_STATUS = { "SELECT status FROM staff WHERE tenant_id = $1 AND id = $2" };

enum rh_err hiring_complete(struct db *db, int64_t tenant_id, int64_t staff_id, int *complete)
{
	unsigned passed = 0;
	enum rh_err rc = store_hiring_passed(db, tenant_id, staff_id, &passed);
	*complete = passed == (1u << STEP__COUNT) - 1;
	return rc;
}

/* An active worker without a badge gets one once the pipeline is
 * complete: a worker put on file as active (an import of an existing
 * workforce) carries no badge until its checks are on record. */
static enum rh_err badge_when_complete(struct db *db, const struct actor *a, int64_t tenant_id, int64_t staff_id)
{
	struct badge b;
	enum rh_err rc = store_badge_current(db, tenant_id, staff_id, &b);
	if (rc != RH_ERR_NOT_FOUND) return rc;
	int complete;
	rc = hiring_complete(db, tenant_id, staff_id, &complete);
	if (rc == RH_OK && complete) rc = badge_issue_in_tx(db, a, tenant_id, staff_id, &b);
	return rc;
}

/* The same after a decision, for a worker whose status is read here. */
static enum rh_err badge_if_ready(struct db *db, const struct actor *a, int64_t tenant_id, int64_t staff_id)
{
	struct db_stmt *st = q_bind(db, &Q_STATUS, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	int active = step == DB_ROW && strcmp(q_text(db, st, 0), "active") == 0;
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "staff status");
	return active ? badge_when_complete(db, a, tenant_id, staff_id) : RH_OK;
}

/* Inside the caller's write transaction. person: the ID hash a passed
 * background check was made on (migration 022), else "". */
static enum rh_err step_insert(struct db *db, const struct actor *a, struct hiring_step_rec *s, const char *person)
{
	char day[11];
	date_format(s->day, day);
	s->recorded_by = a->user_id;
	s->created_at = store_now();
	enum rh_err rc = q_insert(db, &Q_STEP_INSERT, &s->id, "IItttttIIIt", s->tenant_id, s->staff_id,
				  choice_code(&hiring_step_set, (int)s->step), s->passed ? "passed" : "failed", day,
				  s->decided_by, s->notes, s->file_id, s->recorded_by, s->created_at, person);
	if (rc == RH_OK) rc = audit_change(db, a, s->tenant_id, "decide", "hiring_step", s->id, NULL, hiring_step_to_json(s));
	if (rc == RH_OK) rc = badge_if_ready(db, a, s->tenant_id, s->staff_id);
	if (rc == RH_OK && !s->passed) rc = visits_recheck(db, s->tenant_id, s->staff_id);
	return rc;
}

static enum rh_err hiring_latest(struct db *db, int64_t tenant_id, int64_t staff_id, int result[STEP__COUNT],
				 rh_day day[STEP__COUNT]);

/* S2: s in the pipeline's order (hiring_order_check). Out of order:
 * RH_ERR_STATE naming field (the earlier steps not passed) or
 * RH_ERR_FIELD_RANGE naming "day" (passed after s's day); fail->n holds
 * the mask of the steps in the way, for the message. */
static enum rh_err step_in_order(struct db *db, const struct hiring_step_rec *s, const char *field, struct rh_fail *fail)
{
	int latest[STEP__COUNT];
	rh_day day[STEP__COUNT];
	enum rh_err rc = hiring_latest(db, s->tenant_id, s->staff_id, latest, day);
	if (rc != RH_OK) return rc;
	unsigned in_the_way = 0;
	enum hiring_order o = hiring_order_check(latest, day, s->step, s->passed, s->day, &in_the_way);
	if (o == HIRING_IN_ORDER) return RH_OK;
	rc = rh_fail_field(fail, o == HIRING_NOT_PASSED ? RH_ERR_STATE : RH_ERR_FIELD_RANGE, o == HIRING_NOT_PASSED ? field : "day");
	/* which way the day is out: the later steps' mask above the earlier ones' (h_hiring.c) */
	if (fail) fail->n = o == HIRING_DAY_AFTER ? (int64_t)in_the_way << STEP__COUNT : in_the_way;
	return rc;
}

/* RH_ERR_DUPLICATE naming field when s is the same decision again. */
static enum rh_err step_twin(struct db *db, const struct hiring_step_rec *s, const char *field, struct rh_fail *fail)
{
	char day[11];
	date_format(s->day, day);
	return q_no_twin(db, fail, field, &Q_STEP_TWIN, "IIttt", s->tenant_id, s->staff_id,
			 choice_code(&hiring_step_set, (int)s->step), s->passed ? "passed" : "failed", day);
}

enum rh_err store_hiring_step_add(struct db *db, const struct actor *a, struct hiring_step_rec *s,
				  struct rh_fail *fail)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = staff_exists(db, s->tenant_id, s->staff_id, "id", fail);
	if (rc == RH_OK) rc = file_belongs(db, s->tenant_id, s->staff_id, s->file_id, fail);
	if (rc == RH_OK) rc = step_twin(db, s, "step", fail);
	if (rc == RH_OK) rc = step_in_order(db, s, "step", fail);
	/* A background check passed is one of a person, and checked against
	 * the blacklist (S6): a candidate without an ID number on file went
	 * through the whole pipeline, contract signed, before a blacklisted
	 * number was told at activation. */
	char person[TOKEN_HASH_LEN + 1] = "";
	if (rc == RH_OK && s->step == STEP_BACKGROUND && s->passed) rc = id_on_file(db, s->tenant_id, s->staff_id, person, fail);
	if (rc == RH_OK) rc = step_insert(db, a, s, person);
	return tx_end(db, rc);
}

enum rh_err store_hiring_steps(struct db *db, int64_t tenant_id, int64_t staff_id,
			       int (*fn)(const struct hiring_step_rec *, void *), void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_STEPS, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	struct hiring_step_rec *s = malloc(sizeof *s);
	enum db_step step = DB_DONE;
	if (s)
		while ((step = q_step(db, st)) == DB_ROW) {
			read_step(db, st, s);
			if (fn(s, arg)) break;
		}
	enum rh_err rc = !s ? RH_ERR_NOMEM : step == DB_ERROR ? q_error(db, "steps") : RH_OK;
	q_finish(db, st);
	free(s);
	return rc;
}

/* store_hiring_latest() with the day of each decision (day may be NULL):
 * the decisions that stand (hiring_effective). */
static enum rh_err hiring_latest(struct db *db, int64_t tenant_id, int64_t staff_id, int result[STEP__COUNT],
				 rh_day day[STEP__COUNT])
{
	rh_day days[STEP__COUNT] = { 0 };
	if (!day) day = days;
	for (int i = 0; i < STEP__COUNT; i++) result[i] = -1;
	struct db_stmt *st = q_bind(db, &Q_STEPS_LATEST, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	enum db_step step;
	while ((step = q_step(db, st)) == DB_ROW) {
		int i = choice_parse(&hiring_step_set, q_text(db, st, 0));
		if (i < 0) continue;
		result[i] = strcmp(q_text(db, st, 1), "passed") == 0;
		day[i] = q_day(db, st, 2);
	}
	enum rh_err rc = step == DB_ERROR ? q_error(db, "steps latest") : RH_OK;
	q_finish(db, st);
	hiring_effective(result, day);
	return rc;
}

enum rh_err store_hiring_latest(struct db *db, int64_t tenant_id, int64_t staff_id, int result[STEP__COUNT])
{
	return hiring_latest(db, tenant_id, staff_id, result, NULL);
}

enum rh_err store_hiring_passed(struct db *db, int64_t tenant_id, int64_t staff_id, unsigned *passed)
{
	int result[STEP__COUNT];
	enum rh_err rc = store_hiring_latest(db, tenant_id, staff_id, result);
	*passed = 0;
	for (int i = 0; i < STEP__COUNT; i++)
		if (result[i] == 1) *passed |= 1u << i;
	return rc;
}

/* ---- trainings ---- */

#define TRAINING_COLS "id, tenant_id, staff_id, kind, topic, day, hours, mode, exam, score, file_id, recorded_by, created_at"
static const struct sql Q_TRAINING_INSERT = {
	"INSERT INTO trainings (tenant_id, staff_id, kind, topic, day, hours, mode, exam, score, file_id, recorded_by,"
	" created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
};
/* The same training already on file: its kind and topic on that day,
 * with the same exam result (a re-take that day has another). A pre-job
 * training with an exam is a decision of the pipeline's last step, and
 * the same as one only within the current pipeline (Q_PRE_JOB_TWIN). */
static const struct sql Q_TRAINING_TWIN = {
	"SELECT id FROM trainings WHERE tenant_id = $1 AND staff_id = $2 AND kind = $3 AND topic = $4 AND day = $5"
	" AND exam = $6"
};
static const struct sql Q_TRAININGS = {
	"SELECT " TRAINING_COLS " FROM trainings WHERE tenant_id = $1 AND staff_id = $2 ORDER BY day DESC, id DESC"
};

enum rh_err store_training_add(struct db *db, const struct actor *a, struct training *t, struct rh_fail *fail)
{
	char day[11];
	date_format(t->day, day);
	t->recorded_by = a->user_id;
	t->created_at = store_now();
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = staff_exists(db, t->tenant_id, t->staff_id, "id", fail);
	if (rc == RH_OK) rc = file_belongs(db, t->tenant_id, t->staff_id, t->file_id, fail);
	struct hiring_step_rec s;	/* the pre-job exam's decision */
	int decides = t->kind == TRAIN_PRE_JOB && t->exam != 0;
	memset(&s, 0, sizeof s);
	s.tenant_id = t->tenant_id;
	s.staff_id = t->staff_id;
	s.step = STEP_PRE_JOB_TRAINING;
	s.passed = t->exam == 1;
	s.day = t->day;
	if (rc == RH_OK && decides)
		rc = q_no_twin(db, fail, "topic", &Q_PRE_JOB_TWIN, "IItttt", s.tenant_id, s.staff_id,
			       choice_code(&hiring_step_set, (int)s.step), s.passed ? "passed" : "failed", day, t->topic);
	if (rc == RH_OK && decides) rc = step_in_order(db, &s, "exam", fail);
	else if (rc == RH_OK)
		rc = q_no_twin(db, fail, "topic", &Q_TRAINING_TWIN, "IItttt", t->tenant_id, t->staff_id,
			       choice_code(&training_kind_set, (int)t->kind), t->topic, day,
			       choice_code(&exam_result_set, t->exam));
	if (rc == RH_OK)
		rc = q_insert(db, &Q_TRAINING_INSERT, &t->id, "IItttittiIII", t->tenant_id, t->staff_id,
			      choice_code(&training_kind_set, (int)t->kind), t->topic, day, t->hours,
			      choice_code(&training_mode_set, t->mode), choice_code(&exam_result_set, t->exam), t->score,
			      t->file_id, t->recorded_by, t->created_at);
	if (rc == RH_OK) rc = audit_change(db, a, t->tenant_id, "create", "training", t->id, NULL, training_to_json(t));
	/* The pre-job training's exam is the pipeline's last step (岗前培训). */
	if (rc == RH_OK && decides) {
		snprintf(s.decided_by, sizeof s.decided_by, "%s", a->name ? a->name : "");
		snprintf(s.notes, sizeof s.notes, "%s", t->topic);
		s.file_id = t->file_id;
		rc = step_insert(db, a, &s, "");
	}
	return tx_end(db, rc);
}

static void read_training(struct db *db, struct db_stmt *st, struct training *t)
{
	memset(t, 0, sizeof *t);
	t->id = q_int(db, st, 0);
	t->tenant_id = q_int(db, st, 1);
	t->staff_id = q_int(db, st, 2);
	t->kind = (enum training_kind)choice_parse_or(&training_kind_set, q_text(db, st, 3), TRAIN_IN_SERVICE);
	q_copy(db, st, 4, t->topic, sizeof t->topic);
	t->day = q_day(db, st, 5);
	t->hours = (int)q_int(db, st, 6);
	t->mode = choice_parse_or(&training_mode_set, q_text(db, st, 7), 1);
	t->exam = choice_parse_or(&exam_result_set, q_text(db, st, 8), 0);
	t->score = (int)q_int(db, st, 9);
	t->file_id = q_int(db, st, 10);
	t->recorded_by = q_int(db, st, 11);
	t->created_at = q_int(db, st, 12);
}

enum rh_err store_trainings(struct db *db, int64_t tenant_id, int64_t staff_id,
			    int (*fn)(const struct training *, void *), void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_TRAININGS, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	struct training t;
	enum db_step step;
	while ((step = q_step(db, st)) == DB_ROW) {
		read_training(db, st, &t);
		if (fn(&t, arg)) break;
	}
	enum rh_err rc = step == DB_ERROR ? q_error(db, "trainings") : RH_OK;
	q_finish(db, st);
	return rc;
}

/* The organisation's training ledger (培训台账): $2 a worker (0: all),
 * $3 a kind ('' any), $4–$5 the days from and to ('' open). */
#define TRAINING_LEDGER_WHERE " FROM trainings t JOIN staff s ON s.id = t.staff_id AND s.tenant_id = t.tenant_id" \
	" WHERE t.tenant_id = $1 AND ($2 = 0 OR t.staff_id = $2) AND ($3 = '' OR t.kind = $3)" \
	" AND ($4 = '' OR t.day >= $4) AND ($5 = '' OR t.day <= $5)"
static const struct sql Q_LEDGER_COUNT = { "SELECT COUNT(*)" TRAINING_LEDGER_WHERE };
static const struct sql Q_LEDGER = {
	"SELECT t.id, t.tenant_id, t.staff_id, t.kind, t.topic, t.day, t.hours, t.mode, t.exam, t.score, t.file_id,"
	" t.recorded_by, t.created_at, s.name, s.staff_no" TRAINING_LEDGER_WHERE
	" ORDER BY t.day DESC, t.id DESC LIMIT $6 OFFSET $7"
};

enum rh_err store_training_list(struct db *db, int64_t tenant_id, const struct training_filter *f,
				int (*fn)(const struct training *, const char *name, const char *staff_no, void *),
				void *arg, int64_t *total)
{
	char from[11] = "", to[11] = "";
	if (f->has_from) date_format(f->from, from);
	if (f->has_to) date_format(f->to, to);
	const char *kind = f->kind >= 0 ? choice_code(&training_kind_set, f->kind) : "";
	*total = 0;
	struct db_stmt *st = q_bind(db, &Q_LEDGER_COUNT, "IIttt", tenant_id, f->staff_id, kind, from, to);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) *total = q_int(db, st, 0);
	q_finish(db, st);
	if (step != DB_ROW) return q_error(db, "trainings count");
	st = q_bind(db, &Q_LEDGER, "IItttii", tenant_id, f->staff_id, kind, from, to, f->limit, f->offset);
	if (!st) return q_unprepared(db);
	struct training t;
	while ((step = q_step(db, st)) == DB_ROW) {
		read_training(db, st, &t);
		if (fn(&t, q_text(db, st, 13), q_text(db, st, 14), arg)) break;
	}
	enum rh_err rc = step == DB_ERROR ? q_error(db, "trainings") : RH_OK;
	q_finish(db, st);
	return rc;
}

/* ---- a change of status ---- */

static const struct sql Q_RETURN_INSERT = {
	"INSERT INTO staff_returns (tenant_id, staff_id, item, created_at) SELECT $1, $2, $3, $4"
	" WHERE NOT EXISTS (SELECT 1 FROM staff_returns WHERE tenant_id = $1 AND staff_id = $2 AND item = $3"
	" AND returned_at = 0) RETURNING id"
};

/* A badge issued since the last one was handed back: one the worker holds. */
static const struct sql Q_EVER_BADGED = {
	"SELECT 1 FROM badges WHERE tenant_id = $1 AND staff_id = $2 AND issued_at >= COALESCE((SELECT max(returned_at)"
	" FROM staff_returns WHERE tenant_id = $1 AND staff_id = $2 AND item = 'badge' AND returned_at > 0), 0) LIMIT 1"
};

/* Asks for the badge and company property back (000), audited; an item
 * still outstanding from before is not asked for twice, and a badge the
 * worker does not hold (never issued — a candidate dismissed — or handed
 * back before they were taken on again) is not asked for at all. */
static enum rh_err ask_returns(struct db *db, const struct actor *a, int64_t tenant_id, int64_t staff_id)
{
	enum rh_err rc = RH_OK;
	int64_t now = store_now();
	struct db_stmt *b = q_bind(db, &Q_EVER_BADGED, "II", tenant_id, staff_id);
	if (!b) return q_unprepared(db);
	enum db_step badged = q_step(db, b);
	q_finish(db, b);
	if (badged == DB_ERROR) return q_error(db, "ever badged");
	for (int i = 0; rc == RH_OK && i < (int)return_item_set.n; i++) {
		if (i == RETURN_BADGE && badged != DB_ROW) continue;
		struct db_stmt *st = q_bind(db, &Q_RETURN_INSERT, "IItI", tenant_id, staff_id, choice_code(&return_item_set, i), now);
		if (!st) return q_unprepared(db);
		enum db_step step = q_step(db, st);
		struct staff_return r;
		memset(&r, 0, sizeof r);
		if (step == DB_ROW) r.id = q_int(db, st, 0);
		q_finish(db, st);
		if (step == DB_ERROR) return q_error(db, "return insert");
		if (step != DB_ROW) continue;
		r.tenant_id = tenant_id;
		r.staff_id = staff_id;
		r.item = i;
		r.created_at = now;
		r.version = 1;
		rc = audit_change(db, a, tenant_id, "create", "staff_return", r.id, NULL, staff_return_to_json(&r));
	}
	return rc;
}

/* A candidate becomes active only with every step of the current
 * pipeline passed and an ID number on file (the background check and
 * the blacklist both go by it) — the number the background check was
 * made on: one changed since carries another person's check. */
static enum rh_err activation_gate(struct db *db, const struct staff *s, struct rh_fail *fail)
{
	int complete;
	enum rh_err rc = hiring_complete(db, s->tenant_id, s->id, &complete);
	if (rc != RH_OK) return rc;
	if (!complete) return rh_fail_field(fail, RH_ERR_HIRING_INCOMPLETE, "status");
	if ((rc = id_on_file(db, s->tenant_id, s->id, NULL, fail)) != RH_OK) return rc;
	struct db_stmt *st = q_bind(db, &Q_CHECKED_OTHER, "II", s->tenant_id, s->id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "background check person");
	if (step == DB_DONE) return RH_OK;
	rc = rh_fail_field(fail, RH_ERR_STATE, "id_number");
	if (fail) {
		fail->detail_zh = "身份证号在背景调查之后已更改：背景调查须按现在的身份证号重新登记";
		fail->detail_en = "the ID number changed after the background check: record the check again for this number";
	}
	return rc;
}

enum rh_err staff_status_changed(struct db *db, const struct actor *a, int from, const struct staff *s,
				 struct rh_fail *fail)
{
	/* The blacklist is final (S6): nobody takes that person on again. */
	if (from == STAFF_BLACKLISTED && s->status != STAFF_BLACKLISTED) return rh_fail_field(fail, RH_ERR_BLACKLISTED, "status");
	/* Only a worker in service can be suspended, and active again means
	 * from the hiring pipeline or back from a suspension: a leaver comes
	 * back as a candidate, never straight to the door. (A new record may
	 * be an existing worker put on file, from an import: it carries no
	 * badge until its checks are on record, and eligibility asks for
	 * them too.) */
	if (from >= 0 && s->status == STAFF_SUSPENDED && from != STAFF_ACTIVE)
		return rh_fail_field(fail, RH_ERR_STATE, "status");
	if (from >= 0 && s->status == STAFF_ACTIVE && from != STAFF_CANDIDATE && from != STAFF_SUSPENDED)
		return rh_fail_field(fail, RH_ERR_STATE, "status");
	/* Back to candidate is for one taken on again after leaving: a
	 * worker in service made a candidate and active again would skip
	 * every check, a suspension without an entry (S6). */
	if (from >= 0 && s->status == STAFF_CANDIDATE && !staff_status_leaves((enum staff_status)from))
		return rh_fail_field(fail, RH_ERR_STATE, "status");
	enum rh_err rc = RH_OK;
	/* Taken on again: a new pipeline, the old decisions stay as history. */
	if (s->status == STAFF_CANDIDATE && from >= 0 && staff_status_leaves((enum staff_status)from))
		rc = q_exec(db, &Q_NEW_PIPELINE, "II", s->tenant_id, s->id);
	if (rc == RH_OK && s->status == STAFF_ACTIVE && from == STAFF_CANDIDATE) rc = activation_gate(db, s, fail);
	if (rc == RH_OK && s->status == STAFF_ACTIVE) rc = badge_when_complete(db, a, s->tenant_id, s->id);
	/* Out of service: the visits still to come cannot go ahead. */
	if (rc == RH_OK && from == STAFF_ACTIVE && s->status != STAFF_ACTIVE) rc = visits_recheck(db, s->tenant_id, s->id);
	if (rc == RH_OK && staff_status_leaves(s->status) && (from < 0 || !staff_status_leaves((enum staff_status)from))) {
		rc = badge_void_in_tx(db, a, s->tenant_id, s->id, choice_code(&staff_status_set, (int)s->status));
		/* A worker on file as already gone (an import) had nothing out. */
		if (rc == RH_OK && from >= 0) rc = ask_returns(db, a, s->tenant_id, s->id);
	}
	return rc;
}

/* ---- discipline ---- */

#define DISC_COLS "id, tenant_id, staff_id, kind, reason, rule, evidence, file_id, amount, day, decided_by," \
	" recorded_by, created_at, annulled, annulment, updated_at, version"
static const struct sql Q_DISC_GET = { "SELECT " DISC_COLS " FROM discipline WHERE tenant_id = $1 AND id = $2" };
static const struct sql Q_DISC_UPDATE = {
	"UPDATE discipline SET reason = $3, rule = $4, evidence = $5, file_id = $6, amount = $7, day = $8,"
	" decided_by = $9, annulled = $10, annulment = $11, updated_at = $12, version = version + 1"
	" WHERE tenant_id = $1 AND id = $2"
};
static const struct sql Q_DISC_INSERT = {
	"INSERT INTO discipline (tenant_id, staff_id, kind, reason, rule, evidence, file_id, amount, day, decided_by,"
	" recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
};
static const struct sql Q_DISCS = {
	"SELECT " DISC_COLS " FROM discipline WHERE tenant_id = $1 AND staff_id = $2 ORDER BY day DESC, id DESC"
};

/* The entry's effect on the worker: a new status, a level down. */
static enum rh_err apply_effect(struct db *db, const struct actor *a, const struct discipline *d, struct staff *after,
				struct rh_fail *fail)
{
	struct staff before;
	enum rh_err rc = store_staff_get(db, d->tenant_id, d->staff_id, 0, &before);
	if (rc != RH_OK) return rc == RH_ERR_NOT_FOUND ? rh_fail_field(fail, rc, "id") : rc;
	struct discipline_effect e = discipline_effect(d->kind);
	struct staff next = before;
	if (e.status >= 0) next.status = (enum staff_status)e.status;
	if (e.demote && next.level > LEVEL_JUNIOR) next.level = (enum staff_level)(next.level - 1);
	/* Reinstatement lifts a suspension only: it never brings back someone
	 * who left, was dismissed or blacklisted, nor skips the hiring steps. */
	if (d->kind == DISC_REINSTATEMENT && before.status != STAFF_SUSPENDED)
		return rh_fail_field(fail, RH_ERR_STATE, "kind");
	/* A demotion that cannot lower anything would stand in the file as a
	 * sanction that was never applied. */
	if (e.demote && before.level == LEVEL_JUNIOR) {
		rc = rh_fail_field(fail, RH_ERR_STATE, "kind");
		if (fail) {
			fail->detail_zh = "初级人员已是最低等级，无法降职";
			fail->detail_en = "a junior is at the lowest level already and cannot be demoted";
		}
		return rc;
	}
	if (next.status == before.status && next.level == before.level) {
		*after = before;
		return RH_OK;
	}
	struct actor why = *a;
	why.reason = choice_label(&discipline_kind_set, (int)d->kind, 0);
	rc = store_staff_update_in_tx(db, &why, &before, &next, after, fail);	/* rechecks the visits (store_staff.c) */
	/* Refused by the status rules: it is the entry's kind that cannot
	 * apply (a suspension of a candidate), so the error names it. */
	if ((rc == RH_ERR_STATE || rc == RH_ERR_BLACKLISTED) && fail && fail->field && strcmp(fail->field, "status") == 0)
		fail->field = "kind";
	return rc;
}

enum rh_err store_discipline_add(struct db *db, const struct actor *a, struct discipline *d, struct staff *after,
				 struct rh_fail *fail)
{
	char day[11];
	date_format(d->day, day);
	d->recorded_by = a->user_id;
	d->created_at = store_now();
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = staff_exists(db, d->tenant_id, d->staff_id, "id", fail);
	if (rc == RH_OK) rc = file_belongs(db, d->tenant_id, d->staff_id, d->file_id, fail);
	if (rc == RH_OK)
		rc = q_insert(db, &Q_DISC_INSERT, &d->id, "IIttttIIttII", d->tenant_id, d->staff_id,
			      choice_code(&discipline_kind_set, (int)d->kind), d->reason, d->rule, d->evidence, d->file_id,
			      d->amount, day, d->decided_by, d->recorded_by, d->created_at);
	if (rc == RH_OK) rc = audit_change(db, a, d->tenant_id, "create", "discipline", d->id, NULL, discipline_to_json(d));
	if (rc == RH_OK) rc = apply_effect(db, a, d, after, fail);
	return tx_end(db, rc);
}

static void read_discipline(struct db *db, struct db_stmt *st, struct discipline *d)
{
	memset(d, 0, sizeof *d);
	d->id = q_int(db, st, 0);
	d->tenant_id = q_int(db, st, 1);
	d->staff_id = q_int(db, st, 2);
	d->kind = (enum discipline_kind)choice_parse_or(&discipline_kind_set, q_text(db, st, 3), DISC_WARNING);
	q_copy(db, st, 4, d->reason, sizeof d->reason);
	q_copy(db, st, 5, d->rule, sizeof d->rule);
	q_copy(db, st, 6, d->evidence, sizeof d->evidence);
	d->file_id = q_int(db, st, 7);
	d->amount = q_int(db, st, 8);
	d->day = q_day(db, st, 9);
	q_copy(db, st, 10, d->decided_by, sizeof d->decided_by);
	d->recorded_by = q_int(db, st, 11);
	d->created_at = q_int(db, st, 12);
	d->annulled = q_int(db, st, 13) != 0;
	q_copy(db, st, 14, d->annulment, sizeof d->annulment);
	d->updated_at = q_int(db, st, 15);
	d->version = q_int(db, st, 16);
}

enum rh_err store_discipline_get(struct db *db, int64_t tenant_id, int64_t id, struct discipline *out)
{
	struct db_stmt *st = q_bind(db, &Q_DISC_GET, "II", tenant_id, id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) read_discipline(db, st, out);
	q_finish(db, st);
	return step == DB_ROW ? RH_OK : step == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "discipline");
}

/* Whether next says what before says, in what a correction may change. */
static int discipline_same(const struct discipline *a, const struct discipline *b)
{
	return strcmp(a->reason, b->reason) == 0 && strcmp(a->rule, b->rule) == 0 && strcmp(a->evidence, b->evidence) == 0 &&
	       a->file_id == b->file_id && a->amount == b->amount && a->day == b->day &&
	       strcmp(a->decided_by, b->decided_by) == 0 && a->annulled == b->annulled;
}

enum rh_err store_discipline_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id, int64_t version,
				    const struct discipline *next, struct discipline *out, struct rh_fail *fail)
{
	struct discipline before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = store_discipline_get(db, tenant_id, id, &before);
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK) rc = version_check(before.version, version, fail);
	/* An annulled entry is done with: it stays as it was annulled. */
	if (rc == RH_OK && before.annulled) {
		rc = rh_fail_field(fail, RH_ERR_STATE, "annulled");
		if (fail) {
			fail->detail_zh = "已撤销的奖惩记录不能再更改";
			fail->detail_en = "an annulled entry cannot be changed";
		}
	}
	if (rc == RH_OK && next->annulled && !discipline_annullable(before.kind)) {
		rc = rh_fail_field(fail, RH_ERR_STATE, "annulled");
		if (fail) {
			fail->detail_zh = "停职、复职、降职、解聘和列入黑名单已改变人员状态或等级，不能撤销记录："
					  "停职以复职解除，等级可在档案中调整";
			fail->detail_en = "a suspension, reinstatement, demotion, dismissal or blacklisting changed the worker's "
					  "status or level and cannot be annulled: a suspension is lifted by a reinstatement, a "
					  "level is set on the profile";
		}
	}
	int money = before.kind == DISC_FINE || before.kind == DISC_BONUS;
	if (rc == RH_OK && money != (next->amount > 0))
		rc = rh_fail_field(fail, money ? RH_ERR_FIELD_REQUIRED : RH_ERR_FIELD_INVALID, "amount");
	if (rc == RH_OK && next->file_id != before.file_id) rc = file_belongs(db, tenant_id, before.staff_id, next->file_id, fail);
	*out = before;
	if (rc == RH_OK && !discipline_same(next, &before)) {
		snprintf(out->reason, sizeof out->reason, "%s", next->reason);
		snprintf(out->rule, sizeof out->rule, "%s", next->rule);
		snprintf(out->evidence, sizeof out->evidence, "%s", next->evidence);
		snprintf(out->decided_by, sizeof out->decided_by, "%s", next->decided_by);
		snprintf(out->annulment, sizeof out->annulment, "%s", next->annulled ? next->annulment : "");
		out->file_id = next->file_id;
		out->amount = next->amount;
		out->day = next->day;
		out->annulled = next->annulled;
		out->updated_at = store_now();
		out->version = before.version + 1;
		char day[11];
		date_format(out->day, day);
		rc = q_exec(db, &Q_DISC_UPDATE, "IItttIIttitI", tenant_id, id, out->reason, out->rule, out->evidence,
			    out->file_id, out->amount, day, out->decided_by, out->annulled, out->annulment, out->updated_at);
		if (rc == RH_OK)
			rc = audit_change(db, a, tenant_id, out->annulled ? "revoke" : "update", "discipline", id,
					  discipline_to_json(&before), discipline_to_json(out));
	}
	return tx_end(db, rc);
}

enum rh_err store_disciplines(struct db *db, int64_t tenant_id, int64_t staff_id,
			      int (*fn)(const struct discipline *, void *), void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_DISCS, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	struct discipline *d = malloc(sizeof *d);
	enum db_step step = DB_DONE;
	while (d && (step = q_step(db, st)) == DB_ROW) {
		read_discipline(db, st, d);
		if (fn(d, arg)) break;
	}
	enum rh_err rc = !d ? RH_ERR_NOMEM : step == DB_ERROR ? q_error(db, "discipline") : RH_OK;
	q_finish(db, st);
	free(d);
	return rc;
}

/* ---- what a leaver hands back ---- */

#define RETURN_COLS "id, tenant_id, staff_id, item, returned_at, received_by, notes, created_at, version"
static const struct sql Q_RETURNS = {
	"SELECT " RETURN_COLS " FROM staff_returns WHERE tenant_id = $1 AND staff_id = $2 ORDER BY id"
};
static const struct sql Q_RETURN_GET = { "SELECT " RETURN_COLS " FROM staff_returns WHERE tenant_id = $1 AND id = $2" };
static const struct sql Q_RETURN_DONE = {
	"UPDATE staff_returns SET returned_at = $4, received_by = $5, notes = $6, version = version + 1"
	" WHERE tenant_id = $1 AND id = $2 AND version = $3 AND returned_at = 0"
};

static void read_return(struct db *db, struct db_stmt *st, struct staff_return *r)
{
	memset(r, 0, sizeof *r);
	r->id = q_int(db, st, 0);
	r->tenant_id = q_int(db, st, 1);
	r->staff_id = q_int(db, st, 2);
	r->item = choice_parse_or(&return_item_set, q_text(db, st, 3), 1);
	r->returned_at = q_int(db, st, 4);
	r->received_by = q_int(db, st, 5);
	q_copy(db, st, 6, r->notes, sizeof r->notes);
	r->created_at = q_int(db, st, 7);
	r->version = q_int(db, st, 8);
}

enum rh_err store_staff_returns(struct db *db, int64_t tenant_id, int64_t staff_id,
				int (*fn)(const struct staff_return *, void *), void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_RETURNS, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	struct staff_return r;
	enum db_step step;
	while ((step = q_step(db, st)) == DB_ROW) {
		read_return(db, st, &r);
		if (fn(&r, arg)) break;
	}
	enum rh_err rc = step == DB_ERROR ? q_error(db, "returns") : RH_OK;
	q_finish(db, st);
	return rc;
}

static enum rh_err return_get(struct db *db, int64_t tenant_id, int64_t id, struct staff_return *out)
{
	struct db_stmt *st = q_bind(db, &Q_RETURN_GET, "II", tenant_id, id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) read_return(db, st, out);
	enum rh_err rc = step == DB_ROW ? RH_OK : step == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "return");
	q_finish(db, st);
	return rc;
}

enum rh_err store_staff_return_done(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
				    int64_t version, const char *notes, struct staff_return *out,
				    struct rh_fail *fail)
{
	struct staff_return before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = return_get(db, tenant_id, id, &before);
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK) rc = version_check(before.version, version, fail);
	/* Handed back is a fact: it is not undone, nor done twice. */
	if (rc == RH_OK && before.returned_at) rc = rh_fail_field(fail, RH_ERR_STATE, "id");
	if (rc == RH_OK) rc = q_exec(db, &Q_RETURN_DONE, "IIIIIt", tenant_id, id, version, store_now(), a->user_id, notes);
	if (rc == RH_OK) rc = return_get(db, tenant_id, id, out);
	if (rc == RH_OK)
		rc = audit_change(db, a, tenant_id, "returned", "staff_return", id, staff_return_to_json(&before),
				  staff_return_to_json(out));
	return tx_end(db, rc);
}

/* ---- the facts eligibility decides from ---- */

/* The latest-ending certificates of each type, $3 of each at most: a
 * worker with dozens of one type (ELIG_MAX_CERTS in all, taken across
 * types) had a valid health certificate crowded out and was refused
 * for lacking one. */
static const struct sql Q_ELIG_CERTS = {
	"SELECT type, valid_from, valid_to, revoked FROM (SELECT type, valid_from, valid_to, revoked,"
	" ROW_NUMBER() OVER (PARTITION BY type ORDER BY valid_to DESC, id DESC) AS k FROM certificates"
	" WHERE tenant_id = $1 AND staff_id = $2 AND revoked = 0) AS latest WHERE k <= $3 ORDER BY valid_to DESC"
};

/* The last annual business training that was not failed (S4). */
static const struct sql Q_LAST_ANNUAL = {
	"SELECT COALESCE(max(day), '') FROM trainings WHERE tenant_id = $1 AND staff_id = $2 AND kind = 'annual'"
	" AND exam <> 'failed'"
};

/* The later of the passed pre-job exam's day and the last annual
 * training's: what the inspector's yearly training counts from. */
static enum rh_err trained_on(struct db *db, int64_t tenant_id, int64_t staff_id, const int latest[STEP__COUNT],
			      const rh_day day[STEP__COUNT], rh_day *out)
{
	*out = latest[STEP_PRE_JOB_TRAINING] == 1 ? day[STEP_PRE_JOB_TRAINING] : 0;
	struct db_stmt *st = q_bind(db, &Q_LAST_ANNUAL, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	rh_day annual = 0;
	if (step == DB_ROW) {
		const char *t = q_text(db, st, 0);
		if (t[0] && date_parse(t, strlen(t), &annual) != 0) annual = 0;
	}
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "annual training");
	if (annual > *out) *out = annual;
	return RH_OK;
}

enum rh_err store_trained_on(struct db *db, int64_t tenant_id, int64_t staff_id, rh_day *out)
{
	int latest[STEP__COUNT];
	rh_day day[STEP__COUNT];
	enum rh_err rc = hiring_latest(db, tenant_id, staff_id, latest, day);
	return rc == RH_OK ? trained_on(db, tenant_id, staff_id, latest, day, out) : rc;
}

enum rh_err store_elig_input(struct db *db, int64_t tenant_id, int64_t staff_id, struct elig_input *in)
{
	struct staff *s = &in->staff;
	struct elig_facts *facts = &in->facts;
	struct elig_cert *certs = in->certs;
	const size_t cap = ELIG_MAX_CERTS;
	enum rh_err rc = store_staff_get(db, tenant_id, staff_id, 0, s);
	int latest[STEP__COUNT];
	rh_day day[STEP__COUNT];
	rh_day trained = 0;
	if (rc == RH_OK) rc = hiring_latest(db, tenant_id, staff_id, latest, day);
	if (rc == RH_OK) rc = trained_on(db, tenant_id, staff_id, latest, day, &trained);
	if (rc == RH_OK) rc = store_job_rules(db, tenant_id, in->rules);
	if (rc != RH_OK) return rc;
	memset(facts, 0, sizeof *facts);
	facts->status = s->status;
	facts->has_birth_date = s->has_birth_date;
	facts->birth_date = s->birth_date;
	facts->background_passed = latest[STEP_BACKGROUND] == 1;
	facts->training_passed = latest[STEP_PRE_JOB_TRAINING] == 1;
	facts->trained_on = trained;
	facts->job_types = s->job_types;
	facts->level = s->level;
	facts->certs = certs;
	struct db_stmt *st = q_bind(db, &Q_ELIG_CERTS, "IIi", tenant_id, staff_id, (int)(cap / CERT__COUNT));
	if (!st) return q_unprepared(db);
	enum db_step step;
	size_t n = 0;
	while ((step = q_step(db, st)) == DB_ROW && n < cap) {
		const char *from = q_text(db, st, 1), *to = q_text(db, st, 2);
		struct elig_cert *c = &certs[n];
		int type = choice_parse(&cert_type_set, q_text(db, st, 0));
		if (type < 0 || date_parse(from, strlen(from), &c->valid_from) || date_parse(to, strlen(to), &c->valid_to))
			continue;
		c->type = (enum cert_type)type;
		c->revoked = q_int(db, st, 3) != 0;
		n++;
	}
	facts->ncerts = n;
	rc = step == DB_ERROR ? q_error(db, "elig certs") : RH_OK;
	q_finish(db, st);
	return rc;
}
