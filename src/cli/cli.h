/*
 * cli.h — what the subcommands (cmd_*.c) share: the command table, the
 * options every command takes, and small helpers for opening the store
 * and reading a password.
 *
 * Settings come from flags, else from environment variables, else from
 * defaults (docs/configuration.md lists them all).
 */
#ifndef RUHU_CLI_H
#define RUHU_CLI_H
#include <stdio.h>
#include "store/store.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

extern const struct command commands[];
extern const size_t commands_count;

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_migrate(int argc, char **argv);

/* The --db target: the flag, else RUHU_DB, else "ruhu.db". */
const char *cli_db(const char *flag);

/* An environment variable, or def when unset or empty. */
const char *cli_env(const char *name, const char *def);

/* Opens the store or prints why not; returns NULL on failure. how is
 * STORE_CREATE for the commands that make a database (init, serve):
 * every other command opens only an existing one, so a mistyped --db
 * (or a cron job run in another directory) fails instead of answering
 * about a new empty database. */
struct store *cli_open_store(const char *target, unsigned how, int connections);
/* Whether --db's target can be a database at all: not a libpq keyword
 * string (SQLite would make a file of that name), not a directory or a
 * device. 0, or an error told and -1. cli_open_store() asks it first. */
int cli_target_check(const char *target);

/* A new directory only its owner may enter, under $TMPDIR (else /tmp),
 * for a command's working copy of a database: never beside the file it
 * copies, which may be on read-only or full media. 0, or -1 having said
 * why. */
int cli_temp_dir(const char *cmd, char *out, size_t cap);
/* From now until cli_temp_remove(), the working copy path in dir is also
 * removed when the command is stopped (SIGINT, SIGTERM, SIGHUP): it holds
 * a whole database's personal data, and as much disk. */
void cli_temp_guard(const char *dir, const char *path);
/* The same for a backup being written beside FILE (FILE.partial, which
 * becomes FILE when it is whole): what a stopped backup leaves of it. */
void cli_partial_guard(const char *file);
/* The same for a command with no file of its own to remove: a stop
 * still stops the pg_dump or pg_restore it runs (store_tool_pid). Every
 * guard above does that too. */
void cli_stop_guard(void);
/* Removes the working copy path (and what SQLite keeps beside it) and
 * then its directory dir. */
void cli_temp_remove(const char *dir, const char *path);
/* What SQLite keeps beside a database file (NULL-terminated suffixes),
 * and the removal of a file made by a command with all of them. */
extern const char *const cli_sqlite_beside[];
void cli_remove_sqlite(const char *path);

/* target for people to read: a URL's password as ***. */
/* err, the reason target could not be opened, for people — or, for a
 * URL whose password was not percent-encoded, that (libpq's own message
 * would show a piece of the password). */
const char *cli_open_error(const char *target, const char *err);
void cli_redact(const char *target, char *out, size_t cap);

/* The existing key of key_of (its key file, or RUHU_KEY_FILE /
 * RUHU_SECRET_KEY; never a new one) into keys; 0, or -1 having said why.
 * The caller wipes keys (sodium_memzero) when done. */
int cli_keys_of(const char *key_of, struct keys *keys);

/* Opens target under the existing key of key_of (its key file, or
 * RUHU_KEY_FILE / RUHU_SECRET_KEY; never a new one), and with second set
 * also second_target under the same key into *second: the two ends of a
 * copy. NULL, having said why, on failure, naming target as named (a
 * working copy by the operator's file it is a copy of). */
struct store *cli_open_with(const char *target, const char *named, int connections, const char *key_of,
			    struct store **second, const char *second_target);
/* Every work in msg (at most cap bytes) told as named instead: a message
 * about a working copy names the operator's file. */
void cli_rename_in(char *msg, size_t cap, const char *work, const char *named);

/* A user name as the API takes it: ASCII capitals lowered, in place
 * (validate.h, F_LOWER). */
void cli_lower(char *username);

/* Prints "ruhu CMD: message" to stderr and returns exit status 1. */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same, returning -1, for helpers that report and fail. */
int cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A command line that cannot be run: "ruhu CMD: what is wrong", then the
 * command's usage, on stderr; returns 2 (getopt's own errors return 2 too). */
int cli_usage(const char *cmd, const char *usage, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Whether opt's value s is a name the API would take: UTF-8 (a GBK
 * terminal sends other bytes), clean text (no control or invisible
 * characters), not blank, at most max characters. 0, or an error
 * message naming opt and -1. */
int cli_name(const char *cmd, const char *opt, const char *s, size_t max);

/* A new password: RUHU_PASSWORD if set, else asked twice on the terminal
 * without echo. Checked against the password rules. 0 or -1. */
int cli_read_password(const char *cmd, char *out, size_t len);

/* The tenant with this code, or an error message. */
int cli_tenant(struct db *db, const char *cmd, const char *code, struct tenant *out);
/* The same for a command that adds accounts or records: never the
 * system organisation (tenant 0, the official calendar's). */
int cli_tenant_to_write(struct db *db, const char *cmd, const char *code, struct tenant *out);

/* The actor for changes made from the command line: the operator. */
struct actor cli_actor(int64_t tenant_id, const char *reason);

/* Verifies every audit chain, printing the broken ones: how many are
 * broken, or -1 when they could not be read. */
int cli_audit_check(struct store *st);

/* Starts libsodium with the password cost from RUHU_PWHASH. */
int cli_init_crypto(const char *cmd);

#endif
