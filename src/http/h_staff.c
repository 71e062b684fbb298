/*
 * h_staff.c — staff profiles (SPEC S1): list, export, create, show,
 * change. Phones and ID numbers as for households (h_household.c).
 */
#include <magic.h>
#include <stdlib.h>
#include <string.h>
#include "app/tabular.h"
#include "http/access.h"
#include "http/handlers.h"


static const char *const sort_keys[] = { "id", "staff_no", "name", "updated_at", NULL };
static const char *const orders[] = { "asc", "desc", NULL };
static const char *const revealable[] = { "phone", "id_number", NULL };

static int phone_ok(const char *s) { return s[0] == '\0' || phone_valid(s); }
static int id_ok(const char *s) { return s[0] == '\0' || idcard_valid(s); }
static int badge_ok(const char *s) { return s[0] == '\0' || account_no_valid(s); }

enum { SL_Q, SL_STATUS, SL_LEVEL, SL_EMPLOYMENT, SL_JOB, SL_SUPERVISOR, SL_SORT, SL_ORDER, SL_FORMAT, SL_LIMIT, SL_OFFSET };
static const struct field list_fields[] = {
	[SL_Q] = { "q", FT_STRING, F_FOLD_NUMBER, 1, 64, NULL, NULL, "关键字", "search text" },
	[SL_STATUS] = { "status", FT_ENUM, 0, 0, 0, staff_status_codes, NULL, "状态", "status" },
	[SL_LEVEL] = { "level", FT_ENUM, 0, 0, 0, staff_level_codes, NULL, "等级", "level" },
	[SL_EMPLOYMENT] = { "employment", FT_ENUM, 0, 0, 0, staff_employment_codes, NULL, "用工性质", "employment" },
	[SL_JOB] = { "job_type", FT_ENUM, 0, 0, 0, staff_job_type_codes, NULL, "工种", "job type" },
	[SL_SUPERVISOR] = { "supervisor_id", FT_INT, 0, 1, INT64_MAX, NULL, NULL, "督导人", "supervisor" },
	[SL_SORT] = { "sort", FT_ENUM, 0, 0, 0, sort_keys, NULL, "排序字段", "sort key" },
	[SL_ORDER] = { "order", FT_ENUM, 0, 0, 0, orders, NULL, "排序方向", "sort order" },
	EXPORT_FIELD(SL_FORMAT),
	PAGE_FIELDS,
};
const struct schema staff_list_query = SCHEMA(list_fields);

static const struct field get_fields[] = {
	{ "reveal", FT_ENUM, 0, 0, 0, revealable, NULL, "显示完整信息", "reveal" },
};
const struct schema staff_get_query = SCHEMA(get_fields);

#define SHARED(req) \
	{ "name", FT_STRING, req, 1, STAFF_NAME_MAX, NULL, NULL, "姓名", "name" }, \
	{ "id_number", FT_STRING, F_NULLABLE | F_FOLD, 0, IDCARD_LEN, NULL, id_ok, "身份证号", "ID number", IDCARD_RULE_ZH, IDCARD_RULE_EN }, \
	{ "birth_date", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, "出生日期", "birth date" }, \
	{ "phone", FT_STRING, F_NULLABLE | F_FOLD, 0, PHONE_MAX, NULL, phone_ok, "手机", "phone", PHONE_RULE_ZH, PHONE_RULE_EN }, \
	{ "employment", FT_ENUM, req, 0, 0, staff_employment_codes, NULL, "用工性质", "employment" }, \
	{ "employer", FT_STRING, F_NULLABLE, 0, EMPLOYER_MAX, NULL, NULL, "用工单位", "employer" }, \
	{ "job_types", FT_SET, 0, 0, 0, staff_job_type_codes, NULL, "工种", "job types" }, \
	{ "level", FT_ENUM, req, 0, 0, staff_level_codes, NULL, "等级", "level" }, \
	{ "badge_no", FT_STRING, F_NULLABLE | F_FOLD, 0, ACCOUNT_NO_MAX, NULL, badge_ok, "工作证号", "badge number", ACCOUNT_NO_RULE_ZH, ACCOUNT_NO_RULE_EN }, \
	{ "status", FT_ENUM, 0, 0, 0, staff_status_codes, NULL, "状态", "status" }, \
	{ "user_id", FT_INT, F_NULLABLE, 0, INT32_MAX, NULL, NULL, "登录账号", "account" }, \
	{ "supervisor_id", FT_INT, F_NULLABLE, 0, INT64_MAX, NULL, NULL, "督导人", "supervisor" }, \
	{ "notes", FT_TEXT, F_NULLABLE, 0, NOTES_MAX, NULL, NULL, "备注", "notes" }, \
	{ "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" }

enum { B_KEY, B_NAME, B_ID, B_BIRTH, B_PHONE, B_EMPLOYMENT, B_EMPLOYER, B_JOBS, B_LEVEL, B_BADGE, B_STATUS,
       B_USER, B_SUPERVISOR, B_NOTES, B_REASON };
static const struct field create_fields[] = {
	{ "staff_no", FT_STRING, F_REQUIRED | F_FOLD, 1, ACCOUNT_NO_MAX, NULL, account_no_valid, "工号", "staff number", ACCOUNT_NO_RULE_ZH, ACCOUNT_NO_RULE_EN },
	SHARED(F_REQUIRED),
};
static const struct field update_fields[] = {
	{ "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	SHARED(0),
};
const struct schema staff_create_body = SCHEMA(create_fields);
const struct schema staff_update_body = SCHEMA(update_fields);

/* The body over s; whether it names id_number. */
static int apply(const struct rh_req *r, struct staff *s)
{
	in_copy(r, B_NAME, s->name, sizeof s->name);
	in_copy(r, B_PHONE, s->phone, sizeof s->phone);
	in_copy(r, B_EMPLOYER, s->employer, sizeof s->employer);
	in_copy(r, B_BADGE, s->badge_no, sizeof s->badge_no);
	in_copy(r, B_NOTES, s->notes, sizeof s->notes);
	if (in_has(r, B_EMPLOYMENT)) s->employment = (enum employment)r->in[B_EMPLOYMENT].i;
	if (in_has(r, B_JOBS)) s->job_types = (unsigned)r->in[B_JOBS].i;
	if (in_has(r, B_LEVEL)) s->level = (enum staff_level)r->in[B_LEVEL].i;
	if (in_has(r, B_STATUS)) s->status = (enum staff_status)r->in[B_STATUS].i;
	if (in_has(r, B_USER)) s->user_id = in_int(r, B_USER, 0);
	if (in_has(r, B_SUPERVISOR)) s->supervisor_id = in_int(r, B_SUPERVISOR, 0);
	/* A birth date is the ID number's: null clears one entered by hand,
	 * not one an ID number on file gives, and with a new ID number it
	 * is taken from that, as when left out. */
	int id_after = in_has(r, B_ID) ? in_str(r, B_ID) && in_str(r, B_ID)[0] : s->id_masked[0] != '\0';
	if (in_has(r, B_BIRTH) && (in_str(r, B_BIRTH) || !id_after)) {
		s->has_birth_date = in_str(r, B_BIRTH) != NULL;
		s->birth_date = (rh_day)in_int(r, B_BIRTH, 0);
	}
	if (!in_has(r, B_ID)) return 0;
	const char *id = in_str(r, B_ID) ? in_str(r, B_ID) : "";
	if (idcard_normalise(id, s->id_number) != 0) s->id_number[0] = '\0';
	rh_day born;
	if (s->id_number[0] && !in_str(r, B_BIRTH) && idcard_birth(s->id_number, &born) == 0) {
		s->birth_date = born;
		s->has_birth_date = 1;
	}
	return 1;
}

static const struct hh_view masked = { PII_MASKED, PII_MASKED };

struct list_ctx {
	json_t *items;
	struct list_export *ex;
};

static int add_item(const struct staff *s, void *arg)
{
	struct list_ctx *c = arg;
	if (c->ex) {
		char cells[SC__COUNT][CELL_CAP];
		const char *p[SC__COUNT];
		staff_to_cells(s, c->ex->en, cells, p);
		return export_add(c->ex, p);
	}
	json_array_append_new(c->items, staff_to_json(s, masked));
	return 0;
}

/* The list, and for a phone typed with separators that finds nothing as
 * typed, the list of its digits (as h_household.c does). */
static enum rh_err list_or_phone(struct rh_req *r, struct staff_filter *f, struct list_ctx *c, int64_t *total)
{
	char digits[72];
	enum rh_err rc = store_staff_list(req_db(r), r->sess.tenant_id, f, add_item, c, total);
	if (rc != RH_OK || *total || !f->q || !phone_search_digits(f->q, digits, sizeof digits)) return rc;
	f->q = digits;
	return store_staff_list(req_db(r), r->sess.tenant_id, f, add_item, c, total);
}

enum rh_err h_staff_list(struct rh_req *r)
{
	struct staff_filter f = {
		.q = param_str(r, SL_Q),
		.phones_hidden = !(r->sess.user.roles & STAFF_PHONE_READERS),
		.status = (int)param_int(r, SL_STATUS, -1),
		.level = (int)param_int(r, SL_LEVEL, -1),
		.employment = (int)param_int(r, SL_EMPLOYMENT, -1),
		.job_type = r->q[SL_JOB].present ? 1u << r->q[SL_JOB].i : 0,
		.supervisor_id = param_int(r, SL_SUPERVISOR, 0),
		.sort = (enum staff_sort)param_int(r, SL_SORT, STAFF_SORT_ID),
		.desc = (int)param_int(r, SL_ORDER, 0),
		.limit = (int)param_int(r, SL_LIMIT, PAGE_DEFAULT_LIMIT),
		.offset = (int)param_int(r, SL_OFFSET, 0),
	};
	struct list_ctx c = { NULL, NULL };
	int64_t total = 0;
	if (r->q[SL_FORMAT].present) {
		struct list_export ex;
		const char *headers[SC__COUNT];
		for (int i = 0; i < SC__COUNT; i++) headers[i] = column_header(&staff_columns[i], r->lang_en);
		enum rh_err rc = export_begin(r, (int)r->q[SL_FORMAT].i, r->lang_en ? "Staff" : "人员", headers, SC__COUNT,
					      &total, NULL, &ex);
		if (rc != RH_OK) return rc;
		c.ex = &ex;
		f.limit = EXPORT_MAX_ROWS + 1;
		f.offset = 0;
		rc = list_or_phone(r, &f, &c, &total);
		return export_end(r, &ex, rc, "staff", "staff");
	}
	c.items = json_array();
	enum rh_err rc = list_or_phone(r, &f, &c, &total);
	if (rc != RH_OK) {
		json_decref(c.items);
		return req_fail(r, rc, NULL);
	}
	return reply_page(r, c.items, total, f.limit, f.offset);
}

enum rh_err h_staff_create(struct rh_req *r)
{
	struct staff *s = arena_alloc(r->arena, sizeof *s);
	if (!s) return req_fail(r, RH_ERR_NOMEM, NULL);
	memset(s, 0, sizeof *s);
	s->tenant_id = r->sess.tenant_id;
	s->status = STAFF_CANDIDATE;
	snprintf(s->staff_no, sizeof s->staff_no, "%s", in_str(r, B_KEY));
	apply(r, s);
	/* A person comes in as a candidate and goes through the hiring
	 * pipeline (S2); one already known to be unfit is put on file
	 * blacklisted, so that their ID number is refused later (S6). An
	 * existing workforce comes in by import. */
	if (s->status != STAFF_CANDIDATE && s->status != STAFF_BLACKLISTED)
		return req_fail_why(r, RH_ERR_FIELD_INVALID, B_STATUS, "新建人员只能是候选或不良信用记录，上岗须走招聘流程",
				    "a new worker is a candidate (or blacklisted); becoming active goes through hiring");
	struct actor a = req_actor(r, in_str(r, B_REASON));
	enum rh_err rc = store_staff_create(req_db(r), &a, s, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 201, staff_to_json(s, masked));
}

enum rh_err h_staff_get(struct rh_req *r)
{
	struct staff *s = arena_alloc(r->arena, sizeof *s);
	if (!s) return req_fail(r, RH_ERR_NOMEM, NULL);
	int reveal = r->q[0].present ? (int)r->q[0].i : -1;	/* 0 phone, 1 id_number */
	if (reveal >= 0 && !(r->sess.user.roles & (reveal == 0 ? STAFF_PHONE_READERS : ID_READERS)))
		return req_fail(r, RH_ERR_FORBIDDEN, "reveal");
	enum rh_err rc = store_staff_get(req_db(r), r->sess.tenant_id, r->path_id, reveal == 1, s);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	struct hh_view v = masked;
	/* reveal=id_number shows the birth date with it, or alone when no
	 * number is on file: it is part of the number (staff_birth_text). */
	int has = reveal == 0 ? s->phone[0] != '\0' : s->id_number[0] != '\0' || s->has_birth_date;
	if (reveal >= 0 && has) {
		struct actor a = req_actor(r, NULL);
		rc = store_audit_view(r->db, &a, r->sess.tenant_id, "staff", s->id, reveal == 0 ? "phone" : "id_number");
		if (rc != RH_OK) return req_fail(r, rc, NULL);
		if (reveal == 0) v.phone = PII_FULL;
		else v.id_number = PII_FULL;
	}
	return reply_json(r, 200, staff_to_json(s, v));
}

/* Says which hiring steps have not passed: in the message, and as
 * "missing_steps" beside the error for the UI. */
static enum rh_err hiring_missing(struct rh_req *r, enum rh_err rc)
{
	unsigned passed = 0;
	if (store_hiring_passed(req_db(r), r->sess.tenant_id, r->path_id, &passed) != RH_OK) return rc;
	return req_hiring_steps(r, rc, ~passed & ((1u << STEP__COUNT) - 1), "", "", "missing_steps");
}

enum rh_err h_staff_update(struct rh_req *r)
{
	struct staff *s = arena_alloc(r->arena, sizeof *s), *out = arena_alloc(r->arena, sizeof *out);
	if (!s || !out) return req_fail(r, RH_ERR_NOMEM, NULL);
	enum rh_err rc = store_staff_get(req_db(r), r->sess.tenant_id, r->path_id, 0, s);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	if ((rc = req_read_version(r, s->version, in_int(r, B_KEY, 0))) != RH_OK) return rc;
	int id_change = apply(r, s);
	struct actor a = req_actor(r, in_str(r, B_REASON));
	rc = store_staff_update(req_db(r), &a, r->sess.tenant_id, r->path_id, in_int(r, B_KEY, 0), s, id_change, out,
				&r->fail);
	if (rc == RH_ERR_HIRING_INCOMPLETE) return hiring_missing(r, rc);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, staff_to_json(out, masked));
}

/* ---- the photo ---- */

static const struct field photo_fields[] = {
	{ "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
};
const struct schema staff_photo_query = SCHEMA(photo_fields);

/* What the bytes are, by their content (libmagic), not by what the
 * client says: "image/jpeg", "image/png", or NULL for anything else. */
static const char *image_type(const void *data, size_t len)
{
	magic_t m = magic_open(MAGIC_MIME_TYPE);
	const char *type = NULL;
	if (m && magic_load(m, NULL) == 0) {
		const char *t = magic_buffer(m, data, len);
		if (t && strcmp(t, "image/jpeg") == 0) type = "image/jpeg";
		else if (t && strcmp(t, "image/png") == 0) type = "image/png";
	}
	if (m) magic_close(m);
	return type;
}

enum rh_err h_staff_photo_put(struct rh_req *r)
{
	if (r->body.len == 0) return req_fail(r, RH_ERR_FIELD_REQUIRED, "photo");
	if (r->body.len > PHOTO_MAX) {
		req_fail(r, RH_ERR_BODY_TOO_LARGE, "photo");
		r->fail.n = PHOTO_MAX;
		return RH_ERR_BODY_TOO_LARGE;
	}
	const char *type = image_type(r->body.data, r->body.len);
	if (!type) {
		req_fail(r, RH_ERR_FIELD_INVALID, "photo");
		r->fail.label_zh = "照片";
		r->fail.label_en = "photo";
		r->fail.detail_zh = "须为 JPEG 或 PNG 图片";
		r->fail.detail_en = "must be a JPEG or PNG image";
		return RH_ERR_FIELD_INVALID;
	}
	struct staff *s = arena_alloc(r->arena, sizeof *s);
	if (!s) return req_fail(r, RH_ERR_NOMEM, NULL);
	struct actor a = req_actor(r, NULL);
	enum rh_err rc = store_staff_set_photo(req_db(r), &a, r->sess.tenant_id, r->path_id, param_int(r, 0, 0), type,
					       (const unsigned char *)r->body.data, r->body.len, s, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, staff_to_json(s, masked));
}

enum rh_err h_staff_photo_get(struct rh_req *r)
{
	char type[16];
	unsigned char *data;
	size_t len;
	enum rh_err rc = store_staff_photo(req_db(r), r->sess.tenant_id, r->path_id, type, &data, &len);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	return reply_raw(r, 200, type, data, len, 1);
}
