// SPDX-License-Identifier: Apache-2.0
/* cmd_fsck.c - famfsctl fsck [-v] [-h] [-j] [-r [-n]] DEVICE|MOUNTPOINT */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"

static void fsck_help(FILE *f)
{
	fprintf(f, "usage: famfsctl fsck [-v] [-h] [-j] [-r [-n]] DEVICE|MOUNTPOINT\n"
		"Check the superblock, the log (every entry's CRC), every extent (bounds, alignment)\n"
		"and cross-links; print capacity, used, free and log slots. Exit 0 clean, 1 not.\n"
		"A mounted famfs is read through its .meta files (DAX), a device with O_DIRECT;\n"
		"DEVICE is a path or an nvdimm namespace name (namespaceN.M). As in famfs, a\n"
		"DEVICE that is mounted is refused, naming its mount point: check that instead.\n"
		"Unlike famfs, -r is --repair here (famfs's -r, --read, and -m, --mmap choose how\n"
		"a mount is read: famfsctl always reads .meta through DAX).\n"
		"  -v, --verbose     debug messages\n"
		"  -h, --human       sizes in KiB/MiB/GiB\n"
		"  -j, --json        print the report as one JSON object\n"
		"  -r, --repair      (master) make every unreadable log entry, and every file or\n"
		"                    directory entry replay could never apply, a void entry after\n"
		"                    printing what is lost (its space stays allocated), so\n"
		"                    replay and appends work again; then check\n"
		"  -n, --dry-run     with --repair: print what would be voided, write nothing\n"
		"  -?, --help        this help\n");
}

struct fsck_args {
	bool repair, dry_run, json;
	unsigned size_flags;
	const char *path;
};

/* fsck's options and operand into @a. 0, 1 help printed (exit 0), or the exit code 2. */
static int fsck_parse(int argc, char **argv, struct fsck_args *a)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "human", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'H' },
		{ "repair", no_argument, NULL, 'r' }, { "dry-run", no_argument, NULL, 'n' }, { 0 },
	};
	int c;

	while ((c = cli_getopt(argc, argv, "+vhjrn", opts, 'H')) != -1) {
		switch (c) {
		case 'r': a->repair = true; break;
		case 'n': a->dry_run = true; break;
		case 'v': cli_verbose_on(); break;
		case 'h': a->size_flags |= CLI_SIZE_HUMAN; break;
		case 'j': a->json = true; break;
		case 'H': fsck_help(stdout); return 1;
		default: fsck_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("fsck", "expected DEVICE or MOUNTPOINT");
	if (a->dry_run && !a->repair)
		return cli_usage_error("fsck", "-n is a dry run of --repair");
	a->path = argv[optind];
	return 0;
}

/* A mount through its .meta files (DAX), anything else as a device (O_DIRECT). */
static int fsck_open(const char *path, int mode, struct famfs_media **m)
{
	char dev[FAMFS_DEV_PATH_MAX];
	struct stat st;

	if (!famfs_ns_name_is(path) && !stat(path, &st) && S_ISDIR(st.st_mode))
		return famfs_mount_ready(path) ?: famfs_media_open_mount(path, mode, m);
	/* a namespace name (namespaceN.M) to its device; paths as they are */
	int ret = famfs_dev_resolve(path, 0, dev, sizeof(dev));
	char mpt[4096];

	if (ret)
		return ret;
	/* as famfs: a mounted device is checked through its mount, not under it */
	if (!famfs_dev_mount_point(dev, mpt, sizeof(mpt))) {
		famfs_msg(FAMFS_MSG_ERR, "fsck: %s is mounted at %s: check the mount instead (famfsctl fsck %s)",
			  path, mpt, mpt);
		return -EBUSY;
	}
	ret = famfs_dax_for_read(dev);	/* a dax device in famfs mode: read it in devdax */
	if (ret)
		return ret;
	return famfs_media_open_dev(dev, mode, m);
}

/* --repair: void the unreadable entries (or count them, -n); the text line unless -j. */
static int fsck_repair(struct famfs_media *m, const struct fsck_args *a,
		       struct cli_fsck_repair *rep)
{
	int ret;

	rep->dry_run = a->dry_run;
	ret = famfs_log_repair(m, a->dry_run, &rep->voided);
	if (!ret && !a->json)
		printf("famfs fsck --repair%s %s: %llu unreadable or invalid entr%s %s\n",
		       a->dry_run ? " -n" : "", a->path, (unsigned long long)rep->voided,
		       rep->voided == 1 ? "y" : "ies", a->dry_run ? "would be voided" : "voided");
	return ret;
}

int cmd_fsck(int argc, char **argv)
{
	struct fsck_args a = { 0 };
	struct cli_fsck_repair rep = { 0 };
	struct famfs_fsck_report r;
	struct famfs_media *m;
	int ret = fsck_parse(argc, argv, &a);

	if (ret)
		return ret == 1 ? 0 : ret;
	if (fsck_open(a.path, a.repair && !a.dry_run ? FAMFS_OPEN_RDWR : FAMFS_OPEN_RDONLY, &m))
		return 1;
	if (a.repair && fsck_repair(m, &a, &rep)) {
		famfs_media_close(m);
		return 1;
	}
	ret = famfs_fsck(m, &r);
	famfs_media_close(m);
	if (a.json)
		return cli_json_print(stdout, cli_json_fsck(a.path, !ret, &r, a.repair ? &rep : NULL)) ||
		       ret ? 1 : 0;
	cli_print_fsck(stdout, a.path, !ret, &r, a.size_flags);
	return ret ? 1 : 0;
}
