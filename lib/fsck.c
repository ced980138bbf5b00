// SPDX-License-Identifier: Apache-2.0
/*
 * fsck.c - check superblock, log header, every entry and every extent or interleave strip
 * (against its own device; cross-links per device). Each problem is
 * counted once in the report and logged once (FAMFS_MSG_ERR) naming the entry index, the
 * path and the field. Unreadable entries are reported by famfs_log_get() itself.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "famfs_priv.h"

struct fsck_ctx {
	struct famfs_media		*m;
	struct famfs_fsck_report	*r;
	struct famfs_alloc		alloc;	/* one bitmap per device: cross-links */
	struct famfs_pathset		paths;
	uint64_t			small_data, large_data;	/* fi_size per class */
	struct famfs_deletes		deletes;	/* reclaim.c: deleted, reclaimed files */
};

/* Count one problem in *@counter and in errors, and log it. */
__attribute__((format(printf, 3, 4)))
static void fsck_problem(struct fsck_ctx *c, uint64_t *counter, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(*counter)++;
	c->r->errors++;
	famfs_err("%s", msg);
}

/* Log context of entry @i's valid path: not a duplicate, parent logged. */
static void fsck_path(struct fsck_ctx *c, uint64_t i, const char *path, bool is_dir)
{
	int rc = famfs_pathset_check_new(&c->paths, path);

	if (rc == -EEXIST)
		fsck_problem(c, &c->r->bad_paths, "log entry %" PRIu64 " '%s': duplicate path",
			     i, path);
	else if (rc == -ENOENT)
		fsck_problem(c, &c->r->bad_paths, "log entry %" PRIu64
			     " '%s': parent directory not logged", i, path);
	if (famfs_pathset_add(&c->paths, path, is_dir) == -ENOMEM)
		fsck_problem(c, &c->r->bad_paths, "log entry %" PRIu64 " '%s': out of memory",
			     i, path);
}

/* Extent (or strip) @k of entry @i, inside its device: cross-links there. */
static void fsck_crosslink(struct fsck_ctx *c, uint64_t i, const char *label, uint32_t k,
			   const struct famfs_extent_omf *x)
{
	uint64_t again = famfs_alloc_mark(&c->alloc, x);

	if (again) {
		c->r->space.crosslinked_units += again;
		if (famfs_extent_is_small(x))
			fsck_problem(c, &c->r->crosslinks, "log entry %" PRIu64 "%s: fm_ext[%u] "
				     "(small file, device %u offset %" PRIu64 ") shares pages "
				     "with another file, or its unit with a whole-unit file or "
				     "the metadata", i, label, k, le32toh(x->ext_devindex),
				     (uint64_t)le64toh(x->ext_offset));
		else
			fsck_problem(c, &c->r->crosslinks, "log entry %" PRIu64 "%s: fm_ext[%u] "
				     "shares %" PRIu64 " units of device %u with another file or "
				     "the metadata", i, label, k, again,
				     le32toh(x->ext_devindex));
	}
}

/* Mark the extents of @fm that lie inside their device (the others were reported). */
static void fsck_marks(struct fsck_ctx *c, uint64_t i, const char *label,
		       const struct famfs_fmap_omf *fm)
{
	uint32_t n = le32toh(fm->fm_nextents), k;

	for (k = 0; k < n && k < FAMFS_MAX_EXTENTS; k++)
		if (famfs_extent_why(c->m->sb, &fm->fm_ext[k], NULL, 0) == 0)
			fsck_crosslink(c, i, label, k, &fm->fm_ext[k]);
}

/* Which counter a class of entry fault goes to. */
static uint64_t *fsck_counter(struct fsck_ctx *c, enum famfs_entry_fault f)
{
	switch (f) {
	case FAMFS_ENTRY_BAD_PATH:
		return &c->r->bad_paths;
	case FAMFS_ENTRY_BAD_EXTENT:
		return &c->r->bad_extents;
	default:
		return &c->r->bad_entries;
	}
}

/* The path of FILE/MKDIR entry @e into @path, or false (other type, or no NUL). */
static bool fsck_entry_path(const struct famfs_log_entry *e, char path[FAMFS_MAX_PATH])
{
	uint32_t type = le32toh(e->le_type);

	if (type == FAMFS_LOG_FILE)
		return famfs_entry_path(e->le_file.fi_path, path) == 0;
	if (type == FAMFS_LOG_MKDIR)
		return famfs_entry_path(e->le_mkdir.md_path, path) == 0;
	return false;
}

static void fsck_count(struct fsck_ctx *c, uint32_t type)
{
	c->r->space.nfiles += type == FAMFS_LOG_FILE;
	c->r->space.ndirs += type == FAMFS_LOG_MKDIR;
	c->r->void_entries += type == FAMFS_LOG_VOID;
}

/* FILE entry @i was deleted and its space reclaimed: its data no longer counts. */
static bool fsck_reclaimed(struct fsck_ctx *c, uint64_t i)
{
	const struct famfs_delete_rec *d = famfs_deletes_of_file(&c->deletes, i);

	return d && d->reclaim_index != FAMFS_NO_INDEX;
}

/* Entry @i: the entry rules (famfs_entry_why()), then its log context. */
static void fsck_entry(struct fsck_ctx *c, uint64_t i)
{
	char path[FAMFS_MAX_PATH], label[FAMFS_MAX_PATH + 4] = "", why[FAMFS_WHY_LEN];
	enum famfs_entry_fault f;
	struct famfs_log_entry e;
	uint32_t type;

	if (famfs_log_get(c->m, i, &e) != 0) {	/* logged by famfs_log_get() */
		c->r->bad_entries++;
		c->r->errors++;
		return;
	}
	type = le32toh(e.le_type);
	fsck_count(c, type);
	if (fsck_entry_path(&e, path))
		snprintf(label, sizeof(label), " '%s'", path);
	if (famfs_entry_why(&e, c->m->sb, why, sizeof(why), &f) != 0)
		fsck_problem(c, fsck_counter(c, f), "log entry %" PRIu64 "%s: %s", i,
			     f == FAMFS_ENTRY_BAD_PATH ? "" : label, why);
	if (f != FAMFS_ENTRY_BAD_PATH && (type == FAMFS_LOG_FILE || type == FAMFS_LOG_MKDIR))
		fsck_path(c, i, path, type == FAMFS_LOG_MKDIR);
	if (type == FAMFS_LOG_FILE && (f == FAMFS_ENTRY_OK || f == FAMFS_ENTRY_BAD_PATH ||
				       f == FAMFS_ENTRY_BAD_EXTENT) &&
	    !famfs_deletes_of_file(&c->deletes, i))	/* deleted: famfs_reclaim_fsck() */
		fsck_marks(c, i, label, &e.le_file.fi_fmap);
	if (type == FAMFS_LOG_FILE && f == FAMFS_ENTRY_OK && !fsck_reclaimed(c, i))
		*(famfs_file_is_small(&e.le_file) ? &c->small_data : &c->large_data) +=
			le64toh(e.le_file.fi_size);
	if (type == FAMFS_LOG_DELETE && famfs_deletes_at(&c->deletes, i)) {
		c->r->space.nfiles--;
		c->r->deleted++;
		famfs_pathset_del(&c->paths, e.le_delete.de_path);
	}
	if (type == FAMFS_LOG_VOID && f != FAMFS_ENTRY_BAD_SHAPE)
		fsck_marks(c, i, label, &e.le_void.vo_fmap);
}

/* Superblock (against the device) and log header; nothing else is trusted if they fail. */
static int fsck_headers(struct fsck_ctx *c)
{
	char why[FAMFS_WHY_LEN];

	if (famfs_sb_check(c->m->sb, c->m->dev_size, why, sizeof(why)) != 0) {
		c->r->errors++;
		famfs_err("superblock: %s", why);
		return -EUCLEAN;
	}
	if (famfs_log_header_check(famfs_lh(c->m), c->m->sb, why, sizeof(why)) != 0) {
		c->r->errors++;
		famfs_err("log header: %s", why);
		return -EUCLEAN;
	}
	return 0;
}

static void fsck_space(struct fsck_ctx *c)
{
	struct famfs_space *s = &c->r->space;

	famfs_space_fill(s, &c->alloc, c->m->sb, c->small_data, c->large_data);
	s->log_used = famfs_log_next_index(c->m);
	s->log_slots = famfs_log_nslots(c->m);
}

/* Overlaps of deleted files (in log order), and their pending space counted as used. */
static void fsck_deletes(struct fsck_ctx *c)
{
	uint64_t early, cross;

	if (famfs_reclaim_fsck(c->m, &c->deletes, &early, &cross) != 0) {
		c->r->errors++;
		famfs_err("cannot check deleted files: out of memory");
	}
	c->r->early_reuse += early;
	c->r->crosslinks += cross;
	c->r->errors += early + cross;
	famfs_deletes_mark_pending(c->m, &c->deletes, &c->alloc);
	c->r->space.pending_reclaim = famfs_deletes_pending(&c->deletes);
}

/* famfs_fsck() - 0 if clean, -EUCLEAN if problems were found (see @r and the log). */
int famfs_fsck(struct famfs_media *m, struct famfs_fsck_report *r)
{
	struct fsck_ctx c = { .m = m, .r = r };
	uint64_t next, i;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = fsck_headers(&c);
	if (rc)
		return rc;
	rc = famfs_alloc_init(&c.alloc, m->sb);
	if (rc) {
		c.r->errors++;
		famfs_err("cannot check: no memory for the allocation bitmaps: %s", strerror(-rc));
		return rc;
	}
	rc = famfs_deletes_scan(m, true, &c.deletes);	/* logs what names nothing valid */
	c.r->bad_entries += c.deletes.bad;
	c.r->errors += c.deletes.bad;
	next = famfs_log_next_index(m);
	for (i = 0; i < next; i++)
		fsck_entry(&c, i);
	if (rc == 0)
		fsck_deletes(&c);
	if (famfs_alloc_error(&c.alloc))
		c.r->errors++;
	fsck_space(&c);
	famfs_alloc_free(&c.alloc);
	famfs_pathset_free(&c.paths);
	famfs_deletes_free(&c.deletes);
	return r->errors ? -EUCLEAN : 0;
}
