/*
 * validate.h — declared input, checked once (kcgi's model).
 *
 * Each route declares a schema for its JSON body and one for its query
 * string (http/routes.c). The HTTP layer runs the request through them
 * before any handler is called; a handler only ever sees typed values
 * that passed, in an array indexed like the schema. Anything undeclared,
 * mistyped, too long, out of range or malformed is refused with the
 * field named (SPEC X6), and since no handler ran, nothing was written.
 *
 * Pure: no I/O and no global state, so it is fuzzed directly
 * (tests/fuzz/fuzz_validate.c).
 */
#ifndef RUHU_VALIDATE_H
#define RUHU_VALIDATE_H
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "core/error.h"

enum field_type {
	FT_STRING,	/* one line of text; min/max in characters */
	FT_TEXT,	/* text that may hold line breaks and tabs */
	FT_INT,		/* integer; min/max bound the value */
	FT_BOOL,
	FT_ENUM,	/* one of `choices`; value.i is the index */
	FT_DATE,	/* "YYYY-MM-DD"; value.i is the day number (core/date.h) */
	FT_DATETIME,	/* ISO 8601; value.i is epoch seconds */
	FT_ROLES,	/* array of role codes; value.i is the set (rh_roles) */
	FT_PASSWORD,	/* like FT_STRING, but never echoed or logged */
	FT_SET,		/* array of `choices` codes (in a query: comma-separated);
			 * value.i has bit i set for choices[i] (at most 31) */
	FT_IDS,		/* array of distinct record ids (positive integers), at most
			 * max of them; value.ids holds them, value.i their number */
};

#define F_REQUIRED 1u
#define F_NULLABLE 2u	/* JSON null is accepted (value.is_null) */
/* Full-width ASCII (U+FF01–FF5E) read as ASCII, before any check: what a
 * Chinese input method types for digits and letters (１３８…). For numbers
 * and codes — phones, account, staff, badge and ID numbers; not names. */
#define F_FOLD 4u
/* The same, only for a value that is a number (digits, with + - spaces):
 * a search typed ００９４ finds the phone ending 0094, and a name or an
 * address searched stays as typed. */
#define F_FOLD_NUMBER 8u
/* ASCII letters lowered, after F_FOLD and before any check: a user name,
 * whose rule is lower-case, as a phone's keyboard types it (Gas.worker). */
#define F_LOWER 16u

struct field {
	const char *name;
	enum field_type type;
	unsigned flags;
	long long min, max;		/* 0, 0 = the type's defaults */
	const char *const *choices;	/* FT_ENUM: NULL-terminated */
	int (*check)(const char *s);	/* extra rule for text; 1 = valid */
	const char *zh, *en;		/* human names, for messages */
	const char *rule_zh, *rule_en;	/* the rule `check` enforces, told when it fails */
};

struct schema {
	const struct field *fields;
	size_t n;
};

#define SCHEMA(arr) { (arr), sizeof(arr) / sizeof((arr)[0]) }

struct value {
	int present;
	int is_null;
	long long i;
	const char *s;		/* text, in the arena */
	const int64_t *ids;	/* FT_IDS, in the arena */
};

/* A query-string parameter as received (URL-decoded). The lengths are
 * the decoded ones: a value longer than its C string held a NUL ("%00"). */
struct param {
	const char *key;
	const char *value;	/* NULL for a bare "?key" */
	size_t key_len;
	size_t value_len;
};

/* The longest text any field may declare, in characters. */
#define FIELD_TEXT_LIMIT 100000
#define VALIDATE_MAX_FIELDS 32

/* Parses body (len bytes; must be a JSON object) against sc, filling
 * out[sc->n]. Strings are copied into a. An empty schema accepts only an
 * empty object or an empty body. */
enum rh_err validate_json(const struct schema *sc, const char *body, size_t len, int tz_offset_min,
			  struct arena *a, struct value *out, struct rh_fail *fail);

/* Checks query parameters against sc: unknown or repeated keys are refused. */
enum rh_err validate_params(const struct schema *sc, const struct param *params, size_t n,
			    int tz_offset_min, struct arena *a, struct value *out, struct rh_fail *fail);

/* Whether s (len bytes) is well-formed UTF-8 without NUL. */
int utf8_valid(const char *s, size_t len);

/* Characters (code points) in well-formed UTF-8. */
size_t utf8_length(const char *s);

/* s (len bytes) without the spaces at either end: ASCII spaces and tabs,
 * the ideographic space U+3000 a Chinese input method types, the
 * no-break space U+00A0 a copy from a web page brings — and a BOM at
 * its start. The API's text fields and the import's cells are both
 * trimmed so: one estate is not two because a name ended in a space. */
const char *text_trim(const char *s, size_t *len);

/* Folds the full-width forms of ASCII (U+FF01–U+FF5E: "１３８" typed with
 * a Chinese input method in full-width mode) in s (n bytes) to ASCII, in
 * place; the new length. For numbers and codes, not for Chinese text,
 * whose full-width punctuation （，） is its own. */
size_t text_fold_fullwidth(char *s, size_t n);

/* Whether s (well-formed UTF-8) is clean text: no control characters
 * (line breaks and tabs only when multiline), and none of the invisible
 * characters that make a name show as another — bidirectional overrides
 * and marks (U+202E turns "abc" into "cba" on screen), zero-width spaces
 * and the word joiner, soft hyphens, a BOM inside, C1 controls, tag
 * characters. Joiners (U+200C, U+200D), which some scripts and emoji
 * need, are allowed. */
int text_clean(const char *s, int multiline);
#define TEXT_CLEAN_RULE_ZH "含有控制字符或不可见字符（如从右到左标记、零宽空格）"
#define TEXT_CLEAN_RULE_EN "holds control or invisible characters (such as right-to-left marks, zero-width spaces)"

/* s into out (cap bytes, always terminated), cut at a character
 * boundary, with every byte that is not part of well-formed UTF-8
 * written as '?': text from outside (a file name) made safe to store. */
void utf8_cut(const char *s, char *out, size_t cap);

#endif
