/*
 * fuzz_door.c — libFuzzer target for the names people type and ruhu
 * compares: the door a customer types on the public badge page (V3,
 * core/door.c) and the sort key of site names (core/site.c, which SQLite
 * runs as ruhu_sort_key() inside the server).
 *
 * The input is up to three texts separated by newlines — a door, a room,
 * a site name — and two bytes of numbers. Besides crashes and undefined
 * behaviour, what each function promises is checked:
 *   - door_clean(): terminated within its cap at any cap, valid UTF-8 in
 *     gives valid UTF-8 out, and no space or full-width ASCII is left;
 *   - door_match_of(): never claims the appointment link; says a door
 *     names the household (DOOR_BY_ADDRESS) only when it is the
 *     household's building, unit and room (each cleaned, as computed
 *     here; a bare number with its word, 3栋, 2单元), the estate
 *     before them or not, building and unit numbers read without zeros
 *     before them (01栋 is 1栋); a door that is exactly those names it,
 *     and so with a zero before the building's number, and one with a
 *     digit before it (13栋 for 3栋) does not;
 *   - site_sort_key(): terminated within its cap, and "…2栋" sorts before
 *     "…10栋" for any name before the number.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/door.h"
#include "core/site.h"
#include "core/validate.h"

#define PART 600

/* The next text of the input, up to a newline, into out; advances *p. */
static void next_text(const uint8_t **p, const uint8_t *end, char *out)
{
	size_t w = 0;
	while (*p < end && **p != '\n') {
		if (**p != '\0' && w + 1 < PART) out[w++] = (char)**p;
		(*p)++;
	}
	if (*p < end) (*p)++;
	out[w] = '\0';
}

static void check_clean(const char *in)
{
	static const size_t caps[] = { 1, 2, 4, 7, 64, PART };
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		char out[PART];
		memset(out, 'x', sizeof out);
		door_clean(in, out, caps[i]);
		size_t n = strnlen(out, caps[i]);
		if (n >= caps[i]) abort();	/* not terminated within the cap */
		if (utf8_valid(in, strlen(in)) && !utf8_valid(out, n)) abort();	/* a character cut */
		int valid = utf8_valid(in, strlen(in));
		for (size_t k = 0; k < n; k++) {
			const unsigned char *c = (const unsigned char *)out + k;
			if (*c == ' ' || *c == '\t') abort();
			if (!valid) continue;	/* stray bytes side by side may spell anything */
			/* (the terminator stops each test before it reads past) */
			if (c[0] == 0xE3 && c[1] == 0x80 && c[2] == 0x80) abort();	/* U+3000 */
			if (c[0] == 0xEF && ((c[1] == 0xBC && c[2] >= 0x81) || (c[1] == 0xBD && c[2] >= 0x80 && c[2] <= 0x9E)))
				abort();	/* full-width ASCII, U+FF01 … U+FF5E */
		}
	}
}

/* The names of a site path "estate / building / unit", each cleaned as
 * door.c cleans them, computed here on their own; 0 when door.c would
 * refuse the path (a part of 512 bytes or more); with raw, each as it
 * is written. */
static int path_parts(const char *path, char part[3][PART], int *n, char raw[3][PART])
{
	*n = 0;
	for (const char *p = path; *p && *n < 3;) {
		const char *next = strstr(p, " / ");
		size_t len = next ? (size_t)(next - p) : strlen(p);
		if (len >= 512) return 0;
		char name[PART];
		memcpy(name, p, len);
		name[len] = '\0';
		if (raw) memcpy(raw[*n], name, len + 1);
		door_clean(name, part[(*n)++], 512);
		p = next ? next + 3 : p + len;
	}
	return 1;
}

/* s with a building's or unit's number read without the zeros before it
 * (01栋 is 1栋, B01栋 a name), into out: door.c compares doors so. */
static void unpadded(const char *s, char *out, size_t cap)
{
	size_t w = 0, n = strlen(s);
	for (size_t i = 0; i < n && w + 1 < cap; i++) {
		int run_start = s[i] >= '0' && s[i] <= '9' &&
				(i == 0 || !(strchr("0123456789", s[i - 1]) || ((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z')));
		if (run_start) {
			size_t digits = strspn(s + i, "0123456789");
			const char *after = s + i + digits;
			if (strncmp(after, "栋", strlen("栋")) == 0 || strncmp(after, "单元", strlen("单元")) == 0) {
				size_t zeros = strspn(s + i, "0");
				if (zeros == digits) zeros--;
				i += zeros;
			}
		}
		out[w++] = s[i];
	}
	out[w] = '\0';
}

/* Whether a and b are the same door once unpadded(). */
static int same_door(const char *a, const char *b)
{
	char ua[4 * PART], ub[4 * PART];
	unpadded(a, ua, sizeof ua);
	unpadded(b, ub, sizeof ub);
	return strcmp(ua, ub) == 0;
}

/* A name as a door writes it: a bare number with its word after it. */
static void spelled(const char *name, const char *word, char out[PART])
{
	size_t i = strspn(name, "0123456789");
	snprintf(out, PART, "%s%s", name, i > 0 && !name[i] ? word : "");
}

static void check_match(const char *door, const char *room, const char *site)
{
	char d[PART], r[PART], part[3][PART], raw[3][PART], whole[4 * PART], cleaned[4 * PART];
	door_clean(door, d, sizeof d);
	door_clean(room, r, 512);
	enum door_match m = door_match_of(d, room, site);
	if (m > DOOR_BY_ADDRESS) abort();	/* only the appointment's token may say so */
	/* "your home" only for the household's own building, unit and room,
	 * the estate before them or not */
	int n;
	if (m == DOOR_BY_ADDRESS) {
		if (!path_parts(site, part, &n, raw) || n < 1) abort();
		int named = 0;
		/* a building or unit named by a bare number is written with
		 * its word: "3" as 3栋, "2" as 2单元 (never glued on bare) */
		char bw[PART] = "", uw[PART] = "";
		if (n > 1) spelled(part[1], "栋", bw);
		if (n > 2) spelled(part[2], "单元", uw);
		if (n >= 2) {
			snprintf(whole, sizeof whole, "%s%s%s", bw, uw, r);
			named |= same_door(d, whole);
		}
		snprintf(whole, sizeof whole, "%s%s%s%s", part[0], bw, uw, r);
		named |= same_door(d, whole);
		/* or those names as written, one after the other, cleaned as a
		 * door is (an estate 中山路88号 before the room 301) */
		char rbw[PART] = "", ruw[PART] = "";
		if (n > 1) spelled(raw[1], "栋", rbw);
		if (n > 2) spelled(raw[2], "单元", ruw);
		snprintf(whole, sizeof whole, "%s%s%s%s", raw[0], rbw, ruw, room);
		door_clean(whole, cleaned, sizeof cleaned);
		named |= same_door(d, cleaned);
		if (!named) abort();
	}
	/* the household 幸福里 / SITE / 2单元, room ROOM: the door made of its
	 * building, unit and room names it; a digit before it (13栋 for 3栋)
	 * does not */
	char b[PART], u[PART], path[3 * PART + 8], longer[4 * PART + 1];
	door_clean(site, b, sizeof b);
	door_clean("2单元", u, sizeof u);
	/* (a "/" in the name could join the separators around it into
	 * another " / ": the path would not be the one meant) */
	if (!b[0] || !r[0] || strchr(site, '/') || strlen(site) >= 500 || strlen(room) >= 500) return;
	snprintf(path, sizeof path, "幸福里 / %s / 2单元", site);
	char bw[PART];
	spelled(b, "栋", bw);
	snprintf(whole, sizeof whole, "%s%s%s", bw, u, r);
	if (strlen(whole) < PART && door_match_of(whole, room, path) != DOOR_BY_ADDRESS) abort();
	snprintf(longer, sizeof longer, "1%s", whole);
	if (door_match_of(longer, room, path) == DOOR_BY_ADDRESS) abort();
	/* a building named by a number names it written with a zero before */
	snprintf(longer, sizeof longer, "0%s", whole);
	if (strspn(b, "0123456789") == strlen(b) && strlen(longer) < PART &&
	    door_match_of(longer, room, path) != DOOR_BY_ADDRESS)
		abort();
}

static void check_sort_key(const char *name, unsigned a, unsigned b)
{
	static char ka[SITE_SORT_KEY_MAX], kb[SITE_SORT_KEY_MAX];
	memset(ka, 'x', sizeof ka);
	site_sort_key(name, ka, 8);
	if (strnlen(ka, 8) >= 8) abort();
	site_sort_key(name, ka, sizeof ka);
	if (strnlen(ka, sizeof ka) >= sizeof ka) abort();
	/* name, then a number, then 栋: the smaller number first, whatever
	 * the name before it (unless it ends in a digit, which joins the
	 * number, or is too long to be a site name) */
	size_t n = strlen(name);
	if (a == b || (n && name[n - 1] >= '0' && name[n - 1] <= '9') || !utf8_valid(name, n) ||
	    utf8_length(name) > SITE_NAME_MAX - 8)
		return;
	char sa[PART + 32], sb[PART + 32];
	snprintf(sa, sizeof sa, "%s%u栋", name, a < b ? a : b);
	snprintf(sb, sizeof sb, "%s%u栋", name, a < b ? b : a);
	site_sort_key(sa, ka, sizeof ka);
	site_sort_key(sb, kb, sizeof kb);
	if (strcmp(ka, kb) >= 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2) return 0;
	unsigned a = data[0], b = (unsigned)data[1] * 7;
	const uint8_t *p = data + 2, *end = data + size;
	char door[PART], room[PART], site[PART];
	next_text(&p, end, door);
	next_text(&p, end, room);
	next_text(&p, end, site);
	check_clean(door);
	check_match(door, room, site);
	check_sort_key(site, a, b);
	return 0;
}
