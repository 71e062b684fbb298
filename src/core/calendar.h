/*
 * calendar.h — working days (工作日) on the mainland China calendar
 * (SPEC X4), pure and table-driven.
 *
 * A working day is Monday to Friday, unless the official schedule makes
 * it a holiday (法定节假日), plus the weekend days the schedule makes
 * working days (调休上班). The schedule is published year by year; a
 * struct calendar knows which years it has and flags every answer that
 * had to look at a year it does not know (only weekends are known there),
 * so a deadline is never silently wrong — the caller shows it as
 * uncertain until an admin imports that year.
 *
 * Counting follows Chinese practice for periods in days (民法典 第二百零一
 * 条: 开始的当日不计入): the start day is not counted; the Nth working day
 * after it is the last day, and a deadline in days ends at the end of
 * that day, local time.
 *
 * The struct owns its arrays; cal_release() frees them. It is read-only
 * after it is built, so one calendar may be shared between threads.
 */
#ifndef RUHU_CALENDAR_H
#define RUHU_CALENDAR_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/error.h"

enum cal_kind {
	CAL_NORMAL = 0,		/* no entry: weekday works, weekend rests */
	CAL_HOLIDAY = 1,	/* 放假 */
	CAL_WORKDAY = 2,	/* 调休上班 (a weekend day worked) */
};

struct cal_entry {
	rh_day day;
	enum cal_kind kind;
};

struct calendar {
	struct cal_entry *entries;	/* sorted by day, one per day */
	size_t n, cap;
	int *years;			/* years whose schedule is known, sorted */
	size_t nyears, years_cap;
};

void cal_init(struct calendar *c);
void cal_release(struct calendar *c);

/* Sets the kind of one day (CAL_NORMAL removes an entry). 0 or -1 (OOM). */
int cal_set(struct calendar *c, rh_day day, enum cal_kind kind);

/* Marks a year's schedule as known. 0 or -1 (OOM). */
int cal_add_year(struct calendar *c, int year);
int cal_year_known(const struct calendar *c, int year);

/* The kind stored for a day (CAL_NORMAL when none). */
enum cal_kind cal_kind_of(const struct calendar *c, rh_day day);

int cal_is_working_day(const struct calendar *c, rh_day day);

/* The nth working day after `from` (n > 0), before it (n < 0), or for
 * n == 0 `from` itself if it is a working day, else the next one.
 * *uncertain (may be NULL) becomes 1 if a day in an unknown year was
 * consulted (a day of 25-31 December also needs the next year known:
 * see cal_in_schedule). |n| is at most 100000. Returns 0, or -1 for a bad n. */
int cal_add_working_days(const struct calendar *c, rh_day from, int n, rh_day *out,
			 int *uncertain);

/* Working days d with from < d <= to; negative when to < from. So
 * cal_count_working_days(c, d, cal_add_working_days(c, d, n)) == n. */
int cal_count_working_days(const struct calendar *c, rh_day from, rh_day to, int *uncertain);

/* Deadlines from an instant. Days (working or calendar) end at the end of
 * the last day, local time; hours and minutes are wall-clock time.
 * Returns -1 for a bad amount or a deadline past the year 9999. */
enum deadline_unit { DL_MINUTES, DL_HOURS, DL_CALENDAR_DAYS, DL_WORKING_DAYS };

int deadline_compute(const struct calendar *c, int64_t from, enum deadline_unit unit,
		     int amount, int offset_min, int64_t *due, int *uncertain);

/* The units' names, indexed by enum deadline_unit, NULL-terminated (the
 * API's choices). */
extern const char *const deadline_unit_names[];

/* "holiday" or "workday", as stored and sent. */
const char *cal_kind_code(enum cal_kind k);

/* One row of a schedule file: "date,kind,name" with kind holiday|workday. */
struct cal_row {
	rh_day day;
	enum cal_kind kind;
	char name[32 * 4 + 1];	/* up to 32 characters of UTF-8 */
	long line;
	int year;		/* the schedule (notice) it belongs to: see cal_in_schedule() */
};

/* Whether day may belong to the schedule of year: a day of that year, or
 * one of the last week of December before it. A State Council notice is
 * for one year, but its 元旦 may begin in the December before: 2019's
 * has 2018-12-29 worked (调休) and 12-30, 12-31 off; 2012's 2011-12-31
 * worked; 2008's 2007-12-29 worked and 12-30, 12-31 off. */
#define CAL_DECEMBER_FROM 25
int cal_in_schedule(rh_day day, int year);

/* The years a schedule may be imported for, from the API or the command
 * line alike: the State Council's notices, past and to come. */
#define CAL_IMPORT_YEAR_MIN 2000
#define CAL_IMPORT_YEAR_MAX 2100

/* What was wrong with a schedule file, for the import's reply. */
struct cal_parse_error {
	long line;		/* 1-based line of the file, 0 for the whole file */
	const char *field;	/* "date", "kind", "name" or NULL */
	const char *zh, *en;	/* the reason */
};

/* Parses a schedule CSV (header "date,kind,name", UTF-8, optional BOM)
 * into rows sorted by day, each with the year of the schedule it belongs
 * to: its own, but the last week of December goes with the next year
 * when the file holds that year's 1 January (its 元旦), so that a file
 * of several years is split into their notices. On success *rows is malloc'ed (free() it) and
 * RH_OK returned; on the first bad line RH_ERR_FIELD_INVALID with *err
 * filled and nothing allocated. Checks: real dates, known kinds, a
 * workday only on a weekend, no date twice. */
enum rh_err cal_parse_csv(const char *data, size_t len, struct cal_row **rows, size_t *nrows,
			  struct cal_parse_error *err);

/* A row as JSON {"date", "kind", "name"}; the caller owns it. */
json_t *cal_row_to_json(const struct cal_row *r);

#endif
