/*
 * idcard.c — resident ID numbers (see idcard.h).
 */
#include <string.h>
#include "core/idcard.h"
#include "core/mask.h"

static int check_char(const char *s)
{
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char code[] = "10X98765432";
	int sum = 0;
	for (int i = 0; i < 17; i++) sum += (s[i] - '0') * weight[i];
	return code[sum % 11];
}

static int birth(const char *s, rh_day *out)
{
	int y = 0, m = 0, d = 0;
	for (int i = 6; i < 10; i++) y = y * 10 + (s[i] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m)) return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

int idcard_valid(const char *s)
{
	if (strlen(s) != IDCARD_LEN) return 0;
	for (int i = 0; i < 17; i++)
		if (s[i] < '0' || s[i] > '9') return 0;
	char last = s[17] == 'x' ? 'X' : s[17];
	rh_day day;
	return last == check_char(s) && birth(s, &day) == 0;
}

int idcard_normalise(const char *s, char out[IDCARD_LEN + 1])
{
	if (!idcard_valid(s)) return -1;
	memcpy(out, s, IDCARD_LEN + 1);
	if (out[17] == 'x') out[17] = 'X';
	return 0;
}

int idcard_birth(const char *s, rh_day *out)
{
	return idcard_valid(s) ? birth(s, out) : -1;
}

void idcard_mask(const char *s, char out[IDCARD_LEN + 1])
{
	size_t n = strlen(s);
	if (n > IDCARD_LEN) n = IDCARD_LEN;
	for (size_t i = 0; i < n; i++) out[i] = (i < 4 || i + 4 >= n) ? s[i] : '*';
	out[n] = '\0';
}

/* Where one character of an ID number is in a text: [from, to). */
struct id_span {
	const char *from, *to;
};

/* The bytes of what may stand between an ID number's characters: a
 * number's separators (mask_separator_at()), '.' and '/' as well. */
static size_t id_separator_at(const char *p)
{
	char c;
	size_t w = mask_separator_at(p, &c);
	return w ? w : (*p == '.' || *p == '/');
}

/* The ID number that begins at t, if one does: its 18 characters (ASCII)
 * in id, and where each is in the text. Between two of them at most
 * three separators ("110101 - 19900307"); digits may not run on after
 * it. Its check character and birth date make a false match rare. */
static int id_at(const char *t, char id[IDCARD_LEN + 1], struct id_span at[IDCARD_LEN])
{
	const char *p = t;
	char c;
	size_t w;
	for (int k = 0; k < IDCARD_LEN; k++) {
		for (int n = 0; k > 0 && n < 3 && !mask_digit_at(p, &c) && (w = id_separator_at(p)); n++) p += w;
		if ((w = mask_digit_at(p, &c))) id[k] = c;
		else if (k == IDCARD_LEN - 1 && (*p == 'X' || *p == 'x')) id[k] = 'X', w = 1;
		else if (k == IDCARD_LEN - 1 && (!strncmp(p, "\xEF\xBC\xB8", 3) || !strncmp(p, "\xEF\xBD\x98", 3)))
			id[k] = 'X', w = 3;	/* Ｘ, ｘ */
		else return 0;
		at[k] = (struct id_span){ p, p + w };
		p += w;
	}
	id[IDCARD_LEN] = '\0';
	return !mask_digit_at(p, &c) && idcard_valid(id);
}

void idcard_mask_within(const char *text, char *out, size_t len)
{
	if (!len) return;
	size_t o = 0;
	const char *p = text;
	int after_digit = 0;
	char c, id[IDCARD_LEN + 1];
	struct id_span at[IDCARD_LEN];
	while (*p && o + 1 < len) {
		size_t w = mask_digit_at(p, &c);
		if (w && !after_digit && id_at(p, id, at)) {
			/* each character kept or starred as idcard_mask() does,
			 * the separators between them kept */
			for (int k = 0; k < IDCARD_LEN; k++) {
				for (; p < at[k].from && o + 1 < len; p++) out[o++] = *p;
				if (k >= 4 && k < IDCARD_LEN - 4) {
					if (o + 1 < len) out[o++] = '*';
				} else {
					for (const char *q = at[k].from; q < at[k].to && o + 1 < len; q++) out[o++] = *q;
				}
				p = at[k].to;
			}
			after_digit = 0;
			continue;
		}
		after_digit = w != 0;
		size_t n = w ? w : 1;
		for (size_t i = 0; i < n && p[i] && o + 1 < len; i++) out[o++] = p[i];
		p += n;
	}
	out[o] = '\0';
}

int looks_masked(const char *s)
{
	return strchr(s, '*') != NULL;
}
