/*
 * h_hiring.c — a worker's road in and out over HTTP (SPEC S2, S4, S6):
 * documents, hiring decisions, trainings, discipline, what a leaver hands
 * back, and the personal file (个人档案) that shows all of it at once.
 *
 * Documents can hold an ID card's copy: only those who keep staff records
 * (and auditors) may open one, and every opening is audited (X5).
 */
#include <magic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "http/access.h"
#include "http/handlers.h"

static const struct hh_view masked = { PII_MASKED, PII_MASKED };

/* ---- documents ---- */

enum { DQ_KIND, DQ_NAME };
static const struct field doc_query_fields[] = {
	[DQ_KIND] = { "kind", FT_ENUM, F_REQUIRED, 0, 0, doc_kind_codes, NULL, "材料类型", "document kind" },
	[DQ_NAME] = { "name", FT_STRING, F_REQUIRED, 1, TEXT_SHORT_MAX, NULL, NULL, "文件名", "file name" },
};
const struct schema staff_document_query = SCHEMA(doc_query_fields);

/* What the bytes are (libmagic), whatever the client called them. */
static const char *document_type(const void *data, size_t len)
{
	static const char *const ok[] = { "application/pdf", "image/jpeg", "image/png", NULL };
	magic_t m = magic_open(MAGIC_MIME_TYPE);
	const char *type = NULL;
	if (m && magic_load(m, NULL) == 0) {
		const char *t = magic_buffer(m, data, len);
		for (int i = 0; t && ok[i] && !type; i++)
			if (strcmp(t, ok[i]) == 0) type = ok[i];
	}
	if (m) magic_close(m);
	return type;
}

enum rh_err h_staff_document_add(struct rh_req *r)
{
	if (r->body.len == 0) return req_fail(r, RH_ERR_FIELD_REQUIRED, "file");
	if (r->body.len > DOC_MAX) {
		req_fail(r, RH_ERR_BODY_TOO_LARGE, "file");
		r->fail.n = DOC_MAX;
		return RH_ERR_BODY_TOO_LARGE;
	}
	const char *type = document_type(r->body.data, r->body.len);
	if (!type) {
		req_fail(r, RH_ERR_FIELD_INVALID, "file");
		r->fail.label_zh = "文件";
		r->fail.label_en = "file";
		r->fail.detail_zh = "须为 PDF、JPEG 或 PNG 文件";
		r->fail.detail_en = "must be a PDF, JPEG or PNG file";
		return RH_ERR_FIELD_INVALID;
	}
	struct staff_file f;
	memset(&f, 0, sizeof f);
	f.tenant_id = r->sess.tenant_id;
	f.staff_id = r->path_id;
	f.kind = (int)r->q[DQ_KIND].i;
	utf8_cut(param_str(r, DQ_NAME), f.name, sizeof f.name);
	snprintf(f.content_type, sizeof f.content_type, "%s", type);
	struct actor a = req_actor(r, NULL);
	enum rh_err rc = store_staff_file_add(req_db(r), &a, &f, (const unsigned char *)r->body.data, r->body.len,
					      &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 201, staff_file_to_json(&f));
}

enum rh_err h_document_get(struct rh_req *r)
{
	struct staff_file f;
	unsigned char *data;
	size_t len;
	enum rh_err rc = store_staff_file_get(req_db(r), r->sess.tenant_id, r->path_id, &f, &data, &len);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	/* An ID card's copy, a 户口本 page, a 无犯罪记录证明 or a contract
	 * shows the ID number in full: only to those who may reveal ID
	 * numbers (SPEC X5), not to every document reader. */
	if ((DOC_KINDS_WITH_ID & (1u << f.kind)) && !(r->sess.user.roles & ID_READERS)) {
		free(data);
		req_fail(r, RH_ERR_FORBIDDEN, "kind");
		r->fail.detail_zh = "身份证复印件、户口本、无犯罪记录证明和劳动合同显示完整身份证号，仅系统管理员和项目经理可查看";
		r->fail.detail_en = "ID card copies, household registers, criminal record checks and contracts show the ID number "
				    "in full: admins and managers only";
		return RH_ERR_FORBIDDEN;
	}
	struct actor a = req_actor(r, NULL);
	rc = store_audit_view(req_db(r), &a, r->sess.tenant_id, "staff_file", f.id, "file");
	if (rc != RH_OK) {
		free(data);
		return req_fail(r, rc, NULL);
	}
	/* Saved as document-ID.ext: the uploaded name is the user's and
	 * stays out of the header (it is in the list's JSON). */
	int pdf = strcmp(f.content_type, "application/pdf") == 0, png = strcmp(f.content_type, "image/png") == 0;
	char name[40];
	snprintf(name, sizeof name, "document-%lld", (long long)f.id);
	return reply_file(r, pdf ? "application/pdf" : png ? "image/png" : "image/jpeg", name, pdf ? "pdf" : png ? "png" : "jpg",
			  (char *)data, len);
}

/* ---- collecting lists into JSON ---- */

static int add_file(const struct staff_file *f, void *arg)
{
	json_array_append_new(arg, staff_file_to_json(f));
	return 0;
}

static int add_step(const struct hiring_step_rec *s, void *arg)
{
	json_array_append_new(arg, hiring_step_to_json(s));
	return 0;
}

static int add_training(const struct training *t, void *arg)
{
	json_array_append_new(arg, training_to_json(t));
	return 0;
}

static int add_discipline(const struct discipline *d, void *arg)
{
	json_array_append_new(arg, discipline_to_json(d));
	return 0;
}

static int add_return(const struct staff_return *x, void *arg)
{
	json_array_append_new(arg, staff_return_to_json(x));
	return 0;
}

/* ---- the hiring pipeline ---- */

/* Every decision as history, and each step of the current pipeline in
 * order with its latest result (null: not yet) — the store's view, the
 * one activation goes by (a leaver taken on again starts afresh). */
static enum rh_err hiring_json(struct rh_req *r, int64_t staff_id, json_t **out)
{
	int result[STEP__COUNT];
	enum rh_err rc = store_hiring_latest(req_db(r), r->sess.tenant_id, staff_id, result);
	json_t *steps = json_array();
	if (rc == RH_OK) rc = store_hiring_steps(req_db(r), r->sess.tenant_id, staff_id, add_step, steps);
	if (rc != RH_OK) {
		json_decref(steps);
		return rc;
	}
	json_t *pipeline = json_array();
	int complete = 1;
	for (int i = 0; i < STEP__COUNT; i++) {
		json_array_append_new(pipeline, json_pack("{s:s, s:o}", "step", hiring_step_codes[i], "result",
							  result[i] < 0 ? json_null() : json_string(result[i] ? "passed" : "failed")));
		complete &= result[i] == 1;
	}
	*out = json_pack("{s:o, s:o, s:b}", "steps", steps, "pipeline", pipeline, "complete", complete);
	return *out ? RH_OK : RH_ERR_NOMEM;
}

enum rh_err h_staff_hiring_get(struct rh_req *r)
{
	struct staff s;
	enum rh_err rc = store_staff_get(req_db(r), r->sess.tenant_id, r->path_id, 0, &s);
	json_t *out = NULL;
	if (rc == RH_OK) rc = hiring_json(r, r->path_id, &out);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	return reply_json(r, 200, out);
}

enum rh_err req_hiring_steps(struct rh_req *r, enum rh_err rc, unsigned steps, const char *lead_zh, const char *lead_en,
			     const char *key)
{
	char *zh = arena_alloc(r->arena, 512), *en = arena_alloc(r->arena, 512);
	json_t *list = json_array();
	if (!zh || !en || !list) {
		json_decref(list);
		return rc;
	}
	size_t nz = (size_t)snprintf(zh, 512, "%s", lead_zh), ne = (size_t)snprintf(en, 512, "%s", lead_en);
	const char *sep_zh = "", *sep_en = "";
	for (size_t i = 0; i < hiring_step_set.n; i++) {
		if (!(steps & (1u << i))) continue;
		json_array_append_new(list, json_string(hiring_step_set.items[i].code));
		nz += (size_t)snprintf(zh + nz, nz < 512 ? 512 - nz : 0, "%s%s", sep_zh, hiring_step_set.items[i].zh);
		ne += (size_t)snprintf(en + ne, ne < 512 ? 512 - ne : 0, "%s%s", sep_en, hiring_step_set.items[i].en);
		sep_zh = "、", sep_en = ", ";
	}
	r->fail.detail_zh = zh;
	r->fail.detail_en = en;
	r->fail.n = 0;
	r->out = json_pack("{s:o}", key, list);
	return rc;
}

/* A decision out of the pipeline's order (store_hiring.c step_in_order):
 * which earlier steps are in the way, and how. */
static enum rh_err out_of_order(struct rh_req *r, enum rh_err rc)
{
	unsigned steps = (unsigned)r->fail.n;
	if (rc == RH_ERR_STATE && steps)
		return req_hiring_steps(r, rc, steps, "招聘环节须按顺序进行，以下环节须先通过：",
					"hiring steps go in order; these must pass first: ", "missing_steps");
	int day = rc == RH_ERR_FIELD_RANGE && steps && r->fail.field && strcmp(r->fail.field, "day") == 0;
	if (day && steps >> STEP__COUNT)	/* later steps passed before it (store_hiring.c step_in_order) */
		return req_hiring_steps(r, rc, steps >> STEP__COUNT, "不能晚于后面环节已通过的日期：",
					"cannot be after the day these later steps passed: ", "later_steps");
	if (day)
		return req_hiring_steps(r, rc, steps, "不能早于前面环节通过的日期：", "cannot be before the day these passed: ",
					"earlier_steps");
	return rc;
}

static const char *const results[] = { "passed", "failed", NULL };

enum { HS_STEP, HS_RESULT, HS_DAY, HS_DECIDED_BY, HS_NOTES, HS_FILE };
static const struct field step_fields[] = {
	[HS_STEP] = { "step", FT_ENUM, F_REQUIRED, 0, 0, hiring_step_codes, NULL, "招聘环节", "hiring step" },
	[HS_RESULT] = { "result", FT_ENUM, F_REQUIRED, 0, 0, results, NULL, "结果", "result" },
	[HS_DAY] = { "day", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, "日期", "day" },
	[HS_DECIDED_BY] = { "decided_by", FT_STRING, F_REQUIRED, 1, TEXT_SHORT_MAX, NULL, NULL, "决定人", "decided by" },
	[HS_NOTES] = { "notes", FT_TEXT, 0, 0, TEXT_LONG_MAX, NULL, NULL, "说明", "notes" },
	[HS_FILE] = { "file_id", FT_INT, 0, 1, INT64_MAX, NULL, NULL, "附件", "attached file" },
};
const struct schema staff_step_body = SCHEMA(step_fields);

enum rh_err h_staff_hiring_add(struct rh_req *r)
{
	struct hiring_step_rec *s = arena_alloc(r->arena, sizeof *s);
	if (!s) return req_fail(r, RH_ERR_NOMEM, NULL);
	memset(s, 0, sizeof *s);
	s->tenant_id = r->sess.tenant_id;
	s->staff_id = r->path_id;
	s->step = (enum hiring_step)r->in[HS_STEP].i;
	s->passed = r->in[HS_RESULT].i == 0;
	s->day = (rh_day)r->in[HS_DAY].i;
	in_copy(r, HS_DECIDED_BY, s->decided_by, sizeof s->decided_by);
	in_copy(r, HS_NOTES, s->notes, sizeof s->notes);
	s->file_id = in_int(r, HS_FILE, 0);
	if (s->day > req_today(r)) return req_fail_why(r, RH_ERR_FIELD_RANGE, HS_DAY, "不能晚于今天", "cannot be in the future");
	/* The last step is the pre-job exam's result, recorded with the
	 * training it ends (S4): a decision without one is refused. */
	if (s->step == STEP_PRE_JOB_TRAINING)
		return req_fail_why(r, RH_ERR_FIELD_INVALID, HS_STEP, "岗前培训及考核须作为培训记录登记（类别岗前培训，填写考核结果）",
				    "the pre-job training and exam is recorded as a training (kind pre_job, with its exam result)");
	struct actor a = req_actor(r, NULL);
	enum rh_err rc = store_hiring_step_add(req_db(r), &a, s, &r->fail);
	if (rc == RH_ERR_FIELD_REQUIRED && r->fail.field && strcmp(r->fail.field, "id_number") == 0)
		return req_fail_why(r, RH_ERR_STATE, HS_RESULT, "背景调查须按身份证号核对（含不良信用记录）：请先在人员档案中登记身份证号",
				    "a background check goes by the ID number (the blacklist too): enter it on the worker's profile first");
	if (rc != RH_OK) return out_of_order(r, rc);
	return reply_json(r, 201, hiring_step_to_json(s));
}

/* ---- trainings ---- */

enum { TR_KIND, TR_TOPIC, TR_DAY, TR_HOURS, TR_MODE, TR_EXAM, TR_SCORE, TR_FILE };
static const struct field training_fields[] = {
	[TR_KIND] = { "kind", FT_ENUM, F_REQUIRED, 0, 0, training_kind_codes, NULL, "培训类别", "training kind" },
	[TR_TOPIC] = { "topic", FT_STRING, F_REQUIRED, 1, TEXT_SHORT_MAX, NULL, NULL, "培训内容", "topic" },
	[TR_DAY] = { "day", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, "日期", "day" },
	[TR_HOURS] = { "hours", FT_INT, F_REQUIRED, 1, 1000, NULL, NULL, "学时", "hours" },
	[TR_MODE] = { "mode", FT_ENUM, F_REQUIRED, 0, 0, training_mode_codes, NULL, "形式", "mode" },
	[TR_EXAM] = { "exam", FT_ENUM, F_REQUIRED, 0, 0, exam_result_codes, NULL, "考核结果", "exam result" },
	[TR_SCORE] = { "score", FT_INT, F_NULLABLE, 0, 100, NULL, NULL, "成绩", "score" },
	[TR_FILE] = { "file_id", FT_INT, 0, 1, INT64_MAX, NULL, NULL, "附件", "attached file" },
};
const struct schema staff_training_body = SCHEMA(training_fields);

enum rh_err h_staff_training_add(struct rh_req *r)
{
	struct training t;
	memset(&t, 0, sizeof t);
	t.tenant_id = r->sess.tenant_id;
	t.staff_id = r->path_id;
	t.kind = (enum training_kind)r->in[TR_KIND].i;
	in_copy(r, TR_TOPIC, t.topic, sizeof t.topic);
	t.day = (rh_day)r->in[TR_DAY].i;
	t.hours = (int)r->in[TR_HOURS].i;
	t.mode = (int)r->in[TR_MODE].i;
	t.exam = (int)r->in[TR_EXAM].i;
	t.score = (int)in_int(r, TR_SCORE, -1);
	t.file_id = in_int(r, TR_FILE, 0);
	if (t.day > req_today(r)) return req_fail_why(r, RH_ERR_FIELD_RANGE, TR_DAY, "不能晚于今天", "cannot be in the future");
	if (t.exam == 0 && t.score >= 0)	/* exam_result_set: "none" */
		return req_fail_why(r, RH_ERR_FIELD_INVALID, TR_SCORE, "没有考核就没有成绩", "there is no score without an exam");
	struct actor a = req_actor(r, NULL);
	enum rh_err rc = store_training_add(req_db(r), &a, &t, &r->fail);
	if (rc != RH_OK) return out_of_order(r, rc);
	return reply_json(r, 201, training_to_json(&t));
}

/* The organisation's training ledger (S4, 培训台账): every worker's
 * trainings, newest first, filtered by worker, kind and days; a file
 * as the other lists give one (the yearly training of 001, in one sheet). */
enum { TL_STAFF, TL_KIND, TL_FROM, TL_TO, TL_FORMAT, TL_LIMIT, TL_OFFSET };
static const struct field training_list_fields[] = {
	[TL_STAFF] = { "staff_id", FT_INT, 0, 1, INT64_MAX, NULL, NULL, "人员", "worker" },
	[TL_KIND] = { "kind", FT_ENUM, 0, 0, 0, training_kind_codes, NULL, "培训类别", "training kind" },
	[TL_FROM] = { "from", FT_DATE, 0, 0, 0, NULL, NULL, "起始日期", "from" },
	[TL_TO] = { "to", FT_DATE, 0, 0, 0, NULL, NULL, "截止日期", "to" },
	EXPORT_FIELD(TL_FORMAT),
	PAGE_FIELDS,
};
const struct schema training_list_query = SCHEMA(training_list_fields);

struct ledger {
	json_t *items;
	struct list_export *ex;
};

static int ledger_row(const struct training *t, const char *name, const char *staff_no, void *arg)
{
	struct ledger *l = arg;
	if (!l->ex) {
		json_t *o = training_to_json(t);
		json_object_set_new(o, "staff_name", json_string(name));
		json_object_set_new(o, "staff_no", json_string(staff_no));
		json_array_append_new(l->items, o);
		return 0;
	}
	char day[11], hours[16], score[16];
	date_format(t->day, day);
	snprintf(hours, sizeof hours, "%d", t->hours);
	snprintf(score, sizeof score, "%d", t->score);
	const char *cells[] = { day, staff_no, name, choice_label(&training_kind_set, (int)t->kind, l->ex->en), t->topic, hours,
				choice_label(&training_mode_set, t->mode, l->ex->en),
				choice_label(&exam_result_set, t->exam, l->ex->en), t->score >= 0 ? score : "" };
	return export_add(l->ex, cells);
}

enum rh_err h_training_list(struct rh_req *r)
{
	struct training_filter f = {
		.staff_id = param_int(r, TL_STAFF, 0), .kind = (int)param_int(r, TL_KIND, -1),
		.has_from = r->q[TL_FROM].present, .from = (rh_day)param_int(r, TL_FROM, 0),
		.has_to = r->q[TL_TO].present, .to = (rh_day)param_int(r, TL_TO, 0),
		.limit = (int)param_int(r, TL_LIMIT, PAGE_DEFAULT_LIMIT), .offset = (int)param_int(r, TL_OFFSET, 0),
	};
	if (f.has_from && f.has_to && f.to < f.from) {
		req_fail(r, RH_ERR_FIELD_RANGE, "to");	/* a query field: req_fail_why names the body's */
		r->fail.detail_zh = "不能早于起始日期";
		r->fail.detail_en = "cannot be before from";
		return RH_ERR_FIELD_RANGE;
	}
	struct ledger l = { NULL, NULL };
	int64_t total = 0;
	if (r->q[TL_FORMAT].present) {
		static const char *const zh[] = { "日期", "工号", "人员", "培训类别", "培训内容", "学时", "形式", "考核结果", "成绩" };
		static const char *const en[] = { "Day", "Staff no.", "Worker", "Kind", "Topic", "Hours", "Mode", "Exam", "Score" };
		struct list_export ex;
		enum rh_err rc = export_begin(r, (int)r->q[TL_FORMAT].i, r->lang_en ? "Trainings" : "培训台账",
					      r->lang_en ? en : zh, 9, &total, NULL, &ex);
		if (rc != RH_OK) return rc;
		l.ex = &ex;
		f.limit = EXPORT_MAX_ROWS + 1;
		f.offset = 0;
		rc = store_training_list(req_db(r), r->sess.tenant_id, &f, ledger_row, &l, &total);
		return export_end(r, &ex, rc, "training", "trainings");
	}
	l.items = json_array();
	enum rh_err rc = store_training_list(req_db(r), r->sess.tenant_id, &f, ledger_row, &l, &total);
	if (rc != RH_OK) {
		json_decref(l.items);
		return req_fail(r, rc, NULL);
	}
	return reply_page(r, l.items, total, f.limit, f.offset);
}

/* ---- discipline ---- */

enum { DI_KIND, DI_REASON, DI_RULE, DI_EVIDENCE, DI_FILE, DI_AMOUNT, DI_DAY, DI_DECIDED_BY };
static const struct field discipline_fields[] = {
	[DI_KIND] = { "kind", FT_ENUM, F_REQUIRED, 0, 0, discipline_kind_codes, NULL, "奖惩类别", "kind" },
	[DI_REASON] = { "reason", FT_TEXT, F_REQUIRED, 1, TEXT_LONG_MAX, NULL, NULL, "事由", "reason" },
	[DI_RULE] = { "rule", FT_STRING, F_REQUIRED, 1, TEXT_SHORT_MAX, NULL, NULL, "依据的制度条款", "rule" },
	[DI_EVIDENCE] = { "evidence", FT_TEXT, 0, 0, TEXT_LONG_MAX, NULL, NULL, "证据", "evidence" },
	[DI_FILE] = { "file_id", FT_INT, 0, 1, INT64_MAX, NULL, NULL, "证据附件", "evidence file" },
	[DI_AMOUNT] = { "amount", FT_INT, 0, 0, 100000000, NULL, NULL, "金额（分）", "amount (fen)" },
	[DI_DAY] = { "day", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, "日期", "day" },
	[DI_DECIDED_BY] = { "decided_by", FT_STRING, F_REQUIRED, 1, TEXT_SHORT_MAX, NULL, NULL, "决定人", "decided by" },
};
const struct schema staff_discipline_body = SCHEMA(discipline_fields);

/* S6: an entry holds its evidence. One that changes the worker — a
 * demotion, a suspension, a dismissal, the blacklist, which bars the
 * person for good — stands on some: a text or a document. */
#define EVIDENCE_ZH "降级、停职、解聘和列入不良信用记录须有证据：填写证据说明或选择证据附件"
#define EVIDENCE_EN "a demotion, suspension, dismissal or blacklisting needs evidence: describe it or attach a document"
static int unproven(const struct discipline *d)
{
	int sanction = d->kind == DISC_DEMOTION || d->kind == DISC_SUSPENSION || d->kind == DISC_DISMISSAL ||
		       d->kind == DISC_BLACKLIST;
	return sanction && !d->evidence[0] && !d->file_id;
}

enum rh_err h_staff_discipline_add(struct rh_req *r)
{
	struct discipline *d = arena_alloc(r->arena, sizeof *d);
	struct staff *after = arena_alloc(r->arena, sizeof *after);
	if (!d || !after) return req_fail(r, RH_ERR_NOMEM, NULL);
	memset(d, 0, sizeof *d);
	d->tenant_id = r->sess.tenant_id;
	d->staff_id = r->path_id;
	d->kind = (enum discipline_kind)r->in[DI_KIND].i;
	in_copy(r, DI_REASON, d->reason, sizeof d->reason);
	in_copy(r, DI_RULE, d->rule, sizeof d->rule);
	in_copy(r, DI_EVIDENCE, d->evidence, sizeof d->evidence);
	d->file_id = in_int(r, DI_FILE, 0);
	d->amount = in_int(r, DI_AMOUNT, 0);
	d->day = (rh_day)r->in[DI_DAY].i;
	in_copy(r, DI_DECIDED_BY, d->decided_by, sizeof d->decided_by);
	if (d->day > req_today(r)) return req_fail_why(r, RH_ERR_FIELD_RANGE, DI_DAY, "不能晚于今天", "cannot be in the future");
	if (unproven(d)) return req_fail_why(r, RH_ERR_FIELD_REQUIRED, DI_EVIDENCE, EVIDENCE_ZH, EVIDENCE_EN);
	int money = d->kind == DISC_FINE || d->kind == DISC_BONUS;
	if (money && d->amount <= 0)
		return req_fail_why(r, RH_ERR_FIELD_REQUIRED, DI_AMOUNT, "罚款或奖金须填写金额", "a fine or bonus needs its amount");
	if (!money && d->amount != 0)
		return req_fail_why(r, RH_ERR_FIELD_INVALID, DI_AMOUNT, "只有罚款和奖金有金额", "only a fine or a bonus has an amount");
	struct actor a = req_actor(r, NULL);
	enum rh_err rc = store_discipline_add(req_db(r), &a, d, after, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 201, json_pack("{s:o, s:o}", "entry", discipline_to_json(d), "staff", staff_to_json(after, masked)));
}

/* A correction or an annulment (撤销) of an entry, as a new version. The
 * kind is not in the body: it decided what the entry did to the worker. */
enum { DU_REASON, DU_RULE, DU_EVIDENCE, DU_FILE, DU_AMOUNT, DU_DAY, DU_DECIDED_BY, DU_VERSION, DU_ANNULLED, DU_ANNULMENT,
       DU_CORRECTION };
static const struct field discipline_update_fields[] = {
	[DU_REASON] = { "reason", FT_TEXT, 0, 1, TEXT_LONG_MAX, NULL, NULL, "事由", "reason" },
	[DU_RULE] = { "rule", FT_STRING, 0, 1, TEXT_SHORT_MAX, NULL, NULL, "依据的制度条款", "rule" },
	[DU_EVIDENCE] = { "evidence", FT_TEXT, 0, 0, TEXT_LONG_MAX, NULL, NULL, "证据", "evidence" },
	[DU_FILE] = { "file_id", FT_INT, F_NULLABLE, 1, INT64_MAX, NULL, NULL, "证据附件", "evidence file" },
	[DU_AMOUNT] = { "amount", FT_INT, 0, 0, 100000000, NULL, NULL, "金额（分）", "amount (fen)" },
	[DU_DAY] = { "day", FT_DATE, 0, 0, 0, NULL, NULL, "日期", "day" },
	[DU_DECIDED_BY] = { "decided_by", FT_STRING, 0, 1, TEXT_SHORT_MAX, NULL, NULL, "决定人", "decided by" },
	[DU_VERSION] = { "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	[DU_ANNULLED] = { "annulled", FT_BOOL, 0, 0, 0, NULL, NULL, "撤销", "annulled" },
	[DU_ANNULMENT] = { "annulment", FT_TEXT, 0, 1, TEXT_LONG_MAX, NULL, NULL, "撤销理由", "why annulled" },
	/* why a correction is made, for the audit trail: "reason" is the
	 * entry's own 事由, as when it was recorded */
	[DU_CORRECTION] = { "correction", FT_STRING, 0, 1, 200, NULL, NULL, "更正说明", "why corrected" },
};
const struct schema discipline_update_body = SCHEMA(discipline_update_fields);

enum rh_err h_discipline_update(struct rh_req *r)
{
	struct discipline *d = arena_alloc(r->arena, sizeof *d), *out = arena_alloc(r->arena, sizeof *out);
	if (!d || !out) return req_fail(r, RH_ERR_NOMEM, NULL);
	enum rh_err rc = store_discipline_get(req_db(r), r->sess.tenant_id, r->path_id, d);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	if ((rc = req_read_version(r, d->version, r->in[DU_VERSION].i)) != RH_OK) return rc;
	in_copy(r, DU_REASON, d->reason, sizeof d->reason);
	in_copy(r, DU_RULE, d->rule, sizeof d->rule);
	in_copy(r, DU_EVIDENCE, d->evidence, sizeof d->evidence);
	in_copy(r, DU_DECIDED_BY, d->decided_by, sizeof d->decided_by);
	if (in_has(r, DU_FILE)) d->file_id = in_int(r, DU_FILE, 0);
	if (in_has(r, DU_AMOUNT)) d->amount = in_int(r, DU_AMOUNT, 0);
	if (in_has(r, DU_DAY)) d->day = (rh_day)r->in[DU_DAY].i;
	if (in_has(r, DU_DAY) && d->day > req_today(r))
		return req_fail_why(r, RH_ERR_FIELD_RANGE, DU_DAY, "不能晚于今天", "cannot be in the future");
	if (unproven(d)) return req_fail_why(r, RH_ERR_FIELD_REQUIRED, DU_EVIDENCE, EVIDENCE_ZH, EVIDENCE_EN);
	if (in_has(r, DU_ANNULLED) && r->in[DU_ANNULLED].i) {
		if (in_has(r, DU_CORRECTION))
			return req_fail_why(r, RH_ERR_FIELD_INVALID, DU_CORRECTION, "撤销时理由写在撤销理由中",
					    "an annulment says why in \"annulment\"");
		if (!in_str(r, DU_ANNULMENT))
			return req_fail_why(r, RH_ERR_FIELD_REQUIRED, DU_ANNULMENT, "撤销须写明理由（如复议结论）",
					    "an annulment says why (the appeal's outcome, say)");
		d->annulled = 1;
		in_copy(r, DU_ANNULMENT, d->annulment, sizeof d->annulment);
	} else if (in_has(r, DU_ANNULMENT)) {
		return req_fail_why(r, RH_ERR_FIELD_INVALID, DU_ANNULMENT, "只在撤销时填写", "given only with \"annulled\": true");
	} else if (!in_str(r, DU_CORRECTION)) {
		/* an entry on file is evidence (X3): its correction says why */
		return req_fail_why(r, RH_ERR_FIELD_REQUIRED, DU_CORRECTION, "更正记录须写明更正说明", "a correction says why it is made");
	}
	struct actor a = req_actor(r, d->annulled ? d->annulment : in_str(r, DU_CORRECTION));
	rc = store_discipline_update(req_db(r), &a, r->sess.tenant_id, r->path_id, r->in[DU_VERSION].i, d, out, &r->fail);
	if (rc == RH_ERR_FIELD_REQUIRED && r->fail.field && strcmp(r->fail.field, "amount") == 0) {
		r->fail.detail_zh = "罚款或奖金须填写金额";
		r->fail.detail_en = "a fine or bonus needs its amount";
	} else if (rc == RH_ERR_FIELD_INVALID && r->fail.field && strcmp(r->fail.field, "amount") == 0) {
		r->fail.detail_zh = "只有罚款和奖金有金额";
		r->fail.detail_en = "only a fine or a bonus has an amount";
	}
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, discipline_to_json(out));
}

/* ---- what a leaver hands back ---- */

enum { RD_VERSION, RD_NOTES };
static const struct field return_fields[] = {
	[RD_VERSION] = { "version", FT_INT, F_REQUIRED, 1, INT32_MAX, NULL, NULL, "版本", "version" },
	[RD_NOTES] = { "notes", FT_TEXT, 0, 0, TEXT_LONG_MAX, NULL, NULL, "说明", "notes" },
};
const struct schema staff_return_body = SCHEMA(return_fields);

enum rh_err h_staff_return_done(struct rh_req *r)
{
	struct staff_return out;
	struct actor a = req_actor(r, NULL);
	const char *notes = in_str(r, RD_NOTES);
	enum rh_err rc = store_staff_return_done(req_db(r), &a, r->sess.tenant_id, r->path_id, r->in[RD_VERSION].i,
						 notes ? notes : "", &out, &r->fail);
	if (rc != RH_OK) return rc;
	return reply_json(r, 200, staff_return_to_json(&out));
}

/* ---- the personal file (个人档案) ---- */

struct cert_items {
	json_t *items;
	rh_day today;	/* for each certificate's "valid" and "days_left" */
};

static int add_cert(const struct certificate *c, const char *name, void *arg)
{
	struct cert_items *l = arg;
	json_array_append_new(l->items, certificate_to_json(c, l->today));
	return 0;
}

enum rh_err h_staff_record(struct rh_req *r)
{
	struct staff *s = arena_alloc(r->arena, sizeof *s);
	if (!s) return req_fail(r, RH_ERR_NOMEM, NULL);
	struct db *db = req_db(r);
	int64_t t = r->sess.tenant_id, id = r->path_id;
	rh_day today = req_today(r);
	enum rh_err rc = store_staff_get(db, t, id, 0, s);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "id" : NULL);
	json_t *hiring = NULL, *files = json_array(), *trainings = json_array(), *certs = json_array(),
	       *disc = json_array(), *returns = json_array();
	struct cert_items cert_arg = { certs, today };
	struct cert_filter cf = { .staff_id = id, .limit = 200 };
	int64_t total;
	rc = hiring_json(r, id, &hiring);
	if (rc == RH_OK) rc = store_staff_files(db, t, id, add_file, files);
	if (rc == RH_OK) rc = store_trainings(db, t, id, add_training, trainings);
	if (rc == RH_OK) rc = store_certs(db, t, &cf, add_cert, &cert_arg, &total);
	if (rc == RH_OK) rc = store_disciplines(db, t, id, add_discipline, disc);
	if (rc == RH_OK) rc = store_staff_returns(db, t, id, add_return, returns);
	json_t *elig = NULL;
	if (rc == RH_OK) rc = staff_eligibility_json(r, id, today, &elig);
	if (rc != RH_OK) {
		json_decref(hiring);
		json_decref(files);
		json_decref(trainings);
		json_decref(certs);
		json_decref(disc);
		json_decref(returns);
		return req_fail(r, rc, NULL);
	}
	return reply_json(r, 200, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "staff", staff_to_json(s, masked),
					     "hiring", hiring, "documents", files, "trainings", trainings,
					     "certificates", certs, "discipline", disc, "returns", returns,
					     "eligibility", elig));
}
