/*
 * household.c — households and their fields (see household.h).
 */
#include <string.h>
#include "core/household.h"

static const struct choice categories[] = {
	{ "resident", "居民", "Residential", "民用" },
	{ "industrial", "工业", "Industrial", NULL },
	{ "commercial", "商业", "Commercial", NULL },
	{ "public", "公福", "Public service", "公服" },
	{ "special", "特殊用气场所", "Special site", "特殊场所" },
};
const char *const hh_category_codes[] = { "resident", "industrial", "commercial", "public", "special", NULL };
const struct choice_set hh_category_set = CHOICE_SET(categories, hh_category_codes);

static const struct choice locations[] = {
	{ "unknown", "未知", "Unknown", NULL },
	{ "indoor", "户内", "Indoor", "室内" },
	{ "outdoor", "户外", "Outdoor", "室外" },
};
const char *const hh_location_codes[] = { "unknown", "indoor", "outdoor", NULL };
const struct choice_set meter_location_set = CHOICE_SET(locations, hh_location_codes);

static const struct choice meter_types[] = {
	{ "unknown", "未知", "Unknown", NULL },
	{ "diaphragm", "普通膜式表", "Diaphragm meter", "膜式表" },
	{ "ic_card", "IC卡表", "IC-card meter", "IC卡智能表" },
	{ "iot", "物联网表", "IoT meter", "远传表" },
	{ "other", "其他", "Other", NULL },
};
const char *const hh_meter_type_codes[] = { "unknown", "diaphragm", "ic_card", "iot", "other", NULL };
const struct choice_set meter_type_set = CHOICE_SET(meter_types, hh_meter_type_codes);

static const struct choice flags[] = {
	{ "vulnerable", "弱势群体", "Vulnerable", NULL },
	{ "group_rental", "群租", "Group rental", NULL },
	{ "vacant", "长期无人", "Long-term vacant", NULL },
	{ "first_conversion", "首次置换", "First-time conversion", NULL },
};
const char *const hh_flag_codes[] = { "vulnerable", "group_rental", "vacant", "first_conversion", NULL };
const struct choice_set hh_flag_set = CHOICE_SET(flags, hh_flag_codes);

static const struct choice statuses[] = {
	{ "active", "正常", "Active", NULL },
	{ "closed", "销户", "Closed", "已销户" },
};
const char *const hh_status_codes[] = { "active", "closed", NULL };
const struct choice_set hh_status_set = CHOICE_SET(statuses, hh_status_codes);

int account_no_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > ACCOUNT_NO_MAX) return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-'))
			return 0;
	return 1;
}

static json_t *text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *phone_json(const char *phone, enum pii_view v)
{
	if (!phone[0]) return json_null();
	if (v == PII_FULL) return json_string(phone);
	char masked[PHONE_MAX + 1];
	mask_phone(phone, masked, sizeof masked);
	return json_string(masked);
}

json_t *household_to_json(const struct household *h, struct hh_view v)
{
	json_t *o = json_object(), *fl = json_array();
	if (!o || !fl) {
		json_decref(o);
		json_decref(fl);
		return NULL;
	}
	for (size_t i = 0; i < hh_flag_set.n; i++)
		if (h->flags & (1u << i)) json_array_append_new(fl, json_string(hh_flag_set.items[i].code));
	json_object_set_new(o, "id", json_integer(h->id));
	json_object_set_new(o, "account_no", json_string(h->account_no));
	json_object_set_new(o, "name", json_string(h->name));
	if (v.phone != PII_HIDDEN) {
		json_object_set_new(o, "phone", phone_json(h->phone, v.phone));
		json_object_set_new(o, "phone2", phone_json(h->phone2, v.phone));
	}
	json_object_set_new(o, "site_id", json_integer(h->site_id));
	json_object_set_new(o, "site_path", json_string(h->site_path));
	json_object_set_new(o, "room", json_string(h->room));
	json_object_set_new(o, "address", json_string(h->address));
	/* whether the address is made from the site and room (and follows a
	 * rename): a PATCH that only turns it off shows in the audit trail */
	json_object_set_new(o, "address_auto", json_boolean(h->address_auto));
	json_object_set_new(o, "category", json_string(choice_code(&hh_category_set, (int)h->category)));
	json_object_set_new(o, "meter_location", json_string(choice_code(&meter_location_set, (int)h->meter_location)));
	json_object_set_new(o, "meter_type", json_string(choice_code(&meter_type_set, (int)h->meter_type)));
	json_object_set_new(o, "meter_no", json_string(h->meter_no));
	json_object_set_new(o, "flags", fl);
	if (v.id_number != PII_HIDDEN)
		json_object_set_new(o, "id_number", text_or_null(v.id_number == PII_FULL && h->id_number[0] ?
								 h->id_number : h->id_masked));
	json_object_set_new(o, "notes", json_string(h->notes));
	json_object_set_new(o, "status", json_string(choice_code(&hh_status_set, (int)h->status)));
	json_object_set_new(o, "import_id", json_integer(h->import_id));
	json_object_set_new(o, "created_at", json_integer(h->created_at));
	json_object_set_new(o, "updated_at", json_integer(h->updated_at));
	json_object_set_new(o, "version", json_integer(h->version));
	return o;
}

int household_same(const struct household *a, const struct household *b)
{
	return a->site_id == b->site_id && strcmp(a->name, b->name) == 0 && strcmp(a->phone, b->phone) == 0 &&
	       strcmp(a->phone2, b->phone2) == 0 && strcmp(a->room, b->room) == 0 &&
	       strcmp(a->address, b->address) == 0 && a->category == b->category &&
	       a->meter_location == b->meter_location && a->meter_type == b->meter_type &&
	       strcmp(a->meter_no, b->meter_no) == 0 && a->flags == b->flags &&
	       strcmp(a->id_hash, b->id_hash) == 0 && strcmp(a->notes, b->notes) == 0 && a->status == b->status;
}
