// SPDX-License-Identifier: Apache-2.0
/*
 * space.c - capacity and usage of a file system, from a replay of its log. Sits above
 * replay.c, which sits above alloc.c: no cycle between the allocator and the replay.
 */
#include <string.h>

#include "famfs_priv.h"

#define UNIT	FAMFS_ALLOC_UNIT

/* famfs_space_get() - capacity, usage (total and per device) and log fill, from a replay. */
int famfs_space_get(struct famfs_media *m, struct famfs_space *s)
{
	struct famfs_replay r;
	uint32_t i;
	int rc = famfs_replay(m, &r);

	if (rc)
		return rc;
	memset(s, 0, sizeof(*s));
	s->ndevs = r.alloc.ndevs;
	for (i = 0; i < s->ndevs; i++) {
		s->dev_capacity[i] = le64toh(m->sb->sb_devs[i].dd_size);
		s->dev_used[i] = famfs_bitmap_count(&r.alloc.dev[i]) * UNIT;
		s->capacity += s->dev_capacity[i];
		s->used += s->dev_used[i];
	}
	s->free = s->capacity - s->used;
	s->nfiles = r.nfiles;
	s->ndirs = r.ndirs;
	s->log_used = famfs_log_next_index(m);
	s->log_slots = famfs_log_nslots(m);
	s->crosslinked_units = r.crosslinked_units;
	famfs_replay_free(&r);
	return 0;
}
