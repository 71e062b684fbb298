/*
 * date.h — civil dates and times, pure arithmetic with no time-zone
 * database and no global state.
 *
 * A date is a day number (days since 1970-01-01 in the proleptic
 * Gregorian calendar); a time is integer epoch seconds, the form the store
 * keeps (portable across SQLite and PostgreSQL). A tenant's local time is
 * a fixed offset from UTC in minutes: mainland China has had no daylight
 * saving since 1991, so Asia/Shanghai is exactly +08:00 (480).
 */
#ifndef RUHU_DATE_H
#define RUHU_DATE_H
#include <stddef.h>
#include <stdint.h>

typedef int32_t rh_day;

#define RH_DATE_MIN_YEAR 1900
#define RH_DATE_MAX_YEAR 9999
#define RH_TZ_SHANGHAI 480

rh_day date_from_ymd(int y, int m, int d);
void date_to_ymd(rh_day day, int *y, int *m, int *d);
int date_year(rh_day day);

/* ISO weekday: 1 = Monday … 7 = Sunday. */
int date_weekday(rh_day day);

int date_days_in_month(int y, int m);

/* Parses exactly "YYYY-MM-DD" (len bytes); 0 on success, -1 if the text is
 * not that shape or the date does not exist (2026-02-30). */
int date_parse(const char *s, size_t len, rh_day *out);

/* Writes "YYYY-MM-DD" and a NUL. */
void date_format(rh_day day, char out[11]);

/* Parses "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]" (a space may replace T;
 * the fraction, 1 to 9 digits after '.' or ',', is dropped), or a date
 * "YYYY-MM-DD" alone, which is its midnight. Without a zone the time is
 * local to default_offset_min. 0 on success, -1 if bad. */
int datetime_parse(const char *s, size_t len, int default_offset_min, int64_t *epoch);

/* Writes "YYYY-MM-DDTHH:MM:SS+08:00" (or Z for offset 0) and a NUL. */
void datetime_format(int64_t epoch, int offset_min, char out[26]);
/* The same as a person reads it and a spreadsheet takes it for a time:
 * "2026-12-07 19:23:32", in the zone given (which the export's header
 * or the organisation's settings say). */
void datetime_format_local(int64_t epoch, int offset_min, char out[20]);

/* The local date at an instant, and the instant a local date begins. */
rh_day date_of(int64_t epoch, int offset_min);
int64_t date_start(rh_day day, int offset_min);

#endif
