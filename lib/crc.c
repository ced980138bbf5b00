// SPDX-License-Identifier: Apache-2.0
/* crc.c - CRCs of the on-media structures: zlib crc32, seed 0, over the bytes before the
 * crc field. */
#include <stddef.h>
#include <zlib.h>

#include "famfs_priv.h"

static uint32_t famfs_crc(const void *p, size_t len)
{
	return (uint32_t)crc32(0L, (const Bytef *)p, (uInt)len);
}

/* famfs_sb_crc() - CRC of a superblock's fixed fields (everything before sb_crc). */
uint32_t famfs_sb_crc(const struct famfs_superblock *sb)
{
	return famfs_crc(sb, offsetof(struct famfs_superblock, sb_crc));
}

/* famfs_log_header_crc() - CRC of lh_magic .. lh_nslots. */
uint32_t famfs_log_header_crc(const struct famfs_log_header *lh)
{
	return famfs_crc(lh, offsetof(struct famfs_log_header, lh_crc));
}

/* famfs_log_entry_crc() - CRC of an entry up to le_crc. */
uint32_t famfs_log_entry_crc(const struct famfs_log_entry *e)
{
	return famfs_crc(e, offsetof(struct famfs_log_entry, le_crc));
}

/* famfs_dev_header_crc() - CRC of a device header up to dh_crc. */
uint32_t famfs_dev_header_crc(const struct famfs_daxdev_header *h)
{
	return famfs_crc(h, offsetof(struct famfs_daxdev_header, dh_crc));
}
