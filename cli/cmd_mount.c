// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_mount.c - famfsctl mount / umount / load-maps (logplay).
 *
 *   mount [-p POLICY] DEVICE MOUNTPOINT   validate the superblock (read with O_DIRECT),
 *                                        mount -t famfs_bpf, then load-maps
 *   umount MOUNTPOINT
 *   load-maps [-n] [-c] [-p POLICY] MOUNTPOINT
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "cli.h"

static void report(const char *mpt, const struct famfs_replay_result *r, bool dry)
{
	printf("famfs: %s %s: log entries %llu; files %s %llu (present %llu); dirs %s %llu (present %llu); fmaps added %llu\n",
	       dry ? "logplay -n" : "load-maps", mpt, (unsigned long long)r->next_index,
	       dry ? "to add" : "added", (unsigned long long)r->files_added,
	       (unsigned long long)r->files_present, dry ? "to add" : "added",
	       (unsigned long long)r->dirs_added, (unsigned long long)r->dirs_present,
	       (unsigned long long)r->fmaps_added);
}

static void load_maps_help(FILE *f)
{
	fprintf(f, "usage: famfsctl load-maps [-n] [-c] [-p POLICY] MOUNTPOINT\n"
		"With -p, attach POLICY if needed and make the mount use it; without, keep the\n"
		"mount's policy (attaching famfs_simple if it has none). Then replay the\n"
		"log into the mount: make new directories and files, fill the pinned fmap map.\n"
		"Safe to re-run: only what is new is added (stale clients catch up this way).\n"
		"  -n, --dry-run     report what would be added\n"
		"  -c, --client      make files read-only unless logged writable on all hosts\n"
		"                    (automatic on a host that is not the master)\n"
		"  -p, --policy NAME policy this mount should use (attached if needed)\n");
}

int cmd_load_maps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' }, { "client", no_argument, NULL, 'c' },
		{ "policy", required_argument, NULL, 'p' }, { "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct famfs_replay_opts o = { .verbose = cli_verbose };
	struct famfs_replay_result r;
	const char *policy = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "+ncp:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': o.dry_run = true; break;
		case 'c': o.as_client = true; break;
		case 'p': policy = optarg; break;
		case 'v': o.verbose = true; break;
		case 'h': load_maps_help(stdout); return 0;
		default: load_maps_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(argv[0], "expected one MOUNTPOINT");
	if (famfs_load_maps(argv[optind], policy, &o, &r))
		return 1;
	report(argv[optind], &r, o.dry_run);
	return 0;
}

static void mount_help(FILE *f)
{
	fprintf(f, "usage: famfsctl mount [-p POLICY] [-v] DEVICE MOUNTPOINT\n"
		"Validate the famfs superblock and log on DEVICE (an fsdax pmem device), find the\n"
		"file system's other devices by UUID among /dev/pmem*, mount it at MOUNTPOINT, make\n"
		"it use POLICY (attached if needed; without -p: the first attached policy,\n"
		"famfs_simple if none is), and replay the log.\n");
}

int cmd_mount(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' }, { "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct famfs_replay_opts o = { .verbose = cli_verbose };
	struct famfs_replay_result r;
	struct famfs_media *m;
	const char *policy = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "+p:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': policy = optarg; break;
		case 'v': o.verbose = true; break;
		case 'h': mount_help(stdout); return 0;
		default: mount_help(stderr); return 2;
		}
	}
	if (optind != argc - 2)
		return cli_usage_error("mount", "expected DEVICE MOUNTPOINT");
	const char *dev = argv[optind], *mpt = argv[optind + 1];
	char paths[FAMFS_MAX_DEVS][FAMFS_DEV_PATH_MAX], data[4096] = "";
	size_t len = 0;
	int ret;

	if (famfs_media_open_dev(dev, FAMFS_OPEN_RDONLY, &m))
		return 1;	/* the message says what is wrong with the superblock or log */
	ret = famfs_find_devices(famfs_media_sb(m), dev, paths);
	for (uint32_t i = 1; !ret && i < le32toh(famfs_media_sb(m)->sb_ndevs); i++)
		len += snprintf(data + len, sizeof(data) - len, "%sdev=%s", len ? "," : "", paths[i]);
	famfs_media_close(m);
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "not mounting %s: a device of this file system is missing or wrong",
			  dev);
		return 1;
	}
	if (policy)
		snprintf(data + len, sizeof(data) - len, "%spolicy=%s", len ? "," : "", policy);
	if (mount(dev, mpt, FAMFS_FS_TYPE, 0, data)) {
		int err = errno;

		famfs_msg(FAMFS_MSG_ERR, "mount %s on %s: %s%s", dev, mpt, strerror(err),
			  err == ENODEV ? " (famfs_bpf.ko not loaded?)" :
			  err == EBUSY ? " (already mounted?)" :
			  err == EINVAL ? " (not an fsdax device? see dmesg)" : "");
		return 1;
	}
	if (famfs_load_maps(mpt, policy, &o, &r)) {
		famfs_msg(FAMFS_MSG_ERR, "%s mounted, but load-maps failed: unmounting", mpt);
		umount2(mpt, 0);
		return 1;
	}
	report(mpt, &r, false);
	return 0;
}

int cmd_umount(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: famfsctl umount MOUNTPOINT\n");
		return 0;
	}
	if (argc != 2)
		return cli_usage_error("umount", "expected one MOUNTPOINT");
	if (famfs_find_mount(argv[1], NULL, 0, NULL, 0, NULL, 0))
		return 1;
	if (umount2(argv[1], 0)) {
		famfs_msg(FAMFS_MSG_ERR, "umount %s: %s", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
