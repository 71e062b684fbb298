/*
 * mask.c — masking personal data (see mask.h).
 */
#include <string.h>
#include "core/mask.h"

void mask_phone(const char *phone, char *out, size_t len)
{
	size_t n = strlen(phone), digits = 0, keep_head = 3, keep_tail = 4;
	for (size_t i = 0; i < n; i++) digits += phone[i] >= '0' && phone[i] <= '9';
	/* Head and tail are kept only where enough is left hidden between
	 * them: 3 + 4 of an 8-digit local number (62345678) would show all
	 * but one digit. */
	if (n < 8 || digits < 8) keep_head = 0, keep_tail = n > 2 ? 2 : 0;
	else if (digits < 11) keep_head = 0;
	size_t i = 0;
	for (; i < n && i + 1 < len; i++)
		out[i] = (i < keep_head || i >= n - keep_tail || phone[i] == ' ' || phone[i] == '-') ? phone[i] : '*';
	out[i] = '\0';
}

size_t mask_digit_at(const char *p, char *d)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] >= '0' && u[0] <= '9') {
		*d = (char)u[0];
		return 1;
	}
	if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
		*d = (char)('0' + (u[2] - 0x90));
		return 3;
	}
	return 0;
}

/* '_' and '%' are separators too: the household search drops them, so
 * 138_0013_8000 finds the phone 13800138000. The same as the UI's
 * personal() in web/js/list.js, which keeps such a search out of the
 * address. */
size_t mask_separator_at(const char *p, char *d)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] == ' ' || u[0] == '-' || u[0] == '+' || u[0] == '_' || u[0] == '%' || u[0] == '\t') {
		*d = (char)u[0];
		return 1;
	}
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) {	/* the ideographic space */
		*d = ' ';
		return 3;
	}
	if (u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8D) {	/* the full-width hyphen */
		*d = '-';
		return 3;
	}
	return 0;
}

void mask_numbers(const char *text, char *out, size_t len)
{
	size_t o = 0;
	const char *p = text;
	char d;
	while (*p && o + 1 < len) {
		if (!mask_digit_at(p, &d) && !(*p == '+' && mask_digit_at(p + 1, &d))) {
			out[o++] = *p++;
			continue;
		}
		/* A number: its digits (made ASCII) and the separators between
		 * them, up to its last digit. */
		char run[128], masked[128];
		size_t n = 0, end = 0, digits = 0, w;
		const char *q = p, *q_end = p;
		while (n + 1 < sizeof run) {
			if ((w = mask_digit_at(q, &d))) {
				run[n++] = d;
				q += w;
				digits++;
				end = n;
				q_end = q;
			} else if ((w = mask_separator_at(q, &d))) {
				run[n++] = d;
				q += w;
			} else {
				break;
			}
		}
		run[end] = '\0';
		const char *from = p;
		size_t from_len = (size_t)(q_end - p);
		if (digits >= 7) {
			mask_phone(run, masked, sizeof masked);
			from = masked;
			from_len = strlen(masked);	/* never longer than the bytes it stands for */
		}
		for (size_t i = 0; i < from_len && o + 1 < len; i++) out[o++] = from[i];
		p = q_end;
	}
	if (len) out[o] = '\0';
}
