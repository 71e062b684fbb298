/*
 * cmd_backup.c — `ruhu backup FILE`: a consistent copy of the live
 * database, taken while ruhu keeps serving. SQLite: the online backup API,
 * a SQLite file; PostgreSQL: pg_dump's custom format. The key is not in
 * the backup (it is kept apart on purpose, docs/configuration.md): a
 * restore needs the backup and the key.
 */
#include <getopt.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: ruhu backup FILE [--db PATH|URL]\n"
	"\n"
	"Copies the whole database into FILE while ruhu keeps running: a SQLite\n"
	"database file for SQLite, pg_dump's custom format for PostgreSQL. FILE must\n"
	"not exist. The installation key is not in the backup: keep it too, apart.\n"
	"`ruhu restore FILE --db TARGET` makes a database from it.\n";

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
	if (optind + 1 != argc) {
		fputs(usage, stderr);
		return 2;
	}
	const char *file = argv[optind];
	struct store *st = cli_open_store(cli_db(db_flag), 1);
	if (!st) return 1;
	char err[512];
	enum rh_err rc = store_backup(st, file, err, sizeof err);
	const char *engine = store_backend(st);
	store_close(st);
	if (rc != RH_OK) return cli_fail("backup", "%s", err);
	printf("backed up the %s database into %s (%s)\n", engine, file,
	       strcmp(engine, "sqlite") == 0 ? "a SQLite file" : "pg_dump custom format");
	return 0;
}
