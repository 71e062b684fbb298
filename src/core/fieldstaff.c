/*
 * fieldstaff.c — the lists and records of fieldstaff.h.
 */
#include <limits.h>
#include <string.h>
#include "core/fieldstaff.h"

static const struct choice steps[] = {
	{ "application", "报名申请", "Application", "申请" },
	{ "documents", "资料审核", "Document review", "资料审查" },
	{ "interview", "面试", "Interview", NULL },
	{ "health_check", "体检", "Health check", "健康检查" },
	{ "background_check", "背景调查", "Background check", "无犯罪记录" },
	{ "contract", "签订劳动合同", "Employment contract", "劳动合同" },
	{ "nda", "签订保密协议", "Non-disclosure agreement", "保密协议" },
	{ "pre_job_training", "岗前培训及考核", "Pre-job training and exam", "岗前培训" },
};
const char *const hiring_step_codes[] = { "application", "documents", "interview", "health_check", "background_check",
					  "contract", "nda", "pre_job_training", NULL };
const struct choice_set hiring_step_set = CHOICE_SET(steps, hiring_step_codes);

static const int step_stage[STEP__COUNT] = {
	[STEP_APPLICATION] = 0, [STEP_DOCUMENTS] = 1, [STEP_INTERVIEW] = 2, [STEP_HEALTH_CHECK] = 3,
	[STEP_BACKGROUND] = 3, [STEP_CONTRACT] = 4, [STEP_NDA] = 4, [STEP_PRE_JOB_TRAINING] = 5,
};

void hiring_effective(int latest[STEP__COUNT], const rh_day day[STEP__COUNT])
{
	rh_day floor = INT_MIN;	/* the latest pass of the stages before */
	for (int st = 0; st <= step_stage[STEP__COUNT - 1]; st++) {	/* the last step is of the last stage */
		rh_day reached = floor;
		for (int i = 0; i < STEP__COUNT; i++) {
			if (step_stage[i] != st || latest[i] != 1) continue;
			if (day[i] < floor) latest[i] = -1;	/* rests on an earlier step passed anew since */
			else if (day[i] > reached) reached = day[i];
		}
		floor = reached;
	}
}

enum hiring_order hiring_order_check(const int latest[STEP__COUNT], const rh_day day[STEP__COUNT], enum hiring_step step,
				     int passed, rh_day on, unsigned *in_the_way)
{
	unsigned unpassed = 0, later = 0, before = 0;
	for (int i = 0; i < STEP__COUNT; i++) {
		if (step_stage[i] > step_stage[step]) {
			/* a pass again of a step that stands passed; one that failed
			 * since passes anew, and the pipeline goes on from it */
			if (passed && latest[step] == 1 && latest[i] == 1 && day[i] < on) before |= 1u << i;
			continue;
		}
		if (step_stage[i] == step_stage[step]) continue;
		if (latest[i] != 1) unpassed |= 1u << i;
		else if (day[i] > on) later |= 1u << i;
	}
	*in_the_way = unpassed ? unpassed : later ? later : before;
	return unpassed ? HIRING_NOT_PASSED : later ? HIRING_DAY_BEFORE : before ? HIRING_DAY_AFTER : HIRING_IN_ORDER;
}

static const struct choice docs[] = {
	{ "id_card", "身份证", "ID card", NULL },
	{ "hukou", "户口本", "Household register", NULL },
	{ "diploma", "学历证书", "Diploma", NULL },
	{ "certificate", "资格证书", "Certificate", NULL },
	{ "health", "体检报告/健康证", "Health report", NULL },
	{ "background", "无犯罪记录证明", "Criminal record check", NULL },
	{ "contract", "劳动合同", "Contract", NULL },
	{ "nda", "保密协议", "NDA", NULL },
	{ "exam", "考核试卷", "Exam paper", NULL },
	{ "evidence", "证据材料", "Evidence", NULL },
	{ "other", "其他", "Other", NULL },
};
const char *const doc_kind_codes[] = { "id_card", "hukou", "diploma", "certificate", "health", "background",
				       "contract", "nda", "exam", "evidence", "other", NULL };
const struct choice_set doc_kind_set = CHOICE_SET(docs, doc_kind_codes);

static const struct choice certs[] = {
	{ "health", "健康证", "Health certificate", NULL },
	{ "gas_safety", "燃气安检作业证", "Gas safety inspection", "燃气安检" },
	{ "electrician", "电工特种作业操作证", "Electrician (special operations)", "电工" },
	{ "welder", "焊工特种作业操作证", "Welder (special operations)", "焊工" },
	{ "domestic", "家政服务员证", "Domestic service", "家政" },
	{ "care", "护理员证", "Care worker", "护理" },
	{ "other", "其他证书", "Other certificate", NULL },
};
const char *const cert_type_codes[] = { "health", "gas_safety", "electrician", "welder", "domestic", "care", "other",
					NULL };
const struct choice_set cert_type_set = CHOICE_SET(certs, cert_type_codes);

static const struct choice training_kinds[] = {
	{ "pre_job", "岗前培训", "Pre-job", NULL },
	{ "in_service", "在岗培训", "In-service", "定期培训" },
	{ "safety", "安全培训", "Safety", NULL },
	{ "annual", "年度业务培训", "Annual business training", NULL },
};
const char *const training_kind_codes[] = { "pre_job", "in_service", "safety", "annual", NULL };
const struct choice_set training_kind_set = CHOICE_SET(training_kinds, training_kind_codes);

static const struct choice modes[] = {
	{ "online", "线上", "Online", NULL },
	{ "offline", "线下", "Classroom", NULL },
	{ "drill", "实操演练", "Drill", NULL },
};
const char *const training_mode_codes[] = { "online", "offline", "drill", NULL };
const struct choice_set training_mode_set = CHOICE_SET(modes, training_mode_codes);

static const struct choice exams[] = {
	{ "none", "无考核", "No exam", NULL },
	{ "passed", "考核合格", "Passed", NULL },
	{ "failed", "考核不合格", "Failed", NULL },
};
const char *const exam_result_codes[] = { "none", "passed", "failed", NULL };
const struct choice_set exam_result_set = CHOICE_SET(exams, exam_result_codes);

static const struct choice disciplines[] = {
	{ "commendation", "表扬", "Commendation", NULL },
	{ "bonus", "奖金", "Bonus", NULL },
	{ "criticism", "批评", "Criticism", NULL },
	{ "warning", "警告", "Warning", NULL },
	{ "fine", "罚款", "Fine", NULL },
	{ "demerit", "记过", "Demerit", NULL },
	{ "major_demerit", "记大过", "Major demerit", NULL },
	{ "demotion", "降职", "Demotion", NULL },
	{ "suspension", "停职", "Suspension", NULL },
	{ "reinstatement", "复职", "Reinstatement", NULL },
	{ "dismissal", "解聘", "Dismissal", "辞退" },
	{ "blacklist", "列入黑名单", "Blacklist", "不良信用记录" },
};
const char *const discipline_kind_codes[] = { "commendation", "bonus", "criticism", "warning", "fine", "demerit",
					      "major_demerit", "demotion", "suspension", "reinstatement", "dismissal",
					      "blacklist", NULL };
const struct choice_set discipline_kind_set = CHOICE_SET(disciplines, discipline_kind_codes);

struct discipline_effect discipline_effect(enum discipline_kind k)
{
	switch (k) {
	case DISC_DEMOTION: return (struct discipline_effect){ -1, 1, 0 };
	case DISC_SUSPENSION: return (struct discipline_effect){ STAFF_SUSPENDED, 0, 0 };
	case DISC_REINSTATEMENT: return (struct discipline_effect){ STAFF_ACTIVE, 0, 0 };
	case DISC_DISMISSAL: return (struct discipline_effect){ STAFF_DISMISSED, 0, 1 };
	case DISC_BLACKLIST: return (struct discipline_effect){ STAFF_BLACKLISTED, 0, 1 };
	default: return (struct discipline_effect){ -1, 0, 0 };
	}
}

int staff_status_leaves(enum staff_status s)
{
	return s == STAFF_LEFT || s == STAFF_DISMISSED || s == STAFF_BLACKLISTED;
}

static const struct choice return_items[] = {
	{ "badge", "工作证", "Badge", "工作牌" },
	{ "property", "公司财物", "Company property", NULL },
};
const char *const return_item_codes[] = { "badge", "property", NULL };
const struct choice_set return_item_set = CHOICE_SET(return_items, return_item_codes);

#define BIT(c) (1u << (c))
/* Survey and community work are 初级: a junior does information
 * collection and publicity, nothing more (000 第八条, SPEC S3). Every
 * other job serves the customer in the home — cleaning too — and is
 * 中级; so is "other", whose work nobody named (an admin may lower it).
 * Gas inspection and special operations need their certificates.
 * In staff.c's order of job types. */
const struct job_rule job_rule_defaults[] = {
	{ BIT(CERT_GAS_SAFETY), LEVEL_MIDDLE },	/* inspector */
	{ 0, LEVEL_MIDDLE },	/* repairer */
	{ 0, LEVEL_MIDDLE },	/* cleaner */
	{ BIT(CERT_DOMESTIC), LEVEL_MIDDLE },	/* domestic */
	{ BIT(CERT_CARE), LEVEL_MIDDLE },	/* carer */
	{ 0, LEVEL_JUNIOR },	/* community */
	{ 0, LEVEL_JUNIOR },	/* interviewer */
	{ BIT(CERT_ELECTRICIAN), LEVEL_MIDDLE },	/* electrician */
	{ BIT(CERT_WELDER), LEVEL_MIDDLE },	/* welder */
	{ 0, LEVEL_MIDDLE },	/* other */
};

static const struct choice assign_statuses[] = {
	{ "assigned", "已派工", "Assigned", NULL },
	{ "cancelled", "已取消", "Cancelled", NULL },
};
const char *const assignment_status_codes[] = { "assigned", "cancelled", NULL };
const struct choice_set assignment_status_set = CHOICE_SET(assign_statuses, assignment_status_codes);

static int hhmm(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' || s[3] < '0' || s[3] > '5' ||
	    s[4] < '0' || s[4] > '9')
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	return h > 23 ? -1 : h * 60 + (s[3] - '0') * 10 + (s[4] - '0');
}

int time_window_valid(const char *s)
{
	if (s[0] == '\0') return 1;
	if (strlen(s) != TIME_WINDOW_MAX || s[5] != '-') return 0;
	int a = hhmm(s), b = hhmm(s + 6);
	return a >= 0 && b > a;
}

int time_windows_overlap(const char *a, const char *b)
{
	if (!a[0] || !b[0] || !time_window_valid(a) || !time_window_valid(b)) return 0;
	return hhmm(a) < hhmm(b + 6) && hhmm(b) < hhmm(a + 6);
}

static json_t *day_json(rh_day d)
{
	char t[11];
	date_format(d, t);
	return json_string(t);
}

json_t *hiring_step_to_json(const struct hiring_step_rec *s)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)s->id, "staff_id",
			 (json_int_t)s->staff_id, "step", choice_code(&hiring_step_set, s->step), "result",
			 s->passed ? "passed" : "failed", "day", day_json(s->day), "decided_by", s->decided_by, "notes",
			 s->notes, "file_id", (json_int_t)s->file_id, "recorded_by", (json_int_t)s->recorded_by,
			 "created_at", (json_int_t)s->created_at);
}

json_t *training_to_json(const struct training *t)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:i, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)t->id,
			      "staff_id", (json_int_t)t->staff_id, "kind", choice_code(&training_kind_set, t->kind),
			      "topic", t->topic, "day", day_json(t->day), "hours", t->hours, "mode",
			      choice_code(&training_mode_set, t->mode), "exam", choice_code(&exam_result_set, t->exam),
			      "file_id", (json_int_t)t->file_id, "recorded_by", (json_int_t)t->recorded_by, "created_at",
			      (json_int_t)t->created_at);
	if (o) json_object_set_new(o, "score", t->score >= 0 ? json_integer(t->score) : json_null());
	return o;
}

json_t *certificate_to_json(const struct certificate *c, rh_day today)
{
	/* What a reader needs at a glance: valid today, and how many days are left. */
	int valid = !c->revoked && c->valid_from <= today && today <= c->valid_to;
	char number[sizeof c->number];
	idcard_mask_within(c->number, number, sizeof number);
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:I, s:b, s:b, s:i, s:I, s:I, s:I}", "id",
			 (json_int_t)c->id, "staff_id", (json_int_t)c->staff_id, "type",
			 choice_code(&cert_type_set, c->type), "number", number, "issuer", c->issuer, "valid_from",
			 day_json(c->valid_from), "valid_to", day_json(c->valid_to), "file_id", (json_int_t)c->file_id,
			 "revoked", c->revoked, "valid", valid, "days_left", (int)(c->valid_to - today), "created_at",
			 (json_int_t)c->created_at, "updated_at", (json_int_t)c->updated_at, "version",
			 (json_int_t)c->version);
}

int discipline_annullable(enum discipline_kind k)
{
	struct discipline_effect e = discipline_effect(k);
	return e.status < 0 && !e.demote;
}

json_t *discipline_to_json(const struct discipline *d)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:s, s:I, s:I, s:b, s:s, s:I, s:I}", "id",
			 (json_int_t)d->id, "staff_id", (json_int_t)d->staff_id, "kind",
			 choice_code(&discipline_kind_set, d->kind), "reason", d->reason, "rule", d->rule, "evidence",
			 d->evidence, "file_id", (json_int_t)d->file_id, "amount", (json_int_t)d->amount, "day",
			 day_json(d->day), "decided_by", d->decided_by, "recorded_by", (json_int_t)d->recorded_by,
			 "created_at", (json_int_t)d->created_at, "annulled", d->annulled, "annulment", d->annulment,
			 "updated_at", (json_int_t)d->updated_at, "version", (json_int_t)(d->version ? d->version : 1));
}

json_t *staff_return_to_json(const struct staff_return *r)
{
	return json_pack("{s:I, s:I, s:s, s:b, s:I, s:I, s:s, s:I, s:I}", "id", (json_int_t)r->id, "staff_id",
			 (json_int_t)r->staff_id, "item", choice_code(&return_item_set, r->item), "returned",
			 r->returned_at != 0, "returned_at", (json_int_t)r->returned_at, "received_by",
			 (json_int_t)r->received_by, "notes", r->notes, "created_at", (json_int_t)r->created_at,
			 "version", (json_int_t)r->version);
}

json_t *staff_file_to_json(const struct staff_file *f)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:I}", "id", (json_int_t)f->id, "staff_id",
			 (json_int_t)f->staff_id, "kind", choice_code(&doc_kind_set, f->kind), "name", f->name,
			 "content_type", f->content_type, "size", (json_int_t)f->size, "sha256", f->sha256,
			 "uploaded_by", (json_int_t)f->uploaded_by, "created_at", (json_int_t)f->created_at);
}

json_t *assignment_to_json(const struct assignment *a)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "id",
			 (json_int_t)a->id, "staff_id", (json_int_t)a->staff_id, "household_id",
			 (json_int_t)a->household_id, "job_type", choice_code(&job_type_set, a->job_type), "level",
			 choice_code(&staff_level_set, (int)a->level), "day", day_json(a->day), "time_window",
			 a->time_window, "status", choice_code(&assignment_status_set, (int)a->status), "token",
			 a->token, "notes", a->notes, "created_by", (json_int_t)a->created_by, "created_at",
			 (json_int_t)a->created_at, "updated_at", (json_int_t)a->updated_at, "version",
			 (json_int_t)a->version);
	if (o && (a->staff_name[0] || a->household_name[0])) {
		json_object_set_new(o, "staff_name", json_string(a->staff_name));
		json_object_set_new(o, "staff_no", json_string(a->staff_no));
		json_object_set_new(o, "household_name", json_string(a->household_name));
		json_object_set_new(o, "account_no", json_string(a->account_no));
		json_object_set_new(o, "address", json_string(a->address));
	}
	return o;
}
