/*
 * test_csvin.c — reading organisations' CSV files (core/csvin.c): the
 * encodings Excel writes on Chinese Windows, records with quotes, line
 * breaks and CRLF, line numbers true to the file, and header rows in
 * Chinese, English and full-width forms (issue 3).
 *
 * Records are written out as "line-last_line:field|field;" so that a
 * row of the table shows everything csv_records found.
 */
#include "harness.h"
#include "core/csvin.h"
#include "core/validate.h"

/* ---- encodings ---- */

static void test_encoding_names(void)
{
	static const struct { const char *name; int rc; enum csv_encoding enc; const char *canon; } rows[] = {
		{ "auto", 0, CSV_ENC_AUTO, "auto" },	   { "utf-8", 0, CSV_ENC_UTF8, "utf-8" },
		{ "UTF8", 0, CSV_ENC_UTF8, "utf-8" },	   { "GBK", 0, CSV_ENC_GB18030, "gb18030" },
		{ "gb2312", 0, CSV_ENC_GB18030, "gb18030" }, { "gb18030", 0, CSV_ENC_GB18030, "gb18030" },
		{ "latin1", -1, CSV_ENC_AUTO, NULL },	   { "", -1, CSV_ENC_AUTO, NULL },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("issue 3 encoding name \"%s\"", rows[i].name);
		enum csv_encoding e = CSV_ENC_AUTO;
		CHECK_INT(csv_encoding_parse(rows[i].name, &e), rows[i].rc);
		if (rows[i].rc == 0) {
			CHECK_INT(e, rows[i].enc);
			CHECK_STR(csv_encoding_name(e), rows[i].canon);
		}
	}
	t_case("issue 3 encoding name NULL is unknown");
	enum csv_encoding e;
	CHECK_INT(csv_encoding_parse(NULL, &e), -1);
}

static void test_decode(void)
{
	static const struct {
		const char *what, *in;
		size_t len;		/* 0: strlen(in) */
		enum csv_encoding want;
		enum rh_err err;
		enum csv_encoding used;
		const char *text;	/* the decoded text; NULL when it fails */
		int converted;		/* 1: a new buffer, 0: points into the input */
		long line;		/* on failure */
	} rows[] = {
		{ "UTF-8 with BOM", "\xEF\xBB\xBF户号,姓名\n", 0, CSV_ENC_AUTO, RH_OK, CSV_ENC_UTF8, "户号,姓名\n", 0, 0 },
		{ "UTF-8 without BOM", "户号,姓名\n", 0, CSV_ENC_AUTO, RH_OK, CSV_ENC_UTF8, "户号,姓名\n", 0, 0 },
		{ "ASCII", "a,b\n", 0, CSV_ENC_AUTO, RH_OK, CSV_ENC_UTF8, "a,b\n", 0, 0 },
		{ "empty", "", 0, CSV_ENC_AUTO, RH_OK, CSV_ENC_UTF8, "", 0, 0 },
		{ "GBK 张三", "\xd5\xc5\xc8\xfd,1\n", 0, CSV_ENC_AUTO, RH_OK, CSV_ENC_GB18030, "张三,1\n", 1, 0 },
		{ "GBK asked for", "\xd5\xc5\xc8\xfd", 0, CSV_ENC_GB18030, RH_OK, CSV_ENC_GB18030, "张三", 1, 0 },
		{ "GBK asked for, a UTF-8 BOM decides", "\xEF\xBB\xBF张三", 0, CSV_ENC_GB18030, RH_OK, CSV_ENC_UTF8, "张三", 0, 0 },
		/* 联通 in GBK is C1AA CDA8, which looks like UTF-8 but is overlong. */
		{ "GBK that looks like UTF-8", "\xc1\xaa\xcd\xa8", 0, CSV_ENC_AUTO, RH_OK, CSV_ENC_GB18030, "联通", 1, 0 },
		{ "GB18030 four bytes (U+20000)", "\x95\x32\x82\x36\n", 0, CSV_ENC_AUTO, RH_OK, CSV_ENC_GB18030, "𠀀\n", 1, 0 },
		{ "GB18030 with its BOM", "\x84\x31\x95\x33" "a", 0, CSV_ENC_GB18030, RH_OK, CSV_ENC_GB18030, "a", 1, 0 },
		{ "ASCII read as GB18030", "a,b\r\n", 0, CSV_ENC_GB18030, RH_OK, CSV_ENC_GB18030, "a,b\r\n", 1, 0 },
		{ "GBK when UTF-8 is asked for", "a\nb\r\n\xd5\xc5\xc8\xfd\n", 0, CSV_ENC_UTF8, RH_ERR_FIELD_INVALID,
		  CSV_ENC_UTF8, NULL, 0, 3 },
		{ "UTF-8 BOM, then a bad byte", "\xEF\xBB\xBF" "a\n\xff\n", 0, CSV_ENC_AUTO, RH_ERR_FIELD_INVALID,
		  CSV_ENC_UTF8, NULL, 0, 2 },
		{ "UTF-8 surrogate", "\xed\xa0\x80", 0, CSV_ENC_UTF8, RH_ERR_FIELD_INVALID, CSV_ENC_UTF8, NULL, 0, 1 },
		{ "UTF-8 cut in a character", "ab\n\xe5\xbc", 0, CSV_ENC_UTF8, RH_ERR_FIELD_INVALID, CSV_ENC_UTF8, NULL, 0, 2 },
		{ "neither UTF-8 nor GB18030", "a\r\nb\r\n\x81\x20", 0, CSV_ENC_AUTO, RH_ERR_FIELD_INVALID,
		  CSV_ENC_GB18030, NULL, 0, 3 },
		{ "lone CRs count as lines", "a\rb\r\xff", 0, CSV_ENC_UTF8, RH_ERR_FIELD_INVALID, CSV_ENC_UTF8, NULL, 0, 3 },
		{ "GB18030 cut in a character", "a\n\xd5", 0, CSV_ENC_GB18030, RH_ERR_FIELD_INVALID, CSV_ENC_GB18030,
		  NULL, 0, 2 },
		{ "NUL byte", "a,b\nc\0d\n", 8, CSV_ENC_AUTO, RH_ERR_FIELD_INVALID, CSV_ENC_AUTO, NULL, 0, 2 },
		{ "NUL byte, GB18030 asked for", "a\0", 2, CSV_ENC_GB18030, RH_ERR_FIELD_INVALID, CSV_ENC_GB18030,
		  NULL, 0, 1 },
		{ "UTF-16 (Excel's Unicode text)", "\xff\xfe" "a\0", 4, CSV_ENC_AUTO, RH_ERR_FIELD_INVALID, CSV_ENC_AUTO,
		  NULL, 0, 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("issue 3 decode %s (%s)", rows[i].what, csv_encoding_name(rows[i].want));
		size_t len = rows[i].len ? rows[i].len : strlen(rows[i].in);
		const char *out = (const char *)1;
		size_t out_len = 99;
		char *owned = (char *)1;
		enum csv_encoding used = CSV_ENC_AUTO;
		struct csv_problem why;
		enum rh_err rc = csv_decode(rows[i].in, len, rows[i].want, &out, &out_len, &owned, &used, &why);
		CHECK_INT(rc, rows[i].err);
		CHECK_INT(why.err, rows[i].err);
		CHECK_INT(used, rows[i].used);
		if (rc == RH_OK) {
			CHECK_INT(out_len, strlen(rows[i].text));
			CHECK(out && memcmp(out, rows[i].text, out_len) == 0);
			CHECK_INT(owned != NULL, rows[i].converted);
			if (!rows[i].converted) CHECK(out >= rows[i].in && out <= rows[i].in + len);
			CHECK_STR(why.zh, "");
		} else {
			CHECK(out == NULL && owned == NULL && out_len == 0);
			CHECK_INT(why.line, rows[i].line);
			CHECK(why.zh[0] && why.en[0]);
			CHECK(utf8_valid(why.zh, strlen(why.zh)));
		}
		free(owned);
	}
}

static void test_decode_messages(void)
{
	t_case("issue 3 decode: the message names the line of the first bad byte");
	const char *out;
	size_t n;
	char *owned;
	enum csv_encoding used;
	struct csv_problem why;
	const char *gbk = "户号\n张三\n\xd5\xc5\n";
	CHECK_INT(csv_decode(gbk, strlen(gbk), CSV_ENC_UTF8, &out, &n, &owned, &used, &why), RH_ERR_FIELD_INVALID);
	CHECK_STR(why.zh, "第 3 行：不是有效的 UTF-8 文本（文件可能是 GBK 编码）");
	CHECK_STR(why.en, "line 3: not valid UTF-8 text (is the file GBK?)");

	t_case("issue 3 decode: why may be NULL");
	CHECK_INT(csv_decode("\xff", 1, CSV_ENC_UTF8, &out, &n, &owned, &used, NULL), RH_ERR_FIELD_INVALID);
	CHECK_INT(csv_decode("ok", 2, CSV_ENC_UTF8, &out, &n, &owned, &used, NULL), RH_OK);
}

/* ---- records ---- */

struct collect {
	struct buf out;		/* "1-1:a|b;" per record */
	struct buf raws;	/* each record's raw text, then "¶" */
	int stop_after;		/* stop after this many records (0: never) */
	int seen;
};

static int collect(const struct csv_record *rec, void *arg)
{
	struct collect *c = arg;
	buf_printf(&c->out, "%ld-%ld:", rec->line, rec->last_line);
	for (size_t i = 0; i < rec->n; i++) buf_printf(&c->out, "%s%s", i ? "|" : "", rec->fields[i]);
	buf_puts(&c->out, ";");
	buf_append(&c->raws, rec->raw, rec->raw_len);
	buf_puts(&c->raws, "¶");
	c->seen++;
	return c->stop_after && c->seen >= c->stop_after;
}

static void test_records(void)
{
	static const struct {
		const char *what, *text;
		size_t max_field;
		enum rh_err err;
		long line;		/* of the error */
		const char *records;	/* what fn got, also when it fails */
	} rows[] = {
		{ "plain", "a,b\nc,d\n", 0, RH_OK, 0, "1-1:a|b;2-2:c|d;" },
		{ "quoted comma", "\"张,三\",1\n", 0, RH_OK, 0, "1-1:张,三|1;" },
		{ "quoted newline", "h1,h2\n\"x\ny\",z\nnext,1\n", 0, RH_OK, 0, "1-1:h1|h2;2-3:x\ny|z;4-4:next|1;" },
		{ "two line breaks in one field", "\"a\n\nb\",c\nd\n", 0, RH_OK, 0, "1-3:a\n\nb|c;4-4:d;" },
		{ "escaped quotes", "\"say \"\"hi\"\"\",x\n", 0, RH_OK, 0, "1-1:say \"hi\"|x;" },
		{ "CRLF", "a,b\r\nc,d\r\n", 0, RH_OK, 0, "1-1:a|b;2-2:c|d;" },
		{ "CRLF in a quoted field", "\"x\r\ny\",z\r\nw\r\n", 0, RH_OK, 0, "1-2:x\r\ny|z;3-3:w;" },
		{ "lone CR ends lines", "a\rb\r", 0, RH_OK, 0, "1-1:a;2-2:b;" },
		{ "empty lines skipped, counted", "\n\na\n\n  \r\nb\n\n", 0, RH_OK, 0, "3-3:a;6-6:b;" },
		{ "a row of empty fields is empty", "a\n,,\n\"\",\nb\n", 0, RH_OK, 0, "1-1:a;4-4:b;" },
		{ "empty fields kept in a row", "a,,c\n,b,\n", 0, RH_OK, 0, "1-1:a||c;2-2:|b|;" },
		{ "last line without line break", "a,b\nc,d", 0, RH_OK, 0, "1-1:a|b;2-2:c|d;" },
		{ "quoted last line without line break", "a\n\"c,d\"", 0, RH_OK, 0, "1-1:a;2-2:c,d;" },
		{ "empty text", "", 0, RH_OK, 0, "" },
		{ "only empty lines", "\r\n\n  \n", 0, RH_OK, 0, "" },
		{ "spaces trimmed unless quoted", "  a  , b \n\" x \",y\n", 0, RH_OK, 0, "1-1:a|b;2-2: x |y;" },
		{ "truncated inside quotes", "a,b\nc,\"open\nmore\n", 0, RH_ERR_FIELD_INVALID, 2, "1-1:a|b;" },
		{ "truncated, no final line break", "a\n\"b", 0, RH_ERR_FIELD_INVALID, 2, "1-1:a;" },
		{ "truncated field began after a finished one", "a,\"x\ny\",\"open\nz", 0, RH_ERR_FIELD_INVALID, 2, "" },
		{ "truncated after an escaped quote", "\"a\"\"", 0, RH_ERR_FIELD_INVALID, 1, "" },
		{ "a quote inside an unquoted field is text, as Excel reads it", "a\nb\"c\nd\n", 0, RH_OK, 0, "1-1:a;2-2:b\"c;3-3:d;" },
		{ "a note with quotes another system wrote", "a,住户称\"不在家\",b\n", 0, RH_OK, 0, "1-1:a|住户称\"不在家\"|b;" },
		{ "stray quotes after a quoted field", "\"x,y\",他说\"好\"\r\n", 0, RH_OK, 0, "1-1:x,y|他说\"好\";" },
		{ "a stray quote, then a quoted field on two lines", "a\"b,\"c\nd\",e\n", 0, RH_OK, 0, "1-2:a\"b|c\nd|e;" },
		{ "Excel's =\"0012345\"", "=\"0012345\",b\n", 0, RH_OK, 0, "1-1:=\"0012345\"|b;" },
		{ "text after a closing quote", "\"a\"b,c\n", 0, RH_ERR_FIELD_INVALID, 1, "" },
		{ "NUL byte", "a\nb\0c\n", 0, RH_ERR_FIELD_INVALID, 2, "1-1:a;" },
		{ "three characters, limit three", "张三丰,x\n", 3, RH_OK, 0, "1-1:张三丰|x;" },
		{ "four characters, limit three", "h\n\n张三丰x,y\n", 3, RH_ERR_FIELD_TOO_LONG, 3, "1-1:h;" },
		{ "long field after a multi-line one", "\"a\nb\",abcd\n", 3, RH_ERR_FIELD_TOO_LONG, 2, "" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("issue 3 records: %s", rows[i].what);
		/* the NUL row holds one NUL: its length is counted by hand */
		size_t len = strcmp(rows[i].what, "NUL byte") == 0 ? 7 : strlen(rows[i].text);
		struct collect c = { BUF_INIT(1 << 20), BUF_INIT(1 << 20), 0, 0 };
		struct csv_problem why;
		enum rh_err rc = csv_records(rows[i].text, len, rows[i].max_field, collect, &c, &why);
		CHECK_INT(rc, rows[i].err);
		CHECK_INT(why.err, rows[i].err);
		CHECK_STR(buf_str(&c.out), rows[i].records);
		if (rc != RH_OK) {
			CHECK_INT(why.line, rows[i].line);
			CHECK(why.zh[0] && why.en[0]);
		}
		buf_release(&c.out);
		buf_release(&c.raws);
	}
}

static void test_record_messages(void)
{
	static const struct { const char *text; size_t max; const char *zh, *en; } rows[] = {
		{ "h\n\"a,\n\nb", 0, "第 2 行：引号未闭合（文件可能被截断）", "line 2: quoted field not closed (file cut off?)" },
		{ "h\r\nx,y,abcd\r\n", 3, "第 2 行第 3 列内容超过 3 个字符", "line 2, column 3: longer than 3 characters" },
		{ "\"a\"b", 0, "第 1 行：引号位置不对（字段内的引号要写成两个 \"\"，并把整个字段用引号括起来）",
		  "line 1: misplaced quote (inside a field write it twice, \"\", and quote the whole field)" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("issue 3 records: message for %s", rows[i].en);
		struct collect c = { BUF_INIT(1 << 20), BUF_INIT(1 << 20), 0, 0 };
		struct csv_problem why;
		CHECK(csv_records(rows[i].text, strlen(rows[i].text), rows[i].max, collect, &c, &why) != RH_OK);
		CHECK_STR(why.zh, rows[i].zh);
		CHECK_STR(why.en, rows[i].en);
		buf_release(&c.out);
		buf_release(&c.raws);
	}
}

/* A 2,000-character field: refused with its line under a 1,000 limit,
 * taken whole with none. Characters, not bytes: 张 is three bytes. */
static void test_long_field(void)
{
	struct buf text = BUF_INIT(1 << 20);
	buf_puts(&text, "户号,备注\n1,短\n2,");
	for (int i = 0; i < 2000; i++) buf_puts(&text, "张");
	buf_puts(&text, "\n3,短\n");
	static const struct { size_t max; enum rh_err err; int seen; } rows[] = {
		{ 1000, RH_ERR_FIELD_TOO_LONG, 2 },
		{ 1999, RH_ERR_FIELD_TOO_LONG, 2 },
		{ 2000, RH_OK, 4 },
		{ 0, RH_OK, 4 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("issue 3 records: a 2,000-character field, max_field %zu", rows[i].max);
		struct collect c = { BUF_INIT(1 << 20), BUF_INIT(1 << 20), 0, 0 };
		struct csv_problem why;
		CHECK_INT(csv_records(text.data, text.len, rows[i].max, collect, &c, &why), rows[i].err);
		CHECK_INT(c.seen, rows[i].seen);
		if (rows[i].err != RH_OK) {
			CHECK_INT(why.line, 3);
			char want[64];
			snprintf(want, sizeof want, "line 3, column 2: longer than %zu characters", rows[i].max);
			CHECK_STR(why.en, want);
		} else {
			CHECK(strstr(buf_str(&c.out), "3-3:2|张张张") != NULL);
			CHECK(strstr(buf_str(&c.out), ";4-4:3|短;") != NULL);
		}
		buf_release(&c.out);
		buf_release(&c.raws);
	}
	buf_release(&text);
}

static void test_raw(void)
{
	static const struct { const char *what, *text, *raws; } rows[] = {
		{ "a record over two lines", "h\n\"x\ny\",z\r\nw", "h¶\"x\ny\",z¶w¶" },
		{ "CRLF inside and after", "\"a\r\nb\"\r\n\r\nc\r\n", "\"a\r\nb\"¶c¶" },
		{ "leading spaces kept", "  a , b \n", "  a , b ¶" },
		{ "after empty lines", "\n\n\"q\"\n", "\"q\"¶" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("issue 3 raw text of a record: %s", rows[i].what);
		struct collect c = { BUF_INIT(1 << 20), BUF_INIT(1 << 20), 0, 0 };
		CHECK_INT(csv_records(rows[i].text, strlen(rows[i].text), 0, collect, &c, NULL), RH_OK);
		CHECK_STR(buf_str(&c.raws), rows[i].raws);
		buf_release(&c.out);
		buf_release(&c.raws);
	}
}

static void test_stop(void)
{
	t_case("issue 3 records: fn stops the reading, which is not an error");
	struct collect c = { BUF_INIT(1 << 20), BUF_INIT(1 << 20), 1, 0 };
	struct csv_problem why;
	const char *text = "a\nb\n\"unclosed";
	CHECK_INT(csv_records(text, strlen(text), 0, collect, &c, &why), RH_OK);
	CHECK_STR(buf_str(&c.out), "1-1:a;");
	CHECK_INT(why.err, RH_OK);
	buf_release(&c.out);
	buf_release(&c.raws);
}

/* The whole way a GBK file from Excel goes: decode, records, header. */
static void test_gbk_file(void)
{
	t_case("issue 3 a GBK file with CRLF and a quoted line break, end to end");
	/* 户号,姓名\r\n1001,"张\r\n三"\r\n */
	const char *file = "\xbb\xa7\xba\xc5,\xd0\xd5\xc3\xfb\r\n1001,\"\xd5\xc5\r\n\xc8\xfd\"\r\n";
	const char *text;
	size_t len;
	char *owned;
	enum csv_encoding used;
	struct csv_problem why;
	CHECK_INT(csv_decode(file, strlen(file), CSV_ENC_AUTO, &text, &len, &owned, &used, &why), RH_OK);
	CHECK_INT(used, CSV_ENC_GB18030);
	struct collect c = { BUF_INIT(1 << 20), BUF_INIT(1 << 20), 0, 0 };
	CHECK_INT(csv_records(text, len, 100, collect, &c, &why), RH_OK);
	CHECK_STR(buf_str(&c.out), "1-1:户号|姓名;2-3:1001|张\r\n三;");
	CHECK_STR(buf_str(&c.raws), "户号,姓名¶1001,\"张\r\n三\"¶");
	buf_release(&c.out);
	buf_release(&c.raws);
	free(owned);
}

struct overflows {
	int n;
	size_t overflow[4], fields[4];
};

static int note_overflow(const struct csv_record *rec, void *arg)
{
	struct overflows *o = arg;
	if (o->n < 4) {
		o->overflow[o->n] = rec->overflow;
		o->fields[o->n] = rec->n;
	}
	o->n++;
	return 0;
}

/* The records of head, then commas commas, then tail: each one's
 * overflow and field count into o. */
static enum rh_err read_wide(const char *head, int commas, const char *tail, struct overflows *o)
{
	struct buf b = BUF_INIT(1 << 20);
	struct csv_problem why;
	buf_puts(&b, head);
	for (int i = 0; i < commas; i++) buf_puts(&b, ",");
	buf_puts(&b, tail);
	memset(o, 0, sizeof *o);
	enum rh_err rc = csv_records(buf_str(&b), b.len, 0, note_overflow, o, &why);
	buf_release(&b);
	return rc;
}

static void test_review_cases(void)
{
	const char *text;
	size_t len;
	char *owned = NULL;
	enum csv_encoding used;
	struct csv_problem why;
	t_case("issue 3 a UTF-8 file with one stray byte is reported, not read as GBK nonsense");
	const char *file = "户号,姓名\n1,张伟\n2,Andr\xe9s\n";
	CHECK_INT(csv_decode(file, strlen(file), CSV_ENC_AUTO, &text, &len, &owned, &used, &why), RH_ERR_FIELD_INVALID);
	CHECK_INT(why.line, 3);
	free(owned);
	owned = NULL;
	t_case("issue 3 a GBK file with no UTF-8 before its first non-ASCII byte is still read as GBK");
	const char *gbk = "a,b\n1,\xd5\xc5\xc8\xfd\n";
	CHECK_INT(csv_decode(gbk, strlen(gbk), CSV_ENC_AUTO, &text, &len, &owned, &used, &why), RH_OK);
	CHECK_INT(used, CSV_ENC_GB18030);
	free(owned);
	owned = NULL;
	t_case("issue 3 a GBK file with an English header whose every character pairs as UTF-8 (谢伟: лΰ) is read as GBK");
	const char *gbk_en = "account_no,name,notes\r\n96000001,\xd0\xbb\xce\xb0,\xca\xaf\xd0\xa1\xc3\xb7\r\n";
	CHECK_INT(csv_decode(gbk_en, strlen(gbk_en), CSV_ENC_AUTO, &text, &len, &owned, &used, &why), RH_OK);
	CHECK_INT(used, CSV_ENC_GB18030);
	CHECK(owned && len == strlen("account_no,name,notes\r\n96000001,谢伟,石小梅\r\n") &&
	      memcmp(text, "account_no,name,notes\r\n96000001,谢伟,石小梅\r\n", len) == 0);
	free(owned);
	owned = NULL;
	t_case("issue 3 … but UTF-8 with Latin letters alone (José, pinyin's Zhāng Wěi) stays UTF-8");
	const char *latin = "account_no,name\n1,Jos\xc3\xa9\n2,Zh\xc4\x81ng W\xc4\x9bi\n";
	CHECK_INT(csv_decode(latin, strlen(latin), CSV_ENC_AUTO, &text, &len, &owned, &used, &why), RH_OK);
	CHECK_INT(used, CSV_ENC_UTF8);
	free(owned);
	owned = NULL;
	t_case("issue 3 a GBK file whose first characters happen to be UTF-8 (小 is D0 A1) is read as GBK");
	/* 小区,楼栋,单元,户名 / 幸福里,3栋,2单元,张三 in GBK */
	const char *gbk_header = "\xd0\xa1\xc7\xf8,\xc2\xa5\xb6\xb0,\xb5\xa5\xd4\xaa,\xbb\xa7\xc3\xfb\r\n"
				 "\xd0\xd2\xb8\xa3\xc0\xef,3\xb6\xb0,2\xb5\xa5\xd4\xaa,\xd5\xc5\xc8\xfd\r\n";
	CHECK_INT(csv_decode(gbk_header, strlen(gbk_header), CSV_ENC_AUTO, &text, &len, &owned, &used, &why), RH_OK);
	CHECK_INT(used, CSV_ENC_GB18030);
	CHECK(owned && strncmp(text, "小区,楼栋,单元,户名\r\n幸福里,3栋,2单元,张三\r\n", len) == 0);
	free(owned);
	t_case("X6 a value past CSV_MAX_FIELDS is its record's overflow (that row to refuse), not the file's end");
	struct overflows o;
	CHECK_INT(read_wide("a", CSV_MAX_FIELDS + 4, "a\nc,d\n", &o), RH_OK);
	CHECK_INT(o.n, 2);
	CHECK_INT(o.overflow[0], CSV_MAX_FIELDS + 5);
	CHECK_INT(o.fields[0], CSV_MAX_FIELDS);
	CHECK_INT(o.overflow[1], 0);
	t_case("X6 empty fields past CSV_MAX_FIELDS (a sheet's trailing commas, spaces) count for nothing");
	CHECK_INT(read_wide("a,b", CSV_MAX_FIELDS + 40, " ,,\nc,d\n", &o), RH_OK);
	CHECK_INT(o.n, 2);
	CHECK_INT(o.overflow[0], 0);
	t_case("X6 a row whose only text past CSV_MAX_FIELDS is a space is empty, and skipped");
	CHECK_INT(read_wide("", CSV_MAX_FIELDS + 3, " \nc,d\n", &o), RH_OK);
	CHECK_INT(o.n, 1);
	CHECK_INT(o.overflow[0], 0);
	t_case("X6 a row whose only value is past CSV_MAX_FIELDS is still a record, of empty fields");
	CHECK_INT(read_wide("", CSV_MAX_FIELDS + 3, "x\n", &o), RH_OK);
	CHECK_INT(o.n, 1);
	CHECK_INT(o.fields[0], CSV_MAX_FIELDS);
	CHECK_INT(o.overflow[0], CSV_MAX_FIELDS + 4);
}

/* ---- header rows ---- */

static const char *const account_names[] = { "户号", "用户编号", "account_no", "account", NULL };
static const char *const name_names[] = { "姓名", "户主", "name", NULL };
static const char *const phone_names[] = { "联系电话", "电话", "phone", NULL };
static const char *const note_names[] = { "备注", "note", NULL };
static const struct csv_column columns[] = {
	{ "account_no", account_names, 1 },
	{ "name", name_names, 1 },
	{ "phone", phone_names, 0 },
	{ "note", note_names, 0 },
};
#define NCOLS (sizeof columns / sizeof columns[0])

struct header {
	int map[16];
	size_t n;
	enum rh_err rc;
	struct csv_problem why;
};

static int map_first(const struct csv_record *rec, void *arg)
{
	struct header *h = arg;
	h->n = rec->n;
	h->rc = rec->n <= 16 ? csv_map_header(rec, columns, NCOLS, h->map, &h->why) : RH_ERR_INTERNAL;
	return 1;
}

static void test_header(void)
{
	static const struct {
		const char *what, *text;
		enum rh_err err;
		const char *map;	/* on success, "0,1,-1" */
		long line;
		const char *zh, *en;	/* on failure */
	} rows[] = {
		{ "Chinese", "户号,姓名,电话,备注\n", RH_OK, "0,1,2,3" },
		{ "Chinese, other names and order", "户主,联系电话,用户编号\n", RH_OK, "1,2,0" },
		{ "English, any case", "Account_No,NAME,Phone\n", RH_OK, "0,1,2" },
		{ "English with spaces and hyphens", "account no,name,account-no\n", RH_ERR_FIELD_INVALID, NULL, 1,
		  "第 1 行第 3 列表头“account-no”与第 1 列“account no”重复",
		  "line 1, column 3: header \"account-no\" repeats column 1 (\"account no\")" },
		{ "English with a note", "Account No (required),Name(必填)\n", RH_OK, "0,1" },
		{ "Chinese with a full-width note", "户号（必填）,姓名（必填）,备注（选填）\n", RH_OK, "0,1,3" },
		{ "ideographic and ASCII spaces", "\u3000户号\u3000, 姓名 ,\"  电话\t\"\n", RH_OK, "0,1,2" },
		{ "full-width letters", "ＡＣＣＯＵＮＴ＿ＮＯ,ｎａｍｅ\n", RH_OK, "0,1" },
		{ "asterisks for required", "*户号,姓名*,＊电话\n", RH_OK, "0,1,2" },
		{ "empty header cell ignored", "户号,,姓名,\n", RH_OK, "0,-1,1,-1" },
		{ "header after empty lines", "\n\n户号,姓名\n", RH_OK, "0,1" },
		{ "unknown header", "户号,姓名,地址\n", RH_ERR_FIELD_UNKNOWN, NULL, 1, "第 1 行第 3 列表头“地址”无法识别",
		  "line 1, column 3: unknown header \"地址\"" },
		{ "unknown header on line 3", "\r\n\r\n户号,xx\r\n", RH_ERR_FIELD_UNKNOWN, NULL, 3,
		  "第 3 行第 2 列表头“xx”无法识别", "line 3, column 2: unknown header \"xx\"" },
		{ "a note alone is not a name", "户号,姓名,(必填)\n", RH_ERR_FIELD_UNKNOWN, NULL, 1,
		  "第 1 行第 3 列表头“(必填)”无法识别", "line 1, column 3: unknown header \"(必填)\"" },
		{ "duplicate column by other names", "户号,姓名,用户编号\n", RH_ERR_FIELD_INVALID, NULL, 1,
		  "第 1 行第 3 列表头“用户编号”与第 1 列“户号”重复",
		  "line 1, column 3: header \"用户编号\" repeats column 1 (\"户号\")" },
		{ "missing required column", "户号,电话\n", RH_ERR_FIELD_REQUIRED, NULL, 1, "第 1 行：缺少必需的列“姓名”",
		  "line 1: missing required column \"姓名\"" },
		{ "missing optional columns is fine", "name,account\n", RH_OK, "1,0" },
		{ "a line break in an unknown header", "户号,姓名,\"a\nb\"\n", RH_ERR_FIELD_UNKNOWN, NULL, 1,
		  "第 1 行第 3 列表头“a b”无法识别", "line 1, column 3: unknown header \"a b\"" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("issue 3 header: %s", rows[i].what);
		struct header h = { .rc = RH_ERR_INTERNAL };
		CHECK_INT(csv_records(rows[i].text, strlen(rows[i].text), 0, map_first, &h, NULL), RH_OK);
		CHECK_INT(h.rc, rows[i].err);
		CHECK_INT(h.why.err, rows[i].err);
		if (h.rc == RH_OK) {
			struct buf got = BUF_INIT(256);
			for (size_t j = 0; j < h.n; j++) buf_printf(&got, "%s%d", j ? "," : "", h.map[j]);
			CHECK_STR(buf_str(&got), rows[i].map);
			buf_release(&got);
		} else if (h.rc != RH_ERR_INTERNAL) {
			CHECK_INT(h.why.line, rows[i].line);
			CHECK_STR(h.why.zh, rows[i].zh);
			CHECK_STR(h.why.en, rows[i].en);
		}
	}
}

static void test_header_long_cell(void)
{
	t_case("issue 3 header: a very long unknown cell is cut in the message on a character boundary");
	struct buf text = BUF_INIT(1 << 16);
	buf_puts(&text, "户号,姓名,");
	for (int i = 0; i < 300; i++) buf_puts(&text, "地");
	buf_puts(&text, "\n");
	struct header h = { .rc = RH_ERR_INTERNAL };
	CHECK_INT(csv_records(text.data, text.len, 0, map_first, &h, NULL), RH_OK);
	CHECK_INT(h.rc, RH_ERR_FIELD_UNKNOWN);
	CHECK(utf8_valid(h.why.zh, strlen(h.why.zh)) && utf8_valid(h.why.en, strlen(h.why.en)));
	CHECK(strstr(h.why.zh, "地…”无法识别") != NULL);
	CHECK(strstr(h.why.en, "地…\"") != NULL);
	buf_release(&text);
}

int main(void)
{
	test_encoding_names();
	test_decode();
	test_decode_messages();
	test_records();
	test_record_messages();
	test_long_field();
	test_raw();
	test_stop();
	test_gbk_file();
	test_review_cases();
	test_header();
	test_header_long_cell();
	return t_done();
}
