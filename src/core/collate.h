/*
 * collate.h — the order people's names are listed in: pinyin (按拼音排序),
 * as a Chinese address book or Excel lists them, not Unicode's order by
 * radical and stroke, which reads as random to a Chinese user.
 *
 * A name's key is its GB18030 bytes, compared byte by byte. GB2312's
 * 3,755 level-1 hanzi — the common surnames and given-name characters —
 * are numbered there in pinyin order, and ASCII comes before them. The
 * rarer characters are not: GB2312's level 2 follows level 1 by radical,
 * and those GBK and GB18030 added come before it (喆 before 阿). That is
 * the usual practice of Chinese databases (MySQL's ORDER BY CONVERT(name
 * USING gbk)); ordering them too would take a pinyin table of some
 * 20,000 entries. PostgreSQL's convert_to(name, 'GB18030') gives the same
 * key, so both stores list alike (store/store_internal.h, NAME_KEY) — but
 * for the few characters GB18030-2022 moved, should the C library follow
 * 2022 while PostgreSQL keeps 2005 (the vertical punctuation forms
 * U+FE10–FE19 and some rare hanzi): those names may list apart.
 */
#ifndef RUHU_COLLATE_H
#define RUHU_COLLATE_H
#include <stddef.h>

/* What makes keys: for one thread at a time (an iconv descriptor). */
struct name_collator;

/* NULL when out of memory or the C library has no GB18030. */
struct name_collator *name_collator_open(void);
void name_collator_close(struct name_collator *c);

/* The most bytes name_key() writes for a name of n bytes. */
#define NAME_KEY_MAX(n) (2 * (size_t)(n) + 1)

/* The key of name (n bytes of UTF-8) into out, which holds at least
 * NAME_KEY_MAX(n) bytes; returns its length. Bytes that are not UTF-8
 * are kept as they are after a 0xFF, which no GB18030 character begins
 * with: they sort after every name that is. c NULL (no collator could be
 * opened): the name's own bytes, code-point order. */
size_t name_key(struct name_collator *c, const char *name, size_t n, char *out);

#endif
