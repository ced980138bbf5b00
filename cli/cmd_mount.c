// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_mount.c - famfsctl mount / umount / load-maps (logplay). The work is the loader's
 * (famfs_mount_fs(), famfs_umount_fs(), famfs_load_maps()); this parses and prints.
 *
 *   mount [-p POLICY] [-v] [-j] DEVICE MOUNTPOINT
 *   umount MOUNTPOINT
 *   load-maps | logplay [-n] [-c] [-p POLICY] [-v] [-j] MOUNTPOINT
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The replay's result: the one text line, or with -j one JSON object. */
static int report(const char *dev, const char *mpt, const struct famfs_replay_result *r,
		  bool dry, bool json)
{
	if (json)
		return cli_json_print(stdout, cli_json_replay(mpt, dev, r, dry)) ? 1 : 0;
	cli_print_replay(stdout, mpt, r, dry);
	return 0;
}

/* @name: "load-maps" or "logplay", as typed. */
static void load_maps_help(FILE *f, const char *name)
{
	fprintf(f, "usage: famfsctl %s [-n] [-c] [-p POLICY] [-v] [-j] MOUNTPOINT\n", name);
	fprintf(f, "With -p, attach POLICY if needed and make the mount use it; without, keep the\n"
		"mount's policy (attaching famfs_simple if it has none). Then replay the\n"
		"log into the mount: make new directories and files, fill the pinned fmap map.\n"
		"Safe to re-run: only what is new is added (stale clients catch up this way).\n"
		"%s"
		"  -n, --dry-run, --dryrun  report what would be added\n"
		"  -c, --client      make files read-only unless logged writable on all hosts\n"
		"                    (automatic on a host that is not the master)\n"
		"  -p, --policy NAME policy this mount should use (attached if needed; famfs's\n"
		"                    logplay has no -p)\n"
		"  -v, --verbose     name each directory and file added\n"
		"  -j, --json        print the counts as one JSON object\n"
		"  -?, --help        this help\n",
		strcmp(name, "logplay") ? "'logplay' is famfs's name for this command.\n" :
		"famfs's name for 'famfsctl load-maps'.\n");
}

int cmd_load_maps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' }, { "dryrun", no_argument, NULL, 'n' },
		{ "client", no_argument, NULL, 'c' }, { "policy", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct famfs_replay_opts o = { .verbose = cli_verbose };
	struct famfs_replay_result r;
	const char *policy = NULL;
	bool json = false;
	int c;

	while ((c = cli_getopt(argc, argv, "+ncp:vjh", opts, 'h')) != -1) {
		switch (c) {
		case 'n': o.dry_run = true; break;
		case 'c': o.as_client = true; break;
		case 'p': policy = optarg; break;
		case 'v': o.verbose = true; cli_verbose_on(); break;
		case 'j': json = true; break;
		case 'h': load_maps_help(stdout, argv[0]); return 0;
		default: load_maps_help(stderr, argv[0]); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(argv[0], "expected one MOUNTPOINT");
	if (famfs_load_maps(argv[optind], policy, &o, &r))
		return 1;
	return report(NULL, argv[optind], &r, o.dry_run, json);
}

static void mount_help(FILE *f)
{
	fprintf(f, "usage: famfsctl mount [-p POLICY] [-v] [-j] DEVICE MOUNTPOINT\n"
		"Validate the famfs superblock and log on DEVICE (an fsdax pmem device, or its\n"
		"namespace name: namespaceN.M), find the file system's other devices by UUID among\n"
		"the nvdimm namespaces (each must be fsdax, --map=mem, 2M aligned), mount it at\n"
		"MOUNTPOINT, make it use POLICY (attached if needed; without -p: the first\n"
		"attached policy, famfs_simple if none is), and replay the log.\n"
		"  -p, --policy NAME policy this mount should use (famfs's mount -p is\n"
		"                    --nodefaultperm, a fuse option with no meaning here)\n"
		"  -v, --verbose     name each directory and file added\n"
		"  -j, --json        print the replay's counts as one JSON object\n"
		"  -?, --help        this help\n");
}

int cmd_mount(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' }, { "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct famfs_mount_opts o = { .replay = { .verbose = cli_verbose } };
	struct famfs_replay_result r;
	bool json = false;
	int c;

	while ((c = cli_getopt(argc, argv, "+p:vjh", opts, 'h')) != -1) {
		switch (c) {
		case 'p': o.policy = optarg; break;
		case 'v': o.replay.verbose = true; cli_verbose_on(); break;
		case 'j': json = true; break;
		case 'h': mount_help(stdout); return 0;
		default: mount_help(stderr); return 2;
		}
	}
	if (optind != argc - 2)
		return cli_usage_error("mount", "expected DEVICE MOUNTPOINT");
	if (famfs_mount_fs(argv[optind], argv[optind + 1], &o, &r))
		return 1;
	return report(argv[optind], argv[optind + 1], &r, false, json);
}

static void umount_help(FILE *f)
{
	fprintf(f, "usage: famfsctl umount [-v] MOUNTPOINT\n"
		"Unmount the famfs at MOUNTPOINT (refused if it is not a famfs mount).\n"
		"  -v, --verbose     debug messages\n"
		"  -?, --help        this help\n");
}

int cmd_umount(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' }, { "verbose", no_argument, NULL, 'v' }, { 0 },
	};
	int c;

	while ((c = cli_getopt(argc, argv, "+hv", opts, 'h')) != -1) {
		switch (c) {
		case 'v': cli_verbose_on(); break;
		case 'h': umount_help(stdout); return 0;
		default: umount_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("umount", "expected one MOUNTPOINT");
	return famfs_umount_fs(argv[optind]) ? 1 : 0;
}
