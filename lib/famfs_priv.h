/* SPDX-License-Identifier: Apache-2.0 */
/*
 * famfs_priv.h - libfamfs internals shared by the lib/ sources. Not part of the API: callers
 * (famfsctl, loader, tests) use libfamfs.h only.
 */
#ifndef FAMFS_PRIV_H
#define FAMFS_PRIV_H

#include <endian.h>

#include "libfamfs.h"

#define FAMFS_PAGE		4096ULL	/* O_DIRECT granule and mmap page */
#define FAMFS_WHY_LEN		256	/* room for a one-line reason */

/* ---- msg.c -------------------------------------------------------------------------- */
/* famfs_msg() is public (libfamfs.h); these are the shorthands used inside the library. */
#define famfs_err(...)		famfs_msg(FAMFS_MSG_ERR, __VA_ARGS__)
#define famfs_info(...)		famfs_msg(FAMFS_MSG_INFO, __VA_ARGS__)
#define famfs_dbg(...)		famfs_msg(FAMFS_MSG_DEBUG, __VA_ARGS__)
/* famfs_why() - write a reason to @why (may be NULL) and return -@err. */
int famfs_why(char *why, size_t whylen, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- dev.c: a device or image file before there is a file system on it --------------- */
enum famfs_dev_kind {
	FAMFS_DEV_IMAGE,	/* regular file: buffered pread/pwrite, mmap */
	FAMFS_DEV_BLOCK,	/* /dev/pmem*: O_DIRECT only, never the page cache */
	FAMFS_DEV_DAX,		/* /dev/dax*: mmap only */
};
struct famfs_dev {
	int			fd;
	enum famfs_dev_kind	kind;
	uint64_t		size;	/* bytes */
	dev_t			st_dev;	/* which file: (st_dev, st_ino) of an image, */
	ino_t			st_ino;	/* (st_rdev, 0) of a device node */
};
int famfs_dev_open(const char *path, bool rw, struct famfs_dev *d);
/* Whole-range I/O; buffers, @len and @off FAMFS_PAGE aligned. Writes are durable on return. */
int famfs_dev_read(const struct famfs_dev *d, void *buf, size_t len, uint64_t off);
int famfs_dev_write(const struct famfs_dev *d, const void *buf, size_t len, uint64_t off);
/* pread/pwrite all of @len bytes (retrying short transfers). */
int famfs_pio(int fd, void *buf, size_t len, uint64_t off, bool write);
/* A zeroed FAMFS_PAGE-aligned buffer (free() it), or NULL. */
void *famfs_aligned_zalloc(size_t len);

/* ---- media.c + media_mmap.c / media_direct.c ----------------------------------------- */
struct famfs_media;
/* A backend: how the superblock and log regions are held and made durable/current. */
struct famfs_media_ops {
	const char *name;
	/* Load @len bytes at @off of @fd into memory the media reads and writes through. */
	int  (*map)(struct famfs_media *m, int fd, uint64_t off, size_t len, void **out);
	void (*unmap)(struct famfs_media *m, void *addr, size_t len);
	/* Make [addr, addr+len) of a loaded region durable and visible to other hosts. */
	int  (*persist)(struct famfs_media *m, void *addr, size_t len);
	/* Drop any stale copy of [addr, addr+len) and read it again from the media. */
	int  (*refresh)(struct famfs_media *m, void *addr, size_t len);
};
extern const struct famfs_media_ops famfs_image_ops;	/* mmap, msync */
extern const struct famfs_media_ops famfs_dax_ops;	/* mmap, cache flush + msync */
extern const struct famfs_media_ops famfs_direct_ops;	/* O_DIRECT buffers */

struct famfs_media {
	const struct famfs_media_ops *ops;
	int		fd;		/* device/image, or .meta/.log of a mount: flock target */
	int		sb_fd;		/* .meta/.superblock of a mount, else -1 (sb is on fd) */
	bool		rw;
	uint64_t	dev_size;
	struct famfs_superblock *sb;	/* start of the superblock region (sb_len bytes) */
	size_t		sb_len;
	uint8_t		*log;		/* start of the log region: header, then slots */
	size_t		log_len;
	uint64_t	log_fd_off;	/* offset of the log on fd (sb_log_offset, 0 for mounts) */
};

static inline struct famfs_log_header *famfs_lh(const struct famfs_media *m)
{
	return (struct famfs_log_header *)m->log;
}

static inline struct famfs_log_entry *famfs_slot(const struct famfs_media *m, uint64_t i)
{
	return (struct famfs_log_entry *)(m->log + sizeof(struct famfs_log_header) +
					  i * FAMFS_LOG_ENTRY_SIZE);
}

/* Where a byte of a loaded region lives: its file descriptor and offset there. */
void famfs_media_locate(const struct famfs_media *m, const void *addr, int *fd, uint64_t *off);

/* ---- sbcheck.c ---------------------------------------------------------------------- */
/* Expected slot count for a log of @log_len bytes. */
static inline uint64_t famfs_log_slots_for(uint64_t log_len)
{
	return (log_len - sizeof(struct famfs_log_header)) / FAMFS_LOG_ENTRY_SIZE;
}

/* ---- path.c ------------------------------------------------------------------------- */
/* famfs_path_why() - famfs_path_check() without logging: the reason goes to @why. */
int famfs_path_why(const char *path, char *why, size_t whylen);

/* ---- pathset.c: the set of logged paths (libc tsearch) ------------------------------- */
struct famfs_pathset {
	void		*root;
	uint64_t	count;
};
/* Add @path (-EEXIST if present, -ENOMEM). */
int famfs_pathset_add(struct famfs_pathset *s, const char *path, bool is_dir);
/* May @path be created? 0, -EEXIST already logged, -ENOENT parent not a logged directory. */
int famfs_pathset_check_new(const struct famfs_pathset *s, const char *path);
void famfs_pathset_free(struct famfs_pathset *s);

/* ---- bitmap.c: the allocation units of one device ----------------------------------- */
struct famfs_bitmap {
	uint64_t	nunits;
	uint64_t	nleaves;
	uint64_t	**leaves;	/* sparse: a NULL leaf has every unit free */
	bool		enomem;		/* a leaf could not be allocated: marks were lost */
};
/* Bitmap of the whole units of @size bytes, with the units of [0, @reserved) set. -ENOMEM. */
int famfs_bitmap_init(struct famfs_bitmap *b, uint64_t size, uint64_t reserved);
void famfs_bitmap_free(struct famfs_bitmap *b);
/* Set the units of [off, off+len) (rounded out, clamped); return how many were already set.
 * Allocates the leaves it needs: on failure b->enomem is set (famfs_alloc_error()). */
uint64_t famfs_bitmap_mark(struct famfs_bitmap *b, uint64_t off, uint64_t len);
uint64_t famfs_bitmap_count(const struct famfs_bitmap *b);
/* The free run at or after unit *@u: its first unit in *@u, its length returned (0: none). */
uint64_t famfs_bitmap_next_run(const struct famfs_bitmap *b, uint64_t *u);
/* First fit: the first free run of at least @want units; true and its first unit in *@u. */
bool famfs_bitmap_find(const struct famfs_bitmap *b, uint64_t want, uint64_t *u);

/* ---- smallunit.c: the small-file units of one device (OMF >= 1.2) ------------------- */
struct famfs_small_unit {
	uint64_t	unit;				/* unit number on its device */
	uint64_t	pages[FAMFS_UNIT_PAGES / 64];	/* one bit per page, set = in use */
	uint32_t	used;				/* pages set */
};
struct famfs_smallset {
	void			*root;	/* tsearch tree of the units, by unit number */
	struct famfs_small_unit	**v;	/* the units in the order they were first used */
	size_t			n, cap;
	size_t			hint;	/* index in v of the unit last allocated from */
	uint64_t		pages;	/* pages in use over all units */
	bool			enomem;	/* a unit could not be recorded: marks were lost */
};
/* The small-file unit @unit, or NULL if it is not one. */
struct famfs_small_unit *famfs_smallset_get(const struct famfs_smallset *s, uint64_t unit);
/* Record unit @unit as a small-file unit, its pages free; NULL (s->enomem set) on ENOMEM. */
struct famfs_small_unit *famfs_smallset_add(struct famfs_smallset *s, uint64_t unit);
void famfs_smallset_free(struct famfs_smallset *s);
/* Set pages [@pg, @pg + @npages) of @su (clamped to the unit); return how many were set. */
uint32_t famfs_small_mark(struct famfs_smallset *s, struct famfs_small_unit *su, uint32_t pg,
			  uint32_t npages);
/* First fit: the first run of @npages free pages of @su; true and its first page in *@pg. */
bool famfs_small_find(const struct famfs_small_unit *su, uint32_t npages, uint32_t *pg);

/* ---- alloc.c: the allocator, one bitmap per device of the superblock ------------------ */
struct famfs_alloc {
	uint32_t		ndevs;
	bool			small_ok;	/* OMF >= 1.2: small files get pages */
	struct famfs_bitmap	dev[FAMFS_MAX_DEVS];
	struct famfs_smallset	small[FAMFS_MAX_DEVS];	/* small-file units per device */
};
/* Bytes in use on device @dev of @a: whole units, but a small-file unit only by its pages. */
uint64_t famfs_alloc_used(const struct famfs_alloc *a, uint32_t dev);
/* Bytes at the start of device @dev that hold metadata: sb + log on 0, the header on others. */
uint64_t famfs_dev_reserved(const struct famfs_superblock *sb, uint32_t dev);
/* One bitmap per device of @sb (a valid superblock), reserved heads set. -ENOMEM. */
int famfs_alloc_init(struct famfs_alloc *a, const struct famfs_superblock *sb);
void famfs_alloc_free(struct famfs_alloc *a);
/* -ENOMEM (logged) if a bitmap of @a lost marks for want of memory, else 0. */
int famfs_alloc_error(const struct famfs_alloc *a);
/* Mark extent @x on its device (ignored if there is no such device); return the units
 * already set (a page-granular extent: 1 if its unit is not a small-file unit or one of its
 * pages is taken: a cross-link either way). */
uint64_t famfs_alloc_mark(struct famfs_alloc *a, const struct famfs_extent_omf *x);
/* A simple fmap of @size bytes on the devices of @devmask (0: all) into @fm: one extent of
 * pages in a small-file unit if @size <= FAMFS_SMALL_MAX and the file system is OMF >= 1.2
 * (first fit over the small-file units in the order first used, then a new unit), else
 * whole units.
 * -ENOSPC. */
int famfs_alloc_simple(struct famfs_alloc *a, uint64_t size, uint32_t devmask,
		       struct famfs_fmap_omf *fm);
/* An interleaved layout, already validated (famfs_file_req_why()). */
struct famfs_stripes {
	uint32_t	nstrips;
	uint64_t	chunk_size;	/* bytes */
	uint64_t	strip_len;	/* bytes, a multiple of chunk_size */
	uint32_t	devmask;	/* 0: all devices */
	uint64_t	index;		/* log index of the entry: rotates the first device */
};
/* An interleaved fmap for @st into @fm: one contiguous extent per strip. -ENOSPC. */
int famfs_alloc_interleave(struct famfs_alloc *a, const struct famfs_stripes *st,
			   struct famfs_fmap_omf *fm);

/* ---- filereq.c: checks of a file request before anything is locked or written -------- */
/* Size, flags and the interleave fields against @sb. -EINVAL / -EOPNOTSUPP, reason in @why. */
int famfs_file_req_why(const struct famfs_superblock *sb, const struct famfs_file_req *req,
		       char *why, size_t whylen);
/* Strip length of an interleaved file: roundup(@size, @chunk * @nstrips) / @nstrips. */
uint64_t famfs_strip_len(uint64_t size, uint64_t chunk, uint32_t nstrips);

/* ---- devhdr.c: what the first page of a device says ---------------------------------- */
/* Read page 0 of open @d (named @path in messages) and identify it: 0, -ENODATA, -errno. */
int famfs_dev_read_id(const struct famfs_dev *d, const char *path, struct famfs_dev_id *id);
/* Fill the device header of slot @i (>= 1) of @sb, CRC included. */
void famfs_dev_header_fill(struct famfs_daxdev_header *h, const struct famfs_superblock *sb,
			   uint32_t i);

/* ---- extent.c: checks of one logged file's fmap ------------------------------------- */
int famfs_extent_why(const struct famfs_superblock *sb, const struct famfs_extent_omf *x,
		     char *why, size_t whylen);
/* Kind, extent count and total length against fi_size (extents themselves not checked). */
int famfs_fmap_shape_why(const struct famfs_file_omf *f, char *why, size_t whylen);
/* Copy a logged path into @buf (NUL-terminated); -EINVAL if it has no NUL. */
int famfs_entry_path(const char *src, char buf[FAMFS_MAX_PATH]);

/* ---- entry.c: the rules every applied entry meets (famfs_entry_check() in libfamfs.h) -- */
enum famfs_entry_fault {
	FAMFS_ENTRY_OK,
	FAMFS_ENTRY_BAD_TYPE,	/* le_type unknown */
	FAMFS_ENTRY_BAD_PATH,	/* not NUL-terminated, or fails famfs_path_why() */
	FAMFS_ENTRY_BAD_SHAPE,	/* flags, mode, fmap kind / extent count / size */
	FAMFS_ENTRY_BAD_EXTENT,	/* an extent outside its device (only with a superblock) */
};
/* famfs_entry_check() that also says which class of rule failed (*@fault, may be NULL). */
int famfs_entry_why(const struct famfs_log_entry *e, const struct famfs_superblock *sb,
		    char *why, size_t whylen, enum famfs_entry_fault *fault);
/* The first @next extents of @fm against @sb's devices (famfs_extent_why()). -EUCLEAN. */
int famfs_entry_extents_why(const struct famfs_superblock *sb, const struct famfs_fmap_omf *fm,
			    uint32_t next, char *why, size_t whylen);

/* ---- replay.c: allocator state and path set rebuilt from the log --------------------- */
struct famfs_replay {
	const struct famfs_superblock *sb;
	struct famfs_alloc	alloc;
	struct famfs_pathset	paths;
	uint64_t		nfiles, ndirs;	/* live files (deleted ones not counted) */
	uint64_t		crosslinked_units;
	uint64_t		small_data, large_data;	/* sum of fi_size per class */
	struct famfs_deletes	deletes;	/* reclaim.c: which files are deleted, reclaimed */
};

/* ---- space.c ---------------------------------------------------------------------- */
/* Capacity, usage per device and per class of @s from allocator @a of @sb, and the file
 * bytes per class (@small_data, @large_data); nfiles/ndirs/log fields left as they are. */
void famfs_space_fill(struct famfs_space *s, const struct famfs_alloc *a,
		      const struct famfs_superblock *sb, uint64_t small_data, uint64_t large_data);
/* Is @f a small file (its one extent page-granular, OMF >= 1.2)? */
static inline bool famfs_file_is_small(const struct famfs_file_omf *f)
{
	return le32toh(f->fi_fmap.fm_nextents) >= 1 && famfs_extent_is_small(&f->fi_fmap.fm_ext[0]);
}
/* Replay entries [0, next_index); -EBADMSG at a bad entry. Free with famfs_replay_free(). */
int famfs_replay(struct famfs_media *m, struct famfs_replay *r);
void famfs_replay_free(struct famfs_replay *r);
/* Apply one entry that was just appended from @r, whose allocator already holds its extents
 * (the append session, session.c): count it and add its path. 0 or -ENOMEM. */
int famfs_replay_add(struct famfs_replay *r, const struct famfs_log_entry *e);

/* ---- append.c ---------------------------------------------------------------------- */
/* Master, writable, and (@path not NULL) a valid path; each refusal logged. -EPERM, -EROFS,
 * -EINVAL. */
int famfs_append_precheck(struct famfs_media *m, const char *path);

/* ---- session.c: the append lock and the replayed state kept while it is held ---------- */
struct famfs_append_session {
	struct famfs_media	*m;
	struct famfs_replay	r;	/* allocator and paths of entries [0, lh.next_index) */
	bool			valid;	/* r, lh and last describe the log as it is */
	struct famfs_log_header	lh;	/* the header r was built from */
	struct famfs_log_entry	last;	/* slot lh.next_index - 1 as r saw it */
	uint64_t		replays;	/* full replays done */
};
/* Make s->r current: re-read the header (checked) and the last slot; replay the whole log
 * again if either differs from what s->r was built from. Then s->valid. -errno. */
int famfs_session_sync(struct famfs_append_session *s);
/* Entry @e was just written at slot @index from s->r: keep the state in step (or drop it). */
void famfs_session_added(struct famfs_append_session *s, const struct famfs_log_entry *e);

/* ---- reclaim.c / append.c: deletes and reclaims (OMF >= 1.3) ------------------------ */
/* The shape of a DELETE or RECLAIM entry (famfs_entry_why() calls it). -EUCLEAN, @why. */
int famfs_delete_entry_why(const struct famfs_log_entry *e, const struct famfs_superblock *sb,
			   char *why, size_t whylen);
/* Under the append lock: write @e (seqnum and CRC set here) to slot @index, persist it,
 * then publish it (next_index = @index + 1). */
int famfs_append_commit(struct famfs_media *m, struct famfs_log_entry *e, uint64_t index);
/* fsck: overlaps that involve a deleted file, in log order: *@early reuses before the
 * RECLAIM, *@cross cross-links while both were live (each logged). 0 or -ENOMEM. */
int famfs_reclaim_fsck(struct famfs_media *m, const struct famfs_deletes *d, uint64_t *early,
		       uint64_t *cross);
/* Mark the extents of the deleted files still pending reclaim in @a (their space is used). */
int famfs_deletes_mark_pending(struct famfs_media *m, const struct famfs_deletes *d,
			       struct famfs_alloc *a);
/* Remove @path from the set (a DELETE); -ENOENT if absent. */
int famfs_pathset_del(struct famfs_pathset *s, const char *path);

#endif /* FAMFS_PRIV_H */
