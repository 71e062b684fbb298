/*
 * store_audit.c — the append-only audit trail (SPEC X3): appending a
 * link to a tenant's chain, listing entries, and verifying chains.
 *
 * An append reads the tenant's last entry and inserts seq+1 inside the
 * caller's write transaction. On SQLite writers are serialised, so this
 * cannot race. Where two appenders can run at once (PostgreSQL), they
 * collide on the primary key (tenant_id, seq): the loser's whole
 * transaction fails with RH_ERR_BUSY (503) and nothing of it is written —
 * the chain can never fork; the client may send the request again.
 */
#include <stdlib.h>
#include "base/log.h"
#include "store/store_internal.h"

#define AUDIT_COLS "tenant_id, seq, at, actor_id, actor, ip, action, entity, entity_id," \
	" before_json, after_json, reason, prev_hash, hash"

static const struct sql Q_HEAD = {
	"SELECT seq, hash FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1"
};
static const struct sql Q_INSERT = {
	"INSERT INTO audit_log (" AUDIT_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	" $11, $12, $13, $14)"
};

enum rh_err audit_append(struct db *db, const struct actor *a, int64_t tenant_id, const char *action,
			 const char *entity, int64_t entity_id, json_t *before, json_t *after)
{
	if (!audit_code_known(audit_action_codes, action) || !audit_code_known(audit_entity_codes, entity)) {
		log_error("audit: %s of %s is not in core/audit.c's lists", action ? action : "?", entity ? entity : "?");
		return RH_ERR_INTERNAL;	/* a trail entry nobody could filter by */
	}
	struct audit_entry e = {
		.tenant_id = tenant_id, .at = store_now(), .actor_id = a->user_id,
		.actor = a->name ? a->name : "system", .ip = a->ip, .action = action, .entity = entity,
		.entity_id = entity_id, .reason = a->reason,
	};
	struct db_stmt *st = q_bind(db, &Q_HEAD, "I", tenant_id);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) {
		e.seq = q_int(db, st, 0) + 1;
		q_copy(db, st, 1, e.prev_hash, sizeof e.prev_hash);
	} else if (s == DB_DONE) {
		e.seq = 1;
		memcpy(e.prev_hash, AUDIT_GENESIS, sizeof e.prev_hash);
	}
	q_finish(db, st);
	if (s == DB_ERROR) return q_error(db, "audit head");

	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *af = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if ((before && !b) || (after && !af)) {
		free(b);
		free(af);
		return RH_ERR_NOMEM;
	}
	e.before = b;
	e.after = af;
	audit_compute_hash(&e, db->keys->audit, e.hash);
	enum rh_err rc = q_exec(db, &Q_INSERT, "IIIIttttIttttt", e.tenant_id, e.seq, e.at, e.actor_id,
				e.actor, e.ip, e.action, e.entity, e.entity_id, e.before, e.after, e.reason,
				e.prev_hash, e.hash);
	free(b);
	free(af);
	return rc == RH_ERR_DUPLICATE ? RH_ERR_BUSY : rc;	/* lost a race for seq: see the top */
}

enum rh_err store_audit_view(struct db *db, const struct actor *a, int64_t tenant_id, const char *entity,
			     int64_t entity_id, const char *fields)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = audit_change(db, a, tenant_id, "view_personal", entity, entity_id, NULL,
			  json_pack("{s:s}", "fields", fields));
	return tx_end(db, rc);
}

enum rh_err store_audit_export(struct db *db, const struct actor *a, int64_t tenant_id, const char *entity,
			       json_t *details)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) {
		json_decref(details);
		return rc;
	}
	return tx_end(db, audit_change(db, a, tenant_id, "export", entity, 0, NULL, details));
}

/* Reads a row in AUDIT_COLS order. Text points into the statement. */
static void read_entry(struct db *db, struct db_stmt *st, struct audit_entry *e)
{
	memset(e, 0, sizeof *e);
	e->tenant_id = q_int(db, st, 0);
	e->seq = q_int(db, st, 1);
	e->at = q_int(db, st, 2);
	e->actor_id = q_int(db, st, 3);
	e->actor = q_text(db, st, 4);
	e->ip = db->drv->is_null(st, 5) ? NULL : q_text(db, st, 5);
	e->action = q_text(db, st, 6);
	e->entity = q_text(db, st, 7);
	e->entity_id = q_int(db, st, 8);
	e->before = db->drv->is_null(st, 9) ? NULL : q_text(db, st, 9);
	e->after = db->drv->is_null(st, 10) ? NULL : q_text(db, st, 10);
	e->reason = db->drv->is_null(st, 11) ? NULL : q_text(db, st, 11);
	q_copy(db, st, 12, e->prev_hash, sizeof e->prev_hash);
	q_copy(db, st, 13, e->hash, sizeof e->hash);
}

/* $8: a limited reader (SPEC X1), whose entries about a household, a
 * visit or a site are only those of its estates; 0 for everything. A
 * household's entry goes by the site it names, before or after (a move
 * between estates is in both estates' trails, and a household's past in
 * one estate stays that estate's), or, naming none (a view of personal
 * data), by where the household is; a visit by where its household is.
 * An entry about no one record (an export: its filter) is its actor's.
 * J(column) reads the entry's site_id, in each engine's JSON. */
#define IN_SCOPE_SITES " IN (" SCOPE_SITE_IDS("$8") ")"
#define AUDIT_IN_SCOPE(J) " AND ($8 = 0 OR entity NOT IN ('household', 'assignment', 'site')" \
	" OR entity_id = 0 AND actor_id = $8" \
	" OR entity = 'site' AND entity_id" IN_SCOPE_SITES \
	" OR entity = 'household' AND entity_id <> 0 AND (" J("after_json") IN_SCOPE_SITES " OR " J("before_json") IN_SCOPE_SITES \
	" OR " J("after_json") " IS NULL AND " J("before_json") " IS NULL AND entity_id IN (SELECT sh.id FROM households sh" \
	" WHERE sh.tenant_id = $1 AND sh.site_id" IN_SCOPE_SITES "))" \
	" OR entity = 'assignment' AND entity_id IN (SELECT sa.id FROM assignments sa JOIN households sh" \
	" ON sh.id = sa.household_id WHERE sa.tenant_id = $1 AND sh.site_id" IN_SCOPE_SITES "))"
#define J_SQLITE(col) "json_extract(" col ", '$.site_id')"
#define J_PG(col) "((" col ")::jsonb ->> 'site_id')::bigint"
#define AUDIT_FILTER " WHERE tenant_id = $1 AND ($2 IS NULL OR entity = $2)" \
	" AND ($3 = 0 OR entity_id = $3) AND ($4 IS NULL OR actor = $4)" \
	" AND ($5 IS NULL OR action = $5) AND ($6 = 0 OR at >= $6) AND ($7 = 0 OR at < $7)"

static const struct sql Q_LIST = {
	"SELECT " AUDIT_COLS " FROM audit_log" AUDIT_FILTER AUDIT_IN_SCOPE(J_SQLITE) " ORDER BY seq DESC LIMIT $9 OFFSET $10",
	"SELECT " AUDIT_COLS " FROM audit_log" AUDIT_FILTER AUDIT_IN_SCOPE(J_PG) " ORDER BY seq DESC LIMIT $9 OFFSET $10",
};
static const struct sql Q_COUNT = {
	"SELECT COUNT(*) FROM audit_log" AUDIT_FILTER AUDIT_IN_SCOPE(J_SQLITE),
	"SELECT COUNT(*) FROM audit_log" AUDIT_FILTER AUDIT_IN_SCOPE(J_PG),
};

enum rh_err store_audit_list(struct db *db, int64_t tenant_id, const struct audit_filter *f,
			     int (*fn)(const struct audit_entry *, void *), void *arg, int64_t *total)
{
	struct db_stmt *st = q_bind(db, &Q_COUNT, "ItIttIII", tenant_id, f->entity, f->entity_id,
				    f->actor, f->action, f->from, f->to, f->scope);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) *total = q_int(db, st, 0);
	q_finish(db, st);
	if (s != DB_ROW) return q_error(db, "audit count");

	st = q_bind(db, &Q_LIST, "ItIttIIIii", tenant_id, f->entity, f->entity_id, f->actor, f->action,
		    f->from, f->to, f->scope, f->limit, f->offset);
	if (!st) return q_unprepared(db);
	struct audit_entry e;
	while ((s = q_step(db, st)) == DB_ROW) {
		read_entry(db, st, &e);
		if (fn(&e, arg)) break;
	}
	q_finish(db, st);
	return s == DB_ERROR ? q_error(db, "audit list") : RH_OK;
}

/* A chain is read a page at a time, each page the entries after the
 * last one checked, in the one read transaction of store_audit_verify:
 * PostgreSQL's driver holds a statement's whole answer in memory, and a
 * trail of a million entries read in one statement took a gigabyte of
 * it. A page of entries with a household's before and after is a few
 * megabytes, on either engine, however long the trail. */
#define AUDIT_VERIFY_PAGE 1000
static int verify_page = AUDIT_VERIFY_PAGE;

void store_audit_verify_page(int entries)
{
	verify_page = entries > 0 ? entries : AUDIT_VERIFY_PAGE;
}

static const struct sql Q_CHAIN = {
	"SELECT " AUDIT_COLS " FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
};
static const struct sql Q_TENANT_IDS = { "SELECT id FROM tenants ORDER BY id" };

/* Checks entry e against the chain so far in c: 0 when it holds, else
 * the reason in c (broken_seq set). */
static int link_broken(struct db *db, const struct audit_entry *e, struct audit_check *c)
{
	char want[AUDIT_HASH_LEN + 1];
	int64_t expect = c->entries + 1;
	if (e->seq != expect) {
		c->broken_seq = expect;
		snprintf(c->reason, sizeof c->reason, "entry %lld is missing (next found: %lld)",
			 (long long)expect, (long long)e->seq);
	} else if (strcmp(e->prev_hash, c->head_hash) != 0) {
		c->broken_seq = e->seq;
		snprintf(c->reason, sizeof c->reason, "entry %lld does not link to entry %lld",
			 (long long)e->seq, (long long)e->seq - 1);
	} else {
		audit_compute_hash(e, db->keys->audit, want);
		if (strcmp(want, e->hash) != 0) {
			c->broken_seq = e->seq;
			snprintf(c->reason, sizeof c->reason,
				 "entry %lld was altered: its content does not match its hash "
				 "(or the key is not this installation's)", (long long)e->seq);
		}
	}
	return c->broken_seq != 0;
}

/* One page of the chain, from the entry after the last one checked (its
 * seq is c->entries: every entry checked so far was where it belonged);
 * how many entries it held into *rows. */
static enum rh_err verify_page_of(struct db *db, struct audit_check *c, int *rows)
{
	*rows = 0;
	struct db_stmt *st = q_bind(db, &Q_CHAIN, "IIi", c->tenant_id, c->entries, verify_page);
	if (!st) return q_unprepared(db);
	struct audit_entry e;
	enum db_step s;
	while ((s = q_step(db, st)) == DB_ROW) {
		(*rows)++;
		read_entry(db, st, &e);
		if (link_broken(db, &e, c)) break;
		c->entries++;
		memcpy(c->head_hash, e.hash, sizeof c->head_hash);
	}
	q_finish(db, st);
	return s == DB_ERROR ? q_error(db, "audit verify") : RH_OK;
}

static enum rh_err verify_one(struct db *db, int64_t tenant_id, struct audit_check *c)
{
	memset(c, 0, sizeof *c);
	c->tenant_id = tenant_id;
	memcpy(c->head_hash, AUDIT_GENESIS, sizeof c->head_hash);
	enum rh_err rc;
	int rows;
	do rc = verify_page_of(db, c, &rows);
	while (rc == RH_OK && !c->broken_seq && rows == verify_page);
	if (rc != RH_OK) return rc;
	/* An organisation's creation is its first entry (store_tenant_create),
	 * so a trail with none was emptied — by hand, past the append-only
	 * triggers. The system organisation (0) was made by a migration. */
	if (!c->broken_seq && c->entries == 0 && tenant_id != 0) {
		c->broken_seq = 1;
		snprintf(c->reason, sizeof c->reason,
			 "the trail is empty: the organisation's creation, at least, should be in it (entries removed)");
	}
	return RH_OK;
}

enum rh_err store_audit_verify(struct db *db, int64_t tenant_id,
			       int (*fn)(const struct audit_check *, void *), void *arg)
{
	enum rh_err rc = tx_begin(db, 0);	/* one consistent snapshot */
	if (rc != RH_OK) return rc;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	if (tenant_id >= 0) {
		ids = malloc(sizeof *ids);
		if (ids) ids[n++] = tenant_id;
	} else {
		struct db_stmt *st = q_bind(db, &Q_TENANT_IDS, "");
		enum db_step s = DB_ERROR;
		while (st && (s = q_step(db, st)) == DB_ROW) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				int64_t *p = realloc(ids, cap * sizeof *p);
				if (!p) break;
				ids = p;
			}
			ids[n++] = q_int(db, st, 0);
		}
		if (st) q_finish(db, st);
		if (s == DB_ERROR) rc = q_error(db, "tenant ids");
	}
	if (!ids && rc == RH_OK) rc = RH_ERR_NOMEM;
	for (size_t i = 0; i < n && rc == RH_OK; i++) {
		struct audit_check c;
		rc = verify_one(db, ids[i], &c);
		if (rc == RH_OK && fn(&c, arg)) break;
	}
	free(ids);
	tx_rollback(db);
	return rc;
}

static int keep(const struct audit_check *c, void *arg)
{
	*(struct audit_check *)arg = *c;
	return 0;
}

enum rh_err store_audit_verify_one(struct db *db, int64_t tenant_id, struct audit_check *out)
{
	memset(out, 0, sizeof *out);
	return store_audit_verify(db, tenant_id, keep, out);
}
