/*
 * xlsxin.h — reading the .xlsx workbooks organisations keep their 台账 in,
 * row by row, as the importer reads a CSV file (core/csvin.h).
 *
 * An .xlsx file is a zip archive of XML parts. This module finds the
 * workbook's first sheet, the shared strings and the cell styles through
 * the package's relationships, as Excel does, and hands each row of that sheet
 * to the caller as a struct csv_record: its cells as UTF-8 text, its
 * line the sheet's row number (what Excel shows beside it), its raw text
 * the row written as a CSV line (for the reject file). A cell holds its
 * value much as Excel shows it: a number as in the General format (15
 * significant digits, a whole one without point or exponent, however
 * the writer stored it: 13812345678.0 is 13812345678), with the leading
 * zeros of a format such as 000000; a date cell (a number in a date
 * format) as YYYY-MM-DD, TRUE/FALSE as 1/0, a formula as its last value.
 * Other number formats (thousands separators, fixed decimals) are not
 * applied. A range merged over several rows (小区 merged beside its
 * households) gives its value to the empty cells below it, in rows that
 * have a value of their own; one within a row gives nothing.
 * A cell holding an Excel error (#N/A), or a number of 10^15 or more
 * (Excel keeps 15 digits: an ID number typed as a number has already
 * lost its last ones), is refused naming the cell. Only the first
 * visible sheet is read.
 *
 * The archive is read in memory (zlib inflates its parts, expat parses
 * them as they inflate); nothing is written. Pure, like csvin: fuzzed
 * directly (tests/fuzz/fuzz_xlsxin.c).
 */
#ifndef RUHU_XLSXIN_H
#define RUHU_XLSXIN_H
#include <stddef.h>
#include "core/csvin.h"

/* Whether data starts like a zip archive (an .xlsx file, or another). */
int xlsx_is_zip(const char *data, size_t len);
/* Whether data is an OLE2 compound file: a workbook of Excel before 2007
 * (.xls), or an .xlsx with a password, which Excel wraps in one. */
int xlsx_is_legacy(const char *data, size_t len);

/* Calls fn for each non-empty row of the first sheet of the workbook in
 * data (len bytes), as csv_records does for a CSV text: rows whose cells
 * are all empty are skipped, fn returns non-zero to stop. Fails with why
 * naming the place (a row, or the file as a whole) when the archive or
 * its XML is damaged or is not a workbook, when a cell is longer than
 * max_field characters (0: no limit), or a row has a value past its
 * CSV_MAX_FIELDS-th column (empty styled cells there count for nothing). */
enum rh_err xlsx_records(const char *data, size_t len, size_t max_field,
			 int (*fn)(const struct csv_record *rec, void *arg), void *arg, struct csv_problem *why);

#endif
