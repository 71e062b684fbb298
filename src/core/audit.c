/*
 * audit.c — the audit chain's link hash (see audit.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "core/audit.h"
#include "core/secret.h"

const char *const audit_entity_codes[] = {
	"user", "tenant", "calendar_year", "job", "site", "household", "staff", "import", "audit",
	"assignment", "certificate", "discipline", "training", "hiring_step", "badge", "job_rule",
	"staff_return", "staff_file", NULL,
};

const char *const audit_action_codes[] = {
	"create", "update", "disable", "enable", "set_password", "unlock", "login", "login_failed", "lock",
	"logout", "import", "import_check", "import_refused", "export", "retry", "cancel", "view_personal",
	"issue", "void", "revoke", "decide", "returned", "set_photo", "upload", NULL,
};

/* Their names, in the order of the codes above (an export's cells). */
static const char *const entity_names[][2] = {
	{ "账号", "Account" }, { "单位", "Organisation" }, { "节假日安排", "Holiday schedule" }, { "后台任务", "Background job" },
	{ "站点", "Site" }, { "住户", "Household" }, { "人员", "Staff" }, { "导入", "Import" }, { "审计日志", "Audit log" },
	{ "派工", "Assignment" }, { "证书", "Certificate" }, { "奖惩", "Reward or discipline" }, { "培训", "Training" },
	{ "招聘环节", "Hiring step" }, { "工作证", "Badge" }, { "工种要求", "Job requirement" },
	{ "离岗交还", "Item to hand back" }, { "档案材料", "Personal file document" },
};
static const char *const action_names[][2] = {
	{ "创建", "Create" }, { "修改", "Update" }, { "停用", "Disable" }, { "启用", "Enable" }, { "设置密码", "Set password" },
	{ "解除锁定", "Unlock" }, { "登录", "Sign in" }, { "登录失败", "Failed sign-in" }, { "账号锁定", "Locked" },
	{ "退出登录", "Sign out" }, { "导入", "Import" }, { "导入检查（未写入）", "Import checked (dry run)" },
	{ "导入被拒（未写入）", "Import refused" }, { "导出", "Export" }, { "重试", "Retry" }, { "取消", "Cancel" },
	{ "查看个人信息", "View personal data" }, { "发放", "Issue" }, { "作废", "Void" }, { "吊销", "Revoke" },
	{ "记录结果", "Decide" }, { "已交还", "Handed back" }, { "设置照片", "Set photo" }, { "上传", "Upload" },
};
_Static_assert(sizeof entity_names / sizeof entity_names[0] == sizeof audit_entity_codes / sizeof audit_entity_codes[0] - 1,
	       "a name for every entity code");
_Static_assert(sizeof action_names / sizeof action_names[0] == sizeof audit_action_codes / sizeof audit_action_codes[0] - 1,
	       "a name for every action code");

static const char *name_of(const char *const *codes, const char *const (*names)[2], const char *code, int en)
{
	for (size_t i = 0; code && codes[i]; i++)
		if (strcmp(codes[i], code) == 0) return names[i][en ? 1 : 0];
	return code ? code : "";
}

const char *audit_entity_name(const char *code, int en) { return name_of(audit_entity_codes, entity_names, code, en); }
const char *audit_action_name(const char *code, int en) { return name_of(audit_action_codes, action_names, code, en); }

int audit_code_known(const char *const *codes, const char *s)
{
	for (; s && *codes; codes++)
		if (strcmp(*codes, s) == 0) return 1;
	return 0;
}

static void put(crypto_generichash_state *st, const char *s)
{
	/* NULL and "" differ: NULL has length 2^64-1. */
	uint64_t len = s ? strlen(s) : UINT64_MAX;
	unsigned char le[8];
	for (int i = 0; i < 8; i++) le[i] = (unsigned char)(len >> (8 * i));
	crypto_generichash_update(st, le, sizeof le);
	if (s) crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
}

static void put_int(crypto_generichash_state *st, int64_t v)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)v);
	put(st, s);
}

void audit_compute_hash(const struct audit_entry *e, const unsigned char *key, char out[AUDIT_HASH_LEN + 1])
{
	crypto_generichash_state st;
	unsigned char h[32];
	crypto_generichash_init(&st, key, SECRET_KEY_BYTES, sizeof h);
	put(&st, "ruhu-audit-chain-v1");	/* the encoding's version */
	put_int(&st, e->tenant_id);
	put_int(&st, e->seq);
	put_int(&st, e->at);
	put_int(&st, e->actor_id);
	put(&st, e->actor);
	put(&st, e->ip);
	put(&st, e->action);
	put(&st, e->entity);
	put_int(&st, e->entity_id);
	put(&st, e->before);
	put(&st, e->after);
	put(&st, e->reason);
	put(&st, e->prev_hash);
	crypto_generichash_final(&st, h, sizeof h);
	hex_encode(h, sizeof h, out);
}
