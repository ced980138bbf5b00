// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_getmap.c - famfsctl getmap [-q] [-j] [-o OFFSET] FILE
 * Exit 0: a mapped famfs file; 1: not a famfs file; 2: a famfs file with no fmap.
 * -j prints the same as one JSON object (built with json-c).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <json-c/json.h>

#include "cli.h"

static void getmap_help(FILE *f)
{
	fprintf(f, "usage: famfsctl getmap [-q] [-o OFFSET] FILE\n"
		"Print FILE's fmap (from the pinned fmap map) and what the attached policy answers\n"
		"for OFFSET (default 0). Exit 0 mapped, 1 not a famfs file, 2 no fmap.\n"
		"  -q, --quiet       print nothing, only the exit code\n"
		"  -j, --json        print one JSON object: file, key, size, extents (dev, offset,\n"
		"                    len) and xlate (offset -> devindex, dev_offset, len, or error)\n");
}

/* The -j output: what the text form prints, as one JSON object on stdout. */
static void getmap_json(const char *file, const struct famfs_ioc_bind *b,
			const struct famfs_fmap *fm, const struct famfs_ioc_xlate *x, int xerr,
			const char *policy)
{
	json_object *o = json_object_new_object(), *exts = json_object_new_array();
	json_object *xl = json_object_new_object();

	json_object_object_add(o, "file", json_object_new_string(file));
	json_object_object_add(o, "key", json_object_new_uint64(b->key));
	json_object_object_add(o, "size", json_object_new_uint64(b->size));
	if (fm) {
		json_object_object_add(o, "kind", json_object_new_string(
			fm->kind == FAMFS_FMAP_SIMPLE ? "simple" : "interleaved"));
		for (uint32_t i = 0; i < fm->nextents && i < FAMFS_MAX_EXTENTS; i++) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "dev", json_object_new_int(fm->ext[i].devindex));
			json_object_object_add(e, "offset", json_object_new_uint64(fm->ext[i].offset));
			json_object_object_add(e, "len", json_object_new_uint64(fm->ext[i].len));
			json_object_array_add(exts, e);
		}
	}
	json_object_object_add(o, "extents", exts);
	json_object_object_add(xl, "policy", json_object_new_string(policy));
	json_object_object_add(xl, "offset", json_object_new_uint64(x->offset));
	if (xerr) {
		json_object_object_add(xl, "error", json_object_new_string(strerror(xerr)));
	} else {
		json_object_object_add(xl, "devindex", json_object_new_int(x->devindex));
		json_object_object_add(xl, "dev_offset", json_object_new_uint64(x->dev_offset));
		json_object_object_add(xl, "len", json_object_new_uint64(x->len));
	}
	json_object_object_add(o, "xlate", xl);
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

int cmd_getmap(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' }, { "offset", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct famfs_ioc_bind b;
	struct famfs_ioc_xlate x = { 0 };
	struct famfs_ioc_stats st = { 0 };
	struct famfs_fmap fm;
	bool quiet = false, json = false, have_fm;
	uint64_t off = 0;
	int c, fd, mapfd, xerr, ret = 0;

	while ((c = getopt_long(argc, argv, "+qjo:h", opts, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = true; break;
		case 'j': json = true; break;
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
			famfs_msg(FAMFS_MSG_ERR, "%s: %s", file, strerror(errno));
		return 1;
	}
	if (ioctl(fd, FAMFS_IOC_GET_BIND, &b)) {
		ret = errno == ENODATA ? 2 : 1;
		if (!quiet)
			famfs_msg(FAMFS_MSG_ERR, "%s: %s", file,
				  ret == 2 ? "famfs file with no fmap" : "not a famfs file");
		close(fd);
		return ret;
	}
	if (quiet) {
		close(fd);
		return 0;
	}
	mapfd = famfs_fmaps_open();
	have_fm = mapfd >= 0 && !bpf_map_lookup_elem(mapfd, &b.key, &fm);
	if (mapfd >= 0)
		close(mapfd);
	if (!have_fm)
		ret = 2;
	memset(&st, 0, sizeof(st));
	xerr = ioctl(fd, FAMFS_IOC_STATS, &st) || ioctl(fd, FAMFS_IOC_XLATE, &x) ? errno : 0;
	if (json) {
		getmap_json(file, &b, have_fm ? &fm : NULL, &x, xerr,
			    st.policy[0] ? st.policy : "(none)");
		close(fd);
		return ret;
	}
	printf("%s: key %#llx size %llu%s\n", file, (unsigned long long)b.key,
	       (unsigned long long)b.size,
	       b.flags & FAMFS_BIND_READONLY ? " (read-only on this host)" : "");
	if (have_fm) {
		printf("  fmap: %s, %u extent%s\n",
		       fm.kind == FAMFS_FMAP_SIMPLE ? "simple" : "interleaved",
		       fm.nextents, fm.nextents == 1 ? "" : "s");
		for (uint32_t i = 0; i < fm.nextents && i < FAMFS_MAX_EXTENTS; i++)
			printf("    [%u] dev %u offset %#llx len %#llx\n", i, fm.ext[i].devindex,
			       (unsigned long long)fm.ext[i].offset, (unsigned long long)fm.ext[i].len);
	} else {
		printf("  fmap: none in %s\n", FAMFS_FMAPS_PIN);
	}
	if (!xerr)
		printf("  policy %s: offset %#llx -> dev %u offset %#llx len %#llx\n", st.policy,
		       (unsigned long long)x.offset, x.devindex, (unsigned long long)x.dev_offset,
		       (unsigned long long)x.len);
	else
		printf("  policy %s: offset %#llx -> %s\n", st.policy[0] ? st.policy : "(none)",
		       (unsigned long long)x.offset, strerror(xerr));
	close(fd);
	return ret;
}
