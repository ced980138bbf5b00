// SPDX-License-Identifier: Apache-2.0
/* cmd_mkfs.c - famfsctl mkfs [-f] [-k] [-l LOGLEN] DEVICE [DEVICE...] */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static void mkfs_help(FILE *f)
{
	fprintf(f, "usage: famfsctl mkfs [-f] [-k] [-l LOGLEN] [-v] DEVICE [DEVICE...]\n"
		"Write a superblock and an empty log on DEVICE (pmem, dax or image file, or a\n"
		"namespace name: namespaceN.M; a namespace must be fsdax, --map=mem, 2M aligned;\n"
		"a dax device /dev/daxX.Y is written in devdax mode: famfsctl switches it there\n"
		"from famfs mode if no mount uses it, and mount puts it in famfs mode);\n"
		"more DEVICEs join the file system as devices 1, 2, ... (interleaved files stripe\n"
		"across them). This host becomes the master.\n"
		"  -f, --force       overwrite an existing famfs\n"
		"  -k, --kill        only invalidate an existing superblock\n"
		"  -l, --loglen LEN  log length (default 8M; power of two, >= 8M)\n"
		"  -v, --verbose     debug messages\n"
		"  -?, --help        this help\n");
}

int cmd_mkfs(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' }, { "kill", no_argument, NULL, 'k' },
		{ "loglen", required_argument, NULL, 'l' }, { "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ 0 },
	};
	struct famfs_mkfs_opts o = { 0 };
	int c;

	while ((c = cli_getopt(argc, argv, "+fkl:vh", opts, 'h')) != -1) {
		switch (c) {
		case 'f': o.force = true; break;
		case 'k': o.kill = true; break;
		case 'l':
			if (cli_size_arg("mkfs", "log length", optarg, &o.log_len))
				return 2;
			if (!o.log_len)	/* the library reads 0 as "default" */
				return cli_usage_error("mkfs", "bad log length '%s': at least 8M",
						       optarg);
			break;
		case 'v': cli_verbose_on(); break;
		case 'h': mkfs_help(stdout); return 0;
		default: mkfs_help(stderr); return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("mkfs", "expected DEVICE [DEVICE...]");
	if (argc - optind > FAMFS_MAX_DEVS)
		return cli_usage_error("mkfs", "at most %d devices", FAMFS_MAX_DEVS);
	/* namespace names to paths; a namespace must be fsdax, --map=mem, 2 MiB aligned */
	char paths[FAMFS_MAX_DEVS][FAMFS_DEV_PATH_MAX];
	const char *devs[FAMFS_MAX_DEVS];
	int ndevs = argc - optind;

	for (int i = 0; i < ndevs; i++) {
		if (famfs_dev_resolve(argv[optind + i], o.kill ? 0 : FAMFS_DEV_CHECK, paths[i],
				      sizeof(paths[i])))
			return 1;
		devs[i] = paths[i];
	}
	/* dax devices are written in devdax mode (mmap, no page cache); mount switches them
	 * to famfs mode. One a famfs mount uses is refused here, before anything changes. */
	for (int i = 0; i < ndevs; i++)
		if (famfs_dax_for_read(devs[i]))
			return 1;
	if (famfs_mkfs_devs(devs, ndevs, &o))
		return 1;
	printf("famfs: %s %s", o.kill ? "invalidated" : "created on", devs[0]);
	for (int i = 1; i < ndevs; i++)
		printf(" + %s", devs[i]);
	printf("\n");
	return 0;
}
