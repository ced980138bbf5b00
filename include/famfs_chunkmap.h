/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR Apache-2.0 */
/*
 * famfs_chunkmap.h - the experimental famfs_chunkmap policy's own fmap format, shared by
 * bpf/famfs_chunkmap.bpf.c and the loader (loader/chunkmap.c), and its resolution logic
 * (host-tested like famfs_resolve.h).
 *
 * A file is a run of 2 MiB units in one big array instead of a list of extents: each unit
 * is 4 bytes (device index : 8, (device offset >> 21) + 1 : 24; 0 = no unit), so any placement (simple, interleaved,
 * or moved chunk by chunk; the format itself has no extent limit, though today the loader
 * derives it from famfs_fmaps, which holds 16) costs 4 bytes per 2 MiB and resolves
 * in O(1), with no loop over extents or strips.
 *
 *   chunk_files (HASH, pinned): key = file key (famfs_fmap.h), value struct famfs_chunkmap;
 *                               key FAMFS_CHUNKMAP_CURSOR holds the next free unit index
 *   chunk_units (ARRAY, pinned): __u32 unit descriptors, FAMFS_CHUNKMAP_MAX_UNITS slots
 *
 * The loader derives both from famfs_fmaps (it writes a file's units before its
 * chunk_files entry, so a policy never sees half a file). Units are never reused.
 */
#ifndef FAMFS_CHUNKMAP_H
#define FAMFS_CHUNKMAP_H

#include "famfs_resolve.h"

#define FAMFS_CHUNK_SHIFT		21			/* 2 MiB units */
#define FAMFS_CHUNK_SIZE		(1ULL << FAMFS_CHUNK_SHIFT)
#define FAMFS_CHUNKMAP_MAX_UNITS	(1U << 20)		/* 4 MiB of units: 2 TiB of files */
#define FAMFS_CHUNKMAP_CURSOR		0ULL			/* chunk_files key of the cursor */
#define FAMFS_CHUNK_DEV_SHIFT		24			/* unit: dev:8 | (offset>>21)+1 :24 */
#define FAMFS_CHUNK_OFF_MASK		((1U << FAMFS_CHUNK_DEV_SHIFT) - 1)

struct famfs_chunkmap {
	__u64	size;		/* file size in bytes */
	__u32	base;		/* first unit in chunk_units */
	__u32	nunits;		/* ceil(size / 2 MiB) */
};

/*
 * Encode one unit (the +1 keeps 0 free to mean "no unit", so device 0 offset 0, where
 * .meta/.superblock lives, is encodable); 0 if it does not fit (device >= 256, offset at
 * or past 32 TiB - 2 MiB) or is not 2 MiB aligned.
 */
static __always_inline __u32 famfs_chunk_unit(__u32 devindex, __u64 dev_offset)
{
	if (devindex >= (1U << (32 - FAMFS_CHUNK_DEV_SHIFT)) ||
	    (dev_offset & (FAMFS_CHUNK_SIZE - 1)) ||
	    (dev_offset >> FAMFS_CHUNK_SHIFT) >= FAMFS_CHUNK_OFF_MASK)
		return 0;
	return (devindex << FAMFS_CHUNK_DEV_SHIFT) | ((__u32)(dev_offset >> FAMFS_CHUNK_SHIFT) + 1);
}

/**
 * famfs_resolve_chunk() - resolve @off given the file's chunkmap and the unit that holds it.
 * @cm:   the file's entry
 * @unit: chunk_units[cm->base + (off >> 21)] (the caller looks it up)
 * Return: 0 with @r filled (length to the end of the 2 MiB unit); -FAMFS_ERANGE past the
 * size or the units; -FAMFS_EINVAL for a zero (unset) unit.
 */
static __always_inline int famfs_resolve_chunk(const struct famfs_chunkmap *cm, __u32 unit,
					       __u64 off, struct famfs_resolved *r)
{
	__u64 in = off & (FAMFS_CHUNK_SIZE - 1);

	if (off >= cm->size || (off >> FAMFS_CHUNK_SHIFT) >= cm->nunits)
		return -FAMFS_ERANGE;
	if (!(unit & FAMFS_CHUNK_OFF_MASK))
		return -FAMFS_EINVAL;
	r->devindex = unit >> FAMFS_CHUNK_DEV_SHIFT;
	r->reserved = 0;
	r->dev_offset = ((__u64)((unit & FAMFS_CHUNK_OFF_MASK) - 1) << FAMFS_CHUNK_SHIFT) + in;
	r->len = FAMFS_CHUNK_SIZE - in;
	return 0;
}

#endif /* FAMFS_CHUNKMAP_H */
