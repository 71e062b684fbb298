/*
 * reply.c — turning a handler's result into an HTTP answer.
 *
 * Errors all take one shape, {"error":{"code","message","field"}}, with
 * the message in the caller's language and the status from the error
 * table (core/error.c); no handler writes an error body itself.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "http/http.h"

/* The UI may load only what the binary serves: no inline script, no
 * other origin, no framing (SPEC: strict CSP). */
#define CSP_HTML "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;" \
	" connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';" \
	" frame-ancestors 'none'; form-action 'self'"
#define CSP_API "default-src 'none'; frame-ancestors 'none'"

void reply_add_common_headers(struct MHD_Response *resp, int html)
{
	MHD_add_response_header(resp, "Content-Security-Policy", html ? CSP_HTML : CSP_API);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (!html) return;
	/* What matters only for a document a browser renders; API answers
	 * (CSP default-src 'none', nosniff) are never rendered, and each
	 * header costs allocations on every answer. */
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy", "geolocation=(self), camera=(self), microphone=()");
}

enum rh_err reply_json(struct rh_req *r, int status, json_t *out)
{
	json_decref(r->out);
	r->out = out;
	r->status = status;
	return out ? RH_OK : req_fail(r, RH_ERR_NOMEM, NULL);
}

enum rh_err reply_page(struct rh_req *r, json_t *items, int64_t total, int limit, int offset)
{
	return reply_json(r, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total,
					    "limit", limit, "offset", offset));
}

enum rh_err reply_raw(struct rh_req *r, int status, const char *type, void *data, size_t len, int must_free)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, must_free ? MHD_RESPMEM_MUST_FREE
										     : MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		if (must_free) free(data);
		return req_fail(r, RH_ERR_NOMEM, NULL);
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	reply_add_common_headers(resp, 0);
	if (r->raw && !r->raw_shared) MHD_destroy_response(r->raw);
	r->raw_shared = 0;
	r->raw = resp;
	r->status = status;
	return RH_OK;
}

enum rh_err reply_file(struct rh_req *r, const char *type, const char *name, const char *ext, char *data, size_t len)
{
	enum rh_err rc = reply_raw(r, 200, type, data, len, 1);
	if (rc != RH_OK) return rc;
	/* name is ours (ASCII), never the user's: no header injection. */
	char disp[160];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s.%s\"", name, ext);
	MHD_add_response_header(r->raw, "Content-Disposition", disp);
	return RH_OK;
}

enum rh_err req_fail(struct rh_req *r, enum rh_err err, const char *field)
{
	return rh_fail_field(&r->fail, err, field);
}

enum rh_err req_fail_in(struct rh_req *r, enum rh_err err, int f)
{
	/* f indexes the body's schema; a route without one (a query's field
	 * named by mistake) gets the error without a field, not a crash */
	if (!r->route->body || f < 0 || (size_t)f >= r->route->body->n) {
		log_error("req_fail_in: %s %s has no body field %d", r->route->method, r->route->path, f);
		return rh_fail_field(&r->fail, err, NULL);
	}
	const struct field *fd = &r->route->body->fields[f];
	rh_fail_field(&r->fail, err, fd->name);
	r->fail.label_zh = fd->zh;
	r->fail.label_en = fd->en;
	return err;
}

enum rh_err req_fail_why(struct rh_req *r, enum rh_err err, int f, const char *zh, const char *en)
{
	req_fail_in(r, err, f);
	r->fail.detail_zh = zh;
	r->fail.detail_en = en;
	return err;
}

/* Names the field in the caller's words when the store only gave its
 * JSON name (e.g. "username" on a duplicate). */
static void find_labels(struct rh_req *r)
{
	const struct schema *schemas[2] = { r->route ? r->route->body : NULL, r->route ? r->route->query : NULL };
	for (int k = 0; k < 2 && !r->fail.label_zh; k++)
		for (size_t i = 0; schemas[k] && i < schemas[k]->n; i++)
			if (strcmp(schemas[k]->fields[i].name, r->fail.field) == 0) {
				r->fail.label_zh = schemas[k]->fields[i].zh;
				r->fail.label_en = schemas[k]->fields[i].en;
				break;
			}
}

static json_t *error_body(struct rh_req *r, enum rh_err err)
{
	if (r->fail.err != err) rh_fail_field(&r->fail, err, NULL);
	if (r->fail.field && !r->fail.label_zh) find_labels(r);
	const struct rh_error_info *info = rh_error_info(err);
	struct buf msg = BUF_INIT(2048);
	rh_error_message(&r->fail, r->lang_en, &msg);
	json_t *e = json_pack("{s:s, s:s, s:i}", "code", info->code, "message", buf_str(&msg), "number", (int)err);
	buf_release(&msg);
	if (e && r->fail.field) json_object_set_new(e, "field", json_string(r->fail.field));
	if (e && r->fail.line) json_object_set_new(e, "line", json_integer(r->fail.line));
	/* the rule broken, alone: a form shows it under the field its label names */
	const char *detail = r->lang_en ? r->fail.detail_en : r->fail.detail_zh;
	if (e && r->fail.field && detail) json_object_set_new(e, "detail", json_string(detail));
	if (e && err == RH_ERR_VERSION_CONFLICT) json_object_set_new(e, "current_version", json_integer(r->fail.n));
	return e ? json_pack("{s:o}", "error", e) : NULL;
}

/* json_dump_callback() target: appends to a struct buf. */
static int dump_into(const char *p, size_t n, void *arg)
{
	return buf_append(arg, p, n);
}

/* The answer's JSON text, malloc'ed, in one buffer sized for the common
 * case: json_dumps() would grow a buffer from 16 bytes and then copy it. */
static char *render_json(json_t *body, size_t *len)
{
	struct buf b = BUF_INIT(64u << 20);
	if (buf_reserve(&b, 2048) != 0 || json_dump_callback(body, dump_into, &b, JSON_COMPACT) != 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}

struct MHD_Response *reply_render(struct rh_req *r, enum rh_err err, int *status)
{
	if (err == RH_OK && r->raw) {
		struct MHD_Response *raw = r->raw;
		r->raw = NULL;
		*status = r->status ? r->status : 200;
		return raw;
	}
	json_t *body = NULL;
	if (err != RH_OK) {
		*status = rh_error_info(err)->http_status;
		if (*status >= 500) log_error("%s %s failed: %s", r->method, r->path, rh_error_info(err)->code);
		body = error_body(r, err);
		/* A refusal with details (an import's row errors): the error
		 * joins the handler's answer. */
		if (body && json_is_object(r->out)) {
			json_object_update_missing(body, r->out);
		}
	} else {
		*status = r->status ? r->status : 200;
		body = json_incref(r->out);
	}
	char *text = NULL;
	size_t len = 0;
	if (body) {
		text = render_json(body, &len);
		json_decref(body);
	}
	if (*status == 204) {
		free(text);
		text = NULL;
		len = 0;
	} else if (!text) {
		/* Out of memory while rendering: a fixed answer still goes out. */
		static const char oom[] = "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}}";
		*status = 503;
		text = strdup(oom);
		len = text ? strlen(text) : 0;
	}
	struct MHD_Response *resp = text ? MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE)
					 : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(text);
		return NULL;
	}
	if (len) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	reply_add_common_headers(resp, 0);
	if (r->set_cookie) MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
	if (err == RH_ERR_RATE_LIMITED) {
		/* When the bucket holds a token again: a minute over the rate. */
		int rate = r->route && (r->route->flags & R_THROTTLED) ? r->srv->cfg.public_rate : r->srv->cfg.login_rate;
		char after[16];
		snprintf(after, sizeof after, "%d", r->retry_after > 0 ? r->retry_after : rate > 0 && rate < 60 ? (60 + rate - 1) / rate : 1);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, after);
	}
	return resp;
}
