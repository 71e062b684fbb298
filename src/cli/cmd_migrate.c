/*
 * cmd_migrate.c — `ruhu migrate --from FILE --to URL`: a whole SQLite
 * database copied into an empty PostgreSQL one, how an installation that
 * outgrows one machine moves up (docs/deployment.md). The destination
 * is looked at first: it must answer and be new. Then the source is
 * copied, as it is at one moment, into a working copy in $TMPDIR
 * (the backup API): the source file is never changed (not migrated to
 * this schema, not switched to WAL — it may be a backup, or on read-only
 * media), and the counts afterwards compare the very rows that were
 * copied, however busy the source. The copy into PostgreSQL is one
 * transaction (store_copy.c); then every table's rows are counted on both
 * sides and every audit chain is verified on the new one.
 */
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: ruhu migrate --from PATH --to postgres://USER@HOST/DB\n"
	"\n"
	"Copies every table of the SQLite database PATH into the PostgreSQL database,\n"
	"which must exist and hold nothing but what ruhu puts in a new one, in one\n"
	"transaction. PATH is read, never changed: it is first copied as it is at that\n"
	"moment into $TMPDIR (default /tmp; room for one copy of PATH). Stop ruhu on\n"
	"PATH first: writes made after that moment are not in the copy. The key is\n"
	"PATH.key (or RUHU_KEY_FILE / RUHU_SECRET_KEY); run the PostgreSQL nodes with\n"
	"that same key. Counts every table on both sides and verifies every audit\n"
	"chain; the exit status is 1 if anything differs.\n";

static void progress(const char *table, int64_t rows, void *arg)
{
	(void)arg;
	if (!table) printf("  making %lld indexes and foreign keys again (some 35 s at a million households)\n", (long long)rows);
	else printf("  copied %-16s %lld rows\n", table, (long long)rows);
	fflush(stdout);
}

/* The destination answers, takes the source's key and holds nothing yet
 * (store_copy_target_new): asked before the source is copied into
 * $TMPDIR, which takes as long as the copy and as much disk as the
 * database, not after. The copy asks again in its own transaction. */
static int destination_ready(const char *from, const char *to, const char *shown)
{
	struct keys keys;
	if (cli_keys_of(from, &keys) != 0) return 1;
	char err[1024], said[2048];
	struct store *dst = NULL;
	enum rh_err rc = store_open(to, STORE_CREATE, 1, &keys, &dst, err, sizeof err);
	sodium_memzero(&keys, sizeof keys);
	if (rc != RH_OK) {
		cli_redact(cli_open_error(to, err), said, sizeof said);	/* a driver's message may quote the URL */
		return cli_fail("migrate", "cannot open %s: %s; nothing was written", shown, said);
	}
	rc = store_copy_target_new(dst, err, sizeof err);
	store_close(dst);
	return rc == RH_OK ? 0 : cli_fail("migrate", "%s; nothing was written", err);
}

static void compare(const char *table, int64_t a, int64_t b, void *arg)
{
	(void)arg;
	printf("  %-16s %10lld %10lld  %s\n", table, (long long)a, (long long)b, a == b ? "equal" : "DIFFERENT");
}

int cmd_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind != argc) return cli_usage("migrate", usage, "unexpected argument %s", argv[optind]);
	if (!from || !to) return cli_usage("migrate", usage, "%s is required", !from ? "--from" : "--to");
	if (strstr(from, "://")) return cli_fail("migrate", "--from is a SQLite database file, not %s", from);
	if (cli_target_check(from) != 0) return 1;
	/* said here: the driver's word for it would suggest `ruhu init`,
	 * which makes a new database, not the one to be moved */
	if (access(from, F_OK) != 0)
		return cli_fail("migrate", "%s: %s: --from names the SQLite database to move, and there is none there",
				from, strerror(errno));
	if (!strstr(to, "://")) return cli_fail("migrate", "--to is a postgres:// URL, not %s", to);
	char shown[512];
	cli_redact(to, shown, sizeof shown);
	if (destination_ready(from, to, shown) != 0) return 1;

	char dir[4096], work[4200], err[4400];
	if (cli_temp_dir("migrate", dir, sizeof dir) != 0) return 1;
	snprintf(work, sizeof work, "%s/source.db", dir);
	cli_temp_guard(dir, work);
	printf("reading %s as it is now into %s\n", from, work);
	fflush(stdout);
	if (store_backup(from, work, err, sizeof err) != RH_OK) {
		cli_temp_remove(dir, work);
		cli_rename_in(err, sizeof err, work, "the working copy");
		return cli_fail("migrate", "%s; nothing was written", err);
	}
	struct store *dst = NULL, *src = cli_open_with(work, from, 1, from, &dst, to);
	if (!src) {
		cli_temp_remove(dir, work);
		return 1;
	}
	printf("copying %s into %s:\n", from, shown);
	enum rh_err rc = store_copy_into(src, dst, progress, NULL, err, sizeof err);
	int status = rc == RH_OK ? 0 : cli_fail("migrate", "%s; nothing was written", err);
	int differ = 0;
	if (status == 0) {
		printf("rows in each table:  %10s %10s\n", "SQLite", "PostgreSQL");
		rc = store_copy_compare(src, dst, compare, NULL, &differ);
		if (rc != RH_OK) status = cli_fail("migrate", "could not count the rows: %s", rh_error_info(rc)->en);
		else if (differ)
			status = cli_fail("migrate", "%d table(s) differ. The copy is committed in %s: do not use it "
					  "before that is understood (to migrate again, drop and create that database)",
					  differ, shown);
	}
	if (status == 0) {
		int broken = cli_audit_check(dst);
		if (broken) status = cli_fail("migrate", broken < 0 ? "could not verify the audit trail"
								 : "an audit chain is BROKEN on PostgreSQL");
	}
	store_close(src);
	store_close(dst);
	cli_temp_remove(dir, work);
	if (status == 0)
		printf("migrated: every table has as many rows on both sides and every audit chain verifies on %s\n", shown);
	return status;
}
