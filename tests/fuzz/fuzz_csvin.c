/*
 * fuzz_csvin.c — libFuzzer target for reading uploaded CSV files (issue
 * 3): the bytes are decoded as the importer does (encoding found
 * automatically), read record by record, and the first record is mapped
 * as a header onto a fixed column table. Besides crashes, leaks and
 * undefined behaviour, a bug is: decoded text that is not UTF-8, a record
 * whose lines or raw text disagree with the text, a field over the
 * limit, an empty row passed on, a header map that breaks its own rules,
 * or a refusal without a readable message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/csvin.h"
#include "core/validate.h"

#define MAX_FIELD 64

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

struct seen {
	const char *text;
	size_t len;
	long last_line;		/* of the previous record */
	long lines;		/* in the whole text: no problem can be past them */
};

/* Lines in s (len bytes) as csvin counts them: LF, CRLF, lone CR. */
static long breaks(const char *s, size_t len)
{
	long n = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))) n++;
	return n;
}

static void check_problem(const struct csv_problem *why)
{
	if (why->err == RH_OK || !why->zh[0] || !why->en[0] || why->line < 0) abort();
	if (!utf8_valid(why->zh, strlen(why->zh)) || !utf8_valid(why->en, strlen(why->en))) abort();
}

static void check_header(const struct csv_record *rec)
{
	int *map = malloc((rec->n ? rec->n : 1) * sizeof *map);
	struct csv_problem why;
	if (csv_map_header(rec, columns, NCOLS, map, &why) == RH_OK) {
		int found[NCOLS] = { 0 };
		for (size_t i = 0; i < rec->n; i++) {
			if (map[i] < CSV_ROW_NUMBER || map[i] >= (int)NCOLS) abort();
			if (map[i] >= 0 && found[map[i]]++) abort();
		}
		for (size_t c = 0; c < NCOLS; c++)
			if (columns[c].required && !found[c]) abort();
	} else {
		check_problem(&why);
		if (why.line != rec->line) abort();
	}
	free(map);
}

static int on_record(const struct csv_record *rec, void *arg)
{
	struct seen *s = arg;
	if (rec->n == 0 || rec->line <= s->last_line || rec->last_line < rec->line) abort();
	if (rec->raw < s->text || rec->raw_len > s->len || rec->raw > s->text + s->len - rec->raw_len) abort();
	if (rec->raw_len && (rec->raw[rec->raw_len - 1] == '\n' || rec->raw[rec->raw_len - 1] == '\r')) abort();
	if (breaks(s->text, (size_t)(rec->raw - s->text)) + 1 != rec->line) abort();
	if (breaks(rec->raw, rec->raw_len) != rec->last_line - rec->line) abort();
	int any = 0;
	for (size_t i = 0; i < rec->n; i++) {
		if (utf8_length(rec->fields[i]) > MAX_FIELD) abort();
		any |= rec->fields[i][0] != '\0';
	}
	if (!any && !rec->overflow) abort();	/* a row whose one value is past the limit */
	if (s->last_line == 0) check_header(rec);
	s->last_line = rec->last_line;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text;
	size_t len;
	char *owned;
	enum csv_encoding used;
	struct csv_problem why;
	if (csv_decode((const char *)data, size, CSV_ENC_AUTO, &text, &len, &owned, &used, &why) != RH_OK) {
		check_problem(&why);
		if (owned) abort();
		return 0;
	}
	if (used == CSV_ENC_AUTO || (len && !utf8_valid(text, len))) abort();
	struct seen s = { text, len, 0, breaks(text, len) + 1 };
	if (csv_records(text, len, MAX_FIELD, on_record, &s, &why) != RH_OK) {
		check_problem(&why);
		if (why.line > s.lines) abort();
	} else if (why.err != RH_OK) {
		abort();
	}
	free(owned);
	return 0;
}
