// SPDX-License-Identifier: Apache-2.0
/*
 * space.c - capacity and usage of a file system, from a replay of its log. Sits above
 * replay.c, which sits above alloc.c: no cycle between the allocator and the replay.
 */
#include <string.h>

#include "famfs_priv.h"

#define UNIT	FAMFS_ALLOC_UNIT

void famfs_space_fill(struct famfs_space *s, const struct famfs_alloc *a,
		      const struct famfs_superblock *sb, uint64_t small_data, uint64_t large_data)
{
	uint32_t i;

	s->ndevs = a->ndevs;
	s->capacity = s->used = s->metadata = s->small_units = s->small_bytes = 0;
	for (i = 0; i < s->ndevs; i++) {
		s->dev_capacity[i] = le64toh(sb->sb_devs[i].dd_size);
		s->dev_used[i] = famfs_alloc_used(a, i);
		s->capacity += s->dev_capacity[i];
		s->used += s->dev_used[i];
		s->metadata += famfs_dev_reserved(sb, i);
		s->small_units += a->small[i].n;
		s->small_bytes += a->small[i].pages * FAMFS_SMALL_PAGE;
	}
	s->free = s->capacity - s->used;
	s->large_bytes = s->used - s->metadata - s->small_bytes;
	s->small_free = s->small_units * UNIT - s->small_bytes;
	s->small_data = small_data;
	s->large_data = large_data;
}

/* famfs_space_get() - capacity, usage (total, per device, per class) and log fill, from a
 * replay. */
int famfs_space_get(struct famfs_media *m, struct famfs_space *s)
{
	struct famfs_replay r;
	int rc = famfs_replay(m, &r);

	if (rc)
		return rc;
	memset(s, 0, sizeof(*s));
	famfs_space_fill(s, &r.alloc, m->sb, r.small_data, r.large_data);
	s->nfiles = r.nfiles;
	s->ndirs = r.ndirs;
	s->log_used = famfs_log_next_index(m);
	s->log_slots = famfs_log_nslots(m);
	s->crosslinked_units = r.crosslinked_units;
	s->pending_reclaim = famfs_deletes_pending(&r.deletes);
	famfs_replay_free(&r);
	return 0;
}
