/*
 * user.h — an account (用户) and the rules for its fields.
 *
 * Accounts are how staff sign in; they belong to one tenant and hold a
 * set of roles (core/role.h). The staff profile of SPEC S1 (ID number,
 * certificates, level …) is a separate record that an account may be
 * linked to; an account carries only what signing in and being shown in
 * the audit trail need. Usernames are unique across the installation, so
 * the login form needs no tenant field.
 */
#ifndef RUHU_USER_H
#define RUHU_USER_H
#include <jansson.h>
#include <stdint.h>
#include "core/mask.h"
#include "core/role.h"

#define USERNAME_MIN 3
#define USERNAME_MAX 32
#define DISPLAY_NAME_MAX 64	/* characters */
#define PHONE_MAX 20
#define PASSWORD_MIN 8
#define PASSWORD_MAX 128

enum user_status { USER_ACTIVE = 0, USER_DISABLED = 1 };

struct user {
	int64_t id;
	int64_t tenant_id;
	char username[USERNAME_MAX + 1];
	char display_name[DISPLAY_NAME_MAX * 4 + 1];
	char phone[PHONE_MAX + 1];	/* "" when unknown */
	rh_roles roles;
	enum user_status status;
	/* SPEC X1: 0 = sees every site of the organisation; 1 = only the
	 * estates granted to it (store_user_sites()). Never 1 for an admin. */
	int sites_limited;
	int must_change_password;
	int failed_logins;
	int64_t locked_until;		/* epoch seconds; 0 = not locked */
	int64_t last_login_at;
	int64_t password_changed_at;
	int64_t created_at;
	int64_t updated_at;
	int64_t version;
};

/* Field rules, shared by the API validators and the CLI, and told to
 * the user when a value breaks them. */
#define USERNAME_RULE_ZH "3–32 个字符：字母（存为小写）、数字及 . _ -，以字母或数字开头"
#define USERNAME_RULE_EN "3–32 characters: letters (kept in lower case), digits and . _ -, starting with a letter or digit"
#define PASSWORD_RULE_ZH "8–128 个字符，至少包含两类：小写字母、大写字母、数字、其他符号"
#define PASSWORD_RULE_EN "8–128 characters of at least two kinds: lower case, upper case, digits, other symbols"
#define PHONE_RULE_ZH "5–20 个字符：数字、空格、- 及开头的 +"
#define PHONE_RULE_EN "5–20 characters: digits, spaces, - and a leading +"
int username_valid(const char *s);	/* [a-z0-9._-], 3–32, starts alphanumeric */
int phone_valid(const char *s);		/* digits with optional + - space, 5–20 */
/* A search typed as a phone with separators — 136-8596-0094, 136 8596
 * 0094, +86 136 8596 0094 — as its digits (a mainland mobile's +86 or
 * 0086 dropped) into out: 1, or 0 when q is not that (no separator, not
 * only digits and separators, fewer than 7 digits, or out too small). */
int phone_search_digits(const char *q, char *out, size_t cap);
int password_acceptable(const char *s);	/* 8–128 characters, not all one class */

const char *user_status_code(enum user_status s);
int user_status_parse(const char *s, enum user_status *out);

/* The account as JSON (never the password hash); the phone hidden,
 * masked or in full (SPEC X5). The caller owns the result (json_decref). */
json_t *user_to_json(const struct user *u, enum pii_view phone);

#endif
