/*
 * h_my.c — what a field worker signed in on their phone needs of their
 * own: the visits they are sent on, from today on, and their badge (with
 * its photo) to show at the door (SPEC S5, V3). The account finds its
 * worker through the staff profile's user_id (one worker per account,
 * store_staff.c).
 *
 * A worker in service sees the households of their own visits still to
 * come — name, account number, address, as on an assignment — and no
 * other (SPEC X5: "staff must never see customers outside their
 * assignments"): not a cancelled one's, not after leaving, whatever
 * estates the account is granted (the visits are the worker's own). This
 * is the only route of theirs that names a household.
 */
#include "http/handlers.h"

/* The caller's worker, or a failure naming staff: an account that is
 * nobody's has no visits and no badge. */
static enum rh_err my_worker(struct rh_req *r, int64_t *staff_id)
{
	enum rh_err rc = store_staff_of_user(req_db(r), r->sess.tenant_id, r->sess.user.id, staff_id);
	if (rc != RH_ERR_NOT_FOUND) return rc == RH_OK ? RH_OK : req_fail(r, rc, NULL);
	req_fail(r, rc, "staff");
	r->fail.detail_zh = "本账号未关联人员档案，请联系管理员在人员档案中关联";
	r->fail.detail_en = "this account is not linked to a staff profile; an administrator links it on the profile";
	return rc;
}

/* The households of the visits are for a worker in service only: one
 * suspended, gone or dismissed goes into no home and reads of none
 * (SPEC X5), whatever account they still sign in with. */
static enum rh_err in_service(struct rh_req *r, int64_t staff_id)
{
	struct staff *s = arena_alloc(r->arena, sizeof *s);
	if (!s) return req_fail(r, RH_ERR_NOMEM, NULL);
	enum rh_err rc = store_staff_get(req_db(r), r->sess.tenant_id, staff_id, 0, s);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "staff" : NULL);
	if (s->status == STAFF_ACTIVE) return RH_OK;
	req_fail(r, RH_ERR_FORBIDDEN, "staff");
	r->fail.detail_zh = "不在岗人员不能查看派工";
	r->fail.detail_en = "a worker not in service sees no visits";
	return RH_ERR_FORBIDDEN;
}

static const struct field list_fields[] = { PAGE_FIELDS };
const struct schema my_assignment_query = SCHEMA(list_fields);
enum { ML_LIMIT, ML_OFFSET };

static int add_item(const struct assignment *a, void *arg)
{
	json_array_append_new(arg, assignment_to_json(a));
	return 0;
}

enum rh_err h_my_assignments(struct rh_req *r)
{
	int64_t staff_id;
	enum rh_err rc = my_worker(r, &staff_id);
	if (rc == RH_OK) rc = in_service(r, staff_id);
	if (rc != RH_OK) return rc;
	int limit = (int)param_int(r, ML_LIMIT, PAGE_DEFAULT_LIMIT), offset = (int)param_int(r, ML_OFFSET, 0);
	json_t *items = json_array();
	int64_t total = 0;
	rc = store_assignments_ahead(req_db(r), r->sess.tenant_id, staff_id, req_today(r), limit, offset, add_item, items,
				     &total);
	if (rc != RH_OK) {
		json_decref(items);
		return req_fail(r, rc, NULL);
	}
	return reply_page(r, items, total, limit, offset);
}

enum rh_err h_my_badge(struct rh_req *r)
{
	int64_t staff_id;
	enum rh_err rc = my_worker(r, &staff_id);
	if (rc != RH_OK) return rc;
	struct badge b;
	rc = store_badge_current(req_db(r), r->sess.tenant_id, staff_id, &b);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "badge" : NULL);
	return badge_card(r, &b);
}

/* The badge's photo, for the card on the worker's own phone. */
enum rh_err h_my_photo(struct rh_req *r)
{
	int64_t staff_id;
	enum rh_err rc = my_worker(r, &staff_id);
	if (rc != RH_OK) return rc;
	char type[16];
	unsigned char *data;
	size_t len;
	rc = store_staff_photo(req_db(r), r->sess.tenant_id, staff_id, type, &data, &len);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "photo" : NULL);
	return reply_raw(r, 200, type, data, len, 1);
}
