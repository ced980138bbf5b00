// SPDX-License-Identifier: Apache-2.0
/*
 * bitmap.c - the allocation units (FAMFS_ALLOC_UNIT) of one device, one bit each: set =
 * in use. Rebuilt from the log each time (there is no free map on media). Sparse: the bits
 * live in 4 KiB leaves (32768 units, 64 GiB of device each) allocated when a unit in them is
 * first marked, so memory follows what the log allocates, not what a superblock claims.
 * Searches skip absent leaves and whole 64-unit words that are all used (or all free).
 */
#include <errno.h>
#include <stdlib.h>

#include "famfs_priv.h"

#define UNIT		FAMFS_ALLOC_UNIT
#define WORD_BITS	64
#define LEAF_WORDS	512
#define LEAF_UNITS	(LEAF_WORDS * WORD_BITS)

/* The word holding unit @u (0 for an absent leaf). */
static uint64_t word_of(const struct famfs_bitmap *b, uint64_t u)
{
	const uint64_t *leaf = b->leaves[u / LEAF_UNITS];

	return leaf ? leaf[(u % LEAF_UNITS) / WORD_BITS] : 0;
}

/* The word holding unit @u, its leaf allocated if need be (NULL: out of memory, noted). */
static uint64_t *word_at(struct famfs_bitmap *b, uint64_t u)
{
	uint64_t **leaf = &b->leaves[u / LEAF_UNITS];

	if (!*leaf)
		*leaf = calloc(LEAF_WORDS, sizeof(uint64_t));
	if (!*leaf) {
		b->enomem = true;
		return NULL;
	}
	return &(*leaf)[(u % LEAF_UNITS) / WORD_BITS];
}

/* famfs_bitmap_init() - units of @size bytes, [0, @reserved) marked used. */
int famfs_bitmap_init(struct famfs_bitmap *b, uint64_t size, uint64_t reserved)
{
	b->nunits = size / UNIT;
	b->nleaves = b->nunits / LEAF_UNITS + 1;
	b->enomem = false;
	b->leaves = calloc(b->nleaves, sizeof(*b->leaves));
	if (!b->leaves)
		return -ENOMEM;
	famfs_bitmap_mark(b, 0, reserved);
	if (b->enomem) {
		famfs_bitmap_free(b);
		return -ENOMEM;
	}
	return 0;
}

void famfs_bitmap_free(struct famfs_bitmap *b)
{
	uint64_t i;

	for (i = 0; b->leaves && i < b->nleaves; i++)
		free(b->leaves[i]);
	free(b->leaves);
	b->leaves = NULL;
}

/* Set the bits of @mask in the word of unit @u; return how many were set already. */
static uint64_t mark_word(struct famfs_bitmap *b, uint64_t u, uint64_t mask)
{
	uint64_t *w = word_at(b, u), again;

	if (!w)
		return 0;
	again = (uint64_t)__builtin_popcountll(*w & mask);
	*w |= mask;
	return again;
}

uint64_t famfs_bitmap_mark(struct famfs_bitmap *b, uint64_t off, uint64_t len)
{
	uint64_t last = (len > UINT64_MAX - off) ? UINT64_MAX : off + len;
	uint64_t u = off / UNIT, end = last / UNIT + (last % UNIT != 0), again = 0, n;

	if (end > b->nunits)
		end = b->nunits;
	for (; u < end; u += n) {	/* a word at a time */
		n = WORD_BITS - u % WORD_BITS;
		if (n > end - u)
			n = end - u;
		again += mark_word(b, u, (n == WORD_BITS ? ~0ULL : ((1ULL << n) - 1))
				   << (u % WORD_BITS));
	}
	return again;
}

uint64_t famfs_bitmap_count(const struct famfs_bitmap *b)
{
	uint64_t n = 0, i, j;

	for (i = 0; i < b->nleaves; i++)
		for (j = 0; b->leaves[i] && j < LEAF_WORDS; j++)
			n += (uint64_t)__builtin_popcountll(b->leaves[i][j]);
	return n;
}

/* First unit at or after @u whose bit is @used (b->nunits if none). */
static uint64_t skip_to(const struct famfs_bitmap *b, uint64_t u, bool used)
{
	uint64_t same = used ? 0 : ~0ULL;	/* a word of units to skip whole */

	while (u < b->nunits) {
		if (!b->leaves[u / LEAF_UNITS] && used)
			u = (u / LEAF_UNITS + 1) * LEAF_UNITS;	/* absent leaf: all free */
		else if (word_of(b, u) == same)
			u = (u / WORD_BITS + 1) * WORD_BITS;
		else if (!!(word_of(b, u) & (1ULL << (u % WORD_BITS))) != used)
			u++;
		else
			return u;
	}
	return b->nunits;
}

uint64_t famfs_bitmap_next_run(const struct famfs_bitmap *b, uint64_t *u)
{
	uint64_t s = skip_to(b, *u, false);

	*u = s;
	return skip_to(b, s, true) - s;
}

bool famfs_bitmap_find(const struct famfs_bitmap *b, uint64_t want, uint64_t *u)
{
	uint64_t s = 0, len;

	for (; (len = famfs_bitmap_next_run(b, &s)) > 0; s += len) {
		if (len >= want) {
			*u = s;
			return true;
		}
	}
	return false;
}
