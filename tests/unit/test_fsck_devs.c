// SPDX-License-Identifier: Apache-2.0
/*
 * test_fsck_devs.c - fsck of a file system over several devices: extents and strips checked
 * against their own device, the interleave rules, cross-links per device, space per device.
 */
#include "famfs_test.h"

TestSuite(fsckdevs, .init = tfs_setup, .fini = tfs_teardown);

/*
 * Three devices (128, 64, 64 MiB). Entry 0: dir "d". Entry 1: "d/i", 12 MiB in 3 strips of
 * 2 MiB chunks, rotated to start on device 1: [dev 1 @2 MiB, dev 2 @2 MiB, dev 0 @META_END],
 * 4 MiB each. Entry 2: "s", simple, 4 MiB on device 1 @6 MiB.
 */
static struct famfs_media *three_devs(void)
{
	static const uint64_t sizes[] = { 128 * MiB, 64 * MiB, 64 * MiB };
	struct famfs_file_req i = { .path = "d/i", .size = 12 * MiB, .nstrips = 3,
				    .chunk_size = 2 * MiB };
	struct famfs_file_req s = { .path = "s", .size = 4 * MiB, .devmask = 0x2 };
	struct famfs_media *m;

	tfs_mkfs_devs(3, sizes);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "d");
	cr_assert_eq(famfs_log_append_file(m, &i, NULL, NULL), 0, "%s", T.msgs);
	cr_assert_eq(famfs_log_append_file(m, &s, NULL, NULL), 0, "%s", T.msgs);
	return m;
}

Test(fsckdevs, clean_with_space_per_device)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_space s;
	struct famfs_media *m = three_devs();

	tfs_entry_read(1, &e);	/* the layout three_devs() describes */
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_ext[0].ext_devindex), 1);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[1].ext_offset), 2 * MiB);
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_ext[2].ext_devindex), 0);
	/* strips at 2 MiB on devices 1 and 2: same offsets, different devices, no cross-link */
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	cr_assert_eq(r.errors, 0);
	cr_assert_eq(r.space.ndevs, 3);
	cr_assert_eq(r.space.capacity, 256 * MiB);
	cr_assert_eq(r.space.dev_capacity[1], 64 * MiB);
	cr_assert_eq(r.space.dev_used[0], META_END + 4 * MiB);
	cr_assert_eq(r.space.dev_used[1], 10 * MiB, "header + strip + simple file");
	cr_assert_eq(r.space.dev_used[2], 6 * MiB);
	cr_assert_eq(r.space.used, META_END + 20 * MiB);
	cr_assert_eq(r.space.free, 256 * MiB - META_END - 20 * MiB);
	cr_assert_eq(r.space.nfiles, 2);
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(s.used, r.space.used);
	cr_assert(memcmp(s.dev_used, r.space.dev_used, sizeof(s.dev_used)) == 0);
	cr_assert(memcmp(s.dev_capacity, r.space.dev_capacity, sizeof(s.dev_capacity)) == 0);
	famfs_media_close(m);
}

/* Rewrite strip @k of entry 1 ("d/i") to @dev/@off/@len; expect one bad extent naming @w. */
static void bad_strip(int k, uint32_t dev, uint64_t off, uint64_t len, const char *w)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_media *m = three_devs();
	char field[16];

	tfs_entry_read(1, &e);
	e.le_file.fi_fmap.fm_ext[k].ext_devindex = htole32(dev);
	e.le_file.fi_fmap.fm_ext[k].ext_offset = htole64(off);
	e.le_file.fi_fmap.fm_ext[k].ext_len = htole64(len);
	tfs_entry_write(1, &e, true);
	snprintf(field, sizeof(field), "fm_ext[%d]", k);
	tfs_expect_one_problem(m, &r, field, w);
	cr_assert_eq(r.bad_extents, 1);
	cr_assert_eq(r.crosslinks, 0);
	famfs_media_close(m);
}

Test(fsckdevs, strip_beyond_its_device) { bad_strip(0, 1, 62 * MiB, 4 * MiB, "sb_devs[1]"); }
Test(fsckdevs, strip_in_device_header) { bad_strip(1, 2, 0, 4 * MiB, "device header"); }
Test(fsckdevs, strip_misaligned) { bad_strip(1, 2, 30 * MiB + 4096, 4 * MiB, "aligned"); }
Test(fsckdevs, strip_on_missing_device) { bad_strip(2, 3, 10 * MiB, 4 * MiB, "ext_devindex 3"); }

Test(fsckdevs, crosslink_on_device_1)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_media *m = three_devs();

	tfs_entry_read(2, &e);		/* "s" now starts inside strip 0 of "d/i" */
	e.le_file.fi_fmap.fm_ext[0].ext_offset = htole64(4 * MiB);
	tfs_entry_write(2, &e, true);
	tfs_expect_one_problem(m, &r, "log entry 2 's'", "device 1");
	cr_assert_eq(r.crosslinks, 1);
	cr_assert_eq(r.space.crosslinked_units, 1);
	cr_assert_eq(r.space.dev_used[1], 8 * MiB);
	cr_assert_eq(r.bad_extents + r.bad_entries, 0);
	famfs_media_close(m);
}

Test(fsckdevs, strips_of_one_file_crosslinked)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_media *m = three_devs();

	tfs_entry_read(1, &e);		/* strip 1 moved onto strip 0's device and range */
	e.le_file.fi_fmap.fm_ext[1] = e.le_file.fi_fmap.fm_ext[0];
	tfs_entry_write(1, &e, true);
	tfs_expect_one_problem(m, &r, "fm_ext[1]", "device 1");
	cr_assert_eq(r.crosslinks, 1);
	cr_assert_eq(r.space.crosslinked_units, 2);
	famfs_media_close(m);
}

/* Change entry 1's fmap with @fn; expect one bad entry naming @w. */
static void bad_rule(void (*fn)(struct famfs_fmap_omf *), const char *w)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_media *m = three_devs();

	tfs_entry_read(1, &e);
	fn(&e.le_file.fi_fmap);
	tfs_entry_write(1, &e, true);
	tfs_expect_one_problem(m, &r, "log entry 1 'd/i'", w);
	cr_assert_eq(r.bad_entries, 1);
	famfs_media_close(m);
}

static void chunk_3m(struct famfs_fmap_omf *fm) { fm->fm_chunk_size = htole64(3 * MiB); }
static void chunk_1m(struct famfs_fmap_omf *fm) { fm->fm_chunk_size = htole64(MiB); }
static void chunk_0(struct famfs_fmap_omf *fm) { fm->fm_chunk_size = 0; }
static void chunk_8m(struct famfs_fmap_omf *fm) { fm->fm_chunk_size = htole64(8 * MiB); }
static void unequal(struct famfs_fmap_omf *fm) { fm->fm_ext[2].ext_len = htole64(2 * MiB); }
static void short_strips(struct famfs_fmap_omf *fm)
{
	fm->fm_nextents = htole32(2);	/* 2 x 4 MiB < 12 MiB */
	memset(&fm->fm_ext[2], 0, sizeof(fm->fm_ext[2]));
}
static void simple_with_chunk(struct famfs_fmap_omf *fm)
{
	fm->fm_kind = htole32(FAMFS_FMAP_SIMPLE);	/* 3 x 4 MiB still cover 12 MiB */
}
static void seventeen(struct famfs_fmap_omf *fm) { fm->fm_nextents = htole32(17); }

Test(fsckdevs, chunk_not_pow2) { bad_rule(chunk_3m, "fm_chunk_size 3145728"); }
Test(fsckdevs, chunk_below_unit) { bad_rule(chunk_1m, "fm_chunk_size 1048576"); }
Test(fsckdevs, chunk_zero) { bad_rule(chunk_0, "fm_chunk_size 0"); }
Test(fsckdevs, strip_not_whole_chunks) { bad_rule(chunk_8m, "multiple of fm_chunk_size"); }
Test(fsckdevs, strips_unequal) { bad_rule(unequal, "fm_ext[2].ext_len"); }
Test(fsckdevs, strips_too_short) { bad_rule(short_strips, "fi_size"); }
Test(fsckdevs, simple_fmap_with_chunk) { bad_rule(simple_with_chunk, "simple fmap"); }
Test(fsckdevs, too_many_strips) { bad_rule(seventeen, "fm_nextents 17"); }

Test(fsckdevs, replay_avoids_every_device_strip)
{
	struct famfs_file_req req = { .path = "n", .size = 4 * MiB, .devmask = 0x4 };
	struct famfs_log_entry e;
	struct famfs_media *m = three_devs();

	famfs_media_close(m);
	m = tfs_open(FAMFS_OPEN_RDWR);	/* a fresh handle rebuilds the bitmaps from the log */
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, &e), 0, "%s", T.msgs);
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_ext[0].ext_devindex), 2);
	cr_assert_eq(le64toh(e.le_file.fi_fmap.fm_ext[0].ext_offset), 6 * MiB);
	famfs_media_close(m);
}
