/*
 * mask.h — showing personal data masked (SPEC X5: 居民隐私).
 *
 * Lists, write answers and the audit trail show personal fields masked;
 * the full value is shown only on a record's own page, to a role that
 * needs it, and that view is itself audited (store_audit_view()).
 */
#ifndef RUHU_MASK_H
#define RUHU_MASK_H
#include <stddef.h>

/* How much of a personal field a reader may see. */
enum pii_view {
	PII_HIDDEN,	/* left out of the answer */
	PII_MASKED,	/* 138****8000 */
	PII_FULL,	/* as stored; the caller audits the view */
};

/* Keeps the first 3 and last 4 digits of a phone number (fewer for short
 * numbers) and replaces the rest with '*'. out must hold len bytes. */
void mask_phone(const char *phone, char *out, size_t len);

/* text with every number in it of seven digits or more (ASCII or
 * full-width, with spaces, '-', '+', '_' or '%' between) masked as mask_phone()
 * masks a phone: what a search for a phone or an ID number leaves behind
 * (an export's audit entry) must not hold the number. Other text is kept.
 * out must hold len bytes; the result is never longer than text. */
void mask_numbers(const char *text, char *out, size_t len);

/* What mask_numbers() reads as a number, for other readers of numbers
 * in text (idcard_mask_within()): the bytes of the digit at p (1, or 3
 * for a full-width one) and its ASCII form in *d, 0 when p is none; and
 * the same for a character that may stand between a number's digits
 * (a space, '-', '+', '_', '%', a tab, U+3000 or U+FF0D). */
size_t mask_digit_at(const char *p, char *d);
size_t mask_separator_at(const char *p, char *d);

#endif
