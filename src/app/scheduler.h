/*
 * scheduler.h — runs due background jobs inside `ruhu serve`.
 *
 * One thread per process wakes every second, gives back jobs whose
 * worker died (their lease ran out), claims the job due earliest and runs
 * it (app/jobs.h). Claims are atomic in the store, so any number of
 * processes may run a scheduler against one database: each job runs once
 * at a time, and a job whose process dies is run again by another.
 * Recurring jobs are kept queued for every tenant.
 */
#ifndef RUHU_SCHEDULER_H
#define RUHU_SCHEDULER_H
#include <stdint.h>
#include "store/store.h"

struct scheduler;

/* Starts the thread; NULL if it cannot. */
struct scheduler *scheduler_start(struct store *st);
/* Stops the thread after the job in hand and frees the scheduler. */
void scheduler_stop(struct scheduler *s);

#endif
