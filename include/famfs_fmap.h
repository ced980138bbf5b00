/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR Apache-2.0 */
/*
 * famfs_fmap.h - the loader <-> BPF contract: layout of the BPF maps the fmap policies read.
 * Included by bpf/ (with vmlinux.h) and by loader/, cli/ and the host unit tests.
 *
 * famfs_fmaps (BPF_MAP_TYPE_HASH, no prealloc, pinned at FAMFS_PIN_DIR "/famfs_fmaps",
 * shared by every policy and every mount):
 *   key   __u64 file key, the value bound to the inode by FAMFS_IOC_BIND; the loader
 *         builds it with famfs_fmap_key()
 *   value struct famfs_fmap, host byte order
 * <policy>_stats (BPF_MAP_TYPE_PERCPU_ARRAY, one slot, pinned by name, one per policy,
 *   e.g. simple_stats): struct famfs_policy_stats
 * Policies with a format of their own keep it in further pinned maps the loader derives
 * from famfs_fmaps (see famfs_chunkmap.h).
 */
#ifndef FAMFS_FMAP_H
#define FAMFS_FMAP_H

#include "famfs_limits.h"

#define FAMFS_FMAP_MAX_ENTRIES	262144	/* files per pinned fmap map, all mounts */

/* fmap kinds (struct famfs_fmap.kind): FAMFS_FMAP_SIMPLE, FAMFS_FMAP_INTERLEAVE (famfs_limits.h) */

/*
 * Layout of famfs_fmaps, checked by the loader before it uses a pinned map: key 0 (never a
 * file) holds a record with kind 0, nextents = FAMFS_FMAP_LAYOUT_VERSION and size =
 * sizeof(struct famfs_fmap). A pinned map without it, or with other sizes, was made by
 * another build: the loader refuses it and says how to remove it.
 */
#define FAMFS_FMAP_LAYOUT_VERSION	2
#define FAMFS_KEY_LAYOUT		0ULL

/*
 * File key: the high 32 bits identify the mount (its mount_id, from FAMFS_IOC_STATS: unique
 * per mount, so two mounts, even of block copies of one device, never share an fmap; the
 * module refuses a key of another mount), the low 32 bits are the file's log entry
 * index + 1 (0 is never a file). The low halves FAMFS_KEY_META_SB and FAMFS_KEY_META_LOG name the
 * metadata files (.meta/.superblock, .meta/.log).
 */
#define FAMFS_KEY_META_SB	0xfffffff0U
#define FAMFS_KEY_META_LOG	0xfffffff1U

static inline __u64 famfs_fmap_key(__u32 fs_tag, __u32 low)
{
	return ((__u64)fs_tag << 32) | low;
}

struct famfs_fmap_extent {
	__u32	devindex;	/* device index (0 .. ndevs-1 of the mount) */
	__u32	reserved;
	__u64	offset;		/* bytes from the device start */
	__u64	len;		/* bytes, > 0 */
};

struct famfs_fmap {
	__u32	kind;		/* FAMFS_FMAP_KIND_* */
	__u32	nextents;	/* simple: extents used; interleave: strips used */
	__u64	size;		/* file size in bytes: offsets >= size do not resolve */
	__u64	chunk_size;	/* interleave only: bytes, power of two */
	__u32	flags;		/* FAMFS_FILE_* from the log entry */
	__u32	reserved;
	struct famfs_fmap_extent ext[FAMFS_MAX_EXTENTS];
};

/* Per-CPU counters of a policy (one slot of a PERCPU_ARRAY map). */
struct famfs_policy_stats {
	__u64	translations;			/* answers given */
	__u64	no_fmap;			/* key not in famfs_fmaps */
	__u64	unresolved;			/* fmap found, offset not resolvable */
	__u64	dev_translations[FAMFS_MAX_DEVS];	/* answers per device */
	__u64	dev_bytes[FAMFS_MAX_DEVS];	/* bytes mapped per device (answer length,
						 * clamped to the request) */
};

_Static_assert(sizeof(struct famfs_fmap_extent) == 24, "fmap extent size");
_Static_assert(sizeof(struct famfs_fmap) == 32 + 24 * FAMFS_MAX_EXTENTS, "fmap size");

#endif /* FAMFS_FMAP_H */
