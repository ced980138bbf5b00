// SPDX-License-Identifier: Apache-2.0
/*
 * alloc.c - the allocator: one bitmap per device (bitmap.c), rebuilt from the log by
 * replay. Policies (see famfs_log_append_file() in libfamfs.h):
 *   simple      first fit of one contiguous run, devices in index order (device 0 first);
 *               failing that, the first free runs in device order, at most
 *               FAMFS_MAX_EXTENTS of them
 *   interleave  one contiguous run per strip, strip i on eligible device (index + i) mod n,
 *               falling back to the next device holding the fewest strips of the file
 *   small file  (OMF >= 1.2, size <= FAMFS_SMALL_MAX) first fit of one run of pages over
 *               the small-file units (smallunit.c) in the order they were first used, then
 *               a new unit (first free unit in device order). (The hint starts the scan; a
 *               replay and an append session leave it at the first unit, so every host and
 *               every session allocates the same way.)
 * A device is eligible when its bit is set in the request's devmask (0: all devices).
 * This file calls no other part of the library but bitmap.c and smallunit.c: replay.c calls it, never the
 * reverse (space accounting, which needs a replay, is in space.c).
 */
#include <errno.h>
#include <string.h>

#include "famfs_priv.h"

#define UNIT	FAMFS_ALLOC_UNIT

static uint64_t units_of(uint64_t bytes)
{
	return bytes / UNIT + (bytes % UNIT != 0);
}

/* famfs_dev_reserved() - metadata bytes at the start of device @dev. */
uint64_t famfs_dev_reserved(const struct famfs_superblock *sb, uint32_t dev)
{
	if (dev == 0)
		return le64toh(sb->sb_log_offset) + le64toh(sb->sb_log_len);
	return FAMFS_SB_SIZE;
}

int famfs_alloc_init(struct famfs_alloc *a, const struct famfs_superblock *sb)
{
	uint32_t i;
	int rc = 0;

	memset(a, 0, sizeof(*a));
	a->small_ok = le16toh(sb->sb_omf_minor) >= FAMFS_OMF_MINOR_SMALL;
	a->ndevs = le32toh(sb->sb_ndevs);
	if (a->ndevs > FAMFS_MAX_DEVS)
		a->ndevs = FAMFS_MAX_DEVS;
	for (i = 0; i < a->ndevs && rc == 0; i++)
		rc = famfs_bitmap_init(&a->dev[i], le64toh(sb->sb_devs[i].dd_size),
				       famfs_dev_reserved(sb, i));
	if (rc)
		famfs_alloc_free(a);
	return rc;
}

void famfs_alloc_free(struct famfs_alloc *a)
{
	uint32_t i;

	for (i = 0; i < FAMFS_MAX_DEVS; i++) {
		famfs_bitmap_free(&a->dev[i]);
		famfs_smallset_free(&a->small[i]);
	}
}

int famfs_alloc_error(const struct famfs_alloc *a)
{
	uint32_t i;

	for (i = 0; i < a->ndevs; i++) {
		if (a->dev[i].enomem || a->small[i].enomem) {
			famfs_err("device %u: out of memory for the allocation bitmap", i);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Unit @u of bitmap @b in use? */
static bool unit_used(const struct famfs_bitmap *b, uint64_t u)
{
	uint64_t at = u;

	return famfs_bitmap_next_run(b, &at) == 0 || at != u;
}

/* A page-granular extent: its pages in its unit, which must be (or become) a small-file
 * unit. Return 1 for a cross-link (the unit is whole-unit space, or a page is taken). */
static uint64_t mark_small(struct famfs_alloc *a, uint32_t dev, uint64_t off, uint64_t len)
{
	struct famfs_smallset *s = &a->small[dev];
	uint64_t u = off / UNIT;
	struct famfs_small_unit *su;

	if (u >= a->dev[dev].nunits)
		return 0;
	su = famfs_smallset_get(s, u);
	if (!su) {
		if (unit_used(&a->dev[dev], u))
			return 1;
		famfs_bitmap_mark(&a->dev[dev], u * UNIT, UNIT);
		su = famfs_smallset_add(s, u);
		if (!su)
			return 0;	/* noted: famfs_alloc_error() */
	}
	return famfs_small_mark(s, su, (uint32_t)(off % UNIT / FAMFS_SMALL_PAGE),
				(uint32_t)((len + FAMFS_SMALL_PAGE - 1) / FAMFS_SMALL_PAGE)) != 0;
}

uint64_t famfs_alloc_mark(struct famfs_alloc *a, const struct famfs_extent_omf *x)
{
	uint32_t dev = le32toh(x->ext_devindex);

	if (dev >= a->ndevs)
		return 0;
	if (famfs_extent_is_small(x))
		return mark_small(a, dev, le64toh(x->ext_offset), le64toh(x->ext_len));
	return famfs_bitmap_mark(&a->dev[dev], le64toh(x->ext_offset), le64toh(x->ext_len));
}

uint64_t famfs_alloc_used(const struct famfs_alloc *a, uint32_t dev)
{
	const struct famfs_smallset *s = &a->small[dev];

	return (famfs_bitmap_count(&a->dev[dev]) - s->n) * UNIT + s->pages * FAMFS_SMALL_PAGE;
}

static bool eligible(uint32_t devmask, uint32_t dev)
{
	return devmask == 0 || (devmask & (1U << dev));
}

/* Fill extent @x with @nunits units from unit @u of device @dev, and mark them used. */
static void take(struct famfs_alloc *a, struct famfs_extent_omf *x, uint32_t dev, uint64_t u,
		 uint64_t nunits)
{
	x->ext_devindex = htole32(dev);
	x->ext_reserved = 0;
	x->ext_offset = htole64(u * UNIT);
	x->ext_len = htole64(nunits * UNIT);
	famfs_alloc_mark(a, x);
}

/* Would the first free runs of the eligible devices, in order, gather @want units? */
static bool gather_fits(const struct famfs_alloc *a, uint64_t want, uint32_t devmask)
{
	uint64_t u, len;
	uint32_t d, n = 0;

	for (d = 0; d < a->ndevs; d++) {
		for (u = 0; eligible(devmask, d) && n < FAMFS_MAX_EXTENTS &&
		     (len = famfs_bitmap_next_run(&a->dev[d], &u)) > 0; u += len, n++) {
			if (len >= want)
				return true;
			want -= len;
		}
	}
	return false;
}

/* Take the runs gather_fits() found: @want units in at most FAMFS_MAX_EXTENTS extents. */
static uint32_t gather(struct famfs_alloc *a, uint64_t want, uint32_t devmask,
		       struct famfs_extent_omf *ext)
{
	uint64_t u, len;
	uint32_t d, n = 0;

	for (d = 0; d < a->ndevs && want > 0; d++) {
		for (u = 0; eligible(devmask, d) && want > 0 &&
		     (len = famfs_bitmap_next_run(&a->dev[d], &u)) > 0; n++) {
			if (len > want)
				len = want;
			take(a, &ext[n], d, u, len);
			want -= len;
		}
	}
	return n;
}

/* Take @npages pages at page @pg of small-file unit @su of device @dev into extent @x. */
static void take_pages(struct famfs_alloc *a, struct famfs_extent_omf *x, uint32_t dev,
		       struct famfs_small_unit *su, uint32_t pg, uint32_t npages)
{
	x->ext_devindex = htole32(dev);
	x->ext_reserved = 0;
	x->ext_offset = htole64(su->unit * UNIT + (uint64_t)pg * FAMFS_SMALL_PAGE);
	x->ext_len = htole64((uint64_t)npages * FAMFS_SMALL_PAGE);
	famfs_small_mark(&a->small[dev], su, pg, npages);
}

/* Room for @npages pages in unit @i of device @d's small-file units? Take it into @x. */
static bool small_try(struct famfs_alloc *a, uint32_t d, size_t i, uint32_t npages,
		      struct famfs_extent_omf *x)
{
	struct famfs_smallset *s = &a->small[d];
	uint32_t pg;

	if (i >= s->n || !famfs_small_find(s->v[i], npages, &pg))
		return false;
	take_pages(a, x, d, s->v[i], pg, npages);
	s->hint = i;
	return true;
}

/* A small file's one extent of @npages pages (see famfs_alloc_simple()). */
static int alloc_small(struct famfs_alloc *a, uint32_t npages, uint32_t devmask,
		       struct famfs_extent_omf *x)
{
	struct famfs_small_unit *su;
	uint32_t d;
	uint64_t u;
	size_t i;

	for (d = 0; d < a->ndevs; d++)
		if (eligible(devmask, d) && small_try(a, d, a->small[d].hint, npages, x))
			return 0;
	for (d = 0; d < a->ndevs; d++)
		for (i = 0; eligible(devmask, d) && i < a->small[d].n; i++)
			if (small_try(a, d, i, npages, x))
				return 0;
	for (d = 0; d < a->ndevs; d++) {
		if (!eligible(devmask, d) || !famfs_bitmap_find(&a->dev[d], 1, &u))
			continue;
		famfs_bitmap_mark(&a->dev[d], u * UNIT, UNIT);
		su = famfs_smallset_add(&a->small[d], u);
		if (!su)
			return -ENOMEM;
		a->small[d].hint = a->small[d].n - 1;
		take_pages(a, x, d, su, 0, npages);
		return 0;
	}
	return -ENOSPC;
}

int famfs_alloc_simple(struct famfs_alloc *a, uint64_t size, uint32_t devmask,
		       struct famfs_fmap_omf *fm)
{
	uint64_t want = units_of(size), u;
	uint32_t d, n = 0;
	int rc;

	if (want == 0)
		return -ENOSPC;
	if (a->small_ok && size <= FAMFS_SMALL_MAX) {
		rc = alloc_small(a, (uint32_t)(famfs_round_page(size) / FAMFS_SMALL_PAGE),
				 devmask, &fm->fm_ext[0]);
		if (rc)
			return rc;
		n = 1;
		goto done;
	}
	for (d = 0; d < a->ndevs && n == 0; d++) {
		if (eligible(devmask, d) && famfs_bitmap_find(&a->dev[d], want, &u)) {
			take(a, &fm->fm_ext[0], d, u, want);
			n = 1;
		}
	}
	if (n == 0 && gather_fits(a, want, devmask))
		n = gather(a, want, devmask, fm->fm_ext);
	if (n == 0)
		return -ENOSPC;
done:
	fm->fm_kind = htole32(FAMFS_FMAP_SIMPLE);
	fm->fm_nextents = htole32(n);
	fm->fm_chunk_size = 0;
	return 0;
}

/*
 * Device for the next strip: walk the @n eligible devices @elig from position @first and
 * take the first one with a run of @want units among those holding the fewest strips so
 * far (@count). Return its position (first run in *@u), or -1 if none has room.
 */
static int pick_dev(const struct famfs_alloc *a, const uint32_t *elig, uint32_t n,
		    uint32_t first, const uint32_t *count, uint64_t want, uint64_t *u)
{
	uint64_t at;
	uint32_t k;
	int best = -1;

	for (k = 0; k < n; k++) {
		uint32_t j = (first + k) % n;

		if ((best < 0 || count[j] < count[best]) &&
		    famfs_bitmap_find(&a->dev[elig[j]], want, &at)) {
			best = (int)j;
			*u = at;
		}
	}
	return best;
}

int famfs_alloc_interleave(struct famfs_alloc *a, const struct famfs_stripes *st,
			   struct famfs_fmap_omf *fm)
{
	uint32_t elig[FAMFS_MAX_DEVS], count[FAMFS_MAX_DEVS] = { 0 }, n = 0, d, i;
	uint64_t want = st->strip_len / UNIT, u = 0;

	for (d = 0; d < a->ndevs; d++)
		if (eligible(st->devmask, d))
			elig[n++] = d;
	if (n == 0 || want == 0)
		return -ENOSPC;
	for (i = 0; i < st->nstrips; i++) {
		int j = pick_dev(a, elig, n, (uint32_t)((st->index + i) % n), count, want, &u);

		if (j < 0)
			return -ENOSPC;
		take(a, &fm->fm_ext[i], elig[j], u, want);
		count[j]++;
	}
	fm->fm_kind = htole32(FAMFS_FMAP_INTERLEAVE);
	fm->fm_nextents = htole32(st->nstrips);
	fm->fm_chunk_size = htole64(st->chunk_size);
	return 0;
}
