/*
 * offload.c — the pools that do slow work off the event loops (see
 * offload.h).
 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include "http/offload.h"

struct offload {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct off_job *head, *tail;	/* guarded by mu */
	int queued;			/* guarded by mu */
	int queue_max;
	int stopping;			/* guarded by mu */
	int nthreads;
	pthread_t *threads;
};

static void *work(void *arg)
{
	struct offload *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->head && !h->stopping) pthread_cond_wait(&h->cv, &h->mu);
		struct off_job *j = h->head;
		if (!j) break;	/* stopping, and nothing left */
		h->head = j->next;
		if (!h->head) h->tail = NULL;
		h->queued--;
		int stopping = h->stopping;
		pthread_mutex_unlock(&h->mu);
		if (stopping) j->skipped = 1;
		else j->run(j);
		/* After this call the request owns the job again. */
		MHD_resume_connection(j->conn);
		pthread_mutex_lock(&h->mu);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

struct offload *offload_start(int threads, int queue_max)
{
	struct offload *h = calloc(1, sizeof *h);
	if (!h) return NULL;
	h->threads = calloc((size_t)threads, sizeof *h->threads);
	if (!h->threads) {
		free(h);
		return NULL;
	}
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	h->queue_max = queue_max;
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&h->threads[i], NULL, work, h) != 0) break;
		h->nthreads++;
	}
	if (h->nthreads == 0) {
		offload_free(h);
		return NULL;
	}
	return h;
}

void offload_close(struct offload *h)
{
	if (!h) return;
	pthread_mutex_lock(&h->mu);
	h->stopping = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

void offload_stop(struct offload *h)
{
	if (!h) return;
	offload_close(h);
	for (int i = 0; i < h->nthreads; i++) pthread_join(h->threads[i], NULL);
	h->nthreads = 0;
}

void offload_free(struct offload *h)
{
	if (!h) return;
	offload_stop(h);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	free(h->threads);
	free(h);
}

int offload_submit(struct offload *h, struct off_job *job, struct MHD_Connection *conn)
{
	pthread_mutex_lock(&h->mu);
	if (h->stopping || h->queued >= h->queue_max) {
		pthread_mutex_unlock(&h->mu);
		return -1;
	}
	job->conn = conn;
	job->next = NULL;
	job->skipped = 0;
	MHD_suspend_connection(conn);
	if (h->tail) h->tail->next = job; else h->head = job;
	h->tail = job;
	h->queued++;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return 0;
}
