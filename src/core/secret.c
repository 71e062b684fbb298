/*
 * secret.c — libsodium wrappers (see secret.h).
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "core/secret.h"

static unsigned long long ops_limit;	/* set once by secret_init() */
static size_t mem_limit;

int secret_init(enum pwhash_cost cost)
{
	if (sodium_init() < 0) return -1;
	switch (cost) {
	case PWHASH_MODERATE:
		ops_limit = crypto_pwhash_OPSLIMIT_MODERATE;
		mem_limit = crypto_pwhash_MEMLIMIT_MODERATE;
		break;
	case PWHASH_MIN:
		ops_limit = crypto_pwhash_OPSLIMIT_MIN;
		mem_limit = crypto_pwhash_MEMLIMIT_MIN;
		break;
	default:
		ops_limit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		mem_limit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
	return 0;
}

int secret_cost_parse(const char *name, enum pwhash_cost *out)
{
	if (strcmp(name, "interactive") == 0) *out = PWHASH_INTERACTIVE;
	else if (strcmp(name, "moderate") == 0) *out = PWHASH_MODERATE;
	else if (strcmp(name, "min") == 0) *out = PWHASH_MIN;
	else return -1;
	return 0;
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer");
	if (!ops_limit) secret_init(PWHASH_INTERACTIVE);
	return crypto_pwhash_str_alg(out, password, strlen(password), ops_limit, mem_limit,
				     crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void token_new(char out[TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void hex_encode(const unsigned char *p, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, p, n);
}

void token_hash(const char *token, size_t len, char out[TOKEN_HASH_LEN + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, len, NULL, 0);
	hex_encode(h, sizeof h, out);
}

int secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	return la == lb && sodium_memcmp(a, b, la) == 0;
}

void keys_derive(const unsigned char master[SECRET_KEY_BYTES], struct keys *out)
{
	_Static_assert(SECRET_KEY_BYTES == crypto_kdf_KEYBYTES, "key size");
	crypto_kdf_derive_from_key(out->audit, sizeof out->audit, 1, "ruhuaudt", master);
	crypto_kdf_derive_from_key(out->seal, sizeof out->seal, 2, "ruhuseal", master);
	crypto_kdf_derive_from_key(out->lookup, sizeof out->lookup, 3, "ruhulook", master);
}

void secret_lookup_hash(const unsigned char key[SECRET_KEY_BYTES], const char *s, char out[TOKEN_HASH_LEN + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), key, SECRET_KEY_BYTES);
	hex_encode(h, sizeof h, out);
}

int secret_key_parse(const char *b64, unsigned char key[SECRET_KEY_BYTES])
{
	size_t n = 0;
	if (sodium_base642bin(key, SECRET_KEY_BYTES, b64, strlen(b64), " \n\r", &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || n != SECRET_KEY_BYTES)
		return -1;
	return 0;
}

void secret_key_new(unsigned char key[SECRET_KEY_BYTES], char b64[45])
{
	crypto_secretbox_keygen(key);
	sodium_bin2base64(b64, 45, key, SECRET_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL);
}

char *secret_seal(const unsigned char key[SECRET_KEY_BYTES], const char *plain, size_t len)
{
	size_t raw_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	unsigned char *raw = malloc(raw_len);
	if (!raw) return NULL;
	randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, len, raw, key);
	size_t b64_len = sodium_base64_ENCODED_LEN(raw_len, sodium_base64_VARIANT_ORIGINAL);
	char *out = malloc(3 + b64_len);
	if (out) {
		memcpy(out, "v1:", 3);
		sodium_bin2base64(out + 3, b64_len, raw, raw_len, sodium_base64_VARIANT_ORIGINAL);
	}
	free(raw);
	return out;
}

unsigned char *secret_open_bytes(const unsigned char key[SECRET_KEY_BYTES], const char *sealed, size_t *len)
{
	*len = 0;
	if (strncmp(sealed, "v1:", 3) != 0) return NULL;
	sealed += 3;
	size_t b64_len = strlen(sealed), raw_len = 0;
	unsigned char *raw = malloc(b64_len);	/* decoded is always shorter */
	if (!raw) return NULL;
	unsigned char *plain = NULL;
	if (sodium_base642bin(raw, b64_len, sealed, b64_len, NULL, &raw_len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) == 0 &&
	    raw_len >= crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		size_t n = raw_len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
		plain = malloc(n + 1);
		if (plain && crypto_secretbox_open_easy(plain, raw + crypto_secretbox_NONCEBYTES,
							raw_len - crypto_secretbox_NONCEBYTES, raw, key) == 0) {
			plain[n] = '\0';
			*len = n;
		} else {
			free(plain);
			plain = NULL;
		}
	}
	free(raw);
	return plain;
}

char *secret_open(const unsigned char key[SECRET_KEY_BYTES], const char *sealed)
{
	size_t len;
	return (char *)secret_open_bytes(key, sealed, &len);
}
