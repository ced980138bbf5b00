// SPDX-License-Identifier: Apache-2.0
/*
 * test_small.c - small files (OMF 1.2): packed at page granularity into small-file units,
 * never sharing a page, never in whole-unit space; the entry rules; cross-links at page
 * granularity; space per class; older file systems keep whole units.
 */
#include "famfs_test.h"

TestSuite(small, .init = tfs_setup, .fini = tfs_teardown);

#define PAGE	FAMFS_SMALL_PAGE

static uint64_t ext_off(const struct famfs_log_entry *e) { return le64toh(e->le_file.fi_fmap.fm_ext[0].ext_offset); }
static uint64_t ext_len(const struct famfs_log_entry *e) { return le64toh(e->le_file.fi_fmap.fm_ext[0].ext_len); }

Test(small, packed_side_by_side_in_one_unit)
{
	static const uint64_t sizes[] = { 1, 4095, 4096, 4097, 100, 3 * PAGE + 1, 9000 };
	struct famfs_log_entry e;
	struct famfs_media *m;
	uint64_t at = META_END;
	char p[16];
	size_t i;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(p, sizeof(p), "s%zu", i);
		tfs_file(m, p, sizes[i], &e);
		cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_nextents), 1);
		cr_assert_eq(ext_off(&e), at, "file %zu placed at %llu, next free page is %llu", i,
			     (unsigned long long)ext_off(&e), (unsigned long long)at);
		cr_assert_eq(ext_len(&e), famfs_round_page(sizes[i]));
		at += ext_len(&e);
	}
	famfs_media_close(m);
}

Test(small, large_files_keep_whole_units_after_small_ones)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_file(m, "tiny", 10, &e);		/* opens a small-file unit at META_END */
	tfs_file(m, "big", FAMFS_SMALL_MAX + 1, &e);	/* above the threshold: a whole unit */
	cr_assert_eq(ext_off(&e), META_END + UNIT);
	cr_assert_eq(ext_len(&e), UNIT);
	tfs_file(m, "tiny2", 10, &e);		/* back into the small-file unit */
	cr_assert_eq(ext_off(&e), META_END + PAGE);
	famfs_media_close(m);
}

Test(small, full_unit_opens_the_next)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_file(m, "a", FAMFS_SMALL_MAX, &e);	/* 511 pages */
	cr_assert_eq(ext_off(&e), META_END);
	tfs_file(m, "b", 2 * PAGE, &e);		/* does not fit the last page */
	cr_assert_eq(ext_off(&e), META_END + UNIT);
	tfs_file(m, "c", PAGE, &e);		/* first fit: the last page of the first unit */
	cr_assert_eq(ext_off(&e), META_END + FAMFS_SMALL_MAX);
	famfs_media_close(m);
}

Test(small, replay_resumes_packing)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_file(m, "a", 5000, NULL);
	famfs_media_close(m);
	m = tfs_open(FAMFS_OPEN_RDWR);		/* fresh replay: the pages of "a" are taken */
	tfs_file(m, "b", 1, &e);
	cr_assert_eq(ext_off(&e), META_END + 2 * PAGE);
	famfs_media_close(m);
}

Test(small, devmask_is_honoured)
{
	static const uint64_t sizes[] = { 64 * MiB, 32 * MiB };
	struct famfs_file_req req = { .path = "on1", .size = 100, .mode = 0644, .devmask = 2 };
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs_devs(2, sizes);
	m = tfs_open(FAMFS_OPEN_RDWR);
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, &e), 0, "%s", T.msgs);
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_ext[0].ext_devindex), 1);
	cr_assert_eq(ext_off(&e), FAMFS_SB_SIZE);
	cr_assert_eq(ext_len(&e), PAGE);
	famfs_media_close(m);
}

Test(small, older_file_system_keeps_whole_units)
{
	struct famfs_log_entry e;
	struct famfs_fsck_report r;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	tfs_set_minor(FAMFS_OMF_MINOR_SMALL - 1);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_file(m, "a", 1, &e);
	cr_assert_eq(ext_off(&e), META_END);
	cr_assert_eq(ext_len(&e), UNIT, "an OMF 1.1 file system is never given small extents");
	famfs_media_close(m);
	tfs_entry_read(0, &e);			/* forge a page-granular extent into it */
	e.le_file.fi_fmap.fm_ext[0].ext_len = htole64(PAGE);
	tfs_entry_write(0, &e, true);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	tfs_expect_one_problem(m, &r, "log entry 0 'a'", "not 2 MiB aligned");
	cr_assert_eq(r.bad_extents, 1);
	famfs_media_close(m);
}

/* Forge file entries (next_index set) and expect fsck to find @crosslinks cross-links. */
static void forge_and_fsck(const struct famfs_log_entry *e, int n, uint64_t crosslinks,
			   const char *word)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry x;
	struct famfs_media *m;
	int i;

	tfs_mkfs(64 * MiB, 0);
	for (i = 0; i < n; i++) {
		x = e[i];
		x.le_seqnum = htole64((uint64_t)i);
		tfs_entry_write((uint64_t)i, &x, true);
	}
	tfs_set_next((uint64_t)n);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	tfs_log_reset();
	cr_assert_eq(famfs_fsck(m, &r), crosslinks ? -EUCLEAN : 0, "%s", T.msgs);
	cr_assert_eq(r.crosslinks, crosslinks, "%s", T.msgs);
	if (word)
		cr_assert_not_null(strstr(T.msgs, word), "'%s' not in: %s", word, T.msgs);
	famfs_media_close(m);
}

Test(small, disjoint_pages_are_clean)
{
	struct famfs_log_entry e[] = { tfs_file_entry("a", META_END, PAGE),
				       tfs_file_entry("b", META_END + PAGE, 2 * PAGE),
				       tfs_file_entry("c", META_END + UNIT, UNIT) };

	forge_and_fsck(e, 3, 0, NULL);
}

Test(small, shared_page_is_a_crosslink)
{
	struct famfs_log_entry e[] = { tfs_file_entry("a", META_END, 2 * PAGE),
				       tfs_file_entry("b", META_END + PAGE, PAGE) };

	forge_and_fsck(e, 2, 1, "log entry 1 'b': fm_ext[0] (small file, device 0");
}

Test(small, whole_unit_over_a_small_file_unit)
{
	struct famfs_log_entry e[] = { tfs_file_entry("a", META_END + 5 * PAGE, PAGE),
				       tfs_file_entry("b", META_END, UNIT) };

	forge_and_fsck(e, 2, 1, "log entry 1 'b': fm_ext[0] shares 1 units");
}

Test(small, small_file_inside_a_whole_unit)
{
	struct famfs_log_entry e[] = { tfs_file_entry("a", META_END, 2 * UNIT),
				       tfs_file_entry("b", META_END + UNIT + PAGE, PAGE) };

	forge_and_fsck(e, 2, 1, "log entry 1 'b'");
}

Test(small, small_file_in_the_log)
{
	struct famfs_log_entry e[] = { tfs_file_entry("a", LOG_OFF + UNIT, PAGE) };

	forge_and_fsck(e, 1, 1, "the metadata");
}

/* Entry rules: expect famfs_entry_check() to refuse @e naming @word. */
static void expect_refused(struct famfs_log_entry e, const char *word)
{
	struct famfs_superblock sb;
	char why[256] = "";

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&sb);
	cr_assert_eq(famfs_entry_check(&e, &sb, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, word), "'%s' not in '%s'", word, why);
}

Test(small, rule_one_extent_only)
{
	struct famfs_log_entry e = tfs_file_entry("a", META_END, PAGE);

	e.le_file.fi_fmap.fm_nextents = htole32(2);
	e.le_file.fi_fmap.fm_ext[1] = e.le_file.fi_fmap.fm_ext[0];
	e.le_file.fi_fmap.fm_ext[1].ext_offset = htole64(META_END + UNIT);
	e.le_file.fi_size = htole64(2 * PAGE);
	expect_refused(e, "only the one extent of a small file");
}

Test(small, rule_length_is_size_rounded_to_a_page)
{
	struct famfs_log_entry e = tfs_file_entry("a", META_END, 3 * PAGE);

	e.le_file.fi_size = htole64(100);	/* 3 pages for 100 bytes: reaches past its own */
	expect_refused(e, "not fi_size 100 rounded up to 4 KiB");
}

Test(small, rule_not_across_units)
{
	expect_refused(tfs_file_entry("a", META_END + UNIT - PAGE, 2 * PAGE), "crosses a 2 MiB unit");
}

Test(small, rule_page_aligned)
{
	expect_refused(tfs_file_entry("a", META_END + 512, PAGE), "4 KiB aligned");
}

Test(small, space_per_class)
{
	struct famfs_fsck_report r;
	struct famfs_space s;
	struct famfs_media *m;
	char p[16];
	int i;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	for (i = 0; i < 600; i++) {		/* 600 one-page files: two small-file units */
		snprintf(p, sizeof(p), "f%d", i);
		tfs_file(m, p, 10, NULL);
	}
	tfs_file(m, "big", 3 * MiB, NULL);
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	cr_assert_eq(memcmp(&s, &r.space, sizeof(s)), 0, "famfs_space_get and fsck disagree");
	cr_assert_eq(s.small_units, 2);
	cr_assert_eq(s.small_bytes, 600 * PAGE);
	cr_assert_eq(s.small_data, 600 * 10);
	cr_assert_eq(s.small_free, 2 * UNIT - 600 * PAGE);
	cr_assert_eq(s.large_bytes, 2 * UNIT);
	cr_assert_eq(s.large_data, 3 * MiB);
	cr_assert_eq(s.used, META_END + 600 * PAGE + 2 * UNIT);
	cr_assert_eq(s.free, 64 * MiB - s.used);
	famfs_media_close(m);
}
