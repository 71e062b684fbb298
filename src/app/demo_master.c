/*
 * demo_master.c — the demo organisations' estates, households and staff
 * (issue 3): a few estates with buildings and units, a couple of thousand
 * households with made-up Chinese names, addresses and phone numbers,
 * and a few dozen staff. All synthetic, from a fixed seed, so every demo
 * looks the same; phone numbers use the 1340000xxxx-style ranges' pattern
 * but are random, ID numbers are generated with valid check digits and
 * belong to nobody.
 *
 * The records go in through the importer (app/import.h), as a
 * customer's files would: the demo exercises the same path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/demo.h"
#include "app/import.h"
#include "core/idcard.h"

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
					"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
					"唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "欧阳", "司马" };
/* Given names: one character, two of them, or a two-character name of
 * its own (秀英, 建国) — never one given name after another (志强志强).
 * Not 建华: the API tests find 赵建华 as a name only their own household
 * has, in either demo organisation. */
static const char *const given1[] = { "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
				      "娟", "涛", "明", "超", "霞", "平", "刚", "华", "文", "辉", "斌", "宇", "浩",
				      "凯", "雨", "婷", "晨", "阳", "琳", "鑫", "颖", "红", "波", "燕", "玲" };
static const char *const given2[] = { "秀英", "秀兰", "桂英", "建国", "欣怡", "佳琪", "子涵", "一鸣", "志强",
				      "淑珍", "玉兰", "国庆", "海燕", "晓东", "丽华" };

/* An estate with its address as the site record holds it (the city is
 * 上海市, province and city at once) — so that a household's address is
 * the one its site and room make, and follows it when it moves. */
struct estate {
	const char *name, *district, *street, *number;
	int buildings, units, floors;
};

/* Per tenant: its estates (and so its share of the demo households). */
static const struct estate gas_estates[] = {
	{ "幸福里", "浦东新区", "张杨路", "1288弄", 12, 2, 11 },
	{ "阳光花园", "浦东新区", "潍坊路", "300号", 10, 3, 6 },
	{ "锦绣华庭", "徐汇区", "漕溪北路", "88弄", 8, 2, 16 },
};
static const struct estate property_estates[] = {
	{ "翠湖天地", "黄浦区", "马当路", "168弄", 8, 2, 12 },
	{ "金色家园", "闵行区", "莘庄镇莘建路", "66号", 10, 2, 9 },
};

/* xorshift: deterministic, good enough for names. */
static unsigned next(unsigned *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#define PICK(arr, s) (arr[next(s) % (sizeof arr / sizeof arr[0])])

/* Draws as many numbers as names always have (three, or four for one in
 * three), so that everything drawn after a name — the demo's phones,
 * categories, staff and their certificates — stays as it was. */
static void name(unsigned *s, char *out, size_t cap)
{
	const char *surname = PICK(surnames, s);
	unsigned g = next(s);
	const char *first = given1[g % (sizeof given1 / sizeof given1[0])], *second = "";
	if (next(s) % 3 == 0) {	/* a longer given name: 张丽华, or 张秀英 */
		unsigned h = next(s);
		if (h % 2) first = given2[h / 2 % (sizeof given2 / sizeof given2[0])];
		else second = given1[h / 2 % (sizeof given1 / sizeof given1[0])];
		if (strcmp(first, second) == 0) second = "";	/* 张伟伟 reads as a mistake */
	}
	snprintf(out, cap, "%s%s%s", surname, first, second);
}

static void phone(unsigned *s, char *out, size_t cap)
{
	static const char *const prefixes[] = { "138", "139", "137", "136", "150", "151", "186", "189", "177", "135" };
	snprintf(out, cap, "%s%08u", PICK(prefixes, s), next(s) % 100000000u);
}

/* A made-up ID number with a valid check digit (born 1940–1999, Shanghai area codes). */
static void id_number(unsigned *s, char out[IDCARD_LEN + 1])
{
	static const char *const areas[] = { "310101", "310104", "310112", "310115" };
	static const char code[] = "10X98765432";
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	snprintf(out, IDCARD_LEN + 1, "%s%04u%02u%02u%03u", PICK(areas, s), 1940 + next(s) % 60, 1 + next(s) % 12,
		 1 + next(s) % 28, next(s) % 1000);
	int sum = 0;
	for (int i = 0; i < 17; i++) sum += (out[i] - '0') * weight[i];
	out[17] = code[sum % 11];
	out[18] = '\0';
}

static const char *category(unsigned *s)
{
	unsigned r = next(s) % 100;
	return r < 88 ? "居民" : r < 94 ? "商业" : r < 97 ? "公福" : r < 99 ? "工业" : "特殊用气场所";
}

static int households_csv(const struct estate *e, size_t n, unsigned seed, struct buf *b)
{
	unsigned s = seed;
	int bad = buf_puts(b, "户号,户名,电话,小区,楼栋,单元,门牌号,地址,用户类别,表具位置,表具类型,弱势群体,群租,长期无人,首次置换,身份证号\n");
	long account = 1;
	for (size_t i = 0; i < n && !bad; i++)
		for (int bld = 1; bld <= e[i].buildings; bld++)
			for (int unit = 1; unit <= e[i].units; unit++)
				for (int floor = 1; floor <= e[i].floors; floor++)
					for (int door = 1; door <= 4; door++) {
						char nm[32], ph[16], id[IDCARD_LEN + 1] = "";
						name(&s, nm, sizeof nm);
						phone(&s, ph, sizeof ph);
						if (next(&s) % 4 == 0) id_number(&s, id);
						unsigned flags = next(&s) % 100;
						bad |= buf_printf(b, "%u%06ld,%s,%s,%s,%d栋,%d单元,%d%02d,上海市%s%s%s%s%d栋%d单元%d%02d,%s,%s,%s,%s,%s,%s,%s,%s\n",
								  seed % 90 + 10, account++, nm, ph, e[i].name, bld, unit, floor,
								  door, e[i].district, e[i].street, e[i].number, e[i].name, bld, unit,
								  floor, door, category(&s),
								  next(&s) % 10 ? "户内" : "户外", next(&s) % 5 ? "普通膜式表" : "IC卡表",
								  flags < 8 ? "是" : "否", flags >= 8 && flags < 11 ? "是" : "否",
								  flags >= 11 && flags < 15 ? "是" : "否", flags == 15 ? "是" : "否", id);
					}
	return bad;
}

/* The estates, with their addresses, before the households' file names
 * them (an import makes an estate it does not find by its name alone). */
static enum rh_err make_estates(struct db *db, const struct actor *a, const struct estate *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct site s = { .tenant_id = a->tenant_id, .kind = SITE_ESTATE };
		struct rh_fail fail = { 0 };
		snprintf(s.name, sizeof s.name, "%s", e[i].name);
		snprintf(s.province, sizeof s.province, "上海市");
		snprintf(s.city, sizeof s.city, "上海市");
		snprintf(s.district, sizeof s.district, "%s", e[i].district);
		snprintf(s.street, sizeof s.street, "%s", e[i].street);
		snprintf(s.address, sizeof s.address, "%s", e[i].number);
		enum rh_err rc = store_site_create(db, a, &s, &fail);
		if (rc != RH_OK) return rc;
	}
	return RH_OK;
}

static int staff_csv(int count, unsigned seed, const char *employer, struct buf *b)
{
	static const char *const jobs[] = { "安检员", "维修员", "安检员、维修员", "保洁员", "家政员", "护理员", "电工", "社区工作者" };
	static const char *const levels[] = { "初级", "中级", "中级", "高级" };
	static const char *const statuses[] = { "在岗", "在岗", "在岗", "在岗", "在岗", "候选", "停职", "离职" };
	unsigned s = seed;
	int bad = buf_puts(b, "工号,姓名,身份证号,手机,用工性质,用工单位,工种,等级,工作证号,状态\n");
	for (int i = 1; i <= count && !bad; i++) {
		char nm[32], ph[16], id[IDCARD_LEN + 1];
		name(&s, nm, sizeof nm);
		phone(&s, ph, sizeof ph);
		id_number(&s, id);
		int sub = next(&s) % 4 == 0;
		bad |= buf_printf(b, "E%04d,%s,%s,%s,%s,%s,\"%s\",%s,B%u%04d,%s\n", i, nm, id, ph, sub ? "分包" : "自有",
				  sub ? "安达工程服务有限公司" : employer, PICK(jobs, &s), PICK(levels, &s), seed % 90 + 10, i,
				  PICK(statuses, &s));
	}
	return bad;
}

static enum rh_err run_import(struct db *db, const struct actor *a, enum import_kind kind, const struct buf *b,
			      const char *source)
{
	struct import_options o = { .kind = kind, .encoding = CSV_ENC_UTF8, .source = source,
				    .rights = IMPORT_NEW_SITES | IMPORT_SEES_ID };
	struct import_report rep;
	enum rh_err rc = import_run(db, a, buf_str(b), b->len, &o, &rep);
	if (rc == RH_OK && !rep.committed) rc = RH_ERR_INTERNAL;	/* the demo's own files are good */
	import_report_free(&rep);
	return rc;
}

static int has_households(const struct household *h, void *arg)
{
	*(int *)arg = 1;
	return 1;
}

enum rh_err demo_master_seed(struct db *db, const struct tenant *t, int property, int64_t worker_user)
{
	struct household_filter f = { .category = -1, .status = -1, .limit = 1 };
	int64_t total;
	int exact, any = 0;
	enum rh_err rc = store_household_list(db, t->id, &f, has_households, &any, &total, &exact);
	if (rc != RH_OK || any) return rc;
	struct actor a = { .tenant_id = t->id, .name = "demo", .reason = "demo data" };
	struct buf b = BUF_INIT(16u << 20);
	unsigned seed = property ? 20262u : 10261u;
	if (property ? households_csv(property_estates, 2, seed, &b) : households_csv(gas_estates, 3, seed, &b)) {
		buf_release(&b);
		return RH_ERR_NOMEM;
	}
	rc = property ? make_estates(db, &a, property_estates, 2) : make_estates(db, &a, gas_estates, 3);
	if (rc == RH_OK) rc = run_import(db, &a, IMPORT_HOUSEHOLDS, &b, "demo-households.csv");
	buf_reset(&b);
	if (rc == RH_OK && staff_csv(property ? 24 : 36, seed, t->name, &b) != 0) rc = RH_ERR_NOMEM;
	if (rc == RH_OK) rc = run_import(db, &a, IMPORT_STAFF, &b, "demo-staff.csv");
	buf_release(&b);
	if (rc == RH_OK) rc = demo_staff_seed(db, t, worker_user);
	return rc;
}
