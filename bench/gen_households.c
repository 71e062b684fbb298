/*
 * bench/gen_households.c — writes a realistic households CSV for the
 * import and search benchmarks of bench/run.sh (issue 3: a million
 * households). Plain C17, no dependencies, not part of the ruhu binary:
 *
 *     cc -std=c17 -O2 -o gen_households bench/gen_households.c
 *     ./gen_households -n 1000000 -o households.csv
 *
 * The file is UTF-8 without a BOM, one header row and N records:
 *
 *     户号,户名,电话,小区,楼栋,单元,门牌号,地址,用户类别
 *     3100000002,张伟,13812345678,幸福里,3栋,2单元,1203,上海市浦东新区幸福里3栋2单元1203,居民
 *
 *   - 户号: 10 digits, unique, rising through the file (as an export
 *     sorted by account number), with small random gaps;
 *   - 户名: a common surname (weighted by how common it is; a few
 *     compound ones) and one given-name character (about a third: 张伟)
 *     or two (张伟华); given-name characters weighted so that the common
 *     names repeat as they do in real lists. Non-resident premises carry
 *     a shop, factory or facility name (张记面馆, 幸福里居委会 …);
 *   - 电话: an 11-digit mobile number with a real operator prefix;
 *   - 小区 × 楼栋 × 单元: 50 estates, 32–48 buildings each (N栋), 5–7
 *     units a building (N单元): 1,966 buildings, 11,336 units;
 *   - 门牌号: floor and door (1203 = 12th floor, door 3), 4 doors a
 *     floor, as many floors as N needs (at least 6): every household has
 *     its own address, scattered over the estates in file order;
 *   - 地址: 上海市浦东新区 + estate + building + unit + room, no spaces;
 *   - 用户类别: 居民 95%, 商业 3%, 公福 1%, 工业 0.5%, 特殊用气场所 0.5%.
 *
 * Deterministic: the same N and seed give the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* splitmix64: small, fast and good enough for test data. */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}
/* 0 ≤ result < n; the modulo bias is far below anything measured here. */
static uint32_t rng_below(uint32_t n) { return (uint32_t)(rng_next() % n); }

struct weighted {
	const char *s;
	unsigned w;
};

/* The common surnames, weights roughly their share of the population in
 * tenths of a percent (王 7.1% …); compound surnames are rare. */
static const struct weighted surnames[] = {
	{"王", 71}, {"李", 70}, {"张", 64}, {"刘", 54}, {"陈", 45}, {"杨", 31}, {"黄", 22}, {"赵", 20},
	{"吴", 19}, {"周", 19}, {"徐", 13}, {"孙", 12}, {"马", 12}, {"朱", 11}, {"胡", 11}, {"郭", 10},
	{"何", 9}, {"高", 9}, {"林", 9}, {"罗", 8}, {"郑", 8}, {"梁", 8}, {"谢", 6}, {"宋", 6},
	{"唐", 6}, {"许", 5}, {"韩", 5}, {"冯", 5}, {"邓", 5}, {"曹", 5}, {"彭", 4}, {"曾", 4},
	{"肖", 4}, {"田", 4}, {"董", 4}, {"袁", 4}, {"潘", 3}, {"于", 3}, {"蒋", 3}, {"蔡", 3},
	{"余", 3}, {"杜", 3}, {"叶", 3}, {"程", 3}, {"苏", 3}, {"魏", 3}, {"吕", 3}, {"丁", 3},
	{"任", 3}, {"沈", 3}, {"姚", 2}, {"卢", 2}, {"姜", 2}, {"崔", 2}, {"钟", 2}, {"谭", 2},
	{"陆", 2}, {"汪", 2}, {"范", 2}, {"金", 2}, {"石", 2}, {"廖", 2}, {"贾", 2}, {"夏", 2},
	{"韦", 2}, {"付", 2}, {"方", 2}, {"白", 2}, {"邹", 2}, {"孟", 2}, {"熊", 2}, {"秦", 2},
	{"邱", 2}, {"江", 2}, {"尹", 2}, {"薛", 2}, {"闫", 2}, {"段", 2}, {"雷", 2}, {"侯", 2},
	{"龙", 2}, {"史", 2}, {"陶", 1}, {"黎", 1}, {"贺", 1}, {"顾", 2}, {"毛", 1}, {"郝", 1},
	{"龚", 1}, {"邵", 1}, {"万", 1}, {"钱", 1}, {"严", 1}, {"覃", 1}, {"武", 1}, {"戴", 1},
	{"莫", 1}, {"孔", 1}, {"向", 1}, {"汤", 1}, {"欧阳", 1}, {"上官", 1}, {"司马", 1}, {"诸葛", 1},
};

/* Given-name characters, most common first; the weight of rank r is
 * 1000 / (r + 5), so 伟, 芳, 娜 … repeat the way they do in real lists. */
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
	"超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建", "文", "辉", "力", "鹏",
	"飞", "斌", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "林", "欢", "阳", "佳", "婷", "雪",
	"琳", "晶", "丹", "玲", "倩", "慧", "燕", "梅", "莉", "兰", "凤", "洁", "颖", "璐", "琴", "云",
	"波", "亮", "成", "荣", "新", "峰", "海", "东", "国", "志", "春", "金", "德", "家", "晓", "小",
	"子", "梓", "涵", "欣", "怡", "思", "雨", "诗", "一", "博", "轩", "然", "睿", "泽", "嘉", "瑞",
	"昊", "天", "宏", "振", "永", "庆", "兵", "民", "生", "福", "祥", "喜", "珍", "素", "淑", "爱",
	"月", "彩", "秋", "冬", "翠", "雯", "露", "瑶", "蕾", "薇", "菲", "媛", "茜", "蓉", "青", "清",
	"鑫", "坤", "楠", "豪", "宗", "立", "凡", "忠", "琪", "毅", "伦", "彬", "晨", "辰", "鸿", "铭",
};

/* 50 estates, Pudong-style names. */
static const char *const estates[] = {
	"幸福里", "阳光花园", "锦绣华庭", "金桥新村", "碧云花园", "世纪公寓", "东方名苑", "春江苑", "海棠苑", "梅园新村",
	"兰亭苑", "竹园小区", "菊园新村", "绿洲花园", "明珠苑", "星河湾", "滨江花园", "紫薇苑", "翠湖天地", "香樟苑",
	"丁香花园", "玉兰苑", "桂花园", "和平新村", "友谊新村", "张江新苑", "川沙新苑", "花木苑", "潍坊新村", "塘桥小区",
	"洋泾新村", "陆家嘴花园", "北蔡新苑", "三林苑", "御桥花园", "康桥半岛", "周浦新苑", "高行绿洲", "金杨新村", "源深小区",
	"东明苑", "上南新村", "杨思苑", "南码头小区", "联洋花园", "证大家园", "仁恒滨江", "汤臣豪园", "中邦城市", "万科城市花园",
};

static const char *const phone_prefixes[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150", "151",
	"152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180",
	"181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
};

static const char *const shop_kinds[] = {
	"记面馆", "记小吃", "记便利店", "记理发店", "记水果店", "记早餐店", "记饭店", "记烧烤", "氏餐饮店", "记馄饨店",
};
static const char *const estate_shops[] = {"便利店", "菜场", "餐厅", "茶餐厅", "面包房", "洗衣店"};
static const char *const factory_names[] = {"宏达", "新华", "恒通", "永兴", "华联", "金城", "东海", "浦江", "申达", "联合"};
static const char *const factory_kinds[] = {"机械厂", "食品厂", "印刷厂", "五金厂", "服装厂", "塑料制品有限公司", "电子有限公司"};
static const char *const public_kinds[] = {"居委会", "幼儿园", "社区食堂", "卫生服务站", "老年活动室", "物业管理处"};
static const char *const special_kinds[] = {"养老院", "敬老院", "托育中心", "社区长者照护之家"};

#define N_ESTATES ARRAY_LEN(estates)
#define DOORS_PER_FLOOR 4u

static unsigned buildings_of[N_ESTATES], units_of[N_ESTATES];
static uint64_t first_unit[N_ESTATES + 1];	/* prefix sums: the estate's first unit index */

static const char *pick_weighted(const struct weighted *t, size_t n, unsigned total)
{
	unsigned r = rng_below(total);
	for (size_t i = 0; i < n; i++) {
		if (r < t[i].w) return t[i].s;
		r -= t[i].w;
	}
	return t[n - 1].s;
}

static double given_cum[ARRAY_LEN(given)];
static const char *pick_given(void)
{
	double r = (double)(rng_next() >> 11) / 9007199254740992.0 * given_cum[ARRAY_LEN(given) - 1];
	size_t lo = 0, hi = ARRAY_LEN(given) - 1;
	while (lo < hi) {	/* the first rank whose cumulative weight exceeds r */
		size_t mid = (lo + hi) / 2;
		if (given_cum[mid] > r) hi = mid; else lo = mid + 1;
	}
	return given[lo];
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) { uint64_t t = a % b; a = b; b = t; }
	return a;
}

static void usage(FILE *f)
{
	fputs("usage: gen_households [-n N] [-s SEED] [-o FILE]\n"
	      "  -n N     households to write (default 1000000)\n"
	      "  -s SEED  random seed (default 20260303); same N and seed, same file\n"
	      "  -o FILE  where to write (default standard output)\n", f);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-') return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t n = 1000000, seed = 20260303;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) { usage(stdout); return 0; }
		if (i + 1 >= argc) { usage(stderr); return 2; }
		if (!strcmp(argv[i], "-n")) {
			if (parse_u64(argv[++i], &n) || n > 100000000u) { fputs("gen_households: -n wants 0 … 100000000\n", stderr); return 2; }
		} else if (!strcmp(argv[i], "-s")) {
			if (parse_u64(argv[++i], &seed)) { fputs("gen_households: -s wants a whole number\n", stderr); return 2; }
		} else if (!strcmp(argv[i], "-o")) {
			path = argv[++i];
		} else { usage(stderr); return 2; }
	}

	FILE *out = stdout;
	if (path && !(out = fopen(path, "w"))) { perror(path); return 1; }
	static char obuf[1 << 20];
	setvbuf(out, obuf, _IOFBF, sizeof obuf);

	/* The site tree first, from its own stream, so that it does not
	 * depend on N. */
	rng_state = seed ^ 0x5349544553u;
	for (size_t e = 0; e < N_ESTATES; e++) {
		buildings_of[e] = 32 + rng_below(17);
		units_of[e] = 5 + rng_below(3);
		first_unit[e + 1] = first_unit[e] + (uint64_t)buildings_of[e] * units_of[e];
	}
	uint64_t units = first_unit[N_ESTATES];
	uint64_t floors = (n + units * DOORS_PER_FLOOR - 1) / (units * DOORS_PER_FLOOR);
	if (floors < 6) floors = 6;
	uint64_t slots = units * floors * DOORS_PER_FLOOR;
	/* Household i lives in slot (i·step + offset) mod slots: each slot at
	 * most once (step is coprime to slots), neighbours far apart. */
	uint64_t step = slots / 2 + 7919;
	while (gcd(step, slots) != 1) step++;

	unsigned surname_total = 0;
	for (size_t i = 0; i < ARRAY_LEN(surnames); i++) surname_total += surnames[i].w;
	double cum = 0;
	for (size_t r = 0; r < ARRAY_LEN(given); r++) given_cum[r] = cum += 1000.0 / (double)(r + 5);

	rng_state = seed;
	uint64_t offset = rng_next() % slots;
	fputs("户号,户名,电话,小区,楼栋,单元,门牌号,地址,用户类别\n", out);
	uint64_t account = 3100000000u;
	for (uint64_t i = 0; i < n; i++) {
		account += 1 + rng_below(3);

		uint64_t slot = (i * step + offset) % slots;	/* < 2^63 for n ≤ 10^8 */
		uint64_t unit_index = slot / (floors * DOORS_PER_FLOOR);
		uint64_t in_unit = slot % (floors * DOORS_PER_FLOOR);
		unsigned floor = (unsigned)(in_unit / DOORS_PER_FLOOR) + 1, door = (unsigned)(in_unit % DOORS_PER_FLOOR) + 1;
		size_t e = 0;
		while (first_unit[e + 1] <= unit_index) e++;
		unsigned building = (unsigned)((unit_index - first_unit[e]) / units_of[e]) + 1;
		unsigned unit = (unsigned)((unit_index - first_unit[e]) % units_of[e]) + 1;
		const char *estate = estates[e];

		unsigned c = rng_below(1000);
		const char *category = c < 950 ? "居民" : c < 980 ? "商业" : c < 990 ? "公福" : c < 995 ? "工业" : "特殊用气场所";
		const char *surname = pick_weighted(surnames, ARRAY_LEN(surnames), surname_total);
		char name[128];
		if (c < 950) {
			if (rng_below(100) < 35) snprintf(name, sizeof name, "%s%s", surname, pick_given());
			else {
				const char *g1 = pick_given();
				snprintf(name, sizeof name, "%s%s%s", surname, g1, pick_given());
			}
		} else if (c < 980) {
			if (rng_below(3)) snprintf(name, sizeof name, "%s%s", surname, shop_kinds[rng_below(ARRAY_LEN(shop_kinds))]);
			else snprintf(name, sizeof name, "%s%s", estate, estate_shops[rng_below(ARRAY_LEN(estate_shops))]);
		} else if (c < 990) {
			snprintf(name, sizeof name, "%s%s", estate, public_kinds[rng_below(ARRAY_LEN(public_kinds))]);
		} else if (c < 995) {
			snprintf(name, sizeof name, "上海%s%s", factory_names[rng_below(ARRAY_LEN(factory_names))],
				 factory_kinds[rng_below(ARRAY_LEN(factory_kinds))]);
		} else {
			snprintf(name, sizeof name, "%s%s", estate, special_kinds[rng_below(ARRAY_LEN(special_kinds))]);
		}

		const char *prefix = phone_prefixes[rng_below(ARRAY_LEN(phone_prefixes))];
		unsigned line = rng_below(100000000);

		fprintf(out, "%" PRIu64 ",%s,%s%08u,%s,%u栋,%u单元,%u%02u,上海市浦东新区%s%u栋%u单元%u%02u,%s\n",
			account, name, prefix, line, estate, building, unit, floor, door,
			estate, building, unit, floor, door, category);
	}
	if (fflush(out) || ferror(out) || (out != stdout && fclose(out))) {
		perror(path ? path : "stdout");
		return 1;
	}
	return 0;
}
