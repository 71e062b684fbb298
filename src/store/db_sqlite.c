/*
 * db_sqlite.c — the SQLite backend of the database driver (see db.h).
 *
 * Each connection is opened without SQLite's own mutexes (one thread uses
 * it at a time), in WAL mode so readers never wait for the writer, with a
 * busy timeout so two writers queue instead of failing, and with
 * synchronous=FULL: records are evidence, and a committed record must
 * survive a power cut, not only a crash of ruhu.
 *
 * Write transactions start with BEGIN IMMEDIATE, taking the write lock at
 * once; a deferred transaction that reads and then writes can fail with
 * SQLITE_BUSY without waiting, which the busy timeout cannot help.
 *
 * The busy timeout is ruhu's own handler (on_busy), not
 * sqlite3_busy_timeout: how long a write waits depends on what holds
 * the lock — not long behind a long import (db.h), of this process or of
 * another, which says so by an exclusive flock on the file beside the
 * database, DB-import (import_mark).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include "core/collate.h"
#include "core/digits.h"
#include "core/site.h"
#include "store/db.h"
#include "store/stmt_cache.h"
#include "store/store.h"

#define MAX_PARAMS 32

struct db_stmt {
	sqlite3_stmt *st;
	struct sqlite_db *db;
	unsigned char map[MAX_PARAMS + 1];	/* $N -> SQLite's parameter index */
	int nparams;				/* the highest $N used */
};

struct sqlite_db {
	struct db base;
	sqlite3 *h;
	struct stmt_cache stmts;
	int wait_ms;		/* wait_for_writer's */
	int64_t busy_since;	/* the monotonic ms the current wait began */
	char *import_path;	/* the database's path + "-import" */
	int import_fd;		/* held (flock) while this connection's long import writes, else -1 */
};

static struct sqlite_db *SDB(struct db *db) { return (struct sqlite_db *)db; }

static int exec(struct sqlite_db *d, const char *sql)
{
	return sqlite3_exec(d->h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static pthread_once_t configured = PTHREAD_ONCE_INIT;

/* Process-wide settings, before the first connection: SQLite's memory
 * statistics take a mutex shared by all connections on every allocation,
 * and nothing in ruhu reads them. */
static void configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* ruhu_sort_key(name): the order sites are listed in (core/site.h). */
static void sql_sort_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *name = sqlite3_value_text(argv[0]);
	if (!name) {
		sqlite3_result_null(ctx);
		return;
	}
	char key[SITE_SORT_KEY_MAX];
	site_sort_key((const char *)name, key, sizeof key);
	sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
}

/* ruhu_name_key(name): a person's name keyed for pinyin order
 * (core/collate.h), with the connection's collator. */
static void sql_name_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *name = sqlite3_value_text(argv[0]);
	if (!name) {
		sqlite3_result_null(ctx);
		return;
	}
	size_t n = (size_t)sqlite3_value_bytes(argv[0]);
	char *key = sqlite3_malloc64(NAME_KEY_MAX(n));
	if (!key) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	size_t len = name_key(sqlite3_user_data(ctx), (const char *)name, n, key);
	sqlite3_result_blob64(ctx, key, len, sqlite3_free);
}

static void collator_free(void *c) { name_collator_close(c); }

/* ruhu_digit_windows(text): the digit index's words (core/digits.h,
 * migration 012). */
static void sql_digit_windows(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *text = sqlite3_value_text(argv[0]);
	if (!text) {
		sqlite3_result_null(ctx);
		return;
	}
	size_t cap = 7 * (size_t)sqlite3_value_bytes(argv[0]) + 1;
	char *w = sqlite3_malloc64(cap);
	if (!w) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	size_t n = digit_windows_text((const char *)text, w, cap);
	sqlite3_result_text(ctx, w, (int)n, sqlite3_free);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A long import marks the database as its own: an exclusive flock on the
 * file beside it, taken once its write transaction has begun and given
 * up when it ends. flock, not fcntl: SQLite's locks are fcntl locks on the
 * database file, which a close of any descriptor of that file would drop;
 * this is another file, and flock's locks are the open file's own, so a
 * killed import's go with it. Best effort: unmarked, writes behind the
 * import wait as behind any. */
static void import_mark(struct sqlite_db *d)
{
	if (!d->import_path) return;
	d->import_fd = open(d->import_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->import_fd >= 0 && flock(d->import_fd, LOCK_EX) != 0) {
		close(d->import_fd);
		d->import_fd = -1;
	}
}

static void import_unmark(struct sqlite_db *d)
{
	if (d->import_fd < 0 || !sqlite3_get_autocommit(d->h)) return;	/* still in its transaction */
	flock(d->import_fd, LOCK_UN);
	close(d->import_fd);
	d->import_fd = -1;
}

/* Whether a long import of another process (ruhu import) or connection
 * writes: the mark cannot be shared. */
static int import_marked(const struct sqlite_db *d)
{
	if (!d->import_path) return 0;
	int fd = open(d->import_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return 0;
	int held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
	close(fd);	/* and with it the shared lock, if it was had */
	return held;
}

/* SQLite's busy handler: called while another connection holds the lock
 * this one needs, tries counting the calls for the same wait. Sleeps a
 * little longer each time, up to 25 ms, and gives up (SQLITE_BUSY) when
 * the connection's wait is spent — for an HTTP thread's connection
 * DB_WAIT_BEHIND_IMPORT, while a long import of this process (counted)
 * or of another (marked) writes. Checked on every call: a wait begun
 * before the import took the lock is cut short as well. */
static int on_busy(void *arg, int tries)
{
	static const int steps[] = { 1, 2, 5, 10, 20 };
	struct sqlite_db *d = arg;
	int64_t now = mono_ms();
	if (tries == 0) {
		d->busy_since = now;
		d->base.behind_import = 0;
	}
	int limit = d->wait_ms, cut = 0;
	if (d->base.on_loop && limit > DB_WAIT_BEHIND_IMPORT &&
	    (db_import_writing(&d->base) || import_marked(d))) {
		limit = DB_WAIT_BEHIND_IMPORT;
		cut = 1;
	}
	int64_t left = d->busy_since + limit - now;
	if (left <= 0) {
		d->base.behind_import = cut;
		return 0;
	}
	int step = tries < (int)(sizeof steps / sizeof steps[0]) ? steps[tries] : 25;
	sqlite3_sleep(step < left ? step : (int)left);
	return 1;
}

/* "file:PATH?immutable=1" for a file with no -wal beside it, nor a hot
 * -journal a crashed writer left to be played back (DB_READ_ONLY), or
 * NULL: sqlite3_free() it. */
static char *immutable_uri(const char *path)
{
	char *wal = sqlite3_mprintf("%s-wal", path), *journal = sqlite3_mprintf("%s-journal", path);
	int live = !wal || !journal || access(wal, F_OK) == 0 || access(journal, F_OK) == 0;
	sqlite3_free(wal);
	sqlite3_free(journal);
	if (live) return NULL;
	sqlite3_str *s = sqlite3_str_new(NULL);
	/* an absolute path after an empty authority: "//tmp/x.db" would
	   otherwise read as the host "tmp" */
	sqlite3_str_appendall(s, path[0] == '/' ? "file://" : "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#') sqlite3_str_appendf(s, "%%%02X", (unsigned char)*p);
		else sqlite3_str_appendchar(s, 1, *p);
	}
	sqlite3_str_appendall(s, "?immutable=1");
	return sqlite3_str_finish(s);
}

static int sq_open(const char *target, unsigned how, struct db **out, char *err, size_t errlen)
{
	pthread_once(&configured, configure);
	if (!(how & DB_CREATE) && access(target, F_OK) != 0) {
		snprintf(err, errlen, "%s: %s (`ruhu init` makes a database)", target, strerror(errno));
		return -1;
	}
	struct sqlite_db *d = calloc(1, sizeof *d);
	if (!d) { snprintf(err, errlen, "out of memory"); return -1; }
	d->base.drv = &db_sqlite_driver;
	int flags = ((how & DB_READ_ONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX |
		    ((how & DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
	char *uri = (how & DB_READ_ONLY) ? immutable_uri(target) : NULL;
	if (uri) flags |= SQLITE_OPEN_URI;
	int opened = sqlite3_open_v2(uri ? uri : target, &d->h, flags, NULL);
	sqlite3_free(uri);
	if (opened != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", target, d->h ? sqlite3_errmsg(d->h) : "cannot open");
		sqlite3_close(d->h);
		free(d);
		return -1;
	}
	d->wait_ms = DB_WAIT_DEFAULT;
	d->import_fd = -1;
	size_t n = strlen(target);
	if ((d->import_path = malloc(n + sizeof "-import")) != NULL) {
		memcpy(d->import_path, target, n);
		memcpy(d->import_path + n, "-import", sizeof "-import");
	}
	sqlite3_busy_handler(d->h, on_busy, d);
	sqlite3_extended_result_codes(d->h, 1);
	/* NULL without GB18030 in the C library: names then list by code
	 * point (name_key), which is no reason to refuse the database */
	struct name_collator *collator = name_collator_open();
	if (/* SQLite owns the collator from here, also when this fails */
	    sqlite3_create_function_v2(d->h, "ruhu_name_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				       collator, sql_name_key, NULL, NULL, collator_free) != SQLITE_OK ||
	    sqlite3_create_function_v2(d->h, "ruhu_sort_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				       NULL, sql_sort_key, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(d->h, "ruhu_digit_windows", 1,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_digit_windows, NULL,
				       NULL, NULL) != SQLITE_OK ||
	    (!(how & DB_AS_IS) && exec(d, "PRAGMA journal_mode=WAL")) || exec(d, "PRAGMA synchronous=FULL") ||
	    exec(d, "PRAGMA foreign_keys=ON") || exec(d, "PRAGMA temp_store=MEMORY") || exec(d, "PRAGMA cache_size=-8192")) {
		snprintf(err, errlen, "%s: %s", target, sqlite3_errmsg(d->h));
		sqlite3_close(d->h);
		free(d->import_path);
		free(d);
		return -1;
	}
	*out = &d->base;
	return 0;
}

/* A bulk load (an import) writes far more pages than the default cache
 * of 2 MB holds in one transaction; spilled pages are read back from the
 * WAL over and over. A large cache for its duration, then the default. */
static void sq_bulk(struct db *db, int on)
{
	exec(SDB(db), on ? "PRAGMA cache_size=-65536" : "PRAGMA cache_size=-8192");
}

/* SQLite's memory-mapped reads, up to its compile-time maximum (Debian
 * builds it with SQLITE_MAX_MMAP_SIZE 0x7fff0000: 2 GB; a file larger
 * is mapped that far and read beyond). The PRAGMA, not the file control:
 * only the PRAGMA also tells the pager to fetch pages from the map. */
static int sq_map_file(struct db *db, int on)
{
	return exec(SDB(db), on ? "PRAGMA mmap_size=2147418112" : "PRAGMA mmap_size=0");
}

static void sq_wait_for_writer(struct db *db, int ms)
{
	SDB(db)->wait_ms = ms;
}

static void stmt_free(struct db_stmt *st)
{
	sqlite3_finalize(st->st);
	free(st);
}

static void sq_close(struct db *db)
{
	struct sqlite_db *d = SDB(db);
	if (!d) return;
	stmt_cache_each(&d->stmts, stmt_free);
	stmt_cache_free(&d->stmts);
	sqlite3_close(d->h);
	if (d->import_fd >= 0) close(d->import_fd);
	free(d->import_path);
	free(d);
}

static int sq_exec_script(struct db *db, const char *script)
{
	return exec(SDB(db), script);
}

static struct db_stmt *sq_prepare(struct db *db, const struct sql *q, const char *types);

/* Transaction control runs on every request: prepared once, not parsed
 * again each time as sqlite3_exec() would. */
static int run(struct db *db, const struct sql *q)
{
	struct db_stmt *st = sq_prepare(db, q, "");
	if (!st) return -1;
	int rc = sqlite3_step(st->st);
	sqlite3_reset(st->st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static const struct sql Q_BEGIN = { "BEGIN" };
static const struct sql Q_BEGIN_WRITE = { "BEGIN IMMEDIATE" };
static const struct sql Q_COMMIT = { "COMMIT" };
static const struct sql Q_ROLLBACK = { "ROLLBACK" };

static int sq_begin(struct db *db, int write)
{
	db->behind_import = 0;
	if (run(db, write ? &Q_BEGIN_WRITE : &Q_BEGIN) != 0) return -1;
	if (write == DB_WRITE_LONG) import_mark(SDB(db));
	return 0;
}

static int sq_commit(struct db *db)
{
	int rc = run(db, &Q_COMMIT);
	import_unmark(SDB(db));
	return rc;
}

static void sq_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(SDB(db)->h)) run(db, &Q_ROLLBACK);
	import_unmark(SDB(db));
}

static struct db_stmt *sq_prepare(struct db *db, const struct sql *q, const char *types)
{
	(void)types;	/* SQLite's values carry their own types */
	struct sqlite_db *d = SDB(db);
	struct db_stmt *st = stmt_cache_get(&d->stmts, q);
	if (st) {
		sqlite3_reset(st->st);
		sqlite3_clear_bindings(st->st);
		return st;
	}
	st = calloc(1, sizeof *st);
	if (!st) return NULL;
	st->db = d;
	if (sqlite3_prepare_v3(d->h, q->text, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL) != SQLITE_OK) {
		free(st);
		return NULL;
	}
	int n = sqlite3_bind_parameter_count(st->st);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(st->st, i);
		long num = name && name[0] == '$' ? strtol(name + 1, NULL, 10) : 0;
		if (num < 1 || num > MAX_PARAMS) {	/* only $1..$32 are allowed */
			sqlite3_finalize(st->st);
			free(st);
			return NULL;
		}
		st->map[num] = (unsigned char)i;
		if (num > st->nparams) st->nparams = (int)num;
	}
	if (stmt_cache_put(&d->stmts, q, st) != 0) {
		sqlite3_finalize(st->st);
		free(st);
		return NULL;
	}
	return st;
}

static int sq_bind_int(struct db_stmt *st, int param, int64_t v)
{
	if (param < 1 || param > MAX_PARAMS || !st->map[param]) return -1;
	return sqlite3_bind_int64(st->st, st->map[param], v) == SQLITE_OK ? 0 : -1;
}

static int sq_bind_text(struct db_stmt *st, int param, const char *s)
{
	if (param < 1 || param > MAX_PARAMS || !st->map[param]) return -1;
	int rc = s ? sqlite3_bind_text(st->st, st->map[param], s, -1, SQLITE_TRANSIENT)
		   : sqlite3_bind_null(st->st, st->map[param]);
	return rc == SQLITE_OK ? 0 : -1;
}

static enum db_step sq_step(struct db_stmt *st)
{
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW) return DB_ROW;
	if (rc == SQLITE_DONE) return DB_DONE;
	return DB_ERROR;
}

static int sq_column_count(struct db_stmt *st) { return sqlite3_column_count(st->st); }
static int sq_param_count(struct db_stmt *st) { return st->nparams; }
static int sq_is_null(struct db_stmt *st, int col) { return sqlite3_column_type(st->st, col) == SQLITE_NULL; }
static int64_t sq_col_int(struct db_stmt *st, int col) { return sqlite3_column_int64(st->st, col); }

static const char *sq_col_text(struct db_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st->st, col);
	return t ? (const char *)t : "";
}

static int64_t sq_inserted(struct db *db)
{
	sqlite3 *h = SDB(db)->h;
	return sqlite3_changes(h) > 0 ? sqlite3_last_insert_rowid(h) : 0;
}

static void sq_finish(struct db_stmt *st)
{
	sqlite3_reset(st->st);
}

static enum db_errkind sq_errkind(struct db *db)
{
	int rc = sqlite3_extended_errcode(SDB(db)->h);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return DB_E_UNIQUE;
	if ((rc & 0xff) == SQLITE_CONSTRAINT) return DB_E_CONSTRAINT;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) return DB_E_BUSY;
	return rc == SQLITE_OK ? DB_E_NONE : DB_E_OTHER;
}

static const char *sq_errmsg(struct db *db)
{
	return sqlite3_errmsg(SDB(db)->h);
}

static const char *sq_col_name(struct db_stmt *st, int col)
{
	const char *n = sqlite3_column_name(st->st, col);
	return n ? n : "";
}

/* "ok", or the first thing PRAGMA integrity_check found wrong, into err.
 * A file that is not a database at all fails the same way. */
static int integrity(sqlite3 *h, const char *file, char *err, size_t errlen)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(h, "PRAGMA integrity_check(1)", -1, &q, NULL);
	if (rc == SQLITE_OK) rc = sqlite3_step(q);
	int ok = rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0;
	if (!ok)
		snprintf(err, errlen, "%s is damaged: %s", file,
			 rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : sqlite3_errmsg(h));
	sqlite3_finalize(q);
	return ok ? 0 : -1;
}

/* What a failed backup leaves is removed: the copy and its journal. */
static void remove_partial(const char *partial)
{
	char journal[4200];
	snprintf(journal, sizeof journal, "%s-journal", partial);
	unlink(partial);
	unlink(journal);
}

/* The backup API copies the whole database in one step, under one read
 * transaction: in WAL mode writers go on meanwhile, and none of their
 * commits can make it start again (copied a few pages at a time, every
 * write by another connection restarted it, and a busy server's backup
 * never finished). The copy goes into FILE.partial (db_backup_partial:
 * readable by its owner only), is checked, and is renamed into place once
 * whole: a file named FILE is always complete and sound. */
static int sq_backup(struct db *db, const char *file, char *err, size_t errlen)
{
	char partial[4096];
	if (db_backup_partial(file, partial, sizeof partial, err, errlen) != 0) return -1;
	sqlite3 *to = NULL;
	int rc = sqlite3_open_v2(partial, &to, SQLITE_OPEN_READWRITE, NULL);
	sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(to, "main", SDB(db)->h, "main") : NULL;
	if (b) {
		do rc = sqlite3_backup_step(b, -1);
		while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
		rc = sqlite3_backup_finish(b) == SQLITE_OK && rc == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	} else {
		rc = SQLITE_ERROR;
	}
	if (rc != SQLITE_OK) snprintf(err, errlen, "%s: %s", file, to ? sqlite3_errmsg(to) : "cannot create");
	/* The copy leaves WAL mode's journal behind it: one file to carry. */
	if (rc == SQLITE_OK && sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", file, sqlite3_errmsg(to));
		rc = SQLITE_ERROR;
	}
	if (rc == SQLITE_OK && integrity(to, file, err, errlen) != 0) rc = SQLITE_ERROR;
	if (sqlite3_close(to) != SQLITE_OK && rc == SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot close", file);
		rc = SQLITE_ERROR;
	}
	/* link(), not rename(): a FILE made meanwhile is never replaced */
	if (rc == SQLITE_OK && link(partial, file) != 0) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		rc = SQLITE_ERROR;
	}
	remove_partial(partial);
	return rc == SQLITE_OK ? 0 : -1;
}

static const char *sq_macro(const char *name)
{
	if (strcmp(name, "id") == 0) return "INTEGER PRIMARY KEY AUTOINCREMENT";
	if (strcmp(name, "blob") == 0) return "BLOB";
	return NULL;
}

const struct db_driver db_sqlite_driver = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec_script = sq_exec_script,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.step = sq_step,
	.column_count = sq_column_count,
	.param_count = sq_param_count,
	.bulk = sq_bulk,
	.map_file = sq_map_file,
	.wait_for_writer = sq_wait_for_writer,
	.is_null = sq_is_null,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.finish = sq_finish,
	.errkind = sq_errkind,
	.errmsg = sq_errmsg,
	.macro = sq_macro,
	.col_name = sq_col_name,
	.inserted = sq_inserted,
	.backup = sq_backup,
};

const char *store_engines(void)
{
	static char text[64];	/* the same text every call */
	snprintf(text, sizeof text, "sqlite %s, %s", sqlite3_libversion(), db_pg_version());
	return text;
}

const struct db_driver *db_driver_for(const char *target)
{
	if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0)
		return &db_pg_driver;
	return &db_sqlite_driver;
}
