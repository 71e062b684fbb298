/*
 * static.c — serving the embedded web UI (see static.h).
 */
#include <stdlib.h>
#include <string.h>
#include "base/asset.h"
#include "http/http.h"
#include "http/metrics.h"
#include "http/static.h"

#define WEB_PREFIX "web"

struct file {
	const struct asset *asset;
	struct MHD_Response *resp;
};

struct static_files {
	struct file *files;
	size_t n, cap;
};

static const char *content_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" }, { ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" }, { ".png", "image/png" }, { ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" }, { ".woff2", "font/woff2" },
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i].ext) == 0) return types[i].type;
	return "application/octet-stream";
}

static void add(const struct asset *a, void *arg)
{
	struct static_files *f = arg;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 32;
		struct file *p = realloc(f->files, cap * sizeof *p);
		if (!p) return;
		f->files = p;
		f->cap = cap;
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
	if (!resp) return;
	const char *type = content_type(a->name);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, a->etag);
	/* Revalidate every time: an upgraded binary must never leave a phone
	 * running yesterday's script with today's API. */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	reply_add_common_headers(resp, strncmp(type, "text/html", 9) == 0);
	f->files[f->n].asset = a;
	f->files[f->n].resp = resp;
	f->n++;
}

struct static_files *static_files_load(void)
{
	struct static_files *f = calloc(1, sizeof *f);
	if (f) asset_each(WEB_PREFIX "/", add, f);
	return f;
}

void static_files_free(struct static_files *f)
{
	if (!f) return;
	for (size_t i = 0; i < f->n; i++) MHD_destroy_response(f->files[i].resp);
	free(f->files);
	free(f);
}

static const struct file *find(const struct static_files *f, const char *path)
{
	char name[256];
	if (strcmp(path, "/") == 0) path = "/index.html";
	if (strlen(path) + sizeof WEB_PREFIX >= sizeof name) return NULL;
	strcpy(name, WEB_PREFIX);
	strcat(name, path);
	for (size_t i = 0; i < f->n; i++)	/* a few dozen files */
		if (strcmp(f->files[i].asset->name, name) == 0) return &f->files[i];
	return NULL;
}

int static_files_answer(struct static_files *f, struct rh_req *r, enum MHD_Result *result)
{
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) return 0;
	if (strncmp(r->path, "/api/", 5) == 0) return 0;
	const struct file *file = find(f, r->path);
	if (!file) return 0;
	r->route_index = METRICS_STATIC;
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm && strcmp(inm, file->asset->etag) == 0) {
		struct MHD_Response *nm = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (!nm) { *result = MHD_NO; return 1; }
		MHD_add_response_header(nm, MHD_HTTP_HEADER_ETAG, file->asset->etag);
		MHD_add_response_header(nm, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
		r->status = MHD_HTTP_NOT_MODIFIED;
		*result = MHD_queue_response(r->conn, MHD_HTTP_NOT_MODIFIED, nm);
		MHD_destroy_response(nm);
		return 1;
	}
	r->status = MHD_HTTP_OK;
	*result = MHD_queue_response(r->conn, MHD_HTTP_OK, file->resp);	/* shared: not destroyed */
	return 1;
}
