/*
 * test_collate.c — the order people's names are listed in (core/collate.h):
 * pinyin for the common characters, by their GB18030 bytes.
 */
#include <string.h>
#include "harness.h"
#include "core/collate.h"

/* <0, 0 or >0 as a's key is before, the same as or after b's. */
static int cmp(struct name_collator *c, const char *a, const char *b)
{
	char ka[256], kb[256];
	size_t la = name_key(c, a, strlen(a), ka), lb = name_key(c, b, strlen(b), kb);
	int r = memcmp(ka, kb, la < lb ? la : lb);
	return r ? r : (la > lb) - (la < lb);
}

int main(void)
{
	struct name_collator *c = name_collator_open();
	t_case("a collator opens (the C library converts to GB18030)");
	CHECK(c != NULL);
	if (!c) return t_done();
	static const struct {
		const char *before, *after;
	} cases[] = {
		{ "阿明", "白雪" },		/* a, bai */
		{ "陈静", "李娜" },		/* chen, li: code points put 李 (U+674E) first */
		{ "孙立军", "吴老师" },	/* sun, wu: 吴 is U+5434, 孙 U+5B59 */
		{ "吴老师", "郑一" },
		{ "郑一", "周小梅" },		/* zheng, zhou: 周 U+5468 is before 郑 U+90D1 */
		{ "张三", "张三丰" },		/* a name before the longer one it begins */
		{ "张三", "张伟" },		/* san, wei: the given name next */
		{ "欧阳锋", "欧阳娜娜" },	/* feng, na */
		{ "Alice", "阿明" },		/* Latin letters before hanzi */
		{ "", "阿" },
		{ "张三", "\xff\xfe" },	/* not UTF-8: after every name that is */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t_case("names: \"%s\" lists before \"%s\"", cases[i].before, cases[i].after);
		CHECK(cmp(c, cases[i].before, cases[i].after) < 0);
		CHECK(cmp(c, cases[i].after, cases[i].before) > 0);
	}
	t_case("a name cut short is keyed 0xFF and its bytes, and leaves no state behind for the next");
	char k[64];
	CHECK(name_key(c, "\xe5\xbc", 2, k) == 3 && memcmp(k, "\xff\xe5\xbc", 3) == 0);
	CHECK(name_key(c, "张", strlen("张"), k) == 2 && memcmp(k, "\xd5\xc5", 2) == 0);	/* 张 in GB18030 */
	t_case("a key fits NAME_KEY_MAX: ñ is 2 bytes, 4 in GB18030");
	char small[NAME_KEY_MAX(6)];
	CHECK(name_key(c, "ñññ", 6, small) == 12);
	name_collator_close(c);
	return t_done();
}
