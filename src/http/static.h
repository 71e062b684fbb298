/*
 * static.h — the web UI's files, served from the binary (base/asset.h).
 *
 * At start every file under web/ becomes a ready MHD response with its
 * Content-Type, ETag and security headers, shared by all requests; a
 * request whose If-None-Match matches gets 304. "/" is web/index.html.
 * The UI routes with the URL fragment (#/users), so the server never has
 * to guess which paths belong to the UI.
 */
#ifndef RUHU_STATIC_H
#define RUHU_STATIC_H
#include <microhttpd.h>

struct static_files;
struct rh_req;

struct static_files *static_files_load(void);
void static_files_free(struct static_files *f);

/* If r is a GET or HEAD for a UI file, queues the answer, stores MHD's
 * result in *result and returns 1; otherwise returns 0. */
int static_files_answer(struct static_files *f, struct rh_req *r, enum MHD_Result *result);

#endif
