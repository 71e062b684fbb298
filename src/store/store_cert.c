/*
 * store_cert.c — certificates (S3, S4) and what each job type requires
 * of them (job_rules, defaults in core/fieldstaff.c).
 *
 * A certificate is never deleted: a mistake is corrected as a new
 * version, a withdrawn one is revoked, both audited with before/after.
 *
 * Its number is kept as SPEC X5 keeps ID numbers, since a 特种作业操作证
 * is numbered by its holder's (migration 019): the column `number` holds
 * it with any ID number in it masked, which is all that is ever read
 * back; the whole number is sealed beside it, and its keyed hash tells
 * the same certificate sent twice and a correction the mask hides.
 */
#include <sodium.h>
#include <stdlib.h>
#include "base/log.h"
#include "core/idcard.h"
#include "store/store_internal.h"

#define CERT_COLS "c.id, c.tenant_id, c.staff_id, c.type, c.number, c.issuer, c.valid_from, c.valid_to, c.file_id," \
	" c.revoked, c.created_at, c.updated_at, c.version, c.number_hash"
static const struct sql Q_INSERT = {
	"INSERT INTO certificates (tenant_id, staff_id, type, number, issuer, valid_from, valid_to, file_id, revoked,"
	" created_at, updated_at, number_sealed, number_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9, $10, $11)"
	" RETURNING id"
};
/* The same certificate already on file (a request sent twice). A renewal
 * keeps its number (a 特种作业操作证's is its holder's ID number) but not
 * its dates, and a revoked one may be recorded again. */
static const struct sql Q_TWIN = {
	"SELECT id FROM certificates WHERE tenant_id = $1 AND staff_id = $2 AND type = $3 AND number_hash = $4"
	" AND valid_from = $5 AND valid_to = $6 AND revoked = 0"
};
static const struct sql Q_GET = { "SELECT " CERT_COLS ", '' FROM certificates c WHERE c.tenant_id = $1 AND c.id = $2" };
static const struct sql Q_UPDATE = {
	"UPDATE certificates SET type = $4, number = $5, issuer = $6, valid_from = $7, valid_to = $8, file_id = $9,"
	" revoked = $10, updated_at = $11, version = version + 1,"
	" number_sealed = CASE WHEN $13 = '' THEN number_sealed ELSE $12 END,"	/* no hash: the number kept */
	" number_hash = CASE WHEN $13 = '' THEN number_hash ELSE $13 END"
	" WHERE tenant_id = $1 AND id = $2 AND version = $3"
};
/* The rows written before migration 019, sealed at start. */
static const struct sql Q_UNSEALED = { "SELECT id, number FROM certificates WHERE number_hash = '' ORDER BY id" };
static const struct sql Q_SEAL = {
	"UPDATE certificates SET number = $2, number_sealed = $3, number_hash = $4 WHERE id = $1 AND number_hash = ''"
	" RETURNING id"
};
/* One worker's, newest first; or, with $2 = 0, the certificates of
 * workers still on the books that end between $3 and $4 (the 30-day
 * warning, S3), soonest first — but not one already renewed: another of
 * the same type, not revoked, that goes on from its last day (valid
 * from the day after at the latest), as eligibility would count it.
 * DAY_AFTER(d) is the day after the date text d, in each engine's words. */
#define CERT_WHERE(DAY_AFTER) " FROM certificates c JOIN staff s ON s.id = c.staff_id AND s.tenant_id = c.tenant_id" \
	" WHERE c.tenant_id = $1 AND (($2 <> 0 AND c.staff_id = $2) OR ($2 = 0 AND c.revoked = 0" \
	" AND c.valid_to >= $3 AND c.valid_to <= $4 AND s.status IN ('candidate', 'active', 'suspended')" \
	" AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.tenant_id = c.tenant_id AND n.staff_id = c.staff_id" \
	" AND n.type = c.type AND n.revoked = 0 AND n.valid_to > c.valid_to" \
	" AND n.valid_from <= " DAY_AFTER("c.valid_to") ")))"
#define SQLITE_DAY_AFTER(d) "date(" d ", '+1 day')"
#define PG_DAY_AFTER(d) "to_char(" d "::date + 1, 'YYYY-MM-DD')"
#define CERT_ORDER " ORDER BY CASE WHEN $2 = 0 THEN c.valid_to END ASC," \
	" CASE WHEN $2 <> 0 THEN c.valid_to END DESC, c.id LIMIT $5 OFFSET $6"
static const struct sql Q_LIST = {
	"SELECT " CERT_COLS ", s.name" CERT_WHERE(SQLITE_DAY_AFTER) CERT_ORDER,
	"SELECT " CERT_COLS ", s.name" CERT_WHERE(PG_DAY_AFTER) CERT_ORDER,
};
static const struct sql Q_COUNT = {
	"SELECT count(*)" CERT_WHERE(SQLITE_DAY_AFTER),
	"SELECT count(*)" CERT_WHERE(PG_DAY_AFTER),
};

static void read_cert(struct db *db, struct db_stmt *st, struct certificate *c)
{
	memset(c, 0, sizeof *c);
	c->id = q_int(db, st, 0);
	c->tenant_id = q_int(db, st, 1);
	c->staff_id = q_int(db, st, 2);
	c->type = (enum cert_type)choice_parse_or(&cert_type_set, q_text(db, st, 3), CERT_OTHER);
	q_copy(db, st, 4, c->number, sizeof c->number);
	q_copy(db, st, 5, c->issuer, sizeof c->issuer);
	c->valid_from = q_day(db, st, 6);
	c->valid_to = q_day(db, st, 7);
	c->file_id = q_int(db, st, 8);
	c->revoked = q_int(db, st, 9) != 0;
	c->created_at = q_int(db, st, 10);
	c->updated_at = q_int(db, st, 11);
	c->version = q_int(db, st, 12);
	q_copy(db, st, 13, c->number_hash, sizeof c->number_hash);
}

/* A number as it is kept: masked (the column `number`), sealed (NULL when
 * the mask hides nothing) and hashed. number is whole, as sent. */
struct sealed_number {
	char masked[TEXT_SHORT_MAX * 4 + 1];
	char *sealed;	/* malloc'ed */
	char hash[TOKEN_HASH_LEN + 1];
};

static enum rh_err number_seal(struct db *db, const char *number, struct sealed_number *out)
{
	char keyed[sizeof out->masked + 16];
	idcard_mask_within(number, out->masked, sizeof out->masked);
	snprintf(keyed, sizeof keyed, "certificate:%s", number);
	secret_lookup_hash(db->keys->lookup, keyed, out->hash);
	sodium_memzero(keyed, sizeof keyed);
	out->sealed = NULL;
	if (strcmp(out->masked, number) == 0) return RH_OK;
	out->sealed = secret_seal(db->keys->seal, number, strlen(number));
	return out->sealed ? RH_OK : RH_ERR_NOMEM;
}

/* At start, after the migrations (store.c): the rows written before
 * migration 019, sealed as rows are now. */
enum rh_err store_cert_seal_pending(struct db *db);
enum rh_err store_cert_seal_pending(struct db *db)
{
	struct db_stmt *st = q_bind(db, &Q_UNSEALED, "");
	if (!st) return q_unprepared(db);
	struct { int64_t id; char *number; } *rows = NULL;
	size_t n = 0, cap = 0;
	enum rh_err rc = RH_OK;
	enum db_step s;
	while ((s = q_step(db, st)) == DB_ROW && rc == RH_OK) {
		if (n == cap) {
			void *more = realloc(rows, (cap = cap ? cap * 2 : 16) * sizeof *rows);
			if (!more) { rc = RH_ERR_NOMEM; break; }
			rows = more;
		}
		rows[n].id = q_int(db, st, 0);
		if (!(rows[n].number = strdup(q_text(db, st, 1)))) rc = RH_ERR_NOMEM;
		else n++;
	}
	q_finish(db, st);
	if (rc == RH_OK && s == DB_ERROR) rc = q_error(db, "unsealed certificates");
	int began = rc == RH_OK && n && (rc = tx_begin(db, 1)) == RH_OK;
	int64_t sealed = 0;	/* by this node: another starting beside it may have sealed some first */
	for (size_t i = 0; i < n && began && rc == RH_OK; i++) {
		struct sealed_number sn;
		int64_t one = 0;
		rc = number_seal(db, rows[i].number, &sn);
		if (rc == RH_OK)
			rc = q_exec_rows(db, &Q_SEAL, &one, "Ittt", rows[i].id, sn.masked, sn.sealed ? sn.sealed : "", sn.hash);
		sealed += one;
		free(sn.sealed);
	}
	if (began) rc = tx_end(db, rc);
	if (rc == RH_OK && sealed) log_info("sealed the numbers of %lld certificates (migration 019)", (long long)sealed);
	for (size_t i = 0; i < n; i++) {
		sodium_memzero(rows[i].number, strlen(rows[i].number));
		free(rows[i].number);
	}
	free(rows);
	return rc;
}

/* As the API shows it: "valid" and "days_left" as of the organisation's
 * today (SPEC X4), not Shanghai's. */
static json_t *audit_json(struct db *db, const struct certificate *c)
{
	struct tenant t;
	int offset = store_tenant_get(db, c->tenant_id, &t) == RH_OK ? t.utc_offset_min : RH_TZ_SHANGHAI;
	return certificate_to_json(c, date_of(store_now(), offset));
}

enum rh_err store_cert_add(struct db *db, const struct actor *a, struct certificate *c, struct rh_fail *fail)
{
	char from[11], to[11];
	date_format(c->valid_from, from);
	date_format(c->valid_to, to);
	int64_t now = store_now();
	struct sealed_number sn;
	enum rh_err rc = number_seal(db, c->number, &sn);
	if (rc != RH_OK) return rc;
	/* from here on the caller's copy is as it is kept */
	sodium_memzero(c->number, sizeof c->number);
	memcpy(c->number, sn.masked, sizeof c->number);
	memcpy(c->number_hash, sn.hash, sizeof c->number_hash);
	rc = tx_begin(db, 1);
	if (rc != RH_OK) {
		free(sn.sealed);
		return rc;
	}
	rc = staff_exists(db, c->tenant_id, c->staff_id, "id", fail);
	if (rc == RH_OK) rc = file_belongs(db, c->tenant_id, c->staff_id, c->file_id, fail);
	if (rc == RH_OK)
		rc = q_no_twin(db, fail, "number", &Q_TWIN, "IItttt", c->tenant_id, c->staff_id,
			       choice_code(&cert_type_set, (int)c->type), sn.hash, from, to);
	if (rc == RH_OK)
		rc = q_insert(db, &Q_INSERT, &c->id, "IItttttIItt", c->tenant_id, c->staff_id,
			      choice_code(&cert_type_set, (int)c->type), sn.masked, c->issuer, from, to, c->file_id, now,
			      sn.sealed ? sn.sealed : "", sn.hash);
	free(sn.sealed);
	c->created_at = c->updated_at = now;
	c->version = 1;
	if (rc == RH_OK) rc = audit_change(db, a, c->tenant_id, "create", "certificate", c->id, NULL, audit_json(db, c));
	return tx_end(db, rc);
}

enum rh_err store_cert_get(struct db *db, int64_t tenant_id, int64_t id, struct certificate *out)
{
	struct db_stmt *st = q_bind(db, &Q_GET, "II", tenant_id, id);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) read_cert(db, st, out);
	enum rh_err rc = step == DB_ROW ? RH_OK : step == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "certificate");
	q_finish(db, st);
	return rc;
}

/* Whether next changes nothing of before. */
static int cert_same(const struct certificate *before, const struct certificate *next)
{
	return before->type == next->type && strcmp(before->number_hash, next->number_hash) == 0 &&
	       strcmp(before->issuer, next->issuer) == 0 && before->valid_from == next->valid_from &&
	       before->valid_to == next->valid_to && before->file_id == next->file_id &&
	       !before->revoked == !next->revoked;
}

/* A next that changes nothing is not written, audited or versioned. */
enum rh_err store_cert_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id, int64_t version,
			      const struct certificate *next, struct certificate *out, struct rh_fail *fail)
{
	struct certificate before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = store_cert_get(db, tenant_id, id, &before);
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK) rc = version_check(before.version, version, fail);
	/* A revoked certificate stays revoked: a renewed one is a new record. */
	if (rc == RH_OK && before.revoked && !next->revoked) rc = rh_fail_field(fail, RH_ERR_STATE, "revoked");
	*out = *next;
	out->id = id;
	out->tenant_id = tenant_id;
	if (rc == RH_OK) out->staff_id = before.staff_id;
	if (rc == RH_OK && out->valid_to < out->valid_from) rc = rh_fail_field(fail, RH_ERR_FIELD_RANGE, "valid_to");
	/* A number other than the one read back was sent whole: kept as
	 * numbers are; the same one sent whole again hashes alike. */
	struct sealed_number sn = { .sealed = NULL, .hash = "" };
	if (rc == RH_OK && strcmp(next->number, before.number) != 0) {
		rc = number_seal(db, next->number, &sn);
		sodium_memzero(out->number, sizeof out->number);
		memcpy(out->number, sn.masked, sizeof out->number);
		memcpy(out->number_hash, sn.hash, sizeof out->number_hash);
	} else {
		memcpy(out->number_hash, before.number_hash, sizeof out->number_hash);
	}
	if (rc == RH_OK && cert_same(&before, out)) {
		*out = before;
		free(sn.sealed);
		return tx_end(db, rc);
	}
	/* …and is not rewritten either: the withdrawn record stands as it
	 * was withdrawn (a renewal or a correct one is recorded anew). */
	if (rc == RH_OK && before.revoked) {
		rc = rh_fail_field(fail, RH_ERR_STATE, "revoked");
		if (fail) {
			fail->detail_zh = "已吊销的证书不能再修改，如需登记请新建证书";
			fail->detail_en = "a revoked certificate is not changed; record a new one instead";
		}
	}
	if (rc == RH_OK) rc = file_belongs(db, out->tenant_id, out->staff_id, out->file_id, fail);
	if (rc == RH_OK) {
		char from[11], to[11];
		date_format(out->valid_from, from);
		date_format(out->valid_to, to);
		rc = q_exec(db, &Q_UPDATE, "IIItttttIiItt", tenant_id, id, version, choice_code(&cert_type_set, (int)out->type),
			    out->number, out->issuer, from, to, out->file_id, out->revoked ? 1 : 0, store_now(),
			    sn.sealed ? sn.sealed : "", sn.hash);
	}
	free(sn.sealed);
	if (rc == RH_OK) rc = store_cert_get(db, tenant_id, id, out);
	if (rc == RH_OK) {
		json_t *was = audit_json(db, &before), *is = audit_json(db, out);
		/* a correction the mask hides is told apart by a keyed tag of each side */
		audit_tag_hidden(db, "certificate", id, was, is, "number", before.number_hash, out->number_hash);
		rc = audit_change(db, a, tenant_id, out->revoked && !before.revoked ? "revoke" : "update", "certificate", id,
				  was, is);
	}
	/* revoked, or its dates or type corrected: the visits to come may no longer hold */
	if (rc == RH_OK) rc = visits_recheck(db, tenant_id, out->staff_id);
	return tx_end(db, rc);
}

enum rh_err store_certs(struct db *db, int64_t tenant_id, const struct cert_filter *f,
			int (*fn)(const struct certificate *, const char *staff_name, void *), void *arg,
			int64_t *total)
{
	char from[11], to[11];
	date_format(f->from, from);
	date_format(f->to, to);
	*total = 0;
	struct db_stmt *st = q_bind(db, &Q_COUNT, "IItt", tenant_id, f->staff_id, from, to);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	if (step == DB_ROW) *total = q_int(db, st, 0);
	q_finish(db, st);
	if (step != DB_ROW) return q_error(db, "certificates count");
	st = q_bind(db, &Q_LIST, "IIttii", tenant_id, f->staff_id, from, to, f->limit, f->offset);
	if (!st) return q_unprepared(db);
	struct certificate c;
	while ((step = q_step(db, st)) == DB_ROW) {
		read_cert(db, st, &c);
		if (fn(&c, q_text(db, st, 14), arg)) break;
	}
	enum rh_err rc = step == DB_ERROR ? q_error(db, "certificates") : RH_OK;
	q_finish(db, st);
	return rc;
}

/* ---- job rules ---- */

static const struct sql Q_RULES = { "SELECT job_type, certs, level, version FROM job_rules WHERE tenant_id = $1" };
static const struct sql Q_RULE_GET = {
	"SELECT certs, level, version FROM job_rules WHERE tenant_id = $1 AND job_type = $2"
};
static const struct sql Q_RULE_SET = {
	"INSERT INTO job_rules (tenant_id, job_type, certs, level, updated_at, version) VALUES ($1, $2, $3, $4, $5, 1)"
	" ON CONFLICT (tenant_id, job_type) DO UPDATE SET certs = excluded.certs, level = excluded.level,"
	" updated_at = excluded.updated_at, version = job_rules.version + 1"
};

enum rh_err store_job_rules(struct db *db, int64_t tenant_id, struct job_rule out[JOB_TYPE_MAX])
{
	for (size_t i = 0; i < job_type_set.n; i++) out[i] = job_rule_defaults[i];
	struct db_stmt *st = q_bind(db, &Q_RULES, "I", tenant_id);
	if (!st) return q_unprepared(db);
	enum db_step step;
	while ((step = q_step(db, st)) == DB_ROW) {
		int j = choice_parse(&job_type_set, q_text(db, st, 0));
		if (j < 0) continue;
		out[j].certs = (unsigned)q_int(db, st, 1);
		out[j].level = (enum staff_level)choice_parse_or(&staff_level_set, q_text(db, st, 2), LEVEL_SENIOR);
		out[j].version = q_int(db, st, 3);
	}
	enum rh_err rc = step == DB_ERROR ? q_error(db, "job rules") : RH_OK;
	q_finish(db, st);
	return rc;
}

static json_t *rule_json(int job_type, const struct job_rule *r)
{
	json_t *certs = json_array();
	for (int i = 0; i < CERT__COUNT; i++)
		if (r->certs & (1u << i)) json_array_append_new(certs, json_string(choice_code(&cert_type_set, i)));
	return json_pack("{s:s, s:o, s:s}", "job_type", choice_code(&job_type_set, job_type), "certificates", certs,
			 "level", choice_code(&staff_level_set, (int)r->level));
}

enum rh_err store_job_rule_set(struct db *db, const struct actor *a, int64_t tenant_id, int job_type,
			       const struct job_rule *rule, struct rh_fail *fail)
{
	struct job_rule before = job_rule_defaults[job_type];
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	struct db_stmt *st = q_bind(db, &Q_RULE_GET, "It", tenant_id, choice_code(&job_type_set, job_type));
	if (!st) rc = q_unprepared(db);
	if (st) {
		enum db_step step = q_step(db, st);
		if (step == DB_ROW) {
			before.certs = (unsigned)q_int(db, st, 0);
			before.level = (enum staff_level)choice_parse_or(&staff_level_set, q_text(db, st, 1), LEVEL_SENIOR);
			before.version = q_int(db, st, 2);
		} else if (step == DB_ERROR) {
			rc = q_error(db, "job rule");
		}
		q_finish(db, st);
	}
	if (rc == RH_OK) rc = version_check(before.version, rule->version, fail);
	/* The rule as it stands, set again, writes nothing (X3: no entry for a
	 * change that is none). */
	if (rc == RH_OK && before.certs == rule->certs && before.level == rule->level) return tx_end(db, rc);
	if (rc == RH_OK)
		rc = q_exec(db, &Q_RULE_SET, "ItitI", tenant_id, choice_code(&job_type_set, job_type),
			    (int)rule->certs, choice_code(&staff_level_set, (int)rule->level), store_now());
	if (rc == RH_OK)
		rc = audit_change(db, a, tenant_id, "update", "job_rule", job_type, rule_json(job_type, &before),
				  rule_json(job_type, rule));
	if (rc == RH_OK) rc = visits_recheck_job(db, tenant_id, job_type);
	return tx_end(db, rc);
}
