/*
 * job.c — job states, back-off and JSON form (see job.h).
 */
#include <string.h>
#include "core/job.h"

static const char *const states[] = { "pending", "running", "done", "dead", "cancelled" };

const char *job_state_code(enum job_state s)
{
	return (unsigned)s < 5 ? states[s] : "pending";
}

int job_state_parse(const char *s, enum job_state *out)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(s, states[i]) == 0) { *out = (enum job_state)i; return 0; }
	return -1;
}

int64_t job_backoff(int attempts)
{
	if (attempts < 1) attempts = 1;
	if (attempts > 8) return 3600;
	int64_t s = 30LL << (attempts - 1);
	return s > 3600 ? 3600 : s;
}

/* The text in the reader's language, or the text as stored. */
static json_t *outcome(const char *stored, int en)
{
	if (!stored[0]) return json_null();
	json_t *both = json_loads(stored, 0, NULL);
	json_t *one = json_object_get(both, en ? "en" : "zh");
	json_t *out = json_is_string(one) ? json_incref(one) : json_string(stored);
	json_decref(both);
	return out;
}

json_t *job_to_json(const struct job *j, int en)
{
	json_t *payload = json_loads(j->payload, 0, NULL);
	return json_pack("{s:I, s:I, s:s, s:o, s:I, s:s, s:i, s:i, s:o, s:o, s:I, s:I, s:I, s:I}",
			 "id", (json_int_t)j->id, "tenant_id", (json_int_t)j->tenant_id, "kind", j->kind,
			 "payload", payload ? payload : json_object(), "run_at", (json_int_t)j->run_at,
			 "state", job_state_code(j->state), "attempts", j->attempts, "max_attempts",
			 j->max_attempts, "last_error", outcome(j->last_error, en), "result",
			 outcome(j->result, en), "created_at", (json_int_t)j->created_at,
			 "updated_at", (json_int_t)j->updated_at, "finished_at", (json_int_t)j->finished_at,
			 "version", (json_int_t)j->version);
}
