/*
 * h_tenant.c — the caller's own organisation. A signed-in user sees only
 * their own tenant (SPEC X1); creating tenants is an operator's task
 * (`ruhu init`).
 */
#include "http/handlers.h"

enum { TU_VERSION, TU_NAME, TU_REASON };
static const struct field update_fields[] = {
	[TU_VERSION] = { "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	[TU_NAME] = { "name", FT_STRING, F_REQUIRED, 1, TENANT_NAME_MAX, NULL, NULL, "单位名称", "name" },
	[TU_REASON] = { "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" },
};
const struct schema tenant_update_body = SCHEMA(update_fields);

enum rh_err h_tenant_get(struct rh_req *r)
{
	struct tenant t;
	enum rh_err rc = store_tenant_get(req_db(r), r->sess.tenant_id, &t);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	return reply_json(r, 200, tenant_to_json(&t));
}

enum rh_err h_tenant_update(struct rh_req *r)
{
	struct tenant t;
	struct actor a = req_actor(r, in_str(r, TU_REASON));
	enum rh_err rc = store_tenant_rename(req_db(r), &a, r->sess.tenant_id, in_int(r, TU_VERSION, 0),
					     in_str(r, TU_NAME), &t, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, tenant_to_json(&t));
}
