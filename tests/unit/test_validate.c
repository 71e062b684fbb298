/*
 * test_validate.c — the input validation layer (core/validate.c), the
 * one place where SPEC X6 is enforced for every route.
 */
#include "harness.h"
#include "core/role.h"
#include "core/user.h"
#include "core/validate.h"

static const char *const colours[] = { "red", "green", NULL };

enum { F_NAME, F_NOTE, F_AGE, F_OK, F_COLOUR, F_DAY, F_WHEN, F_ROLES, F_USER, F_NICK, F_IDS };
static const struct field fields[] = {
	[F_NAME] = { "name", FT_STRING, F_REQUIRED, 2, 4, NULL, NULL, "姓名", "name" },
	[F_NOTE] = { "note", FT_TEXT, 0, 0, 10, NULL, NULL, "备注", "note" },
	[F_AGE] = { "age", FT_INT, 0, 18, 120, NULL, NULL, "年龄", "age" },
	[F_OK] = { "ok", FT_BOOL, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_COLOUR] = { "colour", FT_ENUM, 0, 0, 0, colours, NULL, NULL, NULL },
	[F_DAY] = { "day", FT_DATE, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_WHEN] = { "when", FT_DATETIME, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_ROLES] = { "roles", FT_ROLES, 0, 1, 0, NULL, NULL, NULL, NULL },
	[F_USER] = { "user", FT_STRING, 0, 0, 32, NULL, username_valid, NULL, NULL },
	[F_NICK] = { "nick", FT_STRING, F_NULLABLE, 0, 8, NULL, NULL, NULL, NULL },
	[F_IDS] = { "ids", FT_IDS, 0, 0, 3, NULL, NULL, NULL, NULL },
};
static const struct schema sc = SCHEMA(fields);

static void test_json(void)
{
	static const struct { const char *body; enum rh_err err; const char *field; } rows[] = {
		{ "{\"name\":\"张三\"}", RH_OK, NULL },			/* two characters, six bytes */
		{ "{\"name\":\"欧阳娜娜\"}", RH_OK, NULL },		/* four characters: the maximum */
		{ "{\"name\":\"欧阳娜娜娜\"}", RH_ERR_FIELD_TOO_LONG, "name" },
		{ "{\"name\":\"张\"}", RH_ERR_FIELD_TOO_SHORT, "name" },
		{ "{}", RH_ERR_FIELD_REQUIRED, "name" },
		{ "", RH_ERR_FIELD_REQUIRED, "name" },
		{ "{\"name\":null}", RH_ERR_FIELD_TYPE, "name" },
		{ "{\"name\":\"张三\",\"nick\":null}", RH_OK, NULL },
		{ "{\"name\":12}", RH_ERR_FIELD_TYPE, "name" },
		{ "{\"name\":\"张三\",\"age\":17}", RH_ERR_FIELD_RANGE, "age" },
		{ "{\"name\":\"张三\",\"age\":18}", RH_OK, NULL },
		{ "{\"name\":\"张三\",\"age\":18.5}", RH_ERR_FIELD_TYPE, "age" },
		{ "{\"name\":\"张三\",\"age\":\"18\"}", RH_ERR_FIELD_TYPE, "age" },
		{ "{\"name\":\"张三\",\"ok\":1}", RH_ERR_FIELD_TYPE, "ok" },
		{ "{\"name\":\"张三\",\"colour\":\"blue\"}", RH_ERR_FIELD_INVALID, "colour" },
		{ "{\"name\":\"张三\",\"day\":\"2026-02-29\"}", RH_ERR_FIELD_INVALID, "day" },
		{ "{\"name\":\"张三\",\"when\":\"yesterday\"}", RH_ERR_FIELD_INVALID, "when" },
		{ "{\"name\":\"张三\",\"roles\":[\"admin\",\"admin\"]}", RH_ERR_FIELD_INVALID, "roles" },
		{ "{\"name\":\"张三\",\"roles\":\"admin\"}", RH_ERR_FIELD_TYPE, "roles" },
		{ "{\"name\":\"张三\",\"roles\":[]}", RH_ERR_FIELD_REQUIRED, "roles" },
		{ "{\"name\":\"张三\",\"user\":\"Root\"}", RH_ERR_FIELD_INVALID, "user" },
		{ "{\"name\":\"张三\",\"note\":\"a\\nb\\tc\"}", RH_OK, NULL },
		{ "{\"name\":\"张\\n三\"}", RH_ERR_FIELD_INVALID, "name" },	/* one-line field */
		{ "{\"name\":\"张三\",\"note\":\"\\u007f\"}", RH_ERR_FIELD_INVALID, "note" },
		{ "{\"name\":\"张三\",\"extra\":1}", RH_ERR_FIELD_UNKNOWN, "extra" },
		{ "{\"name\":\"张三\",\"name\":\"李四\"}", RH_ERR_BAD_JSON, NULL },
		{ "{\"name\":\"张三\"} trailing", RH_ERR_BAD_JSON, NULL },
		{ "[\"name\"]", RH_ERR_BAD_JSON, NULL },
		{ "\"name\"", RH_ERR_BAD_JSON, NULL },
		{ "{\"name\":\"\xff\xfe\"}", RH_ERR_BAD_JSON, NULL },
		{ "{\"name\":\"a\\ud800b\"}", RH_ERR_BAD_JSON, NULL },	/* lone surrogate */
		{ "{\"name\":\" 张三\\t\"}", RH_OK, NULL },		/* spaces at the ends are not the name's */
		{ "{\"name\":\"\u3000张\u3000\"}", RH_ERR_FIELD_TOO_SHORT, "name" },	/* nor are ideographic ones */
		{ "{\"name\":\"   \"}", RH_ERR_FIELD_TOO_SHORT, "name" },
		{ "{\"name\":\"张\\u202e三\"}", RH_ERR_FIELD_INVALID, "name" },	/* right-to-left override */
		{ "{\"name\":\"张\\u200b三\"}", RH_ERR_FIELD_INVALID, "name" },	/* zero-width space */
		{ "{\"name\":\"张三\",\"note\":\"a\\u2067b\"}", RH_ERR_FIELD_INVALID, "note" },	/* isolate */
		{ "{\"name\":\"张三\",\"note\":\"a\\ufeffb\"}", RH_ERR_FIELD_INVALID, "note" },
		{ "{\"name\":\"张\\u200d三\"}", RH_ERR_FIELD_INVALID, "name" },	/* a joiner in a name: 幸福里 and 幸福里+ZWJ */
		{ "{\"name\":\"张三\",\"note\":\"👨\\u200d👩\\ufe0f\"}", RH_OK, NULL },	/* … in a note, emoji need it */
		{ "{\"name\":\"张\\uffff三\"}", RH_ERR_FIELD_INVALID, "name" },	/* a noncharacter: no XML can hold it */
		{ "{\"name\":\"\\u3164\"}", RH_ERR_FIELD_INVALID, "name" },	/* a blank-looking filler alone */
		{ "{\"name\":\"\\u0301张\"}", RH_ERR_FIELD_INVALID, "name" },	/* a combining mark with nothing before it */
		/* found by a review: more that show as nothing, and marks of other scripts first */
		{ "{\"name\":\"张\\u034f三\"}", RH_ERR_FIELD_INVALID, "name" },	/* combining grapheme joiner */
		{ "{\"name\":\"张\\u206a三\"}", RH_ERR_FIELD_INVALID, "name" },	/* deprecated format characters */
		{ "{\"name\":\"张\\u17b4三\"}", RH_ERR_FIELD_INVALID, "name" },	/* Khmer inherent vowel */
		{ "{\"name\":\"张\\ud82f\\udca0三\"}", RH_ERR_FIELD_INVALID, "name" },	/* U+1BCA0 shorthand format */
		{ "{\"name\":\"张\\ud834\\udd73三\"}", RH_ERR_FIELD_INVALID, "name" },	/* U+1D173 musical format */
		{ "{\"name\":\"张\\ud80d\\udc30三\"}", RH_ERR_FIELD_INVALID, "name" },	/* U+13430 Egyptian format */
		{ "{\"name\":\"张\\u0600三\"}", RH_ERR_FIELD_INVALID, "name" },	/* Arabic number sign (Cf) */
		{ "{\"name\":\"张\\ufff0三\"}", RH_ERR_FIELD_INVALID, "name" },
		{ "{\"name\":\"张\\u180b三\"}", RH_ERR_FIELD_INVALID, "name" },	/* a Mongolian variation selector on one line */
		{ "{\"name\":\"\\u3099张三\"}", RH_ERR_FIELD_INVALID, "name" },	/* kana's voiced mark first */
		{ "{\"name\":\"\\u302a张三\"}", RH_ERR_FIELD_INVALID, "name" },	/* an ideographic tone mark first */
		{ "{\"name\":\"\\u0e31张三\"}", RH_ERR_FIELD_INVALID, "name" },	/* Thai */
		{ "{\"name\":\"\\u093c张三\"}", RH_ERR_FIELD_INVALID, "name" },	/* Devanagari */
		{ "{\"name\":\"\\u0483张三\"}", RH_ERR_FIELD_INVALID, "name" },	/* Cyrillic */
		{ "{\"name\":\"Le\\u0302n\"}", RH_OK, NULL },	/* combining marks after a letter stay */
		{ "{\"name\":\"\\u0e01\\u0e31\"}", RH_OK, NULL },	/* Thai: a consonant, then its vowel */
		{ "{\"name\":\"\\u2003张三\\u2003\"}", RH_OK, NULL },	/* em spaces at the ends: trimmed */
		{ "{\"name\":\"张\\u2028三\"}", RH_ERR_FIELD_INVALID, "name" },	/* a line separator on one line */
		{ "{\"name\":\"张三\",\"note\":\"a\\u2028b\"}", RH_OK, NULL },	/* … in a note it is a line break */
		{ "{\"name\":\"张\\u2060三\"}", RH_ERR_FIELD_INVALID, "name" },	/* word joiner */
		{ "{\"name\":\"张\\u00ad三\"}", RH_ERR_FIELD_INVALID, "name" },	/* soft hyphen */
		{ "{\"name\":\"张\\u0085三\"}", RH_ERR_FIELD_INVALID, "name" },	/* a C1 control */
		{ "{\"name\":\"张\\udb40\\udc41三\"}", RH_ERR_FIELD_INVALID, "name" },	/* a tag character */
		{ "{\"name\":\"\\u00a0张三\\u00a0\"}", RH_OK, NULL },	/* no-break spaces at the ends: trimmed */
		{ "{\"name\":\"张三\",\"ids\":[]}", RH_OK, NULL },	/* X1: a grant of no estate */
		{ "{\"name\":\"张三\",\"ids\":[3,1,2]}", RH_OK, NULL },
		{ "{\"name\":\"张三\",\"ids\":[1,2,3,4]}", RH_ERR_FIELD_RANGE, "ids" },	/* more than max */
		{ "{\"name\":\"张三\",\"ids\":[1,1]}", RH_ERR_FIELD_INVALID, "ids" },
		{ "{\"name\":\"张三\",\"ids\":[0]}", RH_ERR_FIELD_INVALID, "ids" },
		{ "{\"name\":\"张三\",\"ids\":[-5]}", RH_ERR_FIELD_INVALID, "ids" },
		{ "{\"name\":\"张三\",\"ids\":[1.5]}", RH_ERR_FIELD_TYPE, "ids" },
		{ "{\"name\":\"张三\",\"ids\":[\"1\"]}", RH_ERR_FIELD_TYPE, "ids" },
		{ "{\"name\":\"张三\",\"ids\":1}", RH_ERR_FIELD_TYPE, "ids" },
		/* a number past 64 bits: out of the field's range, named (not bad JSON) */
		{ "{\"name\":\"张三\",\"age\":99999999999999999999}", RH_ERR_FIELD_RANGE, "age" },
		{ "{\"age\" : -99999999999999999999 , \"name\":\"张三\"}", RH_ERR_FIELD_RANGE, "age" },
		{ "{\"name\":\"张三\",\"extra\":99999999999999999999}", RH_ERR_BAD_JSON, NULL },	/* no such field to name */
		{ "{\"name\":99999999999999999999}", RH_ERR_BAD_JSON, NULL },	/* not a number field */
		{ "{\"name\":\"张三\",\"ids\":[99999999999999999999]}", RH_ERR_BAD_JSON, NULL },
		/* a nested object's key is not the schema's field of that name */
		{ "{\"name\":\"张三\",\"extra\":{\"age\":99999999999999999999}}", RH_ERR_BAD_JSON, NULL },
		{ "{\"name\":\"张{[\\\"三\",\"age\":99999999999999999999}", RH_ERR_FIELD_RANGE, "age" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("X6 body %s → %s %s", rows[i].body, rh_error_info(rows[i].err)->code,
		       rows[i].field ? rows[i].field : "");
		struct arena *a = arena_new(1 << 16);
		struct value out[VALIDATE_MAX_FIELDS];
		struct rh_fail fail = { .err = RH_OK };
		enum rh_err rc = validate_json(&sc, rows[i].body, strlen(rows[i].body), 480, a, out, &fail);
		CHECK_INT(rc, rows[i].err);
		if (rows[i].field) CHECK_STR(fail.field, rows[i].field);
		if (rc == RH_OK) CHECK(out[F_NAME].present && utf8_length(out[F_NAME].s) >= 2);
		arena_free(a);
	}
	t_case("X6 typed values come out: enum index, day number, epoch, role set");
	struct arena *a = arena_new(1 << 16);
	struct value out[VALIDATE_MAX_FIELDS];
	const char *body = "{\"name\":\"张三\",\"colour\":\"green\",\"day\":\"1970-01-02\",\"when\":\"1970-01-01T08:00:01+08:00\","
			   "\"roles\":[\"auditor\",\"admin\"],\"ok\":true}";
	CHECK_INT(validate_json(&sc, body, strlen(body), 480, a, out, NULL), RH_OK);
	CHECK_INT(out[F_COLOUR].i, 1);
	CHECK_INT(out[F_DAY].i, 1);
	CHECK_INT(out[F_WHEN].i, 1);
	CHECK_INT(out[F_ROLES].i, RH_ROLE(ROLE_ADMIN) | RH_ROLE(ROLE_AUDITOR));
	CHECK_INT(out[F_OK].i, 1);
	CHECK(!out[F_AGE].present);
	arena_free(a);
	t_case("X1 X6 a list of ids comes out as given, with its length");
	a = arena_new(1 << 16);
	const char *ids = "{\"name\":\"张三\",\"ids\":[7,9007199254740993,2]}";
	CHECK_INT(validate_json(&sc, ids, strlen(ids), 480, a, out, NULL), RH_OK);
	CHECK(out[F_IDS].present && out[F_IDS].i == 3 && out[F_IDS].ids[0] == 7 &&
	      out[F_IDS].ids[1] == 9007199254740993LL && out[F_IDS].ids[2] == 2);
	arena_free(a);
	t_case("X6 a made-up field name is echoed at most 64 bytes, valid UTF-8");
	a = arena_new(1 << 16);
	char big[400] = "{\"name\":\"张三\",\"";
	for (int i = 0; i < 30; i++) strcat(big, "字");
	strcat(big, "\":1}");
	struct rh_fail fail = { .err = RH_OK };
	CHECK_INT(validate_json(&sc, big, strlen(big), 480, a, out, &fail), RH_ERR_FIELD_UNKNOWN);
	CHECK(strlen(fail.field) <= 64 && utf8_valid(fail.field, strlen(fail.field)));
	arena_free(a);
}

static void test_params(void)
{
	static const struct { const char *key, *value; enum rh_err err; } rows[] = {
		{ "age", "30", RH_OK },
		{ "age", "3x", RH_ERR_FIELD_TYPE },
		{ "age", "+30", RH_ERR_FIELD_TYPE },
		{ "age", "99999999999999999999999", RH_ERR_FIELD_RANGE },	/* a number, past 64 bits */
		{ "age", "-99999999999999999999999", RH_ERR_FIELD_RANGE },
		{ "age", "-", RH_ERR_FIELD_TYPE },
		{ "age", "1e3", RH_ERR_FIELD_TYPE },
		{ "age", "200", RH_ERR_FIELD_RANGE },
		{ "ok", "true", RH_OK },
		{ "ok", "yes", RH_ERR_FIELD_TYPE },
		{ "colour", "red", RH_OK },
		{ "colour", "", RH_OK },		/* an empty filter box is no filter */
		{ "roles", "admin,guard", RH_OK },
		{ "roles", "admin,,guard", RH_ERR_FIELD_INVALID },
		{ "roles", "", RH_OK },		/* found in review: an empty set reached handlers */
		{ "age", "", RH_OK },
		{ "day", "2026-10-01", RH_OK },
		{ "nope", "1", RH_ERR_FIELD_UNKNOWN },
		{ "user", "\xc3\x28", RH_ERR_FIELD_INVALID },
	};
	static const struct field qf[] = {
		{ "age", FT_INT, 0, 0, 150, NULL, NULL, NULL, NULL },
		{ "ok", FT_BOOL, 0, 0, 0, NULL, NULL, NULL, NULL },
		{ "colour", FT_ENUM, 0, 0, 0, colours, NULL, NULL, NULL },
		{ "roles", FT_ROLES, 0, 0, 0, NULL, NULL, NULL, NULL },
		{ "day", FT_DATE, 0, 0, 0, NULL, NULL, NULL, NULL },
		{ "user", FT_STRING, 0, 0, 10, NULL, NULL, NULL, NULL },
	};
	static const struct schema qs = SCHEMA(qf);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("X6 query %s=%s → %s", rows[i].key, rows[i].value, rh_error_info(rows[i].err)->code);
		struct arena *a = arena_new(1 << 16);
		struct value out[VALIDATE_MAX_FIELDS];
		struct param p = { rows[i].key, rows[i].value, strlen(rows[i].key), strlen(rows[i].value) };
		CHECK_INT(validate_params(&qs, &p, 1, 480, a, out, NULL), rows[i].err);
		arena_free(a);
	}
	struct arena *a = arena_new(1 << 16);
	struct value out[VALIDATE_MAX_FIELDS];
	t_case("X6 an empty value of any type is no filter at all");
	struct param empty = { "roles", "", 5, 0 };
	CHECK_INT(validate_params(&qs, &empty, 1, 480, a, out, NULL), RH_OK);
	CHECK(!out[3].present);
	t_case("X6 a NUL inside a query value (%%00) is refused, not cut short");
	struct param nul = { "user", "a", 4, 3 };
	CHECK_INT(validate_params(&qs, &nul, 1, 480, a, out, NULL), RH_ERR_FIELD_INVALID);
	t_case("X6 a repeated query parameter is refused");
	struct param two[2] = { { "age", "1", 3, 1 }, { "age", "2", 3, 1 } };
	CHECK_INT(validate_params(&qs, two, 2, 480, a, out, NULL), RH_ERR_FIELD_INVALID);
	arena_free(a);
}

static void test_utf8(void)
{
	static const struct { const char *s; int ok; } rows[] = {
		{ "plain", 1 }, { "中文", 1 }, { "𠀀", 1 }, { "\xc3\x28", 0 }, { "\xe4\xb8", 0 },
		{ "\xed\xa0\x80", 0 }, { "\xc0\xaf", 0 }, { "\xf4\x90\x80\x80", 0 }, { "\xff", 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t_case("utf8_valid row %zu", i);
		CHECK_INT(utf8_valid(rows[i].s, strlen(rows[i].s)), rows[i].ok);
	}
	t_case("utf8_length counts characters, not bytes");
	CHECK_INT(utf8_length("张三abc"), 5);
	t_case("X6 text_trim takes spaces, tabs and ideographic spaces off both ends, not from inside");
	static const struct { const char *in, *out; } trims[] = {
		{ "  幸福里 ", "幸福里" }, { "\t张 三\t", "张 三" }, { "\xe3\x80\x80张三\xe3\x80\x80 ", "张三" },
		{ "   ", "" }, { "", "" }, { "a", "a" }, { "\xc2\xa0张三\xc2\xa0", "张三" },
		{ "\xef\xbb\xbf" "date,kind\n", "date,kind" },	/* a leading BOM (a calendar CSV sent as text), line ends */
		{ "\xe2\x80\x83张三\xe2\x80\x83\r\n", "张三" }, { "张\xe2\x80\x83三", "张\xe2\x80\x83三" },
	};
	for (size_t i = 0; i < sizeof trims / sizeof trims[0]; i++) {
		size_t n = strlen(trims[i].in);
		const char *s = text_trim(trims[i].in, &n);
		CHECK_INT(n, strlen(trims[i].out));
		CHECK(strncmp(s, trims[i].out, n) == 0);
	}
	t_case("X6 the stored value is the trimmed one");
	struct arena *a = arena_new(1 << 12);
	struct value out[VALIDATE_MAX_FIELDS];
	const char *body = "{\"name\":\" 张三 \"}";
	CHECK_INT(validate_json(&sc, body, strlen(body), 480, a, out, NULL), RH_OK);
	CHECK_STR(out[F_NAME].s, "张三");
	arena_free(a);
}

int main(void)
{
	test_json();
	test_params();
	test_utf8();
	return t_done();
}
