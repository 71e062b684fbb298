/*
 * export.h — any list as a file (SPEC X7): CSV in UTF-8 with a BOM, so
 * that Excel on Chinese Windows opens it as Chinese rather than as GBK
 * mojibake, or XLSX through libxlsxwriter; one header row, then one row of
 * text cells per record (text, so an account number such as
 * 00310012345678 keeps its zeros and digits).
 *
 * A CSV cell that starts with = + - @ would run as a formula in a
 * spreadsheet (CSV injection); it is written with a leading apostrophe,
 * and the importer drops one again (app/import.c). An XLSX text cell is
 * never a formula and is written as it is, but for one starting with an
 * apostrophe of its own, which gets one more as in a CSV file.
 */
#ifndef RUHU_EXPORT_H
#define RUHU_EXPORT_H
#include <stddef.h>

enum export_format { EXPORT_CSV, EXPORT_XLSX };

/* Whether the export writes cell s with a leading apostrophe: when it
 * could run as a formula in a spreadsheet (it starts with = + - @, tab
 * or CR) — or does so after apostrophes of its own, which then get one
 * more, so that the import, taking one off where this says so, gives back
 * every value as it was ('=x is written ''=x). */
int export_defused(const char *s);

#define EXPORT_MAX_ROWS 100000

struct exporter;

/* 0, or -1 when out of memory or no temporary file could be made. */
int exporter_new(enum export_format f, const char *sheet, const char *const *headers, size_t ncols,
		 struct exporter **out);
/* Excel holds at most 32,767 characters in a cell, and libxlsxwriter
 * refuses a longer one: such a row is not written to an XLSX file (a CSV
 * file has no limit). */
#define EXPORT_CELL_MAX 32767
#define EXPORT_CELL_TOO_LONG 1
/* 0; EXPORT_CELL_TOO_LONG when a cell is too long for an XLSX file; -1
 * when out of memory or the file could not be written. */
int exporter_row(struct exporter *e, const char *const *cells);
/* The finished file, malloc'ed, into *data; frees e either way. */
int exporter_finish(struct exporter *e, char **data, size_t *len);
void exporter_free(struct exporter *e);

const char *export_content_type(enum export_format f);
const char *export_extension(enum export_format f);

#endif
