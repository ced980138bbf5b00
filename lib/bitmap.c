// SPDX-License-Identifier: Apache-2.0
/*
 * bitmap.c - the allocation units (FAMFS_ALLOC_UNIT) of one device, one bit each: set =
 * in use. Rebuilt from the log each time (there is no free map on media). Searches skip
 * whole 64-unit words that are all used (or all free) so large devices scan quickly.
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

/* famfs_bitmap_init() - units of @size bytes, [0, @reserved) marked used. */
int famfs_bitmap_init(struct famfs_bitmap *b, uint64_t size, uint64_t reserved)
{
	b->nunits = size / UNIT;
	b->words = calloc(b->nunits / WORD_BITS + 1, sizeof(uint64_t));
	if (!b->words)
		return -ENOMEM;
	famfs_bitmap_mark(b, 0, reserved);
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

/* First unit at or after @u whose bit is @used (b->nunits if none). */
static uint64_t skip_to(const struct famfs_bitmap *b, uint64_t u, bool used)
{
	uint64_t same = used ? 0 : ~0ULL;	/* a word of units to skip whole */

	while (u < b->nunits) {
		if (b->words[u / WORD_BITS] == same)
			u = (u / WORD_BITS + 1) * WORD_BITS;
		else if (bit_test(b, u) != used)
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
