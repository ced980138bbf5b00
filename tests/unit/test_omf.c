// SPDX-License-Identifier: Apache-2.0
/* test_omf.c - mkfs, opening, superblock and log header validation, identity, paths. */
#include <sys/stat.h>

#include "famfs_test.h"

TestSuite(omf, .init = tfs_setup, .fini = tfs_teardown);

Test(omf, mkfs_then_open)
{
	struct famfs_media *m;
	const struct famfs_superblock *sb;
	uuid_t me;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	sb = famfs_media_sb(m);
	cr_assert_eq(le64toh(sb->sb_magic), FAMFS_SB_MAGIC);
	cr_assert_eq(le16toh(sb->sb_omf_major), FAMFS_OMF_MAJOR);
	cr_assert_eq(le16toh(sb->sb_omf_minor), FAMFS_OMF_MINOR);
	cr_assert_eq(le64toh(sb->sb_log_offset), FAMFS_LOG_OFFSET);
	cr_assert_eq(le64toh(sb->sb_log_len), FAMFS_LOG_LEN_DEFAULT);
	cr_assert_eq(le64toh(sb->sb_alloc_unit), FAMFS_ALLOC_UNIT);
	cr_assert_eq(le32toh(sb->sb_ndevs), 1);
	cr_assert_eq(le64toh(sb->sb_devs[0].dd_size), 64 * MiB);
	cr_assert_eq(le32toh(sb->sb_crc), famfs_sb_crc(sb));
	cr_assert(!uuid_is_null(sb->sb_fs_uuid) && !uuid_is_null(sb->sb_devs[0].dd_uuid));
	cr_assert_eq(famfs_system_uuid(me), 0);
	cr_assert_eq(uuid_compare(me, sb->sb_master_uuid), 0);
	cr_assert(famfs_media_is_master(m));
	cr_assert_eq(famfs_media_dev_size(m), 64 * MiB);
	cr_assert_eq(famfs_log_next_index(m), 0);
	cr_assert_eq(famfs_log_nslots(m), (FAMFS_LOG_LEN_DEFAULT - 1024) / 1024);
	famfs_media_close(m);
	cr_assert_eq(T.nerr, 0, "%s", T.msgs);
}

Test(omf, mkfs_usable_size_rounds_down)
{
	struct famfs_superblock sb;

	tfs_image_at(T.img, 65 * MiB + 4096);
	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ 0 }), 0);
	tfs_sb_read(&sb);
	cr_assert_eq(le64toh(sb.sb_devs[0].dd_size), 64 * MiB);
}

Test(omf, mkfs_too_small)
{
	char page[4096], zero[4096] = { 0 };

	tfs_image_at(T.img, FAMFS_DEV_SIZE_MIN - UNIT);
	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ 0 }), -ENOSPC);
	tfs_read(page, sizeof(page), 0);
	cr_assert(memcmp(page, zero, sizeof(page)) == 0, "mkfs wrote to a too-small device");
	/* a log that does not fit the device */
	tfs_image_at(T.img, 64 * MiB);
	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ .log_len = 64 * MiB }), -ENOSPC);
	cr_assert_eq(famfs_mkfs("/nonexistent/famfs-image", &(struct famfs_mkfs_opts){ 0 }),
		     -ENOENT);
}

Test(omf, mkfs_log_len)
{
	struct famfs_media *m;

	tfs_image_at(T.img, 128 * MiB);
	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ .log_len = 12 * MiB }), -EINVAL);
	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ .log_len = 4 * MiB }), -EINVAL);
	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ .log_len = 16 * MiB }), 0);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	cr_assert_eq(le64toh(famfs_media_sb(m)->sb_log_len), 16 * MiB);
	cr_assert_eq(famfs_log_nslots(m), (16 * MiB - 1024) / 1024);
	famfs_media_close(m);
}

Test(omf, mkfs_refuses_valid_fs_without_force)
{
	struct famfs_superblock a, b;
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	m = tfs_open(FAMFS_OPEN_RDWR);
	tfs_dir(m, "d");
	famfs_media_close(m);
	tfs_sb_read(&a);
	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ 0 }), -EEXIST);
	tfs_sb_read(&b);
	cr_assert(memcmp(&a, &b, sizeof(a)) == 0, "superblock changed by a refused mkfs");

	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ .force = true }), 0);
	tfs_sb_read(&b);
	cr_assert_neq(uuid_compare(a.sb_fs_uuid, b.sb_fs_uuid), 0, "force kept the old fs uuid");
	m = tfs_open(FAMFS_OPEN_RDONLY);
	cr_assert_eq(famfs_log_next_index(m), 0, "force kept the old log");
	famfs_media_close(m);
}

Test(omf, mkfs_kill_invalidates_only_the_magic)
{
	struct famfs_superblock a, b;
	struct famfs_media *m = NULL;

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&a);
	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ .kill = true }), 0);
	tfs_sb_read(&b);
	cr_assert_eq(b.sb_magic, 0);
	b.sb_magic = a.sb_magic;
	cr_assert(memcmp(&a, &b, sizeof(a)) == 0, "kill changed more than the magic");
	cr_assert_eq(famfs_media_open_dev(T.img, FAMFS_OPEN_RDONLY, &m), -EUCLEAN);
	cr_assert_null(m);
	cr_assert_eq(famfs_mkfs(T.img, &(struct famfs_mkfs_opts){ 0 }), 0, "no valid sb left");
}

/* Corrupt the superblock with @fn, expect open to fail with @err and the reason to name @field. */
static void expect_bad_sb(void (*fn)(struct famfs_superblock *), bool recrc, int err,
			  const char *field)
{
	struct famfs_superblock sb;
	struct famfs_media *m = NULL;
	char why[256] = "";

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&sb);
	fn(&sb);
	tfs_sb_write(&sb, recrc);
	tfs_log_reset();
	cr_assert_eq(famfs_media_open_dev(T.img, FAMFS_OPEN_RDWR, &m), err);
	cr_assert_null(m);
	cr_assert_eq(T.nerr, 1, "one message expected:\n%s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, field), "message does not name %s: %s", field, T.msgs);
	cr_assert_eq(famfs_sb_check(&sb, 0, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, field), "why '%s' does not name %s", why, field);
}

static void flip_uuid(struct famfs_superblock *sb) { sb->sb_fs_uuid[3] ^= 0x40; }
static void bad_magic(struct famfs_superblock *sb) { sb->sb_magic ^= htole64(1); }
static void bad_major(struct famfs_superblock *sb) { sb->sb_omf_major = htole16(FAMFS_OMF_MAJOR + 1); }
static void bad_log_len(struct famfs_superblock *sb) { sb->sb_log_len = htole64(12 * MiB); }
static void small_log(struct famfs_superblock *sb) { sb->sb_log_len = htole64(4 * MiB); }
static void bad_log_off(struct famfs_superblock *sb) { sb->sb_log_offset = htole64(MiB); }
static void bad_unit(struct famfs_superblock *sb) { sb->sb_alloc_unit = htole64(4096); }
static void no_devs(struct famfs_superblock *sb) { sb->sb_ndevs = 0; }
static void many_devs(struct famfs_superblock *sb) { sb->sb_ndevs = htole32(9); }
static void bad_flags(struct famfs_superblock *sb) { sb->sb_flags = htole32(1); }
static void odd_dev(struct famfs_superblock *sb) { sb->sb_devs[0].dd_size = htole64(63 * MiB); }

Test(omf, sb_crc_mismatch) { expect_bad_sb(flip_uuid, false, -EUCLEAN, "sb_crc"); }
Test(omf, sb_bad_magic) { expect_bad_sb(bad_magic, false, -EUCLEAN, "sb_magic"); }
Test(omf, sb_bad_major) { expect_bad_sb(bad_major, true, -EUCLEAN, "sb_omf_major"); }
Test(omf, sb_log_len_not_pow2) { expect_bad_sb(bad_log_len, true, -EUCLEAN, "sb_log_len"); }
Test(omf, sb_log_len_below_min) { expect_bad_sb(small_log, true, -EUCLEAN, "sb_log_len"); }
Test(omf, sb_log_offset) { expect_bad_sb(bad_log_off, true, -EUCLEAN, "sb_log_offset"); }
Test(omf, sb_alloc_unit) { expect_bad_sb(bad_unit, true, -EUCLEAN, "sb_alloc_unit"); }
Test(omf, sb_ndevs_zero) { expect_bad_sb(no_devs, true, -EUCLEAN, "sb_ndevs"); }
Test(omf, sb_ndevs_too_many) { expect_bad_sb(many_devs, true, -EUCLEAN, "sb_ndevs"); }
Test(omf, sb_flags) { expect_bad_sb(bad_flags, true, -EUCLEAN, "sb_flags"); }
Test(omf, sb_dev_size_misaligned) { expect_bad_sb(odd_dev, true, -EUCLEAN, "dd_size"); }

/* A newer minor may hold what this code would misread (small files before 1.2 code, say):
 * refused, never repaired or appended to by code that cannot read it. */
static void newer_minor(struct famfs_superblock *sb) { sb->sb_omf_minor = htole16(FAMFS_OMF_MINOR + 1); }
Test(omf, sb_newer_minor_is_refused) { expect_bad_sb(newer_minor, true, -EUCLEAN, "sb_omf_minor"); }

Test(omf, sb_older_minor_is_readable)
{
	struct famfs_media *m;

	tfs_mkfs(64 * MiB, 0);
	tfs_set_minor(FAMFS_OMF_MINOR_SMALL - 1);
	m = tfs_open(FAMFS_OPEN_RDONLY);
	famfs_media_close(m);
}

Test(omf, sb_check_against_device_size)
{
	struct famfs_superblock sb;
	char why[256] = "";

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&sb);
	cr_assert_eq(famfs_sb_check(&sb, 64 * MiB, why, sizeof(why)), 0);
	cr_assert_eq(famfs_sb_check(&sb, 0, NULL, 0), 0);
	cr_assert_eq(famfs_sb_check(&sb, 62 * MiB, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, "dd_size"), "%s", why);
}

Test(omf, device_smaller_than_sb_says)
{
	struct famfs_media *m = NULL;

	tfs_mkfs(64 * MiB, 0);
	cr_assert_eq(truncate(T.img, 32 * MiB), 0);
	cr_assert_eq(famfs_media_open_dev(T.img, FAMFS_OPEN_RDONLY, &m), -ENOSPC);
	cr_assert_null(m);
}

Test(omf, open_missing_tiny_and_blank)
{
	struct famfs_media *m = NULL;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/nope", T.dir);
	cr_assert_eq(famfs_media_open_dev(path, FAMFS_OPEN_RDONLY, &m), -ENOENT);
	tfs_image_at(T.img, 4096);
	cr_assert_eq(famfs_media_open_dev(T.img, FAMFS_OPEN_RDONLY, &m), -EUCLEAN);
	tfs_image_at(T.img, 64 * MiB);
	cr_assert_eq(famfs_media_open_dev(T.img, FAMFS_OPEN_RDONLY, &m), -EUCLEAN);
	cr_assert_null(m);
	cr_assert_eq(famfs_media_open_dev(T.dir, FAMFS_OPEN_RDONLY, &m), -ENODEV);
	cr_assert_eq(famfs_media_open_dev("/dev/null", FAMFS_OPEN_RDONLY, &m), -ENODEV);
}

/* Corrupt the log header with @fn, expect -EUCLEAN naming @field. */
static void expect_bad_lh(void (*fn)(struct famfs_log_header *), bool recrc, const char *field)
{
	struct famfs_superblock sb;
	struct famfs_log_header lh;
	struct famfs_media *m = NULL;
	char why[256] = "";

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&sb);
	tfs_lh_read(&lh);
	cr_assert_eq(famfs_log_header_check(&lh, &sb, why, sizeof(why)), 0, "%s", why);
	fn(&lh);
	tfs_lh_write(&lh, recrc);
	cr_assert_eq(famfs_log_header_check(&lh, &sb, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, field), "why '%s' does not name %s", why, field);
	tfs_log_reset();
	cr_assert_eq(famfs_media_open_dev(T.img, FAMFS_OPEN_RDONLY, &m), -EUCLEAN);
	cr_assert_null(m);
	cr_assert_not_null(strstr(T.msgs, field), "%s", T.msgs);
}

static void lh_magic(struct famfs_log_header *lh) { lh->lh_magic = htole64(FAMFS_SB_MAGIC); }
static void lh_slots(struct famfs_log_header *lh) { lh->lh_nslots = htole64(100); }
static void lh_len(struct famfs_log_header *lh) { lh->lh_log_len = htole64(16 * MiB); }
static void lh_next(struct famfs_log_header *lh) { lh->lh_next_index = htole64(1ULL << 40); }

Test(omf, log_header_magic) { expect_bad_lh(lh_magic, true, "lh_magic"); }
Test(omf, log_header_crc) { expect_bad_lh(lh_slots, false, "lh_crc"); }
Test(omf, log_header_nslots) { expect_bad_lh(lh_slots, true, "lh_nslots"); }
Test(omf, log_header_len) { expect_bad_lh(lh_len, true, "lh_log_len"); }
Test(omf, log_header_next_index) { expect_bad_lh(lh_next, false, "lh_next_index"); }

Test(omf, system_uuid_created_once_and_stable)
{
	uuid_t a, b;
	struct stat st;
	char text[64] = "", parsed[40];
	FILE *f;

	cr_assert_neq(stat(T.uuid, &st), 0, "identity file exists before first use");
	cr_assert_eq(famfs_system_uuid(a), 0, "%s", T.msgs);
	cr_assert(!uuid_is_null(a));
	cr_assert_eq(stat(T.uuid, &st), 0, "identity file (and its parent) not created");
	f = fopen(T.uuid, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(text, sizeof(text), f));
	fclose(f);
	uuid_unparse_lower(a, parsed);
	cr_assert_eq(strncmp(text, parsed, 36), 0, "file '%s' vs uuid %s", text, parsed);
	cr_assert_eq(famfs_system_uuid(b), 0);
	cr_assert_eq(uuid_compare(a, b), 0, "uuid changed between calls");
}

Test(omf, system_uuid_reads_existing_and_rejects_garbage)
{
	char path[PATH_MAX];
	uuid_t u, want;
	FILE *f;

	snprintf(path, sizeof(path), "%s/given_uuid", T.dir);
	f = fopen(path, "w");
	fputs("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n", f);
	fclose(f);
	setenv("FAMFS_SYSTEM_UUID_PATH", path, 1);
	cr_assert_eq(famfs_system_uuid(u), 0);
	uuid_parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", want);
	cr_assert_eq(uuid_compare(u, want), 0);
	f = fopen(path, "w");
	fputs("not-a-uuid\n", f);
	fclose(f);
	cr_assert_eq(famfs_system_uuid(u), -EINVAL);
}

Test(omf, path_rules)
{
	static const char *good[] = { "a", "a/b", "dir/sub/file.txt", "..a", "a..", ".hidden" };
	static const char *bad[] = { "", "/abs", "a/../b", "a//b", "a/", "./a", "a/.", "..", ".",
				     "a/b/.." };
	char longp[FAMFS_MAX_PATH + 1];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert_eq(famfs_path_check(good[i]), 0, "'%s' rejected", good[i]);
	cr_assert_eq(T.nerr, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(famfs_path_check(bad[i]), -EINVAL, "'%s' accepted", bad[i]);
	cr_assert_eq(T.nerr, (int)(sizeof(bad) / sizeof(bad[0])), "each rejection logged once");
	cr_assert_eq(famfs_path_check(NULL), -EINVAL);
	memset(longp, 'x', sizeof(longp));
	longp[FAMFS_MAX_PATH - 1] = '\0';	/* 191 bytes + NUL: the longest allowed */
	cr_assert_eq(famfs_path_check(longp), 0);
	longp[FAMFS_MAX_PATH - 1] = 'x';
	longp[FAMFS_MAX_PATH] = '\0';		/* 192 bytes: too long */
	cr_assert_eq(famfs_path_check(longp), -EINVAL);
}

Test(omf, crc_helpers_cover_fixed_fields)
{
	struct famfs_superblock sb = { 0 };
	struct famfs_log_header lh = { 0 };
	struct famfs_log_entry e = { 0 };
	uint32_t c;

	c = famfs_sb_crc(&sb);
	sb.sb_crc = 0x1234;		/* not covered */
	cr_assert_eq(famfs_sb_crc(&sb), c);
	sb.sb_devs[7].dd_size = 1;	/* covered */
	cr_assert_neq(famfs_sb_crc(&sb), c);
	c = famfs_log_header_crc(&lh);
	lh.lh_next_index = 5;		/* not covered: it moves on every append */
	cr_assert_eq(famfs_log_header_crc(&lh), c);
	lh.lh_nslots = 5;
	cr_assert_neq(famfs_log_header_crc(&lh), c);
	c = famfs_log_entry_crc(&e);
	e.le_crc = 7;
	cr_assert_eq(famfs_log_entry_crc(&e), c);
	e.le_payload[sizeof(e.le_payload) - 1] = 1;
	cr_assert_neq(famfs_log_entry_crc(&e), c);
}
