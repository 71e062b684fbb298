/*
 * xlsxin.c — the first sheet of an .xlsx workbook as CSV-like records
 * (see xlsxin.h).
 *
 * Four XML parts are read, each inflated by zlib straight into an expat
 * parser (no part is held whole): xl/workbook.xml names the first sheet
 * and the date system, its relationships (xl/_rels/workbook.xml.rels)
 * where that sheet is, xl/styles.xml which cell styles show dates, and
 * xl/sharedStrings.xml the texts the cells point at. Then the sheet
 * itself, a row at a time. The zip archive is read from its central
 * directory; only what an .xlsx needs (stored or deflated parts, no
 * ZIP64, no encryption) is taken, and everything else is refused with a
 * reason rather than guessed at.
 */
#include <expat.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include "base/buf.h"
#include "core/date.h"
#include "core/validate.h"
#include "core/xlsxin.h"

#define PART_MAX ((size_t)1 << 31)	/* bytes a part may inflate to: a zip bomb ends here */
#define STRINGS_MAX ((size_t)512 << 20)	/* bytes of shared strings held */
#define CELL_MAX ((size_t)32 << 20)	/* bytes of one cell, whatever max_field */
#define NS_SEP '\x01'			/* between an XML name's namespace and its local name */

static enum rh_err damaged(struct csv_problem *why, const char *zh, const char *en)
{
	char z[160], e[160];
	snprintf(z, sizeof z, "不是可读的 .xlsx 文件：%s", zh);
	snprintf(e, sizeof e, "not a readable .xlsx file: %s", en);
	return csv_problem_set(why, RH_ERR_FIELD_INVALID, 0, 0, z, e);
}

int xlsx_is_zip(const char *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

/* ---- the zip archive ---- */

struct zip {
	const unsigned char *p;
	size_t len;
	size_t cd, cd_end;	/* the central directory */
};

struct zip_entry {
	unsigned method, flags;
	uint32_t crc;
	size_t csize, usize, local;
};

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Finds the central directory from the end record, which may be
 * followed by a comment of up to 65,535 bytes. */
static int zip_open(struct zip *z, const char *data, size_t len)
{
	z->p = (const unsigned char *)data;
	z->len = len;
	if (len < 22) return -1;
	size_t stop = len - 22 > 65535 ? len - 22 - 65535 : 0;
	for (size_t i = len - 22;; i--) {
		if (u32(z->p + i) == 0x06054b50) {
			size_t size = u32(z->p + i + 12), off = u32(z->p + i + 16);
			if (off > i || size > i - off) return -1;
			z->cd = off;
			z->cd_end = off + size;
			return 0;
		}
		if (i == stop) return -1;
	}
}

/* The entry named name; part names are case-insensitive in an .xlsx. */
static int zip_find(const struct zip *z, const char *name, struct zip_entry *e)
{
	size_t n = strlen(name);
	for (size_t at = z->cd; z->cd_end - at >= 46;) {
		const unsigned char *h = z->p + at;
		if (u32(h) != 0x02014b50) return -1;
		size_t nl = u16(h + 28), el = u16(h + 30), cl = u16(h + 32);
		if (nl > z->cd_end - at - 46) return -1;
		if (nl == n && strncasecmp((const char *)h + 46, name, n) == 0) {
			e->flags = u16(h + 8);
			e->method = u16(h + 10);
			e->crc = u32(h + 16);
			e->csize = u32(h + 20);
			e->usize = u32(h + 24);
			e->local = u32(h + 42);
			return 0;
		}
		if (el + cl > z->cd_end - at - 46 - nl) return -1;
		at += 46 + nl + el + cl;
	}
	return -1;
}

/* ---- XML parts ---- */

/* What the handlers of every part share: the parser, and how it ended. */
struct part {
	XML_Parser xp;
	struct csv_problem *why;
	enum rh_err err;	/* set by a handler that stopped the parser */
	int stopped;		/* the caller's fn asked to stop */
	size_t in_done, in_total;	/* compressed bytes of the part read so far, of all */
};

static void part_fail(struct part *p, enum rh_err err)
{
	if (p->err == RH_OK) p->err = err;
	XML_StopParser(p->xp, XML_FALSE);
}

static const char *local(const char *name)
{
	const char *s = strrchr(name, NS_SEP);
	return s ? s + 1 : name;
}

/* An attribute by local name; ns: 1 to want one in a namespace (r:id),
 * 0 one in none. */
static const char *attr(const char **atts, const char *name, int ns)
{
	for (int i = 0; atts[i]; i += 2)
		if ((strchr(atts[i], NS_SEP) != NULL) == ns && strcmp(local(atts[i]), name) == 0) return atts[i + 1];
	return NULL;
}

/* Feeds part name (inflated) to p's parser, whose handlers are set. Not
 * there: RH_ERR_NOT_FOUND, nothing said. */
static enum rh_err parse_part(const struct zip *z, const char *name, struct part *p)
{
	struct zip_entry e;
	if (zip_find(z, name, &e) != 0) return RH_ERR_NOT_FOUND;
	char zh[120], en[120];
	snprintf(zh, sizeof zh, "%.80s 已损坏", name);
	snprintf(en, sizeof en, "%.80s is damaged", name);
	if (e.flags & 1) return damaged(p->why, "文件已加密（请另存为未加密的文件）", "the file is encrypted (save it unencrypted)");
	if (e.local > z->len || z->len - e.local < 30 || u32(z->p + e.local) != 0x04034b50) return damaged(p->why, zh, en);
	size_t start = e.local + 30 + u16(z->p + e.local + 26) + u16(z->p + e.local + 28);
	if (start > z->len || e.csize > z->len - start) return damaged(p->why, zh, en);
	const unsigned char *src = z->p + start;
	if (e.method != 0 && e.method != 8) return damaged(p->why, "压缩方式不受支持", "an unsupported compression method");
	z_stream s;
	memset(&s, 0, sizeof s);
	if (e.method == 8 && inflateInit2(&s, -MAX_WBITS) != Z_OK) return csv_problem_set(p->why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
	s.next_in = (unsigned char *)src;
	s.avail_in = (uInt)e.csize;
	unsigned char out[65536];
	size_t total = 0;
	uLong crc = crc32(0L, Z_NULL, 0);
	p->in_total = e.csize;
	int end = 0;
	enum rh_err rc = RH_OK;
	while (!end && rc == RH_OK) {
		const unsigned char *chunk;
		size_t got;
		if (e.method == 0) {
			got = e.csize - total < sizeof out ? e.csize - total : sizeof out;
			chunk = src + total;
			end = total + got == e.csize;
		} else {
			s.next_out = out;
			s.avail_out = sizeof out;
			int zr = inflate(&s, Z_NO_FLUSH);
			if (zr == Z_STREAM_END) end = 1;
			else if (zr != Z_OK) {
				rc = damaged(p->why, zh, en);
				break;
			}
			chunk = out;
			got = sizeof out - s.avail_out;
		}
		total += got;
		crc = crc32(crc, chunk, (uInt)got);
		p->in_done = e.method == 0 ? total : e.csize - s.avail_in;
		if (total > PART_MAX) {
			rc = damaged(p->why, "解压后过大", "too large once inflated");
			break;
		}
		if (XML_Parse(p->xp, (const char *)chunk, (int)got, end) == XML_STATUS_ERROR) {
			if (p->err != RH_OK || p->stopped) rc = p->err;
			else rc = damaged(p->why, zh, en);
			break;
		}
	}
	if (e.method == 8) inflateEnd(&s);
	if (rc == RH_OK && !p->stopped && (crc != e.crc || total != e.usize)) rc = damaged(p->why, zh, en);
	return rc;
}

static XML_Parser new_parser(struct part *p, XML_StartElementHandler start, XML_EndElementHandler end,
			     XML_CharacterDataHandler text)
{
	p->xp = XML_ParserCreateNS("UTF-8", NS_SEP);
	if (!p->xp) return NULL;
	XML_SetUserData(p->xp, p);
	XML_SetElementHandler(p->xp, start, end);
	if (text) XML_SetCharacterDataHandler(p->xp, text);
	return p->xp;
}

/* ---- the workbook: the first sheet, the date system ---- */

struct book {
	struct part part;	/* first: the handlers get a struct part * */
	char rid[64];		/* the first sheet's relationship */
	char target[256];	/* where it is, from the relationships */
	int date1904;
};

static void book_start(void *arg, const char *name, const char **atts)
{
	struct book *b = arg;
	const char *n = local(name), *v;
	if (strcmp(n, "sheet") == 0 && !b->rid[0] && (v = attr(atts, "id", 1))) snprintf(b->rid, sizeof b->rid, "%s", v);
	else if (strcmp(n, "workbookPr") == 0 && (v = attr(atts, "date1904", 0)))
		b->date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
}

static void rels_start(void *arg, const char *name, const char **atts)
{
	struct book *b = arg;
	const char *id = attr(atts, "Id", 0), *t = attr(atts, "Target", 0);
	if (strcmp(local(name), "Relationship") != 0 || !id || !t || strcmp(id, b->rid) != 0 || b->target[0]) return;
	/* relative to xl/, or absolute from the archive's root */
	if (t[0] == '/') snprintf(b->target, sizeof b->target, "%s", t + 1);
	else snprintf(b->target, sizeof b->target, "xl/%s", t);
}

static void no_end(void *arg, const char *name)
{
	(void)arg;
	(void)name;
}

/* ---- styles: which cell formats show dates ---- */

struct styles {
	struct part part;
	int in_xfs;			/* inside cellXfs (not cellStyleXfs) */
	unsigned char *xf_date;		/* per cell format: shows a date */
	size_t n_xf, cap_xf;
	unsigned *custom;		/* numFmtIds of custom date formats */
	size_t n_custom, cap_custom;
};

/* Excel's built-in date formats, with those of the Chinese locales
 * (27–31, 36, 50–54, 57, 58); times alone are left as numbers. */
static int builtin_date(unsigned id)
{
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
	       id == 57 || id == 58;
}

/* A custom format shows a date when it has a y or a d outside quotes,
 * brackets ([$-804], [Red]) and escapes. */
static int code_is_date(const char *code)
{
	int quoted = 0, bracket = 0;
	for (const char *c = code; *c; c++) {
		if (quoted) quoted = *c != '"';
		else if (bracket) bracket = *c != ']';
		else if (*c == '"') quoted = 1;
		else if (*c == '[') bracket = 1;
		else if (*c == '\\' && c[1]) c++;
		else if (*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D') return 1;
	}
	return 0;
}

static int push(void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n < *cap) return 0;
	size_t c = *cap ? *cap * 2 : 32;
	void *m = realloc(*v, c * size);
	if (!m) return -1;
	*v = m;
	*cap = c;
	return 0;
}

static void styles_start(void *arg, const char *name, const char **atts)
{
	struct styles *s = arg;
	const char *n = local(name), *v = attr(atts, "numFmtId", 0);
	if (strcmp(n, "cellXfs") == 0) s->in_xfs = 1;
	else if (strcmp(n, "numFmt") == 0 && v) {
		const char *code = attr(atts, "formatCode", 0);
		if (!code || !code_is_date(code)) return;
		if (push((void **)&s->custom, &s->n_custom, &s->cap_custom, sizeof *s->custom)) part_fail(&s->part, RH_ERR_NOMEM);
		else s->custom[s->n_custom++] = (unsigned)strtoul(v, NULL, 10);
	} else if (strcmp(n, "xf") == 0 && s->in_xfs) {
		unsigned id = v ? (unsigned)strtoul(v, NULL, 10) : 0;
		int date = builtin_date(id);
		for (size_t i = 0; !date && i < s->n_custom; i++) date = s->custom[i] == id;
		if (push((void **)&s->xf_date, &s->n_xf, &s->cap_xf, 1)) part_fail(&s->part, RH_ERR_NOMEM);
		else s->xf_date[s->n_xf++] = (unsigned char)date;
	}
}

static void styles_end(void *arg, const char *name)
{
	struct styles *s = arg;
	if (strcmp(local(name), "cellXfs") == 0) s->in_xfs = 0;
}

/* ---- shared strings ---- */

struct strings {
	struct part part;
	struct buf text;	/* every string, each NUL-terminated */
	size_t *off;		/* where each starts in text */
	size_t n, cap;
	int in_si, in_t, in_rph;	/* <si>, its <t>, a phonetic guide (<rPh>) whose text is not the cell's */
};

static void strings_start(void *arg, const char *name, const char **atts)
{
	struct strings *s = arg;
	(void)atts;
	const char *n = local(name);
	if (strcmp(n, "si") == 0) {
		s->in_si = 1;
		if (push((void **)&s->off, &s->n, &s->cap, sizeof *s->off)) part_fail(&s->part, RH_ERR_NOMEM);
		else s->off[s->n++] = s->text.len;
	} else if (strcmp(n, "rPh") == 0) s->in_rph = 1;
	else if (strcmp(n, "t") == 0 && s->in_si && !s->in_rph) s->in_t = 1;
}

static void strings_end(void *arg, const char *name)
{
	struct strings *s = arg;
	const char *n = local(name);
	if (strcmp(n, "t") == 0) s->in_t = 0;
	else if (strcmp(n, "rPh") == 0) s->in_rph = 0;
	else if (strcmp(n, "si") == 0 && s->in_si) {
		s->in_si = 0;
		if (buf_putc(&s->text, '\0')) part_fail(&s->part, RH_ERR_NOMEM);
	}
}

static void strings_text(void *arg, const char *text, int len)
{
	struct strings *s = arg;
	if (s->in_t && buf_append(&s->text, text, (size_t)len))
		part_fail(&s->part, s->text.len + (size_t)len > STRINGS_MAX ? RH_ERR_FIELD_TOO_LONG : RH_ERR_NOMEM);
}

/* ---- the sheet ---- */

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_TEXT, CT_BOOL, CT_DATE_ISO };

struct sheet {
	struct part part;
	const struct strings *strings;
	const struct styles *styles;
	int date1904;
	size_t max_field;
	int (*fn)(const struct csv_record *, void *);
	void *arg;
	long row;		/* the row being read (its r), 0 before the first */
	struct buf cells;	/* this row's cell texts, each NUL-terminated */
	size_t off[CSV_MAX_FIELDS];
	unsigned char has[CSV_MAX_FIELDS];
	size_t ncols;		/* 1 + the last column with a cell */
	size_t col;		/* the cell being read */
	enum cell_type type;
	int date;		/* its style shows a date */
	int in_c, in_v, in_is_t, in_rph;
	struct buf value;	/* its <v> or inline text */
	struct buf raw;		/* the row as a CSV line */
	const char *ptrs[CSV_MAX_FIELDS];
};

/* "BC12" -> column 54 (0-based); -1 when it names none. */
static long ref_column(const char *r)
{
	long c = 0;
	int any = 0;
	for (; *r >= 'A' && *r <= 'Z'; r++, any = 1) {
		c = c * 26 + (*r - 'A' + 1);
		if (c > 16384) return -1;	/* past Excel's last column (XFD) */
	}
	return any ? c - 1 : -1;
}

static void sheet_start(void *arg, const char *name, const char **atts)
{
	struct sheet *s = arg;
	const char *n = local(name), *v;
	if (strcmp(n, "row") == 0) {
		long r = (v = attr(atts, "r", 0)) ? strtol(v, NULL, 10) : 0;
		s->row = r > s->row ? r : s->row + 1;
		s->ncols = 0;
		s->col = 0;
		buf_reset(&s->cells);
		memset(s->has, 0, sizeof s->has);
	} else if (strcmp(n, "c") == 0) {
		long c = (v = attr(atts, "r", 0)) ? ref_column(v) : -1;
		size_t col = c >= 0 ? (size_t)c : s->ncols;
		if (col >= CSV_MAX_FIELDS) {
			csv_problem_set(s->part.why, RH_ERR_FIELD_INVALID, s->row, 0, "一行的列数过多", "too many columns in a row");
			part_fail(&s->part, RH_ERR_FIELD_INVALID);
			return;
		}
		s->col = col;
		const char *t = attr(atts, "t", 0);
		s->type = !t || strcmp(t, "n") == 0 ? CT_NUMBER
			  : strcmp(t, "s") == 0	  ? CT_SHARED
			  : strcmp(t, "inlineStr") == 0 ? CT_INLINE
			  : strcmp(t, "b") == 0	  ? CT_BOOL
			  : strcmp(t, "d") == 0	  ? CT_DATE_ISO
						  : CT_TEXT;	/* str (a formula's text), e (an error such as #N/A) */
		unsigned long xf = (v = attr(atts, "s", 0)) ? strtoul(v, NULL, 10) : 0;
		s->date = s->styles && xf < s->styles->n_xf && s->styles->xf_date[xf];
		s->in_c = 1;
		buf_reset(&s->value);
	} else if (s->in_c && strcmp(n, "v") == 0) s->in_v = 1;
	else if (s->in_c && strcmp(n, "rPh") == 0) s->in_rph = 1;
	else if (s->in_c && strcmp(n, "t") == 0 && s->type == CT_INLINE && !s->in_rph) s->in_is_t = 1;
}

static void sheet_text(void *arg, const char *text, int len)
{
	struct sheet *s = arg;
	if (!(s->in_v || s->in_is_t)) return;
	if (s->value.len + (size_t)len > CELL_MAX || buf_append(&s->value, text, (size_t)len)) {
		csv_problem_set(s->part.why, RH_ERR_FIELD_TOO_LONG, s->row, s->col + 1, "内容过长", "too long");
		part_fail(&s->part, RH_ERR_FIELD_TOO_LONG);
	}
}

/* A date serial (days since 1899-12-30, or since 1904-01-01) as YYYY-MM-DD
 * into out; 0 when v is not one. */
static int serial_date(const char *v, int date1904, char out[11])
{
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || !isfinite(d) || d < 1 || d > 2958465) return 0;	/* 1900-01-01 … 9999-12-31 */
	long days = (long)floor(d);
	/* Excel's 1900 system counts a 29 February 1900 that never was. */
	rh_day base = date1904 ? date_from_ymd(1904, 1, 1) : date_from_ymd(1899, 12, days < 60 ? 31 : 30);
	date_format(base + (rh_day)days, out);
	return 1;
}

/* The finished cell's text, as Excel shows it, into the row. */
static void end_cell(struct sheet *s)
{
	s->in_c = s->in_v = s->in_is_t = s->in_rph = 0;
	const char *v = buf_str(&s->value);
	char date[11];
	if (!v[0]) return;	/* a cell with a style and no value: empty */
	if (s->type == CT_SHARED) {
		char *end;
		unsigned long i = strtoul(v, &end, 10);
		if (end == v || *end || !s->strings || i >= s->strings->n) {
			csv_problem_set(s->part.why, RH_ERR_FIELD_INVALID, s->row, s->col + 1, "指向不存在的共享文本",
				"points at a shared string that does not exist");
			part_fail(&s->part, RH_ERR_FIELD_INVALID);
			return;
		}
		v = s->strings->text.data + s->strings->off[i];
	} else if (s->type == CT_NUMBER && s->date && serial_date(v, s->date1904, date)) v = date;
	else if (s->type == CT_DATE_ISO && strlen(v) > 10 && v[10] == 'T') {
		snprintf(date, sizeof date, "%.10s", v);
		v = date;
	}
	size_t len = strlen(v);
	if (s->max_field && utf8_length(v) > s->max_field) {
		char zh[64], en[64];
		snprintf(zh, sizeof zh, "内容超过 %zu 个字符", s->max_field);
		snprintf(en, sizeof en, "longer than %zu characters", s->max_field);
		csv_problem_set(s->part.why, RH_ERR_FIELD_TOO_LONG, s->row, s->col + 1, zh, en);
		part_fail(&s->part, RH_ERR_FIELD_TOO_LONG);
		return;
	}
	s->off[s->col] = s->cells.len;
	s->has[s->col] = 1;
	if (s->col + 1 > s->ncols) s->ncols = s->col + 1;
	if (buf_append(&s->cells, v, len + 1)) part_fail(&s->part, RH_ERR_NOMEM);
}

static int put_csv_field(struct buf *b, const char *f)
{
	if (!f[strcspn(f, ",\"\r\n")] && f[0] != ' ' && (!f[0] || f[strlen(f) - 1] != ' ')) return buf_puts(b, f);
	if (buf_putc(b, '"')) return -1;
	for (; *f; f++)
		if ((*f == '"' && buf_putc(b, '"')) || buf_putc(b, *f)) return -1;
	return buf_putc(b, '"');
}

/* The finished row to the caller, unless all its cells are empty. */
static void end_row(struct sheet *s)
{
	int any = 0;
	for (size_t i = 0; i < s->ncols; i++) {
		s->ptrs[i] = s->has[i] ? s->cells.data + s->off[i] : "";
		any |= s->ptrs[i][0] != '\0';
	}
	if (!any) return;
	buf_reset(&s->raw);
	for (size_t i = 0; i < s->ncols; i++)
		if ((i && buf_putc(&s->raw, ',')) || put_csv_field(&s->raw, s->ptrs[i])) {
			part_fail(&s->part, RH_ERR_NOMEM);
			return;
		}
	struct csv_record rec = {
		.fields = s->ptrs, .n = s->ncols, .line = s->row, .last_line = s->row,
		.raw = buf_str(&s->raw), .raw_len = s->raw.len,
		.at = s->part.in_done, .total = s->part.in_total,
	};
	if (s->fn(&rec, s->arg)) {
		s->part.stopped = 1;
		XML_StopParser(s->part.xp, XML_FALSE);
	}
}

static void sheet_end(void *arg, const char *name)
{
	struct sheet *s = arg;
	const char *n = local(name);
	if (strcmp(n, "c") == 0 && s->in_c) end_cell(s);
	else if (strcmp(n, "v") == 0) s->in_v = 0;
	else if (strcmp(n, "t") == 0) s->in_is_t = 0;
	else if (strcmp(n, "rPh") == 0) s->in_rph = 0;
	else if (strcmp(n, "row") == 0) end_row(s);
}

/* ---- the whole ---- */

enum rh_err xlsx_records(const char *data, size_t len, size_t max_field,
			 int (*fn)(const struct csv_record *rec, void *arg), void *arg, struct csv_problem *why)
{
	struct csv_problem spare;
	if (!why) why = &spare;
	memset(why, 0, sizeof *why);
	struct zip z;
	if (!xlsx_is_zip(data, len) || zip_open(&z, data, len) != 0)
		return damaged(why, "不是完整的 zip 压缩包（文件可能被截断）", "not a whole zip archive (the file may be cut short)");

	enum rh_err rc;
	struct book b = { .part = { .why = why } };
	if (!new_parser(&b.part, book_start, no_end, NULL)) return csv_problem_set(why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
	rc = parse_part(&z, "xl/workbook.xml", &b.part);
	XML_ParserFree(b.part.xp);
	if (rc == RH_ERR_NOT_FOUND || (rc == RH_OK && !b.rid[0]))
		return damaged(why, "没有工作簿（xl/workbook.xml）或其中没有工作表", "no workbook (xl/workbook.xml), or no sheet in it");
	if (rc != RH_OK) return rc;
	if (!new_parser(&b.part, rels_start, no_end, NULL)) return csv_problem_set(why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
	rc = parse_part(&z, "xl/_rels/workbook.xml.rels", &b.part);
	XML_ParserFree(b.part.xp);
	if (rc == RH_ERR_NOT_FOUND || (rc == RH_OK && !b.target[0]))
		return damaged(why, "找不到第一个工作表", "the first sheet cannot be found");
	if (rc != RH_OK) return rc;

	struct styles st = { .part = { .why = why } };
	struct strings ss = { .part = { .why = why }, .text = BUF_INIT(STRINGS_MAX) };
	struct sheet sh = { .part = { .why = why }, .strings = &ss, .styles = &st, .date1904 = b.date1904,
			    .max_field = max_field, .fn = fn, .arg = arg, .cells = BUF_INIT(SIZE_MAX),
			    .value = BUF_INIT(SIZE_MAX), .raw = BUF_INIT(SIZE_MAX) };
	if (!new_parser(&st.part, styles_start, styles_end, NULL)) return csv_problem_set(why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
	rc = parse_part(&z, "xl/styles.xml", &st.part);	/* optional: without it no cell shows a date */
	XML_ParserFree(st.part.xp);
	if (rc == RH_ERR_NOT_FOUND) rc = RH_OK;
	if (rc == RH_OK) {
		if (!new_parser(&ss.part, strings_start, strings_end, strings_text)) rc = RH_ERR_NOMEM;
		else {
			rc = parse_part(&z, "xl/sharedStrings.xml", &ss.part);	/* optional: inline strings only */
			XML_ParserFree(ss.part.xp);
			if (rc == RH_ERR_NOT_FOUND) rc = RH_OK;
		}
	}
	if (rc == RH_OK) {
		if (!new_parser(&sh.part, sheet_start, sheet_end, sheet_text)) rc = RH_ERR_NOMEM;
		else {
			rc = parse_part(&z, b.target, &sh.part);
			XML_ParserFree(sh.part.xp);
			if (rc == RH_ERR_NOT_FOUND) rc = damaged(why, "第一个工作表不在文件中", "the first sheet is missing from the file");
		}
	}
	if (rc == RH_ERR_NOMEM) csv_problem_set(why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
	free(st.xf_date);
	free(st.custom);
	free(ss.off);
	buf_release(&ss.text);
	buf_release(&sh.cells);
	buf_release(&sh.value);
	buf_release(&sh.raw);
	if (rc == RH_OK) memset(why, 0, sizeof *why);
	return rc;
}
