/*
 * cmd_restore.c — `ruhu restore FILE --db TARGET`: a database made from
 * a backup (cmd_backup.c), checked before it is called done.
 *
 *   a SQLite backup   into a SQLite TARGET: copied into place through
 *                     SQLite's backup API (TARGET must not exist); into
 *                     PostgreSQL: every table copied with COPY
 *                     (store_copy.c), as `ruhu migrate` does.
 *   a pg_dump backup  into PostgreSQL only, by pg_restore, in one
 *                     transaction, into an empty database.
 *
 * Then the database is opened as ruhu opens it — which proves the key is
 * its key (migration 003) and brings an older backup to this schema — and
 * every audit chain is verified.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: ruhu restore FILE --db PATH|URL\n"
	"\n"
	"Makes the database --db from the backup FILE (`ruhu backup`):\n"
	"  a SQLite backup restores into a new SQLite file or an empty PostgreSQL\n"
	"  database; a PostgreSQL backup (pg_dump) into an empty PostgreSQL database.\n"
	"The installation key must be the backup's: TARGET.key beside a SQLite\n"
	"target, or RUHU_KEY_FILE / RUHU_SECRET_KEY. Every audit chain is verified\n"
	"afterwards; the exit status is 1 if one is broken.\n";

enum kind { KIND_UNKNOWN, KIND_SQLITE, KIND_PGDUMP };

static enum kind backup_kind(const char *file)
{
	char head[16] = { 0 };
	FILE *f = fopen(file, "rb");
	if (!f) return KIND_UNKNOWN;
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	if (n == 16 && memcmp(head, "SQLite format 3", 16) == 0) return KIND_SQLITE;
	if (n >= 5 && memcmp(head, "PGDMP", 5) == 0) return KIND_PGDUMP;
	return KIND_UNKNOWN;
}

/* The copy of a SQLite backup is taken as `ruhu backup` takes one
 * (store_backup: SQLite's backup API, then checked), never by copying the
 * file's bytes: a backup that is a live database, or a copy of one with
 * its -wal beside it, holds committed rows in that log, which a byte copy
 * of the main file left behind while the restore said it was done. The
 * copy is page for page the backup's, so damage found in it is the
 * backup's: err then names FILE. */
static enum rh_err copy_backup(const char *file, const char *to, char *err, size_t errlen)
{
	enum rh_err rc = store_backup(file, to, err, errlen);
	if (rc != RH_OK && strstr(err, " is damaged: ")) cli_rename_in(err, errlen, to, file);
	if (rc == RH_ERR_STATE && strstr(err, "not a ruhu database"))	/* store_backup's words are a backup's */
		snprintf(err, errlen, "%s is not a ruhu backup: it has no schema_migrations", file);
	return rc;
}

static void progress(const char *table, int64_t rows, void *arg)
{
	(void)arg;
	if (!table) printf("  building %lld indexes (some 45 s at a million households)\n", (long long)rows);
	else printf("  %-16s %lld rows\n", table, (long long)rows);
	fflush(stdout);	/* a log file hears of a long restore as it goes */
}

/* A SQLite target must be free, and so must what SQLite keeps beside it:
 * a file restored under another database's write-ahead log would have
 * that log played into it when opened — corrupt, and the log's commits
 * lost to their own database. */
static int target_free(const char *target)
{
	if (access(target, F_OK) == 0)
		return cli_fail("restore", "%s exists; a restore never overwrites a database (move it away first)", target);
	for (const char *const *b = cli_sqlite_beside; *b; b++) {
		char p[4200];
		snprintf(p, sizeof p, "%s%s", target, *b);
		if (access(p, F_OK) == 0)
			return cli_fail("restore", "%s exists: the journal of an earlier database at %s, which SQLite would "
					"play into the restored one. Move it away together with that database (it may hold "
					"that database's last changes), then restore", p, target);
	}
	return 0;
}

/* Whether a key is at hand before anything is written: RUHU_SECRET_KEY,
 * or a key file that can be read — RUHU_KEY_FILE, else def (NULL: none). */
static int key_at_hand(const char *def)
{
	const char *file = cli_env("RUHU_KEY_FILE", def);
	return cli_env("RUHU_SECRET_KEY", NULL) || (file && access(file, R_OK) == 0);
}

/* A SQLite backup into a new SQLite file: copied beside the target,
 * checked, then named target (store_backup). */
static int restore_sqlite(const char *file, const char *target)
{
	char key[4200], err[4400];
	snprintf(key, sizeof key, "%s.key", target);
	if (!key_at_hand(key))
		return cli_fail("restore", "put the backup's installation key at %s first (or set RUHU_KEY_FILE to a "
				"file that holds it): a database is opened only under its own key", cli_env("RUHU_KEY_FILE", key));
	if (target_free(target)) return 1;
	cli_partial_guard(target);	/* stopped, it leaves no TARGET.partial (a whole database's personal data) */
	if (copy_backup(file, target, err, sizeof err) != RH_OK) return cli_fail("restore", "%s; nothing was restored", err);
	return 0;
}

/* A SQLite backup into PostgreSQL: a working copy (opened as a store, so
 * brought to this schema — the backup itself stays as it was), checked,
 * then copied table by table as `ruhu migrate` does. */
static int restore_into_pg(const char *file, const char *target, const char *shown)
{
	char dir[4096], work[4200], err[4400];
	if (cli_temp_dir("restore", dir, sizeof dir) != 0) return 1;
	snprintf(work, sizeof work, "%s/backup.db", dir);
	cli_temp_guard(dir, work);
	int status = 0;
	if (copy_backup(file, work, err, sizeof err) != RH_OK) {
		cli_rename_in(err, sizeof err, work, "the working copy");
		status = cli_fail("restore", "%s; nothing was restored", err);
	}
	struct store *dst = NULL, *src = status ? NULL : cli_open_with(work, file, 1, target, &dst, target);
	if (src) {
		printf("restoring %s into %s:\n", file, shown);
		enum rh_err rc = store_copy_into(src, dst, progress, NULL, err, sizeof err);
		if (rc != RH_OK) status = cli_fail("restore", "%s", err);
		store_close(src);
		store_close(dst);
	} else if (!status) {
		status = 1;
	}
	cli_temp_remove(dir, work);
	return status;
}

/* A pg_dump backup: the key is asked for before anything is written, and
 * the target's fitness is checked by store_pg_restore. */
static int restore_pgdump(const char *file, const char *target)
{
	if (!key_at_hand(NULL))
		return cli_fail("restore", "set RUHU_KEY_FILE (or RUHU_SECRET_KEY) to the backup's installation key "
				"first: the restored database is opened under it; nothing was restored");
	char err[4400];
	struct keys keys;
	if (cli_keys_of(target, &keys) != 0) return 1;
	cli_stop_guard();	/* a stopped restore stops pg_restore, and its transaction with it */
	enum rh_err rc = store_pg_restore(target, file, &keys, err, sizeof err);
	sodium_memzero(&keys, sizeof keys);
	if (rc != RH_OK) return cli_fail("restore", "%s; nothing was restored", cli_open_error(target, err));
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *db_flag = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_flag = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind == argc) return cli_usage("restore", usage, "which backup FILE?");
	if (optind + 1 < argc) return cli_usage("restore", usage, "unexpected argument %s", argv[optind + 1]);
	if (!db_flag) return cli_usage("restore", usage, "--db is required: the database to make (RUHU_DB is not read here)");
	const char *file = argv[optind], *target = db_flag;
	char shown[512];
	cli_redact(target, shown, sizeof shown);
	int to_pg = store_target_is_pg(target);
	if (cli_target_check(target) != 0) return 1;
	if (access(file, R_OK) != 0) return cli_fail("restore", "cannot read %s: %s", file, strerror(errno));
	struct stat sb;
	if (stat(file, &sb) == 0 && S_ISDIR(sb.st_mode)) return cli_fail("restore", "%s is a directory: give a backup file", file);
	enum kind kind = backup_kind(file);
	if (kind == KIND_UNKNOWN) return cli_fail("restore", "%s is neither a SQLite backup nor a pg_dump backup", file);
	if (kind == KIND_PGDUMP && !to_pg)
		return cli_fail("restore", "%s is a PostgreSQL backup: it restores into PostgreSQL only", file);

	int status = kind == KIND_PGDUMP ? restore_pgdump(file, target)
		     : to_pg		   ? restore_into_pg(file, target, shown)
					   : restore_sqlite(file, target);
	if (status) return status;

	struct store *st = cli_open_store(target, 0, 1);
	if (!st && !to_pg) {
		cli_remove_sqlite(target);	/* made by this run: nothing is left of it */
		return cli_fail("restore", "removed %s again; nothing was restored", target);
	}
	if (!st)
		return cli_fail("restore", "the backup is in %s, but cannot be opened as said above. Once that is put "
				"right (the key: RUHU_KEY_FILE or RUHU_SECRET_KEY), `ruhu audit verify --db` checks it; "
				"do not restore it again", shown);
	int broken = cli_audit_check(st);
	store_close(st);
	if (broken < 0) return cli_fail("restore", "could not verify the audit trail");
	if (broken) return cli_fail("restore", "restored, but %d audit chain(s) are BROKEN", broken);
	printf("restored %s into %s; every audit chain verifies\n", file, shown);
	return 0;
}
