/*
 * demo.c — the demo organisations and logins (see demo.h).
 */
#include <string.h>
#include "app/demo.h"
#include "core/secret.h"

struct demo_tenant {
	const char *code, *name, *kind, *prefix;
};

static const struct demo_tenant tenants[] = {
	{ "demo-gas", "华安燃气有限公司（演示）", "gas", "gas" },
	{ "demo-property", "宜居物业服务有限公司（演示）", "property", "prop" },
};

/* One person per role; names are made up. */
static const char *const people[ROLE__COUNT] = {
	[ROLE_ADMIN] = "周敏",
	[ROLE_MANAGER] = "王建国",
	[ROLE_SUPERVISOR] = "李秀英",
	[ROLE_SERVICE_DESK] = "陈晓燕",
	[ROLE_DISPATCHER] = "刘洋",
	[ROLE_FIELD_WORKER] = "张伟",
	[ROLE_REVIEWER] = "杨帆",
	[ROLE_GUARD] = "赵强",
	[ROLE_VOLUNTEER_COORD] = "黄丽",
	[ROLE_AUDITOR] = "吴静",
};

static enum rh_err ensure_tenant(struct db *db, const struct demo_tenant *d, struct tenant *t)
{
	enum rh_err rc = store_tenant_by_code(db, d->code, t);
	if (rc != RH_ERR_NOT_FOUND) return rc;
	memset(t, 0, sizeof *t);
	snprintf(t->code, sizeof t->code, "%s", d->code);
	snprintf(t->name, sizeof t->name, "%s", d->name);
	snprintf(t->kind, sizeof t->kind, "%s", d->kind);
	snprintf(t->tz_name, sizeof t->tz_name, "Asia/Shanghai");
	t->utc_offset_min = RH_TZ_SHANGHAI;
	struct actor a = { .tenant_id = 0, .name = "demo", .reason = "demo data" };
	return store_tenant_create(db, &a, t, NULL);
}

static enum rh_err ensure_user(struct db *db, const struct tenant *t, const char *prefix, int role,
			       const char *hash, char *username, size_t len, int64_t *id)
{
	struct user u = { .id = 0 };
	char ignored[PASSWORD_HASH_MAX];
	snprintf(username, len, "%s.%s", prefix, role_info(role)->code);
	for (char *p = username; *p; p++)
		if (*p == '_') *p = '-';
	enum rh_err rc = store_user_for_login(db, username, &u, ignored);
	*id = u.id;
	/* The name is another organisation's account: not ours to list, with
	 * the demo's password, nor to make the demo's field worker. */
	if (rc == RH_OK && u.tenant_id != t->id) {
		*id = 0;
		return RH_ERR_DUPLICATE;
	}
	if (rc != RH_ERR_NOT_FOUND) return rc;
	memset(&u, 0, sizeof u);
	u.tenant_id = t->id;
	snprintf(u.username, sizeof u.username, "%s", username);
	snprintf(u.display_name, sizeof u.display_name, "%s", people[role]);
	u.roles = RH_ROLE(role);
	struct actor a = { .tenant_id = t->id, .name = "demo", .reason = "demo data" };
	rc = store_user_create(db, &a, &u, hash, NULL, NULL);
	*id = u.id;
	return rc;
}

enum rh_err demo_seed(struct store *st, FILE *out)
{
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(DEMO_PASSWORD, hash) != 0) return RH_ERR_NOMEM;
	struct db *db = store_acquire(st);
	enum rh_err rc = RH_OK;
	int any_taken = 0;
	fprintf(out, "\n演示账号 / demo logins (password 密码: %s)\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof tenants / sizeof tenants[0] && rc == RH_OK; i++) {
		struct tenant t;
		rc = ensure_tenant(db, &tenants[i], &t);
		if (rc == RH_OK) fprintf(out, "  %s\n", t.name);
		int64_t worker = 0;	/* the field worker's account, the demo worker who signs in */
		for (int role = 0; role < ROLE__COUNT && rc == RH_OK; role++) {
			char username[USERNAME_MAX + 1];
			int64_t id = 0;
			rc = ensure_user(db, &t, tenants[i].prefix, role, hash, username, sizeof username, &id);
			int taken = rc == RH_ERR_DUPLICATE;
			if (taken) rc = RH_OK, any_taken = 1;
			if (role == ROLE_FIELD_WORKER) worker = id;
			char shown[USERNAME_MAX + 8];
			snprintf(shown, sizeof shown, "%s%s", username, taken ? "(taken)" : "");
			int last = role % 5 == 4 || role == ROLE__COUNT - 1;
			fprintf(out, last ? "%s%s\n" : "%s%-22s", role % 5 == 0 ? "    " : "", shown);
		}
		if (rc == RH_OK) rc = demo_master_seed(db, &t, i == 1, worker);
	}
	if (rc == RH_OK && any_taken)
		fprintf(out, "  (taken) 已是其他机构的账号，不是演示账号 / another organisation's account, not a demo login\n");
	fputc('\n', out);
	store_release(st, db);
	return rc;
}
