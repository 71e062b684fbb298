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

struct job_kind {
	const char *kind;
	int64_t every;		/* seconds between runs of a recurring job; 0 = one-off */
	/* Does the work; writes a line for the admin into result. RH_OK or
	 * an error with the reason in result. */
	enum rh_err (*run)(struct db *db, const struct job *j, int64_t now, char *result, size_t len);
};

extern const struct job_kind job_kinds[];
extern const size_t job_kinds_count;

const struct job_kind *job_kind_find(const char *kind);

#endif
