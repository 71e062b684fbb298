/*
 * test_date.c — civil date and time arithmetic (core/date.c).
 */
#include "harness.h"
#include "core/date.h"

static void test_roundtrip(void)
{
	t_case("day numbers round-trip every day from 1900 to 2200");
	int ok = 1;
	rh_day prev = date_from_ymd(1899, 12, 31);
	for (int y = 1900; y <= 2200 && ok; y++)
		for (int m = 1; m <= 12 && ok; m++)
			for (int d = 1; d <= date_days_in_month(y, m) && ok; d++) {
				rh_day day = date_from_ymd(y, m, d);
				int yy, mm, dd;
				date_to_ymd(day, &yy, &mm, &dd);
				ok = day == prev + 1 && yy == y && mm == m && dd == d;
				prev = day;
			}
	CHECK(ok);
	CHECK_INT(date_from_ymd(1970, 1, 1), 0);
}

static void test_weekday(void)
{
	static const struct { int y, m, d, wd; } rows[] = {
		{ 1970, 1, 1, 4 }, { 2026, 11, 23, 1 }, { 2026, 10, 1, 4 }, { 2026, 10, 10, 6 },
		{ 2026, 9, 20, 7 }, { 2000, 2, 29, 2 }, { 1969, 12, 31, 3 }, { 1900, 1, 1, 1 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("weekday of %04d-%02d-%02d", rows[i].y, rows[i].m, rows[i].d);
		CHECK_INT(date_weekday(date_from_ymd(rows[i].y, rows[i].m, rows[i].d)), rows[i].wd);
	}
}

static void test_parse_date(void)
{
	static const struct { const char *s; int ok; } rows[] = {
		{ "2026-10-01", 1 }, { "2024-02-29", 1 }, { "2025-02-29", 0 }, { "2026-13-01", 0 },
		{ "2026-00-10", 0 }, { "2026-04-31", 0 }, { "2026-4-01", 0 }, { "2026/04/01", 0 },
		{ "20260401", 0 }, { "", 0 }, { "2026-04-01x", 0 }, { "1899-12-31", 0 },
		{ "10000-01-01", 0 }, { "２０２６-04-01", 0 }, { "2026-04-0 ", 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("date_parse(\"%s\") %s", rows[i].s, rows[i].ok ? "accepts" : "rejects");
		rh_day d;
		int rc = date_parse(rows[i].s, strlen(rows[i].s), &d);
		CHECK_INT(rc == 0, rows[i].ok);
		if (rows[i].ok) {
			char out[11];
			date_format(d, out);
			CHECK_STR(out, rows[i].s);
		}
	}
}

static void test_datetime(void)
{
	static const struct { const char *s; int ok; long long epoch; const char *back; } rows[] = {
		{ "2026-09-30T15:00:00+08:00", 1, 1790751600LL, "2026-09-30T15:00:00+08:00" },
		{ "2026-09-30T07:00:00Z", 1, 1790751600LL, "2026-09-30T15:00:00+08:00" },
		{ "2026-09-30 15:00", 1, 1790751600LL, "2026-09-30T15:00:00+08:00" },
		{ "2026-09-30T15:00:00-05:30", 1, 1790751600LL + 48600, NULL },
		{ "1970-01-01T08:00:00+08:00", 1, 0, "1970-01-01T08:00:00+08:00" },
		{ "2026-09-30T24:00:00+08:00", 0, 0, NULL },
		{ "2026-09-30T15:60", 0, 0, NULL },
		{ "2026-09-30T15:00:00+8:00", 0, 0, NULL },
		{ "2026-09-30T15:00:00+08:00x", 0, 0, NULL },
		{ "2026-09-30", 1, 1790697600LL, "2026-09-30T00:00:00+08:00" },	/* a date: local midnight */
		{ "2026-09-3", 0, 0, NULL },
		{ "2026-02-30", 0, 0, NULL },
		{ "2026-09-30T", 0, 0, NULL },
		{ "2026-02-30T10:00", 0, 0, NULL },
		/* fractions of a second (JavaScript's toISOString()), dropped */
		{ "2026-09-30T07:00:00.000Z", 1, 1790751600LL, "2026-09-30T15:00:00+08:00" },
		{ "2026-09-30T15:00:00.999999+08:00", 1, 1790751600LL, NULL },
		{ "2026-09-30T15:00:00,5", 1, 1790751600LL, NULL },
		{ "2026-09-30T15:00:00.Z", 0, 0, NULL },
		{ "2026-09-30T15:00.5Z", 0, 0, NULL },
		{ "2026-09-30T15:00:00.1234567890Z", 0, 0, NULL },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("datetime_parse(\"%s\")", rows[i].s);
		int64_t e;
		int rc = datetime_parse(rows[i].s, strlen(rows[i].s), RH_TZ_SHANGHAI, &e);
		CHECK_INT(rc == 0, rows[i].ok);
		if (rows[i].ok) CHECK_INT(e, rows[i].epoch);
		if (rows[i].back) {
			char out[26];
			datetime_format(e, RH_TZ_SHANGHAI, out);
			CHECK_STR(out, rows[i].back);
		}
	}
	t_case("date_of and date_start respect the +08:00 offset");
	int64_t e;
	datetime_parse("2026-10-01T00:30:00+08:00", 25, 0, &e);
	CHECK_INT(date_of(e, RH_TZ_SHANGHAI), date_from_ymd(2026, 10, 1));
	CHECK_INT(date_of(e, 0), date_from_ymd(2026, 9, 30));
	CHECK_INT(date_start(date_from_ymd(2026, 10, 1), RH_TZ_SHANGHAI), e - 1800);
	char out[26];
	datetime_format(-1, 0, out);
	CHECK_STR(out, "1969-12-31T23:59:59Z");
}

int main(void)
{
	test_roundtrip();
	test_weekday();
	test_parse_date();
	test_datetime();
	return t_done();
}
