/*
 * test_secret.c — passwords, tokens, sealed fields (core/secret.c) and
 * the audit chain's link hash (core/audit.c).
 */
#include <stdlib.h>
#include "harness.h"
#include "core/audit.h"
#include "core/secret.h"

static void test_passwords(void)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	t_case("passwords are hashed with argon2id and verify");
	CHECK_INT(password_hash("Ruhu@2026", h1), 0);
	CHECK(strncmp(h1, "$argon2id$", 10) == 0);
	CHECK(password_verify(h1, "Ruhu@2026"));
	CHECK(!password_verify(h1, "ruhu@2026"));
	t_case("the same password hashes differently each time (salted)");
	password_hash("Ruhu@2026", h2);
	CHECK(strcmp(h1, h2) != 0);
	t_case("a malformed hash never verifies");
	CHECK(!password_verify("not a hash", "x"));
	CHECK(!password_verify("", ""));
}

static void test_tokens(void)
{
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1], ha[TOKEN_HASH_LEN + 1], hb[TOKEN_HASH_LEN + 1];
	t_case("tokens are 43 URL-safe characters and differ");
	token_new(a);
	token_new(b);
	CHECK_INT(strlen(a), TOKEN_LEN);
	CHECK(strcmp(a, b) != 0);
	CHECK(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == TOKEN_LEN);
	t_case("a token's stored hash is stable and hides the token");
	token_hash(a, TOKEN_LEN, ha);
	token_hash(a, TOKEN_LEN, hb);
	CHECK_STR(ha, hb);
	CHECK_INT(strlen(ha), 64);
	CHECK(strstr(ha, a) == NULL);
	t_case("secret_equal compares whole strings");
	CHECK(secret_equal("abc", "abc") && !secret_equal("abc", "abd") && !secret_equal("abc", "abcd"));
}

static void test_seal(void)
{
	unsigned char key[SECRET_KEY_BYTES], other[SECRET_KEY_BYTES];
	char b64[45];
	secret_key_new(key, b64);
	secret_key_new(other, b64);
	t_case("X5 a sealed ID number opens with its key only");
	char *s = secret_seal(key, "110101199003071234", 18);
	CHECK(s && strncmp(s, "v1:", 3) == 0 && strstr(s, "1101011990") == NULL);
	char *p = secret_open(key, s);
	CHECK_STR(p, "110101199003071234");
	free(p);
	CHECK(secret_open(other, s) == NULL);
	t_case("X5 a tampered sealed value does not open");
	s[10] = s[10] == 'A' ? 'B' : 'A';
	CHECK(secret_open(key, s) == NULL);
	free(s);
	CHECK(secret_open(key, "v1:!!!") == NULL && secret_open(key, "plain") == NULL);
	t_case("X5 bytes sealed whole (a document) open with their length, NULs inside and all");
	static const unsigned char file[] = { '%', 'P', 'D', 'F', 0, 1, 2, 0, 0xff };
	s = secret_seal(key, (const char *)file, sizeof file);
	size_t n = 0;
	unsigned char *b = s ? secret_open_bytes(key, s, &n) : NULL;
	CHECK(b && n == sizeof file && memcmp(b, file, n) == 0);
	free(b);
	CHECK(secret_open_bytes(other, s, &n) == NULL && n == 0);
	free(s);
	t_case("keys parse from base64 and refuse the wrong length");
	unsigned char k2[SECRET_KEY_BYTES];
	secret_key_new(key, b64);
	CHECK_INT(secret_key_parse(b64, k2), 0);
	CHECK(memcmp(key, k2, sizeof key) == 0);
	CHECK_INT(secret_key_parse("c2hvcnQ=", k2), -1);
}

static void test_audit_hash(void)
{
	struct audit_entry e = {
		.tenant_id = 1, .seq = 2, .at = 1790751600, .actor_id = 3, .actor = "gas.admin", .ip = "127.0.0.1",
		.action = "update", .entity = "user", .entity_id = 4, .before = "{\"a\":1}", .after = "{\"a\":2}",
		.reason = NULL, .prev_hash = AUDIT_GENESIS,
	};
	char h[AUDIT_HASH_LEN + 1], h2[AUDIT_HASH_LEN + 1];
	unsigned char master[SECRET_KEY_BYTES];
	for (int i = 0; i < SECRET_KEY_BYTES; i++) master[i] = (unsigned char)i;
	struct keys k, k2;
	keys_derive(master, &k);
	audit_compute_hash(&e, k.audit, h);
	t_case("X3 the link hash is stable across releases (old chains must still verify)");
	CHECK_STR(h, "0779e54ead26cb2ed62e02a507126c023a094dced6c72a19dafb5154ddb0d21f");
	t_case("X3 every field is covered by the hash");
	struct audit_entry v;
	int all = 1;
	for (int field = 0; field < 12; field++) {
		v = e;
		switch (field) {
		case 0: v.tenant_id++; break;
		case 1: v.seq++; break;
		case 2: v.at++; break;
		case 3: v.actor_id++; break;
		case 4: v.actor = "mallory"; break;
		case 5: v.ip = NULL; break;
		case 6: v.action = "create"; break;
		case 7: v.entity = "tenant"; break;
		case 8: v.entity_id++; break;
		case 9: v.before = NULL; break;
		case 10: v.reason = ""; break;	/* "" and NULL differ */
		case 11: v.prev_hash[0] = '1'; break;
		}
		audit_compute_hash(&v, k.audit, h2);
		all &= strcmp(h, h2) != 0;
	}
	CHECK(all);
	t_case("X3 moving text between adjacent fields changes the hash");
	v = e;
	v.action = "updateuser";
	v.entity = "";
	audit_compute_hash(&v, k.audit, h2);
	CHECK(strcmp(h, h2) != 0);
	t_case("X3 the hash is keyed: another master key gives another hash");
	master[0] ^= 1;
	keys_derive(master, &k2);
	audit_compute_hash(&e, k2.audit, h2);
	CHECK(strcmp(h, h2) != 0);
	t_case("each purpose has its own key");
	CHECK(memcmp(k.audit, k.seal, sizeof k.audit) != 0);
}

int main(void)
{
	secret_init(PWHASH_MIN);
	test_passwords();
	test_tokens();
	test_seal();
	test_audit_hash();
	return t_done();
}
