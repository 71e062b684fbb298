/*
 * store.h — the one interface to stored data.
 *
 * Everything ruhu keeps goes through these typed functions; no SQL and no
 * database library call appears outside src/store/. Behind them sits a
 * driver (db.h): SQLite now, PostgreSQL next, chosen by the --db target.
 *
 * Rules every function here keeps:
 * - Tenant first (SPEC X1): reads and writes of tenant data take the
 *   tenant id and never see another tenant's rows.
 * - Every write is audited (SPEC X3): it takes a struct actor and appends
 *   an entry to the tenant's hash chain in the same transaction, so there
 *   is never a change without its audit entry or the reverse.
 * - No silent overwrite: updates take the version the caller read and
 *   fail with RH_ERR_VERSION_CONFLICT (fail->n = current version) if the
 *   row has moved on.
 * - Results go into caller-owned structs; lists call a callback per row
 *   (the row is valid only during the call; return non-zero to stop).
 *   A list's *total is set before its first row is handed over, so
 *   that an export can refuse a list too long for a file at once.
 *
 * Connections: store_acquire() hands out one connection of the pool to
 * the calling thread; give it back with store_release(). A connection is
 * never used by two threads at once.
 */
#ifndef RUHU_STORE_H
#define RUHU_STORE_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/audit.h"
#include "core/calendar.h"
#include "core/door.h"
#include "core/error.h"
#include "core/household.h"
#include "core/job.h"
#include "core/secret.h"
#include "core/site.h"
#include "core/staff.h"
#include "core/eligibility.h"
#include "core/fieldstaff.h"
#include "core/tenant.h"
#include "core/user.h"

struct store;
struct db;

/* Who is acting, for the audit trail. */
struct actor {
	int64_t tenant_id;
	int64_t user_id;	/* 0 for the system */
	const char *name;	/* username, or "system" */
	const char *ip;		/* may be NULL */
	const char *reason;	/* why, when given; may be NULL */
	/* SPEC X1: a limited account's id, whose estates bound what its
	 * writes may touch (checked again inside their transaction: what
	 * the handler saw may have moved since), or 0 for the whole
	 * organisation. */
	int64_t scope;
};

/* ---- the database ---- */

/* Opens target (a SQLite file path or a postgres:// URL), applies pending
 * migrations, checks that keys are the database's (RH_ERR_KEY_MISMATCH)
 * and loads the shipped holiday schedule. how: STORE_CREATE makes a
 * SQLite file that does not exist (init, serve); without it a missing
 * file is an error. `connections` is the pool size; keys are the
 * installation's (copied). On failure err says why. */
#define STORE_CREATE 1u
enum rh_err store_open(const char *target, unsigned how, int connections, const struct keys *keys,
		       struct store **out, char *err, size_t errlen);
void store_close(struct store *st);
/* For a long-running server: answers that are read far more often than
 * what they come from changes (the public badge check) are kept in memory
 * while the database tells this process of every change — PostgreSQL,
 * through one more connection that listens; a SQLite store keeps nothing
 * (it cannot hear another process's writes). Call before the threads
 * that use st start. On failure nothing is kept and err says why; st
 * serves as before. */
enum rh_err store_watch_changes(struct store *st, char *err, size_t errlen);
/* SQLite: every connection reads the database file through a memory map
 * (up to 2 GB) instead of read calls into a page cache of its own: the
 * file's pages are then shared by the connections and counted in the
 * process's RSS as mapped file, not as its own memory. A PostgreSQL
 * store has no file: RH_OK, nothing done. Call before the threads that
 * use st start. */
enum rh_err store_map_file(struct store *st, int on);
/* How often the badge check was answered from memory, and not; and
 * whether answers are being kept right now (the watcher is listening). */
void store_badge_cache_stats(struct store *st, uint64_t *hits, uint64_t *misses, int *watching);
/* Whether target names a PostgreSQL database (else a SQLite file). */
int store_target_is_pg(const char *target);
const char *store_backend(const struct store *st);	/* "sqlite" … */
const char *store_engines(void);	/* the database libraries and their versions */
int store_schema_version(const struct store *st);

/* ---- whole databases (store_copy.c) ---- */

/* A consistent copy of the database target (which must exist) into
 * file, which must not: a SQLite file (SQLite's backup API, checked
 * before it is named file) or pg_dump's custom format; readable by its
 * owner only. The database is not opened as a store: no migration is
 * applied and no key is asked for — a backup changes nothing, and the
 * machine that takes it need not hold the installation key. */
enum rh_err store_backup(const char *target, const char *file, char *err, size_t errlen);

/* pg_restore of a pg_dump backup file into the empty PostgreSQL database
 * url, in one transaction (the password, if any, not on its command line),
 * once the backup has been found to be of keys (RH_ERR_KEY_MISMATCH, and
 * nothing written, when not) and url to be a database ruhu can use
 * (collation, encoding). */
enum rh_err store_pg_restore(const char *url, const char *file, const struct keys *keys, char *err, size_t errlen);

/* The PostgreSQL tool (pg_dump, pg_restore) that store_backup or
 * store_pg_restore is waiting for, or 0: a command stopped by a signal
 * stops it too, and waits for it, before it ends. Safe in a signal
 * handler. */
pid_t store_tool_pid(void);

/* Copies every table of src into dst, a new PostgreSQL database at the
 * same schema version holding nothing but what store_open puts in a new
 * one (else RH_ERR_STATE, err naming what it holds), in one transaction;
 * progress (may be NULL) is told each table's rows as it is done, and
 * then (table NULL, rows the number of them) that the indexes set aside
 * for the copy are being built. */
/* The same check of dst alone, before anything is copied: RH_OK when it
 * holds nothing but what a new database holds, else err says what. */
enum rh_err store_copy_target_new(struct store *dst, char *err, size_t errlen);
typedef void (*store_copy_progress_fn)(const char *table, int64_t rows, void *arg);
enum rh_err store_copy_into(struct store *src, struct store *dst, store_copy_progress_fn progress, void *arg,
			    char *err, size_t errlen);

/* Counts the rows of every table in a and in b; fn (may be NULL) is told
 * each pair, *differ how many tables do not agree. */
typedef void (*store_copy_count_fn)(const char *table, int64_t a, int64_t b, void *arg);
enum rh_err store_copy_compare(struct store *a, struct store *b, store_copy_count_fn fn, void *arg, int *differ);

/* The tables of st's database that the copy does not know of, as a
 * space-separated list into missing ("" when none): a migration that
 * adds a table must add it to the copy too. */
enum rh_err store_copy_tables_check(struct store *st, char *missing, size_t cap);

/* A connection for this thread; blocks while all are in use. */
struct db *store_acquire(struct store *st);
void store_release(struct store *st, struct db *db);

/* The connection pinned to the calling thread: taken from the pool on the
 * thread's first call and kept for its life, so a long-lived worker (an
 * HTTP thread) never contends for the pool's lock again. The pool must
 * hold one connection per such thread, plus what others acquire. Call
 * store_thread_db_reset() when a request is done with it. */
struct db *store_thread_db(struct store *st);
void store_thread_db_reset(struct db *db);
/* store_thread_db() for an HTTP thread, whose writes hold its event loop
 * while they wait: behind a long import they wait only briefly, then fail
 * RH_ERR_IMPORT_RUNNING (db.h, DB_WAIT_BEHIND_IMPORT). */
struct db *store_loop_db(struct store *st);

/* RH_OK if the database answers a trivial query. */
enum rh_err store_ping(struct db *db);
/* Index upkeep a busy database needs sooner than its vacuum comes
 * (store_upkeep.c): on PostgreSQL, merges the pending lists of the
 * substring search's GIN indexes, which every search reads whole. Meant
 * to run about once a minute on each node (scheduler.c); cheap when there
 * is nothing to merge. *pages: pending pages merged. RH_ERR_BUSY, not
 * logged, when an index is locked (an import rebuilding it). SQLite:
 * nothing to do (FTS5 merges its segments as it writes). */
enum rh_err store_upkeep(struct db *db, int64_t *pages);

/* A read snapshot for a whole request: the reads that follow see one
 * state of the database and share one read transaction (on SQLite, two
 * autocommit reads cost twice the WAL locking of one transaction). Any
 * write ends the snapshot first, so writes never run in it. Ended by
 * store_snapshot_end() or when the connection goes back to the pool. */
void store_snapshot_begin(struct db *db);
void store_snapshot_end(struct db *db);

/* ---- tenants ---- */

/* In: code, name, kind, tz_name, utc_offset_min. Out: the rest. */
enum rh_err store_tenant_create(struct db *db, const struct actor *a, struct tenant *t,
				struct rh_fail *fail);
enum rh_err store_tenant_get(struct db *db, int64_t id, struct tenant *out);
enum rh_err store_tenant_by_code(struct db *db, const char *code, struct tenant *out);
/* Every tenant but the system, by id. */
enum rh_err store_tenant_list(struct db *db, int (*fn)(const struct tenant *, void *), void *arg);
enum rh_err store_tenant_rename(struct db *db, const struct actor *a, int64_t id, int64_t version,
				const char *name, struct tenant *out, struct rh_fail *fail);

/* ---- users ---- */

enum user_sort { USER_SORT_ID, USER_SORT_USERNAME, USER_SORT_NAME, USER_SORT_CREATED, USER_SORT_LOGIN };

struct user_filter {
	const char *q;		/* substring of username or display name; NULL = any */
	int role;		/* enum rh_role, or -1 = any */
	int status;		/* enum user_status, or -1 = any */
	enum user_sort sort;
	int desc;
	int limit, offset;
};

/* SPEC X1: the sites an account sees. Limited to the estates listed
 * (their buildings, units and households with them), or the whole
 * organisation. An admin is never limited (RH_ERR_FIELD_INVALID naming
 * all_sites); an estate id that is not one of the organisation's
 * estates is RH_ERR_FIELD_INVALID naming site_ids. */
#define USER_SITES_MAX 500
struct site_grants {
	int set;			/* 0: as they are (a new account: all) */
	int limited;			/* 0: every site; 1: estate_ids only */
	const int64_t *estate_ids;	/* distinct */
	size_t n;
};

/* In: tenant_id, username, display_name, phone, roles, status,
 * must_change_password; sites may be NULL (every site). Out: the rest.
 * RH_ERR_DUPLICATE on the username. */
enum rh_err store_user_create(struct db *db, const struct actor *a, struct user *u,
			      const char *password_hash, const struct site_grants *sites, struct rh_fail *fail);
/* The estates granted to a limited account, ascending, at most cap of
 * them (USER_SITES_MAX holds every one). */
enum rh_err store_user_sites(struct db *db, int64_t tenant_id, int64_t user_id, int64_t *estate_ids, size_t cap,
			     size_t *n);
/* Whether site_id (an estate, building or unit) is one the account
 * scope may see: 1 when scope is 0 (the whole organisation), 0 for a
 * site that is not there. */
enum rh_err store_site_in_scope(struct db *db, int64_t tenant_id, int64_t scope, int64_t site_id, int *in);
/* The same for a household: 0 when it is not there or under no site. */
enum rh_err store_household_in_scope(struct db *db, int64_t tenant_id, int64_t scope, int64_t household_id, int *in);
enum rh_err store_user_get(struct db *db, int64_t tenant_id, int64_t id, struct user *out);
enum rh_err store_user_list(struct db *db, int64_t tenant_id, const struct user_filter *f,
			    int (*fn)(const struct user *, void *), void *arg, int64_t *total);

/* What an update may change; NULL / -1 leaves a field as it is. */
struct user_patch {
	const char *display_name;
	const char *phone;	/* "" clears it */
	int has_roles;
	rh_roles roles;
	int status;		/* enum user_status, or -1 */
	struct site_grants sites;
};
/* Disabling an account also ends its sessions. */
enum rh_err store_user_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			      int64_t version, const struct user_patch *p, struct user *out,
			      struct rh_fail *fail);
/* version < 0 skips the version check (a user changing their own
 * password). Ends the user's other sessions (all when keep_session is
 * NULL) and clears a lock-out. */
enum rh_err store_user_set_password(struct db *db, const struct actor *a, int64_t tenant_id,
				    int64_t id, int64_t version, const char *password_hash,
				    int must_change, const char *keep_session, struct user *out,
				    struct rh_fail *fail);
/* Clears failed sign-ins and a lock-out. */
enum rh_err store_user_unlock(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			      int64_t version, struct user *out, struct rh_fail *fail);

/* Sign-in support: the account by username across tenants, with its
 * password hash (hash must hold PASSWORD_HASH_MAX bytes). */
enum rh_err store_user_for_login(struct db *db, const char *username, struct user *out, char *hash);

/* Password attempts (sign-in, and the current password when changing
 * it) are counted before the password is checked: store_login_reserve()
 * takes one of the max_failures attempts an account has — RH_OK, or
 * RH_ERR_ACCOUNT_LOCKED with *locked_until when the account is locked or
 * its attempts are all taken by checks still running. So parallel guesses
 * cannot get past the limit. A check that never comes (the client gone:
 * the request's abandon gives the attempt back; a server stopped
 * mid-check: nothing does) holds its attempt until stale_seconds after
 * the last one was taken, when no check can still be running: then such
 * attempts count no more. A success resets the count (the session's
 * creation or the password change does); a failure is then reported with
 * store_login_failed(), which locks the account for lock_seconds once the
 * attempts are used up (*locked = 1) and, if end_sessions, ends its
 * sessions. Failures and locks are audited. */
enum rh_err store_login_reserve(struct db *db, int64_t user_id, int max_failures, int stale_seconds, int64_t now,
				int64_t *locked_until);
enum rh_err store_login_failed(struct db *db, const struct actor *a, int64_t user_id, int max_failures,
			       int lock_seconds, int64_t now, int end_sessions, int *locked);
/* Gives back an attempt reserved for a check that was never done (the
 * hasher's queue full, or the server stopping before it began): left
 * counted, the last of them locked the account with no lock to run out. */
enum rh_err store_login_release(struct db *db, int64_t user_id);

/* ---- sessions ---- */

struct session {
	char token_hash[65];
	int64_t tenant_id;
	int64_t user_id;
	char csrf_token[44];
	int64_t created_at;
	int64_t last_seen_at;
	int64_t expires_at;
	struct user user;	/* filled by lookup */
	int tz_offset;		/* the tenant's UTC offset in minutes, filled by lookup */
};

/* Records a successful sign-in: the new session, failed count reset,
 * last_login_at set, audited as "login". RH_ERR_ACCOUNT_LOCKED (and no
 * session) if failed attempts running at the same time locked the
 * account meanwhile. */
enum rh_err store_session_create(struct db *db, const struct actor *a, const struct session *s,
				 const char *user_agent);
/* The live session with this token hash and its user; RH_ERR_NOT_FOUND
 * when there is none or it has expired. */
enum rh_err store_session_lookup(struct db *db, const char *token_hash, int64_t now,
				 struct session *out);
enum rh_err store_session_touch(struct db *db, const char *token_hash, int64_t now, int64_t expires_at);
/* Signs out (audited as "logout"). */
enum rh_err store_session_delete(struct db *db, const struct actor *a, const char *token_hash);
enum rh_err store_session_purge(struct db *db, int64_t tenant_id, int64_t now, int64_t *removed);

/* ---- audit trail ---- */

struct audit_filter {
	const char *entity;	/* NULL = any */
	int64_t entity_id;	/* 0 = any */
	const char *actor;	/* username; NULL = any */
	const char *action;	/* NULL = any */
	int64_t from, to;	/* epoch seconds, inclusive from, exclusive to; 0 = open */
	int64_t scope;		/* SPEC X1: a limited reader's id (entries about households,
				 * visits and sites of its estates only), or 0 */
	int limit, offset;	/* newest first */
};

/* Records that the actor saw the named personal fields of a record in
 * full (SPEC X5): action "view_personal", the fields in "after". */
enum rh_err store_audit_view(struct db *db, const struct actor *a, int64_t tenant_id, const char *entity,
			     int64_t entity_id, const char *fields);

/* Records that the actor exported a list of entity records: details
 * (taken over) says which filter and how many rows. */
enum rh_err store_audit_export(struct db *db, const struct actor *a, int64_t tenant_id, const char *entity,
			       json_t *details);

enum rh_err store_audit_list(struct db *db, int64_t tenant_id, const struct audit_filter *f,
			     int (*fn)(const struct audit_entry *, void *), void *arg, int64_t *total);

struct audit_check {
	int64_t tenant_id;
	int64_t entries;	/* links checked */
	int64_t broken_seq;	/* first entry that does not hold; 0 = chain intact */
	char reason[160];
	char head_hash[AUDIT_HASH_LEN + 1];	/* hash of the last entry */
};
/* Recomputes the chain of one tenant (tenant_id >= 0) or of every tenant
 * (tenant_id < 0), calling fn once per tenant. */
enum rh_err store_audit_verify(struct db *db, int64_t tenant_id,
			       int (*fn)(const struct audit_check *, void *), void *arg);
/* The same for one tenant, into *out. */
enum rh_err store_audit_verify_one(struct db *db, int64_t tenant_id, struct audit_check *out);

/* ---- calendar ---- */

/* The calendar in force for a tenant: per year, the tenant's own schedule
 * if it imported one, else the official one. cal_release() it. */
enum rh_err store_calendar_load(struct db *db, int64_t tenant_id, struct calendar *out);

struct cal_year {
	int year;
	int own;		/* 1: the tenant's own import; 0: the official schedule */
	int shipped;		/* 1: the official schedule as shipped with ruhu (its source is
				   calendar_shipped_source, which a UI may name in its own words) */
	int64_t version;	/* of the schedule shown (its calendar_years row) */
	char source[129];
	int days;
	int64_t imported_at;
	char imported_by[USERNAME_MAX + 1];
};
/* The source recorded for the schedules shipped inside the binary. */
extern const char calendar_shipped_source[];
enum rh_err store_calendar_years(struct db *db, int64_t tenant_id,
				 int (*fn)(const struct cal_year *, void *), void *arg);
/* The special days in force for one year, in date order. */
enum rh_err store_calendar_days(struct db *db, int64_t tenant_id, int year,
				int (*fn)(const struct cal_row *, void *), void *arg);
/* Replaces a tenant's schedule for `year` with rows (all in that year, at
 * least one). tenant_id 0 replaces the official schedule. version is the
 * version of the tenant's own schedule for that year the caller read (0:
 * it had none), or -1 to replace whatever is there (the operator's CLI).
 * Audited with before/after. */
enum rh_err store_calendar_import(struct db *db, const struct actor *a, int64_t tenant_id, int year,
				  const struct cal_row *rows, size_t n, const char *source, int64_t version,
				  struct rh_fail *fail);

/* ---- sites (the estate → building → unit tree) ---- */

struct site_filter {
	int64_t parent_id;	/* the sites directly under it (0: estates) … */
	const char *q;		/* … or, when set, sites anywhere whose name holds q */
	int kind;		/* enum site_kind, or -1 */
	int64_t scope;		/* SPEC X1: a limited account's id; 0 = none */
	int limit, offset;	/* by name */
};

/* In: tenant_id, parent_id, kind, name, code, address parts (an estate's).
 * The kind must fit the parent (site_child_kind); RH_ERR_DUPLICATE naming
 * "name" when a sibling has the name. */
enum rh_err store_site_create(struct db *db, const struct actor *a, struct site *s, struct rh_fail *fail);
enum rh_err store_site_get(struct db *db, int64_t tenant_id, int64_t id, struct site *out);
enum rh_err store_site_list(struct db *db, int64_t tenant_id, const struct site_filter *f,
			    int (*fn)(const struct site *, void *), void *arg, int64_t *total);
/* next holds the new name, code and address parts; the paths of what is
 * under the site follow a new name. */
enum rh_err store_site_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			      int64_t version, const struct site *next, struct site *out, struct rh_fail *fail);

/* ---- households ---- */

enum household_sort { HH_SORT_ID, HH_SORT_ACCOUNT, HH_SORT_NAME, HH_SORT_UPDATED };

/* How many matches a list counts at most: counting every one of a
 * million would cost more than the page itself. */
#define HOUSEHOLD_COUNT_CAP 10000
#define HOUSEHOLD_SEARCH_COUNT_CAP 200

struct household_filter {
	const char *q;		/* the search (see docs/api.md); NULL = none */
	int64_t site_id;	/* that site and all under it; 0 = any */
	int64_t scope;		/* SPEC X1: a limited account's id, its grants bound the list; 0 = none */
	int category;		/* enum hh_category, or -1 */
	unsigned flag;		/* households with this flag; 0 = any */
	int status;		/* enum hh_status, or -1 */
	int phones_hidden;	/* the reader may not see phones: q does not search them */
	enum household_sort sort;	/* ignored with q: search results come in id order */
	int desc;
	int limit, offset;
	/* Count up to this many (0: HOUSEHOLD_COUNT_CAP, or with q
	 * HOUSEHOLD_SEARCH_COUNT_CAP); when it is set and more match, no row
	 * is read — an export wants every row or none. */
	int count_cap;
};

/* In: every field; id_number in full or "" (sealed here, with its mask
 * and lookup hash); an empty address is made from the site and room.
 * RH_ERR_DUPLICATE naming "account_no". */
enum rh_err store_household_create(struct db *db, const struct actor *a, struct household *h,
				   struct rh_fail *fail);
/* reveal_id: open the sealed ID number into out->id_number. */
enum rh_err store_household_get(struct db *db, int64_t tenant_id, int64_t id, int reveal_id,
				struct household *out);
/* *total counts up to the cap; *exact = 0 when there were more. */
enum rh_err store_household_list(struct db *db, int64_t tenant_id, const struct household_filter *f,
				 int (*fn)(const struct household *, void *), void *arg, int64_t *total,
				 int *exact);
/* next is the whole record as it should be (read, then changed by the
 * caller); next->id_number: "" keeps the stored ID number unless
 * id_change is set (then "" clears it). The account number never changes. */
enum rh_err store_household_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
				   int64_t version, const struct household *next, int id_change,
				   struct household *out, struct rh_fail *fail);

/* ---- staff ---- */

enum staff_sort { STAFF_SORT_ID, STAFF_SORT_NO, STAFF_SORT_NAME, STAFF_SORT_UPDATED };

struct staff_filter {
	const char *q;		/* part of name, staff number, badge number or phone */
	int phones_hidden;	/* the reader may not see phones: q does not search them */
	int status, level, employment;	/* or -1 */
	unsigned job_type;	/* 0 = any */
	int64_t supervisor_id;	/* only the workers this one supervises; 0 = any */
	enum staff_sort sort;
	int desc;
	int limit, offset;
};

/* RH_ERR_DUPLICATE naming "staff_no", "badge_no" or "id_number" (the
 * same person twice). */
enum rh_err store_staff_create(struct db *db, const struct actor *a, struct staff *s, struct rh_fail *fail);
enum rh_err store_staff_get(struct db *db, int64_t tenant_id, int64_t id, int reveal_id, struct staff *out);
/* The worker who signs in with user_id (staff.user_id; one at most), or
 * RH_ERR_NOT_FOUND for an account that is nobody's. */
enum rh_err store_staff_of_user(struct db *db, int64_t tenant_id, int64_t user_id, int64_t *staff_id);
enum rh_err store_staff_list(struct db *db, int64_t tenant_id, const struct staff_filter *f,
			     int (*fn)(const struct staff *, void *), void *arg, int64_t *total);
enum rh_err store_staff_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			       int64_t version, const struct staff *next, int id_change, struct staff *out,
			       struct rh_fail *fail);

/* The worker's photo (S1; the badge card prints it): type is
 * "image/jpeg" or "image/png", checked by the caller. Audited by its
 * SHA-256, not its bytes. */
enum rh_err store_staff_set_photo(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
				  int64_t version, const char *type, const unsigned char *data, size_t len,
				  struct staff *out, struct rh_fail *fail);
/* The photo, malloc'ed into *data (free() it); RH_ERR_NOT_FOUND when the
 * worker has none. */
enum rh_err store_staff_photo(struct db *db, int64_t tenant_id, int64_t id, char type[16], unsigned char **data,
			      size_t *len);

/* ---- imports ---- */

/* expected_rows (a guess from the file's size) lets a large import load
 * in bulk (store_import.c). An import runs in one write transaction from store_import_begin() to
 * store_import_end(): interrupted anywhere — an error, a kill — it leaves
 * the database as it was. Created records point at the import's row and
 * are covered by its one audit entry; updated records are audited one by
 * one, before and after. */
struct store_import;

enum import_kind { IMPORT_HOUSEHOLDS, IMPORT_STAFF };
enum import_outcome { IMPORT_INSERTED, IMPORT_UPDATED, IMPORT_UNCHANGED };

#define IMPORT_NEW_SITES_SHOWN 10
struct import_counts {
	int64_t id;		/* the imports row */
	long rows, inserted, updated, unchanged, rejected;
	/* the estates, buildings and units the rows that stand created (a
	 * misspelt estate makes a new one: the report says so), and the
	 * paths of the first IMPORT_NEW_SITES_SHOWN, cut to fit */
	long new_sites;
	char new_site[IMPORT_NEW_SITES_SHOWN][200];
};

/* What the importing user may do besides writing rows: their roles say
 * (http/access.h); the command line and the demo import with both. */
enum import_right {
	/* A row may name an estate, building or unit not yet there, which is
	 * then created; without it such a row is refused (RH_ERR_FORBIDDEN,
	 * the field naming the level). */
	IMPORT_NEW_SITES = 1u,
	/* Without it a row that gives an ID number for a stored record counts
	 * as "updated" even when it changes nothing (and is then not written):
	 * "unchanged" would tell a user who may not see the number that their
	 * guess was right. */
	IMPORT_SEES_ID = 2u,
};

/* dry_run: the import will end IMPORT_CHECKED (store_import_end).
 * scope: a limited account's id (SPEC X1), or 0. Its rows must name one
 * of its estates, which it cannot create, and an account number already
 * filed outside them is not theirs to change: both RH_ERR_FORBIDDEN
 * with the reason in fail's detail. */
enum rh_err store_import_begin(struct db *db, const struct actor *a, int64_t tenant_id, enum import_kind kind,
			       unsigned rights, int64_t scope, const char *source, const char *sha256, const char *encoding,
			       long expected_rows, int dry_run, struct store_import **out);
/* A row: inserted when its account number (staff number) is new, else
 * compared with what is stored and updated if it differs. A household's
 * estate → building → unit (trailing ones may be "", all "" for none) are
 * found by name, or created (IMPORT_NEW_SITES); a row refused takes the
 * sites it created back with it. keep: fields
 * the row leaves as they are (the caller's bits: masked cells, columns
 * the file lacks); merge() copies them from the stored record before the
 * comparison and says whether the ID number was among them. masked: the
 * bits of masked cells, which a new record cannot take — an error naming
 * masked_field. The row's version is the one an export wrote (0: none;
 * IMPORT_VERSION_BLANK: the export's column, this cell emptied): a row
 * that would change a record changed since then is refused,
 * RH_ERR_VERSION_CONFLICT naming version — and so, whatever it changes,
 * is one giving an ID number its user may not see (IMPORT_SEES_ID). */
#define IMPORT_VERSION_BLANK (-1)
typedef int (*household_merge_fn)(struct household *next, const struct household *stored, unsigned keep);
typedef int (*staff_merge_fn)(struct staff *next, const struct staff *stored, unsigned keep);
enum rh_err store_import_household(struct store_import *im, const char *estate, const char *building,
				   const char *unit, struct household *h, unsigned keep, unsigned masked,
				   const char *masked_field, household_merge_fn merge, enum import_outcome *outcome,
				   struct rh_fail *fail);
enum rh_err store_import_staff(struct store_import *im, struct staff *s, unsigned keep, unsigned masked,
			       const char *masked_field, staff_merge_fn merge, enum import_outcome *outcome,
			       struct rh_fail *fail);
/* A row that was refused (counted, nothing written). */
void store_import_reject(struct store_import *im);
/* How an import ends. IMPORT_COMMIT writes the import's row and audit
 * entry and commits. The others roll back: IMPORT_CHECKED (a dry run) and
 * IMPORT_REFUSED (bad rows) are still audited, with their counts — a
 * check tells its user things about the stored records too —
 * IMPORT_ABANDONED (the store or memory failed) is not. */
enum import_end { IMPORT_COMMIT, IMPORT_CHECKED, IMPORT_REFUSED, IMPORT_ABANDONED };
/* Frees im; counts (may be NULL) gets the totals either way. */
enum rh_err store_import_end(struct store_import *im, enum import_end how, struct import_counts *counts);

/* ---- field staff: hiring, training, certificates, discipline
 * (store_hiring.c, store_cert.c) ---- */

/* A document for staff f->staff_id (kind, name, content_type in f; data
 * is the file). Fills f's id, size, sha256. RH_ERR_NOT_FOUND naming
 * "staff_id" when the worker is not the tenant's. */
enum rh_err store_staff_file_add(struct db *db, const struct actor *a, struct staff_file *f,
				 const unsigned char *data, size_t len, struct rh_fail *fail);
/* The file; *data is malloc'ed (free()). */
enum rh_err store_staff_file_get(struct db *db, int64_t tenant_id, int64_t id, struct staff_file *out,
				 unsigned char **data, size_t *len);
enum rh_err store_staff_files(struct db *db, int64_t tenant_id, int64_t staff_id,
			      int (*fn)(const struct staff_file *, void *), void *arg);

/* Records a decision of the hiring pipeline, audited. file_id, when not
 * 0, must be one of the worker's files. */
enum rh_err store_hiring_step_add(struct db *db, const struct actor *a, struct hiring_step_rec *s,
				  struct rh_fail *fail);
enum rh_err store_hiring_steps(struct db *db, int64_t tenant_id, int64_t staff_id,
			       int (*fn)(const struct hiring_step_rec *, void *), void *arg);
/* The latest decision of each step of the worker's current pipeline
 * (after it was last taken on again): 1 passed, 0 failed, -1 none yet. */
enum rh_err store_hiring_latest(struct db *db, int64_t tenant_id, int64_t staff_id, int result[STEP__COUNT]);
/* Bit i set when hiring step i's latest decision is "passed". */
enum rh_err store_hiring_passed(struct db *db, int64_t tenant_id, int64_t staff_id, unsigned *passed);

/* A training, audited. A pre-job training with its exam passed or failed
 * is also the pipeline's pre-job training step (S2). */
enum rh_err store_training_add(struct db *db, const struct actor *a, struct training *t, struct rh_fail *fail);
enum rh_err store_trainings(struct db *db, int64_t tenant_id, int64_t staff_id,
			    int (*fn)(const struct training *, void *), void *arg);
/* The organisation's trainings, newest day first, each with its worker's
 * name and staff number (S4: the training ledger, 培训台账); *total how
 * many match. kind -1, and from or to not had, leave that filter open. */
struct training_filter {
	int64_t staff_id;
	int kind;
	int has_from, has_to;	/* whether from and to are given (day 0 is 1970-01-01) */
	rh_day from, to;
	int limit, offset;
};
enum rh_err store_training_list(struct db *db, int64_t tenant_id, const struct training_filter *f,
				int (*fn)(const struct training *, const char *name, const char *staff_no, void *),
				void *arg, int64_t *total);

enum rh_err store_cert_add(struct db *db, const struct actor *a, struct certificate *c, struct rh_fail *fail);
/* A correction or a revocation: a new version, audited with before/after. */
enum rh_err store_cert_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id, int64_t version,
			      const struct certificate *next, struct certificate *out, struct rh_fail *fail);
enum rh_err store_cert_get(struct db *db, int64_t tenant_id, int64_t id, struct certificate *out);
/* Certificates of one worker (staff_id > 0), or of active workers
 * ending from..to inclusive (staff_id 0), with each worker's name. */
struct cert_filter {
	int64_t staff_id;
	rh_day from, to;
	int limit, offset;
};
enum rh_err store_certs(struct db *db, int64_t tenant_id, const struct cert_filter *f,
			int (*fn)(const struct certificate *, const char *staff_name, void *), void *arg,
			int64_t *total);

/* The organisation's rule for every job type (defaults where it set none,
 * version 0). */
enum rh_err store_job_rules(struct db *db, int64_t tenant_id, struct job_rule out[JOB_TYPE_MAX]);
/* Sets a job type's rule, read at rule->version: RH_ERR_VERSION_CONFLICT
 * (fail->n the current version) when it changed since; the rule as it
 * stands writes nothing. Audited; the worker's visits rechecked. */
enum rh_err store_job_rule_set(struct db *db, const struct actor *a, int64_t tenant_id, int job_type,
			       const struct job_rule *rule, struct rh_fail *fail);

/* A discipline entry and what it does to the worker (discipline_effect):
 * status, level, badge and things to hand back, all in one transaction,
 * audited. *after gets the worker as it now is. */
enum rh_err store_discipline_add(struct db *db, const struct actor *a, struct discipline *d, struct staff *after,
				 struct rh_fail *fail);
enum rh_err store_disciplines(struct db *db, int64_t tenant_id, int64_t staff_id,
			      int (*fn)(const struct discipline *, void *), void *arg);

/* One entry, or RH_ERR_NOT_FOUND. */
enum rh_err store_discipline_get(struct db *db, int64_t tenant_id, int64_t id, struct discipline *out);
/* A correction of the entry at version — its reason, rule, evidence,
 * file, amount, day and who decided, as next has them — or its annulment
 * (next->annulled, with next->annulment saying why), as a new version,
 * audited ("update", "revoke") with before and after. Refused: an
 * annulled entry (RH_ERR_STATE naming "annulled"), the annulment of one
 * that changed the worker (discipline_annullable), an amount on what is
 * not a fine or bonus. A next that changes nothing writes nothing. */
enum rh_err store_discipline_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id, int64_t version,
				    const struct discipline *next, struct discipline *out, struct rh_fail *fail);

enum rh_err store_staff_returns(struct db *db, int64_t tenant_id, int64_t staff_id,
				int (*fn)(const struct staff_return *, void *), void *arg);
/* Ticks an item off as handed back, audited. */
enum rh_err store_staff_return_done(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
				    int64_t version, const char *notes, struct staff_return *out,
				    struct rh_fail *fail);

/* Everything eligibility decides from for one worker: the profile, the
 * facts (pointing into certs) and the organisation's rule for every job
 * type. Large: allocate it. */
struct elig_input {
	struct staff staff;
	struct elig_facts facts;
	struct elig_cert certs[ELIG_MAX_CERTS];
	struct job_rule rules[JOB_TYPE_MAX];
};
/* Reads it for worker staff_id (store_hiring.c); RH_ERR_NOT_FOUND when
 * the worker is not the tenant's. */
enum rh_err store_elig_input(struct db *db, int64_t tenant_id, int64_t staff_id, struct elig_input *in);
/* What a worker's yearly business training counts from (S4): the later
 * of the passed pre-job exam's day and the last annual training not
 * failed; 0 none. The facts eligibility's elig_facts.trained_on holds. */
enum rh_err store_trained_on(struct db *db, int64_t tenant_id, int64_t staff_id, rh_day *out);

/* ---- badges (store_badge.c) ---- */

/* A new badge for an active worker, voiding the one before; audited. */
enum rh_err store_badge_issue(struct db *db, const struct actor *a, int64_t tenant_id, int64_t staff_id,
			      struct badge *out, struct rh_fail *fail);
/* The worker's live (not voided) badge; RH_ERR_NOT_FOUND when none. */
enum rh_err store_badge_current(struct db *db, int64_t tenant_id, int64_t staff_id, struct badge *out);

/* What the public badge page may show, and nothing more. */
struct badge_public {
	int valid;			/* not voided and the worker active */
	int64_t tenant_id, staff_id;
	char name[STAFF_NAME_MAX * 4 + 1];
	char employer[EMPLOYER_MAX * 4 + 1];	/* the subcontractor, or the organisation */
	char organisation[TENANT_NAME_MAX * 4 + 1];
	char badge_no[ACCOUNT_NO_MAX + 1];
	enum staff_level level;
	unsigned job_types;
	int has_photo;
	int utc_offset_min;		/* the organisation's, for "today" */
};
/* The badge with this token; RH_ERR_NOT_FOUND when there is none. */
enum rh_err store_badge_check(struct db *db, const char *token, struct badge_public *out);
/* Whether the badge's worker has an assignment today (day) at the
 * household the appointment token names, or at a household of the
 * worker's assignments that day whose room is door or whose address ends
 * with it (door as door_clean() gives it), and who may be sent on that
 * visit today (S3: eligibility as of now, not only when it was made);
 * the best match (core/door.h) into *how, and into *visits how many
 * visits the worker has that day (for doorask.h's limit). */
enum rh_err store_badge_expected(struct db *db, const struct badge_public *b, rh_day day, const char *door,
				 const char *appointment, enum door_match *how, int *visits);
/* The photo of the badge's worker; *data malloc'ed. */
enum rh_err store_badge_photo(struct db *db, const char *token, char type[16], unsigned char **data, size_t *len);

/* ---- assignments (store_assign.c) ---- */

/* Checks eligibility (with the organisation's job rule) inside the write
 * transaction and inserts; RH_ERR_NOT_ELIGIBLE with *res filled when the
 * worker may not be sent. res is filled either way (warnings: besides
 * the worker's, a visit that day whose window overlaps, and a closed
 * household). as->level is raised to the job rule's when it asks less. */
enum rh_err store_assignment_create(struct db *db, const struct actor *a, struct assignment *as,
				    struct elig_result *res, struct rh_fail *fail);
enum rh_err store_assignment_get(struct db *db, int64_t tenant_id, int64_t id, struct assignment *out);
struct assignment_filter {
	int64_t staff_id, household_id;	/* 0 = any */
	int has_day;
	rh_day day;
	int status;			/* or -1 */
	int64_t scope;			/* SPEC X1: a limited account's id; 0 = none */
	int limit, offset;
};
enum rh_err store_assignments(struct db *db, int64_t tenant_id, const struct assignment_filter *f,
			      int (*fn)(const struct assignment *, void *), void *arg, int64_t *total);
/* A worker's own visits still assigned on day from and after, the
 * nearest first (by day, then time window): what they go out to do. */
enum rh_err store_assignments_ahead(struct db *db, int64_t tenant_id, int64_t staff_id, rh_day from, int limit,
				    int offset, int (*fn)(const struct assignment *, void *), void *arg,
				    int64_t *total);
enum rh_err store_assignment_cancel(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
				    int64_t version, struct assignment *out, struct rh_fail *fail);

/* ---- notifications (store_notice.c) ---- */

struct notice {
	int64_t id, tenant_id, user_id;
	char kind[48];
	char title_zh[256], title_en[256];
	char body_zh[1024], body_en[1024];
	char link[256];
	char dedup[128];
	int64_t created_at, read_at;
};
/* To every active account of the tenant holding one of roles; a notice
 * whose dedup a user already has is not sent to them again. *sent: how
 * many were new. */
enum rh_err store_notify_roles(struct db *db, int64_t tenant_id, rh_roles roles, const struct notice *n,
			       int64_t *sent);
enum rh_err store_notices(struct db *db, int64_t user_id, int unread_only, int limit, int offset,
			  int (*fn)(const struct notice *, void *), void *arg, int64_t *total, int64_t *unread);
/* Marks one (id > 0; RH_ERR_NOT_FOUND unless the user's) or all (id 0)
 * of the user's notices read. */
enum rh_err store_notice_read(struct db *db, int64_t user_id, int64_t id);
/* Removes the tenant's notices sent before created_before, read or not
 * (the daily housekeeping.prune job). *removed: how many. */
enum rh_err store_notice_prune(struct db *db, int64_t tenant_id, int64_t created_before, int64_t *removed);

/* ---- background jobs ---- */

/* In: tenant_id, kind, payload, run_at, max_attempts, dedup_key ("" none).
 * *created = 0 when a pending or running job with the same dedup key
 * exists (nothing is written then). */
enum rh_err store_job_enqueue(struct db *db, const struct actor *a, struct job *j, int *created);
/* Claims the job due earliest (run_at <= now) for `worker`, leasing it
 * until now + lease. RH_ERR_NOT_FOUND when nothing is due. */
enum rh_err store_job_claim(struct db *db, const char *worker, int64_t now, int64_t lease,
			    struct job *out);
/* Ends a claimed run: ok → done with result; failed → pending again at
 * retry_at, or dead when attempts are used up. RH_ERR_STATE if the lease
 * was lost (another worker took the job over). */
enum rh_err store_job_finish(struct db *db, int64_t id, const char *worker, int ok, const char *text,
			     int64_t now, int64_t retry_at);
/* Extends a claimed run's lease to until, while the run goes on.
 * RH_ERR_STATE if the lease was lost already. */
enum rh_err store_job_renew(struct db *db, int64_t id, const char *worker, int64_t until);
/* Running jobs whose lease ran out go back to pending. */
enum rh_err store_job_release_stale(struct db *db, int64_t now, int64_t *released);

/* When the tenant's last job of kind ended (done, dead or cancelled);
 * 0 when none has. */
enum rh_err store_job_last_end(struct db *db, int64_t tenant_id, const char *kind, int64_t *finished_at);

/* Removes the tenant's finished jobs (done, dead, cancelled) that ended
 * before finished_before; pending and running ones stay. */
enum rh_err store_job_prune(struct db *db, int64_t tenant_id, int64_t finished_before, int64_t *removed);

struct job_filter {
	int state;		/* enum job_state, or -1 */
	const char *kind;	/* NULL = any */
	int limit, offset;	/* newest first */
};
enum rh_err store_job_list(struct db *db, int64_t tenant_id, const struct job_filter *f,
			   int (*fn)(const struct job *, void *), void *arg, int64_t *total);
enum rh_err store_job_get(struct db *db, int64_t tenant_id, int64_t id, struct job *out);
/* Admin actions, audited: a dead or cancelled job runs again now (with
 * fresh attempts); a pending job is cancelled. RH_ERR_STATE otherwise. */
enum rh_err store_job_retry(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			    int64_t version, int64_t now, struct job *out, struct rh_fail *fail);
enum rh_err store_job_cancel(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			     int64_t version, int64_t now, struct job *out, struct rh_fail *fail);

#endif
