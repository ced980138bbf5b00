// SPDX-License-Identifier: Apache-2.0
/*
 * test_resolve_interleave.c - famfs_resolve_interleave() (famfs_interleave's resolver) at
 * every chunk and strip boundary, checked against an independent model of the striping, and
 * famfs_resolve_chunk() (famfs_chunkmap's resolver) against famfs_resolve().
 */
#include <criterion/criterion.h>

#include "famfs_chunkmap.h"

#define MiB (1ULL << 20)

/* 3 strips of 12 MiB, chunk 4 MiB: dev 0 @ 100 MiB, dev 1 @ 2 MiB, dev 2 @ 50 MiB. */
static struct famfs_fmap three_strips(void)
{
	struct famfs_fmap fm = {
		.kind = FAMFS_FMAP_INTERLEAVE,
		.nextents = 3,
		.chunk_size = 4 * MiB,
		.size = 36 * MiB,
		.ext = {
			{ .devindex = 0, .offset = 100 * MiB, .len = 12 * MiB },
			{ .devindex = 1, .offset = 2 * MiB, .len = 12 * MiB },
			{ .devindex = 2, .offset = 50 * MiB, .len = 12 * MiB },
		},
	};
	return fm;
}

/* The model: walk chunks in file order, dealing them to strips round-robin. */
static void model(const struct famfs_fmap *fm, __u64 off, __u32 *dev, __u64 *dev_off, __u64 *len)
{
	__u64 fill[FAMFS_MAX_EXTENTS] = { 0 }, pos = 0;
	__u32 s = 0;

	for (;;) {
		if (off < pos + fm->chunk_size) {
			*dev = fm->ext[s].devindex;
			*dev_off = fm->ext[s].offset + fill[s] + (off - pos);
			*len = pos + fm->chunk_size - off;
			return;
		}
		fill[s] += fm->chunk_size;
		pos += fm->chunk_size;
		s = (s + 1) % fm->nextents;
	}
}

static void expect_model(const struct famfs_fmap *fm, __u64 off)
{
	struct famfs_resolved r = { .reserved = 7 };
	__u32 dev;
	__u64 dev_off, len;
	int rc = famfs_resolve(fm, off, &r);

	model(fm, off, &dev, &dev_off, &len);
	cr_assert_eq(rc, 0, "off %llu: rc %d", (unsigned long long)off, rc);
	cr_assert_eq(r.devindex, dev, "off %llu: dev %u want %u", (unsigned long long)off, r.devindex, dev);
	cr_assert_eq(r.dev_offset, dev_off, "off %llu: dev_offset %llu want %llu",
		     (unsigned long long)off, (unsigned long long)r.dev_offset,
		     (unsigned long long)dev_off);
	cr_assert_eq(r.len, len, "off %llu: len", (unsigned long long)off);
	cr_assert_eq(r.reserved, 0);
}

Test(interleave, every_chunk_boundary_matches_the_model)
{
	struct famfs_fmap fm = three_strips();

	for (__u64 c = 0; c < fm.size / fm.chunk_size; c++) {
		__u64 start = c * fm.chunk_size;

		expect_model(&fm, start);
		expect_model(&fm, start + 1);
		expect_model(&fm, start + fm.chunk_size / 2);
		expect_model(&fm, start + fm.chunk_size - 1);
	}
}

Test(interleave, explicit_strip_and_stripe_positions)
{
	struct famfs_fmap fm = three_strips();
	struct famfs_resolved r;

	/* chunk 0 -> strip 0 stripe 0; chunk 1 -> strip 1; chunk 3 -> strip 0 stripe 1 */
	cr_assert_eq(famfs_resolve_interleave(&fm, 0, &r), 0);
	cr_assert(r.devindex == 0 && r.dev_offset == 100 * MiB && r.len == 4 * MiB);
	cr_assert_eq(famfs_resolve_interleave(&fm, 4 * MiB, &r), 0);
	cr_assert(r.devindex == 1 && r.dev_offset == 2 * MiB && r.len == 4 * MiB);
	cr_assert_eq(famfs_resolve_interleave(&fm, 12 * MiB + 5, &r), 0);
	cr_assert(r.devindex == 0 && r.dev_offset == 104 * MiB + 5 && r.len == 4 * MiB - 5);
	/* last byte of the file: chunk 8 -> strip 2, stripe 2 */
	cr_assert_eq(famfs_resolve_interleave(&fm, 36 * MiB - 1, &r), 0);
	cr_assert(r.devindex == 2 && r.dev_offset == 62 * MiB - 1 && r.len == 1);
}

Test(interleave, eof_and_past_the_strips)
{
	struct famfs_fmap fm = three_strips();
	struct famfs_resolved r;

	cr_assert_eq(famfs_resolve(&fm, 36 * MiB, &r), -FAMFS_ERANGE);
	cr_assert_eq(famfs_resolve(&fm, ~0ULL, &r), -FAMFS_ERANGE);
	fm.size = 40 * MiB;	/* larger than 3 strips * 12 MiB hold */
	cr_assert_eq(famfs_resolve(&fm, 36 * MiB, &r), -FAMFS_ERANGE);
	cr_assert_eq(famfs_resolve(&fm, 36 * MiB - 1, &r), 0);
}

Test(interleave, corrupt_fmaps_are_einval)
{
	struct famfs_fmap fm;
	struct famfs_resolved r;

	fm = three_strips(); fm.chunk_size = 3 * MiB;		/* not a power of two */
	cr_assert_eq(famfs_resolve(&fm, 0, &r), -FAMFS_EINVAL);
	fm = three_strips(); fm.chunk_size = MiB;		/* below 2 MiB */
	cr_assert_eq(famfs_resolve(&fm, 0, &r), -FAMFS_EINVAL);
	fm = three_strips(); fm.chunk_size = 0;
	cr_assert_eq(famfs_resolve(&fm, 0, &r), -FAMFS_EINVAL);
	fm = three_strips(); fm.nextents = 0;
	cr_assert_eq(famfs_resolve(&fm, 0, &r), -FAMFS_EINVAL);
	fm = three_strips(); fm.nextents = FAMFS_MAX_EXTENTS + 1;
	cr_assert_eq(famfs_resolve(&fm, 0, &r), -FAMFS_EINVAL);
	fm = three_strips(); fm.ext[1].len = 0;			/* chunk 1 is on strip 1 */
	cr_assert_eq(famfs_resolve(&fm, 4 * MiB, &r), -FAMFS_EINVAL);
	fm = three_strips(); fm.ext[2].devindex = FAMFS_MAX_DEVS;
	cr_assert_eq(famfs_resolve(&fm, 8 * MiB, &r), -FAMFS_EINVAL);
	fm = three_strips(); fm.ext[0].offset = ~0ULL - MiB;	/* offset + len overflows */
	cr_assert_eq(famfs_resolve(&fm, 0, &r), -FAMFS_EINVAL);
	fm = three_strips(); fm.kind = FAMFS_FMAP_SIMPLE;	/* simple walk: 36 MiB of extents */
	cr_assert_eq(famfs_resolve_interleave(&fm, 0, &r), -FAMFS_EINVAL);
}

Test(interleave, one_strip_is_linear)
{
	struct famfs_fmap fm = three_strips();

	fm.nextents = 1;
	fm.size = 12 * MiB;
	for (__u64 off = 0; off < fm.size; off += MiB / 2)
		expect_model(&fm, off);
}

/* famfs_chunkmap: units derived from an fmap resolve exactly as the fmap does. */
Test(chunkmap, units_agree_with_famfs_resolve)
{
	struct famfs_fmap fm = three_strips();
	struct famfs_chunkmap cm = { .size = fm.size, .base = 0, .nunits = 18 };
	__u32 units[18];
	struct famfs_resolved a, b;

	for (__u32 u = 0; u < cm.nunits; u++) {
		cr_assert_eq(famfs_resolve(&fm, (__u64)u << FAMFS_CHUNK_SHIFT, &a), 0);
		units[u] = famfs_chunk_unit(a.devindex, a.dev_offset);
		cr_assert_neq(units[u], 0);
	}
	for (__u64 off = 0; off < fm.size; off += 3 * MiB / 4) {
		cr_assert_eq(famfs_resolve(&fm, off, &a), 0);
		cr_assert_eq(famfs_resolve_chunk(&cm, units[off >> FAMFS_CHUNK_SHIFT], off, &b), 0);
		cr_assert_eq(a.devindex, b.devindex);
		cr_assert_eq(a.dev_offset, b.dev_offset, "off %llu", (unsigned long long)off);
		cr_assert(b.len <= a.len && b.len == FAMFS_CHUNK_SIZE - (off & (FAMFS_CHUNK_SIZE - 1)));
	}
}

Test(chunkmap, edges_and_bad_units)
{
	struct famfs_chunkmap cm = { .size = 3 * MiB, .base = 5, .nunits = 2 };
	struct famfs_resolved r;
	__u32 unit = famfs_chunk_unit(3, 64 * MiB);

	cr_assert_eq(unit, (3U << FAMFS_CHUNK_DEV_SHIFT) | 33);
	cr_assert_eq(famfs_resolve_chunk(&cm, unit, 3 * MiB - 1, &r), 0);
	cr_assert(r.devindex == 3 && r.dev_offset == 64 * MiB + MiB - 1 && r.len == MiB + 1);
	cr_assert_eq(famfs_resolve_chunk(&cm, unit, 3 * MiB, &r), -FAMFS_ERANGE);
	cm.size = 10 * MiB;	/* size beyond the units */
	cr_assert_eq(famfs_resolve_chunk(&cm, unit, 4 * MiB, &r), -FAMFS_ERANGE);
	cr_assert_eq(famfs_resolve_chunk(&cm, 0, 0, &r), -FAMFS_EINVAL);
	cr_assert_eq(famfs_chunk_unit(0, 0), 1);		/* .meta/.superblock lives there */
	cr_assert_eq(famfs_resolve_chunk(&cm, 1, 5, &r), 0);
	cr_assert(r.devindex == 0 && r.dev_offset == 5);
	cr_assert_eq(famfs_chunk_unit(0, 3 * MiB), 0);		/* unaligned */
	cr_assert_eq(famfs_chunk_unit(256, 2 * MiB), 0);	/* device does not fit */
	cr_assert_eq(famfs_chunk_unit(0, 1ULL << 45), 0);	/* 32 TiB does not fit */
	cr_assert_eq(famfs_resolve_chunk(&cm, 3U << FAMFS_CHUNK_DEV_SHIFT, 0, &r), -FAMFS_EINVAL);
}
