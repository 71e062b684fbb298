/*
 * test_door.c — the door a customer types at the door (SPEC V3): how it
 * is cleaned, and how much of a household it names. A room number alone
 * must never count as naming the household: every building has a 501.
 */
#include <string.h>
#include "harness.h"
#include "core/door.h"

static void test_clean(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "501", "501" },
		{ " 3栋 2单元 501 ", "3栋2单元501" },
		{ "３栋２单元５０１", "3栋2单元501" },	/* full-width digits */
		{ "501室", "501" },
		{ "501号", "501" },
		{ "３０１室", "301" },
		{ "8号楼", "8栋" },	/* the other words for a building and a unit, after a number */
		{ "8幢3单元501室", "8栋3单元501" },
		{ "8座3单元501", "8栋3单元501" },
		{ "8#3单元501", "8栋3单元501" },
		{ "8号3单元501", "8栋3单元501" },
		{ "3号楼2门501", "3栋2单元501" },	/* Beijing's 门 */
		{ "2门", "2单元" },		/* a unit recorded so */
		{ "正门", "正门" },		/* not after a number */
		{ "A座3单元501", "A座3单元501" },	/* not after a number: a name */
		{ "1-1-101", "1栋1单元101" },	/* building-unit-room */
		{ "幸福里1-1-101", "幸福里1栋1单元101" },
		{ "1－1－101室", "1栋1单元101" },	/* full-width dashes */
		{ "3-501", "3栋501" },		/* building-room */
		{ "3-2-501A", "3栋2单元501A" },
		{ "1-1-1-101", "1-1-1-101" },	/* four numbers: not a door we know how to read */
		{ "1--101", "1--101" },
		{ "幸福里\xE3\x80\x80" "501", "幸福里501" },	/* U+3000 */
		{ "Ａ-1", "A-1" },
		{ "3栋\xC2\xA0" "501", "3栋501" },	/* a no-break space */
		{ "室", "室" },
		{ "", "" },
		{ "\xE5 501", "\xE5" "501" },	/* a stray lead byte does not swallow the space after it (found by fuzz_door) */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t_case("V3 the door \"%s\" is read as \"%s\"", cases[i].in, cases[i].out);
		char out[128];
		door_clean(cases[i].in, out, sizeof out);
		CHECK_STR(out, cases[i].out);
	}
	t_case("V3 a cleaned door never overruns its buffer nor cuts a character");
	char small[5];
	door_clean("3栋501", small, sizeof small);
	CHECK_STR(small, "3栋");
}

static void test_match(void)
{
	static const struct {
		const char *door, *room, *path;
		enum door_match want;
	} cases[] = {
		{ "3栋2单元501", "501", "幸福里 / 3栋 / 2单元", DOOR_BY_ADDRESS },
		{ "幸福里3栋2单元501", "501", "幸福里 / 3栋 / 2单元", DOOR_BY_ADDRESS },
		{ "501", "501", "幸福里 / 3栋 / 2单元", DOOR_BY_NUMBER },
		{ "2单元501", "501", "幸福里 / 3栋 / 2单元", DOOR_BY_NUMBER },	/* every building has a 2单元501 */
		/* V3 the estate and the room: every building of it may have a 501 (not "not expected") */
		{ "幸福里501", "501", "幸福里 / 3栋 / 2单元", DOOR_BY_NUMBER },
		{ "幸福里2单元501", "501", "幸福里 / 3栋 / 2单元", DOOR_BY_NUMBER },
		{ "幸福里1501", "501", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },
		{ "某某501", "501", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },
		{ "幸福里2501", "501", "幸福里 / 3栋 / 2", DOOR_NOT_EXPECTED },	/* a bare unit glued on: room 2501 */
		{ "中山路88号501", "501", "中山路88号 / 3栋 / 2单元", DOOR_BY_NUMBER },	/* an estate named by its street number */
		{ "中山路88号2单元501", "501", "中山路88号 / 3栋 / 2单元", DOOR_BY_NUMBER },
		{ "中山路88号3栋2单元501", "501", "中山路88号 / 3栋 / 2单元", DOOR_BY_ADDRESS },
		{ "中山路89号501", "501", "中山路88号 / 3栋 / 2单元", DOOR_NOT_EXPECTED },
		{ "4栋2单元501", "501", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },	/* another building */
		{ "01", "501", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },	/* part of the room */
		{ "2", "2702", "入户苑 / 1栋 / 1单元", DOOR_NOT_EXPECTED },
		{ "1501", "501", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },	/* another room that ends the same */
		{ "3栋501", "501", "幸福里 / 3栋", DOOR_BY_ADDRESS },	/* a building without units */
		{ "幸福里501", "501", "幸福里", DOOR_BY_ADDRESS },	/* an estate without buildings */
		{ "501", "501", "幸福里", DOOR_BY_NUMBER },
		{ "3栋2单元501", "", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },	/* no room: nothing to match */
		{ "", "501", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },
		{ "501", "501", "", DOOR_BY_NUMBER },	/* no site: the room is all there is */
		{ "世纪大道100号501", "501", "", DOOR_NOT_EXPECTED },
		{ "3栋2单元501", "5 01", "幸福里 / 3 栋 / 2单元", DOOR_BY_ADDRESS },	/* spaces in the records */
		{ "13栋2单元501", "501", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },	/* 13栋 is not 3栋 */
		{ "23栋2单元501", "501", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },
		{ "某某3栋2单元501", "501", "幸福里 / 3栋 / 2单元", DOOR_NOT_EXPECTED },	/* another estate's */
		/* a unit or building named by a bare number counts only with its
		 * word: glued on, it reads as part of the room — 3栋2501 is room
		 * 2501 of 3栋, another flat (found by a review: "your home") */
		{ "2501", "501", "幸福里 / 3栋 / 2", DOOR_NOT_EXPECTED },
		{ "3栋2501", "501", "幸福里 / 3栋 / 2", DOOR_NOT_EXPECTED },
		{ "3-2501", "501", "幸福里 / 3 / 2", DOOR_NOT_EXPECTED },
		{ "3号楼2501", "501", "幸福里 / 3号楼 / 2", DOOR_NOT_EXPECTED },
		{ "12501", "501", "幸福里 / 1 / 2", DOOR_NOT_EXPECTED },
		{ "112单元301", "301", "幸福里 / 1 / 12单元", DOOR_NOT_EXPECTED },	/* 11栋2单元301 once glued */
		{ "1栋12单元301", "301", "幸福里 / 1 / 12单元", DOOR_BY_ADDRESS },
		{ "3栋2单元501", "501", "幸福里 / 3栋 / 2", DOOR_BY_ADDRESS },
		{ "2单元501", "501", "幸福里 / 3栋 / 2", DOOR_BY_NUMBER },
		{ "3号楼2门501", "501", "幸福里 / 3号楼 / 2门", DOOR_BY_ADDRESS },	/* a unit recorded as 2门 */
		{ "3-2-501", "501", "幸福里 / 3号楼 / 2门", DOOR_BY_ADDRESS },
		{ "1001", "1", "阳光100", DOOR_NOT_EXPECTED },
		{ "阳光1001", "1", "阳光100", DOOR_BY_ADDRESS },
		{ "3栋2单元501", "501室", "幸福里 / 3栋 / 2单元", DOOR_BY_ADDRESS },	/* the record says 室 */
		{ "10栋1单元101", "101", "幸福里 / １０栋 / 1单元", DOOR_BY_ADDRESS },	/* the record has full-width digits */
		{ "501", "５０１", "幸福里 / 3栋 / 2单元", DOOR_BY_NUMBER },
		/* as people write their address (a review at the door found
		 * each of these refused, and the page telling the customer not
		 * to let a booked worker in) */
		{ "1-1-101", "101", "幸福里 / 1栋 / 1单元", DOOR_BY_ADDRESS },
		{ "1幢1单元101室", "101", "幸福里 / 1栋 / 1单元", DOOR_BY_ADDRESS },
		{ "1号楼1单元101", "101", "幸福里 / 1栋 / 1单元", DOOR_BY_ADDRESS },
		{ "1栋1单元101", "101", "幸福里 / 1号楼 / 1单元", DOOR_BY_ADDRESS },	/* the records say 号楼 */
		{ "3-2-501", "501", "幸福里 / 3栋 / 2", DOOR_BY_ADDRESS },	/* a unit named by its number */
		{ "3-501", "501", "幸福里 / 3", DOOR_BY_ADDRESS },	/* a building named by its number, no units */
		{ "1栋101", "101", "幸福里 / 1栋 / 1单元", DOOR_BY_NUMBER },	/* every unit of 1栋 may have a 101 */
		{ "幸福里1栋101", "101", "幸福里 / 1栋 / 1单元", DOOR_BY_NUMBER },
		{ "2栋101", "101", "幸福里 / 1栋 / 1单元", DOOR_NOT_EXPECTED },
		{ "1-2-101", "101", "幸福里 / 1栋 / 1单元", DOOR_NOT_EXPECTED },	/* another unit */
		{ "11-1-101", "101", "幸福里 / 1栋 / 1单元", DOOR_NOT_EXPECTED },
		/* an estate named by its street number: alone its 号 goes (as
		 * 301号's), before the room it reads as a building word — in the
		 * door, and so in the record written the same way */
		{ "中山路88号301", "301", "中山路88号", DOOR_BY_ADDRESS },
		{ "中山路88号301室", "301", "中山路88号", DOOR_BY_ADDRESS },
		{ "中山路８８号 301", "301", "中山路88号", DOOR_BY_ADDRESS },
		{ "中山路88号3栋1单元301", "301", "中山路88号 / 3栋 / 1单元", DOOR_BY_ADDRESS },
		{ "中山路88号3号楼301", "301", "中山路88号 / 3", DOOR_BY_ADDRESS },
		{ "中山路89号301", "301", "中山路88号", DOOR_NOT_EXPECTED },
		{ "中山路88号1301", "301", "中山路88号", DOOR_NOT_EXPECTED },
		{ "中山路88号3栋2单元301", "301", "中山路88号 / 3栋 / 1单元", DOOR_NOT_EXPECTED },
		{ "中山路88号3栋301", "301", "中山路88号 / 3栋 / 1单元", DOOR_NOT_EXPECTED },	/* the unit left out: no household named */
		/* a building or unit number written with zeros is the same number */
		{ "01栋01单元302", "302", "幸福里 / 1栋 / 1单元", DOOR_BY_ADDRESS },
		{ "幸福里01栋001单元302", "302", "幸福里 / 1栋 / 1单元", DOOR_BY_ADDRESS },
		{ "01-01-302", "302", "幸福里 / 1栋 / 1单元", DOOR_BY_ADDRESS },
		{ "01号楼1单元302", "302", "幸福里 / 1 / 1", DOOR_BY_ADDRESS },
		{ "1栋1单元302", "302", "幸福里 / 01栋 / 01单元", DOOR_BY_ADDRESS },	/* the records padded */
		{ "1-1-302", "302", "幸福里 / 01 / 01", DOOR_BY_ADDRESS },
		{ "01单元302", "302", "幸福里 / 1栋 / 1单元", DOOR_BY_NUMBER },
		{ "010栋1单元302", "302", "幸福里 / 1栋 / 1单元", DOOR_NOT_EXPECTED },	/* 10栋 */
		{ "01栋01单元0302", "302", "幸福里 / 1栋 / 1单元", DOOR_NOT_EXPECTED },	/* a room is as written */
		{ "B01栋1单元302", "302", "幸福里 / B1栋 / 1单元", DOOR_NOT_EXPECTED },	/* B01 is a name */
		{ "B01栋1单元302", "302", "幸福里 / B01栋 / 1单元", DOOR_BY_ADDRESS },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t_case("V3 the door \"%s\" at room \"%s\" of \"%s\" names %s", cases[i].door, cases[i].room, cases[i].path,
		       cases[i].want == DOOR_BY_ADDRESS ? "the household" : cases[i].want == DOOR_BY_NUMBER ? "only a number" : "nothing");
		char door[256];
		door_clean(cases[i].door, door, sizeof door);	/* as the badge check does */
		CHECK_INT(door_match_of(door, cases[i].room, cases[i].path), cases[i].want);
	}
}

int main(void)
{
	test_clean();
	test_match();
	return t_done();
}
