/*
 * test_db_pg.c — the PostgreSQL driver's transactions on a real server
 * (store/db_pg.c): a read's BEGIN travels with its first statement, its
 * ROLLBACK is not waited for, and neither loses a session's work or
 * hides a lost session.
 *
 * It needs a server: RUHU_TEST_PG, the base URL tests/pg.sh prints
 * (tests/run.sh's pg suite sets it). Without it there is nothing to test
 * and it says so.
 */
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"
#include "store/db.h"
#include "store/store.h"
#include "store/store_internal.h"

static const struct db_driver *drv = &db_pg_driver;

/* The first column of q's only row as an integer; -1 on error. */
static int64_t ask_int(struct db *db, const struct sql *q)
{
	struct db_stmt *st = drv->prepare(db, q, "");
	if (!st) return -1;
	int64_t v = drv->step(st) == DB_ROW ? drv->col_int(st, 0) : -1;
	drv->finish(st);
	return v;
}

/* The first column of q's only row as text into out; "" on error. */
static void ask_text(struct db *db, const struct sql *q, char *out, size_t cap)
{
	out[0] = '\0';
	struct db_stmt *st = drv->prepare(db, q, "");
	if (st && drv->step(st) == DB_ROW) snprintf(out, cap, "%s", drv->col_text(st, 0));
	if (st) drv->finish(st);
}

static const struct sql Q_PID = { "SELECT pg_backend_pid()" };
static const struct sql Q_KIND = {
	"SELECT current_setting('transaction_isolation') || ' ' || current_setting('transaction_read_only')"
};
static const struct sql Q_NOW = { "SELECT (extract(epoch FROM now()) * 1000000)::bigint" };
static const struct sql Q_LATER = { "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint FROM pg_sleep(0.01)" };
static const struct sql Q_FAIL = { "SELECT 1 / (SELECT 0)" };
static const struct sql Q_ONE = { "SELECT 1" };
static const struct sql Q_TEMP = { "CREATE TEMP TABLE IF NOT EXISTS t_written (x int)" };
static const struct sql Q_FRESH = { "SELECT current_setting('transaction_read_only')" };	/* first used after a loss */
static const struct sql Q_GIN_TABLE = { "CREATE TABLE IF NOT EXISTS t_upkeep (t text)" };
static const struct sql Q_GIN_INDEX = {
	"CREATE INDEX IF NOT EXISTS t_upkeep_gin ON t_upkeep USING gin (to_tsvector('simple', t)) WITH (fastupdate = on)"
};
static const struct sql Q_GIN_FILL = {
	"INSERT INTO t_upkeep SELECT 'word' || g || ' other' || (g * 7) FROM generate_series(1, 300) AS g"
};
static const struct sql Q_GIN_DROP = { "DROP TABLE IF EXISTS t_upkeep" };
static const struct sql Q_GIN_DROP_INDEX = { "DROP INDEX t_upkeep_gin" };
static const struct sql Q_SETTINGS = {
	"SELECT current_setting('lock_timeout') || ' ' || current_setting('statement_timeout') || ' '"
	" || current_setting('client_encoding')"
};
static const struct sql Q_READ_LOCKED = { "SELECT count(*) FROM ruhu_test_locked" };
static const struct sql Q_TOO_MANY_PARAMS = { "SELECT $33" };	/* the driver takes 32 */
static const struct sql Q_TERMINATE = { "SELECT pg_terminate_backend(CAST($1 AS int), 5000)::int" };

/* Ends the session of backend pid from the other connection, and waits
 * until the server has let it go. */
/* A read that asks SELECT 1 and ends without waiting for its ROLLBACK. */
#define READ_ONE(db) do { \
	CHECK_INT(drv->begin((db), 0), 0); \
	CHECK_INT(ask_int((db), &Q_ONE), 1); \
	drv->rollback(db); \
} while (0)

static int terminate(struct db *other, int64_t pid)
{
	struct db_stmt *st = drv->prepare(other, &Q_TERMINATE, "I");
	if (!st || drv->bind_int(st, 1, pid) != 0) return 0;
	int ok = drv->step(st) == DB_ROW && drv->col_int(st, 0) == 1;
	drv->finish(st);
	usleep(50 * 1000);	/* the goodbye reaches the socket */
	return ok;
}

int main(void)
{
	const char *base = getenv("RUHU_TEST_PG");
	if (!base || !base[0]) {
		printf("test_db_pg: RUHU_TEST_PG is not set (tests/run.sh pg sets it); nothing to test\n");
		return t_done();
	}
	char url[512], err[512];
	snprintf(url, sizeof url, "%s/postgres", base);
	struct db *db = NULL, *other = NULL;
	t_case("the driver opens two connections to the test server");
	if (!CHECK(drv->open(url, 0, &db, err, sizeof err) == 0) || !CHECK(drv->open(url, 0, &other, err, sizeof err) == 0)) {
		fprintf(stderr, "  %s\n", err);
		return t_done();
	}

	t_case("a read's first statement runs inside its REPEATABLE READ, READ ONLY transaction");
	char kind[64];
	CHECK_INT(drv->begin(db, 0), 0);
	ask_text(db, &Q_KIND, kind, sizeof kind);
	CHECK_STR(kind, "repeatable read on");
	t_case("… and so does the next: one transaction, one snapshot (now() does not move)");
	int64_t t0 = ask_int(db, &Q_NOW), later = ask_int(db, &Q_LATER), t1 = ask_int(db, &Q_NOW);
	CHECK(t0 > 0);
	CHECK(later > t0);
	CHECK_INT(t1, t0);
	drv->rollback(db);

	t_case("after a read's ROLLBACK (not waited for) the next statement runs on its own");
	ask_text(db, &Q_KIND, kind, sizeof kind);
	CHECK_STR(kind, "read committed off");

	t_case("the ROLLBACK's late answer is not taken for a session's goodbye: the session stays");
	int64_t pid0 = ask_int(db, &Q_PID);
	READ_ONE(db);
	usleep(1100 * 1000);	/* past the driver's once-a-second look at an idle session */
	CHECK_INT(drv->begin(db, 0), 0);
	CHECK_INT(ask_int(db, &Q_PID), pid0);
	drv->rollback(db);

	t_case("a read that ran nothing sends nothing, and the next read is a new transaction");
	CHECK_INT(drv->begin(db, 0), 0);
	drv->rollback(db);
	CHECK_INT(drv->begin(db, 0), 0);
	int64_t t2 = ask_int(db, &Q_NOW);
	CHECK(t2 > t1);
	CHECK_INT(drv->commit(db), 0);	/* a read may end by COMMIT too */
	CHECK_INT(drv->begin(db, 0), 0);
	CHECK_INT(drv->commit(db), 0);	/* … even an empty one */
	ask_text(db, &Q_KIND, kind, sizeof kind);
	CHECK_STR(kind, "read committed off");

	t_case("a write after a read's unawaited ROLLBACK begins, writes and commits");
	READ_ONE(db);
	CHECK_INT(drv->begin(db, 1), 0);
	struct db_stmt *w = drv->prepare(db, &Q_TEMP, "");
	CHECK(w && drv->step(w) == DB_DONE);
	if (w) drv->finish(w);
	CHECK_INT(drv->commit(db), 0);

	t_case("a read whose statement fails ends, and the next read works");
	CHECK_INT(drv->begin(db, 0), 0);
	CHECK_INT(ask_int(db, &Q_FAIL), -1);
	CHECK(strstr(drv->errmsg(db), "division by zero") != NULL);
	drv->rollback(db);
	READ_ONE(db);

	t_case("a read begun on a session that then ends is sent again, BEGIN and all, on a new one");
	int64_t pid = ask_int(db, &Q_PID);
	CHECK(pid > 0);
	CHECK_INT(drv->begin(db, 0), 0);
	CHECK(terminate(other, pid));
	ask_text(db, &Q_KIND, kind, sizeof kind);
	CHECK_STR(kind, "repeatable read on");
	drv->rollback(db);
	t_case("… and so is one whose first statement must first be prepared (a PREPARE before the BEGIN)");
	pid = ask_int(db, &Q_PID);
	CHECK_INT(drv->begin(db, 0), 0);
	CHECK(terminate(other, pid));
	ask_text(db, &Q_FRESH, kind, sizeof kind);
	CHECK_STR(kind, "on");
	int64_t pid2 = ask_int(db, &Q_PID);
	CHECK(pid2 > 0 && pid2 != pid);
	drv->rollback(db);
	t_case("… and the new session keeps the settings every session is given (not undone with the read)");
	char settings[128];
	ask_text(db, &Q_SETTINGS, settings, sizeof settings);
	CHECK_STR(settings, "5s 1min UTF8");

	t_case("a session that ends after a read's unawaited ROLLBACK is made again for the next read");
	READ_ONE(db);
	CHECK(terminate(other, pid2));
	CHECK_INT(drv->begin(db, 0), 0);
	ask_text(db, &Q_KIND, kind, sizeof kind);
	CHECK_STR(kind, "repeatable read on");
	CHECK(ask_int(db, &Q_PID) != pid2);
	drv->rollback(db);

	t_case("a write's transaction is not lost to a session ended inside it: the caller hears of it");
	CHECK_INT(drv->begin(db, 1), 0);
	CHECK(terminate(other, ask_int(db, &Q_PID)));
	CHECK_INT(ask_int(db, &Q_ONE), -1);
	drv->rollback(db);
	CHECK_INT(ask_int(db, &Q_ONE), 1);	/* a statement of its own makes a new session */

	t_case("the index upkeep merges a GIN index's pending list (read whole by every search), then finds none");
	static const struct sql *const setup[] = { &Q_GIN_DROP, &Q_GIN_TABLE, &Q_GIN_INDEX, &Q_GIN_FILL };
	for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++) {
		w = drv->prepare(db, setup[i], "");
		CHECK(w && drv->step(w) == DB_DONE);
		if (w) drv->finish(w);
	}
	int64_t pages = -1;
	CHECK_INT(store_upkeep(db, &pages), RH_OK);
	CHECK(pages > 0);
	CHECK_INT(store_upkeep(db, &pages), RH_OK);
	CHECK_INT(pages, 0);

	t_case("an index locked by another session (an import rebuilding it) is skipped as busy, not failed");
	CHECK_INT(drv->begin(other, 1), 0);
	w = drv->prepare(other, &Q_GIN_DROP_INDEX, "");
	CHECK(w && drv->step(w) == DB_DONE);
	if (w) drv->finish(w);
	CHECK_INT(store_upkeep(db, &pages), RH_ERR_BUSY);
	drv->rollback(other);
	CHECK_INT(store_upkeep(db, &pages), RH_OK);

	w = drv->prepare(db, &Q_GIN_DROP, "");
	if (w && drv->step(w) == DB_DONE) drv->finish(w);

	/* PostgreSQL locks a statement's tables to plan it: a statement first
	 * prepared on a connection while an import holds households waits
	 * there, and its lock timeout is a busy database (503), as it is for
	 * one already prepared, not a store failure (500). */
	t_case("a statement first prepared while another session holds its table is busy, not a store failure");
	CHECK_INT(drv->exec_script(other, "CREATE TABLE ruhu_test_locked (x int)"), 0);
	CHECK_INT(drv->begin(other, 1), 0);
	CHECK_INT(drv->exec_script(other, "LOCK TABLE ruhu_test_locked IN ACCESS EXCLUSIVE MODE"), 0);
	CHECK_INT(drv->exec_script(db, "SET lock_timeout = '300ms'"), 0);
	CHECK_INT(q_exec(db, &Q_READ_LOCKED, ""), RH_ERR_BUSY);
	t_case("… but a statement ruhu itself cannot prepare, right after, is a store failure: the busy error was "
	       "the other statement's");
	CHECK_INT(q_exec(db, &Q_TOO_MANY_PARAMS, ""), RH_ERR_STORE);
	drv->rollback(other);
	t_case("… and once the table is free the same statement runs");
	CHECK_INT(q_exec(db, &Q_READ_LOCKED, ""), RH_OK);
	CHECK_INT(drv->exec_script(db, "RESET lock_timeout; DROP TABLE ruhu_test_locked"), 0);

	drv->close(other);
	drv->close(db);
	return t_done();
}
