/*
 * h_export.c — any list as a file (SPEC X7): the list handlers call these
 * when the query says format=csv or format=xlsx. Every row that matches
 * goes out (up to EXPORT_MAX_ROWS; more is refused, so nobody mistakes a
 * cut-off file for the whole — refused by the list's count, before a row
 * is written), personal fields masked, and the export is
 * recorded in the audit trail with its filter and row count.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "http/handlers.h"

const char *const export_formats[] = { "csv", "xlsx", NULL };

enum rh_err export_begin(struct rh_req *r, int format, const char *sheet, const char *const *headers, size_t n,
			 const int64_t *total, const int *exact, struct list_export *le)
{
	memset(le, 0, sizeof *le);
	le->total = total;
	le->exact = exact;
	le->fmt = format == 1 ? EXPORT_XLSX : EXPORT_CSV;
	le->en = r->lang_en;
	if (exporter_new(le->fmt, sheet, headers, n, &le->ex) != 0) return req_fail(r, RH_ERR_NOMEM, NULL);
	return RH_OK;
}

/* Whether the list's count already says it is too long for a file. */
static int count_over(const struct list_export *le)
{
	return *le->total > EXPORT_MAX_ROWS || (le->exact && !*le->exact);
}

int export_add(struct list_export *le, const char *const *cells)
{
	if ((le->rows == 0 && count_over(le)) || ++le->rows > EXPORT_MAX_ROWS) {
		le->too_many = 1;
		return 1;	/* stop */
	}
	int rc = exporter_row(le->ex, cells);
	if (rc == EXPORT_CELL_TOO_LONG) le->cell_too_long = 1;
	else if (rc != 0) le->failed = 1;
	return rc != 0;
}

/* The list's filter as the caller gave it, for the audit entry: every
 * query parameter but the page and the format, its value as sent
 * ("category": "resident", not the index it became) — except that a
 * search for a phone or an ID number is kept masked: auditors, who read
 * the trail, may not see phones (SPEC X5). */
static json_t *filter_of(const struct rh_req *r)
{
	json_t *o = json_object();
	const struct schema *sc = r->route->query;
	for (size_t i = 0; o && sc && i < sc->n; i++) {
		const char *k = sc->fields[i].name;
		if (!r->q[i].present || strcmp(k, "limit") == 0 || strcmp(k, "offset") == 0 || strcmp(k, "format") == 0)
			continue;
		if (r->q[i].s && strcmp(k, "q") == 0) {
			char masked[1024];
			mask_numbers(r->q[i].s, masked, sizeof masked);
			json_object_set_new(o, k, json_string(masked));
			continue;
		}
		json_object_set_new(o, k, r->q[i].s ? json_string(r->q[i].s) : json_integer(r->q[i].i));
	}
	return o;
}

enum rh_err export_end(struct rh_req *r, struct list_export *le, enum rh_err listed, const char *entity,
		       const char *name)
{
	json_t *filter = filter_of(r);
	if (listed == RH_OK && count_over(le)) le->too_many = 1;	/* a list that read no row */
	if (listed != RH_OK || le->failed || le->cell_too_long || le->too_many) {
		exporter_free(le->ex);
		json_decref(filter);
		if (listed != RH_OK) return req_fail(r, listed, NULL);
		if (le->failed) return req_fail(r, RH_ERR_NOMEM, NULL);
		if (le->cell_too_long) {	/* not the server's fault, nor one to try again: the format's */
			req_fail(r, RH_ERR_FIELD_INVALID, "format");
			r->fail.detail_zh = "有内容超过 Excel 单元格上限（32767 个字符），无法导出为 xlsx，请导出为 csv";
			r->fail.detail_en = "a cell holds more than Excel's 32,767 characters and cannot go into an .xlsx file: export as csv";
			return RH_ERR_FIELD_INVALID;
		}
		req_fail(r, RH_ERR_TOO_MANY_ROWS, "format");
		r->fail.n = EXPORT_MAX_ROWS;
		return RH_ERR_TOO_MANY_ROWS;
	}
	char *data;
	size_t len;
	if (exporter_finish(le->ex, &data, &len) != 0) {
		json_decref(filter);
		return req_fail(r, RH_ERR_NOMEM, NULL);
	}
	json_object_set_new(filter, "rows", json_integer(le->rows));
	json_object_set_new(filter, "format", json_string(export_extension(le->fmt)));
	struct actor a = req_actor(r, NULL);
	enum rh_err rc = store_audit_export(req_db(r), &a, r->sess.tenant_id, entity, filter);
	if (rc != RH_OK) {
		free(data);	/* no audit entry, no file */
		return req_fail(r, rc, NULL);
	}
	char fname[96], day[11];
	date_format(date_of((int64_t)time(NULL), req_tz(r)), day);
	snprintf(fname, sizeof fname, "%s-%s", name, day);
	return reply_file(r, export_content_type(le->fmt), fname, export_extension(le->fmt), data, len);
}
