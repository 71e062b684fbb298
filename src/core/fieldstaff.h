/*
 * fieldstaff.h — the records that make a worker fit to enter a home
 * (SPEC S2, S4, S5, S6): the fixed lists they choose from, and the
 * records themselves as the store and the API pass them around.
 *
 * Whether a worker may be sent is decided from these by one pure
 * function (core/eligibility.h); what the store keeps is in migration
 * 004_field_staff.sql.
 */
#ifndef RUHU_FIELDSTAFF_H
#define RUHU_FIELDSTAFF_H
#include <jansson.h>
#include <stdint.h>
#include "core/choice.h"
#include "core/date.h"
#include "core/staff.h"

#define TEXT_SHORT_MAX 100	/* characters: a topic, a certificate number, who decided */
#define TEXT_LONG_MAX 1000	/* characters: a reason, evidence, notes */
#define DOC_MAX (8u << 20)	/* bytes of an uploaded document */
#define BADGE_TOKEN_LEN 22	/* 16 random bytes, base64url without padding */

/* The hiring pipeline (招聘, S2), in its order; every step must have
 * passed before a candidate becomes active. */
enum hiring_step {
	STEP_APPLICATION, STEP_DOCUMENTS, STEP_INTERVIEW, STEP_HEALTH_CHECK, STEP_BACKGROUND,
	STEP_CONTRACT, STEP_NDA, STEP_PRE_JOB_TRAINING, STEP__COUNT
};
extern const struct choice_set hiring_step_set;
extern const char *const hiring_step_codes[];

/* The pipeline's order (S2): the SPEC's arrows, in stages — the
 * application; the document review; the interview; then the health check
 * and the background check, which come back in either order; then the
 * contract and the NDA, signed together; then the pre-job training and
 * its exam. A step is decided only once every step of the stages before
 * it has passed, and on a day no earlier than theirs: a contract dated
 * before the background check came back is what the order is there to
 * prevent.
 *
 * latest[i] is step i's latest decision in the current pipeline (1
 * passed, 0 failed, -1 none), decided on day[i]. Returns HIRING_IN_ORDER
 * when step may be decided (passed: 1, failed: 0) on `on`; else
 * *in_the_way is the mask (1 << step) of the steps in the way: earlier
 * ones not passed (HIRING_NOT_PASSED) or passed after `on`
 * (HIRING_DAY_BEFORE); or, for a pass of a step that stands passed,
 * later ones already passed before `on` (HIRING_DAY_AFTER) — an
 * application passed again after the documents it rests on were reviewed
 * would stand after them. A failure may come after them (a problem found
 * late), and a pass after that failure is a new decision the pipeline
 * goes on from. */
enum hiring_order { HIRING_IN_ORDER, HIRING_NOT_PASSED, HIRING_DAY_BEFORE, HIRING_DAY_AFTER };

/* The decisions that stand (latest, as above, changed in place): a pass
 * dated before a later pass of an earlier stage's step — the documents
 * failed after the interview, then passed again — rests on what was
 * decided anew since, and is to be decided again (-1). Whatever reads
 * the pipeline reads it through this (store_hiring.c hiring_latest). */
void hiring_effective(int latest[STEP__COUNT], const rh_day day[STEP__COUNT]);
enum hiring_order hiring_order_check(const int latest[STEP__COUNT], const rh_day day[STEP__COUNT], enum hiring_step step, int passed,
				     rh_day on, unsigned *in_the_way);

/* Uploaded documents. */
extern const struct choice_set doc_kind_set;
extern const char *const doc_kind_codes[];

/* Certificate types (证书类型): bit i of a job rule's certs is item i. */
enum cert_type { CERT_HEALTH, CERT_GAS_SAFETY, CERT_ELECTRICIAN, CERT_WELDER, CERT_DOMESTIC, CERT_CARE,
		 CERT_OTHER, CERT__COUNT };
extern const struct choice_set cert_type_set;
extern const char *const cert_type_codes[];

enum training_kind { TRAIN_PRE_JOB, TRAIN_IN_SERVICE, TRAIN_SAFETY, TRAIN_ANNUAL };
extern const struct choice_set training_kind_set, training_mode_set, exam_result_set;
extern const char *const training_kind_codes[], *const training_mode_codes[], *const exam_result_codes[];

/* Discipline (奖惩, S6), from commendation to blacklist. Some change the
 * worker: see discipline_effect(). */
enum discipline_kind {
	DISC_COMMENDATION, DISC_BONUS, DISC_CRITICISM, DISC_WARNING, DISC_FINE, DISC_DEMERIT,
	DISC_MAJOR_DEMERIT, DISC_DEMOTION, DISC_SUSPENSION, DISC_REINSTATEMENT, DISC_DISMISSAL, DISC_BLACKLIST
};
extern const struct choice_set discipline_kind_set;
extern const char *const discipline_kind_codes[];

/* What an entry does to the worker: the status it sets (-1: none), a
 * level down, and whether the badge is voided and things must be
 * handed back. */
struct discipline_effect {
	int status;
	int demote;
	int offboard;
};
struct discipline_effect discipline_effect(enum discipline_kind k);

/* The statuses a worker leaves service by: the badge is voided and the
 * badge and company property are asked back (000). */
int staff_status_leaves(enum staff_status s);

enum return_item { RETURN_BADGE, RETURN_PROPERTY };	/* return_item_set's order */
extern const struct choice_set return_item_set;
extern const char *const return_item_codes[];

#define JOB_TYPE_MAX 16	/* room for every job type (job_type_set has 10) */

/* Default rules per job type (staff.h job_type_set order): the
 * certificates it needs (bits of cert_type) and its lowest level. An
 * organisation changes them (job_rules). */
struct job_rule {
	unsigned certs;
	enum staff_level level;
	int64_t version;	/* 0: the default, never set */
};
extern const struct job_rule job_rule_defaults[];

/* ---- the records ---- */

struct hiring_step_rec {
	int64_t id, tenant_id, staff_id;
	enum hiring_step step;
	int passed;
	rh_day day;
	char decided_by[TEXT_SHORT_MAX * 4 + 1];
	char notes[TEXT_LONG_MAX * 4 + 1];
	int64_t file_id, recorded_by, created_at;
};

struct training {
	int64_t id, tenant_id, staff_id;
	enum training_kind kind;
	char topic[TEXT_SHORT_MAX * 4 + 1];
	rh_day day;
	int hours;
	int mode;		/* training_mode_set */
	int exam;		/* exam_result_set: 0 none, 1 passed, 2 failed */
	int score;		/* 0–100, -1 none */
	int64_t file_id, recorded_by, created_at;
};

struct certificate {
	int64_t id, tenant_id, staff_id;
	enum cert_type type;
	char number[TEXT_SHORT_MAX * 4 + 1];	/* as read: an ID number in it masked; in full on the way in */
	char number_hash[TOKEN_HASH_LEN + 1];	/* the whole number's keyed hash (store_cert.c) */
	char issuer[TEXT_SHORT_MAX * 4 + 1];
	rh_day valid_from, valid_to;
	int64_t file_id;
	int revoked;
	int64_t created_at, updated_at, version;
};

struct discipline {
	int64_t id, tenant_id, staff_id;
	enum discipline_kind kind;
	char reason[TEXT_LONG_MAX * 4 + 1];
	char rule[TEXT_SHORT_MAX * 4 + 1];
	char evidence[TEXT_LONG_MAX * 4 + 1];
	int64_t file_id, amount;
	rh_day day;
	char decided_by[TEXT_SHORT_MAX * 4 + 1];
	int64_t recorded_by, created_at;
	int annulled;				/* 撤销: stays on file, marked */
	char annulment[TEXT_LONG_MAX * 4 + 1];	/* why it was annulled */
	int64_t updated_at, version;
};

/* Whether an entry of kind k may be annulled: those that changed the
 * worker (a status, a level) may not — their effect is undone by an
 * entry of its own (a reinstatement) or not at all (dismissal,
 * blacklist), and annulling the record alone would leave the file
 * telling a different story from the worker's state. */
int discipline_annullable(enum discipline_kind k);

struct staff_return {
	int64_t id, tenant_id, staff_id;
	int item;		/* return_item_set */
	int64_t returned_at, received_by;
	char notes[TEXT_LONG_MAX * 4 + 1];
	int64_t created_at, version;
};

/* The kinds of document that are, above all, a person's identity and
 * print the ID number in full: an ID card's copy, the 户口本 page, the
 * 无犯罪记录证明 and the labour contract (bits of doc_kind_codes). Only
 * those who may see ID numbers in full open them (SPEC X5); the others —
 * diplomas, certificates, health reports — are what an auditor checks. */
#define DOC_KINDS_WITH_ID ((1u << 0) | (1u << 1) | (1u << 5) | (1u << 6))

struct staff_file {
	int64_t id, tenant_id, staff_id;
	int kind;		/* doc_kind_set */
	char name[TEXT_SHORT_MAX * 4 + 1];
	char content_type[64];
	int64_t size;
	char sha256[65];
	int64_t uploaded_by, created_at;
};

struct badge {
	int64_t id, tenant_id, staff_id;
	char token[BADGE_TOKEN_LEN + 1];
	int64_t issued_at, voided_at;
	char void_reason[TEXT_SHORT_MAX * 4 + 1];
};

/* A worker sent to a household for a job type on a day (SPEC S3; the
 * home visit of section 2 will hang on it). */
enum assignment_status { ASSIGN_ASSIGNED, ASSIGN_CANCELLED };
extern const struct choice_set assignment_status_set;
extern const char *const assignment_status_codes[];
#define TIME_WINDOW_MAX 11	/* "09:00-11:00" */
struct assignment {
	int64_t id, tenant_id, staff_id, household_id;
	int job_type;		/* staff.h job_type_set */
	enum staff_level level;
	rh_day day;
	char time_window[TIME_WINDOW_MAX + 1];
	enum assignment_status status;
	char token[BADGE_TOKEN_LEN + 1];
	char notes[TEXT_LONG_MAX * 4 + 1];
	int64_t created_by, created_at, updated_at, version;
	/* what the ids name, as read (not stored with the assignment): for
	 * lists, so a reader needs no request per row; "" when not read */
	char staff_name[STAFF_NAME_MAX * 4 + 1];
	char staff_no[ACCOUNT_NO_MAX + 1];
	char household_name[HH_NAME_MAX * 4 + 1];
	char account_no[ACCOUNT_NO_MAX + 1];
	char address[ADDRESS_MAX * 4 + 1];
};

/* "HH:MM-HH:MM" with the end after the start, or "". */
int time_window_valid(const char *s);
/* Whether two valid windows share a minute: 09:00-11:00 and 10:30-12:00
 * do, 09:00-11:00 and 11:00-12:00 do not (one ends as the other starts).
 * A window not given ("": some time that day) overlaps nothing. */
int time_windows_overlap(const char *a, const char *b);

json_t *hiring_step_to_json(const struct hiring_step_rec *s);
json_t *training_to_json(const struct training *t);
/* A number that is (or holds) an ID number, as a 特种作业操作证's is,
 * comes masked (SPEC X5), to every reader and in the audit trail: the ID
 * number in full is the worker's, seen through its audited reveal. */
json_t *certificate_to_json(const struct certificate *c, rh_day today);
json_t *discipline_to_json(const struct discipline *d);
json_t *staff_return_to_json(const struct staff_return *r);
json_t *staff_file_to_json(const struct staff_file *f);
json_t *assignment_to_json(const struct assignment *a);

#endif
