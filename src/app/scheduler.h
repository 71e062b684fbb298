/*
 * scheduler.h — runs due background jobs inside `ruhu serve`.
 *
 * One thread per process wakes every second, gives back jobs whose
 * worker died (their lease ran out), claims the job due earliest and runs
 * it (app/jobs.h). Claims are atomic in the store, so any number of
 * processes may run a scheduler against one database: each job runs once
 * at a time, and a job whose process dies is run again by another.
 * Recurring jobs are kept queued for every tenant.
 *
 * A claim is a lease of `lease` seconds, renewed by a second thread every
 * third of it while the job runs: a job may run longer than its lease,
 * and is given to another process only when its own stops renewing
 * (died, frozen, or cut off from the database) for a whole lease. The thread needs one
 * connection of the pool besides the scheduler's.
 */
#ifndef RUHU_SCHEDULER_H
#define RUHU_SCHEDULER_H
#include <stdint.h>
#include "store/store.h"

struct scheduler;

#define SCHEDULER_LEASE 300	/* seconds: the default lease */

/* Starts the threads, claiming jobs for lease seconds (0: the default);
 * NULL if it cannot. */
struct scheduler *scheduler_start(struct store *st, int64_t lease);
/* Stops the threads after the job in hand and frees the scheduler. */
void scheduler_stop(struct scheduler *s);

#endif
