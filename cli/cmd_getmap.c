// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_getmap.c - famfsctl getmap [-q] [-j] [-h] [-o OFFSET] FILE
 * Exit 0: a mapped famfs file; 1: not a famfs file; 2: a famfs file with no fmap.
 * The binding, the fmap and the policy's answer come from the loader (famfs_file_*()).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static void getmap_help(FILE *f)
{
	fprintf(f, "usage: famfsctl getmap [-q] [-j] [-h] [-v] [-o OFFSET] FILE\n"
		"Print FILE's fmap (from the pinned fmap map) and what the attached policy answers\n"
		"for OFFSET (default 0). Exit 0 mapped, 1 not a famfs file, 2 no fmap.\n"
		"  -o, --offset OFF  file offset to translate (bytes; K, M, G, T suffixes)\n"
		"  -q, --quiet       print nothing, only the exit code\n"
		"  -j, --json        print one JSON object: file, key (hex string), size, readonly,\n"
		"                    kind, extents (dev, offset, len) and xlate (policy, offset ->\n"
		"                    devindex, dev_offset, len, or error)\n"
		"  -h, --human       the file size in KiB/MiB/GiB\n"
		"  -v, --verbose     debug messages\n"
		"  -?, --help        this help\n");
}

struct getmap_args {
	bool quiet, json;
	unsigned size_flags;
	uint64_t offset;
	const char *file;
};

/* 0 parsed, 1 help printed (exit 0), else the exit code 2. */
static int getmap_parse(int argc, char **argv, struct getmap_args *a)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' }, { "offset", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' }, { "human", no_argument, NULL, 'h' },
		{ "help", no_argument, NULL, 'H' }, { "verbose", no_argument, NULL, 'v' }, { 0 },
	};
	int c;

	while ((c = cli_getopt(argc, argv, "+qjhvo:", opts, 'H')) != -1) {
		switch (c) {
		case 'q': a->quiet = true; break;
		case 'j': a->json = true; break;
		case 'h': a->size_flags |= CLI_SIZE_HUMAN; break;
		case 'o':
			if (cli_size_arg("getmap", "offset", optarg, &a->offset))
				return 2;
			break;
		case 'v': cli_verbose_on(); break;
		case 'H': getmap_help(stdout); return 1;
		default: getmap_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("getmap", "expected one FILE");
	a->file = argv[optind];
	return 0;
}

int cmd_getmap(int argc, char **argv)
{
	struct getmap_args a = { 0 };
	struct cli_getmap g = { 0 };
	int ret = getmap_parse(argc, argv, &a);

	if (ret)
		return ret == 1 ? 0 : ret;
	g.file = a.file;
	ret = famfs_file_binding(a.file, &g.bind, a.quiet);
	if (ret)
		return ret == -ENODATA ? 2 : 1;
	if (a.quiet)
		return 0;
	g.have_fmap = !famfs_fmap_get(g.bind.key, &g.fmap);
	g.xlate.offset = a.offset;
	g.xerr = -famfs_file_xlate(a.file, &g.xlate, g.policy);
	if (a.json) {
		if (cli_json_print(stdout, cli_json_getmap(&g)))
			return 1;
	} else {
		cli_print_getmap(stdout, &g, a.size_flags);
	}
	return g.have_fmap ? 0 : 2;
}
