// SPDX-License-Identifier: Apache-2.0
/* extent.c - checks of a logged file's fmap and path, shared by replay and fsck. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "famfs_priv.h"

/*
 * famfs_extent_why() - is @x a valid extent (or strip) of @sb's devices: an existing
 * device, inside its dd_size, 2 MiB aligned (or, OMF >= 1.2, 4 KiB aligned inside one unit:
 * a small file's), not in its reserved head? (Device 0's log is caught as a cross-link by the
 * bitmap, which reserves it.) Reason in @why.
 */
int famfs_extent_why(const struct famfs_superblock *sb, const struct famfs_extent_omf *x,
		     char *why, size_t n)
{
	uint32_t dev = le32toh(x->ext_devindex), ndevs = le32toh(sb->sb_ndevs);
	uint64_t off = le64toh(x->ext_offset), len = le64toh(x->ext_len);

	if (dev >= ndevs || dev >= FAMFS_MAX_DEVS)
		return famfs_why(why, n, EUCLEAN, "ext_devindex %u >= sb_ndevs %u", dev, ndevs);
	if (off < FAMFS_SB_SIZE)
		return famfs_why(why, n, EUCLEAN, "ext_offset %" PRIu64 " in the %s of device %u",
				 off, dev ? "device header" : "superblock", dev);
	if (len == 0)
		return famfs_why(why, n, EUCLEAN, "ext_len 0");
	if (famfs_extent_is_small(x)) {
		if (le16toh(sb->sb_omf_minor) < FAMFS_OMF_MINOR_SMALL || len >= FAMFS_ALLOC_UNIT)
			return famfs_why(why, n, EUCLEAN, "ext_offset %" PRIu64 " / ext_len %"
					 PRIu64 " not 2 MiB aligned", off, len);
		if ((off | len) % FAMFS_SMALL_PAGE)
			return famfs_why(why, n, EUCLEAN, "ext_offset %" PRIu64 " / ext_len %"
					 PRIu64 " neither 2 MiB aligned nor 4 KiB aligned (a small "
					 "file's)", off, len);
		if (off / FAMFS_ALLOC_UNIT != (off + len - 1) / FAMFS_ALLOC_UNIT)
			return famfs_why(why, n, EUCLEAN, "small-file extent [%" PRIu64 ", +%" PRIu64
					 ") crosses a 2 MiB unit boundary", off, len);
	}
	if (off + len < off || off + len > le64toh(sb->sb_devs[dev].dd_size))
		return famfs_why(why, n, EUCLEAN, "extent [%" PRIu64 ", +%" PRIu64
				 ") beyond sb_devs[%u].dd_size", off, len, dev);
	return 0;
}

/* Sum of the first @next extent lengths, saturating. */
static uint64_t fmap_total(const struct famfs_fmap_omf *fm, uint32_t next)
{
	uint64_t total = 0, len;
	uint32_t i;

	for (i = 0; i < next; i++) {
		len = le64toh(fm->fm_ext[i].ext_len);
		total = (len > UINT64_MAX - total) ? UINT64_MAX : total + len;
	}
	return total;
}

/*
 * A page-granular extent (famfs_extent_is_small()) is the one extent of a small file, of
 * exactly its size rounded up to a page (famfs_omf.h, "Small files").
 */
static int small_shape_why(const struct famfs_fmap_omf *fm, uint32_t next, uint64_t size,
			   char *why, size_t n)
{
	uint64_t len = le64toh(fm->fm_ext[0].ext_len);
	uint32_t i;

	for (i = 0; i < next; i++)
		if (famfs_extent_is_small(&fm->fm_ext[i]) && next > 1)
			return famfs_why(why, n, EUCLEAN, "fm_ext[%u] is page-granular: only the "
					 "one extent of a small file may be (fm_nextents %u)", i,
					 next);
	if (!famfs_extent_is_small(&fm->fm_ext[0]))
		return 0;
	if (size > FAMFS_SMALL_MAX)
		return famfs_why(why, n, EUCLEAN, "fi_size %" PRIu64 " is above the %llu bytes "
				 "of a small file, yet its extent is page-granular", size,
				 FAMFS_SMALL_MAX);
	if (len != famfs_round_page(size))
		return famfs_why(why, n, EUCLEAN, "small-file extent length %" PRIu64 " is not "
				 "fi_size %" PRIu64 " rounded up to 4 KiB", len, size);
	return 0;
}

static int simple_shape_why(const struct famfs_fmap_omf *fm, uint32_t next, uint64_t size,
			    char *why, size_t n)
{
	uint64_t total = fmap_total(fm, next);

	if (fm->fm_chunk_size != 0)
		return famfs_why(why, n, EUCLEAN, "fm_chunk_size %" PRIu64 " on a simple fmap",
				 (uint64_t)le64toh(fm->fm_chunk_size));
	if (total < size)
		return famfs_why(why, n, EUCLEAN, "fi_size %" PRIu64 " exceeds the %" PRIu64
				 " bytes of its extents", size, total);
	return small_shape_why(fm, next, size, why, n);
}

/* Interleave rules: chunk a power of two multiple of 2 MiB, equal strips of whole chunks
 * covering the size. */
static int interleave_shape_why(const struct famfs_fmap_omf *fm, uint32_t next, uint64_t size,
				char *why, size_t n)
{
	uint64_t chunk = le64toh(fm->fm_chunk_size), slen = le64toh(fm->fm_ext[0].ext_len);
	uint32_t i;

	if (!chunk || (chunk & (chunk - 1)) || chunk % FAMFS_ALLOC_UNIT)
		return famfs_why(why, n, EUCLEAN, "fm_chunk_size %" PRIu64
				 " is not a power of two multiple of 2 MiB", chunk);
	for (i = 1; i < next; i++)
		if (le64toh(fm->fm_ext[i].ext_len) != slen)
			return famfs_why(why, n, EUCLEAN, "strip fm_ext[%u].ext_len %" PRIu64
					 " differs from fm_ext[0]'s %" PRIu64, i,
					 (uint64_t)le64toh(fm->fm_ext[i].ext_len), slen);
	if (slen % chunk)
		return famfs_why(why, n, EUCLEAN, "strip length %" PRIu64 " is not a multiple of "
				 "fm_chunk_size %" PRIu64, slen, chunk);
	if (fmap_total(fm, next) < size)
		return famfs_why(why, n, EUCLEAN, "fi_size %" PRIu64 " exceeds the %u strips of %"
				 PRIu64 " bytes", size, next, slen);
	return 0;
}

/* famfs_fmap_shape_why() - kind, extent count, and size against the extents or strips. */
int famfs_fmap_shape_why(const struct famfs_file_omf *f, char *why, size_t n)
{
	const struct famfs_fmap_omf *fm = &f->fi_fmap;
	uint32_t kind = le32toh(fm->fm_kind), next = le32toh(fm->fm_nextents);
	uint64_t size = le64toh(f->fi_size);

	if (kind != FAMFS_FMAP_SIMPLE && kind != FAMFS_FMAP_INTERLEAVE)
		return famfs_why(why, n, EUCLEAN, "fm_kind %u is not supported", kind);
	if (next == 0 || next > FAMFS_MAX_EXTENTS)
		return famfs_why(why, n, EUCLEAN, "fm_nextents %u is not in 1..%d", next,
				 FAMFS_MAX_EXTENTS);
	if (size == 0)
		return famfs_why(why, n, EUCLEAN, "fi_size 0");
	if (kind == FAMFS_FMAP_SIMPLE)
		return simple_shape_why(fm, next, size, why, n);
	return interleave_shape_why(fm, next, size, why, n);
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
