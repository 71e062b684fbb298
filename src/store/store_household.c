/*
 * store_household.c — households: create, read, list and search, update,
 * and the import of one row.
 *
 * The search has two paths (docs/api.md). Three characters or more go to
 * the substring index (SQLite: FTS5 trigram; the query is written so the
 * index drives it, in id order, and stops at the count's cap). One or two
 * characters cannot use a trigram index at all — SQLite's FTS5 answers
 * them with no rows and no error — so they take the name indexes: names
 * and given names (the name without its surname: HH_GIVEN_NAME) that
 * start with the query, and an account number equal to it (the letters
 * in either case, as the longer search finds them: a1 finds A1).
 */
#include <sodium.h>
#include <stdlib.h>
#include "base/log.h"
#include "core/digits.h"
#include "core/validate.h"
#include "store/store_internal.h"

#define HH_COLS "h.id, h.tenant_id, h.site_id, h.account_no, h.name, h.phone, h.phone2, h.room, h.address," \
	" h.category, h.meter_location, h.meter_type, h.meter_no, h.flags, h.id_masked, h.id_hash, h.notes," \
	" h.status, h.import_id, h.created_at, h.updated_at, h.version, COALESCE(s.path, ''), h.address_auto"
#define HH_NCOLS 24
#define HH_FROM " FROM households h LEFT JOIN sites s ON s.id = h.site_id"

/* SQLite's says no RETURNING (the id comes from drv->inserted, db.h):
 * an import makes a million of them. */
#define HH_INSERT "INSERT INTO households (tenant_id, site_id, account_no, name, phone, phone2, room, address," \
	" category, meter_location, meter_type, meter_no, flags, id_sealed, id_masked, id_hash, notes, status," \
	" import_id, created_at, updated_at, address_auto) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11," \
	" $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, $21) ON CONFLICT (tenant_id, account_no) DO NOTHING"
static const struct sql Q_INSERT = { HH_INSERT, HH_INSERT " RETURNING id" };
static const struct sql Q_GET = { "SELECT " HH_COLS ", h.id_sealed" HH_FROM " WHERE h.tenant_id = $1 AND h.id = $2" };
static const struct sql Q_BY_ACCOUNT = {
	"SELECT " HH_COLS ", h.id_sealed" HH_FROM " WHERE h.tenant_id = $1 AND h.account_no = $2"
};
/* $18: 1 = replace the ID number with $19–$21. */
static const struct sql Q_UPDATE = {
	"UPDATE households SET site_id = $4, name = $5, phone = $6, phone2 = $7, room = $8, address = $9,"
	" category = $10, meter_location = $11, meter_type = $12, meter_no = $13, flags = $14, notes = $15,"
	" status = $16, updated_at = $17,"
	" id_sealed = CASE WHEN $18 = 1 THEN $19 ELSE id_sealed END,"
	" id_masked = CASE WHEN $18 = 1 THEN $20 ELSE id_masked END,"
	" id_hash = CASE WHEN $18 = 1 THEN $21 ELSE id_hash END, address_auto = $22,"
	" version = version + 1 WHERE tenant_id = $1 AND id = $2 AND version = $3"
};

/* Filters shared by every list: $1 tenant, $2 site (HH_BOUND_SITES, in
 * store_internal.h), $3 category, $4 flag bit (0: any), $5 status. */
#define HH_WHERE " h.tenant_id = $1 AND ($2 = 0 OR h.site_id IN (" HH_BOUND_SITES "))" HH_WHERE_REST
#define HH_WHERE_REST " AND ($3 IS NULL OR h.category = $3) AND ($4 = 0 OR (h.flags & $4) <> 0)" \
	" AND ($5 IS NULL OR h.status = $5)"

/* No search: one statement per order, so that each can walk its index
 * and stop at the page (an ORDER BY chosen by CASE sorts every row: 0.1 s
 * at a million). $6 limit, $7 offset. */
#define HH_LIST(order) { "SELECT " HH_COLS HH_FROM " WHERE" HH_WHERE " ORDER BY " order " LIMIT $6 OFFSET $7" }
static const struct sql Q_LIST[4][2] = {
	[HH_SORT_ID] = { HH_LIST("h.id"), HH_LIST("h.id DESC") },
	[HH_SORT_ACCOUNT] = { HH_LIST("h.account_no, h.id"), HH_LIST("h.account_no DESC, h.id DESC") },
	[HH_SORT_NAME] = { HH_LIST("h.name, h.id"), HH_LIST("h.name DESC, h.id DESC") },
	[HH_SORT_UPDATED] = { HH_LIST("h.updated_at, h.id"), HH_LIST("h.updated_at DESC, h.id DESC") },
};
static const struct sql Q_COUNT = {
	"SELECT COUNT(*) FROM (SELECT 1 FROM households h WHERE" HH_WHERE " LIMIT $6) AS capped"
};

/* A list bound to sites ($2 not 0: a site, or an account's estates) holds
 * a few hundred households of a building, a few thousand of an estate,
 * out of a million. Walking the id index for them tested every household
 * (230 ms for a building of 617); these take the sites' households from
 * the site index instead (CROSS JOIN: the sites first), counted up to the
 * cap, and when that is all of them sort them for the page. More than
 * the cap, and they are common enough for the walk (Q_LIST) to meet a
 * page of them soon. */
#define HH_SITE_FROM " FROM (" HH_BOUND_SITES ") AS bound CROSS JOIN households h ON h.tenant_id = $1" \
	" AND h.site_id = bound.id"
#define HH_SITE_LIST(order) { "SELECT " HH_COLS HH_SITE_FROM " LEFT JOIN sites s ON s.id = h.site_id" \
	" WHERE 1 = 1" HH_WHERE_REST " ORDER BY " order " LIMIT $6 OFFSET $7" }
static const struct sql Q_SITE_LIST[4][2] = {
	[HH_SORT_ID] = { HH_SITE_LIST("h.id"), HH_SITE_LIST("h.id DESC") },
	[HH_SORT_ACCOUNT] = { HH_SITE_LIST("h.account_no, h.id"), HH_SITE_LIST("h.account_no DESC, h.id DESC") },
	[HH_SORT_NAME] = { HH_SITE_LIST("h.name, h.id"), HH_SITE_LIST("h.name DESC, h.id DESC") },
	[HH_SORT_UPDATED] = { HH_SITE_LIST("h.updated_at, h.id"), HH_SITE_LIST("h.updated_at DESC, h.id DESC") },
};
static const struct sql Q_SITE_COUNT = {
	"SELECT COUNT(*) FROM (SELECT 1" HH_SITE_FROM " WHERE 1 = 1" HH_WHERE_REST " LIMIT $6) AS capped"
};

/* A search answers in two steps. The first walks the path's index and
 * yields the matching ids in order, up to the count's cap or the end of
 * the page: one pass gives both the total and the page's ids (a count
 * and a page of their own would each verify every candidate again). The
 * second reads the page's rows by id (Q_BY_IDS).
 *
 * The id statements share $1 tenant, $2 site (0: any), $3 category,
 * $4 flag bit, $5 status (HH_WHERE) and $7 the limit; the offset is each
 * one's last parameter (0 but for a page past the count's cap). */

/* Three characters or more: $6 the LIKE pattern. CROSS JOIN keeps the
 * substring index as the outer loop (SQLite's planner would otherwise
 * scan households and probe the index once per row).
 *
 * The searched text holds the phones; a reader who may not see them
 * ($8 = 0) must not find a household by them either, or a masked number
 * could be read digit by digit through the search: the match must then
 * also hold without them.
 *
 * SQLite's LIKE (and its trigram index) ignore the case of ASCII letters,
 * and an account number s-004 finds S-004. PostgreSQL's texts come in
 * pairs, [WITH_CASE] for a word that holds an ASCII letter, with ILIKE;
 * the other, for every other word (Chinese, digits), with LIKE, which
 * is the same there and costs 40% less: ILIKE lowers every candidate's
 * text before it compares. */
enum { NO_CASE, WITH_CASE };
#define HH_TEXT_NO_PHONES "replace(h.name || char(31) || h.address || char(31) || h.account_no, ' ', '')"
#define HH_LONG_FROM " FROM households_fts f CROSS JOIN households h ON h.id = f.rowid" \
	" WHERE f.t LIKE $6 AND ($8 = 1 OR " HH_TEXT_NO_PHONES " LIKE $6) AND"
#define HH_PG_RAW "replace(h.name || chr(31) || h.phone || chr(31) || h.phone2 || chr(31) || h.address" \
	" || chr(31) || h.account_no, ' ', '')"
#define HH_PG_RAW_NO_PHONES "replace(h.name || chr(31) || h.address || chr(31) || h.account_no, ' ', '')"
#define HH_PG_C(text) "(" text " COLLATE \"C\")"
/* check: what decides the match. ILIKE under the database's collation
 * (which the index answers) folds more than ASCII — "café" would find
 * "CAFÉ", which SQLite does not — so WITH_CASE decides by ILIKE under
 * "C", which folds ASCII only, after the index has picked candidates. */
#define HH_LONG_FROM_PG(like, check, text) " FROM households h WHERE " HH_PG_RAW " " like " $6" check \
	" AND ($8 = 1 OR " text " " like " $6) AND"
#define HH_LONG_PG_NO_CASE HH_LONG_FROM_PG("LIKE", "", HH_PG_RAW_NO_PHONES)
#define HH_LONG_PG_WITH_CASE HH_LONG_FROM_PG("ILIKE", " AND " HH_PG_C(HH_PG_RAW) " ILIKE $6", \
					     HH_PG_C(HH_PG_RAW_NO_PHONES))
#define HH_IDS_LONG(from) { "SELECT h.id" HH_LONG_FROM HH_WHERE " ORDER BY f.rowid LIMIT $7 OFFSET $9", \
	SQL_PLAN_PER_CALL "SELECT h.id" from HH_WHERE " ORDER BY h.id LIMIT $7 OFFSET $9" }
static const struct sql Q_IDS_LONG[2] = {
	[NO_CASE] = HH_IDS_LONG(HH_LONG_PG_NO_CASE),
	[WITH_CASE] = HH_IDS_LONG(HH_LONG_PG_WITH_CASE),
};

/* PostgreSQL only. pg_trgm's index yields matches in no order, and the
 * planner, asked for the first 201 by id, walks the id index and tests
 * every household until it has them — 1 ms when most match (浦东新区),
 * 300 ms when one in a thousand does (a phone's last four digits), while
 * the trigram index and a sort take 6 ms for those and 600 ms for the
 * others. It cannot tell the two apart, so the search asks first for up
 * to PG_SPARSE matches in any order (Q_PG_PROBE: the trigram index, or a
 * scan that stops at once when most rows match). Fewer, and that was
 * every match: they are sorted here, and give the count and the page
 * without a second pass over the index (pg_probe). As many, and the id
 * walk finds the page within a few thousand rows (Q_IDS_LONG). */
#define PG_SPARSE 2000
/* A number on PostgreSQL: like SQLite's number path (Q_IDS_NUMBER), the
 * index is asked only for the number's last six characters ($6, the
 * varying end: "310" and "100" are in every account, and pg_trgm would
 * read their whole lists), and the candidates are checked against the
 * whole number ($9, lower case) with position(), which no index answers,
 * so the planner cannot fold it into the index scan. A number matches
 * few households: found by the index and sorted. */
#define HH_IDS_PG_NUMBER(like, text, text_no_phones) { SQL_PLAN_PER_CALL "SELECT h.id FROM households h WHERE " \
	HH_PG_RAW " " like " $6 AND position($9 IN " text ") > 0 AND ($8 = 1 OR position($9 IN " text_no_phones ") > 0)" \
	" AND" HH_WHERE " ORDER BY h.id + 0 LIMIT $7 OFFSET $10" }
static const struct sql Q_IDS_PG_NUMBER[2] = {
	[NO_CASE] = HH_IDS_PG_NUMBER("LIKE", HH_PG_RAW, HH_PG_RAW_NO_PHONES),
	[WITH_CASE] = HH_IDS_PG_NUMBER("ILIKE", "lower(" HH_PG_C(HH_PG_RAW) ")", "lower(" HH_PG_C(HH_PG_RAW_NO_PHONES) ")"),
};
/* A number of digits only (seven or more) on PostgreSQL: the digit
 * index (migration 009) picks the rows that hold all its six-digit
 * windows at even offsets ($6) or all those at odd ones ($11), a handful;
 * position() checks them against the whole number ($9). */
#define HH_PG_DIGITS "ruhu_digit_windows(" HH_PG_RAW ")"
static const struct sql Q_IDS_PG_DIGITS = {
	SQL_PLAN_PER_CALL "SELECT h.id FROM households h WHERE (" HH_PG_DIGITS " @> CAST($6 AS int[]) OR " HH_PG_DIGITS
	" @> CAST($11 AS int[])) AND position($9 IN " HH_PG_RAW ") > 0 AND ($8 = 1 OR position($9 IN "
	HH_PG_RAW_NO_PHONES ") > 0) AND" HH_WHERE " ORDER BY h.id + 0 LIMIT $7 OFFSET $10"
};
static const struct sql Q_PG_PROBE[2] = {
	[NO_CASE] = { SQL_PLAN_PER_CALL "SELECT h.id" HH_LONG_PG_NO_CASE HH_WHERE " LIMIT $7" },
	[WITH_CASE] = { SQL_PLAN_PER_CALL "SELECT h.id" HH_LONG_PG_WITH_CASE HH_WHERE " LIMIT $7" },
};

/* A number (seven letters or digits or more: an account or a phone
 * number): its trigrams are few and common ("310" of 3100499846 is in
 * every account), and the index would read every one of their lists.
 * $9, a MATCH of its last two non-overlapping trigrams (the varying
 * end of a number), picks the candidates; LIKE $6 then checks them field
 * by field, each without its spaces as the index has it (a number holds
 * no space, so the fields need no joining), the account first. */
#define HH_NUMBER_CHECK "(h.account_no LIKE $6 OR replace(h.address, ' ', '') LIKE $6" \
	" OR replace(h.name, ' ', '') LIKE $6 OR ($8 = 1 AND (replace(h.phone, ' ', '') LIKE $6"\
	" OR replace(h.phone2, ' ', '') LIKE $6)))"
#define HH_NUMBER_FROM " FROM households_fts f CROSS JOIN households h ON h.id = f.rowid" \
	" WHERE households_fts MATCH $9 AND " HH_NUMBER_CHECK " AND"
static const struct sql Q_IDS_NUMBER = {	/* SQLite's: PostgreSQL's numbers take Q_PG_PROBE's way */
	"SELECT h.id" HH_NUMBER_FROM HH_WHERE " ORDER BY f.rowid LIMIT $7 OFFSET $10",
};
/* A number of digits only, seven or more, on SQLite: the digit index
 * (migration 012, core/digits.h) gives the households that hold all of
 * its six-digit windows at even offsets or all at odd ones ($9), a
 * handful where the trigram index
 * gave tens of thousands (3100100100: 5 candidates instead of 370,000);
 * the number path's LIKE checks them. */
static const struct sql Q_IDS_DIGITS = {
	"SELECT h.id FROM households_digits d CROSS JOIN households h ON h.id = d.rowid"
	" WHERE households_digits MATCH $9 AND " HH_NUMBER_CHECK " AND" HH_WHERE " ORDER BY d.rowid LIMIT $7 OFFSET $10",
};

/* The MATCH for a number (see above) into out, or 0 when q is not one. */
static int number_match(const char *q, char *out, size_t cap)
{
	size_t n = strlen(q);
	if (n < 7 || n > 64) return 0;
	for (size_t i = 0; i < n; i++)
		if (!((q[i] >= '0' && q[i] <= '9') || (q[i] >= 'a' && q[i] <= 'z') || (q[i] >= 'A' && q[i] <= 'Z') ||
		      q[i] == '-'))
			return 0;
	snprintf(out, cap, "\"%.3s\" AND \"%.3s\"", q + n - 3, q + n - 6);
	return 1;
}

/* One or two characters: q the query, end the query followed by the
 * highest code point (the end of the range "starts with q"). The
 * matches drive the query (CROSS JOIN): SQLite would otherwise walk every
 * household of the tenant and test each against the list. */
#define HH_SHORT_IDS(given, cases, q, end) "SELECT id FROM households WHERE tenant_id = $1 AND name >= " q " AND name < " end \
	" UNION SELECT id FROM households WHERE tenant_id = $1 AND " given " >= " q " AND " given " < " end \
	" UNION SELECT id FROM households WHERE tenant_id = $1 AND account_no IN " cases(q)
#define HH_SHORT_SQL(given, cases) "SELECT h.id FROM (" HH_SHORT_IDS(given, cases, "$6", "$8") ") AS m" \
	" CROSS JOIN households h ON h.id = m.id WHERE" HH_WHERE " ORDER BY h.id LIMIT $7 OFFSET $9"
static const struct sql Q_IDS_SHORT = {	/* $6 the query, $8 its end */
	HH_SHORT_SQL(HH_GIVEN_NAME, HH_CASES), SQL_PLAN_PER_CALL HH_SHORT_SQL(HH_GIVEN_NAME_PG, HH_CASES_PG)
};
/* The same within sites that hold few households (short_by_site): their
 * households, from the site index, each tested. The matches of a common
 * surname are many more — 张 begins 85,549 names of a million, each looked
 * up (170 ms on SQLite) — and PostgreSQL, misjudging how few households a
 * site test keeps, walked all of them (260 ms for 张伟 in a building). */
#define HH_SHORT_SITE_SQL(given, cases) "SELECT h.id" HH_SITE_FROM " WHERE (h.name >= $6 AND h.name < $8" \
	" OR " given " >= $6 AND " given " < $8 OR h.account_no IN " cases("$6") ")" HH_WHERE_REST \
	" ORDER BY h.id LIMIT $7 OFFSET $9"
static const struct sql Q_IDS_SHORT_SITE = {
	HH_SHORT_SITE_SQL(HH_GIVEN_NAME, HH_CASES), SQL_PLAN_PER_CALL HH_SHORT_SITE_SQL(HH_GIVEN_NAME_PG, HH_CASES_PG)
};
/* The same within sites that hold more households than that, with no
 * other filter: from the name indexes alone (HH_SHORT_COVER_SQL, in
 * store_internal.h, where test_store.c can check its plan). */
static const struct sql Q_IDS_SHORT_COVER = {
	HH_SHORT_COVER_SQL(HH_GIVEN_NAME, HH_CASES), SQL_PLAN_PER_CALL HH_SHORT_COVER_SQL(HH_GIVEN_NAME_PG, HH_CASES_PG)
};
/* The same without filters ($2 the query, $3 its end, $4 the limit, $5
 * the offset): the ids come from the name indexes alone, and no
 * household is read (a common name has thousands). */
#define HH_SHORT_BARE_SQL(given, cases) "SELECT id FROM (" HH_SHORT_IDS(given, cases, "$2", "$3") ") AS u ORDER BY id LIMIT $4 OFFSET $5"
static const struct sql Q_IDS_SHORT_BARE = {
	HH_SHORT_BARE_SQL(HH_GIVEN_NAME, HH_CASES), SQL_PLAN_PER_CALL HH_SHORT_BARE_SQL(HH_GIVEN_NAME_PG, HH_CASES_PG)
};
/* The same, walking the households in id order until the page is full:
 * for a query that begins many names. A common surname begins thousands
 * (张: 85,549 of a million), whose ids the union gathers and sorts
 * before it pages them (47 ms through the API); in id order one
 * household in twelve matches, and the first page is found within 2,500
 * (4 ms). SQLite's "+" keeps it on the id walk, from merging the name
 * indexes; for PostgreSQL, whose "+" takes no text, the ranges' estimates
 * do (migration 014 gathers them). short_walks() says when. */
#define HH_SHORT_WALK_SQL(name, given, account, cases) "SELECT id FROM households WHERE tenant_id = $1 AND (" \
	name " >= $2 AND " name " < $3 OR " given " >= $2 AND " given " < $3 OR " account " IN " cases("$2") ")" \
	" ORDER BY id LIMIT $4 OFFSET $5"
static const struct sql Q_IDS_SHORT_WALK = {
	HH_SHORT_WALK_SQL("+name", HH_GIVEN_NAME, "+account_no", HH_CASES),
	SQL_PLAN_PER_CALL HH_SHORT_WALK_SQL("name", HH_GIVEN_NAME_PG, "account_no", HH_CASES_PG),
};
/* Whether a short query begins at least SHORT_WALK_RATIO times as many
 * names or given names as the rows a pass needs (its limit and offset):
 * then the walk meets them within 1/SHORT_WALK_RATIO of the households,
 * however many the organisation has. Counted in the name indexes, up to
 * that many each. */
#define SHORT_WALK_RATIO 25
#define HH_RANGE_COUNT(given) "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM households WHERE tenant_id = $1" \
	" AND name >= $2 AND name < $3 LIMIT $4) AS n) + (SELECT COUNT(*) FROM (SELECT 1 FROM households" \
	" WHERE tenant_id = $1 AND " given " >= $2 AND " given " < $3 LIMIT $4) AS g)"
static const struct sql Q_NAME_RANGE_COUNT = { HH_RANGE_COUNT(HH_GIVEN_NAME), HH_RANGE_COUNT(HH_GIVEN_NAME_PG) };

/* The page's rows: $1 tenant, $2 a JSON array of ids. */
static const struct sql Q_BY_IDS = {
	"SELECT " HH_COLS " FROM json_each($2) AS j CROSS JOIN households h ON h.id = j.value"
	" LEFT JOIN sites s ON s.id = h.site_id WHERE h.tenant_id = $1 ORDER BY h.id",
	/* the array's text without its brackets is a bigint[]'s: one plan
	 * serves every page (the primary key, once per id) */
	"SELECT " HH_COLS HH_FROM " WHERE h.tenant_id = $1"
	" AND h.id = ANY (CAST(string_to_array(btrim($2, '[]'), ',') AS bigint[])) ORDER BY h.id",
};

/* ---- ID numbers, sealed ---- */

enum rh_err id_seal(struct db *db, const char *id, char **sealed, char masked[IDCARD_LEN + 1],
		    char hash[TOKEN_HASH_LEN + 1])
{
	*sealed = NULL;
	masked[0] = hash[0] = '\0';
	if (!id[0]) return RH_OK;
	*sealed = secret_seal(db->keys->seal, id, strlen(id));
	if (!*sealed) return RH_ERR_NOMEM;
	idcard_mask(id, masked);
	secret_lookup_hash(db->keys->lookup, id, hash);
	return RH_OK;
}

enum rh_err id_open(struct db *db, const char *sealed, char out[IDCARD_LEN + 1])
{
	out[0] = '\0';
	if (!sealed[0]) return RH_OK;
	char *plain = secret_open(db->keys->seal, sealed);
	if (!plain) return RH_ERR_INTERNAL;	/* tampered, or another installation's key */
	snprintf(out, IDCARD_LEN + 1, "%s", plain);
	sodium_memzero(plain, strlen(plain));
	free(plain);
	return RH_OK;
}

/* ---- rows ---- */

static void read_household(struct db *db, struct db_stmt *st, struct household *h)
{
	memset(h, 0, sizeof *h);
	h->id = q_int(db, st, 0);
	h->tenant_id = q_int(db, st, 1);
	h->site_id = q_int(db, st, 2);
	q_copy(db, st, 3, h->account_no, sizeof h->account_no);
	q_copy(db, st, 4, h->name, sizeof h->name);
	q_copy(db, st, 5, h->phone, sizeof h->phone);
	q_copy(db, st, 6, h->phone2, sizeof h->phone2);
	q_copy(db, st, 7, h->room, sizeof h->room);
	q_copy(db, st, 8, h->address, sizeof h->address);
	h->category = (enum hh_category)choice_parse_or(&hh_category_set, q_text(db, st, 9), HH_RESIDENT);
	h->meter_location = (enum meter_location)choice_parse_or(&meter_location_set, q_text(db, st, 10), METER_LOC_UNKNOWN);
	h->meter_type = (enum meter_type)choice_parse_or(&meter_type_set, q_text(db, st, 11), METER_UNKNOWN);
	q_copy(db, st, 12, h->meter_no, sizeof h->meter_no);
	h->flags = (unsigned)q_int(db, st, 13);
	q_copy(db, st, 14, h->id_masked, sizeof h->id_masked);
	q_copy(db, st, 15, h->id_hash, sizeof h->id_hash);
	q_copy(db, st, 16, h->notes, sizeof h->notes);
	h->status = (enum hh_status)choice_parse_or(&hh_status_set, q_text(db, st, 17), HH_ACTIVE);
	h->import_id = q_int(db, st, 18);
	h->created_at = q_int(db, st, 19);
	h->updated_at = q_int(db, st, 20);
	h->version = q_int(db, st, 21);
	q_copy(db, st, 22, h->site_path, sizeof h->site_path);
	h->address_auto = (int)q_int(db, st, 23);
}

/* One household by a statement that selects HH_COLS and id_sealed. */
static enum rh_err one(struct db *db, struct db_stmt *st, int reveal_id, struct household *out)
{
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	enum rh_err rc = RH_OK;
	if (s == DB_ROW) {
		read_household(db, st, out);
		if (reveal_id) rc = id_open(db, q_text(db, st, HH_NCOLS), out->id_number);
	}
	if (s != DB_ROW) rc = s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "household");
	q_finish(db, st);
	return rc;
}

enum rh_err store_household_get(struct db *db, int64_t tenant_id, int64_t id, int reveal_id,
				struct household *out)
{
	return one(db, q_bind(db, &Q_GET, "II", tenant_id, id), reveal_id, out);
}

/* The audit trail keeps personal fields masked (SPEC X5). */
static json_t *audit_json(const struct household *h)
{
	return household_to_json(h, (struct hh_view){ PII_MASKED, PII_MASKED });
}

/* What a household needs of its site: the path and the estate's address
 * (not store_site_get(), which counts what is under the site: an import
 * asks this once per row). */
static const struct sql Q_SITE_BRIEF = {
	"SELECT s.path, e.province, e.city, e.district, e.street, e.address FROM sites s"
	" JOIN sites e ON e.id = s.estate_id WHERE s.tenant_id = $1 AND s.id = $2"
};

static enum rh_err site_brief(struct db *db, int64_t tenant_id, int64_t id, struct site *s)
{
	struct db_stmt *st = q_bind(db, &Q_SITE_BRIEF, "II", tenant_id, id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) {
		q_copy(db, st, 0, s->path, sizeof s->path);
		q_copy(db, st, 1, s->province, sizeof s->province);
		q_copy(db, st, 2, s->city, sizeof s->city);
		q_copy(db, st, 3, s->district, sizeof s->district);
		q_copy(db, st, 4, s->street, sizeof s->street);
		q_copy(db, st, 5, s->address, sizeof s->address);
	}
	q_finish(db, st);
	return step == DB_ROW ? RH_OK : step == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "site");
}

/* h's site path, and its address made from the site's and the room when
 * it has none. An address given that is the one it would make is made
 * too (address_auto): it follows the household when it moves, as the one
 * left empty does — a demo's or an import's, written out in full. */
static void address_from_site(struct household *h, const struct site *s)
{
	snprintf(h->site_path, sizeof h->site_path, "%s", s->path);
	char made[sizeof h->address];
	site_door_address(s, h->room, ADDRESS_MAX, made, sizeof made);
	if (h->address[0] && strcmp(h->address, made) != 0) return;
	h->address_auto = 1;
	memcpy(h->address, made, sizeof made);
}

/* An empty address is made from the site's and the room; site is h's
 * site's brief when the caller has it (an import keeps them), else NULL. */
static enum rh_err fill_address(struct db *db, struct household *h, const struct site *site, struct rh_fail *fail)
{
	if (!h->site_id) {
		h->site_path[0] = '\0';
		return RH_OK;
	}
	struct site s;
	if (!site || site->id != h->site_id) {
		enum rh_err rc = site_brief(db, h->tenant_id, h->site_id, &s);
		if (rc == RH_ERR_NOT_FOUND) return rh_fail_field(fail, RH_ERR_FIELD_INVALID, "site_id");
		if (rc != RH_OK) return rc;
		site = &s;
	}
	address_from_site(h, site);
	return RH_OK;
}

/* Inserts h (its id_number in full or ""), inside a write transaction.
 * RH_ERR_DUPLICATE when the account number exists. */
static enum rh_err insert(struct db *db, struct household *h, const struct site *site, struct rh_fail *fail)
{
	char *sealed;
	enum rh_err rc = fill_address(db, h, site, fail);
	if (rc == RH_OK) rc = id_seal(db, h->id_number, &sealed, h->id_masked, h->id_hash);
	if (rc != RH_OK) return rc;
	int64_t now = store_now();
	struct db_stmt *st = q_bind(db, &Q_INSERT, "IIttttttttttitttttIIi", h->tenant_id, h->site_id, h->account_no,
				    h->name, h->phone, h->phone2, h->room, h->address,
				    choice_code(&hh_category_set, (int)h->category),
				    choice_code(&meter_location_set, (int)h->meter_location),
				    choice_code(&meter_type_set, (int)h->meter_type), h->meter_no, (int)h->flags,
				    sealed ? sealed : "", h->id_masked, h->id_hash, h->notes,
				    choice_code(&hh_status_set, (int)h->status), h->import_id, now, h->address_auto);
	free(sealed);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) h->id = q_int(db, st, 0);
	else if (s == DB_DONE && db->drv->inserted && (h->id = db->drv->inserted(db)) > 0) s = DB_ROW;
	q_finish(db, st);
	if (s == DB_DONE) return rh_fail_field(fail, RH_ERR_DUPLICATE, "account_no");
	if (s != DB_ROW) return q_error(db, "household insert");
	h->created_at = h->updated_at = now;
	h->version = 1;
	return RH_OK;
}

/* ---- bulk loads: PostgreSQL's COPY (store_import.c) ---- */

const char household_copy_sql[] =
	"COPY households (tenant_id, site_id, account_no, name, phone, phone2, room, address, category,"
	" meter_location, meter_type, meter_no, flags, id_sealed, id_masked, id_hash, notes, status, import_id,"
	" created_at, updated_at, address_auto) FROM STDIN";

enum rh_err household_copy_line(struct db *db, struct household *h, const struct site *site, struct buf *out)
{
	if (site) address_from_site(h, site);
	else h->site_path[0] = '\0';
	char *sealed;
	enum rh_err rc = id_seal(db, h->id_number, &sealed, h->id_masked, h->id_hash);
	if (rc != RH_OK) return rc;
	int64_t now = store_now();
	const char *text[] = {
		h->account_no, h->name, h->phone, h->phone2, h->room, h->address,
		choice_code(&hh_category_set, (int)h->category), choice_code(&meter_location_set, (int)h->meter_location),
		choice_code(&meter_type_set, (int)h->meter_type), h->meter_no,
	};
	int bad = buf_printf(out, "%lld\t%lld", (long long)h->tenant_id, (long long)h->site_id) != 0;
	for (size_t i = 0; !bad && i < sizeof text / sizeof text[0]; i++)
		bad = buf_putc(out, '\t') || copy_escape(out, text[i]);
	bad = bad || buf_printf(out, "\t%u\t", h->flags) || copy_escape(out, sealed ? sealed : "") ||
	      buf_putc(out, '\t') || copy_escape(out, h->id_masked) || buf_putc(out, '\t') ||
	      copy_escape(out, h->id_hash) || buf_putc(out, '\t') || copy_escape(out, h->notes) ||
	      buf_putc(out, '\t') || copy_escape(out, choice_code(&hh_status_set, (int)h->status)) ||
	      buf_printf(out, "\t%lld\t%lld\t%lld\t%d\n", (long long)h->import_id, (long long)now, (long long)now,
			 h->address_auto);
	free(sealed);
	if (bad) return RH_ERR_NOMEM;
	h->created_at = h->updated_at = now;
	h->version = 1;
	return RH_OK;
}

static const struct sql Q_ACCOUNTS = { "SELECT account_no FROM households WHERE tenant_id = $1" };

enum rh_err household_accounts(struct db *db, int64_t tenant_id, int (*fn)(const char *account, void *), void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_ACCOUNTS, "I", tenant_id);
	if (!st) return q_unprepared(db);
	enum db_step s;
	int stop = 0;
	while (!stop && (s = q_step(db, st)) == DB_ROW) stop = fn(q_text(db, st, 0), arg);
	q_finish(db, st);
	return !stop && s == DB_ERROR ? q_error(db, "accounts") : stop ? RH_ERR_NOMEM : RH_OK;
}

enum rh_err store_household_create(struct db *db, const struct actor *a, struct household *h,
				   struct rh_fail *fail)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = insert(db, h, NULL, fail);
	if (rc == RH_OK) rc = audit_change(db, a, h->tenant_id, "create", "household", h->id, NULL, audit_json(h));
	return tx_end(db, rc);
}

/* Writes next over before (same id), audited; inside a write transaction.
 * id_change: next->id_number replaces the stored one ("" clears it) —
 * always a write, equal or not (a caller who may not see the number must
 * not learn by the answer whether it was the stored one). Else a next
 * that changes nothing is not written: next becomes before, the version
 * stays, and there is no audit entry (others holding it get no 409). */
static enum rh_err rewrite(struct db *db, const struct actor *a, const struct household *before,
			   struct household *next, const struct site *site, int id_change, struct rh_fail *fail)
{
	char *sealed = NULL;
	enum rh_err rc = fill_address(db, next, site, fail);
	/* An address left as it was, where the household stays, stays made or
	 * given as it was: one an older release stored as given, though it is
	 * the made one, is not rewritten by a change of nothing. */
	if (rc == RH_OK && strcmp(next->address, before->address) == 0 && next->site_id == before->site_id &&
	    strcmp(next->room, before->room) == 0)
		next->address_auto = before->address_auto;
	if (rc == RH_OK && id_change) rc = id_seal(db, next->id_number, &sealed, next->id_masked, next->id_hash);
	if (rc != RH_OK) return rc;
	if (!id_change) {
		memcpy(next->id_masked, before->id_masked, sizeof next->id_masked);
		memcpy(next->id_hash, before->id_hash, sizeof next->id_hash);
		if (household_same(next, before) && next->address_auto == before->address_auto) {
			*next = *before;
			return RH_OK;
		}
	}
	int64_t now = store_now();
	rc = q_exec(db, &Q_UPDATE, "IIIItttttttttittIittti", before->tenant_id, before->id, before->version,
		    next->site_id, next->name, next->phone, next->phone2, next->room, next->address,
		    choice_code(&hh_category_set, (int)next->category),
		    choice_code(&meter_location_set, (int)next->meter_location),
		    choice_code(&meter_type_set, (int)next->meter_type), next->meter_no, (int)next->flags, next->notes,
		    choice_code(&hh_status_set, (int)next->status), now, id_change, sealed ? sealed : "",
		    next->id_masked, next->id_hash, next->address_auto);
	free(sealed);
	if (rc != RH_OK) return rc;
	next->id = before->id;
	next->tenant_id = before->tenant_id;
	memcpy(next->account_no, before->account_no, sizeof next->account_no);
	next->import_id = before->import_id;
	next->created_at = before->created_at;
	next->updated_at = now;
	next->version = before->version + 1;
	json_t *was = audit_json(before), *is = audit_json(next);
	audit_tag_hidden(db, "household", before->id, was, is, "phone", before->phone, next->phone);
	audit_tag_hidden(db, "household", before->id, was, is, "phone2", before->phone2, next->phone2);
	audit_tag_hidden(db, "household", before->id, was, is, "id_number", before->id_hash, next->id_hash);
	return audit_change(db, a, before->tenant_id, "update", "household", before->id, was, is);
}

/* A household that moves (site or room) keeping an address given by hand
 * that is the one its old site and room make — written out in full by an
 * older import or the demo, before address_auto said so — has it made
 * again, from where it is now, as a made one has (h_household.c). */
static enum rh_err kept_address_made(struct db *db, const struct household *before, struct household *next,
				     struct rh_fail *fail)
{
	if (before->address_auto || !before->site_id || strcmp(next->address, before->address) != 0 ||
	    (next->site_id == before->site_id && strcmp(next->room, before->room) == 0))
		return RH_OK;
	struct household *was = malloc(sizeof *was);	/* ~4 KiB: not on a worker's stack */
	if (!was) return RH_ERR_NOMEM;
	*was = *before;
	was->address[0] = '\0';
	enum rh_err rc = fill_address(db, was, NULL, fail);
	if (rc == RH_OK && strcmp(was->address, before->address) == 0) next->address[0] = '\0';
	free(was);
	return rc;
}

enum rh_err store_household_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
				   int64_t version, const struct household *next, int id_change,
				   struct household *out, struct rh_fail *fail)
{
	struct household before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = store_household_get(db, tenant_id, id, 0, &before);
	/* SPEC X1: a limited account changes a household of its estates, and
	 * leaves it in one of them — as the record is now, not as its
	 * handler read it before this transaction */
	int in = 1;
	if (rc == RH_OK && a->scope) rc = store_site_in_scope(db, tenant_id, a->scope, before.site_id, &in);
	if (rc == RH_OK && !in) rc = RH_ERR_NOT_FOUND;
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK && a->scope) rc = store_site_in_scope(db, tenant_id, a->scope, next->site_id, &in);
	if (rc == RH_OK && !in) rc = rh_fail_field(fail, RH_ERR_FIELD_INVALID, "site_id");
	if (rc == RH_OK) rc = version_check(before.version, version, fail);
	if (rc == RH_OK) {
		*out = *next;
		out->tenant_id = tenant_id;
		rc = kept_address_made(db, &before, out, fail);
	}
	if (rc == RH_OK) rc = rewrite(db, a, &before, out, NULL, id_change, fail);
	return tx_end(db, rc);
}

/* Households whose address was made from a site under site_id (its
 * estate, building or itself). */
static const struct sql Q_AUTO_ADDRESSED = {
	"SELECT id FROM households WHERE tenant_id = $1 AND address_auto = 1 AND site_id IN"
	" (SELECT id FROM sites WHERE tenant_id = $1 AND (id = $2 OR estate_id = $2 OR building_id = $2))"
};

/* A household's site path read after its site (or one above) was
 * renamed, as it was before: path_now at its start back to path_was. */
static void site_path_was(char *site_path, size_t cap, const char *path_was, const char *path_now)
{
	size_t n = strlen(path_now);
	if (strncmp(site_path, path_now, n) != 0 || (site_path[n] != '\0' && strncmp(site_path + n, " / ", 3) != 0)) return;
	char rest[sizeof ((struct household *)0)->site_path];
	snprintf(rest, sizeof rest, "%s", site_path + n);
	snprintf(site_path, cap, "%s%s", path_was, rest);
}

enum rh_err households_readdress(struct db *db, const struct actor *a, int64_t tenant_id, int64_t site_id,
				 const char *path_was, const char *path_now, int64_t *changed)
{
	*changed = 0;
	int64_t *ids;
	size_t n;
	enum rh_err rc = q_ids(db, q_bind(db, &Q_AUTO_ADDRESSED, "II", tenant_id, site_id), "readdress", &ids, &n);
	struct household *before = malloc(sizeof *before), *next = malloc(sizeof *next);
	if (!before || !next) rc = RH_ERR_NOMEM;
	for (size_t i = 0; i < n && rc == RH_OK; i++) {
		struct rh_fail fail;
		rc = store_household_get(db, tenant_id, ids[i], 0, before);
		if (rc != RH_OK) break;
		*next = *before;
		site_path_was(before->site_path, sizeof before->site_path, path_was, path_now);
		next->address[0] = '\0';	/* made again from the renamed site */
		rc = rewrite(db, a, before, next, NULL, 0, &fail);
		if (rc == RH_OK && next->version != before->version) (*changed)++;	/* not when it stayed the same */
	}
	free(before);
	free(next);
	free(ids);
	return rc;
}

/* ---- lists and search ---- */

/* The end of the range of text that starts with q: q and U+10FFFF. q is
 * one or two characters; one that does not fit gives "", an empty range. */
static void prefix_end(const char *q, char *out, size_t cap)
{
	static const char last[] = "\xf4\x8f\xbf\xbf";
	size_t n = strlen(q);
	if (n + sizeof last > cap) {
		out[0] = '\0';
		return;
	}
	memcpy(out, q, n);
	memcpy(out + n, last, sizeof last);
}

/* The search's word: the query without LIKE's own wildcards (the
 * trigram index takes no ESCAPE clause, and a user's % or _ finds nothing
 * meaningful anyway) and without spaces, which the searched text does
 * not hold either ("幸福里 3栋" and "幸福里3栋" are one address). A
 * query longer than out (the API allows 64 characters) is cut at a
 * character's boundary. */
static void search_word(const char *q, char *out, size_t cap)
{
	size_t w = 0;
	const char *s = q;
	for (; *s && w + 1 < cap; s++)
		if (*s != '%' && *s != '_' && *s != ' ') out[w++] = *s;
	if (*s)	/* cut: drop a character's leading bytes left without the rest */
		while (w > 0 && ((unsigned char)out[w - 1] & 0xc0) == 0x80) w--;
	if (*s && w > 0 && ((unsigned char)out[w - 1] & 0x80)) w--;
	out[w] = '\0';
}

/* Calls fn with each household st yields, then finishes st. */
static enum rh_err each_household(struct db *db, struct db_stmt *st, int (*fn)(const struct household *, void *),
				  void *arg)
{
	struct household *h = malloc(sizeof *h);	/* ~4 KiB: not on a worker's stack per row */
	enum rh_err rc = h ? RH_OK : RH_ERR_NOMEM;
	enum db_step s = DB_DONE;
	while (h && (s = q_step(db, st)) == DB_ROW) {
		read_household(db, st, h);
		if (fn(h, arg)) break;
	}
	q_finish(db, st);
	if (h && s == DB_ERROR) rc = q_error(db, "household list");
	free(h);
	return rc;
}

/* Walks a search's id statement (see Q_IDS_LONG), whose first row is
 * match number first: n, the rows it gave, and — when ids is not NULL —
 * the ids of the page (matches offset … offset + limit) as a JSON array. */
static enum rh_err search_ids(struct db *db, struct db_stmt *st, const struct household_filter *f, int64_t first,
			      int64_t *n, struct buf *ids)
{
	enum db_step s;
	enum rh_err rc = RH_OK;
	int64_t put = 0;
	*n = 0;
	if (!st) return q_unprepared(db);
	if (ids && buf_putc(ids, '[')) rc = RH_ERR_NOMEM;
	while (rc == RH_OK && (s = q_step(db, st)) == DB_ROW) {
		int64_t i = first + (*n)++;
		if (ids && i >= f->offset && i < (int64_t)f->offset + f->limit &&
		    buf_printf(ids, "%s%lld", put++ ? "," : "", (long long)q_int(db, st, 0)))
			rc = RH_ERR_NOMEM;
	}
	if (rc == RH_OK && s == DB_ERROR) rc = q_error(db, "household search");
	q_finish(db, st);
	if (rc == RH_OK && ids && buf_putc(ids, ']')) rc = RH_ERR_NOMEM;
	return rc;
}

static int has_ascii_letter(const char *q)
{
	for (; *q; q++)
		if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')) return 1;
	return 0;
}

/* The count st yields, finished; -1 when it fails, with the failure
 * kept for q_unprepared() as a failed q_bind()'s is: a count that fails
 * on PostgreSQL (a lock waited out behind an import) has aborted the
 * snapshot, and what the search then asks would fail as a store error
 * instead of the 503 busy it is. */
static int64_t count_of(struct db *db, struct db_stmt *st)
{
	if (!st) return -1;
	enum db_step s = q_step(db, st);
	int64_t n = s == DB_ROW ? q_int(db, st, 0) : 0;
	if (s == DB_ERROR) {
		db->unprepared = db->drv->errkind(db);
		log_warn("household search: a count failed: %s", db->drv->errmsg(db));
		n = -1;
	}
	q_finish(db, st);
	return n;
}

/* Whether the sites f is bound to hold few enough households (no more
 * than a list counts) that testing each beats looking up every household
 * a short query's name matches: one count from the site index. -1 when
 * the count fails. */
static int short_by_site(struct db *db, int64_t tenant_id, const struct household_filter *f, const char *cat,
			 const char *status)
{
	if (!f->site_id) return 0;
	int64_t n = count_of(db, q_bind(db, &Q_SITE_COUNT, "IItiti", tenant_id, f->site_id, cat, (int)f->flag, status,
					 HOUSEHOLD_COUNT_CAP + 1));
	return n < 0 ? -1 : n <= HOUSEHOLD_COUNT_CAP;
}

/* -1 when the count fails. */
static int short_walks(struct db *db, int64_t tenant_id, const char *q, const char *end, int64_t rows)
{
	int64_t want = rows * SHORT_WALK_RATIO;
	int64_t n = count_of(db, q_bind(db, &Q_NAME_RANGE_COUNT, "IttI", tenant_id, q, end, want));
	return n < 0 ? -1 : n >= want;
}

/* The statement that yields a search's ids, limit of them after skipping
 * offset, bound; NULL on error. With probe, on PostgreSQL, a word that
 * is not a number yields its first PG_SPARSE matches in any order
 * instead (Q_PG_PROBE); a word on another path ignores probe. */
static struct db_stmt *search_bind(struct db *db, int64_t tenant_id, const struct household_filter *f,
				   const char *q, int64_t limit, int64_t offset, int probe)
{
	const char *cat = f->category >= 0 ? choice_code(&hh_category_set, f->category) : NULL;
	const char *status = f->status >= 0 ? choice_code(&hh_status_set, f->status) : NULL;
	int bare = !f->site_id && !cat && !f->flag && !status;	/* no filter beside the search, nor a limit */
	int phones = !f->phones_hidden;
	size_t qlen = utf8_length(q);
	char match[64], end[32], windows[7 * 64 + 16];	/* the API's 64 digits */
	if (qlen < 3) {
		prefix_end(q, end, sizeof end);
		if (bare) {
			int walk = short_walks(db, tenant_id, q, end, limit + offset);
			if (walk < 0) return NULL;
			return q_bind(db, walk ? &Q_IDS_SHORT_WALK : &Q_IDS_SHORT_BARE, "IttII", tenant_id, q, end, limit,
				      offset);
		}
		int by_site = short_by_site(db, tenant_id, f, cat, status);
		if (by_site < 0) return NULL;
		if (!by_site && f->site_id && !cat && !f->flag && !status)
			return q_bind(db, &Q_IDS_SHORT_COVER, "IIttII", tenant_id, f->site_id, q, end, limit, offset);
		return q_bind(db, by_site ? &Q_IDS_SHORT_SITE : &Q_IDS_SHORT, "IItittItI", tenant_id, f->site_id, cat,
			      (int)f->flag, status, q, limit, end, offset);
	}
	/* The search is always done in "%q%" form (the LIKE), q itself only
	 * picks the path. PostgreSQL's LIKE takes a backslash as its escape
	 * character, SQLite's as itself: doubled there, it is itself on both. */
	int pg = strcmp(db->drv->name, "postgresql") == 0;
	char *pattern = malloc(2 * strlen(q) + 3), *w = pattern;
	if (!pattern) return NULL;
	*w++ = '%';
	for (const char *c = q; *c; c++) {
		if (pg && *c == '\\') *w++ = '\\';
		*w++ = *c;
	}
	*w++ = '%';
	*w = '\0';
	struct db_stmt *st;
	int ci = has_ascii_letter(q) ? WITH_CASE : NO_CASE;
	if (pg && qlen >= DIGIT_NUMBER_MIN && digits_only(q)) {
		char even[256], odd[256];	/* the API's 64 digits: 30 windows, 7 characters each */
		digit_windows_array(q, 0, even, sizeof even);
		digit_windows_array(q, 1, odd, sizeof odd);
		st = q_bind(db, &Q_IDS_PG_DIGITS, "IItittIitIt", tenant_id, f->site_id, cat, (int)f->flag, status, even,
			    limit, phones, q, offset, odd);
	} else if (pg && qlen >= 7 && number_match(q, match, sizeof match)) {
		char tail[16], *lower = strdup(q);
		snprintf(tail, sizeof tail, "%%%s%%", q + strlen(q) - 6);
		for (char *c = lower; c && *c; c++) *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		st = lower ? q_bind(db, &Q_IDS_PG_NUMBER[ci], "IItittIitI", tenant_id, f->site_id, cat, (int)f->flag,
				    status, tail, limit, phones, lower, offset)
			   : NULL;
		free(lower);
	} else if (pg && probe) {
		st = q_bind(db, &Q_PG_PROBE[ci], "IItittIi", tenant_id, f->site_id, cat, (int)f->flag, status, pattern,
			    (int64_t)PG_SPARSE, phones);
	} else if (!pg && digit_windows_match(q, windows, sizeof windows)) {
		st = q_bind(db, &Q_IDS_DIGITS, "IItittIitI", tenant_id, f->site_id, cat, (int)f->flag, status, pattern,
			    limit, phones, windows, offset);
	} else if (qlen >= 7 && number_match(q, match, sizeof match))
		st = q_bind(db, &Q_IDS_NUMBER, "IItittIitI", tenant_id, f->site_id, cat, (int)f->flag, status, pattern,
			    limit, phones, match, offset);
	else
		st = q_bind(db, &Q_IDS_LONG[ci], "IItittIiI", tenant_id, f->site_id, cat, (int)f->flag, status, pattern,
			    limit, phones, offset);
	free(pattern);
	return st;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* PostgreSQL's first step for a word that goes to the trigram index (see
 * Q_PG_PROBE): when the word has fewer than PG_SPARSE matches, *whole is
 * set, n is their number and ids the page's, as search_ids() gives them;
 * otherwise nothing is set and the id walk is left to do. */
static enum rh_err pg_probe(struct db *db, int64_t tenant_id, const struct household_filter *f, const char *q,
			    int64_t *n, struct buf *ids, int *whole)
{
	*whole = 0;
	if (strcmp(db->drv->name, "postgresql") != 0 || utf8_length(q) < 3) return RH_OK;
	char match[64];
	if (utf8_length(q) >= 7 && number_match(q, match, sizeof match)) return RH_OK;	/* Q_IDS_PG_DIGITS, _NUMBER */
	struct db_stmt *st = search_bind(db, tenant_id, f, q, 0, 0, 1);
	if (!st) return q_unprepared(db);
	int64_t *all = malloc(PG_SPARSE * sizeof *all), k = 0;
	enum db_step s = DB_ERROR;
	while (all && k < PG_SPARSE && (s = q_step(db, st)) == DB_ROW) all[k++] = q_int(db, st, 0);
	q_finish(db, st);
	enum rh_err rc = !all ? RH_ERR_NOMEM : s == DB_ERROR ? q_error(db, "household search") : RH_OK;
	if (rc == RH_OK && k < PG_SPARSE) {
		qsort(all, (size_t)k, sizeof *all, cmp_id);
		*whole = 1;
		*n = k;
		if (buf_putc(ids, '[')) rc = RH_ERR_NOMEM;
		for (int64_t i = f->offset; rc == RH_OK && i < k && i < (int64_t)f->offset + f->limit; i++)
			if (buf_printf(ids, "%s%lld", i > f->offset ? "," : "", (long long)all[i])) rc = RH_ERR_NOMEM;
		if (rc == RH_OK && buf_putc(ids, ']')) rc = RH_ERR_NOMEM;
	}
	free(all);
	return rc;
}

/* Calls fn with each household of the JSON array of ids, in id order. */
static enum rh_err read_by_ids(struct db *db, int64_t tenant_id, const char *ids,
			       int (*fn)(const struct household *, void *), void *arg)
{
	struct db_stmt *st = q_bind(db, &Q_BY_IDS, "It", tenant_id, ids);
	if (!st) return q_unprepared(db);
	return each_household(db, st, fn, arg);
}

/* HH_WHERE's $2 for f: its site, or its account's grants; *none when a
 * limited account asks for a site outside them, which holds nothing it
 * may see. */
static enum rh_err site_param(struct db *db, int64_t tenant_id, const struct household_filter *f, int64_t *site,
			      int *none)
{
	*site = f->site_id;
	*none = 0;
	if (!f->scope) return RH_OK;
	if (!f->site_id) {
		*site = -f->scope;
		return RH_OK;
	}
	int in;
	enum rh_err rc = store_site_in_scope(db, tenant_id, f->scope, f->site_id, &in);
	*none = !in;
	return rc;
}

enum rh_err store_household_list(struct db *db, int64_t tenant_id, const struct household_filter *in,
				 int (*fn)(const struct household *, void *), void *arg, int64_t *total,
				 int *exact)
{
	struct household_filter bound = *in, *f = &bound;
	int none;
	enum rh_err src = site_param(db, tenant_id, in, &bound.site_id, &none);
	if (src != RH_OK || none) {
		*total = 0;
		*exact = 1;
		return src;
	}
	char word[64 * 4 + 1];	/* the API's 64 characters */
	if (f->q && f->q[0]) {
		search_word(f->q, word, sizeof word);
		if (!word[0]) {	/* only wildcards and spaces: nothing can match */
			*total = 0;
			*exact = 1;
			return RH_OK;
		}
		/* The count needs the ids up to one past its cap ("more"); a
		 * page within them comes from the same pass. A page further on
		 * is a pass of its own, which skips to it: the ids before it are
		 * never held (PostgreSQL would hand over all of them at once). */
		int64_t cap = f->count_cap ? f->count_cap : HOUSEHOLD_SEARCH_COUNT_CAP, cap1 = cap + 1, n = 0, m;
		int within = (int64_t)f->offset + f->limit <= cap1;
		struct buf ids = BUF_INIT((size_t)f->limit * 22 + 3);
		int whole = 0;
		enum rh_err rc = pg_probe(db, tenant_id, f, word, &n, &ids, &whole);
		if (rc == RH_OK && !whole)
			rc = search_ids(db, search_bind(db, tenant_id, f, word, cap1, 0, 0), f, 0, &n, within ? &ids : NULL);
		if (rc == RH_OK && !whole && !within)
			rc = search_ids(db, search_bind(db, tenant_id, f, word, f->limit, f->offset, 0), f, f->offset, &m,
					&ids);
		*exact = n <= cap;
		*total = *exact ? n : cap;
		if (rc == RH_OK && ids.len > 2 && (*exact || !f->count_cap))
			rc = read_by_ids(db, tenant_id, buf_str(&ids), fn, arg);
		buf_release(&ids);
		return rc;
	}

	const char *cat = f->category >= 0 ? choice_code(&hh_category_set, f->category) : NULL;
	const char *status = f->status >= 0 ? choice_code(&hh_status_set, f->status) : NULL;
	int cap = f->count_cap ? f->count_cap : HOUSEHOLD_COUNT_CAP;
	int by_site = f->site_id != 0;
	struct db_stmt *cs = q_bind(db, by_site ? &Q_SITE_COUNT : &Q_COUNT, "IItiti", tenant_id, f->site_id, cat, (int)f->flag,
				    status, cap + 1);
	enum db_step s = cs ? q_step(db, cs) : DB_ERROR;
	int64_t n = s == DB_ROW ? q_int(db, cs, 0) : 0;
	if (cs) q_finish(db, cs);
	if (s != DB_ROW) return cs ? q_error(db, "household count") : q_unprepared(db);
	*exact = n <= cap;
	*total = n <= cap ? n : cap;
	if (!*exact && f->count_cap) return RH_OK;
	const struct sql *list = by_site && *exact ? &Q_SITE_LIST[f->sort & 3][f->desc ? 1 : 0]
						 : &Q_LIST[f->sort & 3][f->desc ? 1 : 0];
	struct db_stmt *ls = q_bind(db, list, "IItitii", tenant_id, f->site_id, cat, (int)f->flag, status, f->limit,
				    f->offset);
	if (!ls) return q_unprepared(db);
	return each_household(db, ls, fn, arg);
}

/* ---- one imported row ---- */

enum rh_err import_household_row(struct db *db, const struct actor *a, int64_t import_id, struct household *h,
				 const struct site *site, unsigned keep, unsigned masked, const char *masked_field, household_merge_fn merge,
				 int id_blind, enum import_outcome *outcome, struct rh_fail *fail)
{
	h->import_id = import_id;
	if (!masked && h->version <= 0) {	/* a row from an export must find its record: below */
		/* The common case, a new account: one statement. The attempt
		 * fills in the address it would make; an existing account is
		 * compared with the row as it was. */
		int had_address = h->address[0] != '\0', auto_before = h->address_auto;
		enum rh_err rc = insert(db, h, site, fail);
		if (rc != RH_ERR_DUPLICATE) {
			*outcome = IMPORT_INSERTED;
			return rc;
		}
		memset(fail, 0, sizeof *fail);
		if (!had_address) h->address[0] = '\0';
		h->address_auto = auto_before;
	}
	struct household *before = malloc(sizeof *before);
	if (!before) return RH_ERR_NOMEM;
	enum rh_err rc = one(db, q_bind(db, &Q_BY_ACCOUNT, "It", h->tenant_id, h->account_no), 0, before);
	if (rc == RH_ERR_NOT_FOUND) {	/* a new row without either was inserted above */
		rc = import_new_row(h->version, fail);
		if (rc == RH_OK)	/* new, with masked cells: nothing to keep */
			rc = rh_fail_field(fail, RH_ERR_FIELD_INVALID, masked ? masked_field : "account_no");
	}
	struct site stored_site;
	if (rc == RH_OK && h->site_id && before->site_id && h->site_id != before->site_id) {
		/* The row names only the estate (or the estate and building) of
		 * a household inside it — a file without the unit's column, or
		 * with its cell empty: the household stays where it is. An
		 * import moves households across the tree, never up it. */
		enum rh_err got = site_get_bare(db, h->tenant_id, before->site_id, &stored_site);
		if (got == RH_OK && (stored_site.estate_id == h->site_id || stored_site.building_id == h->site_id)) {
			h->site_id = before->site_id;
			site = &stored_site;
		} else if (got != RH_OK && got != RH_ERR_NOT_FOUND) {
			rc = got;
		}
	}
	/* An address cell that is the stored one made from the site (an
	 * export's, sent back) is not an address given by hand: it is made
	 * again, from the room and site the row has now. */
	if (rc == RH_OK && before->address_auto && strcmp(h->address, before->address) == 0) h->address[0] = '\0';
	if (rc == RH_OK) rc = kept_address_made(db, before, h, fail);	/* an older release's, on a move */
	if (rc == RH_OK) {
		int id_change = !merge(h, before, keep), id_given = id_change && h->id_number[0];
		if (id_change) {
			if (h->id_number[0]) secret_lookup_hash(db->keys->lookup, h->id_number, h->id_hash);
			else h->id_hash[0] = '\0';
			id_change = strcmp(h->id_hash, before->id_hash) != 0;
		} else {
			memcpy(h->id_hash, before->id_hash, sizeof h->id_hash);
		}
		if (!h->address[0] && h->site_id == before->site_id && strcmp(h->room, before->room) == 0) {
			memcpy(h->address, before->address, sizeof h->address);	/* made from the site before */
			h->address_auto = before->address_auto;
		}
		int same = !id_change && household_same(h, before);
		rc = import_outcome_of(same, id_blind && id_given, before->version, h->version, outcome, fail);
		if (rc == RH_OK && !same) {
			rc = rewrite(db, a, before, h, site, id_change, fail);
			if (rc == RH_OK && h->version == before->version) *outcome = IMPORT_UNCHANGED;	/* equal once its address was made */
		}
	}
	free(before);
	return rc;
}
