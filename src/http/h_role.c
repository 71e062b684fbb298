/*
 * h_role.c — the roles (SPEC X2) and what each may do, read straight
 * from the route table, so what the page shows is what dispatch enforces.
 */
#include "http/handlers.h"

enum rh_err h_role_list(struct rh_req *r)
{
	json_t *roles = json_array();
	for (int i = 0; i < ROLE__COUNT; i++) {
		const struct rh_role_info *ri = role_info(i);
		json_t *routes = json_array();
		for (size_t k = 0; k < rh_routes_count; k++) {
			const struct route *rt = &rh_routes[k];
			if ((rt->flags & (R_PUBLIC | R_SYSTEM)) || !(rt->roles & RH_ROLE(i))) continue;
			json_array_append_new(routes, json_pack("{s:s, s:s, s:s, s:s}", "method", rt->method, "path",
								rt->path, "zh", rt->zh, "en", rt->en));
		}
		json_array_append_new(roles, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "code", ri->code, "zh", ri->zh,
						       "en", ri->en, "desc_zh", ri->desc_zh, "desc_en", ri->desc_en,
						       "routes", routes));
	}
	return reply_json(r, 200, json_pack("{s:o}", "items", roles));
}
