// SPDX-License-Identifier: Apache-2.0
/*
 * test_interleave.c - the allocator over several devices: interleaved files (strip
 * placement, rotation, wrap-around, fallback, validation, devmask), simple files spilling
 * to other devices, per-device space accounting, and no overlap anywhere.
 */
#include "famfs_test.h"

TestSuite(ileave, .init = tfs_setup, .fini = tfs_teardown);

#define NOSTRIP	UINT32_MAX

static const uint64_t sizes3[] = { 128 * MiB, 64 * MiB, 64 * MiB };

/* Append @req asserting success; the entry in *@e. */
static uint64_t append(struct famfs_media *m, struct famfs_file_req req,
		       struct famfs_log_entry *e)
{
	uint64_t index = UINT64_MAX;
	int rc = famfs_log_append_file(m, &req, &index, e);

	cr_assert_eq(rc, 0, "append %s: %d\n%s", req.path, rc, T.msgs);
	return index;
}

static struct famfs_file_req ileave(const char *path, uint64_t size, uint32_t nstrips,
				    uint64_t chunk, uint32_t devmask)
{
	return (struct famfs_file_req){ .path = path, .size = size, .mode = 0644,
					.nstrips = nstrips, .chunk_size = chunk,
					.devmask = devmask };
}

static const struct famfs_extent_omf *ext(const struct famfs_log_entry *e, int i)
{
	return &e->le_file.fi_fmap.fm_ext[i];
}

/* Strip/extent @i of @e is on @dev at @off, @len bytes. */
static void expect_ext(const struct famfs_log_entry *e, int i, uint32_t dev, uint64_t off,
		       uint64_t len)
{
	cr_assert_eq(le32toh(ext(e, i)->ext_devindex), dev, "fm_ext[%d] on device %u, not %u", i,
		     le32toh(ext(e, i)->ext_devindex), dev);
	cr_assert_eq(le64toh(ext(e, i)->ext_offset), off, "fm_ext[%d] at %llu MiB", i,
		     (unsigned long long)(le64toh(ext(e, i)->ext_offset) / MiB));
	cr_assert_eq(le64toh(ext(e, i)->ext_len), len, "fm_ext[%d] %llu MiB long", i,
		     (unsigned long long)(le64toh(ext(e, i)->ext_len) / MiB));
}

/* The interleave fields of @e. */
static void expect_ileave(const struct famfs_log_entry *e, uint32_t nstrips, uint64_t chunk)
{
	const struct famfs_fmap_omf *fm = &e->le_file.fi_fmap;

	cr_assert_eq(le32toh(fm->fm_kind), FAMFS_FMAP_INTERLEAVE);
	cr_assert_eq(le32toh(fm->fm_nextents), nstrips);
	cr_assert_eq(le64toh(fm->fm_chunk_size), chunk);
}

Test(ileave, strips_on_distinct_devices)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs_devs(3, sizes3);
	m = tfs_open(FAMFS_OPEN_RDWR);
	/* 10 MiB in 3 strips of 2 MiB chunks: roundup(10, 6) / 3 = 4 MiB a strip */
	cr_assert_eq(append(m, ileave("a", 10 * MiB, 3, 2 * MiB, 0), &e), 0);
	expect_ileave(&e, 3, 2 * MiB);
	cr_assert_eq(le64toh(e.le_file.fi_size), 10 * MiB);
	expect_ext(&e, 0, 0, META_END, 4 * MiB);
	expect_ext(&e, 1, 1, FAMFS_SB_SIZE, 4 * MiB);
	expect_ext(&e, 2, 2, FAMFS_SB_SIZE, 4 * MiB);
	cr_assert_eq(e.le_file.fi_fmap.fm_ext[3].ext_len, 0, "unused strips stay zero");
	/* 9 MiB in 2 strips of 4 MiB chunks: roundup(9, 8) / 2 = 8 MiB, two chunks a strip */
	cr_assert_eq(append(m, ileave("b", 9 * MiB, 2, 4 * MiB, 0), &e), 1);
	expect_ileave(&e, 2, 4 * MiB);
	expect_ext(&e, 0, 1, FAMFS_SB_SIZE + 4 * MiB, 8 * MiB);	/* rotated: index 1 */
	expect_ext(&e, 1, 2, FAMFS_SB_SIZE + 4 * MiB, 8 * MiB);
	famfs_media_close(m);
	cr_assert_eq(T.nerr, 0, "%s", T.msgs);
}

Test(ileave, first_device_rotates_with_the_entry_index)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs_devs(3, sizes3);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "d");					/* index 0 */
	cr_assert_eq(append(m, ileave("d/x", 1, 3, 4 * MiB, 0), &e), 1);
	expect_ileave(&e, 3, 4 * MiB);
	expect_ext(&e, 0, 1, FAMFS_SB_SIZE, 4 * MiB);
	expect_ext(&e, 1, 2, FAMFS_SB_SIZE, 4 * MiB);
	expect_ext(&e, 2, 0, META_END, 4 * MiB);
	cr_assert_eq(append(m, ileave("d/y", 1, 3, 2 * MiB, 0), &e), 2);
	cr_assert_eq(le32toh(ext(&e, 0)->ext_devindex), 2);
	cr_assert_eq(le32toh(ext(&e, 1)->ext_devindex), 0);
	cr_assert_eq(le32toh(ext(&e, 2)->ext_devindex), 1);
	famfs_media_close(m);
}

Test(ileave, more_strips_than_devices_wrap)
{
	static const uint64_t sizes[] = { 128 * MiB, 64 * MiB };
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs_devs(2, sizes);
	m = tfs_open(FAMFS_OPEN_RDWR);
	/* 20 MiB, 5 strips of 2 MiB chunks: 4 MiB a strip, devices 0 1 0 1 0 */
	append(m, ileave("w", 20 * MiB, 5, 2 * MiB, 0), &e);
	expect_ileave(&e, 5, 2 * MiB);
	expect_ext(&e, 0, 0, META_END, 4 * MiB);
	expect_ext(&e, 1, 1, FAMFS_SB_SIZE, 4 * MiB);
	expect_ext(&e, 2, 0, META_END + 4 * MiB, 4 * MiB);
	expect_ext(&e, 3, 1, FAMFS_SB_SIZE + 4 * MiB, 4 * MiB);
	expect_ext(&e, 4, 0, META_END + 8 * MiB, 4 * MiB);
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	famfs_media_close(m);
}

Test(ileave, one_device_interleave)
{
	struct famfs_fsck_report r;
	struct famfs_log_entry e;
	struct famfs_media *m;
	int i;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	append(m, ileave("one", 16 * MiB, 4, 2 * MiB, 0), &e);
	expect_ileave(&e, 4, 2 * MiB);
	for (i = 0; i < 4; i++)
		expect_ext(&e, i, 0, META_END + (uint64_t)i * 4 * MiB, 4 * MiB);
	cr_assert_eq(famfs_fsck(m, &r), 0, "%s", T.msgs);
	famfs_media_close(m);
}

/* Appending @req must fail with @err, log one message naming @word, and write nothing. */
static void expect_refused(struct famfs_media *m, struct famfs_file_req req, int err,
			   const char *word, unsigned ndevs)
{
	uint32_t crc[FAMFS_MAX_DEVS];
	uint8_t *before = tfs_meta_copy();
	unsigned i;

	for (i = 1; i < ndevs; i++)
		crc[i] = tfs_file_crc(T.imgs[i]);
	tfs_log_reset();
	cr_assert_eq(famfs_log_append_file(m, &req, NULL, NULL), err,
		     "nstrips %u chunk %llu devmask 0x%x accepted", req.nstrips,
		     (unsigned long long)req.chunk_size, req.devmask);
	cr_assert_eq(T.nerr, 1, "%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, word), "'%s' not in: %s", word, T.msgs);
	tfs_meta_unchanged(before);
	for (i = 1; i < ndevs; i++)
		cr_assert_eq(tfs_file_crc(T.imgs[i]), crc[i], "device %u written", i);
}

Test(ileave, bad_chunk_nstrips_devmask_rejected)
{
	struct famfs_media *m;

	tfs_mkfs_devs(3, sizes3);
	m = tfs_open(FAMFS_OPEN_RDWR);
	expect_refused(m, ileave("c", MiB, 2, 3 * MiB, 0), -EINVAL, "chunk_size 3145728", 3);
	expect_refused(m, ileave("c", MiB, 2, MiB, 0), -EINVAL, "chunk_size 1048576", 3);
	expect_refused(m, ileave("c", MiB, 2, 0, 0), -EINVAL, "chunk_size 0", 3);
	expect_refused(m, ileave("c", MiB, 2, 6 * MiB, 0), -EINVAL, "chunk_size", 3);
	expect_refused(m, ileave("c", MiB, 0, 2 * MiB, 0), -EINVAL, "nstrips 0", 3);
	expect_refused(m, ileave("c", MiB, 17, 2 * MiB, 0), -EINVAL, "nstrips 17", 3);
	expect_refused(m, ileave("c", MiB, 2, 1ULL << 63, 0), -EINVAL, "overflows", 3);
	expect_refused(m, ileave("c", MiB, 2, 2 * MiB, 0x8), -EINVAL, "devmask 0x8", 3);
	expect_refused(m, ileave("c", MiB, 0, 0, 0x10), -EINVAL, "devmask", 3);
	expect_refused(m, ileave("c", 0, 2, 2 * MiB, 0), -EINVAL, "size 0", 3);
	/* a strip no device can hold */
	expect_refused(m, ileave("c", 1, 2, 64 * MiB, 0), -ENOSPC, "no space", 3);
	append(m, ileave("c", MiB, 16, 2 * MiB, 0), NULL);	/* the limits themselves */
	famfs_media_close(m);
}

Test(ileave, devmask_limits_devices)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs_devs(3, sizes3);
	m = tfs_open(FAMFS_OPEN_RDWR);
	append(m, ileave("i", 8 * MiB, 2, 2 * MiB, 0x6), &e);	/* index 0: devices 1, 2 */
	expect_ext(&e, 0, 1, FAMFS_SB_SIZE, 4 * MiB);
	expect_ext(&e, 1, 2, FAMFS_SB_SIZE, 4 * MiB);
	append(m, ileave("j", 12 * MiB, 3, 2 * MiB, 0x5), &e);	/* index 1: 2 0 2 */
	expect_ext(&e, 0, 2, FAMFS_SB_SIZE + 4 * MiB, 4 * MiB);
	expect_ext(&e, 1, 0, META_END, 4 * MiB);
	expect_ext(&e, 2, 2, FAMFS_SB_SIZE + 8 * MiB, 4 * MiB);
	append(m, ileave("s", 3 * MiB, 0, 0, 0x2), &e);		/* simple, device 1 only */
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_kind), FAMFS_FMAP_SIMPLE);
	cr_assert_eq(e.le_file.fi_fmap.fm_chunk_size, 0);
	expect_ext(&e, 0, 1, FAMFS_SB_SIZE + 4 * MiB, 4 * MiB);
	famfs_media_close(m);
}

Test(ileave, full_device_strip_goes_to_the_least_loaded)
{
	struct famfs_log_entry e;
	struct famfs_media *m;

	tfs_mkfs_devs(3, sizes3);
	m = tfs_open(FAMFS_OPEN_RDWR);
	append(m, ileave("fill1", 62 * MiB, 0, 0, 0x2), &e);	/* device 1 is full */
	expect_ext(&e, 0, 1, FAMFS_SB_SIZE, 62 * MiB);
	/* index 1 would start on device 1: 2 (fewest strips), then 0, then 0 again */
	append(m, ileave("x", 6 * MiB, 3, 2 * MiB, 0), &e);
	expect_ext(&e, 0, 2, FAMFS_SB_SIZE, 2 * MiB);
	expect_ext(&e, 1, 0, META_END, 2 * MiB);
	expect_ext(&e, 2, 0, META_END + 2 * MiB, 2 * MiB);
	famfs_media_close(m);
}

Test(ileave, simple_files_spill_to_other_devices)
{
	static const uint64_t sizes[] = { 64 * MiB, 64 * MiB, 64 * MiB };
	struct famfs_log_entry e;
	struct famfs_space s;
	struct famfs_media *m;

	tfs_mkfs_devs(3, sizes);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_file(m, "a", 40 * MiB, &e);			/* device 0 first */
	expect_ext(&e, 0, 0, META_END, 40 * MiB);
	tfs_file(m, "b", 30 * MiB, &e);			/* 14 MiB left on 0: next device */
	expect_ext(&e, 0, 1, FAMFS_SB_SIZE, 30 * MiB);
	tfs_file(m, "c", 40 * MiB, &e);
	expect_ext(&e, 0, 2, FAMFS_SB_SIZE, 40 * MiB);
	tfs_file(m, "d", 60 * MiB, &e);			/* no run that long: gathered */
	cr_assert_eq(le32toh(e.le_file.fi_fmap.fm_nextents), 3);
	expect_ext(&e, 0, 0, META_END + 40 * MiB, 14 * MiB);
	expect_ext(&e, 1, 1, FAMFS_SB_SIZE + 30 * MiB, 32 * MiB);
	expect_ext(&e, 2, 2, FAMFS_SB_SIZE + 40 * MiB, 14 * MiB);
	cr_assert_eq(famfs_space_get(m, &s), 0);
	cr_assert_eq(s.ndevs, 3);
	cr_assert_eq(s.capacity, 192 * MiB);
	cr_assert_eq(s.dev_capacity[0], 64 * MiB);
	cr_assert_eq(s.dev_capacity[2], 64 * MiB);
	cr_assert_eq(s.dev_used[0], 64 * MiB);
	cr_assert_eq(s.dev_used[1], 64 * MiB);
	cr_assert_eq(s.dev_used[2], 56 * MiB, "2 MiB header + 40 + 14");
	cr_assert_eq(s.used, 184 * MiB);
	cr_assert_eq(s.free, 8 * MiB);
	cr_assert_eq(s.dev_capacity[3] + s.dev_used[3], 0);
	famfs_media_close(m);
}

Test(ileave, interleave_needs_omf_1_1)
{
	struct famfs_superblock sb;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&sb);
	sb.sb_omf_minor = 0;		/* a file system made by OMF 1.0 code */
	tfs_sb_write(&sb, true);
	m = tfs_open(FAMFS_OPEN_RDWR);
	expect_refused(m, ileave("i", MiB, 2, 2 * MiB, 0), -EOPNOTSUPP, "OMF 1.1", 1);
	tfs_file(m, "simple", MiB, NULL);
	famfs_media_close(m);
}

struct range {
	uint32_t dev;
	uint64_t off, len;
};

/* Add the extents of @e to @r, checking each against its device. */
static void collect(const struct famfs_superblock *sb, const struct famfs_log_entry *e,
		    struct range *r, int *n)
{
	const struct famfs_fmap_omf *fm = &e->le_file.fi_fmap;
	uint32_t i;

	for (i = 0; i < le32toh(fm->fm_nextents); i++) {
		struct range x = { le32toh(fm->fm_ext[i].ext_devindex),
				   le64toh(fm->fm_ext[i].ext_offset),
				   le64toh(fm->fm_ext[i].ext_len) };

		cr_assert_lt(x.dev, le32toh(sb->sb_ndevs));
		if (famfs_extent_is_small(&fm->fm_ext[i])) {	/* a small file's pages */
			cr_assert_eq(le32toh(fm->fm_kind), FAMFS_FMAP_SIMPLE);
			cr_assert_eq((x.off | x.len) % FAMFS_SMALL_PAGE, 0);
			cr_assert_eq(x.off / UNIT, (x.off + x.len - 1) / UNIT);
		} else {
			cr_assert_eq((x.off | x.len) % UNIT, 0);
		}
		cr_assert_gt(x.len, 0);
		cr_assert_geq(x.off, x.dev ? FAMFS_SB_SIZE : META_END, "in the reserved head");
		cr_assert_leq(x.off + x.len, le64toh(sb->sb_devs[x.dev].dd_size));
		r[(*n)++] = x;
	}
}

static void assert_disjoint(const struct range *r, int n)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			cr_assert(r[i].dev != r[j].dev || r[i].off + r[i].len <= r[j].off ||
				  r[j].off + r[j].len <= r[i].off,
				  "extents %d and %d overlap on device %u", i, j, r[i].dev);
}

Test(ileave, no_overlap_anywhere_until_full)
{
	static const uint64_t sizes[] = { 128 * MiB, 64 * MiB, 96 * MiB };
	struct famfs_fsck_report rep;
	struct famfs_log_entry e;
	struct famfs_media *m;
	struct range r[1024];
	uint64_t used = 0;
	int n = 0, k, ok = 0, i;
	char p[16];

	tfs_mkfs_devs(3, sizes);
	m = tfs_open(FAMFS_OPEN_RDWR);
	for (k = 0; k < 200; k++) {
		struct famfs_file_req req = ileave(p, (uint64_t)(k % 7 + 1) * 3 * MiB / 2,
						   (uint32_t)(k % 5), (k % 2 + 1) * 2 * MiB, 0);

		snprintf(p, sizeof(p), "f%d", k);
		if (req.nstrips == 0)
			req.chunk_size = 0;
		if (famfs_log_append_file(m, &req, NULL, &e) != 0)
			continue;	/* -ENOSPC near the end */
		collect(famfs_media_sb(m), &e, r, &n);
		ok++;
	}
	cr_assert_gt(ok, 20);
	assert_disjoint(r, n);
	cr_assert_eq(famfs_fsck(m, &rep), 0, "%s", T.msgs);
	for (i = 0; i < n; i++)
		used += r[i].len;
	cr_assert_eq(rep.space.used, used + META_END + 2 * FAMFS_SB_SIZE);
	cr_assert_eq(rep.space.nfiles, (uint64_t)ok);
	famfs_media_close(m);
}
