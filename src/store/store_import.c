/*
 * store_import.c — an import as one transaction: its row in `imports`,
 * the sites its rows name, and its audit entry.
 *
 * Sites named by rows are looked up once per distinct name path and
 * remembered for the rest of the run (a million rows name a few thousand
 * units); a site created here is audited like any other.
 */
#include <stdlib.h>
#include "base/hash.h"
#include "base/log.h"
#include "core/validate.h"
#include "store/store_internal.h"

static const struct sql Q_INSERT = {
	"INSERT INTO imports (tenant_id, kind, source, sha256, encoding, actor, created_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
};
static const struct sql Q_FINISH = {
	"UPDATE imports SET rows_total = $2, inserted = $3, updated = $4, unchanged = $5, rejected = $6 WHERE id = $1"
};
static const struct sql Q_SITE_BY_NAME = {
	"SELECT id FROM sites WHERE tenant_id = $1 AND parent_id = $2 AND name = $3"
};

/* A large import first sets aside the secondary indexes of households
 * (on SQLite also the triggers of the search and digit indexes), and
 * builds them again once the rows are in: one sort instead of a million
 * scattered B-tree inserts, and one pass of each full-text index instead
 * of a million small ones. At a
 * million rows that is ~5× faster on SQLite, and on PostgreSQL 20 s to
 * build the trigram index against 50 s of keeping it row by row. "Large"
 * is next to the whole table, every tenant's rows: the rebuild sorts
 * them all, and is worth it when the import brings at least half as
 * many rows as the table has.
 *
 * It is all inside the import's transaction — both engines' DDL is
 * transactional — so a failed or killed import leaves the schema as it
 * left the rows. The definitions are read back from the schema itself
 * (the migrations stay its only source) and replayed as they were
 * written.
 *
 * On PostgreSQL a dropped index holds the table's exclusive lock until
 * the commit: every other session's read of households — any
 * organisation's list, a site page's counts — waits for the import, up
 * to its lock timeout (5 s), then fails. SQLite's readers go on reading
 * what was there before. So on PostgreSQL only the first load of an
 * installation sets indexes aside: a table with no households yet, and
 * not a dry run, which would hold the lock for nothing. The drops
 * themselves wait at most the lock timeout for readers to finish (new
 * readers queue behind them meanwhile); when they cannot have the lock,
 * the import keeps the indexes and goes the slow way (a savepoint takes
 * the drops back) and says so.
 *
 * The households' foreign key to tenants is checked row by row, 12 s of
 * a million-household first load, and yet stays: dropping it takes
 * ACCESS EXCLUSIVE on tenants as well (its triggers there go with it),
 * which every signed-in request reads. That was tried, and taken back
 * (api_master.c checks that tenants stay readable during a first load).
 * ruhu migrate, whose destination nobody serves yet, does set it aside. */
#define BULK_MIN_ROWS 50000
static const struct sql Q_SET_ASIDE = {
	"SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'households' AND name IN"
	" ('households_tenant', 'households_name', 'households_given_name', 'households_site', 'households_fts_insert',"
	" 'households_digits_insert')",
	"SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
	" AND tablename = 'households' AND indexname IN"
	" ('households_tenant', 'households_name', 'households_given_name', 'households_site', 'households_search',"
	" 'households_digits')",
};
/* The table's rows up to $1 (counting further tells nothing more), and
 * its highest id. */
static const struct sql Q_TABLE_ROWS = {
	"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM households LIMIT $1) AS t),"
	" (SELECT COALESCE(MAX(id), 0) FROM households)"
};
static const struct sql Q_FILL_SEARCH = {
	"INSERT INTO households_fts (rowid, t) SELECT id, t FROM households_search_text WHERE id > $1",
	"SELECT CAST($1 AS BIGINT) WHERE 1 = 0",
};
static const struct sql Q_FILL_DIGITS = {
	"INSERT INTO households_digits (rowid, w) SELECT id, w FROM households_digit_text WHERE id > $1",
	"SELECT CAST($1 AS BIGINT) WHERE 1 = 0",
};
static const struct sql Q_BULK_SAVEPOINT = { "SAVEPOINT import_bulk" };
static const struct sql Q_BULK_RELEASE = { "RELEASE SAVEPOINT import_bulk" };
static const struct sql Q_BULK_UNDO = { "ROLLBACK TO SAVEPOINT import_bulk" };
#define BULK_MAX 8

#define SITE_CACHE_MIN 1024	/* slots at first; a power of two, doubled as it fills */

struct cached_site {
	char *key;		/* "parent_id/name" */
	int64_t id;
	int made;		/* by this import: it has no children but those cached */
};

/* PostgreSQL (an engine with COPY): the households of an import that are
 * new go to the table through COPY, in batches of about a megabyte,
 * instead of one INSERT each (a round trip per row: a million rows took
 * minutes). A row is new when its account number is not in accounts —
 * the tenant's numbers, read when the import begins (the import holds
 * the write lock: nobody adds one meanwhile), and every row's since. A
 * row that is not new goes the ordinary way, after the batch so far is
 * sent. */
#define COPY_BATCH (1 << 20)
#define SET_MIN 1024	/* slots of the account set at first; a power of two */

struct copy_load {
	int on;
	struct buf lines;
	char **accounts;	/* open addressing; NULL is empty */
	size_t nslots, used;
};

struct store_import {
	struct db *db;
	struct actor actor;
	int64_t tenant_id;
	enum import_kind kind;
	unsigned rights;	/* enum import_right */
	int64_t scope;		/* SPEC X1: a limited account's id, or 0 */
	int64_t *grants;	/* its estates, ascending */
	size_t n_grants;
	char source[256], sha256[65], encoding[16];
	struct import_counts counts;
	struct cached_site *sites;	/* open addressing, never more than half full */
	size_t site_slots, cached;
	int row_open;			/* the current row is a savepoint (row_begin) */
	struct cached_site made[3];	/* sites the current row created (key NULL: not cacheable) */
	char made_path[3][200];		/* their paths, for the report (import_counts.new_site) */
	size_t n_made;
	int made_uncached;		/* a site this import made is not cached: look every child up */
	struct site **briefs;		/* site_get_bare()'s, by site id, open addressing (site_brief_of) */
	size_t brief_slots, briefs_used;
	char *set_aside[BULK_MAX];	/* CREATE statements to replay */
	size_t n_set_aside;
	int64_t max_id;			/* households' highest id before the import */
	struct copy_load copy;
	int writing;			/* counted in the store's imports_writing */
};

/* A long import's transaction, counted while it is open (and begun as
 * DB_WRITE_LONG, which PostgreSQL's other processes see): it holds the
 * one write lock throughout, and requests' writes wait for it only
 * briefly (db.h, DB_WAIT_BEHIND_IMPORT). Long is this many rows expected
 * or more, some 2 MB of CSV (50,000 short rows, 2.2 MB, took the CLI
 * 2.2 s here): a shorter import is waited for, as any writer. */
#define LONG_IMPORT_ROWS 30000

static enum rh_err writing_begin(struct store_import *im, long expected_rows)
{
	int long_import = expected_rows >= LONG_IMPORT_ROWS;
	enum rh_err rc = tx_begin(im->db, long_import ? DB_WRITE_LONG : 1);
	if (rc == RH_OK && im->db->imports_writing && long_import) {
		atomic_fetch_add(im->db->imports_writing, 1);
		im->writing = 1;
	}
	return rc;
}

static void writing_end(struct store_import *im)
{
	if (!im->writing) return;
	atomic_fetch_sub(im->db->imports_writing, 1);
	im->writing = 0;
}

/* *want: whether the import is large next to the table (see
 * BULK_MIN_ROWS); sets im->max_id. */
static enum rh_err bulk_wanted(struct store_import *im, long expected_rows, int dry_run, int *want)
{
	*want = 0;
	if (im->kind != IMPORT_HOUSEHOLDS || expected_rows < BULK_MIN_ROWS) return RH_OK;
	int locks = strcmp(im->db->drv->name, "postgresql") == 0;	/* readers wait for a dropped index */
	if (locks && dry_run) return RH_OK;
	int64_t most = locks ? 0 : (int64_t)expected_rows * 2;
	struct db_stmt *st = q_bind(im->db, &Q_TABLE_ROWS, "I", most + 1);
	if (!st) return q_unprepared(im->db);
	enum db_step s = q_step(im->db, st);
	if (s == DB_ROW) {
		*want = q_int(im->db, st, 0) <= most;
		im->max_id = q_int(im->db, st, 1);
	}
	q_finish(im->db, st);
	return s == DB_ROW ? RH_OK : q_error(im->db, "bulk");
}

/* Sets the indexes and trigger aside when the import is large next to
 * the table; inside the import's transaction. */
static enum rh_err bulk_begin(struct store_import *im, long expected_rows, int dry_run)
{
	int want;
	enum rh_err rc = bulk_wanted(im, expected_rows, dry_run, &want);
	if (rc != RH_OK || !want) return rc;
	struct db_stmt *st = q_bind(im->db, &Q_SET_ASIDE, "");
	if (!st) return q_unprepared(im->db);
	enum db_step s;
	char drops[BULK_MAX][96];
	while ((s = q_step(im->db, st)) == DB_ROW && im->n_set_aside < BULK_MAX) {
		char *create = strdup(q_text(im->db, st, 2));
		if (!create) break;
		snprintf(drops[im->n_set_aside], sizeof drops[0], "DROP %s %s;",
			 strcmp(q_text(im->db, st, 0), "trigger") == 0 ? "TRIGGER" : "INDEX", q_text(im->db, st, 1));
		im->set_aside[im->n_set_aside++] = create;
	}
	q_finish(im->db, st);
	if (s == DB_ERROR) return q_error(im->db, "set aside");
	if ((rc = q_exec(im->db, &Q_BULK_SAVEPOINT, "")) != RH_OK) return rc;
	/* The names come from the schema, not from any input. */
	size_t i = 0;
	while (i < im->n_set_aside && im->db->drv->exec_script(im->db, drops[i]) == 0) i++;
	if (i == im->n_set_aside) return q_exec(im->db, &Q_BULK_RELEASE, "");
	if (im->db->drv->errkind(im->db) != DB_E_BUSY) return q_error(im->db, drops[i]);
	/* Readers hold the table: keep the indexes, and so keep nothing to replay. */
	log_info("households are being read: the import keeps their indexes (a slower load)");
	rc = q_exec(im->db, &Q_BULK_UNDO, "");
	if (rc == RH_OK) rc = q_exec(im->db, &Q_BULK_RELEASE, "");
	for (i = 0; i < im->n_set_aside; i++) free(im->set_aside[i]);
	im->n_set_aside = 0;
	return rc;
}

/* Builds what bulk_begin set aside, and the search entries of the new rows. */
static enum rh_err bulk_end(struct store_import *im)
{
	if (!im->n_set_aside) return RH_OK;
	for (size_t i = 0; i < im->n_set_aside; i++)
		if (im->db->drv->exec_script(im->db, im->set_aside[i]) != 0) return q_error(im->db, "rebuild");
	enum rh_err rc = q_exec(im->db, &Q_FILL_SEARCH, "I", im->max_id);
	return rc == RH_OK ? q_exec(im->db, &Q_FILL_DIGITS, "I", im->max_id) : rc;
}

/* ---- the COPY path ---- */


/* Adds account to the set: 0, or 1 when it was there already; -1 when
 * out of memory. */
static int account_add(struct copy_load *c, const char *account)
{
	if ((c->used + 1) * 2 > c->nslots) {
		size_t n = c->nslots ? c->nslots * 2 : SET_MIN;
		char **s = calloc(n, sizeof *s);
		if (!s) return -1;
		for (size_t i = 0; i < c->nslots; i++) {
			if (!c->accounts[i]) continue;
			size_t j = str_hash(c->accounts[i]) & (n - 1);
			while (s[j]) j = (j + 1) & (n - 1);
			s[j] = c->accounts[i];
		}
		free(c->accounts);
		c->accounts = s;
		c->nslots = n;
	}
	size_t j = str_hash(account) & (c->nslots - 1);
	for (; c->accounts[j]; j = (j + 1) & (c->nslots - 1))
		if (strcmp(c->accounts[j], account) == 0) return 1;
	if (!(c->accounts[j] = strdup(account))) return -1;
	c->used++;
	return 0;
}

static int account_known(const char *account, void *arg)
{
	return account_add(arg, account) < 0;
}

/* A brief forgotten (site_briefs_of_row_forget) keeps its slot, so that the
 * entries after it stay reachable, under an id no site has. */
#define FORGOTTEN (-1)

/* The slot for site id in the briefs: where it is, or the empty one
 * where it would go, in a table with room for one more; NULL when out of
 * memory. */
static struct site **brief_slot(struct store_import *im, int64_t id)
{
	if ((im->briefs_used + 1) * 2 > im->brief_slots) {
		size_t n = im->brief_slots ? im->brief_slots * 2 : SITE_CACHE_MIN;
		struct site **s = calloc(n, sizeof *s);
		if (!s) return NULL;
		im->briefs_used = 0;
		for (size_t i = 0; i < im->brief_slots; i++) {
			if (!im->briefs[i]) continue;
			if (im->briefs[i]->id == FORGOTTEN) {
				free(im->briefs[i]);
				continue;
			}
			size_t j = (size_t)im->briefs[i]->id & (n - 1);
			while (s[j]) j = (j + 1) & (n - 1);
			s[j] = im->briefs[i];
			im->briefs_used++;
		}
		free(im->briefs);
		im->briefs = s;
		im->brief_slots = n;
	}
	size_t j = (size_t)id & (im->brief_slots - 1);
	while (im->briefs[j] && im->briefs[j]->id != id) j = (j + 1) & (im->brief_slots - 1);
	return &im->briefs[j];
}

/* Site id as site_get_bare() reads it — what a household's address is
 * made from, and what a child is made under — read once per import: a
 * million rows name some 13,000 units, and the read is a join. */
static enum rh_err site_brief_of(struct store_import *im, int64_t id, const struct site **out)
{
	struct site **slot = brief_slot(im, id);
	if (!slot) return RH_ERR_NOMEM;
	if (!*slot) {
		struct site *s = malloc(sizeof *s);
		if (!s) return RH_ERR_NOMEM;
		enum rh_err rc = site_get_bare(im->db, im->tenant_id, id, s);
		if (rc != RH_OK) {
			free(s);
			return rc;
		}
		*slot = s;
		im->briefs_used++;
	}
	*out = *slot;
	return RH_OK;
}

/* Keeps s, a site the import has just made, as site_brief_of() would
 * read it (in place of an entry of the same id: see below); one that
 * cannot be kept is read when next asked for. */
static void site_brief_keep(struct store_import *im, const struct site *s)
{
	struct site **slot = brief_slot(im, s->id);
	if (!slot) return;
	if (!*slot) {
		if (!(*slot = malloc(sizeof **slot))) return;
		im->briefs_used++;
	}
	**slot = *s;
}

/* Frees every brief. */
static void site_briefs_free(struct store_import *im)
{
	for (size_t i = 0; i < im->brief_slots; i++) free(im->briefs[i]);
	free(im->briefs);
	im->briefs = NULL;
	im->brief_slots = im->briefs_used = 0;
}

/* Forgets the briefs of the sites the current row made, when the row is
 * undone: its sites go with it, and SQLite gives the next new site the
 * same id again (its AUTOINCREMENT counter is undone too), so a brief
 * kept would be another site's. */
static void site_briefs_of_row_forget(struct store_import *im)
{
	for (size_t i = 0; i < im->n_made; i++) {
		struct site **slot = brief_slot(im, im->made[i].id);
		if (!slot) {	/* out of memory for the table: forget them all */
			site_briefs_free(im);
			return;
		}
		if (*slot) (*slot)->id = FORGOTTEN;
	}
}

/* Sends the lines gathered so far as one COPY. */
static enum rh_err copy_flush(struct store_import *im)
{
	struct copy_load *c = &im->copy;
	if (!c->lines.len) return RH_OK;
	const struct db_driver *d = im->db->drv;
	enum rh_err rc = RH_OK;
	if (d->copy_begin(im->db, household_copy_sql) != 0 || d->copy_put(im->db, c->lines.data, c->lines.len) != 0 ||
	    d->copy_end(im->db) != 0)
		rc = q_error(im->db, "COPY households");
	buf_reset(&c->lines);
	return rc;
}

static void copy_free(struct copy_load *c)
{
	for (size_t i = 0; i < c->nslots; i++) free(c->accounts[i]);
	free(c->accounts);
	buf_release(&c->lines);
}

/* Households through COPY where the engine has it. */
static enum rh_err copy_begin(struct store_import *im)
{
	if (im->kind != IMPORT_HOUSEHOLDS || !im->db->drv->copy_begin) return RH_OK;
	buf_init(&im->copy.lines, SIZE_MAX);
	im->copy.on = 1;
	return household_accounts(im->db, im->tenant_id, account_known, &im->copy);
}

/* One household by COPY when it is new: *done says whether it went. */
static enum rh_err copy_household(struct store_import *im, struct household *h, const struct site *site,
				  unsigned masked, int *done)
{
	*done = 0;
	if (!im->copy.on) return RH_OK;
	/* Masked cells keep what is stored, and a row from an export must
	 * find its record: the ordinary way, which must see the rows so far. */
	if (masked || h->version > 0) return copy_flush(im);
	int had = account_add(&im->copy, h->account_no);
	if (had < 0) return RH_ERR_NOMEM;
	if (had) return copy_flush(im);	/* an update: the batch first, then the ordinary way */
	enum rh_err rc = household_copy_line(im->db, h, site, &im->copy.lines);
	if (rc == RH_OK && im->copy.lines.len >= COPY_BATCH) rc = copy_flush(im);
	*done = rc == RH_OK;
	return rc;
}

/* ---- a limited account's rows (SPEC X1) ---- */

static enum rh_err grants_load(struct store_import *im)
{
	if (!im->scope) return RH_OK;
	im->grants = malloc(USER_SITES_MAX * sizeof *im->grants);
	if (!im->grants) return RH_ERR_NOMEM;
	return store_user_sites(im->db, im->tenant_id, im->scope, im->grants, USER_SITES_MAX, &im->n_grants);
}

static int granted(const struct store_import *im, int64_t estate_id)
{
	for (size_t i = 0; i < im->n_grants; i++)	/* USER_SITES_MAX at most, asked once or twice a row */
		if (im->grants[i] == estate_id) return 1;
	return 0;
}

static enum rh_err out_of_scope(struct rh_fail *fail, const char *field, const char *zh, const char *en)
{
	rh_fail_field(fail, RH_ERR_FORBIDDEN, field);
	if (fail) {
		fail->detail_zh = zh;
		fail->detail_en = en;
	}
	return RH_ERR_FORBIDDEN;
}

/* The estate an account number is filed under now: 0 for none, or for
 * an account not there. */
static const struct sql Q_ACCOUNT_ESTATE = {
	"SELECT COALESCE(s.estate_id, 0) FROM households h LEFT JOIN sites s ON s.id = h.site_id"
	" WHERE h.tenant_id = $1 AND h.account_no = $2"
};

/* A row naming an estate a limited account does not see: one of another
 * estate's, or one that is not there at all, which it could not create.
 * The same answer for both, or the import would tell it which estates
 * exist outside its own. */
static enum rh_err estate_outside(struct rh_fail *fail)
{
	return out_of_scope(fail, "estate", "该小区不在您的账号可查看的范围内：请改正名称，或请可查看全部小区的账号先建好",
			    "this estate is not one your account sees: correct the name, or ask an account that sees"
			    " every site to create it");
}

/* A limited account's row: its estate one of theirs, and its account
 * number, when already filed, filed there too. */
static enum rh_err row_in_scope(struct store_import *im, const char *estate, const char *account_no,
				struct rh_fail *fail)
{
	if (!im->scope) return RH_OK;
	if (!estate[0])
		return out_of_scope(fail, "estate", "您的账号只能查看部分小区：每行须填写其中一个小区",
				    "your account sees only some sites: every row names one of their estates");
	struct db_stmt *st = q_bind(im->db, &Q_ACCOUNT_ESTATE, "It", im->tenant_id, account_no);
	if (!st) return q_unprepared(im->db);
	enum db_step s = q_step(im->db, st);
	int64_t was = s == DB_ROW ? q_int(im->db, st, 0) : -1;
	q_finish(im->db, st);
	if (s == DB_ERROR) return q_error(im->db, "account lookup");
	if (was >= 0 && !granted(im, was))
		return out_of_scope(fail, "account_no", "该户号已登记在您无权查看的小区，不能由您修改",
				    "this account is filed under a site your account does not see, and is not yours to change");
	return RH_OK;
}

enum rh_err store_import_begin(struct db *db, const struct actor *a, int64_t tenant_id, enum import_kind kind,
			       unsigned rights, int64_t scope, const char *source, const char *sha256, const char *encoding,
			       long expected_rows, int dry_run, struct store_import **out)
{
	struct store_import *im = calloc(1, sizeof *im);
	if (!im) return RH_ERR_NOMEM;
	im->db = db;
	im->actor = *a;
	im->tenant_id = tenant_id;
	im->kind = kind;
	im->rights = rights;
	im->scope = scope;
	utf8_cut(source, im->source, sizeof im->source);
	snprintf(im->sha256, sizeof im->sha256, "%s", sha256);
	snprintf(im->encoding, sizeof im->encoding, "%s", encoding);
	db->drv->bulk(db, 1);
	enum rh_err rc = writing_begin(im, expected_rows);
	if (rc != RH_OK) {
		db->drv->bulk(db, 0);
		free(im);
		return rc;
	}
	struct db_stmt *st = q_bind(db, &Q_INSERT, "ItttttI", tenant_id,
				    kind == IMPORT_HOUSEHOLDS ? "households" : "staff", im->source, im->sha256,
				    im->encoding, a->name, store_now());
	enum db_step s = st ? q_step(db, st) : DB_ERROR;
	if (s == DB_ROW) im->counts.id = q_int(db, st, 0);
	if (st) q_finish(db, st);
	rc = s == DB_ROW ? bulk_begin(im, expected_rows, dry_run) : st ? q_error(db, "import") : q_unprepared(db);
	if (rc == RH_OK) rc = copy_begin(im);
	if (rc == RH_OK) rc = grants_load(im);
	if (rc != RH_OK) {
		tx_rollback(db);
		writing_end(im);
		db->drv->bulk(db, 0);
		for (size_t i = 0; i < im->n_set_aside; i++) free(im->set_aside[i]);
		copy_free(&im->copy);
		free(im->grants);
		free(im);
		return rc;
	}
	*out = im;
	return RH_OK;
}

/* The slot for key: where it is, or the empty one where it would go,
 * in a table that has room for one more (it grows as it fills: a million
 * rows name some 13,000 sites, each looked up once). NULL when out of
 * memory (the lookup then goes to the database). */
static struct cached_site *slot(struct store_import *im, const char *key)
{
	if ((im->cached + 1) * 2 > im->site_slots) {
		size_t n = im->site_slots ? im->site_slots * 2 : SITE_CACHE_MIN;
		struct cached_site *s = calloc(n, sizeof *s);
		if (!s) return NULL;
		for (size_t i = 0; i < im->site_slots; i++) {
			if (!im->sites[i].key) continue;
			size_t j = str_hash(im->sites[i].key) & (n - 1);
			while (s[j].key) j = (j + 1) & (n - 1);
			s[j] = im->sites[i];
		}
		free(im->sites);
		im->sites = s;
		im->site_slots = n;
	}
	size_t j = str_hash(key) & (im->site_slots - 1);
	while (im->sites[j].key && strcmp(im->sites[j].key, key) != 0) j = (j + 1) & (im->site_slots - 1);
	return &im->sites[j];
}

/* A row that fails (a duplicate badge number, say) is reported and the
 * import goes on with the next (mode good), leaving nothing of itself.
 * SQLite undoes only the failed statement; PostgreSQL aborts the whole
 * transaction, so there each row that goes the ordinary way is a
 * savepoint of its own. On either, a row that creates a site becomes one
 * before it does: a row refused after its estate was made (a masked phone
 * for a new account, a record changed since the export) takes the estate
 * back with it. */
static const struct sql Q_SAVEPOINT = { "SAVEPOINT import_row" };
static const struct sql Q_RELEASE = { "RELEASE SAVEPOINT import_row" };
static const struct sql Q_UNDO_ROW = { "ROLLBACK TO SAVEPOINT import_row" };

static int row_savepoints(const struct store_import *im) { return im->db->drv->copy_begin != NULL; }

/* Makes the current row a savepoint, unless it is one already. The
 * earlier rows' COPY batch goes first: sent inside the savepoint, it
 * would be undone with this row if this row were refused. */
static enum rh_err row_begin(struct store_import *im)
{
	if (im->row_open) return RH_OK;
	enum rh_err rc = copy_flush(im);
	if (rc == RH_OK) rc = q_exec(im->db, &Q_SAVEPOINT, "");
	im->row_open = rc == RH_OK;
	return rc;
}

/* rc, after the row: its savepoint released or gone back to, and the
 * sites it created cached if it stands, forgotten if not. */
static enum rh_err row_end(struct store_import *im, enum rh_err rc)
{
	enum rh_err r2 = RH_OK;
	if (im->row_open) {
		r2 = rc == RH_OK ? RH_OK : q_exec(im->db, &Q_UNDO_ROW, "");
		if (r2 == RH_OK) r2 = q_exec(im->db, &Q_RELEASE, "");	/* undone or kept, the savepoint ends */
		if (rc != RH_OK) site_briefs_of_row_forget(im);
		im->row_open = 0;
	}
	for (size_t i = 0; i < im->n_made; i++) {
		int stands = rc == RH_OK && r2 == RH_OK;
		if (stands && im->counts.new_sites < IMPORT_NEW_SITES_SHOWN)
			memcpy(im->counts.new_site[im->counts.new_sites], im->made_path[i], sizeof im->made_path[i]);
		im->counts.new_sites += stands;
		struct cached_site *c = stands && im->made[i].key ? slot(im, im->made[i].key) : NULL;
		if (c && !c->key) {
			*c = im->made[i];
			im->cached++;
		} else {
			im->made_uncached |= stands;
			free(im->made[i].key);
		}
	}
	im->n_made = 0;
	return rc != RH_OK ? rc : r2;
}

/* The child of parent named name, found or created; *made whether this
 * import made it. The children of a site this import made are all in
 * the cache (unless one could not be kept: made_uncached), so one that
 * is not is new, without asking the database — a first load makes some
 * 13,000 sites, each a round trip fewer on PostgreSQL. */
static enum rh_err child(struct store_import *im, int64_t parent, int parent_made, enum site_kind kind,
			 const char *name, int64_t *id, int *made, struct rh_fail *fail)
{
	char key[sizeof ((struct site *)0)->name + 24];
	snprintf(key, sizeof key, "%lld/%s", (long long)parent, name);
	struct cached_site *c = slot(im, key);
	*made = 0;
	if (c && c->key) {
		*id = c->id;
		*made = c->made;
		return RH_OK;
	}
	enum db_step s = DB_DONE;
	*id = 0;
	if (!parent_made || im->made_uncached) {
		struct db_stmt *st = q_bind(im->db, &Q_SITE_BY_NAME, "IIt", im->tenant_id, parent, name);
		if (!st) return q_unprepared(im->db);
		s = q_step(im->db, st);
		*id = s == DB_ROW ? q_int(im->db, st, 0) : 0;
		q_finish(im->db, st);
	}
	if (s == DB_ERROR) return q_error(im->db, "site lookup");
	/* an estate it would not see (SPEC X1), answered as one outside it:
	 * before the role's refusal, which would tell the two apart */
	if (s == DB_DONE && kind == SITE_ESTATE && im->scope) return estate_outside(fail);
	if (s == DB_DONE && !(im->rights & IMPORT_NEW_SITES))
		return rh_fail_field(fail, RH_ERR_FORBIDDEN, kind == SITE_ESTATE ? "estate" : kind == SITE_BUILDING ? "building" : "unit");
	if (s == DB_DONE) {
		enum rh_err rc = row_begin(im);	/* the row may yet be refused: the site goes with it */
		if (rc != RH_OK) return rc;
		const struct site *above = NULL;
		if (parent && (rc = site_brief_of(im, parent, &above)) != RH_OK) return rc;
		struct site *site = calloc(1, sizeof *site);
		if (!site) return RH_ERR_NOMEM;
		site->tenant_id = im->tenant_id;
		site->parent_id = parent;
		site->kind = kind;
		snprintf(site->name, sizeof site->name, "%s", name);
		rc = site_create_in_tx(im->db, &im->actor, site, above, fail);
		*id = site->id;
		if (rc == RH_OK) site_brief_keep(im, site);
		/* for the report, which shows the first few (a first load makes thousands) */
		if (rc == RH_OK && im->n_made < sizeof im->made / sizeof im->made[0] &&
		    im->counts.new_sites + (long)im->n_made < IMPORT_NEW_SITES_SHOWN)
			utf8_cut(site->path, im->made_path[im->n_made], sizeof im->made_path[0]);
		free(site);
		if (rc != RH_OK) return rc;
		/* cached when the row stands (row_end): a row undone takes it back */
		*made = 1;
		if (im->n_made < sizeof im->made / sizeof im->made[0])	/* a row makes three at most */
			im->made[im->n_made++] = (struct cached_site){ strdup(key), *id, 1 };
		else
			im->made_uncached = 1;
		return RH_OK;
	}
	if (c && (c->key = strdup(key)) != NULL) {
		c->id = *id;
		c->made = 0;
		im->cached++;
	}
	return RH_OK;
}

/* The estate → building → unit named (trailing ones may be ""), found or
 * created (child); *site_id 0 when estate is "". */
static enum rh_err row_site(struct store_import *im, const char *estate, const char *building, const char *unit,
			    int64_t *site_id, struct rh_fail *fail)
{
	*site_id = 0;
	if (!estate[0]) {
		if (building[0] || unit[0]) return rh_fail_field(fail, RH_ERR_FIELD_REQUIRED, "estate");
		return RH_OK;
	}
	if (!building[0] && unit[0]) return rh_fail_field(fail, RH_ERR_FIELD_REQUIRED, "building");
	int made;
	enum rh_err rc = child(im, 0, 0, SITE_ESTATE, estate, site_id, &made, fail);
	if (rc == RH_OK && im->scope && !granted(im, *site_id)) return estate_outside(fail);
	if (rc == RH_OK && building[0]) rc = child(im, *site_id, made, SITE_BUILDING, building, site_id, &made, fail);
	if (rc == RH_OK && unit[0]) rc = child(im, *site_id, made, SITE_UNIT, unit, site_id, &made, fail);
	return rc;
}

static void count(struct store_import *im, enum import_outcome o)
{
	im->counts.rows++;
	if (o == IMPORT_INSERTED) im->counts.inserted++;
	else if (o == IMPORT_UPDATED) im->counts.updated++;
	else im->counts.unchanged++;
}

enum rh_err store_import_household(struct store_import *im, const char *estate, const char *building,
				   const char *unit, struct household *h, unsigned keep, unsigned masked,
				   const char *masked_field, household_merge_fn merge, enum import_outcome *outcome,
				   struct rh_fail *fail)
{
	h->tenant_id = im->tenant_id;
	h->import_id = im->counts.id;
	int done = 0;
	const struct site *site = NULL;
	enum rh_err rc = row_in_scope(im, estate, h->account_no, fail);
	if (rc == RH_OK) rc = row_site(im, estate, building, unit, &h->site_id, fail);
	if (rc == RH_OK && h->site_id) rc = site_brief_of(im, h->site_id, &site);
	if (rc == RH_OK) rc = copy_household(im, h, site, masked, &done);
	if (rc == RH_ERR_NOT_FOUND) rc = rh_fail_field(fail, RH_ERR_FIELD_INVALID, "site_id");
	if (rc == RH_OK && done) {
		*outcome = IMPORT_INSERTED;
	} else if (rc == RH_OK && (!row_savepoints(im) || (rc = row_begin(im)) == RH_OK)) {
		rc = import_household_row(im->db, &im->actor, im->counts.id, h, site, keep, masked, masked_field, merge,
					  !(im->rights & IMPORT_SEES_ID), outcome, fail);
	}
	rc = row_end(im, rc);
	if (rc == RH_OK) count(im, *outcome);
	return rc;
}

enum rh_err store_import_staff(struct store_import *im, struct staff *s, unsigned keep, unsigned masked,
			       const char *masked_field, staff_merge_fn merge, enum import_outcome *outcome,
			       struct rh_fail *fail)
{
	s->tenant_id = im->tenant_id;
	enum rh_err rc = row_savepoints(im) ? row_begin(im) : RH_OK;
	if (rc == RH_OK)
		rc = import_staff_row(im->db, &im->actor, im->counts.id, s, keep, masked, masked_field, merge,
				      !(im->rights & IMPORT_SEES_ID), outcome, fail);
	rc = row_end(im, rc);
	if (rc == RH_OK) count(im, *outcome);
	return rc;
}

void store_import_reject(struct store_import *im)
{
	im->counts.rows++;
	im->counts.rejected++;
}

/* The import's audit entry: "import" for one written (its row in
 * imports is entity_id), "import_check" for a dry run, "import_refused"
 * for one that bad rows stopped (both rolled back: entity_id 0). */
static enum rh_err audit_import(struct store_import *im, const char *action, int64_t id)
{
	const struct import_counts *c = &im->counts;
	json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "kind",
				  im->kind == IMPORT_HOUSEHOLDS ? "households" : "staff", "source", im->source,
				  "sha256", im->sha256, "encoding", im->encoding, "rows", (json_int_t)c->rows,
				  "inserted", (json_int_t)c->inserted, "updated", (json_int_t)c->updated,
				  "unchanged", (json_int_t)c->unchanged, "rejected", (json_int_t)c->rejected);
	if (!after) return RH_ERR_NOMEM;	/* never an import without its record */
	return audit_change(im->db, &im->actor, im->tenant_id, action, "import", id, NULL, after);
}

static enum rh_err record(struct store_import *im)
{
	const struct import_counts *c = &im->counts;
	enum rh_err rc = q_exec(im->db, &Q_FINISH, "IIIIII", c->id, (int64_t)c->rows, (int64_t)c->inserted,
				(int64_t)c->updated, (int64_t)c->unchanged, (int64_t)c->rejected);
	return rc == RH_OK ? audit_import(im, "import", c->id) : rc;
}

enum rh_err store_import_end(struct store_import *im, enum import_end how, struct import_counts *counts)
{
	enum rh_err rc = RH_OK;
	if (how == IMPORT_COMMIT) {
		rc = im->copy.on ? copy_flush(im) : RH_OK;
		if (rc == RH_OK) rc = bulk_end(im);
		rc = tx_end(im->db, rc == RH_OK ? record(im) : rc);
	} else {
		/* A dry run sends what the import would, the last batch too:
		 * what PostgreSQL refuses there, it refuses here — and fails as
		 * the import would, unaudited like it (SQLite's dry run meets
		 * the refusal at the row, and is abandoned). */
		if (how == IMPORT_CHECKED && im->copy.on) rc = copy_flush(im);
		tx_rollback(im->db);
	}
	writing_end(im);
	im->db->drv->bulk(im->db, 0);
	if (rc == RH_OK && (how == IMPORT_CHECKED || how == IMPORT_REFUSED)) {	/* after the rollback, on its own */
		rc = tx_begin(im->db, 1);
		if (rc == RH_OK)
			rc = tx_end(im->db, audit_import(im, how == IMPORT_CHECKED ? "import_check" : "import_refused", 0));
	}
	if (counts) *counts = im->counts;
	for (size_t i = 0; i < im->site_slots; i++) free(im->sites[i].key);
	free(im->sites);
	for (size_t i = 0; i < im->n_set_aside; i++) free(im->set_aside[i]);
	site_briefs_free(im);
	copy_free(&im->copy);
	free(im->grants);
	free(im);
	return rc;
}
