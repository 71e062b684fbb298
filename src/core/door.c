/*
 * door.c — the door a customer types, and how much of a household it
 * names (see door.h).
 */
#include <string.h>
#include "core/door.h"

/* Appends n bytes of s to out (at *w, cap bytes) if they fit whole. */
static int put(char *out, size_t cap, size_t *w, const char *s, size_t n)
{
	if (*w + n >= cap) return 0;
	memcpy(out + *w, s, n);
	*w += n;
	return 1;
}

void door_clean(const char *in, char *out, size_t cap)
{
	size_t w = 0;
	if (cap == 0) return;
	for (const unsigned char *p = (const unsigned char *)in; *p;) {
		if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
			unsigned cp = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
			if (cp == 0x3000) {	/* the ideographic space */
				p += 3;
				continue;
			}
			if (cp >= 0xFF01 && cp <= 0xFF5E) {	/* full-width ASCII: ３ → 3 */
				char c = (char)(cp - 0xFEE0);
				if (!put(out, cap, &w, &c, 1)) break;
				p += 3;
				continue;
			}
		}
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (p[0] == 0xC2 && p[1] == 0xA0) {	/* a no-break space */
			p += 2;
			continue;
		}
		size_t n = *p < 0x80 ? 1 : (*p >> 5) == 0x6 ? 2 : (*p >> 4) == 0xE ? 3 : (*p >> 3) == 0x1E ? 4 : 1;
		for (size_t k = 1; k < n; k++)
			if ((p[k] & 0xC0) != 0x80) n = k;	/* a character cut short: kept as it is, and what follows read on its own */
		if (!put(out, cap, &w, (const char *)p, n)) break;
		p += n;
	}
	out[w] = '\0';
	/* "301室", "301号": the room is the digits */
	static const char *const after_room[] = { "\xE5\xAE\xA4", "\xE5\x8F\xB7" };	/* 室 号 */
	for (size_t i = 0; i < 2; i++)
		if (w > 3 && memcmp(out + w - 3, after_room[i], 3) == 0 && out[w - 4] >= '0' && out[w - 4] <= '9') {
			w -= 3;
			out[w] = '\0';
			break;
		}
}

/* Joins the parts given (NULL: none) into out; 0 when they do not fit. */
static int join(char *out, size_t cap, const char *a, const char *b, const char *c, const char *d)
{
	size_t w = 0;
	const char *parts[] = { a, b, c, d };
	for (int i = 0; i < 4; i++)
		if (parts[i] && !put(out, cap, &w, parts[i], strlen(parts[i]))) return 0;
	out[w] = '\0';
	return 1;
}

#define PART_MAX 512	/* a site name (64 characters) or a room, cleaned */

enum door_match door_match_of(const char *door, const char *room, const char *site_path)
{
	/* the room and each name of the path, cleaned as the door was: the
	 * door must be whole parts of them, never the tail of one */
	char r[PART_MAX], part[3][PART_MAX] = { "", "", "" }, name[PART_MAX];
	door_clean(room, r, sizeof r);
	if (!door[0] || !r[0]) return DOOR_NOT_EXPECTED;
	int n = 0;
	for (const char *p = site_path; *p && n < 3;) {
		const char *next = strstr(p, " / ");
		size_t len = next ? (size_t)(next - p) : strlen(p);
		if (len >= sizeof name) return DOOR_NOT_EXPECTED;
		memcpy(name, p, len);
		name[len] = '\0';
		door_clean(name, part[n++], PART_MAX);
		p = next ? next + 3 : p + len;
	}
	const char *estate = n > 0 ? part[0] : NULL, *building = n > 1 ? part[1] : NULL, *unit = n > 2 ? part[2] : NULL;
	char whole[4 * PART_MAX];
	/* named: building, unit and room, the estate before them or not;
	 * an estate without buildings: estate and room */
	if (building && join(whole, sizeof whole, building, unit, r, NULL) && strcmp(door, whole) == 0)
		return DOOR_BY_ADDRESS;
	if (estate && join(whole, sizeof whole, estate, building, unit, r) && strcmp(door, whole) == 0)
		return DOOR_BY_ADDRESS;
	/* a number: the room, or the unit and room — every building has one */
	if (strcmp(door, r) == 0) return DOOR_BY_NUMBER;
	if (unit && join(whole, sizeof whole, unit, r, NULL, NULL) && strcmp(door, whole) == 0) return DOOR_BY_NUMBER;
	return DOOR_NOT_EXPECTED;
}
