/*
 * acceptor.c — one thread that accepts connections and gives each to the
 * least busy HTTP event loop (see acceptor.h for why).
 *
 * A loop's count goes up here as a connection is handed to it and down
 * when MHD reports the connection closed; MHD reports its start only
 * later, on the loop's own thread, so counting at the start would let a
 * burst of connections all see the same counts. Ties go round the loops,
 * so that connections made one after another spread too.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "base/log.h"
#include "http/acceptor.h"

/* A cache line each: the counts are written from every loop's thread. */
struct loop {
	_Alignas(64) _Atomic int connections;	/* handed over and not yet closed */
	struct MHD_Daemon *daemon;
};

struct acceptor {
	int fd;			/* the listening socket */
	int n;
	int cap;		/* connections a loop may hold */
	struct loop *loops;
	unsigned next;		/* where the search for the least busy starts */
	pthread_t thread;
	int started;
	_Atomic int stopping;
};

enum rh_err acceptor_listen(const struct sockaddr_in *sa, int loops, int cap, struct acceptor **out, char *err,
			    size_t errlen)
{
	struct acceptor *a = calloc(1, sizeof *a);
	if (a) a->loops = aligned_alloc(_Alignof(struct loop), (size_t)loops * sizeof *a->loops);
	if (!a || !a->loops) {
		free(a);
		snprintf(err, errlen, "out of memory");
		return RH_ERR_NOMEM;
	}
	memset(a->loops, 0, (size_t)loops * sizeof *a->loops);
	a->n = loops;
	a->cap = cap;
	/* SO_REUSEADDR only: a restart may listen again at once, but a
	 * second server on a port in use is refused, not given half its
	 * connections. */
	int one = 1;
	a->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (a->fd < 0 || setsockopt(a->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(a->fd, (const struct sockaddr *)sa, sizeof *sa) != 0 || listen(a->fd, SOMAXCONN) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		if (a->fd >= 0) close(a->fd);
		free(a->loops);
		free(a);
		return RH_ERR_IO;
	}
	*out = a;
	return RH_OK;
}

int acceptor_port(const struct acceptor *a)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	if (getsockname(a->fd, (struct sockaddr *)&sa, &len) != 0) return 0;
	return ntohs(sa.sin_port);
}

void *acceptor_loop_cls(struct acceptor *a, int i) { return &a->loops[i]; }
int acceptor_loops(const struct acceptor *a) { return a ? a->n : 0; }
int acceptor_loop_connections(const struct acceptor *a, int i) { return atomic_load(&a->loops[i].connections); }

void acceptor_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		     enum MHD_ConnectionNotificationCode toe)
{
	(void)c, (void)socket_context;
	struct loop *l = cls;
	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) atomic_fetch_sub(&l->connections, 1);
}

static struct loop *least_busy(struct acceptor *a)
{
	struct loop *best = NULL;
	int fewest = 0;
	for (int k = 0; k < a->n; k++) {
		struct loop *l = &a->loops[(a->next + (unsigned)k) % (unsigned)a->n];
		int c = atomic_load(&l->connections);
		if (!best || c < fewest) best = l, fewest = c;
	}
	a->next++;
	return best;
}

static void *accept_main(void *arg)
{
	struct acceptor *a = arg;
	int reported = 0, full = 0;	/* said once per run of trouble */
	while (!atomic_load(&a->stopping)) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof peer;
		int fd = accept4(a->fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (atomic_load(&a->stopping)) break;
			/* the connection's own trouble, or a signal: the next one */
			if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN || errno == EPROTO ||
			    errno == ENETDOWN || errno == ENOPROTOOPT || errno == EHOSTDOWN || errno == ENONET ||
			    errno == EHOSTUNREACH || errno == EOPNOTSUPP || errno == ENETUNREACH)
				continue;
			/* Out of descriptors or memory: the pending connections
			 * wait in the backlog while some close. */
			if (!reported++) log_error("cannot accept a connection: %s", strerror(errno));
			poll(NULL, 0, 100);
			continue;
		}
		reported = 0;
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);	/* answers are one write each */
		/* The limit is kept here, where connections are counted from the
		 * moment they are handed over: MHD's own (set above it) would
		 * refuse one queued for its loop without a word, and the count
		 * would never come down. */
		struct loop *l = least_busy(a);
		if (atomic_load(&l->connections) >= a->cap) {
			if (!full++) log_error("every HTTP thread holds %d connections: new ones are refused", a->cap);
			close(fd);
			continue;
		}
		full = 0;
		atomic_fetch_add(&l->connections, 1);
		/* MHD closes fd when it cannot take it at once (out of memory) */
		if (MHD_add_connection(l->daemon, fd, (struct sockaddr *)&peer, len) != MHD_YES)
			atomic_fetch_sub(&l->connections, 1);
	}
	return NULL;
}

int acceptor_start(struct acceptor *a, struct MHD_Daemon *const *daemons)
{
	for (int i = 0; i < a->n; i++) a->loops[i].daemon = daemons[i];
	if (pthread_create(&a->thread, NULL, accept_main, a) != 0) return -1;
	a->started = 1;
	return 0;
}

void acceptor_close(struct acceptor *a)
{
	if (!a || a->fd < 0) return;
	atomic_store(&a->stopping, 1);
	/* wakes the thread out of accept() (EINVAL) */
	shutdown(a->fd, SHUT_RDWR);
	if (a->started) pthread_join(a->thread, NULL);
	a->started = 0;
	close(a->fd);
	a->fd = -1;
}

void acceptor_free(struct acceptor *a)
{
	if (!a) return;
	acceptor_close(a);
	free(a->loops);
	free(a);
}
