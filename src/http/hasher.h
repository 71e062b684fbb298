/*
 * hasher.h — password hashing off the event loops.
 *
 * argon2id is slow on purpose (about 0.1 s and 64 MiB a check). Run on an
 * HTTP worker, one sign-in would stall every other connection of that
 * worker's event loop, and a burst of bogus sign-ins would stall them all.
 * So a handler that must check or make a password hash hands the work to
 * this small pool and its request is suspended (MHD_suspend_connection);
 * a hasher thread does the work and resumes the request, and the handler
 * runs again to finish (see req_hash() in http.h). The queue is bounded:
 * when it is full the answer is 503 busy at once.
 */
#ifndef RUHU_HASHER_H
#define RUHU_HASHER_H
#include "core/secret.h"

struct MHD_Connection;

enum hash_op {
	HASH_VERIFY,		/* does password match hash_in? */
	HASH_MAKE,		/* hash password into hash_out */
	HASH_VERIFY_THEN_MAKE,	/* verify password against hash_in; if it matches, hash new_password */
};

struct hash_job {
	enum hash_op op;
	const char *password;
	const char *new_password;
	char hash_in[PASSWORD_HASH_MAX];
	char hash_out[PASSWORD_HASH_MAX];
	int ok;				/* 1 matched / made; 0 no match or no memory; -1 matched, not made */
	struct MHD_Connection *conn;	/* resumed when done */
	struct hash_job *next;
};

struct hasher;

struct hasher *hasher_start(int threads, int queue_max);

/* Refuses new jobs, finishes every queued one (resuming its request) and
 * stops the threads. Call it before MHD_stop_daemon — MHD must have no
 * suspended connection then — and hasher_free() after. */
void hasher_stop(struct hasher *h);
void hasher_free(struct hasher *h);

/* Suspends conn and queues job. 0, or -1 when the queue is full or the
 * pool is stopping (nothing suspended then). */
int hasher_submit(struct hasher *h, struct hash_job *job, struct MHD_Connection *conn);

#endif
