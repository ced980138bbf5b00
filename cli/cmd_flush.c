// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_flush.c - famfsctl flush [-v] [-w | -i] FILE...
 *
 * Fabric memory shared between hosts is not kept coherent with the other hosts' CPU
 * caches. A writer flushes (writes back) what it wrote before handing the data over; a
 * reader flushes (invalidates) before reading what another host handed over. This maps
 * each famfs file and runs the CPU's cache maintenance instructions over its whole range
 * (the loader's famfs_file_flush()).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

enum flush_op { FLUSH_BOTH, FLUSH_WRITEBACK, FLUSH_INVALIDATE };

static void flush_help(FILE *f)
{
	fprintf(f, "usage: famfsctl flush [-v] [-w | -i] FILE...\n"
		"Write back and invalidate this CPU's cache lines over each famfs FILE's whole range,\n"
		"for fabric memory that is not cache-coherent between hosts: the writer flushes\n"
		"before the hand-off, the reader flushes before reading (see docs/sharing.md).\n"
		"  -w, --writeback   only write dirty lines back (writer side; clwb keeps them cached)\n"
		"  -i, --invalidate  write back and drop the lines (reader side; the default does this)\n"
		"  -v, --verbose     print each file, its size and the instruction used\n"
		"  -?, --help        this help\n");
}

/* Flush one file (famfs_file_flush()); -v says what was done. 0 or -errno (logged). */
static int flush_file(const char *path, enum flush_op op, bool verbose)
{
	uint64_t size;
	int ret = famfs_file_flush(path, op == FLUSH_WRITEBACK, &size);

	if (!ret && verbose)
		printf("famfs flush: %s: %lld bytes (%lld cache lines) %s (%s)\n", path,
		       (long long)size, (long long)(size + 63) / 64,
		       op == FLUSH_WRITEBACK ? "written back" : "written back and invalidated",
		       famfs_cache_method(op == FLUSH_WRITEBACK));
	return ret;
}

int cmd_flush(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "writeback", no_argument, NULL, 'w' }, { "invalidate", no_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	enum flush_op op = FLUSH_BOTH;
	bool verbose = cli_verbose;
	int c, errors = 0;

	while ((c = cli_getopt(argc, argv, "+wivh", opts, 'h')) != -1) {
		switch (c) {
		case 'w':
		case 'i':
			if (op != FLUSH_BOTH)
				return cli_usage_error("flush", "-w and -i are exclusive");
			op = c == 'w' ? FLUSH_WRITEBACK : FLUSH_INVALIDATE;
			break;
		case 'v': verbose = true; cli_verbose_on(); break;
		case 'h': flush_help(stdout); return 0;
		default: flush_help(stderr); return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("flush", "expected FILE...");
	for (int i = optind; i < argc; i++)
		errors += flush_file(argv[i], op, verbose) != 0;
	return errors ? 1 : 0;
}
