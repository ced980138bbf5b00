// SPDX-License-Identifier: Apache-2.0
/* sbcheck.c - validation of the superblock and log header (pure, no I/O). */
#include <errno.h>
#include <inttypes.h>

#include "famfs_priv.h"

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static bool unit_aligned(uint64_t v)
{
	return (v & (FAMFS_ALLOC_UNIT - 1)) == 0;
}

/* Identity fields: magic, CRC, version, flags, alloc unit. */
static int sb_check_ident(const struct famfs_superblock *sb, char *why, size_t n)
{
	uint32_t crc = famfs_sb_crc(sb);

	if (le64toh(sb->sb_magic) != FAMFS_SB_MAGIC)
		return famfs_why(why, n, EUCLEAN, "sb_magic 0x%" PRIx64 " is not a famfs superblock",
				 (uint64_t)le64toh(sb->sb_magic));
	if (le32toh(sb->sb_crc) != crc)
		return famfs_why(why, n, EUCLEAN, "sb_crc 0x%08x does not match the computed 0x%08x",
				 le32toh(sb->sb_crc), crc);
	if (le16toh(sb->sb_omf_major) != FAMFS_OMF_MAJOR)
		return famfs_why(why, n, EUCLEAN, "sb_omf_major %u, this code reads version %u",
				 le16toh(sb->sb_omf_major), FAMFS_OMF_MAJOR);
	if (le16toh(sb->sb_omf_minor) > FAMFS_OMF_MINOR)
		return famfs_why(why, n, EUCLEAN, "sb_omf_minor %u is newer than this code, which "
				 "reads OMF %u.0 to %u.%u", le16toh(sb->sb_omf_minor),
				 FAMFS_OMF_MAJOR, FAMFS_OMF_MAJOR, FAMFS_OMF_MINOR);
	if (le32toh(sb->sb_flags) != 0)
		return famfs_why(why, n, EUCLEAN, "sb_flags 0x%x has unknown flags",
				 le32toh(sb->sb_flags));
	if (le64toh(sb->sb_alloc_unit) != FAMFS_ALLOC_UNIT)
		return famfs_why(why, n, EUCLEAN, "sb_alloc_unit %" PRIu64 " is not %llu",
				 (uint64_t)le64toh(sb->sb_alloc_unit), FAMFS_ALLOC_UNIT);
	return 0;
}

/* Slot @i of the device table: size (device 0 must hold the log) and a distinct UUID. */
static int sb_check_dev(const struct famfs_superblock *sb, uint32_t i, char *why, size_t n)
{
	uint64_t sz = le64toh(sb->sb_devs[i].dd_size);
	uint64_t min = i ? FAMFS_DATA_DEV_SIZE_MIN : famfs_dev_reserved(sb, 0);
	uint32_t j;

	if (sz == 0 || !unit_aligned(sz))
		return famfs_why(why, n, EUCLEAN, "sb_devs[%u].dd_size %" PRIu64
				 " is not a positive multiple of 2 MiB", i, sz);
	if (sz > FAMFS_DEV_SIZE_MAX)
		return famfs_why(why, n, EUCLEAN, "sb_devs[%u].dd_size %" PRIu64 " exceeds the "
				 "largest device famfs supports (%llu bytes)", i, sz,
				 FAMFS_DEV_SIZE_MAX);
	if (sz < min)
		return famfs_why(why, n, EUCLEAN, "sb_devs[%u].dd_size %" PRIu64 " is below the %"
				 PRIu64 " bytes of its %s", i, sz, min,
				 i ? "header and one unit" : "superblock and log");
	if (uuid_is_null(sb->sb_devs[i].dd_uuid))
		return famfs_why(why, n, EUCLEAN, "sb_devs[%u].dd_uuid is null", i);
	for (j = 0; j < i; j++)
		if (uuid_compare(sb->sb_devs[i].dd_uuid, sb->sb_devs[j].dd_uuid) == 0)
			return famfs_why(why, n, EUCLEAN, "sb_devs[%u].dd_uuid equals sb_devs[%u]'s",
					 i, j);
	return 0;
}

/* Geometry: log placement and the device table. */
static int sb_check_geometry(const struct famfs_superblock *sb, char *why, size_t n)
{
	uint64_t off = le64toh(sb->sb_log_offset), len = le64toh(sb->sb_log_len);
	uint32_t ndevs = le32toh(sb->sb_ndevs), i;
	int rc = 0;

	if (off < FAMFS_SB_SIZE || !unit_aligned(off))
		return famfs_why(why, n, EUCLEAN, "sb_log_offset %" PRIu64 " is misplaced", off);
	if (len < FAMFS_LOG_LEN_MIN || !is_pow2(len) || off + len < off)
		return famfs_why(why, n, EUCLEAN, "sb_log_len %" PRIu64
				 " is not a power of two >= %llu", len, FAMFS_LOG_LEN_MIN);
	if (ndevs < 1 || ndevs > FAMFS_MAX_DEVS)
		return famfs_why(why, n, EUCLEAN, "sb_ndevs %u is not in 1..%d", ndevs,
				 FAMFS_MAX_DEVS);
	for (i = 0; i < ndevs && rc == 0; i++)
		rc = sb_check_dev(sb, i, why, n);
	return rc;
}

/* famfs_sb_check() - validate a superblock; @dev_size 0 skips the device size check. */
int famfs_sb_check(const struct famfs_superblock *sb, uint64_t dev_size, char *why, size_t whylen)
{
	uint64_t dd0 = le64toh(sb->sb_devs[0].dd_size);
	int rc = sb_check_ident(sb, why, whylen);

	if (rc == 0)
		rc = sb_check_geometry(sb, why, whylen);
	if (rc == 0 && dev_size && dd0 > dev_size)
		rc = famfs_why(why, whylen, EUCLEAN, "sb_devs[0].dd_size %" PRIu64
			       " exceeds the device size %" PRIu64, dd0, dev_size);
	return rc;
}

/* famfs_log_header_check() - validate a log header against its (valid) superblock. */
int famfs_log_header_check(const struct famfs_log_header *lh, const struct famfs_superblock *sb,
			   char *why, size_t n)
{
	uint64_t len = le64toh(sb->sb_log_len), slots = famfs_log_slots_for(len);
	uint32_t crc = famfs_log_header_crc(lh);

	if (le64toh(lh->lh_magic) != FAMFS_LOG_MAGIC)
		return famfs_why(why, n, EUCLEAN, "lh_magic 0x%" PRIx64 " is not a famfs log",
				 (uint64_t)le64toh(lh->lh_magic));
	if (le32toh(lh->lh_crc) != crc)
		return famfs_why(why, n, EUCLEAN, "lh_crc 0x%08x does not match the computed 0x%08x",
				 le32toh(lh->lh_crc), crc);
	if (le64toh(lh->lh_log_len) != len)
		return famfs_why(why, n, EUCLEAN, "lh_log_len %" PRIu64 " differs from sb_log_len %"
				 PRIu64, (uint64_t)le64toh(lh->lh_log_len), len);
	if (le64toh(lh->lh_nslots) != slots)
		return famfs_why(why, n, EUCLEAN, "lh_nslots %" PRIu64 " should be %" PRIu64,
				 (uint64_t)le64toh(lh->lh_nslots), slots);
	if (le64toh(lh->lh_next_index) > slots)
		return famfs_why(why, n, EUCLEAN, "lh_next_index %" PRIu64 " exceeds lh_nslots %"
				 PRIu64, (uint64_t)le64toh(lh->lh_next_index), slots);
	return 0;
}
