// SPDX-License-Identifier: Apache-2.0
/*
 * filereq.c - checks of a struct famfs_file_req that need no lock and no log: size, flags,
 * and the interleave fields (nstrips, chunk_size, devmask) against the superblock. The
 * append refuses a bad request before it takes the lock, so nothing is ever written.
 */
#include <errno.h>
#include <inttypes.h>

#include "famfs_priv.h"

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* nstrips and chunk_size of an interleaved request; overflow of the stripe math. */
static int stripes_why(const struct famfs_superblock *sb, const struct famfs_file_req *req,
		       char *why, size_t n)
{
	uint64_t c = req->chunk_size, stride, end;

	if (req->nstrips < 1 || req->nstrips > FAMFS_MAX_EXTENTS)
		return famfs_why(why, n, EINVAL, "nstrips %u is not in 1..%d", req->nstrips,
				 FAMFS_MAX_EXTENTS);
	if (!is_pow2(c) || c % FAMFS_ALLOC_UNIT)
		return famfs_why(why, n, EINVAL, "chunk_size %" PRIu64 " is not a power of two "
				 "multiple of %llu (2 MiB)", c, FAMFS_ALLOC_UNIT);
	if (__builtin_mul_overflow(c, (uint64_t)req->nstrips, &stride) ||
	    __builtin_add_overflow(req->size, stride - 1, &end))
		return famfs_why(why, n, EINVAL, "size %" PRIu64 " in %u strips of chunk_size %"
				 PRIu64 " overflows", req->size, req->nstrips, c);
	if (le16toh(sb->sb_omf_minor) < 1)
		return famfs_why(why, n, EOPNOTSUPP, "interleaved files need OMF 1.1, the file "
				 "system is OMF %u.%u", le16toh(sb->sb_omf_major),
				 le16toh(sb->sb_omf_minor));
	return 0;
}

/* famfs_file_req_why() - is @req acceptable for the file system of @sb? */
int famfs_file_req_why(const struct famfs_superblock *sb, const struct famfs_file_req *req,
		       char *why, size_t n)
{
	uint32_t ndevs = le32toh(sb->sb_ndevs);
	uint32_t all = ndevs >= 32 ? UINT32_MAX : (1U << ndevs) - 1;

	if (req->size == 0)
		return famfs_why(why, n, EINVAL, "size 0");
	if (req->flags & ~(uint32_t)FAMFS_FILE_RW_ALL)
		return famfs_why(why, n, EINVAL, "unknown flags 0x%x", req->flags);
	if (req->devmask & ~all)
		return famfs_why(why, n, EINVAL, "devmask 0x%x names a device >= sb_ndevs %u",
				 req->devmask, ndevs);
	if (req->nstrips == 0 && req->chunk_size == 0)
		return 0;
	return stripes_why(sb, req, why, n);
}

/* famfs_strip_len() - bytes per strip; the request was checked by famfs_file_req_why(). */
uint64_t famfs_strip_len(uint64_t size, uint64_t chunk, uint32_t nstrips)
{
	uint64_t stride = chunk * nstrips;

	return (size + stride - 1) / stride * chunk;
}
