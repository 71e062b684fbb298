/*
 * test_master.c — the master data's rules (issue 3): ID numbers, choices
 * as people write them, a spreadsheet row into a household or a staff
 * profile, and — on a real SQLite file — the two paths of the household
 * search, the short one included: SQLite's trigram index answers queries
 * under three characters with no rows and no error, so a two-character
 * name must be found another way, and this test proves it is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "app/export.h"
#include "app/tabular.h"
#include "core/validate.h"
#include "base/log.h"
#include "core/digits.h"
#include "core/idcard.h"
#include "core/site.h"
#include "store/db.h"
#include "store/store.h"

static void test_idcard(void)
{
	static const struct { const char *id; int valid; } cases[] = {
		{ "110101199003074514", 1 },	/* the standard's example pattern, check digit 4 */
		{ "11010119900307451X", 0 },	/* wrong check character */
		{ "110101199003074515", 0 },
		{ "11010519491231002X", 1 },	/* check character X */
		{ "11010519491231002x", 1 },	/* … also in lower case */
		{ "110101199002304514", 0 },	/* 30 February */
		{ "11010119900307451", 0 },	/* 17 characters */
		{ "1101011990030745144", 0 },	/* 19 */
		{ "11010119900307451A", 0 },
		{ "", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t_case("X5 ID number %s is %s", cases[i].id, cases[i].valid ? "valid" : "refused");
		CHECK_INT(idcard_valid(cases[i].id), cases[i].valid);
	}
	char out[IDCARD_LEN + 1];
	t_case("X5 an ID number is normalised to an upper-case X, masked to its first and last four");
	CHECK_INT(idcard_normalise("11010519491231002x", out), 0);
	CHECK_STR(out, "11010519491231002X");
	idcard_mask(out, out);
	CHECK_STR(out, "1101**********002X");
	CHECK(looks_masked(out));
	CHECK(!looks_masked("13800001111"));
	static const struct { const char *in, *out; } within[] = {
		{ "110101199003074514", "1101**********4514" },
		{ "T110101199003074514", "T1101**********4514" },	/* a 特种作业操作证 */
		{ "证号11010519491231002x号", "证号1101**********002x号" },
		{ "110101199003074515", "110101199003074515" },	/* a wrong check digit: no ID number */
		{ "1110101199003074514", "1110101199003074514" },	/* digits run on before it */
		{ "1101011990030745140", "1101011990030745140" },	/* … and after it */
		{ "G-2", "G-2" },
		{ "", "" },
		/* typed with separators, or in full-width mode (stored before the
		 * number was folded): the separators and the width kept */
		{ "110101-19900307-4514", "1101**-********-4514" },
		{ "110101 19900307 4514", "1101** ******** 4514" },
		{ "T 11010519491231002x", "T 1101**********002x" },
		{ "\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x99"
		  "\xEF\xBC\x99\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x93\xEF\xBC\x90\xEF\xBC\x97\xEF\xBC\x94\xEF\xBC\x95"
		  "\xEF\xBC\x91\xEF\xBC\x94",	/* １１０１０１１９９００３０７４５１４ */
		  "\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x91**********\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x91\xEF\xBC\x94" },
		{ "110101 - 19900307 - 4514", "1101** - ******** - 4514" },
		{ "110101.19900307/4514", "1101**.********/4514" },
		{ "110101 -- 19900307-4514", "110101 -- 19900307-4514" },	/* four separators: two numbers */
		{ "1101 0119 9003 0745 14", "1101 **** **** **45 14" },	/* in groups of four */
		{ "12 110101199003074514", "12 1101**********4514" },	/* a number before it, apart */
	};
	for (size_t i = 0; i < sizeof within / sizeof *within; i++) {
		t_case("X5 the ID number within %s is masked: %s", within[i].in, within[i].out);
		char buf[80];
		idcard_mask_within(within[i].in, buf, sizeof buf);
		CHECK_STR(buf, within[i].out);
	}
	t_case("X5 a masked ID number is cut, never overrun, by a small buffer");
	char small[8];
	idcard_mask_within("T110101199003074514", small, sizeof small);
	CHECK_STR(small, "T1101**");
	t_case("S1 the birth date comes from the ID number");
	rh_day d;
	CHECK_INT(idcard_birth("110101199003074514", &d), 0);
	CHECK_INT(d, date_from_ymd(1990, 3, 7));
}

static void test_choices(void)
{
	t_case("G1 a category is read from its code, its Chinese or English label or an alias");
	CHECK_INT(choice_parse(&hh_category_set, "commercial"), HH_COMMERCIAL);
	CHECK_INT(choice_parse(&hh_category_set, "商业"), HH_COMMERCIAL);
	CHECK_INT(choice_parse(&hh_category_set, " Special site "), HH_SPECIAL);
	CHECK_INT(choice_parse(&hh_category_set, "民用"), HH_RESIDENT);
	CHECK_INT(choice_parse(&hh_category_set, "居委"), -1);
	CHECK_INT(choice_parse(&hh_category_set, ""), -1);
	t_case("S1 job types are read as a set, separated as spreadsheets do");
	unsigned set;
	size_t bad;
	CHECK_INT(choice_parse_set(&job_type_set, "安检员、维修员", &set, &bad), 0);
	CHECK_INT(set, 3);
	CHECK_INT(choice_parse_set(&job_type_set, "Domestic worker, carer；电工", &set, &bad), 0);
	CHECK_INT(set, (1u << 3) | (1u << 4) | (1u << 7));
	CHECK_INT(choice_parse_set(&job_type_set, "安检员,厨师", &set, &bad), -1);
	CHECK_INT(bad, strlen("安检员,"));
	t_case("G1 flags read yes/no the ways people write them");
	CHECK_INT(yes_no_parse("是"), 1);
	CHECK_INT(yes_no_parse(" Y "), 1);
	CHECK_INT(yes_no_parse("√"), 1);
	CHECK_INT(yes_no_parse(""), 0);
	CHECK_INT(yes_no_parse("否"), 0);
	CHECK_INT(yes_no_parse("也许"), -1);
}

/* The whole of a small file, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	char *buf = NULL;
	long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) n = 0;
		buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

/* The UI names every choice as the server does: the words of an export,
 * which an import reads back. They had drifted apart (the UI's "Public
 * welfare" was a category no file could hold) without anyone seeing. */
static void test_ui_labels(void)
{
	static const struct { const char *prefix; const struct choice_set *set; } sets[] = {
		{ "hh.category", &hh_category_set }, { "hh.meterLocation", &meter_location_set },
		{ "hh.meterType", &meter_type_set }, { "hh.flag", &hh_flag_set }, { "hh.status", &hh_status_set },
		{ "staff.status", &staff_status_set }, { "staff.employment", &employment_set },
		{ "staff.level", &staff_level_set }, { "staff.job", &job_type_set }, { "fs.step", &hiring_step_set },
		{ "fs.doc", &doc_kind_set }, { "fs.cert", &cert_type_set }, { "fs.training", &training_kind_set },
		{ "fs.mode", &training_mode_set }, { "fs.discipline", &discipline_kind_set },
	};
	static const char *const files[2] = { "web/i18n/zh-CN.js", "web/i18n/en.js" };
	for (int en = 0; en < 2; en++) {
		char *js = slurp(files[en]);
		t_case("G1 S1 %s can be read (the tests run from the repository's top)", files[en]);
		if (!CHECK(js != NULL)) continue;
		for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++)
			for (size_t i = 0; i < sets[k].set->n; i++) {
				const struct choice *c = &sets[k].set->items[i];
				const char *label = en ? c->en : c->zh;
				char key[96];
				snprintf(key, sizeof key, "'%s.%s': '", sets[k].prefix, c->code);
				t_case("G1 S1 %s: %s.%s is \"%s\", as the server writes it", files[en], sets[k].prefix, c->code, label);
				const char *at = strstr(js, key), *end = at ? strchr(at + strlen(key), '\'') : NULL;
				if (!CHECK(at && end)) continue;
				at += strlen(key);
				if (!CHECK((size_t)(end - at) == strlen(label) && strncmp(at, label, strlen(label)) == 0))
					fprintf(stderr, "    the UI has \"%.*s\"\n", (int)(end - at), at);
			}
		free(js);
	}
}

/* A household row: every column empty but those given. */
static void row(const char **cells, int n, ...)
{
	for (int i = 0; i < HC__COUNT; i++) cells[i] = "";
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		int col = va_arg(ap, int);
		cells[col] = va_arg(ap, const char *);
	}
	va_end(ap);
}

static void test_cells(void)
{
	const char *cells[HC__COUNT];
	struct household h;
	struct household_sites sites;
	struct cell_problems why;
	unsigned keep, blank;
	t_case("G1 a spreadsheet row becomes a household, its choices in Chinese");
	row(cells, 8, HC_ACCOUNT_NO, "3100001", HC_NAME, "张三", HC_CATEGORY, "公福", HC_VULNERABLE, "是",
	    HC_METER_TYPE, "IC卡表", HC_ESTATE, "幸福里", HC_BUILDING, "3栋", HC_ID_NUMBER, "110101199003074514");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), 0);
	CHECK_INT(h.category, HH_PUBLIC);
	CHECK_INT(h.meter_type, METER_IC_CARD);
	CHECK_INT(h.flags, HF_VULNERABLE);
	CHECK_STR(sites.building, "3栋");
	CHECK_STR(h.id_number, "110101199003074514");
	CHECK_INT(keep, 0);
	t_case("X7 its empty status and meter location say nothing: defaults, kept on a stored household; its site is named");
	CHECK_INT(h.status, HH_ACTIVE);
	CHECK_INT(blank, KEEP(HC_METER_LOCATION) | KEEP(HC_STATUS));
	t_case("X7 a row with no estate, building or unit keeps a stored household's site");
	row(cells, 3, HC_ACCOUNT_NO, "3100002", HC_NAME, "李四", HC_CATEGORY, "居民");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), 0);
	CHECK_INT(blank & (KEEP(HC_ESTATE) | KEEP(HC_BUILDING) | KEEP(HC_UNIT)), KEEP(HC_ESTATE) | KEEP(HC_BUILDING) | KEEP(HC_UNIT));
	t_case("X6 a wrong category is named, with the choices");
	row(cells, 3, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居委");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, HC_CATEGORY);
	CHECK(strstr(why.v[0].zh, "居委") && strstr(why.v[0].zh, "特殊用气场所"));
	t_case("X6 X7 every bad cell of a row is named, in the columns' order, not only the first");
	row(cells, 5, HC_ACCOUNT_NO, "1", HC_NAME, "", HC_CATEGORY, "居委", HC_PHONE, "abc", HC_VULNERABLE, "也许");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.n, 4);
	CHECK_INT(why.v[0].col, HC_NAME);
	CHECK_INT(why.v[0].err, RH_ERR_FIELD_REQUIRED);
	CHECK_INT(why.v[1].col, HC_PHONE);
	CHECK_INT(why.v[2].col, HC_CATEGORY);
	CHECK_INT(why.v[3].col, HC_VULNERABLE);
	t_case("X6 a 2,000-character field is refused as too long, naming its column");
	char *longtext = malloc(2000 * 3 + 1);
	for (int i = 0; i < 2000; i++) memcpy(longtext + i * 3, "长", 3);
	longtext[6000] = '\0';
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_NOTES, longtext);
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, HC_NOTES);
	CHECK_INT(why.v[0].err, RH_ERR_FIELD_TOO_LONG);
	free(longtext);
	t_case("X6 a missing account number, a bad phone, a bad ID number, a '/' in a site name are each named");
	row(cells, 2, HC_NAME, "李四", HC_CATEGORY, "居民");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, HC_ACCOUNT_NO);
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_PHONE, "call me");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, HC_PHONE);
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_ID_NUMBER, "110101199003074515");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, HC_ID_NUMBER);
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_ESTATE, "幸福里/二期");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, HC_ESTATE);
	t_case("X6 a phone, an account or an ID number in Excel's scientific notation (1.38123E+10) is named as such");
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_PHONE, "1.38123E+10");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, HC_PHONE);
	CHECK(strstr(why.v[0].zh, "科学计数法") && strstr(why.v[0].en, "scientific notation"));
	row(cells, 3, HC_ACCOUNT_NO, "3.1E+09", HC_NAME, "李四", HC_CATEGORY, "居民");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, HC_ACCOUNT_NO);
	CHECK(strstr(why.v[0].en, "scientific notation") != NULL);
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_ID_NUMBER, "1.10101E+17");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK(why.v[0].col == HC_ID_NUMBER && strstr(why.v[0].en, "scientific notation"));
	t_case("X6 … and for a number past Excel's 15 digits (an ID number) it says the digits cannot be had back");
	CHECK(strstr(why.v[0].zh, "无法恢复") && strstr(why.v[0].en, "type those numbers again"));
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_PHONE, "1.38123E+10");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK(strstr(why.v[0].zh, "无法恢复") == NULL);
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_ID_NUMBER, "1.1E+99999999999999999999");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK(strstr(why.v[0].zh, "无法恢复") != NULL);
	t_case("X7 numbers as sheets and programs write them: '0012345 keeps its zeros, 13812345678.0 is the phone");
	row(cells, 4, HC_ACCOUNT_NO, "'0012345", HC_NAME, "李四", HC_CATEGORY, "居民", HC_PHONE, "13812345678.0");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), 0);
	CHECK_STR(h.account_no, "0012345");
	CHECK_STR(h.phone, "13812345678");
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_PHONE, "1381234567.5");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);	/* not a whole number */
	CHECK_INT(why.v[0].col, HC_PHONE);
	t_case("X6 an account such as 3E10 or 1E-5 is a code, not Excel's notation");
	row(cells, 3, HC_ACCOUNT_NO, "3E10", HC_NAME, "李四", HC_CATEGORY, "居民");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), 0);
	CHECK_STR(h.account_no, "3E10");
	row(cells, 3, HC_ACCOUNT_NO, "1E-5", HC_NAME, "李四", HC_CATEGORY, "居民");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), 0);
	t_case("X3 X7 the version an export writes is read back; anything else in that column is named");
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_VERSION, "12");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), 0);
	CHECK_INT(h.version, 12);
	row(cells, 4, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_VERSION, "v2");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, HC_VERSION);
	t_case("X7 masked values read back from an export mean 'keep what is stored'");
	row(cells, 5, HC_ACCOUNT_NO, "1", HC_NAME, "李四", HC_CATEGORY, "居民", HC_PHONE, "138****1111",
	    HC_ID_NUMBER, "1101**********4514");
	CHECK_INT(household_from_cells(cells, &h, &sites, &keep, &blank, &why), 0);
	CHECK_INT(keep, KEEP(HC_PHONE) | KEEP(HC_ID_NUMBER));
	CHECK_STR(h.phone, "");
	t_case("X7 a household written to cells reads back the same (the export/import round trip)");
	struct household w;
	memset(&w, 0, sizeof w);
	snprintf(w.account_no, sizeof w.account_no, "A-7");
	snprintf(w.name, sizeof w.name, "欧阳娜娜");
	snprintf(w.site_path, sizeof w.site_path, "幸福里 / 3栋 / 2单元");
	snprintf(w.room, sizeof w.room, "501");
	snprintf(w.notes, sizeof w.notes, "=1+1 二楼\n有狗");
	w.category = HH_SPECIAL;
	w.flags = HF_VACANT | HF_FIRST_CONVERSION;
	w.meter_location = METER_OUTDOOR;
	for (int en = 0; en <= 1; en++) {
		char out[HC__COUNT][CELL_CAP];
		const char *c2[HC__COUNT];
		household_to_cells(&w, en, out, c2);
		CHECK_STR(c2[HC_UNIT], "2单元");
		CHECK_INT(household_from_cells(c2, &h, &sites, &keep, &blank, &why), 0);
		CHECK_INT(h.category, HH_SPECIAL);
		CHECK_INT(h.flags, w.flags);
		CHECK_INT(h.meter_location, METER_OUTDOOR);
		CHECK_STR(h.notes, w.notes);
		CHECK_STR(sites.estate, "幸福里");
	}
	t_case("S1 a staff row: job types, level, the birth date from the ID number");
	const char *s[SC__COUNT];
	for (int i = 0; i < SC__COUNT; i++) s[i] = "";
	s[SC_STAFF_NO] = "E01";
	s[SC_NAME] = "王芳";
	s[SC_EMPLOYMENT] = "分包";
	s[SC_LEVEL] = "高级";
	s[SC_JOB_TYPES] = "安检员、电工";
	s[SC_ID_NUMBER] = "110101199003074514";
	struct staff st;
	CHECK_INT(staff_from_cells(s, &st, &keep, &blank, &why), 0);
	CHECK_INT(st.employment, EMPLOY_SUBCONTRACTOR);
	CHECK_INT(st.level, LEVEL_SENIOR);
	CHECK_INT(st.job_types, (1u << 0) | (1u << 7));
	CHECK_INT(st.has_birth_date, 1);
	CHECK_INT(st.birth_date, date_from_ymd(1990, 3, 7));
	CHECK_INT(st.status, STAFF_CANDIDATE);
	s[SC_BIRTH_DATE] = "1990/2/30";
	CHECK_INT(staff_from_cells(s, &st, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, SC_BIRTH_DATE);
	t_case("S1 a birth date as people write them: 1990.3.7, 1990年3月7日, 1990/03/07 (the ID number's date)");
	static const char *const written[] = { "1990.3.7", "1990年3月7日", "1990/03/07", "1990-03-07", "19900307" };
	for (size_t i = 0; i < sizeof written / sizeof written[0]; i++) {
		s[SC_BIRTH_DATE] = written[i];
		CHECK_INT(staff_from_cells(s, &st, &keep, &blank, &why), 0);
		CHECK_INT(st.birth_date, date_from_ymd(1990, 3, 7));
	}
	s[SC_BIRTH_DATE] = "1990年3月7";	/* half a date */
	CHECK_INT(staff_from_cells(s, &st, &keep, &blank, &why), -1);
	s[SC_BIRTH_DATE] = "";
	t_case("X6 an unknown job type is named, with the job types there are");
	s[SC_JOB_TYPES] = "安检员、Domestic helper ；电工";
	CHECK_INT(staff_from_cells(s, &st, &keep, &blank, &why), -1);
	CHECK_INT(why.v[0].col, SC_JOB_TYPES);
	if (!CHECK(strstr(why.v[0].zh, "“Domestic helper”") && strstr(why.v[0].zh, "家政员") && strstr(why.v[0].en, "\"Domestic helper\"") &&
		   strstr(why.v[0].en, "domestic")))
		fprintf(stderr, "    %s / %s\n", why.v[0].zh, why.v[0].en);
	t_case("X6 the list of job types is whole choices, UTF-8 to its end, with the Chinese words in English too");
	CHECK(utf8_valid(why.v[0].zh, strlen(why.v[0].zh)) && utf8_valid(why.v[0].en, strlen(why.v[0].en)));
	CHECK(strstr(why.v[0].en, "(安检员)") != NULL);
	t_case("X6 a 40-character value in a long list still makes UTF-8 to the end");
	s[SC_JOB_TYPES] = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";
	CHECK_INT(staff_from_cells(s, &st, &keep, &blank, &why), -1);
	CHECK(utf8_valid(why.v[0].zh, strlen(why.v[0].zh)) && utf8_valid(why.v[0].en, strlen(why.v[0].en)));
}

static void test_review_fixes(void)
{
	char out[8];
	t_case("X6 text from outside is cut where a character ends, stray bytes shown as ?");
	utf8_cut("ab文字", out, sizeof out);	/* 2 + 3 + 3 bytes: the second character does not fit */
	CHECK_STR(out, "ab文");
	utf8_cut("a\xe9" "b", out, sizeof out);
	CHECK_STR(out, "a?b");
	t_case("X7 cells that could run as formulas are defused: = + - @ tab CR");
	CHECK(export_defused("=1") && export_defused("+1") && export_defused("-1"));
	CHECK(export_defused("@A") && export_defused("\tx") && export_defused("\rx"));
	CHECK(!export_defused("1") && !export_defused("A") && !export_defused("") && !export_defused("'"));
	t_case("X7 a value that starts with apostrophes before a formula sign gets one more, so it imports back as it was");
	CHECK(export_defused("'=x") && export_defused("''+1") && !export_defused("'abc"));
	t_case("X5 a worker's birth date is masked as part of the ID number it would unmask, on file or in the trail");
	struct staff s;
	memset(&s, 0, sizeof s);
	s.has_birth_date = 1;
	s.birth_date = date_from_ymd(1949, 12, 31);
	char d[11];
	staff_birth_text(&s, 0, d);
	CHECK_STR(d, "1949-**-**");	/* no number on file now: one may be in the audit trail's past */
	snprintf(s.id_masked, sizeof s.id_masked, "1101**********002X");
	staff_birth_text(&s, 0, d);
	CHECK_STR(d, "1949-**-**");
	staff_birth_text(&s, 1, d);
	CHECK_STR(d, "1949-12-31");
}

/* ---- the search, on a real database ---- */

static struct store *st;
static int64_t tenant;

static int collect(const struct household *h, void *arg)
{
	char *names = arg;
	strcat(names, h->name);
	strcat(names, ";");
	return 0;
}

/* The names q finds, "a;b;" in id order, and the total. */
static int phones_hidden;

static int64_t search(struct db *db, const char *q, char *names)
{
	struct household_filter f = { .q = q, .category = -1, .status = -1, .limit = 50, .phones_hidden = phones_hidden };
	int64_t total = -1;
	int exact;
	names[0] = '\0';
	if (store_household_list(db, tenant, &f, collect, names, &total, &exact) != RH_OK) return -1;
	return total;
}

static void add(struct db *db, const char *account, const char *name, const char *phone, const char *address)
{
	struct actor a = { .tenant_id = tenant, .name = "test" };
	struct household h;
	memset(&h, 0, sizeof h);
	h.tenant_id = tenant;
	snprintf(h.account_no, sizeof h.account_no, "%s", account);
	snprintf(h.name, sizeof h.name, "%s", name);
	snprintf(h.phone, sizeof h.phone, "%s", phone);
	snprintf(h.address, sizeof h.address, "%s", address);
	struct rh_fail fail;
	CHECK_INT(store_household_create(db, &a, &h, &fail), RH_OK);
}

/* The number path (seven letters or digits or more) at work. */
static void test_search(const char *dir)
{
	char path[160], err[200], names[512];
	snprintf(path, sizeof path, "%s/master.db", dir);
	struct keys keys;
	unsigned char master[SECRET_KEY_BYTES];
	char b64[45];
	secret_key_new(master, b64);
	keys_derive(master, &keys);
	CHECK_INT(store_open(path, STORE_CREATE, 2, &keys, &st, err, sizeof err), RH_OK);
	struct db *db = store_acquire(st);
	struct tenant t = { .utc_offset_min = 480 };
	snprintf(t.code, sizeof t.code, "search");
	snprintf(t.name, sizeof t.name, "搜索");
	snprintf(t.kind, sizeof t.kind, "gas");
	snprintf(t.tz_name, sizeof t.tz_name, "Asia/Shanghai");
	struct actor sys = { .name = "test" };
	CHECK_INT(store_tenant_create(db, &sys, &t, NULL), RH_OK);
	tenant = t.id;
	add(db, "3100000001", "张三", "13800001706", "上海市浦东新区幸福里3栋2单元501");
	add(db, "3100000002", "张三丰", "13900002222", "上海市浦东新区幸福里 3栋 1单元 302");
	add(db, "3100000003", "李张三", "13700003333", "上海市浦东新区阳光花园1栋101");
	add(db, "3100000004", "王五", "13600004444", "上海市浦东新区幸福里30栋101");

	t_case("the trap: a two-character name is found (the trigram index alone would answer nothing)");
	CHECK_INT(search(db, "张三", names), 3);
	CHECK_STR(names, "张三;张三丰;李张三;");
	t_case("a one-character query finds names and given names that start with it");
	CHECK_INT(search(db, "张", names), 3);
	CHECK_INT(search(db, "王", names), 1);
	t_case("three characters or more match anywhere: name, address, phone, account");
	CHECK_INT(search(db, "张三丰", names), 1);
	CHECK_INT(search(db, "幸福里3栋", names), 2);	/* the stored space does not matter … */
	CHECK_STR(names, "张三;张三丰;");
	CHECK_INT(search(db, "幸福里 3栋", names), 2);	/* … nor the typed one */
	CHECK_INT(search(db, "1706", names), 1);
	CHECK_STR(names, "张三;");
	CHECK_INT(search(db, "3100000003", names), 1);	/* a number: its last trigrams pick, LIKE checks */
	CHECK_STR(names, "李张三;");
	CHECK_INT(search(db, "13800001706", names), 1);
	CHECK_INT(search(db, "0001706", names), 1);
	CHECK_INT(search(db, "3100000009", names), 0);	/* its trigrams exist, the number does not */
	CHECK_INT(search(db, "00001703", names), 0);
	CHECK_INT(search(db, "浦东新区", names), 4);
	t_case("a match never spans two fields, and LIKE's wildcards are plain text");
	CHECK_INT(search(db, "张三13800", names), 0);
	CHECK_INT(search(db, "%%%", names), 0);	/* only wildcards: nothing can match */
	CHECK_INT(search(db, "幸福_里", names), 3);	/* as 幸福里, not "幸福 and any one character" */
	t_case("X5 a reader who may not see phones does not find households by them");
	phones_hidden = 1;
	CHECK_INT(search(db, "1706", names), 0);
	CHECK_INT(search(db, "13800001706", names), 0);
	CHECK_INT(search(db, "3100000003", names), 1);	/* the account number still finds it */
	CHECK_INT(search(db, "幸福里3栋", names), 2);
	phones_hidden = 0;
	t_case("a number of digits only is found by its six-digit windows, kept as households change");
	add(db, "3100100100", "赵六", "13810010001", "上海市浦东新区幸福里5栋101");
	add(db, "3100000100", "钱七", "13600000100", "上海市浦东新区幸福里6栋101");
	CHECK_INT(search(db, "3100100100", names), 1);	/* its trigrams 310, 100, 001, 010 are in every row */
	CHECK_STR(names, "赵六;");
	CHECK_INT(search(db, "3100000100", names), 1);
	CHECK_STR(names, "钱七;");
	CHECK_INT(search(db, "0000100", names), 1);	/* the windows of the account, not of the phone 13600000100 … */
	CHECK_INT(search(db, "00000100", names), 1);	/* … which also holds it: one household all the same */
	CHECK_INT(search(db, "1001000", names), 1);	/* across the middle of the run */
	CHECK_INT(search(db, "1001001", names), 1);	/* inside the account 3100100100 */
	CHECK_INT(search(db, "3100100101", names), 0);	/* all its windows but one are there */
	{
		struct household cur, next;
		CHECK_INT(store_household_get(db, tenant, 5, 0, &cur), RH_OK);
		next = cur;
		snprintf(next.phone, sizeof next.phone, "13912345678");
		struct actor a = { .tenant_id = tenant, .name = "test" };
		struct rh_fail fail;
		CHECK_INT(store_household_update(db, &a, tenant, 5, cur.version, &next, 0, &cur, &fail), RH_OK);
	}
	CHECK_INT(search(db, "13810010001", names), 0);	/* the old phone's windows are gone */
	CHECK_INT(search(db, "13912345678", names), 1);
	CHECK_STR(names, "赵六;");
	t_case("the digit index agrees with the households it is made from (FTS5's integrity check)");
	CHECK_INT(db->drv->exec_script(db, "INSERT INTO households_digits (households_digits, rank)"
					   " VALUES ('integrity-check', 1)"), 0);
	t_case("X1 another tenant's households are never found");
	tenant = 0;
	CHECK_INT(search(db, "张三", names), 0);
	CHECK_INT(search(db, "幸福里3栋", names), 0);
	store_release(st, db);
	store_close(st);
}

static void test_digit_windows(void)
{
	char out[512];
	t_case("a text's digit windows: the even offsets of every run of seven digits or more");
	CHECK_INT(digit_windows_text("张三\x1f" "13800138000\x1f" "幸福里1288弄101\x1f" "3100000", out, sizeof out), 27);
	CHECK_STR(out, "138001 800138 013800 310000");
	CHECK_INT(digit_windows_text("1288弄 123456 no digits", out, sizeof out), 0);	/* runs under seven */
	CHECK_STR(out, "");
	t_case("a text's digit windows are cut at a whole window, never overrun");
	CHECK_INT(digit_windows_text("1234567890", out, 10), 20);
	CHECK_STR(out, "123456");
	CHECK_INT(digit_windows_text("1234567890", out, 1), 20);
	CHECK_STR(out, "");
	t_case("a number's MATCH: its distinct windows at even offsets, or those at odd ones");
	CHECK(digit_windows_match("3100100100", out, sizeof out));
	CHECK_STR(out, "(310010 001001 100100) OR (100100 010010)");
	CHECK(digit_windows_match("0000000", out, sizeof out));
	CHECK_STR(out, "(000000) OR (000000)");
	CHECK(!digit_windows_match("310010", out, sizeof out));	/* six digits: the trigram path's */
	CHECK(!digit_windows_match("31001a0100", out, sizeof out));
	CHECK(!digit_windows_match("3100100100", out, 69));	/* 7 bytes a digit or nothing */
	t_case("PostgreSQL's windows of a number, at even and at odd offsets");
	digit_windows_array("3100100100", 0, out, sizeof out);
	CHECK_STR(out, "{310010,1001,100100}");
	digit_windows_array("3100100100", 1, out, sizeof out);
	CHECK_STR(out, "{100100,10010}");
	CHECK(digits_only("0123") && !digits_only("") && !digits_only("12a"));
}

static int by_sort_key(const void *a, const void *b)
{
	char ka[SITE_SORT_KEY_MAX], kb[SITE_SORT_KEY_MAX];
	site_sort_key(*(const char *const *)a, ka, sizeof ka);
	site_sort_key(*(const char *const *)b, kb, sizeof kb);
	return strcmp(ka, kb);
}

static void test_site_order(void)
{
	static const struct {
		const char *name, *key;
	} keys[] = {
		{ "3栋", "00000000000000000003栋" },
		{ "幸福里", "幸福里" },
		{ "A区12号楼", "A区00000000000000000012号楼" },
		{ "", "" },
		{ "007", "00000000000000000007" },
		{ "123456789012345678901", "123456789012345678901" },	/* longer than the padding: as it is */
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		t_case("X1 the sort key of the site name \"%s\"", keys[i].name);
		char k[SITE_SORT_KEY_MAX];
		site_sort_key(keys[i].name, k, sizeof k);
		CHECK_STR(k, keys[i].key);
	}
	t_case("X1 sites are listed in the order people count them: 2栋 before 10栋, 2单元 before 10单元");
	const char *names[] = { "10栋", "2栋", "1栋", "11栋", "3栋", "1栋2单元", "1栋10单元", "1栋1单元" };
	qsort(names, sizeof names / sizeof names[0], sizeof names[0], by_sort_key);
	char got[256] = "";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " " : "", names[i]);
	CHECK_STR(got, "1栋 1栋1单元 1栋2单元 1栋10单元 2栋 3栋 10栋 11栋");
	t_case("X1 a sort key never overruns its buffer");
	char small[8];
	site_sort_key("12栋", small, sizeof small);
	CHECK(strlen(small) < sizeof small);
}

static void fill(char *out, size_t cap, const char *ch, int times)
{
	out[0] = '\0';
	for (int i = 0; i < times && strlen(out) + strlen(ch) < cap; i++) strcat(out, ch);
}

static void test_door_address(void)
{
	struct site s;
	memset(&s, 0, sizeof s);
	snprintf(s.province, sizeof s.province, "上海市");
	snprintf(s.city, sizeof s.city, "上海市");
	snprintf(s.district, sizeof s.district, "浦东新区");
	snprintf(s.street, sizeof s.street, "张杨路");
	snprintf(s.address, sizeof s.address, "1号");
	snprintf(s.path, sizeof s.path, "幸福里 / 3栋 / 2单元");
	char out[ADDRESS_MAX * 4 + 1];
	t_case("X1 a door's address is the site's address parts, the path's names and the room, no spaces");
	site_door_address(&s, "301", ADDRESS_MAX, out, sizeof out);
	CHECK_STR(out, "上海市浦东新区张杨路1号幸福里3栋2单元301");

	t_case("X1 an address past 200 characters drops its first parts whole (the province, then the city …) and keeps the door");
	fill(s.province, sizeof s.province, "省", 32);
	fill(s.city, sizeof s.city, "市", 32);
	fill(s.district, sizeof s.district, "区", 32);
	fill(s.street, sizeof s.street, "街", 32);
	fill(s.address, sizeof s.address, "号", 40);
	char estate[200], building[200], unit[200];	/* 64 three-byte characters each */
	fill(estate, sizeof estate, "园", 30);
	fill(building, sizeof building, "栋", 10);
	fill(unit, sizeof unit, "元", 10);
	snprintf(s.path, sizeof s.path, "%s / %s / %s", estate, building, unit);
	site_door_address(&s, "1801室", ADDRESS_MAX, out, sizeof out);
	CHECK(utf8_length(out) <= ADDRESS_MAX);
	CHECK(strncmp(out, "市", 3) == 0);	/* 223 characters: the province's 32 went, whole */
	CHECK(strstr(out, "省") == NULL);
	CHECK_INT(utf8_length(out), 191);
	size_t n = strlen(out);
	CHECK(n > 9 && strcmp(out + n - strlen("元1801室"), "元1801室") == 0);

	t_case("X1 a path and room longer than 200 characters alone keep their last 200: the room and unit");
	fill(estate, sizeof estate, "园", 64);
	fill(building, sizeof building, "栋", 64);
	fill(unit, sizeof unit, "元", 64);
	snprintf(s.path, sizeof s.path, "%s / %s / %s", estate, building, unit);
	site_door_address(&s, "房间房间房间房间房间房间房间房间房间房间", ADDRESS_MAX, out, sizeof out);
	CHECK_INT(utf8_length(out), ADDRESS_MAX);
	CHECK(strstr(out, "省") == NULL && strstr(out, "号") == NULL);
	n = strlen(out);
	CHECK(n > 3 && strcmp(out + n - 3, "间") == 0);
	CHECK(strncmp(out, "园", 3) == 0);	/* cut at a character's start */
}

int main(void)
{
	secret_init(PWHASH_MIN);
	log_set_level(LOG_WARN);
	test_idcard();
	test_choices();
	test_ui_labels();
	test_cells();
	test_review_fixes();
	test_site_order();
	test_digit_windows();
	test_door_address();
	char dir[64];
	snprintf(dir, sizeof dir, "/tmp/ruhu-master-XXXXXX");
	if (!mkdtemp(dir)) return 1;
	test_search(dir);
	char cmd[100];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
	return t_done();
}
