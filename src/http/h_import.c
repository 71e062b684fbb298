/*
 * h_import.c — CSV uploads of households and staff: the same importer as
 * `ruhu import` (app/import.h), the file as the request's body.
 *
 * 200 with the report when the rows were written (or, for a dry run,
 * would be); 422 import_invalid with the same report when they were not,
 * naming every bad row.
 */
#include "app/import.h"
#include "http/access.h"
#include "http/handlers.h"

static const char *const encodings[] = { "auto", "utf-8", "gbk", "gb18030", NULL };
static const char *const modes[] = { "all", "good", NULL };

enum { IQ_ENCODING, IQ_MODE, IQ_DRY_RUN, IQ_NAME };
static const struct field query_fields[] = {
	[IQ_ENCODING] = { "encoding", FT_ENUM, 0, 0, 0, encodings, NULL, "文件编码", "encoding" },
	[IQ_MODE] = { "mode", FT_ENUM, 0, 0, 0, modes, NULL, "导入方式", "mode" },
	[IQ_DRY_RUN] = { "dry_run", FT_BOOL, 0, 0, 0, NULL, NULL, "仅检查", "dry run" },
	[IQ_NAME] = { "filename", FT_STRING, 0, 0, 128, NULL, NULL, "文件名", "file name" },
};
const struct schema import_query = SCHEMA(query_fields);

static enum rh_err run(struct rh_req *r, enum import_kind kind)
{
	static const enum csv_encoding enc[] = { CSV_ENC_AUTO, CSV_ENC_UTF8, CSV_ENC_GB18030, CSV_ENC_GB18030 };
	struct import_options o = {
		.kind = kind,
		.encoding = enc[param_int(r, IQ_ENCODING, 0)],
		.keep_good = param_int(r, IQ_MODE, 0) == 1,
		.dry_run = (int)param_int(r, IQ_DRY_RUN, 0),
		.source = param_str(r, IQ_NAME) ? param_str(r, IQ_NAME) : "upload.csv",
		.en = r->lang_en,
		.rights = (r->sess.user.roles & SITE_KEEPERS ? IMPORT_NEW_SITES : 0u) |
			  (r->sess.user.roles & ID_READERS ? IMPORT_SEES_ID : 0u),
	};
	if (r->body.len == 0) return req_fail(r, RH_ERR_FIELD_REQUIRED, "file");
	struct actor a = req_actor(r, NULL);
	struct import_report rep;
	enum rh_err rc = import_run(req_db(r), &a, buf_str(&r->body), r->body.len, &o, &rep);
	if (rc != RH_OK) {
		import_report_free(&rep);
		return req_fail(r, rc, NULL);
	}
	json_t *report = import_report_json(&rep, kind, o.dry_run, r->lang_en);
	int refused = !rep.acceptable;
	long errors = rep.errors_total;
	import_report_free(&rep);
	if (!report) return req_fail(r, RH_ERR_NOMEM, NULL);
	if (!refused) return reply_json(r, 200, report);
	r->out = report;	/* the error joins the report (reply.c) */
	req_fail(r, RH_ERR_IMPORT_INVALID, "file");
	r->fail.n = errors;
	return RH_ERR_IMPORT_INVALID;
}

enum rh_err h_import_households(struct rh_req *r) { return run(r, IMPORT_HOUSEHOLDS); }
enum rh_err h_import_staff(struct rh_req *r) { return run(r, IMPORT_STAFF); }
