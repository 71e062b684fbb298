/*
 * csvin.h — reading the CSV files organisations already have: the text
 * encoding, the records, and the header row mapped to our fields.
 *
 * What real files bring (issue 3): UTF-8 with or without a BOM; GBK /
 * GB18030, which Excel on Chinese Windows writes; headers in Chinese or
 * English; quoted fields holding commas and line breaks; empty lines; a
 * last line cut off in the middle of a quoted field. This module turns
 * such bytes into UTF-8 records, each with the line it starts on, and
 * says exactly where and why when it cannot. The records themselves are
 * parsed by libcsv; encodings are converted by iconv.
 *
 * Pure: no files and no global state (app/import.c does the I/O and the
 * store calls), so it is fuzzed directly (tests/fuzz/fuzz_csvin.c).
 */
#ifndef RUHU_CSVIN_H
#define RUHU_CSVIN_H
#include <stddef.h>
#include "core/error.h"

/* More fields in one record is not a table we take (and would let a
 * 32 MB row of ",a" cost ten times its size). Those past it are not kept:
 * empty ones (a sheet's unused columns) count for nothing, and a value
 * there is the record's overflow, for its reader to refuse that row. */
#define CSV_MAX_FIELDS 256

enum csv_encoding {
	CSV_ENC_AUTO,	/* BOM, else UTF-8 if the bytes are valid UTF-8 (or hold UTF-8
			 * text before the first bad byte: reported), else GB18030 */
	CSV_ENC_UTF8,
	CSV_ENC_GB18030,	/* also reads GBK and GB2312, its subsets */
	CSV_ENC_XLSX,		/* not a CSV text: an .xlsx workbook (core/xlsxin.h), found, never asked for */
};

/* "auto", "utf-8" (or "utf8"), "gbk", "gb18030", "gb2312": 0, or -1 if unknown. */
int csv_encoding_parse(const char *name, enum csv_encoding *out);
const char *csv_encoding_name(enum csv_encoding e);	/* "utf-8", "gb18030", "xlsx", "auto" */

/* Why a file or a record could not be read. line is 1-based (0: the
 * file as a whole). zh and en are whole sentences that name the place:
 * "第 12 行：引号未闭合（文件可能被截断）". Every function below takes
 * why = NULL when the caller does not want them; on success why->err is
 * RH_OK and the messages are empty. */
struct csv_problem {
	enum rh_err err;	/* RH_ERR_FIELD_INVALID, RH_ERR_NOMEM … */
	long line;
	int col;		/* 1-based, when the problem is one cell's; else 0 */
	char zh[160], en[160];
};

/* Fills why and returns err. zh and en are the message without its
 * place, which is put before it: "第 12 行：…" / "line 12: …", or "第 1 行
 * 第 3 列…" / "line 1, column 3: …" when col > 0; nothing when line is 0
 * (the whole file). For the readers of other formats (core/xlsxin.c). */
enum rh_err csv_problem_set(struct csv_problem *why, enum rh_err err, long line, size_t col, const char *zh,
			    const char *en);

/* The file's text as UTF-8 without a BOM: *out points into in when no
 * conversion was needed (a UTF-8 BOM is skipped), else at a malloc'ed
 * buffer stored in *owned (free() it; NULL otherwise). *used is the
 * encoding found. Fails (RH_ERR_FIELD_INVALID with the line of the first
 * bad byte) when the bytes are not valid in the encoding asked for, or
 * hold a NUL; a UTF-16 file (Excel's "Unicode text") is named as such.
 * Line numbers count LF, CRLF and a lone CR, as csv_records does. */
enum rh_err csv_decode(const char *in, size_t len, enum csv_encoding want, const char **out, size_t *out_len,
		       char **owned, enum csv_encoding *used, struct csv_problem *why);

/* One record: its fields (UTF-8, NUL-terminated, surrounding spaces of
 * unquoted fields trimmed) and the lines it spans in the file. Valid only
 * during the callback. */
struct csv_record {
	const char *const *fields;
	size_t n;
	long line;		/* the line the record starts on */
	long last_line;		/* the line it ends on (> line when a quoted field holds line breaks) */
	const char *raw;	/* the record's text as in the (decoded) file, for reject files */
	size_t raw_len;
	size_t at, total;	/* how far into its input it is, in bytes, of how many: for progress */
	size_t overflow;	/* 1-based column of its first value past CSV_MAX_FIELDS, not in fields;
				   0: none (empty cells there count for nothing) */
};

/* Calls fn for every record of text (UTF-8, as csv_decode gives it),
 * the header row included. LF, CRLF and a lone CR each end a line.
 * Lines with nothing on them are skipped, and so are rows whose fields
 * are all empty (Excel writes ",,," for a blank row of a table); line
 * numbers still count them. fn returns 0 to go on, non-zero to stop
 * (csv_records then returns RH_OK). Errors, after which fn is not called
 * again: a quoted field still open at the end of the text (a truncated
 * last line), naming the line the field began on; a field longer than
 * max_field characters (0: no limit), naming its line and column; a quote
 * inside an unquoted field or after a closing quote; a NUL byte.
 *
 * Not called csv_parse: libcsv, which does the parsing, exports that
 * name, and ours would replace it for every caller in the program. */
enum rh_err csv_records(const char *text, size_t len, size_t max_field,
			int (*fn)(const struct csv_record *rec, void *arg), void *arg, struct csv_problem *why);

/* A column the importer understands: its field key and the header names
 * it is known by (Chinese and English, NULL-terminated). */
struct csv_column {
	const char *key;		/* "account_no" */
	const char *const *names;	/* { "户号", "用户编号", "account_no", "account", NULL } */
	int required;
	int fold;			/* a number or code: full-width digits and letters read as ASCII */
	int spill;			/* 1 + the column a second cell naming this one goes to (手机 and
					   电话 both name the phone: the second is the other phone); 0: none */
};

#define CSV_UNNAMED (-1)	/* an empty header cell: a value under it names nothing */
#define CSV_ROW_NUMBER (-2)	/* 序号, No.: the sheet's running number, read by nobody */

/* Maps a header row onto columns: map (header->n entries) gets, for the
 * header's i-th cell, the index in cols of its column, or CSV_UNNAMED or
 * CSV_ROW_NUMBER (both ignored; the caller decides what a value under an
 * unnamed cell means). Header names match after
 * trimming spaces (also U+3000), case-insensitively for ASCII, with
 * full-width letters, digits and brackets folded to ASCII, '_' '-' and
 * ' ' alike, and a trailing note in brackets and "*" marks dropped:
 * "户号（必填）", "*户号", "Account-No (required)" all match "户号" or
 * "account_no". A second cell naming a column with a spill column goes
 * there while that is free. Fails naming the cell ("第 1 行第 3 列…": why->line is the
 * header's line, the column 1-based) when it matches nothing
 * (RH_ERR_FIELD_UNKNOWN) or a column an earlier cell already matched
 * (RH_ERR_FIELD_INVALID); fails naming a required column's first name
 * when no cell matches it (RH_ERR_FIELD_REQUIRED). */
enum rh_err csv_map_header(const struct csv_record *header, const struct csv_column *cols, size_t ncols,
			   int *map, struct csv_problem *why);

/* A header cell as a message quotes it: without the blanks at its ends,
 * cut to about 45 bytes on a character boundary, control characters as
 * spaces; out gets cap bytes (at least 8), always terminated. */
void csv_cell_text(const char *s, char *out, size_t cap);

#endif
