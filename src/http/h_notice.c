/*
 * h_notice.c — the notification centre: each user's own notices, newest
 * first, with the unread count the UI shows on its bell.
 */
#include "http/handlers.h"

enum { NL_UNREAD, NL_LIMIT, NL_OFFSET };
static const struct field list_fields[] = {
	[NL_UNREAD] = { "unread", FT_BOOL, 0, 0, 0, NULL, NULL, "仅未读", "unread only" },
	PAGE_FIELDS,
};
const struct schema notice_list_query = SCHEMA(list_fields);

struct list_ctx {
	json_t *items;
	int en;
};

static int add_notice(const struct notice *n, void *arg)
{
	struct list_ctx *c = arg;
	json_array_append_new(c->items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:b}", "id", (json_int_t)n->id,
						  "kind", n->kind, "title", c->en ? n->title_en : n->title_zh, "body",
						  c->en ? n->body_en : n->body_zh, "link", n->link, "created_at",
						  (json_int_t)n->created_at, "read", n->read_at != 0));
	return 0;
}

enum rh_err h_notice_list(struct rh_req *r)
{
	int limit = (int)param_int(r, NL_LIMIT, PAGE_DEFAULT_LIMIT), offset = (int)param_int(r, NL_OFFSET, 0);
	struct list_ctx c = { json_array(), r->lang_en };
	int64_t total = 0, unread = 0;
	enum rh_err rc = store_notices(req_db(r), r->sess.user.id, (int)param_int(r, NL_UNREAD, 0), limit, offset,
				       add_notice, &c, &total, &unread);
	if (rc != RH_OK) {
		json_decref(c.items);
		return req_fail(r, rc, NULL);
	}
	rc = reply_page(r, c.items, total, limit, offset);
	if (rc == RH_OK) json_object_set_new(r->out, "unread", json_integer(unread));
	return rc;
}

enum rh_err h_notice_read(struct rh_req *r)
{
	enum rh_err rc = store_notice_read(req_db(r), r->sess.user.id, r->path_id);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	return reply_json(r, 200, json_pack("{s:b}", "read", 1));
}

enum rh_err h_notice_read_all(struct rh_req *r)
{
	enum rh_err rc = store_notice_read(req_db(r), r->sess.user.id, 0);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	return reply_json(r, 200, json_pack("{s:b}", "read", 1));
}
