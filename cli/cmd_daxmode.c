// SPDX-License-Identifier: Apache-2.0
/* cmd_daxmode.c - famfsctl daxmode [-v] DEVICE [devdax|famfs]: show or switch a dax device's mode */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void daxmode_help(FILE *f)
{
	fprintf(f, "usage: famfsctl daxmode [-v] DEVICE [devdax|famfs]\n"
		"Print the mode of dax device DEVICE (/dev/daxX.Y): devdax (device_dax: mmap-able,\n"
		"where mkfs writes), famfs (fsdev_dax: what famfs_bpf.ko mounts), unbound,\n"
		"system-ram; or switch it to devdax or famfs mode (unbind, then new_id of the\n"
		"driver). mkfs, mount and fsck switch by themselves; a device a famfs mount uses\n"
		"is never switched to devdax. famfs mode needs a kernel with fsdev_dax (7.x).\n"
		"  -v, --verbose     debug messages\n"
		"  -?, --help        this help\n");
}

int cmd_daxmode(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	enum famfs_dax_mode mode;
	char name[32];
	int c, ret;

	while ((c = cli_getopt(argc, argv, "+vh", opts, 'h')) != -1) {
		switch (c) {
		case 'v': cli_verbose_on(); break;
		case 'h': daxmode_help(stdout); return 0;
		default: daxmode_help(stderr); return 2;
		}
	}
	if (optind != argc - 1 && optind != argc - 2)
		return cli_usage_error("daxmode", "expected DEVICE [devdax|famfs]");
	if (optind == argc - 2 && strcmp(argv[optind + 1], "devdax") &&
	    strcmp(argv[optind + 1], "famfs"))
		return cli_usage_error("daxmode", "bad mode '%s': devdax or famfs", argv[optind + 1]);
	ret = famfs_dax_name(argv[optind], name, sizeof(name));
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "daxmode: %s: %s", argv[optind],
			  ret == -ENOENT ? "no such file" : "not a dax device (/dev/daxX.Y)");
		return 1;
	}
	if (optind == argc - 2) {
		if (!strcmp(argv[optind + 1], "famfs"))
			ret = famfs_dax_for_mount(argv[optind]);
		else
			ret = famfs_dax_for_read(argv[optind]);
		if (ret)
			return 1;
	}
	if (famfs_dax_mode_get(name, &mode))
		return 1;
	printf("%s %s %s\n", argv[optind], name, famfs_dax_mode_name(mode));
	return 0;
}
