/*
 * import.c — an import from bytes to committed rows (see import.h).
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "app/export.h"
#include "app/import.h"
#include "app/tabular.h"
#include "core/validate.h"
#include "core/xlsxin.h"
#include "base/log.h"

/* Longer than any field may be: past this the file is not what we take. */
#define FIELD_HARD_MAX 10000

/* Account or staff numbers seen so far, with their lines: a file that
 * names one twice is refused at the second (which of the two should win
 * is not ours to guess). Open addressing; grows by doubling. */
struct seen {
	char **keys;
	long *lines;
	size_t cap, n;
};

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int seen_grow(struct seen *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	char **keys = calloc(cap, sizeof *keys);
	long *lines = calloc(cap, sizeof *lines);
	if (!keys || !lines) {
		free(keys);
		free(lines);
		return -1;
	}
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->keys[i]) continue;
		size_t j = fnv(t->keys[i]) & (cap - 1);
		while (keys[j]) j = (j + 1) & (cap - 1);
		keys[j] = t->keys[i];
		lines[j] = t->lines[i];
	}
	free(t->keys);
	free(t->lines);
	t->keys = keys;
	t->lines = lines;
	t->cap = cap;
	return 0;
}

/* 0 and the key remembered; the earlier line when it was seen; -1 when
 * out of memory. */
static long seen_add(struct seen *t, const char *key, long line)
{
	if ((t->n + 1) * 2 > t->cap && seen_grow(t) != 0) return -1;
	size_t j = fnv(key) & (t->cap - 1);
	for (; t->keys[j]; j = (j + 1) & (t->cap - 1))
		if (strcmp(t->keys[j], key) == 0) return t->lines[j];
	if (!(t->keys[j] = strdup(key))) return -1;
	t->lines[j] = line;
	t->n++;
	return 0;
}

static void seen_free(struct seen *t)
{
	for (size_t i = 0; i < t->cap; i++) free(t->keys[i]);
	free(t->keys);
	free(t->lines);
}

struct run {
	struct db *db;
	const struct actor *actor;
	const struct import_options *o;
	struct import_report *rep;
	const struct csv_column *cols;
	size_t ncols;
	struct store_import *im;
	struct seen seen;
	int *map;		/* header cell → column, after the header */
	char (*heads)[64];	/* header cell → its text as the file has it, for messages */
	int title_skipped;	/* a title row above the header was passed over */
	size_t map_n;
	unsigned absent;	/* KEEP() bits of the columns the file lacks */
	long records;		/* data records read so far */
	const char *cells[32];
	struct buf trimmed;	/* this row's cells that text_trim() shortened */
	const char *text;	/* the decoded file */
	size_t text_len;
	enum rh_err fatal;	/* a store or memory failure: stop */
	union { struct household h; struct staff s; } rec;
};

/* The header the file gives its column (1-based), or NULL: none, or empty. */
static const char *file_head(const struct run *r, int column)
{
	return column > 0 && (size_t)column <= r->map_n && r->heads && r->heads[column - 1][0] ? r->heads[column - 1] : NULL;
}

/* The length of the "第 5 行第 7 列：" / "line 5, column 7: " (or "第 5
 * 行：" / "line 5: ") msg begins with, or 0. */
static unsigned short line_prefix(const char *msg, long line, int column, int en)
{
	char p[64];
	int n = column > 0 ? snprintf(p, sizeof p, en ? "line %ld, column %d: " : "第 %ld 行第 %d 列", line, column) : 0;
	if (n > 0 && strncmp(msg, p, (size_t)n) == 0) {
		if (!en && strncmp(msg + n, "：", strlen("：")) == 0) n += (int)strlen("：");
		return (unsigned short)n;
	}
	n = snprintf(p, sizeof p, en ? "line %ld: " : "第 %ld 行：", line);
	return strncmp(msg, p, (size_t)n) == 0 ? (unsigned short)n : 0;
}

/* An error of a cell names its column as the file does (电话, not the
 * column's first name 备用电话, when a second phone column spilled there):
 * the header the user wrote is what they look for. A column the file
 * lacks is named by its own Chinese and English names. */
static void add_error(struct run *r, long line, int column, int col, enum rh_err err, const char *zh, const char *en)
{
	struct import_report *rep = r->rep;
	rep->errors_total++;
	if (rep->n_errors == IMPORT_ERRORS_MAX) return;
	struct import_error *e = &rep->errors[rep->n_errors++];
	memset(e, 0, sizeof *e);
	e->line = line;
	e->column = column;
	e->err = err;
	if (col < 0) {	/* a row's or the file's: a message that begins with its line has its reason after it */
		/* a cell the parse stopped at (one too long) still has a header, once the header is read */
		const char *head = r->map ? file_head(r, column) : NULL;
		if (head) {
			snprintf(e->header, sizeof e->header, "%s", head);
			if (r->map[column - 1] >= 0) snprintf(e->field, sizeof e->field, "%s", r->cols[r->map[column - 1]].key);
		}
		utf8_cut(zh, e->zh, sizeof e->zh);
		utf8_cut(en, e->en, sizeof e->en);
		if (line > 0) {
			e->why_zh = line_prefix(e->zh, line, column, 0);
			e->why_en = line_prefix(e->en, line, column, 1);
		}
		return;
	}
	const char *head = file_head(r, column);
	snprintf(e->field, sizeof e->field, "%s", r->cols[col].key);
	snprintf(e->header, sizeof e->header, "%s", head ? head : r->cols[col].names[0]);
	int pz = snprintf(e->zh, sizeof e->zh, "第 %ld 行“%s”：", line, e->header);
	int pe = snprintf(e->en, sizeof e->en, "line %ld, %s (%s): ", line, head ? e->header : r->cols[col].names[2],
			  e->field);
	e->why_zh = (unsigned short)(pz > 0 && (size_t)pz < sizeof e->zh ? pz : 0);
	e->why_en = (unsigned short)(pe > 0 && (size_t)pe < sizeof e->en ? pe : 0);
	/* cut where a character ends: a long header and a long reason must
	   still make UTF-8 (the report is JSON) */
	utf8_cut(zh, e->zh + e->why_zh, sizeof e->zh - e->why_zh);
	utf8_cut(en, e->en + e->why_en, sizeof e->en - e->why_en);
}

/* The file column (1-based) that holds column col, or 0. */
static int file_column(const struct run *r, int col)
{
	for (size_t i = 0; i < r->map_n; i++)
		if (r->map[i] == col) return (int)i + 1;
	return 0;
}

/* A CSV field for the reject file's reason column. */
static int put_quoted(struct buf *b, const char *s)
{
	if (buf_putc(b, '"')) return -1;
	for (; *s; s++)
		if ((*s == '"' && buf_putc(b, '"')) || buf_putc(b, *s)) return -1;
	return buf_putc(b, '"');
}

/* A bad row into the reject file, with why in the importing user's
 * language (the errors[] beside it are in that language too). */
static void reject(struct run *r, const struct csv_record *rec, const char *zh, const char *en)
{
	if (r->im) store_import_reject(r->im);
	if (!r->o->keep_good) return;
	const char *why = r->o->en && en ? en : zh;
	struct buf *b = &r->rep->reject;
	if (buf_append(b, rec->raw, rec->raw_len) || buf_putc(b, ',') || put_quoted(b, why) || buf_putc(b, '\n'))
		r->fatal = RH_ERR_NOMEM;
}

/* A row with bad cells into the reject file: the reason, or with more
 * than one, each after its column's header ("电话：…；用户类别：…"). */
static void reject_cells(struct run *r, const struct csv_record *rec, const struct cell_problems *why)
{
	if (why->n == 1) {
		reject(r, rec, why->v[0].zh, why->v[0].en);
		return;
	}
	char zh[1600] = "", en[2400] = "";
	size_t zl = 0, el = 0;
	for (int i = 0; i < why->n; i++) {
		const char *head = file_head(r, file_column(r, why->v[i].col));
		if (!head) head = r->cols[why->v[i].col].names[0];
		if (zl < sizeof zh)
			zl += (size_t)snprintf(zh + zl, sizeof zh - zl, "%s%s：%s", i ? "；" : "", head, why->v[i].zh);
		if (el < sizeof en)
			el += (size_t)snprintf(en + el, sizeof en - el, "%s%s: %s", i ? "; " : "", head, why->v[i].en);
	}
	reject(r, rec, zh, en);
}

/* The message for a value past the last column a row may have. */
static void overflow_text(const struct csv_record *rec, char *zh, char *en, size_t cap)
{
	snprintf(zh, cap, "第 %ld 行：一行最多 %d 列，第 %zu 列有内容", rec->line, CSV_MAX_FIELDS, rec->overflow);
	snprintf(en, cap, "line %ld: a row has at most %d columns; column %zu holds a value", rec->line, CSV_MAX_FIELDS,
		 rec->overflow);
}

/* The header row: columns mapped, the import begun, the reject file's
 * header written. */
static int on_header(struct run *r, const struct csv_record *rec)
{
	struct csv_problem why;
	if (rec->overflow) {	/* a header past the limit names a column no row may fill */
		char zh[160], en[160];
		overflow_text(rec, zh, en, sizeof zh);
		add_error(r, rec->line, (int)rec->overflow, -1, RH_ERR_FIELD_INVALID, zh, en);
		return 1;
	}
	r->map = calloc(rec->n ? rec->n : 1, sizeof *r->map);
	if (!r->map) {
		r->fatal = RH_ERR_NOMEM;
		return 1;
	}
	r->map_n = rec->n;
	if (csv_map_header(rec, r->cols, r->ncols, r->map, &why) != RH_OK) {
		/* A title above the header (华安燃气住户台账, in one cell merged
		 * across the sheet) is passed over once: the header is the
		 * next row. */
		size_t filled = 0, at = 0;
		for (size_t i = 0; i < rec->n; i++)
			if (rec->fields[i][0]) filled++, at = i;
		/* …but not a header line split by ; or a tab, which is one
		 * cell too, and better named as it is */
		if (!r->title_skipped && filled == 1 && why.err == RH_ERR_FIELD_UNKNOWN &&
		    !strpbrk(rec->fields[at], ";\t|")) {
			r->title_skipped = 1;
			free(r->map);
			r->map = NULL;
			r->map_n = 0;
			return 0;
		}
		add_error(r, why.line, why.col, -1, why.err, why.zh, why.en);
		return 1;
	}
	r->heads = calloc(rec->n ? rec->n : 1, sizeof *r->heads);
	if (!r->heads) {
		r->fatal = RH_ERR_NOMEM;
		return 1;
	}
	for (size_t i = 0; i < rec->n; i++) csv_cell_text(rec->fields[i], r->heads[i], sizeof r->heads[i]);
	/* A column the file does not have changes nothing stored. */
	for (size_t c = 0; c < r->ncols; c++) r->absent |= KEEP(c);
	for (size_t i = 0; i < rec->n; i++)
		if (r->map[i] >= 0) r->absent &= ~KEEP(r->map[i]);
	if (r->o->keep_good) {
		struct buf *b = &r->rep->reject;
		if (buf_puts(b, "\xEF\xBB\xBF") || buf_append(b, rec->raw, rec->raw_len) || buf_puts(b, ",错误 error\n"))
			r->fatal = RH_ERR_NOMEM;
	}
	char digest[crypto_hash_sha256_BYTES], hex[65];
	crypto_hash_sha256((unsigned char *)digest, (const unsigned char *)r->text, r->text_len);
	hex_encode((unsigned char *)digest, sizeof digest, hex);
	enum rh_err rc = store_import_begin(r->db, r->actor, r->actor->tenant_id, r->o->kind, r->o->rights, r->o->scope,
					    r->o->source ? r->o->source : "", hex, csv_encoding_name(r->rep->encoding),
					    /* rows expected: a CSV row is ~64 bytes, a deflated .xlsx one ~40 */
					    (long)(r->text_len / (r->rep->encoding == CSV_ENC_XLSX ? 40 : 64)), r->o->dry_run,
					    &r->im);
	if (rc != RH_OK) r->fatal = rc;
	return r->fatal != RH_OK;
}

/* A row's store failure named like a cell problem. */
static void store_problem(struct run *r, const struct csv_record *rec, const struct rh_fail *f)
{
	int col = -1;
	for (size_t i = 0; i < r->ncols; i++)
		if (f->field && strcmp(r->cols[i].key, f->field) == 0) col = (int)i;
	if (f->err == RH_ERR_FORBIDDEN && f->detail_zh && f->detail_en) {	/* outside the user's estates (SPEC X1) */
		add_error(r, rec->line, file_column(r, col), col, f->err, f->detail_zh, f->detail_en);
		reject(r, rec, f->detail_zh, f->detail_en);
		return;
	}
	if (f->err == RH_ERR_FORBIDDEN) {	/* a site the row names is not there, and the user may not create it */
		static const char zh[] = "该小区、楼栋或单元尚不存在，您的角色不能新建：请系统管理员或项目经理先建好，或改正名称";
		static const char en[] = "no such estate, building or unit, and your role may not create one: an admin or a"
					 " manager can, or correct the name";
		add_error(r, rec->line, file_column(r, col), col, f->err, zh, en);
		reject(r, rec, zh, en);
		return;
	}
	if (f->field && (strcmp(f->field, "estate") == 0 || strcmp(f->field, "building") == 0)) {
		add_error(r, rec->line, file_column(r, col), col, f->err, "上级（小区、楼栋）不能为空",
			  "the level above (estate, building) is required");
		reject(r, rec, "上级（小区、楼栋）不能为空", "the level above (estate, building) is required");
		return;
	}
	const char *zh, *en;
	if (f->detail_zh && f->detail_en) {	/* the store said exactly what */
		add_error(r, rec->line, file_column(r, col), col, f->err, f->detail_zh, f->detail_en);
		reject(r, rec, f->detail_zh, f->detail_en);
		return;
	}
	switch (f->err) {
	case RH_ERR_DUPLICATE: zh = "与已有记录重复", en = "already belongs to another record"; break;
	case RH_ERR_BLACKLISTED: zh = "此人已列入不良信用记录（黑名单）", en = "this person is blacklisted"; break;
	case RH_ERR_FIELD_REQUIRED: zh = "此项必填（分包人员须填写用工单位）", en = "required (a subcontractor's worker names the employer)"; break;
	case RH_ERR_HIRING_INCOMPLETE:
		zh = "招聘流程尚未全部通过，不能改为在岗", en = "not every hiring step has passed: cannot become active";
		break;
	case RH_ERR_STATE:
		zh = "不能从当前状态改为此状态（离职、解聘人员须先改为候选，停职只适用于在岗人员）";
		en = "not possible from the current status (a leaver becomes a candidate first; only active staff are suspended)";
		break;
	default: zh = "该值只能用于更新已有记录（脱敏值表示保留原值）", en = "a masked value only keeps what an existing record holds";
	}
	add_error(r, rec->line, file_column(r, col), col, f->err, zh, en);
	reject(r, rec, zh, en);
}

static void write_row(struct run *r, const struct csv_record *rec, unsigned masked, unsigned blank,
		      const struct household_sites *sites)
{
	struct rh_fail f;
	memset(&f, 0, sizeof f);
	enum import_outcome out;
	enum rh_err rc;
	unsigned keep = masked | blank | r->absent;
	const char *masked_field = "";
	for (size_t c = 0; c < r->ncols; c++)
		if (masked & KEEP(c)) {
			masked_field = r->cols[c].key;
			break;
		}
	if (r->o->kind == IMPORT_HOUSEHOLDS) {
		rc = store_import_household(r->im, sites->estate, sites->building, sites->unit, &r->rec.h, keep, masked,
					    masked_field, household_merge, &out, &f);
	} else {
		rc = store_import_staff(r->im, &r->rec.s, keep, masked, masked_field, staff_merge, &out, &f);
	}
	if (rc == RH_OK) return;
	/* A row the rules refuse (a status it may not move to, a blacklisted
	 * person) is a bad row like any other, not a failed import. */
	if (rc == RH_ERR_DUPLICATE || rc == RH_ERR_FIELD_INVALID || rc == RH_ERR_FIELD_REQUIRED || rc == RH_ERR_STATE ||
	    rc == RH_ERR_HIRING_INCOMPLETE || rc == RH_ERR_BLACKLISTED || rc == RH_ERR_FORBIDDEN ||
	    rc == RH_ERR_VERSION_CONFLICT) {
		store_problem(r, rec, &f);
		return;
	}
	r->fatal = rc;
}

/* Each cell trimmed as the API trims a text (text_trim): a quoted
 * " 幸福里" names the estate 幸福里, and "张三　" is 张三. The shortened
 * ones are copied into r->trimmed, sized first so that it never moves. */
static int trim_cells(struct run *r)
{
	size_t need = 0;
	for (size_t c = 0; c < r->ncols; c++) need += strlen(r->cells[c]) + 1;
	buf_reset(&r->trimmed);
	if (buf_reserve(&r->trimmed, need + 1) != 0) return -1;
	for (size_t c = 0; c < r->ncols; c++) {
		size_t len = strlen(r->cells[c]), n = len;
		const char *s = text_trim(r->cells[c], &n);
		int fold = r->cols[c].fold && (strstr(s, "\xEF\xBC") || strstr(s, "\xEF\xBD"));
		if (n == len && !fold) continue;
		char *at = r->trimmed.data + r->trimmed.len;
		buf_append(&r->trimmed, s, n);	/* room reserved: cannot fail */
		if (fold) r->trimmed.len -= n - text_fold_fullwidth(at, n);
		buf_putc(&r->trimmed, '\0');
		r->cells[c] = at;
	}
	return 0;
}

static int on_record(const struct csv_record *rec, void *arg)
{
	struct run *r = arg;
	if (!r->map) return on_header(r, rec);
	if (r->o->progress && (++r->records & 4095) == 0) r->o->progress(rec->at, rec->total, r->records, r->o->progress_arg);
	for (size_t i = 0; i < r->ncols; i++) r->cells[i] = "";
	if (rec->overflow) {	/* a value past the last column: this row refused, not the file */
		char zh[160], en[160];
		overflow_text(rec, zh, en, sizeof zh);
		add_error(r, rec->line, (int)rec->overflow, -1, RH_ERR_FIELD_INVALID, zh, en);
		reject(r, rec, zh, en);
		return r->fatal != RH_OK;
	}
	/* A cell under no header — past the header's end, or under a blank
	 * header cell — says something the file does not name: refused, not
	 * dropped. */
	for (size_t i = 0; i < rec->n; i++) {
		if ((i < r->map_n && r->map[i] != CSV_UNNAMED) || !rec->fields[i][0]) continue;
		char zh[120], en[120];
		snprintf(zh, sizeof zh, "第 %ld 行：第 %zu 列没有表头", rec->line, i + 1);
		snprintf(en, sizeof en, "line %ld: column %zu has no header", rec->line, i + 1);
		add_error(r, rec->line, (int)i + 1, -1, RH_ERR_FIELD_UNKNOWN, zh, en);
		reject(r, rec, zh, en);
		return r->fatal != RH_OK;
	}
	for (size_t i = 0; i < rec->n && i < r->map_n; i++) {
		if (r->map[i] < 0) continue;
		const char *f = rec->fields[i];
		/* An export defuses formula-looking cells with an apostrophe. */
		if (f[0] == '\'' && export_defused(f + 1)) f++;
		r->cells[r->map[i]] = f;
	}
	if (trim_cells(r) != 0) {
		r->fatal = RH_ERR_NOMEM;
		return 1;
	}

	struct cell_problems why;
	struct household_sites sites = { "", "", "" };
	unsigned masked, blank;
	int bad = r->o->kind == IMPORT_HOUSEHOLDS ? household_from_cells(r->cells, &r->rec.h, &sites, &masked, &blank, &why)
						  : staff_from_cells(r->cells, &r->rec.s, &masked, &blank, &why);
	if (bad) {
		for (int i = 0; i < why.n; i++)
			add_error(r, rec->line, file_column(r, why.v[i].col), why.v[i].col, why.v[i].err, why.v[i].zh,
				  why.v[i].en);
		reject_cells(r, rec, &why);
		return r->fatal != RH_OK;
	}
	/* The export's version column with this row's cell emptied: not "no
	 * version" (a file from elsewhere), or emptying it would get round
	 * the check that an old export cannot undo later work. */
	int vcol = r->o->kind == IMPORT_HOUSEHOLDS ? HC_VERSION : SC_VERSION;
	if (!(r->absent & KEEP(vcol)) && !r->cells[vcol][0]) {
		if (r->o->kind == IMPORT_HOUSEHOLDS) r->rec.h.version = IMPORT_VERSION_BLANK;
		else r->rec.s.version = IMPORT_VERSION_BLANK;
	}
	const char *key = r->o->kind == IMPORT_HOUSEHOLDS ? r->rec.h.account_no : r->rec.s.staff_no;
	long earlier = seen_add(&r->seen, key, rec->line);
	if (earlier < 0) {
		r->fatal = RH_ERR_NOMEM;
		return 1;
	}
	if (earlier > 0) {
		int col = 0;	/* the key is the first column of both tables */
		char zh[120], en[120];
		snprintf(zh, sizeof zh, "与第 %ld 行重复", earlier);
		snprintf(en, sizeof en, "repeats line %ld", earlier);
		add_error(r, rec->line, file_column(r, col), col, RH_ERR_DUPLICATE, zh, en);
		reject(r, rec, zh, en);
		return r->fatal != RH_OK;
	}
	write_row(r, rec, masked, blank, &sites);
	return r->fatal != RH_OK;
}

/* Files that are plainly neither a CSV text nor an .xlsx workbook, by
 * their first bytes: named for what they are, instead of being read as
 * text and refused for a header or a NUL byte somewhere inside. */
static const struct {
	const char *magic;
	size_t n;
	const char *name;
} not_tabular[] = {
	{ "%PDF-", 5, "PDF" },
	{ "\x89PNG\r\n\x1a\n", 8, "PNG" },
	{ "\xFF\xD8\xFF", 3, "JPEG" },
	{ "GIF8", 4, "GIF" },
	{ "\x1F\x8B", 2, "gzip" },
	{ "Rar!", 4, "RAR" },
	{ "7z\xBC\xAF\x27\x1C", 6, "7z" },
};

static const char *not_tabular_kind(const char *data, size_t len)
{
	for (size_t i = 0; i < sizeof not_tabular / sizeof not_tabular[0]; i++)
		if (len >= not_tabular[i].n && memcmp(data, not_tabular[i].magic, not_tabular[i].n) == 0)
			return not_tabular[i].name;
	return NULL;
}

enum rh_err import_run(struct db *db, const struct actor *a, const char *data, size_t len,
		       const struct import_options *o, struct import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	buf_init(&rep->reject, SIZE_MAX);
	rep->errors = calloc(IMPORT_ERRORS_MAX, sizeof *rep->errors);
	if (!rep->errors) return RH_ERR_NOMEM;
	struct run *r = calloc(1, sizeof *r);
	if (!r) return RH_ERR_NOMEM;
	r->db = db;
	r->actor = a;
	r->trimmed = (struct buf)BUF_INIT(SIZE_MAX);
	r->o = o;
	r->rep = rep;
	r->cols = o->kind == IMPORT_HOUSEHOLDS ? household_columns : staff_columns;
	r->ncols = o->kind == IMPORT_HOUSEHOLDS ? HC__COUNT : SC__COUNT;

	struct csv_problem why;
	char *owned = NULL;
	enum rh_err rc;
	const char *other = not_tabular_kind(data, len);
	if (other) {
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "这是 %s 文件，不是 CSV 或 Excel（.xlsx）表格：请上传 CSV 或 .xlsx 文件", other);
		snprintf(en, sizeof en, "this is a %s file, not a CSV file or an Excel (.xlsx) sheet: upload a CSV or .xlsx file", other);
		rc = RH_ERR_FIELD_INVALID;
		add_error(r, 0, 0, -1, rc, zh, en);
	} else if (xlsx_is_legacy(data, len)) {
		rc = RH_ERR_FIELD_INVALID;
		add_error(r, 0, 0, -1, rc, "这是旧版 Excel 文件（.xls）或设了密码的 Excel 文件：请在 Excel 或 WPS 中另存为 .xlsx（不设密码）或 CSV 后再导入",
			  "this is an old Excel file (.xls) or a password-protected one: save it from Excel or WPS as .xlsx (without a password) or as CSV, then import that");
	} else if (xlsx_is_zip(data, len)) {	/* an .xlsx workbook, whatever encoding was asked for */
		rep->encoding = CSV_ENC_XLSX;
		r->text = data;	/* the file as it came: what the import's record hashes */
		r->text_len = len;
		rc = xlsx_records(data, len, FIELD_HARD_MAX, on_record, r, &why);
		if (rc != RH_OK && rc != RH_ERR_NOMEM) add_error(r, why.line, why.col, -1, rc, why.zh, why.en);
		else if (rc == RH_OK && !r->map) add_error(r, 0, 0, -1, RH_ERR_FIELD_REQUIRED, "第一个工作表是空的（没有表头行）", "the first sheet is empty (no header row)");
	} else if ((rc = csv_decode(data, len, o->encoding, &r->text, &r->text_len, &owned, &rep->encoding, &why)) == RH_OK) {
		rc = csv_records(r->text, r->text_len, FIELD_HARD_MAX, on_record, r, &why);
		if (rc != RH_OK && rc != RH_ERR_NOMEM) add_error(r, why.line, why.col, -1, rc, why.zh, why.en);
		else if (rc == RH_OK && !r->map) add_error(r, 0, 0, -1, RH_ERR_FIELD_REQUIRED, "文件是空的（没有表头行）", "the file is empty (no header row)");
	} else if (rc != RH_ERR_NOMEM) {
		add_error(r, why.line, why.col, -1, rc, why.zh, why.en);
	}
	if (rc == RH_ERR_NOMEM) r->fatal = rc;
	/* A damaged file is never written in part, whatever the mode. */
	int damaged = rc != RH_OK || (r->map && !r->im && !r->fatal);
	rep->acceptable = !r->fatal && !damaged && r->im && (o->keep_good || rep->errors_total == 0);
	int commit = rep->acceptable && !o->dry_run;
	if (r->im) {
		enum import_end how = commit ? IMPORT_COMMIT : r->fatal ? IMPORT_ABANDONED
				    : o->dry_run ? IMPORT_CHECKED : IMPORT_REFUSED;
		enum rh_err end = store_import_end(r->im, how, &rep->counts);
		if (end != RH_OK && !r->fatal) r->fatal = end;
	}
	rep->committed = commit && !r->fatal;
	if (r->fatal) rep->acceptable = 0;
	if (o->progress) o->progress(r->text_len, r->text_len, rep->counts.rows, o->progress_arg);
	rc = r->fatal;
	seen_free(&r->seen);
	buf_release(&r->trimmed);
	free(r->map);
	free(r->heads);
	free(owned);
	free(r);
	return rc;
}

void import_report_free(struct import_report *rep)
{
	free(rep->errors);
	rep->errors = NULL;
	buf_release(&rep->reject);
}

int import_has_rejects(const struct import_report *rep)
{
	return rep->acceptable && rep->counts.rejected > 0 && rep->reject.len > 0;
}

json_t *import_report_json(const struct import_report *rep, enum import_kind kind, int dry_run, int en)
{
	json_t *errors = json_array();
	for (size_t i = 0; i < rep->n_errors; i++) {
		const struct import_error *e = &rep->errors[i];
		json_array_append_new(errors, json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:s}", "line", (json_int_t)e->line,
							"column", e->column, "header", e->header, "field", e->field,
							"code", rh_error_info(e->err)->code, "message", en ? e->en : e->zh,
							"reason", en ? e->en + e->why_en : e->zh + e->why_zh));
	}
	const struct import_counts *c = &rep->counts;
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:o, s:b, s:I}",
			      "kind", kind == IMPORT_HOUSEHOLDS ? "households" : "staff",
			      "encoding", csv_encoding_name(rep->encoding), "rows", (json_int_t)c->rows,
			      "inserted", (json_int_t)c->inserted, "updated", (json_int_t)c->updated,
			      "unchanged", (json_int_t)c->unchanged, "rejected", (json_int_t)c->rejected,
			      "committed", rep->committed, "dry_run", dry_run, "errors", errors,
			      "errors_truncated", rep->errors_total > (long)rep->n_errors, "import_id",
			      (json_int_t)(rep->committed ? c->id : 0));	/* a rolled-back import has no record */
	if (o && import_has_rejects(rep))
		json_object_set_new(o, "reject_csv", json_stringn(buf_str(&rep->reject), rep->reject.len));
	/* the sites the rows made (or, in a dry run, would make): a misspelt
	 * estate's name is a new estate, and the user should see it */
	json_t *paths = json_array();
	for (long i = 0; i < c->new_sites && i < IMPORT_NEW_SITES_SHOWN; i++)
		json_array_append_new(paths, json_string(c->new_site[i]));
	if (o) {
		json_object_set_new(o, "new_sites", json_integer(c->new_sites));
		json_object_set_new(o, "new_site_paths", paths);
	} else {
		json_decref(paths);
	}
	return o;
}
