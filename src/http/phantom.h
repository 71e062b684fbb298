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
 * A try is counted before its password is checked, as an account's is
 * (store_login_reserve): tries sent at once are answered 423 as soon as
 * the count is full, for a name that is nobody's as for an account.
 *
 * The table is fixed in size (4,096 names), so a flood of names cannot
 * grow memory; a name's slots are found by a keyed hash, and a slot
 * still counting is the last to be given to another name: only some
 * thousands of names tried within a lock's time (a flood from as many
 * addresses, past the per-address limit) push counts out. Per node, like the rate limit:
 * behind a load balancer a name that is nobody's locks on each node by
 * itself, and a restart forgets it (an account's count is the
 * database's) — the limit of this answer, which docs/api.md tells.
 */
#ifndef RUHU_PHANTOM_H
#define RUHU_PHANTOM_H
#include <stdint.h>

struct phantom_locks;

struct phantom_locks *phantom_locks_new(void);
void phantom_locks_free(struct phantom_locks *p);

/* Until when (epoch seconds) name is locked at now, or 0. */
int64_t phantom_locked(struct phantom_locks *p, const char *name, int64_t now);

/* Counts a try of name at now, before its check (which fails: the name
 * is nobody's): until when it is locked if this try is the
 * max_failures-th, or 0. */
int64_t phantom_failed(struct phantom_locks *p, const char *name, int max_failures, int lock_seconds, int64_t now);

#endif
