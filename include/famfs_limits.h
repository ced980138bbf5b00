/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR Apache-2.0 */
/*
 * famfs_limits.h - the limits, kinds and names every side of famfs-bpf shares: the kernel
 * module (kmod/), the BPF policies (bpf/, after vmlinux.h), the loader, the library and
 * famfsctl. Each fact is defined here once; the other contract headers (famfs_omf.h,
 * famfs_fmap.h, famfs_ops.h, famfs_ioctl.h) include this one and add only their layouts.
 * Fixed-width types only; no pointers, no enums as fields.
 */
#ifndef FAMFS_LIMITS_H
#define FAMFS_LIMITS_H

#if !defined(__VMLINUX_H__)
#include <linux/types.h>
#endif

/* ---- the file system's identity (distinct from upstream famfs: no collision) ---- */
#define FAMFS_FS_TYPE		"famfs_bpf"	/* mount -t, /proc/mounts, fsopen() */
#define FAMFS_MODULE		"famfs_bpf"	/* famfs_bpf.ko, /sys/module, module BTF */
#define FAMFS_SUPER_MAGIC	0x66627066U	/* statfs f_type ("fbpf"); famfs's is 0x87b282ff */

/* ---- limits ---- */
#define FAMFS_MAX_DEVS		8	/* devices of one file system / mount */
#define FAMFS_MAX_EXTENTS	16	/* simple extents, or interleave strips, per file */
#define FAMFS_POLICY_NAME_LEN	32	/* policy (struct_ops) name, NUL included */
#define FAMFS_MAX_POLICIES	8	/* policies attached at once */
#define FAMFS_MAX_GRANTS	FAMFS_MAX_EXTENTS	/* device ranges one file owns */

_Static_assert((FAMFS_MAX_DEVS & (FAMFS_MAX_DEVS - 1)) == 0, "FAMFS_MAX_DEVS: a power of two (BPF masks indexes with it)");

/* ---- allocation and interleave rules ---- */
#define FAMFS_ALLOC_UNIT	(2ULL << 20)	/* every file rounds up to 2 MiB units */
#define FAMFS_SB_SIZE		(2ULL << 20)	/* reserved head of every device (sb / header) */
/*
 * Small files (OMF >= 1.2): a file of at most FAMFS_SMALL_MAX bytes gets one extent of whole
 * FAMFS_SMALL_PAGE pages inside a small-file unit (an allocation unit that holds only such
 * extents) instead of a unit of its own. Such a file maps at most 511 pages, so it could never
 * take a 2 MiB PMD fault anyway: packing it costs no fault. Larger files, and every
 * interleave strip, stay in whole 2 MiB-aligned units.
 */
#define FAMFS_SMALL_PAGE	4096ULL		/* bytes: allocation granule of small files */
#define FAMFS_SMALL_MAX		(FAMFS_ALLOC_UNIT - FAMFS_SMALL_PAGE)	/* bytes, 2 MiB - 4 KiB */
#define FAMFS_UNIT_PAGES	(FAMFS_ALLOC_UNIT / FAMFS_SMALL_PAGE)	/* 512 */

/* An interleave chunk size is a power of two and a multiple of FAMFS_ALLOC_UNIT. */
static inline int famfs_chunk_size_ok(__u64 chunk)
{
	return chunk >= FAMFS_ALLOC_UNIT && !(chunk & (chunk - 1));
}

/* ---- fmap kinds: the same numbers on media, in the BPF maps and in policy masks ---- */
#define FAMFS_FMAP_SIMPLE	1	/* extents back the file in order */
#define FAMFS_FMAP_INTERLEAVE	2	/* nstrips strips of chunk_size chunks */
#define FAMFS_FMAP_KIND_MAX	2
#define FAMFS_FMAP_KIND_BIT(k)	(1U << (k))	/* struct famfs_fmap_ops.kinds */

/* ---- names in a mount ---- */
#define FAMFS_META_DIR		".meta"			/* reserved: never logged */
#define FAMFS_META_SB_NAME	".superblock"
#define FAMFS_META_LOG_NAME	".log"
#define FAMFS_META_SB		FAMFS_META_DIR "/" FAMFS_META_SB_NAME
#define FAMFS_META_LOG		FAMFS_META_DIR "/" FAMFS_META_LOG_NAME

/* ---- the shipped policies (struct famfs_fmap_ops.name; the loader's table) ---- */
#define FAMFS_POLICY_SIMPLE	"famfs_simple"
#define FAMFS_POLICY_INTERLEAVE	"famfs_interleave"
#define FAMFS_POLICY_CHUNKMAP	"famfs_chunkmap"

/* ---- BPF pins ---- */
#define FAMFS_PIN_DIR		"/sys/fs/bpf/famfs"
#define FAMFS_FMAPS_NAME	"famfs_fmaps"		/* the shared fmap map */
#define FAMFS_FMAPS_PIN		FAMFS_PIN_DIR "/" FAMFS_FMAPS_NAME
#define FAMFS_LINK_PIN_PREFIX	"link_"			/* FAMFS_PIN_DIR/link_<policy> */

#endif /* FAMFS_LIMITS_H */
