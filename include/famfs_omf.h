/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR Apache-2.0 */
/*
 * famfs_omf.h - famfs-bpf on-media format (OMF): the one definition of every byte that
 * lives on the fabric-memory device. Used by libfamfs, famfsctl and the loader (user space
 * only: the kernel module knows no on-media format).
 *
 * Layout of a device (offsets in bytes, all 2 MiB aligned):
 *
 *   0            superblock (struct famfs_superblock at offset 0; the rest of the
 *                2 MiB is reserved and zero)
 *   log_offset   the log: struct famfs_log_header, then log_nslots fixed-size
 *                struct famfs_log_entry slots (default log_len 8 MiB, power of two)
 *   after log    file data, handed out by the allocator in FAMFS_ALLOC_UNIT units
 *
 * Every integer is little-endian (__le*). The superblock CRC covers the fixed fields
 * (everything before sb_crc); the log header CRC covers the fixed fields (magic ..
 * nslots); every entry carries a CRC over the entry up to its crc field. CRCs are
 * zlib crc32 seeded with 0.
 *
 * Rules (from famfs OMF 2.2, see ../shared/ANCHORS.md): files are allocated once and never
 * grow; a deleted file's space is reused only after a RECLAIM entry (OMF >= 1.3: every
 * client in the client table applied the DELETE); only the master (sb_master_uuid) appends to the log; an
 * entry is made visible by advancing next_index only after its bytes are in memory.
 */
#ifndef FAMFS_OMF_H
#define FAMFS_OMF_H

#ifdef __KERNEL__
#error "famfs_omf.h is user space only: the kernel module knows no on-media format"
#endif

#include <linux/types.h>

#include "famfs_limits.h"

#define FAMFS_SB_MAGIC		0x3146504246534d46ULL	/* "FMSFBPF1" little-endian */
#define FAMFS_DEV_MAGIC		0x5645445346534d46ULL	/* "FMSFSDEV" little-endian */
#define FAMFS_LOG_MAGIC		0x474f4c5346534d46ULL	/* "FMSFSLOG" little-endian */

/*
 * OMF version: a major change is incompatible; code reads every minor <= its own.
 *   1.0  one device, simple extents
 *   1.1  several devices (device table + a device header on each device >= 1),
 *        interleaved fmaps
 *   1.2  small files: a simple fmap of one page-granular extent (see "Small files" below)
 *   1.3  DELETE and RECLAIM entries, the client table (FAMFS_OMF_MINOR_DELETE)
 * mkfs writes the newest minor; a file system is never upgraded in place (a 1.1 file system
 * keeps allocating whole units). A superblock of a newer minor than the code is refused.
 */
#define FAMFS_OMF_MAJOR		1
#define FAMFS_OMF_MINOR		3
#define FAMFS_OMF_MINOR_SMALL	2	/* first minor with small files */
#define FAMFS_OMF_MINOR_DELETE	3	/* DELETE, RECLAIM and the client table need >= this */

#define FAMFS_MiB		(1ULL << 20)
#define FAMFS_LOG_OFFSET	FAMFS_SB_SIZE		/* the log starts right after the sb */
#define FAMFS_LOG_LEN_DEFAULT	(8 * FAMFS_MiB)
#define FAMFS_LOG_LEN_MIN	(8 * FAMFS_MiB)
#define FAMFS_DEV_SIZE_MIN	(64 * FAMFS_MiB)	/* sb + min log + some data */
/*
 * Largest dd_size of any device (64 TiB). A superblock claiming more is refused, so a crafted
 * one cannot make fsck or replay allocate a bitmap for a device that does not exist.
 */
#define FAMFS_DEV_SIZE_MAX	(1ULL << 46)

#define FAMFS_MAX_PATH		192	/* relative path, NUL included */
#define FAMFS_LOG_ENTRY_SIZE	1024	/* one log slot */

/*
 * One device of the file system. Index 0 is the device holding the superblock and log;
 * every device reserves its first FAMFS_SB_SIZE bytes (device 0: superblock; others:
 * struct famfs_daxdev_header). Devices are found by UUID, never by path (paths differ
 * between hosts).
 */
struct famfs_daxdev_omf {
	__u8	dd_uuid[16];	/* device UUID (libuuid) */
	__le64	dd_size;	/* usable size in bytes, multiple of FAMFS_ALLOC_UNIT */
	__u8	dd_reserved[8];
};

/* The superblock, at device offset 0. */
struct famfs_superblock {
	__le64	sb_magic;		/* FAMFS_SB_MAGIC */
	__le16	sb_omf_major;		/* FAMFS_OMF_MAJOR */
	__le16	sb_omf_minor;		/* FAMFS_OMF_MINOR */
	__le32	sb_flags;		/* none defined, must be 0 */
	__le64	sb_log_offset;		/* bytes from device start, FAMFS_LOG_OFFSET */
	__le64	sb_log_len;		/* bytes, power of two, >= FAMFS_LOG_LEN_MIN */
	__le64	sb_alloc_unit;		/* bytes, FAMFS_ALLOC_UNIT */
	__u8	sb_fs_uuid[16];		/* file system UUID */
	__u8	sb_master_uuid[16];	/* system UUID of the master host (mkfs ran there) */
	__le64	sb_mkfs_time;		/* seconds since the epoch */
	__le32	sb_ndevs;		/* used slots of sb_devs, >= 1 */
	__le32	sb_reserved0;
	struct famfs_daxdev_omf sb_devs[FAMFS_MAX_DEVS];
	__u8	sb_reserved[64];
	__le32	sb_crc;			/* crc32 of every byte before this field */
	__le32	sb_pad;
};

/*
 * Device header, at offset 0 of every device with index >= 1 (OMF >= 1.1), written by mkfs.
 * Names the file system and the device's slot in sb_devs, so famfsctl mount can find the
 * devices of a file system among the host's pmem/dax devices.
 */
struct famfs_daxdev_header {
	__le64	dh_magic;		/* FAMFS_DEV_MAGIC */
	__le16	dh_omf_major;
	__le16	dh_omf_minor;
	__le32	dh_devindex;		/* slot in sb_devs, >= 1 */
	__u8	dh_fs_uuid[16];		/* = sb_fs_uuid */
	__u8	dh_dev_uuid[16];	/* = sb_devs[dh_devindex].dd_uuid */
	__le64	dh_size;		/* = sb_devs[dh_devindex].dd_size */
	__u8	dh_reserved[64];
	__le32	dh_crc;			/* crc32 of every byte before this field */
	__le32	dh_pad;
};

/* The log header, at sb_log_offset. */
struct famfs_log_header {
	__le64	lh_magic;		/* FAMFS_LOG_MAGIC */
	__le64	lh_log_len;		/* bytes, equals sb_log_len */
	__le64	lh_nslots;		/* entry slots that fit after the header */
	__le32	lh_crc;			/* crc32 of lh_magic .. lh_nslots */
	__le32	lh_pad;
	__le64	lh_next_index;		/* entries [0, next_index) are valid; the master
					 * advances it only after the entry is in memory */
	__u8	lh_reserved[FAMFS_LOG_ENTRY_SIZE - 40];
};

/* Entry types. */
#define FAMFS_LOG_FILE		1
#define FAMFS_LOG_MKDIR		2
/* 3 reserved for ADD_DAXDEV */
#define FAMFS_LOG_DELETE	4	/* OMF >= 1.3: a file is gone; its space is pending
					 * reclaim until a RECLAIM entry names this entry */
#define FAMFS_LOG_VOID		5	/* written by fsck --repair over an unreadable entry:
					 * replay makes nothing of it; its extents stay allocated */
#define FAMFS_LOG_RECLAIM	6	/* OMF >= 1.3: a deleted file's space is free again */

/* fmap kinds */
/* fmap kinds: FAMFS_FMAP_SIMPLE, FAMFS_FMAP_INTERLEAVE (OMF >= 1.1), famfs_limits.h */

/*
 * Interleaved fmap: fm_nextents = nstrips (1..FAMFS_MAX_EXTENTS), fm_ext[i] = strip i (one
 * device extent each; every strip the same length, a multiple of the chunk size), chunk
 * size a power of two and a multiple of FAMFS_ALLOC_UNIT. File offset off lives at
 *   chunk = off / chunk_size;  stripe = chunk / nstrips;  strip = chunk % nstrips;
 *   strip_off = off % chunk_size + stripe * chunk_size
 * i.e. device fm_ext[strip].ext_devindex, offset fm_ext[strip].ext_offset + strip_off.
 * nstrips * strip length >= file size.
 */

/*
 * Small files (OMF >= 1.2). A FILE entry with fi_size <= FAMFS_SMALL_MAX (famfs_limits.h) may
 * have a page-granular extent: offset and length multiples of FAMFS_SMALL_PAGE but not both
 * of FAMFS_ALLOC_UNIT. Such an extent must be the only extent of a simple fmap, lie inside one
 * allocation unit, and be exactly roundup(fi_size, FAMFS_SMALL_PAGE) long. A unit holding a
 * page-granular extent is a small-file unit: only page-granular extents may share it (no two
 * sharing a page); a whole-unit extent or the metadata overlapping it is a cross-link. The
 * master zeroes the tail of a file's last page past fi_size when it creates the file.
 * A VOID entry may keep page-granular extents of a lost small file.
 */

/* One extent: a byte range of one device. Offsets and lengths are FAMFS_ALLOC_UNIT aligned,
 * except the page-granular extent of a small file (OMF >= 1.2, above). */
struct famfs_extent_omf {
	__le32	ext_devindex;		/* index into sb_devs */
	__le32	ext_reserved;
	__le64	ext_offset;		/* bytes from the device start; never 0 (sb lives there) */
	__le64	ext_len;		/* bytes, > 0 */
};

/* File flags */
#define FAMFS_FILE_RW_ALL	0x1	/* writable on every host (default: RO on clients) */

struct famfs_fmap_omf {
	__le32	fm_kind;		/* FAMFS_FMAP_* */
	__le32	fm_nextents;		/* simple: extents used; interleave: strips used */
	__le64	fm_chunk_size;		/* interleave only: bytes, power of two, k * 2 MiB;
					 * 0 for simple fmaps */
	struct famfs_extent_omf fm_ext[FAMFS_MAX_EXTENTS];
};

struct famfs_file_omf {
	__le64	fi_size;		/* bytes; the fmap covers at least this much */
	__le32	fi_flags;		/* FAMFS_FILE_* */
	__le32	fi_mode;		/* permission bits (S_IFREG implied) */
	__le32	fi_uid;
	__le32	fi_gid;
	char	fi_path[FAMFS_MAX_PATH];	/* relative to the mount point, NUL terminated */
	struct famfs_fmap_omf fi_fmap;
};

struct famfs_mkdir_omf {
	__le32	md_mode;		/* permission bits (S_IFDIR implied) */
	__le32	md_uid;
	__le32	md_gid;
	__le32	md_reserved;
	char	md_path[FAMFS_MAX_PATH];
};

/*
 * A void entry (FAMFS_LOG_VOID): what fsck --repair writes into the slot of an entry that
 * could not be read (bad CRC or seqnum), so the log is readable again. It names no file.
 * vo_fmap keeps the extents of the lost entry that could still be trusted (inside their
 * device, not shared with another file), so that space is never handed out again: a host
 * may still map the lost file. fm_kind FAMFS_FMAP_SIMPLE, fm_nextents 0..FAMFS_MAX_EXTENTS.
 */
struct famfs_void_omf {
	__le32	vo_lost_type;		/* le_type found in the unreadable slot (may be junk) */
	__le32	vo_reserved;
	struct famfs_fmap_omf vo_fmap;	/* space still owned by the lost entry */
};

/*
 * A delete (FAMFS_LOG_DELETE, OMF >= 1.3): the FILE entry at de_file_index (< this entry's
 * index, not deleted before, with the same path) is gone on every host that applies this
 * entry. Its extents stay allocated ("pending reclaim") until a RECLAIM entry names this
 * DELETE; the path may be logged again at once.
 */
struct famfs_delete_omf {
	__le64	de_file_index;		/* log index of the FILE entry deleted */
	char	de_path[FAMFS_MAX_PATH];	/* = that entry's fi_path */
};

/*
 * A reclaim (FAMFS_LOG_RECLAIM, OMF >= 1.3): the space of the file deleted by the DELETE
 * entry at rc_delete_index is free for entries after this one. The master logs it only
 * when every client registered in the client table has applied that DELETE: the table
 * snapshot it decided on is recorded (the smallest cs_applied, which must be greater than
 * rc_delete_index, and the number of registered clients).
 */
struct famfs_reclaim_omf {
	__le64	rc_delete_index;	/* log index of the DELETE entry */
	__le64	rc_min_applied;		/* smallest cs_applied of the registered clients then;
					 * UINT64_MAX when none was registered */
	__le32	rc_nclients;		/* registered clients then */
	__le32	rc_reserved;		/* 0 */
};

/*
 * The client table (OMF >= 1.3): FAMFS_CLIENT_SLOTS slots at FAMFS_CLIENTS_OFFSET of device 0,
 * inside the superblock's reserved head, in memory every host may write (a mount exposes it
 * as .meta/.clients, writable on every host). One slot per host that has the file system
 * mounted, owned by its system UUID: only that host writes it (mount, load-maps, follow),
 * except an eviction by the operator (famfsctl clients --evict), which zeroes it. A slot
 * with cs_magic 0 is free. Every slot is untrusted input: a slot whose magic or CRC is bad
 * counts as a registered client that has applied nothing (it blocks reclaim until evicted).
 */
#define FAMFS_CLIENTS_OFFSET	(1ULL << 20)	/* bytes from the start of device 0 */
#define FAMFS_CLIENT_SLOTS	64
#define FAMFS_CLIENT_MAGIC	0x544e4c4346534d46ULL	/* "FMSFCLNT" little-endian */

struct famfs_client_slot {
	__le64	cs_magic;		/* FAMFS_CLIENT_MAGIC; 0 = free slot */
	__u8	cs_uuid[16];		/* system UUID of the host owning the slot */
	__le64	cs_applied;		/* log entries [0, cs_applied) applied by its mount */
	__le64	cs_heartbeat;		/* seconds since the epoch of its last update */
	__le64	cs_mount_time;		/* seconds since the epoch of its mount */
	__le32	cs_flags;		/* none defined, 0 */
	__le32	cs_crc;			/* crc32 of every byte before this field */
	__u8	cs_reserved[8];
};
#define FAMFS_CLIENTS_LEN	(FAMFS_CLIENT_SLOTS * sizeof(struct famfs_client_slot))

/* One log slot. Slot i lives at log_offset + sizeof(header) + i * FAMFS_LOG_ENTRY_SIZE. */
struct famfs_log_entry {
	__le64	le_seqnum;		/* must equal the slot index */
	__le32	le_type;		/* FAMFS_LOG_* */
	__le32	le_reserved;
	union {
		struct famfs_file_omf	le_file;
		struct famfs_mkdir_omf	le_mkdir;
		struct famfs_void_omf	le_void;
		struct famfs_delete_omf	le_delete;
		struct famfs_reclaim_omf le_reclaim;
		__u8			le_payload[FAMFS_LOG_ENTRY_SIZE - 24];
	};
	__le32	le_crc;			/* crc32 of every byte before this field */
	__le32	le_pad;
};

_Static_assert(sizeof(struct famfs_daxdev_omf) == 32, "daxdev omf size");
_Static_assert(sizeof(struct famfs_extent_omf) == 24, "extent omf size");
_Static_assert(sizeof(struct famfs_log_header) == FAMFS_LOG_ENTRY_SIZE, "log header size");
_Static_assert(sizeof(struct famfs_log_entry) == FAMFS_LOG_ENTRY_SIZE, "log entry size");
_Static_assert(sizeof(struct famfs_superblock) <= 4096, "superblock fits a page");
_Static_assert(sizeof(struct famfs_client_slot) == 64, "client slot size");
_Static_assert(FAMFS_CLIENTS_OFFSET + FAMFS_CLIENT_SLOTS * 64 <= FAMFS_SB_SIZE,
	       "client table inside the superblock's head");
_Static_assert(sizeof(struct famfs_daxdev_header) <= 4096, "device header fits a page");

#endif /* FAMFS_OMF_H */
