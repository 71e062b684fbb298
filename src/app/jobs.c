/*
 * jobs.c — the job kinds of the foundation: housekeeping that every
 * tenant gets, repeating on its own.
 *
 *   session.purge      hourly: removes expired sessions.
 *   audit.verify       daily: recomputes the tenant's audit chain; a
 *                      broken chain fails the job, so it shows as failed
 *                      on the admin's job page until someone looks.
 *   calendar.coverage  daily: from 1 November (the organisation's date)
 *                      warns when next year's holiday schedule has not
 *                      been imported yet — in the job's result and, once
 *                      a week, in the admins' notification centre (they
 *                      import it; a result on the jobs page nobody opens
 *                      warns nobody).
 *   staff.cert_expiry  daily: tells managers, admins and supervisors, in
 *                      their notification centre, which certificates end
 *                      within 30 days (SPEC S3) — once a day, however
 *                      often the job runs.
 *   staff.annual_training daily: the same for the inspectors whose yearly
 *                      business training (seed 001, SPEC S4) falls due
 *                      within 30 days or is overdue, by the eligibility
 *                      rule's own warning.
 *   housekeeping.prune daily: removes finished jobs 90 days after they
 *                      ended and notices 180 days after they were sent
 *                      (core/job.h), which would otherwise pile up
 *                      forever (an hourly purge alone: 8,760 jobs a year
 *                      per organisation).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/jobs.h"
#include "base/log.h"
#include "base/buf.h"
#include "core/date.h"
#include "core/eligibility.h"
#include "core/validate.h"

static enum rh_err purge_sessions(struct db *db, const struct job *j, int64_t now, struct job_note *note)
{
	int64_t removed = 0;
	enum rh_err rc = store_session_purge(db, j->tenant_id, now, &removed);
	if (rc == RH_OK) {
		snprintf(note->zh, sizeof note->zh, "清除了 %lld 个过期会话", (long long)removed);
		snprintf(note->en, sizeof note->en, "removed %lld expired sessions", (long long)removed);
	}
	return rc;
}

static enum rh_err verify_audit(struct db *db, const struct job *j, int64_t now, struct job_note *note)
{
	struct audit_check c;
	enum rh_err rc = store_audit_verify_one(db, j->tenant_id, &c);
	if (rc != RH_OK) return rc;
	if (c.broken_seq) {
		snprintf(note->zh, sizeof note->zh, "审计链在第 %lld 条处断裂：%s", (long long)c.broken_seq, c.reason);
		snprintf(note->en, sizeof note->en, "audit chain BROKEN at entry %lld: %s", (long long)c.broken_seq, c.reason);
		return RH_ERR_STATE;
	}
	/* The head hash goes to the log too: kept outside the database, it
	 * shows later whether entries were cut off the end of the chain. */
	log_info("audit chain of tenant %lld intact: %lld entries, head %s", (long long)j->tenant_id,
		 (long long)c.entries, c.head_hash);
	snprintf(note->zh, sizeof note->zh, "审计链完整：共 %lld 条，链头 %.16s…", (long long)c.entries, c.head_hash);
	snprintf(note->en, sizeof note->en, "audit chain intact: %lld entries, head %.16s…", (long long)c.entries, c.head_hash);
	return RH_OK;
}

struct want_year {
	int year, found;
};

static int look_for(const struct cal_year *y, void *arg)
{
	struct want_year *w = arg;
	if (y->year == w->year) w->found = 1;
	return 0;
}

static enum rh_err check_calendar(struct db *db, const struct job *j, int64_t now, struct job_note *note)
{
	/* "From 1 November" in the organisation's time zone (SPEC X4), as
	 * its deadlines count days. */
	struct tenant t;
	enum rh_err rc = store_tenant_get(db, j->tenant_id, &t);
	if (rc != RH_OK) return rc;
	int y, m, d;
	date_to_ymd(date_of(now, t.utc_offset_min), &y, &m, &d);
	struct want_year w = { .year = m >= 11 ? y + 1 : y };
	rc = store_calendar_years(db, j->tenant_id, look_for, &w);
	if (rc != RH_OK) return rc;
	if (w.found) {
		snprintf(note->zh, sizeof note->zh, "%d 年节假日安排已导入", w.year);
		snprintf(note->en, sizeof note->en, "the %d holiday schedule is known", w.year);
		return RH_OK;
	}
	snprintf(note->zh, sizeof note->zh, "注意：%d 年节假日安排尚未导入，该年的期限无法确定（请在工作日历页导入）", w.year);
	snprintf(note->en, sizeof note->en, "WARNING: the %d holiday schedule is not imported; deadlines in %d "
		 "are uncertain (import it on the calendar page)", w.year, w.year);
	struct notice n;
	memset(&n, 0, sizeof n);
	snprintf(n.kind, sizeof n.kind, "calendar.missing");
	snprintf(n.title_zh, sizeof n.title_zh, "%d 年节假日安排尚未导入", w.year);
	snprintf(n.title_en, sizeof n.title_en, "The %d holiday schedule is not imported", w.year);
	snprintf(n.body_zh, sizeof n.body_zh, "国务院办公厅公布 %d 年节假日安排后，请在工作日历页导入；在此之前，该年按工作日计算的期限无法确定。",
		 w.year);
	snprintf(n.body_en, sizeof n.body_en, "Once the State Council publishes the %d holiday schedule, import it on the "
		 "calendar page; until then, deadlines in working days in %d are uncertain.", w.year, w.year);
	snprintf(n.link, sizeof n.link, "#/calendar?year=%d", w.year);
	/* once a week: rh_day 0 is a Thursday, so weeks here run Thursday to Wednesday */
	snprintf(n.dedup, sizeof n.dedup, "calendar.missing:%d:%lld", w.year,
		 (long long)(date_of(now, t.utc_offset_min) / 7));
	int64_t sent;
	return store_notify_roles(db, j->tenant_id, RH_ROLE(ROLE_ADMIN), &n, &sent);
}

/* A daily notice's list: what its body names, in both languages, ten at
 * most, separated as each language separates. */
struct listing {
	struct buf zh, en;
	int listed;
};

#define LISTED_MAX 10

/* Adds an item; 1 once the list holds LISTED_MAX. */
static int list_add(struct listing *l, const char *zh, const char *en)
{
	buf_printf(&l->zh, "%s%s", l->listed ? "；" : "", zh);
	buf_printf(&l->en, "%s%s", l->listed ? "; " : "", en);
	return ++l->listed >= LISTED_MAX;
}

static int note_expiring(const struct certificate *c, const char *name, void *arg)
{
	char to[11], zh[512], en[512];
	date_format(c->valid_to, to);
	snprintf(zh, sizeof zh, "%s %s（%s 到期）", name, choice_label(&cert_type_set, (int)c->type, 0), to);
	snprintf(en, sizeof en, "%s %s (ends %s)", name, choice_label(&cert_type_set, (int)c->type, 1), to);
	return list_add(arg, zh, en);
}

/* text into out (cap bytes) on a whole character, with more ("……")
 * after it when it did not all fit or there is more than was listed. */
static void body(const char *text, int more, const char *ellipsis, char *out, size_t cap)
{
	size_t room = cap - strlen(ellipsis);
	utf8_cut(text, out, room);
	if (more || strlen(text) >= room) strcat(out, ellipsis);
}

/* Sends n (its kind, titles and link made) to the organisation's admins,
 * managers and supervisors, with l as its body (total items, of which l
 * lists some) — once a day (today): the dedup key is the kind and day. */
static enum rh_err notify_daily(struct db *db, int64_t tenant_id, struct notice *n, const struct listing *l, int64_t total,
				rh_day today, int64_t *sent)
{
	char day[11];
	date_format(today, day);
	body(buf_str(&l->zh), total > l->listed, "……", n->body_zh, sizeof n->body_zh);
	body(buf_str(&l->en), total > l->listed, " …", n->body_en, sizeof n->body_en);
	snprintf(n->dedup, sizeof n->dedup, "%s:%s", n->kind, day);
	return store_notify_roles(db, tenant_id, RH_ROLE(ROLE_ADMIN) | RH_ROLE(ROLE_MANAGER) | RH_ROLE(ROLE_SUPERVISOR), n,
				  sent);
}

enum rh_err cert_expiry_notify(struct db *db, int64_t tenant_id, int64_t now, int64_t *total, int64_t *sent)
{
	*total = *sent = 0;
	struct tenant t;
	enum rh_err rc = store_tenant_get(db, tenant_id, &t);
	if (rc != RH_OK) return rc;
	/* "Within 30 days" as eligibility warns: 30 days or fewer left. */
	rh_day today = date_of(now, t.utc_offset_min);
	struct listing l = { .listed = 0 };
	buf_init(&l.zh, 4096);
	buf_init(&l.en, 4096);
	struct cert_filter f = { .staff_id = 0, .from = today, .to = today + ELIG_WARN_DAYS, .limit = LISTED_MAX };
	rc = store_certs(db, tenant_id, &f, note_expiring, &l, total);
	if (rc == RH_OK && *total > 0) {
		struct notice n;
		memset(&n, 0, sizeof n);
		snprintf(n.kind, sizeof n.kind, "cert.expiring");
		snprintf(n.title_zh, sizeof n.title_zh, "%lld 个证书将在 30 天内到期", (long long)*total);
		snprintf(n.title_en, sizeof n.title_en, "%lld certificate%s end within 30 days", (long long)*total,
			 *total == 1 ? "" : "s");
		snprintf(n.link, sizeof n.link, "#/certificates");
		rc = notify_daily(db, tenant_id, &n, &l, *total, today, sent);
	}
	buf_release(&l.zh);
	buf_release(&l.en);
	return rc;
}

static enum rh_err warn_expiring(struct db *db, const struct job *j, int64_t now, struct job_note *note)
{
	int64_t total, sent;
	enum rh_err rc = cert_expiry_notify(db, j->tenant_id, now, &total, &sent);
	if (rc != RH_OK) return rc;
	snprintf(note->zh, sizeof note->zh, "%lld 个证书 30 天内到期，新发通知 %lld 条", (long long)total, (long long)sent);
	snprintf(note->en, sizeof note->en, "%lld certificates end within 30 days; %lld new notices", (long long)total,
		 (long long)sent);
	return RH_OK;
}

/* ---- the inspectors' yearly training (S4) ---- */

#define ANNUAL_SCAN_MAX 20000	/* inspectors looked at in one run */

/* The active inspectors, id and name. */
struct inspectors {
	struct inspector {
		int64_t id;
		char name[STAFF_NAME_MAX * 4 + 1];
	} *v;
	size_t n, cap;
	int nomem;
};

static int take_inspector(const struct staff *s, void *arg)
{
	struct inspectors *l = arg;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct inspector *grown = realloc(l->v, cap * sizeof *grown);
		if (!grown) {
			l->nomem = 1;
			return 1;
		}
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n].id = s->id;
	memcpy(l->v[l->n].name, s->name, sizeof l->v[l->n].name);
	l->n++;
	return 0;
}

/* The active inspectors, at most ANNUAL_SCAN_MAX, in one statement
 * (pages read apart would skip or repeat one whose record changed
 * between them); *all: how many there are. */
static enum rh_err active_inspectors(struct db *db, int64_t tenant_id, struct inspectors *out, int64_t *all)
{
	struct staff_filter f = { .status = STAFF_ACTIVE, .level = -1, .employment = -1, .limit = ANNUAL_SCAN_MAX };
	f.job_type = 1u << choice_parse(&job_type_set, "inspector");
	enum rh_err rc = store_staff_list(db, tenant_id, &f, take_inspector, out, all);
	return rc == RH_OK && out->nomem ? RH_ERR_NOMEM : rc;
}

enum rh_err annual_training_notify(struct db *db, int64_t tenant_id, int64_t now, int64_t *total, int64_t *sent,
				   int64_t *looked_at)
{
	*total = *sent = *looked_at = 0;
	struct tenant t;
	enum rh_err rc = store_tenant_get(db, tenant_id, &t);
	if (rc != RH_OK) return rc;
	rh_day today = date_of(now, t.utc_offset_min);
	struct inspectors in = { NULL, 0, 0, 0 };
	int64_t all = 0;
	rc = active_inspectors(db, tenant_id, &in, &all);
	*looked_at = (int64_t)in.n;
	if (rc == RH_OK && all > (int64_t)in.n)
		log_warn("staff.annual_training: %lld active inspectors, the first %zu looked at", (long long)all, in.n);
	struct listing l = { .listed = 0 };
	buf_init(&l.zh, 4096);
	buf_init(&l.en, 4096);
	/* the eligibility rule's own warning, from the one fact it rests on */
	for (size_t i = 0; i < in.n && rc == RH_OK; i++) {
		rh_day trained = 0, due = 0;
		rc = store_trained_on(db, tenant_id, in.v[i].id, &trained);
		enum elig_reason why = rc == RH_OK ? elig_annual_state(trained, today, &due) : ELIG__COUNT;
		if (why == ELIG__COUNT) continue;
		++*total;
		if (l.listed >= LISTED_MAX) continue;
		char day[11], zh[512], en[512];
		date_format(due, day);
		int over = why == ELIG_ANNUAL_OVERDUE;
		snprintf(zh, sizeof zh, "%s（%s%s）", in.v[i].name, day, over ? " 已逾期" : " 到期");
		snprintf(en, sizeof en, "%s (%s %s)", in.v[i].name, over ? "overdue since" : "due by", day);
		list_add(&l, zh, en);
	}
	if (rc == RH_OK && *total > 0) {
		struct notice n;
		memset(&n, 0, sizeof n);
		snprintf(n.kind, sizeof n.kind, "training.annual");
		snprintf(n.title_zh, sizeof n.title_zh, "%lld 名安检人员的年度业务培训 30 天内到期或已逾期", (long long)*total);
		snprintf(n.title_en, sizeof n.title_en, "%lld inspector%s due for the yearly business training within 30 days, or overdue",
			 (long long)*total, *total == 1 ? "" : "s");
		snprintf(n.link, sizeof n.link, "#/staff?job_type=inspector&status=active");
		rc = notify_daily(db, tenant_id, &n, &l, *total, today, sent);
	}
	buf_release(&l.zh);
	buf_release(&l.en);
	free(in.v);
	return rc;
}

static enum rh_err warn_annual(struct db *db, const struct job *j, int64_t now, struct job_note *note)
{
	int64_t total, sent, looked;
	enum rh_err rc = annual_training_notify(db, j->tenant_id, now, &total, &sent, &looked);
	if (rc != RH_OK) return rc;
	snprintf(note->zh, sizeof note->zh, "查看了 %lld 名在岗安检人员，%lld 名的年度业务培训 30 天内到期或已逾期，新发通知 %lld 条",
		 (long long)looked, (long long)total, (long long)sent);
	snprintf(note->en, sizeof note->en,
		 "looked at %lld active inspectors: %lld due for the yearly training within 30 days or overdue; %lld new notices",
		 (long long)looked, (long long)total, (long long)sent);
	return RH_OK;
}

static enum rh_err prune(struct db *db, const struct job *j, int64_t now, struct job_note *note)
{
	int64_t jobs = 0, notices = 0;
	enum rh_err rc = store_job_prune(db, j->tenant_id, now - (int64_t)JOB_KEEP_DAYS * 86400, &jobs);
	if (rc == RH_OK) rc = store_notice_prune(db, j->tenant_id, now - (int64_t)NOTICE_KEEP_DAYS * 86400, &notices);
	if (rc != RH_OK) return rc;
	snprintf(note->zh, sizeof note->zh, "清除了 %lld 个 %d 天前结束的任务、%lld 条 %d 天前的通知", (long long)jobs,
		 JOB_KEEP_DAYS, (long long)notices, NOTICE_KEEP_DAYS);
	snprintf(note->en, sizeof note->en, "removed %lld jobs that ended over %d days ago and %lld notices over %d days old",
		 (long long)jobs, JOB_KEEP_DAYS, (long long)notices, NOTICE_KEEP_DAYS);
	return RH_OK;
}

const struct job_kind job_kinds[] = {
	{ "session.purge", 3600, purge_sessions },
	{ "audit.verify", 86400, verify_audit },
	{ "calendar.coverage", 86400, check_calendar },
	{ "staff.cert_expiry", 86400, warn_expiring },
	{ "staff.annual_training", 86400, warn_annual },
	{ "housekeeping.prune", 86400, prune },
};
const size_t job_kinds_count = sizeof job_kinds / sizeof job_kinds[0];
/* The same kinds, as GET /api/v1/jobs?kind= takes them (test_basics
 * checks that the two agree). */
const char *const job_kind_codes[] = { "session.purge", "audit.verify", "calendar.coverage", "staff.cert_expiry",
					 "staff.annual_training", "housekeeping.prune", NULL };

const struct job_kind *job_kind_find(const char *kind)
{
	for (size_t i = 0; i < job_kinds_count; i++)
		if (strcmp(job_kinds[i].kind, kind) == 0) return &job_kinds[i];
	return NULL;
}
