// SPDX-License-Identifier: Apache-2.0
/*
 * alloc.c - the allocator: a bitmap of FAMFS_ALLOC_UNIT units of device 0, rebuilt from the
 * log each time (there is no free map on media). Allocation is first fit of one contiguous
 * run; failing that, the first free runs in device order, at most FAMFS_MAX_EXTENTS of them.
 */
#include <errno.h>
#include <stdlib.h>

#include "famfs_priv.h"

#define UNIT		FAMFS_ALLOC_UNIT
#define WORD_BITS	64

static bool bit_test(const struct famfs_bitmap *b, uint64_t u)
{
	return b->words[u / WORD_BITS] & (1ULL << (u % WORD_BITS));
}

static void bit_set(struct famfs_bitmap *b, uint64_t u)
{
	b->words[u / WORD_BITS] |= 1ULL << (u % WORD_BITS);
}

int famfs_bitmap_init(struct famfs_bitmap *b, const struct famfs_superblock *sb)
{
	uint64_t meta_end = le64toh(sb->sb_log_offset) + le64toh(sb->sb_log_len);

	b->nunits = le64toh(sb->sb_devs[0].dd_size) / UNIT;
	b->words = calloc(b->nunits / WORD_BITS + 1, sizeof(uint64_t));
	if (!b->words)
		return -ENOMEM;
	famfs_bitmap_mark(b, 0, meta_end);
	return 0;
}

void famfs_bitmap_free(struct famfs_bitmap *b)
{
	free(b->words);
	b->words = NULL;
}

uint64_t famfs_bitmap_mark(struct famfs_bitmap *b, uint64_t off, uint64_t len)
{
	uint64_t last = (len > UINT64_MAX - off) ? UINT64_MAX : off + len;
	uint64_t u = off / UNIT, end = last / UNIT + (last % UNIT != 0), again = 0;

	if (end > b->nunits)
		end = b->nunits;
	for (; u < end; u++) {
		again += bit_test(b, u);
		bit_set(b, u);
	}
	return again;
}

uint64_t famfs_bitmap_count(const struct famfs_bitmap *b)
{
	uint64_t n = 0, i;

	for (i = 0; i <= b->nunits / WORD_BITS; i++)
		n += (uint64_t)__builtin_popcountll(b->words[i]);
	return n;
}

/* Next free run at or after unit *u: its start in *u, its length returned (0: none). */
static uint64_t next_run(const struct famfs_bitmap *b, uint64_t *u)
{
	uint64_t s = *u, e;

	while (s < b->nunits && bit_test(b, s))
		s++;
	for (e = s; e < b->nunits && !bit_test(b, e); e++)
		;
	*u = s;
	return e - s;
}

static void put_extent(struct famfs_extent_omf *x, uint64_t unit, uint64_t nunits)
{
	x->ext_devindex = 0;
	x->ext_reserved = 0;
	x->ext_offset = htole64(unit * UNIT);
	x->ext_len = htole64(nunits * UNIT);
}

/* First free run of at least @want units: one extent. */
static bool alloc_contiguous(const struct famfs_bitmap *b, uint64_t want,
			     struct famfs_extent_omf *x)
{
	uint64_t u = 0, len;

	for (; (len = next_run(b, &u)) > 0; u += len) {
		if (len >= want) {
			put_extent(x, u, want);
			return true;
		}
	}
	return false;
}

/* The first free runs in order until @want units are gathered, at most MAX_EXTENTS. */
static bool alloc_gather(const struct famfs_bitmap *b, uint64_t want,
			 struct famfs_extent_omf ext[FAMFS_MAX_EXTENTS], uint32_t *next)
{
	uint64_t u = 0, len;
	uint32_t n = 0;

	while (want > 0 && n < FAMFS_MAX_EXTENTS && (len = next_run(b, &u)) > 0) {
		if (len > want)
			len = want;
		put_extent(&ext[n++], u, len);
		want -= len;
		u += len;
	}
	*next = n;
	return want == 0;
}

int famfs_bitmap_alloc(struct famfs_bitmap *b, uint64_t size,
		       struct famfs_extent_omf ext[FAMFS_MAX_EXTENTS], uint32_t *next)
{
	uint64_t want = size / UNIT + (size % UNIT != 0);
	uint32_t i;

	if (want == 0 || want > b->nunits)
		return -ENOSPC;
	if (alloc_contiguous(b, want, &ext[0]))
		*next = 1;
	else if (!alloc_gather(b, want, ext, next))
		return -ENOSPC;
	for (i = 0; i < *next; i++)
		famfs_bitmap_mark(b, le64toh(ext[i].ext_offset), le64toh(ext[i].ext_len));
	return 0;
}

/* famfs_space_get() - capacity, usage and log fill, rebuilt from the log. */
int famfs_space_get(struct famfs_media *m, struct famfs_space *s)
{
	struct famfs_replay r;
	int rc = famfs_replay(m, &r);

	if (rc)
		return rc;
	s->capacity = le64toh(m->sb->sb_devs[0].dd_size);
	s->used = famfs_bitmap_count(&r.bm) * UNIT;
	s->free = s->capacity - s->used;
	s->nfiles = r.nfiles;
	s->ndirs = r.ndirs;
	s->log_used = famfs_log_next_index(m);
	s->log_slots = famfs_log_nslots(m);
	s->crosslinked_units = r.crosslinked_units;
	famfs_replay_free(&r);
	return 0;
}
