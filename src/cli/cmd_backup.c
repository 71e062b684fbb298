/*
 * cmd_backup.c — `ruhu backup FILE`: a consistent copy of the live
 * database, taken while ruhu keeps serving. SQLite: the online backup API,
 * a SQLite file; PostgreSQL: pg_dump's custom format. The key is not in
 * the backup (it is kept apart on purpose, docs/configuration.md): a
 * restore needs the backup and the key. Nor is it needed to take one:
 * the database is only read, as it is — never migrated by a backup run
 * with a newer ruhu than the nodes serving it.
 */
#include <getopt.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: ruhu backup FILE [--db PATH|URL]\n"
	"\n"
	"Copies the whole database into FILE while ruhu keeps running: a SQLite\n"
	"database file for SQLite, pg_dump's custom format for PostgreSQL. FILE must\n"
	"not exist; it is readable by its owner only. The database is only read: no\n"
	"key is needed, and nothing in it changes. The installation key is not in the\n"
	"backup: keep it too, apart. `ruhu restore FILE --db TARGET` makes a database\n"
	"from it.\n";

int cmd_backup(int argc, char **argv)
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
	if (optind + 1 != argc)
		return cli_usage("backup", usage, optind == argc ? "which FILE to write?" : "unexpected argument %s",
				 argv[optind + 1 < argc ? optind + 1 : optind]);
	const char *file = argv[optind], *target = cli_db(db_flag);
	char err[4400];
	if (cli_target_check(target) != 0) return 1;
	cli_partial_guard(file);
	if (store_backup(target, file, err, sizeof err) != RH_OK) {
		char said[4400];	/* a driver's message may quote the target */
		cli_redact(cli_open_error(target, err), said, sizeof said);
		return cli_fail("backup", "%s", said);
	}
	int pg = store_target_is_pg(target);
	printf("backed up the %s database into %s (%s)\n", pg ? "postgresql" : "sqlite", file,
	       pg ? "pg_dump custom format" : "a SQLite file, checked");
	return 0;
}
