/*
 * h_assign.c — assignments: sending a worker to a household for a job on
 * a day (SPEC S3). An ineligible worker is refused with every reason, in
 * the caller's language (422 not_eligible, "reasons" beside the error);
 * an eligible one is sent with any warnings (a certificate about to end).
 */
#include <string.h>
#include "http/access.h"
#include "http/handlers.h"

enum { AB_STAFF, AB_HOUSEHOLD, AB_JOB, AB_LEVEL, AB_DAY, AB_WINDOW, AB_NOTES };
static const struct field create_fields[] = {
	[AB_STAFF] = { "staff_id", FT_INT, F_REQUIRED, 1, INT64_MAX, NULL, NULL, "人员", "worker" },
	[AB_HOUSEHOLD] = { "household_id", FT_INT, F_REQUIRED, 1, INT64_MAX, NULL, NULL, "住户", "household" },
	[AB_JOB] = { "job_type", FT_ENUM, F_REQUIRED, 0, 0, staff_job_type_codes, NULL, "工种", "job type" },
	[AB_LEVEL] = { "level", FT_ENUM, 0, 0, 0, staff_level_codes, NULL, "所需等级", "level needed" },
	[AB_DAY] = { "day", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, "日期", "day" },
	[AB_WINDOW] = { "time_window", FT_STRING, 0, 0, TIME_WINDOW_MAX, NULL, time_window_valid, "预约时段", "time window",
			"格式为 09:00-11:00", "as 09:00-11:00" },
	[AB_NOTES] = { "notes", FT_TEXT, 0, 0, TEXT_LONG_MAX, NULL, NULL, "备注", "notes" },
};
const struct schema assignment_create_body = SCHEMA(create_fields);

/* A later day for a worker under 18 today tells the birth date, refused
 * or made alike (req_birth_date_guard): looked at before the store
 * decides. A worker not found is left to the store, which names it. */
static enum rh_err birth_date_guard(struct rh_req *r, const struct assignment *as)
{
	if (SEES_IDS(r) || as->day <= req_today(r)) return RH_OK;
	struct elig_input *in = arena_alloc(r->arena, sizeof *in);
	if (!in) return req_fail(r, RH_ERR_NOMEM, NULL);
	enum rh_err rc = store_elig_input(req_db(r), r->sess.tenant_id, as->staff_id, in);
	if (rc == RH_ERR_NOT_FOUND) return RH_OK;
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	return req_birth_date_guard(r, &in->facts, as->day);
}

enum rh_err h_assignment_create(struct rh_req *r)
{
	struct assignment *as = arena_alloc(r->arena, sizeof *as);
	struct elig_result *res = arena_alloc(r->arena, sizeof *res);
	if (!as || !res) return req_fail(r, RH_ERR_NOMEM, NULL);
	memset(as, 0, sizeof *as);
	as->tenant_id = r->sess.tenant_id;
	as->staff_id = r->in[AB_STAFF].i;
	as->household_id = r->in[AB_HOUSEHOLD].i;
	as->job_type = (int)r->in[AB_JOB].i;
	as->day = (rh_day)r->in[AB_DAY].i;
	in_copy(r, AB_WINDOW, as->time_window, sizeof as->time_window);
	in_copy(r, AB_NOTES, as->notes, sizeof as->notes);
	if (as->day < req_today(r)) return req_fail_why(r, RH_ERR_FIELD_RANGE, AB_DAY, "不能早于今天", "cannot be in the past");
	/* The level as asked; the store raises it to the job rule's, which it
	 * reads in the same transaction (none asked: the rule's). */
	as->level = in_has(r, AB_LEVEL) ? (enum staff_level)r->in[AB_LEVEL].i : LEVEL_JUNIOR;
	int yes;
	enum rh_err rc = req_household_visible(r, as->household_id, &yes);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	if (!yes) return req_fail_in(r, RH_ERR_FIELD_INVALID, AB_HOUSEHOLD);	/* as one that is not there (SPEC X1) */
	if ((rc = birth_date_guard(r, as)) != RH_OK) return rc;
	struct actor a = req_actor(r, NULL);
	rc = store_assignment_create(req_db(r), &a, as, res, &r->fail);
	if (rc == RH_ERR_NOT_ELIGIBLE) {
		char *zh = arena_alloc(r->arena, 1024), *en = arena_alloc(r->arena, 1024);
		if (zh && en) {
			r->fail.detail_zh = elig_reasons_text(res, 0, zh, 1024);
			r->fail.detail_en = elig_reasons_text(res, 1, en, 1024);
		}
		json_t *e = elig_result_to_json(res, r->lang_en);
		r->out = json_pack("{s:O, s:O}", "reasons", json_object_get(e, "reasons"), "warnings",
				   json_object_get(e, "warnings"));
		json_decref(e);
		return rc;
	}
	if (rc != RH_OK) return rc;
	json_t *out = assignment_to_json(as);
	json_t *e = elig_result_to_json(res, r->lang_en);
	json_object_set(out, "warnings", json_object_get(e, "warnings"));
	json_decref(e);
	return reply_json(r, 201, out);
}

enum { AL_STAFF, AL_HOUSEHOLD, AL_DAY, AL_STATUS, AL_FORMAT, AL_LIMIT, AL_OFFSET };
static const struct field list_fields[] = {
	[AL_STAFF] = { "staff_id", FT_INT, 0, 1, INT64_MAX, NULL, NULL, "人员", "worker" },
	[AL_HOUSEHOLD] = { "household_id", FT_INT, 0, 1, INT64_MAX, NULL, NULL, "住户", "household" },
	[AL_DAY] = { "day", FT_DATE, 0, 0, 0, NULL, NULL, "日期", "day" },
	[AL_STATUS] = { "status", FT_ENUM, 0, 0, 0, assignment_status_codes, NULL, "状态", "status" },
	EXPORT_FIELD(AL_FORMAT),
	PAGE_FIELDS,
};
const struct schema assignment_list_query = SCHEMA(list_fields);

static int add_item(const struct assignment *a, void *arg)
{
	json_array_append_new(arg, assignment_to_json(a));
	return 0;
}

/* A row of the file: what the list shows, without the appointment
 * link's token (a key to the household's door page, not a fact). */
static int export_item(const struct assignment *a, void *arg)
{
	struct list_export *ex = arg;
	char day[11];
	date_format(a->day, day);
	const char *cells[] = { day, a->time_window, a->staff_no, a->staff_name,
				choice_label(&job_type_set, a->job_type, ex->en),
				choice_label(&staff_level_set, (int)a->level, ex->en), a->account_no, a->household_name,
				a->address, choice_label(&assignment_status_set, (int)a->status, ex->en), a->notes };
	return export_add(ex, cells);
}

enum rh_err h_assignment_list(struct rh_req *r)
{
	struct assignment_filter f = {
		.staff_id = param_int(r, AL_STAFF, 0), .household_id = param_int(r, AL_HOUSEHOLD, 0),
		.has_day = r->q[AL_DAY].present, .day = (rh_day)param_int(r, AL_DAY, 0),
		.status = (int)param_int(r, AL_STATUS, -1), .scope = SCOPE(r),
		.limit = (int)param_int(r, AL_LIMIT, PAGE_DEFAULT_LIMIT), .offset = (int)param_int(r, AL_OFFSET, 0),
	};
	int64_t total = 0;
	if (r->q[AL_FORMAT].present) {
		static const char *const zh[] = { "日期", "时段", "工号", "人员", "工种", "等级", "户号", "户名", "地址", "状态", "备注" };
		static const char *const en[] = { "Day", "Time", "Staff no.", "Worker", "Job type", "Level", "Account no.",
						  "Household", "Address", "Status", "Notes" };
		struct list_export ex;
		enum rh_err rc = export_begin(r, (int)r->q[AL_FORMAT].i, r->lang_en ? "Assignments" : "派工",
					      r->lang_en ? en : zh, 11, &total, NULL, &ex);
		if (rc != RH_OK) return rc;
		f.limit = EXPORT_MAX_ROWS + 1;
		f.offset = 0;
		rc = store_assignments(req_db(r), r->sess.tenant_id, &f, export_item, &ex, &total);
		return export_end(r, &ex, rc, "assignment", "assignments");
	}
	json_t *items = json_array();
	enum rh_err rc = store_assignments(req_db(r), r->sess.tenant_id, &f, add_item, items, &total);
	if (rc != RH_OK) {
		json_decref(items);
		return req_fail(r, rc, NULL);
	}
	return reply_page(r, items, total, f.limit, f.offset);
}

/* Assignment id as the caller may see it: a visit to a household outside
 * their estates is not found (SPEC X1). */
static enum rh_err assignment_read(struct rh_req *r, int64_t id, struct assignment *a)
{
	enum rh_err rc = store_assignment_get(req_db(r), r->sess.tenant_id, id, a);
	int yes = 1;
	if (rc == RH_OK) rc = req_household_visible(r, a->household_id, &yes);
	return rc == RH_OK && !yes ? RH_ERR_NOT_FOUND : rc;
}

enum rh_err h_assignment_get(struct rh_req *r)
{
	struct assignment a;
	enum rh_err rc = assignment_read(r, r->path_id, &a);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	return reply_json(r, 200, assignment_to_json(&a));
}

enum { AC_VERSION, AC_REASON };
static const struct field cancel_fields[] = {
	[AC_VERSION] = { "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	[AC_REASON] = { "reason", FT_STRING, F_REQUIRED, 1, 200, NULL, NULL, "原因", "reason" },
};
const struct schema assignment_cancel_body = SCHEMA(cancel_fields);

enum rh_err h_assignment_cancel(struct rh_req *r)
{
	struct assignment out;
	enum rh_err rc = assignment_read(r, r->path_id, &out);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	struct actor a = req_actor(r, in_str(r, AC_REASON));
	rc = store_assignment_cancel(req_db(r), &a, r->sess.tenant_id, r->path_id, r->in[AC_VERSION].i,
						 &out, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, assignment_to_json(&out));
}
