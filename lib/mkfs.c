// SPDX-License-Identifier: Apache-2.0
/*
 * mkfs.c - make a file system over one or more devices: superblock and empty log on
 * device 0, a device header on every other device. Every check (arguments, distinct
 * devices, sizes, existing file systems) runs on every device before the first write.
 * Order matters for a torn mkfs: device 0's old superblock is zeroed first, then the device
 * headers and the log header are written, and the new superblock last, so no device is
 * ever left with a valid superblock over a half-written file system.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "famfs_priv.h"

struct mkfs_dev {
	const char		*path;
	struct famfs_dev	d;
	uint64_t		usable;	/* bytes, size rounded down to FAMFS_ALLOC_UNIT */
};

struct mkfs_ctx {
	unsigned		n;
	struct mkfs_dev		dev[FAMFS_MAX_DEVS];
	uint64_t		log_len;
	bool			force;
};

static bool famfs_log_len_ok(uint64_t len)
{
	return len >= FAMFS_LOG_LEN_MIN && (len & (len - 1)) == 0;
}

/* Checks of the arguments alone, before any device is opened. */
static int mkfs_args(const char *const *paths, unsigned n, uint64_t log_len)
{
	unsigned i;

	if (!paths || n < 1 || n > FAMFS_MAX_DEVS) {
		famfs_err("mkfs: %u devices, expected 1..%d", paths ? n : 0, FAMFS_MAX_DEVS);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!paths[i] || !*paths[i]) {
			famfs_err("mkfs: device %u has no path", i);
			return -EINVAL;
		}
	}
	if (!famfs_log_len_ok(log_len)) {
		famfs_err("log length %" PRIu64 " is not a power of two >= %llu", log_len,
			  FAMFS_LOG_LEN_MIN);
		return -EINVAL;
	}
	return 0;
}

static void mkfs_close_all(struct mkfs_ctx *c)
{
	unsigned i;

	for (i = 0; i < c->n; i++)
		if (c->dev[i].d.fd >= 0)
			close(c->dev[i].d.fd);
}

/* Open every device read-write; on failure the ones already open are closed. */
static int mkfs_open_all(struct mkfs_ctx *c, const char *const *paths, unsigned n)
{
	unsigned i;
	int rc = 0;

	c->n = n;
	for (i = 0; i < n; i++) {
		c->dev[i].path = paths[i];
		c->dev[i].d.fd = -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		rc = famfs_dev_open(paths[i], true, &c->dev[i].d);
		c->dev[i].usable = c->dev[i].d.size & ~(FAMFS_ALLOC_UNIT - 1);
		if (rc == 0 && c->dev[i].usable > FAMFS_DEV_SIZE_MAX) {
			famfs_info("%s: using the first %llu bytes (the most famfs supports)",
				   paths[i], FAMFS_DEV_SIZE_MAX);
			c->dev[i].usable = FAMFS_DEV_SIZE_MAX;
		}
	}
	if (rc)
		mkfs_close_all(c);
	return rc;
}

/* No device twice: same path, or two names of one file or device. */
static int mkfs_check_distinct(const struct mkfs_ctx *c)
{
	unsigned i, j;

	for (i = 0; i < c->n; i++) {
		for (j = i + 1; j < c->n; j++) {
			const struct famfs_dev *a = &c->dev[i].d, *b = &c->dev[j].d;

			if (strcmp(c->dev[i].path, c->dev[j].path) == 0 ||
			    (a->st_dev == b->st_dev && a->st_ino == b->st_ino)) {
				famfs_err("mkfs: devices %u (%s) and %u (%s) are the same device", i,
					  c->dev[i].path, j, c->dev[j].path);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Device 0 holds sb, log and some data; the others at least a header and one unit. */
static int mkfs_check_size(const struct mkfs_ctx *c, unsigned i)
{
	const struct mkfs_dev *m = &c->dev[i];
	uint64_t min = i ? FAMFS_DATA_DEV_SIZE_MIN : FAMFS_DEV_SIZE_MIN;
	uint64_t need = i ? FAMFS_DATA_DEV_SIZE_MIN : FAMFS_LOG_OFFSET + c->log_len + FAMFS_ALLOC_UNIT;

	if (m->d.size >= min && m->usable >= need)
		return 0;
	if (i == 0)
		famfs_err("%s: %" PRIu64 " bytes is too small (minimum %llu, and room for a %"
			  PRIu64 "-byte log and data)", m->path, m->d.size, FAMFS_DEV_SIZE_MIN,
			  c->log_len);
	else
		famfs_err("%s: %" PRIu64 " bytes is too small for data device %u (minimum %llu)",
			  m->path, m->d.size, i, FAMFS_DATA_DEV_SIZE_MIN);
	return -ENOSPC;
}

/*
 * The first 8 bytes of device @m (sb_magic / dh_magic; 0 if it is smaller than a page) and,
 * if they are a famfs magic, what is wrong with the superblock or header in @why ("" if
 * nothing).
 */
static int mkfs_read_magic(const struct mkfs_dev *m, uint64_t *magic, char *why, size_t n)
{
	uint8_t *page;
	int rc;

	*magic = 0;
	why[0] = '\0';
	if (m->d.size < FAMFS_PAGE)
		return 0;
	page = famfs_aligned_zalloc(FAMFS_PAGE);
	if (!page)
		return -ENOMEM;
	rc = famfs_dev_read(&m->d, page, FAMFS_PAGE, 0);
	if (rc)
		famfs_err("%s: cannot read the first page: %s", m->path, strerror(-rc));
	else
		*magic = le64toh(*(const __le64 *)page);
	if (rc == 0 && *magic == FAMFS_SB_MAGIC)
		famfs_sb_check((const void *)page, 0, why, n);
	else if (rc == 0 && *magic == FAMFS_DEV_MAGIC)
		famfs_dev_header_check((const void *)page, why, n);
	free(page);
	return rc;
}

static bool famfs_magic(uint64_t magic)
{
	return magic == FAMFS_SB_MAGIC || magic == FAMFS_DEV_MAGIC;
}

/* Refuse a device carrying a famfs magic, valid or damaged, unless forced. */
static int mkfs_check_unused(const struct mkfs_ctx *c, unsigned i)
{
	const struct mkfs_dev *m = &c->dev[i];
	struct famfs_dev_id id;
	char u[UUID_STR_LEN], why[FAMFS_WHY_LEN];
	uint64_t magic;
	int rc = mkfs_read_magic(m, &magic, why, sizeof(why));

	if (rc || !famfs_magic(magic) || c->force)
		return rc;
	if (why[0]) {
		famfs_err("%s: holds a damaged famfs %s (%s); use -f to overwrite it", m->path,
			  magic == FAMFS_SB_MAGIC ? "superblock" : "device header", why);
		return -EEXIST;
	}
	rc = famfs_dev_read_id(&m->d, m->path, &id);
	if (rc)
		return rc;
	uuid_unparse_lower(id.fs_uuid, u);
	famfs_err("%s: holds a valid famfs %s (device %u of file system %s); use -f to "
		  "overwrite", m->path, id.is_sb ? "superblock" : "device header", id.devindex, u);
	return -EEXIST;
}

/* mkfs -k: refuse a device that carries no famfs magic (nothing to kill), unless forced. */
static int mkfs_check_killable(const struct mkfs_ctx *c)
{
	char why[FAMFS_WHY_LEN];
	uint64_t magic;
	unsigned i;
	int rc = 0;

	for (i = 0; i < c->n && rc == 0 && !c->force; i++) {
		rc = mkfs_read_magic(&c->dev[i], &magic, why, sizeof(why));
		if (rc == 0 && !famfs_magic(magic)) {
			famfs_err("%s: no famfs superblock or device header to invalidate (not a "
				  "famfs device?); use -f to zero its first bytes anyway",
				  c->dev[i].path);
			rc = -ENODATA;
		}
	}
	return rc;
}

static int mkfs_check_all(const struct mkfs_ctx *c)
{
	unsigned i;
	int rc = mkfs_check_distinct(c);

	for (i = 0; i < c->n && rc == 0; i++)	/* first: it names the fs a device is in */
		rc = mkfs_check_unused(c, i);
	for (i = 0; i < c->n && rc == 0; i++)
		rc = mkfs_check_size(c, i);
	return rc;
}

/* Fill the superblock: this host as master, a device table of every device. */
static int mkfs_sb(const struct mkfs_ctx *c, struct famfs_superblock *sb)
{
	uuid_t master;
	unsigned i;
	int rc = famfs_system_uuid(master);

	if (rc)
		return rc;
	sb->sb_magic = htole64(FAMFS_SB_MAGIC);
	sb->sb_omf_major = htole16(FAMFS_OMF_MAJOR);
	sb->sb_omf_minor = htole16(FAMFS_OMF_MINOR);
	sb->sb_log_offset = htole64(FAMFS_LOG_OFFSET);
	sb->sb_log_len = htole64(c->log_len);
	sb->sb_alloc_unit = htole64(FAMFS_ALLOC_UNIT);
	uuid_generate_random(sb->sb_fs_uuid);
	uuid_copy(sb->sb_master_uuid, master);
	sb->sb_mkfs_time = htole64((uint64_t)time(NULL));
	sb->sb_ndevs = htole32(c->n);
	for (i = 0; i < c->n; i++) {
		uuid_generate_random(sb->sb_devs[i].dd_uuid);
		sb->sb_devs[i].dd_size = htole64(c->dev[i].usable);
	}
	sb->sb_crc = htole32(famfs_sb_crc(sb));
	return 0;
}

static void mkfs_log_header(struct famfs_log_header *lh, uint64_t log_len)
{
	memset(lh, 0, sizeof(*lh));
	lh->lh_magic = htole64(FAMFS_LOG_MAGIC);
	lh->lh_log_len = htole64(log_len);
	lh->lh_nslots = htole64(famfs_log_slots_for(log_len));
	lh->lh_crc = htole32(famfs_log_header_crc(lh));
	lh->lh_next_index = 0;
}

/* Zero the whole log region of device 0, so no entry of an older file system comes back
 * (say, if next_index were raised). @buf is a zeroed FAMFS_SB_SIZE buffer. */
static int mkfs_clear_log(const struct mkfs_ctx *c, uint8_t *buf)
{
	uint64_t off;
	int rc = 0;

	memset(buf, 0, FAMFS_SB_SIZE);
	for (off = 0; off < c->log_len && rc == 0; off += FAMFS_SB_SIZE)
		rc = famfs_dev_write(&c->dev[0].d, buf, FAMFS_SB_SIZE, FAMFS_LOG_OFFSET + off);
	return rc;
}

/* Write the reserved head of every device; @buf is a zeroed FAMFS_SB_SIZE buffer. */
static int mkfs_write_all(const struct mkfs_ctx *c, const struct famfs_superblock *sb,
			  uint8_t *buf)
{
	const struct famfs_dev *d0 = &c->dev[0].d;
	unsigned i;
	int rc = famfs_dev_write(d0, buf, FAMFS_SB_SIZE, 0);

	for (i = 1; i < c->n && rc == 0; i++) {
		famfs_dev_header_fill((struct famfs_daxdev_header *)buf, sb, i);
		rc = famfs_dev_write(&c->dev[i].d, buf, FAMFS_SB_SIZE, 0);
	}
	if (rc == 0)
		rc = mkfs_clear_log(c, buf);
	if (rc == 0) {
		mkfs_log_header((struct famfs_log_header *)buf, c->log_len);
		rc = famfs_dev_write(d0, buf, FAMFS_PAGE, FAMFS_LOG_OFFSET);
	}
	if (rc == 0) {
		memset(buf, 0, FAMFS_PAGE);
		memcpy(buf, sb, sizeof(*sb));
		rc = famfs_dev_write(d0, buf, FAMFS_PAGE, 0);
	}
	return rc;
}

/* Checks on every device, then the writes. */
static int mkfs_make(const struct mkfs_ctx *c)
{
	struct famfs_superblock sb = { 0 };
	uint8_t *buf;
	int rc = mkfs_check_all(c);

	if (rc == 0)
		rc = mkfs_sb(c, &sb);
	if (rc)
		return rc;
	buf = famfs_aligned_zalloc(FAMFS_SB_SIZE);
	if (!buf)
		return -ENOMEM;
	rc = mkfs_write_all(c, &sb, buf);
	free(buf);
	if (rc)
		famfs_err("%s: mkfs failed: %s", c->dev[0].path, strerror(-rc));
	return rc;
}

/* mkfs -k: zero the magic (sb_magic / dh_magic, the first 8 bytes) of every device. */
static int mkfs_kill(const struct mkfs_ctx *c)
{
	uint8_t *page = famfs_aligned_zalloc(FAMFS_PAGE);
	unsigned i;
	int rc = 0;

	if (!page)
		return -ENOMEM;
	rc = mkfs_check_killable(c);
	for (i = 0; i < c->n && rc == 0; i++) {
		rc = famfs_dev_read(&c->dev[i].d, page, FAMFS_PAGE, 0);
		memset(page, 0, sizeof(__le64));
		if (rc == 0)
			rc = famfs_dev_write(&c->dev[i].d, page, FAMFS_PAGE, 0);
		if (rc)
			famfs_err("%s: cannot invalidate the superblock or device header: %s",
				  c->dev[i].path, strerror(-rc));
	}
	free(page);
	return rc;
}

/* famfs_mkfs_devs() - one file system over @n devices; this host becomes the master. */
int famfs_mkfs_devs(const char *const *paths, unsigned n, const struct famfs_mkfs_opts *o)
{
	struct mkfs_ctx c = { .log_len = o->log_len ? o->log_len : FAMFS_LOG_LEN_DEFAULT,
			      .force = o->force };
	int rc = mkfs_args(paths, n, c.log_len);

	if (rc == 0)
		rc = mkfs_open_all(&c, paths, n);
	if (rc)
		return rc;
	rc = o->kill ? mkfs_kill(&c) : mkfs_make(&c);
	mkfs_close_all(&c);
	return rc;
}

/* famfs_mkfs() - superblock + empty log on @path alone. */
int famfs_mkfs(const char *path, const struct famfs_mkfs_opts *o)
{
	return famfs_mkfs_devs(&path, 1, o);
}
