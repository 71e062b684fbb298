/*
 * tenant.h — an organisation using ruhu (SPEC X1).
 *
 * Every record belongs to exactly one tenant, and every query the store
 * runs for a signed-in user is bound to that user's tenant. Tenant 0 is
 * the system itself (it owns the official holiday schedule) and has no
 * users. A tenant's clock is a fixed offset from UTC (core/date.h).
 */
#ifndef RUHU_TENANT_H
#define RUHU_TENANT_H
#include <jansson.h>
#include <stdint.h>

#define TENANT_CODE_MAX 32
#define TENANT_NAME_MAX 64	/* characters */
#define TENANT_SYSTEM 0

struct tenant {
	int64_t id;
	char code[TENANT_CODE_MAX + 1];		/* short, [a-z0-9-] */
	char name[TENANT_NAME_MAX * 4 + 1];
	char kind[16];				/* see tenant_kind_valid() */
	char tz_name[40];
	int utc_offset_min;
	int64_t created_at;
	int64_t updated_at;
	int64_t version;
};

int tenant_code_valid(const char *s);
/* gas (燃气), property (物业), water (供水), care (家政/护理),
 * community (社区), other. */
int tenant_kind_valid(const char *s);

json_t *tenant_to_json(const struct tenant *t);

#endif
