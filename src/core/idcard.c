/*
 * idcard.c — resident ID numbers (see idcard.h).
 */
#include <string.h>
#include "core/idcard.h"

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

static int is_digit(char c) { return c >= '0' && c <= '9'; }

void idcard_mask_within(const char *text, char *out, size_t len)
{
	if (!len) return;
	size_t n = strlen(text), o = 0;
	for (size_t i = 0; i < n && o + 1 < len;) {
		char id[IDCARD_LEN + 1];
		int here = i + IDCARD_LEN <= n && (i == 0 || !is_digit(text[i - 1])) &&
			   (i + IDCARD_LEN == n || !is_digit(text[i + IDCARD_LEN]));
		if (here) {
			memcpy(id, text + i, IDCARD_LEN);
			id[IDCARD_LEN] = '\0';
			here = idcard_valid(id);
		}
		if (!here) {
			out[o++] = text[i++];
			continue;
		}
		idcard_mask(id, id);
		for (size_t k = 0; k < IDCARD_LEN && o + 1 < len; k++) out[o++] = id[k];
		i += IDCARD_LEN;
	}
	out[o] = '\0';
}

int looks_masked(const char *s)
{
	return strchr(s, '*') != NULL;
}
