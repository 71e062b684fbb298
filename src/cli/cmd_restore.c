/*
 * cmd_restore.c — `ruhu restore FILE --db TARGET`: a database made from
 * a backup (cmd_backup.c), checked before it is called done.
 *
 *   a SQLite backup   into a SQLite TARGET: the file copied into place
 *                     (TARGET must not exist); into PostgreSQL: every
 *                     table copied with COPY (store_copy.c), as
 *                     `ruhu migrate` does.
 *   a pg_dump backup  into PostgreSQL only, by pg_restore, in one
 *                     transaction, into an empty database.
 *
 * Then the database is opened as ruhu opens it — which proves the key is
 * its key (migration 003) and brings an older backup to this schema — and
 * every audit chain is verified.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
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

/* FILE into TARGET.partial, synced, then renamed: TARGET is whole or absent. */
static int copy_file(const char *from, const char *to)
{
	char partial[4200];
	snprintf(partial, sizeof partial, "%s.partial", to);
	int in = open(from, O_RDONLY), out = in < 0 ? -1 : open(partial, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ok = in >= 0 && out >= 0;
	char buf[1 << 16];
	ssize_t n;
	while (ok && (n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR) continue;
		ok = n > 0 && write(out, buf, (size_t)n) == n;
	}
	if (out >= 0) ok = fsync(out) == 0 && close(out) == 0 && ok;
	if (in >= 0) close(in);
	ok = ok && rename(partial, to) == 0;
	if (!ok) {
		int e = errno;
		unlink(partial);
		errno = e;
	}
	return ok ? 0 : -1;
}

static void progress(const char *table, int64_t rows, void *arg)
{
	(void)arg;
	if (!table) printf("  building %lld indexes (some 45 s at a million households)\n", (long long)rows);
	else printf("  %-16s %lld rows\n", table, (long long)rows);
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
	if (optind + 1 != argc || !db_flag) {
		fputs(usage, stderr);
		return 2;
	}
	const char *file = argv[optind], *target = db_flag;
	char shown[512];
	cli_redact(target, shown, sizeof shown);
	int to_pg = strstr(target, "://") != NULL;
	enum kind kind = backup_kind(file);
	if (kind == KIND_UNKNOWN) return cli_fail("restore", "%s is neither a SQLite backup nor a pg_dump backup", file);
	if (kind == KIND_PGDUMP && !to_pg)
		return cli_fail("restore", "%s is a PostgreSQL backup: it restores into PostgreSQL only", file);

	if (kind == KIND_SQLITE && !to_pg) {
		char key[4200];
		snprintf(key, sizeof key, "%s.key", target);
		if (!getenv("RUHU_SECRET_KEY") && !getenv("RUHU_KEY_FILE") && access(key, F_OK) != 0)
			return cli_fail("restore", "put the backup's installation key at %s first (or set RUHU_KEY_FILE): a "
					"database is opened only under its own key", key);
		if (access(target, F_OK) == 0)
			return cli_fail("restore", "%s exists; a restore never overwrites a database (move it away first)",
					target);
		if (copy_file(file, target) != 0) return cli_fail("restore", "%s: %s", target, strerror(errno));
	} else if (kind == KIND_SQLITE) {
		/* the backup is opened as a store: brought to this schema first, so
		 * a copy of it is opened, and the backup stays as it was */
		char work[4200];
		snprintf(work, sizeof work, "%s.restoring-%d", file, (int)getpid());
		if (copy_file(file, work) != 0) return cli_fail("restore", "%s: %s", work, strerror(errno));
		struct store *dst = NULL, *src = cli_open_with(work, 1, target, &dst, target);
		int status = 0;
		if (src) {
			char err[512];
			printf("restoring %s into %s:\n", file, shown);
			enum rh_err rc = store_copy_into(src, dst, progress, NULL, err, sizeof err);
			if (rc != RH_OK) status = cli_fail("restore", "%s", err);
			store_close(src);
			store_close(dst);
		} else {
			status = 1;
		}
		unlink(work);
		if (status) return status;
	} else {
		char err[512];
		if (store_pg_restore(target, file, err, sizeof err) != RH_OK)
			return cli_fail("restore", "%s; nothing was restored", err);
	}

	struct store *st = cli_open_store(target, 1);
	if (!st) return 1;
	int broken = cli_audit_check(st);
	store_close(st);
	if (broken < 0) return cli_fail("restore", "could not verify the audit trail");
	if (broken) return cli_fail("restore", "restored, but %d audit chain(s) are BROKEN", broken);
	printf("restored %s into %s; every audit chain verifies\n", file, shown);
	return 0;
}
