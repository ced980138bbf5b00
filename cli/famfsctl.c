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
	{ "check",	cmd_check,	"check every file of a mount has an fmap the policy translates" },
	{ "chkread",	cmd_chkread,	"check read() and mmap give the same bytes for files" },
	{ "daxmode",	cmd_daxmode,	"show or switch a dax device's mode (devdax, famfs)" },
	{ "fsck",	cmd_fsck,	"check superblock, log, extents and cross-links" },
	{ "getmap",	cmd_getmap,	"a file's fmap, and what the live policy answers" },
	{ "flush",	cmd_flush,	"write back / invalidate CPU caches over files (non-coherent memory)" },
	{ "policy",	cmd_policy,	"show, attach, set (per mount, live) or detach fmap policies" },
	{ "stats",	cmd_stats,	"a mount's fault and translation counters" },
	{ "rm",		cmd_rm,		"delete files; their space is reused once every client applied it (master)" },
	{ "clients",	cmd_clients,	"the hosts in the client table, how far behind each is; --evict" },
	{ "status",	cmd_status,	"the log index this host's mount has applied" },
	{ "follow",	cmd_follow,	"keep this host's mount current: poll the log, apply new entries" },
};

void cli_verbose_on(void)
{
	cli_verbose = true;
	famfs_set_msg_level(FAMFS_MSG_DEBUG);
}

/* Every message goes to stderr (stdout is for data: text reports and JSON). */
static void cli_log(enum famfs_msg_level level, const char *msg)
{
	fprintf(stderr, "%s%s\n", level == FAMFS_MSG_ERR ? "famfsctl: " : "", msg);
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
	fprintf(f, "usage: famfsctl [-v] COMMAND [ARGS]   ('famfsctl COMMAND --help' or '-?' for each)\n"
		"       famfsctl --version\n\n");
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
	fprintf(f, "\n  -v, --verbose     debug messages (libbpf's too), on stderr\n"
		"  -?, -h, --help    this help\n"
		"      --version     famfsctl's version and the on-media format it writes\n");
}

/* famfsctl's own options, before COMMAND. 0 go on (optind: COMMAND), 1 done (exit 0), 2 error. */
static int cli_main_opts(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' }, { 0 },
	};
	int c;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "+vh", opts, 'h')) != -1) {
		switch (c) {
		case 'v': cli_verbose = true; break;
		case 'h': usage(stdout); return 1;
		case 'V':
			printf("famfsctl %s (on-media format %d.%d)\n", FAMFSCTL_VERSION,
			       FAMFS_OMF_MAJOR, FAMFS_OMF_MINOR);
			return 1;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	return 0;
}

static int cli_main(int argc, char **argv)
{
	static char self[] = "";
	int ret;

	argv[0] = self;	/* messages about famfsctl's own options say "famfsctl: ..." */
	ret = cli_main_opts(argc, argv);
	if (ret)
		return ret == 1 ? 0 : ret;
	argc -= optind;
	argv += optind;
	umask(0);	/* modes come from the log or the options, exactly */
	famfs_set_msg_fn(cli_log);
	famfs_set_msg_level(cli_verbose ? FAMFS_MSG_DEBUG : FAMFS_MSG_INFO);
	libbpf_set_print(cli_libbpf_print);
	for (size_t c = 0; c < sizeof(cli_cmds) / sizeof(cli_cmds[0]); c++) {
		if (strcmp(cli_cmds[c].name, argv[0]))
			continue;
		optind = 0;	/* a fresh getopt for the command's own argv */
		return cli_cmds[c].fn(argc, argv);
	}
	fprintf(stderr, "famfsctl: unknown command '%s'\n", argv[0]);
	usage(stderr);
	return 2;
}

/* Close stdout, checked: a write error (a full disk, a closed pipe) is a non-zero exit. */
static int cli_close_stdout(int ret)
{
	bool failed = ferror(stdout);

	errno = 0;
	if (fclose(stdout) || failed) {
		fprintf(stderr, "famfsctl: write error on stdout: %s\n",
			errno ? strerror(errno) : "output lost");
		return ret ? ret : 1;
	}
	return ret;
}

int main(int argc, char **argv)
{
	return cli_close_stdout(cli_main(argc, argv));
}
