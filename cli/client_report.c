// SPDX-License-Identifier: Apache-2.0
/* client_report.c - one client table row as text (famfsctl clients) and JSON (-j). Pure. */
#include <stdio.h>

#include <json-c/json.h>

#include "cli.h"

static uint64_t behind(const struct cli_client_row *c)
{
	return c->next_index > c->ci.applied ? c->next_index - c->ci.applied : 0;
}

static uint64_t age(const struct cli_client_row *c)
{
	return c->now > c->ci.heartbeat ? c->now - c->ci.heartbeat : 0;
}

void cli_print_client(FILE *f, const struct cli_client_row *c, bool header)
{
	char u[UUID_STR_LEN];

	uuid_unparse_lower(c->ci.uuid, u);
	if (header)
		fprintf(f, "%-4s %-36s %10s %8s %10s  %s\n", "slot", "uuid", "applied", "behind",
			"heartbeat", "notes");
	if (!c->ci.valid) {
		fprintf(f, "%-4u %-36s %10s %8s %10s  bad slot (magic or CRC): blocks reclaim until "
			"evicted\n", c->ci.slot, u, "-", "-", "-");
		return;
	}
	fprintf(f, "%-4u %-36s %10llu %8llu %9llus  %s%s\n", c->ci.slot, u,
		(unsigned long long)c->ci.applied, (unsigned long long)behind(c),
		(unsigned long long)age(c), c->master ? "master " : "", c->self ? "this host" : "");
}

json_object *cli_json_client(const struct cli_client_row *c)
{
	json_object *o = json_object_new_object();
	char u[UUID_STR_LEN];

	uuid_unparse_lower(c->ci.uuid, u);
	json_object_object_add(o, "slot", json_object_new_uint64(c->ci.slot));
	json_object_object_add(o, "uuid", json_object_new_string(u));
	json_object_object_add(o, "valid", json_object_new_boolean(c->ci.valid));
	json_object_object_add(o, "applied", json_object_new_uint64(c->ci.applied));
	json_object_object_add(o, "next_index", json_object_new_uint64(c->next_index));
	json_object_object_add(o, "behind", json_object_new_uint64(behind(c)));
	json_object_object_add(o, "heartbeat", json_object_new_uint64(c->ci.heartbeat));
	json_object_object_add(o, "heartbeat_age", json_object_new_uint64(age(c)));
	json_object_object_add(o, "mount_time", json_object_new_uint64(c->ci.mount_time));
	json_object_object_add(o, "master", json_object_new_boolean(c->master));
	json_object_object_add(o, "this_host", json_object_new_boolean(c->self));
	return o;
}

json_object *cli_json_clients(const struct cli_client_row *rows, int n)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();

	for (int k = 0; k < n; k++)
		json_object_array_add(a, cli_json_client(&rows[k]));
	json_object_object_add(o, "clients", a);
	return o;
}
