/*
 * mask.c — masking personal data (see mask.h).
 */
#include <string.h>
#include "core/mask.h"

void mask_phone(const char *phone, char *out, size_t len)
{
	size_t n = strlen(phone), keep_head = 3, keep_tail = 4;
	if (n < 8) keep_head = 0, keep_tail = n > 2 ? 2 : 0;
	size_t i = 0;
	for (; i < n && i + 1 < len; i++)
		out[i] = (i < keep_head || i >= n - keep_tail || phone[i] == ' ' || phone[i] == '-') ? phone[i] : '*';
	out[i] = '\0';
}
