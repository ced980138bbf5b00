// SPDX-License-Identifier: Apache-2.0
/*
 * metasrc.c - where load-maps reads a mounted file system's superblock and log from when
 * device 0 is a dax device in famfs mode (bound to fsdev_dax, so mmap of its node fails
 * with ENODEV, and it may not be switched back to devdax while mounted).
 *
 *   - At mount, famfsctl reads device 0 while it is still in devdax mode and keeps a copy of
 *     its superblock and log in an anonymous memory file (memfd) for this process; the first
 *     load-maps right after the mount reads that copy, to bind .meta/.superblock and
 *     .meta/.log. The copy is never written and lives only as long as the command.
 *   - Every later load-maps (another command, the same host) reads the mount's .meta files
 *     through DAX, as every other metadata access does.
 * Any other device is read directly (O_DIRECT or mmap), as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"

static int famfs_snap_fd = -1;
static char famfs_snap_dev[PATH_MAX];

/* Copy [@off, @off + @len) of the media's @fd mapping @map into the snapshot. */
static int famfs_snap_copy(int fd, const uint8_t *map, uint64_t off, uint64_t len)
{
	famfs_cache_invalidate(map + off, len);
	for (uint64_t done = 0; done < len;) {
		ssize_t n = pwrite(fd, map + off + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (uint64_t)n;
	}
	return 0;
}

int famfs_meta_snapshot(const char *dev)
{
	const struct famfs_superblock *sb;
	struct famfs_media *m;
	uint64_t log_off, end, maplen, size;
	void *map;
	int fd, dfd, ret;

	ret = famfs_media_open_dev(dev, FAMFS_OPEN_RDONLY, &m);	/* validates both regions */
	if (ret)
		return ret;
	sb = famfs_media_sb(m);
	log_off = le64toh(sb->sb_log_offset);
	end = log_off + le64toh(sb->sb_log_len);
	size = famfs_media_dev_size(m);
	famfs_media_close(m);
	maplen = (end + FAMFS_ALLOC_UNIT - 1) & ~(uint64_t)(FAMFS_ALLOC_UNIT - 1);
	dfd = open(dev, O_RDONLY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	map = mmap(NULL, maplen, PROT_READ, MAP_SHARED, dfd, 0);
	close(dfd);
	if (map == MAP_FAILED) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "%s: mmap of its metadata: %s", dev, strerror(-ret));
		return ret;
	}
	fd = memfd_create("famfs-meta", MFD_CLOEXEC);
	ret = fd < 0 ? -errno : 0;
	if (!ret && ftruncate(fd, (off_t)size))
		ret = -errno;
	if (!ret)
		ret = famfs_snap_copy(fd, map, 0, FAMFS_SB_SIZE);
	if (!ret)
		ret = famfs_snap_copy(fd, map, log_off, end - log_off);
	munmap(map, maplen);
	if (ret) {
		famfs_msg(FAMFS_MSG_ERR, "%s: copying its metadata: %s", dev, strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	if (famfs_snap_fd >= 0)
		close(famfs_snap_fd);
	famfs_snap_fd = fd;
	snprintf(famfs_snap_dev, sizeof(famfs_snap_dev), "%s", dev);
	return 0;
}

/* Do @a and @b name one device node? */
static bool famfs_same_node(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return true;
	return !stat(a, &sa) && !stat(b, &sb) && S_ISCHR(sa.st_mode) && S_ISCHR(sb.st_mode) &&
	       sa.st_rdev == sb.st_rdev;
}

int famfs_meta_source_open(const char *mpt, const char *dev, struct famfs_media **m)
{
	char path[PATH_MAX], snap[64];
	struct stat st;

	if (!famfs_dax_is_famfs_mode(dev))
		return famfs_media_open_dev(dev, FAMFS_OPEN_RDONLY, m);
	if (famfs_snap_fd >= 0 && famfs_same_node(dev, famfs_snap_dev)) {
		snprintf(snap, sizeof(snap), "/proc/self/fd/%d", famfs_snap_fd);
		return famfs_media_open_dev(snap, FAMFS_OPEN_RDONLY, m);
	}
	snprintf(path, sizeof(path), "%s/%s", mpt ? mpt : "", FAMFS_META_SB);
	if (mpt && !stat(path, &st))
		return famfs_media_open_mount(mpt, FAMFS_OPEN_RDONLY, m);
	famfs_msg(FAMFS_MSG_ERR, "%s is in famfs mode (fsdev_dax): its superblock cannot be read as a device, and %s has no .meta files yet: umount it, then famfsctl mount %s %s",
		  dev, mpt ? mpt : "the mount", dev, mpt ? mpt : "MOUNTPOINT");
	return -ENODEV;
}
