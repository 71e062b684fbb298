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
		size_t n = *p < 0x80 ? 1 : (*p >> 5) == 0x6 ? 2 : (*p >> 4) == 0xE ? 3 : (*p >> 3) == 0x1E ? 4 : 1;
		for (size_t k = 1; k < n; k++)
			if (!p[k]) n = k;	/* a character cut short: kept as it is */
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

/* Appends s to out without its spaces; 0 when it does not fit. */
static int put_unspaced(char *out, size_t cap, size_t *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && !put(out, cap, w, s + i, 1)) return 0;
	return 1;
}

enum door_match door_match_of(const char *door, const char *room, const char *site_path)
{
	/* what names this household: the path after its estate (or the
	 * estate alone), then the room, all without spaces */
	char key[1024], bare[256];
	size_t w = 0, r = 0;
	if (!door[0] || !put_unspaced(bare, sizeof bare, &r, room, strlen(room)) || r == 0) return DOOR_NOT_EXPECTED;
	bare[r] = '\0';
	const char *sep = " / ";
	const char *after_estate = strstr(site_path, sep);
	for (const char *p = after_estate ? after_estate + strlen(sep) : site_path; *p;) {
		const char *next = strstr(p, sep);
		size_t n = next ? (size_t)(next - p) : strlen(p);
		if (!put_unspaced(key, sizeof key, &w, p, n)) return DOOR_NOT_EXPECTED;
		p = next ? next + strlen(sep) : p + n;
	}
	int named = w > 0;	/* the household has a site to name it by */
	if (!put(key, sizeof key, &w, bare, r)) return DOOR_NOT_EXPECTED;
	key[w] = '\0';
	size_t dn = strlen(door);
	if (named && dn >= w && memcmp(door + dn - w, key, w) == 0) return DOOR_BY_ADDRESS;
	/* the room, with at most part of what comes before it: "501", "2单元501" */
	if (dn >= r && dn <= w && memcmp(key + w - dn, door, dn) == 0 && memcmp(door + dn - r, bare, r) == 0)
		return DOOR_BY_NUMBER;
	return DOOR_NOT_EXPECTED;
}
