/*
 * main.c — the ruhu command: one binary, one file per subcommand in
 * src/cli/, all listed here (git's commands[] is the model).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"

const struct command commands[] = {
	{ "serve", cmd_serve, "serve the web UI and the API" },
	{ "init", cmd_init, "create the database, an organisation and its first admin" },
	{ "user", cmd_user, "add accounts, set passwords, disable accounts" },
	{ "audit", cmd_audit, "verify the audit trail's hash chains" },
	{ "calendar", cmd_calendar, "show or import a year's holiday schedule" },
	{ "import", cmd_import, "import households or staff from a CSV file" },
	{ "backup", cmd_backup, "copy the live database into a backup file" },
	{ "restore", cmd_restore, "make a database from a backup file" },
	{ "migrate", cmd_migrate, "copy a whole SQLite database into PostgreSQL" },
	{ "version", cmd_version, "print the version" },
};
const size_t commands_count = sizeof commands / sizeof commands[0];

static int usage(FILE *out)
{
	fprintf(out, "usage: ruhu COMMAND [OPTIONS]   (ruhu COMMAND --help for its options)\n\n");
	for (size_t i = 0; i < commands_count; i++) fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nSettings may also come from RUHU_* environment variables; see docs/configuration.md.\n");
	return out == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
	/* Every file ruhu makes — databases and what SQLite keeps beside
	 * them, backups, reject files of an import — holds personal data:
	 * readable by its owner only, whatever the shell's umask. */
	umask(077);
	if (argc < 2) return usage(stderr);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
		return usage(stdout);
	if (strcmp(argv[1], "--version") == 0) return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < commands_count; i++)
		if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "ruhu: unknown command '%s'\n\n", argv[1]);
	return usage(stderr);
}
