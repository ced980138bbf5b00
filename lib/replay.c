// SPDX-License-Identifier: Apache-2.0
/*
 * replay.c - rebuild the allocator (one bitmap per device) and the path set from the log.
 * Tolerant of what fsck reports: the extents of every FILE and VOID entry are marked as far
 * as they lie on an existing device, valid entry or not (space an entry may own is never
 * handed out again), but only the paths of entries that pass famfs_entry_check() join the
 * path set; duplicates are fsck's business. Strict about unreadable entries (-EBADMSG): an
 * entry we cannot read may own space we would hand out again (fsck --repair voids it).
 * Deletes (reclaim.c's scan, done first): a deleted file leaves the path set and the file
 * count at its DELETE; its extents stay marked unless a RECLAIM freed them.
 * Calls alloc.c; alloc.c never calls back.
 */
#include <errno.h>

#include "famfs_priv.h"

/* Add a logged path; duplicates are fsck's business, running out of memory is ours. */
static int replay_path(struct famfs_replay *r, const char *path, bool is_dir)
{
	int rc = famfs_pathset_add(&r->paths, path, is_dir);

	return rc == -EEXIST ? 0 : rc;
}

static void replay_mark(struct famfs_replay *r, const struct famfs_fmap_omf *fm)
{
	uint32_t n = le32toh(fm->fm_nextents), i;

	if (n > FAMFS_MAX_EXTENTS)
		n = FAMFS_MAX_EXTENTS;
	for (i = 0; i < n; i++)
		r->crosslinked_units += famfs_alloc_mark(&r->alloc, &fm->fm_ext[i]);
}

/* Count @e and add its path (if it passes the rules); @mark: also mark its extents. */
static int replay_one(struct famfs_replay *r, const struct famfs_log_entry *e, bool mark)
{
	bool valid = famfs_entry_check(e, r->sb, NULL, 0) == 0;
	uint64_t index = le64toh(e->le_seqnum);	/* checked by famfs_log_get() or set by the append */
	const struct famfs_delete_rec *del;
	bool reclaimed;

	switch (le32toh(e->le_type)) {
	case FAMFS_LOG_FILE:
		del = famfs_deletes_of_file(&r->deletes, index);
		reclaimed = del && del->reclaim_index != FAMFS_NO_INDEX;
		if (mark && !reclaimed)	/* a reclaimed file's space is free, its data gone */
			replay_mark(r, &e->le_file.fi_fmap);
		r->nfiles++;
		if (valid && !reclaimed)
			*(famfs_file_is_small(&e->le_file) ? &r->small_data : &r->large_data) +=
				le64toh(e->le_file.fi_size);
		return valid ? replay_path(r, e->le_file.fi_path, false) : 0;
	case FAMFS_LOG_DELETE:
		if (!famfs_deletes_at(&r->deletes, index))
			return 0;	/* names nothing valid: no effect */
		r->nfiles--;
		famfs_pathset_del(&r->paths, e->le_delete.de_path);
		return 0;
	case FAMFS_LOG_MKDIR:
		r->ndirs++;
		return valid ? replay_path(r, e->le_mkdir.md_path, true) : 0;
	case FAMFS_LOG_VOID:
		if (mark)
			replay_mark(r, &e->le_void.vo_fmap);
		return 0;
	default:
		return 0;	/* unknown types own no space; fsck reports them */
	}
}

static int replay_visit(uint64_t index, const struct famfs_log_entry *e, void *arg)
{
	return replay_one(arg, e, true);
}

/* famfs_replay_add() - account entry @e just appended from @r (its extents already taken
 * from r->alloc): the state a replay including @e would give. */
int famfs_replay_add(struct famfs_replay *r, const struct famfs_log_entry *e)
{
	return replay_one(r, e, false);
}

/* famfs_replay() - allocator and path set from entries [0, next_index). */
int famfs_replay(struct famfs_media *m, struct famfs_replay *r)
{
	int rc;

	*r = (struct famfs_replay){ .sb = m->sb };
	rc = famfs_deletes_scan(m, false, &r->deletes);
	if (rc)
		return rc;
	rc = famfs_alloc_init(&r->alloc, m->sb);
	if (rc == 0)
		rc = famfs_log_for_each(m, 0, replay_visit, r);
	if (rc == 0)
		rc = famfs_alloc_error(&r->alloc);
	if (rc)
		famfs_replay_free(r);
	return rc;
}

void famfs_replay_free(struct famfs_replay *r)
{
	famfs_alloc_free(&r->alloc);
	famfs_pathset_free(&r->paths);
	famfs_deletes_free(&r->deletes);
}
