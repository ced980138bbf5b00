// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_cp.c - famfsctl cp [-r] [-L] [-t N] [-m MODE] [-u UID] [-g GID] SRC... DST
 *
 * Each regular file is allocated and logged on the master, made in the mount, then its
 * bytes are written through the famfs file (DAX, translated by the policy), in this thread
 * or by -t N copy threads (cp_copy.c). Directories (with -r) are logged as MKDIR. All of it
 * in one append session (cli_append_hold()): the log is replayed once, not once per file.
 * famfs cp's habits: an existing famfs file of the same size is overwritten and an existing
 * directory copied into (a cp run again goes on); a file of another size, a device, FIFO or
 * socket, a full log or device stop the copy; an empty file is an error and the rest goes
 * on; the exit status is 1 if anything was not copied. famfs holds no symlinks: they are
 * skipped and counted (-L copies the files they point to instead).
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
	bool stop;		/* a failure famfs cp stops at: copy nothing more */
	long mode, uid, gid;	/* -1: take the source's */
	long nthreads;		/* -t: copy threads, 0: copy in this thread */
	struct cli_layout layout;
	struct cp_copier *copier;
	uint64_t dirs, symlinks, overwritten, errors;
};

/* Failures after which famfs cp stops: no room left for anything else. */
static void cp_check_stop(struct cp_ctx *c, int ret)
{
	if (ret == -ENOSPC || ret == -E2BIG)
		c->stop = true;
}

/*
 * Open existing famfs file @dst (stat @dt) to overwrite it with @src (@st), as famfs cp
 * does (a restarted cp goes on): only a regular file of the same size, since famfs files
 * never change size. Returns an fd open O_RDWR, or -errno (reported).
 */
static int cp_overwrite(struct cp_ctx *c, const char *src, const struct stat *st,
			const char *dst, const struct stat *dt)
{
	char rel[PATH_MAX];
	int ret = famfs_find_mount(dst, NULL, 0, NULL, 0, rel, sizeof(rel)), fd;

	if (ret)
		return ret;
	if (!S_ISREG(dt->st_mode)) {
		famfs_msg(FAMFS_MSG_ERR, "cp: cannot overwrite %s with %s: it is not a regular file",
			  dst, src);
		return -EEXIST;
	}
	if (dt->st_size != st->st_size) {
		famfs_msg(FAMFS_MSG_ERR, "cp: cannot overwrite %s (%lld bytes) with %s (%lld bytes): "
			  "famfs files never change size", dst, (long long)dt->st_size, src,
			  (long long)st->st_size);
		c->stop = true;		/* famfs cp stops here too */
		return -EEXIST;
	}
	fd = open(dst, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "cp: cannot overwrite %s: %s", dst, strerror(-ret));
		return ret;
	}
	c->overwritten++;
	return fd;
}

/* The famfs file @src goes to: a new one (allocated and logged), or the same-size one there. */
static int cp_target(struct cp_ctx *c, const char *src, const struct stat *st, const char *dst)
{
	struct famfs_file_req req = {
		.size = st->st_size, .mode = c->mode >= 0 ? c->mode : st->st_mode & 07777,
		.uid = c->uid >= 0 ? c->uid : st->st_uid, .gid = c->gid >= 0 ? c->gid : st->st_gid,
		.nstrips = c->layout.nstrips, .chunk_size = c->layout.chunk_size,
		.devmask = c->layout.devmask,
	};
	struct stat dt;
	int ret;

	if (!lstat(dst, &dt))
		return cp_overwrite(c, src, st, dst, &dt);
	ret = cli_new_file(dst, &req);
	cp_check_stop(c, ret);
	return ret;
}

static int cp_file(struct cp_ctx *c, const char *src, const struct stat *st, const char *dst)
{
	int in, out;

	if (st->st_size == 0) {
		famfs_msg(FAMFS_MSG_ERR, "cp: %s: empty file: famfs cannot allocate an empty file "
			  "(not copied)", src);
		return -EINVAL;
	}
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", src, strerror(errno));
		return -errno;
	}
	out = cp_target(c, src, st, dst);
	if (out < 0) {
		close(in);
		return out;
	}
	if (cli_verbose)
		printf("cp %s -> %s\n", src, dst);
	return cp_copier_add(c->copier, in, out, src, dst, st->st_size);
}

static int cp_any(struct cp_ctx *c, const char *src, const char *dst);

/* Make directory @dst, or use it if it is there (a restarted cp -r, as famfs cp does). */
static int cp_mkdir(struct cp_ctx *c, const struct stat *st, const char *dst)
{
	struct stat dt;
	int ret;

	if (!stat(dst, &dt) && S_ISDIR(dt.st_mode)) {
		char rel[PATH_MAX];

		return famfs_find_mount(dst, NULL, 0, NULL, 0, rel, sizeof(rel));
	}
	ret = cli_new_dir(dst, c->mode >= 0 ? c->mode | 0111 : st->st_mode & 07777,
			  c->uid >= 0 ? c->uid : st->st_uid, c->gid >= 0 ? c->gid : st->st_gid);
	cp_check_stop(c, ret);
	if (ret >= 0)
		c->dirs++;
	return ret;
}

static int cp_dir(struct cp_ctx *c, const char *src, const struct stat *st, const char *dst)
{
	struct dirent **ents;
	char s[PATH_MAX], d[PATH_MAX];
	int n, ret;

	ret = cp_mkdir(c, st, dst);
	if (ret < 0)
		return ret;
	n = scandir(src, &ents, NULL, alphasort);
	if (n < 0) {
		famfs_msg(FAMFS_MSG_ERR, "%s: %s", src, strerror(errno));
		return -errno;
	}
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		if (!c->stop && strcmp(name, ".") && strcmp(name, "..")) {
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

/* What a file that is neither regular nor a directory nor a symlink is. */
static const char *cp_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	}
	return "not a regular file";
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
	/* famfs cp stops at these too */
	famfs_msg(FAMFS_MSG_ERR, "cp: %s: %s: famfs holds only regular files and directories",
		  src, cp_kind(st.st_mode));
	c->stop = true;
	return -EINVAL;
}

static void cp_help(FILE *f)
{
	fprintf(f, "usage: famfsctl cp [-r] [-L] [-t N] [-m MODE] [-u UID] [-g GID] [-N NSTRIPS [-C CHUNK]]\n"
		"                   [-d DEVS] [-v] SRC... DST\n"
		"Copy files into famfs (master only): each file is allocated, logged, then written.\n"
		"DST is a file path, or an existing famfs directory (required for several SRCs).\n"
		"An existing famfs file of the same size is overwritten (so a cp can be run again);\n"
		"one of another size is refused (famfs files never change size) and cp stops.\n"
		"Empty files cannot be copied (error, the rest goes on); devices, FIFOs and sockets\n"
		"stop cp (error). Exit 1 if anything was not copied.\n"
		"  -r, --recursive   copy directories (into existing famfs directories too)\n"
		"  -t, --threadct N  copy the data with N threads (0..%d, default 0: this thread)\n"
		"  -L, --dereference copy the targets of symlinks (famfs has no symlinks;\n"
		"                    without -L they are skipped and counted)\n"
		"  -m, --mode MODE   octal mode of new files (default: the source's)\n"
		"  -u, --uid USER    owner: a name or a number (default: the source's)\n"
		"  -g, --gid GROUP   group: a name or a number (default: the source's)\n"
		CLI_LAYOUT_HELP
		"  -v, --verbose     name each file copied\n"
		"  -?, --help        this help\n"
		"A progress line (files, bytes, rate) is drawn on stderr when it is a terminal.\n",
		CP_THREADS_MAX);
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
	case 't':
		if (cp_num(arg, 10, &c->nthreads) || c->nthreads > CP_THREADS_MAX)
			return cli_usage_error("cp", "bad thread count '%s' (0..%d)", arg,
					       CP_THREADS_MAX);
		return 0;
	case 'N': case 'C': case 'd':
		return cli_layout_opt(&c->layout, o, arg, "cp") ? 2 : 0;
	}
	cp_help(stderr);
	return 2;
}

/* Copy each SRC to DST, or into DST if it is a directory; stop where famfs cp stops. */
static void cp_all(struct cp_ctx *c, char **srcs, int nsrc, const char *dst, bool dst_dir)
{
	for (int i = 0; i < nsrc && !c->stop; i++) {
		char target[PATH_MAX], tmp[PATH_MAX];

		snprintf(tmp, sizeof(tmp), "%s", srcs[i]);
		if (dst_dir)
			snprintf(target, sizeof(target), "%s/%s", dst, basename(tmp));
		else
			snprintf(target, sizeof(target), "%s", dst);
		if (cp_any(c, srcs[i], target))
			c->errors++;
	}
	if (c->stop)
		famfs_msg(FAMFS_MSG_ERR, "cp: stopped: what remained was not copied");
}

/* Copy, with the append session held (one replay of the log for every file). */
static int cp_run(struct cp_ctx *c, char **srcs, int nsrc, const char *dst, bool dst_dir)
{
	uint64_t files, bytes, failed;
	int ret = cp_copier_start(&c->copier, c->nthreads);

	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "cp: %s", strerror(-ret));
		return 1;
	}
	cli_append_hold();
	cp_all(c, srcs, nsrc, dst, dst_dir);
	cli_append_release();
	cp_copier_finish(c->copier, &files, &bytes, &failed);
	c->errors += failed;
	printf("famfs cp: %llu files (%llu bytes), %llu dirs, %llu overwritten, %llu symlinks skipped, %llu errors\n",
	       (unsigned long long)files, (unsigned long long)bytes,
	       (unsigned long long)c->dirs, (unsigned long long)c->overwritten,
	       (unsigned long long)c->symlinks, (unsigned long long)c->errors);
	return c->errors ? 1 : 0;
}

int cmd_cp(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "recursive", no_argument, NULL, 'r' }, { "dereference", no_argument, NULL, 'L' },
		{ "mode", required_argument, NULL, 'm' },
		{ "uid", required_argument, NULL, 'u' }, { "gid", required_argument, NULL, 'g' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ "threadct", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 't' },
		CLI_LAYOUT_OPTS, { 0 },
	};
	struct cp_ctx c = { .mode = -1, .uid = -1, .gid = -1 };
	struct stat st;
	bool dst_dir;
	int o, ret;

	while ((o = cli_getopt(argc, argv, "+rLm:u:g:vht:N:C:d:", opts, 'h')) != -1) {
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
	return cp_run(&c, argv + optind, argc - 1 - optind, dst, dst_dir);
}
