/*
 * validate.c — the input validation layer (see validate.h).
 */
#include <errno.h>
#include <jansson.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "core/date.h"
#include "core/role.h"
#include "core/validate.h"

int utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	while (s < end) {
		unsigned c = *s;
		size_t n;
		unsigned min;
		if (c == 0) return 0;
		if (c < 0x80) { s++; continue; }
		if ((c & 0xE0) == 0xC0) n = 1, min = 0x80, c &= 0x1F;
		else if ((c & 0xF0) == 0xE0) n = 2, min = 0x800, c &= 0x0F;
		else if ((c & 0xF8) == 0xF0) n = 3, min = 0x10000, c &= 0x07;
		else return 0;
		if ((size_t)(end - s) <= n) return 0;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80) return 0;
			c = (c << 6) | (s[i] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
		s += n + 1;
	}
	return 1;
}

size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static enum rh_err fail_at(struct rh_fail *fail, enum rh_err err, const struct field *f, long long n)
{
	rh_fail_field(fail, err, f->name);
	if (fail) {
		fail->label_zh = f->zh;
		fail->label_en = f->en;
		fail->n = n;
	}
	return err;
}

/* Characters that show as nothing, or change how what is around them
 * shows: one name could pass for another with them. Unicode's
 * Default_Ignorable_Code_Point set and the format characters (Cf), with
 * C1 controls, the braille blank and the noncharacters. Joiners and
 * variation selectors (Mongolian's too), which emoji and some scripts
 * need, only count on one line (a name). */
static int invisible(uint32_t c, int multiline)
{
	if (!multiline && (c == 0x200C || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) ||
			   (c >= 0x180B && c <= 0x180D) || c == 0x180F))
		return 1;
	return (c >= 0x80 && c <= 0x9F) || c == 0xAD || c == 0x34F || (c >= 0x600 && c <= 0x605) || c == 0x61C ||
	       c == 0x6DD || c == 0x70F || c == 0x890 || c == 0x891 || c == 0x8E2 || c == 0x115F || c == 0x1160 ||
	       c == 0x17B4 || c == 0x17B5 || c == 0x180E || c == 0x200B || c == 0x200E || c == 0x200F ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0x2800 || c == 0x3164 ||
	       c == 0xFEFF || c == 0xFFA0 || (c >= 0xFFF0 && c <= 0xFFFB) || c == 0x110BD || c == 0x110CD ||
	       (c >= 0x13430 && c <= 0x1343F) || (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A) ||
	       (c >= 0xE0000 && c <= 0xE0FFF && !(c >= 0xE0100 && c <= 0xE01EF)) ||
	       (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;	/* noncharacters: XML cannot hold U+FFFE, U+FFFF */
}

static pthread_once_t ctype_once = PTHREAD_ONCE_INIT;
static locale_t utf8_ctype;	/* set once, read only after */
static void ctype_init(void) { utf8_ctype = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0); }

/* A character that takes no room of its own — a combining mark, in any
 * script (U+0301, Thai's U+0E31, kana's U+3099) — which would sit on
 * whatever stands before the text on screen. The C library's Unicode
 * tables say (wcwidth in C.UTF-8) rather than a copy of them here; the
 * common blocks below when that locale is missing. */
static int zero_width(uint32_t c)
{
	/* most texts begin so, a million rows an import: no table asked */
	if (c < 0x300 || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3)) return 0;
	pthread_once(&ctype_once, ctype_init);
	if (!utf8_ctype)
		return (c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
		       (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F) || (c >= 0x302A && c <= 0x302F) ||
		       c == 0x3099 || c == 0x309A;
	locale_t was = uselocale(utf8_ctype);
	int w = wcwidth((wchar_t)c);
	uselocale(was);
	return w == 0;
}

/* Blank-looking characters, taken off the ends of a text. */
static int blank(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
	       c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* The code point at *p (well-formed UTF-8 expected; a stray byte is taken
 * as itself), *p moved past it. */
static uint32_t next_char(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = *s;
	size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	c &= n == 3 ? 0x07 : n == 2 ? 0x0F : n == 1 ? 0x1F : 0xFF;
	size_t i = 1;
	for (; i <= n && (s[i] & 0xC0) == 0x80; i++) c = (c << 6) | (s[i] & 0x3F);
	if (i <= n) c = *s, i = 1;	/* cut short: the lead byte alone */
	*p = s + i;
	return c;
}

int text_clean(const char *s, int multiline)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int first = p == (const unsigned char *)s;
		uint32_t c = next_char(&p);
		if (c == '\n' || c == '\r' || c == '\t' || c == 0x2028 || c == 0x2029) {
			if (!multiline) return 0;	/* line breaks and tabs only where lines are */
		} else if (c < 0x20 || c == 0x7F || invisible(c, multiline) || (first && zero_width(c))) {
			return 0;
		}
	}
	return 1;
}

size_t text_fold_fullwidth(char *s, size_t n)
{
	size_t r = 0, w = 0;
	while (r < n) {
		unsigned char a = (unsigned char)s[r], b = r + 1 < n ? (unsigned char)s[r + 1] : 0,
			      c = r + 2 < n ? (unsigned char)s[r + 2] : 0;
		if (a == 0xEF && b == 0xBC && c >= 0x81 && c <= 0xBF) {	/* U+FF01–U+FF3F */
			s[w++] = (char)(c - 0x81 + 0x21);
			r += 3;
		} else if (a == 0xEF && b == 0xBD && c >= 0x80 && c <= 0x9E) {	/* U+FF40–U+FF5E */
			s[w++] = (char)(c - 0x80 + 0x60);
			r += 3;
		} else {
			s[w++] = s[r++];
		}
	}
	return w;
}

const char *text_trim(const char *s, size_t *len)
{
	size_t n = *len;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3, n -= 3;	/* a BOM: the file's, not the text's */
	while (n) {	/* from the start */
		const unsigned char *p = (const unsigned char *)s;
		uint32_t c = next_char(&p);
		size_t k = (size_t)(p - (const unsigned char *)s);
		if (k > n || !blank(c)) break;
		s += k, n -= k;
	}
	while (n) {	/* from the end: back to the last character's first byte */
		size_t k = n - 1;
		while (k && ((unsigned char)s[k] & 0xC0) == 0x80 && n - k < 4) k--;
		const unsigned char *p = (const unsigned char *)s + k;
		uint32_t c = next_char(&p);
		if ((size_t)(p - (const unsigned char *)s) != n || !blank(c)) break;
		n = k;
	}
	*len = n;
	return s;
}

/* Digits, ASCII or full-width, with + - and spaces between: a number as
 * typed, which F_FOLD_NUMBER folds. */
static int number_like(const char *s)
{
	int digits = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p >= '0' && *p <= '9') {
			digits = 1;
			p++;
		} else if (*p == '+' || *p == '-' || *p == ' ') {
			p++;
		} else if (p[0] == 0xEF && p[1] == 0xBC && ((p[2] >= 0x90 && p[2] <= 0x99) || p[2] == 0x8B || p[2] == 0x8D)) {
			digits |= p[2] >= 0x90;	/* ０–９, ＋ and － */
			p += 3;
		} else {
			return 0;
		}
	}
	return digits;
}

/* A character text may not hold (text_clean()), told with the rule. */
static enum rh_err unclean(const struct field *f, struct rh_fail *fail)
{
	fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);
	if (fail) {
		fail->detail_zh = TEXT_CLEAN_RULE_ZH;
		fail->detail_en = TEXT_CLEAN_RULE_EN;
	}
	return RH_ERR_FIELD_INVALID;
}

/* Checks a text value for a text-like field and stores it. */
static enum rh_err take_text(const struct field *f, const char *s, size_t len, int tz, struct arena *a,
			     struct value *v, struct rh_fail *fail)
{
	if (!utf8_valid(s, len)) return fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);
	if (memchr(s, '\0', len)) return unclean(f, fail);	/* a NUL: a control character, and the end of the text in C */
	switch (f->type) {
	case FT_STRING:
	case FT_TEXT:
	case FT_PASSWORD: {
		if (f->type != FT_PASSWORD) {	/* " 幸福里" would be a second estate beside "幸福里" */
			s = text_trim(s, &len);
			char *t = arena_strndup(a, s, len);
			if (!t) return RH_ERR_NOMEM;
			if ((f->flags & F_FOLD) || ((f->flags & F_FOLD_NUMBER) && number_like(t))) {
				len = text_fold_fullwidth(t, len);
				t[len] = '\0';
			}
			if (f->flags & F_LOWER)
				for (char *c = t; *c; c++)
					if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
			s = t;
		}
		long long max = f->max ? f->max : 200, min = f->min;
		if (max > FIELD_TEXT_LIMIT) max = FIELD_TEXT_LIMIT;
		if (len > (size_t)max * 4) return fail_at(fail, RH_ERR_FIELD_TOO_LONG, f, max);
		if (!text_clean(s, f->type == FT_TEXT)) return unclean(f, fail);
		size_t chars = utf8_length(s);
		if ((long long)chars > max) return fail_at(fail, RH_ERR_FIELD_TOO_LONG, f, max);
		if ((long long)chars < min) {
			fail_at(fail, RH_ERR_FIELD_TOO_SHORT, f, min);
			/* of the wrong characters too ("张三" for a user name): the
			 * rule says so, where "too short" alone would send the user
			 * to add a third Chinese character */
			if (fail && f->check && f->rule_zh && !f->check(s)) {
				fail->detail_zh = f->rule_zh;
				fail->detail_en = f->rule_en;
			}
			return RH_ERR_FIELD_TOO_SHORT;
		}
		if (f->check && !f->check(s)) {
			fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);
			if (fail) {
				fail->detail_zh = f->rule_zh;
				fail->detail_en = f->rule_en;
			}
			return RH_ERR_FIELD_INVALID;
		}
		break;
	}
	case FT_ENUM: {
		int idx = -1;
		for (int i = 0; f->choices && f->choices[i]; i++)
			if (strcmp(s, f->choices[i]) == 0) idx = i;
		if (idx < 0) return fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);
		v->i = idx;
		break;
	}
	case FT_DATE: {
		rh_day d;
		if (date_parse(s, len, &d) != 0) return fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);
		v->i = d;
		break;
	}
	case FT_DATETIME: {
		int64_t e;
		if (datetime_parse(s, len, tz, &e) != 0) return fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);
		v->i = e;
		break;
	}
	default:
		return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
	}
	v->s = f->type == FT_STRING || f->type == FT_TEXT ? s : arena_strndup(a, s, len);	/* text: copied when trimmed */
	if (!v->s) return RH_ERR_NOMEM;
	v->present = 1;
	return RH_OK;
}

/* Out of range, saying the range in both languages (the bounds differ
 * per field, so the text is made here, in the request's arena). */
static enum rh_err out_of_range(const struct field *f, struct arena *a, struct rh_fail *fail)
{
	fail_at(fail, RH_ERR_FIELD_RANGE, f, 0);
	if (fail && a && (f->min || f->max)) {
		fail->detail_zh = arena_printf(a, "允许 %lld 至 %lld", f->min, f->max);
		fail->detail_en = arena_printf(a, "from %lld to %lld", f->min, f->max);
		if (!fail->detail_zh || !fail->detail_en) fail->detail_zh = fail->detail_en = NULL;
	}
	return RH_ERR_FIELD_RANGE;
}

static enum rh_err check_int(const struct field *f, long long i, struct arena *a, struct value *v,
			     struct rh_fail *fail)
{
	long long min = f->min, max = f->max;
	if (!min && !max) min = INT64_MIN, max = INT64_MAX;
	if (i < min || i > max) return out_of_range(f, a, fail);
	v->i = i;
	v->present = 1;
	return RH_OK;
}

/* A query's integer: digits with an optional minus. One too long for 64
 * bits is a number all the same, out of any field's range, not of the
 * wrong type. */
static enum rh_err query_int(const struct field *f, const char *s, size_t len, struct arena *a, struct value *v,
			     struct rh_fail *fail)
{
	size_t start = s[0] == '-';
	if (len == start) return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
	for (size_t k = start; k < len; k++)
		if (s[k] < '0' || s[k] > '9') return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
	errno = 0;
	long long i = strtoll(s, NULL, 10);
	if (errno == ERANGE) return out_of_range(f, a, fail);
	return check_int(f, i, a, v, fail);
}

/* The index of s (len bytes) in a field's choices, or -1. */
static int choice_index(const struct field *f, const char *s, size_t len)
{
	for (int i = 0; f->choices && f->choices[i] && i < 31; i++)
		if (strlen(f->choices[i]) == len && memcmp(f->choices[i], s, len) == 0) return i;
	return -1;
}

/* One member of a set: a role code (FT_ROLES) or one of the choices (FT_SET). */
static int member_index(const struct field *f, const char *s, size_t len)
{
	return f->type == FT_ROLES ? role_from_code(s, len) : choice_index(f, s, len);
}

/* A comma-separated set in a query string; 0, or -1 when a member is
 * unknown, repeated or empty. */
static int set_parse(const struct field *f, const char *s, long long *out)
{
	unsigned long set = 0;
	while (*s) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		int r = member_index(f, s, len);
		if (r < 0 || (set & (1ul << r))) return -1;
		set |= 1ul << r;
		if (!end) break;
		s = end + 1;
		if (!*s) return -1;
	}
	*out = (long long)set;
	return 0;
}

static enum rh_err take_roles(const struct field *f, json_t *arr, struct value *v, struct rh_fail *fail)
{
	if (!json_is_array(arr)) return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
	unsigned long set = 0;
	size_t i;
	json_t *el;
	json_array_foreach(arr, i, el) {
		if (!json_is_string(el)) return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
		int r = member_index(f, json_string_value(el), json_string_length(el));
		if (r < 0 || (set & (1ul << r))) return fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);
		set |= 1ul << r;
	}
	if (f->min && json_array_size(arr) < (size_t)f->min) return fail_at(fail, RH_ERR_FIELD_REQUIRED, f, 0);
	v->i = set;
	v->present = 1;
	return RH_OK;
}

/* FIELD_INVALID with what exactly is wrong. */
static enum rh_err fail_why(struct rh_fail *fail, const struct field *f, const char *zh, const char *en)
{
	fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);
	if (fail) {
		fail->detail_zh = zh;
		fail->detail_en = en;
	}
	return RH_ERR_FIELD_INVALID;
}

/* An array of distinct ids, at most f->max of them. */
static enum rh_err take_ids(const struct field *f, json_t *arr, struct arena *a, struct value *v,
			    struct rh_fail *fail)
{
	if (!json_is_array(arr)) return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
	size_t n = json_array_size(arr);
	if (f->max && n > (size_t)f->max) return fail_at(fail, RH_ERR_FIELD_RANGE, f, f->max);
	if (f->min && n < (size_t)f->min) return fail_at(fail, RH_ERR_FIELD_REQUIRED, f, 0);
	int64_t *ids = arena_alloc(a, (n ? n : 1) * sizeof *ids);
	if (!ids) return RH_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		json_t *el = json_array_get(arr, i);
		if (!json_is_integer(el)) return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
		ids[i] = (int64_t)json_integer_value(el);
		if (ids[i] < 1) return fail_why(fail, f, "编号须为正整数", "ids are positive numbers");
		for (size_t k = 0; k < i; k++)	/* a few hundred at most */
			if (ids[k] == ids[i]) return fail_why(fail, f, "列表中有重复的编号", "the list holds an id twice");
	}
	v->ids = ids;
	v->i = (long long)n;
	v->present = 1;
	return RH_OK;
}

static enum rh_err take_json(const struct field *f, json_t *j, int tz, struct arena *a, struct value *v,
			     struct rh_fail *fail)
{
	if (json_is_null(j)) {
		if (!(f->flags & F_NULLABLE)) return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
		v->present = v->is_null = 1;
		return RH_OK;
	}
	switch (f->type) {
	case FT_INT:
		if (json_is_real(j)) {	/* 2.5 hours: say what is wanted, not only that the type is wrong */
			fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
			if (fail) {
				fail->detail_zh = "须为整数";
				fail->detail_en = "a whole number";
			}
			return RH_ERR_FIELD_TYPE;
		}
		if (!json_is_integer(j)) return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
		return check_int(f, json_integer_value(j), a, v, fail);
	case FT_BOOL:
		if (!json_is_boolean(j)) return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
		v->i = json_is_true(j);
		v->present = 1;
		return RH_OK;
	case FT_ROLES:
	case FT_SET:
		return take_roles(f, j, v, fail);
	case FT_IDS:
		return take_ids(f, j, a, v, fail);
	default:
		if (!json_is_string(j)) return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
		return take_text(f, json_string_value(j), json_string_length(j), tz, a, v, fail);
	}
}

static enum rh_err check_required(const struct schema *sc, const struct value *out, struct rh_fail *fail)
{
	for (size_t i = 0; i < sc->n; i++)
		if ((sc->fields[i].flags & F_REQUIRED) && !out[i].present)
			return fail_at(fail, RH_ERR_FIELD_REQUIRED, &sc->fields[i], 0);
	return RH_OK;
}

static const struct field *find(const struct schema *sc, const char *name, size_t *idx)
{
	for (size_t i = 0; i < sc->n; i++)
		if (strcmp(sc->fields[i].name, name) == 0) { *idx = i; return &sc->fields[i]; }
	return NULL;
}

static enum rh_err unknown(struct rh_fail *fail, struct arena *a, const char *name)
{
	/* Echo at most 64 bytes of a name the client made up, cut at a
	 * character boundary so the reply stays valid UTF-8. */
	size_t n = strlen(name);
	if (n > 64) {
		n = 64;
		while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80) n--;
	}
	const char *copy = n && utf8_valid(name, n) ? arena_strndup(a, name, n) : "?";	/* "?=1": no name to echo */
	return rh_fail_field(fail, RH_ERR_FIELD_UNKNOWN, copy ? copy : "?");
}

/* Whether pos in body is a member of the top-level object, not inside a
 * nested object or array (whose keys are not the schema's fields). */
static int at_top_level(const char *body, size_t pos)
{
	int depth = 0, in_string = 0;
	for (size_t i = 0; i < pos; i++) {
		char c = body[i];
		if (in_string) {
			if (c == '\\') i++;
			else if (c == '"') in_string = 0;
		} else if (c == '"') in_string = 1;
		else if (c == '{' || c == '[') depth++;
		else if (c == '}' || c == ']') depth--;
	}
	return depth == 1 && !in_string;
}

/* The key of the member whose value ends before pos in body ("key": 123),
 * or NULL: for a number the parser cannot hold, to be named as the field
 * it was given for. Keys with escapes are not looked for, nor keys of a
 * nested object. */
static const struct field *field_before(const struct schema *sc, const char *body, size_t pos)
{
	if (!at_top_level(body, pos)) return NULL;
	size_t i = pos;
	while (i > 0 && (strchr("0123456789-+.eE \t\r\n", body[i - 1]) != NULL)) i--;
	if (i == 0 || body[i - 1] != ':') return NULL;
	i--;
	while (i > 0 && strchr(" \t\r\n", body[i - 1]) != NULL) i--;
	if (i == 0 || body[i - 1] != '"') return NULL;
	size_t end = --i;
	while (i > 0 && body[i - 1] != '"' && body[i - 1] != '\\') i--;
	if (i == 0 || body[i - 1] != '"') return NULL;
	char key[64];
	if (end - i >= sizeof key) return NULL;
	memcpy(key, body + i, end - i);
	key[end - i] = '\0';
	size_t idx;
	return find(sc, key, &idx);
}

enum rh_err validate_json(const struct schema *sc, const char *body, size_t len, int tz, struct arena *a,
			  struct value *out, struct rh_fail *fail)
{
	memset(out, 0, sc->n * sizeof *out);
	if (len == 0 && sc->n == 0) return RH_OK;
	if (len == 0) return check_required(sc, out, fail);	/* no body: as {} */
	json_error_t jerr;
	/* \u0000 inside a value is let through the parser so that the
	 * refusal can name the field (take_text refuses it there) */
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!root && strstr(jerr.text, "too big") && jerr.position > 0 && (size_t)jerr.position <= len) {
		/* 99999999999999999999: well-formed JSON, out of any range */
		const struct field *f = field_before(sc, body, (size_t)jerr.position);
		if (f && f->type == FT_INT) return out_of_range(f, a, fail);
	}
	if (!root || !json_is_object(root)) {
		json_decref(root);
		return rh_fail_field(fail, RH_ERR_BAD_JSON, NULL);
	}
	enum rh_err rc = RH_OK;
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val) {
		size_t idx;
		const struct field *f = find(sc, key, &idx);
		rc = f ? take_json(f, val, tz, a, &out[idx], fail) : unknown(fail, a, key);
		if (rc != RH_OK) break;
	}
	json_decref(root);
	return rc == RH_OK ? check_required(sc, out, fail) : rc;
}

enum rh_err validate_params(const struct schema *sc, const struct param *params, size_t n, int tz,
			    struct arena *a, struct value *out, struct rh_fail *fail)
{
	memset(out, 0, sc->n * sizeof *out);
	for (size_t k = 0; k < n; k++) {
		size_t idx;
		const struct field *f = find(sc, params[k].key, &idx);
		if (!f || strlen(params[k].key) != params[k].key_len) return unknown(fail, a, params[k].key);
		if (out[idx].present) return fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);	/* repeated */
		const char *s = params[k].value ? params[k].value : "";
		size_t len = strlen(s);
		if (params[k].value && len != params[k].value_len)
			return fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);	/* a NUL inside */
		if (len == 0 && !(f->flags & F_REQUIRED))
			continue;	/* an empty filter box means no filter, whatever its type */
		enum rh_err rc;
		if (f->type == FT_INT) {
			rc = query_int(f, s, len, a, &out[idx], fail);
		} else if (f->type == FT_BOOL) {
			if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0) out[idx].i = 1;
			else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0) out[idx].i = 0;
			else return fail_at(fail, RH_ERR_FIELD_TYPE, f, 0);
			out[idx].present = 1;
			rc = RH_OK;
		} else if (f->type == FT_IDS) {
			return fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);	/* a body's field only */
		} else if (f->type == FT_ROLES || f->type == FT_SET) {
			long long set;
			if (!utf8_valid(s, len) || strlen(s) != len || set_parse(f, s, &set) != 0)
				return fail_at(fail, RH_ERR_FIELD_INVALID, f, 0);
			out[idx].i = set;
			out[idx].present = 1;
			rc = RH_OK;
		} else {
			rc = take_text(f, s, len, tz, a, &out[idx], fail);
		}
		if (rc != RH_OK) return rc;
	}
	return check_required(sc, out, fail);
}

void utf8_cut(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	while (*s && cap) {
		unsigned char c = (unsigned char)*s;
		size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (n == 0 || strnlen(s, n) < n || !utf8_valid(s, n)) {
			s++;
			if (o + 1 >= cap) break;
			out[o++] = '?';
			continue;
		}
		if (o + n >= cap) break;
		memcpy(out + o, s, n);
		o += n;
		s += n;
	}
	if (cap) out[o] = '\0';
}
