// SPDX-License-Identifier: Apache-2.0
/*
 * dev.c - raw access to what a file system lives on: a regular image file, a block device
 * (/dev/pmem*, always O_DIRECT: the block page cache must never hold shared metadata) or a
 * device-dax character device (/dev/dax*, mmap only). Used by mkfs and by the media open.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "famfs_priv.h"

int famfs_pio(int fd, void *buf, size_t len, uint64_t off, bool write)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = write ? pwrite(fd, p, len, (off_t)off) : pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* short file or device */
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

void *famfs_aligned_zalloc(size_t len)
{
	void *p = NULL;

	if (posix_memalign(&p, FAMFS_PAGE, len) != 0)
		return NULL;
	memset(p, 0, len);
	return p;
}

/* Size of a device-dax instance, from /sys/dev/char/MAJ:MIN/size. */
static int famfs_dax_size(dev_t rdev, uint64_t *size)
{
	char path[64];
	unsigned long long v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/size", major(rdev), minor(rdev));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%llu", &v);
	fclose(f);
	if (n != 1)
		return -EINVAL;
	*size = v;
	return 0;
}

/* Find the kind and size of an open @d->fd; block devices are switched to O_DIRECT. */
static int famfs_dev_probe(struct famfs_dev *d, const char *path)
{
	struct stat st;
	int rc = 0;

	if (fstat(d->fd, &st) != 0)
		return -errno;
	d->st_dev = S_ISREG(st.st_mode) ? st.st_dev : st.st_rdev;
	d->st_ino = S_ISREG(st.st_mode) ? st.st_ino : 0;
	if (S_ISREG(st.st_mode)) {
		d->kind = FAMFS_DEV_IMAGE;
		d->size = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		d->kind = FAMFS_DEV_BLOCK;
		if (ioctl(d->fd, BLKGETSIZE64, &d->size) != 0 ||
		    fcntl(d->fd, F_SETFL, fcntl(d->fd, F_GETFL) | O_DIRECT) != 0)
			rc = -errno;
	} else if (S_ISCHR(st.st_mode)) {
		d->kind = FAMFS_DEV_DAX;	/* a char device without a dax size is not one */
		rc = famfs_dax_size(st.st_rdev, &d->size) ? -ENODEV : 0;
	} else {
		rc = -ENODEV;
	}
	if (rc)
		famfs_err("%s: cannot use as a famfs device: %s", path, strerror(-rc));
	return rc;
}

/* Only image files and device nodes: a FIFO, socket or directory is refused before any read
 * could block on it. Then the descriptor goes back to blocking I/O. */
static int famfs_dev_kind_ok(int fd, const char *path)
{
	const char *what = NULL;
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -errno;
	if (S_ISFIFO(st.st_mode))
		what = "a FIFO";
	else if (S_ISSOCK(st.st_mode))
		what = "a socket";
	else if (S_ISDIR(st.st_mode))
		what = "a directory";
	if (what) {
		famfs_err("%s: is %s, not a device or image file", path, what);
		return -ENODEV;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)
		return -errno;
	return 0;
}

/* famfs_dev_open() - open @path and learn its kind and size; -errno (logged). */
int famfs_dev_open(const char *path, bool rw, struct famfs_dev *d)
{
	int rc;

	d->fd = open(path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (d->fd < 0) {
		rc = -errno;
		famfs_err("%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = famfs_dev_kind_ok(d->fd, path);
	if (rc == 0)
		rc = famfs_dev_probe(d, path);
	if (rc) {
		close(d->fd);
		d->fd = -1;
	}
	return rc;
}

/* Copy to/from a device-dax range through a temporary mapping (2 MiB granule). */
static int famfs_dax_io(const struct famfs_dev *d, void *buf, size_t len, uint64_t off,
			bool write)
{
	uint64_t start = off & ~(FAMFS_ALLOC_UNIT - 1);
	size_t maplen = famfs_round_alloc(off + len) - start;
	char *map = mmap(NULL, maplen, PROT_READ | (write ? PROT_WRITE : 0), MAP_SHARED,
			 d->fd, (off_t)start);

	if (map == MAP_FAILED)
		return -errno;
	if (write) {
		memcpy(map + (off - start), buf, len);
		famfs_cache_writeback(map + (off - start), len);
	} else {
		famfs_cache_invalidate(map + (off - start), len);
		memcpy(buf, map + (off - start), len);
	}
	munmap(map, maplen);
	return 0;
}

int famfs_dev_read(const struct famfs_dev *d, void *buf, size_t len, uint64_t off)
{
	if (d->kind == FAMFS_DEV_DAX)
		return famfs_dax_io(d, buf, len, off, false);
	return famfs_pio(d->fd, buf, len, off, false);
}

int famfs_dev_write(const struct famfs_dev *d, const void *buf, size_t len, uint64_t off)
{
	int rc;

	if (d->kind == FAMFS_DEV_DAX)
		return famfs_dax_io(d, (void *)buf, len, off, true);
	rc = famfs_pio(d->fd, (void *)buf, len, off, true);
	if (rc == 0 && fdatasync(d->fd) != 0)
		rc = -errno;
	return rc;
}
