/*
 * h_badge.c — the worker's badge (工作证, S5) and its public check at the
 * customer's door (V3).
 *
 * The card (for staff keepers) carries a QR code of the public page's
 * address with the badge's token after '#': the browser keeps the
 * fragment to itself, so the token is in no access log when the page
 * loads; the page then asks /api/v1/public/badge for the answer.
 *
 * The public answer says who the worker is (photo, name, employer, badge
 * number, level), whether the badge is valid right now and, when asked
 * with a door number or an appointment link, whether this worker is
 * expected there today — yes or no, never where. It says nothing else
 * about the worker and nothing at all about any customer. It is the hot
 * path at the door: one indexed read, and one more when a door is asked.
 */
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <microhttpd.h>
#include "http/doorask.h"
#include "http/handlers.h"

static int token_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
		      s[n] == '-' || s[n] == '_'))
			return 0;
	return n == BADGE_TOKEN_LEN;
}
#define TOKEN_RULE_ZH "须为工作证二维码中的 22 位编码"
#define TOKEN_RULE_EN "must be the 22-character code of a badge's QR code"
#define APPOINTMENT_RULE_ZH "须为预约链接中的 22 位编码"
#define APPOINTMENT_RULE_EN "must be the 22-character code of an appointment link"

/* ---- the card ---- */

/* The QR code of text as an SVG image (one path of dark modules, a
 * four-module quiet zone); NULL when out of memory. */
static char *qr_svg(const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q) return NULL;
	struct buf b;
	buf_init(&b, 1u << 20);
	int w = q->width, size = w + 8, rc = buf_printf(&b,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
		"<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size, size, size);
	for (int y = 0; rc == 0 && y < w; y++)
		for (int x = 0; rc == 0 && x < w; x++)
			if (q->data[y * w + x] & 1) rc = buf_printf(&b, "M%d %dh1v1h-1z", x + 4, y + 4);
	if (rc == 0) rc = buf_printf(&b, "\"/></svg>");
	QRcode_free(q);
	if (rc != 0) {
		buf_release(&b);
		return NULL;
	}
	size_t len;
	return buf_detach(&b, &len);
}

/* Where a customer's phone reaches the badge page for token. */
/* A Host header that is a host and nothing else: a name or an address,
 * with a port. "real.host@evil.example" would open evil.example with the
 * token; no userinfo, path, query or fragment gets into a badge's code. */
static int host_only(const char *host)
{
	size_t n = host ? strlen(host) : 0;
	if (!n || n >= 200) return 0;
	return strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]") == n;
}

static void badge_url(struct rh_req *r, const char *token, char *out, size_t cap)
{
	const char *base = r->srv->cfg.public_url;
	if (base) {
		size_t n = strlen(base);
		while (n && base[n - 1] == '/') n--;
		snprintf(out, cap, "%.*s/badge.html#%s", (int)n, base, token);
		return;
	}
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	snprintf(out, cap, "%s://%s/badge.html#%s", r->srv->cfg.cookie_secure ? "https" : "http",
		 host_only(host) ? host : "localhost", token);
}

enum rh_err badge_card(struct rh_req *r, const struct badge *b)
{
	struct badge_public p;
	enum rh_err rc = store_badge_check(req_db(r), b->token, &p);
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	char url[512];
	badge_url(r, b->token, url, sizeof url);
	char *svg = qr_svg(url);
	if (!svg) return req_fail(r, RH_ERR_NOMEM, NULL);
	json_t *out = json_pack("{s:I, s:I, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "id", (json_int_t)b->id,
				"issued_at", (json_int_t)b->issued_at, "valid", p.valid, "name", p.name, "employer",
				p.employer, "organisation", p.organisation, "badge_no", p.badge_no, "level",
				staff_level_codes[p.level], "level_label", choice_label(&staff_level_set, (int)p.level, r->lang_en),
				"photo", p.has_photo, "url", url, "qr_svg", svg);
	free(svg);
	return reply_json(r, 200, out);
}

enum rh_err h_staff_badge_get(struct rh_req *r)
{
	struct badge b;
	enum rh_err rc = store_badge_current(req_db(r), r->sess.tenant_id, r->path_id, &b);
	if (rc == RH_ERR_NOT_FOUND) {	/* no such worker (id), or a worker without a badge (badge) */
		struct staff *s = arena_alloc(r->arena, sizeof *s);
		if (!s) return req_fail(r, RH_ERR_NOMEM, NULL);
		enum rh_err who = store_staff_get(req_db(r), r->sess.tenant_id, r->path_id, 0, s);
		if (who != RH_OK) return req_fail(r, who, who == RH_ERR_NOT_FOUND ? "id" : NULL);
		return req_fail(r, rc, "badge");
	}
	if (rc != RH_OK) return req_fail(r, rc, NULL);
	return badge_card(r, &b);
}

static const struct field issue_fields[] = {
	{ "reason", FT_STRING, F_REQUIRED, 1, 200, NULL, NULL, "原因", "reason" },
};
const struct schema badge_issue_body = SCHEMA(issue_fields);

/* A new badge (a lost card): the old token stops working at once. */
enum rh_err h_staff_badge_issue(struct rh_req *r)
{
	struct badge b;
	struct actor a = req_actor(r, in_str(r, 0));
	enum rh_err rc = store_badge_issue(req_db(r), &a, r->sess.tenant_id, r->path_id, &b, &r->fail);
	if (rc != RH_OK) return rc;
	req_db_release(r);
	return badge_card(r, &b);
}

/* ---- the public check ---- */

static int door_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20) return 0;
	return 1;
}

enum { PB_TOKEN, PB_DOOR, PB_APPOINTMENT };
static const struct field public_fields[] = {
	[PB_TOKEN] = { "token", FT_STRING, F_REQUIRED, 1, BADGE_TOKEN_LEN, NULL, token_ok, "工作证编码", "badge code", TOKEN_RULE_ZH, TOKEN_RULE_EN },
	[PB_DOOR] = { "door", FT_STRING, 0, 1, 20, NULL, door_ok, "门牌号", "door number" },
	[PB_APPOINTMENT] = { "appointment", FT_STRING, 0, 1, BADGE_TOKEN_LEN, NULL, token_ok, "预约编码", "appointment code", APPOINTMENT_RULE_ZH, APPOINTMENT_RULE_EN },
};
const struct schema public_badge_query = SCHEMA(public_fields);
static const struct field photo_fields[] = {
	{ "token", FT_STRING, F_REQUIRED, 1, BADGE_TOKEN_LEN, NULL, token_ok, "工作证编码", "badge code", TOKEN_RULE_ZH, TOKEN_RULE_EN },
};
const struct schema public_badge_photo_query = SCHEMA(photo_fields);

enum rh_err h_public_badge(struct rh_req *r)
{
	struct badge_public p;
	enum rh_err rc = store_badge_check(req_db(r), param_str(r, PB_TOKEN), &p);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "token" : NULL);
	time_t now = time(NULL);
	char checked[26];
	datetime_format((int64_t)now, p.utc_offset_min, checked);
	json_t *out = json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "valid", p.valid, "name", p.name,
				"employer", p.employer, "organisation", p.organisation, "badge_no", p.badge_no, "level",
				choice_label(&staff_level_set, (int)p.level, r->lang_en), "photo", p.has_photo,
				"checked_at", checked);
	json_t *jobs = json_array();
	for (size_t j = 0; j < job_type_set.n; j++)
		if (p.job_types & (1u << j)) json_array_append_new(jobs, json_string(choice_label(&job_type_set, (int)j, r->lang_en)));
	json_object_set_new(out, "job_types", jobs);
	const char *door = param_str(r, PB_DOOR), *appointment = param_str(r, PB_APPOINTMENT);
	/* Expected here today: asked only with a door or an appointment, and
	 * only a valid badge can be expected anywhere. */
	if (door || appointment) {
		char clean[20 * 4 + 1] = "";	/* the door field's 20 characters */
		if (door) door_clean(door, clean, sizeof clean);
		enum door_match how = DOOR_NOT_EXPECTED;
		if (p.valid) {
			rh_day today = date_of((int64_t)now, p.utc_offset_min);
			int visits = 0;
			rc = store_badge_expected(req_db(r), &p, today, clean, appointment, &how, &visits);
			if (rc != RH_OK) {
				json_decref(out);
				return req_fail(r, rc, NULL);
			}
			/* door after door for one badge: a search for the worker's
			 * customers, not a customer at theirs (doorask.h) */
			if (door && !door_asks_allow(r->srv->door_asks, param_str(r, PB_TOKEN), today, clean,
						     door_asks_limit(visits))) {
				json_decref(out);
				req_fail(r, RH_ERR_RATE_LIMITED, "door");
				/* until the organisation's midnight, when the day's count ends */
				int64_t local = (int64_t)now + p.utc_offset_min * 60;
				r->retry_after = (int)(86400 - ((local % 86400) + 86400) % 86400);
				r->fail.detail_zh = "该工作证今日已被查询过许多门牌，请致电其单位核实";
				r->fail.detail_en = "this badge has been asked about many doors today: call its organisation to confirm";
				return RH_ERR_RATE_LIMITED;
			}
		}
		/* "number": a door with this number is expected, which every
		 * building has — the page asks for building and unit too */
		static const char *const door_match[] = {
			[DOOR_BY_NUMBER] = "number", [DOOR_BY_ADDRESS] = "full", [DOOR_BY_APPOINTMENT] = "link",
		};
		json_object_set_new(out, "expected", json_boolean(how != DOOR_NOT_EXPECTED));
		json_object_set_new(out, "door_match", how != DOOR_NOT_EXPECTED ? json_string(door_match[how]) : json_null());
	} else {
		json_object_set_new(out, "expected", json_null());
		json_object_set_new(out, "door_match", json_null());
	}
	return reply_json(r, 200, out);
}

enum rh_err h_public_badge_photo(struct rh_req *r)
{
	char type[16];
	unsigned char *data;
	size_t len;
	enum rh_err rc = store_badge_photo(req_db(r), param_str(r, 0), type, &data, &len);
	if (rc != RH_OK) return req_fail(r, rc, rc == RH_ERR_NOT_FOUND ? "token" : NULL);
	return reply_raw(r, 200, strcmp(type, "image/png") == 0 ? "image/png" : "image/jpeg", data, len, 1);
}
