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

struct creat_args {
	uint64_t size, seed, mode;
	uint32_t uid, gid, flags;
	bool fill;
	struct cli_layout lay;
	const char *file;
};

/* One option of creat into @a. 0, or the exit code (2: a usage error, reported). */
static int creat_opt(struct creat_args *a, int c, const char *arg)
{
	switch (c) {
	case 's':
		if (cli_size_arg("creat", "size", arg, &a->size))
			return 2;
		return a->size ? 0 : cli_usage_error("creat", "bad size '%s': at least 1 byte", arg);
	case 'S':
		a->fill = true;
		return parse_u64(arg, &a->seed) ? cli_usage_error("creat", "bad seed '%s'", arg) : 0;
	case 'r': a->fill = true; return 0;
	case 'm':
		a->mode = strtoull(arg, NULL, 8);
		if (a->mode > 07777 || strspn(arg, "01234567") != strlen(arg))
			return cli_usage_error("creat", "bad mode '%s'", arg);
		return 0;
	case 'u': return cli_id_arg("creat", false, arg, &a->uid) ? 2 : 0;
	case 'g': return cli_id_arg("creat", true, arg, &a->gid) ? 2 : 0;
	case 'w': a->flags |= FAMFS_FILE_RW_ALL; return 0;
	case 'v': cli_verbose = true; return 0;
	case 'N': case 'C': case 'd':
		return cli_layout_opt(&a->lay, c, arg, "creat") ? 2 : 0;
	}
	creat_help(stderr);
	return 2;
}

/* creat's options and operand into @a. 0, 1 help printed (exit 0), or the exit code 2. */
static int creat_parse(int argc, char **argv, struct creat_args *a)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' }, { "seed", required_argument, NULL, 'S' },
		{ "randomize", no_argument, NULL, 'r' }, { "mode", required_argument, NULL, 'm' },
		{ "uid", required_argument, NULL, 'u' }, { "gid", required_argument, NULL, 'g' },
		{ "writable", no_argument, NULL, 'w' }, { "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' }, CLI_LAYOUT_OPTS, { 0 },
	};
	int c, ret;

	while ((c = cli_getopt(argc, argv, "+s:S:rm:u:g:wvhN:C:d:", opts, 'h')) != -1) {
		if (c == 'h')
			return creat_help(stdout), 1;
		ret = creat_opt(a, c, optarg);
		if (ret)
			return ret;
	}
	if (!a->size)
		return cli_usage_error("creat", "-s SIZE is required");
	if (optind != argc - 1)
		return cli_usage_error("creat", "expected one FILE");
	if (cli_layout_check(&a->lay, "creat"))
		return 2;
	a->file = argv[optind];
	return 0;
}

/* The seeded fill through mmap, in 2 MiB windows, then msync. 0 or -errno (logged). */
static int creat_fill(int fd, const char *path, uint64_t seed)
{
	uint64_t size;
	void *p;
	int ret = map_file(fd, path, PROT_READ | PROT_WRITE, &p, &size);

	if (ret)
		return ret;
	for (uint64_t off = 0; off < size; off += WINDOW)
		famfs_fill_seeded((char *)p + off, size - off < WINDOW ? size - off : WINDOW, seed, off);
	if (msync(p, size, MS_SYNC)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: msync: %s", path, strerror(-ret));
	}
	munmap(p, size);
	return ret;
}

int cmd_creat(int argc, char **argv)
{
	struct creat_args a = { .seed = 1, .mode = 0644, .uid = getuid(), .gid = getgid() };
	int fd, ret = creat_parse(argc, argv, &a);

	if (ret)
		return ret == 1 ? 0 : ret;
	struct famfs_file_req req = {
		.size = a.size, .mode = a.mode, .uid = a.uid, .gid = a.gid, .flags = a.flags,
		.nstrips = a.lay.nstrips, .chunk_size = a.lay.chunk_size, .devmask = a.lay.devmask,
	};
	fd = cli_new_file(a.file, &req);
	if (fd < 0)
		return 1;
	ret = a.fill ? creat_fill(fd, a.file, a.seed) : 0;
	close(fd);
	return ret ? 1 : 0;
}

static void verify_help(FILE *f)
{
	fprintf(f, "usage: famfsctl verify -S SEED -f FILE\n"
		"Check that FILE holds the bytes 'creat -S SEED' wrote. Exit 0 if so, 1 if not.\n"
		"  -?, --help        this help\n");
}

/* Check @file's seeded bytes through mmap: *bad = 1 + the first mismatching offset, or 0. */
static int verify_file(const char *file, uint64_t seed, uint64_t *size, uint64_t *bad)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	void *p;

	if (fd < 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", file, strerror(errno));
		return -errno;
	}
	if (map_file(fd, file, PROT_READ, &p, size)) {
		close(fd);
		return -EIO;
	}
	*bad = 0;
	for (uint64_t off = 0; off < *size && !*bad; off += WINDOW)
		*bad = famfs_verify_seeded((char *)p + off, *size - off < WINDOW ? *size - off : WINDOW,
					   seed, off);
	munmap(p, *size);
	close(fd);
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 'S' }, { "filename", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	const char *file = NULL;
	uint64_t seed = 0, size = 0, bad = 0;
	bool have_seed = false;
	int c;

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
	if (verify_file(file, seed, &size, &bad))
		return 1;
	if (bad) {
		famfs_msg(FAMFS_MSG_ERR, "%s: mismatch at offset %llu (seed %llu)", file,
			  (unsigned long long)(bad - 1), (unsigned long long)seed);
		return 1;
	}
	printf("famfs verify: %s ok (%llu bytes, seed %llu)\n", file, (unsigned long long)size,
	       (unsigned long long)seed);
	return 0;
}
