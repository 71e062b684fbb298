/*
 * site.h — the site tree (SPEC X1): an estate or project (项目/小区)
 * holds buildings (楼栋), a building holds units (单元); households hang
 * on any of them.
 *
 * The tree is three levels deep and never deeper, and a site never moves:
 * each site keeps its estate and building ids beside its parent, so "this
 * site and everything under it" is one indexed comparison, not a walk.
 */
#ifndef RUHU_SITE_H
#define RUHU_SITE_H
#include <jansson.h>
#include <stdint.h>
#include "core/choice.h"

#define SITE_NAME_MAX 64
#define SITE_CODE_MAX 32
#define SITE_PART_MAX 32	/* province, city, district, street */
#define SITE_ADDRESS_MAX 128

enum site_kind { SITE_ESTATE, SITE_BUILDING, SITE_UNIT };
extern const struct choice_set site_kind_set;
extern const char *const site_kind_codes[];

struct site {
	int64_t id;
	int64_t tenant_id;
	int64_t parent_id;	/* 0 for an estate */
	int64_t estate_id;	/* itself for an estate */
	int64_t building_id;	/* itself for a building, its building for a unit, else 0 */
	enum site_kind kind;
	char name[SITE_NAME_MAX * 4 + 1];
	char code[SITE_CODE_MAX + 1];
	char province[SITE_PART_MAX * 4 + 1];
	char city[SITE_PART_MAX * 4 + 1];
	char district[SITE_PART_MAX * 4 + 1];
	char street[SITE_PART_MAX * 4 + 1];
	char address[SITE_ADDRESS_MAX * 4 + 1];
	char path[(SITE_NAME_MAX * 4 + 3) * 3 + 1];	/* "幸福里 / 3栋 / 2单元", filled by reads */
	int64_t children, households;	/* filled by reads */
	int64_t created_at, updated_at, version;
};

/* The kind a child of `parent` must be: 0, or -1 when a unit (which has
 * no children) is the parent. */
int site_child_kind(enum site_kind parent, enum site_kind *out);

/* "上海市浦东新区张杨路1号幸福里3栋2单元": the address parts, then the
 * path's names, as Chinese addresses are written (no spaces), into out
 * (cap bytes, always terminated). */
void site_display_address(const struct site *s, char *out, size_t cap);

/* The address of a door at s: site_display_address() and then room, at
 * most max characters, into out (cap bytes, always terminated). When
 * that is longer, what matters least at the door goes first, whole —
 * the province, the city, the district, the street, the estate's
 * address — and only then the path's first characters: the building,
 * unit and room, which the worker at the door and the customer checking
 * a badge go by, stay. */
void site_door_address(const struct site *s, const char *room, size_t max, char *out, size_t cap);

/* The key sites are listed by: the name with every run of ASCII digits
 * shorter than SITE_SORT_DIGITS padded with zeros to that length, so
 * that 2栋 comes before 10栋 (code-point order puts 10栋 between 1栋 and
 * 2栋). Compared byte by byte. SQLite calls this function as the SQL
 * function ruhu_sort_key() (db_sqlite.c); PostgreSQL has the same in SQL
 * (migration 007), and the two must agree. Into out (cap bytes, always
 * terminated; SITE_SORT_KEY_MAX holds any site name). */
#define SITE_SORT_DIGITS 20
#define SITE_SORT_KEY_MAX (SITE_NAME_MAX * SITE_SORT_DIGITS + SITE_NAME_MAX * 4 + 1)
void site_sort_key(const char *name, char *out, size_t cap);

json_t *site_to_json(const struct site *s);

#endif
