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
	t_case("V3 … a long day raises it: ten and two a visit, never past 128");
	CHECK_INT(door_asks_limit(8), 26);
	CHECK_INT(door_asks_limit(30), 70);
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
		ok += door_asks_allow(d, tok, today, door, 24, i);
	}
	CHECK_INT(ok, 24);
	t_case("V3 … a door asked before is no new door: it still answers");
	CHECK_INT(door_asks_allow(d, tok, today, "100", 24, 40), 1);
	CHECK_INT(door_asks_allow(d, tok, today, "123", 24, 41), 1);
	CHECK_INT(door_asks_allow(d, tok, today, "124", 24, 42), 0);
	t_case("V3 another badge is not held back by it");
	CHECK_INT(door_asks_allow(d, "BBBBBBBBBBBBBBBBBBBBBB", today, "124", 24, 43), 1);
	t_case("V3 the next day starts again");
	CHECK_INT(door_asks_allow(d, tok, today + 1, "124", 24, 44), 1);
	door_asks_free(d);
}

/* A review found the table handing a search's entry on — its count with
 * it — to the door checks of other badges: 6,000 badges checked between
 * two of its questions, and all of 100 doors answered. */
static void test_busy_installation(void)
{
	struct door_asks *d = door_asks_new();
	if (!CHECK(d != NULL)) return;
	rh_day today = date_from_ymd(2026, 12, 7);
	const char *probe = "PROBEPROBEPROBEPROBE01";
	char tok[32], door[16];
	int64_t t = 0;
	t_case("V3 a slow search stays limited however many other badges are checked between its questions");
	int ok = 0;
	for (int i = 0; i < 100; i++) {
		snprintf(door, sizeof door, "9%03d", i);
		ok += door_asks_allow(d, probe, today, door, 24, t++);
		for (int k = 0; k < 6000; k++) {	/* customers at their own doors, one each */
			snprintf(tok, sizeof tok, "C%07d%014d", i * 6000 + k, 0);
			door_asks_allow(d, tok, today, "101", 24, t++);
		}
	}
	CHECK_INT(ok, 24);
	t_case("V3 … and the last customers' own checks, asked again, still answer");
	int customers = 0;
	for (int k = 0; k < 1000; k++) {
		snprintf(tok, sizeof tok, "C%07d%014d", 599000 + k, 0);
		customers += door_asks_allow(d, tok, today, "101", 24, t++);
	}
	CHECK_INT(customers, 1000);
	door_asks_free(d);
}

int main(void)
{
	test_limit();
	test_counting();
	test_busy_installation();
	return t_done();
}
