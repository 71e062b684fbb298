/*
 * asset.c — lookup in the table of embedded files (see asset.h).
 */
#include <string.h>
#include "base/asset.h"

const struct asset *asset_find(const char *name)
{
	size_t lo = 0, hi = rh_assets_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, rh_assets[mid].name);
		if (c == 0) return &rh_assets[mid];
		if (c < 0) hi = mid; else lo = mid + 1;
	}
	return NULL;
}

void asset_each(const char *prefix, void (*fn)(const struct asset *, void *), void *arg)
{
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < rh_assets_count; i++)
		if (strncmp(rh_assets[i].name, prefix, plen) == 0) fn(&rh_assets[i], arg);
}
