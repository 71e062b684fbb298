/*
 * h_household.c — households (户 / 燃气用户, SPEC G1): list and search,
 * export, create, show, change.
 *
 * Personal data (SPEC X5): phones and ID numbers are masked in every
 * answer; ?reveal= shows one in full to a role that needs it, after the
 * view is written to the audit trail (no audit entry, no view). Which
 * roles those are is decided here, next to the fields they concern; which
 * roles may call a route at all is the route table's (routes.c).
 */
#include <stdlib.h>
#include <string.h>
#include "app/tabular.h"
#include "http/access.h"
#include "http/handlers.h"


static const char *const sort_keys[] = { "id", "account_no", "name", "updated_at", NULL };
static const char *const orders[] = { "asc", "desc", NULL };
static const char *const revealable[] = { "phone", "id_number", NULL };

static int phone_ok(const char *s) { return s[0] == '\0' || phone_valid(s); }
static int id_ok(const char *s) { return s[0] == '\0' || idcard_valid(s); }
static int code_ok(const char *s) { return s[0] == '\0' || account_no_valid(s); }

enum { HL_Q, HL_SITE, HL_CATEGORY, HL_FLAG, HL_STATUS, HL_SORT, HL_ORDER, HL_FORMAT, HL_LIMIT, HL_OFFSET };
static const struct field list_fields[] = {
	[HL_Q] = { "q", FT_STRING, F_FOLD_NUMBER, 1, 64, NULL, NULL, "关键字", "search text" },
	[HL_SITE] = { "site_id", FT_INT, 0, 1, INT32_MAX, NULL, NULL, "小区/楼栋/单元", "site" },
	[HL_CATEGORY] = { "category", FT_ENUM, 0, 0, 0, hh_category_codes, NULL, "用户类别", "category" },
	[HL_FLAG] = { "flag", FT_ENUM, 0, 0, 0, hh_flag_codes, NULL, "标记", "flag" },
	[HL_STATUS] = { "status", FT_ENUM, 0, 0, 0, hh_status_codes, NULL, "状态", "status" },
	[HL_SORT] = { "sort", FT_ENUM, 0, 0, 0, sort_keys, NULL, "排序字段", "sort key" },
	[HL_ORDER] = { "order", FT_ENUM, 0, 0, 0, orders, NULL, "排序方向", "sort order" },
	EXPORT_FIELD(HL_FORMAT),
	PAGE_FIELDS,
};
const struct schema household_list_query = SCHEMA(list_fields);

enum { HG_REVEAL };
static const struct field get_fields[] = {
	[HG_REVEAL] = { "reveal", FT_ENUM, 0, 0, 0, revealable, NULL, "显示完整信息", "reveal" },
};
const struct schema household_get_query = SCHEMA(get_fields);

/* The fields a create and an update share, in this order after the
 * create's account_no or the update's version. */
#define SHARED(req) \
	{ "name", FT_STRING, req, 1, HH_NAME_MAX, NULL, NULL, "户名", "name" }, \
	{ "phone", FT_STRING, F_NULLABLE | F_FOLD, 0, PHONE_MAX, NULL, phone_ok, "电话", "phone", PHONE_RULE_ZH, PHONE_RULE_EN }, \
	{ "phone2", FT_STRING, F_NULLABLE | F_FOLD, 0, PHONE_MAX, NULL, phone_ok, "备用电话", "second phone", PHONE_RULE_ZH, PHONE_RULE_EN }, \
	{ "site_id", FT_INT, F_NULLABLE, 0, INT32_MAX, NULL, NULL, "小区/楼栋/单元", "site" }, \
	{ "room", FT_STRING, F_NULLABLE | F_FOLD, 0, ROOM_MAX, NULL, NULL, "门牌号", "room" }, \
	{ "address", FT_STRING, F_NULLABLE, 0, ADDRESS_MAX, NULL, NULL, "地址", "address" }, \
	{ "category", FT_ENUM, req, 0, 0, hh_category_codes, NULL, "用户类别", "category" }, \
	{ "meter_location", FT_ENUM, 0, 0, 0, hh_location_codes, NULL, "表具位置", "meter location" }, \
	{ "meter_type", FT_ENUM, 0, 0, 0, hh_meter_type_codes, NULL, "表具类型", "meter type" }, \
	{ "meter_no", FT_STRING, F_NULLABLE | F_FOLD, 0, METER_NO_MAX, NULL, code_ok, "表号", "meter number", ACCOUNT_NO_RULE_ZH, ACCOUNT_NO_RULE_EN }, \
	{ "flags", FT_SET, 0, 0, 0, hh_flag_codes, NULL, "标记", "flags" }, \
	{ "id_number", FT_STRING, F_NULLABLE | F_FOLD, 0, IDCARD_LEN, NULL, id_ok, "身份证号", "ID number", IDCARD_RULE_ZH, IDCARD_RULE_EN }, \
	{ "notes", FT_TEXT, F_NULLABLE, 0, NOTES_MAX, NULL, NULL, "备注", "notes" }, \
	{ "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" }

/* Index 0 is account_no (create) or version (update); then SHARED; the
 * update adds status last. */
enum { B_KEY, B_NAME, B_PHONE, B_PHONE2, B_SITE, B_ROOM, B_ADDRESS, B_CATEGORY, B_METER_LOCATION, B_METER_TYPE,
       B_METER_NO, B_FLAGS, B_ID, B_NOTES, B_REASON, B_STATUS };
static const struct field create_fields[] = {
	{ "account_no", FT_STRING, F_REQUIRED | F_FOLD, 1, ACCOUNT_NO_MAX, NULL, account_no_valid, "户号", "account number", ACCOUNT_NO_RULE_ZH, ACCOUNT_NO_RULE_EN },
	SHARED(F_REQUIRED),
};
static const struct field update_fields[] = {
	{ "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	SHARED(0),
	{ "status", FT_ENUM, 0, 0, 0, hh_status_codes, NULL, "状态", "status" },
};
const struct schema household_create_body = SCHEMA(create_fields);
const struct schema household_update_body = SCHEMA(update_fields);

/* The body's fields over h (absent fields stay as they are). Returns
 * whether the body names id_number. */
static int apply(const struct rh_req *r, struct household *h)
{
	in_copy(r, B_NAME, h->name, sizeof h->name);
	in_copy(r, B_PHONE, h->phone, sizeof h->phone);
	in_copy(r, B_PHONE2, h->phone2, sizeof h->phone2);
	if (in_has(r, B_SITE)) {
		h->site_id = in_int(r, B_SITE, 0);
		if (h->address_auto && !in_has(r, B_ADDRESS)) h->address[0] = '\0';	/* made again from the new site */
	}
	if (in_has(r, B_ROOM) && h->address_auto && !in_has(r, B_ADDRESS)) h->address[0] = '\0';	/* remade */
	in_copy(r, B_ROOM, h->room, sizeof h->room);
	if (in_has(r, B_ADDRESS)) {
		in_copy(r, B_ADDRESS, h->address, sizeof h->address);
		h->address_auto = 0;	/* given: kept as written (empty: made from the site) */
	}
	if (in_has(r, B_CATEGORY)) h->category = (enum hh_category)r->in[B_CATEGORY].i;
	if (in_has(r, B_METER_LOCATION)) h->meter_location = (enum meter_location)r->in[B_METER_LOCATION].i;
	if (in_has(r, B_METER_TYPE)) h->meter_type = (enum meter_type)r->in[B_METER_TYPE].i;
	in_copy(r, B_METER_NO, h->meter_no, sizeof h->meter_no);
	if (in_has(r, B_FLAGS)) h->flags = (unsigned)r->in[B_FLAGS].i;
	in_copy(r, B_NOTES, h->notes, sizeof h->notes);
	if (!in_has(r, B_ID)) return 0;
	const char *id = in_str(r, B_ID) ? in_str(r, B_ID) : "";
	if (idcard_normalise(id, h->id_number) != 0) h->id_number[0] = '\0';
	return 1;
}

/* Every answer masks; only a reveal (h_household_get) unmasks one field. */
static const struct hh_view masked = { PII_MASKED, PII_MASKED };

struct list_ctx {
	json_t *items;
	struct list_export *ex;
};

static int add_item(const struct household *h, void *arg)
{
	struct list_ctx *c = arg;
	if (c->ex) {
		char cells[HC__COUNT][CELL_CAP];
		const char *p[HC__COUNT];
		household_to_cells(h, c->ex->en, cells, p);
		return export_add(c->ex, p);
	}
	json_array_append_new(c->items, household_to_json(h, masked));
	return 0;
}

/* The list, and for a phone typed with separators that finds nothing as
 * typed (136-8596-0094, +86 136…: phones are mostly stored as digits),
 * the list of its digits: a first pass that found nothing added nothing. */
static enum rh_err list_or_phone(struct rh_req *r, struct household_filter *f, struct list_ctx *c, int64_t *total,
				 int *exact)
{
	char digits[72];
	enum rh_err rc = store_household_list(req_db(r), r->sess.tenant_id, f, add_item, c, total, exact);
	if (rc != RH_OK || *total || !f->q || !phone_search_digits(f->q, digits, sizeof digits)) return rc;
	f->q = digits;
	return store_household_list(req_db(r), r->sess.tenant_id, f, add_item, c, total, exact);
}

enum rh_err h_household_list(struct rh_req *r)
{
	struct household_filter f = {
		.q = param_str(r, HL_Q),
		.phones_hidden = !(r->sess.user.roles & HOUSEHOLD_PHONE_READERS),
		.site_id = param_int(r, HL_SITE, 0),
		.scope = SCOPE(r),
		.category = (int)param_int(r, HL_CATEGORY, -1),
		.flag = r->q[HL_FLAG].present ? 1u << r->q[HL_FLAG].i : 0,
		.status = (int)param_int(r, HL_STATUS, -1),
		.sort = (enum household_sort)param_int(r, HL_SORT, HH_SORT_ID),
		.desc = (int)param_int(r, HL_ORDER, 0),
		.limit = (int)param_int(r, HL_LIMIT, PAGE_DEFAULT_LIMIT),
		.offset = (int)param_int(r, HL_OFFSET, 0),
	};
	struct list_ctx c = { NULL, NULL };
	int64_t total = 0;
	int exact = 1;
	if (r->q[HL_FORMAT].present) {
		struct list_export ex;
		const char *headers[HC__COUNT];
		for (int i = 0; i < HC__COUNT; i++) headers[i] = column_header(&household_columns[i], r->lang_en);
		enum rh_err rc = export_begin(r, (int)r->q[HL_FORMAT].i, r->lang_en ? "Households" : "住户", headers,
					      HC__COUNT, &total, &exact, &ex);
		if (rc != RH_OK) return rc;
		c.ex = &ex;
		f.limit = EXPORT_MAX_ROWS + 1;
		f.offset = 0;
		f.count_cap = EXPORT_MAX_ROWS;
		rc = list_or_phone(r, &f, &c, &total, &exact);
		return export_end(r, &ex, rc, "household", "households");
	}
	c.items = json_array();
	enum rh_err rc = list_or_phone(r, &f, &c, &total, &exact);
	if (rc != RH_OK) {
		json_decref(c.items);
		return req_fail(r, rc, NULL);
	}
	rc = reply_page(r, c.items, total, f.limit, f.offset);
	if (rc == RH_OK) json_object_set_new(r->out, "total_exact", json_boolean(exact));
	return rc;
}

/* SPEC X1: a limited account files a household under one of its own
 * sites, and always under one. */
static enum rh_err site_allowed(struct rh_req *r, const struct household *h)
{
	int yes;
	enum rh_err rc = req_site_visible(r, h->site_id, &yes);
	if (rc != RH_OK || yes) return rc;
	if (!h->site_id)
		return req_fail_why(r, RH_ERR_FIELD_REQUIRED, B_SITE, "您的账号只能查看部分小区，住户须归入其中之一",
				    "your account sees only some sites: the household must be filed under one of them");
	return req_fail_in(r, RH_ERR_FIELD_INVALID, B_SITE);	/* as a site that is not there */
}

/* A household a limited account may not see is not found (SPEC X1). */
static enum rh_err visible(struct rh_req *r, const struct household *h)
{
	int yes;
	enum rh_err rc = req_site_visible(r, h->site_id, &yes);
	if (rc == RH_OK && !yes) rc = RH_ERR_NOT_FOUND;
	return rc == RH_OK ? rc : req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
}

enum rh_err h_household_create(struct rh_req *r)
{
	struct household *h = arena_alloc(r->arena, sizeof *h);
	if (!h) return req_fail(r, RH_ERR_NOMEM, NULL);
	memset(h, 0, sizeof *h);
	h->tenant_id = r->sess.tenant_id;
	snprintf(h->account_no, sizeof h->account_no, "%s", in_str(r, B_KEY));
	apply(r, h);
	enum rh_err rc = site_allowed(r, h);
	if (rc != RH_OK) return rc;
	struct actor a = req_actor(r, in_str(r, B_REASON));
	rc = store_household_create(req_db(r), &a, h, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 201, household_to_json(h, masked));
}

enum rh_err h_household_get(struct rh_req *r)
{
	struct household *h = arena_alloc(r->arena, sizeof *h);
	if (!h) return req_fail(r, RH_ERR_NOMEM, NULL);
	int reveal = r->q[HG_REVEAL].present ? (int)r->q[HG_REVEAL].i : -1;	/* 0 phone, 1 id_number */
	if (reveal >= 0 && !(r->sess.user.roles & (reveal == 0 ? HOUSEHOLD_PHONE_READERS : ID_READERS)))
		return req_fail(r, RH_ERR_FORBIDDEN, "reveal");
	enum rh_err rc = store_household_get(req_db(r), r->sess.tenant_id, r->path_id, reveal == 1, h);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	if ((rc = visible(r, h)) != RH_OK) return rc;
	struct hh_view v = masked;
	const char *what = reveal == 0 ? "phone" : "id_number";
	int has = reveal == 0 ? (h->phone[0] || h->phone2[0]) : h->id_number[0] != '\0';
	if (reveal >= 0 && has) {
		struct actor a = req_actor(r, NULL);
		rc = store_audit_view(r->db, &a, r->sess.tenant_id, "household", h->id, what);
		if (rc != RH_OK) return req_fail(r, rc, NULL);	/* no audit, no view */
		if (reveal == 0) v.phone = PII_FULL;
		else v.id_number = PII_FULL;
	}
	return reply_json(r, 200, household_to_json(h, v));
}

enum rh_err h_household_update(struct rh_req *r)
{
	struct household *h = arena_alloc(r->arena, sizeof *h), *out = arena_alloc(r->arena, sizeof *out);
	if (!h || !out) return req_fail(r, RH_ERR_NOMEM, NULL);
	enum rh_err rc = store_household_get(req_db(r), r->sess.tenant_id, r->path_id, 0, h);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	if ((rc = visible(r, h)) != RH_OK) return rc;
	if ((rc = req_read_version(r, h->version, in_int(r, B_KEY, 0))) != RH_OK) return rc;
	int id_change = apply(r, h);
	if ((rc = site_allowed(r, h)) != RH_OK) return rc;
	if (in_has(r, B_STATUS)) h->status = (enum hh_status)r->in[B_STATUS].i;
	struct actor a = req_actor(r, in_str(r, B_REASON));
	rc = store_household_update(req_db(r), &a, r->sess.tenant_id, r->path_id, in_int(r, B_KEY, 0), h, id_change,
				    out, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, household_to_json(out, masked));
}
