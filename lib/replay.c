// SPDX-License-Identifier: Apache-2.0
/*
 * replay.c - rebuild the allocator (one bitmap per device) and the path set from the log.
 * Tolerant of what fsck reports (cross-links; bad extents are marked as far as they lie on
 * an existing device; duplicate paths), strict about unreadable entries (-EBADMSG): an
 * entry we cannot read may own space we would hand out again. Simple extents and
 * interleaved strips are both device ranges in fm_ext[] and are marked alike.
 */
#include <errno.h>

#include "famfs_priv.h"

/* Add a logged path; duplicates are fsck's business, running out of memory is ours. */
static int replay_path(struct famfs_replay *r, const char *src, bool is_dir)
{
	char path[FAMFS_MAX_PATH];
	int rc;

	famfs_entry_path(src, path);
	rc = famfs_pathset_add(&r->paths, path, is_dir);
	return rc == -EEXIST ? 0 : rc;
}

static int replay_file(struct famfs_replay *r, const struct famfs_file_omf *f)
{
	uint32_t n = le32toh(f->fi_fmap.fm_nextents), i;

	if (n > FAMFS_MAX_EXTENTS)
		n = FAMFS_MAX_EXTENTS;
	for (i = 0; i < n; i++)
		r->crosslinked_units += famfs_alloc_mark(&r->alloc, &f->fi_fmap.fm_ext[i]);
	r->nfiles++;
	return replay_path(r, f->fi_path, false);
}

static int replay_visit(uint64_t index, const struct famfs_log_entry *e, void *arg)
{
	struct famfs_replay *r = arg;

	switch (le32toh(e->le_type)) {
	case FAMFS_LOG_FILE:
		return replay_file(r, &e->le_file);
	case FAMFS_LOG_MKDIR:
		r->ndirs++;
		return replay_path(r, e->le_mkdir.md_path, true);
	default:
		return 0;	/* unknown types own no space; fsck reports them */
	}
}

int famfs_replay(struct famfs_media *m, struct famfs_replay *r)
{
	int rc;

	*r = (struct famfs_replay){ 0 };
	rc = famfs_alloc_init(&r->alloc, m->sb);
	if (rc == 0)
		rc = famfs_log_for_each(m, 0, replay_visit, r);
	if (rc)
		famfs_replay_free(r);
	return rc;
}

void famfs_replay_free(struct famfs_replay *r)
{
	famfs_alloc_free(&r->alloc);
	famfs_pathset_free(&r->paths);
}

