/*
 * phantom.h — lock-outs of user names that are nobody's.
 *
 * An account is locked after its fifth wrong password (store_login_*),
 * and from then on a sign-in answers 423 at once. A name that is
 * nobody's must answer the same, or five tries would tell anyone which
 * names exist (docs/api.md: an unknown user and a wrong password get the
 * same answer). So the names that are nobody's count their failures too,
 * here, and lock as an account would: same count, same time, same 423.
 *
 * The table is fixed in size (the least recently used slot is reused),
 * so a flood of names cannot grow memory; a name pushed out starts
 * counting again, which a flood costs its sender in the per-address rate
 * limit first. Per node, like the rate limit: behind a load balancer a
 * name that is nobody's locks on each node by itself.
 */
#ifndef RUHU_PHANTOM_H
#define RUHU_PHANTOM_H
#include <stdint.h>

struct phantom_locks;

struct phantom_locks *phantom_locks_new(void);
void phantom_locks_free(struct phantom_locks *p);

/* Until when (epoch seconds) name is locked at now, or 0. */
int64_t phantom_locked(struct phantom_locks *p, const char *name, int64_t now);

/* Counts a failed sign-in of name at now: until when it is locked if
 * this failure is the max_failures-th, or 0. */
int64_t phantom_failed(struct phantom_locks *p, const char *name, int max_failures, int lock_seconds, int64_t now);

#endif
