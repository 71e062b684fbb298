/*
 * cmd_import.c — `ruhu import households|staff FILE`: the files an
 * organisation already keeps, brought in by the operator (the same rules
 * as the upload in the web UI: app/import.h).
 *
 * The file is mapped, not read, so a million rows cost no copy; on a
 * terminal a progress line shows how far it got. A file cut short while
 * mapped ends the import as a kill would, nothing written (on_cut_short). Exit status: 0 written
 * (or, with --dry-run, would be), 1 refused or failed, 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "app/import.h"
#include "cli/cli.h"

static const char usage[] =
	"usage: ruhu import households|staff FILE --tenant CODE [options]\n"
	"\n"
	"Imports a CSV file (UTF-8 with or without BOM, or GBK/GB18030), or the first\n"
	"sheet of an .xlsx workbook, whose header row names the columns in Chinese or\n"
	"English (docs/api.md, Import). A row\n"
	"whose account number (staff number) exists updates that record.\n"
	"\n"
	"  --tenant CODE      the organisation the rows belong to (required)\n"
	"  --encoding ENC     auto (default), utf-8, gbk or gb18030\n"
	"  --mode all|good    all: nothing is written if any row is bad (default);\n"
	"                     good: the good rows are written, the bad ones go to --reject\n"
	"  --reject FILE      where the bad rows go in mode good; never written over (default\n"
	"                     FILE.rejects.csv, or FILE.rejects-2.csv … when that exists)\n"
	"  --dry-run          check and count, write nothing\n"
	"  --db PATH          the database (RUHU_DB, default ruhu.db)\n";

struct progress {
	int tty;
	struct timespec last;
};

static void show_progress(size_t done, size_t total, long rows, void *arg)
{
	struct progress *p = arg;
	if (!p->tty) return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - p->last.tv_sec) * 1000 + (now.tv_nsec - p->last.tv_nsec) / 1000000;
	if (done < total && ms < 200) return;
	p->last = now;
	int pct = total ? (int)(done * 100 / total) : 100;
	char bar[41];
	for (int i = 0; i < 40; i++) bar[i] = i < pct * 40 / 100 ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %3d%%  %ld rows", bar, pct, rows);
	if (done >= total) fputc('\n', stderr);
}

/* The reject file is made before the import runs, never over a file
 * that exists (a mistyped --reject must not replace the database or the
 * input), so that a place it cannot go is told before anything is
 * written; it is removed again when no row is rejected. */
static FILE *open_rejects(char *path, size_t cap, int named)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	/* the default name taken by an earlier run: the next free one
	 * (FILE.rejects-2.csv …), as a fixed file is re-imported */
	if (fd < 0 && errno == EEXIST && !named) {
		char base[4096];
		size_t n = strlen(path) - strlen(".csv");
		snprintf(base, sizeof base, "%.*s", (int)n, path);
		for (int i = 2; fd < 0 && errno == EEXIST && i < 100; i++) {
			if (snprintf(path, cap, "%s-%d.csv", base, i) >= (int)cap) break;
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		}
	}
	if (fd < 0) {
		cli_error("import", errno == EEXIST ? "%s exists: the reject file is never written over (remove it, or name another with --reject)"
						     : "cannot make the reject file %s: %s", path, strerror(errno));
		return NULL;
	}
	FILE *f = fdopen(fd, "wb");
	if (!f) close(fd);
	return f;
}

static int write_rejects(FILE *f, const struct buf *b)
{
	int ok = fwrite(b->data, 1, b->len, f) == b->len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* The counts as what happened: written, would be (a dry run), or
 * refused — never "1 inserted" beside "nothing written". */
static void print_report(const struct import_report *rep, const char *path)
{
	const struct import_counts *c = &rep->counts;
	for (size_t i = 0; i < rep->n_errors; i++) fprintf(stderr, "%s: %s\n", path, rep->errors[i].zh);
	if (rep->errors_total > (long)rep->n_errors)
		fprintf(stderr, "%s: … %ld more errors\n", path, rep->errors_total - (long)rep->n_errors);
	printf("%s (%s): %ld rows, ", path, csv_encoding_name(rep->encoding), c->rows);
	if (rep->committed)
		printf("%ld inserted, %ld updated, %ld unchanged, %ld rejected — %s\n", c->inserted, c->updated, c->unchanged,
		       c->rejected, c->rows > 0 && c->rejected == c->rows ? "every row refused, nothing written" : "written");
	else if (rep->acceptable)
		printf("would insert %ld, update %ld, leave %ld unchanged, reject %ld — a dry run, nothing written\n",
		       c->inserted, c->updated, c->unchanged, c->rejected);
	else
		printf("%ld bad — nothing written\n", rep->errors_total);
	if (c->new_sites && (rep->committed || rep->acceptable)) {
		printf("%s %ld new site%s (estates, buildings, units named in the file and not found):", rep->committed ? "made" : "would make",
		       c->new_sites, c->new_sites == 1 ? "" : "s");
		for (long i = 0; i < c->new_sites && i < IMPORT_NEW_SITES_SHOWN; i++) printf("%s %s", i ? "," : "", c->new_site[i]);
		printf("%s\n", c->new_sites > IMPORT_NEW_SITES_SHOWN ? ", …" : "");
	}
}

/* A file truncated while mapped — another program rewriting it — faults
 * (SIGBUS) on the pages past its new end, wherever the parser is. The
 * transaction is not committed, so ending here leaves the database as a
 * kill does: as it was. What this handler may touch is set before the
 * mapping is read; it says what happened, in place of "Bus error", and
 * removes the reject file this run made. */
static char cut_note[4400];
static size_t cut_note_len;
static char cut_reject[4096];
static const char *cut_from, *cut_to;	/* the mapping */

static void on_cut_short(int sig, siginfo_t *info, void *context)
{
	(void)context;
	const char *at = info->si_addr;
	if (info->si_code <= 0 || at < cut_from || at >= cut_to) {
		/* sent by someone (kill -BUS), or not the file's pages (a disk's
		 * I/O error, say): as if this handler were not here */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	if (cut_reject[0]) unlink(cut_reject);
	ssize_t w = write(STDERR_FILENO, cut_note, cut_note_len);
	(void)w;
	_exit(1);
}

static void guard_cut_short(const char *path, const char *reject_path, const void *map, size_t len)
{
	cut_note_len = (size_t)snprintf(cut_note, sizeof cut_note,
					"\nruhu import: %s was cut short while it was read (another program changed it);"
					" nothing was written\n", path);
	if (cut_note_len >= sizeof cut_note) cut_note_len = sizeof cut_note - 1;
	snprintf(cut_reject, sizeof cut_reject, "%s", reject_path ? reject_path : "");
	cut_from = map;
	cut_to = (const char *)map + len;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_cut_short;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

static int run(struct db *db, const struct tenant *t, const char *path, struct import_options *o,
	       char *reject_path, size_t reject_cap, int reject_named)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		int e = errno;
		if (fd >= 0) close(fd);
		return cli_fail("import", "cannot read %s: %s", path, strerror(e));
	}
	if (!S_ISREG(sb.st_mode)) {	/* mapped: a pipe or a directory has no length to map */
		close(fd);
		return cli_fail("import", "%s is %s: give the path of a file", path,
				S_ISDIR(sb.st_mode) ? "a directory" : "not a regular file");
	}
	FILE *rejects = NULL;	/* a dry run writes nothing, this file neither */
	if (o->keep_good && !o->dry_run && !(rejects = open_rejects(reject_path, reject_cap, reject_named))) {
		close(fd);
		return 1;
	}
	size_t len = (size_t)sb.st_size;
	void *map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (len && map == MAP_FAILED) {
		if (rejects) {
			fclose(rejects);
			unlink(reject_path);
		}
		return cli_fail("import", "cannot map %s: %s", path, strerror(errno));
	}
	madvise(map, len, MADV_SEQUENTIAL);
	guard_cut_short(path, rejects ? reject_path : NULL, map, len);

	struct progress p = { .tty = isatty(STDERR_FILENO) };
	clock_gettime(CLOCK_MONOTONIC, &p.last);
	o->progress = show_progress;
	o->progress_arg = &p;
	o->source = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct actor a = cli_actor(t->id, "import");
	struct import_report rep;
	enum rh_err rc = import_run(db, &a, len ? map : "", len, o, &rep);
	signal(SIGBUS, SIG_DFL);	/* the mapping goes: no fault is the file's from here */
	if (len) munmap(map, len);
	int status = 0;
	int keep = rc == RH_OK && rejects && import_has_rejects(&rep);
	if (rc == RH_ERR_BUSY) {	/* not "the server is busy": another writer held the database past the wait */
		status = cli_fail("import", "%s: the database is busy with another write (an import?); nothing was imported, "
				  "try again when it has ended", path);
	} else if (rc != RH_OK) {
		status = cli_fail("import", "%s: %s", path, rh_error_info(rc)->en);
	} else {
		print_report(&rep, path);
		if (keep && write_rejects(rejects, &rep.reject) != 0)
			status = cli_fail("import", "cannot write %s: %s", reject_path, strerror(errno));
		else if (keep)
			printf("bad rows written to %s\n", reject_path);
		if (!rep.acceptable) status = 1;
		/* mode good with every row refused: nothing came in, which a
		 * script should hear (from the dry run before it, too) */
		if ((rep.committed || o->dry_run) && rep.counts.rows > 0 && rep.counts.rejected == rep.counts.rows) status = 1;
	}
	if (rejects && !keep) {
		fclose(rejects);
		unlink(reject_path);
	}
	import_report_free(&rep);
	return status;
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "tenant", required_argument, NULL, 't' },
		{ "encoding", required_argument, NULL, 'e' }, { "mode", required_argument, NULL, 'm' },
		{ "reject", required_argument, NULL, 'r' }, { "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	struct import_options o = { .encoding = CSV_ENC_AUTO, .rights = IMPORT_NEW_SITES | IMPORT_SEES_ID };	/* the operator */
	if (strcmp(argv[1], "households") == 0) o.kind = IMPORT_HOUSEHOLDS;
	else if (strcmp(argv[1], "staff") == 0) o.kind = IMPORT_STAFF;
	else return cli_usage("import", usage, "import what? households or staff, not %s", argv[1]);
	const char *db_flag = NULL, *code = NULL, *reject = NULL;
	int c;
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_flag = optarg; break;
		case 't': code = optarg; break;
		case 'e':
			if (csv_encoding_parse(optarg, &o.encoding) != 0) return cli_fail("import", "unknown encoding %s", optarg);
			break;
		case 'm':
			if (strcmp(optarg, "all") && strcmp(optarg, "good")) return cli_fail("import", "--mode is all or good");
			o.keep_good = strcmp(optarg, "good") == 0;
			break;
		case 'r': reject = optarg; break;
		case 'n': o.dry_run = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind == argc) return cli_usage("import", usage, "which FILE?");
	if (optind + 1 < argc) return cli_usage("import", usage, "unexpected argument %s (one file at a time)", argv[optind + 1]);
	if (!code) return cli_usage("import", usage, "--tenant is required: the organisation's code");
	if (reject && !o.keep_good) return cli_fail("import", "--reject goes with --mode good (mode all writes no rows when any is bad)");
	const char *path = argv[optind];
	char reject_path[4096];
	snprintf(reject_path, sizeof reject_path, "%s", reject ? reject : path);
	if (!reject) strncat(reject_path, ".rejects.csv", sizeof reject_path - strlen(reject_path) - 1);
	if (cli_init_crypto("import") != 0) return 1;
	struct store *st = cli_open_store(cli_db(db_flag), 0, 1);
	if (!st) return 1;
	struct db *db = store_acquire(st);
	struct tenant t;
	int status = cli_tenant_to_write(db, "import", code, &t) != 0;
	if (!status) status = run(db, &t, path, &o, reject_path, sizeof reject_path, reject != NULL);
	store_release(st, db);
	store_close(st);
	return status;
}
