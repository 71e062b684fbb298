/*
 * fuzz_validate.c — libFuzzer target for the request input layer: every
 * route's body schema and query schema (from the route table itself) gets
 * the same bytes, as a JSON body and as a query string. Anything but a
 * clean accept or a clean refusal — a crash, a leak, undefined behaviour,
 * an accepted value that breaks its own field's rules — is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/validate.h"
#include "http/http.h"

/* Splits "a=1&b=2" into params (no URL decoding: MHD does that first). */
static size_t split(char *q, struct param *p, size_t max)
{
	size_t n = 0;
	for (char *save = NULL, *kv = strtok_r(q, "&", &save); kv && n < max; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		if (eq) *eq++ = '\0';
		p[n].key = kv;
		p[n].value = eq ? eq : "";
		p[n].key_len = strlen(kv);
		p[n].value_len = strlen(p[n].value);
		n++;
	}
	return n;
}

static void check_values(const struct schema *sc, const struct value *v)
{
	for (size_t i = 0; i < sc->n; i++) {
		const struct field *f = &sc->fields[i];
		if (!v[i].present || v[i].is_null || !v[i].s) continue;
		if (f->type == FT_STRING || f->type == FT_TEXT || f->type == FT_PASSWORD) {
			long long max = f->max ? f->max : 200;
			if (!utf8_valid(v[i].s, strlen(v[i].s)) || (long long)utf8_length(v[i].s) > max) abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t r = 0; r < rh_routes_count; r++) {
		struct arena *a = arena_new(1 << 20);
		struct value out[VALIDATE_MAX_FIELDS];
		struct rh_fail fail;
		const struct route *rt = &rh_routes[r];
		if (rt->body && validate_json(rt->body, (const char *)data, size, 480, a, out, &fail) == RH_OK)
			check_values(rt->body, out);
		if (rt->query && size < 4096) {
			char *q = malloc(size + 1);
			memcpy(q, data, size);
			q[size] = '\0';
			struct param p[32];
			size_t n = split(q, p, 32);
			if (validate_params(rt->query, p, n, 480, a, out, &fail) == RH_OK) check_values(rt->query, out);
			free(q);
		}
		arena_free(a);
	}
	return 0;
}
