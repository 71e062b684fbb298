/*
 * fuzz_calendar_csv.c — libFuzzer target for the holiday schedule parser
 * (uploaded by admins, SPEC X4). Accepted rows must be real dates in
 * order, each kind known, no date twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include "core/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cal_row *rows = NULL;
	size_t n = 0;
	struct cal_parse_error err;
	if (cal_parse_csv((const char *)data, size, &rows, &n, &err) == RH_OK) {
		for (size_t i = 0; i < n; i++) {
			if (rows[i].kind != CAL_HOLIDAY && rows[i].kind != CAL_WORKDAY) abort();
			if (i > 0 && rows[i].day <= rows[i - 1].day) abort();
			if (rows[i].kind == CAL_WORKDAY && date_weekday(rows[i].day) <= 5) abort();
		}
		free(rows);
	} else if (!err.zh || !err.en) {
		abort();
	}
	return 0;
}
