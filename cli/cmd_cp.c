// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_cp.c - famfsctl cp [-r] [-m MODE] [-u UID] [-g GID] SRC... DST
 *
 * Each regular file is allocated and logged on the master, made in the mount, then its
 * bytes are written through the famfs file (DAX, translated by the policy). Directories
 * (with -r) are logged as MKDIR. famfs holds neither symlinks nor empty files: those are
 * skipped and counted (-L copies the files symlinks point to instead).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

struct cp_ctx {
	bool recursive;
	bool dereference;	/* -L: copy what symlinks point to */
	long mode, uid, gid;	/* -1: take the source's */
	struct cli_layout layout;
	uint64_t files, dirs, bytes, skipped, symlinks, errors;
};

static int cp_data(int in, int out, const char *src, const char *dst, uint64_t size)
{
	static char buf[1 << 20];
	uint64_t done = 0;

	while (done < size) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n <= 0) {
			famfs_msg(FAMFS_MSG_ERR, "%s: read: %s", src, n ? strerror(errno) : "file shrank");
			return -EIO;
		}
		for (ssize_t w = 0; w < n;) {
			ssize_t k = write(out, buf + w, n - w);

			if (k <= 0) {
				famfs_msg(FAMFS_MSG_ERR, "%s: write: %s", dst, k ? strerror(errno) : "short");
				return -EIO;
			}
			w += k;
		}
		done += n;
	}
	return 0;
}

static int cp_file(struct cp_ctx *c, const char *src, const struct stat *st, const char *dst)
{
	int in, out, ret;

	if (st->st_size == 0) {
		famfs_msg(FAMFS_MSG_INFO, "cp: skipping %s: empty files cannot be allocated", src);
		c->skipped++;
		return 0;
	}
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", src, strerror(errno));
		return -errno;
	}
	struct famfs_file_req req = {
		.size = st->st_size, .mode = c->mode >= 0 ? c->mode : st->st_mode & 07777,
		.uid = c->uid >= 0 ? c->uid : st->st_uid, .gid = c->gid >= 0 ? c->gid : st->st_gid,
		.nstrips = c->layout.nstrips, .chunk_size = c->layout.chunk_size,
		.devmask = c->layout.devmask,
	};
	out = cli_new_file(dst, &req);
	if (out < 0) {
		close(in);
		return out;
	}
	ret = cp_data(in, out, src, dst, st->st_size);
	close(in);
	if (close(out) && !ret)
		ret = -errno;
	if (!ret) {
		c->files++;
		c->bytes += st->st_size;
		if (cli_verbose)
			printf("cp %s -> %s\n", src, dst);
	}
	return ret;
}

static int cp_any(struct cp_ctx *c, const char *src, const char *dst);

static int cp_dir(struct cp_ctx *c, const char *src, const struct stat *st, const char *dst)
{
	struct dirent **ents;
	char s[PATH_MAX], d[PATH_MAX];
	int n, ret;

	ret = cli_new_dir(dst, c->mode >= 0 ? c->mode | 0111 : st->st_mode & 07777,
			  c->uid >= 0 ? c->uid : st->st_uid, c->gid >= 0 ? c->gid : st->st_gid);
	if (ret < 0)
		return ret;
	c->dirs++;
	n = scandir(src, &ents, NULL, alphasort);
	if (n < 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", src, strerror(errno));
		return -errno;
	}
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, "..")) {
			snprintf(s, sizeof(s), "%s/%s", src, name);
			snprintf(d, sizeof(d), "%s/%s", dst, name);
			if (cp_any(c, s, d))
				c->errors++;
		}
		free(ents[i]);
	}
	free(ents);
	return 0;
}

static int cp_any(struct cp_ctx *c, const char *src, const char *dst)
{
	struct stat st;

	if (lstat(src, &st)) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", src, strerror(errno));
		return -errno;
	}
	if (S_ISLNK(st.st_mode)) {
		if (!c->dereference) {
			if (cli_verbose)
				famfs_msg(FAMFS_MSG_INFO, "cp: skipping symlink %s", src);
			c->symlinks++;
			return 0;
		}
		if (stat(src, &st)) {
			famfs_msg(FAMFS_MSG_ERR, "%s: dangling symlink: %s", src, strerror(errno));
			return -errno;
		}
	}
	if (S_ISREG(st.st_mode))
		return cp_file(c, src, &st, dst);
	if (S_ISDIR(st.st_mode)) {
		if (!c->recursive) {
			famfs_msg(FAMFS_MSG_ERR, "cp: -r not specified; omitting directory %s", src);
			return -EISDIR;
		}
		return cp_dir(c, src, &st, dst);
	}
	famfs_msg(FAMFS_MSG_INFO, "cp: skipping %s: not a regular file or directory", src);
	c->skipped++;
	return 0;
}

static void cp_help(FILE *f)
{
	fprintf(f, "usage: famfsctl cp [-r] [-L] [-m MODE] [-u UID] [-g GID] [-N NSTRIPS [-C CHUNK]]\n"
		"                   [-d DEVS] [-v] SRC... DST\n"
		"Copy files into famfs (master only): each file is allocated, logged, then written.\n"
		"DST is a file path, or an existing famfs directory (required for several SRCs).\n"
		"  -r, --recursive   copy directories\n"
		"  -L, --dereference copy the targets of symlinks (famfs has no symlinks;\n"
		"                    without -L they are skipped and counted)\n"
		"  -m, --mode MODE   octal mode of new files (default: the source's)\n"
		"  -u, --uid USER    owner: a name or a number (default: the source's)\n"
		"  -g, --gid GROUP   group: a name or a number (default: the source's)\n"
		CLI_LAYOUT_HELP
		"  -v, --verbose     name each file copied\n"
		"  -?, --help        this help\n");
}

static int cp_num(const char *s, int base, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, base);
	return errno || end == s || *end || *out < 0 ? -EINVAL : 0;
}

/* One option of cp into @c. 0, or the exit code (2: a usage error, reported). */
static int cp_opt(struct cp_ctx *c, int o, const char *arg)
{
	uint32_t id;

	switch (o) {
	case 'r': c->recursive = true; return 0;
	case 'L': c->dereference = true; return 0;
	case 'm':
		if (cp_num(arg, 8, &c->mode) || c->mode > 07777)
			return cli_usage_error("cp", "bad mode '%s'", arg);
		return 0;
	case 'u':
	case 'g':
		if (cli_id_arg("cp", o == 'g', arg, &id))
			return 2;
		*(o == 'g' ? &c->gid : &c->uid) = id;
		return 0;
	case 'v': cli_verbose = true; return 0;
	case 'N': case 'C': case 'd':
		return cli_layout_opt(&c->layout, o, arg, "cp") ? 2 : 0;
	}
	cp_help(stderr);
	return 2;
}

/* Copy each SRC to DST, or into DST if it is a directory. */
static void cp_all(struct cp_ctx *c, char **srcs, int nsrc, const char *dst, bool dst_dir)
{
	for (int i = 0; i < nsrc; i++) {
		char target[PATH_MAX], tmp[PATH_MAX];

		snprintf(tmp, sizeof(tmp), "%s", srcs[i]);
		if (dst_dir)
			snprintf(target, sizeof(target), "%s/%s", dst, basename(tmp));
		else
			snprintf(target, sizeof(target), "%s", dst);
		if (cp_any(c, srcs[i], target))
			c->errors++;
	}
}

int cmd_cp(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "recursive", no_argument, NULL, 'r' }, { "dereference", no_argument, NULL, 'L' },
		{ "mode", required_argument, NULL, 'm' },
		{ "uid", required_argument, NULL, 'u' }, { "gid", required_argument, NULL, 'g' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		CLI_LAYOUT_OPTS, { 0 },
	};
	struct cp_ctx c = { .mode = -1, .uid = -1, .gid = -1 };
	struct stat st;
	bool dst_dir;
	int o, ret;

	while ((o = cli_getopt(argc, argv, "+rLm:u:g:vhN:C:d:", opts, 'h')) != -1) {
		if (o == 'h')
			return cp_help(stdout), 0;
		ret = cp_opt(&c, o, optarg);
		if (ret)
			return ret;
	}
	if (argc - optind < 2)
		return cli_usage_error("cp", "expected SRC... DST");
	if (cli_layout_check(&c.layout, "cp"))
		return 2;
	const char *dst = argv[argc - 1];

	dst_dir = !stat(dst, &st) && S_ISDIR(st.st_mode);
	if (argc - optind > 2 && !dst_dir)
		return cli_usage_error("cp", "%s is not a directory", dst);
	cp_all(&c, argv + optind, argc - 1 - optind, dst, dst_dir);
	printf("famfs cp: %llu files (%llu bytes), %llu dirs, %llu symlinks and %llu others skipped, %llu errors\n",
	       (unsigned long long)c.files, (unsigned long long)c.bytes,
	       (unsigned long long)c.dirs, (unsigned long long)c.symlinks,
	       (unsigned long long)c.skipped, (unsigned long long)c.errors);
	return c.errors ? 1 : 0;
}
