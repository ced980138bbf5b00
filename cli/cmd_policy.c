// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_policy.c - famfsctl policy show [-j] [-h] [MOUNTPOINT] | attach [NAME] |
 *                set MOUNTPOINT NAME | detach NAME | list [-j];
 *                famfsctl stats [-j] [-h] MOUNTPOINT
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct policy_sub {
	const char *name;
	const char *args;	/* usage after the name */
	const char *what;	/* one line */
	int min, max;		/* operands */
	int (*fn)(char **operands, bool json, unsigned size_flags);
};

static int policy_show(char **operands, bool json, unsigned size_flags);
static int policy_attach(char **operands, bool json, unsigned size_flags);
static int policy_set(char **operands, bool json, unsigned size_flags);
static int policy_detach(char **operands, bool json, unsigned size_flags);
static int policy_list(char **operands, bool json, unsigned size_flags);

static const struct policy_sub policy_subs[] = {
	{ "show", "[-j] [-h] [MOUNTPOINT]", "policies, their counters per device", 0, 1, policy_show },
	{ "attach", "[NAME]", "attach NAME (default " FAMFS_DEFAULT_POLICY ")", 0, 1, policy_attach },
	{ "set", "MOUNTPOINT NAME", "switch the mount to attached NAME, live (no remount)", 2, 2,
	  policy_set },
	{ "detach", "NAME", "detach (its mounts then fail: EIO/SIGBUS)", 1, 1, policy_detach },
	{ "list", "[-j]", "policies built into famfsctl", 0, 0, policy_list },
};
#define NSUBS (sizeof(policy_subs) / sizeof(policy_subs[0]))

static void policy_help(FILE *f)
{
	for (size_t i = 0; i < NSUBS; i++) {
		char head[64];

		snprintf(head, sizeof(head), "%s %s", policy_subs[i].name, policy_subs[i].args);
		fprintf(f, "%s famfsctl policy %-28s %s\n", i ? "      " : "usage:", head,
			policy_subs[i].what);
	}
	fprintf(f, "A switch is RCU: faults in flight finish with the old policy, the next use NAME.\n"
		"  -j, --json        (show, list) print one JSON object\n"
		"  -h, --human       (show) bytes mapped in KiB/MiB/GiB\n"
		"  -v, --verbose     debug messages (libbpf's too)\n"
		"  -?, --help        this help ('famfsctl policy SUBCOMMAND --help' for one)\n");
}

static void policy_sub_help(FILE *f, const struct policy_sub *s)
{
	fprintf(f, "usage: famfsctl policy %s %s\n  %s\n", s->name, s->args, s->what);
	if (strchr(s->args, 'j'))
		fprintf(f, "  -j, --json        print one JSON object\n");
	if (strchr(s->args, 'h'))
		fprintf(f, "  -h, --human       bytes mapped in KiB/MiB/GiB\n");
	fprintf(f, "  -v, --verbose     debug messages (libbpf's too)\n"
		   "  -?, --help        this help\n");
}

/* The built-in policies: attached or not, their counters, whether @st's mount uses them. */
static size_t policy_rows(const struct famfs_ioc_stats *st, struct cli_policy_row *rows,
			  size_t max)
{
	size_t n = 0;

	for (int i = 0; famfs_policy_names[i] && n < max; i++, n++) {
		const char *name = famfs_policy_names[i];

		memset(&rows[n], 0, sizeof(rows[n]));
		rows[n].name = name;
		rows[n].attached = famfs_policy_attached(name);
		rows[n].this_mount = st && st->policy_attached && !strcmp(st->policy, name);
		rows[n].have_stats = !famfs_policy_stats(name, &rows[n].stats);
		if (famfs_policy_kinds(name, &rows[n].kinds))
			rows[n].kinds = 0;
	}
	return n;
}

static int policy_show(char **operands, bool json, unsigned size_flags)
{
	const char *mpt = operands[0];
	struct famfs_ioc_stats st = { 0 };
	struct cli_policy_row rows[FAMFS_MAX_POLICIES * 2];
	size_t n;

	if (mpt && famfs_mount_stats(mpt, &st))
		return 1;
	n = policy_rows(mpt ? &st : NULL, rows, sizeof(rows) / sizeof(rows[0]));
	if (json)
		return cli_json_print(stdout, cli_json_policies(mpt, mpt ? &st : NULL, rows, n)) ? 1 : 0;
	if (mpt)
		cli_print_policy_mount(stdout, mpt, &st);
	for (size_t i = 0; i < n; i++)
		if (rows[i].have_stats)
			cli_print_policy_row(stdout, &rows[i], size_flags);
	return 0;
}

static int policy_attach(char **operands, bool json, unsigned size_flags)
{
	return famfs_policy_attach(operands[0] ? operands[0] : FAMFS_DEFAULT_POLICY) ? 1 : 0;
}

static int policy_set(char **operands, bool json, unsigned size_flags)
{
	return famfs_mount_set_policy(operands[0], operands[1]) ? 1 : 0;
}

static int policy_detach(char **operands, bool json, unsigned size_flags)
{
	return famfs_policy_detach(operands[0]) ? 1 : 0;
}

static int policy_list(char **operands, bool json, unsigned size_flags)
{
	struct cli_policy_row rows[FAMFS_MAX_POLICIES * 2];
	size_t n = policy_rows(NULL, rows, sizeof(rows) / sizeof(rows[0]));

	if (json)
		return cli_json_print(stdout, cli_json_policies(NULL, NULL, rows, n)) ? 1 : 0;
	cli_print_policy_list(stdout, rows, n);
	return 0;
}

/* One subcommand: argv[0] is "policy NAME" (for messages); options, operands, run. */
static int policy_run(const struct policy_sub *s, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "human", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, 'H' }, { "verbose", no_argument, NULL, 'v' }, { 0 },
	};
	char *operands[2] = { NULL, NULL };
	unsigned size_flags = 0;
	bool json = false;
	int c, n;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "+jhv", opts, 'H')) != -1) {
		if (c == 'v') {
			cli_verbose_on();
			continue;
		}
		if (c == 'H')
			return policy_sub_help(stdout, s), 0;
		if (c == 'j' && strchr(s->args, 'j')) {
			json = true;
			continue;
		}
		if (c == 'h' && strchr(s->args, 'h')) {
			size_flags |= CLI_SIZE_HUMAN;
			continue;
		}
		if (c != '?')
			cli_usage_error(argv[0], "option '-%c' does not apply here", c);
		return policy_sub_help(stderr, s), 2;
	}
	n = argc - optind;
	if (n < s->min || n > s->max)
		return cli_usage_error(argv[0], "expected %s", s->args);
	for (int i = 0; i < n; i++)
		operands[i] = argv[optind + i];
	return s->fn(operands, json, size_flags);
}

int cmd_policy(int argc, char **argv)
{
	static char name[32];
	const char *sub;

	while (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--verbose"))) {
		cli_verbose_on();	/* -v before the subcommand too */
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	sub = argc > 1 ? argv[1] : "";
	if (argc < 2 || !strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "-?")) {
		policy_help(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < NSUBS; i++) {
		if (strcmp(sub, policy_subs[i].name))
			continue;
		snprintf(name, sizeof(name), "policy %s", sub);
		argv[1] = name;
		return policy_run(&policy_subs[i], argc - 1, argv + 1);
	}
	return cli_usage_error("policy", "unknown subcommand '%s'", sub);
}

static void stats_help(FILE *f)
{
	fprintf(f, "usage: famfsctl stats [-j] [-h] [-v] MOUNTPOINT\n"
		"A mount's fault and translation counters, its policy and device sizes, on one\n"
		"line of key=value.\n"
		"  -j, --json        print one JSON object\n"
		"  -h, --human       device sizes in KiB/MiB/GiB\n"
		"  -v, --verbose     debug messages\n"
		"  -?, --help        this help\n");
}

int cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "human", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, 'H' }, { "verbose", no_argument, NULL, 'v' }, { 0 },
	};
	struct famfs_ioc_stats st;
	unsigned size_flags = 0;
	bool json = false;
	int c;

	while ((c = cli_getopt(argc, argv, "+jhv", opts, 'H')) != -1) {
		switch (c) {
		case 'v': cli_verbose_on(); break;
		case 'j': json = true; break;
		case 'h': size_flags |= CLI_SIZE_HUMAN; break;
		case 'H': stats_help(stdout); return 0;
		default: stats_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("stats", "expected one MOUNTPOINT");
	if (famfs_mount_stats(argv[optind], &st))
		return 1;
	if (json)
		return cli_json_print(stdout, cli_json_stats(argv[optind], &st)) ? 1 : 0;
	cli_print_stats(stdout, &st, size_flags);
	return 0;
}
