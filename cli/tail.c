// SPDX-License-Identifier: Apache-2.0
/*
 * tail.c - zero a new file's last page past its size. A file owns whole pages (a small file
 * exactly roundup(size, 4 KiB) of them, docs/format.md), and an mmap of the last page shows
 * the bytes past the end: they must read as zeros, never as whatever the memory held before.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

int cli_zero_tail(int fd, const char *path, uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), off = size & ~(page - 1);
	size_t keep = (size_t)(size - off);
	char *p;

	if (keep == 0)
		return 0;
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
	if (p == MAP_FAILED) {
		int ret = -errno;

		famfs_msg(FAMFS_MSG_ERR, "%s: cannot map its last page to zero it past the end: %s",
			  path, strerror(-ret));
		return ret;
	}
	memset(p + keep, 0, page - keep);
	famfs_cache_writeback(p + keep, page - keep);	/* other hosts read it from memory */
	munmap(p, page);
	return 0;
}
