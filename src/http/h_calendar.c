/*
 * h_calendar.c — the working-day calendar (SPEC X4): the schedules in
 * force, importing a year, and the deadline calculation every module and
 * the UI use, so a deadline is computed in exactly one place.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/date.h"
#include "http/handlers.h"


enum { CI_VERSION, CI_CSV, CI_REASON };
static const struct field import_fields[] = {
	[CI_VERSION] = { "version", FT_INT, F_REQUIRED, 0, INT32_MAX, NULL, NULL, "版本", "version" },
	[CI_CSV] = { "csv", FT_TEXT, F_REQUIRED, 1, 20000, NULL, NULL, "节假日 CSV", "schedule CSV" },
	[CI_REASON] = { "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" },
};
const struct schema calendar_import_body = SCHEMA(import_fields);

enum { CD_FROM, CD_AMOUNT, CD_UNIT };
static const struct field deadline_fields[] = {
	[CD_FROM] = { "from", FT_DATETIME, 0, 0, 0, NULL, NULL, "起算时间", "start" },
	[CD_AMOUNT] = { "amount", FT_INT, F_REQUIRED, 0, 3650, NULL, NULL, "期限数量", "amount" },
	[CD_UNIT] = { "unit", FT_ENUM, F_REQUIRED, 0, 0, deadline_unit_names, NULL, "期限单位", "unit" },
};
const struct schema calendar_deadline_query = SCHEMA(deadline_fields);

enum { CC_FROM, CC_TO };
static const struct field count_fields[] = {
	[CC_FROM] = { "from", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, "起始日期", "from" },
	[CC_TO] = { "to", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, "截止日期", "to" },
};
const struct schema calendar_count_query = SCHEMA(count_fields);


static int add_year(const struct cal_year *y, void *arg)
{
	json_array_append_new(arg, json_pack("{s:i, s:b, s:s, s:b, s:i, s:I, s:s}", "year", y->year, "own", y->own,
					     "source", y->source, "shipped", y->shipped, "days", y->days, "imported_at",
					     (json_int_t)y->imported_at, "imported_by", y->imported_by));
	return 0;
}

enum rh_err h_calendar_years(struct rh_req *r)
{
	json_t *items = json_array();
	enum rh_err rc = store_calendar_years(req_db(r), r->sess.tenant_id, add_year, items);
	if (rc != RH_OK) {
		json_decref(items);
		return req_fail(r, rc, NULL);
	}
	return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

static int add_day(const struct cal_row *d, void *arg)
{
	json_array_append_new(arg, cal_row_to_json(d));
	return 0;
}

struct year_info {
	int year;
	int found, own;
	int64_t version;
};

static int find_year(const struct cal_year *y, void *arg)
{
	struct year_info *yi = arg;
	if (y->year != yi->year) return 0;
	yi->found = 1;
	yi->own = y->own;
	yi->version = y->version;
	return 1;
}

enum rh_err h_calendar_year(struct rh_req *r)
{
	if (r->path_id < RH_DATE_MIN_YEAR || r->path_id > RH_DATE_MAX_YEAR) return req_fail(r, RH_ERR_NOT_FOUND, "year");
	int year = (int)r->path_id;
	struct year_info yi = { .year = year };
	struct calendar cal;
	json_t *days = json_array();
	enum rh_err rc = store_calendar_years(req_db(r), r->sess.tenant_id, find_year, &yi);
	if (rc == RH_OK) rc = store_calendar_days(r->db, r->sess.tenant_id, year, add_day, days);
	if (rc == RH_OK) rc = store_calendar_load(r->db, r->sess.tenant_id, &cal);
	if (rc != RH_OK) {
		json_decref(days);
		return req_fail(r, rc, NULL);
	}
	rh_day first = date_from_ymd(year, 1, 1);
	int working = cal_count_working_days(&cal, first - 1, date_from_ymd(year, 12, 31), NULL);
	cal_release(&cal);
	/* version: of the organisation's own schedule for the year (0: it has
	 * none), which an import must name. */
	return reply_json(r, 200, json_pack("{s:i, s:b, s:b, s:I, s:i, s:o}", "year", year, "known", yi.found, "own",
					    yi.own, "version", (json_int_t)(yi.own ? yi.version : 0), "working_days",
					    working, "days", days));
}

enum rh_err h_calendar_import(struct rh_req *r)
{
	/* A year outside those the calendar can hold is a bad value, not a
	 * missing record: nothing could ever be found there. */
	if (r->path_id < CAL_IMPORT_YEAR_MIN || r->path_id > CAL_IMPORT_YEAR_MAX) {
		req_fail(r, RH_ERR_FIELD_RANGE, "year");
		r->fail.label_zh = "年份";
		r->fail.label_en = "year";
		r->fail.detail_zh = "允许 2000 至 2100";	/* as validate.c says a range */
		r->fail.detail_en = "from 2000 to 2100";
		return RH_ERR_FIELD_RANGE;
	}
	int year = (int)r->path_id;
	const char *csv = in_str(r, CI_CSV);
	struct cal_row *rows = NULL;
	size_t n = 0;
	struct cal_parse_error perr;
	enum rh_err rc = cal_parse_csv(csv, strlen(csv), &rows, &n, &perr);
	if (rc != RH_OK) {
		req_fail_in(r, rc, CI_CSV);
		r->fail.line = perr.line;
		r->fail.detail_zh = perr.zh;
		r->fail.detail_en = perr.en;
		return rc;
	}
	/* the year's days, and its 元旦's in the last week of the December before */
	for (size_t i = 0; i < n; i++)
		if (!cal_in_schedule(rows[i].day, year)) {
			req_fail_in(r, RH_ERR_FIELD_INVALID, CI_CSV);
			r->fail.line = rows[i].line;
			r->fail.detail_zh = "日期不在所导入年份的安排内（该年，或上年 12 月 25 日起的元旦调休）";
			r->fail.detail_en = "the date is not in the schedule of the year being imported (that year, or its New Year from 25 December before)";
			free(rows);
			return RH_ERR_FIELD_INVALID;
		}
	struct actor a = req_actor(r, in_str(r, CI_REASON));
	char *source = arena_printf(r->arena, "uploaded by %s", r->sess.user.username);
	if (n == 0) {
		free(rows);
		return req_fail_why(r, RH_ERR_FIELD_INVALID, CI_CSV, "文件中没有任何日期", "the file holds no days");
	}
	rc = store_calendar_import(req_db(r), &a, r->sess.tenant_id, year, rows, n, source ? source : "upload",
				   in_int(r, CI_VERSION, 0), &r->fail);
	free(rows);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, json_pack("{s:i, s:i, s:b}", "year", year, "days", (int)n, "own", 1));
}

enum rh_err h_calendar_deadline(struct rh_req *r)
{
	int tz = req_tz(r);
	int64_t from = r->q[CD_FROM].present ? r->q[CD_FROM].i : (int64_t)time(NULL);
	enum deadline_unit unit = (enum deadline_unit)r->q[CD_UNIT].i;
	int amount = (int)r->q[CD_AMOUNT].i, uncertain = 0;
	struct calendar cal;
	enum rh_err rc = store_calendar_load(req_db(r), r->sess.tenant_id, &cal);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	int64_t due = 0;
	int bad = deadline_compute(&cal, from, unit, amount, tz, &due, &uncertain);
	cal_release(&cal);
	/* the amount is in its range: a due past what a date holds is the start's */
	if (bad && r->q[CD_FROM].present) {
		req_fail(r, RH_ERR_FIELD_RANGE, "from");
		r->fail.detail_zh = "期限的结束时间超出可计算的范围（9999 年以后）";
		r->fail.detail_en = "the deadline would end past what can be counted (after the year 9999)";
		return RH_ERR_FIELD_RANGE;
	}
	if (bad) return req_fail(r, RH_ERR_FIELD_RANGE, "amount");
	char f[26], d[26];
	datetime_format(from, tz, f);
	datetime_format(due, tz, d);
	return reply_json(r, 200, json_pack("{s:s, s:I, s:i, s:s, s:s, s:I, s:b}", "from", f, "from_epoch",
					    (json_int_t)from, "amount", amount, "unit", deadline_unit_names[unit], "due", d,
					    "due_epoch", (json_int_t)due, "uncertain", uncertain));
}

enum rh_err h_calendar_count(struct rh_req *r)
{
	rh_day from = (rh_day)r->q[CC_FROM].i, to = (rh_day)r->q[CC_TO].i;
	/* at most ten years apart, as the calendar counts them: 2026-01-01 to 2036-01-01 */
	int y, m, d;
	date_to_ymd(from < to ? from : to, &y, &m, &d);
	rh_day limit = date_from_ymd(y + 10, m, m == 2 && d == 29 ? 28 : d);
	if ((from < to ? to : from) > limit) {
		req_fail(r, RH_ERR_FIELD_RANGE, "to");
		r->fail.detail_zh = "两个日期最多相隔十年";
		r->fail.detail_en = "the two days are at most ten years apart";
		return RH_ERR_FIELD_RANGE;
	}
	struct calendar cal;
	enum rh_err rc = store_calendar_load(req_db(r), r->sess.tenant_id, &cal);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	int uncertain = 0;
	int n = cal_count_working_days(&cal, from, to, &uncertain);
	cal_release(&cal);
	return reply_json(r, 200, json_pack("{s:s, s:s, s:i, s:b}", "from", param_str(r, CC_FROM), "to",
					    param_str(r, CC_TO), "working_days", n, "uncertain", uncertain));
}
