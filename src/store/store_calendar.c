/*
 * store_calendar.c — the holiday schedules behind the working-day
 * calendar (SPEC X4).
 *
 * Tenant 0 holds the official schedule, loaded at start from the copy of
 * the State Council notices compiled into the binary (data/cn_holidays.csv)
 * and extendable with `ruhu calendar import`. A tenant may import a year
 * itself; for that year its own schedule then replaces the official one.
 * Every import is audited with the days before and after (before: the
 * days that were in force, the official ones for a year the organisation
 * had not imported).
 *
 * A year's schedule is its notice's: the days it lists are kept under its
 * year, also those of the December before it (a 元旦 beginning on
 * 12-29, core/calendar.h), so that importing one year never replaces
 * another's days — nor takes one over: a day another year lists is
 * refused until that year is imported again without it.
 */
#include <stdio.h>
#include <stdlib.h>
#include "base/asset.h"
#include "base/log.h"
#include "store/store_internal.h"

static const struct sql Q_YEARS = {
	"SELECT tenant_id, year, source, days, imported_at, imported_by, version FROM calendar_years"
	" WHERE tenant_id = 0 OR tenant_id = $1 ORDER BY year, tenant_id"
};
static const struct sql Q_YEAR_VERSION = {
	"SELECT version FROM calendar_years WHERE tenant_id = $1 AND year = $2"
};
static const struct sql Q_ALL_DAYS = {
	"SELECT tenant_id, day, kind, year FROM calendar_days WHERE tenant_id = 0 OR tenant_id = $1"
	" ORDER BY tenant_id, day"	/* the organisation's own days last: they win a day both list */
};
static const struct sql Q_OWN_YEAR = {
	"SELECT COUNT(*) FROM calendar_years WHERE tenant_id = $1 AND year = $2"
};
static const struct sql Q_YEAR_DAYS = {
	"SELECT day, kind, name FROM calendar_days WHERE tenant_id = $1 AND year = $2 ORDER BY day"
};
static const struct sql Q_DELETE_YEAR = {
	"DELETE FROM calendar_days WHERE tenant_id = $1 AND year = $2"
};
static const struct sql Q_INSERT_DAY = {
	"INSERT INTO calendar_days (tenant_id, day, year, kind, name) VALUES ($1, $2, $3, $4, $5)"
};
/* A day another of the tenant's schedules lists (its own December 25-31,
 * named again by the next year's 元旦): that year would lose it without
 * an entry of its own in the trail — or be left known with no day at all. */
static const struct sql Q_DAY_ELSEWHERE = {
	"SELECT year FROM calendar_days WHERE tenant_id = $1 AND day = $2 AND year <> $3"
};
static const struct sql Q_UPSERT_YEAR = {
	"INSERT INTO calendar_years (tenant_id, year, source, days, imported_at, imported_by)"
	" VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, year) DO UPDATE SET"
	" source = excluded.source, days = excluded.days, imported_at = excluded.imported_at,"
	" imported_by = excluded.imported_by, version = calendar_years.version + 1"
};

static enum cal_kind kind_parse(const char *s) { return strcmp(s, "workday") == 0 ? CAL_WORKDAY : CAL_HOLIDAY; }

/* A set of years (those a tenant has its own schedule for): a bit each. */
struct own_years {
	unsigned char bits[(RH_DATE_MAX_YEAR - RH_DATE_MIN_YEAR) / 8 + 1];
};

static void own_add(struct own_years *o, int year)
{
	if (year < RH_DATE_MIN_YEAR || year > RH_DATE_MAX_YEAR) return;
	o->bits[(year - RH_DATE_MIN_YEAR) / 8] |= (unsigned char)(1u << ((year - RH_DATE_MIN_YEAR) % 8));
}

static int owns(const struct own_years *o, int year)
{
	if (year < RH_DATE_MIN_YEAR || year > RH_DATE_MAX_YEAR) return 0;
	return (o->bits[(year - RH_DATE_MIN_YEAR) / 8] >> ((year - RH_DATE_MIN_YEAR) % 8)) & 1;
}

static enum rh_err load_years(struct db *db, int64_t tenant_id, struct calendar *cal, struct own_years *own)
{
	struct db_stmt *st = q_bind(db, &Q_YEARS, "I", tenant_id);
	if (!st) return q_unprepared(db);
	enum db_step s;
	enum rh_err rc = RH_OK;
	while ((s = q_step(db, st)) == DB_ROW && rc == RH_OK) {
		int year = (int)q_int(db, st, 1);
		if (q_int(db, st, 0) != 0 && tenant_id != 0) own_add(own, year);
		if (cal && cal_add_year(cal, year) != 0) rc = RH_ERR_NOMEM;
	}
	q_finish(db, st);
	return s == DB_ERROR ? q_error(db, "calendar years") : rc;
}

enum rh_err store_calendar_load(struct db *db, int64_t tenant_id, struct calendar *out)
{
	struct own_years own;
	memset(&own, 0, sizeof own);
	cal_init(out);
	enum rh_err rc = load_years(db, tenant_id, out, &own);
	struct db_stmt *st = rc == RH_OK ? q_bind(db, &Q_ALL_DAYS, "I", tenant_id) : NULL;
	if (rc == RH_OK && !st) rc = q_unprepared(db);
	if (rc == RH_OK) {
		enum db_step s;
		while ((s = q_step(db, st)) == DB_ROW && rc == RH_OK) {
			int64_t t = q_int(db, st, 0);
			const char *text = q_text(db, st, 1);
			rh_day day;
			if (date_parse(text, strlen(text), &day) != 0) continue;	/* hand-edited junk */
			/* the official day, unless the tenant has its own schedule for its year */
			if (t == 0 && owns(&own, (int)q_int(db, st, 3))) continue;
			if (cal_set(out, day, kind_parse(q_text(db, st, 2))) != 0) rc = RH_ERR_NOMEM;
		}
		q_finish(db, st);
		if (s == DB_ERROR) rc = q_error(db, "calendar days");
	}
	if (rc != RH_OK) cal_release(out);
	return rc;
}

enum rh_err store_calendar_years(struct db *db, int64_t tenant_id, int (*fn)(const struct cal_year *, void *),
				 void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_YEARS, "I", tenant_id);
	if (!st) return q_unprepared(db);
	/* Rows come by year, official (tenant 0) first: a tenant's own row
	 * for the same year replaces the official one. */
	struct cal_year cur = { .year = 0 }, next;
	enum db_step s;
	int stop = 0;
	while (!stop && (s = q_step(db, st)) == DB_ROW) {
		memset(&next, 0, sizeof next);
		next.own = q_int(db, st, 0) != 0 && tenant_id != 0;
		next.year = (int)q_int(db, st, 1);
		q_copy(db, st, 2, next.source, sizeof next.source);
		next.days = (int)q_int(db, st, 3);
		next.imported_at = q_int(db, st, 4);
		q_copy(db, st, 5, next.imported_by, sizeof next.imported_by);
		next.version = q_int(db, st, 6);
		next.shipped = !next.own && strcmp(next.source, calendar_shipped_source) == 0;
		if (cur.year && cur.year != next.year) stop = fn(&cur, arg);
		cur = next;
	}
	q_finish(db, st);
	if (s == DB_ERROR) return q_error(db, "calendar years");
	if (!stop && cur.year) fn(&cur, arg);
	return RH_OK;
}

/* Whose schedule is in force for a year: the tenant's or the official one. */
static enum rh_err source_tenant(struct db *db, int64_t tenant_id, int year, int64_t *src)
{
	struct db_stmt *st = q_bind(db, &Q_OWN_YEAR, "Ii", tenant_id, year);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) *src = q_int(db, st, 0) > 0 ? tenant_id : 0;
	q_finish(db, st);
	return s == DB_ROW ? RH_OK : q_error(db, "calendar source");
}

/* Calls fn for each stored day of one tenant's schedule for a year. */
static enum rh_err each_day(struct db *db, int64_t tenant_id, int year, int (*fn)(const struct cal_row *, void *),
			    void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_YEAR_DAYS, "Ii", tenant_id, year);
	if (!st) return q_unprepared(db);
	enum db_step s;
	struct cal_row r;
	while ((s = q_step(db, st)) == DB_ROW) {
		memset(&r, 0, sizeof r);
		const char *text = q_text(db, st, 0);
		if (date_parse(text, strlen(text), &r.day) != 0) continue;	/* hand-edited junk */
		r.kind = kind_parse(q_text(db, st, 1));
		q_copy(db, st, 2, r.name, sizeof r.name);
		if (fn(&r, arg)) break;
	}
	q_finish(db, st);
	return s == DB_ERROR ? q_error(db, "calendar days") : RH_OK;
}

enum rh_err store_calendar_days(struct db *db, int64_t tenant_id, int year,
				int (*fn)(const struct cal_row *, void *), void *arg)
{
	int64_t src = 0;
	enum rh_err rc = source_tenant(db, tenant_id, year, &src);
	return rc == RH_OK ? each_day(db, src, year, fn, arg) : rc;
}

static int add_day_json(const struct cal_row *r, void *arg)
{
	json_array_append_new(arg, cal_row_to_json(r));
	return 0;
}

/* The version of a tenant's own schedule for a year; 0 when it has none. */
static enum rh_err year_version(struct db *db, int64_t tenant_id, int year, int64_t *version)
{
	struct db_stmt *st = q_bind(db, &Q_YEAR_VERSION, "Ii", tenant_id, year);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	*version = s == DB_ROW ? q_int(db, st, 0) : 0;
	q_finish(db, st);
	return s == DB_ERROR ? q_error(db, "calendar version") : RH_OK;
}

enum rh_err store_calendar_import(struct db *db, const struct actor *a, int64_t tenant_id, int year,
				  const struct cal_row *rows, size_t n, const char *source, int64_t version,
				  struct rh_fail *fail)
{
	/* An empty schedule would make the year "known" without a single
	 * holiday: every deadline in it wrong, and none flagged uncertain. */
	if (n == 0) return rh_fail_field(fail, RH_ERR_FIELD_INVALID, "csv");
	for (size_t i = 0; i < n; i++)
		if (!cal_in_schedule(rows[i].day, year)) return rh_fail_field(fail, RH_ERR_FIELD_INVALID, "year");
	json_t *before = json_array(), *after = json_array();
	if (!before || !after) {
		json_decref(before);
		json_decref(after);
		return RH_ERR_NOMEM;
	}
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) {
		json_decref(before);
		json_decref(after);
		return rc;
	}
	if (version >= 0) {
		int64_t current;
		rc = year_version(db, tenant_id, year, &current);
		if (rc == RH_OK) rc = version_check(current, version, fail);
	}
	/* For the audit, the days in force until now: the organisation's own,
	 * or where it had none for the year, the official schedule's. */
	const char *was = tenant_id == 0 ? "official" : "organisation";
	if (rc == RH_OK) rc = each_day(db, tenant_id, year, add_day_json, before);
	if (rc == RH_OK && json_array_size(before) == 0 && tenant_id != 0) {
		was = "official";
		rc = each_day(db, 0, year, add_day_json, before);
	}
	if (rc == RH_OK && json_array_size(before) == 0) was = "none";
	for (size_t i = 0; i < n && rc == RH_OK; i++) {
		char d[11];
		date_format(rows[i].day, d);
		rc = q_no_twin(db, fail, "csv", &Q_DAY_ELSEWHERE, "Iti", tenant_id, d, year);
		if (rc == RH_ERR_DUPLICATE && fail) {
			fail->line = rows[i].line;
			fail->detail_zh = "该日期已在本单位另一年份的安排中：请先重新导入那一年（不含该日）";
			fail->detail_en = "the day is in another year's schedule of this organisation: import that year again without it first";
		}
	}
	if (rc == RH_OK) rc = q_exec(db, &Q_DELETE_YEAR, "Ii", tenant_id, year);
	for (size_t i = 0; i < n && rc == RH_OK; i++) {
		char d[11];
		date_format(rows[i].day, d);
		rc = q_exec(db, &Q_INSERT_DAY, "Ititt", tenant_id, d, year, cal_kind_code(rows[i].kind), rows[i].name);
		add_day_json(&rows[i], after);
	}
	if (rc == RH_OK)
		rc = q_exec(db, &Q_UPSERT_YEAR, "IitiIt", tenant_id, year, source, (int)n, store_now(),
			    a->name ? a->name : "system");
	if (rc == RH_OK) {
		json_t *b = json_pack("{s:i, s:s, s:o}", "year", year, "schedule", was, "days", before);
		json_t *af = json_pack("{s:i, s:s, s:o}", "year", year, "source", source, "days", after);
		before = after = NULL;	/* now owned by b and af */
		rc = audit_change(db, a, tenant_id, "import", "calendar_year", year, b, af);
	}
	rc = tx_end(db, rc);	/* on every path once the transaction began */
	json_decref(before);
	json_decref(after);
	return rc;
}

/* ---- the shipped official schedule ---- */

static int collect_official(const struct cal_year *y, void *arg)
{
	own_add(arg, y->year);
	return 0;
}

enum rh_err calendar_seed_official(struct db *db);

const char calendar_shipped_source[] = "国务院办公厅通知（随软件提供）";

/* Loads every shipped year the database does not have yet, as the system.
 * A year an operator re-imported is left alone. */
enum rh_err calendar_seed_official(struct db *db)
{
	const struct asset *a = asset_find("data/cn_holidays.csv");
	if (!a) return RH_ERR_INTERNAL;
	struct cal_row *rows;
	size_t n;
	struct cal_parse_error perr;
	enum rh_err rc = cal_parse_csv((const char *)a->data, a->len, &rows, &n, &perr);
	if (rc != RH_OK) {
		log_error("shipped calendar: line %ld: %s", perr.line, perr.en ? perr.en : "?");
		return rc;
	}
	struct own_years have;	/* here: the official years already stored */
	memset(&have, 0, sizeof have);
	rc = store_calendar_years(db, 0, collect_official, &have);
	struct actor system = { .tenant_id = 0, .name = "system", .reason = "shipped official schedule" };
	for (size_t i = 0; i < n && rc == RH_OK;) {
		int year = rows[i].year;
		size_t j = i;
		while (j < n && rows[j].year == year) j++;
		if (!owns(&have, year)) {
			rc = store_calendar_import(db, &system, 0, year, rows + i, j - i, calendar_shipped_source, -1, NULL);
			if (rc == RH_OK) log_info("loaded the official %d holiday schedule", year);
		}
		i = j;
	}
	free(rows);
	return rc;
}
