/*
 * test_store.c — the store on a real SQLite file: migrations, versions,
 * the audit chain written with every change, sessions, the job queue's
 * exactly-once claims (also from several threads at once), and calendar
 * overlays per tenant.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"
#include "base/log.h"
#include "core/secret.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "app/jobs.h"
#include "app/scheduler.h"

static char dir[64], path[128];
static struct store *st;
static struct keys keys;
static struct actor sys_actor = { .tenant_id = 0, .name = "test" };

static int64_t make_tenant(struct db *db, const char *code)
{
	struct tenant t = { .utc_offset_min = 480 };
	snprintf(t.code, sizeof t.code, "%s", code);
	snprintf(t.name, sizeof t.name, "测试 %s", code);
	snprintf(t.kind, sizeof t.kind, "gas");
	snprintf(t.tz_name, sizeof t.tz_name, "Asia/Shanghai");
	return store_tenant_create(db, &sys_actor, &t, NULL) == RH_OK ? t.id : 0;
}

static int count_audit(const struct audit_check *c, void *arg)
{
	*(int64_t *)arg = c->broken_seq ? -1 : c->entries;
	return 0;
}

static int64_t chain_length(struct db *db, int64_t tenant)
{
	int64_t n = 0;
	store_audit_verify(db, tenant, count_audit, &n);
	return n;
}

static void test_open(void)
{
	char err[256];
	t_case("without STORE_CREATE a SQLite file that is not there is an error, and none is made");
	CHECK_INT(store_open(path, 0, 1, &keys, &st, err, sizeof err), RH_ERR_STORE);
	CHECK(strstr(err, "ruhu init") != NULL);
	CHECK(access(path, F_OK) != 0);
	t_case("migrations apply on a new database and not again on reopen");
	CHECK_INT(store_open(path, STORE_CREATE, 4, &keys, &st, err, sizeof err), RH_OK);
	CHECK_INT(store_schema_version(st), 22);
	store_close(st);
	CHECK_INT(store_open(path, 0, 4, &keys, &st, err, sizeof err), RH_OK);	/* there now */
	CHECK_STR(store_backend(st), "sqlite");
	t_case("the SQLite library has FTS5 (full-text search for the master data)");
	CHECK(sqlite3_compileoption_used("ENABLE_FTS5"));
	t_case("the short search's given-name expression is the index's, character for character, and the plan uses it");
	sqlite3 *raw = NULL;
	CHECK_INT(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q = NULL;
	CHECK_INT(sqlite3_prepare_v2(raw, "SELECT sql FROM sqlite_master WHERE name = 'households_given_name'", -1, &q, NULL),
		  SQLITE_OK);
	CHECK_INT(sqlite3_step(q), SQLITE_ROW);
	CHECK(strstr((const char *)sqlite3_column_text(q, 0), HH_GIVEN_NAME) != NULL);
	sqlite3_finalize(q);
	CHECK_INT(sqlite3_prepare_v2(raw, "EXPLAIN QUERY PLAN SELECT id FROM households WHERE tenant_id = 1 AND "
				     HH_GIVEN_NAME " >= '娜' AND " HH_GIVEN_NAME " < '娜\xf4\x8f\xbf\xbf'", -1, &q, NULL), SQLITE_OK);
	int uses = 0;
	while (sqlite3_step(q) == SQLITE_ROW) uses |= strstr((const char *)sqlite3_column_text(q, 3), "households_given_name") != NULL;
	CHECK(uses);
	sqlite3_finalize(q);
	t_case("G1 X1 a short search within many households tests their sites in the name index (the name's matches are"
	       " not read from the table, nor the sites' households walked)");
	CHECK_INT(sqlite3_prepare_v2(raw, "EXPLAIN QUERY PLAN " HH_SHORT_COVER_SQL(HH_GIVEN_NAME, HH_CASES), -1, &q, NULL), SQLITE_OK);
	int covering = 0, given = 0, account = 0, other = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(q, 3);
		if (!strstr(d, " households ")) continue;
		if (strstr(d, "SEARCH households USING COVERING INDEX households_name (tenant_id=? AND name>? AND name<?)"))
			covering++;
		else if (strstr(d, "USING INDEX households_given_name (tenant_id=? AND <expr>>? AND <expr><?)")) given++;
		else if (strstr(d, "USING INDEX households_account (tenant_id=? AND account_no=?)")) account++;
		else other++;
	}
	CHECK_INT(covering, 1);
	CHECK_INT(given, 1);
	CHECK_INT(account, 1);
	CHECK_INT(other, 0);
	sqlite3_finalize(q);
	CHECK_INT(sqlite3_prepare_v2(raw, "SELECT sql FROM sqlite_master WHERE name = 'households_given_name'", -1, &q, NULL),
		  SQLITE_OK);
	CHECK_INT(sqlite3_step(q), SQLITE_ROW);
	CHECK(strstr((const char *)sqlite3_column_text(q, 0), "END), site_id)") != NULL);
	sqlite3_finalize(q);
	t_case("a site list's household count finds the sites under each row by their estate and building indexes,"
	       " not by reading every site of the organisation for every row");
	CHECK_INT(sqlite3_prepare_v2(raw, "EXPLAIN QUERY PLAN SELECT s.id, " SITE_HOUSEHOLDS " FROM sites s"
				     " WHERE s.tenant_id = 1 ORDER BY s.name", -1, &q, NULL), SQLITE_OK);
	int lookups = 0, walks = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(q, 3);
		if (strncmp(d, "SEARCH d ", 9) != 0 && strncmp(d, "SCAN d", 6) != 0) continue;
		if (strstr(d, "estate_id=?") || strstr(d, "building_id=?")) lookups++;
		else walks++;
	}
	CHECK_INT(walks, 0);
	CHECK_INT(lookups, 2);
	sqlite3_finalize(q);
	sqlite3_close(raw);
	t_case("the whole-database copy (ruhu migrate, restore) knows every table of the schema");
	char missing[512];
	CHECK_INT(store_copy_tables_check(st, missing, sizeof missing), RH_OK);
	CHECK_STR(missing, "");
	t_case("a postgres:// target that cannot be reached is refused with PostgreSQL's reason");
	struct store *pg = NULL;
	CHECK(store_open("postgres://ruhu@127.0.0.1:1/ruhu?connect_timeout=2", STORE_CREATE, 1, &keys, &pg, err, sizeof err) != RH_OK);
	CHECK(strstr(err, "PostgreSQL") != NULL && strstr(err, "127.0.0.1") != NULL);
}

static void raw_text(const char *sql, int col, char *out, size_t cap);

static void test_users(void)
{
	struct db *db = store_acquire(st);
	t_case("X1 a tenant is created and its code is unique");
	int64_t t1 = make_tenant(db, "store-a");
	CHECK(t1 > 0);
	struct tenant t = { .utc_offset_min = 480 };
	snprintf(t.code, sizeof t.code, "store-a");
	struct rh_fail fail = { .err = RH_OK };
	CHECK_INT(store_tenant_create(db, &sys_actor, &t, &fail), RH_ERR_DUPLICATE);
	CHECK_STR(fail.field, "code");

	t_case("X3 creating an account appends an audit entry in the same transaction");
	int64_t before = chain_length(db, t1);
	struct user u = { .tenant_id = t1, .roles = RH_ROLE(ROLE_DISPATCHER) };
	snprintf(u.username, sizeof u.username, "store.user");
	snprintf(u.display_name, sizeof u.display_name, "调度");
	struct actor a = { .tenant_id = t1, .name = "tester", .user_id = 0 };
	CHECK_INT(store_user_create(db, &a, &u, "$argon2id$fake", NULL, NULL), RH_OK);
	CHECK_INT(u.version, 1);
	CHECK_INT(chain_length(db, t1), before + 1);

	t_case("X3 an update with a stale version is refused and changes nothing");
	struct user_patch p = { .display_name = "新名字", .status = -1 };
	struct user out;
	fail = (struct rh_fail){ .err = RH_OK };
	CHECK_INT(store_user_update(db, &a, t1, u.id, 7, &p, &out, &fail), RH_ERR_VERSION_CONFLICT);
	CHECK_INT(fail.n, 1);
	CHECK_INT(store_user_get(db, t1, u.id, &out), RH_OK);
	CHECK_STR(out.display_name, "调度");
	CHECK_INT(chain_length(db, t1), before + 1);
	t_case("X3 an update with the current version applies and is audited");
	CHECK_INT(store_user_update(db, &a, t1, u.id, 1, &p, &out, NULL), RH_OK);
	CHECK_STR(out.display_name, "新名字");
	CHECK_INT(out.version, 2);
	CHECK_INT(chain_length(db, t1), before + 2);

	t_case("X1 another tenant cannot read or change the account");
	int64_t t2 = make_tenant(db, "store-b");
	CHECK_INT(store_user_get(db, t2, u.id, &out), RH_ERR_NOT_FOUND);
	CHECK_INT(store_user_update(db, &a, t2, u.id, 2, &p, &out, NULL), RH_ERR_NOT_FOUND);

	t_case("a duplicate user name is refused across tenants");
	struct user dup = u;
	dup.tenant_id = t2;
	fail = (struct rh_fail){ .err = RH_OK };
	CHECK_INT(store_user_create(db, &a, &dup, "$argon2id$fake", NULL, &fail), RH_ERR_DUPLICATE);
	CHECK_STR(fail.field, "username");

	t_case("X4 sign-in attempts all taken by checks running refuse more; lost ones (a server stopped mid-check) stop counting once no check can still run");
	int64_t until = -1, chain = chain_length(db, t1);
	for (int i = 0; i < 5; i++) CHECK_INT(store_login_reserve(db, u.id, 5, 300, 1000 + i, &until), RH_OK);
	CHECK_INT(store_login_reserve(db, u.id, 5, 300, 1010, &until), RH_ERR_ACCOUNT_LOCKED);
	CHECK_INT(until, 1010);	/* not locked: refused while the checks run */
	CHECK_INT(store_login_reserve(db, u.id, 5, 300, 1303, &until), RH_ERR_ACCOUNT_LOCKED);	/* 299 s after the last */
	CHECK_INT(store_login_reserve(db, u.id, 5, 300, 1304, &until), RH_OK);	/* lost: a fresh count, this one the first */
	CHECK_INT(store_user_get(db, t1, u.id, &out), RH_OK);
	CHECK_INT(out.locked_until, 0);
	CHECK_INT(store_login_release(db, u.id), RH_OK);
	CHECK_INT(chain_length(db, t1), chain);	/* operational state, not audited */

	t_case("sessions: lookup finds the user, expiry and disabling end them");
	struct session s = { .tenant_id = t1, .user_id = u.id, .created_at = 1000, .last_seen_at = 1000, .expires_at = 2000 };
	snprintf(s.token_hash, sizeof s.token_hash, "%064d", 1);
	snprintf(s.csrf_token, sizeof s.csrf_token, "csrf");
	CHECK_INT(store_session_create(db, &a, &s, "test agent"), RH_OK);
	struct session found;
	CHECK_INT(store_session_lookup(db, s.token_hash, 1500, &found), RH_OK);
	CHECK_STR(found.user.username, "store.user");
	CHECK_INT(found.tz_offset, 480);
	CHECK_INT(store_session_lookup(db, s.token_hash, 2000, &found), RH_ERR_NOT_FOUND);
	CHECK_INT(store_session_touch(db, s.token_hash, 1900, 5000), RH_OK);
	CHECK_INT(store_session_lookup(db, s.token_hash, 2500, &found), RH_OK);
	struct user_patch off = { .status = USER_DISABLED };
	CHECK_INT(store_user_update(db, &a, t1, u.id, 2, &off, &out, NULL), RH_OK);
	CHECK_INT(store_session_lookup(db, s.token_hash, 2500, &found), RH_ERR_NOT_FOUND);

	t_case("X3 the chain of every tenant verifies");
	CHECK(chain_length(db, t1) > 0 && chain_length(db, t2) > 0);
	store_release(st, db);

	t_case("X3 another installation's key is refused when the database opens (its key check)");
	struct keys other;
	unsigned char master[SECRET_KEY_BYTES];
	char b64[45], err[256];
	secret_key_new(master, b64);
	keys_derive(master, &other);
	struct store *st2 = NULL;
	CHECK_INT(store_open(path, STORE_CREATE, 1, &other, &st2, err, sizeof err), RH_ERR_KEY_MISMATCH);
	CHECK(st2 == NULL && strstr(err, "not this database's") != NULL);

	t_case("X3 a database from before the key check is proven by its audit trail before it takes a key");
	sqlite3 *raw = NULL;
	CHECK_INT(sqlite3_open(path, &raw), SQLITE_OK);
	CHECK_INT(sqlite3_exec(raw, "DELETE FROM installation", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	CHECK_INT(store_open(path, STORE_CREATE, 1, &other, &st2, err, sizeof err), RH_ERR_KEY_MISMATCH);
	CHECK_INT(store_open(path, STORE_CREATE, 1, &keys, &st2, err, sizeof err), RH_OK);	/* its own key: stamped */
	store_close(st2);
	st2 = NULL;
	CHECK_INT(store_open(path, STORE_CREATE, 1, &other, &st2, err, sizeof err), RH_ERR_KEY_MISMATCH);

	/* An older database: migration 022 undone, as a database an older
	 * ruhu wrote (its one column dropped, its row in schema_migrations
	 * gone). A newer ruhu run with a mistyped key upgraded it for good —
	 * which older nodes then could not open — before it refused the key. */
	const char *undo_022 = "ALTER TABLE staff_steps DROP COLUMN id_hash; DELETE FROM schema_migrations WHERE version = 22";
	const char *at_021 = "SELECT (SELECT max(version) FROM schema_migrations) || ' '"
			     " || (SELECT count(*) FROM pragma_table_info('staff_steps') WHERE name = 'id_hash')";
	char got[64];
	t_case("X3 an older database opened under another key is refused before its schema is migrated");
	CHECK_INT(sqlite3_open(path, &raw), SQLITE_OK);
	CHECK_INT(sqlite3_exec(raw, undo_022, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	raw_text(at_021, 0, got, sizeof got);
	CHECK_STR(got, "21 0");
	CHECK_INT(store_open(path, 0, 1, &other, &st2, err, sizeof err), RH_ERR_KEY_MISMATCH);
	CHECK(strstr(err, "not this database's") != NULL);
	raw_text(at_021, 0, got, sizeof got);
	CHECK_STR(got, "21 0");
	t_case("X3 … also one from before the key check, which its audit trail refuses, before any migration");
	CHECK_INT(sqlite3_open(path, &raw), SQLITE_OK);
	CHECK_INT(sqlite3_exec(raw, "DELETE FROM installation", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	CHECK_INT(store_open(path, STORE_CREATE, 1, &other, &st2, err, sizeof err), RH_ERR_KEY_MISMATCH);
	raw_text(at_021, 0, got, sizeof got);
	CHECK_STR(got, "21 0");
	raw_text("SELECT count(*) FROM installation", 0, got, sizeof got);
	CHECK_STR(got, "0");
	t_case("X3 … and under its own key it is migrated, and stamped");
	CHECK_INT(store_open(path, 0, 1, &keys, &st2, err, sizeof err), RH_OK);
	CHECK_INT(store_schema_version(st2), 22);
	store_close(st2);
	raw_text(at_021, 0, got, sizeof got);
	CHECK_STR(got, "22 1");
	raw_text("SELECT count(*) FROM installation", 0, got, sizeof got);
	CHECK_STR(got, "1");
}

/* Runs sql on the file itself, past ruhu (and with the audit trail's
 * append-only triggers set aside, as someone editing the file would):
 * 0 when it ran. */
static int raw_exec_around_triggers(const char *sql)
{
	char all[1024];
	snprintf(all, sizeof all, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; %s;"
		 " CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
		 " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
		 " CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
		 " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END", sql);
	sqlite3 *raw = NULL;
	int rc = sqlite3_open(path, &raw) == SQLITE_OK && sqlite3_exec(raw, all, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	sqlite3_close(raw);
	return rc;
}

static int keep_check(const struct audit_check *c, void *arg)
{
	*(struct audit_check *)arg = *c;
	return 0;
}

/* The chain is read a page at a time (store_audit.c); a page of three
 * entries here, so that a short trail crosses many pages. */
static void test_audit_pages(void)
{
	struct db *db = store_acquire(st);
	int64_t t = make_tenant(db, "pages");
	struct actor a = { .tenant_id = t, .name = "tester" };
	for (int i = 0; i < 13; i++) store_audit_view(db, &a, t, "household", i + 1, "phone");
	struct audit_check whole, paged;
	store_audit_verify_page(1000);
	CHECK_INT(store_audit_verify(db, t, keep_check, &whole), RH_OK);
	CHECK_INT(whole.entries, 14);	/* the organisation's creation, then 13 */
	store_audit_verify_page(3);
	t_case("X3 a chain read in pages verifies whole: every entry, the head of the last page");
	CHECK_INT(store_audit_verify(db, t, keep_check, &paged), RH_OK);
	CHECK_INT(paged.broken_seq, 0);
	CHECK_INT(paged.entries, 14);
	CHECK_STR(paged.head_hash, whole.head_hash);
	t_case("X3 … and one that ends on a page's last entry (15 = 5 pages of 3, then an empty one)");
	store_audit_view(db, &a, t, "household", 99, "phone");
	CHECK_INT(store_audit_verify(db, t, keep_check, &paged), RH_OK);
	CHECK_INT(paged.broken_seq, 0);
	CHECK_INT(paged.entries, 15);
	t_case("X3 an entry altered in a later page is found, named");
	store_release(st, db);
	CHECK_INT(raw_exec_around_triggers("UPDATE audit_log SET reason = 'edited' WHERE tenant_id = (SELECT id FROM"
					   " tenants WHERE code = 'pages') AND seq = 11"), 0);
	db = store_acquire(st);
	CHECK_INT(store_audit_verify(db, t, keep_check, &paged), RH_OK);
	CHECK_INT(paged.broken_seq, 11);
	CHECK_INT(paged.entries, 10);
	CHECK(strstr(paged.reason, "entry 11 was altered") != NULL);
	t_case("X3 an entry removed at a page's start is found: the next page does not begin where the last ended");
	store_release(st, db);
	CHECK_INT(raw_exec_around_triggers("DELETE FROM audit_log WHERE tenant_id = (SELECT id FROM tenants"
					   " WHERE code = 'pages') AND seq = 7"), 0);
	db = store_acquire(st);
	CHECK_INT(store_audit_verify(db, t, keep_check, &paged), RH_OK);
	CHECK_INT(paged.broken_seq, 7);
	CHECK(strstr(paged.reason, "entry 7 is missing (next found: 8)") != NULL);
	store_audit_verify_page(0);	/* the default again */
	store_release(st, db);
}

/* The text of column col of the first row sql answers, on the file itself. */
static void raw_text(const char *sql, int col, char *out, size_t cap)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *q = NULL;
	out[0] = '\0';
	if (sqlite3_open(path, &raw) == SQLITE_OK && sqlite3_prepare_v2(raw, sql, -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, col))
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(q, col));
	sqlite3_finalize(q);
	sqlite3_close(raw);
}

/* One character of the seal in table.column of row id changed, as
 * someone writing the file directly would: 0 when done. */
static int alter_seal(const char *table, const char *column, int64_t id)
{
	char sql[600], seal[512];
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = %lld", column, table, (long long)id);
	raw_text(sql, 0, seal, sizeof seal);
	if (strlen(seal) < 11) return -1;
	seal[10] = seal[10] == 'A' ? 'B' : 'A';
	snprintf(sql, sizeof sql, "UPDATE %s SET %s = '%s' WHERE id = %lld", table, column, seal, (long long)id);
	sqlite3 *w = NULL;
	int rc = sqlite3_open(path, &w) == SQLITE_OK && sqlite3_exec(w, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	sqlite3_close(w);
	return rc;
}

static void test_cert_seal(void)
{
	char err[256], got[512];
	t_case("X5 certificates written before migration 019 are sealed at the next start: the ID number masked, "
	       "the whole number sealed, every number hashed");
	store_close(st);
	sqlite3 *raw = NULL;
	CHECK_INT(sqlite3_open(path, &raw), SQLITE_OK);
	CHECK_INT(sqlite3_exec(raw,
			       "INSERT INTO certificates (tenant_id, staff_id, type, number, issuer, valid_from, valid_to,"
			       " created_at, updated_at) VALUES (0, 1, 'electrician', 'T110101199003074514', 'x', '2026-01-01',"
			       " '2027-01-01', 1, 1), (0, 1, 'gas_safety', 'G-7', 'x', '2026-01-01', '2027-01-01', 1, 1);"
			       "INSERT INTO staff_files (id, tenant_id, staff_id, kind, name, content_type, size, sha256, data,"
			       " uploaded_by, created_at) VALUES (9001, 0, 1, 'id_card', 'a.pdf', 'application/pdf', 5, '',"
			       " 'aGVsbG8=', 0, 1);"
			       "INSERT INTO staff (id, tenant_id, staff_no, name, employment, level, status, photo_type, photo,"
			       " created_at, updated_at) VALUES (9101, 0, 'P1', '照片甲', 'own', 'junior', 'active', 'image/png',"
			       " 'aGVsbG8=', 1, 1), (9102, 0, 'P2', '照片乙', 'own', 'junior', 'active', '', '', 1, 1),"
			       " (9103, 0, 'P3', '照片丙', 'own', 'junior', 'active', 'image/png', 'not*base64', 1, 1)",
			       NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	CHECK_INT(store_open(path, 0, 4, &keys, &st, err, sizeof err), RH_OK);
	raw_text("SELECT number || '|' || length(number_sealed) || '|' || length(number_hash) FROM certificates"
		 " WHERE type = 'electrician' AND tenant_id = 0", 0, got, sizeof got);
	CHECK(strncmp(got, "T1101**********4514|", 20) == 0 && strcmp(got + strlen(got) - 3, "|64") == 0 &&
	      strcmp(got + 20, "0|64") != 0);
	raw_text("SELECT number || '|' || length(number_sealed) || '|' || length(number_hash) FROM certificates"
		 " WHERE type = 'gas_safety' AND tenant_id = 0", 0, got, sizeof got);
	CHECK_STR(got, "G-7|0|64");	/* nothing to hide: nothing sealed */
	raw_text("SELECT count(*) FROM certificates WHERE number LIKE '%19900307%' OR number_sealed LIKE '%19900307%'", 0,
		 got, sizeof got);
	CHECK_STR(got, "0");
	t_case("X5 staff documents stored before they were sealed are sealed at the next start, and read back as they were");
	raw_text("SELECT substr(data, 1, 3) FROM staff_files WHERE id = 9001", 0, got, sizeof got);
	CHECK_STR(got, "v1:");
	struct db *db = store_acquire(st);
	struct staff_file f;
	unsigned char *data = NULL;
	size_t len = 0;
	CHECK_INT(store_staff_file_get(db, 0, 9001, &f, &data, &len), RH_OK);
	CHECK(len == 5 && data && memcmp(data, "hello", 5) == 0);
	free(data);
	t_case("X5 staff photos stored before they were sealed are sealed at the next start, and read back as they were");
	raw_text("SELECT substr(photo, 1, 3) || photo_sealed FROM staff WHERE id = 9101", 0, got, sizeof got);
	CHECK_STR(got, "v1:1");
	raw_text("SELECT photo || photo_sealed FROM staff WHERE id = 9102", 0, got, sizeof got);
	CHECK_STR(got, "0");	/* no photo: nothing to seal, and not visited at every start */
	char type[16];
	CHECK_INT(store_staff_photo(db, 0, 9101, type, &data, &len), RH_OK);
	CHECK(len == 5 && data && memcmp(data, "hello", 5) == 0 && strcmp(type, "image/png") == 0);
	free(data);
	CHECK_INT(store_staff_photo(db, 0, 9102, type, &data, &len), RH_ERR_NOT_FOUND);
	t_case("X5 a photo from before that is not base64 is left unsealed and refused when read; the node still starts");
	raw_text("SELECT photo || photo_sealed FROM staff WHERE id = 9103", 0, got, sizeof got);
	CHECK_STR(got, "not*base640");
	log_set_level(LOG_OFF);
	CHECK_INT(store_staff_photo(db, 0, 9103, type, &data, &len), RH_ERR_INTERNAL);
	log_set_level(LOG_WARN);
	t_case("X5 a sealed photo altered in the database does not open: an error, not its bytes");
	CHECK(alter_seal("staff", "photo", 9101) == 0);
	data = NULL;
	log_set_level(LOG_OFF);
	CHECK_INT(store_staff_photo(db, 0, 9101, type, &data, &len), RH_ERR_INTERNAL);
	log_set_level(LOG_WARN);
	CHECK(data == NULL);
	t_case("X5 … and a new photo replaces it (the only way to mend it): written, its entry says the old was unreadable");
	{
		static const unsigned char png[] = "\x89PNG\r\n\x1a\nnew picture";
		struct staff before, after;
		struct rh_fail fail;
		CHECK_INT(store_staff_get(db, 0, 9101, 0, &before), RH_OK);
		log_set_level(LOG_OFF);
		CHECK_INT(store_staff_set_photo(db, &sys_actor, 0, 9101, before.version, "image/png", png, sizeof png - 1, &after,
						&fail), RH_OK);
		log_set_level(LOG_WARN);
		CHECK(after.version == before.version + 1);
		CHECK_INT(store_staff_photo(db, 0, 9101, type, &data, &len), RH_OK);
		CHECK(len == sizeof png - 1 && data && memcmp(data, png, len) == 0);
		free(data);
		raw_text("SELECT json_extract(before_json, '$.unreadable') FROM audit_log WHERE entity = 'staff' AND entity_id = 9101"
			 " AND action = 'set_photo' ORDER BY seq DESC LIMIT 1", 0, got, sizeof got);
		CHECK_STR(got, "1");
	}
	t_case("X5 a sealed document altered in the database does not open: an error, not its bytes");
	CHECK(alter_seal("staff_files", "data", 9001) == 0);
	data = NULL;
	log_set_level(LOG_OFF);
	CHECK_INT(store_staff_file_get(db, 0, 9001, &f, &data, &len), RH_ERR_INTERNAL);
	log_set_level(LOG_WARN);
	CHECK(data == NULL);
	store_release(st, db);
}

static int64_t enqueue(struct db *db, int64_t tenant, const char *kind, const char *dedup, int64_t run_at, int max)
{
	struct job j = { .tenant_id = tenant, .run_at = run_at, .max_attempts = max };
	snprintf(j.kind, sizeof j.kind, "%s", kind);
	snprintf(j.dedup_key, sizeof j.dedup_key, "%s", dedup);
	int created = 0;
	if (store_job_enqueue(db, &sys_actor, &j, &created) != RH_OK) return -1;
	return created ? j.id : 0;
}

static void test_jobs(void)
{
	struct db *db = store_acquire(st);
	t_case("the index upkeep the scheduler runs each minute has nothing to merge on SQLite");
	int64_t pages = -1;
	CHECK_INT(store_upkeep(db, &pages), RH_OK);
	CHECK_INT(pages, 0);
	int64_t t = make_tenant(db, "store-jobs");
	t_case("a dedup key allows one pending job at a time");
	int64_t id = enqueue(db, t, "test.kind", "only-one", 100, 2);
	CHECK(id > 0);
	CHECK_INT(enqueue(db, t, "test.kind", "only-one", 100, 2), 0);
	t_case("a job is claimed once: a second claim finds nothing");
	struct job j;
	CHECK_INT(store_job_claim(db, "worker-a", 100, 60, &j), RH_OK);
	CHECK_INT(j.id, id);
	CHECK_INT(j.attempts, 1);
	CHECK_INT(store_job_claim(db, "worker-b", 100, 60, &j), RH_ERR_NOT_FOUND);
	t_case("only the worker holding the lease can finish the job");
	CHECK_INT(store_job_finish(db, id, "worker-b", 1, "stolen", 101, 0), RH_ERR_STATE);
	t_case("a failed run waits for its retry time");
	CHECK_INT(store_job_finish(db, id, "worker-a", 0, "boom", 101, 200), RH_OK);
	CHECK_INT(store_job_claim(db, "worker-a", 150, 60, &j), RH_ERR_NOT_FOUND);
	CHECK_INT(store_job_claim(db, "worker-a", 200, 60, &j), RH_OK);
	t_case("after max attempts the job is dead, with its last error kept");
	CHECK_INT(store_job_finish(db, id, "worker-a", 0, "boom again", 201, 300), RH_OK);
	CHECK_INT(store_job_get(db, t, id, &j), RH_OK);
	CHECK_INT(j.state, JOB_DEAD);
	CHECK_STR(j.last_error, "boom again");
	t_case("a job whose worker died is given back when its lease runs out");
	int64_t id2 = enqueue(db, t, "test.kind", "", 100, 3);
	CHECK_INT(store_job_claim(db, "dies", 100, 60, &j), RH_OK);
	int64_t released = 0;
	CHECK_INT(store_job_release_stale(db, 150, &released), RH_OK);
	CHECK_INT(released, 0);
	t_case("a lease is renewed only by the worker holding it, and a renewed lease holds past its first end");
	CHECK_INT(store_job_renew(db, id2, "other", 1000), RH_ERR_STATE);
	CHECK_INT(store_job_renew(db, id2, "dies", 170), RH_OK);
	CHECK_INT(store_job_release_stale(db, 165, &released), RH_OK);
	CHECK_INT(released, 0);
	CHECK_INT(store_job_get(db, t, id2, &j), RH_OK);
	CHECK_INT(j.locked_until, 170);
	CHECK_INT(j.attempts, 1);
	CHECK_INT(store_job_release_stale(db, 171, &released), RH_OK);
	CHECK_INT(released, 1);
	t_case("a lease lost cannot be renewed");
	CHECK_INT(store_job_renew(db, id2, "dies", 1000), RH_ERR_STATE);
	CHECK_INT(store_job_claim(db, "survivor", 171, 60, &j), RH_OK);
	CHECK_INT(j.id, id2);
	CHECK_INT(store_job_finish(db, id2, "dies", 1, "late", 172, 0), RH_ERR_STATE);
	CHECK_INT(store_job_finish(db, id2, "survivor", 1, "done", 172, 0), RH_OK);
	t_case("an admin retry brings a dead job back with fresh attempts (audited)");
	struct actor admin = { .tenant_id = t, .user_id = 1, .name = "admin" };
	CHECK_INT(store_job_get(db, t, id, &j), RH_OK);
	CHECK_INT(store_job_retry(db, &admin, t, id, j.version, 500, &j, NULL), RH_OK);
	CHECK_INT(j.state, JOB_PENDING);
	CHECK_INT(j.attempts, 0);
	CHECK_INT(store_job_retry(db, &admin, t, id, j.version, 500, &j, NULL), RH_ERR_STATE);
	t_case("retrying a cancelled recurring job whose next run is queued says so (409), not 'duplicate'");
	int64_t first = enqueue(db, t, "test.recurring", "recurring", 1000, 3);
	CHECK_INT(store_job_get(db, t, first, &j), RH_OK);
	CHECK_INT(store_job_cancel(db, &admin, t, first, j.version, 600, &j, NULL), RH_OK);
	CHECK(enqueue(db, t, "test.recurring", "recurring", 2000, 3) > 0);	/* the scheduler queues the next */
	struct rh_fail fail = { .err = RH_OK };
	CHECK_INT(store_job_retry(db, &admin, t, first, j.version, 700, &j, &fail), RH_ERR_STATE);
	CHECK(fail.detail_en && strstr(fail.detail_en, "already queued"));
	store_release(st, db);
}

static int count_claimed(const struct job *j, void *arg)
{
	if (j->attempts > 0) ++*(int *)arg;
	return 0;
}

static int claimed_of(struct db *db, int64_t tenant)
{
	struct job_filter f = { .state = -1, .kind = "test.stop", .limit = 1000 };
	int64_t total = 0;
	int n = 0;
	store_job_list(db, tenant, &f, count_claimed, &n, &total);
	return n;
}

/* A node told to stop finishes the job in hand and claims no other
 * (deployment.md); its scheduler went on through the rest of its batch
 * of 50 (found in review). Stopped as soon as its first job is seen
 * claimed, it must have claimed far fewer than 50. */
static void test_stop_claims_no_more(void)
{
	struct db *db = store_acquire(st);
	int64_t t = make_tenant(db, "store-stop");
	int64_t now = (int64_t)time(NULL);
	for (int i = 0; i < 400; i++) enqueue(db, t, "test.stop", "", now - 10, 1);
	store_release(st, db);
	struct scheduler *s = scheduler_start(st, 60);
	CHECK(s != NULL);
	db = store_acquire(st);
	int seen = 0;
	for (int tries = 0; tries < 20000 && !seen; tries++) {
		seen = claimed_of(db, t);
		if (!seen) usleep(100);
	}
	scheduler_stop(s);
	int claimed = claimed_of(db, t);
	t_case("a scheduler told to stop claims no more jobs (%d claimed, %d seen when told)", claimed, seen);
	CHECK(seen > 0);
	CHECK(claimed < 40);
	store_release(st, db);
}

/* The first audit.verify of tenant t other than `not` (its run_at, or 0). */
struct first_other {
	int64_t not, id, run_at;
};

static int first_other(const struct job *j, void *arg)
{
	struct first_other *f = arg;
	if (j->id != f->not && (!f->id || j->id < f->id)) {
		f->id = j->id;
		f->run_at = j->run_at;
	}
	return 0;
}

/* A recurring run that has just ended queues its successor a moment
 * later: a check for missing recurring jobs between the two queued one
 * due at once, and the job ran twice in a row (found in review); so did
 * one cancelled by an admin. The check now queues it a period after the
 * last run ended. */
static void test_recurring_after_last(void)
{
	struct db *db = store_acquire(st);
	int64_t t = make_tenant(db, "store-recur");
	int64_t now = (int64_t)time(NULL);
	int64_t id = enqueue(db, t, "audit.verify", "audit.verify", 1, 1);	/* due before anything else */
	struct job j;
	CHECK_INT(store_job_claim(db, "test", now, 60, &j), RH_OK);
	CHECK_INT(j.id, id);
	CHECK_INT(store_job_finish(db, id, "test", 1, "ok", now - 60, 0), RH_OK);	/* ended a minute ago */
	store_release(st, db);
	struct scheduler *s = scheduler_start(st, 60);	/* checks the recurring jobs at once */
	db = store_acquire(st);
	struct first_other f = { .not = id };
	struct job_filter jf = { .state = -1, .kind = "audit.verify", .limit = 100 };
	for (int tries = 0; tries < 1000 && !f.id; tries++) {
		int64_t total;
		store_job_list(db, t, &jf, first_other, &f, &total);
		if (!f.id) usleep(10000);
	}
	scheduler_stop(s);
	t_case("a recurring job whose run ended a minute ago is queued a day after that, not at once (%lld s ahead)",
	       (long long)(f.run_at - now));
	CHECK(f.id > 0);
	CHECK_INT(f.run_at, now - 60 + 86400);
	store_release(st, db);
}

/* calendar.coverage read "from 1 November" on Shanghai's calendar
 * whatever the organisation's zone (found in review; SPEC X4). */
static void test_coverage_zone(void)
{
	struct db *db = store_acquire(st);
	struct tenant t = { .utc_offset_min = -300 };
	snprintf(t.code, sizeof t.code, "store-west");
	snprintf(t.name, sizeof t.name, "西五区");
	snprintf(t.kind, sizeof t.kind, "other");
	snprintf(t.tz_name, sizeof t.tz_name, "America/New_York");
	CHECK_INT(store_tenant_create(db, &sys_actor, &t, NULL), RH_OK);
	const struct job_kind *k = job_kind_find("calendar.coverage");
	struct job j = { .tenant_id = t.id };
	struct job_note note = { "", "" };
	int64_t now;
	datetime_parse("2026-10-31T20:00:00Z", 20, 0, &now);	/* Shanghai: 1 November 04:00; there: 31 October */
	t_case("X4 calendar.coverage looks at next year from 1 November in the organisation's zone, not Shanghai's");
	CHECK_INT(k->run(db, &j, now, &note), RH_OK);
	CHECK(strstr(note.en, "2026") != NULL && strstr(note.en, "2027") == NULL);
	datetime_parse("2026-11-01T05:00:00Z", 20, 0, &now);	/* there: 1 November 00:00 */
	CHECK_INT(k->run(db, &j, now, &note), RH_OK);
	CHECK(strstr(note.en, "2027") != NULL);
	store_release(st, db);
}

/* Jobs and notices were kept forever (found in review): the daily
 * housekeeping.prune job removes finished jobs after JOB_KEEP_DAYS and
 * notices after NOTICE_KEEP_DAYS, its own organisation's only. */
static void test_prune(void)
{
	struct db *db = store_acquire(st);
	int64_t t = make_tenant(db, "store-prune"), other = make_tenant(db, "store-prune2");
	const struct job_kind *k = job_kind_find("housekeeping.prune");
	t_case("housekeeping.prune is a daily recurring job");
	CHECK(k != NULL && k->every == 86400);
	if (!k) {
		store_release(st, db);
		return;
	}
	int64_t day = 86400, now = 1000 * day;
	struct job j;
	/* old: done long ago; recent: done yesterday; waiting: pending, long due */
	int64_t old = enqueue(db, t, "test.kind", "", 10, 1);
	CHECK_INT(store_job_claim(db, "w", 10, 60, &j), RH_OK);
	CHECK_INT(store_job_finish(db, old, "w", 1, "ok", now - (JOB_KEEP_DAYS + 1) * day, 0), RH_OK);
	int64_t recent = enqueue(db, t, "test.kind", "", 20, 1);
	CHECK_INT(store_job_claim(db, "w", 20, 60, &j), RH_OK);
	CHECK_INT(store_job_finish(db, recent, "w", 1, "ok", now - day, 0), RH_OK);
	int64_t elsewhere = enqueue(db, other, "test.kind", "", 30, 1);
	CHECK_INT(store_job_claim(db, "w", 30, 60, &j), RH_OK);
	CHECK_INT(store_job_finish(db, elsewhere, "w", 1, "ok", 40, 0), RH_OK);
	int64_t waiting = enqueue(db, t, "test.kind", "", now + day, 1);
	struct user u = { .tenant_id = t, .roles = RH_ROLE(ROLE_MANAGER) };
	snprintf(u.username, sizeof u.username, "prune.mgr");
	snprintf(u.display_name, sizeof u.display_name, "经理");
	struct actor a = { .tenant_id = t, .name = "tester" };
	CHECK_INT(store_user_create(db, &a, &u, "$argon2id$fake", NULL, NULL), RH_OK);
	struct notice n = { .kind = "test", .title_zh = "测试", .title_en = "test", .dedup = "prune" };
	int64_t sent = 0;
	CHECK_INT(store_notify_roles(db, t, RH_ROLE(ROLE_MANAGER), &n, &sent), RH_OK);
	CHECK_INT(sent, 1);

	t_case("housekeeping.prune keeps finished jobs %d days and what is still to run", JOB_KEEP_DAYS);
	struct job pj = { .tenant_id = t };
	struct job_note note = { "", "" };
	CHECK_INT(k->run(db, &pj, now, &note), RH_OK);
	CHECK_INT(store_job_get(db, t, old, &j), RH_ERR_NOT_FOUND);
	CHECK_INT(store_job_get(db, t, recent, &j), RH_OK);
	CHECK_INT(store_job_get(db, t, waiting, &j), RH_OK);
	CHECK_INT(store_job_get(db, other, elsewhere, &j), RH_OK);	/* another organisation's run: its own prune */
	int64_t total = 0, unread = 0;
	CHECK_INT(store_notices(db, u.id, 0, 0, 0, NULL, NULL, &total, &unread), RH_OK);
	CHECK_INT(total, 1);	/* sent just now */
	t_case("housekeeping.prune removes notices sent over %d days ago", NOTICE_KEEP_DAYS);
	CHECK_INT(k->run(db, &pj, store_now() + (NOTICE_KEEP_DAYS + 1) * day, &note), RH_OK);
	CHECK_INT(store_notices(db, u.id, 0, 0, 0, NULL, NULL, &total, &unread), RH_OK);
	CHECK_INT(total, 0);
	CHECK(strstr(note.en, "removed") != NULL);
	store_release(st, db);
}

struct claimer {
	int claimed[400];
	int n;
	char name[16];
};

static void *claim_all(void *arg)
{
	struct claimer *c = arg;
	struct db *db = store_acquire(st);
	struct job j;
	for (;;) {
		enum rh_err rc = store_job_claim(db, c->name, 1000, 60, &j);
		if (rc == RH_ERR_NOT_FOUND) break;
		if (rc == RH_ERR_BUSY) continue;
		if (rc != RH_OK || c->n >= 400) break;
		c->claimed[c->n++] = (int)j.id;
		store_job_finish(db, j.id, c->name, 1, "ok", 1001, 0);
	}
	store_release(st, db);
	return NULL;
}

static void test_concurrent_claims(void)
{
	struct db *db = store_acquire(st);
	int64_t t = make_tenant(db, "store-race");
	int64_t first = 0, last = 0;
	for (int i = 0; i < 200; i++) {
		last = enqueue(db, t, "race", "", 900, 1);
		if (!first) first = last;
	}
	store_release(st, db);
	t_case("three workers racing over 200 jobs run each exactly once");
	static struct claimer c[3];
	pthread_t th[3];
	for (int i = 0; i < 3; i++) {
		snprintf(c[i].name, sizeof c[i].name, "w%d", i);
		pthread_create(&th[i], NULL, claim_all, &c[i]);
	}
	for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
	static int seen[400];
	int dup = 0, total = 0;
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < c[i].n; k++) {
			int idx = c[i].claimed[k] - (int)first;
			if (idx < 0 || idx >= 400) continue;
			dup |= seen[idx]++;
			total++;
		}
	CHECK_INT(dup, 0);
	CHECK_INT(total, 200);
}

static int count_days(const struct cal_row *r, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* Behind a long import's write lock, an HTTP thread's write
 * (store_loop_db) waits only DB_WAIT_BEHIND_IMPORT and is told
 * RH_ERR_IMPORT_RUNNING; background work's connection waits its own time
 * and fails plain busy. Cut short too, a job's end failed and the job
 * ran again. */
static void test_write_behind_import(void)
{
	t_case("X7 behind a long import a loop's write is import_running; background work's waits its own time, busy");
	struct db *held = store_acquire(st), *bg = store_acquire(st);
	int64_t tenant = make_tenant(held, "behind-import");
	struct actor a = { .tenant_id = tenant, .name = "test" };
	struct store_import *im = NULL;
	CHECK_INT(store_import_begin(held, &a, tenant, IMPORT_HOUSEHOLDS, 0, 0, "long.csv", "00", "utf-8", 100000, 0, &im),
		  RH_OK);
	bg->drv->wait_for_writer(bg, 300);	/* its own time, short for the test: not cut to 250 ms */
	CHECK_INT(tx_begin(bg, 1), RH_ERR_BUSY);
	struct db *loop = store_loop_db(st);
	CHECK_INT(tx_begin(loop, 1), RH_ERR_IMPORT_RUNNING);
	t_case("X7 behind a short import a loop's write waits as for any writer, and is plain busy when it must fail");
	if (im) store_import_end(im, IMPORT_ABANDONED, NULL);
	CHECK_INT(store_import_begin(held, &a, tenant, IMPORT_HOUSEHOLDS, 0, 0, "short.csv", "00", "utf-8", 100, 0, &im),
		  RH_OK);
	loop->drv->wait_for_writer(loop, 300);
	CHECK_INT(tx_begin(loop, 1), RH_ERR_BUSY);
	loop->drv->wait_for_writer(loop, DB_WAIT_DEFAULT);
	if (im) store_import_end(im, IMPORT_ABANDONED, NULL);
	t_case("X7 after the import the loop's write is done");
	CHECK_INT(tx_begin(loop, 1), RH_OK);
	tx_rollback(loop);
	bg->drv->wait_for_writer(bg, DB_WAIT_DEFAULT);
	store_release(st, bg);
	store_release(st, held);
}

/* A job's end behind a writer that holds SQLite's lock longer than the
 * 5 s any write waits (a long import holds it half a minute): it waits
 * and is recorded. It failed busy, and the job, running on the books,
 * was run again once its lease ran out. */
struct lock_holder {
	struct db *db;
	atomic_int held;
};

static void *hold_lock(void *arg)
{
	struct lock_holder *h = arg;
	if (tx_begin(h->db, 1) != RH_OK) {
		atomic_store(&h->held, -1);
		return NULL;
	}
	atomic_store(&h->held, 1);
	sleep(6);
	tx_rollback(h->db);
	return NULL;
}

static void test_job_end_behind_long_writer(void)
{
	t_case("a job's end behind a writer that holds the lock 6 s is recorded, not lost");
	struct db *db = store_acquire(st);
	int64_t t = make_tenant(db, "job-end"), now = (int64_t)time(NULL);
	enqueue(db, t, "test.end", "", now - 10, 1);
	struct job j;
	CHECK_INT(store_job_claim(db, "end-worker", now, 300, &j), RH_OK);
	struct lock_holder h = { .db = store_acquire(st) };
	pthread_t th;
	CHECK_INT(pthread_create(&th, NULL, hold_lock, &h), 0);
	while (!atomic_load(&h.held)) usleep(1000);
	CHECK_INT(atomic_load(&h.held), 1);
	CHECK_INT(store_job_finish(db, j.id, "end-worker", 1, "done", now, now), RH_OK);
	pthread_join(th, NULL);
	struct job after;
	CHECK_INT(store_job_get(db, j.tenant_id, j.id, &after), RH_OK);
	CHECK_INT(after.state, JOB_DONE);
	store_release(st, h.db);
	store_release(st, db);
}

static void test_calendar(void)
{
	struct db *db = store_acquire(st);
	int64_t t = make_tenant(db, "store-cal");
	struct calendar cal;
	rh_day oct1 = date_from_ymd(2026, 10, 1);
	t_case("X4 the official schedule is loaded for every tenant");
	CHECK_INT(store_calendar_load(db, t, &cal), RH_OK);
	CHECK(!cal_is_working_day(&cal, oct1));
	CHECK(cal_year_known(&cal, 2026));
	cal_release(&cal);
	t_case("X4 a tenant's own year replaces the official one for it alone");
	struct cal_row row = { .day = date_from_ymd(2026, 10, 9), .kind = CAL_HOLIDAY };
	snprintf(row.name, sizeof row.name, "公司假");
	struct actor a = { .tenant_id = t, .name = "admin" };
	CHECK_INT(store_calendar_import(db, &a, t, 2026, &row, 1, "test", 0, NULL), RH_OK);
	CHECK_INT(store_calendar_load(db, t, &cal), RH_OK);
	CHECK(cal_is_working_day(&cal, oct1));	/* only the tenant's single day now */
	CHECK(!cal_is_working_day(&cal, row.day));
	cal_release(&cal);
	int n = 0;
	store_calendar_days(db, t, 2026, count_days, &n);
	CHECK_INT(n, 1);
	CHECK_INT(store_calendar_load(db, 0, &cal), RH_OK);
	CHECK(!cal_is_working_day(&cal, oct1));
	cal_release(&cal);
	t_case("X3 X4 a second import that did not see the first is refused (409), not laid over it");
	struct rh_fail fail = { .err = RH_OK };
	CHECK_INT(store_calendar_import(db, &a, t, 2026, &row, 1, "test", 0, &fail), RH_ERR_VERSION_CONFLICT);
	CHECK_INT(fail.n, 1);
	CHECK_INT(store_calendar_import(db, &a, t, 2026, &row, 1, "test", 1, NULL), RH_OK);
	t_case("X4 an empty schedule is refused: the year would look known without a holiday");
	CHECK_INT(store_calendar_import(db, &a, t, 2027, &row, 0, "test", 0, NULL), RH_ERR_FIELD_INVALID);
	t_case("X4 rows outside the year are refused");
	row.day = date_from_ymd(2027, 1, 1);
	CHECK_INT(store_calendar_import(db, &a, t, 2026, &row, 1, "test", 2, NULL), RH_ERR_FIELD_INVALID);
	t_case("X4 a notice's 元旦 that begins in the December before is kept with its year, and leaves that December's year alone");
	struct cal_row ny[3] = {
		{ .day = date_from_ymd(2026, 12, 26), .kind = CAL_WORKDAY },	/* a Saturday worked (调休) */
		{ .day = date_from_ymd(2026, 12, 31), .kind = CAL_HOLIDAY },
		{ .day = date_from_ymd(2027, 1, 1), .kind = CAL_HOLIDAY },
	};
	CHECK_INT(store_calendar_import(db, &a, t, 2027, ny, 3, "test", 0, NULL), RH_OK);
	CHECK_INT(store_calendar_load(db, t, &cal), RH_OK);
	CHECK(cal_is_working_day(&cal, ny[0].day));
	CHECK(!cal_is_working_day(&cal, ny[1].day));
	CHECK(!cal_is_working_day(&cal, date_from_ymd(2026, 10, 9)));	/* its own 2026 as it was */
	cal_release(&cal);
	n = 0;
	store_calendar_days(db, t, 2026, count_days, &n);
	CHECK_INT(n, 1);
	n = 0;
	store_calendar_days(db, t, 2027, count_days, &n);
	CHECK_INT(n, 3);
	t_case("X4 a December day before the last week is not the next year's");
	row.day = date_from_ymd(2026, 12, 24);
	CHECK_INT(store_calendar_import(db, &a, t, 2027, &row, 1, "test", 1, NULL), RH_ERR_FIELD_INVALID);
	t_case("X3 X4 a December day that another of the organisation's years lists is refused, not taken from that year");
	row.day = date_from_ymd(2026, 12, 30);	/* the organisation's own 2026: one day, its year-end holiday */
	snprintf(row.name, sizeof row.name, "年终假");
	CHECK_INT(store_calendar_import(db, &a, t, 2026, &row, 1, "test", 2, NULL), RH_OK);
	struct cal_row ny2[2] = {
		{ .day = date_from_ymd(2026, 12, 30), .kind = CAL_HOLIDAY, .line = 2 },
		{ .day = date_from_ymd(2027, 1, 1), .kind = CAL_HOLIDAY, .line = 3 },
	};
	fail = (struct rh_fail){ .err = RH_OK };
	CHECK_INT(store_calendar_import(db, &a, t, 2027, ny2, 2, "test", 1, &fail), RH_ERR_DUPLICATE);
	CHECK_STR(fail.field ? fail.field : "", "csv");
	CHECK_INT(fail.line, 2);
	n = 0;
	store_calendar_days(db, t, 2026, count_days, &n);
	CHECK_INT(n, 1);	/* a known year left without a single day would make every deadline in it wrong */
	n = 0;
	store_calendar_days(db, t, 2027, count_days, &n);
	CHECK_INT(n, 3);
	store_release(st, db);
}

/* Whether this process maps the database file (/proc/self/maps). */
static int file_mapped(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f) return -1;
	char line[1024];
	int found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		size_t n = strlen(line), m = strlen(path);
		found = n >= m && strcmp(line + n - m, path) == 0;
	}
	fclose(f);
	return found;
}

static int count_tenant(const struct tenant *t, void *arg)
{
	(void)t;
	++*(int *)arg;
	return 0;
}

/* The tenants, read on a store opened afresh (closing the last one
 * moves the WAL into the file, and new connections have empty caches:
 * the read comes from the file), mapped or not. */
static int tenants_read(int map, int *mapped)
{
	char err[256];
	store_close(st);
	st = NULL;
	if (store_open(path, STORE_CREATE, 2, &keys, &st, err, sizeof err) != RH_OK || store_map_file(st, map) != RH_OK) return -1;
	struct db *db = store_acquire(st);
	int n = 0;
	if (store_tenant_list(db, count_tenant, &n) != RH_OK) n = -1;
	*mapped = file_mapped();
	store_release(st, db);
	return n;
}

static void test_map_file(void)
{
	t_case("RUHU_SQLITE_MMAP: by default the database file is read, not mapped");
	int mapped = -1, n = tenants_read(0, &mapped);
	CHECK(n > 0);
	CHECK_INT(mapped, 0);
	t_case("RUHU_SQLITE_MMAP=1: the connections read the file through a map, with the same answers");
	CHECK_INT(tenants_read(1, &mapped), n);
	CHECK_INT(mapped, 1);
}

int main(void)
{
	secret_init(PWHASH_MIN);
	log_set_level(LOG_WARN);
	unsigned char master[SECRET_KEY_BYTES];
	char b64[45];
	secret_key_new(master, b64);
	keys_derive(master, &keys);
	snprintf(dir, sizeof dir, "/tmp/ruhu-store-XXXXXX");
	if (!mkdtemp(dir)) return 1;
	snprintf(path, sizeof path, "%s/store.db", dir);
	test_open();
	test_users();
	test_audit_pages();
	test_jobs();
	test_prune();
	test_coverage_zone();
	test_stop_claims_no_more();
	test_recurring_after_last();
	test_concurrent_claims();
	test_write_behind_import();
	test_job_end_behind_long_writer();
	test_calendar();
	test_map_file();
	test_cert_seal();
	store_close(st);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
	return t_done();
}
