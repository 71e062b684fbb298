/*
 * cli.c — helpers shared by the subcommands (see cli.h).
 */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "cli/cli.h"
#include "core/validate.h"
#include "core/secret.h"

const char *cli_env(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && v[0] ? v : def;
}

const char *cli_db(const char *flag)
{
	return flag ? flag : cli_env("RUHU_DB", "ruhu.db");
}

__attribute__((format(printf, 2, 0)))
static void vreport(const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "ruhu %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
	return 1;
}

int cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
	return -1;
}

void cli_lower(char *username)
{
	for (char *c = username; *c; c++)
		if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
}

int cli_usage(const char *cmd, const char *usage, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(cmd, fmt, ap);
	va_end(ap);
	fputs(usage, stderr);
	return 2;
}

/* Reads a key file: the key in base64 on its first line. */
static int read_key_file(const char *path, unsigned char key[SECRET_KEY_BYTES])
{
	FILE *f = fopen(path, "r");
	if (!f) return -1;
	char line[128] = "";
	int ok = fgets(line, sizeof line, f) != NULL;
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	ok = ok && secret_key_parse(line, key) == 0;
	sodium_memzero(line, sizeof line);
	return ok ? 0 : -2;
}

/* Makes a new key file that only its owner may read; fails if it exists. */
static int write_key_file(const char *path, const char b64[45])
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) return -1;
	int ok = dprintf(fd, "%s\n", b64) > 0 && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	return ok ? 0 : -1;
}

/* The installation's master key: RUHU_SECRET_KEY, else the file
 * RUHU_KEY_FILE, else TARGET.key beside a SQLite database. When the file
 * is missing, a new key is made and *fresh names the file it goes to
 * once the database has taken it (cli_open_store): a new database takes
 * it, an existing one refuses it (its key check, store.c), so a lost key
 * file is never silently replaced. */
static int load_keys(const char *target, unsigned char master[SECRET_KEY_BYTES], char *fresh, size_t freshlen,
		     char fresh_b64[45])
{
	const char *env = getenv("RUHU_SECRET_KEY");
	fresh[0] = '\0';
	if (env && env[0]) {
		if (secret_key_parse(env, master) != 0)
			return cli_error("key", "RUHU_SECRET_KEY is not a base64 key of %d bytes", SECRET_KEY_BYTES);
		return 0;
	}
	char path[4096];
	const char *file = getenv("RUHU_KEY_FILE");
	if (file && file[0]) snprintf(path, sizeof path, "%s", file);
	else if (strstr(target, "://")) return cli_error("key", "set RUHU_SECRET_KEY or RUHU_KEY_FILE for a PostgreSQL database");
	else snprintf(path, sizeof path, "%s.key", target);
	int rc = read_key_file(path, master);
	if (rc == -2) return cli_error("key", "%s does not hold a base64 key of %d bytes", path, SECRET_KEY_BYTES);
	/* A SQLite database older than the key check (migration 003) would
	 * take any key: its missing file is refused here. */
	if (rc == -1 && !(file && file[0]) && access(target, F_OK) == 0)
		return cli_error("key", "the key file %s of the existing database %s is missing; restore it from your "
				 "backup (without it the audit trail cannot be verified, nor ID numbers and staff documents read) "
				 "or set RUHU_SECRET_KEY",
				 path, target);
	if (rc == -1) {
		if (strlen(path) >= freshlen) return cli_error("key", "the key file name is too long");
		secret_key_new(master, fresh_b64);
		snprintf(fresh, freshlen, "%s", path);
	}
	return 0;
}

/* Why target could not be opened, for people: err, unless the URL has
 * two '@' — a password that was not percent-encoded, of which libpq's
 * message would show a piece ("could not translate host name x@…"). */
const char *cli_open_error(const char *target, const char *err)
{
	const char *scheme = strstr(target, "://"), *at = scheme ? strchr(scheme + 3, '@') : NULL;
	if (!at || !strchr(at + 1, '@')) return err;
	return "the URL cannot be read: a password in a URL must be percent-encoded (@ as %40, : as %3A, "
	       "/ as %2F, % as %25, ? as %3F, # as %23)";
}

/* Whether target is a libpq keyword string (host=… dbname=…, any of
 * libpq's keywords first), which SQLite would take for a file's name and
 * make: a word of letters and _ and then =. */
static int conninfo_like(const char *target)
{
	while (*target == ' ') target++;
	size_t n = strspn(target, "abcdefghijklmnopqrstuvwxyz_");
	return n && target[n + strspn(target + n, " ")] == '=';
}

int cli_target_check(const char *target)
{
	if (conninfo_like(target))
		return cli_error("db", "a libpq keyword string (host=… dbname=…) is not taken: give PostgreSQL as a URL, "
				       "postgres://USER@HOST:PORT/DB (the password in PGPASSWORD or ~/.pgpass, or "
				       "percent-encoded in the URL)");
	struct stat sb;
	if (!store_target_is_pg(target) && stat(target, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		char shown[512];
		cli_redact(target, shown, sizeof shown);
		return cli_error("db", "%s is %s: give a database file's path", shown,
				 S_ISDIR(sb.st_mode) ? "a directory" : "not a file");
	}
	return 0;
}

struct store *cli_open_store(const char *target, unsigned how, int connections)
{
	struct store *st = NULL;
	struct keys keys;
	unsigned char master[SECRET_KEY_BYTES];
	char err[9000], fresh[4096], fresh_b64[45] = "", shown[512];
	/* before a key is made for it */
	cli_redact(target, shown, sizeof shown);
	/* SQLite would take "" and ":memory:" for a database that vanishes
	 * when the command ends, and say it made one. */
	if (!target[0] || strcmp(target, ":memory:") == 0 || strncmp(target, "file:", 5) == 0) {
		cli_error("db", "\"%s\" is no database file: give a file's path or a postgres:// URL", target);
		return NULL;
	}
	if (cli_target_check(target) != 0) return NULL;
	if (!(how & STORE_CREATE) && !store_target_is_pg(target) && access(target, F_OK) != 0) {
		cli_error("db", "%s: %s (`ruhu init` makes a database; --db or RUHU_DB names another)", shown,
			  strerror(errno));
		return NULL;
	}
	if (load_keys(target, master, fresh, sizeof fresh, fresh_b64) != 0) return NULL;
	/* A new key is on disk before any database can take it: a database
	 * is never stamped with a key that nobody has (a key file that could
	 * not be written stops everything here, before anything is opened). */
	if (fresh[0] && write_key_file(fresh, fresh_b64) != 0) {
		sodium_memzero(master, sizeof master);
		sodium_memzero(fresh_b64, sizeof fresh_b64);
		cli_error("key", "cannot create the key file %s: %s", fresh, strerror(errno));
		return NULL;
	}
	sodium_memzero(fresh_b64, sizeof fresh_b64);
	keys_derive(master, &keys);
	sodium_memzero(master, sizeof master);
	enum rh_err rc = store_open(target, how, connections, &keys, &st, err, sizeof err);
	sodium_memzero(&keys, sizeof keys);
	if (rc == RH_ERR_KEY_MISMATCH && fresh[0]) {
		unlink(fresh);	/* the database has a key of its own; this new one is of no use */
		snprintf(err, sizeof err, "the key file %s of the existing database %s is missing; restore it from your "
			 "backup (without it the audit trail cannot be verified, nor ID numbers and staff documents read) or set "
			 "RUHU_SECRET_KEY", fresh, shown);
	}
	if (rc != RH_OK) {
		char said[9000];	/* a driver's message may quote the target */
		cli_redact(cli_open_error(target, err), said, sizeof said);
		/* named, unless the driver's message begins with it already */
		if (strncmp(said, shown, strlen(shown)) == 0) fprintf(stderr, "ruhu: cannot open the database: %s\n", said);
		else fprintf(stderr, "ruhu: cannot open %s: %s\n", shown, said);
		return NULL;
	}
	if (fresh[0])
		fprintf(stderr, "ruhu: created the installation key %s — back it up apart from the "
			"database: without it the audit trail cannot be verified, nor ID numbers and staff documents read\n",
			fresh);
	return st;
}

int cli_temp_dir(const char *cmd, char *out, size_t cap)
{
	const char *tmp = cli_env("TMPDIR", "/tmp");
	if (snprintf(out, cap, "%s/ruhu-%s-XXXXXX", tmp, cmd) >= (int)cap) return cli_error(cmd, "TMPDIR is too long");
	if (!mkdtemp(out)) return cli_error(cmd, "cannot make a working directory under %s: %s", tmp, strerror(errno));
	return 0;
}

const char *const cli_sqlite_beside[] = { "-wal", "-shm", "-journal", NULL };

void cli_remove_sqlite(const char *path)
{
	char p[4400];
	unlink(path);
	for (const char *const *b = cli_sqlite_beside; *b; b++)
		if (snprintf(p, sizeof p, "%s%s", path, *b) < (int)sizeof p) unlink(p);
}

/* What a stopped command leaves of its working copy. Set once per run,
 * before the copy is made (a command's one working directory), and read
 * by the signal handler, which may only unlink what is spelt out here. */
#define GUARDED 10
static char guarded[GUARDED][4400];
static char guarded_dir[4400];	/* "" or removed last, once empty */
static volatile sig_atomic_t nguarded;

/* A pg_dump or pg_restore running is stopped first and waited for: the
 * file it writes is then removed after its last write, and a restore's
 * transaction is over (rolled back) before the command ends. */
static void on_stop(int sig)
{
	pid_t tool = store_tool_pid();
	if (tool > 0 && kill(tool, SIGTERM) == 0)
		while (waitpid(tool, NULL, 0) < 0 && errno == EINTR) {}
	for (sig_atomic_t i = 0; i < nguarded; i++) unlink(guarded[i]);
	if (nguarded && guarded_dir[0]) rmdir(guarded_dir);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void guard(const char *dir, const char *path, const char *const *ends, size_t n_ends)
{
	nguarded = 0;
	int n = 0;
	for (size_t i = 0; i < n_ends; i++) snprintf(guarded[n++], sizeof guarded[0], "%s%s", path, ends[i]);
	snprintf(guarded_dir, sizeof guarded_dir, "%s", dir ? dir : "");
	nguarded = n;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void cli_temp_guard(const char *dir, const char *path)
{
	static const char *const ends[] = { "", "-wal", "-shm", "-journal", ".partial", ".partial-wal", ".partial-shm",
					    ".partial-journal" };
	guard(dir, path, ends, sizeof ends / sizeof ends[0]);
}

void cli_partial_guard(const char *file)
{
	static const char *const ends[] = { ".partial", ".partial-wal", ".partial-shm", ".partial-journal" };
	guard(NULL, file, ends, sizeof ends / sizeof ends[0]);
}

void cli_stop_guard(void)
{
	guard(NULL, "", NULL, 0);
}

void cli_temp_remove(const char *dir, const char *path)
{
	nguarded = 0;
	char partial[4400];
	snprintf(partial, sizeof partial, "%s.partial", path);	/* a backup into it, cut short */
	cli_remove_sqlite(path);
	cli_remove_sqlite(partial);
	rmdir(dir);
}

/* Everything between the user's ':' and the last '@' is masked: a
 * password written with a raw '@' (which libpq ends at the first one, so
 * the URL fails) is still not shown in the failure's message. */
void cli_redact(const char *target, char *out, size_t cap)
{
	if (!cap) return;
	/* user:password@ of a URL */
	char tmp[9000];
	const char *scheme = strstr(target, "://"), *at = scheme ? strrchr(scheme + 3, '@') : NULL;
	const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	if (colon) snprintf(tmp, sizeof tmp, "%.*s:***%s", (int)(colon - target), target, at);
	else snprintf(tmp, sizeof tmp, "%s", target);
	/* password=… of a URL's query (?password=, &password=) or of a
	 * libpq keyword string (host=… password=…), up to the next & or space */
	size_t o = 0;
	for (const char *p = tmp; *p && o + 1 < cap;) {
		int starts = p == tmp || p[-1] == '?' || p[-1] == '&' || p[-1] == ' ';
		const char *v = p + 8;
		while (*v == ' ') v++;	/* libpq takes spaces around its = */
		if (!starts || strncasecmp(p, "password", 8) != 0 || *v != '=') {
			out[o++] = *p++;
			continue;
		}
		for (v++; *v == ' '; v++)
			;
		o += (size_t)snprintf(out + o, cap - o, "password=***");
		if (o >= cap) o = cap - 1;
		if (*v == '\'') {	/* a quoted value, \' inside it */
			for (v++; *v && *v != '\''; v++)
				if (*v == '\\' && v[1]) v++;
			if (*v) v++;
		} else {
			while (*v && *v != '&' && *v != ' ') v++;
		}
		p = v;
	}
	out[o] = '\0';
}

int cli_keys_of(const char *key_of, struct keys *keys)
{
	unsigned char master[SECRET_KEY_BYTES];
	char fresh[4096], fresh_b64[45] = "";
	if (load_keys(key_of, master, fresh, sizeof fresh, fresh_b64) != 0) return -1;
	sodium_memzero(fresh_b64, sizeof fresh_b64);
	if (fresh[0]) {
		sodium_memzero(master, sizeof master);
		return cli_error("key", "the key file %s is missing; set RUHU_KEY_FILE or RUHU_SECRET_KEY to the database's key",
				 fresh);
	}
	keys_derive(master, keys);
	sodium_memzero(master, sizeof master);
	return 0;
}

void cli_rename_in(char *msg, size_t cap, const char *work, const char *named)
{
	size_t wl = strlen(work), nl = strlen(named);
	char *at;
	for (char *from = msg; wl && (at = strstr(from, work)) != NULL;) {
		size_t tail = strlen(at + wl);
		if ((size_t)(at - msg) + nl + tail + 1 > cap) break;
		memmove(at + nl, at + wl, tail + 1);
		memcpy(at, named, nl);
		from = at + nl;
	}
}

struct store *cli_open_with(const char *target, const char *named, int connections, const char *key_of,
			    struct store **second, const char *second_target)
{
	char err[1024];
	struct keys keys;
	if (cli_keys_of(key_of, &keys) != 0) return NULL;
	struct store *st = NULL;
	enum rh_err rc = store_open(target, 0, connections, &keys, &st, err, sizeof err);
	char shown[512];
	cli_redact(named, shown, sizeof shown);
	if (rc != RH_OK) {
		cli_rename_in(err, sizeof err, target, shown);
		fprintf(stderr, "ruhu: cannot open %s: %s\n", shown, cli_open_error(target, err));
	}
	if (rc == RH_OK && second) {
		/* the copy's destination: an empty database, made a ruhu one here */
		rc = store_open(second_target, STORE_CREATE, connections, &keys, second, err, sizeof err);
		if (rc != RH_OK) {
			cli_redact(second_target, shown, sizeof shown);
			fprintf(stderr, "ruhu: cannot open %s: %s\n", shown, cli_open_error(second_target, err));
			store_close(st);
			st = NULL;
		}
	}
	sodium_memzero(&keys, sizeof keys);
	return rc == RH_OK ? st : NULL;
}

static int count_broken(const struct audit_check *c, void *arg)
{
	if (c->broken_seq) {
		printf("  tenant %lld: audit chain BROKEN at entry %lld: %s\n", (long long)c->tenant_id,
		       (long long)c->broken_seq, c->reason);
		(*(int *)arg)++;
	}
	return 0;
}

int cli_audit_check(struct store *st)
{
	struct db *db = store_acquire(st);
	int broken = 0;
	enum rh_err rc = store_audit_verify(db, -1, count_broken, &broken);
	store_release(st, db);
	return rc == RH_OK ? broken : -1;
}

int cli_init_crypto(const char *cmd)
{
	enum pwhash_cost cost = PWHASH_INTERACTIVE;
	const char *name = cli_env("RUHU_PWHASH", "interactive");
	if (secret_cost_parse(name, &cost) != 0)
		return cli_error(cmd, "RUHU_PWHASH must be interactive, moderate or min, not %s", name);
	if (secret_init(cost) != 0) return cli_error(cmd, "cannot start libsodium");
	return 0;
}

static int read_line_noecho(const char *prompt, char *out, size_t len)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fputs(prompt, stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *ok = fgets(out, (int)len, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!ok) return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

int cli_read_password(const char *cmd, char *out, size_t len)
{
	const char *env = getenv("RUHU_PASSWORD");
	if (env) {
		snprintf(out, len, "%s", env);
	} else {
		char again[256];
		if (read_line_noecho("Password / 密码: ", out, len) != 0 ||
		    read_line_noecho("Again / 再输一次: ", again, sizeof again) != 0)
			return cli_error(cmd, "no password given (set RUHU_PASSWORD or type it)");
		if (strcmp(out, again) != 0) return cli_error(cmd, "the two passwords differ");
	}
	/* The sign-in page sends UTF-8: other bytes could never be typed there. */
	if (!utf8_valid(out, strlen(out)))
		return cli_error(cmd, "the password is not UTF-8 text (a terminal set to GBK? set LANG to a UTF-8 locale)");
	if (!password_acceptable(out))
		return cli_error(cmd, "the password needs %d to %d characters of at least two kinds "
			        "(lower-case letters, upper-case letters, digits, others)", PASSWORD_MIN, PASSWORD_MAX);
	return 0;
}

int cli_name(const char *cmd, const char *opt, const char *s, size_t max)
{
	size_t n = strlen(s), len;
	if (!utf8_valid(s, n))
		return cli_error(cmd, "%s is not UTF-8 text (a terminal set to GBK? set LANG to a UTF-8 locale)", opt);
	if (!text_clean(s, 0)) return cli_error(cmd, "%s %s", opt, TEXT_CLEAN_RULE_EN);
	len = n;
	text_trim(s, &len);
	if (!len) return cli_error(cmd, "%s is empty", opt);
	if (utf8_length(s) > max) return cli_error(cmd, "%s has more than %zu characters", opt, max);
	return 0;
}

int cli_tenant(struct db *db, const char *cmd, const char *code, struct tenant *out)
{
	if (!code) return cli_error(cmd, "which tenant? give --tenant CODE");
	enum rh_err rc = store_tenant_by_code(db, code, out);
	if (rc == RH_ERR_NOT_FOUND) return cli_error(cmd, "no tenant with code %s", code);
	if (rc != RH_OK) return cli_error(cmd, "%s", rh_error_info(rc)->en);
	return 0;
}

int cli_tenant_to_write(struct db *db, const char *cmd, const char *code, struct tenant *out)
{
	if (cli_tenant(db, cmd, code, out) != 0) return -1;
	/* The system organisation holds the official calendar every other
	 * one shares (`ruhu calendar import` without --tenant): no accounts
	 * or records are added to it, or an admin of it could rewrite that. */
	if (out->id == 0) return cli_error(cmd, "%s is the system organisation: it takes no accounts or records", code);
	return 0;
}

struct actor cli_actor(int64_t tenant_id, const char *reason)
{
	static char name[USERNAME_MAX + 1];	/* set before any thread starts */
	const char *user = cli_env("USER", "operator");
	snprintf(name, sizeof name, "cli:%s", user);
	struct actor a = { .tenant_id = tenant_id, .user_id = 0, .name = name, .ip = NULL, .reason = reason };
	return a;
}
