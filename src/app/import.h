/*
 * import.h — bringing households and staff in from a CSV file, the same
 * way from the command line (ruhu import) and from an upload (POST
 * /api/v1/imports/…).
 *
 * The file is decoded and parsed (core/csvin.h), its header mapped, each
 * row checked (app/tabular.h) and written (store.h's import functions),
 * all in one transaction. Every bad row is reported with its line, its
 * column and why. By default one bad row means nothing is written; with
 * keep_good the good rows are written and the bad ones returned as a
 * reject file. A damaged file (bad encoding, a header nothing matches, a
 * truncated last line) is never partly written.
 */
#ifndef RUHU_IMPORT_H
#define RUHU_IMPORT_H
#include <jansson.h>
#include "base/buf.h"
#include "core/csvin.h"
#include "store/store.h"

#define IMPORT_ERRORS_MAX 1000	/* errors listed; more are counted */

struct import_options {
	enum import_kind kind;
	enum csv_encoding encoding;
	int keep_good;		/* write the good rows, return the bad ones */
	int dry_run;		/* check and count, then roll back */
	unsigned rights;	/* enum import_right (store.h): what the importing user may do */
	int64_t scope;		/* SPEC X1: a limited account's id, whose estates bound the rows; 0 = none */
	const char *source;	/* the file's name, for the record */
	int en;			/* the reject file's reasons in English (the API's Accept-Language); 0: Chinese */
	/* Called now and then with the bytes read of the decoded text. */
	void (*progress)(size_t done, size_t total, long rows, void *arg);
	void *progress_arg;
};

struct import_error {
	long line;		/* in the file; 0: the file as a whole */
	int column;		/* 1-based; 0: none */
	char header[128];	/* the column's header as in the file */
	char field[24];		/* its field key ("category"), or "" */
	enum rh_err err;
	char zh[400], en[400];
	unsigned short why_zh, why_en;	/* where in zh, en the reason starts, after the line and column */
};

struct import_report {
	enum csv_encoding encoding;	/* what the file turned out to be */
	struct import_counts counts;
	int committed;			/* the rows are in the database */
	int acceptable;			/* they would be without dry_run */
	struct import_error *errors;	/* the first IMPORT_ERRORS_MAX */
	size_t n_errors;
	long errors_total;
	struct buf reject;		/* keep_good: the header and bad rows, with a reason column */
};

/* Runs an import of data (len bytes) for the actor's tenant. RH_OK when
 * it ran to the end — rep->committed says whether anything was written,
 * rep->errors why not; an error code only when the store or memory
 * failed (nothing written then either). import_report_free() after. */
enum rh_err import_run(struct db *db, const struct actor *a, const char *data, size_t len,
		       const struct import_options *o, struct import_report *rep);
void import_report_free(struct import_report *rep);

/* Whether rep->reject is worth giving to the user: rows were refused and
 * the others were (or, in a dry run, would be) written. A file refused
 * whole — cut off, a quote left open — writes nothing, and a reject file
 * of the rows read before it would lose the others on the way back. */
int import_has_rejects(const struct import_report *rep);

/* The report as the API answers it (docs/api.md, Import). */
json_t *import_report_json(const struct import_report *rep, enum import_kind kind, int dry_run, int en);

#endif
