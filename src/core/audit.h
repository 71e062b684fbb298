/*
 * audit.h — one entry of the audit trail and the hash that chains it
 * to the previous one (SPEC X3).
 *
 * Each tenant has its own chain: entry seq n carries the hash of entry
 * n-1 (prev_hash) and its own hash over every field plus prev_hash. Edit
 * any stored field, delete or insert an entry, and recomputing the chain
 * from the first entry finds the first link that no longer holds
 * (store/store_audit.c). Chains per tenant keep appends of different
 * organisations from contending and let a tenant's data move alone.
 *
 * The hash is BLAKE2b-256 keyed with the installation's audit key (a MAC),
 * over the fields in a fixed order, each length-prefixed, so no two
 * different entries encode alike. Keyed, because anyone who can write the
 * database file could otherwise recompute a consistent chain after an
 * edit; without the key, which lives outside the database, they cannot.
 */
#ifndef RUHU_AUDIT_H
#define RUHU_AUDIT_H
#include <stdint.h>

#define AUDIT_HASH_LEN 64
#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct audit_entry {
	int64_t tenant_id;
	int64_t seq;		/* 1, 2, 3 … within the tenant */
	int64_t at;		/* epoch seconds */
	int64_t actor_id;	/* 0 for the system (jobs, start-up) */
	const char *actor;	/* user name at the time, "system", or "-" */
	const char *ip;		/* may be NULL */
	const char *action;	/* create, update, login, import … */
	const char *entity;	/* user, tenant, calendar_year, job, session … */
	int64_t entity_id;
	const char *before;	/* JSON text of the record before, or NULL */
	const char *after;	/* JSON text after, or NULL */
	const char *reason;	/* why, when the actor gave a reason; may be NULL */
	char prev_hash[AUDIT_HASH_LEN + 1];
	char hash[AUDIT_HASH_LEN + 1];
};

/* Every entity and every action the store writes into the trail,
 * NULL-terminated: GET /api/v1/audit takes only these as filters (an
 * unknown one is a typo, not an empty answer), and audit_append()
 * refuses to write any other, so the lists cannot fall behind. */
extern const char *const audit_entity_codes[];
extern const char *const audit_action_codes[];

/* An entity's or action's name in Chinese or English (en), as an
 * export's reader reads it; the code itself when it has none. */
const char *audit_entity_name(const char *code, int en);
const char *audit_action_name(const char *code, int en);

/* Whether s is one of codes (NULL-terminated). */
int audit_code_known(const char *const *codes, const char *s);

/* The hash of e over all fields above and e->prev_hash (not e->hash),
 * keyed with key (32 bytes: struct keys.audit). */
void audit_compute_hash(const struct audit_entry *e, const unsigned char *key, char out[AUDIT_HASH_LEN + 1]);

#endif
