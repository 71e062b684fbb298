/*
 * h_audit.c — reading and verifying the audit trail (SPEC X3). There is
 * no route that writes it: entries are appended by the store with every
 * change, and none can be edited or removed.
 */
#include "core/audit.h"
#include "http/access.h"
#include "http/handlers.h"

enum { AL_ENTITY, AL_ENTITY_ID, AL_ACTOR, AL_ACTION, AL_FROM, AL_TO, AL_FORMAT, AL_LIMIT, AL_OFFSET };
static const struct field list_fields[] = {
	[AL_ENTITY] = { "entity", FT_ENUM, 0, 0, 0, audit_entity_codes, NULL, "对象类型", "entity" },
	[AL_ENTITY_ID] = { "entity_id", FT_INT, 0, 1, INT64_MAX, NULL, NULL, "对象编号", "entity id" },
	[AL_ACTOR] = { "actor", FT_STRING, 0, 1, USERNAME_MAX, NULL, NULL, "操作人", "actor" },
	[AL_ACTION] = { "action", FT_ENUM, 0, 0, 0, audit_action_codes, NULL, "操作", "action" },
	[AL_FROM] = { "from", FT_DATETIME, 0, 0, 0, NULL, NULL, "起始时间", "from" },
	[AL_TO] = { "to", FT_DATETIME, 0, 0, 0, NULL, NULL, "截止时间", "to" },
	EXPORT_FIELD(AL_FORMAT),
	PAGE_FIELDS,
};
const struct schema audit_list_query = SCHEMA(list_fields);

static json_t *parsed(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	return j ? j : json_null();
}

struct export_ctx {
	struct list_export ex;
	int tz;
};

static int export_entry(const struct audit_entry *e, void *arg)
{
	struct export_ctx *c = arg;
	char seq[24], at[20], id[24];
	snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
	datetime_format_local(e->at, c->tz, at);
	snprintf(id, sizeof id, "%lld", (long long)e->entity_id);
	const char *cells[] = { seq, at, e->actor, e->ip ? e->ip : "", audit_action_name(e->action, c->ex.en),
				audit_entity_name(e->entity, c->ex.en), id,
				e->before ? e->before : "", e->after ? e->after : "", e->reason ? e->reason : "", e->hash };
	return export_add(&c->ex, cells);
}

static enum rh_err export_list(struct rh_req *r, struct audit_filter *f)
{
	static const char *const zh[] = { "序号", "时间", "操作人", "IP", "操作", "对象", "对象编号", "变更前", "变更后", "原因", "哈希" };
	static const char *const en[] = { "Seq", "Time", "Actor", "IP", "Action", "Entity", "Entity id", "Before", "After", "Reason", "Hash" };
	struct export_ctx c = { .tz = req_tz(r) };
	int64_t total = 0;
	enum rh_err rc = export_begin(r, (int)r->q[AL_FORMAT].i, r->lang_en ? "Audit" : "审计日志", r->lang_en ? en : zh, 11,
				      &total, NULL, &c.ex);
	if (rc != RH_OK) return rc;
	f->limit = EXPORT_MAX_ROWS + 1;
	f->offset = 0;
	rc = store_audit_list(req_db(r), r->sess.tenant_id, f, export_entry, &c, &total);
	return export_end(r, &c.ex, rc, "audit", "audit");
}

static int add_entry(const struct audit_entry *e, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:I, s:I, s:s, s:s?, s:s, s:s, s:I, s:o, s:o, s:s?, s:s, s:s}",
					     "seq", (json_int_t)e->seq, "at", (json_int_t)e->at, "actor_id",
					     (json_int_t)e->actor_id, "actor", e->actor, "ip", e->ip, "action",
					     e->action, "entity", e->entity, "entity_id", (json_int_t)e->entity_id,
					     "before", parsed(e->before), "after", parsed(e->after), "reason",
					     e->reason, "prev_hash", e->prev_hash, "hash", e->hash));
	return 0;
}

enum rh_err h_audit_list(struct rh_req *r)
{
	struct audit_filter f = {
		.entity = param_str(r, AL_ENTITY), .entity_id = param_int(r, AL_ENTITY_ID, 0),
		.actor = param_str(r, AL_ACTOR), .action = param_str(r, AL_ACTION),
		.from = param_int(r, AL_FROM, 0), .to = param_int(r, AL_TO, 0), .scope = SCOPE(r),
		.limit = (int)param_int(r, AL_LIMIT, PAGE_DEFAULT_LIMIT), .offset = (int)param_int(r, AL_OFFSET, 0),
	};
	if (r->q[AL_FORMAT].present) return export_list(r, &f);
	json_t *items = json_array();
	int64_t total = 0;
	enum rh_err rc = store_audit_list(req_db(r), r->sess.tenant_id, &f, add_entry, items, &total);
	if (rc != RH_OK) {
		json_decref(items);
		return req_fail(r, rc, NULL);
	}
	return reply_page(r, items, total, f.limit, f.offset);
}

enum rh_err h_audit_verify(struct rh_req *r)
{
	struct audit_check c;
	enum rh_err rc = store_audit_verify_one(req_db(r), r->sess.tenant_id, &c);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	return reply_json(r, 200, json_pack("{s:b, s:I, s:I, s:s, s:s}", "intact", c.broken_seq == 0, "entries",
					    (json_int_t)c.entries, "broken_seq", (json_int_t)c.broken_seq, "reason",
					    c.reason, "head_hash", c.head_hash));
}
