/*
 * tenant.c — tenant field rules and JSON form (see tenant.h).
 */
#include <string.h>
#include "core/tenant.h"

int tenant_code_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > TENANT_CODE_MAX) return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && i > 0)))
			return 0;
	return strcmp(s, "system") != 0;
}

int tenant_kind_valid(const char *s)
{
	static const char *const kinds[] = { "gas", "property", "water", "care", "community", "other" };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(s, kinds[i]) == 0) return 1;
	return 0;
}

json_t *tenant_to_json(const struct tenant *t)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:I}", "id", (json_int_t)t->id, "code",
			 t->code, "name", t->name, "kind", t->kind, "tz_name", t->tz_name, "utc_offset_min",
			 t->utc_offset_min, "created_at", (json_int_t)t->created_at, "updated_at",
			 (json_int_t)t->updated_at, "version", (json_int_t)t->version);
}
