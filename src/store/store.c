/*
 * store.c — opening a database and the pool of connections to it.
 *
 * The pool holds one connection per HTTP worker thread plus a few for
 * the scheduler and start-up work (sized by the caller). SQLite wants a
 * connection per thread; PostgreSQL wants few connections in all; a
 * small fixed pool with a condition variable serves both. HTTP workers
 * pin theirs for good (store_thread_db), which keeps the pool's lock off
 * the per-request path.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/log.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/store_internal.h"

struct store {
	const struct db_driver *drv;
	struct keys keys;
	struct db **conns;
	int n;
	struct db **idle;	/* stack of free connections */
	int nidle;
	int schema_version;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *target;		/* what it was opened with, for the watcher's connection */
	/* Cached answers and what they depend on (store_watch_changes) */
	struct changes changes;
	struct badge_cache *badges;
	struct db *watch_db;
	pthread_t watcher;
	int wake[2];		/* written to stop the watcher */
	_Atomic int stopping;
	_Atomic int imports_writing;	/* what each connection's imports_writing points to (db.h) */
};

enum rh_err calendar_seed_official(struct db *db);	/* store_calendar.c */
enum rh_err store_cert_seal_pending(struct db *db);	/* store_cert.c */
enum rh_err store_file_seal_pending(struct db *db);	/* store_hiring.c */
enum rh_err store_photo_seal_pending(struct db *db);	/* store_staff.c */

static const struct sql Q_KEY_CHECK = { "SELECT key_check FROM installation WHERE tenant_id = 0" };
static const struct sql Q_ANY_CHAIN = { "SELECT tenant_id FROM audit_log ORDER BY tenant_id, seq LIMIT 1" };
static const struct sql Q_KEY_CHECK_SET = {
	"INSERT INTO installation (tenant_id, key_check, created_at) VALUES (0, $1, $2)"
};

/* A database made before the key check (migration 003) has no check yet:
 * its audit trail tells whether these keys are its own (the first entry
 * of a chain is keyed like every other), before it is stamped with them.
 * RH_OK when they are, or when it has no entry at all. */
static enum rh_err key_fits_old(struct db *db)
{
	struct db_stmt *st = q_bind(db, &Q_ANY_CHAIN, "");
	if (!st) return RH_ERR_STORE;
	enum db_step s = q_step(db, st);
	int64_t tenant = s == DB_ROW ? q_int(db, st, 0) : -1;
	q_finish(db, st);
	if (s == DB_ERROR) return q_error(db, "key check");
	if (tenant < 0) return RH_OK;
	struct audit_check c;
	enum rh_err rc = store_audit_verify_one(db, tenant, &c);
	if (rc != RH_OK) return rc;
	return c.broken_seq == 1 ? RH_ERR_KEY_MISMATCH : RH_OK;
}

/* Proves the keys are this database's (migration 003): a new database,
 * or one made before the check whose audit trail they verify, takes the
 * check of these keys; any other is refused with RH_ERR_KEY_MISMATCH. */
/* The stored check into out ("" when none): DB_ROW, DB_DONE or DB_ERROR. */
static enum db_step stored_check(struct db *db, char out[TOKEN_HASH_LEN + 1])
{
	struct db_stmt *st = q_bind(db, &Q_KEY_CHECK, "");
	enum db_step s = st ? q_step(db, st) : DB_ERROR;
	out[0] = '\0';
	if (s == DB_ROW) q_copy(db, st, 0, out, TOKEN_HASH_LEN + 1);
	if (st) q_finish(db, st);
	return s;
}

void key_check_of(const struct keys *keys, char out[TOKEN_HASH_LEN + 1])
{
	secret_lookup_hash(keys->lookup, "ruhu installation key check", out);
}

/* err for a key check that failed with rc. */
static enum rh_err key_refused(struct db *db, enum rh_err rc, char *err, size_t errlen)
{
	if (rc == RH_ERR_KEY_MISMATCH)
		snprintf(err, errlen, "the installation key is not this database's: it was made under another key "
			 "(restore the key file from your backup, or set RUHU_SECRET_KEY to its key)");
	else if (rc != RH_OK)
		snprintf(err, errlen, "cannot check the installation key: %s", db->drv->errmsg(db));
	return rc;
}

static const struct sql Q_HAS_INSTALLATION = {
	"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'installation'",
	"SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'installation'",
};

/* The key proven on an installation before any migration is applied: a
 * newer ruhu run with a mistyped key had upgraded an older database for
 * good (which older nodes then could not open) and only then refused it.
 * Reads only. The stored check when there is one (migration 003), else
 * the audit trail (key_fits_old: its table is migration 001's, unchanged
 * since); *proven says the trail was asked, so key_check need not ask it
 * again after the migrations. */
static enum rh_err key_before_migrating(struct db *db, int *proven, char *err, size_t errlen)
{
	char mine[TOKEN_HASH_LEN + 1], stored[TOKEN_HASH_LEN + 1];
	*proven = 0;
	struct db_stmt *st = q_bind(db, &Q_HAS_INSTALLATION, "");
	enum db_step s = st ? q_step(db, st) : DB_ERROR;
	int64_t has = s == DB_ROW ? q_int(db, st, 0) : 0;
	if (st) q_finish(db, st);
	if (s != DB_ROW) return key_refused(db, q_error(db, "key check"), err, errlen);
	s = has ? stored_check(db, stored) : DB_DONE;
	if (s == DB_ERROR) return key_refused(db, q_error(db, "key check"), err, errlen);
	if (s == DB_ROW) {
		key_check_of(db->keys, mine);
		return key_refused(db, strcmp(stored, mine) == 0 ? RH_OK : RH_ERR_KEY_MISMATCH, err, errlen);
	}
	*proven = 1;
	return key_refused(db, key_fits_old(db), err, errlen);
}

/* After the migrations: the stored check compared, or, on a database
 * without one, made — once the audit trail has shown the keys to be its
 * own (proven: key_before_migrating asked it already). */
static enum rh_err key_check(struct db *db, int proven, char *err, size_t errlen)
{
	char mine[TOKEN_HASH_LEN + 1], stored[TOKEN_HASH_LEN + 1];
	key_check_of(db->keys, mine);
	/* No check yet: the audit trail first (a read of its own), then the
	 * stamp under the write lock, looking again in case another node
	 * stamped it meanwhile. */
	enum db_step s = stored_check(db, stored);
	enum rh_err rc = s == DB_ERROR ? q_error(db, "key check") : s == DB_DONE && !proven ? key_fits_old(db) : RH_OK;
	if (rc == RH_OK && s == DB_DONE) {
		rc = tx_begin(db, 1);
		if (rc == RH_OK) s = stored_check(db, stored);
		if (rc == RH_OK && s == DB_ERROR) rc = q_error(db, "key check");
		if (rc == RH_OK && s == DB_DONE) rc = q_exec(db, &Q_KEY_CHECK_SET, "tI", mine, store_now());
		rc = tx_end(db, rc);
	}
	if (rc == RH_OK && s == DB_ROW && strcmp(stored, mine) != 0) rc = RH_ERR_KEY_MISMATCH;
	return key_refused(db, rc, err, errlen);
}

_Static_assert(STORE_CREATE == DB_CREATE, "store_open passes STORE_CREATE on as the driver's flag");

int store_target_is_pg(const char *target)
{
	return db_driver_for(target) == &db_pg_driver;
}

enum rh_err store_open(const char *target, unsigned how, int connections, const struct keys *keys,
		       struct store **out, char *err, size_t errlen)
{
	const struct db_driver *drv = db_driver_for(target);
	if (connections < 1) connections = 1;
	struct store *st = calloc(1, sizeof *st);
	if (!st) { snprintf(err, errlen, "out of memory"); return RH_ERR_NOMEM; }
	st->drv = drv;
	st->keys = *keys;
	st->wake[0] = st->wake[1] = -1;
	atomic_init(&st->changes.seen, 1);
	st->target = strdup(target);
	st->conns = calloc((size_t)connections, sizeof *st->conns);
	st->idle = calloc((size_t)connections, sizeof *st->idle);
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	if (!st->conns || !st->idle || !st->target) {
		store_close(st);
		snprintf(err, errlen, "out of memory");
		return RH_ERR_NOMEM;
	}
	/* The first connection migrates before the others open, so they all
	 * see the finished schema. */
	for (int i = 0; i < connections; i++) {
		/* only the first may make the file; the rest open what it made */
		if (drv->open(target, i == 0 ? how & STORE_CREATE : 0, &st->conns[i], err, errlen) != 0) {
			store_close(st);
			return RH_ERR_STORE;
		}
		st->conns[i]->keys = &st->keys;
		st->conns[i]->changes = &st->changes;
		st->conns[i]->imports_writing = &st->imports_writing;
		st->n++;
		st->idle[st->nidle++] = st->conns[i];
		if (i == 0) {
			int installed = 0, proven = 0;
			enum rh_err rc = migrate_installed(st->conns[0], &installed);
			if (rc != RH_OK) snprintf(err, errlen, "cannot read the database's tables: %s", drv->errmsg(st->conns[0]));
			if (rc == RH_OK && !installed && !(how & STORE_CREATE)) {
				snprintf(err, errlen, "%s holds no ruhu installation (`ruhu init` makes one; --db or RUHU_DB names "
					 "another)", store_target_is_pg(target) ? "the database" : target);
				rc = RH_ERR_NOT_FOUND;
			}
			/* an installation's key before its schema is changed */
			if (rc == RH_OK && installed) rc = key_before_migrating(st->conns[0], &proven, err, errlen);
			if (rc == RH_OK) rc = migrate_apply(st->conns[0], &st->schema_version, err, errlen);
			if (rc == RH_OK) rc = key_check(st->conns[0], proven, err, errlen);
			if (rc == RH_OK && (rc = calendar_seed_official(st->conns[0])) != RH_OK)
				snprintf(err, errlen, "cannot load the shipped holiday calendar");
			const char *sealing = NULL;
			if (rc == RH_OK && (rc = store_cert_seal_pending(st->conns[0])) != RH_OK) sealing = "the certificates' numbers";
			if (rc == RH_OK && (rc = store_file_seal_pending(st->conns[0])) != RH_OK) sealing = "the staff documents";
			if (rc == RH_OK && (rc = store_photo_seal_pending(st->conns[0])) != RH_OK) sealing = "the staff photos";
			/* the driver's message only when the driver failed */
			if (sealing)
				snprintf(err, errlen, "cannot seal %s: %s", sealing,
					 rc == RH_ERR_STORE ? drv->errmsg(st->conns[0]) : rh_error_info(rc)->en);
			if (rc != RH_OK) {
				store_close(st);
				return rc;
			}
		}
	}
	*out = st;
	return RH_OK;
}

void store_close(struct store *st)
{
	if (!st) return;
	if (st->watch_db) {
		atomic_store(&st->stopping, 1);
		if (write(st->wake[1], "x", 1) != 1) { /* the watcher still stops within its heartbeat */ }
		/* A watcher stuck making its connection to a server that does not
		 * answer is not waited for past a few seconds: the process is
		 * ending, and its connection goes with it. */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 3;
		if (pthread_timedjoin_np(st->watcher, NULL, &until) != 0) {
			/* It still reads st, its connection and the pipe: those
			 * are left to the process's end, not freed under it. */
			log_error("the change watcher did not stop; leaving it to the process's end");
			for (int i = 0; i < st->n; i++) st->drv->close(st->conns[i]);
			return;
		}
		st->drv->close(st->watch_db);
	}
	if (st->wake[0] >= 0) close(st->wake[0]);
	if (st->wake[1] >= 0) close(st->wake[1]);
	for (int i = 0; i < st->n; i++) st->drv->close(st->conns[i]);
	badge_cache_free(st->badges);
	free(st->target);
	free(st->conns);
	free(st->idle);
	sodium_memzero(&st->keys, sizeof st->keys);
	pthread_mutex_destroy(&st->mu);
	pthread_cond_destroy(&st->cv);
	free(st);
}

enum rh_err store_map_file(struct store *st, int on)
{
	if (!st->drv->map_file) return RH_OK;
	for (int i = 0; i < st->n; i++)
		if (st->drv->map_file(st->conns[i], on) != 0) return RH_ERR_STORE;
	return RH_OK;
}

/* How long the watcher waits for notifications before it asks the server
 * whether it is still listening. */
#define WATCH_MS 500
/* After the watcher lost its session: how long until it tries again (a
 * server coming back is not hammered; nothing is kept meanwhile). */
#define WATCH_RETRY_MS 2000

static void *watcher_main(void *arg)
{
	struct store *st = arg;
	int was = 1;
	while (!atomic_load(&st->stopping)) {
		int ok = st->drv->watch(st->watch_db, WATCH_MS, st->wake[0]) == 0;
		if (ok != was) {
			if (ok) log_info("listening for changes again: badge answers are kept in memory");
			else log_error("not listening for changes: %s; badge checks read the database until it is back",
				       st->drv->errmsg(st->watch_db));
			was = ok;
		}
		if (ok) continue;
		struct pollfd p = { .fd = st->wake[0], .events = POLLIN };
		poll(&p, 1, WATCH_RETRY_MS);
	}
	return NULL;
}

enum rh_err store_watch_changes(struct store *st, char *err, size_t errlen)
{
	if (!st->drv->watch || st->watch_db) return RH_OK;
	if (pipe(st->wake) != 0) {
		snprintf(err, errlen, "cannot make a pipe: %s", strerror(errno));
		return RH_ERR_IO;
	}
	struct badge_cache *badges = badge_cache_new();
	if (!badges) {
		snprintf(err, errlen, "out of memory");
		return RH_ERR_NOMEM;
	}
	if (st->drv->open(st->target, 0, &st->watch_db, err, errlen) != 0) {
		badge_cache_free(badges);
		return RH_ERR_STORE;
	}
	st->watch_db->keys = &st->keys;
	st->watch_db->changes = &st->changes;
	if (pthread_create(&st->watcher, NULL, watcher_main, st) != 0) {
		st->drv->close(st->watch_db);
		st->watch_db = NULL;
		badge_cache_free(badges);
		snprintf(err, errlen, "cannot start the change watcher");
		return RH_ERR_INTERNAL;
	}
	st->badges = badges;
	for (int i = 0; i < st->n; i++) st->conns[i]->badges = badges;
	return RH_OK;
}

void store_badge_cache_stats(struct store *st, uint64_t *hits, uint64_t *misses, int *watching)
{
	badge_cache_stats(st->badges, hits, misses);
	*watching = st->watch_db && atomic_load(&st->changes.watched);
}

const char *store_backend(const struct store *st) { return st->drv->name; }
int store_schema_version(const struct store *st) { return st->schema_version; }

/* One pinned connection per thread. Thread-local so that finding it takes
 * no lock; it names its store so a thread never uses another store's. */
static _Thread_local struct {
	struct store *st;
	struct db *db;
} pinned;

struct db *store_thread_db(struct store *st)
{
	if (pinned.st != st) {
		pinned.db = store_acquire(st);
		pinned.st = st;
	}
	return pinned.db;
}

struct db *store_loop_db(struct store *st)
{
	struct db *db = store_thread_db(st);
	if (db) db->on_loop = 1;
	return db;
}

void store_thread_db_reset(struct db *db)
{
	db->drv->rollback(db);	/* a snapshot, or a handler that bailed out mid-transaction */
	db->snapshot = 0;
	db->behind_import = 0;	/* a request's, not the next one's */
}

struct db *store_acquire(struct store *st)
{
	pthread_mutex_lock(&st->mu);
	while (st->nidle == 0) pthread_cond_wait(&st->cv, &st->mu);
	struct db *db = st->idle[--st->nidle];
	pthread_mutex_unlock(&st->mu);
	return db;
}

void store_release(struct store *st, struct db *db)
{
	if (!db) return;
	db->drv->rollback(db);	/* a snapshot, or a handler that bailed out mid-transaction */
	db->snapshot = 0;
	db->behind_import = 0;	/* a request's, not the next one's */
	db->on_loop = 0;	/* the pool's connections are background work's */
	pthread_mutex_lock(&st->mu);
	st->idle[st->nidle++] = db;
	pthread_cond_signal(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

void store_snapshot_begin(struct db *db)
{
	if (!db->snapshot && db->drv->begin(db, 0) == 0) db->snapshot = 1;
}

void store_snapshot_end(struct db *db)
{
	if (!db->snapshot) return;
	db->drv->rollback(db);	/* it only read */
	db->snapshot = 0;
}

static const struct sql Q_PING = { "SELECT 1" };

enum rh_err store_ping(struct db *db)
{
	struct db_stmt *s = q_bind(db, &Q_PING, "");
	if (!s) return q_unprepared(db);
	enum rh_err rc = q_step(db, s) == DB_ROW ? RH_OK : q_error(db, "ping");
	q_finish(db, s);
	return rc;
}
