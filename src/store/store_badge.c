/*
 * store_badge.c — badges (工作证, S5) and the public check at the door
 * (V3).
 *
 * A badge is a random token (the QR code carries it), so it can be
 * neither guessed nor enumerated. It is valid while it is not voided and
 * its worker is active; the second half is read with the badge, so a
 * suspension shows at the door the moment it is saved. Leaving, dismissal
 * and the blacklist void the badge itself (store_hiring.c), so a worker
 * taken on again gets a new one.
 *
 * The public check reads only what the page may show (struct
 * badge_public): never a phone, an address or an ID number. "Expected
 * here today" also asks eligibility (S3) of the visit the door names: a
 * certificate revoked since the visit was made keeps the door shut. A serving
 * node on PostgreSQL keeps its answers in memory until anything they are
 * read from changes (badge_cache.c); the node that saves a suspension
 * forgets them before it answers, every other node within milliseconds.
 */
#include <sodium.h>
#include <stdlib.h>
#include "store/store_internal.h"

static const struct sql Q_INSERT = {
	"INSERT INTO badges (tenant_id, staff_id, token, issued_at) VALUES ($1, $2, $3, $4) RETURNING id"
};
static const struct sql Q_CURRENT = {
	"SELECT id, tenant_id, staff_id, token, issued_at, voided_at, void_reason FROM badges"
	" WHERE tenant_id = $1 AND staff_id = $2 AND voided_at = 0 ORDER BY id DESC LIMIT 1"
};
static const struct sql Q_VOID = {
	"UPDATE badges SET voided_at = $3, void_reason = $4 WHERE tenant_id = $1 AND staff_id = $2 AND voided_at = 0"
};
static const struct sql Q_STATUS = { "SELECT status FROM staff WHERE tenant_id = $1 AND id = $2" };
static const struct sql Q_CHECK = {
	"SELECT b.tenant_id, b.staff_id, b.voided_at, s.status, s.name, s.employment, s.employer, s.badge_no,"
	" s.staff_no, s.level, s.job_types, s.photo_type, t.name, t.utc_offset_min"
	" FROM badges b JOIN staff s ON s.id = b.staff_id AND s.tenant_id = b.tenant_id"
	" JOIN tenants t ON t.id = b.tenant_id WHERE b.token = $1"
};
/* Expected at this door today: the worker's own assignments of the day,
 * each with whether the appointment link is its own, and the room and
 * site path that decide how much of it the door names (core/door.h). A
 * worker has a handful a day. */
static const struct sql Q_EXPECTED = {
	"SELECT CASE WHEN a.token = $4 THEN 1 ELSE 0 END, h.room, COALESCE(s.path, ''), a.job_type, a.level"
	" FROM assignments a JOIN households h ON h.id = a.household_id AND h.tenant_id = a.tenant_id"
	" LEFT JOIN sites s ON s.id = h.site_id AND s.tenant_id = h.tenant_id"
	" WHERE a.tenant_id = $1 AND a.staff_id = $2 AND a.day = $3 AND a.status = 'assigned'"
};
static const struct sql Q_PHOTO = {
	"SELECT s.photo_type, s.photo, s.photo_sealed, s.id FROM badges b"
	" JOIN staff s ON s.id = b.staff_id AND s.tenant_id = b.tenant_id WHERE b.token = $1"
};

void random_token(char out[BADGE_TOKEN_LEN + 1])
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, BADGE_TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static json_t *badge_json(const struct badge *b)
{
	/* The trail names the badge by its id: the token is a bearer secret
	 * of sorts (whoever has it can show the page) and stays out of it. */
	return json_pack("{s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)b->id, "staff_id", (json_int_t)b->staff_id,
			 "issued_at", (json_int_t)b->issued_at, "voided_at", (json_int_t)b->voided_at, "void_reason",
			 b->void_reason);
}

enum rh_err store_badge_current(struct db *db, int64_t tenant_id, int64_t staff_id, struct badge *out)
{
	struct db_stmt *st = q_bind(db, &Q_CURRENT, "II", tenant_id, staff_id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) {
		memset(out, 0, sizeof *out);
		out->id = q_int(db, st, 0);
		out->tenant_id = q_int(db, st, 1);
		out->staff_id = q_int(db, st, 2);
		q_copy(db, st, 3, out->token, sizeof out->token);
		out->issued_at = q_int(db, st, 4);
		out->voided_at = q_int(db, st, 5);
		q_copy(db, st, 6, out->void_reason, sizeof out->void_reason);
	}
	enum rh_err rc = step == DB_ROW ? RH_OK : step == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "badge");
	q_finish(db, st);
	return rc;
}

enum rh_err badge_void_in_tx(struct db *db, const struct actor *a, int64_t tenant_id, int64_t staff_id,
			     const char *reason)
{
	struct badge b;
	enum rh_err rc = store_badge_current(db, tenant_id, staff_id, &b);
	if (rc == RH_ERR_NOT_FOUND) return RH_OK;
	if (rc != RH_OK) return rc;
	json_t *before = badge_json(&b);
	b.voided_at = store_now();
	snprintf(b.void_reason, sizeof b.void_reason, "%s", reason);
	rc = q_exec(db, &Q_VOID, "IIIt", tenant_id, staff_id, b.voided_at, reason);
	if (rc == RH_OK) return audit_change(db, a, tenant_id, "void", "badge", b.id, before, badge_json(&b));
	json_decref(before);
	return rc;
}

enum rh_err badge_issue_in_tx(struct db *db, const struct actor *a, int64_t tenant_id, int64_t staff_id,
			      struct badge *out)
{
	enum rh_err rc = badge_void_in_tx(db, a, tenant_id, staff_id, "reissued");
	if (rc != RH_OK) return rc;
	memset(out, 0, sizeof *out);
	out->tenant_id = tenant_id;
	out->staff_id = staff_id;
	out->issued_at = store_now();
	random_token(out->token);
	rc = q_insert(db, &Q_INSERT, &out->id, "IItI", tenant_id, staff_id, out->token, out->issued_at);
	if (rc == RH_OK) rc = audit_change(db, a, tenant_id, "issue", "badge", out->id, NULL, badge_json(out));
	return rc;
}

enum rh_err store_badge_issue(struct db *db, const struct actor *a, int64_t tenant_id, int64_t staff_id,
			      struct badge *out, struct rh_fail *fail)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	struct db_stmt *st = q_bind(db, &Q_STATUS, "II", tenant_id, staff_id);
	if (!st) rc = q_unprepared(db);
	if (st) {
		enum db_step step = q_step(db, st);
		if (step == DB_DONE) rc = rh_fail_field(fail, RH_ERR_NOT_FOUND, "id");
		else if (step == DB_ERROR) rc = q_error(db, "badge staff");
		/* Only an active worker carries a badge (S5). */
		else if (strcmp(q_text(db, st, 0), "active") != 0) rc = rh_fail_field(fail, RH_ERR_STATE, "status");
		q_finish(db, st);
	}
	/* … and only with its checks on record (one put on file as active
	 * by an import has none until its pipeline is recorded). */
	int complete = 0;
	if (rc == RH_OK) rc = hiring_complete(db, tenant_id, staff_id, &complete);
	if (rc == RH_OK && !complete) rc = rh_fail_field(fail, RH_ERR_HIRING_INCOMPLETE, "status");
	if (rc == RH_OK) rc = badge_issue_in_tx(db, a, tenant_id, staff_id, out);
	return tx_end(db, rc);
}

enum rh_err store_badge_check(struct db *db, const char *token, struct badge_public *out)
{
	/* The count is taken before the read: a change that commits after
	 * it moves the count, so what was read before it is never given out
	 * again. Inside a snapshot the read may predate the count: not kept. */
	uint64_t gen = db->badges && !db->snapshot ? changes_now(db->changes) : 0;
	if (gen && badge_cache_get(db->badges, token, gen, out)) return RH_OK;
	struct db_stmt *st = q_bind(db, &Q_CHECK, "t", token);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) {
		memset(out, 0, sizeof *out);
		out->tenant_id = q_int(db, st, 0);
		out->staff_id = q_int(db, st, 1);
		out->valid = q_int(db, st, 2) == 0 && strcmp(q_text(db, st, 3), "active") == 0;
		q_copy(db, st, 4, out->name, sizeof out->name);
		/* A subcontractor's worker shows the subcontractor; our own, us. */
		int sub = strcmp(q_text(db, st, 5), "subcontractor") == 0 && q_text(db, st, 6)[0];
		q_copy(db, st, sub ? 6 : 12, out->employer, sizeof out->employer);
		q_copy(db, st, 7, out->badge_no, sizeof out->badge_no);
		if (!out->badge_no[0]) q_copy(db, st, 8, out->badge_no, sizeof out->badge_no);
		out->level = (enum staff_level)choice_parse_or(&staff_level_set, q_text(db, st, 9), LEVEL_JUNIOR);
		out->job_types = (unsigned)q_int(db, st, 10);
		out->has_photo = q_text(db, st, 11)[0] != '\0';
		q_copy(db, st, 12, out->organisation, sizeof out->organisation);
		out->utc_offset_min = (int)q_int(db, st, 13);
	}
	enum rh_err rc = step == DB_ROW ? RH_OK : step == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "badge check");
	q_finish(db, st);
	if (rc == RH_OK && gen) badge_cache_put(db->badges, token, gen, out);
	return rc;
}

/* A visit the door names, and what it needs of the worker. */
struct door_visit {
	enum door_match how;
	int job_type, level;
};
#define DOOR_VISITS_MAX 32	/* a worker's visits a day looked at; a handful is usual */

/* Whether the worker may be sent on v today (S3): a certificate revoked,
 * a background check failed or a training failed since the visit was
 * made stops it at the door, not only at the next assignment. */
static enum rh_err visit_cleared(struct db *db, const struct badge_public *b, rh_day day, struct elig_input **in,
				 const struct door_visit *v, int *yes)
{
	if (!*in) {
		if (!(*in = malloc(sizeof **in))) return RH_ERR_NOMEM;
		enum rh_err rc = store_elig_input(db, b->tenant_id, b->staff_id, *in);
		if (rc != RH_OK) return rc;
	}
	struct elig_result *res = malloc(sizeof *res);
	if (!res) return RH_ERR_NOMEM;
	struct elig_need need = elig_need_for((*in)->rules, v->job_type, v->level, day);
	*yes = eligibility_check(&(*in)->facts, &need, res);
	free(res);
	return RH_OK;
}

enum rh_err store_badge_expected(struct db *db, const struct badge_public *b, rh_day day, const char *door,
				 const char *appointment, enum door_match *how, int *visits)
{
	char d[11];
	date_format(day, d);
	*how = DOOR_NOT_EXPECTED;
	*visits = 0;
	struct db_stmt *st = q_bind(db, &Q_EXPECTED, "IItt", b->tenant_id, b->staff_id, d,
				    appointment && appointment[0] ? appointment : "-");
	if (!st) return q_unprepared(db);
	/* The visits the door names, read whole before eligibility reads
	 * more (one statement at a time on a connection). */
	struct door_visit v[DOOR_VISITS_MAX];
	size_t n = 0;
	enum db_step step;
	while ((step = q_step(db, st)) == DB_ROW) {
		++*visits;
		enum door_match m = q_int(db, st, 0) ? DOOR_BY_APPOINTMENT
						   : door_match_of(door ? door : "", q_text(db, st, 1), q_text(db, st, 2));
		if (m == DOOR_NOT_EXPECTED || n == DOOR_VISITS_MAX) continue;
		v[n++] = (struct door_visit){ m, choice_parse_or(&job_type_set, q_text(db, st, 3), (int)job_type_set.n - 1),
					      choice_parse_or(&staff_level_set, q_text(db, st, 4), LEVEL_SENIOR) };
	}
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "badge expected");
	struct elig_input *in = NULL;
	enum rh_err rc = RH_OK;
	for (size_t i = 0; i < n && rc == RH_OK; i++) {
		int yes = 0;
		if (v[i].how <= *how) continue;
		rc = visit_cleared(db, b, day, &in, &v[i], &yes);
		if (rc == RH_OK && yes) *how = v[i].how;
	}
	free(in);
	return rc;
}

enum rh_err store_badge_photo(struct db *db, const char *token, char type[16], unsigned char **data, size_t *len)
{
	return photo_read(db, q_bind(db, &Q_PHOTO, "t", token), type, data, len);
}
