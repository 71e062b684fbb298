/*
 * access.h — who may do what: every set of roles the server checks,
 * in one place (SPEC X2, X5).
 *
 * Most sets are a route's (routes.c: the one table dispatch.c enforces).
 * The others decide within a route what a caller gets: whose personal
 * data is shown unmasked on request (each view audited), and what an
 * import may do beyond writing its rows. A handler never names roles
 * itself; it asks with one of these.
 */
#ifndef RUHU_ACCESS_H
#define RUHU_ACCESS_H
#include "core/role.h"

#define R(x) RH_ROLE(ROLE_##x)
#define ANYONE RH_ROLES_ALL			/* any signed-in user */
#define ADMIN R(ADMIN)			/* also: who manages accounts (h_user.c) */
#define ACCOUNT_READERS (R(ADMIN) | R(MANAGER) | R(AUDITOR))
#define AUDIT_READERS (R(ADMIN) | R(AUDITOR))

/* Master data: who reads and who keeps it (docs/api.md has the table).
 * Keepers of households may import them; only site keepers may create
 * the estates, buildings and units an import's rows name. */
#define SITE_KEEPERS (R(ADMIN) | R(MANAGER))
#define HOUSEHOLD_READERS (R(ADMIN) | R(MANAGER) | R(SUPERVISOR) | R(SERVICE_DESK) | R(DISPATCHER) | R(AUDITOR))
#define HOUSEHOLD_KEEPERS (R(ADMIN) | R(MANAGER) | R(SERVICE_DESK))
#define STAFF_READERS (R(ADMIN) | R(MANAGER) | R(SUPERVISOR) | R(DISPATCHER) | R(AUDITOR))
#define STAFF_KEEPERS (R(ADMIN) | R(MANAGER))

/* Personal data shown unmasked on request (?reveal=…), the view audited
 * first. Whoever may not see an ID number must not learn it any other
 * way either: no answer to an ID number they send (an import's
 * "unchanged", a PATCH's version) tells whether it was the stored one.
 * Staff are kept by ID readers only (STAFF_KEEPERS): the staff checks
 * (a clash with another worker's number, a blacklisted number, the birth
 * date against the number) answer about the number, and would have to be
 * made blind before any other role could write staff. */
#define HOUSEHOLD_PHONE_READERS (R(ADMIN) | R(MANAGER) | R(SUPERVISOR) | R(SERVICE_DESK) | R(DISPATCHER))
#define STAFF_PHONE_READERS (R(ADMIN) | R(MANAGER) | R(SUPERVISOR) | R(DISPATCHER))
#define ID_READERS (R(ADMIN) | R(MANAGER))
/* Whether request r's caller may learn ID numbers (an eligibility day
 * that tells a birth date). */
#define SEES_IDS(r) (((r)->sess.user.roles & ID_READERS) != 0)
/* Eligibility on a past day (h_cert.c) says on which day under_18 ended,
 * and for a worker under 18 today a later day says on which it will end:
 * the birth date, which the staff answers mask because it is eight of
 * the ID number's digits. Only ID_READERS ask about those days, or send
 * such a worker out on a later day (an assignment refused or made says
 * the same); whoever plans work looks at today, and at later days of
 * workers 18 today (req_birth_date_guard). */

/* SPEC X1: the account whose granted estates bound what request r's
 * caller sees of sites, households and the visits to them, or 0 for the
 * whole organisation. Passed to the store's lists (their scope), and
 * asked of a record read by its id (req_site_visible(),
 * req_household_visible()): a record outside is not found, as one of
 * another organisation is. Staff
 * profiles are the organisation's, not a site's. */
#define SCOPE(r) ((r)->sess.user.sites_limited ? (r)->sess.user.id : 0)

/* Field staff: documents are read by keepers and auditors, but a copy
 * of an ID card (kind id_card) only by ID_READERS, as it shows the
 * number in full (h_hiring.c); sending workers out is the dispatchers'
 * and their managers' work. */
#define DOCUMENT_READERS (R(ADMIN) | R(MANAGER) | R(AUDITOR))
#define DISPATCHERS (R(ADMIN) | R(MANAGER) | R(SUPERVISOR) | R(DISPATCHER))
#define ASSIGNMENT_READERS (R(ADMIN) | R(MANAGER) | R(SUPERVISOR) | R(DISPATCHER) | R(SERVICE_DESK) | R(AUDITOR))
/* Who goes into homes: their own visits and badge (h_my.c). */
#define FIELD_WORKERS R(FIELD_WORKER)

#endif
