/*
 * choice.h — the fixed lists a record's fields choose from (a household's
 * category, a worker's level …), each value with its stored code and its
 * Chinese and English labels.
 *
 * Codes are what the API, the database and the schemas' FT_ENUM/FT_SET
 * use; labels are what people read and what their spreadsheets hold, so
 * an import accepts either (choice_parse), and an export writes labels.
 */
#ifndef RUHU_CHOICE_H
#define RUHU_CHOICE_H
#include <stddef.h>

struct choice {
	const char *code;	/* "resident" */
	const char *zh;		/* "居民" */
	const char *en;		/* "Residential" */
	const char *alias;	/* another name people write, or NULL ("民用") */
};

/* A list: its choices and the codes alone, NULL-terminated, for the
 * validation schemas (core/validate.h). */
struct choice_set {
	const struct choice *items;
	size_t n;
	const char *const *codes;
};

#define CHOICE_SET(items, codes) { (items), sizeof(items) / sizeof((items)[0]), (codes) }

/* The index of text in s: its code, a label or the alias (ASCII case
 * ignored, surrounding spaces too); -1 when none matches. */
int choice_parse(const struct choice_set *s, const char *text);

/* choice_parse(), or def when text matches nothing (a stored code that
 * a later version no longer knows reads as def). */
int choice_parse_or(const struct choice_set *s, const char *text, int def);

/* The code of index i, or "" when out of range. */
const char *choice_code(const struct choice_set *s, int i);
/* The label of index i in the language (en = 0: Chinese). */
const char *choice_label(const struct choice_set *s, int i, int en);

/* A set of choices (bit i for item i) parsed from text separated by
 * ',', '，', '、', ';' or '；' (spaces around them ignored: English labels
 * hold spaces): 0, or -1 naming the bad part's start in *bad_at (an
 * offset into text). */
int choice_parse_set(const struct choice_set *s, const char *text, unsigned *out, size_t *bad_at);
/* The length of the item that begins at p in a set's text, up to its
 * separator and without the blanks before it: the value choice_parse_set()
 * could not read, at its bad_at. */
size_t choice_item_len(const char *p);

/* Yes/no as spreadsheets write it: 是/否, 有/无, 1/0, yes/no, y/n,
 * true/false, √/×; empty is no. 1, 0, or -1 when unrecognised. */
int yes_no_parse(const char *text);

#endif
