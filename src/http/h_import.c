/*
 * h_import.c — CSV uploads of households and staff: the same importer as
 * `ruhu import` (app/import.h), the file as the request's body.
 *
 * 200 with the report when the rows were written (or, for a dry run,
 * would be); 422 import_invalid with the same report when they were not,
 * naming every bad row.
 *
 * A file of a million rows takes tens of seconds: it is read and written
 * on the importer's thread (offload.h), one import at a time, while the
 * event loop that received it serves its other connections.
 */
#include <string.h>
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

/* One import, from the handler's first run to its second. */
struct import_job {
	struct off_job job;	/* first: the pool hands this back */
	struct store *store;
	struct actor actor;
	struct import_options o;
	const char *data;
	size_t len;
	enum rh_err rc;
	struct import_report rep;
};

/* On the importer's thread, with its own database connection. */
static void import_off_loop(struct off_job *job)
{
	struct import_job *j = (struct import_job *)job;
	struct db *db = store_thread_db(j->store);
	j->rc = import_run(db, &j->actor, j->data, j->len, &j->o, &j->rep);
	store_thread_db_reset(db);
}

/* When the request ends: the report, unless the second run took it (a
 * client gone while its import ran may never see one). */
static void import_job_free(void *ctx)
{
	struct import_job *j = ctx;
	import_report_free(&j->rep);
}

/* The first run: the import handed to the importer. */
static enum rh_err start(struct rh_req *r, enum import_kind kind)
{
	static const enum csv_encoding enc[] = { CSV_ENC_AUTO, CSV_ENC_UTF8, CSV_ENC_GB18030, CSV_ENC_GB18030 };
	if (r->body.len == 0) return req_fail(r, RH_ERR_FIELD_REQUIRED, "file");
	struct import_job *j = arena_alloc(r->arena, sizeof *j);
	if (!j) return req_fail(r, RH_ERR_NOMEM, NULL);
	memset(j, 0, sizeof *j);
	j->job.run = import_off_loop;
	j->store = r->srv->store;
	j->actor = req_actor(r, NULL);
	j->o = (struct import_options){
		.kind = kind,
		.encoding = enc[param_int(r, IQ_ENCODING, 0)],
		.keep_good = param_int(r, IQ_MODE, 0) == 1,
		.dry_run = (int)param_int(r, IQ_DRY_RUN, 0),
		.source = param_str(r, IQ_NAME) ? param_str(r, IQ_NAME) : "upload.csv",
		.en = r->lang_en,
		.rights = (r->sess.user.roles & SITE_KEEPERS ? IMPORT_NEW_SITES : 0u) |
			  (r->sess.user.roles & ID_READERS ? IMPORT_SEES_ID : 0u),
		.scope = SCOPE(r),
	};
	j->data = buf_str(&r->body);
	j->len = r->body.len;
	r->ctx = j;
	r->ctx_free = import_job_free;
	return req_offload(r, r->srv->importer, &j->job);
}

static enum rh_err run(struct rh_req *r, enum import_kind kind)
{
	if (r->wait != WAIT_DONE) return start(r, kind);
	struct import_job *j = r->ctx;
	if (j->rc != RH_OK) {
		import_report_free(&j->rep);
		return req_fail(r, j->rc, NULL);
	}
	json_t *report = import_report_json(&j->rep, kind, j->o.dry_run, r->lang_en);
	int refused = !j->rep.acceptable;
	long errors = j->rep.errors_total;
	import_report_free(&j->rep);
	if (!report) return req_fail(r, RH_ERR_NOMEM, NULL);
	if (!refused) return reply_json(r, 200, report);
	r->out = report;	/* the error joins the report (reply.c) */
	req_fail(r, RH_ERR_IMPORT_INVALID, "file");
	r->fail.n = errors;
	return RH_ERR_IMPORT_INVALID;
}

enum rh_err h_import_households(struct rh_req *r) { return run(r, IMPORT_HOUSEHOLDS); }
enum rh_err h_import_staff(struct rh_req *r) { return run(r, IMPORT_STAFF); }
