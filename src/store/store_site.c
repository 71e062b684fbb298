/*
 * store_site.c — the site tree: estates, buildings, units.
 *
 * A site's address parts are its estate's (the join below), its path
 * ("幸福里 / 3栋 / 2单元") is kept on every row so that lists and
 * households show it without walking the tree, and a rename rewrites the
 * paths under it in the same transaction.
 */
#include <stdlib.h>
#include "core/validate.h"
#include "store/store_internal.h"

#define SITE_COLS "SELECT s.id, s.tenant_id, s.parent_id, s.estate_id, s.building_id, s.kind, s.name, s.code," \
	" e.province, e.city, e.district, e.street, e.address, s.path, s.created_at, s.updated_at, s.version,"
/* The counts cost a walk of the households under the site: lists and
 * pages show them; the store's own reads (a parent, a site being
 * changed) take the bare form. */
#define SITE_SELECT_BARE SITE_COLS " 0, 0 FROM sites s JOIN sites e ON e.id = s.estate_id"
#define SITE_SELECT SITE_COLS \
	" (SELECT COUNT(*) FROM sites c WHERE c.tenant_id = s.tenant_id AND c.parent_id = s.id)," \
	" " SITE_HOUSEHOLDS " FROM sites s JOIN sites e ON e.id = s.estate_id"

static const struct sql Q_INSERT = {
	"INSERT INTO sites (tenant_id, parent_id, estate_id, building_id, kind, name, code, province, city,"
	" district, street, address, path, created_at, updated_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id"
};
/* An estate is its own estate, a building its own building. */
static const struct sql Q_SELF_IDS = {
	"UPDATE sites SET estate_id = CASE WHEN kind = 'estate' THEN id ELSE estate_id END,"
	" building_id = CASE WHEN kind = 'building' THEN id ELSE building_id END WHERE id = $1"
};
static const struct sql Q_GET = { SITE_SELECT " WHERE s.tenant_id = $1 AND s.id = $2" };
static const struct sql Q_GET_BARE = { SITE_SELECT_BARE " WHERE s.tenant_id = $1 AND s.id = $2" };
/* Ordered by ruhu_sort_key (core/site.h), 2栋 before 10栋, keyed as
 * names are for pinyin order (core/collate.h: 白云楼 before 阳光楼), and
 * compared byte by byte. */
/* $5: a limited account's id, whose granted estates bound the list
 * (SPEC X1), or 0. */
#define SITE_WHERE(LIKE) " WHERE s.tenant_id = $1" \
	" AND (($2 IS NULL AND s.parent_id = $3) OR " LIKE("s.name", "$2") ")" \
	" AND ($4 IS NULL OR s.kind = $4)" \
	" AND ($5 = 0 OR s.estate_id IN (SELECT estate_id FROM user_sites WHERE user_id = $5))"
#define SITE_LIST(LIKE, order_key) SITE_SELECT SITE_WHERE(LIKE) " ORDER BY " order_key ", s.id LIMIT $6 OFFSET $7"
static const struct sql Q_LIST = {
	SITE_LIST(LIKE_WORD, NAME_KEY("ruhu_sort_key(s.name)")),
	SITE_LIST(LIKE_WORD_PG, NAME_KEY_PG("ruhu_sort_key(s.name)")),
};
static const struct sql Q_COUNT = {
	"SELECT COUNT(*) FROM sites s" SITE_WHERE(LIKE_WORD), "SELECT COUNT(*) FROM sites s" SITE_WHERE(LIKE_WORD_PG)
};
static const struct sql Q_UPDATE = {
	"UPDATE sites SET name = $4, code = $5, province = $6, city = $7, district = $8, street = $9,"
	" address = $10, path = $11, updated_at = $12, version = version + 1"
	" WHERE tenant_id = $1 AND id = $2 AND version = $3"
};
/* $3 the new path, $4 where the rest of an old path starts (characters). */
static const struct sql Q_REPATH = {
	"UPDATE sites SET path = $3 || substr(path, $4) WHERE tenant_id = $1"
	" AND (estate_id = $2 OR building_id = $2) AND id <> $2"
};

static void read_site(struct db *db, struct db_stmt *st, struct site *s)
{
	memset(s, 0, sizeof *s);
	s->id = q_int(db, st, 0);
	s->tenant_id = q_int(db, st, 1);
	s->parent_id = q_int(db, st, 2);
	s->estate_id = q_int(db, st, 3);
	s->building_id = q_int(db, st, 4);
	int kind = choice_parse(&site_kind_set, q_text(db, st, 5));
	s->kind = kind < 0 ? SITE_UNIT : (enum site_kind)kind;
	q_copy(db, st, 6, s->name, sizeof s->name);
	q_copy(db, st, 7, s->code, sizeof s->code);
	q_copy(db, st, 8, s->province, sizeof s->province);
	q_copy(db, st, 9, s->city, sizeof s->city);
	q_copy(db, st, 10, s->district, sizeof s->district);
	q_copy(db, st, 11, s->street, sizeof s->street);
	q_copy(db, st, 12, s->address, sizeof s->address);
	q_copy(db, st, 13, s->path, sizeof s->path);
	s->created_at = q_int(db, st, 14);
	s->updated_at = q_int(db, st, 15);
	s->version = q_int(db, st, 16);
	s->children = q_int(db, st, 17);
	s->households = q_int(db, st, 18);
}

static enum rh_err get(struct db *db, const struct sql *q, int64_t tenant_id, int64_t id, struct site *out)
{
	struct db_stmt *st = q_bind(db, q, "II", tenant_id, id);
	if (!st) return q_unprepared(db);
	enum db_step s = q_step(db, st);
	if (s == DB_ROW) read_site(db, st, out);
	q_finish(db, st);
	return s == DB_ROW ? RH_OK : s == DB_DONE ? RH_ERR_NOT_FOUND : q_error(db, "site");
}

enum rh_err store_site_get(struct db *db, int64_t tenant_id, int64_t id, struct site *out)
{
	return get(db, &Q_GET, tenant_id, id, out);
}

/* Without the counts (children and households are 0). */
static enum rh_err get_bare(struct db *db, int64_t tenant_id, int64_t id, struct site *out)
{
	return get(db, &Q_GET_BARE, tenant_id, id, out);
}

enum rh_err site_get_bare(struct db *db, int64_t tenant_id, int64_t id, struct site *out)
{
	return get_bare(db, tenant_id, id, out);
}

/* The audit trail's view of a site: what was entered, not the counts. */
static json_t *audit_json(const struct site *s)
{
	json_t *o = site_to_json(s);
	json_object_del(o, "children");
	json_object_del(o, "households");
	return o;
}

/* s as get_bare() would now read it, made from what was inserted
 * instead of read back (a join per site: an import makes thousands). A
 * site's address parts are its estate's, and so its parent's. */
static void site_inserted(struct site *s, int64_t id, const struct site *parent, const char *path, int64_t now)
{
	s->id = id;
	if (s->kind == SITE_ESTATE) {
		s->estate_id = id;
		s->building_id = 0;
	} else {
		s->estate_id = parent->estate_id;
		s->building_id = s->kind == SITE_BUILDING ? id : parent->building_id;
		memcpy(s->province, parent->province, sizeof s->province);
		memcpy(s->city, parent->city, sizeof s->city);
		memcpy(s->district, parent->district, sizeof s->district);
		memcpy(s->street, parent->street, sizeof s->street);
		memcpy(s->address, parent->address, sizeof s->address);
	}
	utf8_cut(path, s->path, sizeof s->path);	/* fits (insert_site) */
	s->created_at = s->updated_at = now;
	s->version = 1;
	s->children = s->households = 0;	/* new: nothing under it */
}

/* Inserts s under its parent (given, or read when NULL); inside the
 * caller's write transaction. */
static enum rh_err insert_site(struct db *db, struct site *s, const struct site *known_parent, struct rh_fail *fail)
{
	struct site parent;
	memset(&parent, 0, sizeof parent);
	if (s->kind != SITE_ESTATE) {
		enum site_kind want;
		enum rh_err rc = RH_OK;
		if (known_parent && known_parent->id == s->parent_id) parent = *known_parent;
		else rc = s->parent_id ? get_bare(db, s->tenant_id, s->parent_id, &parent) : RH_ERR_NOT_FOUND;
		if (rc == RH_ERR_NOT_FOUND) return rh_fail_field(fail, RH_ERR_FIELD_INVALID, "parent_id");
		if (rc != RH_OK) return rc;
		if (site_child_kind(parent.kind, &want) != 0 || want != s->kind)
			return rh_fail_field(fail, RH_ERR_FIELD_INVALID, "parent_id");
	} else if (s->parent_id) {
		return rh_fail_field(fail, RH_ERR_FIELD_INVALID, "parent_id");
	}
	char path[sizeof s->path + sizeof s->name + 4];	/* fits s->path: names are bounded, the tree 3 deep */
	if (s->kind == SITE_ESTATE) snprintf(path, sizeof path, "%s", s->name);
	else snprintf(path, sizeof path, "%s / %s", parent.path, s->name);
	int estate = s->kind == SITE_ESTATE;
	int64_t now = store_now();
	struct db_stmt *st = q_bind(db, &Q_INSERT, "IIIItttttttttI", s->tenant_id, s->parent_id,
				    estate ? (int64_t)0 : parent.estate_id,
				    s->kind == SITE_UNIT ? parent.building_id : (int64_t)0,
				    choice_code(&site_kind_set, (int)s->kind), s->name, s->code,
				    estate ? s->province : "", estate ? s->city : "", estate ? s->district : "",
				    estate ? s->street : "", estate ? s->address : "", path, now);
	if (!st) return q_unprepared(db);
	enum db_step step = q_step(db, st);
	int64_t id = step == DB_ROW ? q_int(db, st, 0) : 0;
	q_finish(db, st);
	if (step != DB_ROW) {
		enum rh_err rc = q_error(db, "site insert");
		return rc == RH_ERR_DUPLICATE ? rh_fail_field(fail, rc, "name") : rc;
	}
	/* A unit's ids are its parents', all given above. */
	enum rh_err rc = s->kind == SITE_UNIT ? RH_OK : q_exec(db, &Q_SELF_IDS, "I", id);
	if (rc == RH_OK) site_inserted(s, id, &parent, path, now);
	return rc;
}

/* Creates a site inside the caller's transaction and audits it. */
enum rh_err site_create_in_tx(struct db *db, const struct actor *a, struct site *s, const struct site *parent,
			      struct rh_fail *fail)
{
	enum rh_err rc = insert_site(db, s, parent, fail);
	if (rc == RH_OK) rc = audit_change(db, a, s->tenant_id, "create", "site", s->id, NULL, audit_json(s));
	return rc;
}

enum rh_err store_site_create(struct db *db, const struct actor *a, struct site *s, struct rh_fail *fail)
{
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	return tx_end(db, site_create_in_tx(db, a, s, NULL, fail));
}

struct list_ctx {
	int (*fn)(const struct site *, void *);
	void *arg;
};

enum rh_err store_site_list(struct db *db, int64_t tenant_id, const struct site_filter *f,
			    int (*fn)(const struct site *, void *), void *arg, int64_t *total)
{
	char *like = f->q && f->q[0] ? like_pattern(f->q) : NULL;
	if (f->q && f->q[0] && !like) return RH_ERR_NOMEM;
	const char *kind = f->kind >= 0 ? choice_code(&site_kind_set, f->kind) : NULL;
	enum rh_err rc = RH_OK;
	struct db_stmt *st = q_bind(db, &Q_COUNT, "ItItI", tenant_id, like, f->parent_id, kind, f->scope);
	enum db_step s = st ? q_step(db, st) : DB_ERROR;
	if (s == DB_ROW) *total = q_int(db, st, 0);
	if (st) q_finish(db, st);
	if (s != DB_ROW) rc = st ? q_error(db, "site count") : q_unprepared(db);
	if (rc == RH_OK) {
		st = q_bind(db, &Q_LIST, "ItItIii", tenant_id, like, f->parent_id, kind, f->scope, f->limit,
			    f->offset);
		if (!st) rc = q_unprepared(db);
	}
	if (rc == RH_OK) {
		struct site site;
		while ((s = q_step(db, st)) == DB_ROW) {
			read_site(db, st, &site);
			if (fn(&site, arg)) break;
		}
		q_finish(db, st);
		if (s == DB_ERROR) rc = q_error(db, "site list");
	}
	free(like);
	return rc;
}

/* Whether next changes nothing of before (an estate's address parts
 * only count for an estate: the others have none). */
static int site_same(const struct site *before, const struct site *next)
{
	int estate = before->kind == SITE_ESTATE;
	return strcmp(before->name, next->name) == 0 && strcmp(before->code, next->code) == 0 &&
	       (!estate || (strcmp(before->province, next->province) == 0 && strcmp(before->city, next->city) == 0 &&
			    strcmp(before->district, next->district) == 0 && strcmp(before->street, next->street) == 0 &&
			    strcmp(before->address, next->address) == 0));
}

/* A next that changes nothing is not written, audited or versioned. */
enum rh_err store_site_update(struct db *db, const struct actor *a, int64_t tenant_id, int64_t id,
			      int64_t version, const struct site *next, struct site *out, struct rh_fail *fail)
{
	struct site before;
	enum rh_err rc = tx_begin(db, 1);
	if (rc != RH_OK) return rc;
	rc = get_bare(db, tenant_id, id, &before);
	if (rc == RH_ERR_NOT_FOUND) rh_fail_field(fail, rc, "id");
	if (rc == RH_OK) rc = version_check(before.version, version, fail);
	if (rc == RH_OK && site_same(&before, next)) return tx_end(db, store_site_get(db, tenant_id, id, out));
	char path[sizeof before.path + sizeof before.name];
	path[0] = '\0';
	if (rc == RH_OK) {
		/* The new last name on the old path. */
		size_t keep = strlen(before.path) - strlen(before.name);
		snprintf(path, sizeof path, "%.*s%s", (int)keep, before.path, next->name);
		int estate = before.kind == SITE_ESTATE;
		struct db_stmt *st = q_bind(db, &Q_UPDATE, "IIIttttttttI", tenant_id, id, version, next->name, next->code,
					    estate ? next->province : "", estate ? next->city : "",
					    estate ? next->district : "", estate ? next->street : "",
					    estate ? next->address : "", path, store_now());
		enum db_step s = st ? q_step(db, st) : DB_ERROR;
		if (st) q_finish(db, st);
		if (s == DB_ERROR) rc = st ? q_error(db, "site update") : q_unprepared(db);
		if (rc == RH_ERR_DUPLICATE) rh_fail_field(fail, rc, "name");
	}
	if (rc == RH_OK && strcmp(path, before.path) != 0)
		rc = q_exec(db, &Q_REPATH, "IIti", tenant_id, id, path, (int)utf8_length(before.path) + 1);
	if (rc == RH_OK) rc = store_site_get(db, tenant_id, id, out);
	if (rc == RH_OK) rc = audit_change(db, a, tenant_id, "update", "site", id, audit_json(&before), audit_json(out));
	/* Addresses made from this site follow its new name or address. */
	char was[sizeof before.path * 3], now[sizeof before.path * 3];
	if (rc == RH_OK) {
		site_display_address(&before, was, sizeof was);
		site_display_address(out, now, sizeof now);
	}
	int64_t changed;
	if (rc == RH_OK && strcmp(was, now) != 0) rc = households_readdress(db, a, tenant_id, id, before.path, out->path, &changed);
	return tx_end(db, rc);
}
