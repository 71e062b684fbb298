/*
 * migrate.h — applies the embedded schema migrations (store-internal).
 */
#ifndef RUHU_MIGRATE_H
#define RUHU_MIGRATE_H
#include <stddef.h>
#include "core/error.h"

struct db;

/* Brings the schema up to date; *version is the version after. On failure
 * err says which migration and why, and that migration left no trace. */
enum rh_err migrate_apply(struct db *db, int *version, char *err, size_t errlen);
/* Whether db holds a ruhu installation at all (its schema_migrations):
 * a command that does not make one must not make one by migrating. */
enum rh_err migrate_installed(struct db *db, int *yes);

#endif
