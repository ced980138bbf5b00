// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_creat.c - famfsctl creat -s SIZE [-S SEED] [-r] [-m MODE] [-u UID] [-g GID] [-w] FILE
 *               famfsctl creat -M FILE,SIZE[,SEED]... (famfs -M)
 *               famfsctl verify -S SEED -f FILE | -m FILE,SEED...
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
		"                      [-N NSTRIPS [-C CHUNK]] [-d DEVS] [-v] FILE\n"
		"       famfsctl creat -M FILE,SIZE[,SEED] [-M ...] [-t N] [options] \n"
		"Allocate and log a file of SIZE bytes (master only). As in famfs, a FILE that\n"
		"exists in famfs with the same size (or no -s) is not logged again: it is only\n"
		"re-filled with -S/-r; a different size is refused.\n"
		"  -s, --size SIZE   bytes (K, M, G suffixes); may be left out for an existing FILE\n"
		"  -S, --seed SEED   fill with seeded pseudo-random bytes (implies -r)\n"
		"  -r, --randomize   fill with pseudo-random bytes (seed 1 unless -S)\n"
		"  -M, --multi FILE,SIZE[,SEED]  one file of several (repeat -M; not with -s, -S,\n"
		"                    FILE); with SEED it is filled as -S SEED (famfs's -M)\n"
		"  -t, --threadct N  famfs's fill threads for -M: accepted (1..256), files are\n"
		"                    filled one after another\n"
		"  -m, --mode MODE   octal mode (default 0644)\n"
		"  -u, --uid USER / -g, --gid GROUP   owner: a name or a number (default: caller)\n"
		"  -w, --writable    writable on every host (default: read-only on clients)\n"
		CLI_LAYOUT_HELP
		"  -v, --verbose     name the file made or re-filled\n"
		"  -?, --help        this help\n");
}

/* One file to make (or re-fill): from the operand or one -M. */
struct creat_file {
	const char *file;
	uint64_t size;		/* 0: take the existing file's */
	uint64_t seed;
	bool fill;
};

struct creat_args {
	uint64_t size, seed, mode;
	uint32_t uid, gid, flags;
	bool fill;
	struct cli_layout lay;
	struct creat_file *multi;	/* -M entries, [0, nmulti) */
	int nmulti;
	const char *file;
};

/* -M FILE,SIZE[,SEED] into @cf (@arg is kept: cf->file points into it). 0 or exit code 2. */
static int creat_multi_arg(struct creat_file *cf, char *arg)
{
	char *size = strchr(arg, ','), *seed;

	if (!size || size == arg)
		return cli_usage_error("creat", "bad -M '%s': expected FILE,SIZE[,SEED]", arg);
	*size++ = '\0';
	seed = strchr(size, ',');
	if (seed)
		*seed++ = '\0';
	cf->file = arg;
	if (cli_size_arg("creat", "size", size, &cf->size))
		return 2;
	if (!cf->size)
		return cli_usage_error("creat", "bad size '%s' for %s: at least 1 byte", size, arg);
	if (seed && parse_u64(seed, &cf->seed))
		return cli_usage_error("creat", "bad seed '%s' for %s", seed, arg);
	cf->fill = seed != NULL;
	return 0;
}

/* One option of creat into @a. 0, or the exit code (2: a usage error, reported). */
static int creat_opt(struct creat_args *a, int c, char *arg)
{
	uint64_t v;

	switch (c) {
	case 's':
		if (cli_size_arg("creat", "size", arg, &a->size))
			return 2;
		return a->size ? 0 : cli_usage_error("creat", "bad size '%s': at least 1 byte", arg);
	case 'S':
		a->fill = true;
		return parse_u64(arg, &a->seed) ? cli_usage_error("creat", "bad seed '%s'", arg) : 0;
	case 'r': a->fill = true; return 0;
	case 'M': return creat_multi_arg(&a->multi[a->nmulti++], arg);
	case 't':
		if (parse_u64(arg, &v) || v < 1 || v > 256)
			return cli_usage_error("creat", "bad thread count '%s' (1..256)", arg);
		return 0;
	case 'm':
		a->mode = strtoull(arg, NULL, 8);
		if (a->mode > 07777 || strspn(arg, "01234567") != strlen(arg))
			return cli_usage_error("creat", "bad mode '%s'", arg);
		return 0;
	case 'u': return cli_id_arg("creat", false, arg, &a->uid) ? 2 : 0;
	case 'g': return cli_id_arg("creat", true, arg, &a->gid) ? 2 : 0;
	case 'w': a->flags |= FAMFS_FILE_RW_ALL; return 0;
	case 'v': cli_verbose_on(); return 0;
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
		{ "verbose", no_argument, NULL, 'v' }, { "multi", required_argument, NULL, 'M' },
		{ "threadct", required_argument, NULL, 't' }, CLI_LAYOUT_OPTS, { 0 },
	};
	int c, ret;

	while ((c = cli_getopt(argc, argv, "+s:S:rm:u:g:wvhN:C:d:M:t:", opts, 'h')) != -1) {
		if (c == 'h')
			return creat_help(stdout), 1;
		ret = creat_opt(a, c, optarg);
		if (ret)
			return ret;
	}
	if (cli_layout_check(&a->lay, "creat"))
		return 2;
	if (a->nmulti) {
		if (a->size || a->fill || optind != argc)
			return cli_usage_error("creat", "-M is not used with -s, -S, -r or FILE");
		return 0;
	}
	if (optind != argc - 1)
		return cli_usage_error("creat", "expected one FILE (or -M FILE,SIZE[,SEED])");
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

/*
 * An existing @cf->file, as famfs creat treats it: a famfs regular file of the same size
 * (or any size when none was given) is opened for the fill; anything else is refused.
 * Returns an fd open O_RDWR, or -errno (reported). Nothing is logged.
 */
static int creat_existing(const struct creat_file *cf, const struct stat *st)
{
	struct famfs_ioc_bind b;
	int fd;

	if (!S_ISREG(st->st_mode)) {
		famfs_msg(FAMFS_MSG_ERR, "%s: exists and is not a regular file", cf->file);
		return -EEXIST;
	}
	if (famfs_file_binding(cf->file, &b, true)) {
		famfs_msg(FAMFS_MSG_ERR, "%s: exists and is not a famfs file with an fmap",
			  cf->file);
		return -EEXIST;
	}
	if (cf->size && cf->size != (uint64_t)st->st_size) {
		famfs_msg(FAMFS_MSG_ERR, "%s: exists with size %llu, not %llu: refused (only a file of the same size is re-created)",
			  cf->file, (unsigned long long)st->st_size, (unsigned long long)cf->size);
		return -EEXIST;
	}
	fd = open(cf->file, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", cf->file, strerror(errno));
		return -errno;
	}
	famfs_msg(FAMFS_MSG_DEBUG, "%s: exists with the same size: re-created (nothing logged)%s",
		  cf->file, cf->fill ? ", re-filled" : "");
	return fd;
}

/* Make (or re-create) one file and fill it if asked. 0, or 1 (reported). */
static int creat_one(const struct creat_args *a, const struct creat_file *cf)
{
	struct famfs_file_req req = {
		.size = cf->size, .mode = a->mode, .uid = a->uid, .gid = a->gid, .flags = a->flags,
		.nstrips = a->lay.nstrips, .chunk_size = a->lay.chunk_size, .devmask = a->lay.devmask,
	};
	struct stat st;
	int fd, ret;

	if (!lstat(cf->file, &st)) {
		fd = creat_existing(cf, &st);
	} else if (!cf->size) {
		return cli_usage_error("creat", "%s: -s SIZE is required for a new file", cf->file);
	} else {
		fd = cli_new_file(cf->file, &req);
	}
	if (fd < 0)
		return 1;
	ret = cf->fill ? creat_fill(fd, cf->file, cf->seed) : 0;
	close(fd);
	return ret ? 1 : 0;
}

int cmd_creat(int argc, char **argv)
{
	struct creat_args a = { .seed = 1, .mode = 0644, .uid = getuid(), .gid = getgid() };
	int errors = 0, ret;

	a.multi = calloc(argc, sizeof(*a.multi));
	if (!a.multi)
		return 1;
	ret = creat_parse(argc, argv, &a);
	if (ret) {
		free(a.multi);
		return ret == 1 ? 0 : ret;
	}
	if (!a.nmulti) {
		struct creat_file one = { a.file, a.size, a.seed, a.fill };

		ret = creat_one(&a, &one);
		free(a.multi);
		return ret;
	}
	for (int i = 0; i < a.nmulti; i++)
		errors += creat_one(&a, &a.multi[i]) != 0;
	printf("famfs creat: %d of %d files done, %d errors\n", a.nmulti - errors, a.nmulti,
	       errors);
	free(a.multi);
	return errors ? 1 : 0;
}

static void verify_help(FILE *f)
{
	fprintf(f, "usage: famfsctl verify -S SEED -f FILE [-q] [-v]\n"
		"       famfsctl verify -m FILE,SEED [-m ...] [-t N] [-q] [-v]\n"
		"Check that FILE holds the bytes 'creat -S SEED' wrote, reading it through a DAX\n"
		"mmap (as famfs verify does). Exit 0 if so, 1 if not.\n"
		"  -S, --seed SEED   the seed creat used\n"
		"  -f, --filename F  the file\n"
		"  -m, --multi FILE,SEED  one file of several (repeat -m; not with -S/-f): famfs's\n"
		"                    meaning of -m (every verify reads through mmap)\n"
		"  -t, --threadct N  famfs's verify threads for -m: accepted (1..256), files are\n"
		"                    checked one after another\n"
		"  -q, --quiet       no line for a file that verifies\n"
		"  -v, --verbose     debug messages\n"
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

/* Verify one file; its line unless @quiet. 0 ok, 1 not (reported). */
static int verify_one(const char *file, uint64_t seed, bool quiet)
{
	uint64_t size = 0, bad = 0;

	if (verify_file(file, seed, &size, &bad))
		return 1;
	if (bad) {
		famfs_msg(FAMFS_MSG_ERR, "%s: mismatch at offset %llu (seed %llu)", file,
			  (unsigned long long)(bad - 1), (unsigned long long)seed);
		return 1;
	}
	if (!quiet)
		printf("famfs verify: %s ok (%llu bytes, seed %llu)\n", file,
		       (unsigned long long)size, (unsigned long long)seed);
	return 0;
}

/* -m FILE,SEED into @file, @seed (@arg is cut at the last comma). 0 or exit code 2. */
static int verify_multi_arg(char *arg, const char **file, uint64_t *seed)
{
	char *comma = strrchr(arg, ',');

	if (!comma || comma == arg)
		return cli_usage_error("verify", "bad -m '%s': expected FILE,SEED", arg);
	*comma = '\0';
	if (parse_u64(comma + 1, seed))
		return cli_usage_error("verify", "bad seed '%s' for %s", comma + 1, arg);
	*file = arg;
	return 0;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 'S' }, { "filename", required_argument, NULL, 'f' },
		{ "multi", required_argument, NULL, 'm' }, { "threadct", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' }, { "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	const char **files = calloc(argc, sizeof(*files));
	uint64_t *seeds = calloc(argc, sizeof(*seeds)), seed = 0, v;
	const char *file = NULL;
	bool have_seed = false, quiet = false;
	int c, n = 0, errors = 0, ret = 0;

	if (!files || !seeds)
		goto out;
	while ((c = cli_getopt(argc, argv, "+S:f:m:t:qvh", opts, 'h')) != -1) {
		switch (c) {
		case 'S':
			if (parse_u64(optarg, &seed)) {
				ret = cli_usage_error("verify", "bad seed '%s'", optarg);
				goto out;
			}
			have_seed = true;
			break;
		case 'f': file = optarg; break;
		case 'm':
			ret = verify_multi_arg(optarg, &files[n], &seeds[n]);
			if (ret)
				goto out;
			n++;
			break;
		case 't':
			if (parse_u64(optarg, &v) || v < 1 || v > 256) {
				ret = cli_usage_error("verify", "bad thread count '%s' (1..256)", optarg);
				goto out;
			}
			break;
		case 'q': quiet = true; break;
		case 'v': cli_verbose_on(); break;
		case 'h': verify_help(stdout); goto out;
		default: verify_help(stderr); ret = 2; goto out;
		}
	}
	if (n && (have_seed || file || optind != argc)) {
		ret = cli_usage_error("verify", "-m is not used with -S, -f or operands");
	} else if (!n && (!have_seed || !file || optind != argc)) {
		ret = cli_usage_error("verify", "expected -S SEED -f FILE (or -m FILE,SEED)");
	} else if (!n) {
		ret = verify_one(file, seed, quiet);
	} else {
		for (int i = 0; i < n; i++)
			errors += verify_one(files[i], seeds[i], quiet);
		printf("famfs verify: %d of %d files ok, %d errors\n", n - errors, n, errors);
		ret = errors ? 1 : 0;
	}
out:
	free(files);
	free(seeds);
	return ret;
}
