// SPDX-License-Identifier: Apache-2.0
/* extent.c - checks of a logged file's fmap and path, shared by replay and fsck. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "famfs_priv.h"

/* famfs_extent_why() - is @x a valid extent of @sb's devices? Reason in @why. */
int famfs_extent_why(const struct famfs_superblock *sb, const struct famfs_extent_omf *x,
		     char *why, size_t n)
{
	uint32_t dev = le32toh(x->ext_devindex), ndevs = le32toh(sb->sb_ndevs);
	uint64_t off = le64toh(x->ext_offset), len = le64toh(x->ext_len);

	if (dev >= ndevs || dev >= FAMFS_MAX_DAXDEVS)
		return famfs_why(why, n, EUCLEAN, "ext_devindex %u >= sb_ndevs %u", dev, ndevs);
	if (off == 0)
		return famfs_why(why, n, EUCLEAN, "ext_offset 0 (the superblock)");
	if (len == 0)
		return famfs_why(why, n, EUCLEAN, "ext_len 0");
	if ((off | len) & (FAMFS_ALLOC_UNIT - 1))
		return famfs_why(why, n, EUCLEAN, "ext_offset %" PRIu64 " / ext_len %" PRIu64
				 " not 2 MiB aligned", off, len);
	if (off + len < off || off + len > le64toh(sb->sb_devs[dev].dd_size))
		return famfs_why(why, n, EUCLEAN, "extent [%" PRIu64 ", +%" PRIu64
				 ") beyond sb_devs[%u].dd_size", off, len, dev);
	return 0;
}

/* famfs_fmap_shape_why() - kind, extent count, and size against the extents' total. */
int famfs_fmap_shape_why(const struct famfs_file_omf *f, char *why, size_t n)
{
	uint32_t kind = le32toh(f->fi_fmap.fm_kind), next = le32toh(f->fi_fmap.fm_nextents), i;
	uint64_t size = le64toh(f->fi_size), total = 0;

	if (kind != FAMFS_FMAP_SIMPLE)
		return famfs_why(why, n, EUCLEAN, "fm_kind %u is not supported", kind);
	if (next == 0 || next > FAMFS_MAX_EXTENTS)
		return famfs_why(why, n, EUCLEAN, "fm_nextents %u is not in 1..%d", next,
				 FAMFS_MAX_EXTENTS);
	if (size == 0)
		return famfs_why(why, n, EUCLEAN, "fi_size 0");
	for (i = 0; i < next; i++) {
		uint64_t len = le64toh(f->fi_fmap.fm_ext[i].ext_len);

		total = (len > UINT64_MAX - total) ? UINT64_MAX : total + len;
	}
	if (total < size)
		return famfs_why(why, n, EUCLEAN, "fi_size %" PRIu64 " exceeds the %" PRIu64
				 " bytes of its extents", size, total);
	return 0;
}

/* famfs_entry_path() - NUL-terminated copy of a logged path; -EINVAL if unterminated. */
int famfs_entry_path(const char *src, char buf[FAMFS_MAX_PATH])
{
	const char *nul = memchr(src, '\0', FAMFS_MAX_PATH);

	if (!nul) {
		memcpy(buf, src, FAMFS_MAX_PATH - 1);
		buf[FAMFS_MAX_PATH - 1] = '\0';
		return -EINVAL;
	}
	memcpy(buf, src, (size_t)(nul - src) + 1);
	return 0;
}
