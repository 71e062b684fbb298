/*
 * secret.h — passwords, tokens and encrypted fields, all through
 * libsodium.
 *
 * Passwords are hashed with argon2id (crypto_pwhash_str); session and
 * CSRF tokens are 32 random bytes in base64url; the database keeps only a
 * BLAKE2b hash of a session token, so a copy of the database does not let
 * anyone sign in. Personal data that must be encrypted at rest (ID-card
 * numbers, SPEC X5) is sealed with XSalsa20-Poly1305 (crypto_secretbox)
 * under the installation's key (see docs/configuration.md).
 *
 * secret_init() must run once before threads start; the password cost is
 * chosen there too and only read afterwards.
 */
#ifndef RUHU_SECRET_H
#define RUHU_SECRET_H
#include <stddef.h>
#include <stdint.h>

enum pwhash_cost {
	PWHASH_INTERACTIVE,	/* default: 64 MiB, ~0.1 s */
	PWHASH_MODERATE,	/* 256 MiB */
	PWHASH_MIN,		/* tests only: the library's minimum */
};

#define PASSWORD_HASH_MAX 128	/* fits crypto_pwhash_STRBYTES */
#define TOKEN_LEN 43		/* 32 bytes in unpadded base64url */
#define TOKEN_HASH_LEN 64	/* 32-byte BLAKE2b in hex */
#define SECRET_KEY_BYTES 32

/* 0, or -1 if libsodium cannot start. */
int secret_init(enum pwhash_cost cost);
int secret_cost_parse(const char *name, enum pwhash_cost *out);

/* 0 on success, -1 when out of memory. out gets a NUL-terminated string. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* 1 if password matches hash, 0 if not (or the hash is malformed). */
int password_verify(const char *hash, const char *password);

/* A fresh random token, NUL-terminated. */
void token_new(char out[TOKEN_LEN + 1]);
/* The stored form of a token (hex BLAKE2b), NUL-terminated. */
void token_hash(const char *token, size_t len, char out[TOKEN_HASH_LEN + 1]);
/* Constant-time comparison of two NUL-terminated strings. */
int secret_equal(const char *a, const char *b);

/* The installation's keys, derived from its one master key (see
 * docs/configuration.md): a key per purpose, so that one can never be
 * used for another's job. */
struct keys {
	unsigned char audit[SECRET_KEY_BYTES];	/* keys the audit chain's hashes */
	unsigned char seal[SECRET_KEY_BYTES];	/* seals personal fields at rest */
	unsigned char lookup[SECRET_KEY_BYTES];	/* keys the lookup hashes of sealed fields */
};
void keys_derive(const unsigned char master[SECRET_KEY_BYTES], struct keys *out);

/* Keys in base64 (standard, padded: 44 characters). 0 or -1. */
int secret_key_parse(const char *b64, unsigned char key[SECRET_KEY_BYTES]);
void secret_key_new(unsigned char key[SECRET_KEY_BYTES], char b64[45]);

/* Seals plain text into "v1:" + base64(nonce | mac | cipher). The result
 * is malloc'ed; free() it. NULL when out of memory. */
char *secret_seal(const unsigned char key[SECRET_KEY_BYTES], const char *plain, size_t len);
/* Opens what secret_seal made; malloc'ed, NUL-terminated, NULL if the
 * text was tampered with, made under another key or is malformed. */
char *secret_open(const unsigned char key[SECRET_KEY_BYTES], const char *sealed);
/* The same for bytes (a file sealed whole): *len is their number; the
 * copy is NUL-terminated too. */
unsigned char *secret_open_bytes(const unsigned char key[SECRET_KEY_BYTES], const char *sealed, size_t *len);

/* A keyed hash (BLAKE2b, hex) of a sealed field's plain text, stored
 * beside it so that equal values can be found and compared (the same
 * person's ID number twice) without opening any seal; without the key it
 * tells nothing, not even for the small space of valid ID numbers. */
void secret_lookup_hash(const unsigned char key[SECRET_KEY_BYTES], const char *s, char out[TOKEN_HASH_LEN + 1]);

/* Lowercase hex of n bytes into out (2n+1 bytes with the NUL). */
void hex_encode(const unsigned char *p, size_t n, char *out);

#endif
