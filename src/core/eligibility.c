/*
 * eligibility.c — the dispatch eligibility rule (see eligibility.h).
 */
#include <stdio.h>
#include <string.h>
#include "core/eligibility.h"

static const struct {
	const char *code, *zh, *en;
} reasons[ELIG__COUNT] = {
	[ELIG_NOT_ACTIVE] = { "not_active", "不在岗（当前状态：%s）", "not active (status: %s)" },
	[ELIG_NO_BIRTH_DATE] = { "no_birth_date", "出生日期未登记，无法确认已满18周岁", "no birth date on file: age 18 cannot be confirmed" },
	[ELIG_UNDER_18] = { "under_18", "未满18周岁", "under 18" },
	[ELIG_NO_BACKGROUND] = { "no_background_check", "背景调查未通过或未进行", "background check not passed" },
	[ELIG_NO_HEALTH_CERT] = { "no_health_certificate", "当日无有效健康证", "no valid health certificate on the day" },
	[ELIG_NO_TRAINING] = { "no_pre_job_training", "岗前培训考核未通过", "pre-job training not passed" },
	[ELIG_NOT_JOB_TYPE] = { "not_job_type", "不具备该工种（%s）", "not qualified for this job type (%s)" },
	[ELIG_CERT_MISSING] = { "certificate_missing", "当日无有效的%s", "no valid certificate on the day: %s" },
	[ELIG_LEVEL_LOW] = { "level_too_low", "等级不足（需%s，现为%s）", "level too low (needs %s, is %s)" },
	[ELIG_CERT_EXPIRING] = { "certificate_expiring", "%s将于 %s 到期", "%s expires on %s" },
	[ELIG_ANNUAL_DUE] = { "annual_training_due", "年度业务培训将于 %s 到期", "annual business training due by %s" },
	[ELIG_ANNUAL_OVERDUE] = { "annual_training_overdue", "年度业务培训已逾期（%s 到期）",
				  "annual business training overdue (was due by %s)" },
	[ELIG_WINDOW_TAKEN] = { "window_taken", "当日 %s 已有派工，与本时段重叠", "already assigned that day at %s, which overlaps this window" },
	[ELIG_HOUSEHOLD_CLOSED] = { "household_closed", "该住户已销户", "the household's account is closed" },
};

int age_on(rh_day birth, rh_day day)
{
	int by, bm, bd, y, m, d;
	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(day, &y, &m, &d);
	int age = y - by;
	/* Not yet had this year's birthday: (m, d) before (bm, bd). A 29
	 * February birthday in a common year falls after 28 February, so
	 * the year is reached on 1 March. */
	if (m < bm || (m == bm && d < bd)) age--;
	return age;
}

int elig_day_tells_birth(const struct elig_facts *w, rh_day today, rh_day day)
{
	if (day < today) return 1;
	return day > today && w->has_birth_date && age_on(w->birth_date, today) < 18;
}

static int cert_valid(const struct elig_facts *w, enum cert_type t, rh_day day, rh_day *until)
{
	int found = 0;
	for (size_t i = 0; i < w->ncerts; i++) {
		const struct elig_cert *c = &w->certs[i];
		if (c->type != t || c->revoked || day < c->valid_from || day > c->valid_to) continue;
		/* Of several valid ones, the one that lasts longest decides the warning. */
		if (!found || c->valid_to > *until) *until = c->valid_to;
		found = 1;
	}
	/* A renewal that starts by the day after it ends carries it on: the
	 * worker is covered without a gap, and nothing is about to end. */
	for (int more = found; more;) {
		more = 0;
		for (size_t i = 0; i < w->ncerts; i++) {
			const struct elig_cert *c = &w->certs[i];
			if (c->type == t && !c->revoked && c->valid_from <= *until + 1 && c->valid_to > *until) {
				*until = c->valid_to;
				more = 1;
			}
		}
	}
	return found;
}

static void add(struct elig_item *list, size_t *n, enum elig_reason r, int cert, rh_day until)
{
	if (*n < ELIG_MAX_ITEMS) list[(*n)++] = (struct elig_item){ r, cert, until, "" };
}

void elig_warn(struct elig_result *r, enum elig_reason why, const char *window)
{
	for (size_t i = 0; i < r->nwarn; i++)
		if (r->warn[i].reason == why && (!window || strcmp(r->warn[i].window, window) == 0)) return;
	size_t n = r->nwarn;
	add(r->warn, &r->nwarn, why, -1, 0);
	if (window && r->nwarn > n) snprintf(r->warn[n].window, sizeof r->warn[n].window, "%s", window);
}

/* A required certificate: missing is a failure, ending soon a warning. */
static void need_cert(const struct elig_facts *w, enum cert_type t, rh_day day, enum elig_reason missing,
		      struct elig_result *out)
{
	rh_day until = 0;
	if (!cert_valid(w, t, day, &until)) add(out->fail, &out->nfail, missing, (int)t, 0);
	else if (until - day <= ELIG_WARN_DAYS) add(out->warn, &out->nwarn, ELIG_CERT_EXPIRING, (int)t, until);
}

rh_day elig_annual_due(rh_day trained_on)
{
	int y, m, d;
	date_to_ymd(trained_on, &y, &m, &d);
	int last = date_days_in_month(y + 1, m);
	return date_from_ymd(y + 1, m, d > last ? last : d);
}

enum elig_reason elig_annual_state(rh_day trained_on, rh_day day, rh_day *due)
{
	if (!trained_on) return ELIG__COUNT;
	*due = elig_annual_due(trained_on);
	return day > *due ? ELIG_ANNUAL_OVERDUE : *due - day <= ELIG_WARN_DAYS ? ELIG_ANNUAL_DUE : ELIG__COUNT;
}

/* S4, seed 001: the inspector's yearly business training, a warning. */
static void annual_training(const struct elig_facts *w, const struct elig_need *n, struct elig_result *out)
{
	rh_day due = 0;
	enum elig_reason why = elig_annual_state(w->trained_on, n->day, &due);
	if (choice_parse(&job_type_set, "inspector") == n->job_type && why != ELIG__COUNT) add(out->warn, &out->nwarn, why, -1, due);
}

struct elig_need elig_need_for(const struct job_rule *rules, int job_type, int level, rh_day day)
{
	struct elig_need n = { job_type, LEVEL_JUNIOR, 0, day };
	if (job_type < 0 || job_type >= (int)job_type_set.n) return n;	/* refused as not_job_type */
	n.certs = rules[job_type].certs;
	n.level = level > (int)rules[job_type].level ? (enum staff_level)level : rules[job_type].level;
	return n;
}

int eligibility_check(const struct elig_facts *w, const struct elig_need *n, struct elig_result *out)
{
	memset(out, 0, sizeof *out);
	out->status = w->status;
	out->job_type = n->job_type;
	out->have = w->level;
	out->need = n->level;
	if (w->status != STAFF_ACTIVE) add(out->fail, &out->nfail, ELIG_NOT_ACTIVE, -1, 0);
	if (!w->has_birth_date) add(out->fail, &out->nfail, ELIG_NO_BIRTH_DATE, -1, 0);
	else if (age_on(w->birth_date, n->day) < 18) add(out->fail, &out->nfail, ELIG_UNDER_18, -1, 0);
	if (!w->background_passed) add(out->fail, &out->nfail, ELIG_NO_BACKGROUND, -1, 0);
	need_cert(w, CERT_HEALTH, n->day, ELIG_NO_HEALTH_CERT, out);
	if (!w->training_passed) add(out->fail, &out->nfail, ELIG_NO_TRAINING, -1, 0);
	if (n->job_type < 0 || n->job_type >= (int)job_type_set.n || !(w->job_types & (1u << n->job_type)))
		add(out->fail, &out->nfail, ELIG_NOT_JOB_TYPE, -1, 0);
	for (int t = 0; t < CERT__COUNT; t++)
		if (t != CERT_HEALTH && (n->certs & (1u << t))) need_cert(w, (enum cert_type)t, n->day, ELIG_CERT_MISSING, out);
	if (w->level < n->level) add(out->fail, &out->nfail, ELIG_LEVEL_LOW, -1, 0);
	annual_training(w, n, out);
	out->eligible = out->nfail == 0;
	return out->eligible;
}

const char *elig_reason_code(enum elig_reason r)
{
	return r < ELIG__COUNT ? reasons[r].code : "unknown";
}

/* fmt with its "%s" replaced by a, then b (the texts above are data,
 * not format strings). */
static void fill(char *out, size_t cap, const char *fmt, const char *a, const char *b)
{
	size_t used = 0;
	for (const char *p = fmt; *p && used + 1 < cap; p++) {
		if (p[0] == '%' && p[1] == 's') {
			const char *arg = a ? a : "";
			a = b;
			b = NULL;
			size_t k = strlen(arg);
			if (k > cap - 1 - used) k = cap - 1 - used;
			memcpy(out + used, arg, k);
			used += k;
			p++;
		} else {
			out[used++] = *p;
		}
	}
	out[used] = '\0';
}

/* The message for it, naming what the result recorded. */
static void message(const struct elig_item *it, const struct elig_result *r, int en, char *out, size_t cap)
{
	const char *fmt = en ? reasons[it->reason].en : reasons[it->reason].zh;
	const char *cert = it->cert >= 0 ? choice_label(&cert_type_set, it->cert, en) : "";
	char until[11];
	switch (it->reason) {
	case ELIG_NOT_ACTIVE:
		fill(out, cap, fmt, choice_label(&staff_status_set, (int)r->status, en), NULL);
		break;
	case ELIG_NOT_JOB_TYPE:
		fill(out, cap, fmt, choice_label(&job_type_set, r->job_type, en), NULL);
		break;
	case ELIG_LEVEL_LOW:
		fill(out, cap, fmt, choice_label(&staff_level_set, (int)r->need, en),
			 choice_label(&staff_level_set, (int)r->have, en));
		break;
	case ELIG_CERT_MISSING:
		fill(out, cap, fmt, cert, NULL);
		break;
	case ELIG_CERT_EXPIRING:
		date_format(it->until, until);
		fill(out, cap, fmt, cert, until);
		break;
	case ELIG_ANNUAL_DUE:
	case ELIG_ANNUAL_OVERDUE:
		date_format(it->until, until);
		fill(out, cap, fmt, until, NULL);
		break;
	case ELIG_WINDOW_TAKEN:
		fill(out, cap, fmt, it->window, NULL);
		break;
	default:
		fill(out, cap, fmt, NULL, NULL);
	}
}

static json_t *item_json(const struct elig_item *it, const struct elig_result *r, int en)
{
	char msg[256];
	message(it, r, en, msg, sizeof msg);
	json_t *o = json_pack("{s:s, s:s}", "code", elig_reason_code(it->reason), "message", msg);
	if (o && it->cert >= 0) json_object_set_new(o, "certificate", json_string(choice_code(&cert_type_set, it->cert)));
	if (o && (it->reason == ELIG_CERT_EXPIRING || it->reason == ELIG_ANNUAL_DUE || it->reason == ELIG_ANNUAL_OVERDUE)) {
		date_format(it->until, msg);
		json_object_set_new(o, "until", json_string(msg));
	}
	if (o && it->reason == ELIG_WINDOW_TAKEN) json_object_set_new(o, "time_window", json_string(it->window));
	return o;
}

json_t *elig_result_to_json(const struct elig_result *r, int en)
{
	json_t *fail = json_array(), *warn = json_array();
	for (size_t i = 0; i < r->nfail; i++) json_array_append_new(fail, item_json(&r->fail[i], r, en));
	for (size_t i = 0; i < r->nwarn; i++) json_array_append_new(warn, item_json(&r->warn[i], r, en));
	return json_pack("{s:b, s:o, s:o}", "eligible", r->eligible, "reasons", fail, "warnings", warn);
}

char *elig_reasons_text(const struct elig_result *r, int en, char *out, size_t cap)
{
	size_t used = 0;
	if (!cap) return out;
	out[0] = '\0';
	for (size_t i = 0; i < r->nfail; i++) {
		char msg[256];
		message(&r->fail[i], r, en, msg, sizeof msg);
		int k = snprintf(out + used, cap - used, "%s%s", i ? (en ? "; " : "；") : "", msg);
		if (k < 0) break;
		if ((size_t)k >= cap - used) {
			/* Cut short: end on a whole character, never inside one
			 * (the text goes into JSON, which must be valid UTF-8). */
			size_t end = cap - 1, start = end;
			while (start > 0 && ((unsigned char)out[start - 1] & 0xC0) == 0x80) start--;
			if (start > 0 && (unsigned char)out[start - 1] >= 0xC0) {
				unsigned char lead = (unsigned char)out[start - 1];
				size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
				if (end - (start - 1) < want) out[start - 1] = '\0';
			}
			break;
		}
		used += (size_t)k;
	}
	return out;
}
