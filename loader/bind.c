// SPDX-License-Identifier: Apache-2.0
/*
 * bind.c - make a file in a mount and bind it (FAMFS_IOC_BIND): its fmap key, size, kind
 * and grants. The grants are what the module enforces whatever a policy answers: the
 * device ranges of the file's extents (simple) or strips (interleaved), derived here from
 * the same struct famfs_fmap the policies read, so the two cannot disagree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"

int famfs_grants_from_fmap(const struct famfs_fmap *fm, struct famfs_ioc_bind *b)
{
	if (!fm->nextents || fm->nextents > FAMFS_MAX_GRANTS)
		return -EINVAL;
	for (uint32_t i = 0; i < fm->nextents; i++)
		b->grants[i] = (struct famfs_grant) {
			.devindex = fm->ext[i].devindex,
			.offset = fm->ext[i].offset,
			.len = fm->ext[i].len,
		};
	b->ngrants = fm->nextents;
	return 0;
}

/* @path exists: 0 if it is bound as @b asks, else -EEXIST (reported). */
static int famfs_bind_same(const char *path, const struct famfs_ioc_bind *b)
{
	struct famfs_ioc_bind cur = { .argsz = sizeof(cur) };
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0 || ioctl(fd, FAMFS_IOC_GET_BIND, &cur)) {
		famfs_msg(FAMFS_MSG_ERR, "%s exists but is not a bound famfs file", path);
		ret = -EEXIST;
	} else if (cur.key != b->key || cur.size != b->size) {
		famfs_msg(FAMFS_MSG_ERR, "%s is bound to key %#llx size %llu, log says key %#llx size %llu",
			  path, (unsigned long long)cur.key, (unsigned long long)cur.size,
			  (unsigned long long)b->key, (unsigned long long)b->size);
		ret = -EEXIST;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

static const char *famfs_bind_errstr(int err)
{
	switch (err) {
	case EADDRINUSE: return "its space overlaps another file's (a cross-linked log: famfsctl fsck)";
	case EACCES: return "it claims a device head (superblock, log or device header)";
	case EXDEV: return "its key belongs to another mount";
	default: return strerror(err);
	}
}

int famfs_bind_file(const char *path, uint32_t mode, uint32_t uid, uint32_t gid,
		    uint64_t key, const struct famfs_fmap *fm, uint64_t flags)
{
	struct famfs_ioc_bind b = {
		.argsz = sizeof(b), .kind = fm->kind, .key = key, .size = fm->size, .flags = flags,
	};
	int fd, ret = famfs_grants_from_fmap(fm, &b);

	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0 && errno == EEXIST)
		return famfs_bind_same(path, &b);
	if (fd < 0) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "cannot create %s: %s", path, strerror(-ret));
		return ret;
	}
	if (ioctl(fd, FAMFS_IOC_BIND, &b)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: not bound: %s", path, famfs_bind_errstr(-ret));
		unlink(path);	/* an unbound name would only fail every access */
	} else if (fchown(fd, uid, gid) || fchmod(fd, mode)) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: cannot set owner/mode: %s", path, strerror(-ret));
	}
	close(fd);
	return ret ? ret : 1;
}
