/*
 * export.c — lists as CSV or XLSX files (see export.h).
 *
 * libxlsxwriter 1.1.4 (Debian 12) writes only to a file, so an XLSX is
 * made in a private temporary file (constant-memory mode: rows go to disk
 * as they come) and read back into memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "app/export.h"
#include "base/buf.h"
#include "core/validate.h"

struct exporter {
	enum export_format fmt;
	size_t ncols;
	struct buf csv;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_row_t row;
	char path[64];
};

int export_defused(const char *s)
{
	s += strspn(s, "'");
	return *s == '=' || *s == '@' || *s == '+' || *s == '-' || *s == '\t' || *s == '\r';
}

/* The cell as it should be written: a formula-looking one defused, in b
 * (whole, however long: a file is evidence). NULL when out of memory. */
static const char *safe_cell(const char *s, struct buf *b)
{
	if (!export_defused(s)) return s;
	buf_reset(b);
	if (buf_putc(b, '\'') || buf_puts(b, s)) return NULL;
	return buf_str(b);
}

static int csv_cell(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (!s[0] || s[strlen(s) - 1] != ' ')) return buf_puts(b, s);
	if (buf_putc(b, '"')) return -1;
	for (; *s; s++)
		if ((*s == '"' && buf_putc(b, '"')) || buf_putc(b, *s)) return -1;
	return buf_putc(b, '"');
}

static int csv_row(struct exporter *e, const char *const *cells)
{
	struct buf tmp = BUF_INIT(SIZE_MAX);
	int rc = 0;
	for (size_t i = 0; i < e->ncols && rc == 0; i++) {
		const char *cell = safe_cell(cells[i], &tmp);
		rc = !cell || (i && buf_putc(&e->csv, ',')) || csv_cell(&e->csv, cell) ? -1 : 0;
	}
	buf_release(&tmp);
	return rc ? -1 : buf_puts(&e->csv, "\r\n");
}

/* Whether s holds "_x" and four hex digits and "_" — what Excel reads as
 * an escaped character (_x000D_ a carriage return). */
static int looks_escaped(const char *s)
{
	for (const char *p = strstr(s, "_x"); p; p = strstr(p + 1, "_x"))
		if (strspn(p + 2, "0123456789abcdefABCDEF") >= 4 && p[6] == '_') return 1;
	return 0;
}

/* s with each such "_" written as _x005F_, as Excel writes a literal one,
 * so that the text reads back as it is (libxlsxwriter escapes control
 * characters, not these): into b. 0, or -1 when out of memory. */
static int escape_underscores(const char *s, struct buf *b)
{
	for (const char *p = s; *p; p++) {
		int esc = p[0] == '_' && p[1] == 'x' && strspn(p + 2, "0123456789abcdefABCDEF") >= 4 && p[6] == '_';
		if (esc ? buf_puts(b, "_x005F_") : buf_putc(b, *p)) return -1;
	}
	return 0;
}

static int xlsx_row(struct exporter *e, const char *const *cells, lxw_format *fmt)
{
	struct buf tmp = BUF_INIT(SIZE_MAX), escaped = BUF_INIT(SIZE_MAX);
	int rc = 0;
	for (size_t i = 0; i < e->ncols && rc == 0; i++) {
		if (!cells[i][0]) continue;
		/* A sheet's text cell is never a formula: "=1+1" stays as it is,
		 * where an apostrophe before it would show in Excel (found in
		 * review). One already there ('=x) gets its second, as in a CSV
		 * file, since the import takes one off either way. */
		const char *text = cells[i][0] == '\'' ? safe_cell(cells[i], &tmp) : cells[i];
		buf_reset(&escaped);
		if (text && looks_escaped(text)) text = escape_underscores(text, &escaped) == 0 ? buf_str(&escaped) : NULL;
		if (!text) rc = -1;
		else if (utf8_length(text) > EXPORT_CELL_MAX) rc = EXPORT_CELL_TOO_LONG;	/* libxlsxwriter's refusal, named */
		else if (worksheet_write_string(e->ws, e->row, (lxw_col_t)i, text, fmt) != LXW_NO_ERROR) rc = -1;
	}
	buf_release(&tmp);
	buf_release(&escaped);
	if (rc == 0) e->row++;
	return rc;
}

int exporter_new(enum export_format f, const char *sheet, const char *const *headers, size_t ncols,
		 struct exporter **out)
{
	struct exporter *e = calloc(1, sizeof *e);
	if (!e) return -1;
	e->fmt = f;
	e->ncols = ncols;
	buf_init(&e->csv, SIZE_MAX);
	if (f == EXPORT_CSV) {
		if (buf_puts(&e->csv, "\xEF\xBB\xBF") || csv_row(e, headers)) goto fail;
		*out = e;
		return 0;
	}
	const char *dir = getenv("TMPDIR");
	snprintf(e->path, sizeof e->path, "%.40s/ruhu-export-XXXXXX", dir && dir[0] && strlen(dir) < 40 ? dir : "/tmp");
	int fd = mkstemp(e->path);
	if (fd < 0) {
		e->path[0] = '\0';
		goto fail;
	}
	close(fd);
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	e->wb = workbook_new_opt(e->path, &opt);
	if (!e->wb || !(e->ws = workbook_add_worksheet(e->wb, sheet))) goto fail;
	lxw_format *bold = workbook_add_format(e->wb);
	format_set_bold(bold);
	worksheet_set_column(e->ws, 0, (lxw_col_t)(ncols ? ncols - 1 : 0), 16, NULL);
	if (xlsx_row(e, headers, bold)) goto fail;
	*out = e;
	return 0;
fail:
	exporter_free(e);
	return -1;
}

int exporter_row(struct exporter *e, const char *const *cells)
{
	return e->fmt == EXPORT_CSV ? csv_row(e, cells) : xlsx_row(e, cells, NULL);
}

static int slurp(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) return -1;
	struct buf b = BUF_INIT(SIZE_MAX);
	char chunk[65536];
	size_t n;
	int bad = 0;
	while (!bad && (n = fread(chunk, 1, sizeof chunk, f)) > 0) bad = buf_append(&b, chunk, n);
	fclose(f);
	if (bad) {
		buf_release(&b);
		return -1;
	}
	*data = buf_detach(&b, len);
	return *data ? 0 : -1;
}

int exporter_finish(struct exporter *e, char **data, size_t *len)
{
	int rc = 0;
	if (e->fmt == EXPORT_CSV) {
		*data = buf_detach(&e->csv, len);
		rc = *data ? 0 : -1;
	} else {
		lxw_error closed = workbook_close(e->wb);
		e->wb = NULL;
		rc = closed == LXW_NO_ERROR ? slurp(e->path, data, len) : -1;
	}
	exporter_free(e);
	return rc;
}

void exporter_free(struct exporter *e)
{
	if (!e) return;
	if (e->wb) workbook_close(e->wb);
	if (e->path[0]) unlink(e->path);
	buf_release(&e->csv);
	free(e);
}

const char *export_content_type(enum export_format f)
{
	return f == EXPORT_CSV ? "text/csv; charset=utf-8"
			       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

const char *export_extension(enum export_format f)
{
	return f == EXPORT_CSV ? "csv" : "xlsx";
}
