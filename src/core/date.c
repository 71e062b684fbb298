/*
 * date.c — civil date arithmetic (see date.h).
 *
 * The day-number conversions are the well-known era-based algorithms
 * (400-year cycles of 146097 days); they are exact for every year ruhu
 * accepts and need no tables.
 */
#include <stdio.h>
#include <string.h>
#include "core/date.h"

rh_day date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const int yoe = y - era * 400;
	const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(rh_day day, int *y, int *m, int *d)
{
	const int z = day + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const int doe = z - era * 146097;
	const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int date_year(rh_day day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return y;
}

int date_weekday(rh_day day)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (day + 3) % 7;
	if (w < 0) w += 7;
	return w + 1;
}

int date_days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
	return days[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int date_parse(const char *s, size_t len, rh_day *out)
{
	int y, m, d;
	if (len != 10 || s[4] != '-' || s[7] != '-') return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d)) return -1;
	if (y < RH_DATE_MIN_YEAR || y > RH_DATE_MAX_YEAR || m < 1 || m > 12) return -1;
	if (d < 1 || d > date_days_in_month(y, m)) return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

/* Writes n decimal digits of v (zero-padded) at p. */
static char *put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10) p[i] = (char)('0' + v % 10);
	return p + n;
}

void date_format(rh_day day, char out[11])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	char *p = put_digits(out, y < 0 ? 0 : y % 10000, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p = '\0';
}

int datetime_parse(const char *s, size_t len, int default_offset_min, int64_t *epoch)
{
	rh_day day;
	int hh, mm, ss = 0, off = default_offset_min;
	if (len == 10 && date_parse(s, 10, &day) == 0) {	/* a day alone: its start, local time */
		*epoch = (int64_t)day * 86400 - (int64_t)off * 60;
		return 0;
	}
	if (len < 16 || date_parse(s, 10, &day)) return -1;
	if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':') return -1;
	if (digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm) || hh > 23 || mm > 59) return -1;
	size_t i = 16;
	if (i < len && s[i] == ':') {
		if (len < 19 || digits(s + 17, 2, &ss) || ss > 59) return -1;
		i = 19;
		if (i < len && (s[i] == '.' || s[i] == ',')) {	/* a fraction: 1 to 9 digits, dropped */
			size_t f = ++i;
			while (i < len && i - f < 10 && s[i] >= '0' && s[i] <= '9') i++;
			if (i == f || i - f > 9) return -1;
		}
	}
	if (i < len) {
		if (s[i] == 'Z' && i + 1 == len) {
			off = 0;
		} else if ((s[i] == '+' || s[i] == '-') && i + 6 == len && s[i + 3] == ':') {
			int oh, om;
			if (digits(s + i + 1, 2, &oh) || digits(s + i + 4, 2, &om) || oh > 14 || om > 59)
				return -1;
			off = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
		} else {
			return -1;
		}
	}
	*epoch = (int64_t)day * 86400 + hh * 3600 + mm * 60 + ss - (int64_t)off * 60;
	return 0;
}

void datetime_format_local(int64_t epoch, int offset_min, char out[20])
{
	char iso[26];
	datetime_format(epoch, offset_min, iso);
	memcpy(out, iso, 19);	/* "2026-12-07T19:23:32", the zone after it dropped */
	out[10] = ' ';
	out[19] = '\0';
}

void datetime_format(int64_t epoch, int offset_min, char out[26])
{
	int64_t local = epoch + (int64_t)offset_min * 60;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t secs = local - days * 86400;
	date_format((rh_day)days, out);
	char *p = out + 10;
	*p++ = 'T';
	p = put_digits(p, (int)(secs / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (int)(secs / 60 % 60), 2);
	*p++ = ':';
	p = put_digits(p, (int)(secs % 60), 2);
	if (offset_min == 0) {
		*p++ = 'Z';
	} else {
		int a = offset_min < 0 ? -offset_min : offset_min;
		*p++ = offset_min < 0 ? '-' : '+';
		p = put_digits(p, a / 60 % 100, 2);
		*p++ = ':';
		p = put_digits(p, a % 60, 2);
	}
	*p = '\0';
}

rh_day date_of(int64_t epoch, int offset_min)
{
	int64_t local = epoch + (int64_t)offset_min * 60;
	return (rh_day)(local >= 0 ? local / 86400 : -((-local + 86399) / 86400));
}

int64_t date_start(rh_day day, int offset_min)
{
	return (int64_t)day * 86400 - (int64_t)offset_min * 60;
}
