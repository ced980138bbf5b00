// SPDX-License-Identifier: Apache-2.0
/*
 * mkfs.c - write a superblock and an empty log. Order matters for a torn mkfs: the old
 * superblock is zeroed first, then the log header is written, and the new superblock last,
 * so a device is never left with a valid superblock over a half-written log.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "famfs_priv.h"

static bool famfs_log_len_ok(uint64_t len)
{
	return len >= FAMFS_LOG_LEN_MIN && (len & (len - 1)) == 0;
}

/* Is there a valid superblock on @d? (Reads the first page.) */
static int famfs_mkfs_has_sb(const struct famfs_dev *d, bool *valid)
{
	struct famfs_superblock *sb = famfs_aligned_zalloc(FAMFS_PAGE);
	int rc;

	if (!sb)
		return -ENOMEM;
	rc = famfs_dev_read(d, sb, FAMFS_PAGE, 0);
	*valid = rc == 0 && famfs_sb_check(sb, 0, NULL, 0) == 0;
	free(sb);
	return rc;
}

/* mkfs -k: zero the superblock magic, nothing else. */
static int famfs_mkfs_kill(const struct famfs_dev *d, const char *path)
{
	struct famfs_superblock *sb = famfs_aligned_zalloc(FAMFS_PAGE);
	int rc;

	if (!sb)
		return -ENOMEM;
	rc = famfs_dev_read(d, sb, FAMFS_PAGE, 0);
	if (rc == 0) {
		sb->sb_magic = 0;
		rc = famfs_dev_write(d, sb, FAMFS_PAGE, 0);
	}
	free(sb);
	if (rc)
		famfs_err("%s: cannot invalidate the superblock: %s", path, strerror(-rc));
	return rc;
}

/* Fill a superblock for a device of @usable bytes and a log of @log_len. */
static int famfs_mkfs_sb(struct famfs_superblock *sb, uint64_t usable, uint64_t log_len)
{
	uuid_t master;
	int rc = famfs_system_uuid(master);

	if (rc)
		return rc;
	sb->sb_magic = htole64(FAMFS_SB_MAGIC);
	sb->sb_omf_major = htole16(FAMFS_OMF_MAJOR);
	sb->sb_omf_minor = htole16(FAMFS_OMF_MINOR);
	sb->sb_log_offset = htole64(FAMFS_LOG_OFFSET);
	sb->sb_log_len = htole64(log_len);
	sb->sb_alloc_unit = htole64(FAMFS_ALLOC_UNIT);
	uuid_generate_random(sb->sb_fs_uuid);
	uuid_copy(sb->sb_master_uuid, master);
	sb->sb_mkfs_time = htole64((uint64_t)time(NULL));
	sb->sb_ndevs = htole32(1);
	uuid_generate_random(sb->sb_devs[0].dd_uuid);
	sb->sb_devs[0].dd_size = htole64(usable);
	sb->sb_crc = htole32(famfs_sb_crc(sb));
	return 0;
}

static void famfs_mkfs_log_header(struct famfs_log_header *lh, uint64_t log_len)
{
	lh->lh_magic = htole64(FAMFS_LOG_MAGIC);
	lh->lh_log_len = htole64(log_len);
	lh->lh_nslots = htole64(famfs_log_slots_for(log_len));
	lh->lh_crc = htole32(famfs_log_header_crc(lh));
	lh->lh_next_index = 0;
}

/* Zero the superblock region, write the log header page, then the superblock page. */
static int famfs_mkfs_write(const struct famfs_dev *d, uint64_t usable, uint64_t log_len)
{
	uint8_t *buf = famfs_aligned_zalloc(FAMFS_SB_SIZE);
	int rc;

	if (!buf)
		return -ENOMEM;
	rc = famfs_dev_write(d, buf, FAMFS_SB_SIZE, 0);
	if (rc == 0) {
		famfs_mkfs_log_header((struct famfs_log_header *)buf, log_len);
		rc = famfs_dev_write(d, buf, FAMFS_PAGE, FAMFS_LOG_OFFSET);
	}
	if (rc == 0) {
		memset(buf, 0, FAMFS_PAGE);
		rc = famfs_mkfs_sb((struct famfs_superblock *)buf, usable, log_len);
	}
	if (rc == 0)
		rc = famfs_dev_write(d, buf, FAMFS_PAGE, 0);
	free(buf);
	return rc;
}

/* Size, existing-superblock and write steps of a normal mkfs on an open device. */
static int famfs_mkfs_dev(const struct famfs_dev *d, const char *path, uint64_t log_len,
			  bool force)
{
	uint64_t usable = d->size & ~(FAMFS_ALLOC_UNIT - 1);
	bool valid = false;
	int rc;

	if (d->size < FAMFS_DEV_SIZE_MIN || usable < FAMFS_LOG_OFFSET + log_len + FAMFS_ALLOC_UNIT) {
		famfs_err("%s: %" PRIu64 " bytes is too small (minimum %llu, and room for a %"
			  PRIu64 "-byte log and data)", path, d->size, FAMFS_DEV_SIZE_MIN, log_len);
		return -ENOSPC;
	}
	rc = famfs_mkfs_has_sb(d, &valid);
	if (rc == 0 && valid && !force) {
		famfs_err("%s: holds a valid famfs superblock (use force to overwrite)", path);
		return -EEXIST;
	}
	if (rc == 0)
		rc = famfs_mkfs_write(d, usable, log_len);
	if (rc)
		famfs_err("%s: mkfs failed: %s", path, strerror(-rc));
	return rc;
}

/* famfs_mkfs() - superblock + empty log on @path; this host becomes the master. */
int famfs_mkfs(const char *path, const struct famfs_mkfs_opts *o)
{
	uint64_t log_len = o->log_len ? o->log_len : FAMFS_LOG_LEN_DEFAULT;
	struct famfs_dev d;
	int rc;

	if (!famfs_log_len_ok(log_len)) {
		famfs_err("log length %" PRIu64 " is not a power of two >= %llu", log_len,
			  FAMFS_LOG_LEN_MIN);
		return -EINVAL;
	}
	rc = famfs_dev_open(path, true, &d);
	if (rc)
		return rc;
	if (o->kill)
		rc = famfs_mkfs_kill(&d, path);
	else
		rc = famfs_mkfs_dev(&d, path, log_len, o->force);
	close(d.fd);
	return rc;
}
