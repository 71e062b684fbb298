/*
 * db.h — the database driver interface under the store (internal to
 * src/store/; nothing outside that directory includes it).
 *
 * The store's typed functions (store_*.c) are written once against this
 * interface; a backend (db_sqlite.c, db_pg.c) implements it, the way
 * SQLite puts each operating system behind sqlite3_vfs. Statements are
 * fixed: each is a `static const struct sql` next to the function that runs
 * it, prepared once per connection and cached by its address, so no SQL
 * is ever built at run time and nothing a user sends can become SQL.
 *
 * SQL is written once for both engines: $1, $2 … placeholders (PostgreSQL's
 * own; the SQLite driver maps them by name), standard types, integer
 * epoch seconds for times, ON CONFLICT and RETURNING. Where the engines
 * truly differ, the statement carries a second text for PostgreSQL.
 *
 * A connection is used by one thread at a time (the pool in store.c hands
 * them out). Errors are classified so the store can turn a unique-key
 * violation into RH_ERR_DUPLICATE and a busy database into RH_ERR_BUSY.
 */
#ifndef RUHU_DB_H
#define RUHU_DB_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/secret.h"

struct sql {
	const char *text;	/* portable SQL */
	const char *pg;		/* PostgreSQL's text where it must differ, else NULL */
};

/* A PostgreSQL text that starts with this is planned for each call's
 * parameters instead of once for any (a prepared statement's generic
 * plan): for the search, whose best plan depends on the pattern — a plan
 * for "any pattern" cannot use the trigram index for the one at hand. */
#define SQL_PLAN_PER_CALL "/* plan per call */ "

enum db_step { DB_DONE = 0, DB_ROW = 1, DB_ERROR = -1 };

enum db_errkind {
	DB_E_NONE,
	DB_E_UNIQUE,		/* unique or primary key violated */
	DB_E_CONSTRAINT,	/* other constraint (foreign key, check, trigger) */
	DB_E_BUSY,		/* locked or timed out; worth retrying */
	DB_E_UNAVAILABLE,	/* the server cannot be reached (its session is gone); worth retrying */
	DB_E_OTHER,
};

struct db;
struct db_stmt;
struct badge_cache;

/* open()'s flags. Without DB_CREATE a SQLite file that does not exist is
 * an error, not a new empty database: a mistyped path must not look like
 * an installation with nothing in it. DB_AS_IS leaves a SQLite file's
 * journal mode as it is (a backup being read or copied is not changed). */
#define DB_CREATE 1u
#define DB_AS_IS 2u
/* SQLite: a file this user may not write (another user's, or on
 * read-only media), read as it is. With no -wal beside it nobody has it
 * open, and it is read immutable: nothing is made beside it (SQLite
 * would otherwise need a -shm, and leave one owned by this user). */
#define DB_READ_ONLY 4u
#define DB_WRITE_LONG 2	/* begin()'s */

struct db_driver {
	const char *name;	/* "sqlite" or "postgresql" */
	/* Opens a connection (flags: DB_CREATE, DB_AS_IS); on failure
	 * returns -1 and writes why into err. */
	int (*open)(const char *target, unsigned flags, struct db **out, char *err, size_t errlen);
	void (*close)(struct db *db);
	/* Runs a script of several statements (migrations only). */
	int (*exec_script)(struct db *db, const char *script);
	/* write: 0 a read, 1 a write, DB_WRITE_LONG a long import's
	 * write, marked so that other processes' requests wait for it only
	 * briefly (db_pg.c's IMPORT_LOCK, db_sqlite.c's import_mark). */
	int (*begin)(struct db *db, int write);
	int (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	/* The cached prepared form of q on this connection, reset and unbound;
	 * NULL on error. Valid until the connection closes. types are the
	 * parameters' types in q_bind's letters (I and i integer, t text),
	 * the same for every use of q: PostgreSQL is told them, and needs
	 * not guess from the statement. */
	struct db_stmt *(*prepare)(struct db *db, const struct sql *q, const char *types);
	int (*bind_int)(struct db_stmt *st, int param, int64_t v);
	int (*bind_text)(struct db_stmt *st, int param, const char *s);	/* NULL binds NULL */
	enum db_step (*step)(struct db_stmt *st);
	int (*column_count)(struct db_stmt *st);
	int (*param_count)(struct db_stmt *st);	/* the highest $n the statement uses */
	void (*bulk)(struct db *db, int on);	/* tune for (or back from) a bulk load */
	int (*is_null)(struct db_stmt *st, int col);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);	/* "" for NULL; valid until next step */
	void (*finish)(struct db_stmt *st);	/* done with the rows: reset now */
	enum db_errkind (*errkind)(struct db *db);
	const char *(*errmsg)(struct db *db);
	/* Replaces {{name}} macros in migration scripts for this engine. */
	const char *(*macro)(const char *name);
	/* The name of a result column ("" when out of range). */
	const char *(*col_name)(struct db_stmt *st, int col);
	/* The id of the row the INSERT just stepped made, 0 when it made none
	 * (ON CONFLICT DO NOTHING), for an engine where a hot INSERT had
	 * better not say RETURNING: SQLite gathers RETURNING's rows in a
	 * temporary table, opened and closed for every statement — a third of
	 * an imported household's INSERT. NULL for PostgreSQL, where
	 * RETURNING costs nothing and saves a round trip. */
	int64_t (*inserted)(struct db *db);
	/* A bulk load in PostgreSQL's COPY text format: copy_begin with a
	 * fixed "COPY table FROM STDIN", copy_put whole lines, copy_end.
	 * NULL for an engine without it (SQLite). 0 or -1 (errmsg says why). */
	int (*copy_begin)(struct db *db, const char *copy_sql);
	int (*copy_put)(struct db *db, const char *data, size_t len);
	int (*copy_end)(struct db *db);
	/* A consistent copy of the whole live database into file, which must
	 * not exist: SQLite's online backup API (a SQLite file), PostgreSQL's
	 * pg_dump (its custom format). 0, or -1 with why in err. */
	int (*backup)(struct db *db, const char *file, char *err, size_t errlen);
	/* Makes db the process's watcher of changes (struct changes): waits
	 * up to timeout_ms for them, then proves the session alive within as
	 * long again; returns at once when wake_fd becomes readable. 0, or -1
	 * when the session was lost (the next call makes it again). NULL for
	 * an engine that cannot tell other processes' changes (SQLite). */
	int (*watch)(struct db *db, int timeout_ms, int wake_fd);
	/* on: reads the database file through a memory map; off: by read
	 * calls (the default). NULL for an engine that has no file
	 * (PostgreSQL). 0, or -1 when refused. */
	int (*map_file)(struct db *db, int on);
	/* How long a write waits for another connection's write to end
	 * before it fails busy: ms, or DB_WAIT_DEFAULT. NULL for PostgreSQL,
	 * where a statement outside a write transaction locks rows, not the
	 * database; its write transactions wait DB_WAIT_DEFAULT for the one
	 * write lock (db_pg.c). On both, an HTTP thread's connection
	 * (on_loop) waits at most DB_WAIT_BEHIND_IMPORT behind a long
	 * import, and says so (behind_import). */
	void (*wait_for_writer)(struct db *db, int ms);
};
#define DB_WAIT_DEFAULT 5000
/* An import holds the write lock (SQLite's, or db_pg.c's advisory lock)
 * for as long as it runs (a million rows: half a minute). A request's
 * write that waited its 5 s behind it held its event loop, and every
 * connection on it, and then failed anyway. Behind a long one
 * (store_import.c, LONG_IMPORT_ROWS: seconds of writing) it now fails
 * after this long; a shorter one is waited for. Background work has no
 * loop to hold and waits as ever (a job's end longer: store_job.c). An
 * import of another process (the CLI's; on PostgreSQL another node's) is
 * seen too (db_pg.c, IMPORT_LOCK; db_sqlite.c, import_mark). */
#define DB_WAIT_BEHIND_IMPORT 250

/* What the answers a process caches depend on (the badge check,
 * store_badge.c), counted. A transaction of this process that wrote a
 * table they are read from is counted as it ends, before its caller
 * answers anyone (db_pg.c, changes_note); other processes' are counted by
 * the one watcher connection (driver->watch), which PostgreSQL tells of
 * each commit that touched those tables (the triggers of migration 005).
 * A cached answer is good while `seen` has not moved since it was read,
 * and only while `watched`. */
struct changes {
	_Atomic uint64_t seen;	/* changes counted so far; starts at 1 */
	_Atomic int watched;	/* the watcher's session is listening now */
};

/* The count a cached answer may be read under, or 0 when nothing may be
 * cached (nobody watching: SQLite, or the watcher's session lost). */
static inline uint64_t changes_now(struct changes *c)
{
	return c && atomic_load(&c->watched) ? atomic_load(&c->seen) : 0;
}

/* Every connection starts with its driver and this state. */
struct db {
	const struct db_driver *drv;
	int snapshot;		/* a request's read transaction is open (store_snapshot_begin) */
	const struct keys *keys;	/* the installation's keys (the store's copy) */
	struct changes *changes;	/* the store's; NULL for none */
	struct badge_cache *badges;	/* the store's badge answers, or NULL */
	enum db_errkind unprepared;	/* why the last q_bind() that failed did (q_unprepared) */
	_Atomic int *imports_writing;	/* the store's count of this process's long imports in their write transaction */
	int on_loop;		/* an HTTP thread's (store_loop_db): waits only briefly behind a long import */
	int behind_import;	/* the driver's: its last wait for the write lock was cut short behind a long import */
};

/* Whether a long import of this process is in its write transaction. */
static inline int db_import_writing(const struct db *db)
{
	return db->imports_writing && atomic_load(db->imports_writing) > 0;
}

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

/* libpq's version, as "libpq 15.8". */
const char *db_pg_version(void);

/* Runs a PostgreSQL tool (pg_dump, pg_restore) with args (NULL-ended, at
 * most 12) and the database url, its password (if any) in the tool's
 * environment rather than on its command line; url NULL: no database
 * (pg_restore reading a backup into a file). 0 when it succeeded, else
 * -1 with why in err (the tool's own message is on stderr). */
int db_pg_run_tool(const char *tool, const char *url, const char *const args[], char *err, size_t errlen);
/* The pid of the tool db_pg_run_tool is waiting for, or 0. Safe in a
 * signal handler. */
pid_t db_pg_tool_pid(void);

/* The driver for a --db target: a postgres:// URL or a SQLite file path. */
/* For a driver's backup(): FILE.partial (into partial, cap bytes), made
 * empty and readable by its owner only, once FILE is found not to exist
 * (backup_file.c). 0, or -1 with why in err. */
int db_backup_partial(const char *file, char *partial, size_t cap, char *err, size_t errlen);
const struct db_driver *db_driver_for(const char *target);

#endif
