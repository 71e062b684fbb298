/*
 * test_doorask.c — how many different doors one badge answers for in a
 * day (http/doorask.c, SPEC V3): a customer asks of their own door; door
 * after door from one badge is a search for the worker's customers.
 */
#include <stdio.h>
#include "harness.h"
#include "http/doorask.h"

static void test_limit(void)
{
	t_case("V3 the limit is a floor of 24 doors for a day of up to 7 visits: counting to it does not tell the visits");
	CHECK_INT(door_asks_limit(0), 24);
	CHECK_INT(door_asks_limit(7), 24);
	t_case("V3 … a long day doubles it as often as ten and two a visit need, never past 128: it tells the visits only coarsely");
	CHECK_INT(door_asks_limit(8), 48);
	CHECK_INT(door_asks_limit(19), 48);
	CHECK_INT(door_asks_limit(20), 96);
	CHECK_INT(door_asks_limit(43), 96);
	CHECK_INT(door_asks_limit(44), 128);
	CHECK_INT(door_asks_limit(1000), DOOR_ASKS_MAX);
	CHECK_INT(door_asks_limit(-5), 24);
}

static void test_counting(void)
{
	struct door_asks *d = door_asks_new();
	if (!CHECK(d != NULL)) return;
	rh_day today = date_from_ymd(2026, 12, 7);
	const char *tok = "AAAAAAAAAAAAAAAAAAAAAA";
	char door[16];
	t_case("V3 a badge answers for limit different doors, then no more that day");
	int ok = 0;
	for (int i = 0; i < 30; i++) {
		snprintf(door, sizeof door, "%d", 100 + i);
		ok += door_asks_allow(d, tok, today, door, 24);
	}
	CHECK_INT(ok, 24);
	t_case("V3 … a door asked before is no new door: it still answers");
	CHECK_INT(door_asks_allow(d, tok, today, "100", 24), 1);
	CHECK_INT(door_asks_allow(d, tok, today, "123", 24), 1);
	CHECK_INT(door_asks_allow(d, tok, today, "124", 24), 0);
	t_case("V3 another badge is not held back by it");
	CHECK_INT(door_asks_allow(d, "BBBBBBBBBBBBBBBBBBBBBB", today, "124", 24), 1);
	t_case("V3 the next day starts again");
	CHECK_INT(door_asks_allow(d, tok, today + 1, "124", 24), 1);
	door_asks_free(d);
}

/* Reviews found a table that reused its entries handing a search's
 * count on to the door checks of other badges — first when the search
 * was one door deep, then whenever the table was already full: 100
 * doors of 100 answered. */
/* Customer next at their own door, typing it four ways until it reads
 * as they mean (or another badge of a search that holds many): more
 * doors than a search one question in. */
static void customer(struct door_asks *d, int *next, rh_day day)
{
	static const char *const tries[] = { "10l", "1O1", "1-01", "101" };
	char tok[32];
	snprintf(tok, sizeof tok, "C%07d%014d", (*next)++, 0);
	for (int i = 0; i < 4; i++) door_asks_allow(d, tok, day, tries[i], 24);
}

static void test_busy_installation(void)
{
	struct door_asks *d = door_asks_new();
	if (!CHECK(d != NULL)) return;
	rh_day today = date_from_ymd(2026, 12, 7);
	const char *probe = "PROBEPROBEPROBEPROBE01";
	char tok[32], door[16];
	int next = 0;
	t_case("V3 a slow search stays limited however many other badges are checked, before and between its questions");
	for (int k = 0; k < 20000; k++) customer(d, &next, today);	/* a busy day already */
	int ok = 0;
	for (int i = 0; i < 40; i++) {
		snprintf(door, sizeof door, "9%03d", i);
		ok += door_asks_allow(d, probe, today, door, 24);
		for (int k = 0; k < 1000; k++) customer(d, &next, today);
	}
	CHECK_INT(ok, 24);
	t_case("V3 … and the first customers' own doors, asked again, still answer");
	int customers = 0;
	for (int k = 0; k < 1000; k++) {
		snprintf(tok, sizeof tok, "C%07d%014d", k, 0);
		customers += door_asks_allow(d, tok, today, "101", 24);
	}
	CHECK_INT(customers, 1000);
	t_case("V3 … and two days on, the old badges are forgotten as the map grows, and the probe's count starts again");
	rh_day later = today + 2;
	for (int k = 0; k < 70000; k++) customer(d, &next, later);
	CHECK_INT(door_asks_allow(d, probe, later, "9999", 24), 1);
	door_asks_free(d);
}

int main(void)
{
	test_limit();
	test_counting();
	test_busy_installation();
	return t_done();
}
