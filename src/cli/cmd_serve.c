/*
 * cmd_serve.c — `ruhu serve`: the web UI, the API and the background
 * jobs, until SIGINT or SIGTERM.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/version.h"
#include "app/demo.h"
#include "base/log.h"
#include "cli/cli.h"
#include "http/http.h"

static const char usage[] =
	"usage: ruhu serve [--listen ADDR:PORT] [--db PATH|URL] [--demo] [options]\n"
	"\n"
	"  --listen ADDR:PORT     where to listen (RUHU_LISTEN, default 127.0.0.1:8080)\n"
	"  --db PATH|URL          a SQLite database file, or a PostgreSQL URL postgres://USER@HOST/DB\n"
	"                         (RUHU_DB, default ruhu.db)\n"
	"  --demo                 add the demo organisations and logins if missing, print the logins\n"
	"  --threads N            HTTP worker threads, 1 to 64 (RUHU_THREADS; default: the CPU count\n"
	"                         on SQLite, twice the CPU count on PostgreSQL)\n"
	"  --body-limit BYTES     largest request body, 1024 to 67108864 (RUHU_BODY_LIMIT, default 1048576)\n"
	"  --upload-limit BYTES   largest uploaded file, a CSV import, 1024 to 1073741824\n"
	"                         (RUHU_UPLOAD_LIMIT, default 33554432)\n"
	"  --cookie-secure        mark the session cookie Secure, behind HTTPS (RUHU_COOKIE_SECURE=1)\n"
	"  --no-scheduler         do not run background jobs in this process (RUHU_SCHEDULER=0)\n"
	"  --no-access-log        no per-request log line (RUHU_ACCESS_LOG=0)\n"
	"  --log-level LEVEL      debug, info, warn, error or off (RUHU_LOG_LEVEL, default info)\n"
	"\n"
	"A flag wins over its variable, which is then not read at all.\n"
	"Sign-in policy: RUHU_LOGIN_MAX_FAILURES (5), RUHU_LOGIN_LOCK_SECONDS (900),\n"
	"RUHU_LOGIN_RATE (30 password checks a minute per address), RUHU_LOGIN_BURST (20),\n"
	"RUHU_SESSION_IDLE (28800 s), RUHU_SESSION_MAX (604800 s); password hashing cost\n"
	"RUHU_PWHASH (interactive, moderate or min) on RUHU_HASH_THREADS threads (1).\n"
	"Behind a proxy: RUHU_TRUSTED_PROXY (its addresses or CIDR ranges, comma-separated)\n"
	"makes its X-Real-IP the client's address. Badge QR codes: RUHU_PUBLIC_URL\n"
	"(https://HOST). Background jobs: RUHU_JOB_LEASE (300 s, renewed while a job runs).\n"
	"SQLite: RUHU_SQLITE_MMAP=1 reads the database file through a memory map (0, the\n"
	"default: by read calls). See docs/configuration.md.\n";

/* A number from text (a flag's value, or a variable's), refused with
 * what it must be; def when text is NULL or empty. Flags and variables
 * share the bounds, so either way a value means the same. */
static long number(const char *what, const char *text, long def, long min, long max, int *bad)
{
	if (!text || !text[0]) return def;
	char *end;
	long n = strtol(text, &end, 10);
	if (*end || n < min || n > max) {
		fprintf(stderr, "ruhu serve: %s must be a number from %ld to %ld\n", what, min, max);
		*bad = 1;
		return def;
	}
	return n;
}

static long env_long(const char *name, long def, long min, long max, int *bad)
{
	return number(name, getenv(name), def, min, max, bad);
}

/* A setting that has both: the flag's value when given, and then the
 * variable is not read (a bad one does not stop a flag that overrides it). */
static long flag_or_env(const char *flag, const char *flag_text, const char *name, long def, long min, long max,
			int *bad)
{
	if (!flag_text) return env_long(name, def, min, max, bad);
	return number(flag, flag_text[0] ? flag_text : "-", def, min, max, bad);	/* an empty flag is no number */
}

/* One thread per CPU on SQLite, where a request's database work is CPU
 * in this process. On PostgreSQL a thread mostly waits for its
 * connection's round trips, so two per CPU keep both the CPUs and the
 * server busier. Measured on 2 CPUs (wrk -c64): badge checks 11,500 →
 * 33,000 req/s from 2 to 4 threads; the authenticated read (four round
 * trips in a transaction) 15,900 → 15,400 req/s with p99 16 → 11 ms —
 * and at 8 threads p99 134 ms, transactions queueing in PostgreSQL. */
static int default_threads(const char *target)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1) n = 1;
	if (store_target_is_pg(target)) n *= 2;
	return n > 64 ? 64 : (int)n;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' }, { "db", required_argument, NULL, 'd' },
		{ "demo", no_argument, NULL, 'D' }, { "threads", required_argument, NULL, 't' },
		{ "body-limit", required_argument, NULL, 'b' }, { "upload-limit", required_argument, NULL, 'u' },
		{ "cookie-secure", no_argument, NULL, 'c' },
		{ "no-scheduler", no_argument, NULL, 'S' }, { "no-access-log", no_argument, NULL, 'A' },
		{ "log-level", required_argument, NULL, 'L' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server_config cfg;
	server_config_defaults(&cfg);
	int bad = 0, demo = 0, cookie_secure = 0, no_scheduler = 0, no_access_log = 0;
	const char *db_flag = NULL, *listen = NULL, *threads = NULL, *body = NULL, *upload = NULL, *level = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'd': db_flag = optarg; break;
		case 'D': demo = 1; break;
		case 't': threads = optarg; break;
		case 'b': body = optarg; break;
		case 'u': upload = optarg; break;
		case 'c': cookie_secure = 1; break;
		case 'S': no_scheduler = 1; break;
		case 'A': no_access_log = 1; break;
		case 'L': level = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	/* Flags first: a variable is read only for what no flag said. */
	cfg.listen = listen ? listen : cli_env("RUHU_LISTEN", cfg.listen);
	if (!level) level = cli_env("RUHU_LOG_LEVEL", "info");
	cfg.threads = (int)flag_or_env("--threads", threads, "RUHU_THREADS", 0, 1, 64, &bad);	/* 0: by the store, below */
	cfg.body_limit = (size_t)flag_or_env("--body-limit", body, "RUHU_BODY_LIMIT", (long)cfg.body_limit, 1024,
					     64L << 20, &bad);
	cfg.upload_limit = (size_t)flag_or_env("--upload-limit", upload, "RUHU_UPLOAD_LIMIT", (long)cfg.upload_limit,
					       1024, 1L << 30, &bad);
	cfg.body_memory = (size_t)env_long("RUHU_BODY_MEMORY", 0, 1L << 20, 1L << 36, &bad);	/* 0: server_body_memory() */
	cfg.cookie_secure = cookie_secure ? 1 : (int)env_long("RUHU_COOKIE_SECURE", 0, 0, 1, &bad);
	cfg.scheduler = no_scheduler ? 0 : (int)env_long("RUHU_SCHEDULER", 1, 0, 1, &bad);
	cfg.access_log = no_access_log ? 0 : (int)env_long("RUHU_ACCESS_LOG", 1, 0, 1, &bad);
	cfg.job_lease = (int)env_long("RUHU_JOB_LEASE", cfg.job_lease, 3, 86400, &bad);
	cfg.login_max_failures = (int)env_long("RUHU_LOGIN_MAX_FAILURES", cfg.login_max_failures, 1, 100, &bad);
	cfg.login_lock_seconds = (int)env_long("RUHU_LOGIN_LOCK_SECONDS", cfg.login_lock_seconds, 1, 86400, &bad);
	cfg.session_idle = (int)env_long("RUHU_SESSION_IDLE", cfg.session_idle, 60, 30 * 86400, &bad);
	cfg.session_max = (int)env_long("RUHU_SESSION_MAX", cfg.session_max, 60, 90 * 86400, &bad);
	cfg.login_rate = (int)env_long("RUHU_LOGIN_RATE", cfg.login_rate, 1, 1000000, &bad);
	cfg.login_burst = (int)env_long("RUHU_LOGIN_BURST", cfg.login_burst, 1, 1000000, &bad);
	cfg.public_rate = (int)env_long("RUHU_PUBLIC_RATE", cfg.public_rate, 1, 100000000, &bad);
	cfg.public_burst = (int)env_long("RUHU_PUBLIC_BURST", cfg.public_burst, 1, 100000000, &bad);
	cfg.public_url = cli_env("RUHU_PUBLIC_URL", NULL);
	cfg.hash_threads = (int)env_long("RUHU_HASH_THREADS", cfg.hash_threads, 1, 64, &bad);
	cfg.trusted_proxies = cli_env("RUHU_TRUSTED_PROXY", NULL);
	int badge_memory = (int)env_long("RUHU_BADGE_MEMORY", 1, 0, 1, &bad);
	int map_file = (int)env_long("RUHU_SQLITE_MMAP", 0, 0, 1, &bad);
	if (bad) return 2;
	if (optind < argc) return cli_fail("serve", "unexpected argument %s (see --help)", argv[optind]);
	if (log_set_level_name(level) != 0) return cli_fail("serve", "unknown log level %s", level);
	char err[256];
	if (server_config_check(&cfg, err, sizeof err) != RH_OK) {
		fprintf(stderr, "ruhu serve: %s\n", err);
		return 2;
	}
	if (cli_init_crypto("serve") != 0) return 1;

	/* Signals are taken by sigwait() below, never by a worker thread. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	const char *target = cli_db(db_flag);
	if (cfg.threads == 0) cfg.threads = default_threads(target);
	/* the HTTP threads' pinned connections, the importer's (http/offload.h),
	 * the scheduler's, its lease keeper's, and one for the rest */
	struct store *st = cli_open_store(target, STORE_CREATE, cfg.threads + 4);
	if (!st) return 1;
	if (demo && demo_seed(st, stdout) != RH_OK) {
		store_close(st);
		return cli_fail("serve", "could not create the demo data");
	}
	struct server srv;
	if (map_file && store_map_file(st, 1) != RH_OK) {
		store_close(st);
		return cli_fail("serve", "RUHU_SQLITE_MMAP: the database file could not be mapped");
	}
	if (badge_memory && store_watch_changes(st, err, sizeof err) != RH_OK)
		log_error("badge answers are not kept in memory: %s", err);
	if (server_start(&srv, &cfg, st, err, sizeof err) != RH_OK) {
		store_close(st);
		return cli_fail("serve", "%s", err);
	}
	char shown[512], where[96];
	cli_redact(target, shown, sizeof shown);
	server_address(&srv, where, sizeof where);
	printf("ruhu %s serving http://%s  (%s: %s, %d threads)\n", ruhu_version, where, store_backend(st), shown,
	       cfg.threads);
	fflush(stdout);
	log_info("listening on %s", where);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("signal %d: stopping", sig);
	server_stop(&srv);
	store_close(st);
	return 0;
}
