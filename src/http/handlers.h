/*
 * handlers.h — the handlers and the schemas of their input, one file per
 * area (h_*.c), listed in the route table (routes.c).
 */
#ifndef RUHU_HANDLERS_H
#define RUHU_HANDLERS_H
#include "http/http.h"

/* Paging parameters every list takes: limit (1–200, default 20), offset. */
#define PAGE_FIELDS \
	{ "limit", FT_INT, 0, 1, 200, NULL, NULL, "每页条数", "page size" }, \
	{ "offset", FT_INT, 0, 0, 10000000, NULL, NULL, "偏移", "offset" }
#define PAGE_DEFAULT_LIMIT 20

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
