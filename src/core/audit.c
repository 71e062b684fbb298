/*
 * audit.c — the audit chain's link hash (see audit.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "core/audit.h"
#include "core/secret.h"

const char *const audit_entity_codes[] = {
	"user", "tenant", "calendar_year", "job", "site", "household", "staff", "import", "audit",
	"assignment", "certificate", "discipline", "training", "hiring_step", "badge", "job_rule",
	"staff_return", "staff_file", NULL,
};

const char *const audit_action_codes[] = {
	"create", "update", "disable", "enable", "set_password", "unlock", "login", "login_failed", "lock",
	"logout", "import", "import_check", "import_refused", "export", "retry", "cancel", "view_personal",
	"issue", "void", "revoke", "decide", "returned", "set_photo", "upload", NULL,
};

int audit_code_known(const char *const *codes, const char *s)
{
	for (; s && *codes; codes++)
		if (strcmp(*codes, s) == 0) return 1;
	return 0;
}

static void put(crypto_generichash_state *st, const char *s)
{
	/* NULL and "" differ: NULL has length 2^64-1. */
	uint64_t len = s ? strlen(s) : UINT64_MAX;
	unsigned char le[8];
	for (int i = 0; i < 8; i++) le[i] = (unsigned char)(len >> (8 * i));
	crypto_generichash_update(st, le, sizeof le);
	if (s) crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
}

static void put_int(crypto_generichash_state *st, int64_t v)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)v);
	put(st, s);
}

void audit_compute_hash(const struct audit_entry *e, const unsigned char *key, char out[AUDIT_HASH_LEN + 1])
{
	crypto_generichash_state st;
	unsigned char h[32];
	crypto_generichash_init(&st, key, SECRET_KEY_BYTES, sizeof h);
	put(&st, "ruhu-audit-chain-v1");	/* the encoding's version */
	put_int(&st, e->tenant_id);
	put_int(&st, e->seq);
	put_int(&st, e->at);
	put_int(&st, e->actor_id);
	put(&st, e->actor);
	put(&st, e->ip);
	put(&st, e->action);
	put(&st, e->entity);
	put_int(&st, e->entity_id);
	put(&st, e->before);
	put(&st, e->after);
	put(&st, e->reason);
	put(&st, e->prev_hash);
	crypto_generichash_final(&st, h, sizeof h);
	hex_encode(h, sizeof h, out);
}
