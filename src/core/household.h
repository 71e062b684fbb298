/*
 * household.h — a household or premises (户), and for a gas company its
 * customer (燃气用户, SPEC G1): account number, name, phones, address,
 * category, meter and flags.
 *
 * Every later module hangs its work on these records: inspection cycles
 * follow the category and the flags (G2), visits go to the address, the
 * badge check asks for the room. The ID number, when collected, is kept
 * sealed (core/secret.h) with a masked copy for display (SPEC X5).
 */
#ifndef RUHU_HOUSEHOLD_H
#define RUHU_HOUSEHOLD_H
#include <jansson.h>
#include <stdint.h>
#include "core/choice.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/secret.h"
#include "core/user.h"

#define ACCOUNT_NO_MAX 32
#define HH_NAME_MAX 64		/* characters */
#define ROOM_MAX 32
#define ADDRESS_MAX 200
#define METER_NO_MAX 32
#define NOTES_MAX 500
#define SITE_PATH_MAX 200

#define ACCOUNT_NO_RULE_ZH "1–32 个字符：字母、数字及 -"
#define ACCOUNT_NO_RULE_EN "1–32 characters: letters, digits and -"
int account_no_valid(const char *s);	/* also staff and badge numbers */

/* 用户类别 (G1): the inspection cycle follows it (G2). */
enum hh_category { HH_RESIDENT, HH_INDUSTRIAL, HH_COMMERCIAL, HH_PUBLIC, HH_SPECIAL };
enum meter_location { METER_LOC_UNKNOWN, METER_INDOOR, METER_OUTDOOR };
enum meter_type { METER_UNKNOWN, METER_DIAPHRAGM, METER_IC_CARD, METER_IOT, METER_OTHER };
enum hh_status { HH_ACTIVE, HH_CLOSED };

/* Flags (G1), bit i for hh_flag_set's item i. */
#define HF_VULNERABLE (1u << 0)		/* 弱势群体: elderly alone, disabled, sick */
#define HF_GROUP_RENTAL (1u << 1)	/* 群租 */
#define HF_VACANT (1u << 2)		/* 长期无人 */
#define HF_FIRST_CONVERSION (1u << 3)	/* 首次置换: inspect before gas is supplied */

extern const struct choice_set hh_category_set, meter_location_set, meter_type_set, hh_flag_set,
	hh_status_set;
/* Their codes alone, for the validation schemas (constant addresses). */
extern const char *const hh_category_codes[];
extern const char *const hh_location_codes[];
extern const char *const hh_meter_type_codes[];
extern const char *const hh_flag_codes[];
extern const char *const hh_status_codes[];

struct household {
	int64_t id;
	int64_t tenant_id;
	int64_t site_id;		/* 0: on no site */
	char account_no[ACCOUNT_NO_MAX + 1];
	char name[HH_NAME_MAX * 4 + 1];
	char phone[PHONE_MAX + 1];	/* "" when none */
	char phone2[PHONE_MAX + 1];
	char room[ROOM_MAX * 4 + 1];
	char address[ADDRESS_MAX * 4 + 1];
	int address_auto;		/* made from the site and room (follows a rename) */
	enum hh_category category;
	enum meter_location meter_location;
	enum meter_type meter_type;
	char meter_no[METER_NO_MAX + 1];
	unsigned flags;
	char id_number[IDCARD_LEN + 1];	/* in full: only on the way in, or when revealed */
	char id_masked[IDCARD_LEN + 1];	/* "" when none is on file */
	char id_hash[TOKEN_HASH_LEN + 1];	/* its lookup hash (secret_lookup_hash), "" when none */
	char notes[NOTES_MAX * 4 + 1];
	enum hh_status status;
	int64_t import_id;		/* the import that created it; 0: entered by hand */
	int64_t created_at, updated_at, version;
	char site_path[SITE_PATH_MAX * 4 + 1];	/* filled by reads: "幸福里 / 3栋 / 2单元" */
};

/* How a reader sees the personal fields (SPEC X5). */
struct hh_view {
	enum pii_view phone;
	enum pii_view id_number;	/* PII_FULL only with id_number filled */
};

/* The household as JSON; the caller owns it. */
json_t *household_to_json(const struct household *h, struct hh_view v);

/* Whether two households hold the same data (what an import compares). */
int household_same(const struct household *a, const struct household *b);

#endif
