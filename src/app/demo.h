/*
 * demo.h — the demo data set `ruhu serve --demo` creates, so that a
 * newcomer sees a living system at once: two organisations (a gas company
 * and a property company) with one login per role. Later modules add
 * their own demo records here. Everything is synthetic.
 */
#ifndef RUHU_DEMO_H
#define RUHU_DEMO_H
#include <stdio.h>
#include "store/store.h"

#define DEMO_PASSWORD "Ruhu@2026"

/* Creates what is missing (running it twice changes nothing) and prints
 * the demo logins to out. */
enum rh_err demo_seed(struct store *st, FILE *out);

/* The tenant's demo estates, households and staff, unless it has
 * households already (demo_master.c); worker_user is the field worker's
 * account, which one demo worker signs in with. */
enum rh_err demo_master_seed(struct db *db, const struct tenant *t, int property, int64_t worker_user);

/* The demo workers' hiring steps, trainings, certificates, a supervised
 * team and today's assignments; the first worker sent today signs in as
 * worker_user and has visits on the next two days too. Called by
 * demo_master_seed (demo_staff.c). */
enum rh_err demo_staff_seed(struct db *db, const struct tenant *t, int64_t worker_user);

#endif
