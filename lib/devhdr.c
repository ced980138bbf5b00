// SPDX-License-Identifier: Apache-2.0
/*
 * devhdr.c - which file system, and which slot of its device table, a device belongs to.
 * Device 0 says so with its superblock, every other device with a struct
 * famfs_daxdev_header at offset 0. Mount finds its devices by these UUIDs, never by path.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "famfs_priv.h"

/* famfs_dev_header_check() - a device header on its own: identity and geometry fields. */
int famfs_dev_header_check(const struct famfs_daxdev_header *h, char *why, size_t n)
{
	uint32_t crc = famfs_dev_header_crc(h), idx = le32toh(h->dh_devindex);
	uint64_t size = le64toh(h->dh_size);

	if (le64toh(h->dh_magic) != FAMFS_DEV_MAGIC)
		return famfs_why(why, n, EUCLEAN, "dh_magic 0x%" PRIx64 " is not a famfs device "
				 "header", (uint64_t)le64toh(h->dh_magic));
	if (le32toh(h->dh_crc) != crc)
		return famfs_why(why, n, EUCLEAN, "dh_crc 0x%08x does not match the computed 0x%08x",
				 le32toh(h->dh_crc), crc);
	if (le16toh(h->dh_omf_major) != FAMFS_OMF_MAJOR)
		return famfs_why(why, n, EUCLEAN, "dh_omf_major %u, this code reads version %u",
				 le16toh(h->dh_omf_major), FAMFS_OMF_MAJOR);
	if (idx < 1 || idx >= FAMFS_MAX_DEVS)
		return famfs_why(why, n, EUCLEAN, "dh_devindex %u is not in 1..%d", idx,
				 FAMFS_MAX_DEVS - 1);
	if (size < FAMFS_DATA_DEV_SIZE_MIN || size % FAMFS_ALLOC_UNIT || size > FAMFS_DEV_SIZE_MAX)
		return famfs_why(why, n, EUCLEAN, "dh_size %" PRIu64 " is not a multiple of 2 MiB "
				 "in [%llu, %llu]", size, FAMFS_DATA_DEV_SIZE_MIN, FAMFS_DEV_SIZE_MAX);
	return 0;
}

/* famfs_dev_header_fill() - the header mkfs writes on device @i (>= 1) of @sb. */
void famfs_dev_header_fill(struct famfs_daxdev_header *h, const struct famfs_superblock *sb,
			   uint32_t i)
{
	memset(h, 0, sizeof(*h));
	h->dh_magic = htole64(FAMFS_DEV_MAGIC);
	h->dh_omf_major = htole16(FAMFS_OMF_MAJOR);
	h->dh_omf_minor = htole16(FAMFS_OMF_MINOR);
	h->dh_devindex = htole32(i);
	memcpy(h->dh_fs_uuid, sb->sb_fs_uuid, sizeof(h->dh_fs_uuid));
	memcpy(h->dh_dev_uuid, sb->sb_devs[i].dd_uuid, sizeof(h->dh_dev_uuid));
	h->dh_size = sb->sb_devs[i].dd_size;
	h->dh_crc = htole32(famfs_dev_header_crc(h));
}

/* @page holds a superblock or a device header: check it and fill @id, or say why not. */
static int page_id(const void *page, struct famfs_dev_id *id, char *why, size_t n)
{
	const struct famfs_superblock *sb = page;
	const struct famfs_daxdev_header *h = page;
	int rc;

	if (le64toh(sb->sb_magic) == FAMFS_SB_MAGIC) {
		rc = famfs_sb_check(sb, 0, why, n);
		if (rc == 0) {
			*id = (struct famfs_dev_id){ .is_sb = true, .devindex = 0,
						     .size = le64toh(sb->sb_devs[0].dd_size) };
			memcpy(id->fs_uuid, sb->sb_fs_uuid, sizeof(id->fs_uuid));
			memcpy(id->dev_uuid, sb->sb_devs[0].dd_uuid, sizeof(id->dev_uuid));
		}
		return rc;
	}
	rc = famfs_dev_header_check(h, why, n);
	if (rc == 0) {
		*id = (struct famfs_dev_id){ .devindex = le32toh(h->dh_devindex),
					     .size = le64toh(h->dh_size) };
		memcpy(id->fs_uuid, h->dh_fs_uuid, sizeof(id->fs_uuid));
		memcpy(id->dev_uuid, h->dh_dev_uuid, sizeof(id->dev_uuid));
	}
	return rc;
}

/* famfs_dev_read_id() - identify open @d from its first page (FAMFS_PAGE bytes). */
int famfs_dev_read_id(const struct famfs_dev *d, const char *path, struct famfs_dev_id *id)
{
	char why[FAMFS_WHY_LEN];
	void *page;
	int rc;

	if (d->size < FAMFS_PAGE) {
		famfs_dbg("%s: %" PRIu64 " bytes, too small to hold famfs metadata", path, d->size);
		return -ENODATA;
	}
	page = famfs_aligned_zalloc(FAMFS_PAGE);
	if (!page)
		return -ENOMEM;
	rc = famfs_dev_read(d, page, FAMFS_PAGE, 0);
	if (rc)
		famfs_err("%s: cannot read the first page: %s", path, strerror(-rc));
	else if (page_id(page, id, why, sizeof(why)) != 0) {
		famfs_dbg("%s: no valid famfs superblock or device header: %s", path, why);
		rc = -ENODATA;
	}
	free(page);
	if (rc == 0)
		id->dev_size = d->size;
	return rc;
}

/* famfs_dev_identify() - superblock or device header on @path? (Page 0, never cached.) */
int famfs_dev_identify(const char *path, struct famfs_dev_id *id)
{
	struct famfs_dev d;
	int rc = famfs_dev_open(path, false, &d);

	if (rc)
		return rc;
	rc = famfs_dev_read_id(&d, path, id);
	close(d.fd);
	return rc;
}

/* Is @id the device of slot @devindex of @sb (same fs, same slot, same device UUID)? */
static int dev_identity_why(const struct famfs_superblock *sb, uint32_t devindex,
			    const struct famfs_dev_id *id, char *why, size_t n)
{
	const uint8_t *want = sb->sb_devs[devindex].dd_uuid;
	char a[UUID_STR_LEN], b[UUID_STR_LEN];

	if (uuid_compare(id->fs_uuid, sb->sb_fs_uuid) != 0) {
		uuid_unparse_lower(id->fs_uuid, a);
		uuid_unparse_lower(sb->sb_fs_uuid, b);
		return famfs_why(why, n, EUCLEAN, "belongs to another file system (fs uuid %s, "
				 "expected %s)", a, b);
	}
	if (id->devindex != devindex || id->is_sb != (devindex == 0))
		return famfs_why(why, n, EUCLEAN, "wrong device: it is %s %u of the file system, "
				 "not device %u", id->is_sb ? "superblock device" : "device",
				 id->devindex, devindex);
	if (uuid_compare(id->dev_uuid, want) != 0) {
		uuid_unparse_lower(id->dev_uuid, a);
		uuid_unparse_lower(want, b);
		return famfs_why(why, n, EUCLEAN, "wrong device: device uuid %s, sb_devs[%u] "
				 "expects %s", a, devindex, b);
	}
	return 0;
}

/* famfs_sb_dev_check() - does found device @id fill slot @devindex of @sb? */
int famfs_sb_dev_check(const struct famfs_superblock *sb, uint32_t devindex,
		       const struct famfs_dev_id *id, uint64_t dev_size, char *why, size_t n)
{
	uint64_t want;
	int rc;

	if (devindex >= le32toh(sb->sb_ndevs) || devindex >= FAMFS_MAX_DEVS)
		return famfs_why(why, n, EINVAL, "devindex %u >= sb_ndevs %u", devindex,
				 le32toh(sb->sb_ndevs));
	rc = dev_identity_why(sb, devindex, id, why, n);
	if (rc)
		return rc;
	want = le64toh(sb->sb_devs[devindex].dd_size);
	if (id->size != want)
		return famfs_why(why, n, EUCLEAN, "wrong device: it records %" PRIu64 " bytes, "
				 "sb_devs[%u].dd_size is %" PRIu64, id->size, devindex, want);
	if (dev_size && dev_size < want)
		return famfs_why(why, n, EUCLEAN, "device too small: %" PRIu64 " bytes, sb_devs[%u]"
				 ".dd_size is %" PRIu64, dev_size, devindex, want);
	return 0;
}
