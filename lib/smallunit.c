// SPDX-License-Identifier: Apache-2.0
/*
 * smallunit.c - the small-file units of one device (OMF >= 1.2): for each allocation unit
 * that holds small files, one bit per FAMFS_SMALL_PAGE page (set = in use). Found by unit
 * number through a libc tsearch tree (replay marks extents in log order), walked in the order
 * the units were first used (the allocator's first fit). The unit itself is also set in the
 * device's unit bitmap (bitmap.c), so no whole-unit extent can be handed out over it.
 */
#include <errno.h>
#include <search.h>
#include <stdlib.h>

#include "famfs_priv.h"

#define WORD_BITS	64

static int unit_cmp(const void *a, const void *b)
{
	const struct famfs_small_unit *x = a, *y = b;

	return (x->unit > y->unit) - (x->unit < y->unit);
}

struct famfs_small_unit *famfs_smallset_get(const struct famfs_smallset *s, uint64_t unit)
{
	struct famfs_small_unit key = { .unit = unit };
	void *const *hit = tfind(&key, &s->root, unit_cmp);

	return hit ? *(struct famfs_small_unit *const *)hit : NULL;
}

struct famfs_small_unit *famfs_smallset_add(struct famfs_smallset *s, uint64_t unit)
{
	struct famfs_small_unit *su, **grown;
	void *hit;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;

		grown = realloc(s->v, cap * sizeof(*grown));
		if (!grown)
			goto nomem;
		s->v = grown;
		s->cap = cap;
	}
	su = calloc(1, sizeof(*su));
	if (!su)
		goto nomem;
	su->unit = unit;
	hit = tsearch(su, &s->root, unit_cmp);
	if (!hit) {
		free(su);
		goto nomem;
	}
	s->v[s->n++] = su;
	return su;
nomem:
	s->enomem = true;
	return NULL;
}

static void no_free(void *p)
{
	(void)p;
}

void famfs_smallset_free(struct famfs_smallset *s)
{
	size_t i;

	tdestroy(s->root, no_free);	/* the nodes are owned by s->v */
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct famfs_smallset){ 0 };
}

static bool page_used(const struct famfs_small_unit *su, uint32_t pg)
{
	return su->pages[pg / WORD_BITS] & (1ULL << (pg % WORD_BITS));
}

uint32_t famfs_small_mark(struct famfs_smallset *s, struct famfs_small_unit *su, uint32_t pg,
			  uint32_t npages)
{
	uint32_t again = 0, end = pg + npages;

	if (end > FAMFS_UNIT_PAGES)
		end = FAMFS_UNIT_PAGES;
	for (; pg < end; pg++) {
		if (page_used(su, pg)) {
			again++;
			continue;
		}
		su->pages[pg / WORD_BITS] |= 1ULL << (pg % WORD_BITS);
		su->used++;
		s->pages++;
	}
	return again;
}

bool famfs_small_find(const struct famfs_small_unit *su, uint32_t npages, uint32_t *pg)
{
	uint32_t start = 0, p;

	if (FAMFS_UNIT_PAGES - su->used < npages)
		return false;
	for (p = 0; p < FAMFS_UNIT_PAGES; p++) {
		if (page_used(su, p)) {
			start = p + 1;
		} else if (p + 1 - start == npages) {
			*pg = start;
			return true;
		}
	}
	return false;
}
