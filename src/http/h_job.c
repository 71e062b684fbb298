/*
 * h_job.c — background jobs for admins: what is queued, what ran, what
 * failed and why; retry a dead job, cancel a pending one.
 */
#include <time.h>
#include "app/jobs.h"
#include "http/handlers.h"

static const char *const states[] = { "pending", "running", "done", "dead", "cancelled", NULL };

enum { JL_STATE, JL_KIND, JL_LIMIT, JL_OFFSET };
static const struct field list_fields[] = {
	[JL_STATE] = { "state", FT_ENUM, 0, 0, 0, states, NULL, "状态", "state" },
	[JL_KIND] = { "kind", FT_ENUM, 0, 0, 0, job_kind_codes, NULL, "任务类型", "kind" },
	PAGE_FIELDS,
};
const struct schema job_list_query = SCHEMA(list_fields);

enum { JA_VERSION, JA_REASON };
static const struct field action_fields[] = {
	[JA_VERSION] = { "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	[JA_REASON] = { "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" },
};
const struct schema job_action_body = SCHEMA(action_fields);

struct list_ctx {
	json_t *items;
	int en;
};

static int add_job(const struct job *j, void *arg)
{
	struct list_ctx *c = arg;
	json_array_append_new(c->items, job_to_json(j, c->en));
	return 0;
}

enum rh_err h_job_list(struct rh_req *r)
{
	struct job_filter f = {
		.state = (int)param_int(r, JL_STATE, -1), .kind = param_str(r, JL_KIND),
		.limit = (int)param_int(r, JL_LIMIT, PAGE_DEFAULT_LIMIT), .offset = (int)param_int(r, JL_OFFSET, 0),
	};
	struct list_ctx c = { json_array(), r->lang_en };
	int64_t total = 0;
	enum rh_err rc = store_job_list(req_db(r), r->sess.tenant_id, &f, add_job, &c, &total);
	if (rc != RH_OK) {
		json_decref(c.items);
		return req_fail(r, rc, NULL);
	}
	return reply_page(r, c.items, total, f.limit, f.offset);
}

enum rh_err h_job_get(struct rh_req *r)
{
	struct job j;
	enum rh_err rc = store_job_get(req_db(r), r->sess.tenant_id, r->path_id, &j);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	return reply_json(r, 200, job_to_json(&j, r->lang_en));
}

typedef enum rh_err (*job_action)(struct db *, const struct actor *, int64_t, int64_t, int64_t, int64_t,
				  struct job *, struct rh_fail *);

static enum rh_err act(struct rh_req *r, job_action fn)
{
	struct job j;
	struct actor a = req_actor(r, in_str(r, JA_REASON));
	enum rh_err rc = fn(req_db(r), &a, r->sess.tenant_id, r->path_id, in_int(r, JA_VERSION, 0),
			    (int64_t)time(NULL), &j, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, job_to_json(&j, r->lang_en));
}

enum rh_err h_job_retry(struct rh_req *r) { return act(r, store_job_retry); }
enum rh_err h_job_cancel(struct rh_req *r) { return act(r, store_job_cancel); }
