/*
 * jobs.h — the kinds of background job ruhu knows and how each runs.
 *
 * A kind is a name, an optional repeat interval and a function. Later
 * modules add their kinds to the table in jobs.c (deadline escalations,
 * monthly reports …); the scheduler (scheduler.c) knows nothing of what
 * a job does.
 */
#ifndef RUHU_JOBS_H
#define RUHU_JOBS_H
#include <stddef.h>
#include <stdint.h>
#include "store/store.h"

/* What a run tells the admin, in both languages (the jobs page shows the
 * reader's). */
struct job_note {
	char zh[480];
	char en[480];
};

struct job_kind {
	const char *kind;
	int64_t every;		/* seconds between runs of a recurring job; 0 = one-off */
	/* Does the work and says what it did (or, failing, why). */
	enum rh_err (*run)(struct db *db, const struct job *j, int64_t now, struct job_note *note);
};

extern const struct job_kind job_kinds[];
extern const size_t job_kinds_count;
extern const char *const job_kind_codes[];	/* their kinds, NULL-terminated */

const struct job_kind *job_kind_find(const char *kind);

/* The certificate warning (SPEC S3), as the daily staff.cert_expiry job
 * sends it: the tenant's certificates ending within 30 days of now, one
 * notice a day to its admins, managers and supervisors. *total: how many
 * end; *sent: new notices (0 when today's went out already). */
enum rh_err cert_expiry_notify(struct db *db, int64_t tenant_id, int64_t now, int64_t *total, int64_t *sent);

/* The same for the inspectors' yearly business training (SPEC S4, seed
 * 001), as the daily staff.annual_training job sends it: the active
 * inspectors the eligibility rule warns of (due within 30 days, or
 * overdue), one notice a day. *looked_at: the inspectors read (each
 * costs the eligibility rule's reads: a few thousand a second). */
enum rh_err annual_training_notify(struct db *db, int64_t tenant_id, int64_t now, int64_t *total, int64_t *sent,
				   int64_t *looked_at);

#endif
