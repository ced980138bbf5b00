// SPDX-License-Identifier: Apache-2.0
/* test_resolve.c - famfs_resolve_simple()/famfs_resolve() (the BPF resolver) at every edge. */
#include <criterion/criterion.h>

#include "famfs_resolve.h"

#define MiB (1ULL << 20)

/* 3 extents: 4 MiB on dev 0 at 10 MiB, 2 MiB on dev 1 at 100 MiB, 6 MiB on dev 2 at 2 MiB. */
static struct famfs_fmap three(void)
{
	struct famfs_fmap fm = {
		.kind = FAMFS_FMAP_SIMPLE,
		.nextents = 3,
		.size = 12 * MiB,
		.ext = {
			{ .devindex = 0, .offset = 10 * MiB, .len = 4 * MiB },
			{ .devindex = 1, .offset = 100 * MiB, .len = 2 * MiB },
			{ .devindex = 2, .offset = 2 * MiB, .len = 6 * MiB },
		},
	};
	return fm;
}

static void expect(const struct famfs_fmap *fm, __u64 off, __u32 dev, __u64 dev_off, __u64 len)
{
	struct famfs_resolved r = { .devindex = 99, .reserved = 99 };
	int rc = famfs_resolve(fm, off, &r);

	cr_assert_eq(rc, 0, "off %llu: rc %d", (unsigned long long)off, rc);
	cr_assert_eq(r.devindex, dev, "off %llu: dev %u", (unsigned long long)off, r.devindex);
	cr_assert_eq(r.dev_offset, dev_off, "off %llu: dev_offset %llu", (unsigned long long)off,
		     (unsigned long long)r.dev_offset);
	cr_assert_eq(r.len, len, "off %llu: len %llu", (unsigned long long)off,
		     (unsigned long long)r.len);
	cr_assert_eq(r.reserved, 0);
	cr_assert_eq(famfs_resolve_simple(fm, off, &r), 0);
}

static void expect_err(const struct famfs_fmap *fm, __u64 off, int err)
{
	struct famfs_resolved r = { 0 };

	cr_assert_eq(famfs_resolve(fm, off, &r), err, "off %llu", (unsigned long long)off);
	if (fm->kind == FAMFS_FMAP_SIMPLE)
		cr_assert_eq(famfs_resolve_simple(fm, off, &r), err);
}

Test(resolve, first_and_last_byte_of_each_extent)
{
	struct famfs_fmap fm = three();

	expect(&fm, 0, 0, 10 * MiB, 4 * MiB);
	expect(&fm, 4 * MiB - 1, 0, 14 * MiB - 1, 1);
	expect(&fm, 4 * MiB, 1, 100 * MiB, 2 * MiB);
	expect(&fm, 6 * MiB - 1, 1, 102 * MiB - 1, 1);
	expect(&fm, 6 * MiB, 2, 2 * MiB, 6 * MiB);
	expect(&fm, 12 * MiB - 1, 2, 8 * MiB - 1, 1);
	expect(&fm, 5 * MiB + 123, 1, 101 * MiB + 123, MiB - 123);
}

Test(resolve, at_and_past_size)
{
	struct famfs_fmap fm = three();

	expect_err(&fm, 12 * MiB, -FAMFS_ERANGE);
	expect_err(&fm, 12 * MiB + 1, -FAMFS_ERANGE);
	expect_err(&fm, ~0ULL, -FAMFS_ERANGE);
	fm.size = 5;		/* size inside the first extent: len still runs to its end */
	expect(&fm, 4, 0, 10 * MiB + 4, 4 * MiB - 4);
	expect_err(&fm, 5, -FAMFS_ERANGE);
}

Test(resolve, size_beyond_extents)
{
	struct famfs_fmap fm = three();

	fm.size = 20 * MiB;
	expect(&fm, 12 * MiB - 1, 2, 8 * MiB - 1, 1);
	expect_err(&fm, 12 * MiB, -FAMFS_ERANGE);
	expect_err(&fm, 20 * MiB - 1, -FAMFS_ERANGE);
}

Test(resolve, corrupt_fmaps)
{
	struct famfs_fmap fm = three();

	fm.nextents = 0;
	expect_err(&fm, 0, -FAMFS_EINVAL);
	fm.nextents = FAMFS_MAX_EXTENTS + 1;
	expect_err(&fm, 0, -FAMFS_EINVAL);
	fm = three();
	fm.kind = FAMFS_FMAP_INTERLEAVE;
	expect_err(&fm, 0, -FAMFS_EINVAL);
	fm.kind = 0;
	expect_err(&fm, 0, -FAMFS_EINVAL);
	fm.kind = 77;
	expect_err(&fm, 0, -FAMFS_EINVAL);
	{
		struct famfs_resolved r;

		fm.kind = FAMFS_FMAP_INTERLEAVE;
		cr_assert_eq(famfs_resolve_simple(&fm, 0, &r), -FAMFS_EINVAL);
	}
}

Test(resolve, zero_length_extent)
{
	struct famfs_fmap fm = three();

	fm.ext[1].len = 0;
	expect(&fm, 0, 0, 10 * MiB, 4 * MiB);	/* before the bad extent: still resolves */
	expect_err(&fm, 4 * MiB, -FAMFS_EINVAL);
	fm.ext[0].len = 0;
	expect_err(&fm, 0, -FAMFS_EINVAL);
}

Test(resolve, bad_device_index)
{
	struct famfs_fmap fm = three();

	fm.ext[2].devindex = FAMFS_MAX_DEVS;
	expect_err(&fm, 6 * MiB, -FAMFS_EINVAL);
	fm.ext[2].devindex = FAMFS_MAX_DEVS - 1;
	expect(&fm, 6 * MiB, FAMFS_MAX_DEVS - 1, 2 * MiB, 6 * MiB);
	fm.ext[0].devindex = ~0U;
	expect_err(&fm, 0, -FAMFS_EINVAL);
}

Test(resolve, offset_overflow)
{
	struct famfs_fmap fm = three();

	fm.ext[0].offset = ~0ULL - MiB;		/* offset + len wraps */
	expect_err(&fm, 0, -FAMFS_EINVAL);
	fm.ext[0].offset = ~0ULL - 4 * MiB;	/* ends exactly at 2^64 - 1: fine */
	expect(&fm, 4 * MiB - 1, 0, ~0ULL - 1, 1);
}

Test(resolve, max_extents)
{
	struct famfs_fmap fm = { .kind = FAMFS_FMAP_SIMPLE,
				 .nextents = FAMFS_MAX_EXTENTS,
				 .size = FAMFS_MAX_EXTENTS * 2 * MiB };
	__u32 i;

	for (i = 0; i < FAMFS_MAX_EXTENTS; i++)
		fm.ext[i] = (struct famfs_fmap_extent){ .devindex = i % FAMFS_MAX_DEVS,
							.offset = (1000 - 2 * i) * MiB,
							.len = 2 * MiB };
	for (i = 0; i < FAMFS_MAX_EXTENTS; i++) {
		expect(&fm, i * 2 * MiB, i % FAMFS_MAX_DEVS, (1000 - 2 * i) * MiB, 2 * MiB);
		expect(&fm, (i + 1) * 2 * MiB - 1, i % FAMFS_MAX_DEVS,
		       (1002 - 2 * i) * MiB - 1, 1);
	}
	expect_err(&fm, FAMFS_MAX_EXTENTS * 2 * MiB, -FAMFS_ERANGE);
}

Test(resolve, extents_past_nextents_are_ignored)
{
	struct famfs_fmap fm = three();

	fm.nextents = 2;
	fm.ext[2].len = 0;		/* garbage beyond nextents must not matter */
	fm.ext[2].devindex = 1000;
	expect(&fm, 6 * MiB - 1, 1, 102 * MiB - 1, 1);
	expect_err(&fm, 6 * MiB, -FAMFS_ERANGE);
}
