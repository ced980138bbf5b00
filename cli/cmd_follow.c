// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_follow.c - famfsctl follow [-i MS] [-n ROUNDS] MOUNTPOINT: keep this host's mount
 * current by itself (famfs_follow()): poll the log's next_index every MS milliseconds
 * (default 1000), cache lines invalidated before each read, and apply new entries as
 * load-maps does (DELETEs unbind their files); heartbeat in the client table meanwhile.
 * Stops on SIGINT or SIGTERM (systemd: scripts/famfs-follow@.service).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define FOLLOW_INTERVAL_MS	1000

static volatile int follow_stop;

static void follow_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

static void follow_help(FILE *f)
{
	fprintf(f, "usage: famfsctl follow [-i MS] [-n ROUNDS] MOUNTPOINT\n"
		"Keep this host's famfs mount current: every MS milliseconds read the log's next\n"
		"index from memory (CPU cache invalidated first) and apply new entries, deletes\n"
		"included (the file's mappings are revoked); log what was applied on stderr and\n"
		"keep this host's heartbeat in the client table. Runs until SIGINT or SIGTERM.\n"
		"  -i, --interval MS  poll interval in milliseconds (default %d)\n"
		"  -n, --rounds N     stop after N polls (tests)\n"
		"  -?, --help         this help\n", FOLLOW_INTERVAL_MS);
}

static int follow_num(const char *what, const char *s, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v == 0 || v > 3600000UL)
		return cli_usage_error("follow", "bad %s '%s' (1..3600000)", what, s);
	*out = (unsigned)v;
	return 0;
}

int cmd_follow(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "rounds", required_argument, NULL, 'n' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	unsigned interval = FOLLOW_INTERVAL_MS, rounds = 0;
	struct sigaction sa = { .sa_handler = follow_signal };
	int c;

	while ((c = cli_getopt(argc, argv, "+i:n:h", opts, 'h')) != -1) {
		switch (c) {
		case 'i':
			if (follow_num("interval", optarg, &interval))
				return 2;
			break;
		case 'n':
			if (follow_num("rounds", optarg, &rounds))
				return 2;
			break;
		case 'h': follow_help(stdout); return 0;
		default: follow_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("follow", "expected one MOUNTPOINT");
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return famfs_follow(argv[optind], interval, rounds, &follow_stop) ? 1 : 0;
}
