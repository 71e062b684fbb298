/*
 * test_xlsxin.c — .xlsx workbooks read as rows (core/xlsxin.c): files
 * written by libxlsxwriter as Excel writes them (shared strings, inline
 * strings, dates in Excel's and Chinese date formats, numbers, booleans,
 * formulas, rich text, gaps), and archives made by hand for what it cannot
 * write (phonetic guides) and for damage (cut short, a wrong checksum,
 * no workbook, too long a cell, too many columns).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zlib.h>
#include "harness.h"
#include "core/xlsxin.h"

/* Every row read, as "line:cell|cell|…" lines, and the raw CSV lines. */
struct seen {
	char rows[8192];
	char raw[8192];
	int n, stop_after;
};

static int collect(const struct csv_record *rec, void *arg)
{
	struct seen *s = arg;
	size_t at = strlen(s->rows);
	at += (size_t)snprintf(s->rows + at, sizeof s->rows - at, "%ld:", rec->line);
	for (size_t i = 0; i < rec->n && at < sizeof s->rows; i++)
		at += (size_t)snprintf(s->rows + at, sizeof s->rows - at, "%s%s", i ? "|" : "", rec->fields[i]);
	if (at < sizeof s->rows) snprintf(s->rows + at, sizeof s->rows - at, "\n");
	size_t r = strlen(s->raw);
	snprintf(s->raw + r, sizeof s->raw - r, "%.*s\n", (int)rec->raw_len, rec->raw);
	return s->stop_after && ++s->n >= s->stop_after;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* A workbook as an organisation's 台账 might be, written by libxlsxwriter;
 * inline: its constant-memory mode, which writes strings in the cells. */
static char *write_book(const char *path, int inline_strings, size_t *len)
{
	lxw_workbook_options opt = { .constant_memory = (uint8_t)inline_strings, .tmpdir = NULL, .use_zip64 = 0 };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "台账");
	lxw_worksheet *other = workbook_add_worksheet(wb, "其他");
	lxw_format *iso = workbook_add_format(wb);
	format_set_num_format(iso, "yyyy-mm-dd");
	lxw_format *cn = workbook_add_format(wb);
	format_set_num_format(cn, "yyyy\"年\"m\"月\"d\"日\"");
	lxw_format *money = workbook_add_format(wb);
	format_set_num_format(money, "0.00");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	const char *head[] = { "户号", "户名", "电话", "出生日期", "备注" };
	for (int c = 0; c < 5; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
	/* row 2: a number, text, a date in ISO and one in Chinese format */
	worksheet_write_number(ws, 1, 0, 3100000002, NULL);
	worksheet_write_string(ws, 1, 1, "张三", NULL);
	worksheet_write_string(ws, 1, 2, "13800138000", NULL);
	lxw_datetime d = { 1985, 7, 1, 0, 0, 0 };
	worksheet_write_datetime(ws, 1, 3, &d, iso);
	worksheet_write_string(ws, 1, 4, "说\"明\", 有逗号", NULL);
	/* row 3 left out: a blank line in the sheet */
	/* row 4: a gap (no 户名 cell), a Chinese date, a boolean, a number in a money format */
	worksheet_write_number(ws, 3, 0, 3100000003, NULL);
	lxw_datetime d2 = { 2000, 2, 29, 0, 0, 0 };
	worksheet_write_datetime(ws, 3, 3, &d2, cn);
	worksheet_write_boolean(ws, 3, 4, 1, NULL);
	worksheet_write_number(ws, 3, 2, 12.5, money);
	/* row 5: a formula's text, a cell with only a style (empty) */
	worksheet_write_formula_str(ws, 4, 0, "=\"31\"&\"00000004\"", NULL, "3100000004");
	worksheet_write_blank(ws, 4, 1, bold);
	worksheet_write_string(ws, 4, 2, "line one\nline two", NULL);
	if (!inline_strings) {	/* rich text: several runs, one cell */
		lxw_rich_string_tuple a = { bold, "幸福" }, b = { NULL, "里3栋" };
		lxw_rich_string_tuple *rich[] = { &a, &b, NULL };
		worksheet_write_rich_string(ws, 5, 1, rich, NULL);
		worksheet_write_number(ws, 5, 0, 3100000005, NULL);
	}
	worksheet_write_string(other, 0, 0, "不该读到", NULL);
	if (workbook_close(wb) != LXW_NO_ERROR) return NULL;
	return slurp(path, len);
}

/* ---- a stored zip by hand ---- */

struct part {
	const char *name, *data;
};

static void le16(unsigned char **p, unsigned v)
{
	*(*p)++ = (unsigned char)v;
	*(*p)++ = (unsigned char)(v >> 8);
}
static void le32(unsigned char **p, uint32_t v)
{
	le16(p, v & 0xFFFF);
	le16(p, v >> 16);
}

static size_t make_zip(const struct part *parts, size_t n, unsigned char *out)
{
	unsigned char *p = out;
	uint32_t offs[8];
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(parts[i].name), dl = strlen(parts[i].data);
		uint32_t crc = (uint32_t)crc32(0L, (const unsigned char *)parts[i].data, (uInt)dl);
		offs[i] = (uint32_t)(p - out);
		le32(&p, 0x04034b50), le16(&p, 20), le16(&p, 0), le16(&p, 0), le16(&p, 0), le16(&p, 0);
		le32(&p, crc), le32(&p, (uint32_t)dl), le32(&p, (uint32_t)dl), le16(&p, (unsigned)nl), le16(&p, 0);
		memcpy(p, parts[i].name, nl), p += nl;
		memcpy(p, parts[i].data, dl), p += dl;
	}
	unsigned char *cd = p;
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(parts[i].name), dl = strlen(parts[i].data);
		uint32_t crc = (uint32_t)crc32(0L, (const unsigned char *)parts[i].data, (uInt)dl);
		le32(&p, 0x02014b50), le16(&p, 20), le16(&p, 20), le16(&p, 0), le16(&p, 0), le16(&p, 0), le16(&p, 0);
		le32(&p, crc), le32(&p, (uint32_t)dl), le32(&p, (uint32_t)dl), le16(&p, (unsigned)nl), le16(&p, 0);
		le16(&p, 0), le16(&p, 0), le16(&p, 0), le32(&p, 0), le32(&p, offs[i]);
		memcpy(p, parts[i].name, nl), p += nl;
	}
	uint32_t cd_size = (uint32_t)(p - cd), cd_off = (uint32_t)(cd - out);
	le32(&p, 0x06054b50), le16(&p, 0), le16(&p, 0), le16(&p, (unsigned)n), le16(&p, (unsigned)n);
	le32(&p, cd_size), le32(&p, cd_off), le16(&p, 0);
	return (size_t)(p - out);
}

static const char WORKBOOK[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
	"<sheet name=\"户\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>";
static const char RELS[] =
	"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId7\" Type=\"x\" Target=\"/xl/worksheets/户.xml\"/></Relationships>";
static const char STRINGS[] =
	"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<si><t>户名</t></si><si><r><t>欧阳</t></r><r><t>娜娜</t></r><rPh sb=\"0\" eb=\"2\"><t>ouyang</t></rPh></si></sst>";
static const char SHEET[] =
	"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
	"<row r=\"7\"><c r=\"A7\" t=\"s\"><v>1</v></c><c r=\"C7\" t=\"inlineStr\"><is><t>内联</t></is></c></row>"
	"</sheetData></worksheet>";

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/ruhu-xlsx-%d.xlsx", (int)getpid());
	size_t len;
	struct csv_problem why;

	for (int inl = 0; inl < 2; inl++) {
		char *book = write_book(path, inl, &len);
		t_case("X7 an .xlsx (%s strings) is known by its first bytes", inl ? "inline" : "shared");
		CHECK(book && xlsx_is_zip(book, len));
		if (!book) continue;
		struct seen s = { .rows = "", .raw = "" };
		t_case("X7 the first sheet's rows, as Excel shows them, numbered as Excel numbers them (%s strings)",
		       inl ? "inline" : "shared");
		CHECK_INT(xlsx_records(book, len, 0, collect, &s, &why), RH_OK);
		const char *want_shared =
			"1:户号|户名|电话|出生日期|备注\n"
			"2:3100000002|张三|13800138000|1985-07-01|说\"明\", 有逗号\n"
			"4:3100000003||12.5|2000-02-29|1\n"
			"5:3100000004||line one\nline two\n"
			"6:3100000005|幸福里3栋\n";
		const char *want_inline =
			"1:户号|户名|电话|出生日期|备注\n"
			"2:3100000002|张三|13800138000|1985-07-01|说\"明\", 有逗号\n"
			"4:3100000003||12.5|2000-02-29|1\n"
			"5:3100000004||line one\nline two\n";
		CHECK_STR(s.rows, inl ? want_inline : want_shared);
		t_case("X7 each row's raw text is its CSV line, quoted where a CSV needs it (for the reject file)");
		CHECK(strstr(s.raw, "3100000002,张三,13800138000,1985-07-01,\"说\"\"明\"\", 有逗号\"\n") != NULL);
		CHECK(strstr(s.raw, "3100000004,,\"line one\nline two\"\n") != NULL);
		CHECK(strstr(s.rows, "不该读到") == NULL);

		t_case("X7 the caller stops the reading when it wants");
		struct seen s2 = { .rows = "", .raw = "", .stop_after = 2 };
		CHECK_INT(xlsx_records(book, len, 0, collect, &s2, &why), RH_OK);
		CHECK_INT(s2.n, 2);

		t_case("X7 a cell longer than the limit names its row and column");
		struct seen s3 = { .rows = "", .raw = "" };
		CHECK_INT(xlsx_records(book, len, 12, collect, &s3, &why), RH_ERR_FIELD_TOO_LONG);
		CHECK_INT(why.line, 5);	/* "line one\nline two": 17 characters */
		CHECK(strstr(why.en, "line 5, column 3") != NULL);

		t_case("X7 a file cut short is refused as damaged, whatever was read before");
		CHECK_INT(xlsx_records(book, len - 200, 0, collect, &s3, &why), RH_ERR_FIELD_INVALID);
		CHECK(strstr(why.zh, "xlsx") != NULL);
		free(book);
	}
	unlink(path);

	unsigned char zip[16384];
	t_case("X7 rich text is one cell; a phonetic guide (rPh) is not part of it; inline strings; a sheet found by its relationship");
	struct part parts[] = { { "xl/workbook.xml", WORKBOOK }, { "xl/_rels/workbook.xml.rels", RELS },
				{ "xl/sharedStrings.xml", STRINGS }, { "xl/worksheets/户.xml", SHEET } };
	len = make_zip(parts, 4, zip);
	struct seen s = { .rows = "", .raw = "" };
	CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_OK);
	CHECK_STR(s.rows, "1:户名\n7:欧阳娜娜||内联\n");

	t_case("X7 a part whose bytes do not match their checksum is damaged");
	unsigned char *hit = (unsigned char *)memmem(zip, len, "内联", strlen("内联"));
	CHECK(hit != NULL);
	if (hit) hit[0] ^= 1;
	CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_ERR_FIELD_INVALID);

	t_case("X7 a zip without a workbook (not a spreadsheet) is refused saying so");
	struct part other[] = { { "readme.txt", "hello" } };
	len = make_zip(other, 1, zip);
	CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_ERR_FIELD_INVALID);
	CHECK(strstr(why.en, "no workbook") != NULL);

	t_case("X7 a row past the column limit is refused naming the row");
	static char wide[4096];
	snprintf(wide, sizeof wide,
		 "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
		 "<row r=\"3\"><c r=\"IW3\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>");
	struct part wparts[] = { { "xl/workbook.xml", WORKBOOK }, { "xl/_rels/workbook.xml.rels", RELS },
				 { "xl/worksheets/户.xml", wide } };
	len = make_zip(wparts, 3, zip);
	CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_ERR_FIELD_INVALID);
	CHECK_INT(why.line, 3);

	t_case("X7 a shared-string index past the list is refused naming the cell");
	static const char bad_index[] =
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
		"<row r=\"2\"><c r=\"B2\" t=\"s\"><v>9</v></c></row></sheetData></worksheet>";
	struct part bparts[] = { { "xl/workbook.xml", WORKBOOK }, { "xl/_rels/workbook.xml.rels", RELS },
				 { "xl/sharedStrings.xml", STRINGS }, { "xl/worksheets/户.xml", bad_index } };
	len = make_zip(bparts, 4, zip);
	CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_ERR_FIELD_INVALID);
	CHECK(strstr(why.en, "line 2, column 2") != NULL);

	t_case("X7 bytes that are not a zip at all are not taken for one");
	CHECK(!xlsx_is_zip("户号,户名\n", strlen("户号,户名\n")));
	CHECK_INT(xlsx_records("PK\x03\x04garbage", 11, 0, collect, &s, &why), RH_ERR_FIELD_INVALID);
	return t_done();
}
