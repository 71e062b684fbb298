/*
 * h_site.c — the site tree (SPEC X1): estates, buildings, units.
 */
#include <string.h>
#include "core/household.h"
#include "http/access.h"
#include "http/handlers.h"

static int no_slash(const char *s) { return strchr(s, '/') == NULL; }
static int code_ok(const char *s) { return s[0] == '\0' || account_no_valid(s); }
#define NAME_RULE_ZH "不能含有“/”"
#define NAME_RULE_EN "may not hold \"/\""

enum { SL_PARENT, SL_KIND, SL_Q, SL_FORMAT, SL_LIMIT, SL_OFFSET };
static const struct field list_fields[] = {
	[SL_PARENT] = { "parent_id", FT_INT, 0, 0, INT32_MAX, NULL, NULL, "上级", "parent" },
	[SL_KIND] = { "kind", FT_ENUM, 0, 0, 0, site_kind_codes, NULL, "类型", "kind" },
	[SL_Q] = { "q", FT_STRING, F_FOLD_NUMBER, 1, 64, NULL, NULL, "关键字", "search text" },
	EXPORT_FIELD(SL_FORMAT),
	PAGE_FIELDS,
};
const struct schema site_list_query = SCHEMA(list_fields);

#define PARTS \
	{ "code", FT_STRING, F_NULLABLE | F_FOLD, 0, SITE_CODE_MAX, NULL, code_ok, "编号", "code", ACCOUNT_NO_RULE_ZH, ACCOUNT_NO_RULE_EN }, \
	{ "province", FT_STRING, F_NULLABLE, 0, SITE_PART_MAX, NULL, NULL, "省", "province" }, \
	{ "city", FT_STRING, F_NULLABLE, 0, SITE_PART_MAX, NULL, NULL, "市", "city" }, \
	{ "district", FT_STRING, F_NULLABLE, 0, SITE_PART_MAX, NULL, NULL, "区", "district" }, \
	{ "street", FT_STRING, F_NULLABLE, 0, SITE_PART_MAX, NULL, NULL, "街道", "street" }, \
	{ "address", FT_STRING, F_NULLABLE, 0, SITE_ADDRESS_MAX, NULL, NULL, "地址", "address" }, \
	{ "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" }

/* 0: kind (create) or version (update); 1: name; 2: parent_id (create
 * only, else unused); then the parts. */
enum { B_KEY, B_NAME, B_PARENT, B_CODE, B_PROVINCE, B_CITY, B_DISTRICT, B_STREET, B_ADDRESS, B_REASON };
static const struct field create_fields[] = {
	{ "kind", FT_ENUM, F_REQUIRED, 0, 0, site_kind_codes, NULL, "类型", "kind" },
	{ "name", FT_STRING, F_REQUIRED, 1, SITE_NAME_MAX, NULL, no_slash, "名称", "name", NAME_RULE_ZH, NAME_RULE_EN },
	{ "parent_id", FT_INT, 0, 0, INT32_MAX, NULL, NULL, "上级", "parent" },
	PARTS,
};
static const struct field update_fields[] = {
	{ "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	{ "name", FT_STRING, 0, 1, SITE_NAME_MAX, NULL, no_slash, "名称", "name", NAME_RULE_ZH, NAME_RULE_EN },
	{ "parent_id", FT_INT, 0, 0, 0, NULL, NULL, "上级（不可修改）", "parent (cannot change)" },
	PARTS,
};
const struct schema site_create_body = SCHEMA(create_fields);
const struct schema site_update_body = SCHEMA(update_fields);

static void apply(const struct rh_req *r, struct site *s)
{
	in_copy(r, B_NAME, s->name, sizeof s->name);
	in_copy(r, B_CODE, s->code, sizeof s->code);
	in_copy(r, B_PROVINCE, s->province, sizeof s->province);
	in_copy(r, B_CITY, s->city, sizeof s->city);
	in_copy(r, B_DISTRICT, s->district, sizeof s->district);
	in_copy(r, B_STREET, s->street, sizeof s->street);
	in_copy(r, B_ADDRESS, s->address, sizeof s->address);
}

struct list_ctx {
	json_t *items;
	struct list_export *ex;
};

static int add_item(const struct site *s, void *arg)
{
	struct list_ctx *c = arg;
	if (!c->ex) {
		json_array_append_new(c->items, site_to_json(s));
		return 0;
	}
	char display[sizeof s->path * 3], kids[24], hh[24];
	site_display_address(s, display, sizeof display);
	snprintf(kids, sizeof kids, "%lld", (long long)s->children);
	snprintf(hh, sizeof hh, "%lld", (long long)s->households);
	const char *cells[] = { choice_label(&site_kind_set, (int)s->kind, c->ex->en), s->path, s->code, display, kids, hh };
	return export_add(c->ex, cells);
}

enum rh_err h_site_list(struct rh_req *r)
{
	struct site_filter f = {
		.parent_id = param_int(r, SL_PARENT, 0),
		.q = param_str(r, SL_Q),
		.kind = (int)param_int(r, SL_KIND, -1),
		.scope = SCOPE(r),
		.limit = (int)param_int(r, SL_LIMIT, PAGE_DEFAULT_LIMIT),
		.offset = (int)param_int(r, SL_OFFSET, 0),
	};
	struct list_ctx c = { NULL, NULL };
	int64_t total = 0;
	if (r->q[SL_FORMAT].present) {
		static const char *const zh[] = { "类型", "名称", "编号", "地址", "下级数", "住户数" };
		static const char *const en[] = { "Kind", "Name", "Code", "Address", "Children", "Households" };
		struct list_export ex;
		enum rh_err rc = export_begin(r, (int)r->q[SL_FORMAT].i, r->lang_en ? "Sites" : "小区", r->lang_en ? en : zh, 6, &total,
					      NULL, &ex);
		if (rc != RH_OK) return rc;
		c.ex = &ex;
		f.limit = EXPORT_MAX_ROWS + 1;
		f.offset = 0;
		rc = store_site_list(req_db(r), r->sess.tenant_id, &f, add_item, &c, &total);
		return export_end(r, &ex, rc, "site", "sites");
	}
	c.items = json_array();
	enum rh_err rc = store_site_list(req_db(r), r->sess.tenant_id, &f, add_item, &c, &total);
	if (rc != RH_OK) {
		json_decref(c.items);
		return req_fail(r, rc, NULL);
	}
	return reply_page(r, c.items, total, f.limit, f.offset);
}

/* Site id as the caller may see it (SPEC X1): one outside their
 * estates is not found. */
static enum rh_err site_read(struct rh_req *r, int64_t id, struct site *s)
{
	int yes;
	enum rh_err rc = req_site_visible(r, id, &yes);
	if (rc == RH_OK) rc = yes ? store_site_get(req_db(r), r->sess.tenant_id, id, s) : RH_ERR_NOT_FOUND;
	return rc;
}

enum rh_err h_site_create(struct rh_req *r)
{
	struct site *s = arena_alloc(r->arena, sizeof *s);
	if (!s) return req_fail(r, RH_ERR_NOMEM, NULL);
	memset(s, 0, sizeof *s);
	s->tenant_id = r->sess.tenant_id;
	s->kind = (enum site_kind)r->in[B_KEY].i;
	s->parent_id = in_int(r, B_PARENT, 0);
	/* A building or a unit hangs on a parent: without one the request
	 * lacks a field (a wrong parent is field_invalid, from the store). */
	if (s->kind != SITE_ESTATE && !s->parent_id) return req_fail_in(r, RH_ERR_FIELD_REQUIRED, B_PARENT);
	/* A limited account builds inside its own estates (SPEC X1): a new
	 * estate would be one it does not see. */
	int yes;
	enum rh_err rc = req_site_visible(r, s->parent_id, &yes);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	if (!yes && !s->parent_id)
		return req_fail_why(r, RH_ERR_FORBIDDEN, B_KEY, "只有可查看全部小区的账号可以新建小区",
				    "only an account that sees every site may create an estate");
	if (!yes) return req_fail_in(r, RH_ERR_FIELD_INVALID, B_PARENT);	/* as a parent that is not there */
	apply(r, s);
	struct actor a = req_actor(r, in_str(r, B_REASON));
	rc = store_site_create(req_db(r), &a, s, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 201, site_to_json(s));
}

enum rh_err h_site_get(struct rh_req *r)
{
	struct site *s = arena_alloc(r->arena, sizeof *s);
	if (!s) return req_fail(r, RH_ERR_NOMEM, NULL);
	enum rh_err rc = site_read(r, r->path_id, s);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	return reply_json(r, 200, site_to_json(s));
}

enum rh_err h_site_update(struct rh_req *r)
{
	struct site *s = arena_alloc(r->arena, sizeof *s), *out = arena_alloc(r->arena, sizeof *out);
	if (!s || !out) return req_fail(r, RH_ERR_NOMEM, NULL);
	if (in_has(r, B_PARENT)) return req_fail_in(r, RH_ERR_FIELD_INVALID, B_PARENT);
	enum rh_err rc = site_read(r, r->path_id, s);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	if ((rc = req_read_version(r, s->version, in_int(r, B_KEY, 0))) != RH_OK) return rc;
	/* An estate's name is one of the organisation's, unique among them
	 * all: a limited account renaming its own would learn by a 409 which
	 * names the estates it does not see have (SPEC X1). Like a new
	 * estate, a new name is for an account that sees every site. */
	if (SCOPE(r) && s->kind == SITE_ESTATE && in_str(r, B_NAME) && strcmp(in_str(r, B_NAME), s->name) != 0)
		return req_fail_why(r, RH_ERR_FORBIDDEN, B_NAME, "只有可查看全部小区的账号可以修改小区名称",
				    "only an account that sees every site may rename an estate");
	apply(r, s);
	struct actor a = req_actor(r, in_str(r, B_REASON));
	rc = store_site_update(req_db(r), &a, r->sess.tenant_id, r->path_id, in_int(r, B_KEY, 0), s, out, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, site_to_json(out));
}
