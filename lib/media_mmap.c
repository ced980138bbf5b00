// SPDX-License-Identifier: Apache-2.0
/*
 * media_mmap.c - backends that map the superblock and log MAP_SHARED: image files
 * (persist = msync) and DAX memory, i.e. /dev/dax* and a mount's .meta files (persist =
 * CPU cache write-back + msync, since other hosts read the memory, not our caches).
 * Refresh invalidates the CPU cache lines, so the next read comes from memory.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "famfs_priv.h"

static int mmap_map(struct famfs_media *m, int fd, uint64_t off, size_t len, void **out)
{
	void *p = mmap(NULL, len, PROT_READ | (m->rw ? PROT_WRITE : 0), MAP_SHARED, fd, (off_t)off);

	if (p == MAP_FAILED) {
		int rc = -errno;

		famfs_err("mmap of %zu bytes at %llu: %s", len, (unsigned long long)off,
			  strerror(-rc));
		return rc;
	}
	*out = p;
	return 0;
}

static void mmap_unmap(struct famfs_media *m, void *addr, size_t len)
{
	munmap(addr, len);
}

/* msync the pages holding [addr, addr+len). */
static int mmap_msync(void *addr, size_t len)
{
	uintptr_t start = (uintptr_t)addr & ~(uintptr_t)(FAMFS_PAGE - 1);
	uintptr_t end = (uintptr_t)addr + len;

	if (msync((void *)start, end - start, MS_SYNC) != 0) {
		int rc = -errno;

		famfs_err("msync: %s", strerror(-rc));
		return rc;
	}
	return 0;
}

static int image_persist(struct famfs_media *m, void *addr, size_t len)
{
	return mmap_msync(addr, len);
}

static int dax_persist(struct famfs_media *m, void *addr, size_t len)
{
	famfs_cache_writeback(addr, len);
	return mmap_msync(addr, len);
}

static int mmap_refresh(struct famfs_media *m, void *addr, size_t len)
{
	famfs_cache_invalidate(addr, len);
	return 0;
}

const struct famfs_media_ops famfs_image_ops = {
	.name = "image",
	.map = mmap_map,
	.unmap = mmap_unmap,
	.persist = image_persist,
	.refresh = mmap_refresh,
};

const struct famfs_media_ops famfs_dax_ops = {
	.name = "dax",
	.map = mmap_map,
	.unmap = mmap_unmap,
	.persist = dax_persist,
	.refresh = mmap_refresh,
};
