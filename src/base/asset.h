/*
 * asset.h — files compiled into the binary at build time.
 *
 * tools/embed.c turns web/, src/store/migrations/ and data/ into a sorted
 * table (build/gen/assets.c). Names are the repository paths, e.g.
 * "web/index.html", "src/store/migrations/001_foundation.sql". The data
 * is static and NUL-terminated (the NUL is not counted in len).
 */
#ifndef RUHU_ASSET_H
#define RUHU_ASSET_H
#include <stddef.h>

struct asset {
	const char *name;
	const unsigned char *data;
	size_t len;
	const char *etag;	/* quoted, ready for the ETag header */
};

extern const struct asset rh_assets[];
extern const size_t rh_assets_count;

/* The asset with exactly this name, or NULL. */
const struct asset *asset_find(const char *name);

/* Calls fn for every asset whose name starts with prefix, in name order. */
void asset_each(const char *prefix, void (*fn)(const struct asset *, void *), void *arg);

#endif
