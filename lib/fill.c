// SPDX-License-Identifier: Apache-2.0
/*
 * fill.c - seeded pseudo-random file contents (creat -r / verify). The 8-byte word at file
 * offset 8*w is splitmix64 of (seed + (w + 1) * golden ratio), stored little-endian; a byte
 * depends only on (seed, its offset), so any range can be filled or checked on its own.
 */
#include <string.h>

#include "famfs_priv.h"

#define SPLITMIX_GAMMA 0x9e3779b97f4a7c15ULL

static uint64_t famfs_fill_word(uint64_t seed, uint64_t w)
{
	uint64_t z = seed + (w + 1) * SPLITMIX_GAMMA;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return htole64(z ^ (z >> 31));
}

/* The expected byte at file offset @o. */
static uint8_t famfs_fill_byte(uint64_t seed, uint64_t o)
{
	uint64_t w = famfs_fill_word(seed, o / 8);

	return ((const uint8_t *)&w)[o % 8];
}

/* famfs_fill_seeded() - write the contents of file bytes [@file_off, +@len) into @buf. */
void famfs_fill_seeded(void *buf, size_t len, uint64_t seed, uint64_t file_off)
{
	uint8_t *p = buf;
	size_t i = 0;

	for (; i < len && (file_off + i) % 8; i++)
		p[i] = famfs_fill_byte(seed, file_off + i);
	for (; i + 8 <= len; i += 8) {
		uint64_t w = famfs_fill_word(seed, (file_off + i) / 8);

		memcpy(p + i, &w, 8);
	}
	for (; i < len; i++)
		p[i] = famfs_fill_byte(seed, file_off + i);
}

/*
 * famfs_verify_seeded() - 0 if @buf matches, else the first bad file offset + 1. Whole
 * words are read 8 bytes at a time (one load each: on memory that every access goes out to,
 * such as CXL memory under emulation, a byte loop costs eight times as much).
 */
uint64_t famfs_verify_seeded(const void *buf, size_t len, uint64_t seed, uint64_t file_off)
{
	const uint8_t *p = buf;
	size_t i = 0;

	for (; i < len && (file_off + i) % 8; i++)
		if (p[i] != famfs_fill_byte(seed, file_off + i))
			return file_off + i + 1;
	for (; i + 8 <= len; i += 8) {
		uint64_t got, want = famfs_fill_word(seed, (file_off + i) / 8);

		memcpy(&got, p + i, 8);
		if (got != want)
			break;	/* the byte loop below names the first bad byte */
	}
	for (; i < len; i++)
		if (p[i] != famfs_fill_byte(seed, file_off + i))
			return file_off + i + 1;
	return 0;
}
