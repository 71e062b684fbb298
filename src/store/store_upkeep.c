/*
 * store_upkeep.c — index upkeep that cannot wait for the database's own
 * vacuum (see store_upkeep() in store.h).
 *
 * PostgreSQL's GIN indexes (the households' trigram search, pg_trgm)
 * take new entries into a pending list that is merged into the index
 * only when it reaches gin_pending_list_limit (4 MB) or when (auto)vacuum
 * or autoanalyze runs — which, on a table of a million rows, waits for
 * 100,000 changed rows. Until then every search reads the whole list:
 * measured at a million households, a list of 472 pages (3,774 writes)
 * cost each search 2–4 ms and the search load 30% of its requests per
 * second. Merging it every minute keeps it to a minute of writes. The
 * merge takes no table lock that reads or writes wait for.
 */
#include "store/store_internal.h"

/* Every GIN index of ruhu's schema whose owner's privileges this role has
 * (gin_clean_pending_list refuses other indexes; a deployment may own
 * its tables as another role). Not on a standby, which refuses it.
 *
 * An index locked by someone else — an import rebuilding it, a
 * migration — is not waited for the session's 5 s: the lock timeout is
 * 100 ms for this statement's own transaction, set by the CTE, which is
 * evaluated before any row reaches the sum (a join yields no row before
 * each of its sides has given one). It writes though it is a SELECT; run
 * twice after a lost session it merges nothing the second time. */
static const struct sql Q_MERGE_PENDING = {
	"SELECT 0",	/* SQLite: FTS5 merges its segments as it writes */
	"WITH t AS MATERIALIZED (SELECT set_config('lock_timeout', '100ms', true))"
	" SELECT COALESCE(sum(gin_clean_pending_list(c.oid)), 0) FROM t, pg_class c"
	" JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam"
	" WHERE a.amname = 'gin' AND c.relkind = 'i' AND n.nspname = current_schema()"
	" AND pg_has_role(c.relowner, 'USAGE') AND NOT pg_is_in_recovery()",
};

enum rh_err store_upkeep(struct db *db, int64_t *pages)
{
	*pages = 0;
	struct db_stmt *st = q_bind(db, &Q_MERGE_PENDING, "");
	if (!st) return q_unprepared(db);
	enum rh_err rc = RH_OK;
	if (q_step(db, st) == DB_ROW) *pages = q_int(db, st, 0);
	else if (db->drv->errkind(db) == DB_E_BUSY) rc = RH_ERR_BUSY;	/* locked: next time; not worth a warning */
	else rc = q_error(db, "index upkeep");
	q_finish(db, st);
	return rc;
}
