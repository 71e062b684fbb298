/*
 * site.c — the site tree's nodes (see site.h).
 */
#include <stdio.h>
#include <string.h>
#include "core/site.h"
#include "core/validate.h"

static const struct choice kinds[] = {
	{ "estate", "小区", "Estate", "项目" },
	{ "building", "楼栋", "Building", "楼" },
	{ "unit", "单元", "Unit", NULL },
};
const char *const site_kind_codes[] = { "estate", "building", "unit", NULL };
const struct choice_set site_kind_set = CHOICE_SET(kinds, site_kind_codes);

int site_child_kind(enum site_kind parent, enum site_kind *out)
{
	if (parent == SITE_UNIT) return -1;
	*out = parent == SITE_ESTATE ? SITE_BUILDING : SITE_UNIT;
	return 0;
}

void site_sort_key(const char *name, char *out, size_t cap)
{
	size_t w = 0;
	if (cap == 0) return;
	for (const char *p = name; *p;) {
		size_t run = 0;
		while (p[run] >= '0' && p[run] <= '9') run++;
		size_t pad = run > 0 && run < SITE_SORT_DIGITS ? SITE_SORT_DIGITS - run : 0;
		size_t len = run > 0 ? run : 1;
		if (w + pad + len >= cap) break;
		memset(out + w, '0', pad);
		memcpy(out + w + pad, p, len);
		w += pad + len;
		p += len;
	}
	out[w] = '\0';
}

void site_display_address(const struct site *s, char *out, size_t cap)
{
	/* Written as Chinese addresses are, without spaces:
	 * 上海市浦东新区张杨路1号幸福里3栋2单元. */
	/* 上海市 is province and city at once: written once. */
	const char *city = strcmp(s->city, s->province) == 0 ? "" : s->city;
	size_t n = (size_t)snprintf(out, cap, "%s%s%s%s%s", s->province, city, s->district, s->street, s->address);
	for (const char *p = s->path; *p && n + 1 < cap; p++) {
		if (strncmp(p, " / ", 3) == 0) {
			p += 2;
			continue;
		}
		out[n++] = *p;
	}
	if (n < cap) out[n] = '\0';
}

void site_door_address(const struct site *s, const char *room, size_t max, char *out, size_t cap)
{
	char tail[sizeof s->path + 4 * 32 + 1];	/* the path's names and the room (ROOM_MAX characters) */
	size_t t = 0;
	for (const char *p = s->path; *p && t + 1 < sizeof tail; p++) {
		if (strncmp(p, " / ", 3) == 0) {
			p += 2;
			continue;
		}
		tail[t++] = *p;
	}
	tail[t] = '\0';
	snprintf(tail + t, sizeof tail - t, "%s", room);
	const char *region[] = { s->province, strcmp(s->city, s->province) == 0 ? "" : s->city, s->district, s->street,
				 s->address };
	size_t nregion = sizeof region / sizeof region[0];
	for (size_t first = 0; first <= nregion; first++) {
		size_t n = 0;
		for (size_t i = first; i < nregion; i++) n += utf8_length(region[i]);
		if (n + utf8_length(tail) > max && first < nregion) continue;
		size_t w = 0;
		for (size_t i = first; i < nregion && w < cap; i++) w += (size_t)snprintf(out + w, cap - w, "%s", region[i]);
		if (w >= cap) break;
		/* the tail alone still too long: its last max characters */
		const char *from = tail;
		for (size_t over = utf8_length(tail) > max ? utf8_length(tail) - max : 0; over > 0; over--) {
			from++;
			while (((unsigned char)*from & 0xC0) == 0x80) from++;
		}
		snprintf(out + w, cap - w, "%s", from);
		return;
	}
	if (cap) out[0] = '\0';	/* cap too small for what fits in max */
}

json_t *site_to_json(const struct site *s)
{
	char display[sizeof s->path + 5 * sizeof s->province + sizeof s->address];
	site_display_address(s, display, sizeof display);
	json_t *o = json_object();
	if (!o) return NULL;
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "parent_id", json_integer(s->parent_id));
	json_object_set_new(o, "kind", json_string(choice_code(&site_kind_set, (int)s->kind)));
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "code", json_string(s->code));
	json_object_set_new(o, "province", json_string(s->province));
	json_object_set_new(o, "city", json_string(s->city));
	json_object_set_new(o, "district", json_string(s->district));
	json_object_set_new(o, "street", json_string(s->street));
	json_object_set_new(o, "address", json_string(s->address));
	json_object_set_new(o, "path", json_string(s->path));
	json_object_set_new(o, "display_address", json_string(display));
	json_object_set_new(o, "children", json_integer(s->children));
	json_object_set_new(o, "households", json_integer(s->households));
	json_object_set_new(o, "created_at", json_integer(s->created_at));
	json_object_set_new(o, "updated_at", json_integer(s->updated_at));
	json_object_set_new(o, "version", json_integer(s->version));
	return o;
}
