// SPDX-License-Identifier: Apache-2.0
/*
 * media_direct.c - backend for block devices (/dev/pmem*): the superblock and log live in
 * FAMFS_PAGE-aligned buffers filled and written back with O_DIRECT pread/pwrite, so the
 * block page cache never holds (stale) shared metadata. Persist writes the changed pages
 * and fdatasync()s; refresh re-reads them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "famfs_priv.h"

static int direct_map(struct famfs_media *m, int fd, uint64_t off, size_t len, void **out)
{
	void *p = famfs_aligned_zalloc(len);
	int rc;

	if (!p)
		return -ENOMEM;
	rc = famfs_pio(fd, p, len, off, false);
	if (rc) {
		famfs_err("O_DIRECT read of %zu bytes at %llu: %s", len, (unsigned long long)off,
			  strerror(-rc));
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void direct_unmap(struct famfs_media *m, void *addr, size_t len)
{
	free(addr);
}

/* Page-aligned span of the buffer holding [addr, addr+len): start pointer, length. */
static size_t direct_span(void **addr, size_t len)
{
	uintptr_t start = (uintptr_t)*addr & ~(uintptr_t)(FAMFS_PAGE - 1);
	uintptr_t end = ((uintptr_t)*addr + len + FAMFS_PAGE - 1) & ~(uintptr_t)(FAMFS_PAGE - 1);

	*addr = (void *)start;
	return end - start;
}

/* Read or write the pages of [addr, addr+len) between the buffer and the device. */
static int direct_io(struct famfs_media *m, void *addr, size_t len, bool write)
{
	size_t span = direct_span(&addr, len);
	uint64_t off;
	int fd, rc;

	famfs_media_locate(m, addr, &fd, &off);
	rc = famfs_pio(fd, addr, span, off, write);
	if (rc == 0 && write && fdatasync(fd) != 0)
		rc = -errno;
	if (rc)
		famfs_err("O_DIRECT %s of %zu bytes at %llu: %s", write ? "write" : "read", span,
			  (unsigned long long)off, strerror(-rc));
	return rc;
}

static int direct_persist(struct famfs_media *m, void *addr, size_t len)
{
	return direct_io(m, addr, len, true);
}

static int direct_refresh(struct famfs_media *m, void *addr, size_t len)
{
	return direct_io(m, addr, len, false);
}

const struct famfs_media_ops famfs_direct_ops = {
	.name = "direct",
	.map = direct_map,
	.unmap = direct_unmap,
	.persist = direct_persist,
	.refresh = direct_refresh,
};
