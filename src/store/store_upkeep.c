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
 * merge takes no table lock: reads and writes go on meanwhile.
 */
#include "store/store_internal.h"

/* Every GIN index of ruhu's schema that this role may maintain (owner or
 * member of the owner role: gin_clean_pending_list refuses others, and
 * a deployment may own its tables as another role). */
static const struct sql Q_MERGE_PENDING = {
	"SELECT 0",	/* SQLite: FTS5 merges its segments as it writes */
	"SELECT COALESCE(sum(gin_clean_pending_list(c.oid)), 0) FROM pg_class c JOIN pg_am a ON a.oid = c.relam"
	" WHERE a.amname = 'gin' AND c.relkind = 'i' AND c.relnamespace = to_regnamespace(current_schema())"
	" AND pg_has_role(c.relowner, 'USAGE')",
};

enum rh_err store_upkeep(struct db *db, int64_t *pages)
{
	*pages = 0;
	struct db_stmt *st = q_bind(db, &Q_MERGE_PENDING, "");
	if (!st) return RH_ERR_STORE;
	enum rh_err rc = q_step(db, st) == DB_ROW ? RH_OK : q_error(db, "search index upkeep");
	if (rc == RH_OK) *pages = q_int(db, st, 0);
	q_finish(db, st);
	return rc;
}
