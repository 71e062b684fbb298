/*
 * acceptor.h — takes each new connection from the listening socket and
 * gives it to the HTTP event loop that holds the fewest.
 *
 * A connection stays on the loop that took it for as long as it lives
 * (keep-alive), and a loop runs one request at a time: where a
 * connection lands decides whether it waits behind others. MHD's own
 * thread pool lets every loop accept from the socket, and the loop that
 * wakes first takes a whole burst — four clients that connect at once
 * all land on one loop and wait for each other while the other loops
 * idle. So each loop here is an MHD daemon of its own without a
 * listening socket (server.c), and this file's one thread accepts and
 * hands over (MHD_add_connection), the least busy loop first.
 */
#ifndef RUHU_ACCEPTOR_H
#define RUHU_ACCEPTOR_H
#include <microhttpd.h>
#include <netinet/in.h>
#include "core/error.h"

struct acceptor;

/* Binds and listens on sa, for loops event loops (not yet started) that
 * hold at most cap connections each (more are closed at once; give each
 * daemon a limit above cap). RH_ERR_IO with why in err when the address
 * is in use or not allowed. */
enum rh_err acceptor_listen(const struct sockaddr_in *sa, int loops, int cap, struct acceptor **out, char *err,
			    size_t errlen);

/* The port the socket listens on: the one asked for, or the one the
 * kernel chose for port 0. */
int acceptor_port(const struct acceptor *a);

/* The MHD_OPTION_NOTIFY_CONNECTION callback and its closure for loop i:
 * the acceptor counts a loop's connections by it. */
void acceptor_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		     enum MHD_ConnectionNotificationCode toe);
void *acceptor_loop_cls(struct acceptor *a, int i);

/* How many loops, and the connections loop i holds now (for /metrics). */
int acceptor_loops(const struct acceptor *a);
int acceptor_loop_connections(const struct acceptor *a, int i);

/* Starts handing connections to daemons[0 … loops-1]. 0, or -1. */
int acceptor_start(struct acceptor *a, struct MHD_Daemon *const *daemons);

/* Stops accepting and closes the socket: before the daemons stop. */
void acceptor_close(struct acceptor *a);
/* Frees a (closing it first if need be): after every daemon has stopped,
 * since a stopping daemon reports each connection it closes to
 * acceptor_notify(). NULL is fine. */
void acceptor_free(struct acceptor *a);

#endif
