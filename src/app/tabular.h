/*
 * tabular.h — households and staff as spreadsheets hold them: one column
 * table per record kind, read by the importer (app/import.c) and written
 * by the exporter (app/export.c), so that an exported file imports back
 * unchanged. A record becomes a row of cells and a row of cells a record
 * here; what the cells may hold is checked here too, with the line and
 * the column named.
 */
#ifndef RUHU_TABULAR_H
#define RUHU_TABULAR_H
#include "core/csvin.h"
#include "core/household.h"
#include "core/staff.h"

enum hh_col {
	HC_ACCOUNT_NO, HC_NAME, HC_PHONE, HC_PHONE2, HC_ESTATE, HC_BUILDING, HC_UNIT, HC_ROOM, HC_ADDRESS,
	HC_CATEGORY, HC_METER_LOCATION, HC_METER_TYPE, HC_METER_NO, HC_VULNERABLE, HC_GROUP_RENTAL, HC_VACANT,
	HC_FIRST_CONVERSION, HC_ID_NUMBER, HC_STATUS, HC_NOTES, HC_VERSION, HC__COUNT
};
enum staff_col {
	SC_STAFF_NO, SC_NAME, SC_ID_NUMBER, SC_BIRTH_DATE, SC_PHONE, SC_EMPLOYMENT, SC_EMPLOYER, SC_JOB_TYPES,
	SC_LEVEL, SC_BADGE_NO, SC_STATUS, SC_NOTES, SC_VERSION, SC__COUNT
};

extern const struct csv_column household_columns[HC__COUNT];
extern const struct csv_column staff_columns[SC__COUNT];

/* A column's header in a language: its Chinese name, or its English one. */
const char *column_header(const struct csv_column *c, int en);

/* What is wrong with a cell: the column (index in the kind's table) and
 * why, in both languages. */
struct cell_problem {
	int col;
	enum rh_err err;
	char zh[200], en[320];
};
/* A row's problems, one per bad cell, in the columns' order: a file is
 * mended in one pass, not one cell per import. */
#define CELL_PROBLEMS_MAX 8
struct cell_problems {
	struct cell_problem v[CELL_PROBLEMS_MAX];
	int n;
};

/* Bit for column col (HC_* or SC_*): which fields a row leaves as they
 * are stored — its masked cells, and the columns its file lacks. */
#define KEEP(col) (1u << (col))

/* The cells of a row (indexed by the column enums; "" for a column the
 * file does not have) into a record, and the names of its estate,
 * building and unit (households: pointers into cells). masked gets the
 * KEEP() bits of masked cells ("138****8000": keep what is stored), blank
 * those of empty cells that say nothing — a choice with a default (状态,
 * 表具位置, 表具类型), the estate, building and unit all three: the
 * default or no site on a new record, what is stored on one that exists.
 * 0, or -1 with every bad cell in *why. */
struct household_sites { const char *estate, *building, *unit; };
int household_from_cells(const char *const *cells, struct household *h, struct household_sites *sites,
			 unsigned *masked, unsigned *blank, struct cell_problems *why);
int staff_from_cells(const char *const *cells, struct staff *s, unsigned *masked, unsigned *blank,
		     struct cell_problems *why);

/* Copies the kept fields (KEEP() bits) from the stored record into next,
 * for the store's import (store.h household_merge_fn): 1 if the ID
 * number was kept. The site counts as one field (estate, building, unit). */
int household_merge(struct household *next, const struct household *stored, unsigned keep);
int staff_merge(struct staff *next, const struct staff *stored, unsigned keep);

/* A record into cells for an export: text in out (cap bytes per cell,
 * cells[i] pointing into it), choices by their label in the language,
 * personal fields masked. */
#define CELL_CAP 2048
void household_to_cells(const struct household *h, int en, char (*out)[CELL_CAP], const char **cells);
void staff_to_cells(const struct staff *s, int en, char (*out)[CELL_CAP], const char **cells);

#endif
