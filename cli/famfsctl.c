// SPDX-License-Identifier: Apache-2.0
/*
 * famfsctl - famfs-bpf's command line. Subcommands and their main options follow famfs's
 * CLI, so a famfs user's script works after a rename.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpf/libbpf.h>

#include "cli.h"

bool cli_verbose;

static const struct cli_cmd cli_cmds[] = {
	{ "mkfs",	cmd_mkfs,	"write a superblock and an empty log; this host is the master" },
	{ "mount",	cmd_mount,	"validate, mount, attach a policy if none, load the maps" },
	{ "umount",	cmd_umount,	"unmount a famfs" },
	{ "load-maps",	cmd_load_maps,	"replay the log into a mount and fill the fmap map" },
	{ "logplay",	cmd_load_maps,	"famfs's name for load-maps" },
	{ "mkdir",	cmd_mkdir,	"log and make a directory (master)" },
	{ "cp",		cmd_cp,		"allocate, log and copy files in (master)" },
	{ "creat",	cmd_creat,	"allocate and log a file, optionally with a seeded fill (master)" },
	{ "verify",	cmd_verify,	"check a file's seeded contents" },
	{ "fsck",	cmd_fsck,	"check superblock, log, extents and cross-links" },
	{ "getmap",	cmd_getmap,	"a file's fmap, and what the live policy answers" },
	{ "flush",	cmd_flush,	"write back / invalidate CPU caches over files (non-coherent memory)" },
	{ "policy",	cmd_policy,	"show, attach, set (per mount, live) or detach fmap policies" },
	{ "stats",	cmd_stats,	"a mount's fault and translation counters" },
};

int cli_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end || (shift && v > (~0ULL >> shift)))
		return -EINVAL;
	*bytes = v << shift;
	return 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "famfsctl %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'famfsctl %s --help')\n", cmd);
	return 2;
}

static void cli_log(enum famfs_msg_level level, const char *msg)
{
	fprintf(level == FAMFS_MSG_ERR ? stderr : stdout, "%s%s\n",
		level == FAMFS_MSG_ERR ? "famfsctl: " : "", msg);
}

static int cli_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !cli_verbose)
		return 0;
	if (level == LIBBPF_INFO && !cli_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: famfsctl [-v] COMMAND [ARGS]   ('famfsctl COMMAND --help' for each)\n\n");
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
}

int main(int argc, char **argv)
{
	int i = 1, ret;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			cli_verbose = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "famfsctl: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
		i++;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	umask(0);	/* modes come from the log or the options, exactly */
	famfs_set_msg_fn(cli_log);
	famfs_set_msg_level(cli_verbose ? FAMFS_MSG_DEBUG : FAMFS_MSG_INFO);
	libbpf_set_print(cli_libbpf_print);

	for (size_t c = 0; c < sizeof(cli_cmds) / sizeof(cli_cmds[0]); c++) {
		if (strcmp(cli_cmds[c].name, argv[i]))
			continue;
		optind = 1;
		ret = cli_cmds[c].fn(argc - i, argv + i);
		if (fflush(stdout) || ferror(stdout)) {
			perror("famfsctl: stdout");
			return 1;
		}
		return ret;
	}
	fprintf(stderr, "famfsctl: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}
