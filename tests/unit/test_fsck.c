// SPDX-License-Identifier: Apache-2.0
/* test_fsck.c - fsck finds each kind of damage, counts it and logs it once. */
#include "famfs_test.h"

TestSuite(fsck, .init = tfs_setup, .fini = tfs_teardown);

/* A small file system: dir "d", files "d/a" (3 units) and "b" (1 page of a small-file unit). */
static struct famfs_media *small_fs(void)
{
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "d");
	tfs_file(m, "d/a", 5 * MiB, NULL);
	tfs_file(m, "b", 1, NULL);
	return m;
}

Test(fsck, clean)
{
	struct famfs_fsck_report r;
	struct famfs_media *m = small_fs();

	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	cr_assert_eq(r.errors + r.bad_entries + r.bad_extents + r.crosslinks + r.bad_paths, 0);
	cr_assert_eq(r.space.capacity, 64 * MiB);
	cr_assert_eq(r.space.used, META_END + 3 * UNIT + FAMFS_SMALL_PAGE);
	cr_assert_eq(r.space.free, 64 * MiB - META_END - 3 * UNIT - FAMFS_SMALL_PAGE);
	cr_assert_eq(r.space.small_units, 1);
	cr_assert_eq(r.space.small_bytes, FAMFS_SMALL_PAGE);
	cr_assert_eq(r.space.small_data, 1);
	cr_assert_eq(r.space.large_bytes, 3 * UNIT);
	cr_assert_eq(r.space.large_data, 5 * MiB);
	cr_assert_eq(r.space.nfiles, 2);
	cr_assert_eq(r.space.ndirs, 1);
	cr_assert_eq(r.space.log_used, 3);
	cr_assert_eq(r.space.log_slots, famfs_log_nslots(m));
	cr_assert_eq(T.nerr, 0);
	famfs_media_close(m);
}

Test(fsck, crosslink)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry a, b;
	struct famfs_space s;
	struct famfs_media *m = small_fs();

	tfs_entry_read(1, &a);
	tfs_entry_read(2, &b);
	/* b's unit now starts on a's second unit */
	b.le_file.fi_fmap.fm_ext[0].ext_offset =
		htole64(le64toh(a.le_file.fi_fmap.fm_ext[0].ext_offset) + UNIT);
	tfs_entry_write(2, &b, true);
	tfs_expect_one_problem(m, &r, "log entry 2", "'b'");
	cr_assert_eq(r.crosslinks, 1);
	cr_assert_eq(r.space.crosslinked_units, 1);
	cr_assert_eq(r.bad_entries + r.bad_extents + r.bad_paths, 0);
	cr_assert_eq(r.space.used, META_END + 3 * UNIT);
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(s.crosslinked_units, 1);
	famfs_media_close(m);
}

Test(fsck, extent_in_the_log_is_a_crosslink)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry b;
	struct famfs_media *m = small_fs();

	tfs_entry_read(2, &b);
	b.le_file.fi_fmap.fm_ext[0].ext_offset = htole64(LOG_OFF + UNIT);
	tfs_entry_write(2, &b, true);
	tfs_expect_one_problem(m, &r, "log entry 2", "fm_ext[0]");
	cr_assert_eq(r.crosslinks, 1);
	famfs_media_close(m);
}

Test(fsck, bad_entry_crc)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry a;
	struct famfs_media *m = small_fs();

	tfs_entry_read(1, &a);
	a.le_file.fi_size = htole64(1);	/* CRC now stale */
	tfs_entry_write(1, &a, false);
	tfs_expect_one_problem(m, &r, "entry 1", NULL);
	cr_assert_eq(r.bad_entries, 1);
	cr_assert_eq(r.space.nfiles, 1, "the unreadable entry is not counted as a file");
	famfs_media_close(m);
}

/* Rewrite extent 0 of entry 1 ("d/a") with @off/@len/@dev; expect one bad extent. */
static void bad_extent(uint64_t off, uint64_t len, uint32_t dev, const char *word)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry a;
	struct famfs_media *m = small_fs();

	tfs_entry_read(1, &a);
	a.le_file.fi_size = htole64(len ? len : 1);
	a.le_file.fi_fmap.fm_ext[0].ext_offset = htole64(off);
	a.le_file.fi_fmap.fm_ext[0].ext_len = htole64(len);
	a.le_file.fi_fmap.fm_ext[0].ext_devindex = htole32(dev);
	tfs_entry_write(1, &a, true);
	tfs_expect_one_problem(m, &r, "log entry 1 'd/a'", word);
	cr_assert_eq(r.bad_extents + r.bad_entries, 1);
	cr_assert_eq(r.crosslinks, 0);
	famfs_media_close(m);
}

Test(fsck, extent_at_offset_zero) { bad_extent(0, UNIT, 0, "ext_offset 0"); }
Test(fsck, extent_misaligned) { bad_extent(META_END + 4096, UNIT, 0, "above the 2093056 bytes"); }
Test(fsck, extent_crosses_unit) { bad_extent(META_END + UNIT - 4096, 8192, 0, "crosses a 2 MiB unit"); }
Test(fsck, extent_not_page_aligned) { bad_extent(META_END + 100, 4096, 0, "4 KiB aligned"); }
Test(fsck, extent_beyond_device) { bad_extent(62 * MiB, 2 * UNIT, 0, "dd_size"); }
Test(fsck, extent_bad_device) { bad_extent(META_END, UNIT, 3, "ext_devindex"); }

Test(fsck, extent_zero_length)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry a;
	struct famfs_media *m = small_fs();

	tfs_entry_read(1, &a);		/* 3 units, then an empty second extent */
	a.le_file.fi_fmap.fm_nextents = htole32(2);
	a.le_file.fi_fmap.fm_ext[1].ext_offset = htole64(META_END + 20 * UNIT);
	a.le_file.fi_fmap.fm_ext[1].ext_len = 0;
	tfs_entry_write(1, &a, true);
	tfs_expect_one_problem(m, &r, "log entry 1 'd/a': fm_ext[1]", "ext_len 0");
	cr_assert_eq(r.bad_extents, 1);
	famfs_media_close(m);
}

Test(fsck, size_beyond_extents)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry a;
	struct famfs_media *m = small_fs();

	tfs_entry_read(1, &a);
	a.le_file.fi_size = htole64(3 * UNIT + 1);
	tfs_entry_write(1, &a, true);
	tfs_expect_one_problem(m, &r, "log entry 1", "fi_size");
	cr_assert_eq(r.bad_entries, 1);
	famfs_media_close(m);
}

Test(fsck, bad_fmap_kind_and_count)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry a;
	struct famfs_media *m = small_fs();

	tfs_entry_read(1, &a);
	a.le_file.fi_fmap.fm_kind = htole32(3);		/* neither simple nor interleave */
	tfs_entry_write(1, &a, true);
	tfs_expect_one_problem(m, &r, "log entry 1", "fm_kind");
	a.le_file.fi_fmap.fm_kind = htole32(FAMFS_FMAP_SIMPLE);
	a.le_file.fi_fmap.fm_nextents = htole32(FAMFS_MAX_EXTENTS + 1);
	tfs_entry_write(1, &a, true);
	tfs_expect_one_problem(m, &r, "log entry 1", "fm_nextents");
	cr_assert_eq(r.bad_entries, 1);
	famfs_media_close(m);
}

Test(fsck, unknown_type)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry a;
	struct famfs_media *m = small_fs();

	tfs_entry_read(2, &a);
	a.le_type = htole32(3);		/* ADD_DAXDEV: reserved, never implemented */
	tfs_entry_write(2, &a, true);
	tfs_expect_one_problem(m, &r, "log entry 2", "le_type");
	cr_assert_eq(r.bad_entries, 1);
	famfs_media_close(m);
}

Test(fsck, duplicate_and_orphan_paths)
{
	struct famfs_fsck_report r;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	tfs_forge_dir(0, "d");
	tfs_forge_file(1, "d/x", META_END, UNIT);
	tfs_forge_file(2, "d/x", META_END + UNIT, UNIT);	/* duplicate */
	tfs_forge_dir(3, "nodir/sub");				/* parent never logged */
	tfs_forge_file(4, "d/x/y", META_END + 2 * UNIT, UNIT);	/* parent is a file */
	tfs_forge_file(5, "a/../b", META_END + 3 * UNIT, UNIT);	/* invalid */
	tfs_set_next(6);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	tfs_log_reset();
	cr_assert_eq(famfs_fsck(m, &r), -EUCLEAN);
	cr_assert_eq(r.bad_paths, 4, "%s", T.msgs);
	cr_assert_eq(r.errors, 4);
	cr_assert_eq(T.nerr, 4, "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "log entry 2 'd/x': duplicate"), "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "log entry 3 'nodir/sub': parent"), "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "log entry 4 'd/x/y': parent"), "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "log entry 5"), "%s", T.msgs);
	famfs_media_close(m);
}

Test(fsck, several_problems_counted_separately)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry a, b;
	struct famfs_media *m = small_fs();

	tfs_entry_read(1, &a);
	tfs_entry_read(2, &b);
	a.le_file.fi_fmap.fm_ext[0].ext_offset = 0;			/* bad extent */
	tfs_entry_write(1, &a, true);
	b.le_mkdir.md_path[0] ^= 1;					/* bad CRC */
	tfs_entry_write(2, &b, false);
	tfs_forge_file(3, "d", META_END + 10 * UNIT, UNIT);		/* duplicate of dir */
	tfs_forge_file(4, "c", META_END + 10 * UNIT, UNIT);		/* cross-link with 3 */
	tfs_set_next(5);
	tfs_log_reset();
	cr_assert_eq(famfs_fsck(m, &r), -EUCLEAN);
	cr_assert_eq(r.bad_extents, 1);
	cr_assert_eq(r.bad_entries, 1);
	cr_assert_eq(r.bad_paths, 1);
	cr_assert_eq(r.crosslinks, 1);
	cr_assert_eq(r.errors, 4);
	cr_assert_eq(T.nerr, 4, "%s", T.msgs);
	famfs_media_close(m);
}

Test(fsck, superblock_damaged_after_open)
{
	struct famfs_fsck_report r;
	struct famfs_superblock sb;
	struct famfs_media *m = small_fs();

	tfs_sb_read(&sb);
	sb.sb_fs_uuid[0] ^= 1;
	tfs_sb_write(&sb, false);	/* the mapping sees it */
	tfs_log_reset();
	cr_assert_eq(famfs_fsck(m, &r), -EUCLEAN);
	cr_assert_eq(r.errors, 1);
	cr_assert_not_null(strstr(T.msgs, "sb_crc"), "%s", T.msgs);
	famfs_media_close(m);
}
