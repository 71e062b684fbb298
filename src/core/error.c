/*
 * error.c — the one table of errors (see error.h).
 */
#include <stdio.h>
#include <string.h>
#include "core/error.h"

static const struct rh_error_info table[] = {
	{ RH_OK, "ok", 200, "成功", "OK" },
	{ RH_ERR_INTERNAL, "internal", 500, "服务器内部错误，请稍后重试", "Internal server error, please try again later" },
	{ RH_ERR_NOMEM, "out_of_memory", 503, "服务器资源不足，请稍后重试", "The server is out of resources, please try again later" },
	{ RH_ERR_STORE, "store_error", 500, "数据库错误，未写入任何数据", "Database error; nothing was written" },
	{ RH_ERR_BUSY, "busy", 503, "服务繁忙，请稍后重试", "The server is busy, please try again later" },
	{ RH_ERR_STOPPING, "stopping", 503, "服务器正在停止，此请求未执行，请稍后重试", "The server is stopping; this request was not carried out, please try again" },
	{ RH_ERR_IMPORT_RUNNING, "import_running", 503, "正在写入一批导入的数据，导入结束前暂不能保存，未写入任何数据，请稍后重试",
	  "An import is being written; nothing else can be saved until it ends. Nothing was written; please try again shortly" },
	{ RH_ERR_UNAVAILABLE, "db_unavailable", 503, "暂时连不上数据库，请稍后重试", "The database cannot be reached right now; please try again later" },
	{ RH_ERR_IO, "io_error", 500, "读写文件失败", "Could not read or write a file" },
	{ RH_ERR_KEY_MISMATCH, "key_mismatch", 500, "安装密钥与数据库不符", "The installation key does not belong to this database" },

	{ RH_ERR_BAD_JSON, "bad_json", 400, "请求内容不是有效的 JSON 对象", "The request body is not a valid JSON object" },
	{ RH_ERR_FIELD_REQUIRED, "field_required", 400, "缺少必填字段：{field}", "Missing required field: {field}" },
	{ RH_ERR_FIELD_TYPE, "field_type", 400, "字段类型错误：{field}", "Wrong type for field: {field}" },
	{ RH_ERR_FIELD_TOO_LONG, "field_too_long", 400, "字段过长：{field}（最多 {n} 个字符）", "Field too long: {field} (at most {n} characters)" },
	{ RH_ERR_FIELD_TOO_SHORT, "field_too_short", 400, "字段过短：{field}（至少 {n} 个字符）", "Field too short: {field} (at least {n} characters)" },
	{ RH_ERR_FIELD_RANGE, "field_range", 400, "字段超出允许范围：{field}", "Field out of range: {field}" },
	{ RH_ERR_FIELD_INVALID, "field_invalid", 400, "字段格式或取值无效：{field}", "Invalid value for field: {field}" },
	{ RH_ERR_FIELD_UNKNOWN, "field_unknown", 400, "不认识的字段：{field}", "Unknown field: {field}" },
	{ RH_ERR_BODY_TOO_LARGE, "body_too_large", 413, "请求内容过大（最多 {n} 字节）", "Request body too large (at most {n} bytes)" },
	{ RH_ERR_QUERY_TOO_LONG, "query_too_long", 414, "查询参数过多（最多 {n} 个）", "Too many query parameters (at most {n})" },
	{ RH_ERR_MEDIA_TYPE, "unsupported_media_type", 415, "请求内容的类型不受支持", "The request body's type is not accepted here" },

	{ RH_ERR_UNAUTHENTICATED, "unauthenticated", 401, "请先登录", "Please sign in" },
	{ RH_ERR_LOGIN_FAILED, "login_failed", 401, "用户名或密码错误", "Wrong user name or password" },
	{ RH_ERR_ACCOUNT_LOCKED, "account_locked", 423, "登录失败次数过多，账号已锁定，请 {n} 分钟后再试", "Too many failed sign-ins; the account is locked, try again in {n} min" },
	{ RH_ERR_ACCOUNT_DISABLED, "account_disabled", 403, "账号已停用", "This account is disabled" },
	{ RH_ERR_FORBIDDEN, "forbidden", 403, "无权执行此操作", "You are not allowed to do this" },
	{ RH_ERR_CSRF, "csrf", 403, "安全校验失败，请刷新页面后重试", "Security check failed; reload the page and try again" },
	{ RH_ERR_PASSWORD_CHANGE, "password_change_required", 403, "请先修改初始密码", "Please change your initial password first" },
	{ RH_ERR_RATE_LIMITED, "rate_limited", 429, "请求过于频繁，请稍后再试", "Too many requests, please slow down" },

	{ RH_ERR_NOT_FOUND, "not_found", 404, "记录不存在：{field}", "No such record: {field}" },
	{ RH_ERR_ROUTE_NOT_FOUND, "route_not_found", 404, "接口不存在", "No such API route" },
	{ RH_ERR_METHOD, "method_not_allowed", 405, "该接口不支持此请求方法", "Method not allowed on this route" },

	{ RH_ERR_VERSION_CONFLICT, "version_conflict", 409, "记录已被他人修改，请刷新后重试（当前版本 {n}）", "The record was changed by someone else; reload and try again (current version {n})" },
	{ RH_ERR_DUPLICATE, "duplicate", 409, "已存在相同的记录：{field}", "A record with this value already exists: {field}" },
	{ RH_ERR_STATE, "invalid_state", 409, "当前状态下不能执行此操作", "Not possible in the record's current state" },
	{ RH_ERR_IMPORT_INVALID, "import_invalid", 422, "文件中有 {n} 处错误，未导入任何数据", "Nothing was imported: errors in the file: {n}" },
	{ RH_ERR_NOT_ELIGIBLE, "not_eligible", 422, "该人员不符合派工条件", "This worker may not be sent" },
	{ RH_ERR_BLACKLISTED, "blacklisted", 409, "此人已列入不良信用记录（黑名单），不能再次录用", "This person is blacklisted and cannot be taken on again" },
	{ RH_ERR_HIRING_INCOMPLETE, "hiring_incomplete", 409, "招聘流程尚未全部通过，不能上岗", "Not every hiring step has passed; cannot activate" },
	{ RH_ERR_TOO_MANY_ROWS, "too_many_rows", 413, "超过 {n} 行，无法一次导出，请缩小筛选范围", "More than {n} rows to export; narrow the filter" },
	{ RH_ERR_LAST_ADMIN, "last_admin", 409, "这是本单位最后一个启用的管理员账号，请先为其他人授予管理员角色", "This is the organisation's last active admin; make someone else an admin first" },
	{ RH_ERR_SELF, "self_lockout", 409, "不能停用自己的账号或去掉自己的管理员角色", "You cannot disable your own account or drop your own admin role" },
};

#define TABLE_N (sizeof table / sizeof table[0])

const struct rh_error_info *rh_error_info(enum rh_err err)
{
	for (size_t i = 0; i < TABLE_N; i++)
		if (table[i].err == err) return &table[i];
	return &table[1];
}

const struct rh_error_info *rh_error_table(size_t *count)
{
	*count = TABLE_N;
	return table;
}

enum rh_err rh_fail_field(struct rh_fail *f, enum rh_err err, const char *field)
{
	if (f) {
		memset(f, 0, sizeof *f);
		f->err = err;
		f->field = field;
	}
	return err;
}

int rh_error_message(const struct rh_fail *f, int en, struct buf *out)
{
	const struct rh_error_info *info = rh_error_info(f->err);
	const char *t = en ? info->en : info->zh;
	int rc = 0;
	while (*t && rc == 0) {
		if (strncmp(t, "{field}", 7) == 0) {
			const char *label = en ? f->label_en : f->label_zh;
			if (label && f->field)
				rc = buf_printf(out, en ? "%s (%s)" : "%s（%s）", label, f->field);
			else
				rc = buf_puts(out, f->field ? f->field : "?");
			t += 7;
		} else if (strncmp(t, "{n}", 3) == 0) {
			rc = buf_printf(out, "%lld", f->n);
			t += 3;
		} else {
			rc = buf_putc(out, *t++);
		}
	}
	const char *detail = en ? f->detail_en : f->detail_zh;
	if (rc == 0 && f->line > 0)
		rc = buf_printf(out, en ? " (line %ld%s%s)" : "（第 %ld 行%s%s）", f->line, detail ? (en ? ": " : "：") : "",
				detail ? detail : "");
	else if (rc == 0 && detail)
		rc = buf_printf(out, en ? ": %s" : "：%s", detail);
	return rc;
}
