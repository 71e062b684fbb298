/*
 * store_seal.c — files kept sealed in the database: staff documents
 * (migration 020) and staff photos (021).
 *
 * A row keeps its file's bytes as secret_seal text where its flag column
 * says sealed, and as base64 where a release from before wrote it. Those
 * older rows are sealed when a node starts (seal_pending), each in a
 * transaction of its own: a file may be megabytes, and a node starting
 * over thousands holds the write lock no longer than one takes. Two
 * nodes starting at once each seal what the other has not: the UPDATE
 * names the flag it expects, and counts only the rows it changed.
 */
#include <sodium.h>
#include <stdlib.h>
#include "base/log.h"
#include "store/store_internal.h"

enum rh_err sealed_open(struct db *db, const char *what, int64_t id, const char *text, int sealed,
			unsigned char **data, size_t *len)
{
	if (!sealed) return blob_decode(text, data, len);
	*data = secret_open_bytes(db->keys->seal, text, len);
	if (*data && *len) return RH_OK;
	if (*data) {	/* empty, as blob_decode answers "" */
		free(*data);
		*data = NULL;
		return RH_ERR_NOT_FOUND;
	}
	log_error("%s %lld: its seal does not open (altered in the database, or out of memory)", what, (long long)id);
	return RH_ERR_INTERNAL;
}

/* One row sealed; *sealed 1 when this node did it. */
static enum rh_err seal_one(struct db *db, const struct seal_rows *r, int64_t id, int64_t *sealed)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	struct db_stmt *st = q_bind(db, r->data, "I", id);
	unsigned char *bytes = NULL;
	size_t len = 0;
	char *seal = NULL;
	int unreadable = 0;
	if (!st) rc = q_unprepared(db);
	else {
		enum db_step s = q_step(db, st);
		if (s == DB_ROW) {
			rc = blob_decode(q_text(db, st, 0), &bytes, &len);
			if (rc == RH_ERR_NOT_FOUND) rc = RH_OK;	/* empty: sealed empty */
			/* Not base64: left as it is (reading it fails, for that row
			 * alone) rather than stopping every node from starting. */
			if (rc == RH_ERR_INTERNAL) {
				log_warn("%s %lld: not base64, left unsealed", r->what, (long long)id);
				rc = RH_OK;
				unreadable = 1;
			}
		}
		if (s == DB_ERROR) rc = q_error(db, r->what);
		q_finish(db, st);
		if (rc == RH_OK && s == DB_ROW && !unreadable && !(seal = secret_seal(db->keys->seal, (const char *)bytes, len)))
			rc = RH_ERR_NOMEM;
	}
	if (rc == RH_OK && seal) rc = q_exec_rows(db, r->seal, sealed, "It", id, seal);
	if (bytes) sodium_memzero(bytes, len);
	free(bytes);
	free(seal);
	return tx_end(db, rc);
}

enum rh_err seal_pending(struct db *db, const struct seal_rows *r)
{
	int64_t *ids;
	size_t n;
	enum rh_err rc = q_ids(db, q_bind(db, r->unsealed, ""), r->what, &ids, &n);
	int64_t sealed = 0;
	for (size_t i = 0; i < n && rc == RH_OK; i++) {
		int64_t one = 0;
		rc = seal_one(db, r, ids[i], &one);
		sealed += one;
	}
	free(ids);
	if (sealed) log_info("sealed %lld %s (migration %s)", (long long)sealed, r->what, r->migration);
	return rc;
}
