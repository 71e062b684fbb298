/*
 * door.c — the door a customer types, and how much of a household it
 * names (see door.h).
 */
#include <stdio.h>
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

static int is_digit(char c) { return c >= '0' && c <= '9'; }

#define DONG "\xE6\xA0\x8B"		/* 栋 */
#define DANYUAN "\xE5\x8D\x95\xE5\x85\x83"	/* 单元 */

/* The other ways a building and a unit are written, after a number, made
 * 栋 and 单元: 8号楼, 8幢, 8座, 8# and 8号 before more digits (8号3单元)
 * are the building 8栋; 3门 before digits or at the end (Beijing's
 * 3号楼2门501, a unit recorded as 2门) is the unit 3单元. Left as it is
 * when the result would not fit. */
static void same_words(char *s, size_t cap)
{
	static const struct {
		const char *word, *as;
		int before_digit;	/* 1: only when a digit follows; 2: or at the end (a unit named 2门) */
	} words[] = {
		{ "\xE5\x8F\xB7\xE6\xA5\xBC", DONG, 0 },	/* 号楼 */
		{ "\xE5\xB9\xA2", DONG, 0 },			/* 幢 */
		{ "\xE5\xBA\xA7", DONG, 0 },			/* 座 */
		{ "#", DONG, 0 },
		{ "\xE5\x8F\xB7", DONG, 1 },			/* 号 */
		{ "\xE9\x97\xA8", DANYUAN, 2 },		/* 门 */
	};
	char t[512];
	size_t w = 0, n = strlen(s);
	if (n >= sizeof t) return;
	for (size_t i = 0; i < n;) {
		/* a word after a number, standing where it may: what it is made */
		const char *as = NULL;
		size_t len = 1;
		for (size_t k = 0; i > 0 && is_digit(s[i - 1]) && !as && k < sizeof words / sizeof words[0]; k++) {
			size_t wl = strlen(words[k].word);
			if (strncmp(s + i, words[k].word, wl) != 0) continue;
			char next = s[i + wl];	/* the word is there: s goes on at least to its end */
			if (!words[k].before_digit || is_digit(next) || (words[k].before_digit == 2 && !next))
				as = words[k].as, len = wl;
		}
		size_t put_n = as ? strlen(as) : 1;
		if (w + put_n >= sizeof t) return;
		memcpy(t + w, as ? as : s + i, put_n);
		w += put_n;
		i += len;
	}
	t[w] = '\0';
	if (w < cap) memcpy(s, t, w + 1);
}

/* Numbers joined by dashes at the end: 3-2-501 is 3栋2单元501, 3-501 is
 * 3栋501 (the building and the room). Only digits before the room, which
 * may carry letters (3-2-501A); what comes before the numbers (an estate)
 * stays. */
static void dashes(char *s, size_t cap)
{
	size_t n = strlen(s), start = n;
	int parts = 1;
	/* back from the end: the room, then up to two numbers before it */
	while (start > 0 && (is_digit(s[start - 1]) || (s[start - 1] >= 'A' && s[start - 1] <= 'Z') ||
			     (s[start - 1] >= 'a' && s[start - 1] <= 'z')))
		start--;
	if (start == n) return;
	size_t room = start, dash[2];
	while (parts < 3 && start > 1 && s[start - 1] == '-' && is_digit(s[start - 2])) {
		dash[parts - 1] = start - 1;
		start--;
		while (start > 0 && is_digit(s[start - 1])) start--;
		parts++;
	}
	if (parts == 1 || (start > 0 && (is_digit(s[start - 1]) || s[start - 1] == '-'))) return;
	char t[512];
	/* parts 2: PREFIX B - R; parts 3: PREFIX B - U - R (dash[1] is B's) */
	size_t b_end = dash[parts - 2], w = 0;
	int ok = snprintf(t, sizeof t, "%.*s" DONG, (int)b_end, s) < (int)sizeof t;
	w = strlen(t);
	if (ok && parts == 3)
		ok = snprintf(t + w, sizeof t - w, "%.*s" DANYUAN, (int)(dash[0] - b_end - 1), s + b_end + 1) <
		     (int)(sizeof t - w);
	w = strlen(t);
	ok = ok && snprintf(t + w, sizeof t - w, "%s", s + room) < (int)(sizeof t - w);
	if (ok && strlen(t) < cap) memcpy(s, t, strlen(t) + 1);
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
	same_words(out, cap);
	dashes(out, cap);
}

#define PART_MAX 512	/* a site name (64 characters) or a room, cleaned */

/* A building or unit number written with zeros before it is the same
 * number: 01栋02单元302 is 1栋2单元302. Into out (at least as long as
 * s), the zeros dropped from a run of digits before 栋 or 单元, one digit
 * kept; not from one that goes on after a Latin letter (B01栋 stays: a
 * name, not a padded number). The room is left as it is: 0302 may be
 * the flat's real number. Done to the door and to what it is compared
 * with alike. */
static void unpad(const char *s, char *out)
{
	size_t w = 0;
	for (size_t i = 0; s[i];) {
		int starts = is_digit(s[i]) && (i == 0 || !((s[i - 1] >= '0' && s[i - 1] <= '9') ||
							  (s[i - 1] >= 'A' && s[i - 1] <= 'Z') ||
							  (s[i - 1] >= 'a' && s[i - 1] <= 'z')));
		if (!starts) {
			out[w++] = s[i++];
			continue;
		}
		size_t end = i;
		while (is_digit(s[end])) end++;
		if (strncmp(s + end, DONG, 3) == 0 || strncmp(s + end, DANYUAN, 6) == 0)
			while (i + 1 < end && s[i] == '0') i++;
		while (i < end) out[w++] = s[i++];
	}
	out[w] = '\0';
}

/* Whether a door, with unpad() done, is whole with unpad() done. */
static int same(const char *door, const char *whole)
{
	char w[4 * PART_MAX];
	if (strlen(whole) >= sizeof w) return 0;
	unpad(whole, w);
	return strcmp(door, w) == 0;
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

/* How a building or unit name is written on a door: as it is, but a bare
 * number only with its word — a unit named "2" is 2单元 (as in a door typed
 * 3-2-501). Glued on as it is, "2" before the room 501 reads as the room
 * 2501, another flat: "3栋2501" must not be taken for 3栋2单元501. Returns
 * 1, or 0 when there is no name (or it would not fit). */
static int spelling(const char *name, const char *word, char out[PART_MAX])
{
	if (!name) return 0;
	size_t i = 0;
	while (is_digit(name[i])) i++;
	return snprintf(out, PART_MAX, "%s%s", name, i > 0 && !name[i] ? word : "") < PART_MAX;
}

/* Whether door is the parts given (NULL: none) written one after the
 * other and cleaned as a door is. Cleaned together they read as the door
 * does where cleaned apart they would not: an estate named by its street
 * number, 中山路88号, loses its 号 alone (as 301号 does), but before the
 * room's digits the 号 reads as a building word, in the door and here. */
static int is_door(const char *door, const char *a, const char *b, const char *c, const char *d)
{
	char whole[4 * PART_MAX], cleaned[4 * PART_MAX];
	if (!join(whole, sizeof whole, a, b, c, d)) return 0;
	door_clean(whole, cleaned, sizeof cleaned);
	return same(door, cleaned);
}

enum door_match door_match_of(const char *door, const char *room, const char *site_path)
{
	/* the room and each name of the path, cleaned as the door was: the
	 * door must be whole parts of them, never the tail of one */
	char r[PART_MAX], part[3][PART_MAX] = { "", "", "" }, raw[3][PART_MAX] = { "", "", "" };
	door_clean(room, r, sizeof r);
	if (!door[0] || !r[0] || strlen(door) >= 4 * PART_MAX) return DOOR_NOT_EXPECTED;
	char du[4 * PART_MAX];
	unpad(door, du);
	door = du;
	int n = 0;
	for (const char *p = site_path; *p && n < 3;) {
		const char *next = strstr(p, " / ");
		size_t len = next ? (size_t)(next - p) : strlen(p);
		if (len >= PART_MAX) return DOOR_NOT_EXPECTED;
		memcpy(raw[n], p, len);
		raw[n][len] = '\0';
		door_clean(raw[n], part[n], PART_MAX);
		n++;
		p = next ? next + 3 : p + len;
	}
	const char *estate = n > 0 ? part[0] : NULL;
	char bs[PART_MAX], us[PART_MAX], whole[4 * PART_MAX];
	const char *building = spelling(n > 1 ? part[1] : NULL, DONG, bs) ? bs : NULL,
		   *unit = spelling(n > 2 ? part[2] : NULL, DANYUAN, us) ? us : NULL;
	if ((n > 1 && !building) || (n > 2 && !unit)) return DOOR_NOT_EXPECTED;
	/* named: building, unit and room, the estate before them or not;
	 * an estate without buildings: estate and room */
	if (building && ((join(whole, sizeof whole, building, unit, r, NULL) && same(door, whole)) ||
			 (join(whole, sizeof whole, estate, building, unit, r) && same(door, whole))))
		return DOOR_BY_ADDRESS;
	if (!building && estate && join(whole, sizeof whole, estate, r, NULL, NULL) && same(door, whole))
		return DOOR_BY_ADDRESS;
	/* the same, written together as the customer did (is_door) */
	char rbs[PART_MAX], rus[PART_MAX];
	const char *rb = spelling(n > 1 ? raw[1] : NULL, DONG, rbs) ? rbs : NULL,
		   *ru = spelling(n > 2 ? raw[2] : NULL, DANYUAN, rus) ? rus : NULL;
	if (building && rb && (n < 3 || ru) && is_door(door, raw[0], rb, ru, room)) return DOOR_BY_ADDRESS;
	if (!building && estate && is_door(door, raw[0], room, NULL, NULL)) return DOOR_BY_ADDRESS;
	/* a number: the room, the unit and room — every building has one —
	 * or the building and room without the unit: every unit of the
	 * building may have that room; each with the estate before it or not
	 * (幸福里502: every building of 幸福里 may have a 502) */
	if (same(door, r)) return DOOR_BY_NUMBER;
	if (unit && join(whole, sizeof whole, unit, r, NULL, NULL) && same(door, whole)) return DOOR_BY_NUMBER;
	if (building && estate &&
	    ((join(whole, sizeof whole, estate, r, NULL, NULL) && same(door, whole)) ||
	     (unit && join(whole, sizeof whole, estate, unit, r, NULL) && same(door, whole)) ||
	     is_door(door, raw[0], room, NULL, NULL) || (ru && is_door(door, raw[0], ru, room, NULL))))
		return DOOR_BY_NUMBER;
	if (building && unit &&
	    ((join(whole, sizeof whole, building, r, NULL, NULL) && same(door, whole)) ||
	     (join(whole, sizeof whole, estate, building, r, NULL) && same(door, whole))))
		return DOOR_BY_NUMBER;
	return DOOR_NOT_EXPECTED;
}
