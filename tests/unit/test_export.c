/*
 * test_export.c — lists written as files (SPEC X7, app/export.c): a
 * formula-looking cell defused whole however long it is, an XLSX file
 * read back cell for cell by the importer's own reader, and a cell past
 * Excel's limit refused by name rather than as a failure.
 */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "app/export.h"
#include "core/xlsxin.h"

/* A cell of n bytes: first, then 'a' to the end. */
static char *long_cell(char first, size_t n)
{
	char *s = malloc(n + 1);
	memset(s, 'a', n);
	s[0] = first;
	s[n] = '\0';
	return s;
}

struct readback {
	char *cells[4];
	int rows;
};

static int keep_row(const struct csv_record *rec, void *arg)
{
	struct readback *rb = arg;
	if (rb->rows++ == 1)	/* the row after the header */
		for (size_t i = 0; i < rec->n && i < 4; i++) rb->cells[i] = strdup(rec->fields[i]);
	return 0;
}

static void test_long_defused(void)
{
	static const char *const headers[] = { "备注", "户名" };
	char *formula = long_cell('=', 10000);
	const char *row[] = { formula, "张三" };
	char *data;
	size_t len;
	struct exporter *e;

	t_case("X7 a formula-looking cell of 10,000 characters is written whole after its apostrophe (CSV)");
	CHECK_INT(exporter_new(EXPORT_CSV, "住户", headers, 2, &e), 0);
	CHECK_INT(exporter_row(e, row), 0);
	CHECK_INT(exporter_finish(e, &data, &len), 0);
	char *want = malloc(10000 + 32);
	snprintf(want, 10000 + 32, "\r\n'%s,张三\r\n", formula);
	CHECK(len > strlen(want) && strcmp(data + len - strlen(want), want) == 0);
	free(data);

	t_case("X7 … and in an XLSX file as it is (a sheet's text is never a formula), read back as the importer reads it");
	CHECK_INT(exporter_new(EXPORT_XLSX, "住户", headers, 2, &e), 0);
	CHECK_INT(exporter_row(e, row), 0);
	CHECK_INT(exporter_finish(e, &data, &len), 0);
	struct readback rb = { { NULL }, 0 };
	struct csv_problem why;
	CHECK_INT(xlsx_records(data, len, 0, keep_row, &rb, &why), RH_OK);
	CHECK_INT(rb.rows, 2);
	CHECK(rb.cells[0] && strcmp(rb.cells[0], formula) == 0);
	CHECK_STR(rb.cells[1] ? rb.cells[1] : "", "张三");
	for (int i = 0; i < 4; i++) free(rb.cells[i]);
	free(data);
	free(want);
	free(formula);
}

static void test_cell_too_long(void)
{
	static const char *const headers[] = { "变更后" };
	char *fits = long_cell('{', EXPORT_CELL_MAX), *over = long_cell('{', EXPORT_CELL_MAX + 1);
	struct exporter *e;
	char *data;
	size_t len;
	t_case("X7 an XLSX cell of Excel's 32,767 characters is written; one more is EXPORT_CELL_TOO_LONG, not a failure");
	CHECK_INT(exporter_new(EXPORT_XLSX, "审计日志", headers, 1, &e), 0);
	CHECK_INT(exporter_row(e, (const char *const[]){ fits }), 0);
	CHECK_INT(exporter_row(e, (const char *const[]){ over }), EXPORT_CELL_TOO_LONG);
	exporter_free(e);
	t_case("X7 a CSV file has no such limit");
	CHECK_INT(exporter_new(EXPORT_CSV, "审计日志", headers, 1, &e), 0);
	CHECK_INT(exporter_row(e, (const char *const[]){ over }), 0);
	CHECK_INT(exporter_finish(e, &data, &len), 0);
	CHECK(len > EXPORT_CELL_MAX);
	free(data);
	free(fits);
	free(over);
}

int main(void)
{
	test_long_defused();
	test_cell_too_long();
	return t_done();
}
