/*
 * staff.c — staff profiles and their fields (see staff.h).
 */
#include <string.h>
#include "core/idcard.h"
#include "core/eligibility.h"
#include "core/staff.h"

static const struct choice statuses[] = {
	{ "candidate", "候选", "Candidate", "应聘" },
	{ "active", "在岗", "Active", "在职" },
	{ "suspended", "停职", "Suspended", NULL },
	{ "left", "离职", "Left", NULL },
	{ "dismissed", "解聘", "Dismissed", "辞退" },
	{ "blacklisted", "不良信用记录", "Blacklisted", "黑名单" },
};
const char *const staff_status_codes[] = { "candidate", "active", "suspended", "left", "dismissed", "blacklisted", NULL };
const struct choice_set staff_status_set = CHOICE_SET(statuses, staff_status_codes);

static const struct choice employments[] = {
	{ "own", "自有", "Own staff", "自有员工" },
	{ "subcontractor", "分包", "Subcontractor", "分包商" },
};
const char *const staff_employment_codes[] = { "own", "subcontractor", NULL };
const struct choice_set employment_set = CHOICE_SET(employments, staff_employment_codes);

static const struct choice levels[] = {
	{ "junior", "初级", "Junior", NULL },
	{ "middle", "中级", "Intermediate", "middle" },
	{ "senior", "高级", "Senior", NULL },
};
const char *const staff_level_codes[] = { "junior", "middle", "senior", NULL };
const struct choice_set staff_level_set = CHOICE_SET(levels, staff_level_codes);

static const struct choice job_types[] = {
	{ "inspector", "安检员", "Inspector", NULL },
	{ "repairer", "维修员", "Repairer", NULL },
	{ "cleaner", "保洁员", "Cleaner", NULL },
	{ "domestic", "家政员", "Domestic worker", NULL },
	{ "carer", "护理员", "Carer", NULL },
	{ "community", "社区工作者", "Community worker", NULL },
	{ "interviewer", "访问员", "Interviewer", NULL },
	{ "electrician", "电工", "Electrician", NULL },
	{ "welder", "焊工", "Welder", NULL },
	{ "other", "其他", "Other", NULL },
};
const char *const staff_job_type_codes[] = { "inspector", "repairer", "cleaner", "domestic", "carer", "community",
					      "interviewer", "electrician", "welder", "other", NULL };
const struct choice_set job_type_set = CHOICE_SET(job_types, staff_job_type_codes);

void staff_birth_text(const struct staff *s, int full, char out[11])
{
	out[0] = '\0';
	if (!s->has_birth_date) return;
	date_format(s->birth_date, out);
	/* With the area code, the birth date and the last four, a masked ID
	 * number would be guessed in a handful of tries: the date is as
	 * personal as the number it is part of — and stays so once the
	 * number is taken off the profile, whose masked form the audit
	 * trail still shows. */
	if (!full) memcpy(out + 4, "-**-**", 7);
}

int staff_birth_check(const struct staff *s, const char *id_number, rh_day today, const char **zh, const char **en)
{
	rh_day carried;
	if (!s->has_birth_date) return 0;
	if (s->birth_date > today) {
		*zh = "出生日期不能晚于今天", *en = "the birth date cannot be in the future";
		return -1;
	}
	/* 《劳动法》第十五条: no one under 16 is taken on — a date that says
	 * so is a slip of the keyboard (2020 for 1990), not a worker */
	if (age_on(s->birth_date, today) < STAFF_MIN_AGE) {
		*zh = "未满 16 周岁，不能录用（《劳动法》第十五条），请核对出生日期";
		*en = "under 16, who may not be taken on (Labour Law, art. 15): check the birth date";
		return -1;
	}
	if (id_number[0] && idcard_birth(id_number, &carried) == 0 && carried != s->birth_date) {
		*zh = "出生日期与身份证号中的不一致（以身份证号为准，可不填）";
		*en = "the birth date differs from the one in the ID number (which decides; it may be left out)";
		return -1;
	}
	return 0;
}

json_t *staff_to_json(const struct staff *s, struct hh_view v)
{
	json_t *o = json_object(), *jobs = json_array();
	if (!o || !jobs) {
		json_decref(o);
		json_decref(jobs);
		return NULL;
	}
	for (size_t i = 0; i < job_type_set.n; i++)
		if (s->job_types & (1u << i)) json_array_append_new(jobs, json_string(job_type_set.items[i].code));
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "staff_no", json_string(s->staff_no));
	json_object_set_new(o, "name", json_string(s->name));
	if (v.id_number != PII_HIDDEN) {
		const char *id = v.id_number == PII_FULL && s->id_number[0] ? s->id_number : s->id_masked;
		json_object_set_new(o, "id_number", id[0] ? json_string(id) : json_null());
	}
	if (s->has_birth_date) {
		char d[11];
		staff_birth_text(s, v.id_number == PII_FULL, d);
		json_object_set_new(o, "birth_date", json_string(d));
	} else {
		json_object_set_new(o, "birth_date", json_null());
	}
	if (v.phone != PII_HIDDEN) {
		char masked[PHONE_MAX + 1];
		mask_phone(s->phone, masked, sizeof masked);
		json_object_set_new(o, "phone", !s->phone[0] ? json_null() : json_string(v.phone == PII_FULL ? s->phone : masked));
	}
	json_object_set_new(o, "employment", json_string(choice_code(&employment_set, (int)s->employment)));
	json_object_set_new(o, "employer", json_string(s->employer));
	json_object_set_new(o, "job_types", jobs);
	json_object_set_new(o, "level", json_string(choice_code(&staff_level_set, (int)s->level)));
	json_object_set_new(o, "badge_no", s->badge_no[0] ? json_string(s->badge_no) : json_null());
	json_object_set_new(o, "status", json_string(choice_code(&staff_status_set, (int)s->status)));
	json_object_set_new(o, "user_id", json_integer(s->user_id));
	json_object_set_new(o, "supervisor_id", json_integer(s->supervisor_id));
	json_object_set_new(o, "notes", json_string(s->notes));
	json_object_set_new(o, "photo", json_boolean(s->photo_type[0] != '\0'));
	json_object_set_new(o, "import_id", json_integer(s->import_id));
	json_object_set_new(o, "created_at", json_integer(s->created_at));
	json_object_set_new(o, "updated_at", json_integer(s->updated_at));
	json_object_set_new(o, "version", json_integer(s->version));
	return o;
}

int staff_same(const struct staff *a, const struct staff *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->id_hash, b->id_hash) == 0 &&
	       a->has_birth_date == b->has_birth_date && (!a->has_birth_date || a->birth_date == b->birth_date) &&
	       strcmp(a->phone, b->phone) == 0 && a->employment == b->employment &&
	       strcmp(a->employer, b->employer) == 0 && a->job_types == b->job_types && a->level == b->level &&
	       strcmp(a->badge_no, b->badge_no) == 0 && a->status == b->status && a->user_id == b->user_id &&
	       a->supervisor_id == b->supervisor_id &&
	       strcmp(a->notes, b->notes) == 0;
}
