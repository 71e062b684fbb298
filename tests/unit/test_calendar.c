/*
 * test_calendar.c — SPEC X4 working days on the official schedules that
 * ship in data/cn_holidays.csv (2024–2026), and the schedule parser.
 */
#include <stdlib.h>
#include "harness.h"
#include "base/asset.h"
#include "core/calendar.h"

static struct calendar cal;

static rh_day D(const char *s)
{
	rh_day d = 0;
	if (date_parse(s, strlen(s), &d)) { fprintf(stderr, "bad date in test: %s\n", s); abort(); }
	return d;
}

static void load_shipped(void)
{
	const struct asset *a = asset_find("data/cn_holidays.csv");
	struct cal_row *rows;
	size_t n;
	struct cal_parse_error err;
	t_case("X4 the shipped schedule parses");
	CHECK(a != NULL);
	CHECK_INT(cal_parse_csv((const char *)a->data, a->len, &rows, &n, &err), RH_OK);
	cal_init(&cal);
	for (size_t i = 0; i < n; i++) {
		cal_set(&cal, rows[i].day, rows[i].kind);
		cal_add_year(&cal, date_year(rows[i].day));
	}
	free(rows);
	CHECK(cal_year_known(&cal, 2024) && cal_year_known(&cal, 2025) && cal_year_known(&cal, 2026));
	CHECK(!cal_year_known(&cal, 2027));
}

static void test_is_working_day(void)
{
	static const struct { const char *day; int working; const char *why; } rows[] = {
		{ "2026-09-30", 1, "Wednesday before National Day" },
		{ "2026-10-01", 0, "National Day 国庆节" },
		{ "2026-10-05", 0, "National Day week, a Monday" },
		{ "2026-10-07", 0, "last day of the National Day week" },
		{ "2026-10-08", 1, "first day back" },
		{ "2026-10-10", 1, "Saturday made a working day (调休)" },
		{ "2026-10-11", 0, "ordinary Sunday" },
		{ "2026-09-20", 1, "Sunday made a working day (调休)" },
		{ "2026-09-25", 0, "Mid-Autumn 中秋节, a Friday" },
		{ "2026-02-14", 1, "Saturday before Spring Festival worked" },
		{ "2026-02-23", 0, "last day of Spring Festival 2026" },
		{ "2026-02-24", 1, "back after Spring Festival" },
		{ "2026-01-04", 1, "Sunday worked after New Year" },
		{ "2025-10-08", 0, "2025 National Day + Mid-Autumn, 8 days" },
		{ "2025-09-28", 1, "Sunday worked in 2025" },
		{ "2024-02-04", 1, "Sunday worked in 2024" },
		{ "2024-02-16", 0, "Spring Festival 2024, a Friday" },
		{ "2026-11-23", 1, "an ordinary Monday" },
		{ "2026-11-22", 0, "an ordinary Sunday" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("X4 %s is %sa working day: %s", rows[i].day, rows[i].working ? "" : "not ", rows[i].why);
		CHECK_INT(cal_is_working_day(&cal, D(rows[i].day)), rows[i].working);
	}
}

static void test_add(void)
{
	static const struct { const char *from; int n; const char *want; } rows[] = {
		{ "2026-09-30", 1, "2026-10-08" },	/* across the National Day week */
		{ "2026-09-30", 2, "2026-10-09" },
		{ "2026-09-30", 3, "2026-10-10" },	/* the adjusted Saturday counts */
		{ "2026-09-30", 4, "2026-10-12" },
		{ "2026-09-24", 1, "2026-09-28" },	/* over Mid-Autumn */
		{ "2026-09-18", 1, "2026-09-20" },	/* to the adjusted Sunday */
		{ "2026-02-13", 1, "2026-02-14" },
		{ "2026-02-13", 2, "2026-02-24" },	/* over Spring Festival */
		{ "2026-10-03", 0, "2026-10-08" },	/* n = 0 from a holiday: next working day */
		{ "2026-10-08", 0, "2026-10-08" },
		{ "2026-10-08", -1, "2026-09-30" },	/* backwards over the holiday */
		{ "2026-10-12", -4, "2026-09-30" },
		{ "2025-09-30", 1, "2025-10-09" },
		{ "2026-11-20", 5, "2026-11-27" },	/* an ordinary week */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("X4 %d working day(s) after %s is %s", rows[i].n, rows[i].from, rows[i].want);
		rh_day out;
		int unc = 0;
		CHECK_INT(cal_add_working_days(&cal, D(rows[i].from), rows[i].n, &out, &unc), 0);
		char s[11];
		date_format(out, s);
		CHECK_STR(s, rows[i].want);
		CHECK_INT(unc, 0);
	}
	t_case("X4 add rejects absurd step counts");
	rh_day out;
	CHECK_INT(cal_add_working_days(&cal, D("2026-01-01"), 1000000, &out, NULL), -1);
}

static void test_count(void)
{
	t_case("X4 working days from 2026-09-30 to 2026-10-12 are 4");
	CHECK_INT(cal_count_working_days(&cal, D("2026-09-30"), D("2026-10-12"), NULL), 4);
	t_case("X4 counting backwards is negative");
	CHECK_INT(cal_count_working_days(&cal, D("2026-10-12"), D("2026-09-30"), NULL), -4);
	t_case("X4 count of an empty span is 0");
	CHECK_INT(cal_count_working_days(&cal, D("2026-10-02"), D("2026-10-02"), NULL), 0);
	/* 261 weekdays, 19 of them holidays, 6 weekend days worked. */
	t_case("X4 2026 has 248 working days");
	CHECK_INT(cal_count_working_days(&cal, D("2025-12-31"), D("2026-12-31"), NULL), 248);
	t_case("X4 count(d, add(d, n)) == n for every day of 2024-2026 and n up to 30");
	int ok = 1;
	for (rh_day d = D("2024-01-01"); d <= D("2026-11-15") && ok; d++)
		for (int n = 1; n <= 30 && ok; n += 7) {
			rh_day to;
			cal_add_working_days(&cal, d, n, &to, NULL);
			ok = cal_count_working_days(&cal, d, to, NULL) == n && cal_is_working_day(&cal, to);
		}
	CHECK(ok);
}

static void test_unknown_year(void)
{
	t_case("X4 beyond the last known year only weekends are known, and the answer says so");
	int unc = 0;
	rh_day out;
	CHECK_INT(cal_add_working_days(&cal, D("2026-12-29"), 5, &out, &unc), 0);
	CHECK_INT(unc, 1);
	CHECK_INT(cal_is_working_day(&cal, D("2027-01-01")), 1);	/* a Friday, schedule unknown */
	unc = 0;
	cal_add_working_days(&cal, D("2026-12-01"), 5, &out, &unc);
	CHECK_INT(unc, 0);
	/* 2027's notice may still change 2026-12-25..31 (its 元旦 may begin
	 * there, as 2012's made 2011-12-31 a working Saturday): a count or
	 * deadline that looks at those days is not certain until 2027 is
	 * known (found in review). */
	static const struct { const char *from, *to; int unc; } dec[] = {
		{ "2026-12-18", "2026-12-24", 0 },	/* before the last week: 2026's alone */
		{ "2026-12-18", "2026-12-25", 1 },
		{ "2026-12-24", "2026-12-28", 1 },	/* over the Saturday 12-26 */
		{ "2026-12-28", "2026-12-18", 1 },	/* backwards too */
		{ "2025-12-20", "2025-12-31", 0 },	/* 2026 is known: certain */
	};
	for (size_t i = 0; i < sizeof dec / sizeof dec[0]; i++) {
		t_case("X4 counting %s to %s is %scertain while 2027's schedule is unknown", dec[i].from, dec[i].to,
		       dec[i].unc ? "un" : "");
		unc = 0;
		cal_count_working_days(&cal, D(dec[i].from), D(dec[i].to), &unc);
		CHECK_INT(unc, dec[i].unc);
	}
	t_case("X4 a deadline ending in the last week of December before an unknown year says it had to guess");
	unc = 0;
	CHECK_INT(cal_add_working_days(&cal, D("2026-12-21"), 4, &out, &unc), 0);
	CHECK_INT(out, D("2026-12-25"));
	CHECK_INT(unc, 1);
	int64_t due, from_t;
	datetime_parse("2026-12-21T10:00:00+08:00", 25, 480, &from_t);
	unc = 0;
	CHECK_INT(deadline_compute(&cal, from_t, DL_WORKING_DAYS, 5, 480, &due, &unc), 0);
	CHECK_INT(unc, 1);
	t_case("X4 importing 2027 makes its answers certain");
	struct calendar c2;
	cal_init(&c2);
	cal_set(&c2, D("2027-01-01"), CAL_HOLIDAY);
	cal_add_year(&c2, 2026);
	cal_add_year(&c2, 2027);
	unc = 0;
	CHECK_INT(cal_add_working_days(&c2, D("2026-12-31"), 1, &out, &unc), 0);
	CHECK_INT(out, D("2027-01-04"));
	CHECK_INT(unc, 0);
	cal_release(&c2);
}

static void test_deadline(void)
{
	static const struct { const char *from; const char *unit; int n; const char *want; } rows[] = {
		{ "2026-09-30T15:00:00+08:00", "working_days", 1, "2026-10-08T23:59:59+08:00" },
		{ "2026-09-30T15:00:00+08:00", "working_days", 3, "2026-10-10T23:59:59+08:00" },
		{ "2026-09-30T15:00:00+08:00", "calendar_days", 7, "2026-10-07T23:59:59+08:00" },
		{ "2026-09-30T15:00:00+08:00", "hours", 48, "2026-10-02T15:00:00+08:00" },
		{ "2026-09-30T15:00:00+08:00", "minutes", 10, "2026-09-30T15:10:00+08:00" },
		{ "2026-09-30T23:30:00Z", "working_days", 1, "2026-10-08T23:59:59+08:00" },	/* local date is 10-01 */
		{ "2026-09-30T15:59:59Z", "working_days", 1, "2026-10-08T23:59:59+08:00" },	/* local 09-30 23:59 */
		{ "2026-10-08T09:00:00+08:00", "working_days", 0, "2026-10-08T23:59:59+08:00" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("X4 deadline %s + %d %s = %s", rows[i].from, rows[i].n, rows[i].unit, rows[i].want);
		int64_t from, due;
		int u = 0;
		while (deadline_unit_names[u] && strcmp(deadline_unit_names[u], rows[i].unit) != 0) u++;
		CHECK(deadline_unit_names[u] != NULL);
		CHECK_INT(datetime_parse(rows[i].from, strlen(rows[i].from), 480, &from), 0);
		CHECK_INT(deadline_compute(&cal, from, (enum deadline_unit)u, rows[i].n, 480, &due, NULL), 0);
		char s[26];
		datetime_format(due, 480, s);
		CHECK_STR(s, rows[i].want);
	}
	t_case("X4 deadline rejects negative amounts");
	int64_t due;
	CHECK_INT(deadline_compute(&cal, 0, DL_HOURS, -1, 480, &due, NULL), -1);
	t_case("X4 a deadline past the year 9999 is refused, not wrapped round (found in review)");
	int64_t late;
	datetime_parse("9999-12-30T12:00:00+08:00", 25, 480, &late);
	CHECK_INT(deadline_compute(&cal, late, DL_CALENDAR_DAYS, 1, 480, &due, NULL), 0);
	CHECK_INT(deadline_compute(&cal, late, DL_CALENDAR_DAYS, 2, 480, &due, NULL), -1);
	CHECK_INT(deadline_compute(&cal, late, DL_WORKING_DAYS, 5, 480, &due, NULL), -1);
	CHECK_INT(deadline_compute(&cal, late, DL_HOURS, 48, 480, &due, NULL), -1);
}

static void test_parse(void)
{
	static const struct { const char *csv; int ok; long line; const char *field; size_t rows; } rows[] = {
		{ "date,kind,name\n2027-01-01,holiday,元旦\n", 1, 0, NULL, 1 },
		{ "\xEF\xBB\xBF" "date,kind,name\r\n2027-01-01,holiday,元旦\r\n\r\n2027-02-06,workday,春节\r\n", 1, 0, NULL, 2 },
		{ "date,kind,name\n\n\n2027-01-01,holiday,\"元旦, 新年\"\n", 1, 0, NULL, 1 },
		{ "date,kind,name\n2027-01-01,holiday,元旦", 1, 0, NULL, 1 },	/* no final newline */
		{ "", 0, 0, NULL, 0 },
		{ "date,kind,name\n", 1, 0, NULL, 0 },	/* found by fuzz_calendar_csv: no rows */
		/* found by fuzz_calendar_csv: 32 four-byte characters overflowed the name */
		{ "date,kind,name\n2027-01-01,holiday,𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀\n", 1, 0, NULL, 1 },
		{ "date,kind,name\n2027-01-01,holiday,\xff\xfe\n", 0, 2, "name", 0 },
		{ "day,kind,name\n2027-01-01,holiday,元旦\n", 0, 1, NULL, 0 },
		{ "date,kind,name\n2027-02-30,holiday,x\n", 0, 2, "date", 0 },
		{ "date,kind,name\n2027-01-01,holiday,a\n\n2027-01-04,workday,b\n", 0, 4, "kind", 0 },	/* a Monday */
		{ "date,kind,name\n2027-01-01,rest,a\n", 0, 2, "kind", 0 },
		{ "date,kind,name\n2027-01-01,holiday,a\n2027-01-01,holiday,b\n", 0, 3, "date", 0 },
		{ "date,kind,name\n2027-01-01,holiday\n", 0, 2, NULL, 0 },
		{ "date,kind,name\n2027-01-01,holiday,a,b\n", 0, 2, NULL, 0 },
		{ "date,kind,name\n2027-01-01,holiday,\"unterminated\n", 0, 2, NULL, 0 },
		{ "date,kind,name\n2027-01-01,holiday,一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三\n", 0, 2, "name", 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("X4 schedule file #%zu is %s", i, rows[i].ok ? "accepted" : "rejected with its line");
		struct cal_row *out = NULL;
		size_t n = 0;
		struct cal_parse_error err;
		enum rh_err rc = cal_parse_csv(rows[i].csv, strlen(rows[i].csv), &out, &n, &err);
		CHECK_INT(rc == RH_OK, rows[i].ok);
		if (rc == RH_OK) {
			CHECK_INT(n, rows[i].rows);
			free(out);
		} else {
			CHECK_INT(err.line, rows[i].line);
			CHECK(err.zh && err.en);
			if (rows[i].field) CHECK_STR(err.field, rows[i].field);
			else CHECK(err.field == NULL);
		}
	}
}

/* Which notice each row of a file belongs to: a 元旦 may begin in the
 * last week of the December before (2008's, 2012's and 2019's did). */
static void test_schedule_years(void)
{
	static const struct { const char *what, *csv; int years[6]; } rows[] = {
		{ "the 2019 notice: 2018-12-29 worked, 12-30 and 12-31 off, all 2019's",
		  "date,kind,name\n2018-12-29,workday,元旦\n2018-12-30,holiday,元旦\n2018-12-31,holiday,元旦\n"
		  "2019-01-01,holiday,元旦\n2019-02-02,workday,春节\n", { 2019, 2019, 2019, 2019, 2019 } },
		{ "the 2012 notice: 2011-12-31 worked is 2012's", "date,kind,name\n2011-12-31,workday,元旦\n2012-01-01,holiday,元旦\n",
		  { 2012, 2012 } },
		{ "2018 and 2019 in one file: each day to its notice",
		  "date,kind,name\n2018-02-11,workday,春节\n2018-12-29,workday,元旦\n2018-12-31,holiday,元旦\n2019-01-01,holiday,元旦\n",
		  { 2018, 2019, 2019, 2019 } },
		{ "a last-week December day without the next 1 January stays its year's",
		  "date,kind,name\n2026-12-31,holiday,公司假\n2027-01-04,holiday,x\n", { 2026, 2027 } },
		{ "a December day before the 25th stays its year's", "date,kind,name\n2026-12-24,holiday,x\n2027-01-01,holiday,元旦\n",
		  { 2026, 2027 } },
		{ "the shipped 2026 schedule's first days", "date,kind,name\n2026-01-01,holiday,元旦\n2026-01-04,workday,元旦\n",
		  { 2026, 2026 } },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("X4 schedule years: %s", rows[i].what);
		struct cal_row *out = NULL;
		size_t n = 0;
		struct cal_parse_error err;
		if (!CHECK(cal_parse_csv(rows[i].csv, strlen(rows[i].csv), &out, &n, &err) == RH_OK)) continue;
		for (size_t k = 0; k < n; k++) {
			CHECK_INT(out[k].year, rows[i].years[k]);
			CHECK(cal_in_schedule(out[k].day, out[k].year));
		}
		free(out);
	}
	static const struct { int y, m, d, year, in; } in[] = {
		{ 2026, 1, 1, 2026, 1 }, { 2026, 12, 31, 2026, 1 }, { 2025, 12, 25, 2026, 1 }, { 2025, 12, 24, 2026, 0 },
		{ 2025, 12, 31, 2026, 1 }, { 2027, 1, 1, 2026, 0 }, { 2024, 12, 31, 2026, 0 }, { 2025, 11, 30, 2026, 0 },
	};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		t_case("X4 %04d-%02d-%02d %s in the %d schedule", in[i].y, in[i].m, in[i].d, in[i].in ? "may be" : "is not", in[i].year);
		CHECK_INT(cal_in_schedule(date_from_ymd(in[i].y, in[i].m, in[i].d), in[i].year), in[i].in);
	}
}

int main(void)
{
	load_shipped();
	test_is_working_day();
	test_add();
	test_count();
	test_unknown_year();
	test_deadline();
	test_parse();
	test_schedule_years();
	cal_release(&cal);
	return t_done();
}
