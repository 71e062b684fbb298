/*
 * door.h — what a customer types at the door to ask whether the worker is
 * expected at their home today (SPEC V3), and how much of their home it
 * names.
 *
 * A room number alone is repeated in every building of every estate:
 * "501" matching an appointment of the day says that some door 501 is
 * expected, not this one. Only the building and unit with it (or the
 * appointment link) name the household, and only then may the page say
 * "your home".
 */
#ifndef RUHU_DOOR_H
#define RUHU_DOOR_H
#include <stddef.h>

/* How the worker is expected at the door, best last. */
enum door_match {
	DOOR_NOT_EXPECTED = 0,
	DOOR_BY_NUMBER = 1,		/* some door with this number is expected ("501") */
	DOOR_BY_ADDRESS = 2,		/* the household named: "3栋2单元501" */
	DOOR_BY_APPOINTMENT = 3,	/* the appointment link's own token */
};

/* What people type, as the records are compared: full-width letters and
 * digits made ASCII, spaces (ASCII, no-break and U+3000) dropped, a 室
 * or 号 after the last digit dropped ("３０１室" → "301"); the other words
 * for a building after a number made 栋 (8号楼, 8幢, 8座, 8#, 8号 before
 * digits) and 门 before digits made 单元 (3号楼2门501 → 3栋2单元501);
 * numbers joined by dashes at the end read as building, unit and room
 * (1-2-301 → 1栋2单元301, 1-301 → 1栋301). Into out, cap bytes, always
 * terminated, never cutting a character. */
void door_clean(const char *in, char *out, size_t cap);

/* How much of a household the door (as door_clean() gives it) names,
 * given its room and the path of its site ("幸福里 / 3栋 / 2单元", "" for
 * none), both cleaned the same way and compared as whole parts — 13栋 is
 * not 3栋: DOOR_BY_ADDRESS when the door is its building, unit and room,
 * with its estate before them or not (estate and room for an estate
 * without buildings; a building or unit named by a bare number, "3",
 * counts only with its word, 3栋 / 3单元 — glued on bare it would read
 * as part of the room) — the records' names compared as cleaned one by
 * one, and as cleaned written together (an estate named by its street
 * number, 中山路88号, typed before the room: 中山路88号301); DOOR_BY_NUMBER when it is the room, the unit and
 * room (every building has a 2单元501), or the building and room without
 * the unit (every unit of 3栋 may have a 501), each with the estate before
 * it or not (幸福里501: every building of 幸福里 may have one); DOOR_NOT_EXPECTED
 * otherwise, and for a household without a room. A building's or unit's
 * number is the same with zeros before it, in the door and in the records
 * (01栋 is 1栋; B01栋 is a name, and a room is as written). */
enum door_match door_match_of(const char *door, const char *room, const char *site_path);

#endif
