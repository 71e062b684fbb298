/*
 * store_staff.c — staff profiles: create, read, list, update, and the
 * import of one row.
 *
 * Three things identify a worker and may not repeat within an
 * organisation: the staff number, the badge number (once given) and the
 * person — the lookup hash of the ID number, so the same person cannot be
 * on file twice under two staff numbers (a blacklisted worker coming back
 * under a new number is exactly what S6 guards against).
 */
#include <sodium.h>
#include <stdlib.h>
#include "store/store_internal.h"

#define STAFF_COLS "id, tenant_id, staff_no, name, id_masked, id_hash, birth_date, phone, employment, employer," \
	" job_types, level, badge_no, status, user_id, notes, import_id, created_at, updated_at, version, id_sealed," \
	" photo_type, supervisor_id"

static const struct sql Q_INSERT = {
	"INSERT INTO staff (tenant_id, staff_no, name, id_sealed, id_masked, id_hash, birth_date, phone, employment,"
	" employer, job_types, level, badge_no, status, user_id, notes, import_id, created_at, updated_at, supervisor_id)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19) RETURNING id"
};
static const struct sql Q_GET = { "SELECT " STAFF_COLS " FROM staff WHERE tenant_id = $1 AND id = $2" };
static const struct sql Q_BY_NO = { "SELECT " STAFF_COLS " FROM staff WHERE tenant_id = $1 AND staff_no = $2" };
/* Which unique value another worker already has: 1 staff number, 2
 * badge, 3 person. */
static const struct sql Q_CLASH = {
	"SELECT CASE WHEN staff_no = $2 THEN 1 WHEN badge_no = $3 AND $3 <> '' THEN 2 ELSE 3 END, status FROM staff"
	" WHERE tenant_id = $1 AND id <> $5 AND (staff_no = $2 OR (badge_no = $3 AND $3 <> '')"
	" OR (id_hash = $4 AND $4 <> '')) LIMIT 1"
};
static const struct sql Q_UPDATE = {
	"UPDATE staff SET name = $4, birth_date = $5, phone = $6, employment = $7, employer = $8, job_types = $9,"
	" level = $10, badge_no = $11, status = $12, user_id = $13, notes = $14, updated_at = $15,"
	" id_sealed = CASE WHEN $16 = 1 THEN $17 ELSE id_sealed END,"
	" id_masked = CASE WHEN $16 = 1 THEN $18 ELSE id_masked END,"
	" id_hash = CASE WHEN $16 = 1 THEN $19 ELSE id_hash END, supervisor_id = $20,"
	" version = version + 1 WHERE tenant_id = $1 AND id = $2 AND version = $3"
};

/* $2 LIKE pattern or NULL, $3 status, $4 level, $5 employment, $6 job bit. */
/* PHONE: the phone term, or nothing for a reader who may not see phones
 * (who must not find a worker by a number shown to them masked). */
#define STAFF_WHERE_P(LIKE, PHONE) " WHERE tenant_id = $1" \
	" AND ($2 IS NULL OR " LIKE("name", "$2") " OR " LIKE("staff_no", "$2") \
	"      OR " LIKE("badge_no", "$2") PHONE ")" \
	" AND ($3 IS NULL OR status = $3) AND ($4 IS NULL OR level = $4)" \
	" AND ($5 IS NULL OR employment = $5) AND ($6 = 0 OR (job_types & $6) <> 0)" \
	" AND ($7 = 0 OR supervisor_id = $7)"
/* $8 the sort (enum staff_sort), $9 1 = descending; names in pinyin
 * order (KEY: NAME_KEY or NAME_KEY_PG). */
#define STAFF_LIST(where, KEY) "SELECT " STAFF_COLS " FROM staff" where " ORDER BY" \
	" CASE WHEN $9 = 0 AND $8 = 1 THEN staff_no END ASC, CASE WHEN $9 = 1 AND $8 = 1 THEN staff_no END DESC," \
	" CASE WHEN $9 = 0 AND $8 = 2 THEN " KEY("name") " END ASC," \
	" CASE WHEN $9 = 1 AND $8 = 2 THEN " KEY("name") " END DESC," \
	" CASE WHEN $9 = 0 THEN (CASE $8 WHEN 3 THEN updated_at ELSE id END) END ASC," \
	" CASE WHEN $9 = 1 THEN (CASE $8 WHEN 3 THEN updated_at ELSE id END) END DESC," \
	" id ASC LIMIT $10 OFFSET $11"
#define STAFF_WHERE(LIKE) STAFF_WHERE_P(LIKE, " OR phone LIKE $2 ESCAPE '\\'")	/* digits: no case */
#define STAFF_WHERE_NO_PHONE(LIKE) STAFF_WHERE_P(LIKE, "")
/* [0] phones searched, [1] not. */
static const struct sql Q_LIST[2] = {
	{ STAFF_LIST(STAFF_WHERE(LIKE_WORD), NAME_KEY), STAFF_LIST(STAFF_WHERE(LIKE_WORD_PG), NAME_KEY_PG) },
	{ STAFF_LIST(STAFF_WHERE_NO_PHONE(LIKE_WORD), NAME_KEY),
	  STAFF_LIST(STAFF_WHERE_NO_PHONE(LIKE_WORD_PG), NAME_KEY_PG) },
};
static const struct sql Q_COUNT[2] = {
	{ "SELECT COUNT(*) FROM staff" STAFF_WHERE(LIKE_WORD), "SELECT COUNT(*) FROM staff" STAFF_WHERE(LIKE_WORD_PG) },
	{ "SELECT COUNT(*) FROM staff" STAFF_WHERE_NO_PHONE(LIKE_WORD),
	  "SELECT COUNT(*) FROM staff" STAFF_WHERE_NO_PHONE(LIKE_WORD_PG) },
};

static void read_staff(struct db *db, struct db_stmt *st, struct staff *s)
{
	memset(s, 0, sizeof *s);
	s->id = q_int(db, st, 0);
	s->tenant_id = q_int(db, st, 1);
	q_copy(db, st, 2, s->staff_no, sizeof s->staff_no);
	q_copy(db, st, 3, s->name, sizeof s->name);
	q_copy(db, st, 4, s->id_masked, sizeof s->id_masked);
	q_copy(db, st, 5, s->id_hash, sizeof s->id_hash);
	const char *birth = q_text(db, st, 6);
	s->has_birth_date = birth[0] && date_parse(birth, strlen(birth), &s->birth_date) == 0;
	q_copy(db, st, 7, s->phone, sizeof s->phone);
	s->employment = (enum employment)choice_parse_or(&employment_set, q_text(db, st, 8), EMPLOY_OWN);
	q_copy(db, st, 9, s->employer, sizeof s->employer);
	s->job_types = (unsigned)q_int(db, st, 10);
	s->level = (enum staff_level)choice_parse_or(&staff_level_set, q_text(db, st, 11), LEVEL_JUNIOR);
	q_copy(db, st, 12, s->badge_no, sizeof s->badge_no);
	/* An unreadable status reads as suspended: never as someone who may be sent. */
	s->status = (enum staff_status)choice_parse_or(&staff_status_set, q_text(db, st, 13), STAFF_SUSPENDED);
	s->user_id = q_int(db, st, 14);
	q_copy(db, st, 15, s->notes, sizeof s->notes);
	s->import_id = q_int(db, st, 16);
	s->created_at = q_int(db, st, 17);
	s->updated_at = q_int(db, st, 18);
	s->version = q_int(db, st, 19);
	q_copy(db, st, 21, s->photo_type, sizeof s->photo_type);
	s->supervisor_id = q_int(db, st, 22);
}

static enum rh_err one(struct db *db, struct db_stmt *st, int reveal_id, struct staff *out)
{
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	enum rh_err rc = RH_OK;
	if (s == DB_ROW) {
		read_staff(db, st, out);
		if (reveal_id) rc = id_open(db, q_text(db, st, 20), out->id_number);
	}
	if (s != DB_ROW) rc = s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "staff");
	q_finish(db, st);
	return rc;
}

enum rh_err store_staff_get(struct db *db, int64_t tenant_id, int64_t id, int reveal_id, struct staff *out)
{
	return one(db, q_bind(db, &Q_GET, "II", tenant_id, id), reveal_id, out);
}

static json_t *audit_json(const struct staff *s)
{
	return staff_to_json(s, (struct hh_view){ PII_MASKED, PII_MASKED });
}

static void birth_text(const struct staff *s, char out[11])
{
	if (s->has_birth_date) date_format(s->birth_date, out);
	else out[0] = '\0';
}

static const struct sql Q_USER_EXISTS = { "SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2" };
static const struct sql Q_USER_TAKEN = { "SELECT id FROM staff WHERE tenant_id = $1 AND user_id = $2 AND id <> $3" };
static const struct sql Q_OF_USER = { "SELECT id FROM staff WHERE tenant_id = $1 AND user_id = $2 ORDER BY id LIMIT 1" };

/* The account a worker signs in with must be one of the organisation's,
 * and no other worker's: it is how "my visits" and "my badge" find them. */
static enum rh_err check_user(struct db *db, const struct staff *s, int64_t self, struct rh_fail *fail)
{
	if (!s->user_id) return RH_OK;
	struct db_stmt *st = q_bind(db, &Q_USER_EXISTS, "II", s->tenant_id, s->user_id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "staff user");
	if (step != DB_ROW) return rh_fail_field(fail, RH_ERR_FIELD_INVALID, "user_id");
	return q_no_twin(db, fail, "user_id", &Q_USER_TAKEN, "III", s->tenant_id, s->user_id, self);
}

enum rh_err store_staff_of_user(struct db *db, int64_t tenant_id, int64_t user_id, int64_t *staff_id)
{
	*staff_id = 0;
	struct db_stmt *st = q_bind(db, &Q_OF_USER, "II", tenant_id, user_id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) *staff_id = q_int(db, st, 0);
	q_finish(db, st);
	return step == DB_ROW ? RH_OK : step == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "staff of user");
}

/* The badge at the door names a subcontractor's worker's employer (S5):
 * one, from the API or a file, is not on file without it. */
static enum rh_err check_employer(const struct staff *s, struct rh_fail *fail)
{
	return s->employment == EMPLOY_SUBCONTRACTOR && !s->employer[0] ? rh_fail_field(fail, RH_ERR_FIELD_REQUIRED, "employer")
									 : RH_OK;
}

/* The birth date can stand (staff_birth_check) — checked when it or the
 * ID number is new: against the new number, or, when only the date
 * changes, the stored one, opened for the check (before: NULL for a new
 * worker). The furthest time zone's today, so no one's today is "the
 * future". */
static enum rh_err check_birth(struct db *db, const struct staff *s, const struct staff *before, int id_change,
			       struct rh_fail *fail)
{
	const char *id = s->id_number, *zh, *en;
	struct staff *stored = NULL;
	enum rh_err rc = RH_OK;
	if (before && !id_change) {
		if (!s->has_birth_date || (before->has_birth_date && before->birth_date == s->birth_date))
			return RH_OK;	/* the date stays: a record from before this check is not held up by it */
		id = "";
		if (before->id_hash[0]) {
			if (!(stored = malloc(sizeof *stored))) return RH_ERR_NOMEM;
			rc = store_staff_get(db, before->tenant_id, before->id, 1, stored);
			id = stored->id_number;
		}
	}
	if (rc == RH_OK && staff_birth_check(s, id, date_of(store_now(), 14 * 60), &zh, &en) != 0) {
		rc = rh_fail_field(fail, RH_ERR_FIELD_INVALID, "birth_date");
		if (fail) fail->detail_zh = zh, fail->detail_en = en;
	}
	free(stored);
	return rc;
}

/* A supervisor is another of the organisation's workers, a senior one
 * in service when named (000, SPEC S3: 高级 … supervises the others). A
 * team whose supervisor is later demoted or leaves keeps the name until
 * it is changed: the record says who supervised. */
static enum rh_err check_supervisor(struct db *db, const struct staff *s, int64_t self, struct rh_fail *fail)
{
	if (!s->supervisor_id) return RH_OK;
	if (s->supervisor_id == self) return rh_fail_field(fail, RH_ERR_FIELD_INVALID, "supervisor_id");
	struct staff *sup = malloc(sizeof *sup);
	if (!sup) return RH_ERR_NOMEM;
	enum rh_err rc = store_staff_get(db, s->tenant_id, s->supervisor_id, 0, sup);
	if (rc == RH_ERR_NOT_FOUND) rc = rh_fail_field(fail, RH_ERR_FIELD_INVALID, "supervisor_id");
	else if (rc == RH_OK && (sup->level != LEVEL_SENIOR || sup->status != STAFF_ACTIVE)) {
		rc = rh_fail_field(fail, RH_ERR_FIELD_INVALID, "supervisor_id");
		if (fail) {
			fail->detail_zh = "督导人须为在岗的高级人员";
			fail->detail_en = "the supervisor must be a senior worker in service";
		}
	}
	free(sup);
	return rc;
}

/* RH_ERR_DUPLICATE naming what another worker (not `self`) already has. */
static enum rh_err check_clash(struct db *db, const struct staff *s, int64_t self, struct rh_fail *fail)
{
	struct db_stmt *st = q_bind(db, &Q_CLASH, "ItttI", s->tenant_id, s->staff_no, s->badge_no, s->id_hash, self);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	int which = step == DB_ROW ? (int)q_int(db, st, 0) : 0;
	int blacklisted = step == DB_ROW && strcmp(q_text(db, st, 1), "blacklisted") == 0;
	q_finish(db, st);
	if (step == DB_ERROR) return q_error(db, "staff clash");
	if (!which) return RH_OK;
	/* The same person, blacklisted (不良信用记录): refused as such, not as a
	 * mere duplicate, so the office knows not to try another number (S6). */
	if (which == 3 && blacklisted) return rh_fail_field(fail, RH_ERR_BLACKLISTED, "id_number");
	return rh_fail_field(fail, RH_ERR_DUPLICATE, which == 1 ? "staff_no" : which == 2 ? "badge_no" : "id_number");
}

/* A worker put on file as in service (an import of an existing
 * workforce) carries the ID number the blacklist and the background
 * check go by, as an activation does (store_hiring.c): without one a
 * blacklisted person would come back under a new staff number. */
static enum rh_err check_id_in_service(const struct staff *s, struct rh_fail *fail)
{
	if ((s->status != STAFF_ACTIVE && s->status != STAFF_SUSPENDED) || s->id_number[0]) return RH_OK;
	enum rh_err rc = rh_fail_field(fail, RH_ERR_FIELD_REQUIRED, "id_number");
	if (fail) {
		fail->detail_zh = "在岗或停职人员须登记身份证号（背景审查和黑名单均以此为准）";
		fail->detail_en = "an active or suspended worker needs an ID number (the background check and the blacklist go by it)";
	}
	return rc;
}

/* Suspension, dismissal and the blacklist are sanctions, and lifting a
 * suspension is a reinstatement: each is a discipline entry with its
 * reason, rule, evidence and who decided (S6, store_discipline_add), not
 * a status typed into the profile or a file. An edit may take a worker
 * on (candidate → active), let them leave (a suspended one too), or take
 * a leaver on again. */
static enum rh_err check_status_road(const struct staff *before, const struct staff *next, enum staff_edit by,
				     struct rh_fail *fail)
{
	if (by == EDIT_BY_DISCIPLINE || next->status == before->status) return RH_OK;
	int sanction = next->status == STAFF_SUSPENDED || next->status == STAFF_DISMISSED ||
		       next->status == STAFF_BLACKLISTED || (before->status == STAFF_SUSPENDED && next->status == STAFF_ACTIVE);
	if (!sanction || before->status == STAFF_BLACKLISTED) return RH_OK;	/* the blacklist answers for itself */
	enum rh_err rc = rh_fail_field(fail, RH_ERR_STATE, "status");
	if (fail) {
		fail->detail_zh = "停职、复职、解聘和列入黑名单须在奖惩记录中登记（原因、依据、证据和决定人）";
		fail->detail_en = "suspension, reinstatement, dismissal and the blacklist are recorded as discipline entries (reason, rule, evidence, who decided)";
	}
	return rc;
}

static enum rh_err insert(struct db *db, const struct actor *a, struct staff *s, struct rh_fail *fail)
{
	char *sealed, birth[11];
	enum rh_err rc = id_seal(db, s->id_number, &sealed, s->id_masked, s->id_hash);
	if (rc == RH_OK) rc = check_clash(db, s, 0, fail);
	if (rc == RH_OK) rc = check_user(db, s, 0, fail);
	if (rc == RH_OK) rc = check_supervisor(db, s, 0, fail);
	if (rc == RH_OK) rc = check_employer(s, fail);
	if (rc == RH_OK) rc = check_id_in_service(s, fail);
	if (rc == RH_OK) rc = check_birth(db, s, NULL, 1, fail);
	if (rc != RH_OK) {
		free(sealed);
		return rc;
	}
	birth_text(s, birth);
	int64_t now = store_now();
	struct db_stmt *st = q_bind(db, &Q_INSERT, "ItttttttttitttItIII", s->tenant_id, s->staff_no, s->name,
				    sealed ? sealed : "", s->id_masked, s->id_hash, birth, s->phone,
				    choice_code(&employment_set, (int)s->employment), s->employer, (int)s->job_types,
				    choice_code(&staff_level_set, (int)s->level), s->badge_no,
				    choice_code(&staff_status_set, (int)s->status), s->user_id, s->notes, s->import_id, now,
				    s->supervisor_id);
	free(sealed);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) s->id = q_int(db, st, 0);
	q_finish(db, st);
	if (step != DB_ROW) {
		rc = q_error(db, "staff insert");
		return rc == RH_ERR_DUPLICATE ? rh_fail_field(fail, rc, "staff_no") : rc;
	}
	s->created_at = s->updated_at = now;
	s->version = 1;
	return staff_status_changed(db, a, -1, s, fail);
}

enum rh_err store_staff_create(struct db *db, const struct actor *a, struct staff *s, struct rh_fail *fail)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = insert(db, a, s, fail);
	if (rc == RH_OK) rc = audit_change(db, a, s->tenant_id, "create", "staff", s->id, NULL, audit_json(s));
	return tx_end(db, rc);
}

/* Writes next over before, audited; inside a write transaction. A next
 * that changes nothing (and gives no ID number) is not written: next
 * becomes before, as for households (store_household.c's rewrite). */
static enum rh_err rewrite(struct db *db, const struct actor *a, const struct staff *before, struct staff *next,
			   int id_change, enum staff_edit by, struct rh_fail *fail)
{
	char *sealed = NULL, birth[11];
	next->tenant_id = before->tenant_id;
	memcpy(next->staff_no, before->staff_no, sizeof next->staff_no);
	enum rh_err rc = check_status_road(before, next, by, fail);
	if (rc != RH_OK) return rc;
	if (id_change) {
		rc = id_seal(db, next->id_number, &sealed, next->id_masked, next->id_hash);
	} else {
		memcpy(next->id_masked, before->id_masked, sizeof next->id_masked);
		memcpy(next->id_hash, before->id_hash, sizeof next->id_hash);
		if (staff_same(next, before)) {
			*next = *before;
			return RH_OK;
		}
	}
	/* A blacklisted person's ID number is what keeps them out: frozen. */
	if (rc == RH_OK && id_change && before->status == STAFF_BLACKLISTED && strcmp(next->id_hash, before->id_hash) != 0)
		rc = rh_fail_field(fail, RH_ERR_BLACKLISTED, "id_number");
	/* An active or suspended worker was let in by their ID number (the
	 * background check, the blacklist go by it): it is not taken off. */
	if (rc == RH_OK && id_change && !next->id_hash[0] && before->id_hash[0] &&
	    (next->status == STAFF_ACTIVE || next->status == STAFF_SUSPENDED)) {
		rc = rh_fail_field(fail, RH_ERR_FIELD_REQUIRED, "id_number");
		fail->detail_zh = "在岗或停职人员的身份证号不能删除（背景审查和黑名单均以此为准）";
		fail->detail_en = "an active or suspended worker's ID number cannot be removed (the background check and the blacklist go by it)";
	}
	if (rc == RH_OK) rc = check_clash(db, next, before->id, fail);
	if (rc == RH_OK && next->user_id != before->user_id) rc = check_user(db, next, before->id, fail);
	if (rc == RH_OK && next->supervisor_id != before->supervisor_id) rc = check_supervisor(db, next, before->id, fail);
	if (rc == RH_OK) rc = check_employer(next, fail);
	if (rc == RH_OK) rc = check_birth(db, next, before, id_change, fail);
	if (rc != RH_OK) {
		free(sealed);
		return rc;
	}
	birth_text(next, birth);
	int64_t now = store_now();
	rc = q_exec(db, &Q_UPDATE, "IIItttttitttItIitttI", before->tenant_id, before->id, before->version, next->name,
		    birth, next->phone, choice_code(&employment_set, (int)next->employment), next->employer,
		    (int)next->job_types, choice_code(&staff_level_set, (int)next->level), next->badge_no,
		    choice_code(&staff_status_set, (int)next->status), next->user_id, next->notes, now, id_change,
		    sealed ? sealed : "", next->id_masked, next->id_hash, next->supervisor_id);
	free(sealed);
	if (rc == RH_ERR_DUPLICATE) rh_fail_field(fail, rc, "badge_no");
	if (rc != RH_OK) return rc;
	next->id = before->id;
	next->import_id = before->import_id;
	next->created_at = before->created_at;
	next->updated_at = now;
	next->version = before->version + 1;
	json_t *was = audit_json(before), *is = audit_json(next);
	char born_was[11];
	birth_text(before, born_was);
	audit_tag_hidden(db, "staff", before->id, was, is, "birth_date", born_was, birth);
	audit_tag_hidden(db, "staff", before->id, was, is, "phone", before->phone, next->phone);
	audit_tag_hidden(db, "staff", before->id, was, is, "id_number", before->id_hash, next->id_hash);
	rc = audit_change(db, a, before->tenant_id, "update", "staff", before->id, was, is);
	if (rc == RH_OK && next->status != before->status)
		rc = staff_status_changed(db, a, (int)before->status, next, fail);
	/* what the job needs of the worker changed (a status change that
	 * takes them out of service rechecks above) */
	else if (rc == RH_OK && (next->level != before->level || next->job_types != before->job_types ||
				 next->has_birth_date != before->has_birth_date || next->birth_date != before->birth_date))
		rc = visits_recheck(db, before->tenant_id, before->id);
	return rc;
}

enum rh_err store_staff_update_in_tx(struct db *db, const struct actor *a, const struct staff *before,
				     const struct staff *next, struct staff *out, struct rh_fail *fail)
{
	*out = *next;
	return rewrite(db, a, before, out, 0, EDIT_BY_DISCIPLINE, fail);
}

enum rh_err store_staff_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			       int64_t version, const struct staff *next, int id_change, struct staff *out,
			       struct rh_fail *fail)
{
	struct staff before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = store_staff_get(db, tenant_id, id, 0, &before);
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK) rc = version_check(before.version, version, fail);
	if (rc == RH_OK) {
		*out = *next;
		rc = rewrite(db, a, &before, out, id_change, EDIT_BY_HAND, fail);
	}
	return tx_end(db, rc);
}

enum rh_err store_staff_list(struct db *db, int64_t tenant_id, const struct staff_filter *f,
			     int (*fn)(const struct staff *, void *), void *arg, int64_t *total)
{
	char *like = f->q && f->q[0] ? like_pattern(f->q) : NULL;
	if (f->q && f->q[0] && !like) return RH_ERR_NOMEM;
	const char *status = f->status >= 0 ? choice_code(&staff_status_set, f->status) : NULL;
	const char *level = f->level >= 0 ? choice_code(&staff_level_set, f->level) : NULL;
	const char *employ = f->employment >= 0 ? choice_code(&employment_set, f->employment) : NULL;
	enum rh_err rc = RH_OK;
	struct db_stmt *st = q_bind(db, &Q_COUNT[f->phones_hidden ? 1 : 0], "IttttiI", tenant_id, like, status, level, employ, (int)f->job_type,
				    f->supervisor_id);
	enum db_step s = st ? q_step(db, st) : DB_ERROR;
	if (s == DB_ROW) *total = q_int(db, st, 0);
	if (st) q_finish(db, st);
	if (s != DB_ROW) rc = st ? q_error(db, "staff count") : q_unprepared(db);
	if (rc == RH_OK) {
		st = q_bind(db, &Q_LIST[f->phones_hidden ? 1 : 0], "IttttiIiiii", tenant_id, like, status, level, employ, (int)f->job_type,
			    f->supervisor_id, (int)f->sort, f->desc ? 1 : 0, f->limit, f->offset);
		if (!st) rc = q_unprepared(db);
	}
	if (rc == RH_OK) {
		struct staff *w = malloc(sizeof *w);
		if (!w) rc = RH_ERR_NOMEM;
		while (w && (s = q_step(db, st)) == DB_ROW) {
			read_staff(db, st, w);
			if (fn(w, arg)) break;
		}
		q_finish(db, st);
		if (w && s == DB_ERROR) rc = q_error(db, "staff list");
		free(w);
	}
	free(like);
	return rc;
}

enum rh_err import_staff_row(struct db *db, const struct actor *a, int64_t import_id, struct staff *s,
			     unsigned keep, unsigned masked, const char *masked_field, staff_merge_fn merge,
			     int id_blind, enum import_outcome *outcome, struct rh_fail *fail)
{
	s->import_id = import_id;
	struct staff *before = malloc(sizeof *before);
	if (!before) return RH_ERR_NOMEM;
	enum rh_err rc = one(db, q_bind(db, &Q_BY_NO, "It", s->tenant_id, s->staff_no), 0, before);
	if (rc == RH_ERR_NOT_FOUND) {
		rc = import_new_row(s->version, fail);
		if (rc == RH_OK && masked)	/* new, with masked cells: nothing to keep */
			rc = rh_fail_field(fail, RH_ERR_FIELD_INVALID, masked_field);
		if (rc == RH_OK) {
			*outcome = IMPORT_INSERTED;
			rc = insert(db, a, s, fail);
		}
	} else if (rc == RH_OK) {
		int id_change = !merge(s, before, keep), id_given = id_change && s->id_number[0];
		if (id_change) {
			if (s->id_number[0]) secret_lookup_hash(db->keys->lookup, s->id_number, s->id_hash);
			else s->id_hash[0] = '\0';
			id_change = strcmp(s->id_hash, before->id_hash) != 0;
		} else {
			memcpy(s->id_hash, before->id_hash, sizeof s->id_hash);
		}
		s->tenant_id = before->tenant_id;
		int same = !id_change && staff_same(s, before);
		rc = import_outcome_of(same, id_blind && id_given, before->version, s->version, outcome, fail);
		if (rc == RH_OK && !same) {
			rc = rewrite(db, a, before, s, id_change, EDIT_BY_HAND, fail);
			if (rc == RH_OK && s->version == before->version) *outcome = IMPORT_UNCHANGED;	/* rewrite found nothing to write */
		}
	}
	free(before);
	return rc;
}

/* ---- the photo ---- */

/* The picture is kept sealed (migration 021, store_seal.c): a face is
 * personal data, and the badge page shows it only to whoever holds the
 * badge's token. */
static const struct sql Q_SET_PHOTO = {
	"UPDATE staff SET photo_type = $4, photo = $5, photo_sealed = 1, updated_at = $6, version = version + 1"
	" WHERE tenant_id = $1 AND id = $2 AND version = $3"
};
static const struct sql Q_PHOTO = {
	"SELECT photo_type, photo, photo_sealed, id FROM staff WHERE tenant_id = $1 AND id = $2"
};
static const struct sql Q_PHOTOS_UNSEALED = {
	"SELECT id FROM staff WHERE photo_sealed = 0 AND photo <> '' ORDER BY id"
};
static const struct sql Q_PHOTO_DATA = { "SELECT photo FROM staff WHERE id = $1 AND photo_sealed = 0" };
static const struct sql Q_PHOTO_SEAL = {
	"UPDATE staff SET photo = $2, photo_sealed = 1 WHERE id = $1 AND photo_sealed = 0 RETURNING id"
};

enum rh_err store_photo_seal_pending(struct db *db);
enum rh_err store_photo_seal_pending(struct db *db)
{
	static const struct seal_rows photos = { &Q_PHOTOS_UNSEALED, &Q_PHOTO_DATA, &Q_PHOTO_SEAL, "staff photos", "021" };
	return seal_pending(db, &photos);
}

/* The photo on file, before a new one: *was names it for the trail
 * (type, hash, size), NULL when there is none; *same says whether it is
 * the picture hex names. One that is replaced is kept among the worker's
 * documents (kind other, named for the day, its own audit entry), and
 * *was says which: a badge checked at a door before showed that picture. */
static enum rh_err photo_replaced(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id, const char *hex,
				  json_t **was, int *same)
{
	char type[16], old[65];
	unsigned char *data;
	size_t len;
	*was = NULL;
	*same = 0;
	enum rh_err rc = photo_read(db, q_bind(db, &Q_PHOTO, "II", tenant_id, id), type, &data, &len);
	if (rc == RH_ERR_NOT_FOUND) return RH_OK;
	/* One whose seal does not open (altered in the database, logged by
	 * photo_read) cannot be kept, and must not stop the new one: a new
	 * photo is the only way to mend it. The trail says what was there. */
	if (rc == RH_ERR_INTERNAL) {
		*was = json_pack("{s:s, s:b}", "type", type, "unreadable", 1);
		return *was ? RH_OK : RH_ERR_NOMEM;
	}
	if (rc != RH_OK) return rc;
	blob_sha256(data, len, old);
	*same = strcmp(old, hex) == 0;
	struct staff_file f = { .tenant_id = tenant_id, .staff_id = id, .kind = choice_parse(&doc_kind_set, "other") };
	if (!*same) {
		struct tenant t;
		int offset = store_tenant_get(db, tenant_id, &t) == RH_OK ? t.utc_offset_min : RH_TZ_SHANGHAI;
		char day[11];
		date_format(date_of(store_now(), offset), day);
		snprintf(f.name, sizeof f.name, "工作证照片（%s 替换前）.%s", day, strcmp(type, "image/png") == 0 ? "png" : "jpg");
		snprintf(f.content_type, sizeof f.content_type, "%s", type);
		char *sealed = staff_file_seal(db, &f, data, len);
		rc = sealed ? staff_file_insert(db, a, &f, sealed) : RH_ERR_NOMEM;
		free(sealed);
	}
	free(data);
	if (rc != RH_OK) return rc;
	*was = json_pack("{s:s, s:s, s:I}", "type", type, "sha256", old, "bytes", (json_int_t)len);
	if (*was && f.id) json_object_set_new(*was, "kept_as_document", json_integer(f.id));
	return *was ? RH_OK : RH_ERR_NOMEM;
}

enum rh_err store_staff_set_photo(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
				  int64_t version, const char *type, const unsigned char *data, size_t len,
				  struct staff *out, struct rh_fail *fail)
{
	char *sealed = secret_seal(db->keys->seal, (const char *)data, len);	/* before the write lock */
	if (!sealed) return RH_ERR_NOMEM;
	char hex[65];
	blob_sha256(data, len, hex);
	struct staff before;
	json_t *was = NULL;
	int same = 0;
	enum rh_err rc = tx_begin(db, 1);
	if (rc == RH_OK) {
		rc = store_staff_get(db, tenant_id, id, 0, &before);
		if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
		if (rc == RH_OK) rc = version_check(before.version, version, fail);
		if (rc == RH_OK) rc = photo_replaced(db, a, tenant_id, id, hex, &was, &same);
		/* The same picture again changes nothing: no version, no entry. */
		if (rc == RH_OK && same && strcmp(before.photo_type, type) == 0) {
			*out = before;
			json_decref(was);
			free(sealed);
			return tx_end(db, rc);
		}
		if (rc == RH_OK) rc = q_exec(db, &Q_SET_PHOTO, "IIIttI", tenant_id, id, version, type, sealed, store_now());
		if (rc == RH_OK) rc = store_staff_get(db, tenant_id, id, 0, out);
		/* The trail records which picture (its hash), not the picture;
		 * a replaced one's hash is its before. */
		if (rc == RH_OK) {
			rc = audit_change(db, a, tenant_id, "set_photo", "staff", id, was,
					  json_pack("{s:s, s:s, s:I}", "type", type, "sha256", hex, "bytes", (json_int_t)len));
			was = NULL;
		}
		json_decref(was);
		rc = tx_end(db, rc);
	}
	free(sealed);
	return rc;
}

enum rh_err photo_read(struct db *db, struct db_stmt *st, char type[16], unsigned char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	enum rh_err rc = s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "photo");
	if (rc == RH_OK) {
		q_copy(db, st, 0, type, 16);
		rc = type[0] ? sealed_open(db, "staff photo of worker", q_int(db, st, 3), q_text(db, st, 1),
					   q_int(db, st, 2) != 0, data, len)
			     : RH_ERR_NOT_FOUND;
	}
	q_finish(db, st);
	return rc;
}

enum rh_err store_staff_photo(struct db *db, int64_t tenant_id, int64_t id, char type[16], unsigned char **data,
			      size_t *len)
{
	return photo_read(db, q_bind(db, &Q_PHOTO, "II", tenant_id, id), type, data, len);
}
