/*
 * calendar.c — working-day arithmetic and schedule parsing (see
 * calendar.h).
 *
 * The entry table is tiny (about 35 days a year), so lookups are a binary
 * search and stepping is day by day: even a 100-working-day deadline
 * touches fewer than 200 days.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include "core/calendar.h"
#include "core/validate.h"

#define MAX_STEP 100000

void cal_init(struct calendar *c)
{
	memset(c, 0, sizeof *c);
}

void cal_release(struct calendar *c)
{
	free(c->entries);
	free(c->years);
	cal_init(c);
}

static size_t entry_pos(const struct calendar *c, rh_day day)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->entries[mid].day < day) lo = mid + 1; else hi = mid;
	}
	return lo;
}

int cal_set(struct calendar *c, rh_day day, enum cal_kind kind)
{
	size_t i = entry_pos(c, day);
	int found = i < c->n && c->entries[i].day == day;
	if (kind == CAL_NORMAL) {
		if (found) memmove(&c->entries[i], &c->entries[i + 1], (c->n - i - 1) * sizeof *c->entries), c->n--;
		return 0;
	}
	if (found) { c->entries[i].kind = kind; return 0; }
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct cal_entry *e = realloc(c->entries, cap * sizeof *e);
		if (!e) return -1;
		c->entries = e;
		c->cap = cap;
	}
	memmove(&c->entries[i + 1], &c->entries[i], (c->n - i) * sizeof *c->entries);
	c->entries[i].day = day;
	c->entries[i].kind = kind;
	c->n++;
	return 0;
}

int cal_year_known(const struct calendar *c, int year)
{
	for (size_t i = 0; i < c->nyears; i++)
		if (c->years[i] == year) return 1;
	return 0;
}

int cal_add_year(struct calendar *c, int year)
{
	if (cal_year_known(c, year)) return 0;
	if (c->nyears == c->years_cap) {
		size_t cap = c->years_cap ? c->years_cap * 2 : 8;
		int *y = realloc(c->years, cap * sizeof *y);
		if (!y) return -1;
		c->years = y;
		c->years_cap = cap;
	}
	size_t i = c->nyears;
	while (i > 0 && c->years[i - 1] > year) { c->years[i] = c->years[i - 1]; i--; }
	c->years[i] = year;
	c->nyears++;
	return 0;
}

enum cal_kind cal_kind_of(const struct calendar *c, rh_day day)
{
	size_t i = entry_pos(c, day);
	return i < c->n && c->entries[i].day == day ? c->entries[i].kind : CAL_NORMAL;
}

int cal_is_working_day(const struct calendar *c, rh_day day)
{
	switch (cal_kind_of(c, day)) {
	case CAL_HOLIDAY: return 0;
	case CAL_WORKDAY: return 1;
	default: return date_weekday(day) <= 5;
	}
}

/* A day is certain when the schedules that may list it are known: its
 * year's, and for the last week of December the next year's too, whose
 * 元旦 may begin there (cal_in_schedule). */
static void note_year(const struct calendar *c, rh_day day, int *uncertain)
{
	if (!uncertain || *uncertain) return;
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	if (!cal_year_known(c, y) || (m == 12 && d >= CAL_DECEMBER_FROM && !cal_year_known(c, y + 1))) *uncertain = 1;
}

int cal_add_working_days(const struct calendar *c, rh_day from, int n, rh_day *out, int *uncertain)
{
	if (n > MAX_STEP || n < -MAX_STEP) return -1;
	rh_day d = from;
	if (n == 0) {
		for (int i = 0; !cal_is_working_day(c, d); i++, d++) {
			if (i > MAX_STEP) return -1;
			note_year(c, d, uncertain);
		}
		note_year(c, d, uncertain);
		*out = d;
		return 0;
	}
	int step = n > 0 ? 1 : -1, left = n > 0 ? n : -n;
	while (left > 0) {
		d += step;
		note_year(c, d, uncertain);
		if (cal_is_working_day(c, d)) left--;
	}
	*out = d;
	return 0;
}

int cal_count_working_days(const struct calendar *c, rh_day from, rh_day to, int *uncertain)
{
	if (to < from) return -cal_count_working_days(c, to, from, uncertain);
	int count = 0;
	for (rh_day d = from + 1; d <= to; d++) {
		note_year(c, d, uncertain);
		count += cal_is_working_day(c, d);
	}
	return count;
}

int cal_in_schedule(rh_day day, int year)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return y == year || (y == year - 1 && m == 12 && d >= CAL_DECEMBER_FROM);
}

/* Each row's schedule year (rows sorted by day, one per day): the last
 * week of December goes with the next year when 1 January of that year
 * follows it in the file. */
static void schedule_years(struct cal_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) rows[i].year = date_year(rows[i].day);
	for (size_t i = 0; i < n; i++) {
		int y, m, d;
		date_to_ymd(rows[i].day, &y, &m, &d);
		if (m != 12 || d < CAL_DECEMBER_FROM) continue;
		size_t j = i + 1;	/* at most six more days of that December */
		while (j < n && rows[j].year == y) j++;
		if (j < n && rows[j].day == date_from_ymd(y + 1, 1, 1))
			for (size_t k = i; k < j; k++) rows[k].year = y + 1;
		i = j - 1;
	}
}

const char *const deadline_unit_names[] = { "minutes", "hours", "calendar_days", "working_days", NULL };

const char *cal_kind_code(enum cal_kind k)
{
	return k == CAL_WORKDAY ? "workday" : "holiday";
}

json_t *cal_row_to_json(const struct cal_row *r)
{
	char d[11];
	date_format(r->day, d);
	return json_pack("{s:s, s:s, s:s}", "date", d, "kind", cal_kind_code(r->kind), "name", r->name);
}

int deadline_compute(const struct calendar *c, int64_t from, enum deadline_unit unit, int amount,
		     int offset_min, int64_t *due, int *uncertain)
{
	if (amount < 0 || amount > MAX_STEP) return -1;
	rh_day last;
	switch (unit) {
	case DL_MINUTES: *due = from + (int64_t)amount * 60; return date_year(date_of(*due, offset_min)) <= RH_DATE_MAX_YEAR ? 0 : -1;
	case DL_HOURS: *due = from + (int64_t)amount * 3600; return date_year(date_of(*due, offset_min)) <= RH_DATE_MAX_YEAR ? 0 : -1;
	case DL_CALENDAR_DAYS: last = date_of(from, offset_min) + amount; break;
	case DL_WORKING_DAYS:
		if (cal_add_working_days(c, date_of(from, offset_min), amount, &last, uncertain)) return -1;
		break;
	default: return -1;
	}
	*due = date_start(last + 1, offset_min) - 1;
	return date_year(last) <= RH_DATE_MAX_YEAR ? 0 : -1;
}

/* ---- schedule files ---- */

struct parse_state {
	struct cal_row *rows;
	size_t n, cap;
	char fields[3][160];	/* a 32-character name is up to 128 bytes */
	size_t nfields;
	int too_many, too_long;
	long newlines;		/* physical line breaks seen so far */
	int header_done;
	struct cal_parse_error *err;
	int failed, nomem;
};

static void on_field(void *s, size_t len, void *arg)
{
	struct parse_state *p = arg;
	if (p->nfields >= 3) { p->too_many = 1; return; }
	if (len >= sizeof p->fields[0]) { p->too_long = 1; len = sizeof p->fields[0] - 1; }
	memcpy(p->fields[p->nfields], s, len);
	p->fields[p->nfields][len] = '\0';
	p->nfields++;
}

static void fail(struct parse_state *p, long line, const char *field, const char *zh, const char *en)
{
	if (p->failed) return;
	p->failed = 1;
	p->err->line = line;
	p->err->field = field;
	p->err->zh = zh;
	p->err->en = en;
}


static void take_row(struct parse_state *p, long line)
{
	if (!p->header_done) {
		p->header_done = 1;
		if (p->nfields != 3 || strcmp(p->fields[0], "date") || strcmp(p->fields[1], "kind") ||
		    strcmp(p->fields[2], "name"))
			fail(p, line, NULL, "首行须为表头 date,kind,name", "The first line must be the header date,kind,name");
		return;
	}
	struct cal_row r = { .line = line };
	if (p->too_many || p->nfields != 3) {
		fail(p, line, NULL, "每行须有 3 列：date,kind,name", "Each line needs 3 columns: date,kind,name");
		return;
	}
	if (date_parse(p->fields[0], strlen(p->fields[0]), &r.day)) {
		fail(p, line, "date", "日期无效，格式须为 YYYY-MM-DD", "Invalid date; use YYYY-MM-DD");
		return;
	}
	if (strcmp(p->fields[1], "holiday") == 0) {
		r.kind = CAL_HOLIDAY;
	} else if (strcmp(p->fields[1], "workday") == 0) {
		r.kind = CAL_WORKDAY;
		if (date_weekday(r.day) <= 5) {
			fail(p, line, "kind", "调休上班日须在周末", "An adjusted working day must fall on a weekend");
			return;
		}
	} else {
		fail(p, line, "kind", "类型须为 holiday 或 workday", "kind must be holiday or workday");
		return;
	}
	size_t nlen = strlen(p->fields[2]);
	if (!utf8_valid(p->fields[2], nlen)) {
		fail(p, line, "name", "名称不是有效的 UTF-8 文本", "name is not valid UTF-8 text");
		return;
	}
	if (p->too_long || nlen >= sizeof r.name || utf8_length(p->fields[2]) > 32) {
		fail(p, line, "name", "名称最多 32 个字符", "name has at most 32 characters");
		return;
	}
	memcpy(r.name, p->fields[2], strlen(p->fields[2]) + 1);
	for (size_t i = 0; i < p->n; i++)
		if (p->rows[i].day == r.day) {
			fail(p, line, "date", "日期重复", "The same date appears twice");
			return;
		}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct cal_row *nr = realloc(p->rows, cap * sizeof *nr);
		if (!nr) { p->nomem = 1; p->failed = 1; return; }
		p->rows = nr;
		p->cap = cap;
	}
	p->rows[p->n++] = r;
}

static void on_row(int c, void *arg)
{
	struct parse_state *p = arg;
	long line = p->newlines + 1;
	if (c == '\n') p->newlines++;
	if (p->nfields == 0 || (p->nfields == 1 && p->fields[0][0] == '\0')) {
		p->nfields = 0;	/* blank line, or the LF of a CRLF */
		return;
	}
	if (!p->failed) take_row(p, line);
	p->nfields = 0;
	p->too_many = p->too_long = 0;
}

static int by_day(const void *a, const void *b)
{
	rh_day x = ((const struct cal_row *)a)->day, y = ((const struct cal_row *)b)->day;
	return (x > y) - (x < y);
}

enum rh_err cal_parse_csv(const char *data, size_t len, struct cal_row **rows, size_t *nrows,
			  struct cal_parse_error *err)
{
	struct parse_state *p = calloc(1, sizeof *p);
	struct csv_parser csv;
	if (!p || csv_init(&csv, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0) {
		free(p);
		return RH_ERR_NOMEM;
	}
	p->err = err;
	memset(err, 0, sizeof *err);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) data += 3, len -= 3;
	if (csv_parse(&csv, data, len, on_field, on_row, p) != len || csv_fini(&csv, on_field, on_row, p) != 0)
		fail(p, p->newlines + 1, NULL, "CSV 格式错误（引号不匹配）", "Malformed CSV (unbalanced quotes)");
	csv_free(&csv);
	if (!p->failed && !p->header_done)
		fail(p, 0, NULL, "文件为空", "The file is empty");
	enum rh_err rc = p->nomem ? RH_ERR_NOMEM : p->failed ? RH_ERR_FIELD_INVALID : RH_OK;
	if (rc == RH_OK) {
		if (p->n) qsort(p->rows, p->n, sizeof *p->rows, by_day);
		schedule_years(p->rows, p->n);
		*rows = p->rows;
		*nrows = p->n;
	} else {
		free(p->rows);
	}
	free(p);
	return rc;
}
