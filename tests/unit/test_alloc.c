// SPDX-License-Identifier: Apache-2.0
/* test_alloc.c - the allocator: placement, alignment, no overlap, gathering, ENOSPC, space. */
#include "famfs_test.h"

TestSuite(alloc, .init = tfs_setup, .fini = tfs_teardown);

struct range {
	uint64_t off, len;
};

/* Check @e's fmap is sane and append its extents to @r (count in *n). */
static void collect(const struct famfs_log_entry *e, struct range *r, int *n)
{
	const struct famfs_fmap_omf *fm = &e->le_file.fi_fmap;
	uint64_t total = 0;
	uint32_t i;

	cr_assert_eq(le32toh(fm->fm_kind), FAMFS_FMAP_SIMPLE);
	cr_assert(fm->fm_nextents >= 1 && le32toh(fm->fm_nextents) <= FAMFS_MAX_EXTENTS);
	for (i = 0; i < le32toh(fm->fm_nextents); i++) {
		uint64_t off = le64toh(fm->fm_ext[i].ext_offset), len = le64toh(fm->fm_ext[i].ext_len);

		cr_assert_eq(le32toh(fm->fm_ext[i].ext_devindex), 0);
		if (le64toh(e->le_file.fi_size) <= FAMFS_SMALL_MAX) {	/* a small file's pages */
			cr_assert_eq(le32toh(fm->fm_nextents), 1);
			cr_assert_eq(off % FAMFS_SMALL_PAGE, 0, "offset %llu misaligned",
				     (unsigned long long)off);
			cr_assert_eq(off / UNIT, (off + len - 1) / UNIT, "crosses a unit");
		} else {
			cr_assert_eq(off % UNIT, 0, "offset %llu misaligned", (unsigned long long)off);
			cr_assert_eq(len % UNIT, 0, "length %llu misaligned", (unsigned long long)len);
		}
		cr_assert_gt(len, 0);
		cr_assert_geq(off, META_END, "extent in the superblock or log");
		r[*n] = (struct range){ off, len };
		(*n)++;
		total += len;
	}
	cr_assert_eq(total, famfs_alloc_bytes(le64toh(e->le_file.fi_size), FAMFS_OMF_MINOR));
}

static void assert_disjoint(const struct range *r, int n, uint64_t dev_size)
{
	int i, j;

	for (i = 0; i < n; i++) {
		cr_assert_leq(r[i].off + r[i].len, dev_size);
		for (j = i + 1; j < n; j++)
			cr_assert(r[i].off + r[i].len <= r[j].off || r[j].off + r[j].len <= r[i].off,
				  "extents %d and %d overlap", i, j);
	}
}

Test(alloc, first_file_starts_after_the_log)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_file(m, "a", 1, &e);		/* a small file: one page of a small-file unit */
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), META_END);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_len), FAMFS_SMALL_PAGE);
	tfs_file(m, "b", UNIT + 1, &e);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), META_END + UNIT);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_len), 2 * UNIT);
	famfs_media_close(m);
}

Test(alloc, aligned_disjoint_never_at_zero)
{
	static const uint64_t sizes[] = { 1, UNIT, UNIT + 1, 5 * MiB, 7, 3 * UNIT - 1, 40 * MiB,
					  4096, 2 * UNIT };
	struct range r[64];
	struct famfs_log_entry e;
	struct famfs_media *m;
	char p[16];
	int n = 0;
	size_t i;

	tfs_mkfs(256 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(p, sizeof(p), "f%zu", i);
		tfs_file(m, p, sizes[i], &e);
		cr_assert_eq(le64toh(e.le_file.fi_size), sizes[i]);
		collect(&e, r, &n);
	}
	assert_disjoint(r, n, 256 * MiB);
	famfs_media_close(m);
}

Test(alloc, enospc_then_exact_fill)
{
	struct famfs_file_req req = { .path = "big", .size = 56 * MiB };
	struct famfs_space s;
	struct famfs_media *m;
	uint8_t *before;

	tfs_mkfs(64 * MiB, 0);		/* 64 - 2 (sb) - 8 (log) = 54 MiB free */
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(s.free, 54 * MiB);
	before = tfs_meta_copy();
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, NULL), -ENOSPC);
	req.size = 54 * MiB + 1;
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, NULL), -ENOSPC);
	tfs_meta_unchanged(before);
	tfs_file(m, "fits", 54 * MiB, NULL);
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(s.free, 0);
	cr_assert_eq(s.used, 64 * MiB);
	req.size = 1;
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, NULL), -ENOSPC);
	tfs_dir(m, "dirs_need_no_space");
	famfs_media_close(m);
}

Test(alloc, gathers_runs_when_no_contiguous_space)
{
	struct famfs_log_entry e;
	struct famfs_media *m;
	const struct famfs_extent_omf *x = e.le_file.fi_fmap.fm_ext;

	/* 64 MiB: units 5..31 free; forge 1-unit files at units 6, 8, 10 -> runs 5,7,9,11..31 */
	tfs_mkfs(64 * MiB, 0);
	tfs_forge_file(0, "u6", 6 * UNIT, UNIT);
	tfs_forge_file(1, "u8", 8 * UNIT, UNIT);
	tfs_forge_file(2, "u10", 10 * UNIT, UNIT);
	tfs_set_next(3);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_file(m, "frag", 22 * UNIT, &e);	/* largest run is 21 units */
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_nextents), 4);
	cr_assert_eq(le64toh(x[0].ext_offset), 5 * UNIT);
	cr_assert_eq(le64toh(x[0].ext_len), UNIT);
	cr_assert_eq(le64toh(x[1].ext_offset), 7 * UNIT);
	cr_assert_eq(le64toh(x[2].ext_offset), 9 * UNIT);
	cr_assert_eq(le64toh(x[3].ext_offset), 11 * UNIT);
	cr_assert_eq(le64toh(x[3].ext_len), 19 * UNIT);
	tfs_file(m, "rest", 2 * UNIT, &e);	/* units 30, 31: first fit after the gather */
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_nextents), 1);
	cr_assert_eq(le64toh(x[0].ext_offset), 30 * UNIT);
	famfs_media_close(m);
}

Test(alloc, exact_fit_run_is_first_fit)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	/* forge a file at unit 7: free runs are 5-6 (2 units) and 8-31 */
	tfs_mkfs(64 * MiB, 0);
	tfs_forge_file(0, "u7", 7 * UNIT, UNIT);
	tfs_set_next(1);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_file(m, "three", 3 * UNIT, &e);	/* does not fit 5-6 */
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), 8 * UNIT);
	tfs_file(m, "two", 2 * UNIT, &e);	/* fits 5-6 exactly */
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_nextents), 1);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), 5 * UNIT);
	famfs_media_close(m);
}

Test(alloc, at_most_max_extents)
{
	struct famfs_file_req req = { .path = "x", .size = 33 * UNIT };
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint8_t *before;
	char p[16];
	int k;

	/* 128 MiB = 64 units: 17 free runs of 2 units (5-6, 8-9, ..., 53-54), the rest busy */
	tfs_mkfs(128 * MiB, 0);
	for (k = 0; k < 17; k++) {
		snprintf(p, sizeof(p), "busy%d", k);
		tfs_forge_file((uint64_t)k, p, (uint64_t)(7 + 3 * k) * UNIT, UNIT);
	}
	tfs_forge_file(17, "tail", 56 * UNIT, 8 * UNIT);
	tfs_set_next(18);
	m = tfs_open(FAMFS_OPEN_RDWR);
	before = tfs_meta_copy();
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, NULL), -ENOSPC, "17 runs needed");
	tfs_meta_unchanged(before);
	tfs_file(m, "sixteen", 32 * UNIT, &e);
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_nextents), FAMFS_MAX_EXTENTS);
	for (k = 0; k < FAMFS_MAX_EXTENTS; k++) {
		cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[k].ext_offset), (uint64_t)(5 + 3 * k) * UNIT);
		cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[k].ext_len), 2 * UNIT);
	}
	famfs_media_close(m);
}

Test(alloc, space_accounting)
{
	struct famfs_space s;
	struct famfs_media *m;

	tfs_mkfs(256 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "d");
	tfs_dir(m, "d/e");
	tfs_file(m, "d/e/f", 1, NULL);
	tfs_file(m, "g", 5 * MiB, NULL);
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(s.capacity, 256 * MiB);
	cr_assert_eq(s.used, META_END + 3 * UNIT + FAMFS_SMALL_PAGE);	/* f: one page */
	cr_assert_eq(s.free, 256 * MiB - META_END - 3 * UNIT - FAMFS_SMALL_PAGE);
	cr_assert_eq(s.large_bytes, 3 * UNIT);
	cr_assert_eq(s.large_data, 5 * MiB);
	cr_assert_eq(s.small_units, 1);
	cr_assert_eq(s.small_bytes, FAMFS_SMALL_PAGE);
	cr_assert_eq(s.small_data, 1);
	cr_assert_eq(s.small_free, UNIT - FAMFS_SMALL_PAGE);
	cr_assert_eq(s.metadata, META_END);
	cr_assert_eq(s.nfiles, 2);
	cr_assert_eq(s.ndirs, 2);
	cr_assert_eq(s.log_used, 4);
	cr_assert_eq(s.log_slots, famfs_log_nslots(m));
	cr_assert_eq(s.crosslinked_units, 0);
	famfs_media_close(m);
}

Test(alloc, replay_skips_crosslinked_and_foreign_space)
{
	struct famfs_log_entry e;
	struct famfs_media *m;
	struct famfs_space s;

	/* two forged files claim the same units; a new file must avoid both */
	tfs_mkfs(64 * MiB, 0);
	tfs_forge_file(0, "a", META_END, 2 * UNIT);
	tfs_forge_file(1, "b", META_END + UNIT, 2 * UNIT);
	tfs_set_next(2);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(s.crosslinked_units, 1);
	cr_assert_eq(s.used, META_END + 3 * UNIT);
	tfs_file(m, "c", 1, &e);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), META_END + 3 * UNIT);
	famfs_media_close(m);
}
