/*
 * role.h — the roles of SPEC X2 and the set type routes are checked with.
 *
 * A user holds a set of roles (a bit mask); each route in
 * http/routes.c declares the set allowed to call it, and one check in
 * http/auth.c compares the two. Roles are stored by their codes
 * ("admin,dispatcher"), never by bit position, so the enum may grow.
 * Field workers' trades (安检员, 维修员, 保洁员 …) are job types on their
 * staff profile, not roles: they all enter homes under the same rules.
 */
#ifndef RUHU_ROLE_H
#define RUHU_ROLE_H
#include <stddef.h>
#include "base/buf.h"

enum rh_role {
	ROLE_ADMIN,		/* 系统管理员 */
	ROLE_MANAGER,		/* 项目经理 */
	ROLE_SUPERVISOR,	/* 主管 */
	ROLE_SERVICE_DESK,	/* 客服/前台 */
	ROLE_DISPATCHER,	/* 调度员 */
	ROLE_FIELD_WORKER,	/* 入户工作人员 */
	ROLE_REVIEWER,		/* 安检复核员 */
	ROLE_GUARD,		/* 安管员 */
	ROLE_VOLUNTEER_COORD,	/* 义工协调员 */
	ROLE_AUDITOR,		/* 审计员（只读） */
	ROLE__COUNT
};

typedef unsigned rh_roles;	/* a set of roles: bit (1u << enum rh_role) */

#define RH_ROLE(r) (1u << (r))
#define RH_ROLES_ALL ((1u << ROLE__COUNT) - 1)

struct rh_role_info {
	enum rh_role role;
	const char *code;	/* stored and sent over the API */
	const char *zh;
	const char *en;
	const char *desc_zh;
	const char *desc_en;
};

const struct rh_role_info *role_info(enum rh_role r);

/* The role with this code; -1 if none. */
int role_from_code(const char *code, size_t len);

/* Parses "admin,dispatcher" into a set; empty input gives an empty set.
 * Returns -1 on an unknown code or a repeated one. */
int roles_parse(const char *csv, rh_roles *out);

/* Writes the set as "admin,dispatcher" (table order). */
int roles_format(rh_roles set, struct buf *out);

#endif
