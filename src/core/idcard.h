/*
 * idcard.h — mainland China resident ID numbers (居民身份证号码, GB 11643).
 *
 * 18 characters: a 6-digit area code, the birth date YYYYMMDD, a 3-digit
 * sequence (odd for men) and a check character (0–9 or X) computed by
 * ISO 7064 MOD 11-2. ruhu checks all of it before an ID number is sealed
 * (core/secret.h) and stored, so a typo is caught at the door rather than
 * discovered when a background check fails.
 */
#ifndef RUHU_IDCARD_H
#define RUHU_IDCARD_H
#include "core/date.h"

#define IDCARD_LEN 18
#define IDCARD_RULE_ZH "18 位居民身份证号码（出生日期有效，末位校验码正确）"
#define IDCARD_RULE_EN "an 18-character resident ID number (valid birth date and check digit)"

/* 1 if s is a well-formed ID number (a lower-case x is accepted). */
int idcard_valid(const char *s);

/* The canonical form (upper-case X) into out; 0, or -1 if not valid. */
int idcard_normalise(const char *s, char out[IDCARD_LEN + 1]);

/* The birth date it carries; 0, or -1 if not valid. */
int idcard_birth(const char *s, rh_day *out);

/* 3101**********123X: the area's first four and the last four kept. */
void idcard_mask(const char *s, char out[IDCARD_LEN + 1]);

/* text (up to len - 1 bytes) into out with every ID number in it masked
 * as idcard_mask() masks one: a 特种作业操作证 is numbered by its
 * holder's ID number, alone or behind a letter (T310101…). The number
 * may be typed in full-width digits, and with up to three separators
 * between its characters (110101 19900307 4514, 110101 - …, 110101.…:
 * mask_separator_at(), '.' and '/'), which are kept. Digits that run on
 * either side are not an ID number. out must hold len bytes; the result
 * is never longer than text. */
void idcard_mask_within(const char *text, char *out, size_t len);

/* 1 if s looks like a masked value (holds a '*'): an import that
 * meets one keeps what is stored (an export read back changes nothing). */
int looks_masked(const char *s);

#endif
