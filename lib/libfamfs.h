/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libfamfs.h - the on-media side of famfs-bpf: mkfs, superblock and log access, allocator,
 * log append and replay, fsck. Works on anything mmap-able or O_DIRECT-readable: a plain
 * image file, /dev/pmem* (read/written with O_DIRECT, never the block page cache), or a
 * mounted famfs (its .meta/.superblock and .meta/.log files, mapped through DAX).
 *
 * Conventions: functions return 0 or a negative errno; every failure is also reported once,
 * naming the thing that is wrong, through the log function (famfs_set_msg_fn()). Sizes and
 * offsets are bytes. Nothing here is thread-safe across one struct famfs_media; the log
 * append is serialized across processes with flock(2) on the media's file.
 */
#ifndef LIBFAMFS_H
#define LIBFAMFS_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uuid/uuid.h>

#include "famfs_omf.h"

/* ---- messages (not the metadata log) ---------------------------------------------- */
enum famfs_msg_level { FAMFS_MSG_ERR = 0, FAMFS_MSG_INFO = 1, FAMFS_MSG_DEBUG = 2 };
typedef void (*famfs_msg_fn)(enum famfs_msg_level level, const char *msg);
/* Set the function that receives messages (default: "famfs: <msg>" on stderr for ERR);
 * returns the one it replaces. */
famfs_msg_fn famfs_set_msg_fn(famfs_msg_fn fn);
/* Highest level passed to the message function (default FAMFS_MSG_ERR). */
void famfs_set_msg_level(enum famfs_msg_level level);
/* famfs_msg() - format a message and pass it to the message function if @level is enabled
 * (famfsctl and the loader report through this too, so there is one logger). */
void famfs_msg(enum famfs_msg_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- host identity ---------------------------------------------------------------- */
/*
 * famfs_system_uuid() - this host's system UUID, from the identity file (env
 * FAMFS_SYSTEM_UUID_PATH, default /etc/famfs/system_uuid), created at random on first use.
 * Return: 0, or -errno if the file cannot be read or created.
 */
int famfs_system_uuid(uuid_t out);

/* ---- mkfs ------------------------------------------------------------------------- */
/*
 * Smallest data-only device (index >= 1): its reserved head (FAMFS_SB_SIZE, holding the
 * device header) plus one allocation unit of data. Device 0 needs FAMFS_DEV_SIZE_MIN.
 */
#define FAMFS_DATA_DEV_SIZE_MIN	(FAMFS_SB_SIZE + FAMFS_ALLOC_UNIT)

struct famfs_mkfs_opts {
	uint64_t log_len;	/* bytes; 0 = FAMFS_LOG_LEN_DEFAULT; power of two >= min */
	bool	 force;		/* overwrite a device that carries a famfs superblock or device
				 * header magic (valid or damaged); with kill: zero the magic
				 * even of a device that carries none */
	bool	 kill;		/* only invalidate what is there (mkfs -k): zero the magic of
				 * the first page of every device; refused (-ENODATA) on a
				 * device without a famfs magic unless force */
};
/*
 * famfs_mkfs_devs() - make one file system over @ndevs devices (image files, pmem or dax
 * devices), 1 <= @ndevs <= FAMFS_MAX_DEVS. @paths[0] gets the superblock (with a device
 * table of all @ndevs devices, sizes rounded down to FAMFS_ALLOC_UNIT) and the empty log;
 * every @paths[i], i >= 1, gets a struct famfs_daxdev_header naming the file system, its
 * index i and its own random device UUID. This host becomes the master. Everything is
 * checked on every device before anything is written, so nothing is written on any error.
 * Write order: the old superblock is zeroed first, the device headers next, the whole log
 * region is zeroed (no entry of an older file system can come back), then the log header,
 * and the new superblock last: a torn mkfs never leaves a valid superblock.
 * Return: 0, or -EINVAL bad @ndevs, NULL path, bad log length, or one device named twice
 * (same path, or two paths of one file/device); -EEXIST a device carries a famfs superblock
 * or device header magic (valid or damaged) and !@o->force; -ENODATA (@o->kill) a device
 * carries no famfs magic and !@o->force; -ENOSPC device 0 smaller than FAMFS_DEV_SIZE_MIN (or than
 * the log plus one unit of data), another device smaller than FAMFS_DATA_DEV_SIZE_MIN;
 * -errno (-ENOENT, -ENODEV, I/O) from opening, reading or writing a device.
 */
int famfs_mkfs_devs(const char *const *paths, unsigned ndevs, const struct famfs_mkfs_opts *o);
/* famfs_mkfs() - famfs_mkfs_devs(&@path, 1, @o): a one-device file system. */
int famfs_mkfs(const char *path, const struct famfs_mkfs_opts *o);

/* ---- devices: which file system and slot a device belongs to ----------------------- */
struct famfs_dev_id {
	bool	 is_sb;		/* page 0 holds a superblock (devindex 0), else a device header */
	uint32_t devindex;	/* slot in sb_devs */
	uint8_t	 fs_uuid[16];	/* sb_fs_uuid / dh_fs_uuid */
	uint8_t	 dev_uuid[16];	/* sb_devs[0].dd_uuid / dh_dev_uuid */
	uint64_t size;		/* bytes, as recorded: sb_devs[0].dd_size / dh_size */
	uint64_t dev_size;	/* bytes the device or image has now */
};
/*
 * famfs_dev_identify() - read the first 4 KiB of @path (O_DIRECT on block devices, never
 * the page cache) and say whether it holds a valid superblock or a valid device header.
 * Return: 0 with @id filled; -ENODATA if neither (no magic, bad CRC or bad field: the
 * reason is logged at FAMFS_MSG_DEBUG); -errno if @path cannot be opened or read (logged).
 */
int famfs_dev_identify(const char *path, struct famfs_dev_id *id);
/*
 * famfs_sb_dev_check() - does the found device @id (with @dev_size bytes now; 0 skips that
 * check) fill slot @devindex of @sb (a valid superblock)? Pure, no I/O, nothing logged.
 * Return: 0; -EINVAL @devindex >= sb_ndevs; -EUCLEAN with a reason in @why: another file
 * system (fs uuid), wrong device (index, device uuid, or a recorded size that differs from
 * dd_size), or a device too small for dd_size.
 */
int famfs_sb_dev_check(const struct famfs_superblock *sb, uint32_t devindex,
		       const struct famfs_dev_id *id, uint64_t dev_size, char *why, size_t whylen);
/*
 * famfs_dev_header_check() - validate a device header alone: magic, CRC, major version,
 * dh_devindex in 1..FAMFS_MAX_DEVS-1, dh_size a multiple of FAMFS_ALLOC_UNIT and at
 * least FAMFS_DATA_DEV_SIZE_MIN. Return: 0 or -EUCLEAN with a reason naming the field.
 */
int famfs_dev_header_check(const struct famfs_daxdev_header *h, char *why, size_t whylen);

/* ---- opening ---------------------------------------------------------------------- */
struct famfs_media;	/* an open file system: superblock and log in memory */

#define FAMFS_OPEN_RDONLY	0
#define FAMFS_OPEN_RDWR		1

/*
 * famfs_media_open_dev() - open the file system on a device or image file @path.
 * Validates the superblock (magic, CRC, version, sizes against the device) and log header.
 * Return: 0 and *out, or -errno: -ENOENT no such path, -EUCLEAN bad/missing superblock or
 * log header (message says which field), -ENOSPC device smaller than the superblock says.
 */
int famfs_media_open_dev(const char *path, int flags, struct famfs_media **out);
/*
 * famfs_media_open_mount() - open the file system mounted at @mpt through its metadata
 * files @mpt/.meta/.superblock and @mpt/.meta/.log (mapped MAP_SHARED; DAX on famfs).
 * Same validation and errors as famfs_media_open_dev().
 */
int famfs_media_open_mount(const char *mpt, int flags, struct famfs_media **out);
void famfs_media_close(struct famfs_media *m);

const struct famfs_superblock *famfs_media_sb(const struct famfs_media *m);
/* Device size in bytes as seen when opening (image/device size, or sb's dd_size for mounts). */
uint64_t famfs_media_dev_size(const struct famfs_media *m);
/* true if this host's system UUID equals sb_master_uuid. */
bool famfs_media_is_master(const struct famfs_media *m);

/* ---- superblock & log checks (pure functions, no I/O) ------------------------------ */
/*
 * famfs_sb_check() - validate a superblock: magic, CRC, major version, log offset/length
 * (power of two, >= min, inside the device), alloc unit, sb_ndevs in 1..FAMFS_MAX_DEVS,
 * every used sb_devs slot a multiple of FAMFS_ALLOC_UNIT (device 0 holding the log, the
 * others at least FAMFS_DATA_DEV_SIZE_MIN) with a distinct, non-null UUID. @dev_size (bytes
 * of device 0) 0 skips the size check. On failure writes a one-line reason naming the field
 * to @why.
 * Return: 0 or -EUCLEAN.
 */
int famfs_sb_check(const struct famfs_superblock *sb, uint64_t dev_size, char *why, size_t whylen);
/* Same for a log header against its superblock. */
int famfs_log_header_check(const struct famfs_log_header *lh, const struct famfs_superblock *sb,
			   char *why, size_t whylen);
/* CRC helpers (zlib crc32 over the bytes before the crc field). */
uint32_t famfs_sb_crc(const struct famfs_superblock *sb);
uint32_t famfs_dev_header_crc(const struct famfs_daxdev_header *h);
uint32_t famfs_log_header_crc(const struct famfs_log_header *lh);
uint32_t famfs_log_entry_crc(const struct famfs_log_entry *e);

/* ---- log -------------------------------------------------------------------------- */
/* Number of valid entries (lh_next_index) and slots (lh_nslots). */
uint64_t famfs_log_next_index(const struct famfs_media *m);
uint64_t famfs_log_nslots(const struct famfs_media *m);

/*
 * famfs_log_get() - copy out entry @index into @e, after checking seqnum == index and CRC.
 * On a CRC mismatch it invalidates the CPU cache lines of the entry once and re-reads
 * (a client may have read the line before the master wrote it) before failing.
 * Return: 0; -ERANGE index >= next_index; -EBADMSG bad CRC or seqnum (message names index).
 */
int famfs_log_get(struct famfs_media *m, uint64_t index, struct famfs_log_entry *e);

/*
 * famfs_entry_check() - may log entry @e (already read with famfs_log_get(): seqnum and CRC
 * right) be applied? The one set of rules used by the append (before it writes), replay,
 * fsck and the loader (before it touches a mount):
 *   - le_type is FAMFS_LOG_FILE, FAMFS_LOG_MKDIR, FAMFS_LOG_VOID, or (OMF >= 1.3 when @sb
 *     is given) FAMFS_LOG_DELETE / FAMFS_LOG_RECLAIM naming an earlier index, with a valid
 *     de_path / rc_min_applied > rc_delete_index (famfs_deletes_scan() judges the context);
 *   - FILE and MKDIR: the path field is NUL-terminated within FAMFS_MAX_PATH bytes and a
 *     valid relative path (famfs_path_check(): no "..", "." or empty component, not
 *     absolute, nothing at or under FAMFS_META_DIR); mode only 07777 bits;
 *   - FILE: only known fi_flags; fmap kind simple or interleave with 1..FAMFS_MAX_EXTENTS
 *     extents covering fi_size > 0 (the interleave rules of famfs_fsck());
 *   - VOID: a simple fmap of 0..FAMFS_MAX_EXTENTS extents;
 *   - with @sb (may be NULL to skip this): every extent on a device < sb_ndevs, 2 MiB
 *     aligned, outside the device's reserved head, inside its dd_size.
 * Log context (duplicate paths, missing parents, cross-links) is not checked here.
 * Return: 0, or -EUCLEAN with a one-line reason naming the field in @why (@whylen bytes).
 */
int famfs_entry_check(const struct famfs_log_entry *e, const struct famfs_superblock *sb,
		      char *why, size_t whylen);

/*
 * famfs_log_for_each() - call @fn for each valid entry with index in [@from, next_index),
 * in order. Stops at the first bad entry (-EBADMSG) or the first nonzero return of @fn,
 * which it returns.
 */
typedef int (*famfs_log_visit_fn)(uint64_t index, const struct famfs_log_entry *e, void *arg);
int famfs_log_for_each(struct famfs_media *m, uint64_t from, famfs_log_visit_fn fn, void *arg);

/*
 * Append requests. Paths are relative to the mount root, without leading '/', no "." or
 * ".." components, no empty components, < FAMFS_MAX_PATH bytes, not FAMFS_META_DIR or under it.
 */
struct famfs_file_req {
	const char *path;
	uint64_t size;		/* bytes, > 0 */
	uint32_t mode;		/* permission bits */
	uint32_t uid, gid;
	uint32_t flags;		/* FAMFS_FILE_* */
	uint32_t nstrips;	/* 0 (and chunk_size 0): simple file; else interleaved over
				 * 1..FAMFS_MAX_EXTENTS strips */
	uint64_t chunk_size;	/* interleave: bytes, power of two, multiple of
				 * FAMFS_ALLOC_UNIT; 0 for simple files */
	uint32_t devmask;	/* bit i: may use device i; 0 = every device */
};
/*
 * famfs_log_append_file() - allocate space for a new file and log it (master only).
 * A session of one append (famfs_append_begin() below): takes flock(LOCK_EX) on the
 * media, replays the log to rebuild the allocator (one bitmap
 * per device) and the set of existing paths, allocates, writes the entry with its CRC,
 * flushes it, then advances lh_next_index and flushes the header.
 * Simple files (nstrips 0): first fit of one contiguous run on the lowest-numbered device
 * of @req->devmask that has one (device 0 first, so a one-device file system behaves as
 * before); else the first free runs of those devices in order (device 0's first), at most
 * FAMFS_MAX_EXTENTS of them.
 * Interleaved files: nstrips strips of roundup(size, chunk_size * nstrips) / nstrips bytes
 * each (a multiple of chunk_size), each strip one contiguous first-fit extent. Strip i goes
 * to eligible device (index + i) % neligible, index being the new entry's log index, so
 * files start on different devices; with more strips than devices the rotation wraps (the
 * strips sharing a device get distinct ranges). If that device has no run long enough, the
 * strip goes to the next device in the rotation holding the fewest strips of this file.
 * Return: 0 with *index and the entry in @out (may be NULL); -EPERM not the master,
 * -EROFS opened read-only, -EEXIST path already logged, -ENOENT parent directory not logged
 * (paths without '/' live in the root), -EINVAL bad path, size, flags, chunk_size (not a
 * power of two multiple of FAMFS_ALLOC_UNIT), nstrips (not 1..FAMFS_MAX_EXTENTS with a
 * chunk size), devmask (names a device >= sb_ndevs); -EOPNOTSUPP interleave on an OMF 1.0
 * file system; -ENOSPC no space, -E2BIG log full. Nothing is written on any error.
 */
int famfs_log_append_file(struct famfs_media *m, const struct famfs_file_req *req,
			  uint64_t *index, struct famfs_log_entry *out);
/* famfs_log_append_mkdir() - log a directory (master only). Same rules and errors. */
int famfs_log_append_mkdir(struct famfs_media *m, const char *path, uint32_t mode,
			   uint32_t uid, uint32_t gid, uint64_t *index);

/*
 * The append session: many appends under one lock and one replay. famfs_log_append_file()
 * and famfs_log_append_mkdir() each take the lock and replay the whole log (cost grows with
 * the log); a session takes the lock and replays once, then each append applies only its
 * own entry to the kept allocator and path set, so N appends cost O(N), not O(N * log).
 * Before each append the kept state is revalidated from the log header (lh_next_index and
 * the rest, re-read) and the last slot: if either moved, the log is replayed again. Every
 * check of a single append still runs on each entry (request, path, not already logged,
 * parent logged, famfs_entry_check() before the write). A failed append leaves the log
 * unchanged and the session usable. The session holds flock(LOCK_EX) on the media's file:
 * other appenders (other processes, or another struct famfs_media of the same file in this
 * process, which would deadlock) wait until famfs_append_end(). Not thread-safe.
 */
struct famfs_append_session;
/*
 * famfs_append_begin() - check this host is the master and @m is writable, take the log
 * lock (blocks while another appender holds it), check the header and replay the log.
 * Return: 0 and *@out; -EPERM not the master, -EROFS read-only, -EUCLEAN bad log header,
 * -EBADMSG an unreadable entry, -ENOMEM, -errno from flock. Nothing is held on error.
 */
int famfs_append_begin(struct famfs_media *m, struct famfs_append_session **out);
/* famfs_append_file() - famfs_log_append_file() in session @s: same rules, errors and
 * outputs (-E2BIG log full, -ENOSPC, -EEXIST, -ENOENT, -EINVAL, ...). */
int famfs_append_file(struct famfs_append_session *s, const struct famfs_file_req *req,
		      uint64_t *index, struct famfs_log_entry *out);
/* famfs_append_mkdir() - famfs_log_append_mkdir() in session @s; the entry in @out (may be
 * NULL). */
int famfs_append_mkdir(struct famfs_append_session *s, const char *path, uint32_t mode,
		       uint32_t uid, uint32_t gid, uint64_t *index, struct famfs_log_entry *out);
/* famfs_append_end() - release the lock and free @s (NULL: no-op). @s's media stays open. */
void famfs_append_end(struct famfs_append_session *s);
/* famfs_append_replays() - whole-log replays @s has done: 1 after begin, more only when the
 * log changed under it or an append failed after allocating. */
uint64_t famfs_append_replays(const struct famfs_append_session *s);

/* ---- allocator -------------------------------------------------------------------- */
/*
 * Space accounting rebuilt from the log: per device a bitmap of FAMFS_ALLOC_UNIT units with
 * the reserved head set (device 0: superblock and log; others: the device header's
 * FAMFS_SB_SIZE), then every FILE extent or strip; a small file's pages in its small-file
 * unit (OMF >= 1.2). A unit (or page) set twice is a cross-link.
 */
struct famfs_space {
	uint64_t capacity;	/* bytes, sum of every device's dd_size */
	uint64_t used;		/* bytes allocated, reserved heads included, all devices; a
				 * small-file unit counts by the pages in use */
	uint64_t free;		/* capacity - used */
	uint64_t nfiles, ndirs;
	uint64_t log_used, log_slots;
	uint64_t crosslinked_units;
	/* per class (OMF >= 1.2 packs small files; wasted = bytes - data) */
	uint64_t metadata;	/* bytes of reserved heads: superblock, log, device headers */
	uint64_t large_bytes;	/* bytes of whole units held by files (and void entries) */
	uint64_t large_data;	/* sum of fi_size of the files in whole units */
	uint64_t small_units;	/* units set aside for small files */
	uint64_t small_bytes;	/* bytes of the pages small files hold */
	uint64_t small_data;	/* sum of fi_size of the small files */
	uint64_t small_free;	/* free bytes inside small-file units (small_units*2MiB - small_bytes) */
	uint64_t pending_reclaim;	/* bytes of deleted files not reclaimed yet (in used) */
	uint32_t ndevs;		/* sb_ndevs: valid entries of the arrays below */
	uint64_t dev_capacity[FAMFS_MAX_DEVS];	/* bytes, sb_devs[i].dd_size */
	uint64_t dev_used[FAMFS_MAX_DEVS];		/* bytes, reserved head included */
};
/* famfs_space_get() - fill @s from a replay of the log. Return: 0, -EBADMSG at an
 * unreadable entry, -ENOMEM. */
int famfs_space_get(struct famfs_media *m, struct famfs_space *s);

/* ---- fsck ------------------------------------------------------------------------- */
struct famfs_fsck_report {
	struct famfs_space space;
	uint64_t errors;	/* problems found; each one is logged with FAMFS_MSG_ERR */
	uint64_t bad_entries;	/* entries with bad CRC/seqnum/type */
	uint64_t bad_extents;	/* extents out of bounds, misaligned, at offset 0, on a bad device */
	uint64_t crosslinks;	/* extents sharing units with another file */
	uint64_t bad_paths;	/* invalid or duplicate paths, or missing parent directories */
	uint64_t void_entries;	/* FAMFS_LOG_VOID entries (written by a repair; not errors) */
	uint64_t deleted;	/* files deleted (valid DELETE entries; not errors) */
	uint64_t early_reuse;	/* files allocated in a deleted file's space before its RECLAIM */
};
/* famfs_fsck() - check superblock, log header, every entry, every extent or strip against
 * its device (sb_devs[ext_devindex]: inside dd_size, outside the reserved head, 2 MiB
 * aligned, never at offset 0), the interleave rules (chunk a power of two multiple of 2 MiB,
 * equal strip lengths that are multiples of it, nstrips * strip length >= fi_size) and
 * cross-links on every device. Return 0 if clean,
 * -EUCLEAN if any error was found (details in @r and the log), other -errno on I/O failure. */
int famfs_fsck(struct famfs_media *m, struct famfs_fsck_report *r);

/*
 * famfs_log_repair() - fsck --repair: on the master, under the append lock, overwrite every
 * entry in [0, next_index) that is unreadable (bad CRC or seqnum), or that is a FILE or MKDIR
 * entry failing famfs_entry_check() (it could never be applied), with a valid
 * FAMFS_LOG_VOID entry, so replay and append work again. Entries of unknown types are kept. For each one it first reports (FAMFS_MSG_INFO) what is
 * lost, as far as the slot's bytes still say, and keeps the lost file's extents that lie
 * inside their device and are used by no readable entry in the void entry: that space stays
 * allocated. With @dry_run nothing is written (the report is the same). The log header must
 * be sound (a bad one is not repaired).
 * Return: 0 with *@nvoided = entries voided (or that would be); -EPERM not the master;
 * -EROFS opened read-only (and !@dry_run); -EUCLEAN bad log header; -ENOMEM; -errno on I/O.
 */
int famfs_log_repair(struct famfs_media *m, bool dry_run, uint64_t *nvoided);

/* ---- CPU cache maintenance (memory other hosts read: not cache-coherent) ------------ */
/*
 * famfs_cache_writeback() - write the CPU's dirty cache lines of [@addr, @addr + @len) back
 * to memory (clwb, else clflushopt, else clflush; then sfence), so another host reading the
 * memory sees what this host wrote. Call after writing shared data, before telling the
 * reader (the hand-off). Lines stay valid in this CPU's cache with clwb.
 */
void famfs_cache_writeback(const void *addr, size_t len);
/*
 * famfs_cache_invalidate() - write back and drop the CPU's cache lines of [@addr, @addr +
 * @len) (clflushopt, else clflush; fenced on both sides), so the next load comes from
 * memory and sees what another host wrote there. Call before reading data another host
 * handed over.
 */
void famfs_cache_invalidate(const void *addr, size_t len);
/* famfs_cache_method() - the instruction this CPU uses for write-back (@writeback: "clwb",
 * "clflushopt" or "clflush") or for invalidation ("clflushopt" or "clflush"); "none" where
 * no cache maintenance instruction is known. */
const char *famfs_cache_method(bool writeback);

/* ---- helpers ---------------------------------------------------------------------- */
/*
 * famfs_path_check() - 0 if @path is a valid relative famfs path (no "..", "." or empty
 * component, < FAMFS_MAX_PATH bytes, not at or under FAMFS_META_DIR), else -EINVAL (logged).
 */
int famfs_path_check(const char *path);
/* Round @bytes up to FAMFS_ALLOC_UNIT. */
static inline uint64_t famfs_round_alloc(uint64_t bytes)
{
	return (bytes + FAMFS_ALLOC_UNIT - 1) & ~(FAMFS_ALLOC_UNIT - 1);
}
/* Round @bytes up to FAMFS_SMALL_PAGE (a small file's allocation, OMF >= 1.2). */
static inline uint64_t famfs_round_page(uint64_t bytes)
{
	return (bytes + FAMFS_SMALL_PAGE - 1) & ~(FAMFS_SMALL_PAGE - 1);
}
/* Is extent @x page-granular (offset or length not a whole unit): a small file's? */
static inline bool famfs_extent_is_small(const struct famfs_extent_omf *x)
{
	return ((le64toh(x->ext_offset) | le64toh(x->ext_len)) & (FAMFS_ALLOC_UNIT - 1)) != 0;
}
/* Bytes a new file of @size bytes takes on a file system of OMF minor @omf_minor: a
 * small file's pages, else whole units (interleaved files: famfs_strip_len()). */
static inline uint64_t famfs_alloc_bytes(uint64_t size, uint16_t omf_minor)
{
	if (omf_minor >= FAMFS_OMF_MINOR_SMALL && size <= FAMFS_SMALL_MAX)
		return famfs_round_page(size);
	return famfs_round_alloc(size);
}
/*
 * famfs_fill_seeded() / famfs_verify_seeded() - deterministic pseudo-random contents for
 * creat -r / verify: byte at file offset o depends only on (seed, o), so any range can be
 * filled or checked independently. verify returns 0 or the first mismatching file offset
 * (@file_off + index in @buf) + 1.
 */
void famfs_fill_seeded(void *buf, size_t len, uint64_t seed, uint64_t file_off);
uint64_t famfs_verify_seeded(const void *buf, size_t len, uint64_t seed, uint64_t file_off);

#include "famfs_reclaim.h"	/* deletes, reclaim, the client table */

#endif /* LIBFAMFS_H */
