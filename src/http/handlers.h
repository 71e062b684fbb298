/*
 * handlers.h — the handlers and the schemas of their input, one file per
 * area (h_*.c), listed in the route table (routes.c).
 */
#ifndef RUHU_HANDLERS_H
#define RUHU_HANDLERS_H
#include "app/export.h"
#include "http/http.h"

/* Paging parameters every list takes: limit (1–200, default 20), offset. */
#define PAGE_FIELDS \
	{ "limit", FT_INT, 0, 1, 200, NULL, NULL, "每页条数", "page size" }, \
	{ "offset", FT_INT, 0, 0, 10000000, NULL, NULL, "偏移", "offset" }
#define PAGE_DEFAULT_LIMIT 20

/* h_export.c: a list as a file. A list handler whose query has
 * format (index into export_formats) calls export_begin(), export_add()
 * per row (non-zero: stop listing) and export_end() with the list's
 * result; the audit entry records the query the list was asked with.
 * total (and exact, for a count with a cap; NULL when always exact) are
 * where the store puts the list's count, which it does before the first
 * row: a list over EXPORT_MAX_ROWS is refused before a row is written. */
extern const char *const export_formats[];
#define EXPORT_FIELD(idx) [idx] = { "format", FT_ENUM, 0, 0, 0, export_formats, NULL, "导出格式", "export format" }
struct list_export {
	struct exporter *ex;
	enum export_format fmt;
	int en;
	long rows;
	int failed, too_many;
	int cell_too_long;	/* a cell longer than an XLSX file holds (EXPORT_CELL_MAX) */
	const int64_t *total;
	const int *exact;
};
enum rh_err export_begin(struct rh_req *r, int format, const char *sheet, const char *const *headers, size_t n,
			 const int64_t *total, const int *exact, struct list_export *le);
int export_add(struct list_export *le, const char *const *cells);
enum rh_err export_end(struct rh_req *r, struct list_export *le, enum rh_err listed, const char *entity,
		       const char *name);

/* h_system.c */
enum rh_err h_healthz(struct rh_req *r);
enum rh_err h_readyz(struct rh_req *r);
enum rh_err h_metrics(struct rh_req *r);

/* h_session.c; session_prepare() runs once at start, before threads. */
void session_prepare(void);
extern const struct schema session_login_body, session_password_body;
enum rh_err h_session_login(struct rh_req *r);
enum rh_err h_session_get(struct rh_req *r);
enum rh_err h_session_logout(struct rh_req *r);
enum rh_err h_session_password(struct rh_req *r);

/* h_user.c */
extern const struct schema user_list_query, user_get_query, user_create_body, user_update_body, user_password_body,
	user_unlock_body;
enum rh_err h_user_list(struct rh_req *r);
enum rh_err h_user_create(struct rh_req *r);
enum rh_err h_user_get(struct rh_req *r);
enum rh_err h_user_update(struct rh_req *r);
enum rh_err h_user_password(struct rh_req *r);
enum rh_err h_user_unlock(struct rh_req *r);

/* h_site.c */
extern const struct schema site_list_query, site_create_body, site_update_body;
enum rh_err h_site_list(struct rh_req *r);
enum rh_err h_site_create(struct rh_req *r);
enum rh_err h_site_get(struct rh_req *r);
enum rh_err h_site_update(struct rh_req *r);

/* h_household.c */
extern const struct schema household_list_query, household_get_query, household_create_body, household_update_body;
enum rh_err h_household_list(struct rh_req *r);
enum rh_err h_household_create(struct rh_req *r);
enum rh_err h_household_get(struct rh_req *r);
enum rh_err h_household_update(struct rh_req *r);

/* h_staff.c */
extern const struct schema staff_list_query, staff_get_query, staff_create_body, staff_update_body;
enum rh_err h_staff_list(struct rh_req *r);
enum rh_err h_staff_create(struct rh_req *r);
enum rh_err h_staff_get(struct rh_req *r);
enum rh_err h_staff_update(struct rh_req *r);
extern const struct schema staff_photo_query;
enum rh_err h_staff_photo_put(struct rh_req *r);
enum rh_err h_staff_photo_get(struct rh_req *r);

/* h_hiring.c */
extern const struct schema staff_document_query, staff_step_body, staff_training_body, staff_discipline_body,
	staff_return_body, discipline_update_body, training_list_query;
enum rh_err h_staff_document_add(struct rh_req *r);
enum rh_err h_document_get(struct rh_req *r);
enum rh_err h_staff_hiring_get(struct rh_req *r);
enum rh_err h_staff_hiring_add(struct rh_req *r);
enum rh_err h_staff_training_add(struct rh_req *r);
enum rh_err h_training_list(struct rh_req *r);
enum rh_err h_staff_discipline_add(struct rh_req *r);
enum rh_err h_discipline_update(struct rh_req *r);
enum rh_err h_staff_return_done(struct rh_req *r);
enum rh_err h_staff_record(struct rh_req *r);
/* Names the hiring steps of the mask steps (1 << step) in rc's message,
 * after lead_zh / lead_en, and as the list `key` beside the error (for
 * the UI); returns rc. */
enum rh_err req_hiring_steps(struct rh_req *r, enum rh_err rc, unsigned steps, const char *lead_zh, const char *lead_en,
			     const char *key);

/* h_cert.c */
extern const struct schema cert_create_body, cert_update_body, cert_list_query, job_rule_body,
	staff_eligibility_query;
enum rh_err h_staff_cert_add(struct rh_req *r);
enum rh_err h_cert_update(struct rh_req *r);
enum rh_err h_cert_list(struct rh_req *r);
enum rh_err h_job_rules_get(struct rh_req *r);
enum rh_err h_job_rule_set(struct rh_req *r);
enum rh_err h_staff_eligibility(struct rh_req *r);
/* Eligibility on day for every job the worker does:
 * {"day", "eligible_any", "jobs": [{job_type, level, eligible, reasons, warnings}]}. */
enum rh_err staff_eligibility_json(struct rh_req *r, int64_t staff_id, rh_day day, json_t **out);
/* RH_OK, or 403 naming "day" when eligibility on day would tell worker
 * w's birth date to a caller who may not see ID numbers (access.h):
 * for the eligibility query and for an assignment alike. */
struct elig_facts;
enum rh_err req_birth_date_guard(struct rh_req *r, const struct elig_facts *w, rh_day day);

/* h_badge.c */
extern const struct schema badge_issue_body, public_badge_query, public_badge_photo_query;
enum rh_err h_staff_badge_get(struct rh_req *r);
enum rh_err h_staff_badge_issue(struct rh_req *r);
enum rh_err h_public_badge(struct rh_req *r);
enum rh_err h_public_badge_photo(struct rh_req *r);
/* The badge card: who, valid now or not, the public page's address and
 * its QR code as SVG (for the staff page, and the worker's own, h_my.c). */
struct badge;
enum rh_err badge_card(struct rh_req *r, const struct badge *b);

/* h_my.c */
extern const struct schema my_assignment_query;
enum rh_err h_my_assignments(struct rh_req *r);
enum rh_err h_my_badge(struct rh_req *r);
enum rh_err h_my_photo(struct rh_req *r);

/* h_assign.c */
extern const struct schema assignment_create_body, assignment_list_query, assignment_cancel_body;
enum rh_err h_assignment_create(struct rh_req *r);
enum rh_err h_assignment_list(struct rh_req *r);
enum rh_err h_assignment_get(struct rh_req *r);
enum rh_err h_assignment_cancel(struct rh_req *r);

/* h_notice.c */
extern const struct schema notice_list_query;
enum rh_err h_notice_list(struct rh_req *r);
enum rh_err h_notice_read(struct rh_req *r);
enum rh_err h_notice_read_all(struct rh_req *r);

/* h_import.c */
extern const struct schema import_query;
enum rh_err h_import_households(struct rh_req *r);
enum rh_err h_import_staff(struct rh_req *r);

/* h_role.c */
enum rh_err h_role_list(struct rh_req *r);

/* h_tenant.c */
extern const struct schema tenant_update_body;
enum rh_err h_tenant_get(struct rh_req *r);
enum rh_err h_tenant_update(struct rh_req *r);

/* h_audit.c */
extern const struct schema audit_list_query;
enum rh_err h_audit_list(struct rh_req *r);
enum rh_err h_audit_verify(struct rh_req *r);

/* h_calendar.c */
extern const struct schema calendar_import_body, calendar_deadline_query, calendar_count_query;
enum rh_err h_calendar_years(struct rh_req *r);
enum rh_err h_calendar_year(struct rh_req *r);
enum rh_err h_calendar_import(struct rh_req *r);
enum rh_err h_calendar_deadline(struct rh_req *r);
enum rh_err h_calendar_count(struct rh_req *r);

/* h_job.c */
extern const struct schema job_list_query, job_action_body;
enum rh_err h_job_list(struct rh_req *r);
enum rh_err h_job_get(struct rh_req *r);
enum rh_err h_job_retry(struct rh_req *r);
enum rh_err h_job_cancel(struct rh_req *r);

#endif
