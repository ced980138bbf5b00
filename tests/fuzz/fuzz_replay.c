// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_replay.c - libFuzzer harness: the loader's entry application (loader/replay.c,
 * famfs_replay_entry()) against a scratch directory standing in for a mount. Every input is
 * a series of 1024-byte log entries; each one is applied (dry run and for real, as master
 * and as client) to SCRATCH/outer/mnt, which holds a .meta directory like a real mount.
 *
 * The loader's calls that change the file system (mkdir, open, chown, chmod) are wrapped
 * (-Wl,--wrap): a path whose parent resolves outside mnt, or at or under mnt/.meta, stops
 * the harness (abort) before anything is made there. The BPF map and the mount's ioctls are
 * stubbed: the fmap put succeeds, FAMFS_IOC_BIND fails with ENOTTY on the scratch files.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"
#include "fuzz_common.h"

static char mnt[PATH_MAX], meta[PATH_MAX];

/* ---- the mount's stand-ins --------------------------------------------------------- */
int __wrap_famfs_fmaps_open(void)
{
	return 1000;		/* never used as an fd: famfs_fmap_put is stubbed too */
}

int __wrap_famfs_fmap_put(int mapfd, uint64_t key, const void *fm, bool *added)
{
	(void)mapfd; (void)key; (void)fm;
	if (added)
		*added = true;
	return 0;
}

/* The loader's other symbols replay.c links against: replay_stubs.c. */

/* ---- the escape detector ------------------------------------------------------------- */
static bool under(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(p, dir, n) && (p[n] == '\0' || p[n] == '/');
}

/* Abort if @path (about to be made or changed) is outside mnt, or at or under .meta. */
static void fz_contained(const char *path)
{
	char copy[PATH_MAX], real[PATH_MAX], full[PATH_MAX];
	const char *base;

	snprintf(copy, sizeof(copy), "%s", path);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!realpath(dirname(copy), real))
		return;		/* no such parent: the call itself fails */
	snprintf(full, sizeof(full), "%s/%s", real, base);
	if (!under(real, mnt) || !strcmp(base, "..") || under(full, meta) || under(real, meta)) {
		fprintf(stderr, "fuzz_replay: the loader touched '%s' (%s), outside %s or in "
			"its .meta\n", path, full, mnt);
		abort();
	}
}

int __real_mkdir(const char *path, mode_t mode);
int __wrap_mkdir(const char *path, mode_t mode)
{
	fz_contained(path);
	return __real_mkdir(path, mode);
}

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
		fz_contained(path);
	}
	return __real_open(path, flags, mode);
}

int __real_chown(const char *path, uid_t u, gid_t g);
int __wrap_chown(const char *path, uid_t u, gid_t g)
{
	fz_contained(path);
	return __real_chown(path, u, g);
}

int __real_chmod(const char *path, mode_t mode);
int __wrap_chmod(const char *path, mode_t mode)
{
	fz_contained(path);
	return __real_chmod(path, mode);
}

/* ---- scratch mount ------------------------------------------------------------------- */
static char scratch[PATH_MAX];

/* Empty the mount between inputs (its .meta stays); everything at exit. */
static int fz_rm(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag;
	return ftw->level > 0 && !under(p, meta) ? remove(p) : 0;
}

static int fz_rm_all(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static void fz_cleanup(void)
{
	nftw(scratch, fz_rm_all, 16, FTW_DEPTH | FTW_PHYS);
}

static void fz_scratch(void)
{
	char tmpl[] = "/tmp/famfs-fuzz-mnt-XXXXXX", p[PATH_MAX];

	if (mnt[0])
		return;
	if (!mkdtemp(tmpl) || !realpath(tmpl, scratch))
		abort();
	atexit(fz_cleanup);
	snprintf(p, sizeof(p), "%s/outer", scratch);
	if (__real_mkdir(p, 0700))
		abort();
	snprintf(p, sizeof(p), "%s/outer/mnt", scratch);
	if (__real_mkdir(p, 0755) || !realpath(p, mnt))
		abort();
	snprintf(meta, sizeof(meta), "%s/" FAMFS_META_DIR, mnt);
	if (__real_mkdir(meta, 0755))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct famfs_replay_opts o = { 0 };
	struct famfs_replay_result r = { 0 };
	struct famfs_log_entry *e = malloc(sizeof(*e));	/* exact size: ASan sees overreads */
	size_t off, i;

	fz_quiet();
	fz_scratch();
	for (i = 0, off = 0; off < size && i < 8; i++, off += sizeof(*e)) {
		memset(e, 0, sizeof(*e));
		memcpy(e, data + off, size - off < sizeof(*e) ? size - off : sizeof(*e));
		o.dry_run = true;
		famfs_replay_entry(mnt, 1000, 0x1234, i, e, &o, &r);
		o.dry_run = false;
		o.as_client = i & 1;
		famfs_replay_entry(mnt, 1000, 0x1234, i, e, &o, &r);
	}
	free(e);
	nftw(mnt, fz_rm, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
