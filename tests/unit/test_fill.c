// SPDX-License-Identifier: Apache-2.0
/* test_fill.c - seeded fill/verify: deterministic, range-independent, finds the first bad byte. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "libfamfs.h"

#define LEN 100003	/* not a multiple of 8 */

static uint8_t *filled(uint64_t seed, uint64_t off, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	cr_assert_not_null(p);
	famfs_fill_seeded(p, len, seed, off);
	return p;
}

Test(fill, roundtrip)
{
	uint8_t *a = filled(42, 0, LEN), *b = filled(42, 0, LEN);

	cr_assert(memcmp(a, b, LEN) == 0, "not deterministic");
	cr_assert_eq(famfs_verify_seeded(a, LEN, 42, 0), 0);
	cr_assert_eq(famfs_verify_seeded(a, 0, 42, 0), 0);
	free(a);
	free(b);
}

Test(fill, any_range_is_independent)
{
	static const uint64_t offs[] = { 0, 1, 7, 8, 9, 4095, 4096, 12345, LEN - 9 };
	uint8_t *whole = filled(7, 0, LEN);
	size_t i, len;

	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		for (len = 0; len <= 17 && offs[i] + len <= LEN; len++) {
			uint8_t *part = filled(7, offs[i], len);

			cr_assert(memcmp(part, whole + offs[i], len) == 0, "off %llu len %zu",
				  (unsigned long long)offs[i], len);
			cr_assert_eq(famfs_verify_seeded(whole + offs[i], len, 7, offs[i]), 0);
			free(part);
		}
	}
	free(whole);
}

Test(fill, reports_first_mismatch)
{
	uint8_t *a = filled(1, 0, LEN);

	a[12345] ^= 0x10;
	a[20000] ^= 0x01;
	cr_assert_eq(famfs_verify_seeded(a, LEN, 1, 0), 12345 + 1);
	/* a range starting at file offset 1000: the answer is a file offset */
	cr_assert_eq(famfs_verify_seeded(a + 1000, LEN - 1000, 1, 1000), 12345 + 1);
	a[0] ^= 0xff;
	cr_assert_eq(famfs_verify_seeded(a, LEN, 1, 0), 1);
	a[0] ^= 0xff;
	a[LEN - 1] ^= 0x80;
	cr_assert_eq(famfs_verify_seeded(a + 20001, LEN - 20001, 1, 20001), LEN);
	free(a);
}

/* every byte position of a word, in ranges that start and end off a word boundary */
Test(fill, finds_each_byte_of_a_word)
{
	uint8_t *a = filled(3, 0, 4096);

	for (size_t bad = 64; bad < 80; bad++)
		for (size_t start = 0; start < 9; start++) {
			a[bad] ^= 0x40;
			cr_assert_eq(famfs_verify_seeded(a + start, 4093 - start, 3, start), bad + 1,
				     "bad byte %zu, range from %zu", bad, start);
			a[bad] ^= 0x40;
		}
	cr_assert_eq(famfs_verify_seeded(a + 3, 4090, 3, 3), 0);
	free(a);
}

Test(fill, seed_and_offset_matter)
{
	uint8_t *a = filled(1, 0, 4096), *b = filled(2, 0, 4096), *c = filled(1, 4096, 4096);
	size_t i, same_ab = 0, same_ac = 0, zero = 0;

	for (i = 0; i < 4096; i++) {
		same_ab += a[i] == b[i];
		same_ac += a[i] == c[i];
		zero += a[i] == 0;
	}
	/* random bytes agree ~1/256 of the time */
	cr_assert_lt(same_ab, 64);
	cr_assert_lt(same_ac, 64);
	cr_assert_lt(zero, 64);
	cr_assert_neq(famfs_verify_seeded(b, 4096, 1, 0), 0);
	cr_assert_neq(famfs_verify_seeded(a, 4096, 1, 8), 0, "shifted data must not verify");
	free(a);
	free(b);
	free(c);
}
