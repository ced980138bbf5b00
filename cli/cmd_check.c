// SPDX-License-Identifier: Apache-2.0
/*
 * cmd_check.c - famfsctl check [-v] [-j] MOUNTPOINT      (famfs check)
 *               famfsctl chkread [-v] [-j] [-s] [-l] FILE|DIR...   (famfs chkread)
 *
 * check: fsck reads the log; check looks at what the mount holds. Every regular file under
 * the mount must be bound to an fmap (FAMFS_IOC_GET_BIND) and the mount's live policy must
 * translate its first and last byte (FAMFS_IOC_XLATE, the checks a fault makes). A file
 * made by hand (cp into the mount without famfsctl) or a policy that cannot resolve a
 * file's fmap kind shows up here, named.
 * chkread: read(2) and a DAX mmap of a file must give the same bytes, 2 MiB at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define WINDOW (2ULL << 20)

/* nftw() has no user pointer: the walk's state, one walk at a time. */
static struct cli_check *check_walk;

static void check_bad(struct cli_check *c, const char *file, const char *why)
{
	famfs_msg(FAMFS_MSG_ERR, "check: %s: %s", file, why);
	if (c->nbad < CLI_CHECK_MAX_BAD) {
		snprintf(c->bad[c->nbad].file, sizeof(c->bad[c->nbad].file), "%s", file);
		snprintf(c->bad[c->nbad].why, sizeof(c->bad[c->nbad].why), "%s", why);
	}
	c->nbad++;
}

/* One regular file: bound, and both ends translated by the live policy. */
static void check_file(struct cli_check *c, const char *file)
{
	struct famfs_ioc_bind b;
	char policy[FAMFS_POLICY_NAME_LEN], why[128];
	int ret = famfs_file_binding(file, &b, true);

	c->nfiles++;
	if (ret) {
		check_bad(c, file, ret == -ENODATA ? "no fmap (not made by famfsctl?)" :
			  "not a famfs file");
		return;
	}
	for (int end = 0; end < 2; end++) {
		struct famfs_ioc_xlate x = { .offset = end ? b.size - 1 : 0 };

		ret = famfs_file_xlate(file, &x, policy);
		if (ret) {
			snprintf(why, sizeof(why), "policy %s cannot translate offset %llu: %s",
				 policy[0] ? policy : "(none)", (unsigned long long)x.offset,
				 strerror(-ret));
			check_bad(c, file, why);
			return;
		}
	}
	if (cli_verbose)
		famfs_msg(FAMFS_MSG_INFO, "check: %s: key %llx, %llu bytes, translated by %s",
			  file, (unsigned long long)b.key, (unsigned long long)b.size, policy);
}

static int check_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	struct cli_check *c = check_walk;

	if (type == FTW_DNR || type == FTW_NS) {
		check_bad(c, path, "cannot be read");
	} else if (type == FTW_D) {
		c->ndirs += ftw->level > 0;
	} else if (S_ISREG(st->st_mode)) {
		check_file(c, path);
	} else {
		c->nother++;
		if (cli_verbose)
			famfs_msg(FAMFS_MSG_INFO, "check: %s: not a file or directory, skipped", path);
	}
	return 0;
}

/* Walk @mpt into @c (bad files named on stderr as found). 0, or -errno of the walk. */
static int cli_check_mount(const char *mpt, struct cli_check *c)
{
	char meta[PATH_MAX + 32];
	struct stat st;

	memset(c, 0, sizeof(*c));
	snprintf(c->mount, sizeof(c->mount), "%s", mpt);
	snprintf(meta, sizeof(meta), "%s/" FAMFS_META_SB, mpt);
	c->sb_missing = stat(meta, &st) || !S_ISREG(st.st_mode);
	snprintf(meta, sizeof(meta), "%s/" FAMFS_META_LOG, mpt);
	c->log_missing = stat(meta, &st) || !S_ISREG(st.st_mode);
	if (c->sb_missing)
		famfs_msg(FAMFS_MSG_ERR, "check: %s: no superblock file (load-maps)", mpt);
	if (c->log_missing)
		famfs_msg(FAMFS_MSG_ERR, "check: %s: no log file (load-maps)", mpt);
	check_walk = c;
	if (nftw(mpt, check_one, 16, FTW_PHYS | FTW_MOUNT)) {
		int ret = -errno;

		famfs_msg(FAMFS_MSG_ERR, "check: %s: %s", mpt, strerror(-ret));
		return ret;
	}
	return 0;
}

static void check_help(FILE *f)
{
	fprintf(f, "usage: famfsctl check [-v] [-j] MOUNTPOINT\n"
		"Check every file of a mounted famfs: each regular file must be bound to an fmap\n"
		"and the mount's policy must translate its first and last byte (what a fault\n"
		"does). fsck checks the log; check what the mount holds: run both. Bad files are\n"
		"named on stderr. Exit 0 all files mapped; else the OR of 1 (a file not mapped),\n"
		"2 (superblock file missing), 4 (log file missing), as famfs check.\n"
		"  -v, --verbose     name every file checked and its policy\n"
		"  -j, --json        print the counts and bad files as one JSON object\n"
		"  -?, -h, --help    this help\n");
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	static struct cli_check c;
	char mpt[PATH_MAX], rel[PATH_MAX];
	bool json = false;
	int opt, ret;

	while ((opt = cli_getopt(argc, argv, "+vjqh", opts, 'h')) != -1) {
		switch (opt) {
		case 'v': cli_verbose_on(); break;
		case 'j': json = true; break;
		case 'q': break;	/* famfs accepts -q; check prints one line */
		case 'h': check_help(stdout); return 0;
		default: check_help(stderr); return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("check", "expected one MOUNTPOINT");
	if (famfs_find_mount(argv[optind], mpt, sizeof(mpt), NULL, 0, rel, sizeof(rel)))
		return 1;
	if (rel[0]) {
		famfs_msg(FAMFS_MSG_ERR, "check: %s is not the mount point (that is %s)",
			  argv[optind], mpt);
		return 1;
	}
	if (cli_check_mount(mpt, &c))
		return 1;
	ret = (c.nbad ? 1 : 0) | (c.sb_missing ? 2 : 0) | (c.log_missing ? 4 : 0);
	if (json)
		return cli_json_print(stdout, cli_json_check(&c)) ? 1 : ret;
	printf("famfs check: %s: %llu files, %llu directories, %llu errors\n", mpt,
	       (unsigned long long)c.nfiles, (unsigned long long)c.ndirs,
	       (unsigned long long)(c.nbad + c.sb_missing + c.log_missing));
	return ret;
}

/* ---- chkread ---- */

/* Compare read(2) with mmap over @file. 0 same, 1 different (*bad = first offset), -errno. */
static int chkread_file(const char *file, uint64_t *size, uint64_t *bad)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	char *buf = NULL, *p = MAP_FAILED;
	int ret = 0;

	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "chkread: %s: %s", file, strerror(-ret));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || !st.st_size) {
		famfs_msg(FAMFS_MSG_ERR, "chkread: %s: %s", file,
			  S_ISREG(st.st_mode) ? "empty file" : "not a regular file");
		ret = -EINVAL;
		goto out;
	}
	*size = st.st_size;
	p = mmap(NULL, *size, PROT_READ, MAP_SHARED, fd, 0);
	buf = malloc(WINDOW);
	if (p == MAP_FAILED || !buf) {
		ret = p == MAP_FAILED ? -errno : -ENOMEM;
		famfs_msg(FAMFS_MSG_ERR, "chkread: %s: mmap: %s", file, strerror(-ret));
		goto out;
	}
	for (uint64_t off = 0; off < *size; off += WINDOW) {
		size_t len = *size - off < WINDOW ? *size - off : WINDOW;
		ssize_t n = pread(fd, buf, len, off);

		if (n != (ssize_t)len) {
			ret = n < 0 ? -errno : -EIO;
			famfs_msg(FAMFS_MSG_ERR, "chkread: %s: read at %llu: %s", file,
				  (unsigned long long)off, n < 0 ? strerror(errno) : "short read");
			goto out;
		}
		if (memcmp(buf, p + off, len)) {
			size_t i = 0;

			while (buf[i] == p[off + i])
				i++;
			*bad = off + i;
			ret = 1;
			goto out;
		}
	}
out:
	if (p != MAP_FAILED)
		munmap(p, *size);
	free(buf);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* nftw() state for chkread of a directory. */
static struct { bool json; struct json_object *arr; unsigned errors, files; } chk;

static void chkread_report(const char *file, int ret, uint64_t size, uint64_t bad)
{
	chk.files++;
	chk.errors += ret != 0;
	if (ret == 1)
		famfs_msg(FAMFS_MSG_ERR, "chkread: %s: read and mmap differ at offset %llu", file,
			  (unsigned long long)bad);
	if (chk.json)
		cli_json_chkread_add(chk.arr, file, ret, size, bad);
	else if (!ret)
		printf("famfs chkread: %s: read and mmap match (%llu bytes)\n", file,
		       (unsigned long long)size);
}

static int chkread_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	uint64_t size = 0, bad = 0;

	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode)) {
		int ret = chkread_file(path, &size, &bad);

		chkread_report(path, ret, size, bad);
	}
	return 0;
}

static void chkread_help(FILE *f)
{
	fprintf(f, "usage: famfsctl chkread [-v] [-j] [-s] [-l] FILE|DIR...\n"
		"Check that read(2) and a DAX mmap give the same bytes for each FILE (a DIR:\n"
		"every regular file under it, the mount point: all files). Exit 0 all match, 1 not.\n"
		"  -s, -l            famfs's 'FILE is the superblock / log' (accepted; the bytes\n"
		"                    are compared the same way, nothing is dumped)\n"
		"  -v, --verbose     debug messages\n"
		"  -j, --json        print one JSON object: files (file, size, match, offset)\n"
		"  -?, -h, --help    this help\n");
}

int cmd_chkread(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	int opt;

	while ((opt = cli_getopt(argc, argv, "+vjslh", opts, 'h')) != -1) {
		switch (opt) {
		case 'v': cli_verbose_on(); break;
		case 'j': chk.json = true; break;
		case 's': case 'l': break;
		case 'h': chkread_help(stdout); return 0;
		default: chkread_help(stderr); return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("chkread", "expected FILE|DIR...");
	if (chk.json)
		chk.arr = cli_json_chkread_new();
	for (int i = optind; i < argc; i++) {
		struct stat st;
		uint64_t size = 0, bad = 0;

		if (!stat(argv[i], &st) && S_ISDIR(st.st_mode)) {
			if (nftw(argv[i], chkread_one, 16, FTW_PHYS | FTW_MOUNT)) {
				famfs_msg(FAMFS_MSG_ERR, "chkread: %s: %s", argv[i], strerror(errno));
				chk.errors++;
			}
			continue;
		}
		int ret = chkread_file(argv[i], &size, &bad);

		chkread_report(argv[i], ret, size, bad);
	}
	if (chk.json && cli_json_print(stdout, cli_json_chkread(chk.arr, chk.files, chk.errors)))
		return 1;
	return chk.errors ? 1 : 0;
}
