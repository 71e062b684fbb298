/*
 * role.c — role table and the conversions between codes and sets.
 */
#include <string.h>
#include "core/role.h"

static const struct rh_role_info roles[ROLE__COUNT] = {
	{ ROLE_ADMIN, "admin", "系统管理员", "Administrator",
	  "管理账号、角色、日历和系统任务，可执行所有操作", "Manages accounts, roles, the calendar and system jobs; may do everything" },
	{ ROLE_MANAGER, "manager", "项目经理", "Project manager",
	  "负责项目，审批、延长时限、查看报表", "Runs a project: approvals, time-limit extensions, reports" },
	{ ROLE_SUPERVISOR, "supervisor", "主管", "Supervisor",
	  "督导入户人员，处理升级事项", "Supervises field staff and handles escalations" },
	{ ROLE_SERVICE_DESK, "service_desk", "客服/前台", "Service desk",
	  "受理报修、投诉、咨询，登记访客", "Takes requests, complaints and enquiries; registers visitors" },
	{ ROLE_DISPATCHER, "dispatcher", "调度员", "Dispatcher",
	  "预约和派工", "Books appointments and dispatches work" },
	{ ROLE_FIELD_WORKER, "field_worker", "入户工作人员", "Field worker",
	  "安检员、维修员、保洁员、家政员、护理员等，执行入户工单", "Inspectors, repairers, cleaners, domestic and care workers who carry out home visits" },
	{ ROLE_REVIEWER, "reviewer", "安检复核员", "Inspection reviewer",
	  "抽查复核安检与到访不遇记录", "Re-checks inspections and nobody-home reports" },
	{ ROLE_GUARD, "guard", "安管员", "Security guard",
	  "门岗登记、车辆出入、巡更", "Gate registration, vehicles and patrols" },
	{ ROLE_VOLUNTEER_COORD, "volunteer_coord", "义工协调员", "Volunteer coordinator",
	  "管理义工登记与服务记录", "Manages volunteers and their service records" },
	{ ROLE_AUDITOR, "auditor", "审计员", "Auditor",
	  "只读查看记录与审计日志", "Read-only access to records and the audit trail" },
};

const struct rh_role_info *role_info(enum rh_role r)
{
	return (unsigned)r < ROLE__COUNT ? &roles[r] : NULL;
}

int role_from_code(const char *code, size_t len)
{
	for (int i = 0; i < ROLE__COUNT; i++)
		if (strlen(roles[i].code) == len && memcmp(roles[i].code, code, len) == 0) return i;
	return -1;
}

int roles_parse(const char *csv, rh_roles *out)
{
	rh_roles set = 0;
	const char *p = csv;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int r = role_from_code(p, len);
		if (r < 0 || (set & RH_ROLE(r))) return -1;
		set |= RH_ROLE(r);
		if (!end) break;
		p = end + 1;
		if (!*p) return -1;	/* trailing comma */
	}
	*out = set;
	return 0;
}

int roles_format(rh_roles set, struct buf *out)
{
	int first = 1;
	for (int i = 0; i < ROLE__COUNT; i++) {
		if (!(set & RH_ROLE(i))) continue;
		if ((!first && buf_putc(out, ',')) || buf_puts(out, roles[i].code)) return -1;
		first = 0;
	}
	return 0;
}
