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
