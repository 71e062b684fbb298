/*
 * digits.c — the six-digit windows a search for a number goes by (see
 * digits.h for why, and for the two stores' forms).
 */
#include <stdio.h>
#include <string.h>
#include "core/digits.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int digits_only(const char *q)
{
	if (!*q) return 0;
	for (; *q; q++)
		if (!is_digit(*q)) return 0;
	return 1;
}

size_t digit_windows_text(const char *text, char *out, size_t cap)
{
	size_t need = 0, written = 0;	/* written: whole windows only */
	for (const char *p = text; *p;) {
		if (!is_digit(*p)) {
			p++;
			continue;
		}
		const char *run = p;
		while (is_digit(*p)) p++;
		size_t len = (size_t)(p - run);
		if (len < DIGIT_NUMBER_MIN) continue;
		for (size_t i = 0; i + DIGIT_WINDOW <= len; i += 2) {
			size_t at = need + (need > 0);	/* a space between windows */
			if (at + DIGIT_WINDOW < cap) {
				if (need > 0) out[need] = ' ';
				memcpy(out + at, run + i, DIGIT_WINDOW);
				written = at + DIGIT_WINDOW;
			}
			need = at + DIGIT_WINDOW;
		}
	}
	if (cap > 0) out[written] = '\0';
	return need;
}

/* Appends q's distinct windows at offsets of parity odd, side by side. */
static size_t match_set(const char *q, size_t n, int odd, char *out)
{
	size_t used = 0;
	for (size_t i = (size_t)odd; i + DIGIT_WINDOW <= n; i += 2) {
		int seen = 0;	/* a window already asked for adds nothing */
		for (size_t k = (size_t)odd; k < i && !seen; k += 2) seen = memcmp(q + k, q + i, DIGIT_WINDOW) == 0;
		if (seen) continue;
		if (used) out[used++] = ' ';	/* FTS5: words side by side must all be there */
		memcpy(out + used, q + i, DIGIT_WINDOW);
		used += DIGIT_WINDOW;
	}
	return used;
}

int digit_windows_match(const char *q, char *out, size_t cap)
{
	size_t n = strlen(q);
	if (n < DIGIT_NUMBER_MIN || !digits_only(q) || cap < 7 * n + 16) return 0;
	size_t used = 0;
	out[used++] = '(';
	used += match_set(q, n, 0, out + used);
	memcpy(out + used, ") OR (", 6);
	used += 6;
	used += match_set(q, n, 1, out + used);
	out[used++] = ')';
	out[used] = '\0';
	return 1;
}

void digit_windows_array(const char *q, int odd, char *out, size_t cap)
{
	size_t n = strlen(q), used = 1;
	out[0] = '{';
	for (size_t i = (size_t)odd; i + DIGIT_WINDOW <= n; i += 2) {
		int v = 0;
		for (size_t k = i; k < i + DIGIT_WINDOW; k++) v = v * 10 + (q[k] - '0');
		char one[16];
		int len = snprintf(one, sizeof one, "%s%d", used > 1 ? "," : "", v);
		if (used + (size_t)len + 2 > cap) break;
		memcpy(out + used, one, (size_t)len);
		used += (size_t)len;
	}
	memcpy(out + used, "}", 2);
}
