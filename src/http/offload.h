/*
 * offload.h — work that would stall an event loop, done off it.
 *
 * An HTTP thread runs one event loop for many connections, so a request
 * that takes long there holds up every other connection of its loop. Two
 * kinds of work do: a password check or hash (argon2id is slow on purpose,
 * about 0.1 s and 64 MiB a check) and an import (a workbook of a million
 * households takes tens of seconds). A handler hands such work to a pool
 * and its request is suspended (MHD_suspend_connection); a pool thread
 * does the work and resumes the request, and the handler runs again to
 * finish (req_hash() and req_offload() in http.h). Each kind has a pool of
 * its own, so that an import never holds up a sign-in. A pool's queue is
 * bounded: when it is full the answer is 503 busy at once.
 */
#ifndef RUHU_OFFLOAD_H
#define RUHU_OFFLOAD_H

struct MHD_Connection;

/* A piece of work; the caller's struct starts with one (or holds one and
 * finds itself from it). Owned by the request, which waits for it. */
struct off_job {
	void (*run)(struct off_job *job);	/* on a pool thread */
	struct MHD_Connection *conn;		/* resumed when done */
	struct off_job *next;
	int skipped;	/* the pool stopped before it began: run was not called */
};

struct offload;

struct offload *offload_start(int threads, int queue_max);

/* Refuses new work, lets the jobs already running finish, resumes every
 * request still queued with its job skipped (not run: an import waiting
 * behind another would otherwise hold the stop for as long as it takes,
 * and a service manager may kill the process meanwhile), and stops the
 * threads. Call it before MHD_stop_daemon — MHD must have no suspended
 * connection then — and offload_free() after. */
void offload_stop(struct offload *p);

/* The first half of offload_stop(), without the wait: from now on the
 * pool begins nothing. Closing every pool first keeps one from starting
 * queued work while the stop waits for another. */
void offload_close(struct offload *p);
void offload_free(struct offload *p);

/* Suspends conn and queues job. 0, or -1 when the queue is full or the
 * pool is stopping (nothing suspended then). */
int offload_submit(struct offload *p, struct off_job *job, struct MHD_Connection *conn);

#endif
