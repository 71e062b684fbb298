/*
 * staff.h — the profile of a worker who may enter homes (SPEC S1):
 * name, ID number, birth date, phone, employer (own staff or a
 * subcontractor's, 分包商), job types, level and badge number, and the
 * status that decides whether the worker may be sent anywhere at all.
 *
 * The hiring pipeline (S2), training and certificates (S4), eligibility
 * (S3), badges (S5) and discipline (S6) are records of their own that
 * point at this one. The ID number is sealed at rest, as for households.
 */
#ifndef RUHU_STAFF_H
#define RUHU_STAFF_H
#include <jansson.h>
#include <stdint.h>
#include "core/choice.h"
#include "core/date.h"
#include "core/household.h"

#define STAFF_NAME_MAX 64
#define EMPLOYER_MAX 64
#define PHOTO_MAX (2u << 20)	/* bytes of a staff photo */

enum staff_status { STAFF_CANDIDATE, STAFF_ACTIVE, STAFF_SUSPENDED, STAFF_LEFT, STAFF_DISMISSED, STAFF_BLACKLISTED };
enum employment { EMPLOY_OWN, EMPLOY_SUBCONTRACTOR };
/* 初级: information and publicity; 中级: general service; 高级: complex
 * cases and supervising the others (SPEC S3, seed 000). */
enum staff_level { LEVEL_JUNIOR, LEVEL_MIDDLE, LEVEL_SENIOR };

extern const struct choice_set staff_status_set, employment_set, staff_level_set, job_type_set;
extern const char *const staff_status_codes[];
extern const char *const staff_employment_codes[];
extern const char *const staff_level_codes[];
extern const char *const staff_job_type_codes[];

struct staff {
	int64_t id;
	int64_t tenant_id;
	char staff_no[ACCOUNT_NO_MAX + 1];	/* 工号 */
	char name[STAFF_NAME_MAX * 4 + 1];
	char id_number[IDCARD_LEN + 1];		/* in full: only on the way in, or when revealed */
	char id_masked[IDCARD_LEN + 1];
	char id_hash[TOKEN_HASH_LEN + 1];
	int has_birth_date;
	rh_day birth_date;
	char phone[PHONE_MAX + 1];
	enum employment employment;
	char employer[EMPLOYER_MAX * 4 + 1];
	unsigned job_types;			/* bit i: job_type_set's item i */
	enum staff_level level;
	char badge_no[ACCOUNT_NO_MAX + 1];	/* 工作证号, "" when none yet */
	enum staff_status status;
	int64_t user_id;			/* the account the worker signs in with; 0: none */
	int64_t supervisor_id;			/* the senior worker supervising this one (高级, 000); 0: none */
	char notes[NOTES_MAX * 4 + 1];
	char photo_type[16];			/* "image/jpeg", "image/png", "" when none */
	int64_t import_id;
	int64_t created_at, updated_at, version;
};

/* The birth date as YYYY-MM-DD when full, else YYYY-**-** (it would
 * unmask the ID number, on file or in the audit trail's masked past);
 * "" when unknown. */
void staff_birth_text(const struct staff *s, int full, char out[11]);

/* Whether s's birth date can stand (S1, and the age check of S3 that
 * rests on it): not after today, at least STAFF_MIN_AGE years before it
 * (no one younger may be taken on), and the one the ID number carries when
 * one is known (id_number, plain, or "": a worker entered as born in
 * 1990 with the ID number of a 14-year-old would pass for an adult).
 * 0 when it can; else -1 with why in Chinese and English. */
#define STAFF_MIN_AGE 16	/* 《劳动法》第十五条 */
int staff_birth_check(const struct staff *s, const char *id_number, rh_day today, const char **zh, const char **en);

json_t *staff_to_json(const struct staff *s, struct hh_view v);
int staff_same(const struct staff *a, const struct staff *b);

#endif
