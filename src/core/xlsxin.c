/*
 * xlsxin.c — the first sheet of an .xlsx workbook as CSV-like records
 * (see xlsxin.h).
 *
 * The XML parts are read each inflated by zlib straight into an expat
 * parser (no part is held whole). The package's relationships
 * (_rels/.rels) say where the workbook is (usually xl/workbook.xml); the
 * workbook names the first visible sheet and the date system; its own
 * relationships (xl/_rels/workbook.xml.rels) where that sheet, the styles
 * and the shared strings are (usually xl/styles.xml and
 * xl/sharedStrings.xml; the usual names stand for a relationship left
 * out). The styles say which cell formats show dates or pad with zeros,
 * the shared strings hold the texts the cells point at. Then the sheet
 * itself, a row at a time. The zip archive is read from its
 * central directory, checked whole first; only what an .xlsx needs
 * (stored or deflated parts, no ZIP64, no encryption, no DTD) is taken,
 * and everything else is refused with a reason rather than guessed at.
 * Every handler returns at once after a failure (expat calls some after
 * a stop), so the first failure is the one told.
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

/* What an upload may cost, whatever it claims: every part inflated
 * together at most 100 times the file (and 256 MB for a small one), the
 * shared strings held at most 256 MB with their index, a cell 32 MB;
 * Excel's own bounds for rows (1,048,576) and cell formats (65,536). */
#define INFLATE_FLOOR ((size_t)256 << 20)
#define INFLATE_RATIO 100
#define STRINGS_MAX ((size_t)256 << 20)
#define CELL_MAX ((size_t)32 << 20)
#define ROWS_MAX 1048576L
#define XF_MAX 65536
#define CUSTOM_MAX 4096		/* custom number formats kept (Excel allows a few hundred) */
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

int xlsx_is_legacy(const char *data, size_t len)
{
	return len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
}

/* ---- the zip archive ---- */

struct zip {
	const unsigned char *p;
	size_t len;
	size_t cd, cd_end;	/* the central directory */
	size_t budget;		/* bytes that may still be inflated */
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
			z->budget = len > INFLATE_FLOOR / INFLATE_RATIO ? len * INFLATE_RATIO : INFLATE_FLOOR;
			/* every entry whole, or the archive is damaged (an entry cut
			 * in the middle must not pass for "no styles") */
			size_t at = z->cd;
			while (z->cd_end - at >= 46) {
				const unsigned char *h = z->p + at;
				size_t rest = z->cd_end - at - 46;
				if (u32(h) != 0x02014b50) return -1;
				size_t nl = u16(h + 28), el = u16(h + 30), cl = u16(h + 32);
				if (nl + el + cl > rest) return -1;
				at += 46 + nl + el + cl;
			}
			return at == z->cd_end ? 0 : -1;
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
		at += 46 + nl + el + cl;	/* whole: zip_open walked the directory */
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

/* Stops the parse; the first failure is the one told (expat still calls
 * an end handler after a start handler stopped it: every handler checks
 * p->err first). */
static void part_fail(struct part *p, enum rh_err err, long line, size_t col, const char *zh, const char *en)
{
	if (p->err != RH_OK) return;
	p->err = err;
	csv_problem_set(p->why, err, line, col, zh, en);
	XML_StopParser(p->xp, XML_FALSE);
}

static void part_nomem(struct part *p)
{
	part_fail(p, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
}

/* A package holds no DTD; one here would only be there to expand
 * entities (expat still allows some hundredfold). */
static void no_doctype(void *arg, const char *name, const char *sysid, const char *pubid, int internal)
{
	(void)name, (void)sysid, (void)pubid, (void)internal;
	struct part *p = arg;
	part_fail(p, RH_ERR_FIELD_INVALID, 0, 0, "不是可读的 .xlsx 文件：其中含有 DTD", "not a readable .xlsx file: it holds a DTD");
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
static enum rh_err parse_part(struct zip *z, const char *name, struct part *p)
{
	struct zip_entry e;
	if (zip_find(z, name, &e) != 0) return RH_ERR_NOT_FOUND;
	char shown[80], zh[120], en[120];
	utf8_cut(name, shown, sizeof shown);	/* the sheet's name is the uploader's: whole characters only */
	snprintf(zh, sizeof zh, "%s 已损坏", shown);
	snprintf(en, sizeof en, "%s is damaged", shown);
	if (e.usize > z->budget) return damaged(p->why, "解压后过大", "too large once inflated");
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
		if (got > z->budget || total > e.usize) {	/* more than it said, or than is allowed */
			rc = damaged(p->why, "解压后过大", "too large once inflated");
			break;
		}
		z->budget -= got;
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

/* Parses part name with a parser of its own calling these handlers with
 * p (the first member of their struct). RH_ERR_NOT_FOUND, nothing said,
 * when the archive has no such part. */
static enum rh_err read_part(struct zip *z, const char *name, struct part *p, XML_StartElementHandler start,
			     XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	p->xp = XML_ParserCreateNS("UTF-8", NS_SEP);
	if (!p->xp) return csv_problem_set(p->why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
	XML_SetUserData(p->xp, p);
	XML_SetStartDoctypeDeclHandler(p->xp, no_doctype);
	XML_SetElementHandler(p->xp, start, end);
	if (text) XML_SetCharacterDataHandler(p->xp, text);
	enum rh_err rc = parse_part(z, name, p);
	XML_ParserFree(p->xp);
	p->xp = NULL;
	return rc;
}

/* ---- the workbook: the first visible sheet, the date system ---- */

#define PATH_MAX_XLSX 256

/* Where the parts are: found through the relationships, as Excel finds
 * them, with the usual names as the fallback of a package that leaves
 * one out. */
struct book {
	struct part part;	/* first: the handlers get a struct part * */
	char rid[64];		/* the first visible sheet's relationship */
	char dir[PATH_MAX_XLSX];	/* the workbook's folder ("xl/"): where its relationships start from */
	char workbook[PATH_MAX_XLSX], sheet[PATH_MAX_XLSX], styles[PATH_MAX_XLSX], strings[PATH_MAX_XLSX];
	int date1904;
};

/* out = a b; a name too long for out is left empty, and so not found
 * (cut, it might name another part). */
static void path_join(char *out, size_t cap, const char *a, const char *b)
{
	if (snprintf(out, cap, "%s%s", a, b) >= (int)cap) out[0] = '\0';
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A relationship's target as a name in the archive: a URI relative to
 * the folder dir ("worksheets/sheet1.xml", "../xl/…", "sheets/./a.xml"),
 * or from the archive's root ("/xl/worksheets/sheet1.xml"); its %XX
 * escapes decoded ("my%20sheet.xml"), "." and ".." segments taken as
 * folders are. A name too long for out is left empty. */
static void resolve(const char *dir, const char *t, char *out, size_t cap)
{
	char whole[2 * PATH_MAX_XLSX];
	path_join(whole, sizeof whole, t[0] == '/' ? "" : dir, t);
	size_t n = 0;
	for (const char *p = whole, *seg = whole; ; p++) {
		if (*p != '/' && *p) continue;
		size_t len = (size_t)(p - seg);
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {	/* one folder up: drop out's last one */
			if (n) n--;
			while (n && out[n - 1] != '/') n--;
		} else if (len && !(len == 1 && seg[0] == '.')) {	/* "" (from "//") and "." add nothing */
			for (size_t i = 0; i < len; i++) {
				int hi, lo;
				char c = seg[i];
				if (c == '%' && i + 2 < len && (hi = hex_digit(seg[i + 1])) >= 0 && (lo = hex_digit(seg[i + 2])) >= 0)
					c = (char)(hi * 16 + lo), i += 2;
				if (n + 2 >= cap) {
					out[0] = '\0';
					return;
				}
				out[n++] = c;
			}
			if (*p) out[n++] = '/';
		}
		if (!*p) break;
		seg = p + 1;
	}
	out[n] = '\0';
}

/* The type's last word: ".../relationships/styles" → "styles" (both the
 * transitional and the strict namespaces end so). */
static int rel_is(const char *type, const char *word)
{
	const char *slash = type ? strrchr(type, '/') : NULL;
	return slash && strcmp(slash + 1, word) == 0;
}

static void root_rels_start(void *arg, const char *name, const char **atts)
{
	struct book *b = arg;
	const char *t = attr(atts, "Target", 0), *mode = attr(atts, "TargetMode", 0);
	if (b->part.err || strcmp(local(name), "Relationship") != 0 || !t || (mode && strcmp(mode, "Internal") != 0) ||
	    !rel_is(attr(atts, "Type", 0), "officeDocument") || b->workbook[0])
		return;
	resolve("", t, b->workbook, sizeof b->workbook);
}

static void book_start(void *arg, const char *name, const char **atts)
{
	struct book *b = arg;
	const char *n = local(name), *v, *state;
	if (b->part.err) return;
	if (strcmp(n, "sheet") == 0 && !b->rid[0] && (v = attr(atts, "id", 1)) &&
	    !((state = attr(atts, "state", 0)) && strcasecmp(state, "visible") != 0))	/* hidden, veryHidden: not what the user sees */
		snprintf(b->rid, sizeof b->rid, "%s", v);
	else if (strcmp(n, "workbookPr") == 0 && (v = attr(atts, "date1904", 0)))
		b->date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
}

static void rels_start(void *arg, const char *name, const char **atts)
{
	struct book *b = arg;
	const char *id = attr(atts, "Id", 0), *t = attr(atts, "Target", 0), *type = attr(atts, "Type", 0);
	const char *mode = attr(atts, "TargetMode", 0);
	if (b->part.err || strcmp(local(name), "Relationship") != 0 || !t || (mode && strcmp(mode, "Internal") != 0))
		return;
	char *to = id && strcmp(id, b->rid) == 0 ? b->sheet : rel_is(type, "styles") ? b->styles
		 : rel_is(type, "sharedStrings") ? b->strings : NULL;
	if (to && !to[0]) resolve(b->dir, t, to, PATH_MAX_XLSX);
}

/* path itself, or — when the archive has no such part and path repeats
 * the folder ("xl/xl/worksheets/…") — path without the first: a target
 * written from the archive's root but without its slash, as some
 * exporters do. */
static const char *found_as(const struct zip *z, const char *dir, const char *path)
{
	struct zip_entry e;
	size_t n = strlen(dir);
	if (n && strncmp(path, dir, n) == 0 && strncmp(path + n, dir, n) == 0 && zip_find(z, path, &e) != 0) return path + n;
	return path;
}

static void no_end(void *arg, const char *name)
{
	(void)arg;
	(void)name;
}

/* ---- styles: which cell formats show dates, or pad with zeros ---- */

/* What a number format does to a number: nothing we follow, a date, or
 * leading zeros to a width ("000000": 1234 shows as 001234). */
struct numfmt {
	unsigned id;
	unsigned char date, zeros;
};

struct styles {
	struct part part;
	int in_xfs;			/* inside cellXfs (not cellStyleXfs) */
	struct numfmt *xf;		/* per cell format */
	size_t n_xf, cap_xf;
	struct numfmt *custom;		/* the custom formats that do something */
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
 * brackets ([$-804], [Red]) and escapes; it pads when it is only zeros. */
static struct numfmt code_effect(const char *code)
{
	struct numfmt f = { 0, 0, 0 };
	int quoted = 0, bracket = 0;
	size_t zeros = strspn(code, "0");
	if (zeros && !code[zeros] && zeros < 64) f.zeros = (unsigned char)zeros;
	for (const char *c = code; *c; c++) {
		if (quoted) quoted = *c != '"';
		else if (bracket) bracket = *c != ']';
		else if (*c == '"') quoted = 1;
		else if (*c == '[') bracket = 1;
		else if (*c == '\\' && c[1]) c++;
		else if (*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D') f.date = 1;
	}
	return f;
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

static int by_id(const void *a, const void *b)
{
	unsigned x = ((const struct numfmt *)a)->id, y = ((const struct numfmt *)b)->id;
	return (x > y) - (x < y);
}

static void styles_start(void *arg, const char *name, const char **atts)
{
	struct styles *s = arg;
	const char *n = local(name), *v = attr(atts, "numFmtId", 0);
	if (s->part.err) return;
	if (strcmp(n, "cellXfs") == 0) {
		s->in_xfs = 1;	/* numFmts come before: looked up by id from here on */
		if (s->n_custom) qsort(s->custom, s->n_custom, sizeof *s->custom, by_id);
	}
	else if (strcmp(n, "numFmt") == 0 && v) {
		const char *code = attr(atts, "formatCode", 0);
		struct numfmt f = code ? code_effect(code) : (struct numfmt){ 0, 0, 0 };
		if ((!f.date && !f.zeros) || s->n_custom >= CUSTOM_MAX) return;
		f.id = (unsigned)strtoul(v, NULL, 10);
		if (push((void **)&s->custom, &s->n_custom, &s->cap_custom, sizeof *s->custom)) part_nomem(&s->part);
		else s->custom[s->n_custom++] = f;
	} else if (strcmp(n, "xf") == 0 && s->in_xfs) {
		if (s->n_xf >= XF_MAX) {
			part_fail(&s->part, RH_ERR_FIELD_INVALID, 0, 0, "不是可读的 .xlsx 文件：单元格格式过多",
				  "not a readable .xlsx file: too many cell formats");
			return;
		}
		unsigned id = v ? (unsigned)strtoul(v, NULL, 10) : 0;
		struct numfmt f = { id, (unsigned char)builtin_date(id), 0 };
		const struct numfmt *c = s->n_custom ? bsearch(&f, s->custom, s->n_custom, sizeof *s->custom, by_id) : NULL;
		if (c) f = *c;
		if (push((void **)&s->xf, &s->n_xf, &s->cap_xf, sizeof *s->xf)) part_nomem(&s->part);
		else s->xf[s->n_xf++] = f;
	}
}

static void styles_end(void *arg, const char *name)
{
	struct styles *s = arg;
	if (strcmp(local(name), "cellXfs") == 0) s->in_xfs = 0;
}

/* ---- text as Excel stores it ---- */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Excel writes a character XML cannot hold (a carriage return, a
 * control character) as _xHHHH_, and a literal "_x" that would read so
 * as _x005F_x: both decoded in place, in s (len bytes); the new length. */
static size_t unescape(char *s, size_t len)
{
	size_t r = 0, w = 0;
	while (r < len) {
		int h0, h1, h2, h3;
		if (len - r >= 7 && s[r] == '_' && s[r + 1] == 'x' && s[r + 6] == '_' && (h0 = hexval(s[r + 2])) >= 0 &&
		    (h1 = hexval(s[r + 3])) >= 0 && (h2 = hexval(s[r + 4])) >= 0 && (h3 = hexval(s[r + 5])) >= 0) {
			unsigned c = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
			if (c == 0 || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;	/* no NUL, no half of a pair */
			if (c < 0x80) s[w++] = (char)c;
			else if (c < 0x800) {
				s[w++] = (char)(0xC0 | c >> 6);
				s[w++] = (char)(0x80 | (c & 0x3F));
			} else {
				s[w++] = (char)(0xE0 | c >> 12);
				s[w++] = (char)(0x80 | (c >> 6 & 0x3F));
				s[w++] = (char)(0x80 | (c & 0x3F));
			}
			r += 7;
		} else s[w++] = s[r++];
	}
	return w;
}

/* ---- shared strings ---- */

struct strings {
	struct part part;
	struct buf text;	/* every string, each NUL-terminated */
	size_t *off;		/* where each starts in text */
	size_t n, cap;
	size_t start;		/* where the string being read starts */
	int in_si, in_t, in_rph;	/* <si>, its <t>, a phonetic guide (<rPh>) whose text is not the cell's */
};

/* Whether more bytes of text (and strings more entries of the index)
 * fit in STRINGS_MAX; if not, the part fails saying so. */
static int strings_room(struct strings *s, size_t strings, size_t more)
{
	if ((s->n + strings) * sizeof *s->off + s->text.len + more <= STRINGS_MAX) return 1;
	part_fail(&s->part, RH_ERR_FIELD_TOO_LONG, 0, 0, "不是可读的 .xlsx 文件：共享文本过多",
		  "not a readable .xlsx file: too much shared text");
	return 0;
}

static void strings_start(void *arg, const char *name, const char **atts)
{
	struct strings *s = arg;
	(void)atts;
	const char *n = local(name);
	if (s->part.err) return;
	if (strcmp(n, "si") == 0) {
		s->in_si = 1;
		s->start = s->text.len;
		/* the index counts toward the limit as much as the text */
		if (!strings_room(s, 1, 0)) return;
		if (push((void **)&s->off, &s->n, &s->cap, sizeof *s->off)) part_nomem(&s->part);
		else s->off[s->n++] = s->text.len;
	} else if (strcmp(n, "rPh") == 0) s->in_rph = 1;
	else if (strcmp(n, "t") == 0 && s->in_si && !s->in_rph) s->in_t = 1;
}

static void strings_end(void *arg, const char *name)
{
	struct strings *s = arg;
	const char *n = local(name);
	if (s->part.err) return;
	if (strcmp(n, "t") == 0) s->in_t = 0;
	else if (strcmp(n, "rPh") == 0) s->in_rph = 0;
	else if (strcmp(n, "si") == 0 && s->in_si) {
		s->in_si = 0;
		s->text.len = s->start + unescape(s->text.data ? s->text.data + s->start : NULL, s->text.len - s->start);
		if (strings_room(s, 0, 1) && buf_putc(&s->text, '\0')) part_nomem(&s->part);
	}
}

static void strings_text(void *arg, const char *text, int len)
{
	struct strings *s = arg;
	if (s->part.err || !s->in_t) return;
	if (strings_room(s, 0, (size_t)len) && buf_append(&s->text, text, (size_t)len)) part_nomem(&s->part);
}

/* ---- the sheet ---- */

/* ---- merged cells ---- */

/* A merged range (小区 merged over the rows of its households, as 台账
 * often are): Excel keeps its value in the top-left cell only, and the
 * rows below would come out with the cell empty. A range over several
 * rows gives each of its columns' top value to the cells below it that
 * are empty, in rows that have a value of their own; a range within one
 * row (a title across the columns) gives nothing to its neighbours. */
#define MERGES_MAX 262144	/* more refuses the sheet: dropping some would misread their rows */
/* What the ranges may cost, so that a small file cannot buy hours: each
 * row pays 1 + its width for every range open over it, from a budget of
 * MERGE_WORK_FLOOR and 4 units a byte of the sheet; the top values kept
 * meanwhile are at most MERGE_KEPT_MAX bytes. A real 台账's merges (a
 * unit's name over its households) cost a few units a row. */
#define MERGE_WORK_FLOOR ((uint64_t)64 << 20)
#define MERGE_KEPT_MAX ((size_t)32 << 20)

struct merge {
	long r1, r2;		/* rows, 1-based, r1 < r2 */
	size_t c1, c2;		/* columns, 0-based, c2 < CSV_MAX_FIELDS */
	char **top;		/* row r1's values of columns c1..c2 (NULL: empty), once read */
};

struct merges {
	struct part part;
	struct merge *m;	/* by r1, once read */
	size_t n, cap;
	size_t next;		/* the first not yet begun (sheet rows come in order) */
	size_t *active;		/* begun and not yet ended */
	size_t n_active;
	uint64_t work;		/* what filling may still cost */
	size_t kept;		/* bytes of top values kept */
};

/* "BC12" -> column 54 (0-based) and row 12; 0 when it is not a reference. */
static int parse_ref(const char *r, size_t len, size_t *col, long *row)
{
	size_t i = 0;
	long c = 0, n = 0;
	for (; i < len && r[i] >= 'A' && r[i] <= 'Z'; i++)
		if ((c = c * 26 + (r[i] - 'A' + 1)) > 16384) return 0;
	if (i == 0 || i == len) return 0;
	for (; i < len; i++) {
		if (r[i] < '0' || r[i] > '9' || (n = n * 10 + (r[i] - '0')) > ROWS_MAX) return 0;
	}
	if (n < 1) return 0;
	*col = (size_t)(c - 1);
	*row = n;
	return 1;
}

static void merges_start(void *arg, const char *name, const char **atts)
{
	struct merges *ms = arg;
	const char *ref, *colon;
	if (ms->part.err || strcmp(local(name), "mergeCell") != 0 || !(ref = attr(atts, "ref", 0))) return;
	if (!(colon = strchr(ref, ':'))) return;
	if (ms->n == MERGES_MAX) {
		part_fail(&ms->part, RH_ERR_FIELD_INVALID, 0, 0, "合并的单元格过多：请先取消合并再导入",
			  "too many merged cells: unmerge them, then import");
		return;
	}
	struct merge m = { 0 };
	if (!parse_ref(ref, (size_t)(colon - ref), &m.c1, &m.r1) || !parse_ref(colon + 1, strlen(colon + 1), &m.c2, &m.r2) ||
	    m.r2 <= m.r1 || m.c2 < m.c1 || m.c1 >= CSV_MAX_FIELDS)
		return;	/* not a range over rows: nothing to fill */
	if (m.c2 >= CSV_MAX_FIELDS) m.c2 = CSV_MAX_FIELDS - 1;
	if (push((void **)&ms->m, &ms->n, &ms->cap, sizeof *ms->m)) part_nomem(&ms->part);
	else ms->m[ms->n++] = m;
}

static int by_first_row(const void *a, const void *b)
{
	const struct merge *x = a, *y = b;
	if (x->r1 != y->r1) return (x->r1 > y->r1) - (x->r1 < y->r1);
	if (x->c1 != y->c1) return (x->c1 > y->c1) - (x->c1 < y->c1);
	if (x->r2 != y->r2) return (x->r2 > y->r2) - (x->r2 < y->r2);
	return (x->c2 > y->c2) - (x->c2 < y->c2);
}

/* Sorts the ranges by their first row and drops repeats. */
static void merges_sort(struct merges *ms)
{
	qsort(ms->m, ms->n, sizeof *ms->m, by_first_row);
	size_t w = 0;
	for (size_t i = 0; i < ms->n; i++)
		if (!w || by_first_row(&ms->m[w - 1], &ms->m[i]) != 0) ms->m[w++] = ms->m[i];
	ms->n = w;
}

static void merges_free(struct merges *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		if (!ms->m[i].top) continue;
		for (size_t c = 0; c <= ms->m[i].c2 - ms->m[i].c1; c++) free(ms->m[i].top[c]);
		free(ms->m[i].top);
	}
	free(ms->m);
	free(ms->active);
}

enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_TEXT, CT_BOOL, CT_DATE_ISO, CT_ERROR };

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
	size_t ncols;		/* 1 + the last column with a value */
	size_t next_col;	/* where a cell without r goes: after the one before */
	size_t col;		/* the cell being read */
	size_t overflow;	/* the row's first value past CSV_MAX_FIELDS (csv_record.overflow) */
	enum cell_type type;
	struct numfmt fmt;	/* what its style does to a number */
	int in_c, in_v, in_is_t, in_rph;
	struct buf value;	/* its <v> or inline text */
	struct buf raw;		/* the row as a CSV line */
	const char *ptrs[CSV_MAX_FIELDS];
	struct merges *merges;
};

/* "BC12" -> column 54 (0-based): letters, then the row's digits; -1 when
 * it is not such a reference or names a column past XFD. */
static long ref_column(const char *r)
{
	long c = 0;
	const char *p = r;
	for (; *p >= 'A' && *p <= 'Z'; p++) {
		c = c * 26 + (*p - 'A' + 1);
		if (c > 16384) return -1;
	}
	if (p == r || !*p || strspn(p, "0123456789") != strlen(p)) return -1;
	return c - 1;
}

static void sheet_fail(struct sheet *s, enum rh_err err, size_t col, const char *zh, const char *en)
{
	part_fail(&s->part, err, s->row, col, zh, en);
}

static void sheet_start(void *arg, const char *name, const char **atts)
{
	struct sheet *s = arg;
	const char *n = local(name), *v;
	if (s->part.err) return;
	if (strcmp(n, "row") == 0) {
		long r = s->row + 1;
		if ((v = attr(atts, "r", 0))) {
			char *end;
			r = strtol(v, &end, 10);
			if (end == v || *end || r <= s->row || r > ROWS_MAX) r = -1;
		}
		if (r < 1 || r > ROWS_MAX) {
			part_fail(&s->part, RH_ERR_FIELD_INVALID, s->row + 1, 0, "行号无效或顺序颠倒", "a row number that is not valid or out of order");
			return;
		}
		s->row = r;
		s->ncols = s->next_col = s->overflow = 0;
		buf_reset(&s->cells);
		memset(s->has, 0, sizeof s->has);
	} else if (strcmp(n, "c") == 0) {
		long c = (v = attr(atts, "r", 0)) ? ref_column(v) : (long)s->next_col;
		if (c < 0) {
			sheet_fail(s, RH_ERR_FIELD_INVALID, 0, "有单元格的位置无效", "a cell's reference is not valid");
			return;
		}
		if ((size_t)c < s->next_col) {	/* a column seen before in this row, or going back */
			sheet_fail(s, RH_ERR_FIELD_INVALID, (size_t)c + 1, "出现两次或顺序颠倒", "appears twice or out of order");
			return;
		}
		s->col = (size_t)c;
		s->next_col = s->col + 1;
		const char *t = attr(atts, "t", 0);
		s->type = !t || strcmp(t, "n") == 0 ? CT_NUMBER
			  : strcmp(t, "s") == 0	  ? CT_SHARED
			  : strcmp(t, "inlineStr") == 0 ? CT_INLINE
			  : strcmp(t, "b") == 0	  ? CT_BOOL
			  : strcmp(t, "d") == 0	  ? CT_DATE_ISO
			  : strcmp(t, "e") == 0	  ? CT_ERROR
						  : CT_TEXT;	/* str: a formula's text */
		unsigned long xf = (v = attr(atts, "s", 0)) ? strtoul(v, NULL, 10) : 0;
		s->fmt = xf < s->styles->n_xf ? s->styles->xf[xf] : (struct numfmt){ 0, 0, 0 };
		s->in_c = 1;
		buf_reset(&s->value);
	} else if (s->in_c && strcmp(n, "v") == 0) s->in_v = 1;
	else if (s->in_c && strcmp(n, "rPh") == 0) s->in_rph = 1;
	else if (s->in_c && strcmp(n, "t") == 0 && s->type == CT_INLINE && !s->in_rph) s->in_is_t = 1;
}

static void sheet_text(void *arg, const char *text, int len)
{
	struct sheet *s = arg;
	if (s->part.err || !(s->in_v || s->in_is_t)) return;
	if (s->value.len + (size_t)len > CELL_MAX) sheet_fail(s, RH_ERR_FIELD_TOO_LONG, s->col + 1, "内容过长", "too long");
	else if (buf_append(&s->value, text, (size_t)len)) part_nomem(&s->part);
}

/* A date serial (days since 1899-12-30, or since 1904-01-01) as YYYY-MM-DD
 * into out; 0 when v is not one up to 9999-12-31. */
static int serial_date(const char *v, int date1904, char out[11])
{
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || !isfinite(d) || d < (date1904 ? 0 : 1) || d >= (date1904 ? 2957004 : 2958466)) return 0;
	long days = (long)floor(d);
	/* Excel's 1900 system counts a 29 February 1900 that never was. */
	rh_day base = date1904 ? date_from_ymd(1904, 1, 1) : date_from_ymd(1899, 12, days < 60 ? 31 : 30);
	date_format(base + (rh_day)days, out);
	return 1;
}

/* An integer value shown with leading zeros to width ("000000"). */
static int zero_padded(const char *v, unsigned width, char out[72])
{
	size_t n = strspn(v, "0123456789");
	if (!n || v[n] || n >= width) return 0;
	return snprintf(out, 72, "%0*d%s", (int)(width - n), 0, v) < 72;
}

/* A number as Excel's General format shows it: at most 15 significant
 * digits (what Excel keeps), a whole number without a point or an
 * exponent. Writers other than Excel store the same value otherwise —
 * 13812345678.0 (a pandas column with a blank in it), 1.3812345678E10,
 * 0.30000000000000004 — and a phone number must not fail for that. 0
 * when v is not a finite number: it is taken as it is. */
static int general_number(const char *v, char out[72])
{
	char *end;
	double d = strtod(v, &end);
	if (v[strspn(v, "0123456789+-.eE")] || end == v || *end || !isfinite(d)) return 0;	/* not 0x1A, inf */
	if (d == 0) d = 0;	/* -0 */
	if (fabs(d) < 1e15 && d == floor(d)) snprintf(out, 72, "%.0f", d);
	else snprintf(out, 72, "%.15g", d);
	return 1;
}

/* The finished cell's text, as Excel shows it, into the row: trimmed of
 * spaces as a CSV field is (csvin). */
static void end_cell(struct sheet *s)
{
	s->in_c = s->in_v = s->in_is_t = s->in_rph = 0;
	size_t len = s->value.len;
	if (s->type == CT_INLINE || s->type == CT_TEXT) len = unescape(s->value.data, len);
	if (buf_reserve(&s->value, 1)) {
		part_nomem(&s->part);
		return;
	}
	s->value.data[len] = '\0';
	s->value.len = len;
	const char *v = s->value.data;
	char shown[72], padded[72];
	if (!v[0]) return;	/* a cell with a style and no value: empty */
	if (s->type == CT_ERROR) {
		char err[17], zh[120], en[120];
		utf8_cut(v, err, sizeof err);	/* the uploader's text: whole characters only */
		snprintf(zh, sizeof zh, "是 Excel 的错误值 %s，请先在表格中改正", err);
		snprintf(en, sizeof en, "holds Excel's error %s; correct it in the sheet first", err);
		sheet_fail(s, RH_ERR_FIELD_INVALID, s->col + 1, zh, en);
		return;
	}
	if (s->type == CT_NUMBER && !s->fmt.date && fabs(strtod(v, NULL)) >= 1e15) {
		/* Excel keeps 15 significant digits: an 18-digit ID number typed
		 * as a number has lost its last ones before it reached us */
		sheet_fail(s, RH_ERR_FIELD_INVALID, s->col + 1,
			   "是超过 15 位的数字，Excel 已丢失其末几位：请把该列设为“文本”格式后重新输入",
			   "is a number of more than 15 digits, whose last ones Excel has lost: format the column as Text and type them again");
		return;
	}
	if (s->type == CT_SHARED) {
		char *end;
		unsigned long i = strtoul(v, &end, 10);
		if (end == v || *end || i >= s->strings->n) {
			sheet_fail(s, RH_ERR_FIELD_INVALID, s->col + 1, "指向不存在的共享文本", "points at a shared string that does not exist");
			return;
		}
		v = s->strings->text.data + s->strings->off[i];
	} else if (s->type == CT_NUMBER && s->fmt.date && serial_date(v, s->date1904, shown)) v = shown;
	else if (s->type == CT_NUMBER) {
		if (general_number(v, shown)) v = shown;
		if (s->fmt.zeros && zero_padded(v, s->fmt.zeros, padded)) v = padded;
	}
	else if (s->type == CT_DATE_ISO && strlen(v) > 10 && v[10] == 'T') {
		snprintf(shown, sizeof shown, "%.10s", v);
		v = shown;
	}
	while (*v == ' ' || *v == '\t') v++;
	len = strlen(v);
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t')) len--;
	if (!len) return;
	if (s->col >= CSV_MAX_FIELDS) {	/* not kept: the row's overflow, for its reader to refuse the row */
		if (!s->overflow) s->overflow = s->col + 1;
		return;
	}
	if (s->max_field) {
		char *copy = strndup(v, len);
		size_t chars = copy ? utf8_length(copy) : 0;
		free(copy);
		if (chars > s->max_field) {
			char zh[64], en[64];
			snprintf(zh, sizeof zh, "内容超过 %zu 个字符", s->max_field);
			snprintf(en, sizeof en, "longer than %zu characters", s->max_field);
			sheet_fail(s, RH_ERR_FIELD_TOO_LONG, s->col + 1, zh, en);
			return;
		}
	}
	s->off[s->col] = s->cells.len;
	s->has[s->col] = 1;
	if (s->col + 1 > s->ncols) s->ncols = s->col + 1;
	if (buf_append(&s->cells, v, len) || buf_putc(&s->cells, '\0')) part_nomem(&s->part);
}

static int put_csv_field(struct buf *b, const char *f)
{
	if (!f[strcspn(f, ",\"\r\n")] && f[0] != ' ' && (!f[0] || f[strlen(f) - 1] != ' ')) return buf_puts(b, f);
	if (buf_putc(b, '"')) return -1;
	for (; *f; f++)
		if ((*f == '"' && buf_putc(b, '"')) || buf_putc(b, *f)) return -1;
	return buf_putc(b, '"');
}

/* The cell of this row at col, or NULL when it has no value. */
static const char *cell_at(const struct sheet *s, size_t col)
{
	return col < s->ncols && s->has[col] && s->cells.data[s->off[col]] ? s->cells.data + s->off[col] : NULL;
}

/* Keeps the top values of the ranges that begin at this row, and gives
 * the empty cells of this row the values of the ranges over it. */
static void fill_merged(struct sheet *s)
{
	struct merges *ms = s->merges;
	while (ms->next < ms->n && ms->m[ms->next].r1 < s->row) ms->next++;	/* began on a row with no value */
	for (; ms->next < ms->n && ms->m[ms->next].r1 == s->row; ms->next++) {
		struct merge *m = &ms->m[ms->next];
		size_t w = m->c2 - m->c1 + 1;
		if (!(m->top = calloc(w, sizeof *m->top))) goto nomem;
		for (size_t c = 0; c < w; c++) {
			const char *v = cell_at(s, m->c1 + c);
			if (!v) continue;
			if ((ms->kept += strlen(v) + 1) > MERGE_KEPT_MAX) goto too_many;
			if (!(m->top[c] = strdup(v))) goto nomem;
		}
		ms->active[ms->n_active++] = ms->next;
	}
	for (size_t i = 0; i < ms->n_active;) {
		struct merge *m = &ms->m[ms->active[i]];
		if (m->r2 < s->row) {	/* ended: out of the set */
			ms->active[i] = ms->active[--ms->n_active];
			continue;
		}
		i++;
		uint64_t cost = 1 + (m->c2 - m->c1 + 1);
		if (ms->work < cost) goto too_many;
		ms->work -= cost;
		if (m->r1 == s->row) continue;
		for (size_t c = m->c1; c <= m->c2; c++) {
			const char *top = m->top[c - m->c1];
			if (!top || cell_at(s, c)) continue;
			s->off[c] = s->cells.len;
			s->has[c] = 1;
			if (c + 1 > s->ncols) s->ncols = c + 1;
			if (buf_puts(&s->cells, top) || buf_putc(&s->cells, '\0')) goto nomem;
		}
	}
	return;
nomem:
	part_nomem(&s->part);
	return;
too_many:
	sheet_fail(s, RH_ERR_FIELD_INVALID, 0, "合并的单元格过多或重叠：请先取消合并再导入",
		   "too many or overlapping merged cells: unmerge them, then import");
}

/* The finished row to the caller, unless all its cells are empty. */
static void end_row(struct sheet *s)
{
	if (!s->ncols && !s->overflow) return;
	if (!s->ncols) s->ncols = 1;	/* its one value past the limit: a row of one empty cell */
	if (s->merges->n) fill_merged(s);
	if (s->part.err) return;
	for (size_t i = 0; i < s->ncols; i++) s->ptrs[i] = s->has[i] ? s->cells.data + s->off[i] : "";
	buf_reset(&s->raw);
	for (size_t i = 0; i < s->ncols; i++)
		if ((i && buf_putc(&s->raw, ',')) || put_csv_field(&s->raw, s->ptrs[i])) {
			part_nomem(&s->part);
			return;
		}
	struct csv_record rec = {
		.fields = s->ptrs, .n = s->ncols, .line = s->row, .last_line = s->row,
		.raw = buf_str(&s->raw), .raw_len = s->raw.len,
		.at = s->part.in_done, .total = s->part.in_total, .overflow = s->overflow,
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
	if (s->part.err || s->part.stopped) return;
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

	struct book b = { .part = { .why = why } };
	enum rh_err rc = read_part(&z, "_rels/.rels", &b.part, root_rels_start, no_end, NULL);
	if (rc != RH_OK && rc != RH_ERR_NOT_FOUND) return rc;
	if (!b.workbook[0]) snprintf(b.workbook, sizeof b.workbook, "xl/workbook.xml");
	const char *file = strrchr(b.workbook, '/');
	file = file ? file + 1 : b.workbook;
	snprintf(b.dir, sizeof b.dir, "%.*s", (int)(file - b.workbook), b.workbook);
	char rels[2 * PATH_MAX_XLSX];
	if (snprintf(rels, sizeof rels, "%s_rels/%s.rels", b.dir, file) >= (int)sizeof rels) rels[0] = '\0';

	rc = read_part(&z, b.workbook, &b.part, book_start, no_end, NULL);
	if (rc == RH_ERR_NOT_FOUND || (rc == RH_OK && !b.rid[0]))
		return damaged(why, "没有工作簿（xl/workbook.xml）或其中没有工作表", "no workbook (xl/workbook.xml), or no sheet in it");
	if (rc != RH_OK) return rc;
	rc = read_part(&z, rels, &b.part, rels_start, no_end, NULL);
	if (rc == RH_ERR_NOT_FOUND || (rc == RH_OK && !b.sheet[0]))
		return damaged(why, "找不到第一个工作表", "the first sheet cannot be found");
	if (rc != RH_OK) return rc;
	if (!b.styles[0]) path_join(b.styles, sizeof b.styles, b.dir, "styles.xml");
	if (!b.strings[0]) path_join(b.strings, sizeof b.strings, b.dir, "sharedStrings.xml");

	struct styles st = { .part = { .why = why } };
	struct strings ss = { .part = { .why = why }, .text = BUF_INIT(STRINGS_MAX) };
	struct sheet sh = { .part = { .why = why }, .strings = &ss, .styles = &st, .date1904 = b.date1904,
			    .max_field = max_field, .fn = fn, .arg = arg, .cells = BUF_INIT(SIZE_MAX),
			    .value = BUF_INIT(SIZE_MAX), .raw = BUF_INIT(SIZE_MAX) };
	/* both optional: without styles no cell shows a date, without
	 * shared strings every text is in its cell */
	rc = read_part(&z, found_as(&z, b.dir, b.styles), &st.part, styles_start, styles_end, NULL);
	if (rc == RH_ERR_NOT_FOUND) rc = RH_OK;
	if (rc == RH_OK)
		rc = read_part(&z, found_as(&z, b.dir, b.strings), &ss.part, strings_start, strings_end, strings_text);
	if (rc == RH_ERR_NOT_FOUND) rc = RH_OK;
	/* The merged ranges follow the rows in the sheet: a first reading
	 * for them alone, whose inflating the budget does not count twice. */
	struct merges ms = { .part = { .why = why } };
	sh.merges = &ms;
	size_t budget = z.budget;
	if (rc == RH_OK && (rc = read_part(&z, found_as(&z, b.dir, b.sheet), &ms.part, merges_start, no_end, NULL)) ==
			      RH_ERR_NOT_FOUND)
		rc = RH_OK;	/* said below */
	z.budget = budget;
	if (rc == RH_OK && ms.n) {
		merges_sort(&ms);
		struct zip_entry e;
		ms.work = MERGE_WORK_FLOOR + (zip_find(&z, found_as(&z, b.dir, b.sheet), &e) == 0 ? 4 * (uint64_t)e.usize : 0);
		if (!(ms.active = malloc(ms.n * sizeof *ms.active))) rc = csv_problem_set(why, RH_ERR_NOMEM, 0, 0, "内存不足", "out of memory");
	}
	if (rc == RH_OK &&
	    (rc = read_part(&z, found_as(&z, b.dir, b.sheet), &sh.part, sheet_start, sheet_end, sheet_text)) == RH_ERR_NOT_FOUND)
		rc = damaged(why, "第一个工作表不在文件中", "the first sheet is missing from the file");
	merges_free(&ms);
	free(st.xf);
	free(st.custom);
	free(ss.off);
	buf_release(&ss.text);
	buf_release(&sh.cells);
	buf_release(&sh.value);
	buf_release(&sh.raw);
	if (rc == RH_OK) memset(why, 0, sizeof *why);
	return rc;
}
