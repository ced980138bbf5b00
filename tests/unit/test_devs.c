// SPDX-License-Identifier: Apache-2.0
/*
 * test_devs.c - file systems over several devices: mkfs (superblock + device headers),
 * identifying a device, matching a found device to a slot, and every refusal writing nothing.
 */
#include <sys/stat.h>

#include "famfs_test.h"

TestSuite(devs, .init = tfs_setup, .fini = tfs_teardown);

static const uint64_t sizes3[] = { 64 * MiB, 32 * MiB + 4096, 48 * MiB };

/* Identify @path, asserting success. */
static struct famfs_dev_id ident(const char *path)
{
	struct famfs_dev_id id;
	int rc = famfs_dev_identify(path, &id);

	cr_assert_eq(rc, 0, "identify %s: %d\n%s", path, rc, T.msgs);
	return id;
}

/* crc32 of each of the first @n images. */
static void crcs(unsigned n, uint32_t *out)
{
	unsigned i;

	for (i = 0; i < n; i++)
		out[i] = tfs_file_crc(T.imgs[i]);
}

static void assert_crcs_unchanged(unsigned n, const uint32_t *before)
{
	uint32_t now[FAMFS_MAX_DEVS];
	unsigned i;

	crcs(n, now);
	for (i = 0; i < n; i++)
		cr_assert_eq(now[i], before[i], "%s was written to", T.imgs[i]);
}

Test(devs, mkfs_two_devices)
{
	struct famfs_daxdev_header h;
	struct famfs_superblock sb;
	struct famfs_media *m;
	char rest[4096], zero[4096] = { 0 };

	tfs_mkfs_devs(2, sizes3);
	m = tfs_open(FAMFS_OPEN_RDWR);
	sb = *famfs_media_sb(m);
	cr_assert_eq(le16toh(sb.sb_omf_minor), FAMFS_OMF_MINOR);
	cr_assert_eq(le32toh(sb.sb_ndevs), 2);
	cr_assert_eq(le64toh(sb.sb_devs[0].dd_size), 64 * MiB);
	cr_assert_eq(le64toh(sb.sb_devs[1].dd_size), 32 * MiB, "rounded down to 2 MiB");
	cr_assert(!uuid_is_null(sb.sb_devs[1].dd_uuid));
	cr_assert_neq(uuid_compare(sb.sb_devs[0].dd_uuid, sb.sb_devs[1].dd_uuid), 0);
	cr_assert(uuid_is_null(sb.sb_devs[2].dd_uuid) && sb.sb_devs[2].dd_size == 0);
	famfs_media_close(m);

	tfs_dh_read(T.imgs[1], &h);
	cr_assert_eq(famfs_dev_header_check(&h, NULL, 0), 0);
	cr_assert_eq(le64toh(h.dh_magic), FAMFS_DEV_MAGIC);
	cr_assert_eq(le16toh(h.dh_omf_major), FAMFS_OMF_MAJOR);
	cr_assert_eq(le16toh(h.dh_omf_minor), FAMFS_OMF_MINOR);
	cr_assert_eq(le32toh(h.dh_devindex), 1);
	cr_assert_eq(uuid_compare(h.dh_fs_uuid, sb.sb_fs_uuid), 0);
	cr_assert_eq(uuid_compare(h.dh_dev_uuid, sb.sb_devs[1].dd_uuid), 0);
	cr_assert_eq(le64toh(h.dh_size), 32 * MiB);
	cr_assert_eq(le32toh(h.dh_crc), famfs_dev_header_crc(&h));
	tfs_pio_at(T.imgs[1], rest, sizeof(rest), 4096, false);
	cr_assert(memcmp(rest, zero, sizeof(rest)) == 0, "rest of the head not zero");
	cr_assert_eq(T.nerr, 0, "%s", T.msgs);
}

Test(devs, mkfs_three_devices_identify_each)
{
	struct famfs_superblock sb;
	struct famfs_dev_id id;
	char why[256] = "";
	uint32_t i;

	tfs_mkfs_devs(3, sizes3);
	tfs_sb_read(&sb);
	cr_assert_eq(le32toh(sb.sb_ndevs), 3);
	for (i = 0; i < 3; i++) {
		id = ident(T.imgs[i]);
		cr_assert_eq(id.is_sb, i == 0, "device %u is_sb", i);
		cr_assert_eq(id.devindex, i);
		cr_assert_eq(uuid_compare(id.fs_uuid, sb.sb_fs_uuid), 0, "device %u fs uuid", i);
		cr_assert_eq(uuid_compare(id.dev_uuid, sb.sb_devs[i].dd_uuid), 0);
		cr_assert_eq(id.size, le64toh(sb.sb_devs[i].dd_size));
		cr_assert_eq(id.dev_size, sizes3[i]);
		cr_assert_eq(famfs_sb_dev_check(&sb, i, &id, id.dev_size, why, sizeof(why)), 0,
			     "slot %u: %s", i, why);
	}
	cr_assert_eq(T.nerr, 0, "%s", T.msgs);
}

Test(devs, identify_neither)
{
	struct famfs_daxdev_header h;
	struct famfs_superblock sb;
	struct famfs_dev_id id;
	char path[PATH_MAX];

	tfs_mkfs_devs(2, sizes3);
	famfs_set_msg_level(FAMFS_MSG_DEBUG);
	tfs_dh_read(T.imgs[1], &h);
	h.dh_size = htole64(30 * MiB);			/* CRC now stale */
	tfs_dh_write(T.imgs[1], &h, false);
	tfs_log_reset();
	cr_assert_eq(famfs_dev_identify(T.imgs[1], &id), -ENODATA);
	cr_assert_eq(T.nerr, 0, "a bad CRC is not an error: %s", T.msgs);
	cr_assert_not_null(strstr(T.msgs, "dh_crc"), "%s", T.msgs);

	tfs_sb_read(&sb);
	sb.sb_fs_uuid[0] ^= 1;				/* CRC now stale */
	tfs_sb_write(&sb, false);
	tfs_log_reset();
	cr_assert_eq(famfs_dev_identify(T.img, &id), -ENODATA);
	cr_assert_not_null(strstr(T.msgs, "sb_crc"), "%s", T.msgs);
	cr_assert_eq(T.nerr, 0);

	tfs_image_at(T.imgs[2], 8 * MiB);		/* blank */
	cr_assert_eq(famfs_dev_identify(T.imgs[2], &id), -ENODATA);
	tfs_image_at(T.imgs[2], 100);			/* smaller than a page */
	cr_assert_eq(famfs_dev_identify(T.imgs[2], &id), -ENODATA);
	cr_assert_eq(T.nerr, 0, "%s", T.msgs);
	snprintf(path, sizeof(path), "%s/nope", T.dir);
	cr_assert_eq(famfs_dev_identify(path, &id), -ENOENT);
}

Test(devs, identify_header_fields_checked)
{
	struct famfs_daxdev_header h, bad;
	struct famfs_dev_id id;
	char why[256];

	tfs_mkfs_devs(2, sizes3);
	tfs_dh_read(T.imgs[1], &h);
	bad = h;
	bad.dh_devindex = htole32(0);
	tfs_dh_write(T.imgs[1], &bad, true);
	cr_assert_eq(famfs_dev_identify(T.imgs[1], &id), -ENODATA);
	cr_assert_eq(famfs_dev_header_check(&bad, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, "dh_devindex"), "%s", why);
	bad = h;
	bad.dh_size = htole64(31 * MiB);
	bad.dh_crc = htole32(famfs_dev_header_crc(&bad));
	cr_assert_eq(famfs_dev_header_check(&bad, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, "dh_size"), "%s", why);
	bad = h;
	bad.dh_omf_major = htole16(FAMFS_OMF_MAJOR + 1);
	bad.dh_crc = htole32(famfs_dev_header_crc(&bad));
	cr_assert_eq(famfs_dev_header_check(&bad, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, "dh_omf_major"), "%s", why);
}

/* Check @id against slot @slot of @sb: expect -EUCLEAN with @word in the reason. */
static void expect_mismatch(const struct famfs_superblock *sb, uint32_t slot,
			    const struct famfs_dev_id *id, uint64_t dev_size, const char *word)
{
	char why[256] = "";

	cr_assert_eq(famfs_sb_dev_check(sb, slot, id, dev_size, why, sizeof(why)), -EUCLEAN,
		     "slot %u accepted", slot);
	cr_assert_not_null(strstr(why, word), "'%s' not in '%s'", word, why);
}

Test(devs, dev_check_wrong_fs)
{
	struct famfs_superblock a;
	struct famfs_dev_id other;
	const char *paths[2] = { T.imgs[2], T.imgs[3] };

	tfs_mkfs_devs(2, sizes3);
	tfs_sb_read(&a);
	tfs_image_at(T.imgs[2], 64 * MiB);	/* a second file system, same geometry */
	tfs_image_at(T.imgs[3], 32 * MiB);
	cr_assert_eq(famfs_mkfs_devs(paths, 2, &(struct famfs_mkfs_opts){ 0 }), 0, "%s", T.msgs);
	other = ident(T.imgs[3]);
	expect_mismatch(&a, 1, &other, other.dev_size, "another file system");
	other = ident(T.imgs[2]);
	expect_mismatch(&a, 0, &other, other.dev_size, "another file system");
}

Test(devs, dev_check_swapped_devices)
{
	struct famfs_daxdev_header h;
	struct famfs_superblock sb;
	struct famfs_dev_id id0, id1, id2;

	tfs_mkfs_devs(3, sizes3);
	tfs_sb_read(&sb);
	id0 = ident(T.imgs[0]);
	id1 = ident(T.imgs[1]);
	id2 = ident(T.imgs[2]);
	expect_mismatch(&sb, 1, &id2, id2.dev_size, "wrong device");
	expect_mismatch(&sb, 2, &id1, id1.dev_size, "wrong device");
	expect_mismatch(&sb, 1, &id0, id0.dev_size, "wrong device");
	expect_mismatch(&sb, 0, &id1, id1.dev_size, "wrong device");

	/* right index and fs, but another device's UUID (a re-made device) */
	tfs_dh_read(T.imgs[1], &h);
	uuid_generate_random(h.dh_dev_uuid);
	tfs_dh_write(T.imgs[1], &h, true);
	id1 = ident(T.imgs[1]);
	expect_mismatch(&sb, 1, &id1, id1.dev_size, "device uuid");
	/* a header recording another size than the superblock */
	tfs_dh_read(T.imgs[2], &h);
	h.dh_size = htole64(46 * MiB);
	tfs_dh_write(T.imgs[2], &h, true);
	id2 = ident(T.imgs[2]);
	expect_mismatch(&sb, 2, &id2, id2.dev_size, "wrong device");
}

Test(devs, dev_check_too_small_and_bad_slot)
{
	struct famfs_superblock sb;
	struct famfs_dev_id id;
	char why[256] = "";

	tfs_mkfs_devs(3, sizes3);
	tfs_sb_read(&sb);
	cr_assert_eq(truncate(T.imgs[2], 40 * MiB), 0);
	id = ident(T.imgs[2]);
	cr_assert_eq(id.dev_size, 40 * MiB);
	cr_assert_eq(id.size, 48 * MiB);
	expect_mismatch(&sb, 2, &id, id.dev_size, "too small");
	cr_assert_eq(famfs_sb_dev_check(&sb, 2, &id, 0, why, sizeof(why)), 0, "0 skips the size");
	cr_assert_eq(famfs_sb_dev_check(&sb, 3, &id, 0, why, sizeof(why)), -EINVAL);
	cr_assert_not_null(strstr(why, "sb_ndevs"), "%s", why);
}

Test(devs, mkfs_refuses_existing_without_force)
{
	const char *paths[3] = { T.imgs[0], T.imgs[1], T.imgs[2] };
	const char *swapped[2] = { T.imgs[1], T.imgs[0] };
	struct famfs_superblock a, b;
	static const uint64_t sizes[] = { 64 * MiB, 64 * MiB };
	uint32_t before[3];

	tfs_mkfs_devs(2, sizes);		/* either could be device 0 */
	tfs_sb_read(&a);
	tfs_image_at(T.imgs[2], 64 * MiB);
	crcs(3, before);
	tfs_log_reset();
	cr_assert_eq(famfs_mkfs_devs(paths, 2, &(struct famfs_mkfs_opts){ 0 }), -EEXIST);
	cr_assert_not_null(strstr(T.msgs, "superblock"), "%s", T.msgs);
	cr_assert_eq(famfs_mkfs_devs(swapped, 2, &(struct famfs_mkfs_opts){ 0 }), -EEXIST);
	/* a blank device 0, the old data device last: refused, the blank one untouched */
	paths[0] = T.imgs[2];
	paths[1] = T.imgs[1];
	tfs_log_reset();
	cr_assert_eq(famfs_mkfs_devs(paths, 2, &(struct famfs_mkfs_opts){ 0 }), -EEXIST);
	cr_assert_not_null(strstr(T.msgs, "device header"), "%s", T.msgs);
	cr_assert_eq(famfs_mkfs(T.imgs[1], &(struct famfs_mkfs_opts){ 0 }), -EEXIST);
	assert_crcs_unchanged(3, before);

	cr_assert_eq(famfs_mkfs_devs(paths, 2, &(struct famfs_mkfs_opts){ .force = true }), 0);
	tfs_pio_at(T.imgs[2], &b, sizeof(b), 0, false);
	cr_assert_neq(uuid_compare(a.sb_fs_uuid, b.sb_fs_uuid), 0);
	cr_assert_eq(ident(T.imgs[1]).devindex, 1);
	cr_assert_eq(uuid_compare(ident(T.imgs[1]).fs_uuid, b.sb_fs_uuid), 0, "header rewritten");
}

Test(devs, mkfs_refuses_one_device_twice)
{
	const char *same[2] = { T.imgs[0], T.imgs[0] };
	const char *later[3] = { T.imgs[0], T.imgs[1], T.imgs[0] };
	const char *linked[2] = { T.imgs[0], T.imgs[2] };
	uint32_t before[2];

	tfs_image_at(T.imgs[0], 64 * MiB);
	tfs_image_at(T.imgs[1], 32 * MiB);
	cr_assert_eq(link(T.imgs[0], T.imgs[2]), 0);	/* another name for image 0 */
	crcs(2, before);
	tfs_log_reset();
	cr_assert_eq(famfs_mkfs_devs(same, 2, &(struct famfs_mkfs_opts){ 0 }), -EINVAL);
	cr_assert_not_null(strstr(T.msgs, "same device"), "%s", T.msgs);
	cr_assert_eq(famfs_mkfs_devs(later, 3, &(struct famfs_mkfs_opts){ 0 }), -EINVAL);
	cr_assert_eq(famfs_mkfs_devs(linked, 2, &(struct famfs_mkfs_opts){ .force = true }),
		     -EINVAL);
	assert_crcs_unchanged(2, before);
}

Test(devs, mkfs_bad_arguments_and_sizes)
{
	const char *paths[FAMFS_MAX_DEVS + 1];
	const char *with_null[2] = { T.imgs[0], NULL };
	uint32_t before[3];
	int i;

	for (i = 0; i < FAMFS_MAX_DEVS; i++)
		paths[i] = T.imgs[i];
	paths[FAMFS_MAX_DEVS] = T.dir;
	tfs_image_at(T.imgs[0], 64 * MiB);
	tfs_image_at(T.imgs[1], FAMFS_DATA_DEV_SIZE_MIN - 4096);
	tfs_image_at(T.imgs[2], FAMFS_DATA_DEV_SIZE_MIN);
	crcs(3, before);
	cr_assert_eq(famfs_mkfs_devs(paths, 0, &(struct famfs_mkfs_opts){ 0 }), -EINVAL);
	cr_assert_eq(famfs_mkfs_devs(paths, FAMFS_MAX_DEVS + 1, &(struct famfs_mkfs_opts){ 0 }),
		     -EINVAL);
	cr_assert_eq(famfs_mkfs_devs(with_null, 2, &(struct famfs_mkfs_opts){ 0 }), -EINVAL);
	cr_assert_eq(famfs_mkfs_devs(paths, 3, &(struct famfs_mkfs_opts){ 0 }), -ENOSPC);
	cr_assert_eq(famfs_mkfs_devs(paths, 3, &(struct famfs_mkfs_opts){ .log_len = 3 * MiB }),
		     -EINVAL);
	assert_crcs_unchanged(3, before);
	paths[1] = T.imgs[2];		/* the smallest data device there can be */
	cr_assert_eq(famfs_mkfs_devs(paths, 2, &(struct famfs_mkfs_opts){ 0 }), 0, "%s", T.msgs);
	cr_assert_eq(ident(T.imgs[2]).size, FAMFS_DATA_DEV_SIZE_MIN);
}

Test(devs, mkfs_kill_every_device)
{
	const char *paths[3] = { T.imgs[0], T.imgs[1], T.imgs[2] };
	struct famfs_dev_id id;

	tfs_mkfs_devs(3, sizes3);
	cr_assert_eq(famfs_mkfs_devs(paths, 3, &(struct famfs_mkfs_opts){ .kill = true }), 0);
	cr_assert_eq(famfs_dev_identify(T.imgs[0], &id), -ENODATA);
	cr_assert_eq(famfs_dev_identify(T.imgs[1], &id), -ENODATA);
	cr_assert_eq(famfs_dev_identify(T.imgs[2], &id), -ENODATA);
	cr_assert_eq(famfs_mkfs_devs(paths, 3, &(struct famfs_mkfs_opts){ 0 }), 0, "%s", T.msgs);
}

Test(devs, one_device_fs_is_what_it_was)
{
	struct famfs_superblock sb, zero = { 0 };
	struct famfs_dev_id id;

	tfs_mkfs(64 * MiB, 0);
	tfs_sb_read(&sb);
	cr_assert_eq(le32toh(sb.sb_ndevs), 1);
	cr_assert_eq(le16toh(sb.sb_omf_major), 1);
	cr_assert(memcmp(&sb.sb_devs[1], &zero.sb_devs[1],
			 sizeof(sb.sb_devs) - sizeof(sb.sb_devs[0])) == 0, "slots 1.. not zero");
	id = ident(T.img);
	cr_assert(id.is_sb);
	cr_assert_eq(id.devindex, 0);
	cr_assert_eq(uuid_compare(id.dev_uuid, sb.sb_devs[0].dd_uuid), 0);
}

/* Forge the superblock of a 3-device fs with @fn; famfs_sb_check must name @field. */
static void expect_bad_table(void (*fn)(struct famfs_superblock *), const char *field)
{
	struct famfs_superblock sb;
	struct famfs_media *m = NULL;
	char why[256] = "";

	tfs_mkfs_devs(3, sizes3);
	tfs_sb_read(&sb);
	fn(&sb);
	tfs_sb_write(&sb, true);
	cr_assert_eq(famfs_sb_check(&sb, 0, why, sizeof(why)), -EUCLEAN);
	cr_assert_not_null(strstr(why, field), "'%s' not in '%s'", field, why);
	cr_assert_eq(famfs_media_open_dev(T.img, FAMFS_OPEN_RDONLY, &m), -EUCLEAN);
}

static void dup_uuid(struct famfs_superblock *sb)
{
	memcpy(sb->sb_devs[2].dd_uuid, sb->sb_devs[0].dd_uuid, 16);
}
static void null_uuid(struct famfs_superblock *sb) { memset(sb->sb_devs[1].dd_uuid, 0, 16); }
static void tiny_dev(struct famfs_superblock *sb) { sb->sb_devs[2].dd_size = htole64(2 * MiB); }
static void odd_dev(struct famfs_superblock *sb) { sb->sb_devs[1].dd_size = htole64(31 * MiB); }

Test(devs, sb_table_duplicate_uuid) { expect_bad_table(dup_uuid, "sb_devs[2].dd_uuid"); }
Test(devs, sb_table_null_uuid) { expect_bad_table(null_uuid, "sb_devs[1].dd_uuid"); }
Test(devs, sb_table_tiny_device) { expect_bad_table(tiny_dev, "sb_devs[2].dd_size"); }
Test(devs, sb_table_misaligned_size) { expect_bad_table(odd_dev, "sb_devs[1].dd_size"); }
