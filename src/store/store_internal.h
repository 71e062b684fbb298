/*
 * store_internal.h — helpers shared by the store's own files (store_*.c);
 * nothing outside src/store/ includes this.
 *
 * q_bind() prepares a fixed statement and binds its parameters from a
 * type string, one letter per parameter $1, $2 …:
 *   'I' int64_t   'i' int   't' const char * (NULL binds SQL NULL)
 * Keeping the C type in the letter (not guessing from the value) is what
 * makes the varargs safe: pass exactly the type the letter names.
 */
#ifndef RUHU_STORE_INTERNAL_H
#define RUHU_STORE_INTERNAL_H
#include <jansson.h>
#include <string.h>
#include "base/buf.h"
#include "store/db.h"
#include "store/store.h"

/* The prepared statement with parameters bound, or NULL on error. */
struct db_stmt *q_bind(struct db *db, const struct sql *q, const char *types, ...);

static inline enum db_step q_step(struct db *db, struct db_stmt *st) { return db->drv->step(st); }
static inline int64_t q_int(struct db *db, struct db_stmt *st, int col) { return db->drv->col_int(st, col); }
static inline const char *q_text(struct db *db, struct db_stmt *st, int col) { return db->drv->col_text(st, col); }
static inline void q_finish(struct db *db, struct db_stmt *st) { db->drv->finish(st); }

/* Copies a text column into a fixed buffer (truncating at a character
 * boundary never happens: columns are validated to fit on the way in). */
void q_copy(struct db *db, struct db_stmt *st, int col, char *dst, size_t cap);

/* Runs a statement that returns no rows (or ignores them). */
enum rh_err q_exec(struct db *db, const struct sql *q, const char *types, ...);

/* The same, counting the rows it returns into *rows (a DELETE or UPDATE
 * … RETURNING id: how many it changed). */
enum rh_err q_exec_rows(struct db *db, const struct sql *q, int64_t *rows, const char *types, ...);
/* The first column of every row st yields, as ids into *ids (malloc'ed,
 * free() it; NULL when none) and their number into *n; st is finished.
 * For work on each that must not run while st is open. */
enum rh_err q_ids(struct db *db, struct db_stmt *st, const char *what, int64_t **ids, size_t *n);

/* Runs an INSERT … RETURNING id and puts the id in *id. */
enum rh_err q_insert(struct db *db, const struct sql *q, int64_t *id, const char *types, ...);

/* Looks, with q, for a record the same as the one about to be written:
 * RH_OK when q yields no row, RH_ERR_DUPLICATE naming field when it does.
 * A request sent twice — a double click, a retry after a lost answer —
 * so writes once. Inside the caller's write transaction. */
enum rh_err q_no_twin(struct db *db, struct rh_fail *fail, const char *field, const struct sql *q,
		      const char *types, ...);

/* A 'YYYY-MM-DD' column as a day (0 when empty or unreadable). */
rh_day q_day(struct db *db, struct db_stmt *st, int col);

/* The rh_err for the connection's last error, logged unless it is a
 * plain unique-key violation (which callers report as RH_ERR_DUPLICATE). */
enum rh_err q_error(struct db *db, const char *what);
/* What a q_bind() that gave NULL comes to (it logged why): RH_ERR_BUSY
 * when the database was busy — PostgreSQL locks a statement's tables to
 * plan it, so a statement prepared while an import holds households
 * meets the lock timeout there — else RH_ERR_STORE. */
enum rh_err q_unprepared(struct db *db);

enum rh_err tx_begin(struct db *db, int write);
enum rh_err tx_commit(struct db *db);
void tx_rollback(struct db *db);

/* Ends a write transaction: commits when rc is RH_OK (a failed commit
 * becomes the result), rolls back otherwise. Returns the final result. */
enum rh_err tx_end(struct db *db, enum rh_err rc);

/* Appends to the tenant's audit chain; must run inside a write
 * transaction. before/after are borrowed (may be NULL). */
enum rh_err audit_append(struct db *db, const struct actor *a, int64_t tenant_id,
			 const char *action, const char *entity, int64_t entity_id,
			 json_t *before, json_t *after);

/* audit_append() that takes over the references to before and after
 * (either may be NULL), so a caller can pass xxx_to_json() directly. */
enum rh_err audit_change(struct db *db, const struct actor *a, int64_t tenant_id,
			 const char *action, const char *entity, int64_t entity_id,
			 json_t *before, json_t *after);

/* How many entries store_audit_verify reads at a time (a page, so that
 * memory does not grow with a trail's length); entries <= 0 sets the
 * default back. For tests, which cross page boundaries with a small one. */
void store_audit_verify_page(int entries);

/* What keys stamp into a database they open first (the installation
 * row's key_check, migration 003), and look for in one they open again. */
void key_check_of(const struct keys *keys, char out[TOKEN_HASH_LEN + 1]);

/* A personal field's masked text hides some of it (a phone's middle
 * digits, a birth date's month and day, an ID number's middle): a
 * correction there would show the same text on both sides of the audit
 * entry, as if nothing changed. When before's and after's field reads
 * the same but the values (was, is: the plain text, or a keyed hash of
 * it) differ, each side gets " #" and six hex digits of a keyed hash of
 * its value in this record (entity, id): different tags for different
 * values, which tell nothing of them without the installation's key, nor
 * link two records that share a value. */
void audit_tag_hidden(struct db *db, const char *entity, int64_t id, json_t *before, json_t *after, const char *field,
		      const char *was, const char *is);

/* The optimistic-locking check every update makes: RH_OK when the row's
 * version is the one the caller read, else RH_ERR_VERSION_CONFLICT with
 * fail->field "version" and fail->n the current version. */
enum rh_err version_check(int64_t current, int64_t expected, struct rh_fail *fail);

/* Makes "%q%" for LIKE … ESCAPE '\', escaping % _ and \ in q. Returns
 * a malloc'ed string; free() it. NULL when out of memory. */
char *like_pattern(const char *q);

/* The columns of an account, each prefixed with p ("" or "u."), and the
 * reader for them starting at column col (store_user.c). */
#define USER_COLS_P(p) p "id, " p "tenant_id, " p "username, " p "display_name, " \
	"COALESCE(" p "phone, ''), " p "roles, " p "status, " p "must_change_password, " \
	p "failed_logins, " p "locked_until, " p "last_login_at, " p "password_changed_at, " \
	p "created_at, " p "updated_at, " p "version, " p "sites_limited"
#define USER_NCOLS 16
void user_read_row(struct db *db, struct db_stmt *st, int col, struct user *u);

/* SPEC X1: the ids of every site (estate, building, unit) the limited
 * account whose id is parameter p may see: those of its granted estates.
 * A statement that lists what a site holds takes the account's id, or 0
 * for the whole organisation, and tests "(p = 0 OR … IN (" SCOPE_SITE_IDS(p) "))". */
#define SCOPE_SITE_IDS(p) "SELECT gs.id FROM user_sites g JOIN sites gs ON gs.tenant_id = g.tenant_id" \
	" AND gs.estate_id = g.estate_id WHERE g.user_id = " p


/* The account's granted estates as a JSON array (*out, the caller's),
 * for its audit entries (store_scope.c). */
enum rh_err user_sites_json(struct db *db, int64_t tenant_id, int64_t user_id, json_t **out);

/* Replaces the account's granted estates, inside the caller's write
 * transaction (store_scope.c); g->set must be 1. */
enum rh_err user_sites_replace(struct db *db, int64_t tenant_id, int64_t user_id, const struct site_grants *g,
			       struct rh_fail *fail);

/* Ends every session of a user except keep (a token hash, or NULL).
 * Runs inside the caller's transaction (store_session.c). */
enum rh_err sessions_end_for_user(struct db *db, int64_t user_id, const char *keep);

/* Creates a site inside the caller's write transaction, audited, and
 * fills s as site_get_bare() would read it (store_site.c; imports create
 * the sites their rows name). parent: s's parent as site_get_bare() read
 * it in this transaction, when the caller keeps it; NULL to read it. */
enum rh_err site_create_in_tx(struct db *db, const struct actor *a, struct site *s, const struct site *parent,
			      struct rh_fail *fail);
/* A site without its counts (children and households 0): what a
 * household's address is made from (its path, its estate's parts), and
 * what a child is made under. */
enum rh_err site_get_bare(struct db *db, int64_t tenant_id, int64_t id, struct site *out);

/* Seals an ID number for storage: *sealed (malloc'ed; free()), its mask
 * and lookup hash; an empty id gives empty values (store_household.c). */
enum rh_err id_seal(struct db *db, const char *id, char **sealed, char masked[IDCARD_LEN + 1],
		    char hash[TOKEN_HASH_LEN + 1]);
/* Opens a sealed ID number into out ("" when sealed is ""). */
enum rh_err id_open(struct db *db, const char *sealed, char out[IDCARD_LEN + 1]);

/* One row of an import (store_household.c, store_staff.c), inside the
 * import's transaction: see store_import_household(). */
/* Bulk loads of households through COPY (store_household.c), for the
 * importer on PostgreSQL: the COPY statement; the brief of a site (its
 * path and address parts); one row as a line of COPY's text format,
 * after making its address from site (NULL: none) and sealing its ID
 * number as an insert would; every account number of a tenant, to fn
 * (which returns nonzero when out of memory). */
extern const char household_copy_sql[];
enum rh_err household_copy_line(struct db *db, struct household *h, const struct site *site, struct buf *out);
enum rh_err household_accounts(struct db *db, int64_t tenant_id, int (*fn)(const char *account, void *), void *arg);

/* s into b escaped for COPY's text format (backslash, tab, newline, CR). */
int copy_escape(struct buf *b, const char *s);

/* The households on the site s (a list's row, aliased s) and under it,
 * as a subquery: the sites under it are looked up by estate_id and by
 * building_id, each through its index. One condition of the three ORed
 * ("d.id = s.id OR d.estate_id = s.id OR d.building_id = s.id") made
 * SQLite read every site of the organisation for every row it counted
 * — and it counts every row of a list before it sorts and pages it: a
 * search for 单元 among 11,000 units took 7 s. test_store.c checks the
 * plan. */
#define SITE_HOUSEHOLDS "(SELECT COUNT(*) FROM households h WHERE h.tenant_id = s.tenant_id AND h.site_id IN" \
	" (SELECT s.id UNION ALL SELECT d.id FROM sites d WHERE d.tenant_id = s.tenant_id AND d.estate_id = s.id" \
	" UNION ALL SELECT d.id FROM sites d WHERE d.tenant_id = s.tenant_id AND d.building_id = s.id))"

/* A list's search word against a column as SQLite's LIKE matches it,
 * ASCII letters in either case, on both engines: PostgreSQL's LIKE minds
 * case, so its text has ILIKE under "C", which folds ASCII only (under
 * the database's collation "café" would find "CAFÉ"). Each statement
 * with a search word has the one text with LIKE_WORD and the other with
 * LIKE_WORD_PG. */
#define LIKE_WORD(col, param) col " LIKE " param " ESCAPE '\\'"
#define LIKE_WORD_PG(col, param) col " COLLATE \"C\" ILIKE " param " ESCAPE '\\'"

/* A person's name keyed for pinyin order (core/collate.h): the same
 * GB18030 bytes from SQLite's ruhu_name_key (store/db_sqlite.c) and
 * PostgreSQL's convert_to, both compared byte by byte. */
#define NAME_KEY(col) "ruhu_name_key(" col ")"
#define NAME_KEY_PG(col) "convert_to(" col ", 'GB18030')"

/* An account number as typed and in either case, ASCII letters only on
 * both stores: PostgreSQL's upper() and lower() follow the database's
 * character rules (C.UTF-8 folds all of Unicode: ſ1 is S1 there, the
 * Kelvin sign K9 k9), SQLite's fold ASCII alone, so "C" makes them one.
 * The folded text is then given back the default collation: compared
 * under "C", account_no could not be looked up in its index, built under
 * the database's (a sequential scan, 100–300 ms at 300,000 households). */
#define HH_CASES(q) "(" q ", upper(" q "), lower(" q "))"
#define HH_CASES_PG(q) "(" q ", upper(" q " COLLATE \"C\") COLLATE \"default\"," \
	" lower(" q " COLLATE \"C\") COLLATE \"default\")"

/* The given name: the name without its first character, or without the
 * first two when they are a compound surname (复姓: 欧阳娜娜 is found by
 * 娜娜). Written out exactly as in the index (SQLite: migration 010;
 * PostgreSQL: 008), which a query uses only when the expressions are the
 * same (test_store.c, api_master.c check).
 *
 * SQLite looks the first two characters up in one string of the
 * surnames, each between bars: an IN list inside an index expression is
 * built into a table anew for every row it is computed for, which made
 * this index 4.5 s of a million-household import against 1.4 s now.
 * Every surname is two characters and the string has no empty entry
 * ("||"), so only a surname between two bars matches. PostgreSQL hashes
 * its IN list once, and is faster with it than with strpos(). */
#define HH_GIVEN_NAME "CASE WHEN instr('|" \
	"欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|令狐|夏侯|端木|独孤|南宫|西门|轩辕|呼延|" \
	"东郭|申屠|闻人|澹台|公羊|赫连|太史|钟离|万俟|濮阳|淳于|鲜于|闾丘|司空|亓官|司寇|颛孙|公良|漆雕|乐正|" \
	"谷梁|拓跋|段干|巫马|公西|梁丘|左丘|东门|第五" \
	"|', '|' || substr(name, 1, 2) || '|') > 0 THEN substr(name, 3) ELSE substr(name, 2) END"
#define HH_GIVEN_NAME_PG "CASE WHEN substr(name, 1, 2) IN (" \
	"'欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', " \
	"'宇文', '司徒', '令狐', '夏侯', '端木', '独孤', '南宫', '西门', '轩辕', '呼延', " \
	"'东郭', '申屠', '闻人', '澹台', '公羊', '赫连', '太史', '钟离', '万俟', '濮阳', " \
	"'淳于', '鲜于', '闾丘', '司空', '亓官', '司寇', '颛孙', '公良', '漆雕', '乐正', " \
	"'谷梁', '拓跋', '段干', '巫马', '公西', '梁丘', '左丘', '东门', '第五'" \
	") THEN substr(name, 3) ELSE substr(name, 2) END"

/* The sites a household list or search is bound to, as a subquery of
 * its parameters $1 tenant and $2 (store_household.c). $2 is a site,
 * with all under it; 0 any site; or, below 0, the sites of the estates
 * granted to the limited account whose id is −$2 (SPEC X1). A limited
 * account's filter by one of its own sites is that site: what is under
 * it is all granted with it (site_param). One parameter for both keeps
 * every statement's numbers. */
#define HH_BOUND_SITES "SELECT g.id FROM sites g WHERE g.tenant_id = $1 AND ($2 > 0 AND (g.id = $2 OR" \
	" g.estate_id = $2 OR g.building_id = $2) OR $2 < 0 AND g.id IN (" SCOPE_SITE_IDS("-$2") "))"
/* A short search (one or two characters) within sites that hold more
 * households than a list counts, with no other filter. The name indexes
 * hold each household's site (migration 014): each branch of the union
 * keeps its matches inside the sites from the index alone, so no
 * household is read and the union merges only those. "+site_id" keeps
 * SQLite from taking the site index for the account branch (every
 * household of the sites, each tested). $1 tenant, $2 the sites
 * (HH_BOUND_SITES), $3 the query, $4 its end, $5 the limit, $6 the
 * offset. test_store.c checks the plan. */
#define HH_IN_BOUND " AND +site_id IN (" HH_BOUND_SITES ")"
#define HH_SHORT_COVER_SQL(given, cases) "SELECT id FROM (SELECT id FROM households WHERE tenant_id = $1" \
	" AND name >= $3 AND name < $4" HH_IN_BOUND \
	" UNION SELECT id FROM households WHERE tenant_id = $1 AND " given " >= $3 AND " given " < $4" HH_IN_BOUND \
	" UNION SELECT id FROM households WHERE tenant_id = $1 AND account_no IN " cases("$3") HH_IN_BOUND \
	") AS m ORDER BY id LIMIT $5 OFFSET $6"

/* What an import's row for a stored record comes to: same, whether it
 * changes nothing; blind, whether it gives an ID number its user may not
 * see. A row that would change the record, or a blind one, is refused
 * (RH_ERR_VERSION_CONFLICT naming version, saying why) when it carries
 * the version an export wrote (exported, 0: none) and the record has
 * changed since (current) — else an old file, imported again, would undo
 * later work — or when the file has the export's version column but this
 * row's cell is empty (IMPORT_VERSION_BLANK, store.h). Else *outcome:
 * unchanged for a same row, updated otherwise (a blind same row too:
 * "unchanged" would confirm the number); the caller writes a row that is
 * not the same. */
enum rh_err import_outcome_of(int same, int blind, int64_t current, int64_t exported, enum import_outcome *outcome,
			      struct rh_fail *fail);

/* An imported row whose record is not stored: RH_OK when it may be
 * created, RH_ERR_FIELD_INVALID naming version (saying why) when it
 * carries the version an export wrote (exported > 0) — its record is
 * gone, or its key was changed in the file, and creating it would add a
 * second record under another key. */
enum rh_err import_new_row(int64_t exported, struct rh_fail *fail);

/* id_blind: the importing user may not see ID numbers; a row that gives
 * one for a stored record and changes nothing is then counted "updated"
 * (not written): "unchanged" would confirm the number (IMPORT_SEES_ID).
 * site: h's site as site_get_bare() reads it, when the caller keeps
 * them, else NULL (read here). */
enum rh_err import_household_row(struct db *db, const struct actor *a, int64_t import_id, struct household *h,
				 const struct site *site, unsigned keep, unsigned masked, const char *masked_field, household_merge_fn merge,
				 int id_blind, enum import_outcome *outcome, struct rh_fail *fail);
enum rh_err import_staff_row(struct db *db, const struct actor *a, int64_t import_id, struct staff *s,
			     unsigned keep, unsigned masked, const char *masked_field, staff_merge_fn merge,
			     int id_blind, enum import_outcome *outcome, struct rh_fail *fail);

/* Remakes the addresses made from sites under site_id after it was
 * renamed; each household changed is audited (store_household.c), its
 * before with the site's path as it was (path_was, now path_now). */
enum rh_err households_readdress(struct db *db, const struct actor *a, int64_t tenant_id, int64_t site_id,
				 const char *path_was, const char *path_now, int64_t *changed);

/* Files kept in the database as text — photos as base64, documents
 * sealed (store_hiring.c):
 * blob_encode gives a malloc'ed string (NULL when out of memory);
 * blob_decode a malloc'ed copy of the bytes (RH_ERR_NOT_FOUND for "");
 * blob_sha256 the hex digest the audit trail records instead of them. */
char *blob_encode(const unsigned char *data, size_t len);
enum rh_err blob_decode(const char *b64, unsigned char **data, size_t *len);
void blob_sha256(const unsigned char *data, size_t len, char hex[65]);

/* Files kept sealed in the database (store_seal.c). sealed_open gives
 * the bytes of a row's text — secret_seal's where sealed is 1, base64
 * where a release from before wrote it — malloc'ed into *data;
 * RH_ERR_NOT_FOUND for none, RH_ERR_INTERNAL (logged with what and id)
 * for a seal that does not open. seal_pending seals the rows from
 * before, each in a transaction of its own, when a node starts. */
enum rh_err sealed_open(struct db *db, const char *what, int64_t id, const char *text, int sealed,
			unsigned char **data, size_t *len);
struct seal_rows {
	const struct sql *unsealed;	/* the ids of the rows still in base64 */
	const struct sql *data;		/* $1 id: that row's base64, while it is so */
	const struct sql *seal;		/* $1 id, $2 the seal: writes it unless sealed meanwhile, RETURNING id */
	const char *what;		/* for the log: "staff documents" */
	const char *migration;		/* the one that began sealing them */
};
enum rh_err seal_pending(struct db *db, const struct seal_rows *r);

/* A worker's photo from a bound statement that selects (photo_type,
 * photo, photo_sealed, the worker's id); finishes it. RH_ERR_NOT_FOUND
 * for no row or no photo; *data malloc'ed (store_staff.c). */
enum rh_err photo_read(struct db *db, struct db_stmt *st, char type[16], unsigned char **data, size_t *len);
/* store_staff_file_add in two: the file's bytes sealed for the column
 * (f's sha256 and size filled; malloc'ed, NULL when out of memory) —
 * before a transaction, for it is megabytes of work — then its insert and
 * audit entry, inside the caller's transaction (store_hiring.c). */
char *staff_file_seal(struct db *db, struct staff_file *f, const unsigned char *data, size_t len);
enum rh_err staff_file_insert(struct db *db, const struct actor *a, struct staff_file *f, const char *sealed);

/* store_notify_roles() inside the caller's write transaction, which a
 * notice then shares: sent with the change it tells of, or not at all. */
enum rh_err notify_roles_in_tx(struct db *db, int64_t tenant_id, rh_roles roles, const struct notice *n, int64_t *sent);

/* The same, a notice of its own to each: compose(db, user, limited, n,
 * &send, arg) writes the reader's notice into n (zeroed) and sets send,
 * or leaves it 0 to send none; limited says the account sees only some
 * estates (SPEC X1), whose notice must tell of nothing outside them. */
enum rh_err notify_each_in_tx(struct db *db, int64_t tenant_id, rh_roles roles,
			      enum rh_err (*compose)(struct db *, int64_t, int, struct notice *, int *, void *), void *arg,
			      int64_t *sent);

/* After a change that may stop a worker being sent (a certificate
 * revoked, a sanction, a failed check or exam), inside the caller's
 * transaction: when eligibility now refuses any of the worker's visits
 * from today on, those who dispatch are told, to assign another worker
 * (S3; the door already refuses them, store_badge.c). store_assign.c. */
enum rh_err visits_recheck(struct db *db, int64_t tenant_id, int64_t staff_id);
/* The same for every worker with visits of job_type still to go on (a
 * job rule that asks more). */
enum rh_err visits_recheck_job(struct db *db, int64_t tenant_id, int job_type);

/* Who changes a staff profile: a hand (the API's PATCH, an import) or a
 * discipline entry, the only way to a sanction (store_staff.c). */
enum staff_edit { EDIT_BY_HAND, EDIT_BY_DISCIPLINE };

/* What happens when a worker's status changes from `from` (-1: a new
 * worker) to s->status, inside the caller's write transaction
 * (store_hiring.c): a candidate becomes active only when every hiring
 * step has passed (RH_ERR_HIRING_INCOMPLETE naming "status"); nobody
 * leaves the blacklist (RH_ERR_BLACKLISTED naming "status"); only an
 * active worker is suspended, only a candidate or a suspended worker
 * becomes active, and only a new record or one who left is a candidate
 * (RH_ERR_STATE naming "status"); an active
 * worker gets a badge if it has none; a worker who leaves has the badge
 * voided and the badge and company property asked back. */
enum rh_err staff_status_changed(struct db *db, const struct actor *a, int from, const struct staff *s,
				 struct rh_fail *fail);

/* A worker changed from before to next (the ID number unchanged) inside
 * the caller's write transaction, audited, with what the status change
 * sets off; *out is the worker as stored (store_staff.c). */
enum rh_err store_staff_update_in_tx(struct db *db, const struct actor *a, const struct staff *before,
				     const struct staff *next, struct staff *out, struct rh_fail *fail);

/* Badges inside the caller's write transaction (store_badge.c): a new
 * one (voiding the live one), and voiding the live one. */
enum rh_err badge_issue_in_tx(struct db *db, const struct actor *a, int64_t tenant_id, int64_t staff_id,
			      struct badge *out);
enum rh_err badge_void_in_tx(struct db *db, const struct actor *a, int64_t tenant_id, int64_t staff_id,
			     const char *reason);

/* A random token of BADGE_TOKEN_LEN characters (base64url). */
void random_token(char out[BADGE_TOKEN_LEN + 1]);

/* A file a record points at (file_id; 0: none) must be one of the same
 * worker's documents: RH_ERR_FIELD_INVALID naming "file_id" else. */
enum rh_err file_belongs(struct db *db, int64_t tenant_id, int64_t staff_id, int64_t file_id,
			 struct rh_fail *fail);

/* Whether every step of the worker's current hiring pipeline has passed. */
enum rh_err hiring_complete(struct db *db, int64_t tenant_id, int64_t staff_id, int *complete);

/* RH_OK when staff_id is one of the tenant's workers, else
 * RH_ERR_NOT_FOUND naming field. */
enum rh_err staff_exists(struct db *db, int64_t tenant_id, int64_t staff_id, const char *field,
			 struct rh_fail *fail);

/* Now, in epoch seconds. */
int64_t store_now(void);

/* ---- the badge check's answers in memory (badge_cache.c) ---- */

/* Answers kept with the change count they were read under (changes_now):
 * get finds one only under the same count; put keeps one (an answer read
 * under an older count than the cache already holds is dropped). Safe
 * from any thread. */
struct badge_cache *badge_cache_new(void);
void badge_cache_free(struct badge_cache *c);
int badge_cache_get(struct badge_cache *c, const char *token, uint64_t gen, struct badge_public *out);
void badge_cache_put(struct badge_cache *c, const char *token, uint64_t gen, const struct badge_public *answer);
void badge_cache_stats(struct badge_cache *c, uint64_t *hits, uint64_t *misses);

#endif
