/*
 * fuzz_xlsxin.c — libFuzzer target for reading uploaded .xlsx workbooks
 * (core/xlsxin.c): a zip archive whose parts are inflated into an XML
 * parser, all of it from the uploader. Besides crashes, leaks, undefined
 * behaviour and zip bombs (libFuzzer's memory limit), a bug is: a row
 * that is empty, wider than the column limit, or not after the one
 * before it; a cell over the limit or not UTF-8; a raw line that is not
 * its row; or a refusal without a readable message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/validate.h"
#include "core/xlsxin.h"

#define MAX_FIELD 64

static int check_row(const struct csv_record *rec, void *arg)
{
	long *last = arg;
	if (rec->n == 0 || rec->n > CSV_MAX_FIELDS || rec->line <= *last) abort();
	*last = rec->line;
	int any = 0;
	for (size_t i = 0; i < rec->n; i++) {
		const char *f = rec->fields[i];
		if (!utf8_valid(f, strlen(f)) || utf8_length(f) > MAX_FIELD) abort();
		any |= f[0] != '\0';
	}
	if ((!any && !rec->overflow) || strlen(rec->raw) != rec->raw_len || rec->at > rec->total) abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_problem why;
	long last = 0;
	enum rh_err rc = xlsx_records((const char *)data, size, MAX_FIELD, check_row, &last, &why);
	if (rc != RH_OK) {
		if (why.err != rc || !why.zh[0] || !why.en[0] || why.line < 0) abort();
		if (!utf8_valid(why.zh, strlen(why.zh)) || !utf8_valid(why.en, strlen(why.en))) abort();
	}
	return 0;
}
