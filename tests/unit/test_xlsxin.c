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
	if (rec->overflow && at < sizeof s->rows)	/* a value past the last column, as "!its column" */
		at += (size_t)snprintf(s->rows + at, sizeof s->rows - at, "!%zu", rec->overflow);
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

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define SHEET_OF(rows) "<worksheet " NS "><sheetData>" rows "</sheetData></worksheet>"

/* The rows of a workbook made of these parts (NULL: the default, or none
 * for styles and strings). */
static enum rh_err read_parts(const char *workbook, const char *rels, const char *styles, const char *strings,
			      const char *sheet, struct seen *s, struct csv_problem *why)
{
	static unsigned char zip[65536];
	struct part parts[5];
	size_t n = 0;
	parts[n++] = (struct part){ "xl/workbook.xml", workbook ? workbook : WORKBOOK };
	parts[n++] = (struct part){ "xl/_rels/workbook.xml.rels", rels ? rels : RELS };
	if (styles) parts[n++] = (struct part){ "xl/styles.xml", styles };
	if (strings) parts[n++] = (struct part){ "xl/sharedStrings.xml", strings };
	parts[n++] = (struct part){ "xl/worksheets/户.xml", sheet };
	size_t len = make_zip(parts, n, zip);
	memset(s, 0, sizeof *s);
	return xlsx_records((char *)zip, len, 0, collect, s, why);
}

static void test_sheet_details(void)
{
	struct seen s;
	struct csv_problem why;
	t_case("X7 cells without a reference follow the one before, empty ones included; spaces trimmed as in a CSV");
	CHECK_INT(read_parts(NULL, NULL, NULL, NULL, SHEET_OF("<row><c t=\"inlineStr\"><is><t> a </t></is></c><c s=\"0\"/>"
		"<c t=\"inlineStr\"><is><t>c</t></is></c></row>"), &s, &why), RH_OK);
	CHECK_STR(s.rows, "1:a||c\n");
	t_case("X7 Excel's _xHHHH_ escapes are decoded (a carriage return), and an escaped escape is left as text");
	CHECK_INT(read_parts(NULL, NULL, NULL, NULL, SHEET_OF("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>一_x000D_二</t></is></c>"
		"<c r=\"B2\" t=\"inlineStr\"><is><t>_x005F_x000D_</t></is></c></row>"), &s, &why), RH_OK);
	CHECK_STR(s.rows, "2:一\r二|_x000D_\n");
	t_case("X7 a range merged over rows (小区 over its households) gives its value to the rows below; one within a row does not");
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
	CHECK_INT(read_parts(NULL, NULL, NULL, NULL, "<worksheet " NS "><sheetData>"
		"<row r=\"1\">" IS("A1", "户号") IS("B1", "小区") IS("C1", "备注") "</row>"
		"<row r=\"2\">" IS("A2", "H1") IS("B2", "幸福里") IS("C2", "横跨") "</row>"
		"<row r=\"3\">" IS("A3", "H2") "</row><row r=\"4\">" IS("A4", "H3") IS("B4", "自有") "</row>"
		"<row r=\"5\"><c r=\"B5\" s=\"0\"/></row><row r=\"6\">" IS("A6", "H4") "</row></sheetData>"
		"<mergeCells count=\"3\"><mergeCell ref=\"B2:B5\"/><mergeCell ref=\"C2:D2\"/><mergeCell ref=\"ZZZZ1:A\"/></mergeCells>"
		"</worksheet>", &s, &why), RH_OK);
	CHECK_STR(s.rows, "1:户号|小区|备注\n2:H1|幸福里|横跨\n3:H2|幸福里\n4:H3|自有\n6:H4\n");
#undef IS
	t_case("X7 X6 overlapping merged ranges without end are refused, not filled for hours (repeats count once)");
	{
		size_t cap = 1 << 20, at = 0;
		char *sheet = malloc(cap);
		unsigned char *zip = malloc(cap);
		at += (size_t)snprintf(sheet + at, cap - at, "<worksheet " NS "><sheetData>");
		for (int r = 1; r <= 1500; r++)
			at += (size_t)snprintf(sheet + at, cap - at, "<row r=\"%d\"><c r=\"A%d\"><v>1</v></c></row>", r, r);
		at += (size_t)snprintf(sheet + at, cap - at, "</sheetData><mergeCells>");
		for (int r = 2; r <= 1500; r++)
			at += (size_t)snprintf(sheet + at, cap - at, "<mergeCell ref=\"D%d:IV1048576\"/><mergeCell ref=\"D%d:IV1048576\"/>",
					       r, r);
		snprintf(sheet + at, cap - at, "</mergeCells></worksheet>");
		struct part parts[] = { { "xl/workbook.xml", WORKBOOK }, { "xl/_rels/workbook.xml.rels", RELS },
					{ "xl/worksheets/户.xml", sheet } };
		size_t len = make_zip(parts, 3, zip);
		memset(&s, 0, sizeof s);
		CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_ERR_FIELD_INVALID);
		CHECK(strstr(why.zh, "合并的单元格过多") != NULL);
		free(sheet);
		free(zip);
	}
	t_case("X7 a number as Excel's General format shows it, however the writer stored it (13812345678.0, 1.38E10)");
	CHECK_INT(read_parts(NULL, NULL, NULL, NULL, SHEET_OF("<row r=\"3\"><c r=\"A3\"><v>13812345678.0</v></c>"
		"<c r=\"B3\"><v>1.3812345678E10</v></c><c r=\"C3\"><v>0.30000000000000004</v></c><c r=\"D3\"><v>-0</v></c>"
		"<c r=\"E3\"><v>12.5</v></c><c r=\"F3\"><v>0x1A</v></c><c r=\"G3\"><v>1E-7</v></c></row>"), &s, &why), RH_OK);
	CHECK_STR(s.rows, "3:13812345678|13812345678|0.3|0|12.5|0x1A|1e-07\n");
	t_case("X7 a number in a zero-padded format keeps its zeros (an account 001234, also stored as 77.0); a 1904 workbook's dates");
	static const char styles[] = "<styleSheet " NS "><numFmts><numFmt numFmtId=\"170\" formatCode=\"000000\"/></numFmts>"
		"<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"170\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
	static const char book1904[] = "<workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<workbookPr date1904=\"1\"/><sheets><sheet name=\"x\" sheetId=\"1\" r:id=\"rId7\"/></sheets></workbook>";
	CHECK_INT(read_parts(book1904, NULL, styles, NULL, SHEET_OF("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>1234</v></c>"
		"<c r=\"B1\" s=\"2\"><v>0</v></c><c r=\"C1\" s=\"2\"><v>2958000</v></c><c r=\"D1\" s=\"1\"><v>12.5</v></c>"
		"<c r=\"E1\" s=\"1\"><v>77.0</v></c></row>"), &s, &why), RH_OK);
	CHECK_STR(s.rows, "1:001234|1904-01-01|2958000|12.5|000077\n");
	t_case("X7 a relationship's target is a URI: its %%XX escapes decoded, its . and .. segments and doubled slashes resolved");
	static const char escaped[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId7\" Target=\"./worksheets/../tmp/..//worksheets/./%E6%88%B7.xml\"/></Relationships>";
	CHECK_INT(read_parts(NULL, escaped, NULL, NULL, SHEET_OF("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>到了</t></is></c></row>"),
			     &s, &why), RH_OK);
	CHECK_STR(s.rows, "1:到了\n");
	t_case("X7 the first visible sheet is read (a hidden one is skipped); a target written from the root without its slash");
	static const char hidden[] = "<workbook " NS " xmlns:x=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
		"<sheet name=\"h\" sheetId=\"1\" state=\"hidden\" x:id=\"rId1\"/><sheet name=\"v\" sheetId=\"2\" x:id=\"rId7\"/></sheets></workbook>";
	static const char rootless[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Target=\"worksheets/none.xml\"/><Relationship Id=\"rId7\" Target=\"xl/worksheets/户.xml\"/></Relationships>";
	CHECK_INT(read_parts(hidden, rootless, NULL, NULL, SHEET_OF("<row r=\"1\"><c r=\"A1\"><v>7</v></c></row>"), &s, &why), RH_OK);
	CHECK_STR(s.rows, "1:7\n");

	static const struct { const char *sheet, *zh; long line; } bad[] = {
		{ "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"A2\"><v>2</v></c></row>", "出现两次", 2 },
		{ "<row r=\"2\"><c r=\"a2\"><v>1</v></c></row>", "位置无效", 2 },
		{ "<row r=\"3\"><c r=\"A3\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>1</v></c></row>", "行号无效", 4 },
		{ "<row r=\"1048577\"><c r=\"A1048577\"><v>1</v></c></row>", "行号无效", 1 },
		{ "<row r=\"5\"><c r=\"C5\" t=\"e\"><v>#N/A</v></c></row>", "#N/A", 5 },
		{ "<row r=\"6\"><c r=\"D6\"><v>1.10105199001011E+17</v></c></row>", "超过 15 位", 6 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char sheet[512];
		snprintf(sheet, sizeof sheet, "<worksheet " NS "><sheetData>%s</sheetData></worksheet>", bad[i].sheet);
		t_case("X7 X6 a damaged sheet is refused naming its place (%s)", bad[i].zh);
		CHECK_INT(read_parts(NULL, NULL, NULL, NULL, sheet, &s, &why), RH_ERR_FIELD_INVALID);
		CHECK(strstr(why.zh, bad[i].zh) != NULL);
		CHECK_INT(why.line, bad[i].line);
		CHECK(why.err == RH_ERR_FIELD_INVALID && why.en[0]);
	}
	t_case("X7 a part with a DTD (which could only be there to expand entities) is refused");
	CHECK_INT(read_parts(NULL, NULL, NULL, NULL, "<!DOCTYPE w [<!ENTITY a \"aaaa\">]><worksheet " NS "><sheetData/></worksheet>", &s, &why),
		  RH_ERR_FIELD_INVALID);
	CHECK(strstr(why.en, "DTD") != NULL);
}

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

	t_case("X7 parts where the relationships put them: a workbook in a folder of its own, the sheet one folder up,"
	       " the styles below it, the shared strings from the root");
	static const char root_rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\""
		" Target=\"docProps/core.xml\"/>"
		"<Relationship Id=\"rId1\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument\""
		" Target=\"./book/wb.xml\"/></Relationships>";
	static const char book_rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\""
		" Target=\"/strings/ss.xml\"/>"
		"<Relationship Id=\"rIdT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\""
		" Target=\"look/st.xml\"/>"
		"<Relationship Id=\"rIdX\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\""
		" Target=\"http://example.com/st.xml\" TargetMode=\"External\"/>"
		"<Relationship Id=\"rId7\" Type=\"x\" Target=\"../data/s.xml\"/></Relationships>";
	static const char date_styles[] = "<styleSheet " NS "><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
	static const char dated[] = SHEET_OF("<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" s=\"1\"><v>45000</v></c></row>");
	struct part moved[] = { { "_rels/.rels", root_rels }, { "book/wb.xml", WORKBOOK }, { "book/_rels/wb.xml.rels", book_rels },
				{ "strings/ss.xml", STRINGS }, { "book/look/st.xml", date_styles }, { "data/s.xml", dated },
				{ "xl/sharedStrings.xml", "<sst " NS "><si><t>wrong</t></si><si><t>wrong</t></si></sst>" } };
	len = make_zip(moved, 7, zip);
	s = (struct seen){ .rows = "", .raw = "" };
	CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_OK);
	CHECK_STR(s.rows, "2:欧阳娜娜|2023-03-15\n");

	t_case("X7 a zip without a workbook (not a spreadsheet) is refused saying so");
	struct part other[] = { { "readme.txt", "hello" } };
	len = make_zip(other, 1, zip);
	CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_ERR_FIELD_INVALID);
	CHECK(strstr(why.en, "no workbook") != NULL);

	t_case("X7 an empty styled cell past the column limit counts for nothing");
	CHECK_INT(read_parts(NULL, NULL, NULL, NULL, SHEET_OF("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>x</t></is></c>"
		"<c r=\"IW2\" s=\"0\"/></row>"), &s, &why), RH_OK);
	CHECK_STR(s.rows, "2:x\n");
	t_case("X7 a value past the column limit is its row's overflow; the rows after it are read");
	CHECK_INT(read_parts(NULL, NULL, NULL, NULL, SHEET_OF("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>x</t></is></c>"
		"<c r=\"IW2\"><v>1</v></c></row><row r=\"3\"><c r=\"A3\"><v>2</v></c></row>"), &s, &why), RH_OK);
	CHECK_STR(s.rows, "2:x!257\n3:2\n");
	t_case("X7 a row whose only value is past the column limit is still a row");
	static char wide[4096];
	snprintf(wide, sizeof wide,
		 "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
		 "<row r=\"3\"><c r=\"IW3\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>");
	struct part wparts[] = { { "xl/workbook.xml", WORKBOOK }, { "xl/_rels/workbook.xml.rels", RELS },
				 { "xl/worksheets/户.xml", wide } };
	len = make_zip(wparts, 3, zip);
	memset(&s, 0, sizeof s);
	CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_OK);
	CHECK_STR(s.rows, "3:!257\n");

	t_case("X7 a shared-string index past the list is refused naming the cell");
	static const char bad_index[] =
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
		"<row r=\"2\"><c r=\"B2\" t=\"s\"><v>9</v></c></row></sheetData></worksheet>";
	struct part bparts[] = { { "xl/workbook.xml", WORKBOOK }, { "xl/_rels/workbook.xml.rels", RELS },
				 { "xl/sharedStrings.xml", STRINGS }, { "xl/worksheets/户.xml", bad_index } };
	len = make_zip(bparts, 4, zip);
	CHECK_INT(xlsx_records((char *)zip, len, 0, collect, &s, &why), RH_ERR_FIELD_INVALID);
	CHECK(strstr(why.en, "line 2, column 2") != NULL);
	CHECK_INT(why.col, 2);	/* the report's column too, not only its message */

	test_sheet_details();

	t_case("X7 bytes that are not a zip at all are not taken for one");
	CHECK(!xlsx_is_zip("户号,户名\n", strlen("户号,户名\n")));
	CHECK_INT(xlsx_records("PK\x03\x04garbage", 11, 0, collect, &s, &why), RH_ERR_FIELD_INVALID);
	return t_done();
}
