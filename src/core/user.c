/*
 * user.c — account field rules and JSON form (see user.h).
 */
#include <ctype.h>
#include <string.h>
#include "core/user.h"

int username_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < USERNAME_MIN || n > USERNAME_MAX) return 0;
	if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0])) return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(c >= 'a' && c <= 'z') && !isdigit(c) && c != '.' && c != '_' && c != '-') return 0;
	}
	return 1;
}

int phone_valid(const char *s)
{
	size_t n = strlen(s), digits = 0;
	if (n < 5 || n > PHONE_MAX) return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c)) digits++;
		else if (!(c == '+' && i == 0) && c != '-' && c != ' ') return 0;
	}
	return digits >= 5;
}

int phone_search_digits(const char *q, char *out, size_t cap)
{
	size_t n = 0, seps = 0;
	for (size_t i = 0; q[i]; i++) {
		unsigned char c = (unsigned char)q[i];
		if (isdigit(c)) {
			if (n + 1 >= cap) return 0;
			out[n++] = (char)c;
		} else if ((c == '+' && i == 0) || c == '-' || c == ' ') {
			seps++;
		} else {
			return 0;
		}
	}
	out[n] = '\0';
	if (!seps || n < 7) return 0;
	size_t cc = strncmp(out, "0086", 4) == 0 ? 4 : strncmp(out, "86", 2) == 0 ? 2 : 0;
	if (cc && n - cc == 11 && out[cc] == '1') memmove(out, out + cc, n - cc + 1);
	return 1;
}

int password_acceptable(const char *s)
{
	size_t chars = 0;
	int lower = 0, upper = 0, digit = 0, other = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		chars += (*p & 0xC0) != 0x80;
		if (islower(*p)) lower = 1;
		else if (isupper(*p)) upper = 1;
		else if (isdigit(*p)) digit = 1;
		else other = 1;
	}
	if (chars < PASSWORD_MIN || chars > PASSWORD_MAX) return 0;
	return lower + upper + digit + other >= 2;
}

const char *user_status_code(enum user_status s)
{
	return s == USER_DISABLED ? "disabled" : "active";
}

int user_status_parse(const char *s, enum user_status *out)
{
	if (strcmp(s, "active") == 0) *out = USER_ACTIVE;
	else if (strcmp(s, "disabled") == 0) *out = USER_DISABLED;
	else return -1;
	return 0;
}

json_t *user_to_json(const struct user *u, enum pii_view phone)
{
	/* Built field by field rather than with json_pack(): this runs for
	 * every row of every account list, and pack parses its format each time. */
	json_t *o = json_object(), *roles = json_array();
	if (!o || !roles) {
		json_decref(o);
		json_decref(roles);
		return NULL;
	}
	for (int r = 0; r < ROLE__COUNT; r++)
		if (u->roles & RH_ROLE(r)) json_array_append_new(roles, json_string(role_info(r)->code));
	json_object_set_new(o, "id", json_integer(u->id));
	json_object_set_new(o, "tenant_id", json_integer(u->tenant_id));
	json_object_set_new(o, "username", json_string(u->username));
	json_object_set_new(o, "display_name", json_string(u->display_name));
	json_object_set_new(o, "roles", roles);
	json_object_set_new(o, "status", json_string(user_status_code(u->status)));
	json_object_set_new(o, "all_sites", json_boolean(!u->sites_limited));
	json_object_set_new(o, "must_change_password", json_boolean(u->must_change_password));
	json_object_set_new(o, "locked_until", json_integer(u->locked_until));
	json_object_set_new(o, "last_login_at", json_integer(u->last_login_at));
	json_object_set_new(o, "created_at", json_integer(u->created_at));
	json_object_set_new(o, "updated_at", json_integer(u->updated_at));
	json_object_set_new(o, "version", json_integer(u->version));
	if (phone != PII_HIDDEN) {
		char masked[PHONE_MAX + 1];
		mask_phone(u->phone, masked, sizeof masked);
		json_object_set_new(o, "phone", !u->phone[0] ? json_null() : json_string(phone == PII_FULL ? u->phone : masked));
	}
	return o;
}
