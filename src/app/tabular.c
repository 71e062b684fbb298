/*
 * tabular.c — households and staff as rows of cells (see tabular.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/tabular.h"
#include "core/validate.h"
#include "store/store.h"

#define N(...) (const char *const[]){ __VA_ARGS__, NULL }

/* names[0] is the Chinese header, names[1] the code, names[2] the English
 * header; the rest are other names files use. */
const struct csv_column household_columns[HC__COUNT] = {
	[HC_ACCOUNT_NO] = { "account_no", N("户号", "account_no", "Account no", "用户编号", "用户号", "客户编号", "账号"), 1, 1 },
	[HC_NAME] = { "name", N("户名", "name", "Name", "姓名", "用户名称", "客户名称", "户主"), 1 },
	[HC_PHONE] = { "phone", N("电话", "phone", "Phone", "手机", "手机号", "联系电话", "手机号码", "联系方式"), 0, 1, 1 + HC_PHONE2 },
	[HC_PHONE2] = { "phone2", N("备用电话", "phone2", "Phone 2", "其他电话", "固定电话"), 0, 1 },
	[HC_ESTATE] = { "estate", N("小区", "estate", "Estate", "项目", "小区名称", "项目名称"), 0 },
	[HC_BUILDING] = { "building", N("楼栋", "building", "Building", "楼号", "栋"), 0 },
	[HC_UNIT] = { "unit", N("单元", "unit", "Unit", "单元号"), 0 },
	[HC_ROOM] = { "room", N("门牌号", "room", "Room", "房号", "室", "门牌"), 0, 1 },
	[HC_ADDRESS] = { "address", N("地址", "address", "Address", "用户地址", "详细地址"), 0 },
	[HC_CATEGORY] = { "category", N("用户类别", "category", "Category", "类别", "用气类别", "用户类型"), 1 },
	[HC_METER_LOCATION] = { "meter_location", N("表具位置", "meter_location", "Meter location", "表位置", "表位"), 0 },
	[HC_METER_TYPE] = { "meter_type", N("表具类型", "meter_type", "Meter type", "表型", "表类型"), 0 },
	[HC_METER_NO] = { "meter_no", N("表号", "meter_no", "Meter no", "表具编号"), 0, 1 },
	[HC_VULNERABLE] = { "vulnerable", N("弱势群体", "vulnerable", "Vulnerable"), 0 },
	[HC_GROUP_RENTAL] = { "group_rental", N("群租", "group_rental", "Group rental"), 0 },
	[HC_VACANT] = { "vacant", N("长期无人", "vacant", "Vacant", "长期无人居住"), 0 },
	[HC_FIRST_CONVERSION] = { "first_conversion", N("首次置换", "first_conversion", "First conversion"), 0 },
	[HC_ID_NUMBER] = { "id_number", N("身份证号", "id_number", "ID number", "身份证", "身份证号码", "证件号码"), 0, 1 },
	[HC_STATUS] = { "status", N("状态", "status", "Status", "用户状态"), 0 },
	[HC_NOTES] = { "notes", N("备注", "notes", "Notes", "说明"), 0 },
	[HC_VERSION] = { "version", N("版本", "version", "Version"), 0, 1 },
};

const struct csv_column staff_columns[SC__COUNT] = {
	[SC_STAFF_NO] = { "staff_no", N("工号", "staff_no", "Staff no", "员工编号", "员工号"), 1, 1 },
	[SC_NAME] = { "name", N("姓名", "name", "Name", "员工姓名"), 1 },
	[SC_ID_NUMBER] = { "id_number", N("身份证号", "id_number", "ID number", "身份证", "身份证号码", "证件号码"), 0, 1 },
	[SC_BIRTH_DATE] = { "birth_date", N("出生日期", "birth_date", "Birth date", "生日"), 0, 1 },
	[SC_PHONE] = { "phone", N("手机", "phone", "Phone", "电话", "手机号", "手机号码", "联系电话", "联系方式"), 0, 1 },
	[SC_EMPLOYMENT] = { "employment", N("用工性质", "employment", "Employment", "用工类型"), 1 },
	[SC_EMPLOYER] = { "employer", N("用工单位", "employer", "Employer", "所属单位", "分包单位"), 0 },
	[SC_JOB_TYPES] = { "job_types", N("工种", "job_types", "Job types", "岗位"), 0 },
	[SC_LEVEL] = { "level", N("等级", "level", "Level", "级别"), 1 },
	[SC_BADGE_NO] = { "badge_no", N("工作证号", "badge_no", "Badge no", "工牌号", "工作牌号"), 0, 1 },
	[SC_STATUS] = { "status", N("状态", "status", "Status", "在职状态"), 0 },
	[SC_NOTES] = { "notes", N("备注", "notes", "Notes", "说明"), 0 },
	[SC_VERSION] = { "version", N("版本", "version", "Version"), 0, 1 },
};

const char *column_header(const struct csv_column *c, int en)
{
	return c->names[en ? 2 : 0];
}

/* ---- checking cells ---- */

static int fail_cell(struct cell_problem *why, int col, enum rh_err err, const char *zh, const char *en)
{
	why->col = col;
	why->err = err;
	snprintf(why->zh, sizeof why->zh, "%s", zh);
	snprintf(why->en, sizeof why->en, "%s", en);
	return -1;
}

/* A text cell of at most max characters into out (cap bytes). */
static int text(const char *const *cells, int col, size_t max, int multiline, char *out, size_t cap,
		struct cell_problem *why)
{
	const char *s = cells[col];
	if (!text_clean(s, multiline))
		return fail_cell(why, col, RH_ERR_FIELD_INVALID, TEXT_CLEAN_RULE_ZH, TEXT_CLEAN_RULE_EN);
	size_t n = utf8_length(s);
	if (n > max) {
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "过长（%zu 个字符，最多 %zu 个）", n, max);
		snprintf(en, sizeof en, "too long (%zu characters, at most %zu)", n, max);
		return fail_cell(why, col, RH_ERR_FIELD_TOO_LONG, zh, en);
	}
	if (strlen(s) >= cap) return fail_cell(why, col, RH_ERR_FIELD_TOO_LONG, "过长", "too long");
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static int required(const char *const *cells, int col, struct cell_problem *why)
{
	if (cells[col][0]) return 0;
	return fail_cell(why, col, RH_ERR_FIELD_REQUIRED, "不能为空", "is required");
}

/* The len bytes at s are none of set's: named, with what they may be. */
static void unknown_choice(struct cell_problem *why, int col, const struct choice_set *set, const char *s, size_t len)
{
	char zh[200], en[320], shown[41], value[256];	/* cut where a character ends, from more than is shown */
	snprintf(value, sizeof value, "%.*s", (int)(len < sizeof value ? len : sizeof value - 1), s);
	utf8_cut(value, shown, sizeof shown);	/* a long cell, cut where a character ends */
	size_t zl = (size_t)snprintf(zh, sizeof zh, "无法识别“%s”，可选：", shown);
	size_t el = (size_t)snprintf(en, sizeof en, "unknown value \"%s\"; one of:", shown);
	/* whole choices only, with room for "…": a list cut inside a character
	   would be no UTF-8, and the error no JSON */
	for (size_t k = 0; k < set->n; k++) {
		size_t zn = (size_t)snprintf(NULL, 0, "%s%s", k ? "、" : "", set->items[k].zh);
		/* the code or the Chinese word, as the file may give either */
		size_t en_n = (size_t)snprintf(NULL, 0, " %s (%s)%s", set->items[k].code, set->items[k].zh,
					       k + 1 < set->n ? "," : "");
		if (zl + zn + 4 > sizeof zh || el + en_n + 4 > sizeof en) {
			snprintf(zh + zl, sizeof zh - zl, "…");
			snprintf(en + el, sizeof en - el, " …");
			break;
		}
		zl += (size_t)snprintf(zh + zl, sizeof zh - zl, "%s%s", k ? "、" : "", set->items[k].zh);
		el += (size_t)snprintf(en + el, sizeof en - el, " %s (%s)%s", set->items[k].code, set->items[k].zh,
				       k + 1 < set->n ? "," : "");
	}
	fail_cell(why, col, RH_ERR_FIELD_INVALID, zh, en);
}

/* One of a list, by code or label; empty gives def (or fails if def < 0). */
static int choice(const char *const *cells, int col, const struct choice_set *set, int def, int *out,
		  struct cell_problem *why)
{
	const char *s = cells[col];
	if (!s[0]) {
		if (def < 0) return required(cells, col, why);
		*out = def;
		return 0;
	}
	int i = choice_parse(set, s);
	if (i >= 0) {
		*out = i;
		return 0;
	}
	unknown_choice(why, col, set, s, strlen(s));
	return -1;
}

/* A choice whose empty cell says nothing: the default on a new record,
 * what is stored on one that exists (KEEP, as a missing column). A blank
 * 状态 reopened a closed account and took a leaver back on as a
 * candidate; a blank 表具位置 forgot where the meter is (found in
 * review). */
static int choice_kept(const char *const *cells, int col, const struct choice_set *set, int def, int *out,
		       unsigned *blank, struct cell_problem *why)
{
	if (!cells[col][0]) *blank |= KEEP(col);
	return choice(cells, col, set, def, out, why);
}

static int yes_no(const char *const *cells, int col, unsigned bit, unsigned *flags, struct cell_problem *why)
{
	int v = yes_no_parse(cells[col]);
	if (v < 0) return fail_cell(why, col, RH_ERR_FIELD_INVALID, "应为“是”或“否”", "should be yes or no");
	if (v) *flags |= bit;
	return 0;
}

/* 1.38123E+10: how Excel shows a long number in a narrow General column,
 * and how it then saves it as CSV — the digits past the sixth are gone.
 * Said so, the user knows what to change in the sheet; "not a phone
 * number" would leave them looking at a number that seems right. */
static int excel_scientific(const char *const *cells, int col, struct cell_problem *why)
{
	const char *s = cells[col];
	size_t n = strspn(s, "0123456789");
	if (n != 1) return 0;
	if (s[n] == '.') n += 1 + strspn(s + n + 1, "0123456789");
	if ((s[n] != 'E' && s[n] != 'e') || s[n + 1] != '+' || !s[n + 2] || s[n + 2 + strspn(s + n + 2, "0123456789")])
		return 0;
	/* Excel keeps 15 digits of a number: a longer one (an ID number's
	 * 18) lost the rest when it was typed, and no format brings them
	 * back (found in review: the advice said it would). */
	long exp = strtol(s + n + 2, NULL, 10);	/* saturates: defined for any length */
	if (exp >= 15)
		return fail_cell(why, col, RH_ERR_FIELD_INVALID,
				 "是 Excel 的科学计数法：Excel 只保留 15 位数字，更长的号码（如身份证号）后几位已丢失，"
				 "无法恢复：请把该列设为“文本”格式后重新录入这些号码",
				 "is in Excel's scientific notation: Excel keeps 15 digits, and a longer number (an ID number)"
				 " lost its last ones for good: format the column as Text and type those numbers again");
	return fail_cell(why, col, RH_ERR_FIELD_INVALID,
			 "是 Excel 的科学计数法，末几位数字已丢失：请在表格中把该列设为“文本”或“数值”格式后重新保存",
			 "is in Excel's scientific notation, its last digits lost: format the column as Text or Number"
			 " in the sheet and save again");
}

/* A number as a sheet or a program wrote it: '0012345 (an apostrophe
 * typed to keep it text, which some exports keep) or 13812345678.0 (a
 * float's, as pandas writes one): its digits, in tmp (cap bytes) when
 * they are cut out of it; else s. (The .xlsx reader reads both so.) */
static const char *digits_as_written(const char *s, char *tmp, size_t cap)
{
	size_t n = strlen(s);
	if (s[0] == '\'' && n > 1 && strspn(s + 1, "0123456789") == n - 1) return s + 1;
	if (n > 2 && n - 2 < cap && strcmp(s + n - 2, ".0") == 0 && strspn(s, "0123456789") == n - 2) {
		memcpy(tmp, s, n - 2);
		tmp[n - 2] = '\0';
		return tmp;
	}
	return s;
}

static int phone(const char *const *cells, int col, char *out, unsigned *keep, struct cell_problem *why)
{
	char tmp[64];
	const char *s = digits_as_written(cells[col], tmp, sizeof tmp);
	out[0] = '\0';
	if (!s[0]) return 0;
	if (looks_masked(s)) {
		*keep |= KEEP(col);
		return 0;
	}
	if (excel_scientific(cells, col, why)) return -1;
	if (!phone_valid(s)) return fail_cell(why, col, RH_ERR_FIELD_INVALID, PHONE_RULE_ZH, PHONE_RULE_EN);
	snprintf(out, PHONE_MAX + 1, "%s", s);
	return 0;
}

static int id_number(const char *const *cells, int col, char *out, unsigned *keep, struct cell_problem *why)
{
	const char *s = cells[col];
	out[0] = '\0';
	if (!s[0]) return 0;
	if (looks_masked(s)) {
		*keep |= KEEP(col);
		return 0;
	}
	if (excel_scientific(cells, col, why)) return -1;
	if (idcard_normalise(s, out) != 0) return fail_cell(why, col, RH_ERR_FIELD_INVALID, IDCARD_RULE_ZH, IDCARD_RULE_EN);
	return 0;
}

/* A number made of letters, digits and '-' (accounts, staff, badges, meters). */
static int code(const char *const *cells, int col, char *out, size_t cap, struct cell_problem *why)
{
	char tmp[64];
	const char *s = digits_as_written(cells[col], tmp, sizeof tmp);
	out[0] = '\0';
	if (!s[0]) return 0;
	if (excel_scientific(cells, col, why)) return -1;
	if (!account_no_valid(s) || strlen(s) >= cap)
		return fail_cell(why, col, RH_ERR_FIELD_INVALID, ACCOUNT_NO_RULE_ZH, ACCOUNT_NO_RULE_EN);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

/* The version an export wrote (0: none, a file from elsewhere). The
 * import refuses a row whose record has changed since (store.h). */
static int version(const char *const *cells, int col, int64_t *out, struct cell_problem *why)
{
	const char *s = cells[col];
	size_t n = strspn(s, "0123456789");
	*out = 0;
	if (!s[0]) return 0;
	if (!n || s[n] || n > 9 || s[0] == '0')
		return fail_cell(why, col, RH_ERR_FIELD_INVALID, "应为导出文件中的版本号（正整数），请勿修改",
				 "should be the version number the export wrote (a whole number); leave it as it is");
	*out = strtoll(s, NULL, 10);
	return 0;
}

/* A site name: no '/', which separates the names of a path. */
static int site_name(const char *const *cells, int col, struct cell_problem *why)
{
	char tmp[SITE_NAME_MAX * 4 + 1];
	if (text(cells, col, SITE_NAME_MAX, 0, tmp, sizeof tmp, why) != 0) return -1;
	if (strchr(tmp, '/')) return fail_cell(why, col, RH_ERR_FIELD_INVALID, "不能含有“/”", "may not hold \"/\"");
	return 0;
}

static void keep_problem(struct cell_problems *all, const struct cell_problem *p)
{
	if (all->n < CELL_PROBLEMS_MAX) all->v[all->n++] = *p;
}

/* One cell's checks (a chain of them with ||), its problem kept: the
 * row's other cells are checked all the same. */
#define CELL(checks) \
	do { \
		if (checks) keep_problem(why, &p); \
	} while (0)

int household_from_cells(const char *const *cells, struct household *h, struct household_sites *sites,
			 unsigned *keep, unsigned *blank, struct cell_problems *why)
{
	int cat = 0, loc = 0, type = 0, status = 0;
	struct cell_problem p;
	memset(h, 0, sizeof *h);
	*keep = 0;
	*blank = 0;
	why->n = 0;
	CELL(required(cells, HC_ACCOUNT_NO, &p) || code(cells, HC_ACCOUNT_NO, h->account_no, sizeof h->account_no, &p));
	CELL(required(cells, HC_NAME, &p) || text(cells, HC_NAME, HH_NAME_MAX, 0, h->name, sizeof h->name, &p));
	CELL(phone(cells, HC_PHONE, h->phone, keep, &p));
	CELL(phone(cells, HC_PHONE2, h->phone2, keep, &p));
	CELL(site_name(cells, HC_ESTATE, &p));
	CELL(site_name(cells, HC_BUILDING, &p));
	CELL(site_name(cells, HC_UNIT, &p));
	CELL(text(cells, HC_ROOM, ROOM_MAX, 0, h->room, sizeof h->room, &p));
	CELL(text(cells, HC_ADDRESS, ADDRESS_MAX, 0, h->address, sizeof h->address, &p));
	CELL(choice(cells, HC_CATEGORY, &hh_category_set, -1, &cat, &p));
	CELL(choice_kept(cells, HC_METER_LOCATION, &meter_location_set, METER_LOC_UNKNOWN, &loc, blank, &p));
	CELL(choice_kept(cells, HC_METER_TYPE, &meter_type_set, METER_UNKNOWN, &type, blank, &p));
	CELL(code(cells, HC_METER_NO, h->meter_no, sizeof h->meter_no, &p));
	CELL(yes_no(cells, HC_VULNERABLE, HF_VULNERABLE, &h->flags, &p));
	CELL(yes_no(cells, HC_GROUP_RENTAL, HF_GROUP_RENTAL, &h->flags, &p));
	CELL(yes_no(cells, HC_VACANT, HF_VACANT, &h->flags, &p));
	CELL(yes_no(cells, HC_FIRST_CONVERSION, HF_FIRST_CONVERSION, &h->flags, &p));
	CELL(id_number(cells, HC_ID_NUMBER, h->id_number, keep, &p));
	CELL(choice_kept(cells, HC_STATUS, &hh_status_set, HH_ACTIVE, &status, blank, &p));
	CELL(text(cells, HC_NOTES, NOTES_MAX, 1, h->notes, sizeof h->notes, &p));
	CELL(version(cells, HC_VERSION, &h->version, &p));
	if (why->n) return -1;
	h->category = (enum hh_category)cat;
	h->meter_location = (enum meter_location)loc;
	h->meter_type = (enum meter_type)type;
	h->status = (enum hh_status)status;
	/* No estate, building or unit: a stored household stays where it is
	 * (an import never moves one up the tree, out of it least of all),
	 * as a CSV of a sheet with merged 小区 cells leaves them empty. */
	if (!cells[HC_ESTATE][0] && !cells[HC_BUILDING][0] && !cells[HC_UNIT][0])
		*blank |= KEEP(HC_ESTATE) | KEEP(HC_BUILDING) | KEEP(HC_UNIT);
	sites->estate = cells[HC_ESTATE];
	sites->building = cells[HC_BUILDING];
	sites->unit = cells[HC_UNIT];
	return 0;
}

/* Dates as spreadsheets write them: 1990-05-03, 1990/5/3, 19900503. */
static int birth_date(const char *const *cells, int col, struct staff *s, unsigned *keep, struct cell_problem *why)
{
	const char *p = cells[col];
	if (!p[0]) return 0;
	if (looks_masked(p)) {
		*keep |= KEEP(col);
		return 0;
	}
	int y = 0, m = 0, d = 0, n = 0;
	char tail;
	/* As people write dates in China: 1990-05-03, 1990/5/3, 1990.5.3
	 * (Excel's long date format saved to CSV: 1990年5月3日), 19900503. */
	if ((sscanf(p, "%4d-%2d-%2d%n%c", &y, &m, &d, &n, &tail) == 3 ||
	     sscanf(p, "%4d/%2d/%2d%n%c", &y, &m, &d, &n, &tail) == 3 ||
	     sscanf(p, "%4d.%2d.%2d%n%c", &y, &m, &d, &n, &tail) == 3 ||
	     sscanf(p, "%4d年%2d月%2d日%n%c", &y, &m, &d, &n, &tail) == 3 ||
	     (strlen(p) == 8 && sscanf(p, "%4d%2d%2d%n", &y, &m, &d, &n) == 3)) &&
	    (size_t)n == strlen(p) && y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= date_days_in_month(y, m)) {
		s->birth_date = date_from_ymd(y, m, d);
		s->has_birth_date = 1;
		return 0;
	}
	return fail_cell(why, col, RH_ERR_FIELD_INVALID, "日期格式应为 YYYY-MM-DD（或 1990/5/3、1990.5.3、1990年5月3日）",
			 "a date should be YYYY-MM-DD (or 1990/5/3, 1990.5.3, 1990年5月3日)");
}

/* The job types, a list of choices: the first that is none is named. */
static int job_types(const char *const *cells, struct staff *s, struct cell_problem *why)
{
	size_t bad;
	if (choice_parse_set(&job_type_set, cells[SC_JOB_TYPES], &s->job_types, &bad) == 0) return 0;
	unknown_choice(why, SC_JOB_TYPES, &job_type_set, cells[SC_JOB_TYPES] + bad, choice_item_len(cells[SC_JOB_TYPES] + bad));
	return -1;
}

int staff_from_cells(const char *const *cells, struct staff *s, unsigned *keep, unsigned *blank,
		     struct cell_problems *why)
{
	int employ = 0, level = 0, status = 0;
	struct cell_problem p;
	memset(s, 0, sizeof *s);
	*keep = 0;
	*blank = 0;
	why->n = 0;
	CELL(required(cells, SC_STAFF_NO, &p) || code(cells, SC_STAFF_NO, s->staff_no, sizeof s->staff_no, &p));
	CELL(required(cells, SC_NAME, &p) || text(cells, SC_NAME, STAFF_NAME_MAX, 0, s->name, sizeof s->name, &p));
	CELL(id_number(cells, SC_ID_NUMBER, s->id_number, keep, &p));
	CELL(birth_date(cells, SC_BIRTH_DATE, s, keep, &p));
	CELL(phone(cells, SC_PHONE, s->phone, keep, &p));
	CELL(choice(cells, SC_EMPLOYMENT, &employment_set, -1, &employ, &p));
	CELL(text(cells, SC_EMPLOYER, EMPLOYER_MAX, 0, s->employer, sizeof s->employer, &p));
	CELL(job_types(cells, s, &p));
	CELL(choice(cells, SC_LEVEL, &staff_level_set, -1, &level, &p));
	CELL(code(cells, SC_BADGE_NO, s->badge_no, sizeof s->badge_no, &p));
	CELL(choice_kept(cells, SC_STATUS, &staff_status_set, STAFF_CANDIDATE, &status, blank, &p));
	CELL(text(cells, SC_NOTES, NOTES_MAX, 1, s->notes, sizeof s->notes, &p));
	CELL(version(cells, SC_VERSION, &s->version, &p));
	if (why->n) return -1;
	/* The birth date the ID number carries, unless the file says otherwise. */
	rh_day born;
	if (!s->has_birth_date && !(*keep & KEEP(SC_BIRTH_DATE)) && s->id_number[0] &&
	    idcard_birth(s->id_number, &born) == 0) {
		s->birth_date = born;
		s->has_birth_date = 1;
	}
	s->employment = (enum employment)employ;
	s->level = (enum staff_level)level;
	s->status = (enum staff_status)status;
	return 0;
}

/* ---- keeping what is stored ---- */

#define KEPT(col) (keep & KEEP(col))

int household_merge(struct household *next, const struct household *stored, unsigned keep)
{
	const struct household *o = stored;
	if (KEPT(HC_PHONE)) memcpy(next->phone, o->phone, sizeof next->phone);
	if (KEPT(HC_PHONE2)) memcpy(next->phone2, o->phone2, sizeof next->phone2);
	if (KEPT(HC_ESTATE) && KEPT(HC_BUILDING) && KEPT(HC_UNIT)) next->site_id = o->site_id;
	if (KEPT(HC_ROOM)) memcpy(next->room, o->room, sizeof next->room);
	/* An address made from the site is made again from where the row
	 * puts the household (left empty here): a file without the address
	 * column moved a household and kept its old door (found in review). */
	if (KEPT(HC_ADDRESS) && !o->address_auto) {
		memcpy(next->address, o->address, sizeof next->address);
		next->address_auto = 0;
	}
	if (KEPT(HC_METER_LOCATION)) next->meter_location = o->meter_location;
	if (KEPT(HC_METER_TYPE)) next->meter_type = o->meter_type;
	if (KEPT(HC_METER_NO)) memcpy(next->meter_no, o->meter_no, sizeof next->meter_no);
	static const struct { int col; unsigned flag; } flags[] = {
		{ HC_VULNERABLE, HF_VULNERABLE }, { HC_GROUP_RENTAL, HF_GROUP_RENTAL },
		{ HC_VACANT, HF_VACANT }, { HC_FIRST_CONVERSION, HF_FIRST_CONVERSION },
	};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (KEPT(flags[i].col)) next->flags = (next->flags & ~flags[i].flag) | (o->flags & flags[i].flag);
	if (KEPT(HC_STATUS)) next->status = o->status;
	if (KEPT(HC_NOTES)) memcpy(next->notes, o->notes, sizeof next->notes);
	return KEPT(HC_ID_NUMBER) != 0;
}

int staff_merge(struct staff *next, const struct staff *stored, unsigned keep)
{
	const struct staff *o = stored;
	if (KEPT(SC_BIRTH_DATE) && !next->has_birth_date) {	/* masked or absent, and not from a new ID number */
		next->has_birth_date = o->has_birth_date;
		next->birth_date = o->birth_date;
	}
	if (KEPT(SC_PHONE)) memcpy(next->phone, o->phone, sizeof next->phone);
	if (KEPT(SC_EMPLOYER)) memcpy(next->employer, o->employer, sizeof next->employer);
	if (KEPT(SC_JOB_TYPES)) next->job_types = o->job_types;
	if (KEPT(SC_BADGE_NO)) memcpy(next->badge_no, o->badge_no, sizeof next->badge_no);
	if (KEPT(SC_STATUS)) next->status = o->status;
	if (KEPT(SC_NOTES)) memcpy(next->notes, o->notes, sizeof next->notes);
	next->user_id = o->user_id;	/* no column: set in the UI, never by a file */
	next->supervisor_id = o->supervisor_id;
	memcpy(next->photo_type, o->photo_type, sizeof next->photo_type);	/* uploaded, never in a file */
	return KEPT(SC_ID_NUMBER) != 0;
}

/* ---- writing cells ---- */

static void put(char (*out)[CELL_CAP], const char **cells, int col, const char *s)
{
	snprintf(out[col], CELL_CAP, "%s", s);
	cells[col] = out[col];
}

static const char *yes(int v, int en)
{
	return v ? (en ? "yes" : "是") : (en ? "no" : "否");
}

/* The i-th name of a path "a / b / c", or "". */
static void path_part(const char *path, int i, char *out, size_t cap)
{
	const char *p = path;
	for (int k = 0; k < i && p; k++) {
		p = strstr(p, " / ");
		if (p) p += 3;
	}
	out[0] = '\0';
	if (!p || !*p) return;
	const char *end = strstr(p, " / ");
	size_t n = end ? (size_t)(end - p) : strlen(p);
	if (n >= cap) n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

void household_to_cells(const struct household *h, int en, char (*out)[CELL_CAP], const char **cells)
{
	char tmp[CELL_CAP];
	put(out, cells, HC_ACCOUNT_NO, h->account_no);
	put(out, cells, HC_NAME, h->name);
	mask_phone(h->phone, tmp, sizeof tmp);
	put(out, cells, HC_PHONE, tmp);
	mask_phone(h->phone2, tmp, sizeof tmp);
	put(out, cells, HC_PHONE2, tmp);
	for (int i = 0; i < 3; i++) {
		path_part(h->site_path, i, tmp, sizeof tmp);
		put(out, cells, HC_ESTATE + i, tmp);
	}
	put(out, cells, HC_ROOM, h->room);
	put(out, cells, HC_ADDRESS, h->address);
	put(out, cells, HC_CATEGORY, choice_label(&hh_category_set, (int)h->category, en));
	put(out, cells, HC_METER_LOCATION, choice_label(&meter_location_set, (int)h->meter_location, en));
	put(out, cells, HC_METER_TYPE, choice_label(&meter_type_set, (int)h->meter_type, en));
	put(out, cells, HC_METER_NO, h->meter_no);
	put(out, cells, HC_VULNERABLE, yes(h->flags & HF_VULNERABLE, en));
	put(out, cells, HC_GROUP_RENTAL, yes(h->flags & HF_GROUP_RENTAL, en));
	put(out, cells, HC_VACANT, yes(h->flags & HF_VACANT, en));
	put(out, cells, HC_FIRST_CONVERSION, yes(h->flags & HF_FIRST_CONVERSION, en));
	put(out, cells, HC_ID_NUMBER, h->id_masked);
	put(out, cells, HC_STATUS, choice_label(&hh_status_set, (int)h->status, en));
	put(out, cells, HC_NOTES, h->notes);
	tmp[0] = '\0';
	if (h->version > 0) snprintf(tmp, sizeof tmp, "%lld", (long long)h->version);
	put(out, cells, HC_VERSION, tmp);
}

void staff_to_cells(const struct staff *s, int en, char (*out)[CELL_CAP], const char **cells)
{
	char tmp[CELL_CAP];
	put(out, cells, SC_STAFF_NO, s->staff_no);
	put(out, cells, SC_NAME, s->name);
	put(out, cells, SC_ID_NUMBER, s->id_masked);
	staff_birth_text(s, 0, tmp);
	put(out, cells, SC_BIRTH_DATE, tmp);
	mask_phone(s->phone, tmp, sizeof tmp);
	put(out, cells, SC_PHONE, tmp);
	put(out, cells, SC_EMPLOYMENT, choice_label(&employment_set, (int)s->employment, en));
	put(out, cells, SC_EMPLOYER, s->employer);
	size_t n = 0;
	tmp[0] = '\0';
	for (size_t i = 0; i < job_type_set.n; i++)
		if (s->job_types & (1u << i))
			n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%s%s", n ? (en ? ", " : "、") : "", choice_label(&job_type_set, (int)i, en));
	put(out, cells, SC_JOB_TYPES, tmp);
	put(out, cells, SC_LEVEL, choice_label(&staff_level_set, (int)s->level, en));
	put(out, cells, SC_BADGE_NO, s->badge_no);
	put(out, cells, SC_STATUS, choice_label(&staff_status_set, (int)s->status, en));
	put(out, cells, SC_NOTES, s->notes);
	tmp[0] = '\0';
	if (s->version > 0) snprintf(tmp, sizeof tmp, "%lld", (long long)s->version);
	put(out, cells, SC_VERSION, tmp);
}
