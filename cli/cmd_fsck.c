// SPDX-License-Identifier: Apache-2.0
/* cmd_fsck.c - famfsctl fsck [-v] [-h] [-j] DEVICE|MOUNTPOINT */
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"

static void fsck_help(FILE *f)
{
	fprintf(f, "usage: famfsctl fsck [-v] [-h] [-j] DEVICE|MOUNTPOINT\n"
		"Check the superblock, the log (every entry's CRC), every extent (bounds, alignment)\n"
		"and cross-links; print capacity, used, free and log slots. Exit 0 clean, 1 not.\n"
		"A mounted famfs is read through its .meta files (DAX), a device with O_DIRECT.\n"
		"  -v, --verbose     debug messages\n"
		"  -h, --human       sizes in KiB/MiB/GiB\n"
		"  -j, --json        print the report as one JSON object\n"
		"  -?, --help        this help\n");
}

int cmd_fsck(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "human", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'H' }, { 0 },
	};
	struct famfs_fsck_report r;
	struct famfs_media *m;
	unsigned size_flags = 0;
	bool json = false;
	struct stat st;
	int c, ret;

	while ((c = cli_getopt(argc, argv, "+vhj", opts, 'H')) != -1) {
		switch (c) {
		case 'v': famfs_set_msg_level(FAMFS_MSG_DEBUG); break;
		case 'h': size_flags |= CLI_SIZE_HUMAN; break;
		case 'j': json = true; break;
		case 'H': fsck_help(stdout); return 0;
		default: fsck_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("fsck", "expected DEVICE or MOUNTPOINT");
	const char *path = argv[optind];

	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		ret = famfs_mount_ready(path) ?: famfs_media_open_mount(path, FAMFS_OPEN_RDONLY, &m);
	else
		ret = famfs_media_open_dev(path, FAMFS_OPEN_RDONLY, &m);
	if (ret)
		return 1;
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
