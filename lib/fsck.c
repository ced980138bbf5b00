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

/* Path checks of entry @i: valid, new, parent logged. @path is NUL-terminated. */
static void fsck_path(struct fsck_ctx *c, uint64_t i, const char *path, bool is_dir)
{
	char why[FAMFS_WHY_LEN];
	int rc;

	if (famfs_path_why(path, why, sizeof(why)) != 0) {
		fsck_problem(c, &c->r->bad_paths, "log entry %" PRIu64 " '%s': bad path: %s", i,
			     path, why);
		return;
	}
	rc = famfs_pathset_check_new(&c->paths, path);
	if (rc == -EEXIST)
		fsck_problem(c, &c->r->bad_paths, "log entry %" PRIu64 " '%s': duplicate path",
			     i, path);
	else if (rc == -ENOENT)
		fsck_problem(c, &c->r->bad_paths, "log entry %" PRIu64
			     " '%s': parent directory not logged", i, path);
	famfs_pathset_add(&c->paths, path, is_dir);
}

/* The logged path of entry @i into @buf; an unterminated one is a problem. */
static void fsck_entry_path(struct fsck_ctx *c, uint64_t i, const char *src,
			    char buf[FAMFS_MAX_PATH], bool is_dir)
{
	if (famfs_entry_path(src, buf) != 0)
		fsck_problem(c, &c->r->bad_paths, "log entry %" PRIu64
			     ": path field not NUL-terminated", i);
	else
		fsck_path(c, i, buf, is_dir);
}

/* Extent (or strip) @k of file entry @i: bounds on its device, then cross-links there. */
static void fsck_extent(struct fsck_ctx *c, uint64_t i, const char *path, uint32_t k,
			const struct famfs_extent_omf *x)
{
	char why[FAMFS_WHY_LEN];
	uint64_t again;

	if (famfs_extent_why(c->m->sb, x, why, sizeof(why)) != 0) {
		fsck_problem(c, &c->r->bad_extents, "log entry %" PRIu64 " '%s': fm_ext[%u]: %s",
			     i, path, k, why);
		return;
	}
	again = famfs_alloc_mark(&c->alloc, x);
	if (again) {
		c->r->space.crosslinked_units += again;
		fsck_problem(c, &c->r->crosslinks, "log entry %" PRIu64 " '%s': fm_ext[%u] shares %"
			     PRIu64 " units of device %u with another file or the metadata", i, path,
			     k, again, le32toh(x->ext_devindex));
	}
}

static void fsck_file(struct fsck_ctx *c, uint64_t i, const struct famfs_file_omf *f)
{
	char path[FAMFS_MAX_PATH], why[FAMFS_WHY_LEN];
	uint32_t k;

	c->r->space.nfiles++;
	fsck_entry_path(c, i, f->fi_path, path, false);
	if (famfs_fmap_shape_why(f, why, sizeof(why)) != 0) {
		fsck_problem(c, &c->r->bad_entries, "log entry %" PRIu64 " '%s': %s", i, path, why);
		return;
	}
	for (k = 0; k < le32toh(f->fi_fmap.fm_nextents); k++)
		fsck_extent(c, i, path, k, &f->fi_fmap.fm_ext[k]);
}

static void fsck_entry(struct fsck_ctx *c, uint64_t i)
{
	char path[FAMFS_MAX_PATH];
	struct famfs_log_entry e;

	if (famfs_log_get(c->m, i, &e) != 0) {	/* logged by famfs_log_get() */
		c->r->bad_entries++;
		c->r->errors++;
		return;
	}
	switch (le32toh(e.le_type)) {
	case FAMFS_LOG_FILE:
		fsck_file(c, i, &e.le_file);
		break;
	case FAMFS_LOG_MKDIR:
		c->r->space.ndirs++;
		fsck_entry_path(c, i, e.le_mkdir.md_path, path, true);
		break;
	default:
		fsck_problem(c, &c->r->bad_entries, "log entry %" PRIu64 ": unknown le_type %u", i,
			     le32toh(e.le_type));
	}
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
	uint32_t d;

	s->ndevs = c->alloc.ndevs;
	for (d = 0; d < s->ndevs; d++) {
		s->dev_capacity[d] = le64toh(c->m->sb->sb_devs[d].dd_size);
		s->dev_used[d] = famfs_bitmap_count(&c->alloc.dev[d]) * FAMFS_ALLOC_UNIT;
		s->capacity += s->dev_capacity[d];
		s->used += s->dev_used[d];
	}
	s->free = s->capacity - s->used;
	s->log_used = famfs_log_next_index(c->m);
	s->log_slots = famfs_log_nslots(c->m);
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
	if (rc)
		return rc;
	next = famfs_log_next_index(m);
	for (i = 0; i < next; i++)
		fsck_entry(&c, i);
	fsck_space(&c);
	famfs_alloc_free(&c.alloc);
	famfs_pathset_free(&c.paths);
	return r->errors ? -EUCLEAN : 0;
}
