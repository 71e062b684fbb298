/*
 * error.h — every error ruhu can report, with a stable number, a code
 * for clients, an HTTP status and a message in Chinese and English.
 *
 * Like curl's CURLcode, numbers are never reused or renumbered: clients
 * and logs may depend on them. Functions across all layers return an
 * enum rh_err (RH_OK on success) and fill their results through
 * out-parameters; where a failure concerns one input field, the details
 * go into a struct rh_fail so the reply can name the field (SPEC X6).
 */
#ifndef RUHU_ERROR_H
#define RUHU_ERROR_H
#include "base/buf.h"

enum rh_err {
	RH_OK = 0,
	RH_ERR_INTERNAL = 1,
	RH_ERR_NOMEM = 2,
	RH_ERR_STORE = 3,
	RH_ERR_BUSY = 4,
	RH_ERR_IO = 5,
	RH_ERR_KEY_MISMATCH = 6,	/* the installation key is not the database's */
	RH_ERR_STOPPING = 7,		/* the server stops: work that waited for a pool was not done */
	RH_ERR_IMPORT_RUNNING = 8,	/* a long import holds the one write lock; a request's write was not done */

	RH_ERR_BAD_JSON = 10,
	RH_ERR_FIELD_REQUIRED = 11,
	RH_ERR_FIELD_TYPE = 12,
	RH_ERR_FIELD_TOO_LONG = 13,
	RH_ERR_FIELD_TOO_SHORT = 14,
	RH_ERR_FIELD_RANGE = 15,
	RH_ERR_FIELD_INVALID = 16,
	RH_ERR_FIELD_UNKNOWN = 17,
	RH_ERR_BODY_TOO_LARGE = 18,
	RH_ERR_MEDIA_TYPE = 19,
	RH_ERR_QUERY_TOO_LONG = 20,	/* more query parameters than any route takes */

	RH_ERR_UNAUTHENTICATED = 30,
	RH_ERR_LOGIN_FAILED = 31,
	RH_ERR_ACCOUNT_LOCKED = 32,
	RH_ERR_ACCOUNT_DISABLED = 33,
	RH_ERR_FORBIDDEN = 34,
	RH_ERR_CSRF = 35,
	RH_ERR_RATE_LIMITED = 36,
	RH_ERR_PASSWORD_CHANGE = 37,

	RH_ERR_NOT_FOUND = 40,
	RH_ERR_ROUTE_NOT_FOUND = 41,
	RH_ERR_METHOD = 42,

	RH_ERR_VERSION_CONFLICT = 50,
	RH_ERR_DUPLICATE = 51,
	RH_ERR_STATE = 52,
	RH_ERR_SELF = 53,
	RH_ERR_LAST_ADMIN = 54,
	RH_ERR_IMPORT_INVALID = 55,
	RH_ERR_TOO_MANY_ROWS = 56,
	RH_ERR_NOT_ELIGIBLE = 57,	/* a worker who may not be sent (SPEC S3); reasons in the body */
	RH_ERR_BLACKLISTED = 58,	/* a blacklisted person applies again (S6) */
	RH_ERR_HIRING_INCOMPLETE = 59,	/* activation before every hiring step passed (S2) */
	RH_ERR_UNAVAILABLE = 60,	/* the database server cannot be reached (PostgreSQL down) */
};

struct rh_error_info {
	enum rh_err err;
	const char *code;	/* stable, snake_case, for clients */
	int http_status;
	const char *zh;		/* message templates: {field} and {n} are filled in */
	const char *en;
};

/* The table row for err; unknown values map to RH_ERR_INTERNAL. */
const struct rh_error_info *rh_error_info(enum rh_err err);

/* All rows, for documentation and tests. */
const struct rh_error_info *rh_error_table(size_t *count);

/* What went wrong and where. field/labels point to static strings or to
 * memory that outlives the reply (an arena). */
struct rh_fail {
	enum rh_err err;
	const char *field;	/* JSON name of the field, or NULL */
	const char *label_zh;	/* human name of the field, or NULL */
	const char *label_en;
	long long n;		/* the bound that was broken (max length, …) */
	long line;		/* line of an uploaded file, 0 = none */
	const char *detail_zh;	/* what exactly was wrong, or NULL */
	const char *detail_en;
};

/* Fills f (if not NULL) and returns err, so callers can write
 * `return rh_fail_field(f, RH_ERR_FIELD_REQUIRED, "name");`. */
enum rh_err rh_fail_field(struct rh_fail *f, enum rh_err err, const char *field);

/* Appends the message for f in English (en != 0) or Chinese. */
int rh_error_message(const struct rh_fail *f, int en, struct buf *out);

#endif
