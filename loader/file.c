// SPDX-License-Identifier: Apache-2.0
/*
 * file.c - one famfs file as the kernel and the pinned fmap map see it: its binding
 * (FAMFS_IOC_GET_BIND), its fmap (famfs_fmaps), the live policy's answer for an offset
 * (FAMFS_IOC_XLATE), and CPU cache maintenance over its whole range (through a DAX mmap).
 * Files are opened O_NONBLOCK: a FIFO given by mistake is refused at once, never waited on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "loader.h"

int famfs_file_binding(const char *path, struct famfs_ioc_bind *b, bool quiet)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int ret = 0;

	if (fd < 0) {
		ret = -errno;
		if (!quiet)
			famfs_msg(FAMFS_MSG_ERR, "%s: %s", path, strerror(-ret));
		return ret;
	}
	memset(b, 0, sizeof(*b));
	b->argsz = sizeof(*b);
	if (ioctl(fd, FAMFS_IOC_GET_BIND, b)) {
		ret = errno == ENODATA ? -ENODATA : -ENOTTY;
		if (!quiet)
			famfs_msg(FAMFS_MSG_ERR, "%s: %s", path, ret == -ENODATA ?
				  "famfs file with no fmap" : "not a famfs file");
	}
	close(fd);
	return ret;
}

int famfs_fmap_get(uint64_t key, struct famfs_fmap *fm)
{
	int mapfd = famfs_fmaps_open();
	int ret;

	if (mapfd < 0)
		return mapfd;
	ret = bpf_map_lookup_elem(mapfd, &key, fm) ? -errno : 0;
	close(mapfd);
	return ret;
}

int famfs_file_xlate(const char *path, struct famfs_ioc_xlate *x,
		     char policy[FAMFS_POLICY_NAME_LEN])
{
	struct famfs_ioc_stats st = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int ret = 0;

	policy[0] = '\0';
	if (fd < 0)
		return -errno;
	if (ioctl(fd, FAMFS_IOC_STATS, &st) || ioctl(fd, FAMFS_IOC_XLATE, x))
		ret = -errno;
	snprintf(policy, FAMFS_POLICY_NAME_LEN, "%s", st.policy);
	close(fd);
	return ret;
}

/* Map @fd's @size bytes and run the cache instructions over them. 0 or -errno (logged). */
static int famfs_flush_range(const char *path, int fd, uint64_t size, bool writeback)
{
	void *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		int ret = -errno;

		famfs_msg(FAMFS_MSG_ERR, "flush %s: mmap: %s", path, strerror(-ret));
		return ret;
	}
	if (writeback)
		famfs_cache_writeback(p, size);
	else
		famfs_cache_invalidate(p, size);
	munmap(p, size);
	return 0;
}

int famfs_file_flush(const char *path, bool writeback, uint64_t *size)
{
	struct famfs_ioc_bind b = { .argsz = sizeof(b) };
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		ret = -errno;
		famfs_msg(FAMFS_MSG_ERR, "flush %s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || ioctl(fd, FAMFS_IOC_GET_BIND, &b)) {
		famfs_msg(FAMFS_MSG_ERR, "flush %s: not a famfs file with a map", path);
		close(fd);
		return -EINVAL;
	}
	ret = famfs_flush_range(path, fd, st.st_size, writeback);
	close(fd);
	if (!ret && size)
		*size = st.st_size;
	return ret;
}
