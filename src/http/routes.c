/*
 * routes.c — every route of the API, who may call it, and the schemas of
 * what it accepts. The one table: dispatch.c enforces it, the role
 * denial tests are generated from it, /api/v1/roles shows it to admins,
 * and docs/api.md is checked against it.
 *
 * A new route goes here with the narrowest role set that does the job.
 */
#include "http/access.h"
#include "http/handlers.h"

#define PW R_PASSWORD_CHANGE_OK
#define PUBLIC_PAGE (R_PUBLIC | R_THROTTLED)

const struct route rh_routes[] = {
	{ "GET", "/healthz", 0, R_PUBLIC | R_SYSTEM, NULL, NULL, h_healthz, "存活检查", "Liveness check" },
	{ "GET", "/readyz", 0, R_PUBLIC | R_SYSTEM, NULL, NULL, h_readyz, "就绪检查（数据库可用）", "Readiness check (database answers)" },
	{ "GET", "/metrics", 0, R_PUBLIC | R_SYSTEM, NULL, NULL, h_metrics, "Prometheus 指标", "Prometheus metrics" },

	{ "POST", "/api/v1/session", 0, R_PUBLIC, &session_login_body, NULL, h_session_login, "登录", "Sign in" },
	{ "GET", "/api/v1/session", ANYONE, PW, NULL, NULL, h_session_get, "当前登录信息", "The current session" },
	{ "DELETE", "/api/v1/session", ANYONE, PW, NULL, NULL, h_session_logout, "退出登录", "Sign out" },
	{ "PUT", "/api/v1/session/password", ANYONE, PW, &session_password_body, NULL, h_session_password, "修改本人密码", "Change one's own password" },

	{ "GET", "/api/v1/tenant", ANYONE, 0, NULL, NULL, h_tenant_get, "查看本单位信息", "Show one's organisation" },
	{ "PATCH", "/api/v1/tenant", ADMIN, 0, &tenant_update_body, NULL, h_tenant_update, "修改本单位名称", "Rename one's organisation" },

	{ "GET", "/api/v1/users", ACCOUNT_READERS, 0, NULL, &user_list_query, h_user_list, "账号列表", "List accounts" },
	{ "POST", "/api/v1/users", ADMIN, 0, &user_create_body, NULL, h_user_create, "新建账号", "Create an account" },
	{ "GET", "/api/v1/users/:id", ACCOUNT_READERS, 0, NULL, &user_get_query, h_user_get, "查看账号", "Show an account" },
	{ "PATCH", "/api/v1/users/:id", ADMIN, 0, &user_update_body, NULL, h_user_update, "修改账号、角色或状态", "Change an account, its roles or status" },
	{ "PUT", "/api/v1/users/:id/password", ADMIN, 0, &user_password_body, NULL, h_user_password, "重置密码", "Reset a password" },
	{ "POST", "/api/v1/users/:id/unlock", ADMIN, 0, &user_unlock_body, NULL, h_user_unlock, "解除登录锁定", "Lift a sign-in lock-out" },

	{ "GET", "/api/v1/sites", ANYONE, 0, NULL, &site_list_query, h_site_list, "小区、楼栋、单元列表", "List sites (estates, buildings, units)" },
	{ "POST", "/api/v1/sites", SITE_KEEPERS, 0, &site_create_body, NULL, h_site_create, "新建小区、楼栋或单元", "Create a site" },
	{ "GET", "/api/v1/sites/:id", ANYONE, 0, NULL, NULL, h_site_get, "查看小区、楼栋或单元", "Show a site" },
	{ "PATCH", "/api/v1/sites/:id", SITE_KEEPERS, 0, &site_update_body, NULL, h_site_update, "修改小区、楼栋或单元", "Change a site" },

	{ "GET", "/api/v1/households", HOUSEHOLD_READERS, 0, NULL, &household_list_query, h_household_list, "住户列表与搜索", "List and search households" },
	{ "POST", "/api/v1/households", HOUSEHOLD_KEEPERS, 0, &household_create_body, NULL, h_household_create, "新建住户", "Create a household" },
	{ "GET", "/api/v1/households/:id", HOUSEHOLD_READERS, 0, NULL, &household_get_query, h_household_get, "查看住户", "Show a household" },
	{ "PATCH", "/api/v1/households/:id", HOUSEHOLD_KEEPERS, 0, &household_update_body, NULL, h_household_update, "修改住户", "Change a household" },

	{ "GET", "/api/v1/staff", STAFF_READERS, 0, NULL, &staff_list_query, h_staff_list, "人员列表", "List staff" },
	{ "POST", "/api/v1/staff", STAFF_KEEPERS, 0, &staff_create_body, NULL, h_staff_create, "新建人员档案", "Create a staff profile" },
	{ "GET", "/api/v1/staff/:id", STAFF_READERS, 0, NULL, &staff_get_query, h_staff_get, "查看人员档案", "Show a staff profile" },
	{ "PATCH", "/api/v1/staff/:id", STAFF_KEEPERS, 0, &staff_update_body, NULL, h_staff_update, "修改人员档案", "Change a staff profile" },
	{ "GET", "/api/v1/staff/:id/photo", STAFF_READERS, 0, NULL, NULL, h_staff_photo_get, "查看人员照片", "A staff member's photo" },
	{ "PUT", "/api/v1/staff/:id/photo", STAFF_KEEPERS, R_IMAGE, NULL, &staff_photo_query, h_staff_photo_put, "上传人员照片", "Upload a staff member's photo" },

	{ "GET", "/api/v1/staff/:id/record", STAFF_READERS, 0, NULL, NULL, h_staff_record, "人员个人档案（招聘、培训、证书、奖惩、资格）", "A worker's personal file (hiring, training, certificates, discipline, eligibility)" },
	{ "GET", "/api/v1/staff/:id/hiring", STAFF_READERS, 0, NULL, NULL, h_staff_hiring_get, "招聘流程记录", "The hiring pipeline's decisions" },
	{ "POST", "/api/v1/staff/:id/hiring", STAFF_KEEPERS, 0, &staff_step_body, NULL, h_staff_hiring_add, "记录招聘环节结果", "Record a hiring decision" },
	{ "POST", "/api/v1/staff/:id/documents", STAFF_KEEPERS, R_DOCUMENT, NULL, &staff_document_query, h_staff_document_add, "上传人员材料（PDF/图片）", "Upload a worker's document (PDF or image)" },
	{ "GET", "/api/v1/documents/:id", DOCUMENT_READERS, 0, NULL, NULL, h_document_get, "查看人员材料", "Open a worker's document" },
	{ "POST", "/api/v1/staff/:id/trainings", STAFF_KEEPERS, 0, &staff_training_body, NULL, h_staff_training_add, "记录培训", "Record a training" },
	{ "POST", "/api/v1/staff/:id/certificates", STAFF_KEEPERS, 0, &cert_create_body, NULL, h_staff_cert_add, "登记证书", "Record a certificate" },
	{ "PATCH", "/api/v1/certificates/:id", STAFF_KEEPERS, 0, &cert_update_body, NULL, h_cert_update, "更正或吊销证书", "Correct or revoke a certificate" },
	{ "GET", "/api/v1/certificates", STAFF_READERS, 0, NULL, &cert_list_query, h_cert_list, "即将到期的证书", "Certificates ending soon" },
	{ "GET", "/api/v1/trainings", STAFF_READERS, 0, NULL, &training_list_query, h_training_list, "培训台账（全单位）", "The training ledger (every worker)" },
	{ "POST", "/api/v1/staff/:id/discipline", STAFF_KEEPERS, 0, &staff_discipline_body, NULL, h_staff_discipline_add, "记录奖惩", "Record a commendation or sanction" },
	{ "PATCH", "/api/v1/discipline/:id", STAFF_KEEPERS, 0, &discipline_update_body, NULL, h_discipline_update, "更正或撤销奖惩记录", "Correct or annul a commendation or sanction" },
	{ "POST", "/api/v1/staff-returns/:id/returned", STAFF_KEEPERS, 0, &staff_return_body, NULL, h_staff_return_done, "登记工作证、公司财物已交还", "Record a badge or property handed back" },
	{ "GET", "/api/v1/staff/:id/eligibility", STAFF_READERS, 0, NULL, &staff_eligibility_query, h_staff_eligibility, "派工资格检查", "May this worker be sent?" },
	{ "GET", "/api/v1/staff/:id/badge", STAFF_READERS, 0, NULL, NULL, h_staff_badge_get, "工作证（含二维码）", "The worker's badge with its QR code" },
	{ "POST", "/api/v1/staff/:id/badge", STAFF_KEEPERS, 0, &badge_issue_body, NULL, h_staff_badge_issue, "补发工作证（旧证作废）", "Issue a new badge (the old one is void)" },
	{ "GET", "/api/v1/job-rules", STAFF_READERS, 0, NULL, NULL, h_job_rules_get, "各工种所需证书与等级", "What each job type requires" },
	{ "PUT", "/api/v1/job-rules", ADMIN, 0, &job_rule_body, NULL, h_job_rule_set, "设置工种所需证书与等级", "Set what a job type requires" },

	{ "GET", "/api/v1/assignments", ASSIGNMENT_READERS, 0, NULL, &assignment_list_query, h_assignment_list, "派工列表", "List assignments" },
	{ "POST", "/api/v1/assignments", DISPATCHERS, 0, &assignment_create_body, NULL, h_assignment_create, "派工（检查派工资格）", "Assign a worker (eligibility checked)" },
	{ "GET", "/api/v1/assignments/:id", ASSIGNMENT_READERS, 0, NULL, NULL, h_assignment_get, "查看派工", "Show an assignment" },
	{ "POST", "/api/v1/assignments/:id/cancel", DISPATCHERS, 0, &assignment_cancel_body, NULL, h_assignment_cancel, "取消派工", "Cancel an assignment" },

	{ "GET", "/api/v1/my/assignments", FIELD_WORKERS, 0, NULL, &my_assignment_query, h_my_assignments, "我的派工（今天起）", "My assignments, from today on" },
	{ "GET", "/api/v1/my/badge", FIELD_WORKERS, 0, NULL, NULL, h_my_badge, "我的工作证", "My badge" },
	{ "GET", "/api/v1/my/photo", FIELD_WORKERS, 0, NULL, NULL, h_my_photo, "我的工作证照片", "My badge's photo" },

	{ "GET", "/api/v1/notifications", ANYONE, 0, NULL, &notice_list_query, h_notice_list, "我的通知", "My notifications" },
	{ "POST", "/api/v1/notifications/read-all", ANYONE, 0, NULL, NULL, h_notice_read_all, "全部标为已读", "Mark all read" },
	{ "POST", "/api/v1/notifications/:id/read", ANYONE, 0, NULL, NULL, h_notice_read, "标为已读", "Mark one read" },

	{ "GET", "/api/v1/public/badge", 0, PUBLIC_PAGE, NULL, &public_badge_query, h_public_badge, "工作证查验（公开，限流）", "Badge check at the door (public, rate-limited)" },
	{ "GET", "/api/v1/public/badge/photo", 0, PUBLIC_PAGE, NULL, &public_badge_photo_query, h_public_badge_photo, "工作证照片（公开，限流）", "The badge's photo (public, rate-limited)" },

	{ "POST", "/api/v1/imports/households", HOUSEHOLD_KEEPERS, R_UPLOAD, NULL, &import_query, h_import_households, "导入住户（CSV）", "Import households (CSV)" },
	{ "POST", "/api/v1/imports/staff", STAFF_KEEPERS, R_UPLOAD, NULL, &import_query, h_import_staff, "导入人员（CSV）", "Import staff (CSV)" },

	{ "GET", "/api/v1/roles", ANYONE, 0, NULL, NULL, h_role_list, "角色及其权限", "Roles and what each may do" },

	{ "GET", "/api/v1/audit", AUDIT_READERS, 0, NULL, &audit_list_query, h_audit_list, "审计日志", "The audit trail" },
	{ "GET", "/api/v1/audit/verify", AUDIT_READERS, 0, NULL, NULL, h_audit_verify, "校验审计链", "Verify the audit chain" },

	{ "GET", "/api/v1/calendar/years", ANYONE, 0, NULL, NULL, h_calendar_years, "已知节假日年份", "Years with a known holiday schedule" },
	{ "GET", "/api/v1/calendar/deadline", ANYONE, 0, NULL, &calendar_deadline_query, h_calendar_deadline, "计算期限", "Compute a deadline" },
	{ "GET", "/api/v1/calendar/working-days", ANYONE, 0, NULL, &calendar_count_query, h_calendar_count, "计算工作日天数", "Count working days" },
	{ "GET", "/api/v1/calendar/:id", ANYONE, 0, NULL, NULL, h_calendar_year, "某年的节假日安排", "A year's holiday schedule" },
	{ "PUT", "/api/v1/calendar/:id", ADMIN, 0, &calendar_import_body, NULL, h_calendar_import, "导入某年节假日安排", "Import a year's holiday schedule" },

	{ "GET", "/api/v1/jobs", ADMIN, 0, NULL, &job_list_query, h_job_list, "后台任务列表", "List background jobs" },
	{ "GET", "/api/v1/jobs/:id", ADMIN, 0, NULL, NULL, h_job_get, "查看后台任务", "Show a background job" },
	{ "POST", "/api/v1/jobs/:id/retry", ADMIN, 0, &job_action_body, NULL, h_job_retry, "重试后台任务", "Retry a background job" },
	{ "POST", "/api/v1/jobs/:id/cancel", ADMIN, 0, &job_action_body, NULL, h_job_cancel, "取消后台任务", "Cancel a background job" },
};

const size_t rh_routes_count = sizeof rh_routes / sizeof rh_routes[0];
