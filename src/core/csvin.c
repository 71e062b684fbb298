/*
 * csvin.c — reading organisations' CSV files: encodings, records, header
 * rows (see csvin.h).
 *
 * Lines are the unit users count in, so everything here counts them the
 * same way: LF, CRLF and a lone CR each end one line. GB18030 and UTF-8
 * both write CR and LF as single bytes that never occur inside another
 * character, so a line number counted in the bytes of the file is also
 * true of the decoded text.
 *
 * Records: libcsv does the quoting, fed one physical line at a time.
 * libcsv can only end a row at an unquoted CR or LF, which is always the
 * end of the line just fed; so after each line we know whether the
 * record that began at a known offset is complete, and its raw text runs
 * from there to the end of this line. libcsv runs in strict mode: a stray
 * quote is reported where it is rather than silently swallowing the rest
 * of the file into one field.
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/csvin.h"
#include "core/validate.h"

/* ---- messages ---- */

/* Cuts a character that snprintf() cut in half off the end of s. */
static void whole_chars(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
	if (i == 0 || (unsigned char)s[i - 1] < 0x80) return;
	unsigned lead = (unsigned char)s[i - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (i - 1) < want) s[i - 1] = '\0';
}

enum rh_err csv_problem_set(struct csv_problem *why, enum rh_err err, long line, size_t col, const char *zh,
			    const char *en)
{
	why->err = err;
	why->line = line;
	why->col = line > 0 && col > 0 && col <= 65536 ? (int)col : 0;
	if (line > 0 && col > 0) {
		snprintf(why->zh, sizeof why->zh, "第 %ld 行第 %zu 列%s", line, col, zh);
		snprintf(why->en, sizeof why->en, "line %ld, column %zu: %s", line, col, en);
	} else if (line > 0) {
		snprintf(why->zh, sizeof why->zh, "第 %ld 行：%s", line, zh);
		snprintf(why->en, sizeof why->en, "line %ld: %s", line, en);
	} else {
		snprintf(why->zh, sizeof why->zh, "%s", zh);
		snprintf(why->en, sizeof why->en, "%s", en);
	}
	whole_chars(why->zh);
	whole_chars(why->en);
	return err;
}

static void no_problem(struct csv_problem *why)
{
	why->err = RH_OK;
	why->line = 0;
	why->col = 0;
	why->zh[0] = why->en[0] = '\0';
}

/* The line byte pos of s (len bytes) is on. */
static long line_at(const char *s, size_t len, size_t pos)
{
	long line = 1;
	for (size_t i = 0; i < pos && i < len; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))) line++;
	return line;
}

/* ---- encodings ---- */

static const struct {
	const char *name;
	enum csv_encoding enc;
} encodings[] = {
	{ "auto", CSV_ENC_AUTO },	  { "utf-8", CSV_ENC_UTF8 },	   { "utf8", CSV_ENC_UTF8 },
	{ "gb18030", CSV_ENC_GB18030 }, { "gbk", CSV_ENC_GB18030 }, { "gb2312", CSV_ENC_GB18030 },
};

int csv_encoding_parse(const char *name, enum csv_encoding *out)
{
	for (size_t i = 0; name && i < sizeof encodings / sizeof encodings[0]; i++)
		if (strcasecmp(name, encodings[i].name) == 0) {
			*out = encodings[i].enc;
			return 0;
		}
	return -1;
}

const char *csv_encoding_name(enum csv_encoding e)
{
	switch (e) {
	case CSV_ENC_UTF8: return "utf-8";
	case CSV_ENC_GB18030: return "gb18030";
	case CSV_ENC_XLSX: return "xlsx";
	default: return "auto";
	}
}

/* Length of the well-formed UTF-8 sequence at s (left bytes), or 0. The
 * rules are utf8_valid()'s (core/validate.c): no overlong forms, no
 * surrogates, nothing past U+10FFFF, no NUL; here we also need where the
 * first bad byte is, to name its line. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	unsigned c = s[0], min;
	size_t n;
	if (c == 0) return 0;
	if (c < 0x80) return 1;
	if ((c & 0xE0) == 0xC0) n = 1, min = 0x80, c &= 0x1F;
	else if ((c & 0xF0) == 0xE0) n = 2, min = 0x800, c &= 0x0F;
	else if ((c & 0xF8) == 0xF0) n = 3, min = 0x10000, c &= 0x07;
	else return 0;
	if (left <= n) return 0;
	for (size_t i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
	return n + 1;
}

/* How many bytes at the start of s are well-formed UTF-8. */
/* Whether text that is not wholly UTF-8 is UTF-8 all the same: its valid
 * multi-byte characters outnumber its bad bytes fourfold — a UTF-8 file
 * with a stray byte ("Andr\xe9s" pasted in), to be reported, not decoded
 * as GBK into nonsense. GBK read as UTF-8 is mostly bad bytes, but not
 * only: some of its characters happen to be UTF-8 (小 is D0 A1, 楼 C2 A5),
 * so the first bad byte alone decides nothing. */
static int mostly_utf8(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t good = 0, bad = 0, i = 0, n;
	while (i < len) {
		if (s[i] < 0x80) {
			i++;
		} else if ((n = utf8_seq(s + i, len - i)) > 0) {
			good++;
			i += n;
		} else {
			bad++;
			i++;
		}
	}
	return good >= 4 * bad;
}

/* Whether text that is wholly UTF-8 reads, outside ASCII, only as
 * two-byte characters (U+0080–U+07FF) none of which is a Latin letter:
 * Greek, Cyrillic, signs like ÷. So reads a GBK file whose every
 * character happens to pair so — 谢伟 is D0BB CEB0, "лΰ"; 梅 "÷" — with
 * an English header and no other Chinese (found in review: a two-row
 * file imported as mojibake). A Chinese character is three bytes in
 * UTF-8; Latin letters (José, pinyin's Zhāng) keep the file UTF-8. */
static int utf8_reads_foreign(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, seen = 0;
	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) != 0xC0 || i + 1 >= len) return 0;
		unsigned c = ((s[i] & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
		if (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) return 0;	/* À … ɏ but × ÷ */
		seen++;
		i += 2;
	}
	return seen > 0;
}

static size_t utf8_prefix(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	while (i < len && (n = utf8_seq(s + i, len - i)) > 0) i += n;
	return i;
}

static enum rh_err from_gb18030(const char *in, size_t len, const char **out, size_t *out_len, char **owned,
				struct csv_problem *why)
{
	/* Two GB18030 bytes become at most three UTF-8 bytes, four at most
	 * four, one exactly one: the text grows by at most half. */
	if (len > SIZE_MAX / 2 - 16) return csv_problem_set(why, RH_ERR_NOMEM, 0, 0, "文件太大", "file too large");
	size_t cap = len + len / 2 + 16;
	char *buf = malloc(cap);
	if (!buf) return csv_problem_set(why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		free(buf);
		return csv_problem_set(why, RH_ERR_INTERNAL, 0, 0, "系统不支持 GB18030 编码转换",
			       "this system cannot convert GB18030");
	}
	char *src = (char *)in, *dst = buf;
	size_t left = len, room = cap;
	size_t rc = iconv(cd, &src, &left, &dst, &room);
	int e = errno;
	iconv_close(cd);
	if (rc == (size_t)-1) {
		free(buf);
		if (e == E2BIG) return csv_problem_set(why, RH_ERR_INTERNAL, 0, 0, "编码转换出错", "encoding conversion failed");
		return csv_problem_set(why, RH_ERR_FIELD_INVALID, line_at(in, len, (size_t)(src - in)), 0,
			       "含有无法识别的字符（文件既不是 UTF-8 也不是 GBK/GB18030 编码）",
			       "unreadable characters (the file is neither UTF-8 nor GBK/GB18030)");
	}
	size_t n = cap - room;
	size_t skip = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;	/* GB18030's own BOM, 84 31 95 33 */
	*owned = buf;
	*out = buf + skip;
	*out_len = n - skip;
	return RH_OK;
}

enum rh_err csv_decode(const char *in, size_t len, enum csv_encoding want, const char **out, size_t *out_len,
		       char **owned, enum csv_encoding *used, struct csv_problem *why)
{
	struct csv_problem scratch;
	if (!why) why = &scratch;
	no_problem(why);
	if (!in) in = "", len = 0;
	*out = NULL;
	*out_len = 0;
	*owned = NULL;
	*used = want;
	/* Excel's "Unicode text" is UTF-16; it would otherwise be reported as NUL bytes. */
	if (len >= 2 && ((in[0] == '\xFF' && in[1] == '\xFE') || (in[0] == '\xFE' && in[1] == '\xFF')))
		return csv_problem_set(why, RH_ERR_FIELD_INVALID, 0, 0, "文件是 UTF-16 编码，请在 Excel 中另存为“CSV UTF-8”",
			       "the file is UTF-16; save it from Excel as \"CSV UTF-8\"");
	const char *nul = memchr(in, '\0', len);
	if (nul)
		return csv_problem_set(why, RH_ERR_FIELD_INVALID, line_at(in, len, (size_t)(nul - in)), 0,
			       "含有空字符（NUL），不是文本文件", "holds a NUL byte; not a text file");
	size_t bom = len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	/* A UTF-8 BOM decides, whatever was asked for: no GBK text starts so
	 * (EF BB BF is 锘 and half a character), and ruhu's exports do. */
	if (bom) want = CSV_ENC_UTF8;
	else if (want == CSV_ENC_AUTO && utf8_prefix(in, len) == len)
		want = utf8_reads_foreign(in, len) ? CSV_ENC_GB18030 : CSV_ENC_UTF8;
	else if (want == CSV_ENC_AUTO)
		want = mostly_utf8(in, len) ? CSV_ENC_UTF8 : CSV_ENC_GB18030;
	*used = want;
	if (want == CSV_ENC_GB18030) return from_gb18030(in, len, out, out_len, owned, why);
	size_t good = bom + utf8_prefix(in + bom, len - bom);
	if (good < len)
		return csv_problem_set(why, RH_ERR_FIELD_INVALID, line_at(in, len, good), 0,
			       "不是有效的 UTF-8 文本（文件可能是 GBK 编码）", "not valid UTF-8 text (is the file GBK?)");
	*out = in + bom;
	*out_len = len - bom;
	return RH_OK;
}

/* ---- records ---- */

struct parse_state {
	const char *text;
	size_t len;
	size_t max_field;
	long line;		/* the line being fed to libcsv */
	long rec_line;		/* where the pending record began; 0: none pending */
	size_t rec_start;	/* its offset in text */
	long field_line;	/* where the field libcsv is reading began */
	int row_ended;		/* libcsv ended a row (or an empty one) during this line */
	int has_text;		/* some field of the pending record is not empty */
	struct buf bytes;	/* the pending record's fields, each NUL-terminated */
	struct buf requoted;	/* a line with its stray quotes quoted (requote) */
	size_t *offs;		/* where each field starts in bytes */
	const char **ptrs;	/* the same as pointers, built for the callback */
	size_t n, cap;
	size_t past;		/* fields after the CSV_MAX_FIELDS-th, dropped */
	size_t overflow;	/* the first of them with a value (csv_record.overflow) */
	enum rh_err err;	/* a callback failed: stop */
	struct csv_problem *why;
};

static size_t chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static int add_field(struct parse_state *p, const char *s, size_t len)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		size_t *offs = realloc(p->offs, cap * sizeof *offs);
		if (!offs) return -1;
		p->offs = offs;
		const char **ptrs = realloc(p->ptrs, cap * sizeof *ptrs);
		if (!ptrs) return -1;
		p->ptrs = ptrs;
		p->cap = cap;
	}
	p->offs[p->n] = p->bytes.len;
	if (buf_append(&p->bytes, s, len) || buf_append(&p->bytes, "", 1)) return -1;
	p->n++;
	return 0;
}

static void on_field(void *s, size_t len, void *arg)
{
	struct parse_state *p = arg;
	if (p->err) return;
	long began = p->field_line;
	p->field_line = p->line;	/* the next field starts after this comma, on this line */
	if (p->max_field && chars(s, len) > p->max_field) {
		char zh[64], en[64];
		snprintf(zh, sizeof zh, "内容超过 %zu 个字符", p->max_field);
		snprintf(en, sizeof en, "longer than %zu characters", p->max_field);
		p->err = csv_problem_set(p->why, RH_ERR_FIELD_TOO_LONG, began, p->n + 1, zh, en);
		return;
	}
	if (p->n >= CSV_MAX_FIELDS) {	/* not kept: trailing commas count for nothing, a value refuses its row */
		const char *c = s;
		size_t blank = 0;	/* spaces alone are as empty as nothing */
		while (blank < len && (c[blank] == ' ' || c[blank] == '\t')) blank++;
		if (blank < len) {
			p->has_text = 1;
			if (!p->overflow) p->overflow = CSV_MAX_FIELDS + p->past + 1;
		}
		p->past++;
		return;
	}
	if (len) p->has_text = 1;
	if (add_field(p, s, len)) p->err = csv_problem_set(p->why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
}

static void on_row(int c, void *arg)
{
	struct parse_state *p = arg;
	p->row_ended = 1;
}

static void start_record(struct parse_state *p, size_t at)
{
	p->rec_line = p->field_line = p->line;
	p->rec_start = at;
	p->n = p->past = p->overflow = 0;
	p->has_text = 0;
	buf_reset(&p->bytes);
}

/* Hands the finished record, ending at byte end of the text, to fn;
 * a row of empty fields (Excel's ",,," for a blank table row) counts as
 * an empty line. Returns fn's answer. */
static int emit(struct parse_state *p, size_t end, int (*fn)(const struct csv_record *, void *), void *arg)
{
	long line = p->rec_line;
	p->rec_line = 0;
	if (!p->has_text) return 0;
	if (!p->n && add_field(p, "", 0)) {	/* its one value past the limit: a record of one empty field */
		p->err = csv_problem_set(p->why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
		return 1;
	}
	for (size_t i = 0; i < p->n; i++) p->ptrs[i] = p->bytes.data + p->offs[i];
	struct csv_record rec = {
		.fields = p->ptrs, .n = p->n, .line = line, .last_line = p->line,
		.raw = p->text + p->rec_start, .raw_len = end - p->rec_start, .at = p->rec_start, .total = p->len,
		.overflow = p->overflow,
	};
	return fn(&rec, arg);
}

/* Where the line starting at off ends: *content is the end of its text,
 * the return value the start of the next line. */
static size_t line_end(const char *text, size_t len, size_t off, size_t *content)
{
	size_t i = off;
	while (i < len && text[i] != '\n' && text[i] != '\r') i++;
	*content = i;
	if (i < len && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n') return i + 2;
	return i < len ? i + 1 : i;
}

static enum rh_err parse_error(struct parse_state *p, struct csv_parser *csv)
{
	if (csv_error(csv) == CSV_EPARSE)
		return csv_problem_set(p->why, RH_ERR_FIELD_INVALID, p->line, 0,
			       "引号位置不对（字段内的引号要写成两个 \"\"，并把整个字段用引号括起来）",
			       "misplaced quote (inside a field write it twice, \"\", and quote the whole field)");
	return csv_problem_set(p->why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
}

/* The end of the field that starts at i of line[0..n): a quoted one's
 * closing quote and what follows it to the comma, or n when it is still
 * open at the line's end (its record goes on). */
static size_t field_end(const char *line, size_t n, size_t i, int *quoted, int *stray)
{
	while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
	*quoted = i < n && line[i] == '"';
	*stray = 0;
	if (!*quoted) {
		size_t e = i;
		while (e < n && line[e] != ',') *stray |= line[e++] == '"';
		return e;
	}
	for (i++; i < n; i++)
		if (line[i] == '"' && !(i + 1 < n && line[i + 1] == '"')) break;
		else if (line[i] == '"') i++;
	if (i >= n) return n;
	while (i < n && line[i] != ',') i++;	/* "abc"def: left for libcsv to refuse */
	return i;
}

/* A line that begins a record, with each unquoted field holding a quote
 * (住户称"不在家", as other systems write a note) quoted, its quotes
 * doubled: read as Excel reads it, the quote part of the text, instead of
 * the whole file refused for a misplaced quote (found in review). NULL
 * when the line has none, or memory ran out (libcsv then says what it
 * says); else the line to feed, in p->requoted. */
static const char *requote(struct parse_state *p, const char *line, size_t content, size_t whole, size_t *out_len)
{
	if (!memchr(line, '"', content)) return NULL;
	int any = 0, quoted, stray;
	for (size_t i = 0; i <= content && !any;) {
		i = field_end(line, content, i, &quoted, &stray) + 1;
		any = stray;
	}
	if (!any) return NULL;
	struct buf *b = &p->requoted;
	buf_reset(b);
	int bad = 0;
	for (size_t i = 0; i <= content && !bad;) {
		size_t e = field_end(line, content, i, &quoted, &stray);
		if (stray) {
			bad |= buf_putc(b, '"');
			for (size_t k = i; k < e && !bad; k++) bad |= (line[k] == '"' && buf_putc(b, '"')) || buf_putc(b, line[k]);
			bad |= buf_putc(b, '"');
		} else {
			bad |= buf_append(b, line + i, e - i);
		}
		if (e < content) bad |= buf_putc(b, ',');
		i = e + 1;
	}
	if (bad || buf_append(b, line + content, whole - content)) return NULL;
	*out_len = b->len;
	return b->data;
}

/* Feeds text to libcsv line by line; 1 when fn asked to stop. */
static int feed(struct parse_state *p, struct csv_parser *csv, size_t len,
		int (*fn)(const struct csv_record *, void *), void *arg)
{
	for (size_t off = 0; off < len && !p->err;) {
		size_t content, next = line_end(p->text, len, off, &content);
		p->line++;
		if (memchr(p->text + off, '\0', content - off)) {
			p->err = csv_problem_set(p->why, RH_ERR_FIELD_INVALID, p->line, 0, "含有空字符（NUL）", "holds a NUL byte");
			break;
		}
		const char *line = p->text + off;
		size_t line_len = next - off;
		if (!p->rec_line) {
			start_record(p, off);
			const char *q = requote(p, line, content - off, line_len, &line_len);
			if (q) line = q;
			else line_len = next - off;
		}
		p->row_ended = 0;
		if (csv_parse(csv, line, line_len, on_field, on_row, p) != line_len) {
			if (!p->err) p->err = parse_error(p, csv);
			break;
		}
		if (!p->err && p->row_ended && emit(p, content, fn, arg)) return 1;
		off = next;
	}
	return 0;
}

/* The end of the text: a last line without a line break ends its record
 * here, a quoted field still open means the file was cut off. */
static void finish(struct parse_state *p, struct csv_parser *csv, size_t len,
		   int (*fn)(const struct csv_record *, void *), void *arg)
{
	p->row_ended = 0;
	if (csv_fini(csv, on_field, on_row, p) != 0) {
		p->err = csv_problem_set(p->why, RH_ERR_FIELD_INVALID, p->field_line, 0, "引号未闭合（文件可能被截断）",
				 "quoted field not closed (file cut off?)");
		return;
	}
	if (!p->err && p->row_ended && p->rec_line) emit(p, len, fn, arg);
}

enum rh_err csv_records(const char *text, size_t len, size_t max_field,
			int (*fn)(const struct csv_record *rec, void *arg), void *arg, struct csv_problem *why)
{
	struct csv_problem scratch;
	if (!why) why = &scratch;
	no_problem(why);
	struct parse_state p = { .text = text, .len = len, .max_field = max_field, .why = why };
	buf_init(&p.bytes, SIZE_MAX / 4);
	buf_init(&p.requoted, SIZE_MAX / 4);
	struct csv_parser csv;
	if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
		return csv_problem_set(why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
	if (!feed(&p, &csv, len, fn, arg) && !p.err) finish(&p, &csv, len, fn, arg);
	csv_free(&csv);
	buf_release(&p.bytes);
	buf_release(&p.requoted);
	free(p.offs);
	free(p.ptrs);
	return p.err;
}

/* ---- header rows ---- */

#define HEADER_NAME_MAX 192	/* bytes of a folded header name; longer ones match nothing */

/* The ASCII character the text at s stands for in a header name, or 0
 * if it is not one; *n is the bytes it takes. Full-width forms
 * (U+FF01–FF5E) fold to ASCII, the ideographic space (U+3000) and a
 * stray BOM (U+FEFF) to a space. s is NUL-terminated, so the && chains
 * never read past its end. */
static int fold_char(const unsigned char *s, size_t *n)
{
	*n = 1;
	if (s[0] < 0x80) return s[0];
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return *n = 3, ' ';
	if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) return *n = 3, ' ';
	if (s[0] == 0xEF && (s[1] == 0xBC || s[1] == 0xBD) && (s[2] & 0xC0) == 0x80) {
		unsigned cp = 0xF000u | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3Fu);
		if (cp >= 0xFF01 && cp <= 0xFF5E) return *n = 3, (int)(cp - 0xFEE0);
	}
	return 0;
}

/* Drops what decorates a name: a trailing "(…)" note, "*" marks for a
 * required column, spaces. "户号（必填）" → "户号", "*姓名" → "姓名". */
static size_t strip_notes(char *s, size_t n)
{
	for (;;) {
		while (n && s[n - 1] == ' ') n--;
		if (n && s[n - 1] == '*') { n--; continue; }
		if (!n || s[n - 1] != ')') break;
		size_t i = n - 1;
		int depth = 0;
		do {
			if (s[i] == ')') depth++;
			else if (s[i] == '(') depth--;
		} while (depth > 0 && i-- > 0);
		if (depth != 0 || i == 0) break;	/* unbalanced, or the note is the whole name */
		n = i;
	}
	size_t lead = 0;
	while (lead < n && (s[lead] == '*' || s[lead] == ' ')) lead++;
	memmove(s, s + lead, n - lead);
	n -= lead;
	s[n] = '\0';
	return n;
}

/* Folds a header name for comparison: full-width to ASCII, ASCII to
 * lower case, '_' '-' and runs of spaces to one space, notes dropped.
 * Returns its length, or (size_t)-1 when it does not fit in out. */
static size_t fold_name(const char *name, char *out, size_t cap)
{
	size_t o = 0, n;
	for (const unsigned char *s = (const unsigned char *)name; *s; s += n) {
		int c = fold_char(s, &n);
		if (!c) c = *s;	/* other text is kept byte for byte */
		else if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
		else if (c == '_' || c == '-' || c < 0x20) c = ' ';
		if (c == ' ' && (o == 0 || out[o - 1] == ' ')) continue;
		/* A space between two Chinese characters pads a form's label to
		 * the width of the others (姓　　名, 户  号): not part of it. */
		if (c >= 0x80 && o >= 2 && out[o - 1] == ' ' && (unsigned char)out[o - 2] >= 0x80) o--;
		if (o + 1 >= cap) return (size_t)-1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return strip_notes(out, o);
}

/* Whether a header cell (already folded) names a column nobody reads: a
 * sheet's running number, a column most Chinese 台账 begin with (序号,
 * No., #), or the reasons column of a reject file (错误 error), which a
 * user corrects and sends back. */
static int unread_name(const char *cell)
{
	static const char *const names[] = { "序号", "序", "行号", "no", "no.", "#", "错误 error", "错误", "error", NULL };
	for (const char *const *n = names; *n; n++)
		if (strcmp(cell, *n) == 0) return 1;
	return 0;
}

/* The column in cols whose names include cell (already folded), or -1. */
static int find_column(const char *cell, const struct csv_column *cols, size_t ncols)
{
	char name[HEADER_NAME_MAX];
	for (size_t c = 0; c < ncols; c++)
		for (const char *const *nm = cols[c].names; nm && *nm; nm++)
			if (fold_name(*nm, name, sizeof name) != (size_t)-1 && strcmp(name, cell) == 0) return (int)c;
	return -1;
}

/* A header cell as quoted in a message: cut to about 45 bytes on a
 * character boundary, control characters (a quoted line break) as spaces. */
static void cell_text(const char *s, char *out, size_t cap)
{
	size_t o = 0, limit = cap - 4 < 45 ? cap - 4 : 45;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (o >= limit && ((*p & 0xC0) != 0x80 || o + 4 >= cap)) {
			memcpy(out + o, "…", 3);
			o += 3;
			break;
		}
		out[o++] = *p < 0x20 ? ' ' : (char)*p;
	}
	out[o] = '\0';
}

void csv_cell_text(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s);
	const char *t = text_trim(s, &n);
	char cell[256];
	snprintf(cell, sizeof cell, "%.*s", (int)(n < sizeof cell - 1 ? n : sizeof cell - 1), t);
	cell_text(cell, out, cap);
}

static enum rh_err unknown_header(const struct csv_record *h, size_t i, struct csv_problem *why)
{
	char cell[64], zh[96], en[96];
	cell_text(h->fields[i], cell, sizeof cell);
	snprintf(zh, sizeof zh, "表头“%s”无法识别", cell);
	snprintf(en, sizeof en, "unknown header \"%s\"", cell);
	return csv_problem_set(why, RH_ERR_FIELD_UNKNOWN, h->line, i + 1, zh, en);
}

static enum rh_err repeated_header(const struct csv_record *h, size_t i, size_t first, struct csv_problem *why)
{
	char cell[64], other[64], zh[200], en[200];
	cell_text(h->fields[i], cell, sizeof cell);
	cell_text(h->fields[first], other, sizeof other);	/* spelled otherwise, or a second phone there */
	snprintf(zh, sizeof zh, "表头“%s”与第 %zu 列“%s”重复", cell, first + 1, other);
	snprintf(en, sizeof en, "header \"%s\" repeats column %zu (\"%s\")", cell, first + 1, other);
	return csv_problem_set(why, RH_ERR_FIELD_INVALID, h->line, i + 1, zh, en);
}

static enum rh_err missing_column(const struct csv_record *h, const struct csv_column *col, struct csv_problem *why)
{
	const char *name = col->names && col->names[0] ? col->names[0] : col->key;
	char cell[64], zh[128], en[128];
	cell_text(name, cell, sizeof cell);
	snprintf(zh, sizeof zh, "缺少必需的列“%s”", cell);
	snprintf(en, sizeof en, "missing required column \"%s\"", cell);
	return csv_problem_set(why, RH_ERR_FIELD_REQUIRED, h->line, 0, zh, en);
}

/* The first cell before i mapped to column c, or (size_t)-1. */
static size_t mapped_before(const int *map, size_t i, int c)
{
	for (size_t j = 0; j < i; j++)
		if (map[j] == c) return j;
	return (size_t)-1;
}

enum rh_err csv_map_header(const struct csv_record *header, const struct csv_column *cols, size_t ncols,
			   int *map, struct csv_problem *why)
{
	struct csv_problem scratch;
	if (!why) why = &scratch;
	no_problem(why);
	char cell[HEADER_NAME_MAX];
	for (size_t i = 0; i < header->n; i++) {
		size_t n = fold_name(header->fields[i], cell, sizeof cell);
		if (n == 0) {
			map[i] = CSV_UNNAMED;
			continue;
		}
		if (unread_name(cell)) {
			map[i] = CSV_ROW_NUMBER;
			continue;
		}
		map[i] = n == (size_t)-1 ? -1 : find_column(cell, cols, ncols);
		if (map[i] < 0) return unknown_header(header, i, why);
		size_t first = mapped_before(map, i, map[i]);
		int spill = cols[map[i]].spill - 1;
		if (first != (size_t)-1 && spill >= 0 && mapped_before(map, i, spill) == (size_t)-1) {
			map[i] = spill;
			first = (size_t)-1;
		}
		if (first != (size_t)-1) return repeated_header(header, i, first, why);
	}
	for (size_t c = 0; c < ncols; c++)
		if (cols[c].required && mapped_before(map, header->n, (int)c) == (size_t)-1)
			return missing_column(header, &cols[c], why);
	return RH_OK;
}
