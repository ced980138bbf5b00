// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_clients.c - the client table from the command line (OMF >= 1.3):
 *   famfsctl clients [-j] [--evict UUID] MOUNTPOINT   the hosts, how far behind each is
 *   famfsctl status [-j] MOUNTPOINT                   this host's applied log index
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void clients_help(FILE *f)
{
	fprintf(f, "usage: famfsctl clients [-j] [--evict UUID] MOUNTPOINT\n"
		"List the hosts in the file system's client table: system UUID, the log index\n"
		"each host's mount has applied, how many entries it is behind, its last heartbeat.\n"
		"A deleted file's space is reused only when every listed host has applied the\n"
		"delete. A host that is down for good blocks that until it is evicted.\n"
		"  -e, --evict UUID  remove that host's slot. Only for a host that is down and will\n"
		"                    not touch the memory again before it mounts anew: the master\n"
		"                    may then reuse space that host could still have mapped\n"
		"  -j, --json        one JSON object\n"
		"  -?, --help        this help\n");
}

static void status_help(FILE *f)
{
	fprintf(f, "usage: famfsctl status [-j] MOUNTPOINT\n"
		"The log index this host's mount has applied (from its client table slot), the\n"
		"log's next index and how far behind this host is.\n"
		"  -j, --json        one JSON object\n"
		"  -?, --help        this help\n");
}

/* The rows of the table of the mount at @mpt (@self_only: this host's). -errno. */
static int clients_rows(const char *mpt, struct cli_client_row *rows, int *n, bool self_only)
{
	struct famfs_client_info ci[FAMFS_CLIENT_SLOTS];
	struct famfs_clients *t;
	struct famfs_media *m;
	uuid_t me;
	uint64_t next;
	int ret, k, cnt;

	ret = famfs_mount_ready(mpt) ?: famfs_media_open_mount(mpt, FAMFS_OPEN_RDONLY, &m);
	if (ret)
		return ret;
	next = famfs_log_next_index_fresh(m);
	ret = famfs_clients_open_media(m, false, &t);
	if (ret == -EOPNOTSUPP)
		famfs_msg(FAMFS_MSG_ERR, "%s: OMF 1.%u has no client table (1.%d and later)", mpt,
			  le16toh(famfs_media_sb(m)->sb_omf_minor), FAMFS_OMF_MINOR_DELETE);
	if (ret == 0)
		ret = famfs_system_uuid(me);
	if (ret) {
		famfs_media_close(m);
		return ret;
	}
	cnt = famfs_clients_list(t, ci);
	*n = 0;
	for (k = 0; k < cnt; k++) {
		struct cli_client_row r = {
			.ci = ci[k], .next_index = next, .now = (uint64_t)time(NULL),
			.self = !uuid_compare(ci[k].uuid, me),
			.master = !uuid_compare(ci[k].uuid, famfs_media_sb(m)->sb_master_uuid),
		};

		if (!self_only || (r.self && r.ci.valid))
			rows[(*n)++] = r;
	}
	famfs_clients_close(t);
	famfs_media_close(m);
	return 0;
}

static int clients_evict(const char *mpt, const char *arg)
{
	struct famfs_clients *t;
	uuid_t u;
	int n;

	if (uuid_parse(arg, u))
		return cli_usage_error("clients", "bad UUID '%s'", arg);
	if (famfs_clients_open_mount(mpt, true, &t))
		return 1;
	n = famfs_clients_evict(t, u);
	famfs_clients_close(t);
	if (n <= 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: no client %s in the table", mpt, arg);
		return 1;
	}
	famfs_msg(FAMFS_MSG_INFO, "evicted %s from %s (that host must not touch the memory again)",
		  arg, mpt);
	return 0;
}

int cmd_clients(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "evict", required_argument, NULL, 'e' }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct cli_client_row rows[FAMFS_CLIENT_SLOTS];
	const char *evict = NULL;
	bool json = false;
	int c, n, k;

	while ((c = cli_getopt(argc, argv, "+e:jh", opts, 'h')) != -1) {
		switch (c) {
		case 'e': evict = optarg; break;
		case 'j': json = true; break;
		case 'h': clients_help(stdout); return 0;
		default: clients_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("clients", "expected one MOUNTPOINT");
	if (evict)
		return clients_evict(argv[optind], evict);
	if (clients_rows(argv[optind], rows, &n, false))
		return 1;
	if (json) {
		struct json_object *a = cli_json_clients(rows, n);

		return cli_json_print(stdout, a) ? 1 : 0;
	}
	for (k = 0; k < n; k++)
		cli_print_client(stdout, &rows[k], k == 0);
	return 0;
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct cli_client_row rows[FAMFS_CLIENT_SLOTS];
	bool json = false;
	int c, n;

	while ((c = cli_getopt(argc, argv, "+jh", opts, 'h')) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'h': status_help(stdout); return 0;
		default: status_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("status", "expected one MOUNTPOINT");
	if (clients_rows(argv[optind], rows, &n, true))
		return 1;
	if (n == 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: this host has no slot in the client table (not "
			  "mounted through famfsctl mount, or evicted: famfsctl load-maps)",
			  argv[optind]);
		return 1;
	}
	if (json)
		return cli_json_print(stdout, cli_json_client(&rows[0])) ? 1 : 0;
	printf("famfs status: %s applied=%llu next_index=%llu behind=%llu heartbeat_age=%llus\n",
	       argv[optind], (unsigned long long)rows[0].ci.applied,
	       (unsigned long long)rows[0].next_index,
	       (unsigned long long)(rows[0].next_index > rows[0].ci.applied ?
				    rows[0].next_index - rows[0].ci.applied : 0),
	       (unsigned long long)(rows[0].now > rows[0].ci.heartbeat ?
				    rows[0].now - rows[0].ci.heartbeat : 0));
	return 0;
}
