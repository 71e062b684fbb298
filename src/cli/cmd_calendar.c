/*
 * cmd_calendar.c — `ruhu calendar show|import`: the holiday schedules
 * behind working-day deadlines (SPEC X4).
 *
 * Without --tenant, import replaces the official schedule that every
 * organisation uses (how an operator adds next year once the State
 * Council publishes it); with --tenant, only that organisation's.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
	"usage: ruhu calendar show YEAR [--tenant CODE] [--db PATH]\n"
	"       ruhu calendar import FILE [--tenant CODE] [--db PATH]\n"
	"\n"
	"FILE is CSV with the header date,kind,name and one row per day off (kind\n"
	"holiday) or weekend day worked (kind workday), e.g.\n"
	"  2027-01-01,holiday,元旦\n"
	"Each year in the file replaces that year's schedule: the official one for\n"
	"everybody, or with --tenant only that organisation's. Days of the last week\n"
	"of December followed by 1 January belong to the next year's schedule (its\n"
	"元旦, e.g. 2018-12-29 worked for 2019).\n";

static int print_day(const struct cal_row *r, void *arg)
{
	char d[11];
	date_format(r->day, d);
	static const char *const wd[] = { "", "一", "二", "三", "四", "五", "六", "日" };
	printf("  %s 周%s  %-8s %s\n", d, wd[date_weekday(r->day)], r->kind == CAL_WORKDAY ? "workday" : "holiday",
	       r->name);
	return 0;
}

struct year_found {
	int year, found, own;
	char source[129];
};

static int find_year(const struct cal_year *y, void *arg)
{
	struct year_found *f = arg;
	if (y->year == f->year) {
		f->found = 1;
		f->own = y->own;
		snprintf(f->source, sizeof f->source, "%s", y->source);
	}
	return 0;
}

static int show(struct db *db, int64_t tenant_id, int year)
{
	struct calendar cal;
	struct year_found yf = { .year = year };
	if (store_calendar_years(db, tenant_id, find_year, &yf) != RH_OK || store_calendar_load(db, tenant_id, &cal) != RH_OK)
		return cli_fail("calendar show", "cannot read the calendar");
	if (yf.found)
		printf("%d: schedule known (%s, %s)\n", year, yf.own ? "own" : "official", yf.source);
	else
		printf("%d: schedule NOT known: only weekends count as days off; deadlines in %d are uncertain\n", year, year);
	printf("working days per month:");
	for (int m = 1; m <= 12; m++) {
		rh_day first = date_from_ymd(year, m, 1);
		printf(" %d月=%d", m, cal_count_working_days(&cal, first - 1, first + date_days_in_month(year, m) - 1, NULL));
	}
	rh_day jan1 = date_from_ymd(year, 1, 1);
	printf("\ntotal: %d working days\n", cal_count_working_days(&cal, jan1 - 1, date_from_ymd(year, 12, 31), NULL));
	cal_release(&cal);
	return store_calendar_days(db, tenant_id, year, print_day, NULL) == RH_OK ? 0 : 1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	struct buf b = BUF_INIT(4 << 20);
	char chunk[8192];
	size_t n;
	int bad = 0;
	while (!bad && (n = fread(chunk, 1, sizeof chunk, f)) > 0) bad = buf_append(&b, chunk, n);
	fclose(f);
	if (bad) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}

static int import(struct db *db, int64_t tenant_id, const char *path)
{
	size_t len;
	char *data = slurp(path, &len);
	if (!data) return cli_fail("calendar import", "cannot read %s (missing, or over 4 MB)", path);
	struct cal_row *rows = NULL;
	size_t n = 0;
	struct cal_parse_error perr;
	enum rh_err rc = cal_parse_csv(data, len, &rows, &n, &perr);
	free(data);
	if (rc != RH_OK)
		return cli_fail("calendar import", "%s:%ld: %s%s%s", path, perr.line, perr.en ? perr.en : "bad file",
				perr.field ? " — column " : "", perr.field ? perr.field : "");
	if (n == 0) {
		free(rows);
		return cli_fail("calendar import", "%s holds no days", path);
	}
	struct actor a = cli_actor(tenant_id, "calendar import");
	char source[160];
	snprintf(source, sizeof source, "imported from %.120s", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	int status = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].year < CAL_IMPORT_YEAR_MIN || rows[i].year > CAL_IMPORT_YEAR_MAX) {
			status = cli_fail("calendar import", "%s: %d is not a year a schedule is imported for (%d to %d); nothing was imported",
					  path, rows[i].year, CAL_IMPORT_YEAR_MIN, CAL_IMPORT_YEAR_MAX);
			free(rows);
			return status;
		}
	for (size_t i = 0; i < n && status == 0;) {
		int year = rows[i].year;	/* its notice's: a 元旦 may begin in December */
		size_t j = i;
		while (j < n && rows[j].year == year) j++;
		rc = store_calendar_import(db, &a, tenant_id, year, rows + i, j - i, source, -1, NULL);
		if (rc != RH_OK) status = cli_fail("calendar import", "%d: %s", year, rh_error_info(rc)->en);
		else printf("%d: %zu days imported%s\n", year, j - i, tenant_id ? "" : " into the official schedule");
		i = j;
	}
	free(rows);
	return status;
}

int cmd_calendar(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "tenant", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *action = argv[1], *db_flag = NULL, *code = NULL;
	int c;
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_flag = optarg; break;
		case 't': code = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind + 1 != argc || (strcmp(action, "show") && strcmp(action, "import"))) {
		if (optind + 1 < argc) fprintf(stderr, "ruhu calendar: one %s at a time\n", strcmp(action, "show") ? "file" : "year");
		fputs(usage, stderr);
		return 2;
	}
	const char *arg = argv[optind];
	int year = 0;
	if (strcmp(action, "show") == 0) {
		char *end;
		long y = strtol(arg, &end, 10);
		if (*end || y < RH_DATE_MIN_YEAR || y > RH_DATE_MAX_YEAR) return cli_fail("calendar show", "YEAR must be a year such as 2026");
		year = (int)y;
	}
	struct store *st = cli_open_store(cli_db(db_flag), 0, 1);
	if (!st) return 1;
	struct db *db = store_acquire(st);
	struct tenant t = { .id = 0 };
	int status = code && cli_tenant(db, "calendar", code, &t) != 0;
	if (!status) status = year ? show(db, t.id, year) : import(db, t.id, arg);
	store_release(st, db);
	store_close(st);
	return status;
}
