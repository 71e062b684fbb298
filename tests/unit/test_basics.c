/*
 * test_basics.c — the small shared pieces: the error table, roles,
 * account field rules, the arena and the bounded buffer.
 */
#include <string.h>
#include "harness.h"
#include "app/jobs.h"
#include "core/audit.h"
#include "base/arena.h"
#include "base/buf.h"
#include "core/error.h"
#include "core/mask.h"
#include "core/role.h"
#include "core/tenant.h"
#include "core/user.h"
#include "http/phantom.h"
#include <sodium.h>
#include <stdio.h>

static void test_errors(void)
{
	size_t n;
	const struct rh_error_info *t = rh_error_table(&n);
	t_case("X6 every error has a unique number and code, a status and both messages");
	int ok = 1;
	for (size_t i = 0; i < n; i++) {
		ok &= t[i].code && t[i].zh && t[i].en && t[i].zh[0] && t[i].en[0];
		ok &= t[i].http_status >= 200 && t[i].http_status < 600;
		for (size_t j = i + 1; j < n; j++) ok &= t[i].err != t[j].err && strcmp(t[i].code, t[j].code) != 0;
	}
	CHECK(ok);
	t_case("X6 messages name the field in the reader's language");
	struct rh_fail f = { .err = RH_ERR_FIELD_TOO_LONG, .field = "name", .label_zh = "姓名", .label_en = "name", .n = 64 };
	struct buf b = BUF_INIT(1024);
	rh_error_message(&f, 0, &b);
	CHECK_STR(buf_str(&b), "字段过长：姓名（name）（最多 64 个字符）");
	buf_reset(&b);
	rh_error_message(&f, 1, &b);
	CHECK_STR(buf_str(&b), "Field too long: name (name) (at most 64 characters)");
	buf_reset(&b);
	f = (struct rh_fail){ .err = RH_ERR_FIELD_INVALID, .field = "csv", .line = 3, .detail_en = "bad date", .detail_zh = "日期无效" };
	rh_error_message(&f, 1, &b);
	CHECK_STR(buf_str(&b), "Invalid value for field: csv (line 3: bad date)");
	buf_release(&b);
	t_case("an unknown error number maps to internal");
	CHECK_STR(rh_error_info((enum rh_err)9999)->code, "internal");
	t_case("error numbers are stable");
	CHECK_INT(RH_ERR_VERSION_CONFLICT, 50);
	CHECK_INT(RH_ERR_FORBIDDEN, 34);
	CHECK_INT(rh_error_info(RH_ERR_VERSION_CONFLICT)->http_status, 409);
	CHECK_INT(rh_error_info(RH_ERR_BODY_TOO_LARGE)->http_status, 413);
}

static void test_roles(void)
{
	static const struct { const char *csv; int ok; } rows[] = {
		{ "admin", 1 }, { "admin,auditor", 1 }, { "", 1 }, { "king", 0 }, { "admin,admin", 0 },
		{ "admin,", 0 }, { ",admin", 0 }, { "Admin", 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("X2 roles_parse(\"%s\") %s", rows[i].csv, rows[i].ok ? "accepts" : "rejects");
		rh_roles set;
		CHECK_INT(roles_parse(rows[i].csv, &set) == 0, rows[i].ok);
	}
	t_case("X2 every role round-trips through its code");
	int ok = 1;
	for (int r = 0; r < ROLE__COUNT; r++) {
		struct buf b = BUF_INIT(256);
		rh_roles set;
		roles_format(RH_ROLE(r), &b);
		ok &= roles_parse(buf_str(&b), &set) == 0 && set == RH_ROLE(r);
		ok &= role_info(r)->zh[0] && role_info(r)->en[0] && role_info(r)->desc_zh[0];
		buf_release(&b);
	}
	CHECK(ok);
	CHECK_INT(ROLE__COUNT, 10);
}

static void test_fields(void)
{
	static const struct { const char *s; int ok; } users[] = {
		{ "gas.admin", 1 }, { "a1b", 1 }, { "ab", 0 }, { "Admin", 0 }, { ".admin", 0 }, { "zhang san", 0 },
		{ "张三", 0 }, { "abcdefghijabcdefghijabcdefghijabc", 0 },
	};
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		t_case("username_valid(\"%s\")", users[i].s);
		CHECK_INT(username_valid(users[i].s), users[i].ok);
	}
	static const struct { const char *s; int ok; } phones[] = {
		{ "13800138000", 1 }, { "+86 138 0013 8000", 1 }, { "0571-88888888", 1 }, { "1234", 0 },
		{ "call me", 0 }, { "138-0013-80x0", 0 }, { "++8613800138000", 0 },
	};
	for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++) {
		t_case("phone_valid(\"%s\")", phones[i].s);
		CHECK_INT(phone_valid(phones[i].s), phones[i].ok);
	}
	static const struct { const char *q, *digits; } searches[] = {
		{ "136-8596-0094", "13685960094" }, { "136 8596 0094", "13685960094" },
		{ "+86 136 8596 0094", "13685960094" }, { "+8613685960094", "13685960094" },
		{ "0086-13685960094", "13685960094" }, { "0571-88888888", "057188888888" },
		{ "+86 571 8888 8888", "8657188888888" },	/* not a mobile: the code stays */
		{ "13685960094", NULL }, { "0094", NULL }, { "3-2-501", NULL }, { "S-004", NULL },
		{ "幸福里 3栋", NULL }, { "136-8596-00x4", NULL }, { "1+3685960094", NULL },
	};
	for (size_t i = 0; i < sizeof searches / sizeof searches[0]; i++) {
		t_case("a search typed as a phone: \"%s\" is %s", searches[i].q, searches[i].digits ? searches[i].digits : "not one");
		char out[32] = "";
		CHECK_INT(phone_search_digits(searches[i].q, out, sizeof out), searches[i].digits != NULL);
		if (searches[i].digits) CHECK_STR(out, searches[i].digits);
	}
	static const struct { const char *s; int ok; } passwords[] = {
		{ "Ruhu@2026", 1 }, { "abcdefg1", 1 }, { "abcdefgh", 0 }, { "12345678", 0 }, { "Ab1", 0 },
		{ "密码密码密码密码1", 1 },
	};
	for (size_t i = 0; i < sizeof passwords / sizeof passwords[0]; i++) {
		t_case("password_acceptable(\"%s\")", passwords[i].s);
		CHECK_INT(password_acceptable(passwords[i].s), passwords[i].ok);
	}
	t_case("X1 tenant codes: short, lowercase, never 'system'");
	CHECK(tenant_code_valid("demo-gas") && !tenant_code_valid("system") && !tenant_code_valid("-x") &&
	      !tenant_code_valid("Gas") && tenant_kind_valid("gas") && !tenant_kind_valid("bank"));
}

static void test_mask(void)
{
	static const struct { const char *in, *out; } rows[] = {
		{ "13800138000", "138****8000" }, { "+86 138 0013 8000", "+86 *** **** 8000" },
		{ "0571-88888888", "057*-****8888" }, { "12345", "***45" }, { "", "" },
		/* a local number of 8 digits, as a household's landline is kept:
		 * 3 + 4 kept would leave one digit hidden */
		{ "62345678", "****5678" }, { "6234 5678", "**** 5678" }, { "021-62345678", "021-****5678" },
		{ "1234 567", "**** *67" }, { "+86 6234 5678", "*** **** 5678" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("X5 mask_phone(\"%s\") = \"%s\"", rows[i].in, rows[i].out);
		char out[32];
		mask_phone(rows[i].in, out, sizeof out);
		CHECK_STR(out, rows[i].out);
	}
	static const struct { const char *in, *out; } texts[] = {
		{ "13800138000", "138****8000" }, { "张 138 0013 8000 家", "张 138 **** 8000 家" },
		{ "110105194912310021", "110***********0021" }, { "11010519491231002X", "110**********1002X" },
		{ "\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98"
		  "\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90", "138****8000" },	/* full-width */
		{ "62345678", "****5678" }, { "HP-0001", "HP-0001" }, { "0094", "0094" }, { "123456", "123456" },
		{ "A 2026-12-06", "A ****-*2-06" }, { "+", "+" }, { "幸福里 3栋", "幸福里 3栋" }, { "", "" },
		/* what the household search drops between digits finds the
		 * number as well: 138_0013_8000 finds 13800138000 */
		{ "138_0013_8000", "138******8000" }, { "%13800138000%", "%138****8000%" },
		{ "138\xEF\xBC\x8D" "0013\xEF\xBC\x8D" "8000", "138-****-8000" },	/* full-width hyphens */
		{ "138\xE3\x80\x80" "0013\xE3\x80\x80" "8000", "138 **** 8000" },	/* ideographic spaces */
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		t_case("X5 mask_numbers(\"%s\") = \"%s\"", texts[i].in, texts[i].out);
		char out[128];
		mask_numbers(texts[i].in, out, sizeof out);
		CHECK_STR(out, texts[i].out);
	}
}

static void test_arena_buf(void)
{
	t_case("the arena refuses allocations past its cap");
	struct arena *a = arena_new(4096);
	int n = 0;
	while (arena_alloc(a, 100)) n++;
	CHECK(n >= 30 && n <= 41);
	CHECK(arena_used(a) <= 4096);
	arena_free(a);
	t_case("the arena serves one allocation larger than a chunk");
	a = arena_new(1 << 20);
	char *big = arena_alloc(a, 200000);
	CHECK(big != NULL);
	memset(big, 1, 200000);
	CHECK_STR(arena_printf(a, "%s-%d", "x", 42), "x-42");
	arena_free(a);
	t_case("the buffer refuses to grow past its limit and stays intact");
	struct buf b = BUF_INIT(10);
	CHECK_INT(buf_puts(&b, "12345"), 0);
	CHECK_INT(buf_puts(&b, "678901"), -1);
	CHECK_STR(buf_str(&b), "12345");
	CHECK_INT(buf_printf(&b, "%d", 67890), 0);
	CHECK_INT(buf_putc(&b, 'x'), -1);
	CHECK_INT(b.len, 10);
	buf_release(&b);
	t_case("a buffer without a limit (SIZE_MAX) grows: the limit's +1 must not wrap to 0");
	struct buf u = BUF_INIT(SIZE_MAX);
	for (int i = 0; i < 1000; i++) CHECK_INT(buf_puts(&u, "0123456789"), 0);
	CHECK_INT(u.len, 10000);
	CHECK(u.cap > 10000);
	buf_release(&u);
}

/* The fixed lists GET /api/v1/jobs?kind= and /audit?entity=&action= take. */
static void test_code_lists(void)
{
	t_case("the job kinds the list filter takes are the kinds the scheduler runs, in its order");
	size_t n = 0;
	while (job_kind_codes[n]) n++;
	CHECK_INT(n, job_kinds_count);
	for (size_t i = 0; i < n && i < job_kinds_count; i++) CHECK_STR(job_kind_codes[i], job_kinds[i].kind);
	t_case("X3 the audit lists know what the store writes, and nothing made up");
	CHECK(audit_code_known(audit_entity_codes, "staff_file"));
	CHECK(audit_code_known(audit_action_codes, "set_photo"));
	CHECK(!audit_code_known(audit_entity_codes, "bogus"));
	CHECK(!audit_code_known(audit_action_codes, NULL));
}

/* X5: a name that is nobody's locks as an account does, and a flood of
 * other names cannot push its count out of the table. */
static void test_phantom(void)
{
	struct phantom_locks *p = phantom_locks_new();
	t_case("X5 a name that is nobody's locks at its fifth try, for the lock's time, and counts again after");
	int64_t t0 = 1000000, until = 0;
	for (int i = 0; i < 4; i++) until |= phantom_failed(p, "no.such.person", 5, 900, t0 + i);
	CHECK_INT(until, 0);
	CHECK_INT(phantom_locked(p, "no.such.person", t0 + 4), 0);
	CHECK_INT(phantom_failed(p, "no.such.person", 5, 900, t0 + 4), t0 + 4 + 900);
	CHECK_INT(phantom_locked(p, "no.such.person", t0 + 5), t0 + 904);
	CHECK_INT(phantom_locked(p, "no.such.other", t0 + 5), 0);
	CHECK_INT(phantom_locked(p, "no.such.person", t0 + 904), 0);
	CHECK_INT(phantom_failed(p, "no.such.person", 5, 900, t0 + 905), 0);	/* a new count */
	t_case("X5 … and 2,000 other names tried in between (half the table) push neither a count nor a lock out");
	for (int i = 0; i < 4; i++) phantom_failed(p, "counting.name", 5, 900, t0 + 1000);
	phantom_failed(p, "locked.name", 1, 900, t0 + 1000);
	char name[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof name, "flood.%d", i);
		phantom_failed(p, name, 5, 900, t0 + 1001);
	}
	CHECK_INT(phantom_failed(p, "counting.name", 5, 900, t0 + 1002), t0 + 1002 + 900);
	CHECK(phantom_locked(p, "locked.name", t0 + 1003) > 0);
	phantom_locks_free(p);
}

int main(void)
{
	if (sodium_init() < 0) return 1;
	test_phantom();
	test_code_lists();
	test_errors();
	test_roles();
	test_fields();
	test_mask();
	test_arena_buf();
	return t_done();
}
