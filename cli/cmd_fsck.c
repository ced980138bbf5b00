// SPDX-License-Identifier: Apache-2.0
/* cmd_fsck.c - famfsctl fsck [-v] [-h] [-j] [-r [-n]] DEVICE|MOUNTPOINT */
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"

static void fsck_help(FILE *f)
{
	fprintf(f, "usage: famfsctl fsck [-v] [-h] [-j] [-r [-n]] DEVICE|MOUNTPOINT\n"
		"Check the superblock, the log (every entry's CRC), every extent (bounds, alignment)\n"
		"and cross-links; print capacity, used, free and log slots. Exit 0 clean, 1 not.\n"
		"A mounted famfs is read through its .meta files (DAX), a device with O_DIRECT.\n"
		"  -v, --verbose     debug messages\n"
		"  -h, --human       sizes in KiB/MiB/GiB\n"
		"  -j, --json        print the report as one JSON object\n"
		"  -r, --repair      (master) make every unreadable log entry a void entry, after\n"
		"                    printing what is lost (its space stays allocated), so\n"
		"                    replay and appends work again; then check\n"
		"  -n, --dry-run     with --repair: print what would be voided, write nothing\n"
		"  -?, --help        this help\n");
}

int cmd_fsck(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "human", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'H' },
		{ "repair", no_argument, NULL, 'r' }, { "dry-run", no_argument, NULL, 'n' }, { 0 },
	};
	bool repair = false, dry_run = false;
	uint64_t nvoided = 0;
	struct famfs_fsck_report r;
	struct famfs_media *m;
	unsigned size_flags = 0;
	bool json = false;
	struct stat st;
	int c, ret;

	while ((c = cli_getopt(argc, argv, "+vhjrn", opts, 'H')) != -1) {
		switch (c) {
		case 'r': repair = true; break;
		case 'n': dry_run = true; break;
		case 'v': famfs_set_msg_level(FAMFS_MSG_DEBUG); break;
		case 'h': size_flags |= CLI_SIZE_HUMAN; break;
		case 'j': json = true; break;
		case 'H': fsck_help(stdout); return 0;
		default: fsck_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("fsck", "expected DEVICE or MOUNTPOINT");
	if (dry_run && !repair)
		return cli_usage_error("fsck", "-n is a dry run of --repair");
	const char *path = argv[optind];
	int mode = repair && !dry_run ? FAMFS_OPEN_RDWR : FAMFS_OPEN_RDONLY;

	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		ret = famfs_mount_ready(path) ?: famfs_media_open_mount(path, mode, &m);
	else
		ret = famfs_media_open_dev(path, mode, &m);
	if (ret)
		return 1;
	if (repair && (ret = famfs_log_repair(m, dry_run, &nvoided)) == 0)
		printf("famfs fsck --repair%s %s: %llu unreadable entr%s %s\n",
		       dry_run ? " -n" : "", path, (unsigned long long)nvoided,
		       nvoided == 1 ? "y" : "ies", dry_run ? "would be voided" : "voided");
	if (ret) {
		famfs_media_close(m);
		return 1;
	}
	ret = famfs_fsck(m, &r);
	famfs_media_close(m);
	if (json) {
		if (cli_json_print(stdout, cli_json_fsck(path, !ret, &r)))
			return 1;
	} else {
		cli_print_fsck(stdout, path, !ret, &r, size_flags);
	}
	return ret ? 1 : 0;
}
