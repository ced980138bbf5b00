// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_getmap.c - famfsctl getmap [-q] [-o OFFSET] FILE
 * Exit 0: a mapped famfs file; 1: not a famfs file; 2: a famfs file with no fmap.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "cli.h"

static void getmap_help(FILE *f)
{
	fprintf(f, "usage: famfsctl getmap [-q] [-o OFFSET] FILE\n"
		"Print FILE's fmap (from the pinned fmap map) and what the attached policy answers\n"
		"for OFFSET (default 0). Exit 0 mapped, 1 not a famfs file, 2 no fmap.\n"
		"  -q, --quiet       print nothing, only the exit code\n");
}

int cmd_getmap(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' }, { "offset", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct famfs_ioc_bind b;
	struct famfs_ioc_xlate x = { 0 };
	struct famfs_ioc_stats st;
	struct famfs_fmap fm;
	bool quiet = false;
	uint64_t off = 0;
	int c, fd, mapfd, ret = 0;

	while ((c = getopt_long(argc, argv, "+qo:h", opts, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = true; break;
		case 'o':
			if (cli_parse_size(optarg, &off))
				return cli_usage_error("getmap", "bad offset '%s'", optarg);
			break;
		case 'h': getmap_help(stdout); return 0;
		default: getmap_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("getmap", "expected one FILE");
	const char *file = argv[optind];

	x.offset = off;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (!quiet)
			famfs_log(FAMFS_LOG_ERR, "%s: %s", file, strerror(errno));
		return 1;
	}
	if (ioctl(fd, FAMFS_IOC_GET_BIND, &b)) {
		ret = errno == ENODATA ? 2 : 1;
		if (!quiet)
			famfs_log(FAMFS_LOG_ERR, "%s: %s", file,
				  ret == 2 ? "famfs file with no fmap" : "not a famfs file");
		close(fd);
		return ret;
	}
	if (quiet) {
		close(fd);
		return 0;
	}
	printf("%s: key %#llx size %llu\n", file, (unsigned long long)b.key,
	       (unsigned long long)b.size);
	mapfd = famfs_fmaps_open();
	if (mapfd >= 0 && !bpf_map_lookup_elem(mapfd, &b.key, &fm)) {
		printf("  fmap: %s, %u extent%s\n",
		       fm.kind == FAMFS_FMAP_KIND_SIMPLE ? "simple" : "interleaved",
		       fm.nextents, fm.nextents == 1 ? "" : "s");
		for (uint32_t i = 0; i < fm.nextents && i < FAMFS_FMAP_MAX_EXTENTS; i++)
			printf("    [%u] dev %u offset %#llx len %#llx\n", i, fm.ext[i].devindex,
			       (unsigned long long)fm.ext[i].offset, (unsigned long long)fm.ext[i].len);
	} else {
		printf("  fmap: none in %s\n", FAMFS_FMAPS_PIN);
		ret = 2;
	}
	if (mapfd >= 0)
		close(mapfd);
	if (!ioctl(fd, FAMFS_IOC_STATS, &st) && !ioctl(fd, FAMFS_IOC_XLATE, &x))
		printf("  policy %s: offset %#llx -> dev %u offset %#llx len %#llx\n", st.policy,
		       (unsigned long long)x.offset, x.devindex, (unsigned long long)x.dev_offset,
		       (unsigned long long)x.len);
	else
		printf("  policy %s: offset %#llx -> %s\n", st.policy[0] ? st.policy : "(none)",
		       (unsigned long long)x.offset, strerror(errno));
	close(fd);
	return ret;
}
