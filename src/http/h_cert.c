/*
 * h_cert.c — certificates, what each job type requires, and the answer
 * to "may this worker be sent?" (SPEC S3, S4).
 *
 * The answer comes from core/eligibility.c alone; this file gathers the
 * facts and shows the result, for one job or for every job the worker
 * does (the staff page's "at a glance").
 */
#include <stdlib.h>
#include <string.h>
#include "http/access.h"
#include "http/handlers.h"

/* ---- certificates ---- */

#define CERT_SHARED(req) \
	{ "type", FT_ENUM, req, 0, 0, cert_type_codes, NULL, "证书类型", "certificate type" }, \
	{ "number", FT_STRING, req | F_FOLD, 1, TEXT_SHORT_MAX, NULL, NULL, "证书编号", "certificate number" }, \
	{ "issuer", FT_STRING, req, 1, TEXT_SHORT_MAX, NULL, NULL, "发证机关", "issuer" }, \
	{ "valid_from", FT_DATE, req, 0, 0, NULL, NULL, "有效期起", "valid from" }, \
	{ "valid_to", FT_DATE, req, 0, 0, NULL, NULL, "有效期至", "valid to" }, \
	{ "file_id", FT_INT, F_NULLABLE, 1, INT64_MAX, NULL, NULL, "扫描件", "scanned copy" }

enum { CB_TYPE, CB_NUMBER, CB_ISSUER, CB_FROM, CB_TO, CB_FILE, CB_VERSION, CB_REVOKED, CB_REASON };
static const struct field cert_create_fields[] = { CERT_SHARED(F_REQUIRED) };
static const struct field cert_update_fields[] = {
	CERT_SHARED(0),
	[CB_VERSION] = { "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	[CB_REVOKED] = { "revoked", FT_BOOL, 0, 0, 0, NULL, NULL, "已吊销", "revoked" },
	/* a certificate on file is evidence (X3): a correction or a
	 * revocation says why, or a year was added to its end unexplained */
	[CB_REASON] = { "reason", FT_STRING, F_REQUIRED, 1, 200, NULL, NULL, "更正或吊销的原因", "why corrected or revoked" },
};
const struct schema cert_create_body = SCHEMA(cert_create_fields);
const struct schema cert_update_body = SCHEMA(cert_update_fields);

/* Numbers are answered masked (certificate_to_json): one that holds the
 * mask's '*' was not typed in full, and would be stored masked. */
static enum rh_err number_masked(struct rh_req *r)
{
	const char *n = in_str(r, CB_NUMBER);
	if (!n || !strchr(n, '*')) return RH_OK;
	return req_fail_why(r, RH_ERR_FIELD_INVALID, CB_NUMBER, "含有脱敏显示的 *，请输入完整的证书编号",
			    "holds the mask's *: type the whole number");
}

static void cert_apply(const struct rh_req *r, struct certificate *c)
{
	if (in_has(r, CB_TYPE)) c->type = (enum cert_type)r->in[CB_TYPE].i;
	in_copy(r, CB_NUMBER, c->number, sizeof c->number);
	in_copy(r, CB_ISSUER, c->issuer, sizeof c->issuer);
	if (in_has(r, CB_FROM)) c->valid_from = (rh_day)r->in[CB_FROM].i;
	if (in_has(r, CB_TO)) c->valid_to = (rh_day)r->in[CB_TO].i;
	if (in_has(r, CB_FILE)) c->file_id = in_int(r, CB_FILE, 0);
}

enum rh_err h_staff_cert_add(struct rh_req *r)
{
	struct certificate c;
	memset(&c, 0, sizeof c);
	c.tenant_id = r->sess.tenant_id;
	c.staff_id = r->path_id;
	if (number_masked(r) != RH_OK) return r->fail.err;
	cert_apply(r, &c);
	if (c.valid_to < c.valid_from)
		return req_fail_why(r, RH_ERR_FIELD_RANGE, CB_TO, "不能早于有效期起", "cannot be before valid from");
	struct actor a = req_actor(r, NULL);
	enum rh_err rc = store_cert_add(req_db(r), &a, &c, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 201, certificate_to_json(&c, req_today(r)));
}

enum rh_err h_cert_update(struct rh_req *r)
{
	struct certificate c, out;
	if (number_masked(r) != RH_OK) return r->fail.err;
	enum rh_err rc = store_cert_get(req_db(r), r->sess.tenant_id, r->path_id, &c);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	cert_apply(r, &c);
	/* named by the field sent: a new start past the stored end is the start's fault */
	if (c.valid_to < c.valid_from && !in_has(r, CB_TO))
		return req_fail_why(r, RH_ERR_FIELD_RANGE, CB_FROM, "不能晚于有效期至", "cannot be after valid to");
	if (c.valid_to < c.valid_from)
		return req_fail_why(r, RH_ERR_FIELD_RANGE, CB_TO, "不能早于有效期起", "cannot be before valid from");
	if (in_has(r, CB_REVOKED)) c.revoked = r->in[CB_REVOKED].i != 0;
	struct actor a = req_actor(r, in_str(r, CB_REASON));
	rc = store_cert_update(req_db(r), &a, r->sess.tenant_id, r->path_id, r->in[CB_VERSION].i, &c, &out, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, certificate_to_json(&out, req_today(r)));
}

enum { CL_WITHIN, CL_FORMAT, CL_LIMIT, CL_OFFSET };
static const struct field cert_list_fields[] = {
	[CL_WITHIN] = { "expiring_within", FT_INT, 0, 1, 366, NULL, NULL, "到期天数", "expiring within (days)" },
	EXPORT_FIELD(CL_FORMAT),
	PAGE_FIELDS,
};
const struct schema cert_list_query = SCHEMA(cert_list_fields);

struct cert_list {
	json_t *items;
	rh_day today;
	struct list_export *ex;
};

static int add_expiring(const struct certificate *c, const char *name, void *arg)
{
	struct cert_list *l = arg;
	if (l->ex) {
		char number[sizeof c->number], from[11], to[11], left[16];
		idcard_mask_within(c->number, number, sizeof number);	/* masked, as the list shows it */
		date_format(c->valid_from, from);
		date_format(c->valid_to, to);
		snprintf(left, sizeof left, "%d", (int)(c->valid_to - l->today));
		const char *cells[] = { name, choice_label(&cert_type_set, c->type, l->ex->en), number, c->issuer, from, to, left };
		return export_add(l->ex, cells);
	}
	json_t *o = certificate_to_json(c, l->today);
	json_object_set_new(o, "staff_name", json_string(name));
	json_array_append_new(l->items, o);
	return 0;
}

/* The certificates that end soon (S3: warn 30 days ahead), soonest
 * first: within N days is N days or fewer left, as eligibility warns. */
enum rh_err h_cert_list(struct rh_req *r)
{
	struct cert_list l = { NULL, req_today(r), NULL };
	struct cert_filter f = {
		.staff_id = 0, .from = l.today, .to = l.today + (rh_day)param_int(r, CL_WITHIN, ELIG_WARN_DAYS),
		.limit = (int)param_int(r, CL_LIMIT, PAGE_DEFAULT_LIMIT), .offset = (int)param_int(r, CL_OFFSET, 0),
	};
	int64_t total = 0;
	if (r->q[CL_FORMAT].present) {
		static const char *const zh[] = { "人员", "证书类型", "证书编号", "发证机关", "有效期起", "有效期至", "剩余天数" };
		static const char *const en[] = { "Worker", "Certificate", "Number", "Issuer", "Valid from", "Valid to", "Days left" };
		struct list_export ex;
		enum rh_err rc = export_begin(r, (int)r->q[CL_FORMAT].i, r->lang_en ? "Certificates" : "即将到期的证书",
					      r->lang_en ? en : zh, 7, &total, NULL, &ex);
		if (rc != RH_OK) return rc;
		l.ex = &ex;
		f.limit = EXPORT_MAX_ROWS + 1;
		f.offset = 0;
		rc = store_certs(req_db(r), r->sess.tenant_id, &f, add_expiring, &l, &total);
		return export_end(r, &ex, rc, "certificate", "certificates");
	}
	l.items = json_array();
	enum rh_err rc = store_certs(req_db(r), r->sess.tenant_id, &f, add_expiring, &l, &total);
	if (rc != RH_OK) {
		json_decref(l.items);
		return req_fail(r, rc, NULL);
	}
	return reply_page(r, l.items, total, f.limit, f.offset);
}

/* ---- job rules ---- */

static json_t *rules_json(const struct job_rule *rules, int en)
{
	json_t *out = json_array();
	for (size_t j = 0; j < job_type_set.n; j++) {
		json_t *certs = json_array();
		for (int i = 0; i < CERT__COUNT; i++)
			if (rules[j].certs & (1u << i)) json_array_append_new(certs, json_string(cert_type_codes[i]));
		json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:s, s:I}", "job_type", job_type_set.items[j].code,
						     "label", choice_label(&job_type_set, (int)j, en), "certificates",
						     certs, "level", staff_level_codes[rules[j].level], "version",
						     (json_int_t)rules[j].version));
	}
	return out;
}

enum rh_err h_job_rules_get(struct rh_req *r)
{
	struct job_rule rules[JOB_TYPE_MAX];
	enum rh_err rc = store_job_rules(req_db(r), r->sess.tenant_id, rules);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	return reply_json(r, 200, json_pack("{s:o}", "items", rules_json(rules, r->lang_en)));
}

enum { JR_JOB, JR_CERTS, JR_LEVEL, JR_VERSION, JR_REASON };
static const struct field rule_fields[] = {
	[JR_JOB] = { "job_type", FT_ENUM, F_REQUIRED, 0, 0, staff_job_type_codes, NULL, "工种", "job type" },
	[JR_CERTS] = { "certificates", FT_SET, F_REQUIRED, 0, 0, cert_type_codes, NULL, "所需证书", "certificates required" },
	[JR_LEVEL] = { "level", FT_ENUM, F_REQUIRED, 0, 0, staff_level_codes, NULL, "最低等级", "lowest level" },
	[JR_VERSION] = { "version", FT_INT, F_REQUIRED, 0, INT32_MAX, NULL, NULL, "版本", "version" },
	[JR_REASON] = { "reason", FT_STRING, 0, 0, 200, NULL, NULL, "原因", "reason" },
};
const struct schema job_rule_body = SCHEMA(rule_fields);

enum rh_err h_job_rule_set(struct rh_req *r)
{
	struct job_rule rule = { (unsigned)r->in[JR_CERTS].i, (enum staff_level)r->in[JR_LEVEL].i, r->in[JR_VERSION].i };
	struct actor a = req_actor(r, in_str(r, JR_REASON));
	enum rh_err rc = store_job_rule_set(req_db(r), &a, r->sess.tenant_id, (int)r->in[JR_JOB].i, &rule, &r->fail);
	if (rc != RH_OK) return rc;
	return h_job_rules_get(r);
}

/* ---- eligibility ---- */

/* Every job the worker of in does on day, at the level its rule asks,
 * into *out; res is room for one job's result. */
static enum rh_err every_job_json(struct rh_req *r, const struct elig_input *in, struct elig_result *res, rh_day day,
				  json_t **out)
{
	json_t *jobs = json_array();
	int any = 0;
	for (size_t j = 0; j < job_type_set.n; j++) {
		if (!(in->staff.job_types & (1u << j))) continue;
		struct elig_need need = elig_need_for(in->rules, (int)j, -1, day);
		any |= eligibility_check(&in->facts, &need, res);
		json_t *o = elig_result_to_json(res, r->lang_en);
		json_object_set_new(o, "job_type", json_string(job_type_set.items[j].code));
		json_object_set_new(o, "level", json_string(staff_level_codes[need.level]));
		json_array_append_new(jobs, o);
	}
	char d[11];
	date_format(day, d);
	*out = json_pack("{s:s, s:b, s:o}", "day", d, "eligible_any", any, "jobs", jobs);
	return *out ? RH_OK : RH_ERR_NOMEM;
}

enum rh_err staff_eligibility_json(struct rh_req *r, int64_t staff_id, rh_day day, json_t **out)
{
	struct elig_input *in = malloc(sizeof *in);
	struct elig_result *res = malloc(sizeof *res);
	enum rh_err rc = in && res ? RH_OK : RH_ERR_NOMEM;
	if (rc == RH_OK) rc = store_elig_input(req_db(r), r->sess.tenant_id, staff_id, in);
	if (rc == RH_OK) rc = every_job_json(r, in, res, day, out);
	free(in);
	free(res);
	return rc;
}

enum { EQ_JOB, EQ_LEVEL, EQ_DAY };
static const struct field elig_fields[] = {
	[EQ_JOB] = { "job_type", FT_ENUM, 0, 0, 0, staff_job_type_codes, NULL, "工种", "job type" },
	[EQ_LEVEL] = { "level", FT_ENUM, 0, 0, 0, staff_level_codes, NULL, "所需等级", "level needed" },
	[EQ_DAY] = { "day", FT_DATE, 0, 0, 0, NULL, NULL, "日期", "day" },
};
const struct schema staff_eligibility_query = SCHEMA(elig_fields);

/* Asked day by day, the day under_18 ends is the 18th birthday, which
 * staff answers mask as part of the ID number (access.h): whoever may not
 * see ID numbers is answered 403 naming day for a day that would tell it
 * (elig_day_tells_birth). RH_OK when the day may be answered. */
enum rh_err req_birth_date_guard(struct rh_req *r, const struct elig_facts *w, rh_day day)
{
	if (SEES_IDS(r) || !elig_day_tells_birth(w, req_today(r), day)) return RH_OK;
	req_fail(r, RH_ERR_FORBIDDEN, "day");
	r->fail.detail_zh = "该日期的派工资格会显示出生日期（身份证号的一部分），仅系统管理员和项目经理可查询或派工";
	r->fail.detail_en = "eligibility on that day shows the birth date, part of the ID number: "
			    "admins and managers only may ask or assign";
	return RH_ERR_FORBIDDEN;
}

/* One job (job_type given: at the level given, never below the rule's,
 * as an assignment would be), or every job the worker does. Whoever may
 * not see ID numbers asks about today, or a later day of a worker who is
 * 18 today (req_birth_date_guard). */
enum rh_err h_staff_eligibility(struct rh_req *r)
{
	rh_day day = r->q[EQ_DAY].present ? (rh_day)r->q[EQ_DAY].i : req_today(r);
	json_t *out = NULL;
	enum rh_err rc;
	if (r->q[EQ_LEVEL].present && !r->q[EQ_JOB].present) {	/* a level is of one job's task */
		rc = req_fail(r, RH_ERR_FIELD_INVALID, "level");
		r->fail.detail_zh = "须同时指定工种（job_type）";
		r->fail.detail_en = "goes with a job_type";
		return rc;
	}
	struct elig_input *in = arena_alloc(r->arena, sizeof *in);
	struct elig_result *res = arena_alloc(r->arena, sizeof *res);
	if (!in || !res) return req_fail(r, RH_ERR_NOMEM, NULL);
	rc = store_elig_input(req_db(r), r->sess.tenant_id, r->path_id, in);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	if ((rc = req_birth_date_guard(r, &in->facts, day)) != RH_OK) return rc;
	if (!r->q[EQ_JOB].present) {
		rc = every_job_json(r, in, res, day, &out);
		return rc != RH_OK ? req_fail(r, rc, NULL) : reply_json(r, 200, out);
	}
	int job = (int)r->q[EQ_JOB].i;
	struct elig_need need = elig_need_for(in->rules, job, r->q[EQ_LEVEL].present ? (int)r->q[EQ_LEVEL].i : -1, day);
	eligibility_check(&in->facts, &need, res);
	out = elig_result_to_json(res, r->lang_en);
	char d[11];
	date_format(day, d);
	json_object_set_new(out, "day", json_string(d));
	json_object_set_new(out, "job_type", json_string(staff_job_type_codes[job]));
	json_object_set_new(out, "level", json_string(staff_level_codes[need.level]));
	return reply_json(r, 200, out);
}
