/*
 * db_pg.c — the PostgreSQL backend of the database driver (see db.h),
 * over libpq.
 *
 * Statements are prepared on the server once per connection (named by
 * their order of first use) and cached by the address of their struct
 * sql, as db_sqlite.c does; one whose text starts with SQL_PLAN_PER_CALL
 * (the search) is instead run unnamed and planned for each call's
 * parameters. Parameters travel as text, declared as the bigint, int or
 * text that q_bind's letters say they are, so that a bare "$3 IS NULL"
 * needs no CAST. A step runs the statement on its first call and then
 * walks the rows of the result, which libpq holds in memory: the store's
 * statements return a page, not a table (bulk loads go through COPY).
 *
 * Write transactions are serialised across every node by one advisory
 * lock taken at BEGIN. That is SQLite's own rule (one writer at a time,
 * BEGIN IMMEDIATE), so the store's read-check-write steps — the version
 * check, the audit chain's next sequence number, a job's claim — hold on
 * PostgreSQL without a second design; readers never wait for it. Most
 * writes take a few milliseconds, so one lock carries hundreds a second;
 * a large import or `ruhu migrate` holds it for its whole length, and
 * other writes meanwhile answer busy after 5 s, as on SQLite — a
 * request's after DB_WAIT_BEHIND_IMPORT behind a long import, of any
 * node (db.h).
 * docs/deployment.md says what would change past one lock.
 */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "base/buf.h"
#include "store/db.h"
#include "store/stmt_cache.h"
#include "store/store.h"

#define MAX_PARAMS 32
/* The advisory lock every write transaction holds: any fixed number,
 * the same on every node ("ruhu" in ASCII). */
#define WRITE_LOCK "1920300149"
/* Held beside it by a long import (begin's DB_WRITE_LONG) until its end:
 * what tells every process that the write lock will be long in coming. */
#define IMPORT_LOCK "1920300150"
#define MS_TEXT(n) #n "ms"
#define MS(n) MS_TEXT(n)
#define WAIT_BEHIND_IMPORT MS(DB_WAIT_BEHIND_IMPORT)
#define WAIT_DEFAULT MS(DB_WAIT_DEFAULT)
/* Where the triggers of migration 005 tell of changes. */
#define CHANGES_CHANNEL "ruhu_changes"

struct pg_db;

struct db_stmt {
	struct pg_db *db;
	char name[16];			/* the server-side prepared statement */
	int nparams;			/* the highest $N used */
	char *values[MAX_PARAMS];	/* bound parameters as text, NULL for NULL */
	char ints[MAX_PARAMS][24];	/* storage for bound integers */
	unsigned char owned[MAX_PARAMS];	/* values[i] is a copy to free */
	PGresult *res;			/* the rows of the current run, or NULL */
	int row;			/* the row the last step returned */
	int ran;
	unsigned session;		/* the connection's session it was prepared in */
	int per_call;			/* planned for each call's parameters (SQL_PLAN_PER_CALL) */
	int reads_only;			/* a SELECT: may be sent again (resend_ok) */
	int changes_badge;		/* writes what the badge check reads (changes_badge_tables) */
	char *text;			/* its SQL (as sent), to prepare it again */
	Oid oids[MAX_PARAMS];
};

struct pg_db {
	struct db base;
	PGconn *conn;
	char *target;		/* the URL it was opened with (pg_dump takes it) */
	struct stmt_cache stmts;
	unsigned next_name;
	unsigned session;	/* bumped when the connection is made again */
	int in_tx;		/* between our BEGIN and its COMMIT or ROLLBACK */
	int read_only;		/* the transaction is a read (pg_begin's write = 0) */
	int begin_unsent;	/* a read's BEGIN, kept to go with its first statement (run) */
	int rollback_unread;	/* a read's ROLLBACK sent, its answer not read yet */
	int64_t checked_ms;	/* when ensure_connected last found it good (monotonic) */
	int lost;		/* the watcher's session stopped answering: make it again */
	int touched;		/* this transaction wrote what the badge check reads */
	char sqlstate[6];	/* of the last error, "" when none */
	char errmsg[512];
};

static struct pg_db *PDB(struct db *db) { return (struct pg_db *)db; }

static int result_ok(const PGresult *res)
{
	ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

/* Keeps the state and message of a failed result (and clears both for a
 * good one), then frees the result unless keep. */
static int check(struct pg_db *d, PGresult *res, int keep_ok)
{
	int ok = result_ok(res);
	if (ok) {
		d->sqlstate[0] = '\0';
		d->errmsg[0] = '\0';
	} else {
		const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(d->conn);
		if (!msg || !msg[0]) msg = PQerrorMessage(d->conn);
		if (!res && !msg[0] && d->errmsg[0]) return -1;	/* no answer, and libpq says nothing: the why already kept stands */
		const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		snprintf(d->sqlstate, sizeof d->sqlstate, "%s", state ? state : "");
		snprintf(d->errmsg, sizeof d->errmsg, "%s", msg[0] ? msg : "PostgreSQL gave no answer");
		size_t n = strlen(d->errmsg);
		while (n > 0 && (d->errmsg[n - 1] == '\n' || d->errmsg[n - 1] == ' ')) d->errmsg[--n] = '\0';
	}
	if (!ok || !keep_ok) PQclear(res);
	return ok ? 0 : -1;
}

#define BEGIN_READ "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
#define BEGIN_WRITE "BEGIN ISOLATION LEVEL READ COMMITTED"

/* Reads the answer to a read's ROLLBACK that pg_rollback sent without
 * waiting. Whatever it says is of no consequence: a read changed
 * nothing, and a session lost meanwhile is found by ensure_connected. */
static void settle(struct pg_db *d)
{
	if (!d->rollback_unread) return;
	d->rollback_unread = 0;
	PGresult *res;
	while ((res = PQgetResult(d->conn)) != NULL) PQclear(res);
}

/* A command of the driver's own: a session's settings, a write's lock,
 * a bulk load's settings, a migration. None is sent inside a read, whose
 * held-back BEGIN only run() sends: one sent there would run before the
 * BEGIN, outside the read's transaction — which is what reconnect() needs
 * of session_setup() when it makes a read's lost session again. */
static int exec(struct pg_db *d, const char *sql)
{
	settle(d);
	return check(d, PQexec(d->conn, sql), 0);
}

/* Server notices ("relation already exists, skipping") are not errors
 * and must not reach stderr, which is the server's log. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The short search path asks for names in a range ("starts with 张":
 * from 张 to 张 followed by the last code point), which holds only in
 * code-point order: the database must collate as C. And it must store
 * UTF-8: in SQL_ASCII every Chinese character is bytes to pg_trgm, whose
 * trigrams of them find nothing. */
static int collation_ok(struct pg_db *d, char *err, size_t errlen)
{
	/* An ICU database (PostgreSQL 15's datlocprovider 'i') names its
	 * libc collation C and still sorts by ICU: refused too. */
	PGresult *res = PQexec(d->conn, "SELECT datcollate, COALESCE(to_jsonb(d) ->> 'datlocprovider', 'c'),"
				      " pg_encoding_to_char(encoding)"
				      " FROM pg_database d WHERE datname = current_database()");
	if (check(d, res, 1) != 0) {
		snprintf(err, errlen, "PostgreSQL: %s", d->errmsg);
		return -1;
	}
	char coll[64], enc[32];
	int icu = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 1), "i") == 0;	/* 'b', 17's builtin C, sorts by code point */
	snprintf(coll, sizeof coll, "%s%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "?", icu ? " (ICU)" : "");
	snprintf(enc, sizeof enc, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 2) : "?");
	PQclear(res);
	if (strcmp(enc, "UTF8") != 0) {
		snprintf(err, errlen, "PostgreSQL: the database stores text as %s; ruhu needs UTF8 — make it with: "
			 "createdb -T template0 -E UTF8 --locale=C.UTF-8 NAME", enc);
		return -1;
	}
	if (!icu && (strcmp(coll, "C") == 0 || strcmp(coll, "POSIX") == 0 || strncasecmp(coll, "C.UTF", 5) == 0)) return 0;
	snprintf(err, errlen, "PostgreSQL: the database collates as %s; ruhu needs C (code-point order) — make it "
		 "with: createdb -T template0 -E UTF8 --locale=C.UTF-8 NAME (and --locale-provider=libc where ICU is the default)", coll);
	return -1;
}

/* The watcher counts the change notifications that arrived with what it
 * read last (struct changes in db.h); the count, not what changed, is what
 * caches go by. */
static void changes_drain(struct pg_db *d)
{
	PGnotify *n;
	int any = 0;
	while ((n = PQnotifies(d->conn))) {
		any = 1;
		PQfreemem(n);
	}
	if (any && d->base.changes) atomic_fetch_add(&d->base.changes->seen, 1);
}

/* What every session is given: text is UTF-8 whatever the server's
 * defaults; a statement that hangs is cut off rather than holding a
 * worker; and a transaction left idle — a node frozen or cut off in the
 * middle of a write, holding the one write lock — is ended by the server
 * after 30 s (unless the database sets its own limit), so the other
 * nodes' writes go on. */
static int session_setup(struct pg_db *d)
{
	PQsetNoticeProcessor(d->conn, quiet, NULL);
	if (exec(d, "SET client_encoding = 'UTF8'") || exec(d, "SET statement_timeout = '60s'") ||
	    exec(d, "SET lock_timeout = '" WAIT_DEFAULT "'"))
		return -1;
	/* an operator's own setting (ALTER DATABASE … SET) stands */
	PGresult *res = PQexec(d->conn, "SELECT current_setting('idle_in_transaction_session_timeout') = '0'");
	if (check(d, res, 1) != 0) return -1;
	int unset = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return unset ? exec(d, "SET idle_in_transaction_session_timeout = '30s'") : 0;
}

/* A connection the server dropped (a restart, a failover, a network cut,
 * the idle timeout above) is made again before the next unit of work: a
 * transaction, or a statement outside one. Statements are prepared again
 * in the new session as they are used. 0 when the connection is (again)
 * good. */
#define RECHECK_MS 1000

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int reconnect(struct pg_db *d)
{
	d->rollback_unread = 0;	/* gone with the session */
	PQreset(d->conn);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		d->sqlstate[0] = '\0';
		snprintf(d->errmsg, sizeof d->errmsg, "PostgreSQL: %s", PQerrorMessage(d->conn));
		return -1;
	}
	d->session++;
	if (session_setup(d) != 0) return -1;
	d->checked_ms = mono_ms();
	d->lost = 0;
	return 0;
}

static int ensure_connected(struct pg_db *d)
{
	/* Between units of work the server has nothing to say. A session it
	 * ended has sent its goodbye (FATAL: terminating connection …) and
	 * closed the socket, so a socket with anything to read now is one to
	 * make again — before a statement is sent into the void. Sessions end
	 * while idle (a restart overnight, a failover, an idle timeout): a
	 * connection checked within the last second is not asked again, which
	 * saves a system call on every statement of a busy node (one in six
	 * on the badge check). One ended in that second, or between this
	 * check and the statement, is found by what is sent next (resend_ok). */
	settle(d);	/* the one thing it may have said: a read's ROLLBACK */
	if (PQstatus(d->conn) == CONNECTION_OK) {
		int64_t now = mono_ms();
		if (now - d->checked_ms < RECHECK_MS) return 0;
		struct pollfd p = { .fd = PQsocket(d->conn), .events = POLLIN };
		if (poll(&p, 1, 0) == 0) {
			d->checked_ms = now;
			return 0;
		}
	}
	return reconnect(d);
}

/* A session ended in the second ensure_connected() trusts without asking
 * shows itself as the answer to the next thing sent: the server's goodbye
 * (57P01 …) read back, or a closed socket, and the connection is bad.
 * What failed so is sent once more on a new session when sending it twice
 * cannot do anything twice: the first message of a unit of work (BEGIN,
 * a read's first statement with its BEGIN, a PREPARE before either), or
 * a statement of its own that only reads. Never inside a transaction the
 * server has begun — that one is gone with its session, and the caller
 * must learn so at its end. 1 when res was such a failure and the
 * connection is good again (res is then freed). */
static int resend_ok(struct pg_db *d, PGresult *res)
{
	if (result_ok(res) || (d->in_tx && !d->begin_unsent) || PQstatus(d->conn) != CONNECTION_BAD) return 0;
	if (reconnect(d) != 0) return 0;
	PQclear(res);
	return 1;
}

static int pg_open(const char *target, unsigned how, struct db **out, char *err, size_t errlen)
{
	(void)how;	/* a PostgreSQL database is made by createdb, never here */
	struct pg_db *d = calloc(1, sizeof *d);
	if (!d) { snprintf(err, errlen, "out of memory"); return -1; }
	d->base.drv = &db_pg_driver;
	/* A connection made again after a loss (PQreset keeps these options)
	 * must not hang on a server that does not answer: ten seconds unless
	 * the operator chose, in the target (which is read after this and
	 * wins) or in PGCONNECT_TIMEOUT. */
	const char *keys[] = { "connect_timeout", "dbname", NULL };
	const char *vals[] = { "10", target, NULL };
	int first = getenv("PGCONNECT_TIMEOUT") ? 1 : 0;
	d->conn = PQconnectdbParams(keys + first, vals + first, 1);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		/* libpq's message names the host and the reason, never the password */
		snprintf(err, errlen, "PostgreSQL: %s", PQerrorMessage(d->conn));
		size_t n = strlen(err);
		while (n > 0 && err[n - 1] == '\n') err[--n] = '\0';
		PQfinish(d->conn);
		free(d);
		return -1;
	}
	d->target = strdup(target);
	if (session_setup(d) != 0) {
		snprintf(err, errlen, "PostgreSQL: %s", d->errmsg);
		PQfinish(d->conn);
		free(d->target);
		free(d);
		return -1;
	}
	if (!d->target || collation_ok(d, err, errlen) != 0) {
		if (!d->target) snprintf(err, errlen, "out of memory");
		PQfinish(d->conn);
		free(d->target);
		free(d);
		return -1;
	}
	*out = &d->base;
	return 0;
}

static void unbind(struct db_stmt *st)
{
	for (int i = 0; i < MAX_PARAMS; i++) {
		if (st->owned[i]) free(st->values[i]);
		st->owned[i] = 0;
		st->values[i] = NULL;
	}
}

static void stmt_reset(struct db_stmt *st)
{
	if (st->res) PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->ran = 0;
}

static void stmt_free(struct db_stmt *st)
{
	stmt_reset(st);
	unbind(st);
	free(st->text);
	free(st);
}

static void pg_close(struct db *db)
{
	struct pg_db *d = PDB(db);
	if (!d) return;
	stmt_cache_each(&d->stmts, stmt_free);
	stmt_cache_free(&d->stmts);
	PQfinish(d->conn);
	free(d->target);
	free(d);
}

static int pg_exec_script(struct db *db, const char *script)
{
	return exec(PDB(db), script);
}

/* Runs sql, whose one row's one column is a boolean: 1 or 0 in *out.
 * 0, or -1. */
static int exec_bool(struct pg_db *d, const char *sql, int *out)
{
	settle(d);
	PGresult *res = PQexec(d->conn, sql);
	if (check(d, res, 1) != 0) return -1;
	*out = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

/* Takes the write lock (WRITE_LOCK) in the write transaction begun; a
 * long import takes IMPORT_LOCK first, so that a writer queued behind it
 * from then on can tell. Free, the write lock is taken at once — nearly
 * always, in one round trip. Held while a long import of any process
 * holds IMPORT_LOCK, an HTTP thread's write waits for it
 * DB_WAIT_BEHIND_IMPORT; otherwise lock_timeout (5 s, like SQLite's busy
 * timeout). Then fails as busy (55P03), behind_import saying which.
 *
 * Whether an import holds IMPORT_LOCK is asked by trying it shared and
 * letting it go in the same statement — not by reading pg_locks, which
 * takes every partition of the lock manager of the whole cluster, on
 * every contended write. Held across the wait, the shared lock would
 * hold up the next import, which takes IMPORT_LOCK alone. */
static int write_lock(struct pg_db *d, int long_import)
{
	int got, behind = 0;
	if (long_import && exec(d, "SELECT pg_advisory_xact_lock(" IMPORT_LOCK ")")) return -1;
	if (exec_bool(d, "SELECT pg_try_advisory_xact_lock(" WRITE_LOCK ")", &got) != 0) return -1;
	if (got) return 0;
	if (d->base.on_loop) {
		behind = db_import_writing(&d->base);
		if (!behind && exec_bool(d, "SELECT CASE WHEN pg_try_advisory_lock_shared(" IMPORT_LOCK ")"
					 " THEN NOT pg_advisory_unlock_shared(" IMPORT_LOCK ") ELSE true END", &behind) != 0)
			return -1;
	}
	if (behind && exec(d, "SET LOCAL lock_timeout = '" WAIT_BEHIND_IMPORT "'")) return -1;
	if (exec(d, "SELECT pg_advisory_xact_lock(" WRITE_LOCK ")")) {
		d->base.behind_import = behind;
		return -1;
	}
	return behind ? exec(d, "SET LOCAL lock_timeout = '" WAIT_DEFAULT "'") : 0;
}

/* A read's BEGIN is not sent on its own: it waits for the transaction's
 * first statement and goes with it in one pipeline (run_with_begin), and
 * a read that ends before any statement costs nothing. A request that
 * only reads is then two round trips instead of four: BEGIN with the
 * session check, the handler's read, and a ROLLBACK whose answer is not
 * waited for (pg_rollback). A write's BEGIN is sent at once: the lock
 * that follows it must be held before anything else is read. */
static int pg_begin(struct db *db, int write)
{
	struct pg_db *d = PDB(db);
	d->base.behind_import = 0;
	if (ensure_connected(d) != 0) return -1;
	d->read_only = !write;
	if (!write) {
		d->begin_unsent = 1;
		d->in_tx = 1;
		return 0;
	}
	/* A write is READ COMMITTED whatever the database's default: each
	 * statement sees what committed before it, so after the lock every
	 * read is current. */
	PGresult *res = PQexec(d->conn, BEGIN_WRITE);
	if (resend_ok(d, res)) res = PQexec(d->conn, BEGIN_WRITE);
	if (check(d, res, 0) != 0) return -1;
	d->in_tx = 1;
	if (write_lock(d, write == DB_WRITE_LONG) != 0) {
		char state[6], msg[sizeof d->errmsg];
		memcpy(state, d->sqlstate, sizeof state);
		memcpy(msg, d->errmsg, sizeof msg);
		exec(d, "ROLLBACK");
		d->in_tx = 0;
		memcpy(d->sqlstate, state, sizeof state);
		memcpy(d->errmsg, msg, sizeof msg);
		return -1;
	}
	return 0;
}

/* What a transaction of this process changed that the badge check reads
 * is counted when it ends (struct changes in db.h) — committed, or not
 * known to have failed — before its caller answers anyone: the node that
 * saves a suspension never gives the old answer again. Other processes'
 * changes reach the watcher. */
static void changes_note(struct pg_db *d)
{
	if (d->touched && d->base.changes) atomic_fetch_add(&d->base.changes->seen, 1);
	d->touched = 0;
}

static int pg_commit(struct db *db)
{
	struct pg_db *d = PDB(db);
	d->in_tx = 0;
	if (d->begin_unsent) {	/* a read that read nothing: nothing was begun */
		d->begin_unsent = 0;
		return 0;
	}
	PGresult *res = PQexec(d->conn, "COMMIT");
	changes_note(d);
	/* A transaction that failed earlier answers COMMIT with ROLLBACK. */
	int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(res), "COMMIT") == 0;
	if (res && PQresultStatus(res) == PGRES_COMMAND_OK && !ok) {
		PQclear(res);
		snprintf(d->sqlstate, sizeof d->sqlstate, "25P02");
		snprintf(d->errmsg, sizeof d->errmsg, "the transaction had failed and was rolled back");
		return -1;
	}
	return check(d, res, 0);
}

static void pg_rollback(struct db *db)
{
	struct pg_db *d = PDB(db);
	int was_in_tx = d->in_tx;
	d->in_tx = 0;
	d->touched = 0;	/* nothing of it stays */
	if (d->begin_unsent) {	/* nothing was begun */
		d->begin_unsent = 0;
		return;
	}
	if (d->rollback_unread && !was_in_tx) return;	/* the read's end is on its way */
	settle(d);
	/* A read's end is not waited for: it changed nothing, and whatever
	 * the server answers is read before the connection's next use
	 * (settle). A failed read (PQTRANS_INERROR) is ended the same way. */
	PGTransactionStatusType ts = PQtransactionStatus(d->conn);
	if (d->read_only && (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) && PQsendQuery(d->conn, "ROLLBACK")) {
		d->rollback_unread = 1;
		return;
	}
	if (PQtransactionStatus(d->conn) != PQTRANS_IDLE) {
		char state[6], msg[sizeof d->errmsg];	/* the error that led here stays the one to report */
		memcpy(state, d->sqlstate, sizeof state);
		memcpy(msg, d->errmsg, sizeof msg);
		PQclear(PQexec(d->conn, "ROLLBACK"));
		memcpy(d->sqlstate, state, sizeof state);
		memcpy(d->errmsg, msg, sizeof msg);
	}
}

/* The statement for PostgreSQL, allocated: SQLite's "CROSS JOIN … ON" (an
 * inner join that SQLite's planner must not reorder) is PostgreSQL's
 * plain "JOIN … ON", whose planner takes no such hint. */
static char *portable(const char *sql)
{
	char *out = strdup(sql);
	if (!out) return NULL;
	for (char *p = strstr(out, "CROSS JOIN "); p; p = strstr(p, "CROSS JOIN "))
		memmove(p, p + 6, strlen(p + 6) + 1);
	return out;
}

/* The highest $N in a statement's text, skipping quoted strings; -1 for
 * a $N past MAX_PARAMS. (Dollar-quoted bodies are not skipped: only
 * migrations have them, and those run as scripts, never through here.) */
static int highest_param(const char *sql)
{
	int max = 0;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++) {}
			if (!*p) break;
		} else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			long n = strtol(p + 1, (char **)&p, 10);
			p--;
			if (n > MAX_PARAMS) return -1;
			if (n > max) max = (int)n;
		}
	}
	return max;
}

/* The type of each parameter, from q_bind's letters. */
static void param_types(const char *types, int n, Oid *oids)
{
	for (int i = 0; i < n; i++) {
		char c = types && i < (int)strlen(types) ? types[i] : '?';
		oids[i] = c == 'I' ? 20 /* int8 */ : c == 'i' ? 23 /* int4 */ : c == 't' ? 25 /* text */ : 0 /* inferred */;
	}
}

/* Whether a statement writes a table the public badge check reads (its
 * answers are kept in memory: store/badge_cache.c). The store's SQL is
 * fixed text with upper-case keywords, so the writes are found by their
 * words: INSERT INTO, UPDATE, DELETE FROM, TRUNCATE or COPY, then the
 * table. */
static int changes_badge_tables(const char *text)
{
	static const char *const verbs[] = { "INSERT INTO ", "UPDATE ", "DELETE FROM ", "TRUNCATE ", "TRUNCATE TABLE ",
					       "COPY " };
	static const char *const tables[] = { "staff", "badges", "tenants" };
	for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++)
		for (const char *p = strstr(text, verbs[v]); p; p = strstr(p + 1, verbs[v])) {
			const char *t = p + strlen(verbs[v]);
			for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
				size_t n = strlen(tables[k]);
				if (strncmp(t, tables[k], n) == 0 && !(isalnum((unsigned char)t[n]) || t[n] == '_')) return 1;
			}
		}
	return 0;
}

/* Prepares st in the connection's current session (a statement planned
 * per call is sent whole each time instead). */
static int prepare_on_server(struct pg_db *d, struct db_stmt *st)
{
	if (!st->per_call) {
		PGresult *res = PQprepare(d->conn, st->name, st->text, st->nparams, st->oids);
		if (resend_ok(d, res)) res = PQprepare(d->conn, st->name, st->text, st->nparams, st->oids);
		if (check(d, res, 0) != 0) return -1;
	}
	st->session = d->session;
	return 0;
}

static struct db_stmt *pg_prepare(struct db *db, const struct sql *q, const char *types)
{
	struct pg_db *d = PDB(db);
	/* A statement of its own (no transaction around it) may start on a
	 * new connection; one inside a transaction must not: that transaction
	 * is gone with the old one, and the caller finds out at its end. */
	if (!d->in_tx && ensure_connected(d) != 0) return NULL;
	struct db_stmt *cached = stmt_cache_get(&d->stmts, q);
	if (cached) {
		stmt_reset(cached);
		unbind(cached);
		/* a new session knows no statement */
		if (cached->session != d->session && prepare_on_server(d, cached) != 0) return NULL;
		return cached;
	}
	/* A failure here is ruhu's, not the server's: no error state of an
	 * earlier statement may be taken for it (a lock timeout, "busy"). */
	d->sqlstate[0] = '\0';
	char *text = portable(q->pg ? q->pg : q->text);
	if (!text) {
		snprintf(d->errmsg, sizeof d->errmsg, "out of memory");
		return NULL;
	}
	int n = highest_param(text);
	if (n < 0) {
		snprintf(d->errmsg, sizeof d->errmsg, "a parameter past $%d", MAX_PARAMS);
		free(text);
		return NULL;
	}
	struct db_stmt *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(d->errmsg, sizeof d->errmsg, "out of memory");
		free(text);
		return NULL;
	}
	st->db = d;
	st->nparams = n;
	st->row = -1;
	snprintf(st->name, sizeof st->name, "s%u", d->next_name++);
	param_types(types, n, st->oids);
	st->text = text;	/* kept with the statement, freed with it */
	st->per_call = strncmp(text, SQL_PLAN_PER_CALL, strlen(SQL_PLAN_PER_CALL)) == 0;
	const char *verb = st->per_call ? text + strlen(SQL_PLAN_PER_CALL) : text;
	st->reads_only = strncasecmp(verb + strspn(verb, " \t\n"), "SELECT", 6) == 0;
	st->changes_badge = changes_badge_tables(text);
	if (prepare_on_server(d, st) != 0 || stmt_cache_put(&d->stmts, q, st) != 0) {
		free(text);
		free(st);
		return NULL;
	}
	return st;
}

static int pg_bind_int(struct db_stmt *st, int param, int64_t v)
{
	if (param < 1 || param > st->nparams) return -1;
	if (st->owned[param - 1]) free(st->values[param - 1]);
	st->owned[param - 1] = 0;
	snprintf(st->ints[param - 1], sizeof st->ints[0], "%lld", (long long)v);
	st->values[param - 1] = st->ints[param - 1];
	return 0;
}

/* Copied, as SQLite's SQLITE_TRANSIENT does: a caller may free its
 * string between the bind and the first step. */
static int pg_bind_text(struct db_stmt *st, int param, const char *s)
{
	if (param < 1 || param > st->nparams) return -1;
	char *copy = s ? strdup(s) : NULL;
	if (s && !copy) return -1;
	if (st->owned[param - 1]) free(st->values[param - 1]);
	st->values[param - 1] = copy;
	st->owned[param - 1] = copy != NULL;
	return 0;
}

static PGresult *run_alone(struct db_stmt *st)
{
	return st->per_call ? PQexecParams(st->db->conn, st->text, st->nparams, st->oids, (const char *const *)st->values,
					   NULL, NULL, 0)
			    : PQexecPrepared(st->db->conn, st->name, st->nparams, (const char *const *)st->values, NULL, NULL, 0);
}

/* A pipeline's next answer. libpq ends each with a NULL (but the sync's),
 * read here too; anything else there would be cleared, not leaked. */
static PGresult *pipeline_result(PGconn *c)
{
	PGresult *res = PQgetResult(c);
	if (res && PQresultStatus(res) != PGRES_PIPELINE_SYNC && PQstatus(c) == CONNECTION_OK) PQclear(PQgetResult(c));
	return res;
}

/* A read's held-back BEGIN and its first statement, in one pipeline: one
 * round trip. The answer is the BEGIN's if it failed, else the
 * statement's. A session lost anywhere on the way is a failure, even
 * after good answers (the pipeline cannot be left on a dead session and
 * the next statement must not find it on): NULL, and PQreset in
 * reconnect() ends the pipeline with the session. */
static PGresult *run_with_begin(struct db_stmt *st)
{
	struct pg_db *d = st->db;
	PGconn *c = d->conn;
	if (!PQenterPipelineMode(c)) return NULL;
	PGresult *begin = NULL, *res = NULL;
	int sent = PQsendQueryParams(c, BEGIN_READ, 0, NULL, NULL, NULL, NULL, 0) &&
		   (st->per_call ? PQsendQueryParams(c, st->text, st->nparams, st->oids, (const char *const *)st->values,
						     NULL, NULL, 0)
				 : PQsendQueryPrepared(c, st->name, st->nparams, (const char *const *)st->values, NULL, NULL,
						       0)) &&
		   PQpipelineSync(c);
	if (sent) {
		begin = pipeline_result(c);
		if (PQstatus(c) == CONNECTION_OK) res = pipeline_result(c);
		if (PQstatus(c) == CONNECTION_OK) PQclear(PQgetResult(c));	/* the sync */
	}
	const char *failed = NULL;
	if (PQstatus(c) != CONNECTION_OK) failed = "PostgreSQL: the connection was lost";
	else if (!PQexitPipelineMode(c)) {
		/* answers still unread: the session cannot be trusted to say
		 * which are whose; a new one, and this transaction fails */
		reconnect(d);
		failed = "PostgreSQL: a read's answers came out of step; the session was made again";
	}
	if (failed) {
		PQclear(begin);
		PQclear(res);
		d->sqlstate[0] = '\0';
		snprintf(d->errmsg, sizeof d->errmsg, "%s", failed);
		return NULL;
	}
	if (!result_ok(begin)) {
		PQclear(res);
		return begin;
	}
	PQclear(begin);
	return res;
}

/* Runs st; the first statement of a read takes its BEGIN along. When the
 * session is found lost, the read went with it, uncommitted and READ
 * ONLY: nothing it did can be done twice, so a new session is made and
 * both are sent once more (resend_ok). */
static PGresult *run(struct db_stmt *st)
{
	struct pg_db *d = st->db;
	if (!d->begin_unsent) return run_alone(st);
	PGresult *res = run_with_begin(st);
	if (resend_ok(d, res)) res = prepare_on_server(d, st) == 0 ? run_with_begin(st) : NULL;
	d->begin_unsent = 0;
	return res;
}

static enum db_step pg_step(struct db_stmt *st)
{
	if (!st->ran) {
		st->ran = 1;
		PGresult *res = run(st);
		if (st->reads_only && resend_ok(st->db, res)) {
			if (prepare_on_server(st->db, st) != 0) return DB_ERROR;
			res = run(st);
		}
		if (st->changes_badge) {
			st->db->touched = 1;
			if (!st->db->in_tx) changes_note(st->db);	/* it committed by itself, or failed */
		}
		if (check(st->db, res, 1) != 0) return DB_ERROR;
		st->res = res;
		st->row = -1;
	}
	if (!st->res) return DB_ERROR;
	if (st->row + 1 < PQntuples(st->res)) {
		st->row++;
		return DB_ROW;
	}
	return DB_DONE;
}

static int pg_column_count(struct db_stmt *st) { return st->res ? PQnfields(st->res) : 0; }
static int pg_param_count(struct db_stmt *st) { return st->nparams; }

static int pg_is_null(struct db_stmt *st, int col)
{
	return !st->res || st->row < 0 || PQgetisnull(st->res, st->row, col);
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	if (pg_is_null(st, col) || col >= PQnfields(st->res)) return "";
	return PQgetvalue(st->res, st->row, col);
}

/* Booleans come back as "t" and "f"; the store reads them as 1 and 0. */
static int64_t pg_col_int(struct db_stmt *st, int col)
{
	const char *s = pg_col_text(st, col);
	if (s[0] == 't' && !s[1]) return 1;
	return strtoll(s, NULL, 10);
}

static void pg_finish(struct db_stmt *st)
{
	stmt_reset(st);
}

/* A bulk load (an import) fills tables within one transaction, where
 * their statistics still say what they were before it began — empty, for
 * a first import. A plan cached from those (a scan of the "tiny" sites
 * table) stays cached while the table grows, and the import slowed down
 * row by row (5,000 households: 38 s). For its duration every statement
 * is planned for the tables as they are now, and none is cut off after
 * 60 s (one COPY of a whole table, ruhu migrate, may take minutes). */
static void pg_bulk(struct db *db, int on)
{
	struct pg_db *d = PDB(db);
	exec(d, on ? "SET plan_cache_mode = force_custom_plan" : "RESET plan_cache_mode");
	exec(d, on ? "SET statement_timeout = 0" : "SET statement_timeout = '60s'");
}

static enum db_errkind pg_errkind(struct db *db)
{
	const char *s = PDB(db)->sqlstate;
	/* a session lost and not made again, a connection refused, a server
	 * shutting down or starting: the database is away, not at fault */
	if (PQstatus(PDB(db)->conn) != CONNECTION_OK || strncmp(s, "08", 2) == 0 || strcmp(s, "57P01") == 0 ||
	    strcmp(s, "57P02") == 0 || strcmp(s, "57P03") == 0)
		return DB_E_UNAVAILABLE;
	if (!s[0]) return PDB(db)->errmsg[0] ? DB_E_OTHER : DB_E_NONE;
	if (strcmp(s, "23505") == 0) return DB_E_UNIQUE;
	if (strncmp(s, "23", 2) == 0) return DB_E_CONSTRAINT;
	/* serialization failure, deadlock, lock not available, cancelled */
	if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0 || strcmp(s, "55P03") == 0 || strcmp(s, "57014") == 0)
		return DB_E_BUSY;
	return DB_E_OTHER;
}

static const char *pg_errmsg(struct db *db)
{
	return PDB(db)->errmsg[0] ? PDB(db)->errmsg : "no error";
}

static const char *pg_macro(const char *name)
{
	if (strcmp(name, "id") == 0) return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	if (strcmp(name, "blob") == 0) return "BYTEA";
	return NULL;
}

static const char *pg_col_name(struct db_stmt *st, int col)
{
	const char *n = st->res && col < PQnfields(st->res) ? PQfname(st->res, col) : NULL;
	return n ? n : "";
}

static int pg_copy_begin(struct db *db, const char *copy_sql)
{
	struct pg_db *d = PDB(db);
	if (changes_badge_tables(copy_sql)) d->touched = 1;
	settle(d);
	PGresult *res = PQexec(d->conn, copy_sql);
	if (res && PQresultStatus(res) == PGRES_COPY_IN) {
		PQclear(res);
		return 0;
	}
	if (check(d, res, 0) == 0) snprintf(d->errmsg, sizeof d->errmsg, "%.80s did not start a COPY", copy_sql);
	return -1;
}

static int pg_copy_put(struct db *db, const char *data, size_t len)
{
	struct pg_db *d = PDB(db);
	if (PQputCopyData(d->conn, data, (int)len) == 1) return 0;
	snprintf(d->errmsg, sizeof d->errmsg, "%s", PQerrorMessage(d->conn));
	d->sqlstate[0] = '\0';
	return -1;
}

/* Ends the COPY; the server's verdict on the rows (a duplicate key, a
 * check) arrives here. */
static int pg_copy_end(struct db *db)
{
	struct pg_db *d = PDB(db);
	if (PQputCopyEnd(d->conn, NULL) != 1) {
		snprintf(d->errmsg, sizeof d->errmsg, "%s", PQerrorMessage(d->conn));
		return -1;
	}
	int rc = 0;
	PGresult *res;
	while ((res = PQgetResult(d->conn)) != NULL)
		if (check(d, res, 0) != 0) rc = -1;
	return rc;
}

/* url as a libpq conninfo string without its password, which goes to
 * *password (allocated, or NULL): a tool is given the one on its command
 * line, visible to every local user, and the other in its environment. */
static int split_password(const char *url, struct buf *conninfo, char **password)
{
	char *errmsg = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &errmsg);
	PQfreemem(errmsg);
	*password = NULL;
	if (!opts) return -1;
	int bad = 0;
	for (PQconninfoOption *o = opts; o->keyword && !bad; o++) {
		if (!o->val || !o->val[0]) continue;
		if (strcmp(o->keyword, "password") == 0) {
			bad = !(*password = strdup(o->val));
			continue;
		}
		bad = buf_printf(conninfo, "%s%s='", conninfo->len ? " " : "", o->keyword) != 0;
		for (const char *v = o->val; *v && !bad; v++)
			bad = ((*v == '\'' || *v == '\\') && buf_putc(conninfo, '\\')) || buf_putc(conninfo, *v);
		bad = bad || buf_putc(conninfo, '\'');
	}
	PQconninfoFree(opts);
	if (bad) {
		free(*password);
		*password = NULL;
	}
	return bad ? -1 : 0;
}

/* The tool running now (0: none), for a signal handler that stops the
 * command: it stops the tool first (db_pg_tool_pid). */
static volatile sig_atomic_t tool_pid;

pid_t db_pg_tool_pid(void)
{
	return (pid_t)tool_pid;
}

/* In the child, before exec: the tool ends with the command. A command
 * stopped (SIGTERM to its pid alone, from kill or systemd) used to leave
 * pg_restore to commit a restore nobody waited for any more, or pg_dump
 * writing on. The command's handler (cli.c) forwards a stop it sees;
 * the parent-death signal covers the one it cannot see (SIGKILL). The
 * parent may have died before the request was made: then at once. */
static void end_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent) _exit(128 + SIGTERM);
}

int db_pg_run_tool(const char *tool, const char *url, const char *const args[], char *err, size_t errlen)
{
	struct buf conninfo = BUF_INIT(8192);
	char *password = NULL;
	if (url && split_password(url, &conninfo, &password) != 0) {
		buf_release(&conninfo);
		snprintf(err, errlen, "%s: cannot read the database URL", tool);
		return -1;
	}
	const char *argv[16];
	int n = 0;
	argv[n++] = tool;
	for (int i = 0; args[i] && n < 13; i++) argv[n++] = args[i];
	if (url) {
		argv[n++] = "--dbname";
		argv[n++] = buf_str(&conninfo);
	}
	argv[n] = NULL;
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		buf_release(&conninfo);
		free(password);
		snprintf(err, errlen, "cannot start %s: %s", tool, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		end_with_parent(parent);
		if (password) setenv("PGPASSWORD", password, 1);
		execvp(tool, (char *const *)argv);
		fprintf(stderr, "ruhu: cannot run %s: %s\n", tool, strerror(errno));
		_exit(127);
	}
	buf_release(&conninfo);
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	tool_pid = pid;
	int st = 0;
	pid_t w;
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {}
	tool_pid = 0;
	if (w != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(err, errlen, "%s failed (%s %d); its message is above", tool,
			 w == pid && WIFEXITED(st) ? "status" : "signal",
			 w != pid ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return -1;
	}
	return 0;
}

/* Waits until deadline (monotonic ms) for something to read on the
 * session or on wake_fd: 0 read and consumed, 1 deadline passed, 2 woken,
 * -1 the session failed. */
static int wait_input(struct pg_db *d, int64_t deadline, int wake_fd)
{
	for (;;) {
		int64_t left = deadline - mono_ms();
		struct pollfd p[2] = { { .fd = PQsocket(d->conn), .events = POLLIN }, { .fd = wake_fd, .events = POLLIN } };
		int n = poll(p, wake_fd >= 0 ? 2 : 1, left > 0 ? (int)left : 0);
		if (n < 0 && errno == EINTR) continue;
		if (n < 0) return -1;
		if (n == 0) return 1;
		if (wake_fd >= 0 && p[1].revents) return 2;
		return PQconsumeInput(d->conn) && PQstatus(d->conn) == CONNECTION_OK ? 0 : -1;
	}
}

/* Sends q and reads its answer by deadline, counting notifications that
 * come with it: 1 when it answered rows, 0 when it answered none, -1 when
 * it failed or did not answer in time. */
static int ask_by(struct pg_db *d, const char *q, int64_t deadline)
{
	if (!PQsendQuery(d->conn, q)) return -1;
	int rows = 0, failed = 0;
	for (;;) {
		while (PQisBusy(d->conn))
			if (wait_input(d, deadline, -1) != 0) return -1;
		PGresult *res = PQgetResult(d->conn);
		if (!res) break;
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK) rows |= PQntuples(res) > 0;
		else if (st != PGRES_COMMAND_OK) failed = 1;
		PQclear(res);
	}
	changes_drain(d);
	return failed ? -1 : rows;
}

/* How long the watcher waits for the server to answer it. */
#define WATCH_ANSWER_MS 2000

/* The watcher (driver->watch): listens on its own session, counts
 * notifications as they come, and between them asks the server whether
 * it is still listening, which must be answered within WATCH_ANSWER_MS —
 * a session cut off without a word (a network partition) stops the
 * counting from being trusted within timeout_ms + WATCH_ANSWER_MS. */
static int pg_watch(struct db *db, int timeout_ms, int wake_fd)
{
	struct pg_db *d = PDB(db);
	struct changes *c = db->changes;
	if (!c) return -1;
	if (d->lost || PQstatus(d->conn) != CONNECTION_OK) {
		atomic_store(&c->watched, 0);
		d->lost = 1;
		if (reconnect(d) != 0) return -1;
	}
	if (!atomic_load(&c->watched)) {
		/* listening (again): whatever changed before was not heard */
		if (ask_by(d, "SET application_name = 'ruhu watch'; LISTEN " CHANGES_CHANNEL, mono_ms() + WATCH_ANSWER_MS) < 0)
			goto lost;
		atomic_fetch_add(&c->seen, 1);
		atomic_store(&c->watched, 1);
	}
	int64_t deadline = mono_ms() + timeout_ms;
	int rc;
	while ((rc = wait_input(d, deadline, wake_fd)) == 0) changes_drain(d);
	if (rc < 0) goto lost;
	if (rc == 2) return 0;
	int listening = ask_by(d, "SELECT 1 FROM pg_listening_channels() c WHERE c = '" CHANGES_CHANNEL "'",
			       mono_ms() + WATCH_ANSWER_MS);
	if (listening == 1) return 0;
	if (listening == 0) snprintf(d->errmsg, sizeof d->errmsg, "the watcher's session no longer listens");
	else snprintf(d->errmsg, sizeof d->errmsg, "PostgreSQL did not answer the watcher within %d ms",
		      WATCH_ANSWER_MS);
	goto lost_quiet;
lost:
	snprintf(d->errmsg, sizeof d->errmsg, "PostgreSQL: %s",
		 PQstatus(d->conn) == CONNECTION_OK ? "the watcher's question failed" : PQerrorMessage(d->conn));
lost_quiet:
	atomic_store(&c->watched, 0);
	d->lost = 1;
	return -1;
}

/* pg_dump's custom format, into FILE.partial and renamed when whole. */
static int pg_backup(struct db *db, const char *file, char *err, size_t errlen)
{
	struct pg_db *d = PDB(db);
	char partial[4096], opt[4200];
	if (db_backup_partial(file, partial, sizeof partial, err, errlen) != 0) return -1;	/* pg_dump writes into it */
	snprintf(opt, sizeof opt, "--file=%s", partial);
	const char *args[] = { "--format=custom", "--no-owner", "--no-privileges", opt, NULL };
	if (db_pg_run_tool("pg_dump", d->target, args, err, errlen) != 0) {
		unlink(partial);
		return -1;
	}
	/* link() fails if FILE appeared meanwhile: a backup never replaces one */
	if (link(partial, file) != 0) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		unlink(partial);
		return -1;
	}
	unlink(partial);
	return 0;
}

const struct db_driver db_pg_driver = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.exec_script = pg_exec_script,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.step = pg_step,
	.column_count = pg_column_count,
	.param_count = pg_param_count,
	.bulk = pg_bulk,
	.is_null = pg_is_null,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.finish = pg_finish,
	.errkind = pg_errkind,
	.errmsg = pg_errmsg,
	.macro = pg_macro,
	.col_name = pg_col_name,
	.copy_begin = pg_copy_begin,
	.copy_put = pg_copy_put,
	.copy_end = pg_copy_end,
	.backup = pg_backup,
	.watch = pg_watch,
};

const char *db_pg_version(void)
{
	static char text[32];	/* the same text every call */
	int v = PQlibVersion();
	snprintf(text, sizeof text, "libpq %d.%d", v / 10000, v % 10000);
	return text;
}
