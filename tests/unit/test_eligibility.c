/*
 * test_eligibility.c — the dispatch eligibility rule (SPEC S3,
 * core/eligibility.c): may this worker be sent into a home for this job,
 * at this level, on this day?
 *
 * Every case starts from one fully eligible worker (fx_base) and changes
 * what the row is about, then checks the exact list of failing reasons
 * (by their stable codes, in order) and of warnings.
 */
#include <limits.h>
#include "harness.h"
#include "core/eligibility.h"

#define BIT(c) (1u << (c))
#define MAX_EXP 16

/* The day every case is decided on unless it says otherwise. */
#define TODAY_Y 2026
#define TODAY_M 6
#define TODAY_D 15

static rh_day ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static rh_day today(void)
{
	return ymd(TODAY_Y, TODAY_M, TODAY_D);
}

/* A worker, a need and the certificates the worker holds. */
struct fx {
	struct elig_facts w;
	struct elig_need n;
	struct elig_cert certs[8];
};

static void fx_add_cert(struct fx *f, enum cert_type t, rh_day from, rh_day to, int revoked)
{
	f->certs[f->w.ncerts++] = (struct elig_cert){ t, from, to, revoked };
}

/* Fully eligible: active, born 1990, background and training passed, a
 * health and a gas safety certificate valid 2020–2030, an intermediate
 * inspector and electrician, sent as an inspector (needs gas safety and
 * an intermediate level) on TODAY. */
static void fx_base(struct fx *f)
{
	memset(f, 0, sizeof *f);
	f->w.status = STAFF_ACTIVE;
	f->w.has_birth_date = 1;
	f->w.birth_date = ymd(1990, 3, 1);
	f->w.background_passed = 1;
	f->w.training_passed = 1;
	f->w.job_types = BIT(0) | BIT(7);	/* inspector, electrician */
	f->w.level = LEVEL_MIDDLE;
	f->w.certs = f->certs;
	f->w.ncerts = 0;
	fx_add_cert(f, CERT_HEALTH, ymd(2020, 1, 1), ymd(2030, 12, 31), 0);
	fx_add_cert(f, CERT_GAS_SAFETY, ymd(2020, 1, 1), ymd(2030, 12, 31), 0);
	f->n.job_type = 0;			/* inspector */
	f->n.level = LEVEL_MIDDLE;
	f->n.certs = BIT(CERT_GAS_SAFETY);
	f->n.day = today();
}

/* Drops every certificate of type t. */
static void fx_drop(struct fx *f, enum cert_type t)
{
	size_t k = 0;
	for (size_t i = 0; i < f->w.ncerts; i++)
		if (f->certs[i].type != t) f->certs[k++] = f->certs[i];
	f->w.ncerts = k;
}

/* Replaces the certificates of type t with one. */
static void fx_only(struct fx *f, enum cert_type t, rh_day from, rh_day to, int revoked)
{
	fx_drop(f, t);
	fx_add_cert(f, t, from, to, revoked);
}

/* ---- the edits the table rows make ---- */

static void e_none(struct fx *f) { (void)f; }
static void e_candidate(struct fx *f) { f->w.status = STAFF_CANDIDATE; }
static void e_suspended(struct fx *f) { f->w.status = STAFF_SUSPENDED; }
static void e_left(struct fx *f) { f->w.status = STAFF_LEFT; }
static void e_dismissed(struct fx *f) { f->w.status = STAFF_DISMISSED; }
static void e_blacklisted(struct fx *f) { f->w.status = STAFF_BLACKLISTED; }
static void e_no_birth(struct fx *f) { f->w.has_birth_date = 0; f->w.birth_date = 0; }
static void e_no_birth_but_date(struct fx *f) { f->w.has_birth_date = 0; }
static void e_under_18(struct fx *f) { f->w.birth_date = ymd(2010, 1, 1); }
static void e_18_today(struct fx *f) { f->w.birth_date = ymd(TODAY_Y - 18, TODAY_M, TODAY_D); }
static void e_18_tomorrow(struct fx *f) { f->w.birth_date = ymd(TODAY_Y - 18, TODAY_M, TODAY_D + 1); }
static void e_18_yesterday(struct fx *f) { f->w.birth_date = ymd(TODAY_Y - 18, TODAY_M, TODAY_D - 1); }
static void e_born_future(struct fx *f) { f->w.birth_date = today() + 1; }
static void e_no_background(struct fx *f) { f->w.background_passed = 0; }
static void e_no_health(struct fx *f) { fx_drop(f, CERT_HEALTH); }
static void e_no_training(struct fx *f) { f->w.training_passed = 0; }
static void e_not_job_type(struct fx *f)
{
	f->n.job_type = 2;	/* cleaner: no certificate, junior */
	f->n.certs = 0;
	f->n.level = LEVEL_JUNIOR;
}
static void e_no_gas(struct fx *f) { fx_drop(f, CERT_GAS_SAFETY); }
static void e_junior(struct fx *f) { f->w.level = LEVEL_JUNIOR; }

/* S4, seed 001: an inspector's yearly business training, counted from
 * the day given (TODAY is 2026-06-15). */
static void e_annual_fresh(struct fx *f) { f->w.trained_on = ymd(2026, 3, 1); }
static void e_annual_due_30(struct fx *f) { f->w.trained_on = ymd(2025, 7, 15); }
static void e_annual_due_31(struct fx *f) { f->w.trained_on = ymd(2025, 7, 16); }
static void e_annual_due_today(struct fx *f) { f->w.trained_on = ymd(2025, 6, 15); }
static void e_annual_overdue(struct fx *f) { f->w.trained_on = ymd(2025, 6, 14); }
static void e_annual_not_inspector(struct fx *f)
{
	f->w.trained_on = ymd(2024, 1, 1);
	f->n.job_type = 7;	/* electrician, the worker's too */
	f->n.certs = 0;
}

/* Several failing at once. */
static void e_all_eight(struct fx *f)
{
	e_candidate(f);
	e_no_birth(f);
	e_no_background(f);
	e_no_health(f);
	e_no_training(f);
	f->n.job_type = 2;	/* cleaner, not the worker's */
	e_no_gas(f);		/* the need still asks for gas safety */
	e_junior(f);
}
static void e_under18_low(struct fx *f) { e_under_18(f); e_junior(f); }
static void e_suspended_no_training(struct fx *f) { e_suspended(f); e_no_training(f); }
static void e_two_certs_missing(struct fx *f)
{
	f->n.job_type = 7;	/* electrician: the worker's */
	f->n.certs = BIT(CERT_ELECTRICIAN) | BIT(CERT_WELDER);
	e_no_health(f);
}
static void e_every_cert(struct fx *f)
{
	/* everything fails and the job needs every certificate type */
	e_all_eight(f);
	f->w.ncerts = 0;
	f->n.certs = BIT(CERT__COUNT) - 1;
}
static void e_need_health_bit(struct fx *f)
{
	f->n.certs = BIT(CERT_HEALTH) | BIT(CERT_GAS_SAFETY);
	e_no_health(f);
}
static void e_need_health_bit_ok(struct fx *f) { f->n.certs = BIT(CERT_HEALTH) | BIT(CERT_GAS_SAFETY); }

/* Certificate dates on the day. */
static void e_health_until_today(struct fx *f) { fx_only(f, CERT_HEALTH, ymd(2020, 1, 1), today(), 0); }
static void e_health_until_yesterday(struct fx *f) { fx_only(f, CERT_HEALTH, ymd(2020, 1, 1), today() - 1, 0); }
static void e_health_from_today(struct fx *f) { fx_only(f, CERT_HEALTH, today(), ymd(2030, 1, 1), 0); }
static void e_health_from_tomorrow(struct fx *f) { fx_only(f, CERT_HEALTH, today() + 1, ymd(2030, 1, 1), 0); }
static void e_health_revoked(struct fx *f) { fx_only(f, CERT_HEALTH, ymd(2020, 1, 1), ymd(2030, 1, 1), 1); }
static void e_health_one_day(struct fx *f) { fx_only(f, CERT_HEALTH, today(), today(), 0); }
static void e_gas_until_today(struct fx *f) { fx_only(f, CERT_GAS_SAFETY, ymd(2020, 1, 1), today(), 0); }
static void e_gas_until_yesterday(struct fx *f) { fx_only(f, CERT_GAS_SAFETY, ymd(2020, 1, 1), today() - 1, 0); }
static void e_gas_from_tomorrow(struct fx *f) { fx_only(f, CERT_GAS_SAFETY, today() + 1, ymd(2030, 1, 1), 0); }
static void e_gas_revoked(struct fx *f) { fx_only(f, CERT_GAS_SAFETY, ymd(2020, 1, 1), ymd(2030, 1, 1), 1); }
static void e_gas_wrong_type(struct fx *f)
{
	/* holds an electrician's certificate, the job needs gas safety */
	e_no_gas(f);
	fx_add_cert(f, CERT_ELECTRICIAN, ymd(2020, 1, 1), ymd(2030, 1, 1), 0);
}

/* Several certificates of one type. */
static void e_health_one_of_three(struct fx *f)
{
	fx_only(f, CERT_HEALTH, ymd(2020, 1, 1), today() - 1, 0);	/* expired */
	fx_add_cert(f, CERT_HEALTH, ymd(2020, 1, 1), ymd(2030, 1, 1), 1);	/* revoked */
	fx_add_cert(f, CERT_HEALTH, ymd(2025, 1, 1), ymd(2027, 1, 1), 0);	/* valid */
}
static void e_health_none_of_three(struct fx *f)
{
	fx_only(f, CERT_HEALTH, ymd(2020, 1, 1), today() - 1, 0);	/* expired */
	fx_add_cert(f, CERT_HEALTH, ymd(2020, 1, 1), ymd(2030, 1, 1), 1);	/* revoked */
	fx_add_cert(f, CERT_HEALTH, today() + 1, ymd(2030, 1, 1), 0);	/* not yet */
}
static void e_gas_one_of_two(struct fx *f)
{
	fx_only(f, CERT_GAS_SAFETY, ymd(2020, 1, 1), ymd(2030, 1, 1), 1);	/* revoked */
	fx_add_cert(f, CERT_GAS_SAFETY, ymd(2026, 1, 1), ymd(2026, 12, 31), 0);
}
static void e_health_short_and_long(struct fx *f)
{
	/* one ends in 10 days, a renewed one lasts a year: no warning */
	fx_only(f, CERT_HEALTH, ymd(2025, 6, 25), today() + 10, 0);
	fx_add_cert(f, CERT_HEALTH, today() - 5, today() + 365, 0);
}
static void e_health_short_and_short(struct fx *f)
{
	/* two valid, the longer ends in 20 days: warned with that day */
	fx_only(f, CERT_HEALTH, ymd(2025, 6, 25), today() + 20, 0);
	fx_add_cert(f, CERT_HEALTH, ymd(2025, 6, 25), today() + 10, 0);
}
static void e_health_renewed_next_day(struct fx *f)
{
	/* ends in 10 days; its renewal starts the day after: no gap, no warning */
	fx_only(f, CERT_HEALTH, ymd(2025, 6, 25), today() + 10, 0);
	fx_add_cert(f, CERT_HEALTH, today() + 11, today() + 376, 0);
}
static void e_health_renewed_twice(struct fx *f)
{
	/* renewals chained: the last ends in 25 days, which is warned */
	fx_only(f, CERT_HEALTH, ymd(2025, 6, 25), today() + 5, 0);
	fx_add_cert(f, CERT_HEALTH, today() + 6, today() + 15, 0);
	fx_add_cert(f, CERT_HEALTH, today() + 10, today() + 25, 0);
}
static void e_health_renewed_after_gap(struct fx *f)
{
	/* the renewal starts two days after the end: the end is warned */
	fx_only(f, CERT_HEALTH, ymd(2025, 6, 25), today() + 10, 0);
	fx_add_cert(f, CERT_HEALTH, today() + 12, today() + 376, 0);
}
static void e_health_renewal_revoked(struct fx *f)
{
	fx_only(f, CERT_HEALTH, ymd(2025, 6, 25), today() + 10, 0);
	fx_add_cert(f, CERT_HEALTH, today() + 11, today() + 376, 1);
}

/* Ending soon: a warning, not a failure. */
static void e_health_29(struct fx *f) { fx_only(f, CERT_HEALTH, ymd(2020, 1, 1), today() + 29, 0); }
static void e_health_30(struct fx *f) { fx_only(f, CERT_HEALTH, ymd(2020, 1, 1), today() + 30, 0); }
static void e_gas_29(struct fx *f) { fx_only(f, CERT_GAS_SAFETY, ymd(2020, 1, 1), today() + 29, 0); }
static void e_gas_30(struct fx *f) { fx_only(f, CERT_GAS_SAFETY, ymd(2020, 1, 1), today() + 30, 0); }
static void e_health_31(struct fx *f) { fx_only(f, CERT_HEALTH, ymd(2020, 1, 1), today() + 31, 0); }
static void e_gas_31(struct fx *f) { fx_only(f, CERT_GAS_SAFETY, ymd(2020, 1, 1), today() + 31, 0); }
static void e_both_29(struct fx *f) { e_health_29(f); e_gas_29(f); }
static void e_not_required_29(struct fx *f)
{
	/* a certificate the job does not need ends soon: nothing to say */
	fx_add_cert(f, CERT_WELDER, ymd(2020, 1, 1), today() + 5, 0);
}

/* Feb 29 birthdays. */
static void e_feb29_on_feb28(struct fx *f)
{
	f->w.birth_date = ymd(2008, 2, 29);
	f->n.day = ymd(2026, 2, 28);
}
static void e_feb29_on_mar1(struct fx *f)
{
	f->w.birth_date = ymd(2008, 2, 29);
	f->n.day = ymd(2026, 3, 1);
}
static void e_feb29_leap_on_feb28(struct fx *f)
{
	f->w.birth_date = ymd(2012, 2, 29);
	f->n.day = ymd(2030, 2, 28);
}
static void e_mar1_on_leap_feb29(struct fx *f)
{
	/* born 1 March 2010: on 29 February 2028 (leap) still 17 */
	f->w.birth_date = ymd(2010, 3, 1);
	f->n.day = ymd(2028, 2, 29);
}

struct exp {
	enum elig_reason r;
	int cert;		/* -1: none */
	rh_day until;		/* warnings: the last valid day, as offset from n.day */
};

struct row {
	const char *name;
	void (*edit)(struct fx *);
	size_t nfail;
	struct exp fail[MAX_EXP];
	size_t nwarn;
	struct exp warn[MAX_EXP];
};

#define F(r) { (r), -1, 0 }
#define FC(c) { ELIG_CERT_MISSING, (c), 0 }
#define FH { ELIG_NO_HEALTH_CERT, CERT_HEALTH, 0 }
#define W(c, d) { ELIG_CERT_EXPIRING, (c), (d) }
#define WA(r, d) { (r), -1, (d) }

static const struct row rows[] = {
	{ "S3 fully eligible worker is sent", e_none, 0, { { 0 } }, 0, { { 0 } } },
	/* each condition failing alone */
	{ "S3 candidate (not active) refused", e_candidate, 1, { F(ELIG_NOT_ACTIVE) }, 0, { { 0 } } },
	{ "S3 suspended refused", e_suspended, 1, { F(ELIG_NOT_ACTIVE) }, 0, { { 0 } } },
	{ "S3 left refused", e_left, 1, { F(ELIG_NOT_ACTIVE) }, 0, { { 0 } } },
	{ "S3 dismissed refused", e_dismissed, 1, { F(ELIG_NOT_ACTIVE) }, 0, { { 0 } } },
	{ "S3 blacklisted refused", e_blacklisted, 1, { F(ELIG_NOT_ACTIVE) }, 0, { { 0 } } },
	{ "S3 no birth date refused", e_no_birth, 1, { F(ELIG_NO_BIRTH_DATE) }, 0, { { 0 } } },
	{ "S3 no birth date refused even with a stale date", e_no_birth_but_date, 1, { F(ELIG_NO_BIRTH_DATE) }, 0,
	  { { 0 } } },
	{ "S3 under 18 refused", e_under_18, 1, { F(ELIG_UNDER_18) }, 0, { { 0 } } },
	{ "S3 birth date in the future refused as under 18", e_born_future, 1, { F(ELIG_UNDER_18) }, 0, { { 0 } } },
	{ "S3 background check not passed refused", e_no_background, 1, { F(ELIG_NO_BACKGROUND) }, 0, { { 0 } } },
	{ "S3 no health certificate refused", e_no_health, 1, { FH }, 0, { { 0 } } },
	{ "S3 pre-job training not passed refused", e_no_training, 1, { F(ELIG_NO_TRAINING) }, 0, { { 0 } } },
	{ "S3 job type not among the worker's refused", e_not_job_type, 1, { F(ELIG_NOT_JOB_TYPE) }, 0, { { 0 } } },
	{ "S3 required certificate missing refused", e_no_gas, 1, { FC(CERT_GAS_SAFETY) }, 0, { { 0 } } },
	{ "S3 level below the one needed refused", e_junior, 1, { F(ELIG_LEVEL_LOW) }, 0, { { 0 } } },
	/* combinations: every failure listed, in order */
	{ "S3 all eight conditions failing are all listed in order", e_all_eight, 8,
	  { F(ELIG_NOT_ACTIVE), F(ELIG_NO_BIRTH_DATE), F(ELIG_NO_BACKGROUND), FH, F(ELIG_NO_TRAINING),
	    F(ELIG_NOT_JOB_TYPE), FC(CERT_GAS_SAFETY), F(ELIG_LEVEL_LOW) },
	  0, { { 0 } } },
	{ "S3 under 18 and level too low both listed", e_under18_low, 2, { F(ELIG_UNDER_18), F(ELIG_LEVEL_LOW) }, 0,
	  { { 0 } } },
	{ "S3 suspended and training not passed both listed", e_suspended_no_training, 2,
	  { F(ELIG_NOT_ACTIVE), F(ELIG_NO_TRAINING) }, 0, { { 0 } } },
	{ "S3 health and two job certificates missing, in certificate order", e_two_certs_missing, 3,
	  { FH, FC(CERT_ELECTRICIAN), FC(CERT_WELDER) }, 0, { { 0 } } },
	{ "S3 everything failing with every certificate type required", e_every_cert, 13,
	  { F(ELIG_NOT_ACTIVE), F(ELIG_NO_BIRTH_DATE), F(ELIG_NO_BACKGROUND), FH, F(ELIG_NO_TRAINING),
	    F(ELIG_NOT_JOB_TYPE), FC(CERT_GAS_SAFETY), FC(CERT_ELECTRICIAN), FC(CERT_WELDER), FC(CERT_DOMESTIC),
	    FC(CERT_CARE), FC(CERT_OTHER), F(ELIG_LEVEL_LOW) },
	  0, { { 0 } } },
	{ "S3 health required by the job too is listed once", e_need_health_bit, 1, { FH }, 0, { { 0 } } },
	{ "S3 health required by the job too, held: eligible", e_need_health_bit_ok, 0, { { 0 } }, 0, { { 0 } } },
	/* certificate boundary dates */
	{ "S3 health certificate valid until today: eligible (and warned)", e_health_until_today, 0, { { 0 } }, 1,
	  { W(CERT_HEALTH, 0) } },
	{ "S3 health certificate valid until yesterday refused", e_health_until_yesterday, 1, { FH }, 0, { { 0 } } },
	{ "S3 health certificate valid from today: eligible", e_health_from_today, 0, { { 0 } }, 0, { { 0 } } },
	{ "S3 health certificate valid from tomorrow refused", e_health_from_tomorrow, 1, { FH }, 0, { { 0 } } },
	{ "S3 health certificate revoked refused", e_health_revoked, 1, { FH }, 0, { { 0 } } },
	{ "S3 health certificate valid for today only: eligible", e_health_one_day, 0, { { 0 } }, 1,
	  { W(CERT_HEALTH, 0) } },
	{ "S3 job certificate valid until today: eligible (and warned)", e_gas_until_today, 0, { { 0 } }, 1,
	  { W(CERT_GAS_SAFETY, 0) } },
	{ "S3 job certificate valid until yesterday refused", e_gas_until_yesterday, 1, { FC(CERT_GAS_SAFETY) }, 0,
	  { { 0 } } },
	{ "S3 job certificate valid from tomorrow refused", e_gas_from_tomorrow, 1, { FC(CERT_GAS_SAFETY) }, 0,
	  { { 0 } } },
	{ "S3 job certificate revoked refused", e_gas_revoked, 1, { FC(CERT_GAS_SAFETY) }, 0, { { 0 } } },
	{ "S3 a certificate of another type does not count", e_gas_wrong_type, 1, { FC(CERT_GAS_SAFETY) }, 0,
	  { { 0 } } },
	/* several certificates of one type */
	{ "S3 one valid health certificate among expired and revoked ones: eligible", e_health_one_of_three, 0,
	  { { 0 } }, 0, { { 0 } } },
	{ "S3 no valid health certificate among three: refused once", e_health_none_of_three, 1, { FH }, 0,
	  { { 0 } } },
	{ "S3 one valid job certificate beside a revoked one: eligible", e_gas_one_of_two, 0, { { 0 } }, 0,
	  { { 0 } } },
	{ "S3 a renewed certificate lasting longer silences the warning", e_health_short_and_long, 0, { { 0 } }, 0,
	  { { 0 } } },
	{ "S3 of two valid certificates ending soon the later one is warned", e_health_short_and_short, 0, { { 0 } },
	  1, { W(CERT_HEALTH, 20) } },
	{ "S3 a renewal starting the day after the end carries it on: no warning", e_health_renewed_next_day, 0,
	  { { 0 } }, 0, { { 0 } } },
	{ "S3 renewals chained: the last one's end is warned", e_health_renewed_twice, 0, { { 0 } }, 1,
	  { W(CERT_HEALTH, 25) } },
	{ "S3 a renewal after a gap does not carry it on: its end is warned", e_health_renewed_after_gap, 0,
	  { { 0 } }, 1, { W(CERT_HEALTH, 10) } },
	{ "S3 a revoked renewal carries nothing on: warned", e_health_renewal_revoked, 0, { { 0 } }, 1,
	  { W(CERT_HEALTH, 10) } },
	/* age */
	{ "S3 18 today: eligible", e_18_today, 0, { { 0 } }, 0, { { 0 } } },
	{ "S3 18 tomorrow refused", e_18_tomorrow, 1, { F(ELIG_UNDER_18) }, 0, { { 0 } } },
	{ "S3 18 since yesterday: eligible", e_18_yesterday, 0, { { 0 } }, 0, { { 0 } } },
	{ "S3 born 29 Feb: not 18 on 28 Feb of a common year", e_feb29_on_feb28, 1, { F(ELIG_UNDER_18) }, 0,
	  { { 0 } } },
	{ "S3 born 29 Feb: 18 on 1 Mar of a common year", e_feb29_on_mar1, 0, { { 0 } }, 0, { { 0 } } },
	{ "S3 born 29 Feb 2012: not 18 on 28 Feb 2030", e_feb29_leap_on_feb28, 1, { F(ELIG_UNDER_18) }, 0,
	  { { 0 } } },
	{ "S3 born 1 Mar: not 18 on 29 Feb of a leap year", e_mar1_on_leap_feb29, 1, { F(ELIG_UNDER_18) }, 0,
	  { { 0 } } },
	/* warnings */
	{ "S3 health certificate ending in 29 days warns", e_health_29, 0, { { 0 } }, 1, { W(CERT_HEALTH, 29) } },
	/* "warns 30 days before a certificate expires": on the day 30 days
	 * before its last valid day (有效期至), not one day later */
	{ "S3 health certificate ending in 30 days warns", e_health_30, 0, { { 0 } }, 1, { W(CERT_HEALTH, 30) } },
	{ "S3 health certificate ending in 31 days does not warn", e_health_31, 0, { { 0 } }, 0, { { 0 } } },
	{ "S3 job certificate ending in 29 days warns", e_gas_29, 0, { { 0 } }, 1, { W(CERT_GAS_SAFETY, 29) } },
	{ "S3 job certificate ending in 30 days warns", e_gas_30, 0, { { 0 } }, 1, { W(CERT_GAS_SAFETY, 30) } },
	{ "S3 job certificate ending in 31 days does not warn", e_gas_31, 0, { { 0 } }, 0, { { 0 } } },
	{ "S3 both ending in 29 days: two warnings, health first", e_both_29, 0, { { 0 } }, 2,
	  { W(CERT_HEALTH, 29), W(CERT_GAS_SAFETY, 29) } },
	{ "S3 a certificate the job does not need ending soon: no warning", e_not_required_29, 0, { { 0 } }, 0,
	  { { 0 } } },
	/* S4: the inspector's annual business training (seed 001) warns, never refuses */
	{ "S4 an inspector trained this year: no warning", e_annual_fresh, 0, { { 0 } }, 0, { { 0 } } },
	{ "S4 an inspector's annual training due in 30 days warns", e_annual_due_30, 0, { { 0 } }, 1,
	  { WA(ELIG_ANNUAL_DUE, 30) } },
	{ "S4 … due in 31 days does not warn yet", e_annual_due_31, 0, { { 0 } }, 0, { { 0 } } },
	{ "S4 … due today warns as due", e_annual_due_today, 0, { { 0 } }, 1, { WA(ELIG_ANNUAL_DUE, 0) } },
	{ "S4 … a day past it warns as overdue, and the worker may still be sent", e_annual_overdue, 0, { { 0 } }, 1,
	  { WA(ELIG_ANNUAL_OVERDUE, -1) } },
	{ "S4 the annual training is the inspectors': an electrician's job is not warned", e_annual_not_inspector, 0,
	  { { 0 } }, 0, { { 0 } } },
};

static void check_items(const char *what, const struct elig_item *got, size_t ngot, const struct exp *want,
			size_t nwant, rh_day day)
{
	if (!CHECK(ngot == nwant)) {
		fprintf(stderr, "    %s: got %zu:", what, ngot);
		for (size_t i = 0; i < ngot; i++) fprintf(stderr, " %s", elig_reason_code(got[i].reason));
		fprintf(stderr, "; want %zu:", nwant);
		for (size_t i = 0; i < nwant; i++) fprintf(stderr, " %s", elig_reason_code(want[i].r));
		fprintf(stderr, "\n");
		return;
	}
	for (size_t i = 0; i < ngot; i++) {
		CHECK_STR(elig_reason_code(got[i].reason), elig_reason_code(want[i].r));
		CHECK_INT(got[i].cert, want[i].cert);
		if (want[i].r == ELIG_CERT_EXPIRING || want[i].r == ELIG_ANNUAL_DUE || want[i].r == ELIG_ANNUAL_OVERDUE)
			CHECK_INT(got[i].until, day + want[i].until);
	}
}

static void test_table(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		t_case("%s", r->name);
		struct fx f;
		fx_base(&f);
		r->edit(&f);
		struct elig_result res;
		memset(&res, 0xA5, sizeof res);	/* nothing stale may survive */
		int rc = eligibility_check(&f.w, &f.n, &res);
		CHECK_INT(rc, r->nfail == 0);
		CHECK_INT(res.eligible, r->nfail == 0);
		check_items("reasons", res.fail, res.nfail, r->fail, r->nfail, f.n.day);
		check_items("warnings", res.warn, res.nwarn, r->warn, r->nwarn, f.n.day);
		CHECK_INT(res.status, f.w.status);
		CHECK_INT(res.job_type, f.n.job_type);
		CHECK_INT(res.have, f.w.level);
		CHECK_INT(res.need, f.n.level);
	}
}

/* Each condition alone gives exactly its one code. */
static void test_codes(void)
{
	static const struct { enum elig_reason r; const char *code; } codes[] = {
		{ ELIG_NOT_ACTIVE, "not_active" },
		{ ELIG_NO_BIRTH_DATE, "no_birth_date" },
		{ ELIG_UNDER_18, "under_18" },
		{ ELIG_NO_BACKGROUND, "no_background_check" },
		{ ELIG_NO_HEALTH_CERT, "no_health_certificate" },
		{ ELIG_NO_TRAINING, "no_pre_job_training" },
		{ ELIG_NOT_JOB_TYPE, "not_job_type" },
		{ ELIG_CERT_MISSING, "certificate_missing" },
		{ ELIG_LEVEL_LOW, "level_too_low" },
		{ ELIG_CERT_EXPIRING, "certificate_expiring" },
		{ ELIG_ANNUAL_DUE, "annual_training_due" },
		{ ELIG_ANNUAL_OVERDUE, "annual_training_overdue" },
	};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		t_case("S3 reason code of %s", codes[i].code);
		CHECK_STR(elig_reason_code(codes[i].r), codes[i].code);
	}
	t_case("S3 reason code out of range is \"unknown\"");
	CHECK_STR(elig_reason_code(ELIG__COUNT), "unknown");
	CHECK_STR(elig_reason_code((enum elig_reason)(ELIG__COUNT + 5)), "unknown");
}

static void test_levels(void)
{
	static const char *const names[] = { "junior", "middle", "senior" };
	for (int have = LEVEL_JUNIOR; have <= LEVEL_SENIOR; have++)
		for (int need = LEVEL_JUNIOR; need <= LEVEL_SENIOR; need++) {
			t_case("S3 level %s for a task needing %s: %s", names[have], names[need],
			       have >= need ? "eligible" : "refused");
			struct fx f;
			fx_base(&f);
			f.w.level = (enum staff_level)have;
			f.n.level = (enum staff_level)need;
			struct elig_result res;
			CHECK_INT(eligibility_check(&f.w, &f.n, &res), have >= need);
			if (have >= need) {
				CHECK_INT(res.nfail, 0);
			} else if (CHECK(res.nfail == 1)) {
				CHECK_STR(elig_reason_code(res.fail[0].reason), "level_too_low");
				CHECK_INT(res.have, have);
				CHECK_INT(res.need, need);
			}
		}
}

static void test_job_type_range(void)
{
	static const int bad[] = { -1, 10, 31, 32, 33, 1000, INT_MAX, INT_MIN };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t_case("S3 job type %d out of range refused even for a worker with every bit", bad[i]);
		struct fx f;
		fx_base(&f);
		f.w.job_types = ~0u;
		f.n.job_type = bad[i];
		f.n.certs = 0;
		f.n.level = LEVEL_JUNIOR;
		struct elig_result res;
		CHECK_INT(eligibility_check(&f.w, &f.n, &res), 0);
		if (CHECK(res.nfail == 1)) CHECK_STR(elig_reason_code(res.fail[0].reason), "not_job_type");
		/* its message is still a sentence */
		json_t *j = elig_result_to_json(&res, 0);
		const char *msg = json_string_value(json_object_get(json_array_get(json_object_get(j, "reasons"), 0),
								    "message"));
		CHECK(msg && *msg);
		json_decref(j);
	}
	t_case("S3 the list of job types is the one the range check uses (10)");
	CHECK_INT(job_type_set.n, 10);
	for (int jt = 0; jt < (int)job_type_set.n; jt++) {
		t_case("S3 job type %s (%d) in range: eligible when the worker has it", choice_code(&job_type_set, jt), jt);
		struct fx f;
		fx_base(&f);
		f.w.job_types = BIT(jt);
		f.n.job_type = jt;
		f.n.certs = 0;
		struct elig_result res;
		CHECK_INT(eligibility_check(&f.w, &f.n, &res), 1);
		f.w.job_types = ~0u & ~BIT(jt);
		CHECK_INT(eligibility_check(&f.w, &f.n, &res), 0);
		if (CHECK(res.nfail == 1)) CHECK_STR(elig_reason_code(res.fail[0].reason), "not_job_type");
	}
}

static void test_age_on(void)
{
	static const struct { int by, bm, bd, y, m, d, age; } rows_[] = {
		{ 2008, 2, 29, 2026, 2, 28, 17 }, { 2008, 2, 29, 2026, 3, 1, 18 }, { 2008, 2, 29, 2028, 2, 28, 19 },
		{ 2008, 2, 29, 2028, 2, 29, 20 }, { 2008, 6, 15, 2026, 6, 15, 18 }, { 2008, 6, 16, 2026, 6, 15, 17 },
		{ 2008, 6, 14, 2026, 6, 15, 18 }, { 2008, 12, 31, 2026, 12, 30, 17 }, { 2008, 12, 31, 2026, 12, 31, 18 },
		{ 2008, 1, 1, 2025, 12, 31, 17 }, { 2008, 1, 1, 2026, 1, 1, 18 }, { 1990, 3, 1, 2026, 6, 15, 36 },
		{ 2026, 6, 15, 2026, 6, 15, 0 },
	};
	for (size_t i = 0; i < sizeof rows_ / sizeof rows_[0]; i++) {
		t_case("S3 age_on(%04d-%02d-%02d, %04d-%02d-%02d) = %d", rows_[i].by, rows_[i].bm, rows_[i].bd, rows_[i].y,
		       rows_[i].m, rows_[i].d, rows_[i].age);
		CHECK_INT(age_on(ymd(rows_[i].by, rows_[i].bm, rows_[i].bd), ymd(rows_[i].y, rows_[i].m, rows_[i].d)),
			  rows_[i].age);
	}
}

/* X5: which days' answers, next to today's, would tell a birth date. */
static void test_day_tells_birth(void)
{
	static const struct { int has, by, bm, bd, dy, dm, dd, tells; } rows_[] = {
		{ 1, 2009, 3, 7, 2026, 6, 15, 1 },	/* a past day: any worker */
		{ 1, 1990, 3, 7, 2026, 6, 15, 1 }, { 0, 0, 0, 0, 2026, 6, 15, 1 },
		{ 1, 2009, 3, 7, 2026, 6, 16, 0 },	/* today: "under 18 now" only */
		{ 1, 2009, 3, 7, 2027, 3, 7, 1 },	/* later, under 18 today: the day it ends */
		{ 1, 2009, 3, 7, 2026, 6, 17, 1 },
		{ 1, 2008, 6, 16, 2026, 6, 17, 0 },	/* 18 today: every later day is 18 too */
		{ 1, 1990, 3, 7, 2030, 1, 1, 0 }, { 0, 0, 0, 0, 2030, 1, 1, 0 },	/* no birth date: nothing to tell */
	};
	rh_day today = ymd(2026, 6, 16);
	for (size_t i = 0; i < sizeof rows_ / sizeof rows_[0]; i++) {
		struct elig_facts w = { .has_birth_date = rows_[i].has };
		if (w.has_birth_date) w.birth_date = ymd(rows_[i].by, rows_[i].bm, rows_[i].bd);
		t_case("X5 S3 today 2026-06-16, born %04d-%02d-%02d: the answer for %04d-%02d-%02d tells it: %d", rows_[i].by,
		       rows_[i].bm, rows_[i].bd, rows_[i].dy, rows_[i].dm, rows_[i].dd, rows_[i].tells);
		CHECK_INT(elig_day_tells_birth(&w, today, ymd(rows_[i].dy, rows_[i].dm, rows_[i].dd)), rows_[i].tells);
	}
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int contains(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static void test_json(void)
{
	struct fx f;
	struct elig_result res;
	json_t *j;

	t_case("S3 JSON of an eligible worker: eligible, no reasons, no warnings");
	fx_base(&f);
	eligibility_check(&f.w, &f.n, &res);
	j = elig_result_to_json(&res, 0);
	CHECK(json_is_true(json_object_get(j, "eligible")));
	CHECK(json_is_array(json_object_get(j, "reasons")));
	CHECK_INT(json_array_size(json_object_get(j, "reasons")), 0);
	CHECK(json_is_array(json_object_get(j, "warnings")));
	CHECK_INT(json_array_size(json_object_get(j, "warnings")), 0);
	json_decref(j);

	/* All eight failing: every reason in both languages, naming what it is about. */
	static const struct {
		const char *code, *cert;
		const char *zh[2], *en[2];	/* texts the message must hold */
	} want[] = {
		{ "not_active", NULL, { "候选", NULL }, { "Candidate", NULL } },
		{ "no_birth_date", NULL, { "18", NULL }, { "birth", NULL } },
		{ "no_background_check", NULL, { "背景调查", NULL }, { "background", NULL } },
		{ "no_health_certificate", "health", { "健康证", NULL }, { "health certificate", NULL } },
		{ "no_pre_job_training", NULL, { "岗前培训", NULL }, { "training", NULL } },
		{ "not_job_type", NULL, { "保洁员", NULL }, { "Cleaner", NULL } },
		{ "certificate_missing", "gas_safety", { "燃气安检作业证", NULL }, { "Gas safety inspection", NULL } },
		{ "level_too_low", NULL, { "中级", "初级" }, { "Intermediate", "Junior" } },
	};
	fx_base(&f);
	e_all_eight(&f);
	eligibility_check(&f.w, &f.n, &res);
	for (int en = 0; en <= 1; en++) {
		t_case("S3 JSON of a worker failing everything (%s): not eligible, eight reasons", en ? "en" : "zh");
		j = elig_result_to_json(&res, en);
		CHECK(json_is_false(json_object_get(j, "eligible")));
		json_t *reasons = json_object_get(j, "reasons");
		CHECK_INT(json_array_size(reasons), 8);
		CHECK_INT(json_array_size(json_object_get(j, "warnings")), 0);
		for (size_t i = 0; i < sizeof want / sizeof want[0] && i < json_array_size(reasons); i++) {
			t_case("S3 JSON reason %zu (%s, %s): code, certificate and message", i, want[i].code,
			       en ? "en" : "zh");
			json_t *it = json_array_get(reasons, i);
			CHECK_STR(jstr(it, "code"), want[i].code);
			const char *msg = jstr(it, "message");
			CHECK(msg && *msg);
			if (want[i].cert) CHECK_STR(jstr(it, "certificate"), want[i].cert);
			else CHECK(json_object_get(it, "certificate") == NULL);
			CHECK(json_object_get(it, "until") == NULL);
			for (int k = 0; k < 2; k++) {
				const char *s = en ? want[i].en[k] : want[i].zh[k];
				if (s && !CHECK(contains(msg, s)))
					fprintf(stderr, "    message \"%s\" lacks \"%s\"\n", msg ? msg : "(null)", s);
			}
		}
		json_decref(j);
	}

	/* Warnings: two certificates ending in 29 days (2026-07-14). */
	fx_base(&f);
	e_both_29(&f);
	eligibility_check(&f.w, &f.n, &res);
	char until[11];
	date_format(f.n.day + 29, until);
	t_case("S3 the warning day 29 days after %04d-%02d-%02d is 2026-07-14", TODAY_Y, TODAY_M, TODAY_D);
	CHECK_STR(until, "2026-07-14");
	static const struct {
		const char *cert, *zh, *en;
	} wwant[] = {
		{ "health", "健康证", "Health certificate" },
		{ "gas_safety", "燃气安检作业证", "Gas safety inspection" },
	};
	for (int en = 0; en <= 1; en++) {
		t_case("S3 JSON warnings (%s): eligible, certificate, until and message", en ? "en" : "zh");
		j = elig_result_to_json(&res, en);
		CHECK(json_is_true(json_object_get(j, "eligible")));
		CHECK_INT(json_array_size(json_object_get(j, "reasons")), 0);
		json_t *warns = json_object_get(j, "warnings");
		if (CHECK(json_array_size(warns) == 2)) {
			for (size_t i = 0; i < 2; i++) {
				json_t *it = json_array_get(warns, i);
				CHECK_STR(jstr(it, "code"), "certificate_expiring");
				CHECK_STR(jstr(it, "certificate"), wwant[i].cert);
				CHECK_STR(jstr(it, "until"), "2026-07-14");
				const char *msg = jstr(it, "message");
				CHECK(contains(msg, en ? wwant[i].en : wwant[i].zh));
				CHECK(contains(msg, "2026-07-14"));
			}
		}
		json_decref(j);
	}

	t_case("S3 JSON of a refused worker still carries its warnings");
	fx_base(&f);
	e_health_29(&f);
	e_no_gas(&f);
	eligibility_check(&f.w, &f.n, &res);
	j = elig_result_to_json(&res, 0);
	CHECK(json_is_false(json_object_get(j, "eligible")));
	CHECK_INT(json_array_size(json_object_get(j, "reasons")), 1);
	CHECK_STR(jstr(json_array_get(json_object_get(j, "reasons"), 0), "code"), "certificate_missing");
	CHECK_INT(json_array_size(json_object_get(j, "warnings")), 1);
	CHECK_STR(jstr(json_array_get(json_object_get(j, "warnings"), 0), "certificate"), "health");
	json_decref(j);
}

static void test_text(void)
{
	static const struct {
		const char *name;
		void (*edit)(struct fx *);
		const char *zh, *en;
	} rows_[] = {
		{ "S3 reasons text of an eligible worker is empty", e_none, "", "" },
		{ "S3 reasons text of one reason has no separator", e_no_health, "当日无有效健康证",
		  "no valid health certificate on the day" },
		{ "S3 reasons text joins two reasons", e_under18_low, "未满18周岁；等级不足（需中级，现为初级）",
		  "under 18; level too low (needs Intermediate, is Junior)" },
		{ "S3 reasons text names the certificate and status", e_suspended_no_training,
		  "不在岗（当前状态：停职）；岗前培训考核未通过", "not active (status: Suspended); pre-job training not passed" },
		{ "S3 reasons text leaves warnings out", e_health_29, "", "" },
		{ "S3 reasons text of a missing job certificate", e_no_gas, "当日无有效的燃气安检作业证",
		  "no valid certificate on the day: Gas safety inspection" },
	};
	for (size_t i = 0; i < sizeof rows_ / sizeof rows_[0]; i++) {
		t_case("%s", rows_[i].name);
		struct fx f;
		fx_base(&f);
		rows_[i].edit(&f);
		struct elig_result res;
		eligibility_check(&f.w, &f.n, &res);
		char buf[512];
		CHECK(elig_reasons_text(&res, 0, buf, sizeof buf) == buf);
		CHECK_STR(buf, rows_[i].zh);
		elig_reasons_text(&res, 1, buf, sizeof buf);
		CHECK_STR(buf, rows_[i].en);
	}

	t_case("S3 reasons text of all eight joins eight messages");
	struct fx f;
	fx_base(&f);
	e_all_eight(&f);
	struct elig_result res;
	eligibility_check(&f.w, &f.n, &res);
	char buf[2048];
	elig_reasons_text(&res, 0, buf, sizeof buf);
	int seps = 0;
	for (const char *p = buf; (p = strstr(p, "；")) != NULL; p += strlen("；")) seps++;
	CHECK_INT(seps, 7);
	CHECK(contains(buf, "健康证"));
	CHECK(contains(buf, "燃气安检作业证"));
	elig_reasons_text(&res, 1, buf, sizeof buf);
	seps = 0;
	for (const char *p = buf; (p = strstr(p, "; ")) != NULL; p += 2) seps++;
	CHECK_INT(seps, 7);

	static const size_t caps[] = { 1, 2, 8, 9, 10, 20, 40, 41, 42, 100 };
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		t_case("S3 reasons text cut to %zu bytes stays within them, whole characters only", caps[i]);
		char small[256];
		memset(small, 'X', sizeof small);
		for (int en = 0; en <= 1; en++) {
			memset(small, 'X', sizeof small);
			elig_reasons_text(&res, en, small, caps[i]);
			CHECK(memchr(small, '\0', caps[i]) != NULL);
			int intact = 1;
			for (size_t k = caps[i]; k < sizeof small; k++) intact &= small[k] == 'X';
			CHECK(intact);
			/* Cut on a whole character: the text goes into JSON. */
			json_t *j = json_string(small);
			CHECK(j != NULL);
			json_decref(j);
		}
	}
}

/* What a task needs: the job rule's certificates, and the level asked
 * but never below the rule's. */
static void test_need_for(void)
{
	struct job_rule rules[JOB_TYPE_MAX];
	for (size_t j = 0; j < job_type_set.n; j++) rules[j] = job_rule_defaults[j];
	rules[1] = (struct job_rule){ 1u << CERT_ELECTRICIAN, LEVEL_MIDDLE };	/* repairer */
	static const struct {
		int asked, want;
	} asks[] = {
		{ -1, LEVEL_MIDDLE }, { LEVEL_JUNIOR, LEVEL_MIDDLE }, { LEVEL_MIDDLE, LEVEL_MIDDLE }, { LEVEL_SENIOR, LEVEL_SENIOR },
	};
	rh_day day = date_from_ymd(2026, 6, 15);
	for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
		t_case("S3 a repairer's task asked at level %d needs level %d: never below the job rule's", asks[i].asked,
		       asks[i].want);
		struct elig_need n = elig_need_for(rules, 1, asks[i].asked, day);
		CHECK_INT(n.level, asks[i].want);
		CHECK_INT(n.job_type, 1);
		CHECK_INT(n.certs, 1u << CERT_ELECTRICIAN);
		CHECK_INT(n.day, day);
	}
	t_case("S3 a job type out of range needs nothing more: eligibility refuses it as not_job_type");
	struct elig_need n = elig_need_for(rules, 99, LEVEL_SENIOR, day);
	CHECK_INT(n.certs, 0);
	CHECK_INT(n.job_type, 99);
}

/* Two visits of one worker on one day overlap when they share a minute. */
static void test_windows_overlap(void)
{
	static const struct {
		const char *a, *b;
		int want;
	} pairs[] = {
		{ "09:00-11:00", "10:00-12:00", 1 }, { "10:00-12:00", "09:00-11:00", 1 },
		{ "09:00-11:00", "09:00-11:00", 1 }, { "09:00-12:00", "10:00-10:30", 1 },
		{ "10:00-10:30", "09:00-12:00", 1 }, { "09:00-11:00", "10:59-11:30", 1 },
		{ "09:00-11:00", "11:00-12:00", 0 },	/* one ends as the other starts */
		{ "11:00-12:00", "09:00-11:00", 0 }, { "09:00-10:00", "14:00-15:00", 0 },
		{ "", "09:00-11:00", 0 }, { "09:00-11:00", "", 0 }, { "", "", 0 },	/* some time that day */
		{ "09:00-11:00", "12:00-10:00", 0 }, { "9:00-11:00", "09:00-11:00", 0 },	/* not windows */
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		t_case("S3 windows \"%s\" and \"%s\" %s", pairs[i].a, pairs[i].b, pairs[i].want ? "overlap" : "do not overlap");
		CHECK_INT(time_windows_overlap(pairs[i].a, pairs[i].b), pairs[i].want);
	}
}

/* The assignment's own warnings: an overlapping visit names its window,
 * each once; a closed household has its message in both languages. */
static void test_assignment_warnings(void)
{
	struct elig_result r;
	memset(&r, 0, sizeof r);
	t_case("S3 an overlapping visit is a warning naming its window, each window once");
	elig_warn(&r, ELIG_WINDOW_TAKEN, "09:00-11:00");
	elig_warn(&r, ELIG_WINDOW_TAKEN, "10:00-12:00");
	elig_warn(&r, ELIG_WINDOW_TAKEN, "09:00-11:00");
	elig_warn(&r, ELIG_HOUSEHOLD_CLOSED, NULL);
	elig_warn(&r, ELIG_HOUSEHOLD_CLOSED, NULL);
	CHECK_INT(r.nwarn, 3);
	json_t *zh = elig_result_to_json(&r, 0), *en = elig_result_to_json(&r, 1);
	json_t *w0 = json_array_get(json_object_get(zh, "warnings"), 0);
	CHECK_STR(json_string_value(json_object_get(w0, "code")), "window_taken");
	CHECK_STR(json_string_value(json_object_get(w0, "time_window")), "09:00-11:00");
	CHECK_STR(json_string_value(json_object_get(w0, "message")), "当日 09:00-11:00 已有派工，与本时段重叠");
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(en, "warnings"), 1), "message")),
		  "already assigned that day at 10:00-12:00, which overlaps this window");
	t_case("S3 a closed household is a warning, not a refusal");
	json_t *w2 = json_array_get(json_object_get(en, "warnings"), 2);
	CHECK_STR(json_string_value(json_object_get(w2, "code")), "household_closed");
	CHECK_STR(json_string_value(json_object_get(w2, "message")), "the household's account is closed");
	CHECK(json_object_get(w2, "time_window") == NULL);
	CHECK_INT(json_array_size(json_object_get(zh, "reasons")), 0);
	json_decref(zh);
	json_decref(en);
	t_case("S3 warnings stop at ELIG_MAX_ITEMS");
	for (int i = 0; i < 40; i++) {
		char w[16];
		snprintf(w, sizeof w, "%02u:00-%02u:30", (unsigned)i % 24u, (unsigned)i % 24u);
		elig_warn(&r, ELIG_WINDOW_TAKEN, w);
	}
	CHECK_INT(r.nwarn, ELIG_MAX_ITEMS);
}

/* S2: the hiring pipeline's order, by stages. */
static void test_hiring_order(void)
{
	enum { A = 1 << STEP_APPLICATION, D = 1 << STEP_DOCUMENTS, I = 1 << STEP_INTERVIEW, H = 1 << STEP_HEALTH_CHECK,
	       B = 1 << STEP_BACKGROUND, C = 1 << STEP_CONTRACT, N = 1 << STEP_NDA };
	/* passed: the steps passed (on day 10 + their index), failed: those
	 * whose latest decision failed; the step decided on `on` */
	static const struct {
		const char *name;
		unsigned passed, failed;
		enum hiring_step step;
		int on;
		enum hiring_order want;
		unsigned steps;
		int fails;	/* the decision is a failure */
	} orders[] = {
		{ "S2 the application comes first, on any day", 0, 0, STEP_APPLICATION, 0, HIRING_IN_ORDER, 0 },
		{ "S2 the document review waits for the application", 0, 0, STEP_DOCUMENTS, 30, HIRING_NOT_PASSED, A },
		{ "S2 the document review after the application passed", A, 0, STEP_DOCUMENTS, 30, HIRING_IN_ORDER, 0 },
		{ "S2 an interview failed is a decision in order too", A | D, 0, STEP_INTERVIEW, 30, HIRING_IN_ORDER, 0 },
		{ "S2 the contract waits for the interview, the health and the background check", A | D, 0, STEP_CONTRACT, 30,
		  HIRING_NOT_PASSED, I | H | B },
		{ "S2 the health and the background check come back in either order", A | D | I, 0, STEP_BACKGROUND, 30,
		  HIRING_IN_ORDER, 0 },
		{ "S2 … and the health check after the background check", A | D | I | B, 0, STEP_HEALTH_CHECK, 30,
		  HIRING_IN_ORDER, 0 },
		{ "S2 the contract and the NDA are signed together: either first", A | D | I | H | B, 0, STEP_NDA, 30,
		  HIRING_IN_ORDER, 0 },
		{ "S2 a step whose latest decision failed is in the way", A | D | I | H, B, STEP_CONTRACT, 30,
		  HIRING_NOT_PASSED, B },
		{ "S2 the pre-job exam waits for the contract and the NDA", A | D | I | H | B | C, 0, STEP_PRE_JOB_TRAINING, 30,
		  HIRING_NOT_PASSED, N },
		{ "S2 every earlier step passed: the pre-job exam", A | D | I | H | B | C | N, 0, STEP_PRE_JOB_TRAINING, 30,
		  HIRING_IN_ORDER, 0 },
		{ "S2 an earlier step decided again later is not held to the later ones", A | D | I | H | B | C | N, 0,
		  STEP_INTERVIEW, 12, HIRING_IN_ORDER, 0 },
		{ "S2 a contract dated before the background check passed is out of order", A | D | I | H | B, 0, STEP_CONTRACT,
		  13, HIRING_DAY_BEFORE, B },
		{ "S2 … on the day it passed, in order", A | D | I | H | B, 0, STEP_CONTRACT, 14, HIRING_IN_ORDER, 0 },
		/* passed on day 10 + index: the documents on 11, the interview on 12 */
		{ "S2 an application passed again after the documents were reviewed would stand after them", A | D, 0,
		  STEP_APPLICATION, 20, HIRING_DAY_AFTER, D },
		{ "S2 … every later step passed before it is named", A | D | I | H, 0, STEP_DOCUMENTS, 20, HIRING_DAY_AFTER, I | H },
		{ "S2 … on the day the later step passed, in order", A | D, 0, STEP_APPLICATION, 11, HIRING_IN_ORDER, 0 },
		{ "S2 an earlier step failed after later ones passed is in order: a problem found late", A | D | I | H | B | C | N, 0,
		  STEP_BACKGROUND, 20, HIRING_IN_ORDER, 0, 1 },
		{ "S2 … passed again then, it would stand after the contract and the NDA", A | D | I | H | B | C | N, 0,
		  STEP_BACKGROUND, 20, HIRING_DAY_AFTER, C | N },
		{ "S2 … and once it failed, passed anew later: the pipeline goes on from it", A | D | I | H | C | N, B,
		  STEP_BACKGROUND, 20, HIRING_IN_ORDER, 0 },
		{ "S2 a step of the same stage decided later is not in the way (the NDA after the contract)", A | D | I | H | B | C, 0,
		  STEP_NDA, 30, HIRING_IN_ORDER, 0 },
	};
	for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++) {
		t_case("%s", orders[i].name);
		int latest[STEP__COUNT];
		rh_day day[STEP__COUNT];
		for (int k = 0; k < STEP__COUNT; k++) {
			latest[k] = orders[i].passed & (1u << k) ? 1 : orders[i].failed & (1u << k) ? 0 : -1;
			day[k] = ymd(2026, 1, 10 + k);
		}
		unsigned steps = 99;
		CHECK_INT(hiring_order_check(latest, day, orders[i].step, !orders[i].fails, ymd(2026, 1, orders[i].on ? orders[i].on : 1),
					     &steps),
			  orders[i].want);
		CHECK_INT(steps, orders[i].steps);
	}
}

/* S2: which decisions stand when an earlier step was decided anew. */
static void test_hiring_effective(void)
{
	static const struct {
		const char *name;
		int result[STEP__COUNT], day[STEP__COUNT];
		int want[STEP__COUNT];
	} cases[] = {
		/* application, documents, interview, health, background, contract, NDA, pre-job */
		{ "S2 a pipeline passed in order stands whole", { 1, 1, 1, 1, 1, 1, 1, 1 }, { 1, 2, 3, 4, 4, 5, 6, 7 },
		  { 1, 1, 1, 1, 1, 1, 1, 1 } },
		{ "S2 the documents failed after the interview, then passed again: every later pass is to be decided again",
		  { 1, 1, 1, 1, 1, 1, 1, 1 }, { 1, 8, 3, 4, 4, 5, 6, 7 }, { 1, 1, -1, -1, -1, -1, -1, -1 } },
		{ "S2 … the interview passed again after them stands, and the steps after it wait still", { 1, 1, 1, 1, 1, 1, 1, 1 },
		  { 1, 8, 9, 4, 4, 5, 6, 7 }, { 1, 1, 1, -1, -1, -1, -1, -1 } },
		{ "S2 a failure stands as it is, and does not move the steps after it", { 1, 0, 1, -1, -1, -1, -1, -1 },
		  { 1, 8, 3, 0, 0, 0, 0, 0 }, { 1, 0, 1, -1, -1, -1, -1, -1 } },
		{ "S2 the steps of one stage do not wait for each other (the NDA before the contract)", { 1, 1, 1, 1, 1, 1, 1, -1 },
		  { 1, 2, 3, 5, 4, 7, 6, 0 }, { 1, 1, 1, 1, 1, 1, 1, -1 } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t_case("%s", cases[i].name);
		int latest[STEP__COUNT];
		rh_day day[STEP__COUNT];
		for (int k = 0; k < STEP__COUNT; k++) {
			latest[k] = cases[i].result[k];
			day[k] = ymd(2026, 1, cases[i].day[k] ? cases[i].day[k] : 1);
		}
		hiring_effective(latest, day);
		int same = 1;
		for (int k = 0; k < STEP__COUNT; k++) same &= latest[k] == cases[i].want[k];
		CHECK(same);
	}
}

static void test_annual_due(void)
{
	t_case("S4 the annual training is due the same day a year later");
	CHECK_INT(elig_annual_due(ymd(2025, 7, 15)), ymd(2026, 7, 15));
	t_case("S4 … one trained on 29 February is due on 28 February");
	CHECK_INT(elig_annual_due(ymd(2024, 2, 29)), ymd(2025, 2, 28));
	t_case("S4 the overdue warning's message names the day it was due");
	struct fx f;
	fx_base(&f);
	e_annual_overdue(&f);
	struct elig_result res;
	eligibility_check(&f.w, &f.n, &res);
	json_t *j = elig_result_to_json(&res, 0);
	json_t *w = json_array_get(json_object_get(j, "warnings"), 0);
	CHECK_STR(json_string_value(json_object_get(w, "message")), "年度业务培训已逾期（2026-06-14 到期）");
	CHECK_STR(json_string_value(json_object_get(w, "until")), "2026-06-14");
	json_decref(j);
}

int main(void)
{
	test_hiring_order();
	test_hiring_effective();
	test_annual_due();
	test_table();
	test_codes();
	test_levels();
	test_need_for();
	test_job_type_range();
	test_age_on();
	test_day_tells_birth();
	test_json();
	test_text();
	test_windows_overlap();
	test_assignment_warnings();
	return t_done();
}
