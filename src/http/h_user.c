/*
 * h_user.c — accounts admin: list, create, show, change, reset a
 * password, lift a lock-out.
 *
 * Phone numbers are personal data (SPEC X5): managers and auditors never
 * see them here (the audit trail, which auditors read, keeps them
 * masked); admins, who manage accounts, see them masked, and in full only
 * when they ask for it on the account's page (?reveal=phone) — a view
 * recorded in the audit trail before the number goes out.
 */
#include <stdlib.h>
#include <string.h>
#include "core/secret.h"
#include "http/access.h"
#include "http/handlers.h"

static const char *const sort_keys[] = { "id", "username", "display_name", "created_at", "last_login_at", NULL };
static const char *const orders[] = { "asc", "desc", NULL };
static const char *const statuses[] = { "active", "disabled", NULL };

static int phone_ok(const char *s) { return s[0] == '\0' || phone_valid(s); }

enum { UL_Q, UL_ROLE, UL_STATUS, UL_SORT, UL_ORDER, UL_FORMAT, UL_LIMIT, UL_OFFSET };
static const struct field list_fields[] = {
	[UL_Q] = { "q", FT_STRING, F_FOLD_NUMBER, 0, 64, NULL, NULL, "关键字", "search text" },
	[UL_ROLE] = { "role", FT_ROLES, 0, 0, 0, NULL, NULL, "角色", "role" },
	[UL_STATUS] = { "status", FT_ENUM, 0, 0, 0, statuses, NULL, "状态", "status" },
	[UL_SORT] = { "sort", FT_ENUM, 0, 0, 0, sort_keys, NULL, "排序字段", "sort key" },
	[UL_ORDER] = { "order", FT_ENUM, 0, 0, 0, orders, NULL, "排序方向", "sort order" },
	EXPORT_FIELD(UL_FORMAT),
	PAGE_FIELDS,
};
const struct schema user_list_query = SCHEMA(list_fields);

static const char *const revealable[] = { "phone", NULL };

enum { UG_REVEAL };
static const struct field get_fields[] = {
	[UG_REVEAL] = { "reveal", FT_ENUM, 0, 0, 0, revealable, NULL, "显示完整信息", "reveal" },
};
const struct schema user_get_query = SCHEMA(get_fields);

/* SPEC X1: what an account sees, on create and change alike. */
#define SITE_FIELDS(ALL, IDS) \
	[ALL] = { "all_sites", FT_BOOL, 0, 0, 0, NULL, NULL, "可见全部小区", "sees every site" }, \
	[IDS] = { "site_ids", FT_IDS, 0, 0, USER_SITES_MAX, NULL, NULL, "可见小区", "sites it sees" }

enum { UC_USERNAME, UC_NAME, UC_PHONE, UC_ROLES, UC_PASSWORD, UC_MUST_CHANGE, UC_REASON, UC_ALL_SITES, UC_SITE_IDS };
static const struct field create_fields[] = {
	[UC_USERNAME] = { "username", FT_STRING, F_REQUIRED | F_FOLD | F_LOWER, USERNAME_MIN, USERNAME_MAX, NULL, username_valid, "用户名", "user name", USERNAME_RULE_ZH, USERNAME_RULE_EN },
	[UC_NAME] = { "display_name", FT_STRING, F_REQUIRED, 1, DISPLAY_NAME_MAX, NULL, NULL, "姓名", "name" },
	[UC_PHONE] = { "phone", FT_STRING, F_NULLABLE | F_FOLD, 0, PHONE_MAX, NULL, phone_ok, "手机号", "phone", PHONE_RULE_ZH, PHONE_RULE_EN },
	[UC_ROLES] = { "roles", FT_ROLES, F_REQUIRED, 1, 0, NULL, NULL, "角色", "roles" },
	[UC_PASSWORD] = { "password", FT_PASSWORD, F_REQUIRED, PASSWORD_MIN, PASSWORD_MAX, NULL, password_acceptable, "初始密码", "initial password", PASSWORD_RULE_ZH, PASSWORD_RULE_EN },
	[UC_MUST_CHANGE] = { "must_change_password", FT_BOOL, 0, 0, 0, NULL, NULL, "首次登录须改密码", "must change password" },
	[UC_REASON] = { "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" },
	SITE_FIELDS(UC_ALL_SITES, UC_SITE_IDS),
};
const struct schema user_create_body = SCHEMA(create_fields);

enum { UU_VERSION, UU_NAME, UU_PHONE, UU_ROLES, UU_STATUS, UU_REASON, UU_ALL_SITES, UU_SITE_IDS };
static const struct field update_fields[] = {
	[UU_VERSION] = { "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	[UU_NAME] = { "display_name", FT_STRING, 0, 1, DISPLAY_NAME_MAX, NULL, NULL, "姓名", "name" },
	[UU_PHONE] = { "phone", FT_STRING, F_NULLABLE | F_FOLD, 0, PHONE_MAX, NULL, phone_ok, "手机号", "phone", PHONE_RULE_ZH, PHONE_RULE_EN },
	[UU_ROLES] = { "roles", FT_ROLES, 0, 1, 0, NULL, NULL, "角色", "roles" },
	[UU_STATUS] = { "status", FT_ENUM, 0, 0, 0, statuses, NULL, "状态", "status" },
	[UU_REASON] = { "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" },
	SITE_FIELDS(UU_ALL_SITES, UU_SITE_IDS),
};
const struct schema user_update_body = SCHEMA(update_fields);

enum { UP_VERSION, UP_PASSWORD, UP_MUST_CHANGE, UP_REASON };
static const struct field password_fields[] = {
	[UP_VERSION] = { "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	[UP_PASSWORD] = { "password", FT_PASSWORD, F_REQUIRED, PASSWORD_MIN, PASSWORD_MAX, NULL, password_acceptable, "新密码", "new password", PASSWORD_RULE_ZH, PASSWORD_RULE_EN },
	[UP_MUST_CHANGE] = { "must_change_password", FT_BOOL, 0, 0, 0, NULL, NULL, "首次登录须改密码", "must change password" },
	[UP_REASON] = { "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" },
};
const struct schema user_password_body = SCHEMA(password_fields);

enum { UK_VERSION, UK_REASON };
static const struct field unlock_fields[] = {
	[UK_VERSION] = { "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	[UK_REASON] = { "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" },
};
const struct schema user_unlock_body = SCHEMA(unlock_fields);

static int manages_accounts(const struct rh_req *r)
{
	return (r->sess.user.roles & ADMIN) != 0;
}

/* How the phone appears outside the account's own page. */
static enum pii_view phone_view(const struct rh_req *r)
{
	return manages_accounts(r) ? PII_MASKED : PII_HIDDEN;
}

/* The sites a request gives an account: all_sites true, or the estates
 * of site_ids (all_sites false or left out; [] sees none). Neither: as
 * they are. */
static enum rh_err grants_in(struct rh_req *r, int all, int ids, struct site_grants *g)
{
	memset(g, 0, sizeof *g);
	if (!in_has(r, all) && !in_has(r, ids)) return RH_OK;
	g->set = 1;
	g->limited = in_has(r, ids) || !in_int(r, all, 1);
	if (in_has(r, all) && in_int(r, all, 0) && in_has(r, ids))
		return req_fail_why(r, RH_ERR_FIELD_INVALID, ids, "可见全部小区时不再列出小区",
				    "not given when the account sees every site");
	if (g->limited && !in_has(r, ids)) return req_fail_in(r, RH_ERR_FIELD_REQUIRED, ids);
	if (g->limited) {
		g->estate_ids = r->in[ids].ids;
		g->n = (size_t)r->in[ids].i;
	}
	return RH_OK;
}

/* u as the API shows it, with the estates a limited account sees — to
 * a reader limited itself (a manager, an auditor), only those of them it
 * sees too: the others' ids would tell it of estates outside its own
 * (SPEC X1). Both lists are ascending. NULL when they could not be read. */
static json_t *account_json(struct rh_req *r, const struct user *u, enum pii_view phone)
{
	json_t *o = user_to_json(u, phone);
	if (!o || !u->sites_limited) return o;
	int64_t *ids = arena_alloc(r->arena, USER_SITES_MAX * sizeof *ids);
	int64_t *mine = SCOPE(r) ? arena_alloc(r->arena, USER_SITES_MAX * sizeof *mine) : NULL;
	size_t n = 0, m = 0, k = 0;
	json_t *a = json_array();
	enum rh_err rc = ids && a && (!SCOPE(r) || mine) ? RH_OK : RH_ERR_NOMEM;
	if (rc == RH_OK) rc = store_user_sites(req_db(r), u->tenant_id, u->id, ids, USER_SITES_MAX, &n);
	if (rc == RH_OK && mine) rc = store_user_sites(req_db(r), r->sess.tenant_id, SCOPE(r), mine, USER_SITES_MAX, &m);
	for (size_t i = 0; rc == RH_OK && i < n; i++) {
		while (mine && k < m && mine[k] < ids[i]) k++;
		if (!mine || (k < m && mine[k] == ids[i])) json_array_append_new(a, json_integer(ids[i]));
	}
	if (rc != RH_OK) {
		json_decref(a);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "site_ids", a);
	return o;
}

struct list_ctx {
	json_t *items;
	enum pii_view phones;
	struct list_export ex;
	int tz;
};

static int export_user(const struct user *u, struct list_ctx *c)
{
	char roles[512] = "", phone[PHONE_MAX + 1] = "", login[20] = "";
	size_t n = 0;
	for (int i = 0; i < ROLE__COUNT; i++)
		if (u->roles & RH_ROLE(i))
			n += (size_t)snprintf(roles + n, sizeof roles - n, "%s%s", n ? "、" : "",
					      c->ex.en ? role_info(i)->en : role_info(i)->zh);
	if (c->phones != PII_HIDDEN) mask_phone(u->phone, phone, sizeof phone);
	if (u->last_login_at) datetime_format_local(u->last_login_at, c->tz, login);
	const char *status = u->status == USER_DISABLED ? (c->ex.en ? "Disabled" : "已停用") : (c->ex.en ? "Active" : "启用");
	const char *sites = u->sites_limited ? (c->ex.en ? "Some" : "部分小区") : (c->ex.en ? "All" : "全部小区");
	const char *cells[] = { u->username, u->display_name, phone, roles, sites, status, login };
	return export_add(&c->ex, cells);
}

static int add_user(const struct user *u, void *arg)
{
	struct list_ctx *c = arg;
	if (c->ex.ex) return export_user(u, c);
	json_array_append_new(c->items, user_to_json(u, c->phones));
	return 0;
}

enum rh_err h_user_list(struct rh_req *r)
{
	struct user_filter f = {
		.q = param_str(r, UL_Q),
		.role = -1,
		.status = (int)param_int(r, UL_STATUS, -1),
		.sort = (enum user_sort)param_int(r, UL_SORT, USER_SORT_ID),
		.desc = (int)param_int(r, UL_ORDER, 0),
		.limit = (int)param_int(r, UL_LIMIT, PAGE_DEFAULT_LIMIT),
		.offset = (int)param_int(r, UL_OFFSET, 0),
	};
	if (r->q[UL_ROLE].present) {
		rh_roles set = (rh_roles)r->q[UL_ROLE].i;
		if (set == 0 || (set & (set - 1))) return req_fail(r, RH_ERR_FIELD_INVALID, "role");	/* one role */
		f.role = __builtin_ctz(set);
	}
	struct list_ctx c = { NULL, phone_view(r), { 0 }, req_tz(r) };
	int64_t total = 0;
	if (r->q[UL_FORMAT].present) {
		static const char *const zh[] = { "用户名", "姓名", "手机号", "角色", "可见小区", "状态", "最近登录" };
		static const char *const en[] = { "User name", "Name", "Phone", "Roles", "Sites", "Status", "Last sign-in" };
		enum rh_err rc = export_begin(r, (int)r->q[UL_FORMAT].i, r->lang_en ? "Accounts" : "账号", r->lang_en ? en : zh,
					      7, &total, NULL, &c.ex);
		if (rc != RH_OK) return rc;
		f.limit = EXPORT_MAX_ROWS + 1;
		f.offset = 0;
		rc = store_user_list(req_db(r), r->sess.tenant_id, &f, add_user, &c, &total);
		return export_end(r, &c.ex, rc, "user", "accounts");
	}
	c.items = json_array();
	enum rh_err rc = store_user_list(req_db(r), r->sess.tenant_id, &f, add_user, &c, &total);
	if (rc != RH_OK) {
		json_decref(c.items);
		return req_fail(r, rc, NULL);
	}
	return reply_page(r, c.items, total, f.limit, f.offset);
}

/* Both handlers that set a password run twice: first they hand the
 * argon2id hash to the hasher, then (wait WAIT_DONE) they store it. */
enum rh_err h_user_create(struct rh_req *r)
{
	struct site_grants g;
	enum rh_err rc = grants_in(r, UC_ALL_SITES, UC_SITE_IDS, &g);	/* before the slow hash */
	if (rc != RH_OK) return rc;
	if (r->wait != WAIT_DONE) return req_hash(r, HASH_MAKE, in_str(r, UC_PASSWORD), NULL, NULL);
	if (r->hash.ok != 1) return req_fail(r, RH_ERR_NOMEM, NULL);
	struct user u;
	memset(&u, 0, sizeof u);
	u.tenant_id = r->sess.tenant_id;
	snprintf(u.username, sizeof u.username, "%s", in_str(r, UC_USERNAME));
	snprintf(u.display_name, sizeof u.display_name, "%s", in_str(r, UC_NAME));
	if (in_str(r, UC_PHONE)) snprintf(u.phone, sizeof u.phone, "%s", in_str(r, UC_PHONE));
	u.roles = (rh_roles)r->in[UC_ROLES].i;
	u.status = USER_ACTIVE;
	u.must_change_password = (int)in_int(r, UC_MUST_CHANGE, 1);
	struct actor a = req_actor(r, in_str(r, UC_REASON));
	rc = store_user_create(req_db(r), &a, &u, r->hash.hash_out, &g, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 201, account_json(r, &u, PII_MASKED));
}

enum rh_err h_user_get(struct rh_req *r)
{
	/* The role first: refused only when a phone is on file, reveal would
	 * tell a manager which accounts have one. */
	if (r->q[UG_REVEAL].present && !manages_accounts(r)) return req_fail(r, RH_ERR_FORBIDDEN, "reveal");
	struct user u;
	enum rh_err rc = store_user_get(req_db(r), r->sess.tenant_id, r->path_id, &u);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	if (!r->q[UG_REVEAL].present || !u.phone[0]) return reply_json(r, 200, account_json(r, &u, phone_view(r)));
	struct actor a = req_actor(r, NULL);
	rc = store_audit_view(r->db, &a, r->sess.tenant_id, "user", u.id, "phone");
	if (rc != RH_OK) return req_fail(r, rc, NULL);	/* no audit, no view */
	return reply_json(r, 200, account_json(r, &u, PII_FULL));
}

enum rh_err h_user_update(struct rh_req *r)
{
	struct user_patch p = { .status = -1 };
	p.display_name = in_str(r, UU_NAME);
	if (in_has(r, UU_PHONE)) p.phone = in_str(r, UU_PHONE) ? in_str(r, UU_PHONE) : "";
	if (in_has(r, UU_ROLES)) {
		p.has_roles = 1;
		p.roles = (rh_roles)r->in[UU_ROLES].i;
	}
	if (in_has(r, UU_STATUS)) p.status = (int)r->in[UU_STATUS].i;
	enum rh_err rc = grants_in(r, UU_ALL_SITES, UU_SITE_IDS, &p.sites);
	if (rc != RH_OK) return rc;
	/* An admin cannot lock themselves out of administration. */
	if (r->path_id == r->sess.user_id &&
	    (p.status == USER_DISABLED || (p.has_roles && !(p.roles & ADMIN))))
		return req_fail_in(r, RH_ERR_SELF, p.status == USER_DISABLED ? UU_STATUS : UU_ROLES);
	struct user u;
	struct actor a = req_actor(r, in_str(r, UU_REASON));
	rc = store_user_update(req_db(r), &a, r->sess.tenant_id, r->path_id, in_int(r, UU_VERSION, 0), &p, &u,
			       &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, account_json(r, &u, PII_MASKED));
}

enum rh_err h_user_password(struct rh_req *r)
{
	if (r->wait != WAIT_DONE) return req_hash(r, HASH_MAKE, in_str(r, UP_PASSWORD), NULL, NULL);
	if (r->hash.ok != 1) return req_fail(r, RH_ERR_NOMEM, NULL);
	struct user u;
	struct actor a = req_actor(r, in_str(r, UP_REASON));
	int self = r->path_id == r->sess.user_id;
	enum rh_err rc = store_user_set_password(req_db(r), &a, r->sess.tenant_id, r->path_id,
						 in_int(r, UP_VERSION, 0), r->hash.hash_out,
						 self ? 0 : (int)in_int(r, UP_MUST_CHANGE, 1),
						 self ? r->sess.token_hash : NULL, &u, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, account_json(r, &u, PII_MASKED));
}

enum rh_err h_user_unlock(struct rh_req *r)
{
	struct user u;
	struct actor a = req_actor(r, in_str(r, UK_REASON));
	enum rh_err rc = store_user_unlock(req_db(r), &a, r->sess.tenant_id, r->path_id, in_int(r, UK_VERSION, 0),
					   &u, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, account_json(r, &u, PII_MASKED));
}
