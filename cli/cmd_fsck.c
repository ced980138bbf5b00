// SPDX-License-Identifier: Apache-2.0
/* cmd_fsck.c - famfsctl fsck [-v] [-h] DEVICE|MOUNTPOINT */
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"

static const char *sz(uint64_t b, bool human, char *buf, size_t len)
{
	static const char *u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = b;
	int i = 0;

	if (!human) {
		snprintf(buf, len, "%llu", (unsigned long long)b);
		return buf;
	}
	while (v >= 1024 && i < 4) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, "%.1f %s", v, u[i]);
	return buf;
}

static void fsck_help(FILE *f)
{
	fprintf(f, "usage: famfsctl fsck [-v] [-h] DEVICE|MOUNTPOINT\n"
		"Check the superblock, the log (every entry's CRC), every extent (bounds, alignment)\n"
		"and cross-links; print capacity, used, free and log slots. Exit 0 clean, 1 not.\n"
		"A mounted famfs is read through its .meta files (DAX), a device with O_DIRECT.\n"
		"  -h, --human       sizes in KiB/MiB/GiB\n");
}

int cmd_fsck(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "human", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, 'H' }, { 0 },
	};
	struct famfs_fsck_report r;
	struct famfs_media *m;
	bool human = false;
	struct stat st;
	char a[32], b[32], c2[32];
	int c, ret;

	while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v': famfs_set_msg_level(FAMFS_MSG_DEBUG); break;
		case 'h': human = true; break;
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
	printf("famfs fsck %s: %s\n", path, ret ? "ERRORS" : "clean");
	printf("  capacity %s, used %s, free %s\n", sz(r.space.capacity, human, a, sizeof(a)),
	       sz(r.space.used, human, b, sizeof(b)), sz(r.space.free, human, c2, sizeof(c2)));
	for (uint32_t d = 0; r.space.ndevs > 1 && d < r.space.ndevs; d++)
		printf("    dev %u: capacity %s, used %s\n", d,
		       sz(r.space.dev_capacity[d], human, a, sizeof(a)),
		       sz(r.space.dev_used[d], human, b, sizeof(b)));
	printf("  files %llu, directories %llu, log slots %llu of %llu used\n",
	       (unsigned long long)r.space.nfiles, (unsigned long long)r.space.ndirs,
	       (unsigned long long)r.space.log_used, (unsigned long long)r.space.log_slots);
	printf("  errors %llu (bad entries %llu, bad extents %llu, cross-links %llu, bad paths %llu)\n",
	       (unsigned long long)r.errors, (unsigned long long)r.bad_entries,
	       (unsigned long long)r.bad_extents, (unsigned long long)r.crosslinks,
	       (unsigned long long)r.bad_paths);
	return ret ? 1 : 0;
}
