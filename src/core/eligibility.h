/*
 * eligibility.h — may this worker be sent into a home for this job, at
 * this level, on this day? (SPEC S3; seeds 000 and 001.)
 *
 * One pure function over plain facts, so that the one rule is the same
 * for the API's refusal, the staff page's "at a glance" and the tests:
 * the store gathers the facts (store_fieldstaff.c), this decides.
 *
 * A worker may be sent only while ALL of these hold on the day:
 *   status active; age 18 or over (周岁, reached on the birthday; one born
 *   on 29 February is 18 on 1 March in a common year); background check
 *   passed; a valid health certificate; pre-job training passed; the job
 *   type among the worker's; every certificate the job type requires
 *   valid; level at least the one the task needs.
 * A certificate is valid from valid_from to valid_to inclusive, unless
 * revoked. The answer lists every condition that fails, not the first.
 * A certificate that is valid but ends within 30 days (its last valid
 * day 30 days away or nearer: warned from 30 days before it expires) is
 * a warning — unless a renewal on file starts by the day after it ends,
 * which carries it on (the warning is then of the renewal's end).
 * An inspector (安检人员) has business training once a year (S4, seed
 * 001: 培训周期为每年一次): a year after the later of the passed pre-job
 * exam and the last annual training (its exam not failed) the next is
 * due; from 30 days before that day it is a warning, and after it a
 * warning that it is overdue — not a refusal, which S3 does not list.
 */
#ifndef RUHU_ELIGIBILITY_H
#define RUHU_ELIGIBILITY_H
#include <jansson.h>
#include <stddef.h>
#include "core/date.h"
#include "core/fieldstaff.h"
#include "core/staff.h"

#define ELIG_WARN_DAYS 30
#define ELIG_MAX_ITEMS 16
#define ELIG_MAX_CERTS 64	/* certificates of a worker looked at (of each type the latest-ending, ELIG_MAX_CERTS / CERT__COUNT) */

enum elig_reason {
	ELIG_NOT_ACTIVE,	/* status is not active */
	ELIG_NO_BIRTH_DATE,	/* age unknown: no birth date on file */
	ELIG_UNDER_18,
	ELIG_NO_BACKGROUND,	/* background check not passed */
	ELIG_NO_HEALTH_CERT,	/* no health certificate valid on the day */
	ELIG_NO_TRAINING,	/* pre-job training not passed */
	ELIG_NOT_JOB_TYPE,	/* the worker does not do this job type */
	ELIG_CERT_MISSING,	/* the job's certificate (cert) not valid on the day */
	ELIG_LEVEL_LOW,		/* level below the one needed */
	ELIG_CERT_EXPIRING,	/* a warning: cert ends within 30 days (30 or fewer left) */
	ELIG_ANNUAL_DUE,	/* a warning: an inspector's annual training is due within 30 days */
	ELIG_ANNUAL_OVERDUE,	/* a warning: … and the day it was due has passed */
	/* warnings of an assignment rather than of its worker, which the
	 * store adds to the result (elig_warn, store_assign.c) */
	ELIG_WINDOW_TAKEN,	/* booked that day in a time window that overlaps */
	ELIG_HOUSEHOLD_CLOSED,	/* the household's account is closed (销户) */
	ELIG__COUNT
};

/* A certificate as eligibility sees it. */
struct elig_cert {
	enum cert_type type;
	rh_day valid_from, valid_to;
	int revoked;
};

struct elig_facts {
	enum staff_status status;
	int has_birth_date;
	rh_day birth_date;
	int background_passed;	/* the latest background check step passed */
	int training_passed;	/* the latest pre-job training step passed */
	rh_day trained_on;	/* the later of that step's day and the last annual training not failed; 0 none */
	unsigned job_types;	/* bits of staff.h job_type_set */
	enum staff_level level;
	const struct elig_cert *certs;
	size_t ncerts;
};

struct elig_need {
	int job_type;		/* index in job_type_set */
	enum staff_level level;	/* the lowest level the task needs */
	unsigned certs;		/* bits of cert_type the job type requires */
	rh_day day;
};

struct elig_item {
	enum elig_reason reason;
	int cert;		/* the certificate type concerned, or -1 */
	rh_day until;		/* ELIG_CERT_EXPIRING: its last valid day; ELIG_ANNUAL_*: the day training is due */
	char window[TIME_WINDOW_MAX + 1];	/* for ELIG_WINDOW_TAKEN: the other booking's */
};

struct elig_result {
	int eligible;
	/* the facts the messages name */
	enum staff_status status;
	int job_type;
	enum staff_level have, need;
	size_t nfail, nwarn;
	struct elig_item fail[ELIG_MAX_ITEMS];
	struct elig_item warn[ELIG_MAX_ITEMS];
};

/* What a task of job_type needs on day, by the organisation's rules (one
 * per job type): the job's certificates, and level — the one asked, but
 * never below the rule's (a task may ask more, never less); -1: the
 * rule's. */
struct elig_need elig_need_for(const struct job_rule *rules, int job_type, int level, rh_day day);

/* Decides; fills *out and returns out->eligible. */
int eligibility_check(const struct elig_facts *w, const struct elig_need *n, struct elig_result *out);

/* The day an inspector trained on trained_on is due for the next annual
 * training: the same day a year later (29 February: 28 February). */
rh_day elig_annual_due(rh_day trained_on);
/* Whether an inspector trained on trained_on (0: never) is warned of on
 * day: ELIG_ANNUAL_DUE or ELIG_ANNUAL_OVERDUE with the day due in *due,
 * else ELIG__COUNT. */
enum elig_reason elig_annual_state(rh_day trained_on, rh_day day, rh_day *due);

/* Whole years of age on day (周岁). */
int age_on(rh_day birth, rh_day day);

/* Whether the answer for day, next to today's, tells w's birth date: a
 * past day (the day under_18 ended), or a later day of a worker under 18
 * today (the day it will end). Today's answer tells only "under 18 now". */
int elig_day_tells_birth(const struct elig_facts *w, rh_day today, rh_day day);

/* Adds a warning to r (window: ELIG_WINDOW_TAKEN's, else NULL); the
 * same one twice is kept once. */
void elig_warn(struct elig_result *r, enum elig_reason why, const char *window);

/* The reason's stable code ("under_18"). */
const char *elig_reason_code(enum elig_reason r);

/* {"eligible", "reasons": [...], "warnings": [...]}, each item
 * {"code", "certificate"?, "until"?, "message"} with the message in the
 * language (en = 0: Chinese), naming the certificate where there is one. */
json_t *elig_result_to_json(const struct elig_result *r, int en);

/* The failing reasons joined into one line ("未满18周岁；健康证无效"),
 * for an error's detail; returns out. */
char *elig_reasons_text(const struct elig_result *r, int en, char *out, size_t cap);

#endif
