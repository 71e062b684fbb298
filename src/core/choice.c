/*
 * choice.c — fixed lists of codes and labels (see choice.h).
 */
#include <string.h>
#include <strings.h>
#include "core/choice.h"

/* text without surrounding ASCII spaces: [*start, *start + *len). */
static void trimmed(const char *text, const char **start, size_t *len)
{
	while (*text == ' ' || *text == '\t') text++;
	size_t n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t')) n--;
	*start = text;
	*len = n;
}

static int same(const char *name, const char *s, size_t len)
{
	return name && strlen(name) == len && strncasecmp(name, s, len) == 0;
}

static int find(const struct choice_set *s, const char *p, size_t len)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct choice *c = &s->items[i];
		if (same(c->code, p, len) || same(c->zh, p, len) || same(c->en, p, len) || same(c->alias, p, len))
			return (int)i;
	}
	return -1;
}

int choice_parse(const struct choice_set *s, const char *text)
{
	const char *p;
	size_t len;
	trimmed(text, &p, &len);
	return len ? find(s, p, len) : -1;
}

int choice_parse_or(const struct choice_set *s, const char *text, int def)
{
	int i = choice_parse(s, text);
	return i < 0 ? def : i;
}

const char *choice_code(const struct choice_set *s, int i)
{
	return i >= 0 && (size_t)i < s->n ? s->items[i].code : "";
}

const char *choice_label(const struct choice_set *s, int i, int en)
{
	if (i < 0 || (size_t)i >= s->n) return "";
	return en ? s->items[i].en : s->items[i].zh;
}

/* The length of a separator at p, or 0. */
static size_t separator(const char *p)
{
	static const char *const seps[] = { ",", ";", "，", "、", "；", NULL };
	for (int i = 0; seps[i]; i++)
		if (strncmp(p, seps[i], strlen(seps[i])) == 0) return strlen(seps[i]);
	return 0;
}

size_t choice_item_len(const char *p)
{
	size_t len = 0;
	while (p[len] && !separator(p + len)) len++;
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
	return len;
}

int choice_parse_set(const struct choice_set *s, const char *text, unsigned *out, size_t *bad_at)
{
	unsigned set = 0;
	const char *p = text;
	while (*p) {
		size_t sep = separator(p);
		if (sep || *p == ' ' || *p == '\t') {
			p += sep ? sep : 1;
			continue;
		}
		const char *start = p;
		size_t len = choice_item_len(start);
		while (*p && !separator(p)) p++;
		int i = find(s, start, len);
		if (i < 0 || i > 31) {
			*bad_at = (size_t)(start - text);
			return -1;
		}
		set |= 1u << i;
	}
	*out = set;
	return 0;
}

int yes_no_parse(const char *text)
{
	static const char *const yes[] = { "是", "有", "1", "yes", "y", "true", "√", "Y", NULL };
	static const char *const no[] = { "否", "无", "0", "no", "n", "false", "×", "", NULL };
	const char *p;
	size_t len;
	trimmed(text, &p, &len);
	for (int i = 0; yes[i]; i++)
		if (same(yes[i], p, len)) return 1;
	for (int i = 0; no[i]; i++)
		if (same(no[i], p, len)) return 0;
	return -1;
}
