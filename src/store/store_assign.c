/*
 * store_assign.c — assignments: a worker sent to a household for a job
 * type on a day (SPEC S3), the record eligibility guards and the home
 * visit (SPEC section 2) will hang on.
 *
 * The eligibility check runs inside the write transaction that inserts
 * the assignment, on the facts as they are at that moment: a suspension
 * or an expired certificate saved a millisecond earlier is seen.
 */
#include <stdlib.h>
#include "core/validate.h"
#include "base/hash.h"
#include "store/store_internal.h"

#define ASSIGN_COLS "a.id, a.tenant_id, a.staff_id, a.household_id, a.job_type, a.level, a.day, a.time_window," \
	" a.status, a.token, a.notes, a.created_by, a.created_at, a.updated_at, a.version," \
	" COALESCE(s.name, ''), COALESCE(s.staff_no, ''), COALESCE(h.name, ''), COALESCE(h.account_no, '')," \
	" COALESCE(h.address, '')"
/* An assignment with the names its ids point at (never a phone). */
#define ASSIGN_FROM " FROM assignments a LEFT JOIN staff s ON s.id = a.staff_id AND s.tenant_id = a.tenant_id" \
	" LEFT JOIN households h ON h.id = a.household_id AND h.tenant_id = a.tenant_id"
static const struct sql Q_INSERT = {
	"INSERT INTO assignments (tenant_id, staff_id, household_id, job_type, level, day, time_window, status, token,"
	" notes, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'assigned', $8, $9, $10,"
	" $11, $11) RETURNING id"
};
static const struct sql Q_GET = { "SELECT " ASSIGN_COLS ASSIGN_FROM " WHERE a.tenant_id = $1 AND a.id = $2" };
static const struct sql Q_HOUSEHOLD = { "SELECT status FROM households WHERE tenant_id = $1 AND id = $2" };
/* The worker's other visits that day with a time window, to warn of an
 * overlap (a visit without one is "some time that day"). */
static const struct sql Q_BOOKED = {
	"SELECT time_window FROM assignments WHERE tenant_id = $1 AND staff_id = $2 AND day = $3"
	" AND status = 'assigned' AND time_window <> '' ORDER BY time_window"
};
/* The same worker, home, day, job and time, still assigned: a second one
 * is the first sent twice (a double tap, a client's retry), never a
 * visit of its own. */
static const struct sql Q_TWIN = {
	"SELECT id FROM assignments WHERE tenant_id = $1 AND staff_id = $2 AND day = $3 AND household_id = $4"
	" AND job_type = $5 AND time_window = $6 AND status = 'assigned'"
};
/* $6: a limited account's id, whose granted estates bound the list to
 * the visits to their households (SPEC X1), or 0. */
#define ASSIGN_WHERE " WHERE a.tenant_id = $1 AND ($2 = 0 OR a.staff_id = $2)" \
	" AND ($3 = 0 OR a.household_id = $3) AND ($4 = '' OR a.day = $4) AND ($5 = '' OR a.status = $5)" \
	" AND ($6 = 0 OR EXISTS (SELECT 1 FROM households hs JOIN sites ss ON ss.id = hs.site_id" \
	"      JOIN user_sites g ON g.tenant_id = ss.tenant_id AND g.estate_id = ss.estate_id" \
	"      WHERE hs.id = a.household_id AND g.user_id = $6))"
static const struct sql Q_LIST = {
	"SELECT " ASSIGN_COLS ASSIGN_FROM ASSIGN_WHERE " ORDER BY a.day DESC, a.time_window, a.id DESC LIMIT $7 OFFSET $8"
};
static const struct sql Q_COUNT = { "SELECT count(*) FROM assignments a" ASSIGN_WHERE };
/* A worker's visits still to go on from a day ($2 the worker, $3 the day). */
#define AHEAD_WHERE " WHERE a.tenant_id = $1 AND a.staff_id = $2 AND a.day >= $3 AND a.status = 'assigned'"
static const struct sql Q_AHEAD = {
	"SELECT " ASSIGN_COLS ASSIGN_FROM AHEAD_WHERE " ORDER BY a.day, a.time_window, a.id LIMIT $4 OFFSET $5"
};
static const struct sql Q_AHEAD_COUNT = { "SELECT count(*) FROM assignments a" AHEAD_WHERE };
static const struct sql Q_CANCEL = {
	"UPDATE assignments SET status = 'cancelled', updated_at = $4, version = version + 1"
	" WHERE tenant_id = $1 AND id = $2 AND version = $3"
};

static void read_assignment(struct db *db, struct db_stmt *st, struct assignment *a)
{
	memset(a, 0, sizeof *a);
	a->id = q_int(db, st, 0);
	a->tenant_id = q_int(db, st, 1);
	a->staff_id = q_int(db, st, 2);
	a->household_id = q_int(db, st, 3);
	a->job_type = choice_parse_or(&job_type_set, q_text(db, st, 4), (int)job_type_set.n - 1);
	a->level = (enum staff_level)choice_parse_or(&staff_level_set, q_text(db, st, 5), LEVEL_SENIOR);
	a->day = q_day(db, st, 6);
	q_copy(db, st, 7, a->time_window, sizeof a->time_window);
	a->status = (enum assignment_status)choice_parse_or(&assignment_status_set, q_text(db, st, 8), ASSIGN_CANCELLED);
	q_copy(db, st, 9, a->token, sizeof a->token);
	q_copy(db, st, 10, a->notes, sizeof a->notes);
	a->created_by = q_int(db, st, 11);
	a->created_at = q_int(db, st, 12);
	a->updated_at = q_int(db, st, 13);
	a->version = q_int(db, st, 14);
	q_copy(db, st, 15, a->staff_name, sizeof a->staff_name);
	q_copy(db, st, 16, a->staff_no, sizeof a->staff_no);
	q_copy(db, st, 17, a->household_name, sizeof a->household_name);
	q_copy(db, st, 18, a->account_no, sizeof a->account_no);
	q_copy(db, st, 19, a->address, sizeof a->address);
}

/* The record as the trail keeps it: its own fields, not the names its
 * ids pointed at when it was read. */
static json_t *audit_json(const struct assignment *a)
{
	struct assignment *c = malloc(sizeof *c);
	if (!c) return NULL;
	*c = *a;
	c->staff_name[0] = c->staff_no[0] = c->household_name[0] = c->account_no[0] = c->address[0] = '\0';
	json_t *o = assignment_to_json(c);
	free(c);
	return o;
}

/* Warns of the worker's visits that day whose windows overlap as's. */
static enum rh_err warn_booked(struct db *db, const struct assignment *as, const char *day, struct elig_result *res)
{
	if (!as->time_window[0]) return RH_OK;
	struct db_stmt *st = q_bind(db, &Q_BOOKED, "IIt", as->tenant_id, as->staff_id, day);
	if (!st) return q_unprepared(db);
	enum db_step step;
	while ((step = q_step(db, st)) == DB_ROW) {
		const char *w = q_text(db, st, 0);
		if (time_windows_overlap(as->time_window, w)) elig_warn(res, ELIG_WINDOW_TAKEN, w);
	}
	q_finish(db, st);
	return step == DB_DONE ? RH_OK : q_error(db, "assignment bookings");
}

/* Decides with the facts and the job rule read inside the caller's
 * transaction; raises as->level to the rule's when it asked less. */
static enum rh_err decide(struct db *db, struct assignment *as, struct elig_result *res, struct rh_fail *fail)
{
	struct elig_input *in = malloc(sizeof *in);
	if (!in) return RH_ERR_NOMEM;
	enum rh_err rc = store_elig_input(db, as->tenant_id, as->staff_id, in);
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "staff_id");
	if (rc == RH_OK) {
		struct elig_need need = elig_need_for(in->rules, as->job_type, (int)as->level, as->day);
		as->level = need.level;
		if (!eligibility_check(&in->facts, &need, res)) rc = rh_fail_field(fail, RH_ERR_NOT_ELIGIBLE, "staff_id");
	}
	free(in);
	return rc;
}

enum rh_err store_assignment_create(struct db *db, const struct actor *a, struct assignment *as,
				    struct elig_result *res, struct rh_fail *fail)
{
	char day[11];
	date_format(as->day, day);
	memset(res, 0, sizeof *res);
	as->status = ASSIGN_ASSIGNED;
	as->created_by = a->user_id;
	as->created_at = as->updated_at = store_now();
	as->version = 1;
	random_token(as->token);
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	/* A closed account may still need a visit (its meter taken out),
	 * so it is a warning, not a refusal. */
	int closed = 0;
	struct db_stmt *st = q_bind(db, &Q_HOUSEHOLD, "II", as->tenant_id, as->household_id);
	if (!st) rc = q_unprepared(db);
	if (st) {
		enum db_step step = q_step(db, st);
		if (step == DB_ROW) closed = choice_parse_or(&hh_status_set, q_text(db, st, 0), HH_ACTIVE) == HH_CLOSED;
		else if (step == DB_DONE) rc = rh_fail_field(fail, RH_ERR_NOT_FOUND, "household_id");
		else rc = q_error(db, "assignment household");
		q_finish(db, st);
	}
	/* SPEC X1: a household of the account's estates now, not only when
	 * the handler looked; one outside is answered as h_assign.c does */
	int in = 1;
	if (rc == RH_OK) rc = store_household_in_scope(db, as->tenant_id, a->scope, as->household_id, &in);
	if (rc == RH_OK && !in) rc = rh_fail_field(fail, RH_ERR_FIELD_INVALID, "household_id");
	if (rc == RH_OK) rc = decide(db, as, res, fail);
	/* after the eligibility check, whose reasons say more */
	if (rc == RH_OK)
		rc = q_no_twin(db, fail, "household_id", &Q_TWIN, "IItItt", as->tenant_id, as->staff_id, day,
			       as->household_id, choice_code(&job_type_set, as->job_type), as->time_window);
	if (rc == RH_OK) rc = warn_booked(db, as, day, res);
	if (rc == RH_OK && closed) elig_warn(res, ELIG_HOUSEHOLD_CLOSED, NULL);
	if (rc == RH_OK)
		rc = q_insert(db, &Q_INSERT, &as->id, "IIIttttttII", as->tenant_id, as->staff_id, as->household_id,
			      choice_code(&job_type_set, as->job_type), choice_code(&staff_level_set, (int)as->level), day,
			      as->time_window, as->token, as->notes, as->created_by, as->created_at);
	if (rc == RH_OK) rc = audit_change(db, a, as->tenant_id, "create", "assignment", as->id, NULL, audit_json(as));
	return tx_end(db, rc);
}

enum rh_err store_assignment_get(struct db *db, int64_t tenant_id, int64_t id, struct assignment *out)
{
	struct db_stmt *st = q_bind(db, &Q_GET, "II", tenant_id, id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) read_assignment(db, st, out);
	enum rh_err rc = step == DB_ROW ? RH_OK : step == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "assignment");
	q_finish(db, st);
	return rc;
}

/* ---- visits a worker can no longer go on ---- */

/* The worker's visits still to come, for the recheck, with the estate of
 * each household (0: on no site): $3 the first day. */
static const struct sql Q_RECHECK = {
	"SELECT a.job_type, a.level, a.day, COALESCE(s.estate_id, 0) FROM assignments a"
	" LEFT JOIN households h ON h.id = a.household_id AND h.tenant_id = a.tenant_id"
	" LEFT JOIN sites s ON s.id = h.site_id AND s.tenant_id = h.tenant_id"
	" WHERE a.tenant_id = $1 AND a.staff_id = $2 AND a.day >= $3 AND a.status = 'assigned'"
	" ORDER BY a.day, a.id LIMIT 100"
};
#define RECHECK_MAX 100
struct visit_need {
	int job_type, level;
	rh_day day;
	int64_t estate;
	int refused;	/* eligibility refuses it now */
};

/* The organisation's today, as the day column holds it. */
static enum rh_err tenant_today(struct db *db, int64_t tenant_id, char out[11])
{
	struct tenant t;
	enum rh_err rc = store_tenant_get(db, tenant_id, &t);
	if (rc == RH_OK) date_format(date_of(store_now(), t.utc_offset_min), out);
	return rc;
}

/* What the recheck found, for each reader's notice (tell_reader). */
struct refusal {
	const struct elig_input *in;
	const struct visit_need *v;
	size_t n;
	int64_t staff_id;
	const char *today;
	int64_t tenant_id;
	int64_t *grants;	/* USER_SITES_MAX: a limited reader's estates */
	const struct visit_need *first;	/* the first visit refused, whose reasons are res */
	const struct elig_result *res;
};

static int granted(const int64_t *grants, size_t n, int64_t estate)
{
	for (size_t i = 0; i < n; i++)
		if (grants[i] == estate) return 1;
	return 0;
}

/* The notice that refused visits of the worker need another worker, as
 * one reader may be told it: how many of those it may see (an account
 * limited to some estates, SPEC X1, hears only of visits to households
 * there, and nothing when there are none), and the first one's reasons.
 * The same notice (worker, count and reasons) is sent once a day: a
 * second change that refuses nothing new, or the daily recheck, adds
 * none; one that changes what it says is sent, in the same second too. */
static enum rh_err tell_reader(struct db *db, int64_t user_id, int limited, struct notice *no, int *send, void *arg)
{
	const struct refusal *f = arg;
	size_t n_grants = 0;
	enum rh_err rc = limited ? store_user_sites(db, f->tenant_id, user_id, f->grants, USER_SITES_MAX, &n_grants) : RH_OK;
	if (rc != RH_OK) return rc;
	int refused = 0;
	const struct visit_need *first = NULL;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].refused && (!limited || granted(f->grants, n_grants, f->v[i].estate))) {
			if (!refused++) first = &f->v[i];
		}
	if (!refused) return RH_OK;
	/* the reasons of the reader's first visit: the whole list's, unless
	 * that one is outside the reader's estates */
	struct elig_result *own = NULL;
	if (first != f->first) {
		if (!(own = malloc(sizeof *own))) return RH_ERR_NOMEM;
		struct elig_need need = elig_need_for(f->in->rules, first->job_type, first->level, first->day);
		eligibility_check(&f->in->facts, &need, own);
	}
	const struct elig_result *res = own ? own : f->res;
	char zh[512], en[512], who[97];
	utf8_cut(f->in->staff.name, who, sizeof who);	/* the title's room; a name is far shorter */
	snprintf(no->kind, sizeof no->kind, "assign.refused");
	snprintf(no->title_zh, sizeof no->title_zh, "%s 的 %d 项派工已不符合派工条件，请改派", who, refused);
	snprintf(no->title_en, sizeof no->title_en, "%d visit%s of %s can no longer go ahead: assign another worker", refused,
		 refused == 1 ? "" : "s", who);
	snprintf(no->body_zh, sizeof no->body_zh, "%s", elig_reasons_text(res, 0, zh, sizeof zh));
	snprintf(no->body_en, sizeof no->body_en, "%s", elig_reasons_text(res, 1, en, sizeof en));
	snprintf(no->link, sizeof no->link, "#/assignments?staff_id=%lld&status=assigned", (long long)f->staff_id);
	snprintf(no->dedup, sizeof no->dedup, "assign.refused:%lld:%s:%d:%08x", (long long)f->staff_id, f->today, refused,
		 (unsigned)str_hash(no->body_en));
	free(own);
	*send = 1;
	return RH_OK;
}

/* visits_recheck() with the organisation's today already known. */
static enum rh_err recheck_from(struct db *db, int64_t tenant_id, int64_t staff_id, const char *today)
{
	struct visit_need v[RECHECK_MAX];
	size_t n = 0;
	struct db_stmt *st = q_bind(db, &Q_RECHECK, "IIt", tenant_id, staff_id, today);
	if (!st) return q_unprepared(db);
	enum db_step step;
	while ((step = q_step(db, st)) == DB_ROW && n < RECHECK_MAX)
		v[n++] = (struct visit_need){ choice_parse_or(&job_type_set, q_text(db, st, 0), (int)job_type_set.n - 1),
					      choice_parse_or(&staff_level_set, q_text(db, st, 1), LEVEL_SENIOR), q_day(db, st, 2),
					      q_int(db, st, 3), 0 };
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "recheck visits");
	if (!n) return RH_OK;
	struct elig_input *in = malloc(sizeof *in);
	struct elig_result *res = malloc(sizeof *res), *first_res = malloc(sizeof *first_res);
	int64_t *grants = malloc(USER_SITES_MAX * sizeof *grants);
	const struct visit_need *first = NULL;
	enum rh_err rc = in && res && first_res && grants ? store_elig_input(db, tenant_id, staff_id, in) : RH_ERR_NOMEM;
	for (size_t i = 0; rc == RH_OK && i < n; i++) {
		struct elig_need need = elig_need_for(in->rules, v[i].job_type, v[i].level, v[i].day);
		v[i].refused = !eligibility_check(&in->facts, &need, res);
		if (v[i].refused && !first) {
			first = &v[i];
			*first_res = *res;
		}
	}
	if (rc == RH_OK && first) {
		struct refusal f = { in, v, n, staff_id, today, tenant_id, grants, first, first_res };
		int64_t sent;
		rc = notify_each_in_tx(db, tenant_id, RH_ROLE(ROLE_ADMIN) | RH_ROLE(ROLE_MANAGER) | RH_ROLE(ROLE_SUPERVISOR) |
							      RH_ROLE(ROLE_DISPATCHER),
				       tell_reader, &f, &sent);
	}
	free(in);
	free(res);
	free(first_res);
	free(grants);
	return rc;
}

enum rh_err visits_recheck(struct db *db, int64_t tenant_id, int64_t staff_id)
{
	char today[11];
	enum rh_err rc = tenant_today(db, tenant_id, today);
	return rc == RH_OK ? recheck_from(db, tenant_id, staff_id, today) : rc;
}

/* The workers with visits of a job type still to go on. */
static const struct sql Q_JOB_WORKERS = {
	"SELECT DISTINCT staff_id FROM assignments WHERE tenant_id = $1 AND job_type = $2 AND day >= $3"
	" AND status = 'assigned' ORDER BY staff_id LIMIT 1000"
};

enum rh_err visits_recheck_job(struct db *db, int64_t tenant_id, int job_type)
{
	char today[11];
	enum rh_err rc = tenant_today(db, tenant_id, today);
	if (rc != RH_OK) return rc;
	struct db_stmt *st = q_bind(db, &Q_JOB_WORKERS, "Itt", tenant_id, choice_code(&job_type_set, job_type), today);
	if (!st) return q_unprepared(db);
	int64_t *ids = malloc(1000 * sizeof *ids);
	size_t n = 0;
	enum db_step step = DB_DONE;
	while (ids && n < 1000 && (step = q_step(db, st)) == DB_ROW) ids[n++] = q_int(db, st, 0);
	q_finish(db, st);	/* read whole before each worker's visits are read */
	rc = !ids ? RH_ERR_NOMEM : step == DB_ERROR ? q_error(db, "job workers") : RH_OK;
	for (size_t i = 0; rc == RH_OK && i < n; i++) rc = recheck_from(db, tenant_id, ids[i], today);
	free(ids);
	return rc;
}

/* Each row of a bound list statement to fn, freeing it. */
static enum rh_err each_assignment(struct db *db, struct db_stmt *st, int (*fn)(const struct assignment *, void *),
				   void *arg)
{
	if (!st) return q_unprepared(db);
	struct assignment *a = malloc(sizeof *a);
	enum db_step step = DB_DONE;
	while (a && (step = q_step(db, st)) == DB_ROW) {
		read_assignment(db, st, a);
		if (fn(a, arg)) break;
	}
	enum rh_err rc = !a ? RH_ERR_NOMEM : step == DB_ERROR ? q_error(db, "assignments") : RH_OK;
	q_finish(db, st);
	free(a);
	return rc;
}

/* The count a bound count statement answers into *total. */
static enum rh_err count_of(struct db *db, struct db_stmt *st, int64_t *total)
{
	*total = 0;
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) *total = q_int(db, st, 0);
	q_finish(db, st);
	return step == DB_ROW ? RH_OK : q_error(db, "assignments count");
}

enum rh_err store_assignments(struct db *db, int64_t tenant_id, const struct assignment_filter *f,
			      int (*fn)(const struct assignment *, void *), void *arg, int64_t *total)
{
	char day[11] = "";
	if (f->has_day) date_format(f->day, day);
	const char *status = f->status >= 0 ? choice_code(&assignment_status_set, f->status) : "";
	enum rh_err rc = count_of(db, q_bind(db, &Q_COUNT, "IIIttI", tenant_id, f->staff_id, f->household_id, day, status,
					     f->scope), total);
	if (rc != RH_OK) return rc;
	return each_assignment(db, q_bind(db, &Q_LIST, "IIIttIii", tenant_id, f->staff_id, f->household_id, day, status,
					  f->scope, f->limit, f->offset), fn, arg);
}

enum rh_err store_assignments_ahead(struct db *db, int64_t tenant_id, int64_t staff_id, rh_day from, int limit,
				    int offset, int (*fn)(const struct assignment *, void *), void *arg,
				    int64_t *total)
{
	char day[11];
	date_format(from, day);
	enum rh_err rc = count_of(db, q_bind(db, &Q_AHEAD_COUNT, "IIt", tenant_id, staff_id, day), total);
	if (rc != RH_OK) return rc;
	return each_assignment(db, q_bind(db, &Q_AHEAD, "IItii", tenant_id, staff_id, day, limit, offset), fn, arg);
}

enum rh_err store_assignment_cancel(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
				    int64_t version, struct assignment *out, struct rh_fail *fail)
{
	struct assignment before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = store_assignment_get(db, tenant_id, id, &before);
	/* SPEC X1: a visit to a household of the account's estates now */
	int in = 1;
	if (rc == RH_OK) rc = store_household_in_scope(db, tenant_id, a->scope, before.household_id, &in);
	if (rc == RH_OK && !in) rc = RH_ERR_NOT_FOUND;
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK) rc = version_check(before.version, version, fail);
	if (rc == RH_OK && before.status != ASSIGN_ASSIGNED) rc = rh_fail_field(fail, RH_ERR_STATE, "status");
	if (rc == RH_OK) rc = q_exec(db, &Q_CANCEL, "IIII", tenant_id, id, version, store_now());
	if (rc == RH_OK) rc = store_assignment_get(db, tenant_id, id, out);
	if (rc == RH_OK)
		rc = audit_change(db, a, tenant_id, "cancel", "assignment", id, audit_json(&before), audit_json(out));
	return tx_end(db, rc);
}
