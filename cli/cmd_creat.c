// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_creat.c - famfsctl creat -s SIZE [-S SEED] [-r] [-m MODE] [-u UID] [-g GID] [-w] FILE
 *               famfsctl verify -S SEED -f FILE
 *
 * The seeded fill is written and checked through mmap (DAX faults, 2 MiB where aligned),
 * in 2 MiB windows; byte o of the file depends only on (seed, o).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define WINDOW (2ULL << 20)

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end || *s == '-' ? -EINVAL : 0;
}

static int map_file(int fd, const char *path, int prot, void **p, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st)) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", path, strerror(errno));
		return -errno;
	}
	*size = st.st_size;
	if (!*size) {
		famfs_msg(FAMFS_MSG_ERR, "%s: empty file", path);
		return -ENODATA;
	}
	*p = mmap(NULL, *size, prot, MAP_SHARED, fd, 0);
	if (*p == MAP_FAILED) {
		famfs_msg(FAMFS_MSG_ERR, "%s: mmap: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

static void creat_help(FILE *f)
{
	fprintf(f, "usage: famfsctl creat -s SIZE [-S SEED] [-r] [-m MODE] [-u UID] [-g GID] [-w]\n"
		"                      [-N NSTRIPS [-C CHUNK]] [-d DEVS] FILE\n"
		"Allocate and log a file of SIZE bytes (master only).\n"
		"  -s, --size SIZE   bytes (K, M, G suffixes)\n"
		"  -S, --seed SEED   fill with seeded pseudo-random bytes (implies -r)\n"
		"  -r, --randomize   fill with pseudo-random bytes (seed 1 unless -S)\n"
		"  -m, --mode MODE   octal mode (default 0644)\n"
		"  -u, --uid USER / -g, --gid GROUP   owner: a name or a number (default: caller)\n"
		"  -w, --writable    writable on every host (default: read-only on clients)\n"
		CLI_LAYOUT_HELP
		"  -v, --verbose     name the file made\n"
		"  -?, --help        this help\n");
}

int cmd_creat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' }, { "seed", required_argument, NULL, 'S' },
		{ "randomize", no_argument, NULL, 'r' }, { "mode", required_argument, NULL, 'm' },
		{ "uid", required_argument, NULL, 'u' }, { "gid", required_argument, NULL, 'g' },
		{ "writable", no_argument, NULL, 'w' }, { "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' }, CLI_LAYOUT_OPTS, { 0 },
	};
	struct cli_layout lay = { 0 };
	uint64_t size = 0, seed = 1, mode = 0644;
	uint32_t uid = getuid(), gid = getgid();
	bool fill = false;
	uint32_t flags = 0;
	void *p;
	int c, fd, ret;

	while ((c = cli_getopt(argc, argv, "+s:S:rm:u:g:wvhN:C:d:", opts, 'h')) != -1) {
		switch (c) {
		case 's':
			if (cli_size_arg("creat", "size", optarg, &size))
				return 2;
			if (!size)
				return cli_usage_error("creat", "bad size '%s': at least 1 byte", optarg);
			break;
		case 'S':
			if (parse_u64(optarg, &seed))
				return cli_usage_error("creat", "bad seed '%s'", optarg);
			fill = true;
			break;
		case 'r': fill = true; break;
		case 'm':
			mode = strtoull(optarg, NULL, 8);
			if (mode > 07777 || strspn(optarg, "01234567") != strlen(optarg))
				return cli_usage_error("creat", "bad mode '%s'", optarg);
			break;
		case 'u':
			if (cli_id_arg("creat", false, optarg, &uid))
				return 2;
			break;
		case 'g':
			if (cli_id_arg("creat", true, optarg, &gid))
				return 2;
			break;
		case 'w': flags |= FAMFS_FILE_RW_ALL; break;
		case 'v': cli_verbose = true; break;
		case 'N': case 'C': case 'd':
			if (cli_layout_opt(&lay, c, optarg, "creat"))
				return 2;
			break;
		case 'h': creat_help(stdout); return 0;
		default: creat_help(stderr); return 2;
		}
	}
	if (!size)
		return cli_usage_error("creat", "-s SIZE is required");
	if (optind != argc - 1)
		return cli_usage_error("creat", "expected one FILE");
	if (cli_layout_check(&lay, "creat"))
		return 2;

	struct famfs_file_req req = {
		.size = size, .mode = mode, .uid = uid, .gid = gid, .flags = flags,
		.nstrips = lay.nstrips, .chunk_size = lay.chunk_size, .devmask = lay.devmask,
	};
	fd = cli_new_file(argv[optind], &req);
	if (fd < 0)
		return 1;
	ret = 0;
	if (fill) {
		ret = map_file(fd, argv[optind], PROT_READ | PROT_WRITE, &p, &size);
		if (!ret) {
			for (uint64_t off = 0; off < size; off += WINDOW)
				famfs_fill_seeded((char *)p + off, size - off < WINDOW ? size - off : WINDOW,
						  seed, off);
			if (msync(p, size, MS_SYNC))
				ret = -errno;
			munmap(p, size);
		}
	}
	close(fd);
	return ret ? 1 : 0;
}

static void verify_help(FILE *f)
{
	fprintf(f, "usage: famfsctl verify -S SEED -f FILE\n"
		"Check that FILE holds the bytes 'creat -S SEED' wrote. Exit 0 if so, 1 if not.\n"
		"  -?, --help        this help\n");
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 'S' }, { "filename", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	const char *file = NULL;
	uint64_t seed = 0, size, bad = 0;
	bool have_seed = false;
	void *p;
	int c, fd;

	while ((c = cli_getopt(argc, argv, "+S:f:h", opts, 'h')) != -1) {
		switch (c) {
		case 'S':
			if (parse_u64(optarg, &seed))
				return cli_usage_error("verify", "bad seed '%s'", optarg);
			have_seed = true;
			break;
		case 'f': file = optarg; break;
		case 'h': verify_help(stdout); return 0;
		default: verify_help(stderr); return 2;
		}
	}
	if (!have_seed || !file || optind != argc)
		return cli_usage_error("verify", "expected -S SEED -f FILE");
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", file, strerror(errno));
		return 1;
	}
	if (map_file(fd, file, PROT_READ, &p, &size)) {
		close(fd);
		return 1;
	}
	for (uint64_t off = 0; off < size && !bad; off += WINDOW)
		bad = famfs_verify_seeded((char *)p + off, size - off < WINDOW ? size - off : WINDOW,
					  seed, off);
	munmap(p, size);
	close(fd);
	if (bad) {
		famfs_msg(FAMFS_MSG_ERR, "%s: mismatch at offset %llu (seed %llu)", file,
			  (unsigned long long)(bad - 1), (unsigned long long)seed);
		return 1;
	}
	printf("famfs verify: %s ok (%llu bytes, seed %llu)\n", file, (unsigned long long)size,
	       (unsigned long long)seed);
	return 0;
}
