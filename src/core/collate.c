/*
 * collate.c — names keyed for pinyin order by their GB18030 bytes (see
 * collate.h for why that encoding and how far it gets).
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include "core/collate.h"

struct name_collator {
	iconv_t cd;
};

struct name_collator *name_collator_open(void)
{
	struct name_collator *c = malloc(sizeof *c);
	if (!c) return NULL;
	c->cd = iconv_open("GB18030", "UTF-8");
	if (c->cd == (iconv_t)-1) {
		free(c);
		return NULL;
	}
	return c;
}

void name_collator_close(struct name_collator *c)
{
	if (!c) return;
	iconv_close(c->cd);
	free(c);
}

size_t name_key(struct name_collator *c, const char *name, size_t n, char *out)
{
	if (!c) {	/* no GB18030 in this C library: code-point order, the bytes as they are */
		memcpy(out, name, n);
		return n;
	}
	char *src = (char *)name, *dst = out;
	size_t left = n, room = NAME_KEY_MAX(n);
	iconv(c->cd, NULL, NULL, NULL, NULL);	/* a fresh state: the last call may have stopped midway */
	if (iconv(c->cd, &src, &left, &dst, &room) == (size_t)-1 && left > 0) {
		/* not UTF-8 from here (EILSEQ, EINVAL): the rest as it is.
		 * It fits: GB18030 takes at most twice UTF-8's bytes (ñ: 2
		 * and 4), and the rest takes its own and the 0xFF */
		*dst++ = (char)0xFF;
		memcpy(dst, src, left);
		dst += left;
	}
	return (size_t)(dst - out);
}
