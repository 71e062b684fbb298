/*
 * demo_staff.c — the demo's field-staff records: hiring decisions,
 * trainings and certificates for the demo workers, a supervisor with a
 * team, and today's assignments, so that every screen of the field-staff
 * module has something true to show (see demo.h).
 *
 * Dates are relative to today, so a demo started any day shows the same
 * picture: most workers eligible, a few with a certificate ending within
 * 30 days (the warning and the daily notice), one or two with an expired
 * health certificate (refused with the reason), candidates half-way
 * through the hiring pipeline.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "app/demo.h"
#include "app/jobs.h"

struct roster {
	struct staff *v;
	size_t n, cap;
};

static int collect(const struct staff *s, void *arg)
{
	struct roster *r = arg;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct staff *v = realloc(r->v, cap * sizeof *v);
		if (!v) return 1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *s;
	return 0;
}

static enum rh_err step(struct db *db, const struct actor *a, const struct staff *s, enum hiring_step k, rh_day day)
{
	struct hiring_step_rec r;
	memset(&r, 0, sizeof r);
	r.tenant_id = s->tenant_id;
	r.staff_id = s->id;
	r.step = k;
	r.passed = 1;
	r.day = day;
	snprintf(r.decided_by, sizeof r.decided_by, "%s", k == STEP_HEALTH_CHECK ? "市职业病防治院" : "人事部 王建国");
	return store_hiring_step_add(db, a, &r, NULL);
}

static enum rh_err cert(struct db *db, const struct actor *a, const struct staff *s, enum cert_type t, rh_day from,
			rh_day to)
{
	static const char *const issuers[CERT__COUNT] = {
		"市疾病预防控制中心", "市燃气行业协会", "市应急管理局", "市应急管理局", "市人力资源和社会保障局",
		"市人力资源和社会保障局", "—",
	};
	struct certificate c;
	memset(&c, 0, sizeof c);
	c.tenant_id = s->tenant_id;
	c.staff_id = s->id;
	c.type = t;
	snprintf(c.number, sizeof c.number, "%s-%s-%d", cert_type_codes[t], s->staff_no, (int)from);
	snprintf(c.issuer, sizeof c.issuer, "%s", issuers[t]);
	c.valid_from = from;
	c.valid_to = to;
	return store_cert_add(db, a, &c, NULL);
}

static enum rh_err training(struct db *db, const struct actor *a, const struct staff *s, enum training_kind k,
			    const char *topic, rh_day day, int hours)
{
	struct training t;
	memset(&t, 0, sizeof t);
	t.tenant_id = s->tenant_id;
	t.staff_id = s->id;
	t.kind = k;
	snprintf(t.topic, sizeof t.topic, "%s", topic);
	t.day = day;
	t.hours = hours;
	t.mode = k == TRAIN_SAFETY ? 2 : 1;
	t.exam = 1;
	t.score = 80 + (int)(s->id % 20);
	return store_training_add(db, a, &t, NULL);
}

/* A worker hired a while ago: every step passed, trained, certified. */
static enum rh_err hired(struct db *db, const struct actor *a, const struct staff *s, size_t i, rh_day today,
			 const struct job_rule *rules, int training_due)
{
	rh_day start = today - 400 + (training_due ? 0 : (rh_day)(i % 60));
	enum rh_err rc = RH_OK;
	for (int k = 0; k < STEP_PRE_JOB_TRAINING && rc == RH_OK; k++) rc = step(db, a, s, (enum hiring_step)k, start + k * 3);
	if (rc == RH_OK) rc = training(db, a, s, TRAIN_PRE_JOB, "岗前培训：入户服务规范、安全操作与保密要求", start + 25, 24);
	if (rc == RH_OK) rc = training(db, a, s, TRAIN_SAFETY, "燃气泄漏应急处置演练", today - 60, 4);
	/* Inspectors' yearly business training (seed 001), after the pre-job
	 * one (start + 25): most this year; training_due, one whose next is
	 * due in 20 to 29 days (the warning and the daily notice); none
	 * overdue. */
	rh_day annual = training_due ? today - 345 + (rh_day)(i % 10) : today - 200 + (rh_day)(i % 150);
	if (rc == RH_OK && (s->job_types & (1u << choice_parse(&job_type_set, "inspector"))))
		rc = training(db, a, s, TRAIN_ANNUAL, "年度业务培训：燃气基本知识、户内设施与检漏技能", annual, 16);
	/* Health certificates: most valid for months; some end within 30
	 * days (the warning); a few have run out (refused). */
	rh_day to = i % 9 == 3 ? today + 5 + (rh_day)(i % 20) : i % 13 == 7 ? today - 3 : today + 120 + (rh_day)(i % 90);
	if (rc == RH_OK) rc = cert(db, a, s, CERT_HEALTH, to - 365, to);
	unsigned need = 0;
	for (size_t j = 0; j < job_type_set.n; j++)
		if (s->job_types & (1u << j)) need |= rules[j].certs;
	for (int t = 1; t < CERT__COUNT && rc == RH_OK; t++)
		if (need & (1u << t)) rc = cert(db, a, s, (enum cert_type)t, today - 700, today + 400 + (rh_day)(i % 300));
	return rc;
}

struct homes {
	int64_t id[8];
	size_t n;
};

static int take_home(const struct household *h, void *arg)
{
	struct homes *m = arg;
	if (m->n < 8) m->id[m->n++] = h->id;
	return m->n == 8;
}

/* The field worker's login becomes worker's (staff.user_id, and the
 * account shows the worker's name), with visits on the next two days:
 * their phone shows a day's work and the days ahead. */
static enum rh_err sign_in_as(struct db *db, const struct actor *a, const struct tenant *t, int64_t user_id,
			      const struct assignment *first, const struct homes *m)
{
	struct staff *s = malloc(2 * sizeof *s);
	struct user *u = malloc(sizeof *u);
	enum rh_err rc = s && u ? store_staff_get(db, t->id, first->staff_id, 0, s) : RH_ERR_NOMEM;
	if (rc == RH_OK) {
		s[1] = s[0];
		s[1].user_id = user_id;
		rc = store_staff_update(db, a, t->id, s->id, s->version, &s[1], 0, &s[0], NULL);
	}
	if (rc == RH_OK) rc = store_user_get(db, t->id, user_id, u);
	if (rc == RH_OK) {
		struct user_patch p = { .display_name = s->name, .status = -1 };
		rc = store_user_update(db, a, t->id, user_id, u->version, &p, u, NULL);
	}
	for (int d = 1; d <= 2 && rc == RH_OK; d++) {
		struct assignment as = *first;
		as.day = first->day + d;
		as.household_id = m->id[(size_t)d % m->n];
		snprintf(as.time_window, sizeof as.time_window, "%02d:00-%02d:00", 8 + 2 * d, 9 + 2 * d);
		struct elig_result res;
		rc = store_assignment_create(db, a, &as, &res, NULL);
		if (rc == RH_ERR_NOT_ELIGIBLE) rc = RH_OK;	/* a certificate that ends tomorrow */
	}
	free(s);
	free(u);
	return rc;
}

enum rh_err demo_staff_seed(struct db *db, const struct tenant *t, int64_t worker_user)
{
	struct actor a = { .tenant_id = t->id, .name = "demo", .reason = "demo data" };
	struct roster r = { NULL, 0, 0 };
	struct staff_filter f = { .status = -1, .level = -1, .employment = -1, .limit = 200 };
	int64_t total;
	struct job_rule rules[JOB_TYPE_MAX];
	enum rh_err rc = store_job_rules(db, t->id, rules);
	if (rc == RH_OK) rc = store_staff_list(db, t->id, &f, collect, &r, &total);
	rh_day today = date_of((int64_t)time(NULL), t->utc_offset_min);
	int64_t supervisor = 0;
	unsigned inspector = 1u << choice_parse(&job_type_set, "inspector");
	for (size_t i = 0, inspectors = 0; i < r.n && rc == RH_OK; i++) {
		struct staff *s = &r.v[i];
		if (s->status == STAFF_CANDIDATE) {
			/* Half-way: applied, papers checked, interviewed. */
			for (int k = 0; k <= STEP_INTERVIEW && rc == RH_OK; k++) rc = step(db, &a, s, (enum hiring_step)k, today - 10 + k);
			continue;
		}
		/* every sixth inspector from the second is due for the yearly training */
		int due = (s->job_types & inspector) && inspectors++ % 6 == 1;
		rc = hired(db, &a, s, i, today, rules, due);
		if (rc == RH_OK && !supervisor && s->status == STAFF_ACTIVE && s->level == LEVEL_SENIOR) supervisor = s->id;
	}
	/* The senior worker supervises the next few (000: 高级 … 负责督导). */
	for (size_t i = 0, team = 0; i < r.n && rc == RH_OK && supervisor && team < 6; i++) {
		struct staff *s = &r.v[i], out;
		if (s->id == supervisor || s->level == LEVEL_SENIOR) continue;
		struct staff next = *s;
		next.supervisor_id = supervisor;
		rc = store_staff_update(db, &a, t->id, s->id, s->version, &next, 0, &out, NULL);
		team++;
	}
	/* Today's appointments: eligible workers at the first homes on file. */
	struct homes m = { { 0 }, 0 };
	struct household_filter hf = { .category = -1, .status = -1, .limit = 8 };
	int exact;
	if (rc == RH_OK) rc = store_household_list(db, t->id, &hf, take_home, &m, &total, &exact);
	struct assignment first = { 0 };
	for (size_t i = 0, k = 0; i < r.n && k < m.n && rc == RH_OK; i++) {
		struct staff *s = &r.v[i];
		if (s->status != STAFF_ACTIVE || !s->job_types) continue;
		struct assignment as;
		memset(&as, 0, sizeof as);
		as.tenant_id = t->id;
		as.staff_id = s->id;
		as.household_id = m.id[k];
		as.job_type = __builtin_ctz(s->job_types);
		as.level = rules[as.job_type].level;
		as.day = today;
		snprintf(as.time_window, sizeof as.time_window, "%02u:00-%02u:00", 9u + (unsigned)(k % 8), 10u + (unsigned)(k % 8));
		struct elig_result res;
		rc = store_assignment_create(db, &a, &as, &res, NULL);
		if (rc == RH_OK && k++ == 0) first = as;
		if (rc == RH_ERR_NOT_ELIGIBLE || rc == RH_ERR_NOT_FOUND) rc = RH_OK;	/* the demo shows refusals too */
	}
	free(r.v);
	if (rc == RH_OK && worker_user && first.id) rc = sign_in_as(db, &a, t, worker_user, &first, &m);
	/* Today's certificate and yearly-training notices, as the daily jobs
	 * send them: there from the start, with or without a scheduler
	 * (--no-scheduler). */
	int64_t ending, sent, looked;
	if (rc == RH_OK) rc = cert_expiry_notify(db, t->id, (int64_t)time(NULL), &ending, &sent);
	if (rc == RH_OK) rc = annual_training_notify(db, t->id, (int64_t)time(NULL), &ending, &sent, &looked);
	return rc;
}
