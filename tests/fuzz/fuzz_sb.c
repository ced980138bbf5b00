// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_sb.c - libFuzzer harness: the superblock and device header checks on one page.
 * Input: a flags byte (0x01: fix sb_crc, 0x02: fix dh_crc), then the page (zero padded).
 * Invariants: a superblock that passes famfs_sb_check() has bounded device sizes (its
 * allocator bitmaps fit in memory); a header that passes has a sane index and size.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "famfs_priv.h"
#include "fuzz_common.h"

static void fz_sb(const struct famfs_superblock *sb)
{
	char why[FAMFS_WHY_LEN];
	struct famfs_alloc a;
	uint32_t i;

	if (famfs_sb_check(sb, 0, why, sizeof(why)) != 0)
		return;
	famfs_sb_check(sb, FZ_IMAGE_SIZE, why, sizeof(why));
	for (i = 0; i < le32toh(sb->sb_ndevs); i++)
		if (le64toh(sb->sb_devs[i].dd_size) > FAMFS_DEV_SIZE_MAX)
			abort();	/* accepted an unbounded device */
	if (famfs_alloc_init(&a, sb) != 0)
		abort();		/* a valid superblock must be replayable */
	famfs_alloc_free(&a);
}

static void fz_dh(const struct famfs_daxdev_header *h, const struct famfs_superblock *sb)
{
	struct famfs_dev_id id = { 0 };
	char why[FAMFS_WHY_LEN];
	uint32_t idx;

	if (famfs_dev_header_check(h, why, sizeof(why)) != 0)
		return;
	idx = le32toh(h->dh_devindex);
	if (idx < 1 || idx >= FAMFS_MAX_DEVS || le64toh(h->dh_size) > FAMFS_DEV_SIZE_MAX)
		abort();
	id.devindex = idx;
	id.size = le64toh(h->dh_size);
	memcpy(id.fs_uuid, h->dh_fs_uuid, sizeof(id.fs_uuid));
	memcpy(id.dev_uuid, h->dh_dev_uuid, sizeof(id.dev_uuid));
	if (famfs_sb_check(sb, 0, NULL, 0) == 0)
		famfs_sb_dev_check(sb, idx, &id, id.size, why, sizeof(why));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t page[FAMFS_PAGE];
	struct famfs_superblock *sb = (struct famfs_superblock *)page;
	struct famfs_daxdev_header *h = (struct famfs_daxdev_header *)page;

	if (size < 1)
		return 0;
	fz_quiet();
	memset(page, 0, sizeof(page));
	memcpy(page, data + 1, size - 1 < sizeof(page) ? size - 1 : sizeof(page));
	if (data[0] & 0x01)
		sb->sb_crc = htole32(famfs_sb_crc(sb));
	fz_sb(sb);
	if (data[0] & 0x02)
		h->dh_crc = htole32(famfs_dev_header_crc(h));
	fz_dh(h, sb);
	return 0;
}
